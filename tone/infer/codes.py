"""What the inference compiler and its kernels agree on: kind, condition-op, comparison,
combine and policy codes, and the evidence bounds. A leaf module: numba treats these
module-level ints as compile-time constants in :mod:`tone.infer.kernel`.
"""
from __future__ import annotations

__all__ = ["OP_TRUE", "OP_VAD", "OP_SCORE", "OP_ANY", "OP_AND", "OP_OR", "OP_NOT", "CMP_LT",
           "CMP_LE", "CMP_GT", "CMP_GE", "COMBINE_MIN", "COMBINE_PRODUCT", "COMBINE_MEAN",
           "POLICY_MIXED", "POLICY_NET", "POLICY_STRONGER", "KIND_COMPOSE", "KIND_OPPOSE",
           "KIND_HIERARCHY", "KIND_TRANSITION", "KIND_CODES", "SRC_UNIT", "SRC_DIALOGUE",
           "SIDE_NONE", "SIDE_A", "SIDE_B", "EPS", "MAX_EVIDENCE"]

# condition program (postfix)
OP_TRUE, OP_VAD, OP_SCORE, OP_ANY, OP_AND, OP_OR, OP_NOT = 0, 1, 2, 3, 4, 5, 6
CMP_LT, CMP_LE, CMP_GT, CMP_GE = 0, 1, 2, 3
COMBINE_MIN, COMBINE_PRODUCT, COMBINE_MEAN = 0, 1, 2
POLICY_MIXED, POLICY_NET, POLICY_STRONGER = 0, 1, 2
KIND_COMPOSE, KIND_OPPOSE, KIND_HIERARCHY, KIND_TRANSITION = 0, 1, 2, 3
KIND_CODES = {"compose": KIND_COMPOSE, "oppose": KIND_OPPOSE, "hierarchy": KIND_HIERARCHY,
              "transition": KIND_TRANSITION}
# where a derivation reads its premises (d_src): the same unit, or earlier dialogue turns
SRC_UNIT, SRC_DIALOGUE = 0, 1
# which side of an opposite pair a concept is under
SIDE_NONE, SIDE_A, SIDE_B = 0, 1, 2

#: Evidence changes below this end the fixed-point loop.
EPS = 1e-9
#: Inferred evidence per derivation is clamped to this (scores saturate long before).
MAX_EVIDENCE = 64.0
