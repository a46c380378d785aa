"""From match evidence to emotion scores: tier roll-up, intensity and the top labels.

A document's valence, arousal and dominance are :mod:`tone.scoring.vad`'s.

Evidence ``E[d, c]`` is the sum of the (rule-adjusted) weights of the matches of concept ``c``
in document ``d``. A concept's rolled-up evidence adds the evidence of everything below it, so
a tertiary match counts for its secondary and primary too, and a match at the secondary tier
stays there (it never invents a tertiary). A score is ``1 - exp(-evidence)``: 0 without
evidence, rising towards 1 as evidence accumulates, independent per concept (mixed emotions
stay mixed). ``top`` holds the primaries whose score reaches ``TOP_RATIO`` of the best one
(ties are all kept); a document with no evidence has all-zero scores and ``top == []``.

>>> import numpy as np
>>> from tone.ontology import Ontology
>>> table = Ontology().table()
>>> fury = table.index("fury")
>>> scores = tier_scores(evidence_matrix(table, np.array([0]), np.array([fury]),
...                      np.array([1.0], dtype=np.float32), 1), table)
>>> round(float(scores[0, table.index("anger", 1)]), 3), round(float(scores[0, fury]), 3)
(0.632, 0.632)
"""
from __future__ import annotations

import numpy as np

__all__ = ["TOP_RATIO", "evidence_matrix", "rollup_matrix", "lineage", "tier_scores",
           "sparse_scores", "top_labels"]

TOP_RATIO = 0.5


def evidence_matrix(table, doc: np.ndarray, concept: np.ndarray, weight: np.ndarray,
                    n_docs: int) -> np.ndarray:
    """Sum match weights into an ``[n_docs, n_concepts]`` matrix."""
    evidence = np.zeros((n_docs, len(table)), dtype=np.float64)
    np.add.at(evidence, (doc, concept), weight.astype(np.float64))
    return evidence


def rollup_matrix(table) -> np.ndarray:
    """``R[c, a] = 1`` when ``a`` is ``c`` or an ancestor of ``c``; ``E @ R`` rolls evidence up."""
    cached = getattr(table, "_rollup", None)
    if cached is None:
        n = len(table)
        cached = np.zeros((n, n), dtype=np.float64)
        for c in range(n):
            cached[c, c] = 1.0
            for a in table.ancestors(c):
                cached[c, a] = 1.0
        table._rollup = cached
    return cached


def tier_scores(evidence: np.ndarray, table) -> np.ndarray:
    """Scores in [0, 1) of every concept of every document after the roll-up."""
    return 1.0 - np.exp(-(evidence @ rollup_matrix(table)))


def lineage(table) -> np.ndarray:
    """``[n_concepts, depth]``: each concept, then its ancestors, padded with -1."""
    cached = getattr(table, "_lineage", None)
    if cached is None:
        chains = [[c, *table.ancestors(c)] for c in range(len(table))]
        cached = np.full((len(table), max(map(len, chains))), -1, dtype=np.int64)
        for c, chain in enumerate(chains):
            cached[c, :len(chain)] = chain
        table._lineage = cached
    return cached


def sparse_scores(table, row: np.ndarray, concept: np.ndarray, weight: np.ndarray,
                  n_rows: int, direct: tuple | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`tier_scores` of the rows that have evidence, without a dense matrix: CSR arrays
    ``(ptr[n_rows + 1], concept, score)`` of the non-zero scores, concepts ascending per row.
    Each ``(row, concept, weight)`` entry counts for its concept and its ancestors (the same
    values as the dense path); ``direct = (row, concept, weight)`` entries are added at their
    concept only, after the roll-up (inferred composites, see :mod:`tone.infer`).

    >>> from tone.ontology import Ontology
    >>> table = Ontology().table()
    >>> ptr, col, val = sparse_scores(table, np.array([1]), np.array([table.index("fury")]),
    ...                               np.array([1.0], dtype=np.float32), 2)
    >>> ptr.tolist(), [table.labels[c] for c in col], np.round(val, 3).tolist()
    ([0, 0, 3], ['anger', 'rage', 'fury'], [0.632, 0.632, 0.632])
    """
    n_c = len(table)
    chains = lineage(table)[np.asarray(concept, dtype=np.int64)]
    keep = chains >= 0
    rows = np.broadcast_to(np.asarray(row, dtype=np.int64)[:, None], chains.shape)[keep]
    weights = np.broadcast_to(np.asarray(weight, dtype=np.float64)[:, None], chains.shape)[keep]
    keys, evidence = _sum_by_key(rows * n_c + chains[keep], weights)
    evidence = np.maximum(evidence, 0.0)
    if direct is not None:
        drow, dconcept, dweight = direct
        keys, evidence = _sum_by_key(
            np.concatenate([keys, np.asarray(drow, np.int64) * n_c + dconcept]),
            np.concatenate([evidence, np.asarray(dweight, np.float64)]))
    positive = evidence > 0
    keys, evidence = keys[positive], evidence[positive]
    ptr = np.searchsorted(keys // n_c, np.arange(n_rows + 1)).astype(np.int64)
    return ptr, keys % n_c, 1.0 - np.exp(-evidence)


def _sum_by_key(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (ascending) and the sum of the weights of each."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=weights, minlength=len(unique))


def top_labels(primary_scores: dict[str, float], ratio: float = TOP_RATIO) -> list[str]:
    """Primary labels judged present, best first (ties kept, in label order)."""
    best = max(primary_scores.values(), default=0.0)
    if best <= 0.0:
        return []
    chosen = [(score, label) for label, score in primary_scores.items() if score >= ratio * best]
    return [label for _, label in sorted(chosen, key=lambda item: (-item[0], item[1]))]
