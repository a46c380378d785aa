"""Numba kernels of the inference engine: opposition over the matches of a unit (clause,
sentence or document), and forward chaining (composition, transitions, priors) over the
per-unit evidence matrix.

Both kernels take flat numpy arrays only and are compiled lazily (``get_kernels``) with
``cache=True``, so ``import tone.infer`` stays light.
"""
from __future__ import annotations

__all__ = ["get_kernels", "OP_TRUE", "OP_VAD", "OP_SCORE", "OP_ANY", "OP_AND", "OP_OR",
           "OP_NOT", "CMP_LT", "CMP_LE", "CMP_GT", "CMP_GE", "COMBINE_MIN", "COMBINE_PRODUCT",
           "COMBINE_MEAN", "POLICY_MIXED", "POLICY_NET", "POLICY_STRONGER", "KIND_COMPOSE",
           "KIND_TRANSITION", "KIND_HIERARCHY", "KIND_OPPOSE"]

# condition program (postfix)
OP_TRUE, OP_VAD, OP_SCORE, OP_ANY, OP_AND, OP_OR, OP_NOT = 0, 1, 2, 3, 4, 5, 6
CMP_LT, CMP_LE, CMP_GT, CMP_GE = 0, 1, 2, 3
COMBINE_MIN, COMBINE_PRODUCT, COMBINE_MEAN = 0, 1, 2
POLICY_MIXED, POLICY_NET, POLICY_STRONGER = 0, 1, 2
KIND_COMPOSE, KIND_OPPOSE, KIND_HIERARCHY, KIND_TRANSITION = 0, 1, 2, 3

#: Evidence changes below this end the fixed-point loop.
EPS = 1e-9
#: Inferred evidence per derivation is clamped to this (scores saturate long before).
MAX_EVIDENCE = 64.0

_KERNELS = None


def get_kernels():
    """``(chain, oppose)``, compiled on first use (then loaded from numba's cache)."""
    global _KERNELS
    if _KERNELS is None:
        from ._kernel import chain, oppose

        _KERNELS = chain, oppose
    return _KERNELS
