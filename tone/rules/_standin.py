"""A tiny regex tokenizer with the field names of ``tone.text.TokenBatch``, for tests and examples.

It exists so that the rule engine can be exercised before (and independently of) the real
tokenizer: same arrays, same flag/kind meaning, its own 64-bit keys. Keys of the stand-in are
not the keys of ``tone.text``; never mix the two in one :class:`~tone.rules.RuleSet`.

>>> b = tokenize(["I don't feel HAPPY!!", "sooo good"])
>>> b.doc_ptr.tolist()
[0, 7, 9]
>>> [b.text(i) for i in range(len(b.key))]
['I', 'do', "n't", 'feel', 'HAPPY', '!', '!', 'sooo', 'good']
>>> bool(b.flags[4] & CAPS), bool(b.flags[7] & ELONGATED), bool(b.flags[7] & SENT_START)
(True, True, True)
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from tone.lexicon.match import Matches  # the real matcher's result type

__all__ = ["TokenBatch", "tokenize", "token_key", "make_matches", "Matches",
           "CAPS", "ELONGATED", "SENT_START", "WORD", "PUNCT", "NUM", "EMOJI", "EMOTICON"]

CAPS, ELONGATED, SENT_START = 1, 2, 4
WORD, PUNCT, NUM, URL, EMAIL, MENTION, HASHTAG, EMOJI, EMOTICON, SYMBOL = range(1, 11)

_TOKEN = re.compile(
    r"[A-Za-z]+(?=n't\b)|n't\b|[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:\.\d+)?"
    r"|[:;]-?[()DP]|[.!?,;:\-()\"]|[^\sA-Za-z\d]"
)


def token_key(s: str) -> int:
    """64-bit key of a token: a hash of its lowercased surface (never 0)."""
    h = int.from_bytes(hashlib.blake2b(s.lower().encode("utf-8"), digest_size=8).digest(), "little")
    return h or 1


def _squeeze(s: str, n: int) -> str:
    return re.sub(r"(.)\1{%d,}" % n, lambda m: m.group(1) * n, s)


@dataclass
class TokenBatch:
    """Flat token arrays of a batch of documents (stand-in for ``tone.text.TokenBatch``)."""

    texts: list[str]
    doc_ptr: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray
    flags: np.ndarray
    key: np.ndarray
    squeezed: np.ndarray
    squeezed1: np.ndarray
    lemma: np.ndarray
    doc_of: np.ndarray = field(repr=False, default=None)

    def text(self, i: int) -> str:
        d = int(np.searchsorted(self.doc_ptr, i, side="right") - 1)
        return self.texts[d][self.start[i]:self.end[i]]


def tokenize(texts: list[str]) -> TokenBatch:
    """Split ``texts`` with a regex; set CAPS, ELONGATED and SENT_START like the real tokenizer."""
    starts, ends, kinds, flags, keys, sq, sq1 = [], [], [], [], [], [], []
    ptr = [0]
    for text in texts:
        first, prev_terminal = True, False
        for m in _TOKEN.finditer(text):
            s = m.group(0)
            starts.append(m.start())
            ends.append(m.end())
            if s[0].isalpha():
                k = WORD
            elif s[0].isdigit():
                k = NUM
            elif len(s) > 1 and s[0] in ":;":
                k = EMOTICON
            elif ord(s[0]) > 0x2000:
                k = EMOJI
            else:
                k = PUNCT
            f = 0
            if k == WORD and len(s) > 1 and s.isupper():
                f |= CAPS
            if k == WORD and re.search(r"(.)\1\1", s.lower()):
                f |= ELONGATED
            terminal = k == PUNCT and s in ".!?"
            if first or (prev_terminal and not terminal):
                f |= SENT_START
            first, prev_terminal = False, terminal
            kinds.append(k)
            flags.append(f)
            keys.append(token_key(s))
            sq.append(token_key(_squeeze(s.lower(), 1)))
            sq1.append(token_key(_squeeze(s.lower(), 2)))
        ptr.append(len(starts))
    fl = np.array(flags, dtype=np.uint8)
    n = len(starts)
    return TokenBatch(
        list(texts), np.array(ptr, dtype=np.int64), np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64), np.array(kinds, dtype=np.uint8), fl,
        np.array(keys, dtype=np.uint64), np.array(sq, dtype=np.uint64),
        np.array(sq1, dtype=np.uint64), np.array(keys, dtype=np.uint64),
        np.repeat(np.arange(len(texts)), np.diff(ptr)) if n else np.zeros(0, np.int64),
    )


def make_matches(batch, lexicon: dict[str, tuple[int, float]], key=None) -> Matches:
    """Match single lowercased (or squeezed) tokens against ``{word: (concept, weight)}``.

    ``key`` is the tokenizer's key function (default: this module's :func:`token_key`).
    """
    key = token_key if key is None else key
    by_key = {key(w): v for w, v in lexicon.items()}
    rows = []
    for d in range(len(batch.doc_ptr) - 1):
        for i in range(batch.doc_ptr[d], batch.doc_ptr[d + 1]):
            for k in (batch.key[i], batch.squeezed1[i], batch.squeezed[i]):
                if int(k) in by_key:
                    c, w = by_key[int(k)]
                    rows.append((d, i, i + 1, len(rows), c, w))
                    break
    arr = np.array(rows, dtype=np.float64).reshape(-1, 6)
    return Matches(arr[:, 0].astype(np.int32), arr[:, 1].astype(np.int32),
                   arr[:, 2].astype(np.int32), arr[:, 3].astype(np.int32),
                   arr[:, 4].astype(np.int32), arr[:, 5].astype(np.float32))
