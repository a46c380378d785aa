"""Tab-separated files with a header row, read as records keyed by the header's names.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
>>> _ = path.write_text("# made by hand\\nterm\\tvalue\\nhappy\\t0.8\\n", encoding="utf-8")
>>> list(records(path, comments=True))
[(3, {'term': 'happy', 'value': '0.8'})]
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from .errors import DataFileError

__all__ = ["records"]


def records(path: str | os.PathLike, comments: bool = False) -> Iterator[tuple[int, dict]]:
    """``(line number, {column: cell})`` of each row after the header; blank lines are skipped,
    and with ``comments`` so are ``#`` lines before the header. Invalid UTF-8 and a row whose
    width differs from the header's raise :class:`DataFileError` at file:line."""
    path = Path(path)
    header = None
    with open(path, "rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as err:
                raise DataFileError(f"byte offset {offset + err.start}: invalid UTF-8 "
                                    f"({err.reason}); convert the file to UTF-8",
                                    path=str(path), line=number) from None
            offset += len(raw)
            if not line.strip() or (comments and header is None and line.startswith("#")):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                raise DataFileError(f"expected {len(header)} tab-separated fields as in the "
                                    f"header, found {len(fields)}", path=str(path), line=number)
            yield number, dict(zip(header, fields))
