"""``tone kg build`` and ``tone serve``: a knowledge graph of annotations and its SPARQL endpoint."""
from __future__ import annotations

import click

from ..batching import BATCH_SIZE
from . import ToneGroup, cli


@cli.group("kg", cls=ToneGroup)
def kg() -> None:
    """Build and inspect a knowledge-graph store (ontology + annotated documents)."""


@kg.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--store", "store", required=True, type=click.Path(file_okay=False),
              help="Store folder (created if missing; re-runs update it in place).")
@click.option("--meta-column", "meta_columns", multiple=True, metavar="NAME",
              help="A .jsonl field or .tsv/.csv column to store as meta:NAME (repeatable).")
@click.option("--text-column", default="text", show_default=True,
              help="Column (or JSON field) holding the text to annotate.")
@click.option("--id-column", default="id", show_default=True,
              help="Column (or JSON field) holding the document id (else the line number).")
@click.option("--columns", default=None, metavar="A,B,...",
              help="Column names of a .tsv/.csv input without a header row.")
@click.option("--graph", default=None, metavar="IRI",
              help="Named graph of the documents [default: https://w3id.org/tone/graph/corpus].")
@click.option("--base", default=None, metavar="IRI",
              help="Document IRI base of a new store [default: urn:tone:doc:].")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib"]), default=None,
              help="Backend of a new store [default: oxigraph when installed, else rdflib].")
@click.option("--batch-size", type=click.IntRange(1), default=BATCH_SIZE, show_default=True)
@click.option("--errors", type=click.Choice(["strict", "replace", "skip"]), default="strict",
              show_default=True, help="Undecodable bytes, lone surrogates in JSON strings and "
              "malformed rows: stop, replace (U+FFFD; malformed rows are skipped) or skip "
              "(each skipped document is named on stderr).")
@click.option("--wait", is_flag=True,
              help="If another process is writing the store, wait for it to finish "
                   "(default: fail at once, naming it).")
@click.option("--wait-timeout", type=click.FloatRange(0), default=None, metavar="SECONDS",
              help="Like --wait, but give up after SECONDS.")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Annotate with this lexicon instead of the shipped one (any format "
                   "'tone annotate --lexicon' reads: LIWC .dic, NRC EmoLex or Emotion "
                   "Intensity, tone's TSV, term<TAB>concept TSV).")
@click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
              help="Annotate with a domain pack (repeatable); its terms join the store's "
                   "ontology graph.")
def kg_build(inputs, store, meta_columns, text_column, id_column, columns, graph, base,
             backend, batch_size, errors, wait, wait_timeout, lexicon, packs) -> None:
    """Annotate INPUTS (text, one document per line; .tsv/.csv; .jsonl documents or
    'tone annotate' records) into the knowledge-graph store --store DIR.

    Re-running with the same input changes nothing; new documents are appended and changed
    ones replaced (documents are keyed by id). One process writes a store at a time: a second
    'tone kg build' on the same store fails at once naming the first, or waits with --wait.
    Queries ('tone sparql --store', 'tone serve') are never blocked; they see the store as
    of its last completed write.
    """
    from ..kg.build import build_store
    from ..kg.store import CORPUS_GRAPH

    def waiting(note: str) -> None:
        click.echo(f"tone: {note}", err=True)

    annotator = None
    if lexicon is not None or packs:
        from ..annotator import Annotator

        # a bad file fails here, before the store opens
        annotator = Annotator(lexicon=lexicon, packs=packs)
    report = build_store(inputs, store, meta_columns=meta_columns, text_column=text_column,
                         id_column=id_column, annotator=annotator,
                         columns=[c.strip() for c in columns.split(",")] if columns else None,
                         graph=graph or CORPUS_GRAPH, backend=backend, base=base,
                         batch_size=batch_size, errors=errors,
                         wait=wait_timeout if wait_timeout is not None else wait,
                         on_wait=waiting)
    for message in report.skipped:
        click.echo(f"tone: skipped {message}", err=True)
    click.echo(f"{store}: {report}", err=True)
    if report.stats.replaced:
        click.echo(f"tone: {report.stats.replaced} document(s) took the id of a document already "
                   "in the store and replaced it; ids default to line or row numbers, so give "
                   "--id-column, or build other files into their own --graph, to keep both",
                   err=True)


@kg.command("info")
@click.option("--store", "store", required=True, type=click.Path(exists=True, file_okay=False))
def kg_info(store) -> None:
    """Print a store's backend, graphs and counts (JSON)."""
    import json

    from ..kg.store import KnowledgeGraph

    with KnowledgeGraph(store, read_only=True) as graph:
        info = dict(graph.info, triples=len(graph), documents=graph.documents())
    click.echo(json.dumps(info, indent=2))


@cli.command("serve")
@click.option("--store", "store", required=True, type=click.Path(exists=True, file_okay=False),
              help="Store folder built by 'tone kg build'.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Per-query time limit in seconds.")
@click.option("--max-bytes", type=click.IntRange(1024), default=50_000_000, show_default=True,
              help="Largest serialized result a query may return.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Query worker processes [default: CPU count, 2 to 8].")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN (e.g. a hosted YASGUI) to query; "
                   "repeatable; '*' allows any page. Off by default.")
@click.option("--max-memory", type=click.IntRange(0), default=1024, show_default=True,
              metavar="MB", help="Memory each query worker may use beyond the opened store "
              "(address space, RLIMIT_AS); a query needing more gets 503. 0: no limit.")
@click.option("--read-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="Each read of a request (line, headers, body) must "
              "arrive within SECONDS, else the connection is closed.")
@click.option("--max-connections", type=click.IntRange(1), default=64, show_default=True,
              help="Connections served at once; more are answered 503.")
def serve_command(store, host, port, timeout, max_bytes, workers, cors, max_memory,
                  read_timeout, max_connections) -> None:
    """Serve a store read-only as a SPARQL 1.1 Protocol endpoint (extra 'server').

    The endpoint is http://HOST:PORT/sparql; the HTML query page is at /. A GET without a
    query answers a SPARQL 1.1 Service Description to RDF clients; default-graph-uri and
    named-graph-uri set the dataset (the store's own graphs only). Queries are parsed
    before they run: SERVICE, updates, FROM outside the store's graphs, malformed and
    too deeply nested queries are refused.
    """
    from ..kg.server import serve

    serve(store, host=host, port=port, timeout=timeout, max_bytes=max_bytes,
          workers=workers, cors=list(cors), max_memory=max_memory << 20 or None,
          read_timeout=read_timeout, max_connections=max_connections)
