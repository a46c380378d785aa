"""Fast tokenization of whole batches: UTF-8 bytes in, flat token arrays out.

:func:`tokenize` follows spaCy's English tokenizer (``spacy.blank("en")``): the
same whitespace split, tokenizer exceptions (``don't`` -> ``do n't``), prefix,
suffix and infix rules and URL rule, run by one Numba kernel over the whole
batch. Deliberate differences, chosen for emotion analysis:

* ``#tag`` (``#`` followed by word characters with a letter) stays one HASHTAG
  token; spaCy splits off the ``#``.
* an emoji sequence (ZWJ sequences, skin-tone modifiers, variation selectors,
  flags, keycaps) stays one EMOJI token; spaCy splits it per code point.
* a few dozen extra emoticons (``T_T``, ``>:)``, ``\\o/``...) are kept whole.

:func:`spacy_tokenize` returns spaCy's own tokens in the same :class:`TokenBatch`.

``import tone.text`` is light: numba and spaCy are imported on first use.

Examples
--------
>>> from tone.text import tokenize, token_key, EMOTICON
>>> b = tokenize(["I don't like it :(", "Soooo happy!!"])
>>> b.doc_tokens(0)
['I', 'do', "n't", 'like', 'it', ':(']
>>> int(b.kind[5]) == EMOTICON
True
>>> b.doc_tokens(1)
['Soooo', 'happy', '!', '!']
>>> b.lower(b.doc_ptr[1])
'soooo'
>>> int(b.squeezed1[b.doc_ptr[1]]) == token_key("so")
True
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = [
    "TokenBatch",
    "tokenize",
    "spacy_tokenize",
    "token_key",
    "token_keys",
    "lowercase",
    "separators_as_spaces",
    "WORD",
    "PUNCT",
    "NUM",
    "URL",
    "EMAIL",
    "MENTION",
    "HASHTAG",
    "EMOJI",
    "EMOTICON",
    "SYMBOL",
    "KIND_NAMES",
    "CAPS",
    "ELONGATED",
    "SENT_START",
    "TITLE",
]

# token kinds (uint8)
from .kinds import (EMAIL, EMOJI, EMOTICON, HASHTAG, KIND_NAMES, MENTION,  # noqa: E402
                    NUM, PUNCT, SYMBOL, URL, WORD)

# flag bits (uint8)
CAPS = 1  #: all-caps word of at least two letters ("WHY")
ELONGATED = 2  #: a letter repeated at least three times ("soooo")
SENT_START = 4  #: first token of a sentence
TITLE = 8  #: first letter upper case, no other upper case letter ("Hello")


@dataclass(eq=False)
class TokenBatch:
    """Tokens of a batch of documents as flat arrays (CSR by document).

    Tokens of document ``d`` are ``doc_ptr[d]:doc_ptr[d+1]``; ``start``/``end``
    are character offsets into ``texts[d]``. Sentences: ``sent_ptr`` holds the
    first token of every sentence plus the token count; the sentences of document
    ``d`` are numbers ``doc_sent_ptr[d]:doc_sent_ptr[d+1]``.
    """

    texts: list
    doc_ptr: np.ndarray  # int64[n_docs + 1]
    start: np.ndarray  # int64 character offsets, doc-local
    end: np.ndarray  # int64
    kind: np.ndarray  # uint8
    flags: np.ndarray  # uint8
    key: np.ndarray  # uint64: token_key(surface)
    squeezed: np.ndarray  # uint64: key with runs >= 3 collapsed to 2
    squeezed1: np.ndarray  # uint64: key with runs >= 3 collapsed to 1
    lemma: np.ndarray  # uint64: key of the lemma (en_lemma_lookup), else key
    sent_ptr: np.ndarray  # int64[n_sents + 1], global token indices
    doc_sent_ptr: np.ndarray  # int64[n_docs + 1]
    doc: np.ndarray  # int64 document index of every token

    def __len__(self) -> int:
        return int(self.start.shape[0])

    @property
    def n_docs(self) -> int:
        return int(self.doc_ptr.shape[0] - 1)

    def surface(self, i: int) -> str:
        """The text of token ``i`` (a global token index)."""
        return self.texts[int(self.doc[i])][int(self.start[i]) : int(self.end[i])]

    def lower(self, i: int) -> str:
        """The lowercased text of token ``i``, as hashed into ``key``."""
        return lowercase(self.surface(i))

    def doc_tokens(self, d: int) -> list[str]:
        """Surfaces of the tokens of document ``d``."""
        t = self.texts[d]
        a, b = int(self.doc_ptr[d]), int(self.doc_ptr[d + 1])
        return [t[s:e] for s, e in zip(self.start[a:b].tolist(), self.end[a:b].tolist())]

    def doc_spans(self, d: int) -> list[tuple[int, int]]:
        """(start, end) character spans of the tokens of document ``d``."""
        a, b = int(self.doc_ptr[d]), int(self.doc_ptr[d + 1])
        return list(zip(self.start[a:b].tolist(), self.end[a:b].tolist()))

    def sentences(self, d: int) -> list[tuple[int, int]]:
        """Global token ranges ``(first, stop)`` of the sentences of document ``d``."""
        a, b = int(self.doc_sent_ptr[d]), int(self.doc_sent_ptr[d + 1])
        p = self.sent_ptr
        return [(int(p[k]), int(p[k + 1])) for k in range(a, b)]


# ---------------------------------------------------------------------------
# keys (pure Python, same as the kernel)

_lower_table = None


#: characters read as spaces before tokenizing, one for one (offsets hold): the C0 controls
#: and DEL that are not whitespace (``"happy\x00sad"`` is two words), and the invisible format
#: characters that separate or direct text (zero-width space, word joiner, a BOM inside the
#: text, bidi marks, embeddings, overrides and isolates), which would otherwise stick to a word
#: and hide it (``"sad\u200b"``). Not the zero-width (non-)joiner, which emoji sequences and
#: some scripts' words hold, nor the soft hyphen, which sits inside a word.
SEPARATORS = re.compile("[\x00-\x08\x0e-\x1b\x7f\u200b\u200e\u200f\u202a-\u202e\u2060"
                        "\u2066-\u2069\ufeff]")


def separators_as_spaces(texts: list[str]) -> list[str]:
    """``texts`` with each :data:`SEPARATORS` character replaced by a space (the same list
    when none holds one).

    >>> separators_as_spaces(["happy\\x00sad", "\\u202bI am sad\\u202c today"])
    ['happy sad', ' I am sad  today']
    """
    if any(map(SEPARATORS.search, texts)):
        return [SEPARATORS.sub(" ", text) for text in texts]
    return texts


def _lower_map():
    global _lower_table
    if _lower_table is None:
        from ._tables import char_tables

        _lower_table = char_tables()[1]
    return _lower_table


def lowercase(s: str) -> str:
    """Lowercase as the kernel does: one code point to one code point.

    ``İ`` lowercases to two code points in Python, so the kernel keeps it; the typographic
    apostrophe ``’`` (U+2019) folds to ``'``:

    >>> lowercase("ÉTÉ Straße İ")
    'été straße İ'
    >>> lowercase("Can’t")
    "can't"
    """
    out = []
    tab = None
    for ch in s:
        c = ord(ch)
        if c < 128:
            out.append(ch.lower())
        else:
            if tab is None:
                tab = _lower_map()
            out.append(chr(tab[c]))
    return "".join(out)


def token_key(s: str) -> int:
    """64-bit key of a token: FNV-1a 64 of the UTF-8 bytes of its lowercased text
    (:func:`lowercase`: ``’`` folded to ``'``).

    The kernel computes the same value for ``text[start:end]``; use it to compile
    lexicons against :attr:`TokenBatch.key`.

    >>> token_key("Happy") == token_key("happy")
    True
    >>> hex(token_key(""))
    '0xcbf29ce484222325'
    """
    h = 0xCBF29CE484222325
    for byte in lowercase(s).encode("utf-8", "surrogatepass"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def token_keys(strings: Sequence[str]) -> np.ndarray:
    """Keys of many strings at once (a kernel call; uint64 array).

    >>> int(token_keys(["Happy", "sad"])[0]) == token_key("happy")
    True
    """
    k = _kernels()
    from ._tables import char_tables

    cp, ptr = _codepoints(list(strings))
    return k.keys_of(cp, ptr, char_tables()[1])


# ---------------------------------------------------------------------------
# kernels (lazy)

_lock = threading.Lock()
_state: dict = {}


def _kernels():
    mod = _state.get("kernel")
    if mod is None:
        from ..aot import kernels

        mod = _state["kernel"] = kernels("tone.text._kernel")
    return mod


def _codepoints(texts: list) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one int32 array of code points (one per ``str`` character, lone surrogates
    included) and the character offset of every text."""
    ptr = np.zeros(len(texts) + 1, np.int64)
    if texts:
        np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)), out=ptr[1:])
    if ptr[-1] == 0:
        return np.zeros(0, np.int32), ptr
    # numpy's str dtype is UCS-4: one C-level conversion, no encode/decode round trip
    cp = np.array("".join(texts)).reshape(1).view(np.int32)
    return cp, ptr


