"""The Numba kernels of the inference engine: opposition over the matches of a unit (clause,
sentence or document), and forward chaining (composition, transitions, priors) over the
per-unit evidence matrix. Flat numpy arrays in and out; imported on first use by
:func:`tone.infer.loader.get_kernels`, compiled once and cached on disk. Codes are in
:mod:`tone.infer.codes`."""
from __future__ import annotations

import numba as nb
import numpy as np

from .codes import (CMP_LE, CMP_LT, CMP_GT, COMBINE_MEAN, COMBINE_MIN, COMBINE_PRODUCT, EPS,
                    KIND_COMPOSE, KIND_HIERARCHY, KIND_TRANSITION, MAX_EVIDENCE, OP_AND, OP_ANY,
                    OP_OR, OP_SCORE, OP_TRUE, OP_VAD, POLICY_NET, POLICY_STRONGER, SIDE_A,
                    SIDE_B, SIDE_NONE, SRC_UNIT)

__all__ = ["chain", "oppose"]


@nb.njit(cache=True, nogil=True, _nrt=False)
def _cmp(x, op, v):
    if x != x:  # NaN: unknown -> false
        return False
    if op == CMP_LT:
        return x < v
    if op == CMP_LE:
        return x <= v
    if op == CMP_GT:
        return x > v
    return x >= v

@nb.njit(cache=True, nogil=True, _nrt=False)
def _rollup(e, order, parent, out):
    n = e.shape[0]
    for c in range(n):
        out[c] = e[c]
    for k in range(n):
        c = order[k]  # deepest tier first
        p = parent[c]
        if p >= 0:
            out[p] += out[c]

@nb.njit(cache=True, nogil=True, _nrt=False)
def _condition(pc, p_lo, p_hi, p_op, p_arg, p_cmp, p_val, cond_sets, roll, vad, stack):
    if p_hi <= p_lo:
        return True
    top = 0
    for k in range(p_lo, p_hi):
        op = p_op[k]
        if op == OP_TRUE:
            stack[top] = True
            top += 1
        elif op == OP_VAD:
            stack[top] = _cmp(vad[p_arg[k]], p_cmp[k], p_val[k])
            top += 1
        elif op == OP_SCORE or op == OP_ANY:
            best = 0.0
            s = p_arg[k]
            for c in range(roll.shape[0]):
                if cond_sets[s, c] and roll[c] > 0.0:
                    v = 1.0 - np.exp(-roll[c])
                    if v > best:
                        best = v
            if op == OP_SCORE:
                stack[top] = _cmp(best, p_cmp[k], p_val[k])
            else:
                stack[top] = best > 0.0
            top += 1
        elif op == OP_AND:
            top -= 1
            stack[top - 1] = stack[top - 1] and stack[top]
        elif op == OP_OR:
            top -= 1
            stack[top - 1] = stack[top - 1] or stack[top]
        else:
            stack[top - 1] = not stack[top - 1]
    return stack[top - 1]

@nb.njit(cache=True, nogil=True, _nrt=False)
def _unit_vad(e, cvad, out):
    sw = 0.0
    out[0] = 0.0
    out[1] = 0.0
    out[2] = 0.0
    for c in range(e.shape[0]):
        w = e[c]
        if w > 0.0 and cvad[c, 0] == cvad[c, 0]:
            sw += w
            for j in range(3):
                out[j] += w * cvad[c, j]
    if sw > 0.0:
        for j in range(3):
            out[j] /= sw
    else:
        for j in range(3):
            out[j] = np.nan

