"""The TONE-style emotion ontology: Parrott's three tiers in RDF/OWL, with TONE's dependencies.

>>> from tone.ontology import Ontology
>>> [c.label for c in Ontology().roots]
['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']
"""
from .graph import TIER_NAMES, Concept, Ontology, Transition

__all__ = ["Ontology", "Concept", "Transition", "TIER_NAMES", "TONE"]


def __getattr__(name):
    if name == "TONE":
        from .namespace import TONE

        return TONE
    raise AttributeError(f"module 'tone.ontology' has no attribute {name!r}")
