"""Timed input: subtitle cues (SubRip ``.srt``, WebVTT ``.vtt``) and the timing fields of JSONL.

Each cue becomes one :class:`~tone.io.readers.Document` whose ``start`` and ``end`` are seconds
(floats) and whose ``line`` is the cue's first line. Its text is the cue's payload lines joined
with ``\\n``, without markup: SRT's HTML-like tags (``<i>``, ``<font color=...>``) and
``{\\an8}`` overrides, WebVTT's tags (``<v Speaker>``, ``<c.loud>``, ``<00:01.500>``) and its
character references (``&amp;``). Ids are the SRT cue number, or the WebVTT cue identifier,
or else the cue's position in the file (``"name:id"`` when several files are read).

**SRT** (`SubRip`): blocks separated by blank lines, each an optional cue number, a timing line
``HH:MM:SS,mmm --> HH:MM:SS,mmm`` (a ``.`` before the milliseconds and 1–3 digits of them are
accepted, as players do; text after the end time, such as ``X1:`` positions, is ignored) and the
payload. **WebVTT** (W3C WebVTT, 2019): a first line ``WEBVTT`` (then a space, tab or nothing),
header lines up to a blank line, then blocks: ``NOTE``, ``STYLE`` and ``REGION`` blocks (skipped)
and cues — an optional identifier, a timing line ``[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]``
and the payload. **JSONL** (:mod:`tone.io.readers`): a record with ``"start"`` and ``"end"``
fields is timed; each is a number of seconds or a timestamp string as above.

A block that is not a cue (no timing line, a malformed time, an end before its start) is bad
input like a malformed JSONL row: under ``errors="strict"`` a
:class:`~tone.errors.DataFileError` naming file:line and what to do; under ``skip`` or
``replace`` a Document with an ``error`` (and the reader goes on with the next block).

>>> import io
>>> from tone.io.readers import read_documents
>>> srt = (b"1\\n00:00:01,000 --> 00:00:02,500\\n<i>What a joy!</i>\\n\\n"
...        b"2\\n00:00:03,000 --> 00:00:04,000\\nOh no.\\n")
>>> [(d.id, d.start, d.end, d.text) for d in read_documents([io.BytesIO(srt)], fmt="srt")]
[(1, 1.0, 2.5, 'What a joy!'), (2, 3.0, 4.0, 'Oh no.')]
>>> vtt = (b"WEBVTT\\n\\nNOTE a comment\\n\\n"
...        b"hello\\n00:01.000 --> 00:02.000 align:start\\n<v Ann>Great &amp; fine\\n")
>>> [(d.id, d.start, d.end, d.text) for d in read_documents([io.BytesIO(vtt)], fmt="vtt")]
[('hello', 1.0, 2.0, 'Great & fine')]
>>> bad = io.BytesIO(b"1\\n00:00:05,000 --> 00:00:04,000\\nbackwards\\n")
>>> [d.error for d in read_documents([bad], fmt="srt", errors="skip")]
['<input>:2: the cue ends (00:00:04.000) before it starts (00:00:05.000)']
"""
from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterator

from .readers import MAX_LINE_BYTES, Document, _bad, _Decoder, _id_for, _raw_lines

__all__ = [
    "SUBTITLE_FORMATS",
    "format_timestamp",
    "parse_timestamp",
    "read_cues",
    "timing_fields",
]

SUBTITLE_FORMATS = {".srt": "srt", ".vtt": "vtt"}  #: file extension -> input format
MAX_HOUR_DIGITS = 9  #: 10**9 hours in seconds and milliseconds is exact in a float
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_TIMESTAMP = re.compile(r"\s*" + _TIME + r"\s*\Z")
_TIMING = re.compile(r"\s*(" + _TIME + r")\s*-->\s*(" + _TIME + r")(?:\s.*)?\Z")
_SRT_TAGS = re.compile(r"</?[A-Za-z][^>\n]*>|\{\\[^}\n]*\}")
_VTT_TAGS = re.compile(r"<[^>\n]*>")
_VTT_SIGNATURE = re.compile(r"WEBVTT(?:[ \t].*)?\Z")
_VTT_SKIPPED = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?\Z")


