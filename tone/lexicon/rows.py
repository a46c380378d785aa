"""Lexicon rows and the lexicon TSV file format.

A lexicon file is UTF-8 text: comment lines starting with ``#`` (licence and attribution; only
before the header, since after it ``#`` starts a hashtag term), one header row naming the columns in :data:`COLUMNS`, then one row per (term, concept) pair.

======== =====================================================================================
column   meaning
======== =====================================================================================
term     the surface form, lowercase except emoji/emoticons; words joined by one space
concept  the concept's public key: its lowercase label (``joy``, ``cheerfulness``)
tier     1 primary, 2 secondary, 3 tertiary (labels repeat across tiers, so both are needed)
weight   how strongly the term signals the concept, in (0, 1]
pos      WordNet part of speech ``n`` ``v`` ``a`` ``r``, or empty when it does not apply
kind     one of :data:`KINDS`
source   where the term came from (see lexicons/README.md), e.g. ``wordnet-3.0:anger.n.01``
score    the builder's evidence score (unbounded float; higher is stronger)
status   ``auto`` (built, unreviewed), ``accepted``, ``rejected`` or ``moved`` (by a reviewer)
======== =====================================================================================

>>> import io
>>> row = LexiconRow("angry", "anger", 3, 0.9, "a", "word", "wordnet-3.0:angry.a.01", 0.9, "auto")
>>> buf = io.StringIO()
>>> write_lexicon([row], buf, comments=["example"])
>>> print(buf.getvalue().replace(chr(9), "|"), end="")
# example
term|concept|tier|weight|pos|kind|source|score|status
angry|anger|3|0.9|a|word|wordnet-3.0:angry.a.01|0.9|auto
>>> _ = buf.seek(0)
>>> read_lexicon(buf) == [row]
True
"""
from __future__ import annotations

import io  # noqa: F401  (the docstring examples use it)
import math
import os
from collections import abc
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Iterable, Sequence

from tone._resources import read_data_file
from tone.errors import DataFileError

__all__ = [
    "LexiconRow",
    "COLUMNS",
    "KINDS",
    "STATUSES",
    "POS_TAGS",
    "read_lexicon",
    "write_lexicon",
    "format_row",
    "RowColumns",
]

KINDS = ("word", "phrase", "wildcard", "emoji", "emoticon", "hashtag")
STATUSES = ("auto", "accepted", "rejected", "moved")
POS_TAGS = ("", "n", "v", "a", "r")
COLUMNS = ("term", "concept", "tier", "weight", "pos", "kind", "source", "score", "status")


