"""The TONE-style emotion ontology: Parrott's three tiers in RDF/OWL, with TONE's dependencies.

>>> from tone.ontology import Ontology
>>> [c.label for c in Ontology().roots]
['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']
"""
__all__ = ["Ontology", "Concept", "Transition", "TIER_NAMES", "TONE"]

TONE_IRI = "https://w3id.org/tone#"  # the tone: namespace (tone.ontology.namespace.TONE)


def __getattr__(name):  # rdflib loads on first use: the concept table (tone.ontology.table) needs none
    if name == "TONE":
        from .namespace import TONE

        return TONE
    if name in __all__:
        from . import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'tone.ontology' has no attribute {name!r}")