class _BadTime(ValueError):
    """A timestamp or timing line that does not parse; the message says how it should look."""


def parse_timestamp(text: str) -> float:
    """Seconds from a subtitle timestamp ``[HH:]MM:SS(,|.)mmm``.

    >>> parse_timestamp("01:02:03,004"), parse_timestamp("02:03.5")
    (3723.004, 123.5)
    >>> parse_timestamp("1:75:00,000")
    Traceback (most recent call last):
    ...
    tone.io.subtitles._BadTime: '1:75:00,000': minutes and seconds run from 00 to 59
    """
    m = _TIMESTAMP.match(text)
    if m is None:
        raise _BadTime(f"{text!r} is not a timestamp (HH:MM:SS,mmm or MM:SS.mmm)")
    return _seconds(text, *m.groups())


def _seconds(text: str, hours, minutes, seconds, fraction) -> float:
    if hours is not None and len(hours) > MAX_HOUR_DIGITS:
        raise _BadTime(f"{text.strip()[:40]!r}...: the hours have {len(hours):,} digits; "
                       f"tone reads at most {MAX_HOUR_DIGITS} (times stay exact to the "
                       "millisecond)")
    if int(minutes) > 59 or int(seconds) > 59:
        raise _BadTime(f"{text.strip()!r}: minutes and seconds run from 00 to 59")
    millis = int(fraction.ljust(3, "0"))
    return ((int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)) * 1000 + millis) / 1000


def format_timestamp(seconds: float, comma: bool = False) -> str:
    """``HH:MM:SS.mmm`` (SRT's ``,`` before the milliseconds with ``comma``), to the millisecond.

    >>> format_timestamp(3723.004), format_timestamp(1.5, comma=True)
    ('01:02:03.004', '00:00:01,500')
    """
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{millis:03d}"


def _timing(line: str) -> tuple[float, float] | None:
    """``(start, end)`` of a timing line; None when the line has no ``-->``."""
    if "-->" not in line:
        return None
    m = _TIMING.match(line)
    if m is None:
        raise _BadTime(f"malformed timing line {line.strip()[:80]!r}; expected "
                       "'HH:MM:SS,mmm --> HH:MM:SS,mmm'")
    start = _seconds(m.group(1), *m.group(2, 3, 4, 5))
    end = _seconds(m.group(6), *m.group(7, 8, 9, 10))
    if end < start:
        raise _BadTime(f"the cue ends ({format_timestamp(end)}) before it starts "
                       f"({format_timestamp(start)})")
    return start, end


def timing_fields(fields: dict) -> tuple[float, float] | None:
    """``(start, end)`` of a JSONL record with ``"start"`` and ``"end"`` (seconds or timestamp
    strings); None when it has neither; :class:`ValueError` (the message says what is wrong)
    when one is missing, malformed, negative, or the end comes before the start.

    >>> timing_fields({"start": 1, "end": "00:00:02,5"}), timing_fields({"text": "hi"})
    ((1.0, 2.5), None)
    """
    if "start" not in fields and "end" not in fields:
        return None
    values = []
    for key in ("start", "end"):
        if key not in fields:
            raise ValueError(f"a timed record needs both 'start' and 'end'; {key!r} is missing")
        value = fields[key]
        if isinstance(value, str):
            value = parse_timestamp(value)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"field {key!r} is a {type(value).__name__}; expected seconds "
                             "(a number) or a timestamp string ('00:01:02.500')")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"field {key!r} is {value!r}; expected seconds >= 0")
        values.append(float(value))
    if values[1] < values[0]:
        raise ValueError(f"the record ends ({values[1]}) before it starts ({values[0]})")
    return values[0], values[1]


