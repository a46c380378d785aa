"""Readers: files (or stdin) in, :class:`Document` objects out, streamed with bounded memory.

Every input document yields exactly one :class:`Document`, in input order. A document that
cannot be read (undecodable bytes with ``errors="skip"``, a malformed JSONL or CSV row) still
yields one, with empty text and an ``error`` saying what went wrong and where. With
``errors="strict"`` (the default) the first such problem raises :class:`tone.errors.DataFileError`
naming the file, line and byte offset.

Formats: ``lines`` (one document per line; ``\\n`` ends a line, a trailing ``\\r`` is dropped),
``file`` (one document per file), ``jsonl`` (a text field and an optional id field), ``csv`` and
``tsv`` (a header row, a text column and an optional id column), ``srt`` and ``vtt`` (subtitles:
one document per cue, with its ``start`` and ``end`` in seconds; see :mod:`tone.io.subtitles`).
A JSONL record with ``"start"`` and ``"end"`` fields is timed the same way. Names ending in
``.gz`` are decompressed on the fly; ``-`` is stdin. A UTF-8 byte order mark at the start of
each file (or of stdin) is dropped, in every format (byte offsets in messages still count it).

A line longer than ``max_line_bytes`` (``lines`` and ``jsonl``) is not held in memory: its text is
decoded piece by piece into a temporary file and the document's text is a :class:`LongText`,
which the pipeline annotates in pieces (see :mod:`tone.io.pipeline`). A JSONL record that long is
scanned as a stream: the text field's string is unescaped piece by piece into the
:class:`LongText`; the other fields' values (the id) are parsed with :func:`json.loads`. A CSV or
TSV record that long (one long line, or a quoted field spanning many lines) is read by a
streaming field scanner (:class:`_CsvScanner`, the :mod:`csv` module's rules: quotes, doubled
quotes, delimiters and newlines inside quotes) that spools the text column into a
:class:`LongText` and keeps only the id column; shorter records are read by :mod:`csv`. Either
way the Document (id, line, error) is the same.

A lone surrogate (``"\\ud800"``: a valid JSON escape, but not Unicode and not encodable as
UTF-8) in a JSONL text or id field is bad input like an undecodable byte: ``strict`` stops naming
file:line and the document, ``replace`` writes U+FFFD, ``skip`` gives the document an ``error``.
(In the byte formats a UTF-8-encoded surrogate, ``\\xed\\xa0\\x80``, is already invalid UTF-8.)

>>> import io
>>> docs = list(read_documents([io.BytesIO(b"I am happy\\n\\nso sad\\n")]))
>>> [(d.id, d.text) for d in docs]
[(1, 'I am happy'), (2, ''), (3, 'so sad')]
>>> bad = io.BytesIO(b"ok\\nbad \\xff byte\\n")
>>> [(d.id, d.text, d.error) for d in read_documents([bad], errors="skip")]
[(1, 'ok', None), (2, '', '<input>:2: byte offset 7: invalid UTF-8 (invalid start byte)')]
>>> rows = io.BytesIO(b'{"id": "a", "text": "joy"}\\nnot json\\n')
>>> [(d.id, d.text, bool(d.error)) for d in read_documents([rows], fmt="jsonl",
...                                                           id_field="id", errors="skip")]
[('a', 'joy', False), (2, '', True)]
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator

from ..errors import DataFileError, UsageError

__all__ = ["Document", "LongText", "read_documents", "FORMATS", "ERRORS", "guess_format",
           "CHUNK_BYTES", "MAX_LINE_BYTES", "lone_surrogates", "surrogate_message",
           "replace_surrogates", "json_loads"]

FORMATS = ("lines", "file", "jsonl", "csv", "tsv", "srt", "vtt")
ERRORS = ("strict", "replace", "skip")
CHUNK_BYTES = 1 << 20  #: bytes read at a time
MAX_LINE_BYTES = 8 << 20  #: longer lines become a LongText (lines, jsonl)
BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile("[\ud800-\udfff]")


_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
_LONG_NUMBER = re.compile(r"\d{%d,}" % (_MAX_DIGITS + 1))


def json_loads(text: str):
    """:func:`json.loads` whose every failure on bad input is a :class:`json.JSONDecodeError`
    (with a position): also nesting too deep for Python's parser (a :class:`RecursionError`)
    and integers longer than Python converts (a bare :class:`ValueError`).

    >>> json_loads('{"a": [1]}')
    {'a': [1]}
    >>> json_loads("[" * 100_000 + "]" * 100_000)
    Traceback (most recent call last):
    ...
    json.decoder.JSONDecodeError: nested too deeply for Python's JSON parser; ...: line 1 ...
    >>> json_loads('{"id": ' + "1" * 5000 + "}")
    Traceback (most recent call last):
    ...
    json.decoder.JSONDecodeError: a number of more than 4300 digits; ...: line 1 column 8 (char 7)
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply for Python's JSON parser; flatten the "
                                   "record", text, 0) from None
    except ValueError:  # int("1" * 5000) past Python's int_max_str_digits
        found = _LONG_NUMBER.search(text)
        raise json.JSONDecodeError(f"a number of more than {_MAX_DIGITS} digits; write it as "
                                   "a string", text, found.start() if found else 0) from None

