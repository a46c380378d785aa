"""``tone ontology ...`` and ``tone sparql``: browse, export, check and query the ontology."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from .._resources import read_data_file
from ..errors import DataFileError, UsageError
from . import ToneGroup, cli


def _ontology(path: str | None):
    from ..ontology import Ontology

    return Ontology(path) if path else Ontology()


ontology_option = click.option(
    "--ontology", "ontology_path", metavar="PATH", default=None,
    help="Ontology file or folder to use instead of the built-in one.")


@cli.group(cls=ToneGroup)
def ontology() -> None:
    """Browse, export and check the emotion ontology."""


@ontology.command("tree")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@ontology_option
def ontology_tree(fmt: str, ontology_path: str | None) -> None:
    """Print the tier tree (primary > secondary > tertiary)."""
    onto = _ontology(ontology_path)
    tree = onto.tree()
    if fmt == "json":
        click.echo(json.dumps(tree, indent=2, ensure_ascii=False))
        return

    def show(node: dict, depth: int) -> None:
        click.echo(f"{'  ' * depth}{node['label']}")
        for child in node["children"]:
            show(child, depth + 1)

    for root in tree:
        show(root, 0)
    counts = [len(onto.tier(t)) for t in (1, 2, 3)]
    click.echo(f"({counts[0]} primary, {counts[1]} secondary, {counts[2]} tertiary)")


@ontology.command("show")
@click.argument("label")
@click.option("--tier", type=click.IntRange(1, 3), default=None,
              help="Tier of the concept when its label repeats across tiers.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@ontology_option
def ontology_show(label: str, tier: int | None, fmt: str, ontology_path: str | None) -> None:
    """Show one concept: its place in the tree, definition and relations."""
    from ..ontology import TIER_NAMES

    onto = _ontology(ontology_path)
    concept = onto.concept(label, tier)
    if tier is None and "@" not in label:
        others = [t for t in (1, 2, 3) if t != concept.tier
                  and any(c.label.lower() == label.strip().lower() for c in onto.tier(t))]
        if others:
            names = " and the ".join(TIER_NAMES[t] for t in others)
            click.echo(f"tone: {label!r} also names the {names} concept; showing the "
                       f"{TIER_NAMES[concept.tier]} (choose with --tier "
                       f"{' or '.join(str(t) for t in others)})", err=True)
    if fmt == "json":
        click.echo(json.dumps(concept.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{concept.label} ({TIER_NAMES[concept.tier]}, tier {concept.tier})")
    click.echo(f"  iri:        {concept.iri}")
    click.echo(f"  path:       {' > '.join(concept.path())}")
    if concept.definition:
        click.echo(f"  definition: {concept.definition} [WordNet 3.0 {concept.synset}]")
    if concept.children:
        click.echo(f"  children:   {', '.join(c.label for c in concept.children)}")
    for name, items in (("opposite of", concept.opposites()),
                        ("composed of", concept.components())):
        if items:
            click.echo(f"  {name}: {', '.join(c.key for c in items)}")
    for transition in concept.transitions():
        other = [c for c in transition.inputs if c is not concept][0]
        click.echo(f"  plus {other.key} leads to {transition.result.key}")


@ontology.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "owl", "nt", "jsonld"]),
              default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@ontology_option
def ontology_export(fmt: str, output: str | None, ontology_path: str | None) -> None:
    """Export the ontology (owl = RDF/XML, loadable by owlready2 and Protégé)."""
    from ..ontology.reasoner import export

    text = export(_ontology(ontology_path).graph, fmt)
    if output:
        from ..io.output import write_text

        write_text(output, text)
    else:
        click.echo(text, nl=False)


@ontology.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@ontology_option
def ontology_check(fmt: str, ontology_path: str | None) -> None:
    """Run the HermiT reasoner (needs Java): consistency, unsatisfiable classes, inferences."""
    from ..ontology.reasoner import check

    report = check(_ontology(ontology_path).graph)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        state = "consistent" if report.consistent else "INCONSISTENT"
        click.echo(f"HermiT: the ontology is {state} ({report.classes} classes)")
        if report.message:
            click.echo(f"  {report.message}")
        click.echo(f"  unsatisfiable classes: {', '.join(report.unsatisfiable) or 'none'}")
        click.echo(f"  inferred subclass axioms: {len(report.inferred_subclass)}")
        for sub, sup in report.inferred_subclass:
            click.echo(f"    {sub} subClassOf {sup}")
        click.echo(f"  inferred types: {len(report.inferred_types)}")
        for ind, typ in report.inferred_types:
            click.echo(f"    {ind} a {typ}")
        click.echo(f"  inferred relations: {len(report.inferred_relations)}")
        for s, p, o in report.inferred_relations:
            click.echo(f"    {s} {p} {o}")
    if not report.consistent or report.unsatisfiable:
        sys.exit(1)


@ontology.command("build")
@click.option("--sources", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder with parrott.tsv, senses.tsv and seed_dependencies.tsv "
                   "(default: the ontology folder).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Turtle file to write (default: tone.ttl in the sources folder).")
def ontology_build(sources: str | None, output: str | None) -> None:
    """Rebuild tone.ttl from Parrott's tree and WordNet 3.0 (maintainers; extra 'vocab')."""
    from .._resources import data_dir
    from ..ontology.build import build_ontology, write_terms

    shipped = data_dir("ontology")
    folder = Path(sources) if sources else shipped
    installed = shipped.resolve().is_relative_to(Path(__file__).resolve().parents[1])
    if output is None and installed and folder == shipped:
        raise UsageError("give -o FILE: tone does not rewrite the files of an installed package "
                         "(run from a source checkout to rebuild the shipped tone.ttl)")
    out = Path(output) if output else folder / "tone.ttl"
    graph = build_ontology(folder / "parrott.tsv", folder, out)
    if not installed and out.resolve() == (shipped / "tone.ttl").resolve():
        write_terms(graph, Path(__file__).resolve().parents[1] / "ontology" / "_terms.py")
    click.echo(f"wrote {out} ({len(graph)} triples)")


