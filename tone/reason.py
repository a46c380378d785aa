"""From match evidence to emotion scores: tier roll-up, VAD, intensity and the top labels.

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

__all__ = ["TOP_RATIO", "VALENCE_WORD_WEIGHT", "VALENCE_PRIOR", "evidence_matrix",
           "rollup_matrix", "tier_scores", "top_labels", "concept_vad", "valence_words",
           "doc_vad_matrix"]

TOP_RATIO = 0.5
#: weight of one valence word (``lexicons/en/valence.tsv``) against one unit of emotion evidence
#: in a document's valence; chosen on EmoBank train/dev (bench/ACCURACY.md)
VALENCE_WORD_WEIGHT = 1.0
#: weight of a neutral pseudo-observation (valence 0) in a document's valence: one word of
#: evidence moves the valence less than several agreeing ones (EmoBank train/dev)
VALENCE_PRIOR = 1.0


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


def top_labels(primary_scores: dict[str, float], ratio: float = TOP_RATIO) -> list[str]:
    """Primary labels judged present, best first (ties kept, in label order)."""
    best = max(primary_scores.values(), default=0.0)
    if best <= 0.0:
        return []
    chosen = [(score, label) for label, score in primary_scores.items() if score >= ratio * best]
    return [label for _, label in sorted(chosen, key=lambda item: (-item[0], item[1]))]


def concept_vad(table) -> np.ndarray:
    """``[n_concepts, 3]`` valence, arousal, dominance; a concept without values takes its
    nearest ancestor's, and stays NaN when no ancestor has any."""
    cached = getattr(table, "_vad_filled", None)
    if cached is None:
        vad = np.stack([table.valence, table.arousal, table.dominance], axis=1).astype(np.float64)
        for c in range(len(table)):
            if np.isnan(vad[c, 0]):
                for a in table.ancestors(c):
                    if not np.isnan(vad[a, 0]):
                        vad[c] = vad[a]
                        break
        table._vad_filled = cached = vad
    return cached


_VALENCE_CACHE: dict = {}


def _valence_lexicon(table, tokenize=None):
    """The valence list compiled as a lexicon whose rows point at joy@1 (positive) or
    sadness@1 (negative) with weight |valence|, so the matcher and the text rules (negation
    flips joy and sadness into each other, intensifiers, but, !, caps) treat valence words as
    they treat emotion words. Cached per file state, table and tokenizer; ``None`` when the
    list is missing."""
    from ._resources import data_dir

    path = data_dir("lexicons") / "en" / "valence.tsv"
    if not path.is_file():
        return None
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, id(table), tokenize)
    if key not in _VALENCE_CACHE:
        from .lexicon.compile import compile_lexicon
        from .lexicon.rows import LexiconRow
        from .vocab.valence import read_valence

        rows = [LexiconRow(term, "joy" if value > 0 else "sadness", 1, abs(float(value)),
                           kind="word", source=source, score=float(value), status="accepted")
                for term, value, source in read_valence(path) if value != 0.0]
        _VALENCE_CACHE.clear()
        _VALENCE_CACHE[key] = compile_lexicon(rows, table, tokenize=tokenize)
    return _VALENCE_CACHE[key]


def valence_words(table, batch, rules=None, tokenize=None):
    """Valence-word evidence of a token batch: ``(doc, tok_start, value)`` arrays, value =
    the word's valence after the text rules (sign flipped under negation, scaled by
    intensifiers, contrast, modality, emphasis). Empty when there is no valence list."""
    from .lexicon.match import match

    lexicon = _valence_lexicon(table, tokenize)
    if lexicon is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    found = match(lexicon, batch)
    joy = table.index("joy", 1)
    if rules is not None and len(found):
        effects = rules.apply(batch, found)
        concept, weight = effects.concept, effects.weight
    else:
        concept, weight = found.concept, found.weight
    sign = np.where(concept == joy, 1.0, -1.0)
    value = sign * np.maximum(np.nan_to_num(weight.astype(np.float64)), 0.0)
    return found.doc.astype(np.int64), found.tok_start.astype(np.int64), value


def doc_vad_matrix(table, doc: np.ndarray, concept: np.ndarray, weight: np.ndarray,
                   n_docs: int, words: tuple | None = None) -> np.ndarray:
    """``[n_docs, 3]`` VAD of each document (rounded to 4 places).

    Arousal and dominance: the weighted mean over the document's matched concepts. Valence:
    ``(sum of w*v over concepts + VALENCE_WORD_WEIGHT * sum of word valences) /
    (sum of w + VALENCE_WORD_WEIGHT * number of valence words + VALENCE_PRIOR)``, where
    ``words = (doc, value)`` (or :func:`valence_words`' triple) are the valence words; the
    prior (a neutral observation) counts only when the document has any evidence. All zero
    for a document with neither evidence nor valence words."""
    vad = concept_vad(table)[concept]
    known = ~np.isnan(vad[:, 0]) & (weight > 0)
    w = np.where(known, weight, 0.0).astype(np.float64)
    sums = np.zeros((n_docs, 3))
    np.add.at(sums, doc, np.nan_to_num(vad) * w[:, None])
    totals = np.zeros(n_docs)
    np.add.at(totals, doc, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(totals[:, None] > 0, sums / totals[:, None], 0.0)
    if words is not None:
        wdoc, wvalue = np.asarray(words[0], dtype=np.int64), np.asarray(words[-1], np.float64)
        vsum, vcount = sums[:, 0].copy(), totals.copy()
        np.add.at(vsum, wdoc, VALENCE_WORD_WEIGHT * wvalue)
        np.add.at(vcount, wdoc, VALENCE_WORD_WEIGHT)
        denom = vcount + np.where(vcount > 0, VALENCE_PRIOR, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[:, 0] = np.where(denom > 0, vsum / denom, 0.0)
    return np.round(mean, 4)
