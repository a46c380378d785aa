"""The provider protocols, cosine helpers and an in-memory word embedder.

A *word embedder* maps words to vectors and knows which words it has; a *text embedder* maps
whole texts (sentences, definitions) to vectors. A provider may be both. Everything here is
numpy only: the neural packages load in the concrete providers, on first use.

>>> emb = ArrayWordEmbedder(["happy", "glad", "sad"],
...                         [[1.0, 0.1], [0.9, 0.2], [-1.0, 0.1]])
>>> emb.known("Happy"), emb.known("angry")
(True, False)
>>> round(similarity(emb.embed_words(["happy"])[0], emb.embed_words(["glad"])[0]), 3)
0.993
>>> cosine_matrix(emb.embed_words(["happy", "sad"]), emb.embed_words(["glad"])).round(2)
array([[ 0.99],
       [-0.95]], dtype=float32)
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = [
    "ArrayWordEmbedder",
    "TextEmbedder",
    "WordEmbedder",
    "cosine_matrix",
    "normalize",
    "similarity",
]


@runtime_checkable
class WordEmbedder(Protocol):
    """Word vectors: ``embed_words(words) -> float32 array [n, dim]``.

    A word the provider does not know embeds as a row of zeros (so its cosine with anything
    is 0); ``known(word)`` tells the two apart. ``name`` and ``dim`` describe the provider.
    """

    name: str
    dim: int

    def embed_words(self, words: Sequence[str]) -> np.ndarray: ...

    def known(self, word: str) -> bool: ...


@runtime_checkable
class TextEmbedder(Protocol):
    """Sentence vectors: ``embed_texts(texts) -> float32 array [n, dim]``."""

    name: str
    dim: int

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray: ...


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        norm = float(np.linalg.norm(vectors))
        return vectors / norm if norm > 0 else vectors
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def similarity(a, b) -> float:
    """Cosine similarity of two vectors, in [-1, 1]; 0 when either is all zeros."""
    a, b = np.asarray(a, dtype=np.float32).ravel(), np.asarray(b, dtype=np.float32).ravel()
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of every row of ``a`` [n, d] with every row of ``b`` [m, d]: an [n, m] array."""
    return normalize(np.atleast_2d(a)) @ normalize(np.atleast_2d(b)).T


class ArrayWordEmbedder:
    """A word embedder over an in-memory vocabulary and matrix (row ``i`` is ``words[i]``).

    Lookups are case-insensitive (words are lowercased, as GloVe's vocabulary is). Used for
    tests and toy examples, and as the base of :class:`tone.providers.glove.GloveProvider`.
    """

    def __init__(self, words: Iterable[str], vectors, name: str = "array") -> None:
        self.words = [w.lower() for w in words]
        self.vectors = np.asarray(vectors, dtype=np.float32)
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.words):
            raise ValueError(f"expected a [{len(self.words)}, dim] matrix, got shape "
                             f"{self.vectors.shape}")
        self.index = {}
        for i, w in enumerate(self.words):
            self.index.setdefault(w, i)  # the first (most frequent) row wins
        self.name = name
        self.dim = int(self.vectors.shape[1])
        self._unit: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {len(self.words)} words x {self.dim}>"

    def known(self, word: str) -> bool:
        return word.lower() in self.index

    def embed_words(self, words: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(words), self.dim), dtype=np.float32)
        for row, word in enumerate(words):
            i = self.index.get(word.lower())
            if i is not None:
                out[row] = self.vectors[i]
        return out

    def vocabulary(self) -> list[str]:
        """The provider's words, in stored order (GloVe: most frequent first)."""
        return self.words

    def unit_vectors(self) -> np.ndarray:
        """The matrix with unit-length rows (computed once, for neighbour search)."""
        if self._unit is None:
            self._unit = normalize(self.vectors)
        return self._unit