@nb.njit(cache=True, nogil=True)
def chain(evidence, ctx_a, ctx_b, ctx_doc, context, order, parent, anc, cvad,
          r_kind, r_gain, r_min, r_combine, r_enabled, r_member,
          p_ptr, p_op, p_arg, p_cmp, p_val, cond_sets,
          d_rule, d_target, d_prem, d_nprem, d_src, max_rounds):
    """Forward chaining over ``evidence[n_units, n_concepts]`` (observed, >= 0).

    Derivation ``d`` (rule ``d_rule[d]``) adds evidence to ``d_target[d]`` from its premises
    ``d_prem[d, :d_nprem[d]]``, read in the same unit (``d_src`` 0), or for transitions in the
    unit's earlier turns ``ctx_a`` (premise 0) and ``ctx_b`` (premise 1) (``d_src`` 1).
    Contributions are *assigned* each round from the previous round's state (never
    accumulated), a premise never counts evidence inferred for the derivation's own target
    (no self-support), and at most ``max_rounds`` rounds run: loops cannot pump evidence.
    Hierarchy rules add ``gain * context`` (rolled up) once, before the loop.

    Returns ``(total evidence, contrib[n_units, n_deriv], premise scores
    [n_units, n_deriv, max_premises], rounds used per unit)``.

    One function (~130 lines of code): the fixed-point loop's state (contributions, premise
    scores, the rolled-up unit) is shared by every step of a round.
    """
    n_u, n_c = evidence.shape
    n_d = d_rule.shape[0]
    n_r = r_kind.shape[0]
    mp = d_prem.shape[1]
    total = np.empty((n_u, n_c), dtype=np.float64)
    contrib = np.zeros((n_u, n_d), dtype=np.float64)
    prem_score = np.zeros((n_u, n_d, mp), dtype=np.float64)
    rounds = np.zeros(n_u, dtype=np.int32)
    prior = np.zeros((n_u, n_c), dtype=np.float64)
    roll = np.empty(n_c, dtype=np.float64)
    croll = np.empty(n_c, dtype=np.float64)
    scratch = np.empty(n_c, dtype=np.float64)
    need_vad = False
    for k in range(p_op.shape[0]):
        if p_op[k] == OP_VAD:
            need_vad = True
    inferred_at = np.zeros(n_c, dtype=np.float64)
    vad = np.empty(3, dtype=np.float64)
    stack = np.zeros(64, dtype=np.bool_)
    new = np.zeros(n_d, dtype=np.float64)
    newp = np.zeros((n_d, mp), dtype=np.float64)
    fire = np.zeros(n_r, dtype=np.bool_)
    for u in range(n_u):
        for c in range(n_c):
            v = evidence[u, c]
            total[u, c] = v if (v == v and v > 0.0 and v < np.inf) else 0.0
        # hierarchy: top-down prior from the document-level context
        if ctx_doc[u] >= 0:
            has = False
            for c in range(n_c):
                if total[u, c] > 0.0:
                    has = True
                    break
            if has:
                _rollup(context[ctx_doc[u]], order, parent, croll)
                for r in range(n_r):
                    if r_kind[r] != KIND_HIERARCHY or not r_enabled[r]:
                        continue
                    for c in range(n_c):
                        if r_member[r, c] and croll[c] > 0.0:
                            s = 1.0 - np.exp(-croll[c])
                            if s >= r_min[r]:
                                prior[u, c] += r_gain[r] * s
                for c in range(n_c):
                    if prior[u, c] > MAX_EVIDENCE:
                        prior[u, c] = MAX_EVIDENCE
                    total[u, c] += prior[u, c]
        has = False
        for c in range(n_c):
            if total[u, c] > 0.0:
                has = True
                break
        if n_d == 0 or not (has or (ctx_a[u] >= 0 and ctx_b[u] >= 0)):
            continue
        for rnd in range(max_rounds):
            # current state: observed + prior + inferred (rolled up)
            for c in range(n_c):
                inferred_at[c] = 0.0
            for d in range(n_d):
                inferred_at[d_target[d]] += contrib[u, d]
            for c in range(n_c):
                roll[c] = total[u, c] + inferred_at[c]
            if need_vad:  # only VAD conditions read it
                _unit_vad(roll, cvad, vad)
            for c in range(n_c):
                scratch[c] = roll[c]
            _rollup(scratch, order, parent, roll)
            for r in range(n_r):
                fire[r] = r_enabled[r] and (r_kind[r] == KIND_COMPOSE or r_kind[r] == KIND_TRANSITION) and _condition(
                    0, p_ptr[r], p_ptr[r + 1], p_op, p_arg, p_cmp, p_val, cond_sets, roll,
                    vad, stack)
            changed = False
            for d in range(n_d):
                r = d_rule[d]
                new[d] = 0.0
                for i in range(mp):
                    newp[d, i] = 0.0
                if not fire[r]:
                    continue
                t = d_target[d]
                ok = True
                acc = (1.0 if r_combine[r] == COMBINE_PRODUCT
                       else (0.0 if r_combine[r] == COMBINE_MEAN else 1e300))
                for i in range(d_nprem[d]):
                    p = d_prem[d, i]
                    if d_src[d] == SRC_UNIT:
                        ev = roll[p]
                        if anc[t, p]:  # no self-support: drop what was inferred for t
                            for d2 in range(n_d):
                                if d_target[d2] == t:
                                    ev -= contrib[u, d2]
                    else:
                        src = ctx_a[u] if i == 0 else ctx_b[u]
                        if src < 0:
                            ok = False
                            break
                        # earlier turns are final: their rolled-up total evidence
                        _rollup(total[src], order, parent, croll)
                        ev = croll[p]
                    if ev < 0.0:
                        ev = 0.0
                    s = 1.0 - np.exp(-ev)
                    if s <= 0.0 or s < r_min[r]:
                        ok = False
                        break
                    newp[d, i] = s
                    if r_combine[r] == COMBINE_MIN:
                        acc = min(acc, s)
                    elif r_combine[r] == COMBINE_PRODUCT:
                        acc *= s
                    else:
                        acc += s / d_nprem[d]
                if not ok or d_nprem[d] == 0:
                    for i in range(mp):
                        newp[d, i] = 0.0
                    continue
                v = r_gain[r] * acc
                if v > MAX_EVIDENCE:
                    v = MAX_EVIDENCE
                if not (v > 0.0):
                    v = 0.0
                new[d] = v
            for d in range(n_d):
                if abs(new[d] - contrib[u, d]) > EPS:
                    changed = True
                contrib[u, d] = new[d]
                for i in range(mp):
                    prem_score[u, d, i] = newp[d, i]
            rounds[u] = rnd + 1
            if not changed:
                break
        for d in range(n_d):
            total[u, d_target[d]] += contrib[u, d]
    return total, contrib, prem_score, rounds

