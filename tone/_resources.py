"""Where the data files that ship with tone live.

In an installed package they are ``tone/data/{ontology,lexicons,rules}``; in a source checkout
they are the top-level ``ontology/``, ``lexicons/`` and ``rules/`` folders.

>>> (data_dir("ontology") / "tone.ttl").is_file()
True
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir"]

_KINDS = ("ontology", "lexicons", "rules")


def data_dir(kind: str) -> Path:
    """Return the folder of the shipped ``ontology``, ``lexicons`` or ``rules`` files."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}; expected one of {', '.join(_KINDS)}")
    package = Path(__file__).resolve().parent
    installed = package / "data" / kind
    if installed.is_dir():
        return installed
    return package.parent / kind
