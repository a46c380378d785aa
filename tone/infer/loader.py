"""The inference kernels, compiled on first use: ``import tone.infer`` stays free of numba.

The kernel module (:mod:`tone.infer.kernel`: opposition over the matches of a unit, forward
chaining over the per-unit evidence matrix) is imported here only, inside
:func:`get_kernels`; numba compiles it once and caches it on disk.
"""
from __future__ import annotations

__all__ = ["get_kernels"]

_KERNELS = None


def get_kernels():
    """``(chain, oppose)``, compiled on first use (then loaded from numba's cache).

    Raises :class:`ImportError` when numba is not installed."""
    global _KERNELS
    if _KERNELS is None:
        from ..compile_notice import install

        install()
        from .kernel import chain, oppose

        _KERNELS = chain, oppose
    return _KERNELS