@dataclass(frozen=True, order=True)
class LexiconRow:
    """One (term, concept) entry of a lexicon, with its provenance.

    >>> LexiconRow("glad", "gladness", 3, 1.0, "a", "word", "curated", 1.0, "accepted").key
    ('glad', 'gladness', 3)
    """

    term: str
    concept: str
    tier: int
    weight: float
    pos: str = ""
    kind: str = "word"
    source: str = "curated"
    score: float = 0.0
    status: str = "auto"

    @property
    def key(self) -> tuple[str, str, int]:
        """``(term, concept, tier)``, unique within one lexicon."""
        return (self.term, self.concept, self.tier)

    def validate(self) -> None:
        """Raise :class:`ValueError` naming the first field that breaks the format."""
        for name in ("term", "concept", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value or value != value.strip():
                raise ValueError(f"{name} must be a non-empty string without surrounding "
                                 f"whitespace, got {value!r}")
        for name in ("term", "concept", "pos", "kind", "source", "status"):
            value = getattr(self, name)
            if any(ch in value for ch in "\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
                raise ValueError(f"{name} must not contain tabs or line breaks, got {value!r}")
        if self.kind == "wildcard" and not self.term.rstrip("*").strip():
            raise ValueError(f"a wildcard needs a stem before '*' (it would match every "
                             f"token), got {self.term!r}")
        if self.term.startswith("#") and self.kind != "hashtag":
            raise ValueError(f"only hashtags may start with '#', got {self.term!r}")
        if self.tier not in (1, 2, 3) or isinstance(self.tier, bool):
            raise ValueError(f"tier must be 1, 2 or 3, got {self.tier!r}")
        if not (isinstance(self.weight, float) and 0.0 < self.weight <= 1.0):
            raise ValueError(f"weight must be a float in (0, 1], got {self.weight!r}")
        if not (isinstance(self.score, float) and math.isfinite(self.score)):
            raise ValueError(f"score must be a finite float, got {self.score!r}")
        if self.pos not in POS_TAGS:
            raise ValueError(f"pos must be one of {POS_TAGS}, got {self.pos!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {self.status!r}")


def _fmt_float(value: float) -> str:
    return repr(float(value))


def format_row(row: LexiconRow) -> str:
    """The TSV line (without newline) for ``row``; validates it first."""
    row.validate()
    return "\t".join((row.term, row.concept, str(row.tier), _fmt_float(row.weight), row.pos,
                      row.kind, row.source, _fmt_float(row.score), row.status))


def write_lexicon(rows: Iterable[LexiconRow], dest: str | os.PathLike | IO[str],
                  comments: Sequence[str] = ()) -> None:
    """Write ``rows`` (in the given order) to a path or text stream.

    ``comments`` become ``# ``-prefixed lines before the header row.
    """
    lines = []
    for comment in comments:
        for part in str(comment).splitlines() or [""]:
            lines.append(f"# {part}".rstrip())
    lines.append("\t".join(COLUMNS))
    lines.extend(format_row(row) for row in rows)
    text = "\n".join(lines) + "\n"
    if hasattr(dest, "write"):
        dest.write(text)  # type: ignore[union-attr]
    else:
        Path(dest).write_text(text, encoding="utf-8", newline="\n")


def _parse_float(text: str, what: str, where: dict) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"expected {what}, got {text!r}", **where) from None
    if not math.isfinite(value):
        raise DataFileError(f"expected {what}, got {text!r}", **where)
    return value


class RowColumns(abc.Sequence):
    """Lexicon rows held as one list per column: a compiled lexicon pickles them so (tens of
    thousands of row objects took most of the time of loading it from the cache), and row
    ``i`` becomes a :class:`LexiconRow` when it is read.

    >>> rows = RowColumns([LexiconRow("glad", "gladness", 3, 1.0),
    ...                    LexiconRow("sad", "sadness", 1, 0.5)])
    >>> len(rows), rows[1].term, [r.tier for r in rows]
    (2, 'sad', [3, 1])
    """

    def __init__(self, rows: Iterable[LexiconRow]) -> None:
        rows = list(rows)
        self.columns = tuple([getattr(row, name) for row in rows] for name in COLUMNS)
        self._n = len(rows)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        return LexiconRow(*(column[i] for column in self.columns))


def read_lexicon(source: str | os.PathLike | IO[str], table=None) -> list[LexiconRow]:
    """Read a lexicon TSV file (path or text stream) into :class:`LexiconRow` objects.

    Raises :class:`~tone.errors.DataFileError` with file:line:col and what was expected. With
    ``table`` (a :class:`~tone.ontology.ConceptTable`), a concept the table does not have is
    such an error too (rows with status ``rejected`` are not checked: they are never compiled).

    >>> try:
    ...     read_lexicon(io.StringIO("term\\tconcept\\n"))
    ... except DataFileError as err:
    ...     print(err.line, err.col, err.message.split(",")[0])
    1 1 expected the header row 'term\\tconcept\\ttier\\tweight\\tpos\\tkind\\tsource\\tscore\\tstatus'
    """
    if hasattr(source, "read"):
        path = str(getattr(source, "name", None) or "<stream>")
        text = source.read()  # type: ignore[union-attr]
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataFileError(f"expected UTF-8 text; undecodable byte at offset "
                                    f"{err.start}", path=path) from None
    else:
        path = str(source)
        try:
            text = read_data_file(source).decode("utf-8")
        except UnicodeDecodeError as err:
            raise DataFileError(f"expected UTF-8 text; undecodable byte at offset {err.start}",
                                path=path) from None
        except OSError as err:
            raise DataFileError(f"cannot read the lexicon: {err.strerror}", path=path) from None
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark (Excel, Notepad)
    rows: list[LexiconRow] = []
    header_seen = False
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or (line.startswith("#") and not header_seen):
            continue  # comments come before the header; after it '#' starts a hashtag term
        cells = line.split("\t")
        if not header_seen:
            if tuple(cells) != COLUMNS:
                raise DataFileError(f"expected the header row {chr(9).join(COLUMNS)!r}, "
                                    f"got {line!r}", path=path, line=lineno, col=1)
            header_seen = True
            continue
        if len(cells) != len(COLUMNS):
            raise DataFileError(f"expected {len(COLUMNS)} tab-separated columns "
                                f"({', '.join(COLUMNS)}), got {len(cells)}",
                                path=path, line=lineno, col=1)
        starts, pos = [], 1
        for cell in cells:
            starts.append(pos)
            pos += len(cell) + 1

        def where(index: int) -> dict:
            return {"path": path, "line": lineno, "col": starts[index]}

        term, concept, tier_s, weight_s, pos_s, kind, source_s, score_s, status = cells
        if not term:
            raise DataFileError("expected a term in column 1, got an empty cell", **where(0))
        if not concept:
            raise DataFileError("expected a concept label in column 2, got an empty cell",
                                **where(1))
        if tier_s not in ("1", "2", "3"):
            raise DataFileError(f"expected tier 1, 2 or 3, got {tier_s!r}", **where(2))
        weight = _parse_float(weight_s, "a weight in (0, 1]", where(3))
        if not 0.0 < weight <= 1.0:
            raise DataFileError(f"expected a weight in (0, 1], got {weight_s!r}", **where(3))
        if pos_s not in POS_TAGS:
            raise DataFileError(f"expected pos n, v, a, r or empty, got {pos_s!r}", **where(4))
        if kind not in KINDS:
            raise DataFileError(f"expected kind {' | '.join(KINDS)}, got {kind!r}", **where(5))
        if not source_s:
            raise DataFileError("expected a source in column 7, got an empty cell", **where(6))
        score = _parse_float(score_s, "a numeric score", where(7))
        if status not in STATUSES:
            raise DataFileError(f"expected status {' | '.join(STATUSES)}, got {status!r}",
                                **where(8))
        row = LexiconRow(term, concept, int(tier_s), weight, pos_s, kind, source_s, score, status)
        try:
            row.validate()
        except ValueError as err:
            raise DataFileError(f"expected a valid row: {err}", **where(0)) from None
        if table is not None and status != "rejected":
            from tone.errors import ConceptNotFound

            try:
                table.index(concept, row.tier)
            except ConceptNotFound as err:
                raise DataFileError(f"{err}; the row's term is {term!r}", **where(1)) from None
        rows.append(row)
    if not header_seen:
        raise DataFileError(f"expected the header row {chr(9).join(COLUMNS)!r}; "
                            "the file has none", path=path, line=1, col=1)
    return rows


# keep the names used by the dataclass in one place (checked by the tests)
assert tuple(f.name for f in fields(LexiconRow)) == COLUMNS
