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
def kg_build(inputs, store, meta_columns, text_column, id_column, columns, graph, base,
             backend, batch_size) -> None:
    """Annotate INPUTS (text, one document per line; .tsv/.csv; .jsonl documents or
    'tone annotate' records) into the knowledge-graph store --store DIR.

    Re-running with the same input changes nothing; new documents are appended and changed
    ones replaced (documents are keyed by id).
    """
    from ..kg.build import build_store
    from ..kg.store import CORPUS_GRAPH

    report = build_store(inputs, store, meta_columns=meta_columns, text_column=text_column,
                         id_column=id_column,
                         columns=[c.strip() for c in columns.split(",")] if columns else None,
                         graph=graph or CORPUS_GRAPH, backend=backend, base=base,
                         batch_size=batch_size)
    click.echo(f"{store}: {report}", err=True)


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
def serve_command(store, host, port, timeout, max_bytes, workers, cors) -> None:
    """Serve a store read-only as a SPARQL 1.1 Protocol endpoint (extra 'server').

    The endpoint is http://HOST:PORT/sparql; the HTML query page is at /.
    """
    from ..kg.server import serve

    serve(store, host=host, port=port, timeout=timeout, max_bytes=max_bytes,
          workers=workers, cors=list(cors))
