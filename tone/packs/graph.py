"""A pack's terms in the ontology graph, with their provenance, for SPARQL.

Each pack is a ``prov:Entity`` ``https://w3id.org/tone/pack/<name>`` with ``dcterms:title``,
``dcterms:description``, ``dcterms:license`` and one ``dcterms:source`` per citation. Each
overlay row is an OntoLex-lemon ``ontolex:LexicalEntry`` ``<pack IRI>/entry/<n>`` (``n`` its
row number in the overlay, from 1) with ``rdfs:label`` (the term, ``@en``), ``ontolex:evokes``
(the tone concept; none for a ``rejected`` row, which blocks the term), ``tone:weight``,
``tone:status``, ``dcterms:source`` (the row's source) and ``dcterms:isPartOf`` the pack.

>>> import tone
>>> onto = tone.Annotator(packs=["finance"]).ontology
>>> rows = onto.query('''
...     PREFIX ontolex: <http://www.w3.org/ns/lemon/ontolex#>
...     SELECT ?source WHERE { ?e rdfs:label "rekt"@en ; ontolex:evokes ?c ;
...                               dcterms:source ?source ; dcterms:isPartOf ?pack .
...                            ?c rdfs:subClassOf+ tone:Sadness }''')
>>> [str(r[0]) for r in rows]
['curated:finance']
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ONTOLEX",
    "PACK_IRI",
    "add_pack_graph",
    "add_pack_mappings",
    "pack_iri",
    "pack_triples",
]

PACK_IRI = "https://w3id.org/tone/pack/"
ONTOLEX = "http://www.w3.org/ns/lemon/ontolex#"


def pack_iri(name: str) -> str:
    return PACK_IRI + name


def pack_triples(pack, table) -> Iterable[tuple]:
    """The triples of one pack (rdflib terms)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

    from ..ontology.namespace import TONE_IRI

    node = URIRef(pack_iri(pack.name))
    evokes, entry_class = URIRef(ONTOLEX + "evokes"), URIRef(ONTOLEX + "LexicalEntry")
    weight, status = URIRef(TONE_IRI + "weight"), URIRef(TONE_IRI + "status")
    yield node, RDF.type, PROV.Entity
    yield node, DCTERMS.title, Literal(pack.title, lang="en")
    yield node, DCTERMS.description, Literal(pack.description, lang="en")
    yield node, DCTERMS.license, Literal(pack.licence)
    for source in pack.sources:
        yield node, DCTERMS.source, Literal(source)
    for n, row in enumerate(pack.lexicon_rows(table), start=1):
        entry = URIRef(f"{node}/entry/{n}")
        yield entry, RDF.type, entry_class
        yield entry, RDFS.label, Literal(row.term, lang="en")
        if row.status != "rejected":
            yield entry, evokes, URIRef(table.iris[table.index(row.concept, row.tier)])
        yield entry, weight, Literal(str(row.weight), datatype=XSD.decimal)
        yield entry, status, Literal(row.status)
        yield entry, DCTERMS.source, Literal(row.source)
        yield entry, DCTERMS.isPartOf, node


def add_pack_mappings(ontology, packs) -> None:
    """Add the packs' scheme mapping files to ``ontology.graph`` (loaded like the ontology's
    own files: never from the network; an ``owl:imports`` must name the loaded ontology or a
    file in the pack's folder) and forget the ontology's cached schemes."""
    from rdflib.util import guess_format

    from ..ontology._safeload import declared_ontologies, parse_file, resolve_imports

    def parse(path):
        return parse_file(path, guess_format(str(path)) or "turtle")

    loaded = [(path, pack.folder, parse(path)) for pack in packs for path in pack.mappings]
    imported = resolve_imports(loaded, parse, known=declared_ontologies(ontology.graph))
    for graph in [*(graph for _, _, graph in loaded), *imported]:
        ontology.graph += graph
    if loaded:
        ontology.__dict__.pop("_schemes", None)


def add_pack_graph(ontology, packs) -> None:
    """Add the packs' terms and mappings to ``ontology.graph`` (once per pack)."""
    graph = ontology.graph
    graph.bind("ontolex", ONTOLEX, override=False)
    table = ontology.table()
    added = getattr(ontology, "_packs_in_graph", set())
    fresh = [pack for pack in packs if pack.name not in added]
    for pack in fresh:
        for triple in pack_triples(pack, table):
            graph.add(triple)
        added.add(pack.name)
    add_pack_mappings(ontology, fresh)
    ontology._packs_in_graph = added
    ontology._pack_files = [*getattr(ontology, "_pack_files", ()),
                            *(path for pack in fresh for path in pack.files())]
