"""The ``tone:`` namespace: IRIs of the concepts and properties, typo-proof.

``TONE`` is an rdflib ``DefinedNamespace``: a name the ontology does not define raises.

>>> from tone.ontology.namespace import TONE
>>> TONE.Joy
rdflib.term.URIRef('https://w3id.org/tone#Joy')
>>> TONE.Joyy
Traceback (most recent call last):
...
AttributeError: term 'Joyy' not in namespace 'https://w3id.org/tone#'
"""
from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from . import TONE_IRI
from ._terms import TERMS

__all__ = ["TONE", "TONE_IRI", "concept_local_names"]


def concept_local_names(keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Local names for concept keys ``(label, tier)``: the label in CamelCase, and where a label
    repeats across tiers, every tier after the first carries ``_<tier>``.

    >>> concept_local_names([("sadness", 1), ("sadness", 2), ("sadness", 3), ("fed up", 3)])
    {('sadness', 1): 'Sadness', ('sadness', 2): 'Sadness_2', ('sadness', 3): 'Sadness_3', ('fed up', 3): 'FedUp'}
    """
    seen: Counter[str] = Counter()
    names = {}
    for label, tier in sorted(keys, key=lambda key: key[1]):
        base = "".join(part.capitalize() for part in label.replace("-", " ").split())
        names[(label, tier)] = base if seen[base] == 0 else f"{base}_{tier}"
        seen[base] += 1
    return {key: names[key] for key in keys}


TONE = type(
    "TONE",
    (DefinedNamespace,),
    {
        "__annotations__": {name: URIRef for name in TERMS},
        "_NS": Namespace(TONE_IRI),
        "_fail": True,
        "__doc__": "The tone ontology's vocabulary (concepts, properties, classes).",
    },
)