def _get_tables():
    t = _state.get("tables")
    if t is not None:
        return t
    with _lock:
        t = _state.get("tables")
        if t is None:
            from ..cache import cached
            from . import _tables as T

            t = _state["tables"] = cached("tokenizer", [T.lemma_source()], _build_tables)
        return t


def _build_tables() -> dict:
    """The tokenizer's lookup tables (character classes, special cases, units, lemmas); built
    once per installation and then loaded from tone's cache."""
    from . import _tables as T

    k = _kernels()
    cls, lower = T.char_tables()
    forms, lemmas = T.lemma_pairs()
    fcp, fcptr = _codepoints(forms)
    lcp, lcptr = _codepoints(lemmas)
    return {
        "cls": cls,
        "lower": lower,
        "special": T.special_table(),
        "unit": T.unit_table(),
        "lemma": k.build_lemma_table(k.keys_of(fcp, fcptr, lower), k.keys_of(lcp, lcptr, lower)),
    }


def _finish(texts, cp, doc_cptr, gs, ge, doc_ptr) -> TokenBatch:
    """A TokenBatch from given global token spans (the spaCy mode)."""
    k = _kernels()
    t = _get_tables()
    kind, flags, key, sq2, sq1, lem, sent_ptr, doc_sent_ptr = k.attributes(
        cp, gs, ge, doc_ptr, t["cls"], t["lower"], t["special"], t["lemma"]
    )
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(doc_ptr))
    base = doc_cptr[:-1][doc]
    return TokenBatch(texts, doc_ptr, gs - base, ge - base, kind, flags, key, sq2, sq1, lem,
                      sent_ptr, doc_sent_ptr, doc)


