"""Offline builders of the emotion vocabulary: the lexicon builder, review loop, concept VAD
and statistics. Needs the ``vocab`` extra (nltk) and WordNet 3.0 data for :func:`build`.
"""
from __future__ import annotations

__all__ = ["build", "review", "stats"]


def build(*args, **kwargs):
    """Build the lexicon; see :func:`tone.vocab.builder.build`."""
    from tone.vocab.builder import build as _build

    return _build(*args, **kwargs)


def review(*args, **kwargs):
    """List pending rows; see :func:`tone.vocab.review.review`."""
    from tone.vocab.review import review as _review

    return _review(*args, **kwargs)


def stats(*args, **kwargs):
    """Lexicon statistics; see :func:`tone.vocab.stats.stats`."""
    from tone.vocab.stats import stats as _stats

    return _stats(*args, **kwargs)