class LongText:
    """The text of a document too long to hold in memory, spooled (UTF-8) in a temporary file.

    ``len()`` is its length in characters; :meth:`chunks` yields it in pieces of about
    ``size`` characters; ``str()`` reads it whole (only for small ones, e.g. in tests).

    >>> t = LongText.from_chunks(["ab", "cd", "e"])
    >>> len(t), "".join(t.chunks(2)), str(t)
    (5, 'abcde', 'abcde')
    >>> t.close()
    """

    def __init__(self, path: str, n_chars: int) -> None:
        self.path, self.n_chars = path, n_chars

    @classmethod
    def from_chunks(cls, chunks: Iterable[str]) -> "LongText":
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", errors="surrogatepass",
                                             prefix="tone-longtext-", suffix=".txt", delete=False)
        n = 0
        with handle:
            for chunk in chunks:
                handle.write(chunk)
                n += len(chunk)
        return cls(handle.name, n)

    def __len__(self) -> int:
        return self.n_chars

    def chunks(self, size: int = CHUNK_BYTES) -> Iterator[str]:
        with open(self.path, encoding="utf-8", errors="surrogatepass", newline="") as handle:
            while True:
                chunk = handle.read(size)
                if not chunk:
                    return
                yield chunk

    def __str__(self) -> str:
        return "".join(self.chunks())

    def close(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def __del__(self) -> None:  # the spool never outlives its document
        self.close()

    def __reduce__(self):  # pickling (to a worker process) copies the text
        return (_longtext_from_str, (str(self),))


def _longtext_from_str(text: str) -> LongText:
    return LongText.from_chunks([text])


@dataclass
class Document:
    """One input document: its id, its text (``str`` or :class:`LongText`) and, when it could not
    be read, an ``error`` message (the text is then empty). ``source``/``line`` say where it
    came from; ``nbytes`` is its size in the input (for progress); ``start``/``end`` its time
    span in seconds when the input is timed (subtitle cues, timed JSONL), else None."""

    id: object
    text: object
    error: str | None = None
    source: str = ""
    line: int | None = None
    nbytes: int = field(default=0, repr=False)
    start: float | None = None
    end: float | None = None
    #: CSV/TSV: the ``columns`` asked for (a row that could not be read: those it has)
    fields: dict | None = field(default=None, repr=False)


def guess_format(name: str) -> str:
    """The input format implied by a file name (``.jsonl``, ``.csv``, ``.tsv``, ``.srt``,
    ``.vtt``; ``.gz`` aside).

    >>> guess_format("posts.jsonl.gz"), guess_format("a.csv"), guess_format("notes.txt")
    ('jsonl', 'csv', 'lines')
    >>> guess_format("talk.srt"), guess_format("talk.vtt.gz")
    ('srt', 'vtt')
    """
    base = name[:-3] if name.endswith(".gz") else name
    ext = os.path.splitext(base)[1].lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".srt": "srt",
            ".vtt": "vtt"}.get(ext, "lines")


def _open(source) -> tuple[IO[bytes], str, bool]:
    """A binary stream for a path, ``-`` (stdin) or a file object; its display name; whether we
    opened it (and must close it)."""
    if hasattr(source, "read"):
        return getattr(source, "buffer", source), getattr(source, "name", "<input>"), False
    name = os.fspath(source)
    if name == "-":
        if sys.stdin.isatty():  # typed input: one Ctrl-D ends it (a buffered read waits for two)
            return _Typed(getattr(sys.stdin.buffer, "raw", sys.stdin.buffer)), "<stdin>", False
        return sys.stdin.buffer, "<stdin>", False
    try:
        raw = open(name, "rb")
    except OSError as err:
        raise UsageError(f"cannot open {name}: {err.strerror}") from None
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb"), name, True
    return raw, name, True


class _Typed:
    """Input typed at a terminal: each read returns what is there (a line), and the first
    empty read (Ctrl-D) ends the input for good, so no later read waits for another."""

    def __init__(self, raw) -> None:
        self.raw, self.ended = raw, False

    def read(self, n: int = -1) -> bytes:
        if self.ended:
            return b""
        data = self.raw.read() if n is None or n < 0 else self.raw.read(n)
        if not data:
            self.ended = True
        return data or b""


