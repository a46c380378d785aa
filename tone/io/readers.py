"""Readers: files (or stdin) in, :class:`Document` objects out, streamed with bounded memory.

Every input document yields exactly one :class:`Document`, in input order. A document that
cannot be read (undecodable bytes with ``errors="skip"``, a malformed JSONL or CSV row) still
yields one, with empty text and an ``error`` saying what went wrong and where. With
``errors="strict"`` (the default) the first such problem raises :class:`tone.errors.DataFileError`
naming the file, line and byte offset.

Formats: ``lines`` (one document per line; ``\\n`` ends a line, a trailing ``\\r`` is dropped),
``file`` (one document per file), ``jsonl`` (a text field and an optional id field), ``csv`` and
``tsv`` (a header row, a text column and an optional id column). Names ending in ``.gz`` are
decompressed on the fly; ``-`` is stdin.

A line longer than ``max_line_bytes`` (plain-text formats only) is not held in memory: its text is
decoded piece by piece into a temporary file and the document's text is a :class:`LongText`,
which the pipeline annotates in pieces (see :mod:`tone.io.pipeline`).

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
import sys
import tempfile
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator

from ..errors import DataFileError, UsageError

__all__ = ["Document", "LongText", "read_documents", "FORMATS", "ERRORS", "guess_format",
           "CHUNK_BYTES", "MAX_LINE_BYTES"]

FORMATS = ("lines", "file", "jsonl", "csv", "tsv")
ERRORS = ("strict", "replace", "skip")
CHUNK_BYTES = 1 << 20  #: bytes read at a time
MAX_LINE_BYTES = 8 << 20  #: longer lines become a LongText (plain-text formats)


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
    came from; ``nbytes`` is its size in the input (for progress)."""

    id: object
    text: object
    error: str | None = None
    source: str = ""
    line: int | None = None
    nbytes: int = field(default=0, repr=False)


def guess_format(name: str) -> str:
    """The input format implied by a file name (``.jsonl``, ``.csv``, ``.tsv``, ``.gz`` aside).

    >>> guess_format("posts.jsonl.gz"), guess_format("a.csv"), guess_format("notes.txt")
    ('jsonl', 'csv', 'lines')
    """
    base = name[:-3] if name.endswith(".gz") else name
    ext = os.path.splitext(base)[1].lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}.get(ext, "lines")


def _open(source) -> tuple[IO[bytes], str, bool]:
    """A binary stream for a path, ``-`` (stdin) or a file object; its display name; whether we
    opened it (and must close it)."""
    if hasattr(source, "read"):
        return getattr(source, "buffer", source), getattr(source, "name", "<input>"), False
    name = os.fspath(source)
    if name == "-":
        return sys.stdin.buffer, "<stdin>", False
    try:
        raw = open(name, "rb")
    except OSError as err:
        raise UsageError(f"cannot open {name}: {err.strerror}") from None
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="rb"), name, True
    return raw, name, True


def _raw_lines(stream: IO[bytes], max_line_bytes: int) -> Iterator[tuple[int, bytes | list, int]]:
    """Yield ``(offset, line, size)`` per line: ``line`` is bytes without ``\\n``, or, for a line
    longer than ``max_line_bytes``, a generator of its byte chunks (consume it before the next
    line). ``offset`` is the byte offset of the line's first byte; ``size`` counts the newline."""
    offset = 0  # file offset of buf[0]
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

    def decode_chunks(self, chunks: Iterable[bytes], line: int | None,
                      offset: int) -> tuple[LongText | str, str | None]:
        decoder = codecs.getincrementaldecoder("utf-8")(
            "replace" if self.errors == "replace" else "strict")
        error: list[str] = []

        def text_chunks():
            seen = 0
            for chunk in chunks:
                try:
                    yield decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    msg = self.message(line, offset + seen, err)
                    if self.errors == "strict":
                        raise DataFileError(msg + "; convert the input to UTF-8, or pass "
                                            "--errors replace|skip") from None
                    error.append(msg)
                    for _ in chunks:  # skip: drain the rest of the line
                        pass
                    return
                seen += len(chunk)
            try:
                yield decoder.decode(b"", final=True)
            except UnicodeDecodeError as err:
                msg = self.message(line, offset + seen, err)
                if self.errors == "strict":
                    raise DataFileError(msg + "; convert the input to UTF-8, or pass --errors "
                                        "replace|skip") from None
                error.append(msg)

        text = LongText.from_chunks(text_chunks())
        if error:
            text.close()
            return "", error[0]
        return text, None


def _id_for(number: int, name: str, multi: bool):
    return f"{name}:{number}" if multi else number


def _lines(stream, name, multi, dec: _Decoder, max_line_bytes: int) -> Iterator[Document]:
    for number, (offset, raw, size) in enumerate(_raw_lines(stream, max_line_bytes), 1):
        if isinstance(raw, bytes):
            text, error = dec.decode(raw, number, offset)
            text = _strip_cr(text)
        else:
            text, error = dec.decode_chunks(raw, number, offset)
            size = len(text) if not error else 0
        yield Document(_id_for(number, name, multi), text, error, name, number, size)


