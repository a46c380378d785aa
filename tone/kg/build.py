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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import DataFileError, UsageError
from ..io.readers import _Decoder, _open, _raw_lines, guess_format
from .store import CORPUS_GRAPH, KnowledgeGraph, LoadStats

__all__ = ["read_inputs", "build_store", "BuildReport"]


@dataclass
class _Item:
    id: str
    text: str | None
    record: dict | None
    meta: dict = field(default_factory=dict)


def _lines(name: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` per line of ``name`` (``-`` stdin, ``.gz`` decompressed), split
    and decoded as ``tone annotate`` reads lines (:mod:`tone.io.readers`; a trailing ``\\r`` is
    dropped); an undecodable byte raises, naming file:line and the byte offset."""
    stream, shown, owned = _open(name)
    decoder = _Decoder(shown, "strict")
    try:
        for number, (offset, raw, _) in enumerate(_raw_lines(stream, 1 << 62), 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataFileError(decoder.message(number, offset, err)
                                    + "; convert the file to UTF-8") from None
            yield number, text[:-1] if text.endswith("\r") else text
    except (OSError, EOFError) as err:
        raise DataFileError(f"cannot read: {err}", path=shown) from None
    finally:
        if owned:
            stream.close()


def _kind(name: str) -> str:
    kind = guess_format(name)
    return "text" if kind == "lines" else kind


def read_inputs(files: Iterable[str], meta_columns: Iterable[str] = (),
                text_column: str = "text", id_column: str = "id",
                columns: list[str] | None = None) -> Iterator[_Item]:
    """Yield one item per document (or annotation record) of the input files."""
    files = list(files) or ["-"]
    meta_columns = list(meta_columns)
    for name in files:
        if name != "-" and not Path(name).is_file():
            raise UsageError(f"{name}: no such input file")
        kind = _kind(name)
        prefix = "" if len(files) == 1 else f"{name}:"
        if kind == "text":
            if meta_columns:
                raise UsageError(f"{name}: --meta-column needs a .jsonl, .tsv or .csv input")
            for number, line in _lines(name):
                yield _Item(f"{prefix}{number}", line, None)
        elif kind == "jsonl":
            for number, line in _lines(name):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    raise DataFileError(f"invalid JSON: {err.msg}", path=name, line=number,
                                        col=err.colno) from None
                if not isinstance(obj, dict):
                    raise DataFileError("expected a JSON object", path=name, line=number)
                meta = {c: obj.get(c) for c in meta_columns if c in obj}
                doc_id = obj.get("id")
                doc_id = f"{prefix}{number}" if doc_id is None else str(doc_id)
                if "emotions" in obj:
                    yield _Item(doc_id, obj.get("text"), dict(obj, id=doc_id), meta)
                elif isinstance(obj.get(text_column), str):
                    yield _Item(doc_id, obj[text_column], None, meta)
                else:
                    raise DataFileError(f"neither an annotation record (no 'emotions') nor a "
                                        f"document (no string {text_column!r})",
                                        path=name, line=number)
        else:
            yield from _read_table(name, kind, prefix, meta_columns, text_column, id_column,
                                   columns)


def _read_table(name, kind, prefix, meta_columns, text_column, id_column, columns):
    """Rows of a CSV or TSV file (quoted as Python's ``csv`` reads them, as ``tone annotate``
    does); ``columns`` names the columns of a file without a header."""
    where = {"line": 0}

    def lines():
        for number, line in _lines(name):
            where["line"] = number
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
    while True:
        try:
            number, cells = next_row()
        except StopIteration:
            return
        if not any(cells):
            continue
        if len(cells) < len(header):
            raise DataFileError(f"expected {len(header)} columns, found {len(cells)}",
                                path=name, line=number)
        doc_id = cells[ii] if ii is not None else f"{prefix}{number}"
        yield _Item(doc_id, cells[ti], None, {c: cells[i] for c, i in mi})


@dataclass
class BuildReport:
    """What :func:`build_store` did: load statistics, triple and document counts, seconds."""

    stats: LoadStats
    triples: int
    documents: int
    seconds: float
    annotated: int = 0

    def __str__(self) -> str:
        s = self.stats
        return (f"{s.documents} documents ({s.added} added, {s.replaced} replaced, "
                f"{s.unchanged} unchanged; {self.annotated} annotated) in "
                f"{self.seconds:.1f} s; the store holds {self.documents} documents, "
                f"{self.triples} triples")


def build_store(inputs: Iterable[str], store, meta_columns: Iterable[str] = (),
                text_column: str = "text", id_column: str = "id",
                columns: list[str] | None = None, graph: str = CORPUS_GRAPH,
                backend: str | None = None, base: str | None = None, annotator=None,
                batch_size: int = 1000) -> BuildReport:
    """Annotate (or load) the inputs into the store folder ``store``; see the module doc."""
    started = time.perf_counter()
    items = read_inputs(inputs, meta_columns, text_column, id_column, columns)
    counter = {"annotated": 0}
    with KnowledgeGraph(store, backend=backend, base=base) as kg:
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
                       counter["annotated"])
