"""Where Numba caches tone's compiled kernels: one folder per user, shared by every install,
seeded from the kernels compiled when the package was built.

Numba caches a function next to its source file (``__pycache__``) by default, so every fresh
virtual environment, container or reinstall compiles tone's kernels again (about a minute).
:func:`install` puts :class:`SharedCacheLocator` first among Numba's cache locators for tone's
own modules: their compiled code goes to ``$XDG_CACHE_HOME/tone/numba/<tone version>/``
(``~/.cache/...`` by default; ``TONE_JIT_CACHE_DIR`` overrides it; under ``NUMBA_CACHE_DIR``,
when that is set, as ``$NUMBA_CACHE_DIR/tone/<tone version>/``), keyed by the module's path
inside the package and stamped with a hash of its source, so any install of the same code on
the same machine (Numba also checks its own version and the CPU) loads what another compiled.
An unwritable folder falls back to Numba's own locators.

Building the package (``pip install .``, a wheel) compiles the kernels once into
``tone/_jit/`` inside the package (:func:`build_bundle`, run by ``setup.py``). The first time a
kernel module is used, that read-only bundle is copied into the cache folder where the folder
has nothing fresher (:func:`seed`), so the first annotation after an install loads instead of
compiling. Numba still checks each entry: on another CPU, another Numba version or changed
code, the entry does not match and the kernel compiles as before.

>>> install() is install()
True
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["install", "jit_cache_dir", "seed", "build_bundle", "BUNDLE", "SharedCacheLocator"]

_PACKAGE = Path(__file__).resolve().parent
BUNDLE = _PACKAGE / "_jit"  # the kernels compiled when the package was built (may be absent)


def jit_cache_dir() -> Path:
    """The folder of tone's compiled kernels.

    ``TONE_JIT_CACHE_DIR``, else ``$NUMBA_CACHE_DIR/tone/<version>``, else the user cache.
    """
    from . import __version__

    if os.environ.get("TONE_JIT_CACHE_DIR"):
        return Path(os.environ["TONE_JIT_CACHE_DIR"])
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"]) / "tone" / __version__
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tone" / "numba" / __version__


@functools.lru_cache(maxsize=None)
def _source_hash(path: str, mtime: float, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _index_stamp(index: Path) -> tuple | None:
    """(Numba version, source stamp) of a Numba cache index, or None when unreadable."""
    try:
        with open(index, "rb") as handle:
            version = pickle.load(handle)
            stamp, _ = pickle.loads(handle.read())
        return version, stamp
    except Exception:  # missing, truncated, another format
        return None


def _copy(source: Path, target: Path) -> None:
    """Copy one file so that no reader ever sees it half-written."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def seed(bundle: Path, cache: Path, stamp: tuple) -> int:
    """Copy one module's bundled entries into its cache folder; returns how many functions
    were copied.

    *stamp* is ``(Numba version, source stamp)`` of the code running now. Only a bundled entry
    of that stamp is copied (anything else would never load), and only where the cache holds
    no index of that stamp (one it has may hold more signatures than the bundle).

    >>> import tempfile
    >>> src, dst = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> _ = (src / "f-1.py311.nbi").write_bytes(pickle.dumps("0.1") + pickle.dumps(("s", {})))
    >>> _ = (src / "f-1.py311.1.nbc").write_bytes(b"code")
    >>> seed(src, dst, ("0.1", "other code"))
    0
    >>> seed(src, dst, ("0.1", "s")), sorted(p.name for p in dst.iterdir())
    (1, ['f-1.py311.1.nbc', 'f-1.py311.nbi'])
    >>> seed(src, dst, ("0.1", "s"))
    0
    """
    copied = 0
    for index in sorted(bundle.glob("*.nbi")):
        if _index_stamp(index) != stamp or _index_stamp(cache / index.name) == stamp:
            continue
        base = index.name[: -len(".nbi")]
        for data in bundle.glob(f"{base}.*.nbc"):
            _copy(data, cache / data.name)
        _copy(index, cache / index.name)  # last: the index names data that is already there
        copied += 1
    return copied


@functools.lru_cache(maxsize=None)
def _seed_once(relative: Path, cache: str, source_stamp: str) -> None:
    """Seed one module's cache folder from the bundle, once per process and, thanks to a
    marker file, once per cache folder and code (later processes pay one ``stat``)."""
    import numba

    bundle = BUNDLE.joinpath(*relative.parts)
    if not bundle.is_dir():
        return
    marker = Path(cache) / f".seeded-{numba.__version__}-{source_stamp[:16]}"
    if marker.exists():
        return
    try:
        seed(bundle, Path(cache), (numba.__version__, source_stamp))
        marker.touch()
    except OSError:
        pass  # an unwritable cache: the kernels compile, as without a bundle


@functools.lru_cache(maxsize=1)
def install():
    """Put :class:`SharedCacheLocator` first among Numba's locators (once); returns it."""
    from numba.core import caching

    class SharedCacheLocator(caching._CacheLocator):
        """Numba cache locator for functions defined in tone's own modules."""

        def __init__(self, py_func, py_file: str, relative: Path) -> None:
            self._py_file = py_file
            self._lineno = py_func.__code__.co_firstlineno
            self._cache_path = str(jit_cache_dir().joinpath(*relative.parts))

        def get_cache_path(self) -> str:
            return self._cache_path

        def get_source_stamp(self) -> str:  # the code itself, not where or when it was copied
            st = os.stat(self._py_file)
            return _source_hash(self._py_file, st.st_mtime, st.st_size)

        def get_disambiguator(self) -> str:
            return str(self._lineno)

        @classmethod
        def from_function(cls, py_func, py_file):
            if not py_file or not os.path.exists(py_file):
                return None  # placeholders are not ours
            try:
                relative = Path(py_file).resolve().relative_to(_PACKAGE).with_suffix("")
            except ValueError:
                return None  # not a tone module
            self = cls(py_func, py_file, relative)
            try:
                self.ensure_cache_path()
            except OSError:
                return None  # unwritable: Numba's own locators take over
            _seed_once(relative, self._cache_path, self.get_source_stamp())
            return self

    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl  # numba >= 0.61 / older
    locators = impl._locator_classes
    if not any(getattr(c, "__name__", "") == "SharedCacheLocator" for c in locators):
        locators.insert(0, SharedCacheLocator)
    return SharedCacheLocator