def _whole_file(stream, name, dec: _Decoder) -> Iterator[Document]:
    chunks = iter(lambda: stream.read(CHUNK_BYTES), b"")
    first = next(chunks, b"")
    second = next(chunks, None)
    if second is None:  # small file: a plain str
        text, error = dec.decode(first, None, 0)
        yield Document(name, text, error, name, None, len(first))
        return

    def all_chunks():
        yield first
        yield second
        yield from chunks

    text, error = dec.decode_chunks(all_chunks(), None, 0)
    yield Document(name, text, error, name, None, len(text) if not error else 0)


def _bad(dec: _Decoder, message: str, line: int, doc_id) -> Document:
    msg = f"{dec.name}:{line}: {message}"
    if dec.errors == "strict":
        raise DataFileError(message + "; fix the row, or pass --errors skip",
                            path=dec.name, line=line)
    return Document(doc_id, "", msg, dec.name, line)


def _jsonl(stream, name, multi, dec: _Decoder, text_field: str,
           id_field: str | None) -> Iterator[Document]:
    for number, (offset, raw, size) in enumerate(_raw_lines(stream, 1 << 62), 1):
        default_id = _id_for(number, name, multi)
        text, error = dec.decode(raw, number, offset)
        if error:
            yield Document(default_id, "", error, name, number, size)
            continue
        if not text.strip():  # a blank line is an empty document
            yield Document(default_id, "", None, name, number, size)
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as err:
            yield _bad(dec, f"malformed JSON at column {err.colno}: {err.msg}", number,
                       default_id)
            continue
        if not isinstance(row, dict):
            yield _bad(dec, f"expected a JSON object, got {type(row).__name__}", number,
                       default_id)
            continue
        doc_id = row.get(id_field, default_id) if id_field else default_id
        if isinstance(doc_id, (dict, list)):
            doc_id = json.dumps(doc_id, ensure_ascii=False)
        value = row.get(text_field)
        if value is None:
            yield _bad(dec, f"no {text_field!r} field (use --text-field)", number, doc_id)
        elif not isinstance(value, str):
            yield _bad(dec, f"field {text_field!r} is a {type(value).__name__}, not a string",
                       number, doc_id)
        else:
            yield Document(doc_id, value, None, name, number, size)


def _csv(stream, name, multi, dec: _Decoder, delimiter: str, text_column: str | None,
         id_column: str | None) -> Iterator[Document]:
    line_errors: dict[int, str] = {}
    consumed = {"n": 0}

    def text_lines():
        for number, (offset, raw, size) in enumerate(_raw_lines(stream, 1 << 62), 1):
            text, error = dec.decode(raw, number, offset)
            if error:  # keep the row's shape (and id) for the error record
                line_errors[number] = error
                text = raw.decode("utf-8", "replace")
            consumed["n"] = number
            yield text.rstrip("\r") + "\n"

    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(text_lines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
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
    t_idx = header.index(text_column)
    i_idx = header.index(id_column) if id_column is not None else None
    row_number = 0
    while True:
        first_line = consumed["n"] + 1
        try:
            row = next(reader)
        except StopIteration:
            return
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
            yield Document(doc_id, "", message, name, first_line)
            continue
        if not row:  # a blank line: an empty document
            yield Document(default_id, "", None, name, first_line)
            continue
        if len(row) != len(header):
            yield _bad(dec, f"expected {len(header)} fields, found {len(row)}", first_line,
                       default_id)
            continue
        doc_id = row[i_idx] if i_idx is not None else default_id
        yield Document(doc_id, row[t_idx], None, name, first_line,
                       sum(len(f) for f in row) + len(row))


def read_documents(sources: Iterable = ("-",), fmt: str | None = None, errors: str = "strict",
                   text_field: str = "text", id_field: str | None = None,
                   text_column: str | None = None, id_column: str | None = None,
                   max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Document]:
    """Stream the documents of ``sources`` (paths, ``-`` for stdin, or binary file objects).

    Parameters
    ----------
    sources : iterable of paths or file objects
    fmt : one of ``FORMATS``, or None to guess from each file name (``lines`` for stdin)
    errors : ``strict`` (raise), ``replace`` (U+FFFD) or ``skip`` (a Document with ``error``)
    text_field, id_field : JSONL field names
    text_column, id_column : CSV/TSV column names (default text column: ``text``)

    Ids: the id field/column when given, else the line (or row) number within the file — as
    ``"name:number"`` when several files are read — and the path for ``fmt="file"``.
    """
    if errors not in ERRORS:
        raise UsageError(f"unknown errors policy {errors!r}; expected one of {ERRORS}")
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r}; expected one of {FORMATS}")
    sources = list(sources)
    multi = len(sources) > 1
    for source in sources:
        stream, name, owned = _open(source)
        dec = _Decoder(name, errors)
        kind = fmt or (guess_format(name) if isinstance(source, (str, os.PathLike)) else "lines")
        try:
            if kind == "lines":
                yield from _lines(stream, name, multi, dec, max_line_bytes)
            elif kind == "file":
                yield from _whole_file(stream, name, dec)
            elif kind == "jsonl":
                yield from _jsonl(stream, name, multi, dec, text_field, id_field)
            else:
                yield from _csv(stream, name, multi, dec, "," if kind == "csv" else "\t",
                                text_column, id_column)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise DataFileError(f"cannot read: {err}", path=name) from None
        finally:
            if owned:
                stream.close()


def open_text(data: bytes) -> io.BytesIO:  # pragma: no cover - tiny helper for doctests/tests
    return io.BytesIO(data)
