"""Embedding similarity between terms and emotion concepts, and embedding neighbours.

:func:`concept_similarity` returns the ``similarity`` callable that
:func:`tone.vocab.build` accepts: ``f(term, (label, tier)) -> [0, 1]``. :func:`neighbours`
lists a word's nearest words in a provider's vocabulary (candidate terms for a concept).

>>> from tone.providers import ArrayWordEmbedder
>>> emb = ArrayWordEmbedder(["rage", "anger", "fear", "dread", "joy", "bliss"],
...     [[1, 0, 0], [.9, .1, 0], [0, 1, 0], [.1, .9, .1], [0, 0, 1], [0, .1, .9]])
>>> f = concept_similarity(emb, {("anger", 1): ["anger"], ("fear", 1): ["fear", "dread"],
...                              ("joy", 1): ["joy"]})
>>> [key for key, score in f.nearest("rage", 2)]
[('anger', 1), ('fear', 1)]
>>> round(f("rage", ("anger", 1)), 3), f("rage", ("joy", 1)), f("unknown", ("joy", 1))
(0.994, 0.0, 0.0)
>>> [(w, round(s, 3)) for w, s in neighbours(emb, "bliss", k=2)]
[('joy', 0.994), ('dread', 0.218)]
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from tone.errors import UsageError

from .base import TextEmbedder, normalize
from .registry import get_provider

__all__ = [
    "DEFINITION_WEIGHT",
    "ConceptSimilarity",
    "build_similarity",
    "concept_similarity",
    "neighbours",
]

DEFINITION_WEIGHT = 0.5   # weight of the definition centroid against the seed-word centroid
_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
# function words dropped from definitions before averaging their word vectors
_STOP = frozenset(["a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "without", "as", "and", "or", "but", "not", "no", "is", "are", "was", "be", "been", "being", "that", "which", "who", "whom", "whose", "this", "these", "those", "it", "its", "their", "his", "her", "one", "ones", "someone", "something", "some", "any", "all", "such", "very", "more", "most", "less", "than", "so", "too", "into", "out", "up", "about", "over", "under", "feeling", "feelings", "emotion", "state", "quality", "sense", "experience"])


def _concept_entries(concepts) -> dict:
    """key (label, tier) -> (seed words, definition) from any accepted concept source."""
    out: dict = {}
    if hasattr(concepts, "concepts") and not isinstance(concepts, Mapping):  # an Ontology
        concepts = concepts.concepts
    if hasattr(concepts, "seeds") and hasattr(concepts, "parents"):  # a vocab ConceptTree
        for key in concepts.parents:
            out[tuple(key)] = (list(concepts.seeds.get(key, (key[0],))), "")
        return out
    if isinstance(concepts, Mapping):
        for key, value in concepts.items():
            key = _key(key)
            if isinstance(value, str):
                out[key] = ([key[0]], value)
            else:
                out[key] = (list(value) or [key[0]], "")
        return out
    for concept in concepts:  # tone.ontology Concept objects
        seeds = [concept.label] + sorted({c.label for c in getattr(concept, "children", ())}
                                         - {concept.label})
        out[(concept.label, int(concept.tier))] = (seeds, getattr(concept, "definition", ""))
    if not out:
        raise UsageError("no concepts: pass an Ontology, a ConceptTree, Concept objects or a "
                         "mapping {(label, tier): seed words or definition}")
    return out


def _key(key) -> tuple:
    if isinstance(key, str):
        label, _, tier = key.partition("@")
        return (label.lower(), int(tier or 3))
    return (str(key[0]).lower(), int(key[1]))


def _mean_unit(rows: np.ndarray) -> np.ndarray:
    """Mean of the non-zero rows after scaling each to unit length (zeros when none)."""
    rows = normalize(rows)
    keep = np.linalg.norm(rows, axis=1) > 0 if len(rows) else np.zeros(0, bool)
    if not keep.any():
        return np.zeros(rows.shape[1] if rows.ndim == 2 else 0, dtype=np.float32)
    return normalize(rows[keep].mean(axis=0))


class ConceptSimilarity:
    """``f(term, (label, tier)) -> [0, 1]``: the cosine between the term's vector and the
    concept's vector, negatives clipped to 0 (built by :func:`concept_similarity`).

    A term the provider cannot embed scores 0 with every concept, which leaves the builder's
    ranking of that term's concepts unchanged.
    """

    def __init__(self, provider, concepts, mode: str = "auto",
                 definition_weight: float = DEFINITION_WEIGHT) -> None:
        if mode == "auto":
            mode = "texts" if isinstance(provider, TextEmbedder) else "words"
        if mode not in ("words", "texts"):
            raise UsageError(f"mode must be 'auto', 'words' or 'texts', not {mode!r}")
        if mode == "words" and not hasattr(provider, "embed_words"):
            raise UsageError(f"provider {getattr(provider, 'name', provider)!r} embeds no words")
        self.provider, self.mode, self.definition_weight = provider, mode, definition_weight
        entries = _concept_entries(concepts)
        self.keys = sorted(entries, key=lambda k: (k[1], k[0]))
        self.row = {k: i for i, k in enumerate(self.keys)}
        if mode == "texts":
            texts = [f"{k[0]}: {entries[k][1]}" if entries[k][1] else ", ".join(entries[k][0])
                     for k in self.keys]
            self.matrix = normalize(provider.embed_texts(texts))
        else:
            self.matrix = np.stack([self._concept_vector(*entries[k]) for k in self.keys])
        self._terms: dict = {}

    def _words_vector(self, words: Iterable[str]) -> np.ndarray:
        words = list(words)
        if not words:
            return np.zeros(self.provider.dim, dtype=np.float32)
        return _mean_unit(self.provider.embed_words(words))

    def _concept_vector(self, seeds: Sequence[str], definition: str) -> np.ndarray:
        seed_words = [w for s in seeds for w in self._split(s)]
        seed = self._words_vector(seed_words)
        gloss = [w for w in _WORD.findall(definition.lower()) if w not in _STOP]
        gloss_vec = self._words_vector(gloss) * self.definition_weight
        return normalize(seed + gloss_vec)

    def _split(self, term: str) -> list[str]:
        term = term.lower().strip()
        if self.provider.known(term):
            return [term]
        return [w for w in re.split(r"[\s_-]+", term) if w and w not in _STOP] or [term]

    def term_vector(self, term: str) -> np.ndarray:
        """The term's unit vector (zeros when the provider knows none of its words)."""
        vec = self._terms.get(term)
        if vec is None:
            if self.mode == "texts":
                vec = normalize(self.provider.embed_texts([term])[0])
            else:
                vec = self._words_vector(self._split(term))
            self._terms[term] = vec
        return vec

    def __call__(self, term: str, concept) -> float:
        row = self.row.get(_key(concept))
        if row is None:
            return 0.0
        return max(0.0, min(1.0, float(self.matrix[row] @ self.term_vector(term))))

    def scores(self, term: str) -> np.ndarray:
        """Cosine of the term with every concept, in the order of :attr:`keys`."""
        return self.matrix @ self.term_vector(term)

    def nearest(self, term: str, k: int = 5, tier: int | None = None) -> list[tuple]:
        """The ``k`` concepts most similar to ``term`` (optionally of one tier):
        ``[((label, tier), cosine), ...]``, best first; empty when the term has no vector."""
        if not self.term_vector(term).any():
            return []
        scores = self.scores(term)
        order = sorted(range(len(self.keys)), key=lambda i: (-scores[i], self.keys[i]))
        picked = [i for i in order if tier is None or self.keys[i][1] == tier][:k]
        return [(self.keys[i], float(scores[i])) for i in picked]


