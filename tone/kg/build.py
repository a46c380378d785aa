"""Build a knowledge-graph store from text or annotation files.

Inputs, by file name:

* ``*.jsonl`` / ``*.ndjson`` — one JSON object a line: annotation records (``tone annotate``
  output, recognised by their ``emotions`` key) are loaded as they are; other objects are
  documents to annotate (``text`` field, ``id`` field or the line number);
* ``*.tsv`` / ``*.csv`` — a header row (or names given with ``columns``), a text column
  (default ``text``) and an id column (default ``id``, else the line number); quoted fields as
  Python's ``csv`` reads them, as ``tone annotate`` does;
* anything else (or ``-``) — plain text, one document per line, ids as ``tone annotate`` gives
  them (the line number; ``file:line`` when several files are given).

Names ending in ``.gz`` are decompressed. Files are read by :mod:`tone.io.readers` (UTF-8;
an undecodable byte is an error naming file, line and byte offset).

``errors`` is the policy of ``tone annotate --errors`` for bad input: undecodable bytes, a
lone surrogate in a JSON string (``"\\ud800"``: not text, it cannot be stored as RDF),
malformed JSONL lines and short table rows. ``strict`` (default) stops with an error naming
file:line; ``replace`` puts U+FFFD in place of undecodable bytes and lone surrogates (a malformed
row is skipped); ``skip`` leaves the document out. Every skipped document is named in
:attr:`BuildReport.skipped`.

``meta_columns`` name the fields or columns stored as ``meta:<name>`` on each document.

>>> import tempfile, os
>>> from tone.kg import KnowledgeGraph
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "posts.tsv")
...     with open(path, "w", encoding="utf-8") as f:
...         _ = f.write("id\\ttext\\tmonth\\np1\\tI am terrified of the dark.\\t2024-01\\n")
...     report = build_store([path], os.path.join(folder, "kg"), meta_columns=["month"])
...     with KnowledgeGraph(os.path.join(folder, "kg"), read_only=True) as kg:
...         rows = kg.query("SELECT ?m WHERE { ?d meta:month ?m }").value
>>> (report.stats.added, [str(r[0]) for r in rows])
(1, ['2024-01'])
"""
from __future__ import annotations

import csv
import json
import re
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .._resources import file_problem
from ..errors import DataFileError, UsageError
from ..io.readers import _Decoder, _open, _raw_lines, guess_format
from .store import CORPUS_GRAPH, KnowledgeGraph, LoadStats

__all__ = ["read_inputs", "build_store", "BuildReport"]


ERRORS = ("strict", "replace", "skip")


@dataclass
class _Item:
    id: str
    text: str | None
    record: dict | None
    meta: dict = field(default_factory=dict)
    error: str | None = None  # set: a bad document left out (errors="skip" or "replace")


def _lines(name: str, errors: str = "strict") -> Iterator[tuple[int, str, str | None]]:
    """``(line number, text, error)`` per line of ``name`` (``-`` stdin, ``.gz`` decompressed),
    split and decoded as ``tone annotate`` reads lines (:mod:`tone.io.readers`; a trailing
    ``\\r`` and a leading byte order mark are dropped). An undecodable byte raises
    (``strict``), naming file:line and the byte offset, or becomes U+FFFD (``replace``), or
    sets ``error`` (``skip``; ``text`` then holds the line with U+FFFD, for the table reader
    to keep its place)."""
    stream, shown, owned = _open(name)
    decoder = _Decoder(shown, "strict")
    try:
        for number, (offset, raw, _) in enumerate(_raw_lines(stream, 1 << 62), 1):
            error = None
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                message = decoder.message(number, offset, err)
                if errors == "strict":
                    raise DataFileError(message + "; convert the file to UTF-8, or pass "
                                        "--errors replace|skip") from None
                text = raw.decode("utf-8", "replace")
                error = message if errors == "skip" else None
            if number == 1 and text.startswith("\ufeff"):  # a UTF-8 byte order mark
                text = text[1:]
            yield number, text[:-1] if text.endswith("\r") else text, error
    except (OSError, EOFError) as err:
        raise DataFileError(f"cannot read: {err}", path=shown) from None
    finally:
        if owned:
            stream.close()


def _surrogate(value) -> tuple[str, int, str] | None:
    from .store import _lone_surrogate

    return _lone_surrogate(value)


_SURROGATES = re.compile("[\ud800-\udfff]")


