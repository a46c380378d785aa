"""A knowledge graph of annotations: the ontology and annotated corpora in one RDF store
(records become NIF 2.0 + Onyx triples through :mod:`tone.io.rdf`, as for the RDF writers).

* :mod:`tone.kg.store` — :class:`KnowledgeGraph`, the on-disk store (Oxigraph, or rdflib for
  small graphs) with its named graphs and SPARQL;
* :mod:`tone.kg.build` — :func:`build_store`, text or JSONL annotations into a store;
* :mod:`tone.kg.server` — a read-only SPARQL 1.1 Protocol endpoint over a store.

>>> from tone.kg import ONTOLOGY_GRAPH, CORPUS_GRAPH
>>> CORPUS_GRAPH
'https://w3id.org/tone/graph/corpus'
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["KnowledgeGraph", "LoadStats", "build_store", "is_store", "ONTOLOGY_GRAPH",
           "CORPUS_GRAPH"]

_LAZY = {
    "KnowledgeGraph": "tone.kg.store",
    "LoadStats": "tone.kg.store",
    "is_store": "tone.kg.store",
    "ONTOLOGY_GRAPH": "tone.kg.store",
    "CORPUS_GRAPH": "tone.kg.store",
    "build_store": "tone.kg.build",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tone.kg' has no attribute {name!r}")
