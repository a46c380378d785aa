"""Reading the builder's tab-separated files: comment lines, a fixed header, then rows.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
>>> _ = path.write_text("# a comment\\nterm\\tvalue\\nhappy\\t0.8\\n", encoding="utf-8")
>>> list(data_rows(path, ("term", "value")))
[(3, ['happy', '0.8'])]
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from tone.errors import DataFileError
from tone.tsv import lines

__all__ = ["data_rows"]


def data_rows(path: str | os.PathLike, columns: tuple[str, ...],
              check_width: bool = False) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)`` of each data row after the header row, which must be
    exactly ``columns``; blank and ``#`` lines are skipped. ``check_width`` also requires every
    row to have ``len(columns)`` cells. Problems raise DataFileError with file:line:col."""
    path = Path(path)
    header = False
    for lineno, line in lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != tuple(columns):
                raise DataFileError(f"expected the header row {chr(9).join(columns)!r}",
                                    path=str(path), line=lineno, col=1)
            header = True
            continue
        if check_width and len(cells) != len(columns):
            raise DataFileError(f"expected {len(columns)} tab-separated columns "
                                f"({', '.join(columns)}), got {len(cells)}",
                                path=str(path), line=lineno, col=1)
        yield lineno, cells
