"""A document's valence, arousal and dominance (VAD) from its matches and valence words.

Arousal and dominance are the weighted mean of the matched concepts' VAD
(``lexicons/en/concept_vad.tsv`` through the ontology); valence also counts the words of
``lexicons/en/valence.tsv``, which feed nothing else.

>>> import numpy as np
>>> from tone.ontology import Ontology
>>> table = Ontology().table()
>>> fury = table.index("fury")
>>> vad = doc_vad_matrix(table, np.array([0]), np.array([fury]),
...                      np.array([1.0], dtype=np.float32), 1)
>>> bool(vad[0, 0] < 0 and vad[0, 1] > 0)
True
"""
from __future__ import annotations

import functools
import hashlib

import numpy as np

__all__ = ["VALENCE_WORD_WEIGHT", "VALENCE_PRIOR", "NEGATION_VALENCE", "NEUTRAL_AD",
           "concept_vad", "valence_lexicon", "valence_words", "doc_vad_matrix"]

#: weight of one valence word (``lexicons/en/valence.tsv``) against one unit of emotion evidence
#: in a document's valence; chosen on EmoBank train/dev (bench/ACCURACY.md)
VALENCE_WORD_WEIGHT = 1.0
#: weight of a neutral pseudo-observation (valence 0) in a document's valence: one word of
#: evidence moves the valence less than several agreeing ones (EmoBank train/dev)
VALENCE_PRIOR = 1.5
#: valence of a negator (the rules' ``negator`` class of ``lexicons/en/modifiers.tsv``: not,
#: n't, never, without ...) counted as a valence word of its own: negation is itself a cue of
#: negative evaluation (Potts 2010, "On the negativity of negation"), also when no valence word
#: is in its scope ("I didn't know what to do"); chosen on EmoBank train/dev (bench/ACCURACY.md)
NEGATION_VALENCE = -0.3
#: ignore valence words capitalised inside a sentence (names: *United Nations*, *Hope Street*)
SKIP_PROPER_NAMES = True


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


def valence_lexicon(table, tokenize=None, idioms=(), words=None):
    """The valence list compiled as a lexicon whose rows point at joy@1 (positive) or
    sadness@1 (negative) with weight |valence|, so the matcher and the text rules (negation
    flips joy and sadness into each other, intensifiers, but, !, caps) treat valence words as
    they treat emotion words. The negators of ``modifiers.tsv`` join with valence
    :data:`NEGATION_VALENCE` (source ``negator``) unless the list rates them itself ("no").
    ``idioms`` (:attr:`tone.rules.RuleSet.idioms`: ``(phrase, label, tier, weight, name)``)
    join as valence phrases, value = the concept's valence x the idiom's weight ("can't wait"
    is positive, and its "n't" no longer counts as a negator). ``words``: ``(term, valence,
    source)`` rows that replace the shipped list (see :func:`user_valence`). Cached per file
    state, table, tokenizer, idioms and words (the shipped list with the fast tokenizer also on
    disk, :mod:`tone.cache`); ``None`` when the list is missing."""
    from .._resources import data_dir

    path = data_dir("lexicons") / "en" / "valence.tsv"
    if words is None and not path.is_file():
        return None
    modifiers = data_dir("lexicons") / "en" / "modifiers.tsv"
    state = [(str(p), p.stat().st_mtime_ns, p.stat().st_size)
             for p in (path, modifiers) if p.is_file()]
    idioms = tuple(idioms)
    key = (tuple(state), NEGATION_VALENCE, id(table), tokenize, idioms, words)
    if key not in _VALENCE_CACHE:
        build = functools.partial(_compile_valence, path, modifiers, table, tokenize, idioms,
                                  words)
        if tokenize is None and words is None:  # the shipped list: from the on-disk cache
            from ..cache import cached

            settings = repr((NEGATION_VALENCE, idioms)).encode()
            lexicon = cached("valence", [path, modifiers, hashlib.sha256(settings).hexdigest(),
                                         _table_digest(table)], build)
        else:
            lexicon = build()
        _VALENCE_CACHE.clear()
        _VALENCE_CACHE[key] = lexicon
    return _VALENCE_CACHE[key]


