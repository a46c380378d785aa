"""An on-disk cache of compiled artefacts (concept table, lexicon trie, rule tables).

Compiling the default annotator reads the ontology, the lexicon and the rule files; the result
is pickled under the user cache folder (``TONE_CACHE_DIR``, else ``$XDG_CACHE_HOME/tone``, else
``~/.cache/tone``), keyed by tone's version, its source code and the content of every input file. A change to
any input gives a new key; an unreadable or unwritable cache is simply skipped. Only the
:data:`KEEP` most recently used entries of each kind stay: a reinstall or an upgrade does not
leave its predecessors' artefacts behind for ever. A build still running after
:data:`NOTICE_AFTER` seconds says so once per process (a ``WARNING`` on the ``tone`` logger,
which the command line prints on stderr), so the first run's wait is never silent.

>>> import tempfile, os
>>> os.environ["TONE_CACHE_DIR"] = tempfile.mkdtemp()
>>> calls = []
>>> def build():
...     calls.append(1)
...     return {"answer": 42}
>>> cached("demo", [], build), cached("demo", [], build), len(calls)
({'answer': 42}, {'answer': 42}, 1)
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable, TypeVar

__all__ = ["cache_dir", "cached", "KEEP", "NOTICE_AFTER"]

KEEP = 3
NOTICE_AFTER = 2.0

log = logging.getLogger("tone")
_noticed = threading.Event()  # set once the notice has been given in this process

T = TypeVar("T")


def cache_dir() -> Path:
    """The folder tone caches compiled artefacts in."""
    if os.environ.get("TONE_CACHE_DIR"):
        return Path(os.environ["TONE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tone"


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """A digest of tone's own source: a cached artefact is stale once the code that compiled
    it changes, even when its data files did not."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def _key(kind: str, inputs: Iterable[Path | str]) -> str:
    from . import __version__

    digest = hashlib.sha256(f"{kind}\0{__version__}".encode())
    digest.update(_code_fingerprint())
    for item in inputs:
        path = Path(item)
        digest.update(str(path).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        else:
            digest.update(str(item).encode())
    return digest.hexdigest()[:32]


def cached(kind: str, inputs: Iterable[Path | str], build: Callable[[], T]) -> T:
    """Return ``build()``, from the cache when the same inputs were built before."""
    path = cache_dir() / f"{kind}-{_key(kind, inputs)}.pickle"
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
        os.utime(path)  # recently used: kept by _prune
        return value
    except Exception:  # missing, stale or unreadable: rebuild
        pass
    value = _build_with_notice(build)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(kind)
    except OSError:
        pass
    return value


def _say_building() -> None:
    if not _noticed.is_set():
        _noticed.set()
        log.warning("preparing tone's ontology, lexicon and rules (first run only, a few "
                    "seconds; cached in %s)", cache_dir())


def _build_with_notice(build: Callable[[], T]) -> T:
    timer = threading.Timer(NOTICE_AFTER, _say_building)
    timer.daemon = True
    timer.start()
    try:
        return build()
    finally:
        timer.cancel()


def _prune(kind: str) -> None:
    """Remove all but the :data:`KEEP` most recently used entries of ``kind``."""
    entries = []
    for entry in cache_dir().glob(f"{kind}-*.pickle"):
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:  # removed meanwhile by another process
            continue
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        try:
            entry.unlink()
        except OSError:
            pass
