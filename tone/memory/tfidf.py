"""TF-IDF vectors in NumPy, stored as postings so a query touches only its own terms.

The weighting is scikit-learn's default (``TfidfVectorizer()``): tokens are runs of two or more
word characters, lowercased; a term's weight in a text is its count times ``idf = ln((1 + n) /
(1 + df)) + 1``; each text's vector is scaled to unit length. A text without any known token has
the zero vector.

The vectors are kept per term (the documents holding it and their weights, one flat array with
offsets), so the dot products of a query with all ``n`` texts cost one ``np.bincount`` over the
postings of the query's terms: a few hundred microseconds for 100,000 texts.

>>> index = TfidfIndex(["the cat sat", "the dog sat", "a cat and a dog"])
>>> index.vocabulary["cat"], len(index)
(1, 3)
>>> q = index.vector("cat")
>>> index.dot(q).round(3)
array([0.577, 0.   , 0.518])
>>> index.norms.round(3), index.vector("unknown words")
(array([1., 1., 1.]), (array([], dtype=int64), array([], dtype=float64)))
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["TfidfIndex", "tokens"]

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tokens(text: str) -> list[str]:
    """The lowercased tokens of ``text`` (two or more word characters)."""
    return _TOKEN.findall(text.lower())


class TfidfIndex:
    """TF-IDF over ``texts``: ``vocabulary`` (term -> id), ``idf`` per term, the postings, and
    ``norms`` (each text's vector length: 1, or 0 for a text without tokens)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vocabulary: dict[str, int] = {}
        term_ids, doc_ids, counts = [], [], []
        for d, text in enumerate(texts):
            for term, count in Counter(tokens(text)).items():
                term_ids.append(self.vocabulary.setdefault(term, len(self.vocabulary)))
                doc_ids.append(d)
                counts.append(count)
        self.n = len(texts)
        terms = np.asarray(term_ids, dtype=np.int64)
        docs = np.asarray(doc_ids, dtype=np.int64)
        df = np.bincount(terms, minlength=len(self.vocabulary))
        self.idf = np.log((1.0 + self.n) / (1.0 + df)) + 1.0
        weights = np.asarray(counts, dtype=np.float64) * self.idf[terms]
        norms = np.sqrt(np.bincount(docs, weights=weights * weights, minlength=self.n))
        weights = weights / np.where(norms > 0, norms, 1.0)[docs]
        self.norms = (norms > 0).astype(np.float64)
        order = np.argsort(terms, kind="stable")
        self.post_docs, self.post_weights = docs[order], weights[order]
        self.post_ptr = np.concatenate([[0], np.cumsum(df)])

    def __len__(self) -> int:
        return self.n

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``text``'s unit TF-IDF vector as (term ids, weights); terms outside the vocabulary
        are dropped, so a text with none of the vocabulary's terms gives empty arrays."""
        counts = Counter(t for t in tokens(text) if t in self.vocabulary)
        ids = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts)) * self.idf[ids]
        norm = np.sqrt(weights @ weights)
        return ids, (weights / norm if norm > 0 else weights)

    def dot(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The dot product of a query vector (:meth:`vector`) with every text's vector."""
        ids, weights = vector
        if not len(ids):
            return np.zeros(self.n)
        starts, ends = self.post_ptr[ids], self.post_ptr[ids + 1]
        lengths = ends - starts
        picks = np.repeat(ends - np.cumsum(lengths), lengths) + np.arange(lengths.sum())
        return np.bincount(self.post_docs[picks], minlength=self.n,
                           weights=self.post_weights[picks] * np.repeat(weights, lengths))