def _check(texts) -> list:
    if isinstance(texts, str):
        raise TypeError("tokenize() takes a sequence of texts, not one str; wrap it: [text]")
    texts = list(texts)
    if set(map(type, texts)) - {str}:  # one pass in C; str subclasses are fine too
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError("text %d is %s, not str" % (i, type(t).__name__))
    return texts


def tokenize(texts: Sequence[str]) -> TokenBatch:
    """Tokenize a batch of texts with the Numba kernel (spaCy-compatible segmentation).

    Parameters
    ----------
    texts : sequence of str
        The documents. Any ``str`` is accepted, including lone surrogates.

    Returns
    -------
    TokenBatch

    Examples
    --------
    >>> b = tokenize(["Visit https://example.com, @ann #blessed 👍🏽", ""])
    >>> b.doc_tokens(0)
    ['Visit', 'https://example.com', ',', '@ann', '#blessed', '👍🏽']
    >>> [KIND_NAMES[k] for k in b.kind[: b.doc_ptr[1]].tolist()]
    ['WORD', 'URL', 'PUNCT', 'MENTION', 'HASHTAG', 'EMOJI']
    >>> b.doc_tokens(1), b.n_docs
    ([], 2)
    """
    texts = _check(texts)
    k = _kernels()
    t = _get_tables()
    cp, doc_cptr = _codepoints(texts)
    (start, end, doc, kind, flags, key, sq2, sq1, lem, doc_ptr, sent_ptr,
     doc_sent_ptr) = k.tokenize_cp(cp, doc_cptr, t["cls"], t["lower"], t["special"], t["unit"],
                                   t["lemma"])
    return TokenBatch(texts, doc_ptr, start, end, kind, flags, key, sq2, sq1, lem, sent_ptr,
                      doc_sent_ptr, doc)  # fields in TokenBatch's order


_spacy_state: dict = {}


def _spacy_tokenizer():
    tok = _spacy_state.get("tok")
    if tok is None:
        import spacy

        nlp = spacy.blank("en")
        tok = nlp.tokenizer
        try:
            tok.max_cache_size = 1 << 20
        except AttributeError:  # pragma: no cover - older spaCy
            pass
        _spacy_state["tok"] = tok
    return tok


def spacy_tokenize(texts: Sequence[str]) -> TokenBatch:
    """Tokenize with ``spacy.blank("en")``'s tokenizer into a :class:`TokenBatch`.

    The ``tokenizer="spacy"`` mode: exactly spaCy's tokens (whitespace tokens
    dropped), with the same kinds, flags, keys and sentences as :func:`tokenize`.

    >>> spacy_tokenize(["#blessed :)"]).doc_tokens(0)
    ['#', 'blessed', ':)']
    """
    texts = _check(texts)
    tok = _spacy_tokenizer()
    cp, doc_cptr = _codepoints(texts)
    starts: list[int] = []
    ends: list[int] = []
    doc_ptr = np.zeros(len(texts) + 1, np.int64)
    for d, text in enumerate(texts):
        base = int(doc_cptr[d])
        for w in tok(text):
            if w.is_space:
                continue
            s = w.idx
            starts.append(base + s)
            ends.append(base + s + len(w.text))
        doc_ptr[d + 1] = len(starts)
    return _finish(texts, cp, doc_cptr, np.asarray(starts, np.int64), np.asarray(ends, np.int64), doc_ptr)