def concept_similarity(provider, ontology_or_concepts, mode: str = "auto",
                       definition_weight: float = DEFINITION_WEIGHT) -> ConceptSimilarity:
    """A ``similarity`` callable for :func:`tone.vocab.build` from an embedding provider.

    Parameters
    ----------
    provider : WordEmbedder or TextEmbedder
        From :func:`tone.providers.get_provider`, or any object following the protocols.
    ontology_or_concepts : Ontology, ConceptTree, Concept objects or mapping
        The concepts: a :class:`tone.ontology.Ontology` (seed words = label and child labels,
        plus the ``skos:definition``), a :class:`tone.vocab.concepts.ConceptTree` (its seed
        words), or a mapping ``{(label, tier) or "label@tier": seed words or a definition}``.
    mode : {"auto", "words", "texts"}
        ``words``: a concept is the unit centroid of its seed-word vectors plus
        ``definition_weight`` times that of its definition's content words; a term is the
        centroid of its words. ``texts``: concept text ``"label: definition"`` (or its seed
        words) and the term go through ``embed_texts``. ``auto`` picks ``texts`` for a
        provider with ``embed_texts``.

    Returns
    -------
    ConceptSimilarity
        ``f(term, (label, tier))`` in [0, 1] (negative cosines clip to 0), with
        ``f.nearest(term, k)`` for inspection.
    """
    return ConceptSimilarity(provider, ontology_or_concepts, mode, definition_weight)


