"""Word classes for the rules: the ``term  class  weight  source`` table ``modifiers.tsv``.

>>> classes = read_modifiers()
>>> ("very", 0.293) in classes["intensifier"], ("n't", 1.0) in classes["negator"]
(True, True)
>>> sorted(classes)[:4]
['clause_end', 'contrast_after', 'contrast_before', 'diminisher']
"""
from __future__ import annotations

import math
from pathlib import Path

from tone._resources import data_dir, read_data_file
from tone.errors import DataFileError

__all__ = ["read_modifiers", "default_modifiers_path"]

_COLUMNS = ["term", "class", "weight", "source"]


def default_modifiers_path(lang: str = "en") -> Path:
    """The shipped ``lexicons/<lang>/modifiers.tsv``."""
    return data_dir("lexicons") / lang / "modifiers.tsv"


def read_modifiers(path: str | Path | None = None) -> dict[str, list[tuple[str, float]]]:
    """Read a modifiers table into ``{class: [(term, weight), ...]}`` in file order.

    Lines starting with ``#`` and blank lines are skipped; the first other line is the header
    ``term  class  weight  source``. Errors raise :class:`~tone.errors.DataFileError` at
    ``file:line:col``.
    """
    path = Path(path) if path is not None else default_modifiers_path()
    classes: dict[str, list[tuple[str, float]]] = {}
    header = None
    try:
        text = read_data_file(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFileError(f"expected UTF-8 text; undecodable byte at offset {err.start}",
                            path=str(path)) from None
    except OSError as err:
        raise DataFileError(f"cannot read the modifiers table: {err.strerror or err}",
                            path=str(path)) from None
    # lines end at "\n" only (a file iterator would also end them at a lone "\r")
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            if fields[:4] != _COLUMNS:
                raise DataFileError("expected the header term, class, weight, source "
                                    "(tab-separated)", path=str(path), line=number, col=1)
            header = fields
            continue
        if len(fields) < 4:
            raise DataFileError(f"expected 4 tab-separated columns, found {len(fields)}",
                                path=str(path), line=number, col=1)
        term, cls, weight = fields[0].strip(), fields[1].strip(), fields[2].strip()
        col_w = len(fields[0]) + len(fields[1]) + 3
        if not term:
            raise DataFileError("empty term", path=str(path), line=number, col=1)
        if not cls.isidentifier():
            raise DataFileError(f"class {cls!r} is not a name", path=str(path), line=number,
                                col=len(fields[0]) + 2)
        try:
            w = float(weight)
        except ValueError:
            w = math.nan
        if not math.isfinite(w):
            raise DataFileError(f"weight {weight!r} is not a finite number", path=str(path),
                                line=number, col=col_w)
        classes.setdefault(cls, []).append((term.lower(), w))
    return classes
