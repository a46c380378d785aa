"""Where Numba caches tone's compiled kernels: one folder per user, shared by every install.

Numba caches a function next to its source file (``__pycache__``) by default, so every fresh
virtual environment, container or reinstall compiles tone's kernels again (about a minute).
:func:`install` puts :class:`SharedCacheLocator` first among Numba's cache locators for tone's
own modules: their compiled code goes to ``$XDG_CACHE_HOME/tone/numba/<tone version>/``
(``~/.cache/...`` by default; ``TONE_JIT_CACHE_DIR`` overrides it), keyed by the module's path
inside the package and stamped with a hash of its source, so any install of the same code on
the same machine (Numba also checks its own version and the CPU) loads what another compiled.
``NUMBA_CACHE_DIR``, when set, wins as Numba documents; an unwritable folder falls back to
Numba's own locators.

>>> install() is install()
True
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

__all__ = ["install", "jit_cache_dir", "SharedCacheLocator"]

_PACKAGE = Path(__file__).resolve().parent


def jit_cache_dir() -> Path:
    """The folder of tone's compiled kernels (``TONE_JIT_CACHE_DIR``, else the user cache)."""
    from . import __version__

    if os.environ.get("TONE_JIT_CACHE_DIR"):
        return Path(os.environ["TONE_JIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tone" / "numba" / __version__


@functools.lru_cache(maxsize=None)
def _source_hash(path: str, mtime: float, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=1)
def install():
    """Put :class:`SharedCacheLocator` first among Numba's locators (once); returns it."""
    from numba.core import caching, config

    class SharedCacheLocator(caching._CacheLocator):
        """Numba cache locator for functions defined in tone's own modules."""

        def __init__(self, py_func, py_file: str, relative: Path) -> None:
            self._py_file = py_file
            self._lineno = py_func.__code__.co_firstlineno
            self._cache_path = str(jit_cache_dir().joinpath(*relative.with_suffix("").parts))

        def get_cache_path(self) -> str:
            return self._cache_path

        def get_source_stamp(self) -> str:  # the code itself, not where or when it was copied
            st = os.stat(self._py_file)
            return _source_hash(self._py_file, st.st_mtime, st.st_size)

        def get_disambiguator(self) -> str:
            return str(self._lineno)

        @classmethod
        def from_function(cls, py_func, py_file):
            if config.CACHE_DIR or not py_file or not os.path.exists(py_file):
                return None  # NUMBA_CACHE_DIR wins; placeholders are not ours
            try:
                relative = Path(py_file).resolve().relative_to(_PACKAGE)
            except ValueError:
                return None  # not a tone module
            self = cls(py_func, py_file, relative)
            try:
                self.ensure_cache_path()
            except OSError:
                return None  # unwritable: Numba's own locators take over
            return self

    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl  # numba >= 0.61 / older
    locators = impl._locator_classes
    if not any(getattr(c, "__name__", "") == "SharedCacheLocator" for c in locators):
        locators.insert(0, SharedCacheLocator)
    return SharedCacheLocator