def neighbours(provider, word: str, k: int = 10, vocabulary: Sequence[str] | None = None,
               limit: int | None = None, alphabetic: bool = True) -> list[tuple[str, float]]:
    """The ``k`` words nearest to ``word`` by cosine: ``[(word, cosine), ...]``, best first.

    Searches ``vocabulary`` when given, else the provider's own (``provider.vocabulary()``,
    restricted to its first ``limit`` entries: GloVe's are sorted by frequency, so
    ``limit=50_000`` keeps common words). ``alphabetic`` skips entries that are not
    lowercase letters (with inner ``-`` or ``'``). The word itself is never returned; an
    unknown word has no neighbours.
    """
    word = word.lower()
    if not hasattr(provider, "embed_words") or not provider.known(word):
        return []
    query = normalize(provider.embed_words([word])[0])
    if vocabulary is not None:
        words = [w.lower() for w in vocabulary]
        matrix = normalize(provider.embed_words(words))
    elif hasattr(provider, "vocabulary"):
        words = provider.vocabulary()
        matrix = provider.unit_vectors() if hasattr(provider, "unit_vectors") else \
            normalize(provider.embed_words(words))
    else:
        raise UsageError(f"provider {getattr(provider, 'name', provider)!r} has no vocabulary "
                         "to search; pass vocabulary=[...]")
    if limit is not None:
        words, matrix = words[:limit], matrix[:limit]
    scores = matrix @ query
    out: list = []
    seen = {word}
    for i in np.argsort(-scores, kind="stable"):
        w = words[i]
        if w in seen or (alphabetic and not _WORD.fullmatch(w)) or not scores[i]:
            continue
        seen.add(w)
        out.append((w, float(scores[i])))
        if len(out) >= k:
            break
    return out


def build_similarity(name: str, parrott=None) -> ConceptSimilarity:
    """The ``similarity`` for :func:`tone.vocab.build` from provider ``name``, over the same
    concepts the builder uses: the tree in ``parrott`` when given, else the ontology (seed
    words plus definitions), else :func:`tone.vocab.concepts.load_concepts`.

    Used by ``tone vocab build --provider NAME``.
    """
    provider = get_provider(name)
    if parrott is None:
        try:
            from tone.ontology import Ontology

            return concept_similarity(provider, Ontology())
        except Exception:  # noqa: BLE001, S110 - fall back to the builder's own concept source
            pass
    from tone.vocab.concepts import load_concepts

    return concept_similarity(provider, load_concepts(parrott))
