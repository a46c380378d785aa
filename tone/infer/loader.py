"""The inference kernels, loaded on first use: ``import tone.infer`` stays free of numba.

The kernel module (:mod:`tone.infer.kernel`: opposition over the matches of a unit, forward
chaining over the per-unit evidence matrix) is reached through :mod:`tone.aot` only, inside
:func:`get_kernels`: compiled ahead of time when the package was built, else njit (compiled
once and cached on disk).
"""
from __future__ import annotations

__all__ = ["get_kernels"]


def get_kernels():
    """``(chain, oppose)``, compiled ahead of time or on first use (then loaded from numba's
    cache).

    Raises :class:`ImportError` when they were not and numba is not installed."""
    from ..aot import kernels

    k = kernels("tone.infer.kernel")
    return k.chain, k.oppose
