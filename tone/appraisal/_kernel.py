"""The Numba kernel of the appraisal layer (imported on first use, so ``import tone`` never
loads numba; compiled once and cached on disk).

:func:`cause_clause` tells, for each candidate token, whether the clause holding it is opened
by a causal link: walking back from the token to its sentence's first token, the first clause
edge met must be a link. A few tokens per candidate, instead of a lookup over the whole batch.

:func:`cue_counts` gives, for every cue bit, how many tokens before each one carry it (the
prefix sums the appraisal layer subtracts to ask "is there a negator in this clause?"), in one
pass over the cue flags instead of one NumPy cumulative sum per bit.
"""
from __future__ import annotations

import numba
import numpy as np

from ..compile_notice import install as _notice_compiles

_notice_compiles()

__all__ = ["cause_clause", "cue_counts"]


@numba.njit(cache=True, nogil=True)
def _member(sorted_keys, key) -> bool:
    j = np.searchsorted(sorted_keys, key)
    return j < len(sorted_keys) and sorted_keys[j] == key


@numba.njit(cache=True, nogil=True)
def cause_clause(key, first, tok, edge_keys, link_keys):
    """``out[i]``: the last clause edge (``edge_keys``, sorted) before token ``tok[i]`` and at
    or after ``first[i]`` (its sentence's first token) is a causal link (``link_keys``)."""
    out = np.zeros(len(tok), dtype=np.bool_)
    for i in range(len(tok)):
        t = tok[i] - 1
        while t >= first[i]:
            if _member(edge_keys, key[t]):
                out[i] = _member(link_keys, key[t])
                break
            t -= 1
    return out


@numba.njit(cache=True, nogil=True)
def cue_counts(flags, n_bits):
    """``out[b, i]``: how many of ``flags[:i]`` have bit ``1 << b``, for ``b < n_bits``."""
    m = len(flags)
    out = np.empty((n_bits, m + 1), dtype=np.int64)
    for b in range(n_bits):
        out[b, 0] = 0
    for i in range(m):
        f = flags[i]
        for b in range(n_bits):
            out[b, i + 1] = out[b, i] + ((f >> b) & 1)
    return out
