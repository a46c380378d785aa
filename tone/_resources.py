"""Where the data files that ship with tone live, and how any data file is opened.

In an installed package they are ``tone/data/{ontology,lexicons,rules}``; in a source checkout
they are the top-level ``ontology/``, ``lexicons/`` and ``rules/`` folders.

>>> (data_dir("ontology") / "tone.ttl").is_file()
True

A data file (ontology, lexicon, rules, tables, pack manifest) must be a regular file: a device
such as ``/dev/zero`` would be read without end, and a FIFO would wait for a writer forever.

>>> open_data_file("/dev/zero")
Traceback (most recent call last):
...
OSError: [Errno 22] not a regular file (a device): '/dev/zero'
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = ["data_dir", "file_problem", "open_data_file", "read_data_file"]

_NOT_REGULAR = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))

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


def file_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` is no regular file (after symlinks), in a few words; None when it is one.

    >>> file_problem("/dev/zero"), file_problem("/no/such/file")
    ('not a regular file (a device)', 'no such file')
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "no such file"
    return None if stat.S_ISREG(mode) else _not_regular(mode)


def _not_regular(mode: int) -> str:
    return f"not a regular file ({next((n for test, n in _NOT_REGULAR if test(mode)), 'a device')})"


def open_data_file(path: str | os.PathLike) -> BinaryIO:
    """Open ``path`` for binary reading if it is a regular file (after symlinks); otherwise
    raise :class:`OSError` (``EINVAL``) saying what it is. A FIFO is opened without waiting
    for a writer, so the check itself never blocks."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, _not_regular(mode), os.fsdecode(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_data_file(path: str | os.PathLike) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_data_file`)."""
    with open_data_file(path) as handle:
        return handle.read()