def _table_digest(table) -> str:
    """A hash of the concept table's content (the valence lexicon is compiled against it)."""
    digest = hashlib.sha256("\0".join([*table.labels, *table.iris]).encode())
    for array in (table.tiers, table.parent, table.opposite, table.valence, table.arousal,
                  table.dominance):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _compile_valence(path, modifiers, table, tokenize, idioms, words):
    """The valence lexicon of :func:`valence_lexicon`, compiled."""
    from ..lexicon.compile import compile_lexicon
    from ..lexicon.rows import LexiconRow
    from ..vocab.valence import read_valence

    rows = [LexiconRow(term, "joy" if value > 0 else "sadness", 1, abs(float(value)),
                       kind="word", source=source, score=float(value), status="accepted")
            for term, value, source in (read_valence(path) if words is None else words)
            if value != 0.0]
    if NEGATION_VALENCE and modifiers.is_file():
        from ..rules.modifiers import read_modifiers

        rated = {row.term for row in rows}
        value = float(NEGATION_VALENCE)
        for cue, _weight in read_modifiers(modifiers).get("negator", []):
            if cue not in rated:
                rated.add(cue)
                rows.append(LexiconRow(cue, "joy" if value > 0 else "sadness", 1,
                                       abs(value), kind="phrase" if " " in cue else "word",
                                       source="negator", score=value, status="accepted"))
    if idioms:
        vad = concept_vad(table)
        phrases = {term for term, *_ in idioms}
        rows = [row for row in rows if row.term not in phrases]
        for term, label, tier, weight, name in idioms:
            value = float(np.nan_to_num(vad[table.index(label, tier), 0])) * float(weight)
            if value != 0.0:
                rows.append(LexiconRow(term, "joy" if value > 0 else "sadness", 1,
                                       min(abs(value), 1.0),
                                       kind="phrase" if " " in term else "word",
                                       source=f"rules:{name}", score=value,
                                       status="accepted"))
    return compile_lexicon(rows, table, tokenize=tokenize)


def user_valence(source) -> tuple:
    """``(term, valence, source)`` rows from a user's valence list, for
    ``Annotator(valence=...)``: an NRC VAD file (path; :func:`tone.lexicon.loaders.load_nrc_vad`)
    or its entries, or ``(term, valence)`` pairs. Valence must lie in [-1, 1]; a list whose
    values all lie in [0, 1] (NRC VAD v1, which rates 0..1 with 0.5 neutral) is rescaled to
    ``2v - 1``. Terms are lowercased; the arousal and dominance of VAD entries are not used (a
    document's arousal and dominance come from its emotion concepts).

    >>> user_valence([("sunny", 0.9), ("gloomy", 0.1)])
    (('sunny', 0.8, 'user'), ('gloomy', -0.8, 'user'))
    """
    from ..errors import UsageError

    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        from ..lexicon.loaders import load_nrc_vad

        name = str(source)
        pairs = [(entry[0], float(entry[1])) for entry in load_nrc_vad(source)]
    else:
        name = "user"
        pairs = [(str(item[0]), float(item[1])) for item in source]
    if not pairs:
        raise UsageError("the valence list is empty")
    values = [v for _, v in pairs]
    if min(values) < -1.0 or max(values) > 1.0:
        raise UsageError(f"valence must lie in [-1, 1] (or all in [0, 1]); {name} has "
                         f"values from {min(values)} to {max(values)}")
    unit = min(values) >= 0.0
    label = "nrc-vad" if name != "user" else "user"
    return tuple((term.lower(), round(2 * v - 1, 4) if unit else v, label)
                 for term, v in pairs)


