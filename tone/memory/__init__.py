"""Emotional memory for agents built on language models: retrieval by meaning and by emotion.

:class:`Memory` holds texts with a semantic vector (yours, an embedder's, or TF-IDF) and tone's
emotion vector, and retrieves by one of the strategies of Emotional RAG (Huang et al. 2024):
see :mod:`tone.memory.store`. NumPy only; the neural embedders (``tone[neural]``) load only when
asked for by name.

>>> from tone.memory import Memory, STRATEGIES
>>> STRATEGIES
('semantic', 'combination-add', 'combination-multiply', 'sequential-semantic', 'sequential-emotion')
"""
from __future__ import annotations

from .store import (
    FULL_CONFIDENCE,
    SCALES,
    STRATEGIES,
    Hit,
    Memory,
    emotion_directions,
    emotion_vectors,
    rank,
)
from .tfidf import TfidfIndex

__all__ = ["FULL_CONFIDENCE", "SCALES", "STRATEGIES", "Hit", "Memory", "TfidfIndex",
           "emotion_directions", "emotion_vectors", "rank"]