class _Prefixed:
    """A binary stream with some bytes already read from it put back in front."""

    def __init__(self, head: bytes, stream) -> None:
        self.head, self.stream = head, stream

    def read(self, n: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(n)
        if n is None or n < 0:
            data, self.head = self.head + self.stream.read(), b""
            return data
        data, self.head = self.head[:n], self.head[n:]
        if len(data) < n:
            data += self.stream.read(n - len(data))
        return data


def _skip_bom(stream) -> tuple[object, int]:
    """``(stream, skipped)``: the stream without a leading UTF-8 BOM, and 3 if there was one."""
    head = b""
    while len(head) < len(BOM):
        data = stream.read(len(BOM) - len(head))
        if not data:
            break
        head += data
    if head == BOM:
        return stream, len(BOM)
    return _Prefixed(head, stream), 0


def _raw_lines(stream: IO[bytes], max_line_bytes: int,
               start: int = 0) -> Iterator[tuple[int, bytes | list, int]]:
    """Yield ``(offset, line, size)`` per line: ``line`` is bytes without ``\\n``, or, for a line
    longer than ``max_line_bytes``, a generator of its byte chunks (consume it before the next
    line). ``offset`` is the byte offset of the line's first byte (``start``: that of the
    stream's first byte); ``size`` counts the newline."""
    offset = start  # file offset of buf[0]
    buf = b""
    pos = 0
    eof = False
    while True:
        nl = buf.find(b"\n", pos)
        if nl >= 0:
            yield offset + pos, buf[pos:nl], nl + 1 - pos
            pos = nl + 1
            continue
        if not eof and len(buf) - pos <= max_line_bytes:
            data = stream.read(CHUNK_BYTES)
            if data:
                buf = buf[pos:] + data
                offset += pos
                pos = 0
            else:
                eof = True
            continue
        rest = buf[pos:]
        if eof:
            if rest:
                yield offset + pos, rest, len(rest)
            return
        # a long line: hand it out in chunks
        state: dict = {"size": 0, "rest": b""}

        def pieces(chunk=rest, state=state):
            while True:
                nl = chunk.find(b"\n")
                if nl >= 0:
                    state["size"] += nl + 1
                    state["rest"] = chunk[nl + 1:]
                    if nl:
                        yield chunk[:nl]
                    return
                state["size"] += len(chunk)
                if chunk:
                    yield chunk
                chunk = stream.read(CHUNK_BYTES)
                if not chunk:
                    state["rest"] = None
                    return

        yield offset + pos, pieces(), -1
        offset += pos + state["size"]
        if state["rest"] is None:
            return
        buf, pos = state["rest"], 0


def _strip_cr(text: str) -> str:
    return text[:-1] if text.endswith("\r") else text


class _Decoder:
    """Decodes lines (or a whole file) as UTF-8 under an error policy, naming file:line and the
    byte offset of the first bad byte."""

    def __init__(self, name: str, errors: str) -> None:
        self.name, self.errors = name, errors

    def message(self, line: int | None, offset: int, err: UnicodeDecodeError) -> str:
        where = f"{self.name}:{line}" if line is not None else self.name
        return f"{where}: byte offset {offset + err.start}: invalid UTF-8 ({err.reason})"

    def decode(self, raw: bytes, line: int | None, offset: int) -> tuple[str, str | None]:
        """``(text, error)``: ``error`` set (text empty) only under ``errors="skip"``."""
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError as err:
            msg = self.message(line, offset, err)
            if self.errors == "strict":
                raise DataFileError(msg + "; convert the input to UTF-8, or pass --errors "
                                    "replace|skip") from None
            if self.errors == "replace":
                return raw.decode("utf-8", "replace"), None
            return "", msg

    def iter_decode(self, chunks: Iterable[bytes], line: int | None, offset: int,
                    error: list, keep_going: bool = False) -> Iterator[str]:
        """Decode byte chunks to str pieces. Under ``skip`` the first undecodable byte appends
        its message to ``error``, drains ``chunks`` and ends the pieces (``keep_going``: goes on
        decoding with U+FFFD instead, as a CSV record needs to find its end)."""
        decoder = codecs.getincrementaldecoder("utf-8")(
            "replace" if self.errors == "replace" else "strict")
        seen = 0
        for chunk in chunks:
            held = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            try:
                yield decoder.decode(chunk)
            except UnicodeDecodeError as err:
                msg = self.message(line, offset + seen - held, err)
                if self.errors == "strict":
                    raise DataFileError(msg + "; convert the input to UTF-8, or pass "
                                        "--errors replace|skip") from None
                error.append(msg)
                if keep_going:  # go on with U+FFFD (the record's shape still counts)
                    replacing = codecs.getincrementaldecoder("utf-8")("replace")
                    replacing.setstate(decoder.getstate())
                    decoder = replacing
                    yield decoder.decode(chunk)
                    seen += len(chunk)
                    continue
                for _ in chunks:  # skip: drain the rest of the line
                    pass
                return
            seen += len(chunk)
        try:
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError as err:
            msg = self.message(line, offset + seen - len(decoder.getstate()[0]), err)
            if self.errors == "strict":
                raise DataFileError(msg + "; convert the input to UTF-8, or pass --errors "
                                    "replace|skip") from None
            error.append(msg)
            if keep_going:
                replacing = codecs.getincrementaldecoder("utf-8")("replace")
                replacing.setstate(decoder.getstate())
                yield replacing.decode(b"", final=True)

    def decode_chunks(self, chunks: Iterable[bytes], line: int | None,
                      offset: int) -> tuple[LongText | str, str | None]:
        error: list[str] = []
        text = LongText.from_chunks(self.iter_decode(chunks, line, offset, error))
        if error:
            text.close()
            return "", error[0]
        return text, None


def _id_for(number: int, name: str, multi: bool):
    return f"{name}:{number}" if multi else number


def _lines(stream, name, multi, dec: _Decoder, max_line_bytes: int,
           start: int = 0) -> Iterator[Document]:
    for number, (offset, raw, size) in enumerate(_raw_lines(stream, max_line_bytes, start), 1):
        if isinstance(raw, bytes):
            text, error = dec.decode(raw, number, offset)
            text = _strip_cr(text)
        else:
            text, error = dec.decode_chunks(raw, number, offset)
            size = len(text) if not error else 0
        yield Document(_id_for(number, name, multi), text, error, name, number, size)


def _whole_file(stream, name, dec: _Decoder, start: int = 0) -> Iterator[Document]:
    chunks = iter(lambda: stream.read(CHUNK_BYTES), b"")
    first = next(chunks, b"")
    second = next(chunks, None)
    if second is None:  # small file: a plain str
        text, error = dec.decode(first, None, start)
        yield Document(name, text, error, name, None, len(first))
        return

    def all_chunks():
        yield first
        yield second
        yield from chunks

    text, error = dec.decode_chunks(all_chunks(), None, start)
    yield Document(name, text, error, name, None, len(text) if not error else 0)


def _bad(dec: _Decoder, message: str, line: int, doc_id, fields: dict | None = None
         ) -> Document:
    msg = f"{dec.name}:{line}: {message}"
    if dec.errors == "strict":
        raise DataFileError(message + "; fix the row, or pass --errors skip",
                            path=dec.name, line=line)
    return Document(doc_id, "", msg, dec.name, line, fields=fields)


def _cells(extra: dict | None, row: list, t_idx: int, value=str) -> dict | None:
    """The ``columns`` asked for that a row which could not be read still has (not the text),
    so that its error names, e.g., the dialogue it belongs to."""
    if extra is None:
        return None
    return {c: value(row[k]) for c, k in extra.items() if k < len(row) and k != t_idx}


class _Malformed(Exception):
    """Malformed JSON in a streamed record: ``msg`` at (1-based) character ``col``."""

    def __init__(self, msg: str, col: int) -> None:
        super().__init__(msg)
        self.msg, self.col = msg, col


_NON_WS = re.compile(r"[^ \t\n\r]")
_STRUCT = re.compile(r'["{}\[\]]')
_SCALAR_END = re.compile(r"[,}\]\s]")


def _escaped(buf: str, q: int, lo: int) -> bool:
    """Whether ``buf[q]`` is preceded (down to ``lo``) by an odd run of backslashes."""
    k = q
    while k > lo and buf[k - 1] == "\\":
        k -= 1
    return (q - k) % 2 == 1


def _safe_cut(buf: str, lo: int, hi: int) -> int:
    """The largest cut ``<= hi`` in the string body ``buf[lo:hi]`` that splits no escape."""
    p = buf.rfind("\\", max(lo, hi - 6), hi)
    if p < 0:
        return hi
    k = p
    while k > lo and buf[k - 1] == "\\":
        k -= 1
    return hi if (p - k + 1) % 2 == 0 else p


def _is_high(ch: str) -> bool:
    return "\ud800" <= ch <= "\udbff"


class _JsonRecord:
    """A streaming scanner for one JSONL record (a JSON object) given as ``str`` pieces.

    Only what :func:`_jsonl` needs: the value of ``text_field`` (a string is unescaped piece by
    piece into a :class:`LongText`, never held whole) and of ``id_field`` (any JSON value, parsed
    with :func:`json.loads`); other values are checked the same way and dropped. Malformed JSON
    raises :class:`_Malformed` with the column (characters, 1-based) as :func:`json.loads` would.

    >>> rec = _JsonRecord(iter(['{"id": 7, "te', 'xt": "a\\\\u00e9\\\\', 'n b"}']), "text", "id")
    >>> fields = rec.parse(); fields["id"], str(fields["text"])
    (7, 'aé\\n b')
    """

    def __init__(self, pieces: Iterator[str], text_field: str, id_field: str | None,
                 on_text=None) -> None:
        self.pieces, self.text_field, self.id_field = pieces, text_field, id_field
        self.on_text = on_text or (lambda piece: piece)
        self.buf, self.pos, self.base = "", 0, 0

    def _more(self) -> bool:
        piece = next(self.pieces, None)
        if piece is None:
            return False
        self.base += self.pos
        self.buf = self.buf[self.pos:] + piece
        self.pos = 0
        return True

    def _fail(self, msg: str, at: int | None = None):
        raise _Malformed(msg, self.base + (self.pos if at is None else at) + 1)

    def _peek(self) -> str | None:
        while True:
            m = _NON_WS.search(self.buf, self.pos)
            if m:
                self.pos = m.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if not self._more():
                return None

    def _decode(self, lo: int, hi: int) -> str:
        try:
            return json.decoder.scanstring('"' + self.buf[lo:hi] + '"', 1, True)[0]
        except json.JSONDecodeError as err:
            self._fail(err.msg, lo + err.pos - 1)

    def string_pieces(self) -> Iterator[str]:
        """The decoded pieces of the string whose opening quote is at ``pos``."""
        start = self.base + self.pos
        self.pos += 1
        carry = ""
        while True:
            q = self.buf.find('"', self.pos)
            while q >= 0 and _escaped(self.buf, q, self.pos):
                q = self.buf.find('"', q + 1)
            if q >= 0:
                piece = carry + self._decode(self.pos, q)
                self.pos = q + 1
                if len(carry) and len(piece) > 1 and "\udc00" <= piece[1] <= "\udfff":
                    piece = _join_pair(piece)
                if piece:
                    yield piece
                return
            cut = _safe_cut(self.buf, self.pos, len(self.buf))
            if cut > self.pos:
                piece = carry + self._decode(self.pos, cut)
                self.pos = cut
                if len(carry) and len(piece) > 1 and "\udc00" <= piece[1] <= "\udfff":
                    piece = _join_pair(piece)
                carry = ""
                if piece and _is_high(piece[-1]):  # maybe half of an escaped pair
                    piece, carry = piece[:-1], piece[-1]
                if piece:
                    yield piece
            if not self._more():
                raise _Malformed("Unterminated string starting at", start + 1)

    def _raw_value(self) -> str:
        """The text of the value at ``pos`` (after :meth:`_peek`), consumed."""
        c = self.buf[self.pos]
        if c == '"':
            return json.dumps("".join(self.string_pieces()), ensure_ascii=False)
        if c not in "{[":
            while True:
                m = _SCALAR_END.search(self.buf, self.pos)
                if m:
                    raw, self.pos = self.buf[self.pos:m.start()], m.start()
                    return raw
                if not self._more():
                    raw, self.pos = self.buf[self.pos:], len(self.buf)
                    return raw
        parts, depth, lo = [], 0, self.pos
        while True:
            m = _STRUCT.search(self.buf, self.pos)
            if m is None:
                parts.append(self.buf[lo:])
                self.pos = lo = len(self.buf)
                if not self._more():
                    self._fail("Expecting value")
                lo = self.pos
                continue
            ch, self.pos = m.group(), m.start()
            if ch == '"':
                parts.append(self.buf[lo:self.pos])
                parts.append(json.dumps("".join(self.string_pieces()), ensure_ascii=False))
                lo = self.pos
                continue
            self.pos += 1
            depth += 1 if ch in "{[" else -1
            if depth == 0:
                parts.append(self.buf[lo:self.pos])
                return "".join(parts)

    def _value(self, col: int):
        raw = self._raw_value()
        try:
            return json_loads(raw)
        except json.JSONDecodeError as err:
            raise _Malformed(err.msg, col + err.pos) from None

    def parse(self) -> dict:
        """The fields asked for (the text a :class:`LongText` when it is a string)."""
        fields: dict = {}
        c = self._peek()
        if c != "{":
            if c in ("[", '"'):
                raise _Malformed("expected a JSON object, got "
                                 + ("list" if c == "[" else "str"), 0)
            self._fail("Expecting value")
        self.pos += 1
        c = self._peek()
        if c == "}":
            self.pos += 1
        while c != "}":
            if c != '"':
                self._fail("Expecting property name enclosed in double quotes")
            key = "".join(self.string_pieces())
            if self._peek() != ":":
                self._fail("Expecting ':' delimiter")
            self.pos += 1
            c = self._peek()
            if c is None:
                self._fail("Expecting value")
            if key == self.text_field and c == '"':
                old = fields.get(key)
                if isinstance(old, LongText):
                    old.close()
                fields[key] = LongText.from_chunks(map(self.on_text, self.string_pieces()))
            else:
                value = self._value(self.base + self.pos)
                if key in (self.text_field, self.id_field, "start", "end"):
                    old = fields.get(key)
                    if isinstance(old, LongText):
                        old.close()
                    fields[key] = value
            c = self._peek()
            if c == ",":
                self.pos += 1
                c = self._peek()
                if c == "}":
                    self._fail("Illegal trailing comma before end of object")
                continue
            if c != "}":
                self._fail("Expecting ',' delimiter")
            self.pos += 1
            break
        if self._peek() is not None:
            self._fail("Extra data")
        return fields


def _join_pair(piece: str) -> str:
    """``piece`` with its first two characters (a high and a low surrogate) made one."""
    return piece[:2].encode("utf-16-le", "surrogatepass").decode("utf-16-le") + piece[2:]


def _lone_surrogate(value: str) -> int | None:
    m = _SURROGATE.search(value)
    return m.start() if m else None


def lone_surrogates(values: dict) -> list[tuple[str, int]]:
    """``(name, character index)`` of the first lone surrogate in each string of ``values``
    (name -> value; other values are ignored): a ``\\ud800``-``\\udfff`` JSON escape that is
    not half of a pair, which is not Unicode and cannot be written as UTF-8.

    >>> lone_surrogates({"field 'id'": "ok", "field 'text'": "bad \\ud800 here", "n": 3})
    [("field 'text'", 4)]
    """
    found = []
    for name, value in values.items():
        if isinstance(value, str) and not value.isascii():
            at = _lone_surrogate(value)
            if at is not None:
                found.append((name, at))
    return found


def surrogate_message(what: str, problems: list[tuple[str, int]]) -> str:
    """The message for the lone surrogates ``problems`` (from :func:`lone_surrogates`) of
    ``what`` (the document or conversation, as the input names it).

    >>> surrogate_message("document 'd1'", [("field 'text'", 4)])[:63]
    "document 'd1': field 'text' has a lone surrogate at character 4"
    """
    where = "; ".join(f"{name} has a lone surrogate at character {k}" for name, k in problems)
    return f"{what}: {where} (a \\ud800-\\udfff escape that is not half of a pair: not Unicode)"


def replace_surrogates(value):
    """``value`` with each lone surrogate replaced by U+FFFD (values other than str as they are).

    >>> replace_surrogates("bad \\ud800 here"), replace_surrogates(7)
    ('bad \ufffd here', 7)
    """
    if isinstance(value, str) and not value.isascii():
        return _SURROGATE.sub("\ufffd", value)
    return value


def _jsonl_document(dec: _Decoder, name: str, number: int, size: int, default_id,
                    fields: dict, text_field: str, id_field: str | None,
                    text_surrogate: int | None = None) -> Document:
    """The Document of one parsed JSONL record (``fields``: its text and id fields)."""
    doc_id = fields.get(id_field, default_id) if id_field else default_id
    if isinstance(doc_id, (dict, list)):
        doc_id = json.dumps(doc_id, ensure_ascii=False)
    value = fields.get(text_field)
    named = doc_id  # as the input has it (repr() shows a surrogate as \udXXX)
    problems = lone_surrogates({f"field {id_field!r}": doc_id, f"field {text_field!r}": value})
    if text_surrogate is not None:
        problems.append((f"field {text_field!r}", text_surrogate))
    doc_id = replace_surrogates(doc_id)
    if dec.errors == "replace":
        value = replace_surrogates(value)
    if problems and dec.errors != "replace":
        message = surrogate_message(f"document {named!r}", problems)
        if isinstance(value, LongText):
            value.close()
        if dec.errors == "strict":
            raise DataFileError(message + "; fix the record, or pass --errors replace|skip",
                                path=name, line=number)
        return Document(doc_id, "", f"{name}:{number}: {message}", name, number, size)
    if value is None:
        return _bad(dec, f"no {text_field!r} field (use --text-field)", number, doc_id)
    if not isinstance(value, (str, LongText)):
        return _bad(dec, f"field {text_field!r} is a {type(value).__name__}, not a string",
                    number, doc_id)
    try:
        from .subtitles import timing_fields

        timing = timing_fields(fields) or (None, None)
    except ValueError as err:
        if isinstance(value, LongText):
            value.close()
        return _bad(dec, str(err), number, doc_id)
    return Document(doc_id, value, None, name, number, size, *timing)


def _jsonl_long(dec: _Decoder, chunks, name: str, number: int, offset: int, default_id,
                text_field: str, id_field: str | None) -> Document:
    """A JSONL record longer than ``max_line_bytes``, scanned as a stream."""
    error: list[str] = []
    surrogate: list[int] = []
    n_chars = [0]

    def on_text(piece: str) -> str:
        if not piece.isascii():
            at = _lone_surrogate(piece)
            if at is not None:
                if dec.errors == "replace":
                    piece = _SURROGATE.sub("\ufffd", piece)
                elif not surrogate:
                    surrogate.append(n_chars[0] + at)
        n_chars[0] += len(piece)
        return piece

    pieces = dec.iter_decode(chunks, number, offset, error)
    record = _JsonRecord(pieces, text_field, id_field, on_text)
    fields: dict = {}
    try:
        fields = record.parse()
    except _Malformed as err:
        for _ in pieces:  # drain the line
            pass
        if error:
            return Document(default_id, "", error[0], name, number, 0)
        return _bad(dec, f"malformed JSON at column {err.col}: {err.msg}"
                    if not err.msg.startswith("expected") else err.msg, number, default_id)
    finally:
        if error and isinstance(fields.get(text_field), LongText):
            fields[text_field].close()
    if error:
        return Document(default_id, "", error[0], name, number, 0)
    text = fields.get(text_field)
    size = len(text) if isinstance(text, LongText) else 0
    return _jsonl_document(dec, name, number, size, default_id, fields, text_field, id_field,
                           surrogate[0] if surrogate else None)


def _jsonl(stream, name, multi, dec: _Decoder, text_field: str, id_field: str | None,
           max_line_bytes: int = MAX_LINE_BYTES, start: int = 0) -> Iterator[Document]:
    for number, (offset, raw, size) in enumerate(_raw_lines(stream, max_line_bytes, start), 1):
        default_id = _id_for(number, name, multi)
        if not isinstance(raw, bytes):  # a huge record: streamed
            yield _jsonl_long(dec, raw, name, number, offset, default_id, text_field, id_field)
            continue
        text, error = dec.decode(raw, number, offset)
        if error:
            yield Document(default_id, "", error, name, number, size)
            continue
        if not text.strip():  # a blank line is an empty document
            yield Document(default_id, "", None, name, number, size)
            continue
        try:
            row = json_loads(text)
        except json.JSONDecodeError as err:
            yield _bad(dec, f"malformed JSON at column {err.colno}: {err.msg}", number,
                       default_id)
            continue
        if not isinstance(row, dict):
            yield _bad(dec, f"expected a JSON object, got {type(row).__name__}", number,
                       default_id)
            continue
        yield _jsonl_document(dec, name, number, size, default_id, row, text_field, id_field)


def _csv_refusal() -> str:
    """What :mod:`csv` says of a bare ``\\r`` in an unquoted field (its wording varies)."""
    try:
        next(csv.reader(["a\rb\n"]))
    except csv.Error as err:
        return str(err)
    return "new-line character seen in unquoted field"  # pragma: no cover


_CSV_CR = _csv_refusal()
_QUOTED_RUN = re.compile(r'[^"]*(?:""[^"]*)*')  # a quoted field's body up to a lone quote


class _CsvError(Exception):
    """A record :func:`csv.reader` refuses (the same message)."""


class _StrSink:
    """A field kept as a string."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.n = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.n += len(text)

    def value(self) -> str:
        return "".join(self.parts)

    def discard(self) -> None:
        self.parts = []


class _CountSink(_StrSink):
    """A field only counted (a column nobody reads)."""

    def write(self, text: str) -> None:
        self.n += len(text)

    def value(self) -> str:
        return ""


class _SpoolSink(_StrSink):
    """A field spooled to a temporary file, becoming a :class:`LongText`."""

    def __init__(self) -> None:
        super().__init__()
        self.handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", errors="surrogatepass", prefix="tone-longtext-",
            suffix=".txt", delete=False)

    def write(self, text: str) -> None:
        self.handle.write(text)
        self.n += len(text)

    def value(self) -> LongText:
        self.handle.close()
        return LongText(self.handle.name, self.n)

    def discard(self) -> None:
        self.handle.close()
        LongText(self.handle.name, 0).close()


class _CsvScanner:
    """A streaming CSV record scanner: records as :func:`csv.reader` (excel dialect, the given
    ``delimiter``) reads them from lines that each end in ``\\n`` (the text :func:`_csv` feeds
    it), but from ``str`` pieces of any size, no field ever held whole.

    RFC 4180 and the :mod:`csv` module agree on the parts that matter: a field opening with
    ``"`` is quoted, holds delimiters and newlines, and ``""`` in it is one ``"``; text after a
    closing quote joins the field (csv is not strict); a quote inside an unquoted field is a
    character; a bare ``\\r`` outside quotes is refused (:class:`_CsvError`, csv's message, the
    rest of its line skipped); an unterminated quote runs to the end of the input, which ends
    the record. Each field's characters go, piece by piece, to ``sink(index)`` (an object with
    ``write(str)``; by default a :class:`_StrSink`); :meth:`record` returns the sinks.

    >>> sc = _CsvScanner(iter(['a,"b ""x', '"", c",d\\n', '\\n']), ",")
    >>> [[f.value() for f in sc.record()], sc.record(), sc.record()]
    [['a', 'b "x", c', 'd'], [], None]
    """

    def __init__(self, pieces: Iterable[str], delimiter: str, sink=None) -> None:
        self.pieces, self.delimiter = iter(pieces), delimiter
        self.sink = sink or (lambda index: _StrSink())
        self.unquoted = re.compile("[" + re.escape(delimiter) + "\n\r]")
        self.buf, self.pos = "", 0
        self.fields: list = []

    def _more(self) -> bool:
        """Append the next piece to what is left of the buffer; False at the end of input."""
        for piece in self.pieces:
            if piece:
                self.buf = self.buf[self.pos:] + piece
                self.pos = 0
                return True
        return False

    def _skip_line(self) -> None:
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl >= 0:
                self.pos = nl + 1
                return
            self.pos = len(self.buf)
            if not self._more():
                return

    def _eat_crnl(self) -> None:
        """After a record-ending ``\\r``: only newlines may follow up to the line's end."""
        while self.pos < len(self.buf) or self._more():
            c = self.buf[self.pos]
            self.pos += 1
            if c == "\n":
                return
            if c != "\r":
                self._skip_line()
                raise _CsvError(_CSV_CR)

    def _ended(self, c: str) -> bool:
        """Whether the delimiter or newline ``c`` (consumed) ended the record."""
        if c == "\r":
            self._eat_crnl()
        return c != self.delimiter

    def _quoted(self, sink) -> bool | None:
        """A quoted field's body (after its opening quote): True/False when the character after
        the closing quote ended the record/field; None when text follows (an unquoted tail)."""
        while True:
            end = _QUOTED_RUN.match(self.buf, self.pos).end()
            if end > self.pos:
                sink.write(self.buf[self.pos:end].replace('""', '"'))
            self.pos = end
            if end + 1 >= len(self.buf):  # no quote, or one that may be half of a "" pair
                if not self._more():
                    self.pos = len(self.buf)
                    return True  # the input ends inside the quotes: so does the record
                continue
            self.pos = end + 2  # past the closing quote and the character after it
            c = self.buf[end + 1]
            if c == self.delimiter or c in "\n\r":
                return self._ended(c)
            self.pos -= 1
            return None

    def _unquoted(self, sink) -> bool:
        while True:
            m = self.unquoted.search(self.buf, self.pos)
            if m is None:
                if self.pos < len(self.buf):
                    sink.write(self.buf[self.pos:])
                self.pos = len(self.buf)
                if not self._more():
                    return True
                continue
            if m.start() > self.pos:
                sink.write(self.buf[self.pos:m.start()])
            self.pos = m.end()
            return self._ended(m.group())

    def record(self) -> list | None:
        """The next record's sinks (``[]`` for a blank line), or None at the end of input."""
        if self.pos >= len(self.buf) and not self._more():
            return None
        self.fields = fields = []
        c = self.buf[self.pos]
        if c in "\n\r":
            self.pos += 1
            if c == "\r":
                self._eat_crnl()
            return fields
        while True:
            sink = self.sink(len(fields))
            fields.append(sink)
            if self.pos >= len(self.buf) and not self._more():
                return fields
            ended = None
            if self.buf[self.pos] == '"':
                self.pos += 1
                ended = self._quoted(sink)
            if ended is None:
                ended = self._unquoted(sink)
            if ended:
                return fields

    def discard(self) -> None:
        """Drop the sinks of the record being read (its spooled fields' files)."""
        for sink in self.fields:
            sink.discard()
        self.fields = []


