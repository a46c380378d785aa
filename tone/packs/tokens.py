"""Tokenizer special cases of a pack: patterns whose matches become one token of their own.

A pack's ``tokens`` TSV has the columns ``pattern  kind  source``: ``pattern`` is a Python
regular expression, ``kind`` a token kind of :mod:`tone.text.kinds` (``SYMBOL``, ``MENTION``,
...), ``source`` where the case comes from. After tokenization (either tokenizer), every match
of a pattern that starts and ends on token boundaries, within one sentence, becomes one token
of that kind whose key, lemma and squeezed forms are its own lowercased text: ``$LOVE`` is the
token ``$love``, which is no lexicon term, so it carries no emotion (and no longer reaches
*love*). The tokens of the batch are merged with numpy; the kernels see an ordinary batch.
Lexicon terms and rule cues are tokenized without the special cases, so a term cannot name a
special-case token (a pack's lexicon row ``$tsla`` would never match).

>>> import re
>>> from tone.text import tokenize, SYMBOL
>>> batch = tokenize(["$TSLA puts printing, $LOVE it"])
>>> merged = merge_tokens(batch, [(re.compile(r"\\$[A-Za-z]{1,6}\\b"), SYMBOL)])
>>> merged.doc_tokens(0)
['$TSLA', 'puts', 'printing', ',', '$LOVE', 'it']
>>> merged.lower(4), int(merged.kind[4]) == SYMBOL
('$love', True)
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np

from ..errors import DataFileError

__all__ = ["MAX_PATHS", "backtracking_risk", "merge_tokens", "read_tokens"]

COLUMNS = ("pattern", "kind", "source")


#: The most match paths the bounded repeats of a pattern may open (``{0,5}`` opens 6).
MAX_PATHS = 1000
_ONE_CHAR = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"}


def backtracking_risk(pattern: str) -> str | None:
    r"""Why Python's backtracking matcher could take exponential (or high polynomial) time on
    ``pattern``, decided from its parse tree; ``None`` for a safe pattern. Refused: a
    backreference; a repeat (other than ``?``) of anything but one character (``(a+)+``,
    ``(ab)*``, ``(a?){30}``); more than one unbounded repeat (``\w*\w*!``); bounded repeats and
    alternatives that open more than :data:`MAX_PATHS` paths (``a?a?a?...``).

    >>> backtracking_risk(r"\$[A-Za-z][A-Za-z0-9]{0,5}(?:\.[A-Za-z]{1,2})?") is None
    True
    >>> backtracking_risk(r"(a+)+$")
    'a repeated group or repeated repeat (a+ inside (...)+ or (...)*); repeat single ...'
    """
    try:
        from re import _parser as parser
    except ImportError:  # Python < 3.11
        import sre_parse as parser  # type: ignore[no-redef]

    state = {"unbounded": 0, "paths": 1}

    def walk(items) -> str | None:
        for op, av in items:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "a backreference (\\1, (?P=name), (?(1)...)); match the text directly"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, body = av
                if high > 1 and not (len(body) == 1 and str(body[0][0]) in _ONE_CHAR):
                    return ("a repeated group or repeated repeat (a+ inside (...)+ or "
                            "(...)*); repeat single characters or classes only")
                if high == parser.MAXREPEAT:
                    state["unbounded"] += 1
                else:
                    state["paths"] *= high - low + 1
                inner = walk(body)
            elif name == "BRANCH":
                state["paths"] *= len(av[1])
                inner = next(filter(None, map(walk, av[1])), None)
            elif name == "SUBPATTERN":
                inner = walk(av[-1])
            elif name in ("ASSERT", "ASSERT_NOT"):
                inner = walk(av[1])
            elif name == "ATOMIC_GROUP":
                inner = walk(av)
            else:
                inner = None
            if inner:
                return inner
        return None

    why = walk(parser.parse(pattern))
    if why:
        return why
    if state["unbounded"] > 1:
        return (f"{state['unbounded']} unbounded repeats (*, +, {{n,}}); use at most one, "
                "and bounds such as {1,20} for the others")
    if state["paths"] > MAX_PATHS:
        return (f"its optional parts, bounded repeats and alternatives open "
                f"{state['paths']:,} match paths (at most {MAX_PATHS:,}); tighten the bounds")
    return None


def read_tokens(path: str | Path) -> list[tuple[re.Pattern, int]]:
    """``(compiled pattern, kind code)`` of each row; a bad header, regex or kind fails at
    file:line:col."""
    from ..text.kinds import KIND_NAMES
    from ..tsv import records

    codes = {name: code for code, name in KIND_NAMES.items()}
    out = []
    header_checked = False
    for line, row in records(path, comments=True):
        if not header_checked:
            if tuple(row) != COLUMNS:
                raise DataFileError(f"expected the header {chr(9).join(COLUMNS)!r}",
                                    path=str(path), line=line - 1, col=1)
            header_checked = True
        try:
            pattern = re.compile(row["pattern"])
        except re.error as err:
            raise DataFileError(f"bad regular expression: {err.msg}", path=str(path),
                                line=line, col=1 + (err.pos or 0)) from None
        except (OverflowError, RecursionError) as err:  # a{99999999999}, 5,000 nested groups
            raise DataFileError(f"bad regular expression: {err}", path=str(path), line=line,
                                col=1) from None
        risk = backtracking_risk(pattern.pattern)
        if risk:
            raise DataFileError(f"the pattern could take exponential time on hostile text: "
                                f"{risk}", path=str(path), line=line, col=1)
        if pattern.match(""):
            raise DataFileError("the pattern matches the empty string", path=str(path),
                                line=line, col=1)
        kind = row["kind"].upper()
        if kind not in codes:
            raise DataFileError(f"expected a token kind ({', '.join(sorted(codes))}), got "
                                f"{row['kind']!r}", path=str(path), line=line,
                                col=len(row["pattern"]) + 2)
        if not row["source"].strip():
            raise DataFileError("expected a source", path=str(path), line=line,
                                col=len(row["pattern"]) + len(row["kind"]) + 3)
        out.append((pattern, codes[kind]))
    return out


def _spans(batch, cases) -> list[tuple[int, int, int]]:
    """``(first token, last token, kind)`` of each match that lies on token boundaries."""
    found = []
    sent_start = np.zeros(len(batch) + 1, dtype=bool)
    sent_start[batch.sent_ptr] = True
    for d, text in enumerate(batch.texts):
        lo, hi = int(batch.doc_ptr[d]), int(batch.doc_ptr[d + 1])
        if hi - lo < 1:
            continue
        starts, ends = batch.start[lo:hi], batch.end[lo:hi]
        taken = -1
        matches = sorted((m.start(), m.end(), kind) for pattern, kind in cases
                         for m in pattern.finditer(text))
        for a, b, kind in matches:
            i = int(np.searchsorted(starts, a))
            j = int(np.searchsorted(ends, b))
            if i >= len(starts) or j >= len(ends) or starts[i] != a or ends[j] != b or j < i:
                continue  # not on token boundaries
            first, last = lo + i, lo + j
            if first <= taken or sent_start[first + 1:last + 1].any():
                continue  # overlaps an earlier case, or crosses a sentence start
            found.append((first, last, kind))
            taken = last
    return found


def merge_tokens(batch, cases):
    """``batch`` with the matches of ``cases`` (from :func:`read_tokens`) as single tokens."""
    if not cases:
        return batch
    from ..text import token_keys

    spans = _spans(batch, cases)
    if not spans:
        return batch
    first = np.array([s[0] for s in spans], dtype=np.int64)
    last = np.array([s[1] for s in spans], dtype=np.int64)
    kind = np.array([s[2] for s in spans], dtype=np.uint8)
    keep = np.ones(len(batch), dtype=bool)
    for a, b in zip(first.tolist(), last.tolist()):
        keep[a + 1:b + 1] = False
    fields = {}
    end = batch.end.copy()
    end[first] = batch.end[last]
    fields["end"] = end
    kinds = batch.kind.copy()
    kinds[first] = kind
    fields["kind"] = kinds
    keys = token_keys([batch.texts[int(batch.doc[a])][int(batch.start[a]):int(end[a])]
                       for a in first.tolist()])
    for name in ("key", "squeezed", "squeezed1", "lemma"):
        values = getattr(batch, name).copy()
        values[first] = keys
        fields[name] = values
    for name in ("start", "flags", "doc"):
        fields[name] = getattr(batch, name)
    fields = {name: values[keep] for name, values in fields.items()}
    kept_before = np.concatenate(([0], np.cumsum(keep)))
    fields["doc_ptr"] = kept_before[batch.doc_ptr]
    fields["sent_ptr"] = kept_before[batch.sent_ptr]
    return dataclasses.replace(batch, **fields)