def _blocks(stream, dec: _Decoder, start: int, max_line_bytes: int
            ) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """``(first line number, lines, error)`` per block of non-blank lines. An undecodable or
    overlong line makes the whole block an error (``lines`` None) under ``skip``/``replace``
    and raises under ``strict`` (as :class:`_Decoder` decides)."""
    block: list[str] = []
    first, error = 0, None
    for number, (offset, raw, _size) in enumerate(_raw_lines(stream, max_line_bytes, start), 1):
        if not isinstance(raw, bytes):
            for _ in raw:  # drain the overlong line
                pass
            problem = (f"a line longer than {max_line_bytes:,} bytes; split the cue's text "
                       "over several lines")
            if dec.errors == "strict":
                from ..errors import DataFileError

                raise DataFileError(problem + ", or pass --errors skip", path=dec.name,
                                    line=number)
            text, problem = "x", f"{dec.name}:{number}: {problem}"
        else:
            text, problem = dec.decode(raw, number, offset)
            text = text.rstrip("\r")
        if not block and error is None:
            if not text.strip() and problem is None:
                continue
            first = number
        if problem is not None and error is None:
            error = problem
        if text.strip() or problem is not None:
            block.append(text)
            continue
        yield first, None if error else block, error
        block, error = [], None
    if block or error:
        yield first, None if error else block, error


def _cue(dec: _Decoder, name: str, multi: bool, ordinal: int, first: int, lines: list[str],
         srt: bool) -> Document:
    """The Document of one block: an optional id line, a timing line, the payload."""
    default_id = _id_for(ordinal, name, multi)
    try:
        timing = _timing(lines[0])
        at = 0
        if timing is None and len(lines) > 1:
            timing, at = _timing(lines[1]), 1
    except _BadTime as err:
        line = first + (1 if "-->" not in lines[0] else 0)
        return _bad(dec, str(err), line, default_id)
    if timing is None:
        example = "1\\n00:00:01,000 --> 00:00:02,000\\ntext" if srt else \
            "00:01.000 --> 00:02.000\\ntext"
        return _bad(dec, f"no timing line in this {'SRT' if srt else 'WebVTT'} block "
                    f"(a cue is {example})", first, default_id)
    cue_id = default_id
    if at:
        label = lines[0].strip()
        if srt:
            if not label.isdigit():
                return _bad(dec, f"expected a cue number, found {label[:80]!r}", first,
                            default_id)
            label = int(label)
        cue_id = f"{name}:{label}" if multi else label
    payload = "\n".join(lines[at + 1:])
    text = _SRT_TAGS.sub("", payload) if srt else html.unescape(_VTT_TAGS.sub("", payload))
    return Document(cue_id, text, None, name, first, len(payload.encode("utf-8")), *timing)


def read_cues(stream, name: str, multi: bool, dec: _Decoder, kind: str, start: int = 0,
              max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Document]:
    """The cues of one SRT (``kind="srt"``) or WebVTT (``"vtt"``) stream, one Document each."""
    srt = kind == "srt"
    blocks = _blocks(stream, dec, start, max_line_bytes)
    if not srt:
        head = next(blocks, None)
        if head is None or head[0] != 1 or head[1] is None or not _VTT_SIGNATURE.match(
                head[1][0]):
            raise _not_vtt(dec, head)
        timed = [k for k, line in enumerate(head[1]) if "-->" in line]
        if timed:  # a cue right under the header, no blank line between: still a cue
            blocks = itertools.chain([(1 + timed[0], head[1][timed[0]:], None)], blocks)
    ordinal = 0
    for first, lines, error in blocks:
        if not srt and lines and _VTT_SKIPPED.match(lines[0]) and "-->" not in lines[0]:
            continue
        ordinal += 1
        if lines is None:
            yield Document(_id_for(ordinal, name, multi), "", error, name, first)
            continue
        yield _cue(dec, name, multi, ordinal, first, lines, srt)


def _not_vtt(dec: _Decoder, head) -> Exception:
    from ..errors import DataFileError

    if head is not None and head[1] is None:  # an undecodable first line (skip/replace)
        return DataFileError(head[2], path=dec.name, line=head[0])
    return DataFileError("not a WebVTT file: the first line must be 'WEBVTT'; for SubRip "
                         "subtitles use a .srt name or --input-format srt",
                         path=dec.name, line=1)