class _LongRecord(Exception):
    """The CSV record being read is longer than ``max_line_bytes``: stream it."""


def _csv_long(dec: _Decoder, lines, name: str, first_line: int, default_id, delimiter: str,
              n_columns: int, t_idx: int, i_idx: int | None,
              extra: dict | None = None) -> Document:
    """A CSV record longer than ``max_line_bytes``, read by :class:`_CsvScanner`: its text
    column spooled into a :class:`LongText`, its id column kept, other columns only counted.
    ``lines`` gives ``(number, offset, raw)`` from the record's first line on (``raw`` bytes, or
    a long line's chunks); each is decoded as :func:`_csv` decodes lines, so the Document (id,
    line, error) is the one the :mod:`csv` path would give."""
    errors: list[str] = []

    def pieces():
        for number, offset, raw in lines:
            if isinstance(raw, bytes):
                text, error = dec.decode(raw, number, offset)
                if error:
                    errors.append(error)
                    text = raw.decode("utf-8", "replace")
                yield text.rstrip("\r") + "\n"
                continue
            carry = ""  # trailing \r, dropped at the end of the line as _csv drops them
            for piece in dec.iter_decode(raw, number, offset, errors, keep_going=True):
                piece = carry + piece
                kept = piece.rstrip("\r")
                carry = piece[len(kept):]
                if kept:
                    yield kept
            yield "\n"

    def sink(index: int):
        kept = index == i_idx or (extra is not None and index in extra.values())
        return _SpoolSink() if index == t_idx else _StrSink() if kept else _CountSink()

    scanner = _CsvScanner(pieces(), delimiter, sink)
    try:
        row = scanner.record()
    except _CsvError as err:
        scanner.discard()
        return _bad(dec, f"malformed CSV row: {err}", first_line, default_id)
    except BaseException:
        scanner.discard()
        raise
    if errors:
        doc_id = row[i_idx].value() if i_idx is not None and i_idx < len(row) else default_id
        cells = _cells(extra, row, t_idx, _StrSink.value)
        scanner.discard()
        return Document(doc_id, "", errors[0], name, first_line, fields=cells)
    if not row:
        return Document(default_id, "", None, name, first_line)
    if len(row) != n_columns:
        cells = _cells(extra, row, t_idx, _StrSink.value)
        scanner.discard()
        return _bad(dec, f"expected {n_columns} fields, found {len(row)}", first_line,
                    default_id, cells)
    doc_id = row[i_idx].value() if i_idx is not None else default_id
    fields = {c: row[k].value() for c, k in extra.items()} if extra is not None else None
    return Document(doc_id, row[t_idx].value(), None, name, first_line,
                    sum(f.n for f in row) + len(row), fields=fields)