def valence_words(table, batch, rules=None, tokenize=None, found=None, effects=None):
    """Valence-word evidence of a token batch: ``(doc, tok_start, value)`` arrays, value =
    the word's valence after the text rules (sign flipped under negation, scaled by
    intensifiers, contrast, modality, emphasis). Empty when there is no valence list.

    ``found`` (the matches of :func:`valence_lexicon`) and ``effects`` (the rules' effects on
    them) may come from the caller, who can then rule them with the emotion words in one
    kernel call (:meth:`tone.rules.RuleSet.apply_each`)."""
    from ..lexicon.match import match

    if found is None:
        lexicon = valence_lexicon(table, tokenize)
        if lexicon is None:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        found = match(lexicon, batch)
    joy = table.index("joy", 1)
    if effects is None and rules is not None and len(found):
        effects = rules.apply(batch, found)
    if effects is not None:
        concept, weight = effects.concept, effects.weight
    else:
        concept, weight = found.concept, found.weight
    sign = np.where(concept == joy, 1.0, -1.0)
    value = sign * np.maximum(np.nan_to_num(weight.astype(np.float64)), 0.0)
    doc, tok = found.doc.astype(np.int64), found.tok_start.astype(np.int64)
    if SKIP_PROPER_NAMES and len(tok):
        keep = ~_in_proper_name(batch, tok)
        doc, tok, value = doc[keep], tok[keep], value[keep]
    return doc, tok, value


def _in_proper_name(batch, tok: np.ndarray) -> np.ndarray:
    """True for a token that starts with a capital (Title case) after a word of the same
    sentence: part of a name in running text (*United Nations*, *Liberty Bell*, *Hope*)."""
    from ..text import TITLE
    from ..text.kinds import WORD

    tok = np.asarray(tok, dtype=np.int64)
    title = (batch.flags[tok] & TITLE) != 0
    prev = np.maximum(tok - 1, 0)
    sentence_start = np.isin(tok, batch.sent_ptr)
    return title & (tok > 0) & ~sentence_start & (batch.kind[prev] == WORD)


NEUTRAL_AD = 0.5  # arousal and dominance of a text without emotion concepts: mid-scale


def doc_vad_matrix(table, doc: np.ndarray, concept: np.ndarray, weight: np.ndarray,
                   n_docs: int, words: tuple | None = None) -> np.ndarray:
    """``[n_docs, 3]`` VAD of each document (rounded to 4 places).

    Arousal and dominance: the weighted mean over the document's matched concepts. Valence:
    ``(sum of w*v over concepts + VALENCE_WORD_WEIGHT * sum of word valences) /
    (sum of w + VALENCE_WORD_WEIGHT * number of valence words + VALENCE_PRIOR)``, where
    ``words = (doc, value)`` (or :func:`valence_words`' triple) are the valence words; the
    prior (a neutral observation) counts only when the document has any evidence. A document
    without emotion concepts is neutral on each scale: valence 0 (unless valence words say
    otherwise), arousal and dominance :data:`NEUTRAL_AD`, the midpoint of their [0, 1] scale
    (0 would mean "as calm and as powerless as can be")."""
    vad = concept_vad(table)[concept]
    known = ~np.isnan(vad[:, 0]) & (weight > 0)
    w = np.where(known, weight, 0.0).astype(np.float64)
    doc = np.asarray(doc, dtype=np.int64)
    weighted = np.nan_to_num(vad) * w[:, None]
    sums = np.stack([np.bincount(doc, weights=weighted[:, k], minlength=n_docs)
                     for k in range(3)], axis=1) if n_docs else np.zeros((0, 3))
    totals = np.bincount(doc, weights=w, minlength=n_docs).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(totals[:, None] > 0, sums / totals[:, None],
                        np.array([0.0, NEUTRAL_AD, NEUTRAL_AD]))
    if words is not None:
        wdoc, wvalue = np.asarray(words[0], dtype=np.int64), np.asarray(words[-1], np.float64)
        vsum = sums[:, 0] + np.bincount(wdoc, weights=VALENCE_WORD_WEIGHT * wvalue,
                                        minlength=n_docs)
        vcount = totals + VALENCE_WORD_WEIGHT * np.bincount(wdoc, minlength=n_docs)
        denom = vcount + np.where(vcount > 0, VALENCE_PRIOR, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[:, 0] = np.where(denom > 0, vsum / denom, 0.0)
    return np.round(mean, 4)
