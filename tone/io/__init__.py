"""Readers and writers: documents in (text lines, whole files, JSONL, CSV/TSV, gzip), annotation
records out (JSONL, TSV, EmotionML, NIF/Onyx JSON-LD and Turtle), streamed in input order.

>>> import io
>>> from tone.io import read_documents, annotate_documents, make_writer
>>> out = io.StringIO()
>>> writer = make_writer("jsonl", out, text=False)
>>> writer.begin()
>>> for doc, ann in annotate_documents(read_documents([io.BytesIO(b"so happy\\n\\n")])):
...     writer.write(doc, ann)
>>> writer.end()
>>> [line[:30] for line in out.getvalue().splitlines()]
['{"id": 1, "emotions": {"primar', '{"id": 2, "emotions": {"primar']
"""
from __future__ import annotations

from .pipeline import LEVELS, Spool, annotate_documents, annotate_long, split_pieces
from .readers import ERRORS, Document, LongText, guess_format, read_documents
from .readers import FORMATS as INPUT_FORMATS
from .writers import FORMATS as OUTPUT_FORMATS
from .writers import make_writer, span_record

__all__ = ["read_documents", "Document", "LongText", "guess_format", "INPUT_FORMATS", "ERRORS",
           "annotate_documents", "annotate_long", "split_pieces", "Spool", "LEVELS",
           "make_writer", "span_record", "OUTPUT_FORMATS"]
