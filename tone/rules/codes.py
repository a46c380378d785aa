"""What the text-rule compiler and the rule kernel agree on: kind, action and pattern codes,
and the layout of the compiled tables (:class:`RuleTables`). A leaf module: numba treats these
module-level ints as compile-time constants in the kernel.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["KIND_NEGATE", "KIND_SCALE", "KIND_DAMPEN", "KIND_CONTRAST", "KIND_CONCEDE",
           "KIND_QUESTION", "KIND_EXCLAIM", "KIND_CAPS", "KIND_ELONGATED", "KIND_REPEAT",
           "KIND_FRAME", "KIND_CODES", "ACTION_FLIP", "ACTION_DAMPEN", "ACTION_MARK",
           "ACTION_CODES", "TERMINAL", "QUESTION", "FRAME_REACH", "MAX_RULES", "RuleTables"]

# rule kinds (r_kind)
KIND_NEGATE, KIND_SCALE, KIND_DAMPEN, KIND_CONTRAST, KIND_CONCEDE = 0, 1, 2, 3, 4
KIND_QUESTION, KIND_EXCLAIM, KIND_CAPS, KIND_ELONGATED, KIND_REPEAT = 5, 6, 7, 8, 9
KIND_FRAME = 10
KIND_CODES = {"negate": KIND_NEGATE, "scale": KIND_SCALE, "dampen": KIND_DAMPEN,
              "contrast": KIND_CONTRAST, "concede": KIND_CONCEDE, "question": KIND_QUESTION,
              "exclaim": KIND_EXCLAIM, "caps": KIND_CAPS, "elongated": KIND_ELONGATED,
              "repeat": KIND_REPEAT, "frame": KIND_FRAME}

# negate actions (r_action)
ACTION_FLIP, ACTION_DAMPEN, ACTION_MARK = 0, 1, 2
ACTION_CODES = {"flip": ACTION_FLIP, "dampen": ACTION_DAMPEN, "mark": ACTION_MARK}

# pattern "term" bits (pat_term)
TERMINAL, QUESTION = 1, 2

#: how far back (tokens between the cue and the match) a frame cue reaches for its clause
FRAME_REACH = 16
#: one bit per rule in ``RuleEffects.fired`` (uint64)
MAX_RULES = 64


class RuleTables(NamedTuple):
    """The compiled rule tables, passed to the kernel as one argument (numba takes a
    namedtuple of arrays). Cue patterns: an open-addressing hash table over the first token's
    key (``ht_*``, ``order``), token-key sequences in CSR (``pat_ptr``, ``pat_keys``), each
    pattern's weight as a cue of each rule (``pat_rule_w[p, r]``, NaN: not a cue), stop flags,
    terminal bits and ``!`` counts. Rules: one entry per rule (``r_*``), concept membership
    ``member[r, c]`` and each concept's flip target."""

    ht_key: np.ndarray
    ht_used: np.ndarray
    ht_begin: np.ndarray
    ht_count: np.ndarray
    order: np.ndarray
    pat_ptr: np.ndarray
    pat_keys: np.ndarray
    pat_rule_w: np.ndarray
    pat_stop: np.ndarray
    pat_term: np.ndarray
    pat_excl: np.ndarray
    r_kind: np.ndarray
    r_window: np.ndarray
    r_f1: np.ndarray
    r_f2: np.ndarray
    r_cap: np.ndarray
    r_gain: np.ndarray
    r_decay: np.ndarray
    r_max: np.ndarray
    r_action: np.ndarray
    r_target: np.ndarray
    r_slot: np.ndarray
    member: np.ndarray
    flip_target: np.ndarray