@cli.command("sparql")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True)
@click.option("--store", default="rdflib", show_default=True, metavar="rdflib|oxigraph|DIR",
              help="Query engine over the ontology (oxigraph needs the 'fast' extra), or a "
                   "knowledge-graph store folder built by 'tone kg build' (write ./rdflib for a "
                   "folder of that name).")
@click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
              help="Add a domain pack's terms (ontolex:LexicalEntry, with source and pack) "
                   "and mappings to the ontology graph (repeatable).")
@ontology_option
def sparql(query: str, fmt: str, store: str, packs, ontology_path: str | None) -> None:
    """Run a SPARQL QUERY (or @file.rq) over the ontology, or over a knowledge-graph store.

    The prefixes tone:, rdf:, rdfs:, owl:, skos:, xsd: and dcterms: are bound; over a store
    also nif:, onyx: and meta:, and the default graph is the union of the store's graphs.
    With --pack, ontolex: too.
    """
    from ..ontology.sparql import format_result, run_query

    if query.startswith("@"):
        path = Path(query[1:])
        try:
            query = read_data_file(path).decode("utf-8-sig")  # a BOM (Notepad) is no query text
        except OSError as err:
            raise UsageError(f"{path}: cannot read the query file ({err.strerror})") from None
        except UnicodeDecodeError as err:
            raise DataFileError(f"byte offset {err.start}: invalid UTF-8 in the query file",
                                str(path)) from None
    if store not in ("rdflib", "oxigraph"):
        from ..kg.store import KnowledgeGraph

        if ontology_path or packs:
            raise UsageError("--ontology and --pack do not apply to a store: the store holds its own "
                             "ontology graph (rebuild it with tone kg build)")
        if not Path(store).is_dir():
            raise UsageError(f"--store {store!r}: expected rdflib, oxigraph or a store folder")
        with KnowledgeGraph(store, read_only=True) as kg:
            result = kg.query(query)
    else:
        onto = _ontology(ontology_path)
        if packs:
            from ..packs import load_packs
            from ..packs.graph import ONTOLEX, add_pack_graph

            add_pack_graph(onto, load_packs(packs))
            if not re.search(r"(?i)\bprefix\s+ontolex\s*:", query):
                query = f"PREFIX ontolex: <{ONTOLEX}>\n{query}"
        result = run_query(onto.graph, query, store=store)
    click.echo(format_result(result, fmt))
