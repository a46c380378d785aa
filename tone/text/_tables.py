"""Lookup tables for the tokenizer kernels (numpy only; no numba, no spaCy).

Built once per process on first use:

* ``cls`` (uint32[0x110000]): a bit set of character classes per code point
  (whitespace, spaCy's ALPHA / ALPHA_LOWER / ALPHA_UPPER, prefix / suffix / infix
  characters, quotes, Extended_Pictographic, Unicode letter / digit / mark / case ...).
* ``lower`` (int32[0x110000]): simple lowercase mapping (a code point whose
  ``str.lower()`` is not a single character maps to itself).
* the special-case table (spaCy's English tokenizer exceptions plus our extra
  emoticons), the unit/currency table and the lemma table.

The Unicode part costs ~0.4 s of Python; it is cached as ``.npz`` in
``$NUMBA_CACHE_DIR/tone`` or ``~/.cache/tone`` (``TONE_CACHE_DIR`` wins).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import _emoji_data, _spacy_data

TABLES_VERSION = 3
N_CP = 0x110000

# character class bits (keep in sync with _kernel.py)
C_SPACE = 1 << 0
C_ALPHA = 1 << 1
C_ALOWER = 1 << 2
C_AUPPER = 1 << 3
C_ICON = 1 << 4  # spaCy icon: a one-character prefix, suffix and infix
C_PREFIX = 1 << 5  # a one-character prefix (context free)
C_SUFFIX = 1 << 6  # a one-character suffix (context free)
C_QUOTE = 1 << 7
C_DOTLB = 1 << 8  # may precede a "." suffix
C_EP = 1 << 9  # Extended_Pictographic
C_LETTER = 1 << 10
C_DIGIT = 1 << 11
C_MARK = 1 << 12
C_UUPPER = 1 << 13
C_ULOWER = 1 << 14
C_WORD = 1 << 15  # \w
C_PUNCT = 1 << 16  # Unicode P*
C_SYMBOL = 1 << 17  # Unicode S*

#: U+2019 RIGHT SINGLE QUOTATION MARK, the apostrophe of typeset and phone-keyboard text
#: ("can’t", "I’m"): token keys fold it to the ASCII apostrophe, so "n’t" is the key of "n't" and
#: every lexicon term, rule cue and idiom written with ' also matches text written with ’.
APOSTROPHE = 0x2019
C_EMOJI_COMP = 1 << 18  # emoji components: VS15/16, skin tones, tags, keycap
C_INFIXC = 1 << 19  # may start an infix match

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = 0xFFFFFFFFFFFFFFFF

# Emoticons beyond spaCy's list (spaCy's 129 are in _spacy_data.EMOTICONS). These
# become one-token special cases too.
EXTRA_EMOTICONS = (
    ":‑)", ":‑(", ":‑D", ">:)", ">:D", ">:-)", ">:-(", ">_<", ">.<", "T_T", "T.T", "TT_TT",
    ";_;", ";(", ";-(", ":'D", "^^", "^.^", "^-^", "-.-", "=P", "=p", ":b", ";P", ";p", ";-P",
    ";-p", "xP", "XP", ":S", ":-S", ":s", ":$", ":@", "D8", "DX", ":c", ":-c",
    "\\o/", "o/", "\\o", "<\\3", ":')", ":'-D", "B)", "B-)", ":L", ":-L", "0:)", "O:)", "O:-)",
    "3:)", "}:)", ":-#", ":#", "%)", "%-)", "<(^_^)>", "(^.^)", "(^-^)", "(T_T)", "(;_;)",
    "ʘ‿ʘ", "◕‿◕", "(◕‿◕)", "¯\\_(ツ)_/¯", "ヽ(´▽`)/", "(╥﹏╥)", "(ง'̀-'́)ง",
)


def cache_dir() -> Path:
    env = os.environ.get("TONE_CACHE_DIR")
    if env:
        return Path(env)
    nb = os.environ.get("NUMBA_CACHE_DIR")
    if nb:
        return Path(nb) / "tone"
    return Path.home() / ".cache" / "tone"


def _mark_ranges(arr: np.ndarray, ranges, bit: int) -> None:
    for lo, hi in ranges:
        arr[lo : hi + 1] |= bit


def _build_unicode() -> tuple[np.ndarray, np.ndarray]:
    cls = np.zeros(N_CP, np.uint32)
    lower = np.arange(N_CP, dtype=np.int32)
    cat_bits = {"L": C_LETTER, "N": 0, "M": C_MARK, "P": C_PUNCT, "S": C_SYMBOL}
    for cp in range(N_CP):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        b = cat_bits.get(cat[0], 0)
        if cat == "Nd":
            b |= C_DIGIT
        if cat == "Lu" or cat == "Lt":
            b |= C_UUPPER
        elif cat == "Ll":
            b |= C_ULOWER
        if ch.isspace():
            b |= C_SPACE
        if b & (C_LETTER | C_MARK) or cat[0] == "N" or cp == 0x5F:
            b |= C_WORD
        if b:
            cls[cp] = b
        if b & C_UUPPER:
            lo = ch.lower()
            if len(lo) == 1:
                lower[cp] = ord(lo)
    return cls, lower


def _unicode_tables() -> tuple[np.ndarray, np.ndarray]:
    path = cache_dir() / (
        "unicode-v%d-%s-py%d%d.npz"
        % (TABLES_VERSION, unicodedata.unidata_version, sys.version_info[0], sys.version_info[1])
    )
    try:
        with np.load(path) as z:
            return z["cls"], z["lower"]
    except Exception:
        pass
    cls, lower = _build_unicode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp%d.npz" % os.getpid())
        np.savez(tmp, cls=cls, lower=lower)
        os.replace(tmp, path)
    except OSError:
        pass
    return cls, lower


@lru_cache(maxsize=None)
def char_tables() -> tuple[np.ndarray, np.ndarray]:
    """Return ``(cls, lower)``: class bits and lowercase map over all code points (the map
    also folds the typographic apostrophe, :data:`APOSTROPHE`, to ``'``)."""
    cls, lower = _unicode_tables()
    cls = cls.copy()
    d = _spacy_data
    _mark_ranges(cls, d.ALPHA, C_ALPHA)
    _mark_ranges(cls, d.ALPHA_LOWER, C_ALOWER)
    _mark_ranges(cls, d.ALPHA_UPPER, C_AUPPER)
    _mark_ranges(cls, d.INFIX_CHARS, C_ICON)
    _mark_ranges(cls, d.PREFIX_CHARS, C_PREFIX)
    _mark_ranges(cls, d.SUFFIX_CHARS, C_SUFFIX)
    _mark_ranges(cls, d.QUOTE_CLASS, C_QUOTE)
    _mark_ranges(cls, d.SUFFIX_DOT_LOOKBEHIND, C_DOTLB)
    _mark_ranges(cls, _emoji_data.EXTENDED_PICTOGRAPHIC, C_EP)
    _mark_ranges(
        cls,
        [(0xFE0E, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0x20E3, 0x20E3)],
        C_EMOJI_COMP,
    )
    for ch in ".\u2026,-\u2013\u2014~:<>=/+*^":
        cls[ord(ch)] |= C_INFIXC
    cls[0x1F1E6 : 0x1F200] |= C_INFIXC
    cls[(cls & C_ICON) != 0] |= C_INFIXC
    lower = lower.copy()
    lower[APOSTROPHE] = ord("'")
    return cls, lower


# ---------------------------------------------------------------------------
# string hash tables (exact code point sequences)


def cp_hash(s: str) -> int:
    """Hash of a code point sequence (same as ``_kernel.hash_cps``)."""
    h = FNV_OFFSET
    for ch in s:
        h ^= ord(ch)
        h = (h * FNV_PRIME) & MASK64
    return h


def _string_table(strings: list[str]):
    """Open-addressing table: keys, vals (index into strings, -1 empty), str_ptr, str_cp."""
    size = 1
    while size < 2 * len(strings) + 2:
        size *= 2
    keys = np.zeros(size, np.uint64)
    vals = np.full(size, -1, np.int32)
    ptr = np.zeros(len(strings) + 1, np.int64)
    cps: list[int] = []
    for k, s in enumerate(strings):
        h = cp_hash(s)
        i = h & (size - 1)
        while vals[i] >= 0:
            i = (i + 1) & (size - 1)
        keys[i] = h
        vals[i] = k
        cps.extend(ord(c) for c in s)
        ptr[k + 1] = len(cps)
    maxlen = max((len(s) for s in strings), default=0)
    return keys, vals, ptr, np.asarray(cps, np.int32), maxlen


def _unesc(s: str) -> str:
    return s.replace("\\", "") if len(s) > 1 else s


@lru_cache(maxsize=None)
def special_table():
    """spaCy's English exceptions + extra emoticons.

    Returns ``(keys, vals, str_ptr, str_cp, maxlen, split_ptr, split_len, flags)``;
    flags bit 1: emoticon, bit 2: contains an affix (handled by the post-pass matcher).
    """
    exc = dict(_spacy_data.EXCEPTIONS)
    emo = set(_spacy_data.EMOTICONS) | set(EXTRA_EMOTICONS)
    for e in EXTRA_EMOTICONS:
        exc.setdefault(e, (e,))
    affix = set(_spacy_data.AFFIX_EXCEPTIONS)
    strings = sorted(exc)
    keys, vals, ptr, cps, maxlen = _string_table(strings)
    split_ptr = np.zeros(len(strings) + 1, np.int64)
    split_len: list[int] = []
    flags = np.zeros(len(strings), np.uint8)
    for k, s in enumerate(strings):
        split_len.extend(len(p) for p in exc[s])
        split_ptr[k + 1] = len(split_len)
        flags[k] = (1 if s in emo else 0) | (2 if s in affix else 0)
    return keys, vals, ptr, cps, maxlen, split_ptr, np.asarray(split_len, np.int32), flags


@lru_cache(maxsize=None)
def unit_table():
    """Units and currencies that split off after a digit (``10km`` -> ``10 km``)."""
    strings = sorted(set(_spacy_data.UNITS) | set(_spacy_data.CURRENCY))
    keys, vals, ptr, cps, maxlen = _string_table(strings)
    return keys, vals, ptr, cps, maxlen


def emoticons() -> frozenset[str]:
    """All strings tokenized and classified as EMOTICON."""
    return frozenset(_spacy_data.EMOTICONS) | frozenset(EXTRA_EMOTICONS)


def lemma_source() -> str:
    """The path of the shipped ``lexicons/en/lemma_lookup.json.gz``: spacy-lookups-data 1.0.5's
    ``en_lemma_lookup`` (MIT, see lexicons/README.md), shipped so that its 99 MB package is not
    needed at run time."""
    from .._resources import data_dir

    return str(data_dir("lexicons") / "en" / "lemma_lookup.json.gz")


def lemma_pairs() -> tuple[list[str], list[str]]:
    """(forms, lemmas) of the shipped ``en_lemma_lookup``; lowercase forms win."""
    path = lemma_source()
    if not path:
        return [], []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table = json.load(f)
    # forms whose lowercase collides: lowercase entries first, then the rest
    items = sorted(table.items(), key=lambda kv: (kv[0] != kv[0].lower(), kv[0]))
    forms, lemmas = [], []
    for form, lemma in items:
        forms.append(form)
        lemmas.append(lemma.lower() if form == form.lower() else lemma)
    return forms, lemmas