def _replace_surrogates(value):
    """``value`` with every lone surrogate of its strings (keys too) replaced by U+FFFD; one
    character for one, so span offsets stay right."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def _kind(name: str) -> str:
    kind = guess_format(name)
    return "text" if kind == "lines" else kind


def read_inputs(files: Iterable[str], meta_columns: Iterable[str] = (),
                text_column: str = "text", id_column: str = "id",
                columns: list[str] | None = None, errors: str = "strict") -> Iterator[_Item]:
    """One item per document (or annotation record) of the input files; a bad document
    under ``errors="skip"`` (or a malformed row under ``"replace"``) yields an item whose
    ``error`` names it (file:line). The options and that every file exists are checked at
    once (before a store is opened), the documents read as they are iterated."""
    if errors not in ERRORS:
        raise UsageError(f"unknown errors policy {errors!r}; expected one of {ERRORS}")
    files, meta_columns = list(files) or ["-"], list(meta_columns)
    for name in files:
        problem = None if name == "-" else file_problem(name)
        if problem:
            raise UsageError(f"{name}: {problem}")
        if meta_columns and _kind(name) == "text":
            raise UsageError(f"{name}: --meta-column needs a .jsonl, .tsv or .csv input")
    return _items(files, meta_columns, text_column, id_column, columns, errors)


def _items(files: list[str], meta_columns: list[str], text_column: str, id_column: str,
           columns: list[str] | None, errors: str) -> Iterator[_Item]:
    for name in files:
        kind = _kind(name)
        prefix = "" if len(files) == 1 else f"{name}:"
        if kind == "text":
            for number, line, error in _lines(name, errors):
                yield _Item(f"{prefix}{number}", line, None, error=error)
        elif kind == "jsonl":
            yield from _read_jsonl(name, prefix, meta_columns, text_column, errors)
        else:
            yield from _read_table(name, kind, prefix, meta_columns, text_column, id_column,
                                   columns, errors)


def _read_jsonl(name, prefix, meta_columns, text_column, errors):
    def bad(message, number, col=None, hint="fix the line, or pass --errors skip"):
        if errors == "strict":
            raise DataFileError(f"{message}; {hint}", path=name, line=number, col=col)
        where = ":".join(str(p) for p in (name, number, col) if p is not None)
        return _Item(f"{prefix}{number}", None, None, error=f"{where}: {message}")

    for number, line, error in _lines(name, errors):
        if error:
            yield _Item(f"{prefix}{number}", None, None, error=error)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield bad(f"invalid JSON: {err.msg}", number, err.colno)
            continue
        if not isinstance(obj, dict):
            yield bad("expected a JSON object", number)
            continue
        found = _surrogate(obj)
        if found:
            if errors == "replace":
                obj = _replace_surrogates(obj)
            else:
                where, index, code = found
                yield bad(f"field {where!r} holds a lone surrogate ({code}) at character "
                          f"{index}: not text, it cannot be stored", number,
                          hint="fix the input, or pass --errors replace|skip")
                continue
        meta = {c: obj.get(c) for c in meta_columns if c in obj}
        doc_id = obj.get("id")
        doc_id = f"{prefix}{number}" if doc_id is None else str(doc_id)
        if "emotions" in obj:
            yield _Item(doc_id, obj.get("text"), dict(obj, id=doc_id), meta)
        elif isinstance(obj.get(text_column), str):
            yield _Item(doc_id, obj[text_column], None, meta)
        else:
            yield bad(f"neither an annotation record (no 'emotions') nor a document (no "
                      f"string {text_column!r})", number)


def _read_table(name, kind, prefix, meta_columns, text_column, id_column, columns,
                errors="strict"):
    """Rows of a CSV or TSV file (quoted as Python's ``csv`` reads them, as ``tone annotate``
    does); ``columns`` names the columns of a file without a header."""
    where = {"line": 0}
    line_errors: dict[int, str] = {}

    def lines():
        for number, line, error in _lines(name, errors):
            where["line"] = number
            if error:
                line_errors[number] = error
            yield line + "\n"

    rows = csv.reader(lines(), delimiter="\t" if kind == "tsv" else ",")

    def next_row():
        start = where["line"] + 1
        try:
            return start, next(rows)
        except csv.Error as err:
            raise DataFileError(f"malformed row: {err}", path=name, line=start) from None

    header = columns
    if header is None:
        try:
            _, header = next_row()
        except StopIteration:
            return
        if 1 in line_errors:
            raise DataFileError(line_errors[1] + " in the header row; convert the file to UTF-8")
        header = [h.strip() for h in header]
    if text_column not in header:
        raise DataFileError(f"no column {text_column!r} (columns: {', '.join(header)}); "
                            "name it with --text-column, or give --columns for a file "
                            "without a header", path=name, line=1)
    missing = [c for c in meta_columns if c not in header]
    if missing:
        raise DataFileError(f"no column {', '.join(map(repr, missing))} "
                            f"(columns: {', '.join(header)})", path=name, line=1)
    ti = header.index(text_column)
    ii = header.index(id_column) if id_column in header else None
    mi = [(c, header.index(c)) for c in meta_columns]
    row = 0  # data rows count from 1, as tone annotate numbers them (line numbers name errors)
    while True:
        try:
            number, cells = next_row()
        except StopIteration:
            return
        row += 1
        bad = [line_errors.pop(n) for n in sorted(line_errors) if n <= where["line"]]
        if bad:
            yield _Item(f"{prefix}{row}", None, None, error=bad[0])
            continue
        if not any(cells):
            continue
        if len(cells) < len(header):
            message = f"expected {len(header)} columns, found {len(cells)}"
            if errors == "strict":
                raise DataFileError(message, path=name, line=number)
            yield _Item(f"{prefix}{row}", None, None, error=f"{name}:{number}: {message}")
            continue
        doc_id = cells[ii] if ii is not None else f"{prefix}{row}"
        yield _Item(doc_id, cells[ti], None, {c: cells[i] for c, i in mi})


@dataclass
class BuildReport:
    """What :func:`build_store` did: load statistics, triple and document counts, seconds,
    and the bad input documents left out (``skipped``: one ``file:line: reason`` each)."""

    stats: LoadStats
    triples: int
    documents: int
    seconds: float
    annotated: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        s = self.stats
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        return (f"{s.documents} documents ({s.added} added, {s.replaced} replaced, "
                f"{s.unchanged} unchanged; {self.annotated} annotated{skipped}) in "
                f"{self.seconds:.1f} s; the store holds {self.documents} documents, "
                f"{self.triples} triples")


def build_store(inputs: Iterable[str], store, meta_columns: Iterable[str] = (),
                text_column: str = "text", id_column: str = "id",
                columns: list[str] | None = None, graph: str = CORPUS_GRAPH,
                backend: str | None = None, base: str | None = None, annotator=None,
                batch_size: int = 1000, errors: str = "strict", wait: bool | float = False,
                on_wait=None) -> BuildReport:
    """Annotate (or load) the inputs into the store folder ``store``; see the module doc.

    ``errors`` is the bad-input policy (strict, replace, skip); ``wait`` and ``on_wait`` are
    those of :class:`~tone.kg.store.KnowledgeGraph` (another writer holding the store: fail at
    once, wait, or wait at most that many seconds)."""
    started = time.perf_counter()
    items = read_inputs(inputs, meta_columns, text_column, id_column, columns, errors)
    counter = {"annotated": 0}
    skipped: list[str] = []
    with KnowledgeGraph(store, backend=backend, base=base, wait=wait, on_wait=on_wait) as kg:
        kg.load_ontology(annotator.ontology if annotator is not None else None)
        stats = LoadStats()
        chunk: list[_Item] = []

        def flush(chunk):
            todo = [item for item in chunk if item.record is None]
            if todo:
                nonlocal annotator
                if annotator is None:
                    from ..annotator import Annotator

                    annotator = Annotator()
                done = iter(annotator.pipe([i.text for i in todo], batch_size=batch_size,
                                           ids=[i.id for i in todo]))
                counter["annotated"] += len(todo)
            records = [item.record if item.record is not None else next(done).to_dict()
                       for item in chunk]
            return kg.add_records(records, [item.meta for item in chunk], graph=graph)

        seen: set[str] = set()
        for item in items:
            if item.error is not None:
                skipped.append(item.error)
                continue
            if item.id in seen:
                raise UsageError(f"document id {item.id!r} occurs twice in the input; ids "
                                 "must be unique (they name the documents' IRIs)")
            seen.add(item.id)
            chunk.append(item)
            if len(chunk) >= batch_size:
                stats += flush(chunk)
                chunk = []
        if chunk:
            stats += flush(chunk)
        triples, documents = len(kg), kg.documents()
    return BuildReport(stats, triples, documents, time.perf_counter() - started,
                       counter["annotated"], skipped)