def _csv(stream, name, multi, dec: _Decoder, delimiter: str, text_column: str | None,
         id_column: str | None, start: int = 0,
         max_line_bytes: int = MAX_LINE_BYTES, columns: tuple = ()) -> Iterator[Document]:
    """CSV/TSV rows: read by :func:`csv.reader` line by line, except a record longer than
    ``max_line_bytes`` (one long line, or many lines inside quotes), which
    :func:`_csv_long` streams; both give the same Documents."""
    lines = enumerate(_raw_lines(stream, max_line_bytes, start), 1)
    line_errors: dict[int, str] = {}
    consumed = {"n": 0}
    held: list = []  # (number, offset, raw) of the record being read, to stream it if long
    held_bytes = [0]

    def text_lines():
        for number, (offset, raw, size) in lines:
            held.append((number, offset, raw))
            if not isinstance(raw, bytes) or held_bytes[0] + size > max_line_bytes:
                raise _LongRecord
            held_bytes[0] += size
            text, error = dec.decode(raw, number, offset)
            if error:  # keep the row's shape (and id) for the error record
                line_errors[number] = error
                text = raw.decode("utf-8", "replace")
            consumed["n"] = number
            yield text.rstrip("\r") + "\n"

    def long_lines():
        for number, offset, raw in held:
            line_errors.pop(number, None)  # decoded again, in order, by _csv_long
            consumed["n"] = number
            yield number, offset, raw
        for number, (offset, raw, size) in lines:  # until the record ends (at a line's end)
            consumed["n"] = number
            yield number, offset, raw

    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(text_lines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except _LongRecord:
        raise DataFileError(f"the header row is longer than {max_line_bytes:,} bytes",
                            path=name, line=1) from None
    except csv.Error as err:
        raise DataFileError(f"malformed header: {err}", path=name, line=1) from None
    if 1 in line_errors:
        raise DataFileError(line_errors[1].split(": ", 1)[-1] + " in the header row",
                            path=name, line=1)
    header = [h.strip() for h in header]
    if text_column is None:
        text_column = "text" if "text" in header else None
    if text_column is None or text_column not in header:
        raise UsageError(f"{name}: no column {text_column or 'text'!r} in the header "
                         f"{header!r}; name one with --text-column")
    if id_column is not None and id_column not in header:
        raise UsageError(f"{name}: no column {id_column!r} in the header {header!r}")
    missing = [c for c in columns if c not in header]
    if missing:
        raise UsageError(f"{name}: no column {missing[0]!r} in the header {header!r}")
    t_idx = header.index(text_column)
    i_idx = header.index(id_column) if id_column is not None else None
    extra = {c: header.index(c) for c in columns} if columns else None
    row_number = 0
    while True:
        first_line = consumed["n"] + 1
        held.clear()
        held_bytes[0] = 0
        try:
            row = next(reader)
        except StopIteration:
            return
        except _LongRecord:  # stream it, then go on with a fresh csv reader
            row_number += 1
            yield _csv_long(dec, long_lines(), name, first_line, _id_for(row_number, name, multi),
                            delimiter, len(header), t_idx, i_idx, extra)
            reader = csv.reader(text_lines(), delimiter=delimiter)
            continue
        except csv.Error as err:
            row_number += 1
            yield _bad(dec, f"malformed CSV row: {err}", first_line,
                       _id_for(row_number, name, multi))
            continue
        row_number += 1
        last_line = consumed["n"]
        default_id = _id_for(row_number, name, multi)
        bad_lines = [n for n in range(first_line, last_line + 1) if n in line_errors]
        if bad_lines:
            message = line_errors.pop(bad_lines[0])
            for n in bad_lines[1:]:
                line_errors.pop(n, None)
            doc_id = row[i_idx] if i_idx is not None and i_idx < len(row) else default_id
            yield Document(doc_id, "", message, name, first_line,
                           fields=_cells(extra, row, t_idx))
            continue
        if not row:  # a blank line: an empty document
            yield Document(default_id, "", None, name, first_line)
            continue
        if len(row) != len(header):
            yield _bad(dec, f"expected {len(header)} fields, found {len(row)}", first_line,
                       default_id, _cells(extra, row, t_idx))
            continue
        doc_id = row[i_idx] if i_idx is not None else default_id
        yield Document(doc_id, row[t_idx], None, name, first_line,
                       sum(len(f) for f in row) + len(row),
                       fields={c: row[k] for c, k in extra.items()} if extra is not None
                       else None)


def read_documents(sources: Iterable = ("-",), fmt: str | None = None, errors: str = "strict",
                   text_field: str = "text", id_field: str | None = None,
                   text_column: str | None = None, id_column: str | None = None,
                   max_line_bytes: int = MAX_LINE_BYTES, columns: Iterable[str] = ()
                   ) -> Iterator[Document]:
    """Stream the documents of ``sources`` (paths, ``-`` for stdin, or binary file objects).

    Parameters
    ----------
    sources : iterable of paths or file objects
    fmt : one of ``FORMATS``, or None to guess from each file name (``lines`` for stdin)
    errors : ``strict`` (raise), ``replace`` (U+FFFD) or ``skip`` (a Document with ``error``)
    text_field, id_field : JSONL field names
    text_column, id_column : CSV/TSV column names (default text column: ``text``)
    columns : more CSV/TSV columns to keep, in each Document's ``fields`` (``{name: cell}``;
        a missing column is a :class:`~tone.errors.UsageError`)
    max_line_bytes : a longer line (``lines``) or record (``jsonl``, ``csv``, ``tsv``) is
        streamed into a :class:`LongText`

    Ids: the id field/column when given, else the line (or row) number within the file — as
    ``"name:number"`` when several files are read — and the path for ``fmt="file"``.
    """
    if errors not in ERRORS:
        raise UsageError(f"unknown errors policy {errors!r}; expected one of {ERRORS}")
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r}; expected one of {FORMATS}")
    sources = list(sources)
    columns = tuple(columns)
    multi = len(sources) > 1
    for source in sources:
        stream, name, owned = _open(source)
        dec = _Decoder(name, errors)
        kind = fmt or (guess_format(name) if isinstance(source, (str, os.PathLike)) else "lines")
        try:
            body, start = _skip_bom(stream)
            if kind == "lines":
                yield from _lines(body, name, multi, dec, max_line_bytes, start)
            elif kind == "file":
                yield from _whole_file(body, name, dec, start)
            elif kind in ("srt", "vtt"):
                from .subtitles import read_cues  # (it reads lines with this module's helpers)

                yield from read_cues(body, name, multi, dec, kind, start, max_line_bytes)
            elif kind == "jsonl":
                yield from _jsonl(body, name, multi, dec, text_field, id_field, max_line_bytes,
                                  start)
            else:
                yield from _csv(body, name, multi, dec, "," if kind == "csv" else "\t",
                                text_column, id_column, start, max_line_bytes, columns)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise DataFileError(f"cannot read: {err}", path=name) from None
        finally:
            if owned:
                stream.close()


def open_text(data: bytes) -> io.BytesIO:  # pragma: no cover - tiny helper for doctests/tests
    return io.BytesIO(data)