@nb.njit(cache=True, nogil=True, inline="always")
def _side(anc, c, a, b):
    """1 when concept ``c`` is under ``a`` only, 2 when under ``b`` only, else 0."""
    ina = anc[c, a]
    inb = anc[c, b]
    if ina and not inb:
        return SIDE_A
    if inb and not ina:
        return SIDE_B
    return SIDE_NONE

@nb.njit(cache=True, nogil=True)
def oppose(unit, concept, weight, anc, pa, pb, p_rule, r_policy, r_min, r_enabled):
    """Opposition within units: ``unit`` (sorted ascending) groups the matches.

    For each pair ``(pa[k], pb[k])`` whose two sides both have evidence in a unit (the sum
    of the weights of the matches under each side, counted up to ``MAX_EVIDENCE``; both scores
    >= the rule's ``min``), the
    rule's policy decides: mixed keeps both, net removes the smaller total from both sides,
    stronger drops the weaker side (ties are kept). Pairs apply in order.
    Returns the new weights and one record per firing: (first match, pair, evidence a,
    evidence b, factor a, factor b).
    """
    n = unit.shape[0]
    w = weight.copy()
    for i in range(n):
        if not (w[i] == w[i]) or w[i] < 0.0 or w[i] == np.inf:
            w[i] = 0.0
    n_p = pa.shape[0]
    cap = n * n_p + 1
    rec_m = np.empty(cap, dtype=np.int64)
    rec_p = np.empty(cap, dtype=np.int64)
    rec_ea = np.empty(cap, dtype=np.float64)
    rec_eb = np.empty(cap, dtype=np.float64)
    rec_fa = np.empty(cap, dtype=np.float64)
    rec_fb = np.empty(cap, dtype=np.float64)
    n_rec = 0
    lo = 0
    while lo < n:
        hi = lo + 1
        while hi < n and unit[hi] == unit[lo]:
            hi += 1
        if hi - lo >= 2:
            first = n_rec
            for k in range(n_p):
                r = p_rule[k]
                if not r_enabled[r]:
                    continue
                a = pa[k]
                b = pb[k]
                covered = False  # a more general pair already resolved this conflict
                for q in range(first, n_rec):
                    qa = pa[rec_p[q]]
                    qb = pb[rec_p[q]]
                    if (anc[a, qa] and anc[b, qb]) or (anc[a, qb] and anc[b, qa]):
                        covered = True
                        break
                if covered:
                    continue
                ea = 0.0
                eb = 0.0
                for i in range(lo, hi):
                    side = _side(anc, concept[i], a, b)
                    if side == SIDE_A:
                        ea += w[i]
                    elif side == SIDE_B:
                        eb += w[i]
                if ea <= 0.0 or eb <= 0.0:
                    continue
                # a side counts up to MAX_EVIDENCE (scores saturate long before): huge weights
                # must not overflow into inf - inf
                ea = min(ea, MAX_EVIDENCE)
                eb = min(eb, MAX_EVIDENCE)
                if 1.0 - np.exp(-ea) < r_min[r] or 1.0 - np.exp(-eb) < r_min[r]:
                    continue
                fa = 1.0
                fb = 1.0
                pol = r_policy[r]
                if pol == POLICY_NET:
                    m = min(ea, eb)
                    fa = (ea - m) / ea
                    fb = (eb - m) / eb
                elif pol == POLICY_STRONGER:
                    if ea > eb:
                        fb = 0.0
                    elif eb > ea:
                        fa = 0.0
                for i in range(lo, hi):
                    side = _side(anc, concept[i], a, b)
                    if side == SIDE_A:
                        w[i] *= fa
                    elif side == SIDE_B:
                        w[i] *= fb
                rec_m[n_rec] = lo
                rec_p[n_rec] = k
                rec_ea[n_rec] = ea
                rec_eb[n_rec] = eb
                rec_fa[n_rec] = fa
                rec_fb[n_rec] = fb
                n_rec += 1
        lo = hi
    return (w, rec_m[:n_rec], rec_p[:n_rec], rec_ea[:n_rec], rec_eb[:n_rec],
            rec_fa[:n_rec], rec_fb[:n_rec])
