"""The rule kernel, compiled on first use: ``import tone.rules`` stays free of numba.

The kernel module (:mod:`tone.rules.kernel`) is imported here only, inside
:func:`get_kernel`; numba compiles it once and caches it on disk (``NUMBA_CACHE_DIR`` wins).
"""
from __future__ import annotations

__all__ = ["get_kernel"]

_KERNEL = None


def get_kernel():
    """The compiled :func:`~tone.rules.kernel.apply_rules` (numba is imported on first call).

    Raises :class:`ImportError` when numba is not installed."""
    global _KERNEL
    if _KERNEL is None:
        from ..compile_notice import install

        install()
        from .kernel import apply_rules

        _KERNEL = apply_rules
    return _KERNEL
