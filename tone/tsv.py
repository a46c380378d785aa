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

from ._resources import open_data_file
from .errors import DataFileError

__all__ = ["lines", "records"]


def lines(path: str | os.PathLike) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line, split on ``\\n`` only (so numbers match an editor's),
    without its line end; a leading UTF-8 byte order mark is dropped and invalid UTF-8 raises
    :class:`DataFileError` at file:line with the byte offset."""
    path = Path(path)
    with open_data_file(path) as handle:
        offset = 0
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as err:
                raise DataFileError(f"byte offset {offset + err.start}: invalid UTF-8 "
                                    f"({err.reason}); convert the file to UTF-8",
                                    path=str(path), line=number) from None
            offset += len(raw)
            yield number, line.removeprefix("\ufeff") if number == 1 else line


def records(path: str | os.PathLike, comments: bool = False) -> Iterator[tuple[int, dict]]:
    """``(line number, {column: cell})`` of each row after the header; blank lines are skipped,
    and with ``comments`` so are ``#`` lines before the header. Invalid UTF-8 and a row whose
    width differs from the header's raise :class:`DataFileError` at file:line (see
    :func:`lines`)."""
    header = None
    for number, line in lines(path):
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
