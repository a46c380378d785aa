"""The rule kernel, loaded on first use: ``import tone.rules`` stays free of numba.

:func:`get_kernel` hands out :func:`tone.rules.kernel.apply_rules` through :mod:`tone.aot`:
compiled ahead of time when the package was built, else njit (numba compiles it once and
caches it on disk, ``NUMBA_CACHE_DIR`` wins).
"""
from __future__ import annotations

__all__ = ["get_kernel"]


def get_kernel():
    """The compiled :func:`~tone.rules.kernel.apply_rules` (numba is imported on first call
    unless the kernel was compiled ahead of time).

    Raises :class:`ImportError` when it was not and numba is not installed."""
    from ..aot import kernels

    return kernels("tone.rules.kernel").apply_rules
