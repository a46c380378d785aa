"""The lexicon tone uses when none is given: the shipped ``lexicons/en/lexicon.tsv``, or, where
that file is absent, a seed lexicon made of the ontology's own labels.

>>> from tone.ontology import Ontology
>>> rows = seed_rows(Ontology())
>>> len(rows), rows[0].source
(135, 'ontology-label')
"""
from __future__ import annotations

from pathlib import Path

from .._resources import data_dir
from .rows import LexiconRow, read_lexicon

__all__ = ["default_lexicon_path", "default_rows", "seed_rows"]


def default_lexicon_path(lang: str = "en") -> Path:
    return data_dir("lexicons") / lang / "lexicon.tsv"


def seed_rows(ontology) -> list[LexiconRow]:
    """One row per label, for its most specific concept (the tertiary *sadness*, not the
    secondary or primary), weight 1 (``source = ontology-label``)."""
    deepest = {}
    for c in ontology.concepts:
        if c.label not in deepest or c.tier > deepest[c.label].tier:
            deepest[c.label] = c
    return [LexiconRow(c.label, c.label, c.tier, 1.0, kind="phrase" if " " in c.label else "word",
                       source="ontology-label", score=1.0, status="accepted")
            for c in sorted(deepest.values(), key=lambda c: (c.tier, c.label))]


def default_rows(ontology, lang: str = "en") -> list[LexiconRow]:
    path = default_lexicon_path(lang)
    return read_lexicon(path) if path.is_file() else seed_rows(ontology)
