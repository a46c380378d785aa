"""The rule kernel: one call per batch, plain numpy arrays in and out.

:func:`apply_rules` is ordinary Python over numpy arrays, compiled with
``numba.njit(cache=True)`` (or ahead of time, when the package is built: :mod:`tone.aot`);
only :mod:`tone.aot` imports this module (on first use), so ``import tone.rules`` does not
import numba. Codes and the table layout are in
:mod:`tone.rules.codes`. The semantics are described in ``rules/README.md``; the code follows the order
there: (1) cue scan per document (longest cue pattern at each token, cues do not overlap),
(2) sentences and their trailing ``!``/``?`` runs (one pass with the cue scan), (3) per
contrast/concede rule, its cue tokens in order; the nearest cue before and after a match in its
sentence is found by a search that goes on from the previous match's (matches come in token
order; bisection when they do not), (4) per match, every rule in file order. Each step is linear
in the number of tokens and matches (backward scans are bounded by the rule's window plus the
longest cue, and step from one cue to the one before it).
"""
from __future__ import annotations

import numba as nb
import numpy as np

from .codes import (
    ACTION_DAMPEN,
    ACTION_FLIP,
    FRAME_REACH,
    KIND_CAPS,
    KIND_CONCEDE,
    KIND_CONTRAST,
    KIND_DAMPEN,
    KIND_ELONGATED,
    KIND_EXCLAIM,
    KIND_FRAME,
    KIND_NEGATE,
    KIND_QUESTION,
    KIND_REPEAT,
    KIND_SCALE,
    QUESTION,
    TERMINAL,
)

__all__ = ["apply_rules"]


@nb.njit(cache=True, nogil=True, _nrt=False)
def _lower_bound(cues, lo, hi, x):
    """The first index in ``lo:hi`` of the sorted ``cues`` whose cue is >= ``x`` (``hi``: none)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if cues[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@nb.njit(cache=True, nogil=True, _nrt=False)
def _near(slot_cues, sl, n, ms, me, first, stop, pos):
    """The nearest cue before ``ms`` at or after ``first``, and the nearest at or after ``me``
    before ``stop`` (-1 when none), among the sorted cue tokens ``slot_cues[sl, :n]``.

    ``pos[sl]`` = (first cue >= ms, first cue >= me, ms, me) of the previous call: matches come
    in token order, so the search goes on from there; when the order breaks (a new set of
    matches, or overlapping ones) it starts afresh by bisection."""
    cues = slot_cues[sl]
    if ms >= pos[sl, 2] and me >= pos[sl, 3]:
        lo = pos[sl, 0]
        while lo < n and cues[lo] < ms:
            lo += 1
        hi = pos[sl, 1]
        if hi < lo:
            hi = lo
        while hi < n and cues[hi] < me:
            hi += 1
    else:
        lo = _lower_bound(cues, 0, n, ms)
        hi = _lower_bound(cues, lo, n, me)  # me > ms
    pos[sl, 0] = lo
    pos[sl, 1] = hi
    pos[sl, 2] = ms
    pos[sl, 3] = me
    pc = -1
    if lo > 0 and cues[lo - 1] >= first:
        pc = cues[lo - 1]
    nc = -1
    if hi < n and cues[hi] < stop:
        nc = cues[hi]
    return pc, nc


@nb.njit(cache=True, nogil=True)
def _pattern_slots(pat_ptr, pat_rule_w, r_slot):
    """The longest cue pattern's length, and the slot bits of each pattern: bit s when the
    pattern is a cue of the (contrast/concede) rule owning slot s."""
    n_pat = pat_ptr.shape[0] - 1
    max_pat = 1
    for p in range(n_pat):
        ln = pat_ptr[p + 1] - pat_ptr[p]
        if ln > max_pat:
            max_pat = ln
    pat_slots = np.zeros(n_pat, np.uint64)
    for r in range(r_slot.shape[0]):
        sl = r_slot[r]
        if sl < 0:
            continue
        for p in range(n_pat):
            if not np.isnan(pat_rule_w[p, r]):
                pat_slots[p] |= np.uint64(1) << np.uint64(sl)
    return max_pat, pat_slots


@nb.njit(cache=True, nogil=True)
def _scan(doc_ptr, key, squeezed, squeezed1, flags, kind, m_doc, tables, pat_slots, consts):
    """Steps (1) and (2), one pass per document with matches: the longest cue pattern at each
    token (``pat_at``, -1: none; cues do not overlap), the token where the previous cue begins
    (``prev_cue``), the sentences (``sent_id`` of each token; start, end, question and ``!``
    count of each) and whether a document has lowercase words (``doc_mixed``); plus the
    tokens where a contrast/concede cue starts, in scan order.

    Kept as one function (~150 lines): the cue probe and the sentence bookkeeping share one
    pass over the tokens and its running state (free, last cue, the trailing !/? run);
    splitting the pass would read every token twice."""
    ht_key, ht_used, ht_begin, ht_count = (tables.ht_key, tables.ht_used, tables.ht_begin,
                                           tables.ht_count)
    order, pat_ptr, pat_keys = tables.order, tables.pat_ptr, tables.pat_keys
    pat_term, pat_excl = tables.pat_term, tables.pat_excl
    n_docs = doc_ptr.shape[0] - 1
    n_tok = key.shape[0]
    n_m = m_doc.shape[0]
    caps_bit = np.uint8(consts[0])
    elong_bit = np.uint8(consts[1])
    sent_bit = np.uint8(consts[2])
    word_kind = consts[3]
    cap_ht = ht_key.shape[0]
    mask = np.uint64(cap_ht - 1) if cap_ht > 0 else np.uint64(0)
    # cue scan: the longest cue pattern at each token, cues do not overlap
    pat_at = np.empty(n_tok, np.int32)
    for i in range(n_tok):
        pat_at[i] = -1
    # the nearest token before each token (in its document) where a cue begins, -1: none; the
    # backward scans of (4) step from cue to cue through it
    prev_cue = np.empty(n_tok, np.int32)
    sent_id = np.empty(n_tok, np.int32)
    sent_start = np.empty(n_tok + 1, np.int32)
    sent_end = np.empty(n_tok + 1, np.int32)
    sent_q = np.empty(n_tok + 1, np.bool_)
    sent_excl = np.empty(n_tok + 1, np.float32)
    doc_mixed = np.zeros(max(n_docs, 0), np.bool_)
    cue_tok = np.empty(16, np.int64)  # tokens where a contrast/concede cue starts
    n_cue = 0
    n_sent = 0
    hmask = cap_ht - 1
    # a 4096-bit filter over the first-token keys of the cue patterns: most tokens start no cue
    # and are rejected with one bit test instead of a probe sequence
    bloom = np.zeros(64, np.uint64)
    for h in range(cap_ht):
        if ht_used[h]:
            fb = (ht_key[h] >> np.uint64(40)) & np.uint64(4095)
            bloom[fb >> np.uint64(6)] |= np.uint64(1) << (fb & np.uint64(63))
    # only documents with matches need their cues and sentences (most lines of a book have
    # none); a match reads nothing outside its own document
    has_match = np.zeros(max(n_docs, 0), np.bool_)
    for m in range(n_m):
        if 0 <= m_doc[m] < n_docs:
            has_match[m_doc[m]] = True
    for d in range(n_docs):
        a = doc_ptr[d]
        b = doc_ptr[d + 1]
        if a < 0 or b > n_tok or a >= b or not has_match[d]:
            continue
        free = a
        last_cue = -1
        prev_term = False
        run_q = False
        run_x = np.float32(0.0)
        cur = -1
        for i in range(a, b):
            p = -1
            if i >= free:
                pat_at[i] = -1
                fl = flags[i]
                n_try = 3 if (fl & elong_bit) != 0 else 1
                if cap_ht == 0:
                    n_try = 0
                for t in range(n_try):
                    if p >= 0:
                        break
                    if t == 0:
                        k0 = key[i]
                    elif t == 1:
                        k0 = squeezed1[i]
                    else:
                        k0 = squeezed[i]
                    fb = (k0 >> np.uint64(40)) & np.uint64(4095)
                    if (bloom[fb >> np.uint64(6)] >> (fb & np.uint64(63))) & np.uint64(1) == 0:
                        continue
                    h = np.int64(k0 & mask)
                    for _probe in range(cap_ht):
                        if not ht_used[h]:
                            break
                        if ht_key[h] == k0:
                            for q in range(ht_begin[h], ht_begin[h] + ht_count[h]):
                                pq = order[q]
                                ln = pat_ptr[pq + 1] - pat_ptr[pq]
                                if i + ln > b:
                                    continue
                                ok = True
                                for o in range(1, ln):
                                    j = i + o
                                    kk = pat_keys[pat_ptr[pq] + o]
                                    if key[j] == kk:
                                        continue
                                    if (flags[j] & elong_bit) != 0 and (squeezed1[j] == kk
                                                                        or squeezed[j] == kk):
                                        continue
                                    ok = False
                                    break
                                if ok:
                                    p = pq
                                    break
                            break
                        h = (h + 1) & hmask
                if p >= 0:
                    pat_at[i] = p
                    free = i + pat_ptr[p + 1] - pat_ptr[p]
                    if pat_slots[p] != 0:
                        if n_cue == cue_tok.shape[0]:
                            grown = np.empty(2 * n_cue, np.int64)
                            grown[:n_cue] = cue_tok[:n_cue]
                            cue_tok = grown
                        cue_tok[n_cue] = i
                        n_cue += 1
            else:
                pat_at[i] = -1
            prev_cue[i] = last_cue
            if p >= 0:
                last_cue = i
            # sentences and their trailing !/? runs
            term = p >= 0 and (pat_term[p] & TERMINAL) != 0
            if kind[i] == word_kind and (flags[i] & caps_bit) == 0:
                doc_mixed[d] = True
            new = cur < 0 or (not term and (prev_term or (flags[i] & sent_bit) != 0))
            if new:
                if cur >= 0:
                    sent_end[cur] = i
                    sent_q[cur] = run_q
                    sent_excl[cur] = run_x
                cur = n_sent
                n_sent += 1
                sent_start[cur] = i
                run_q = False
                run_x = np.float32(0.0)
            sent_id[i] = cur
            if term:
                if not prev_term:
                    run_q = False
                    run_x = np.float32(0.0)
                if (pat_term[p] & QUESTION) != 0:
                    run_q = True
                run_x += pat_excl[p]
            else:
                run_q = False
                run_x = np.float32(0.0)
            prev_term = term
        sent_end[cur] = b
        sent_q[cur] = run_q
        sent_excl[cur] = run_x
    return (pat_at, prev_cue, sent_id, sent_start, sent_end, sent_q, sent_excl, doc_mixed,
            cue_tok[:n_cue])


@nb.njit(cache=True, nogil=True)
def _slot_cues(cue_tok, pat_at, pat_slots, n_slots):
    """Step (3): the cue tokens of each contrast/concede slot, sorted (``slot_cues[sl,
    :slot_n[sl]]``), for the nearest-cue search of :func:`_near`."""
    n_cue = cue_tok.shape[0]
    cues = cue_tok
    sorted_ok = True
    for q in range(1, n_cue):
        if cues[q] <= cues[q - 1]:
            sorted_ok = False
            break
    if not sorted_ok:  # overlapping document ranges: keep each token once
        cues = np.unique(cues)
    slot_cues = np.empty((max(n_slots, 1), cues.shape[0]), np.int64)
    slot_n = np.zeros(max(n_slots, 1), np.int64)
    for q in range(cues.shape[0]):
        i = cues[q]
        p = pat_at[i]
        if p < 0:
            continue
        bits = pat_slots[p]
        for sl in range(n_slots):
            if (bits >> np.uint64(sl)) & np.uint64(1):
                slot_cues[sl, slot_n[sl]] = i
                slot_n[sl] += 1
    return slot_cues, slot_n


# ---- (4) one small helper per rule kind (numba inlines them: measured, no cost) ----------

@nb.njit(cache=True, nogil=True, _nrt=False)
def _scope_cues(r, scale, ms, ss, max_pat, prev_cue, pat_at, pat_ptr, pat_rule_w, pat_stop,
                r_window, r_gain, r_decay, prev_start, comment):
    """Kinds negate, scale, dampen, concede: the cues of rule ``r`` in scope of a match at
    ``ms`` (ending at most ``window`` tokens before it, within its sentence from ``ss``, not
    past a stop token), by a backward scan from cue to cue. Returns ``(count, product of the
    scale factors, first cue found or -1)``; with ``scale``, a cue an earlier match took
    (``prev_start``) does not count. A ``comment`` match (one starting at a hashtag, emoji or
    emoticon) is the writer's comment on the clause, not a word of it: only a cue right
    before it reaches it (``not #happy``; not ``nobody showed up #awful``). A match that starts
    at one of the rule's own stop cues is out of every scope of the rule (the negation rules
    stop at laughter: ``he didn't lol``)."""
    p0 = pat_at[ms]
    if p0 >= 0 and pat_stop[p0, r]:
        return 0, 1.0, -1
    lo = ms - r_window[r] - max_pat
    if lo < ss:
        lo = ss
    count = 0
    prod = 1.0
    where = -1
    nxt = prev_cue[ms]
    while nxt >= lo:
        j = nxt
        nxt = prev_cue[j]
        p = pat_at[j]
        if pat_stop[p, r]:
            break
        wq = pat_rule_w[p, r]
        if np.isnan(wq):
            continue
        cue_end = j + pat_ptr[p + 1] - pat_ptr[p]
        if cue_end > ms:
            continue
        gap = ms - cue_end
        if gap >= r_window[r] or (comment and gap > 0):
            continue
        if scale:
            if prev_start >= cue_end:
                continue  # an earlier match took this cue
            dec = 1.0 - r_decay[r] * gap
            if dec < 0.0:
                dec = 0.0
            fc = 1.0 + r_gain[r] * wq * dec
            if fc < 0.0:
                fc = 0.0
            prod *= fc
        if where < 0:
            where = j
        count += 1
    return count, prod, where


@nb.njit(cache=True, nogil=True, _nrt=False)
def _negate(r, concept, n_c, r_action, r_target, r_f1, r_f2, flip_target):
    """An odd number of negators: ``(factor, concept)`` after the rule's action."""
    f = 1.0
    act = r_action[r]
    if act == ACTION_FLIP:
        t = r_target[r]
        if t < 0 or t >= n_c:
            t = flip_target[concept] if concept < n_c else -1
        if t >= 0:
            concept = np.int32(t)
            f = r_f1[r]
        else:
            f = r_f2[r]
    elif act == ACTION_DAMPEN:
        f = r_f1[r]
    return f, concept


@nb.njit(cache=True, nogil=True, _nrt=False)
def _clamp_scale(prod, cp):
    """The product of a scale rule's cue factors, clamped to [1/cap, cap]."""
    if prod > cp:
        prod = cp
    if prod < 1.0 / cp:
        prod = 1.0 / cp
    return prod


@nb.njit(cache=True, nogil=True, _nrt=False)
def _frame(r, ms, ss, max_pat, prev_cue, pat_at, pat_ptr, pat_rule_w, pat_stop, r_window, r_f1,
           r_f2, prev_start):
    """Experiencer frame: the nearest cue of ``r`` before the match in its clause (no stop
    token between, at most FRAME_REACH tokens); the first match after it within window
    tokens is the frame's predicate (x f1), later ones x f2. Returns ``(hit, f, where)``."""
    hit = False
    f = 1.0
    where = -1
    lo = ms - FRAME_REACH - max_pat
    if lo < ss:
        lo = ss
    nxt = prev_cue[ms]
    while nxt >= lo:
        j = nxt
        nxt = prev_cue[j]
        p = pat_at[j]
        if pat_stop[p, r]:
            break
        if np.isnan(pat_rule_w[p, r]):
            continue
        cue_end = j + pat_ptr[p + 1] - pat_ptr[p]
        if cue_end > ms:
            continue
        gap = ms - cue_end
        if gap >= FRAME_REACH:
            break
        if gap < r_window[r] and prev_start < cue_end:
            hit = True
            f = r_f1[r]
        elif r_f2[r] != 1.0:
            hit = True
            f = r_f2[r]
        where = j
        break
    return hit, f, where


@nb.njit(cache=True, nogil=True, _nrt=False)
def _contrast(pc, nc, ms, pat_at, pat_ptr, before, after):
    """A contrast cue later in the sentence (``nc``): x before; one earlier (``pc``, ending
    before the match): x after. Returns ``(hit, f, where)``."""
    hit = False
    f = 1.0
    where = -1
    if pc >= 0 and pc + pat_ptr[pat_at[pc] + 1] - pat_ptr[pat_at[pc]] > ms:
        pc = -1
    if nc >= 0:
        hit = True
        f *= before
        where = nc
    if pc >= 0:
        hit = True
        f *= after
        if where < 0:
            where = pc
    return hit, f, where


@nb.njit(cache=True, nogil=True, _nrt=False)
def _flagged(flags, ms, me, bit):
    """The first token of ``ms:me`` with flag ``bit`` (caps, elongated), or -1."""
    for j in range(ms, me):
        if (flags[j] & bit) != 0:
            return j
    return -1


@nb.njit(cache=True, nogil=True, _nrt=False)
def _repeat(key, kind, ms, me, a, b, emoji_kind, emoticon_kind, max_n, per):
    """A one-token emoji/emoticon match repeated right after it (its first copy only): x (1 +
    per x copies, at most ``max_n``). Returns ``(hit, f, where)``."""
    if me - ms == 1 and (kind[ms] == emoji_kind or kind[ms] == emoticon_kind) and (
            ms == a or key[ms - 1] != key[ms]):
        n = 0
        j = me
        while j < b and key[j] == key[ms] and n < max_n:
            n += 1
            j += 1
        if n > 0:
            return True, 1.0 + per * n, me
    return False, 1.0, -1


@nb.njit(cache=True, nogil=True)
def apply_rules(doc_ptr, key, squeezed, squeezed1, flags, kind,
                m_doc, m_start, m_end, m_concept, m_weight, set_ptr, tables, consts, max_total):
    """Apply the compiled rules (``tables``: :class:`~tone.rules.codes.RuleTables`) to a
    batch. The matches form sets (``set_ptr``: where each begins, each sorted by document and
    token), ruled independently over one cue scan. ``consts`` = [CAPS, ELONGATED, SENT_START
    bits, WORD, EMOJI, EMOTICON, HASHTAG kind codes, number of slots]. Returns ``(concept, weight,
    negated, fired, cue[M, R], factor[M, R])``."""
    pat_ptr, pat_rule_w, pat_stop = tables.pat_ptr, tables.pat_rule_w, tables.pat_stop
    r_kind, r_window, r_f1, r_f2 = tables.r_kind, tables.r_window, tables.r_f1, tables.r_f2
    r_cap, r_gain, r_decay, r_max = tables.r_cap, tables.r_gain, tables.r_decay, tables.r_max
    r_action, r_target, r_slot = tables.r_action, tables.r_target, tables.r_slot
    member, flip_target = tables.member, tables.flip_target
    n_docs = doc_ptr.shape[0] - 1
    n_tok = key.shape[0]
    n_m = m_doc.shape[0]
    n_r = r_kind.shape[0]
    n_c = member.shape[1]
    caps_bit = np.uint8(consts[0])
    elong_bit = np.uint8(consts[1])
    emoji_kind = consts[4]
    emoticon_kind = consts[5]
    hashtag_kind = consts[6]
    n_slots = consts[7]

    max_pat, pat_slots = _pattern_slots(pat_ptr, pat_rule_w, r_slot)

    # ---- (1) cue scan and (2) sentences, one pass per document -----------------------------
    (pat_at, prev_cue, sent_id, sent_start, sent_end, sent_q, sent_excl, doc_mixed,
     cue_tok) = _scan(doc_ptr, key, squeezed, squeezed1, flags, kind, m_doc, tables, pat_slots,
                      consts)
    # ---- (3) cue tokens of each contrast/concede slot, sorted (nearest cue by bisection) --
    slot_cues, slot_n = _slot_cues(cue_tok, pat_at, pat_slots, n_slots)

    # ---- (4) matches --------------------------------------------------------------------------
    out_c = m_concept.astype(np.int32).copy()
    out_w = np.zeros(n_m, np.float32)
    negated = np.zeros(n_m, np.bool_)
    fired = np.zeros(n_m, np.uint64)
    cue = np.full((n_m, n_r), -1, np.int32)
    fac = np.ones((n_m, n_r), np.float32)
    near_pos = np.zeros((max(n_slots, 1), 4), np.int64)
    near_pos[:, 2] = np.iinfo(np.int64).max  # the first search of each slot bisects
    fmax = np.float32(3.0e38)

    last_doc = -1
    cur_start = -1
    prev_start = -1
    next_set = 1
    for m in range(n_m):
        while next_set < set_ptr.shape[0] and m == set_ptr[next_set]:
            last_doc = -1  # a new set of matches: nothing carries over
            next_set += 1
        w0 = np.float32(m_weight[m])
        if not np.isfinite(w0) or w0 < 0:
            w0 = np.float32(0.0)
        out_w[m] = w0
        d = m_doc[m]
        ms = m_start[m]
        me = m_end[m]
        c = m_concept[m]
        if d < 0 or d >= n_docs:
            continue
        a = doc_ptr[d]
        b = doc_ptr[d + 1]
        if a < 0 or b > n_tok or ms < a or me > b or ms >= me or c < 0 or c >= n_c:
            continue
        if d != last_doc:
            last_doc = d
            cur_start = -1
            prev_start = -1
        if ms != cur_start:
            prev_start = cur_start
            cur_start = ms
        s = sent_id[ms]
        ss = sent_start[s]
        comment = kind[ms] == hashtag_kind or kind[ms] == emoji_kind or kind[ms] == emoticon_kind
        total = 1.0
        concept = np.int32(c)
        for r in range(n_r):
            if not member[r, c]:
                continue
            kd = r_kind[r]
            f = 1.0
            where = -1
            hit = False
            if kd == KIND_NEGATE or kd == KIND_SCALE or kd == KIND_DAMPEN or kd == KIND_CONCEDE:
                count, prod, where = _scope_cues(r, kd == KIND_SCALE, ms, ss, max_pat, prev_cue,
                                                 pat_at, pat_ptr, pat_rule_w, pat_stop,
                                                 r_window, r_gain, r_decay, prev_start,
                                                 comment)
                if kd == KIND_NEGATE:
                    if count % 2 == 1:
                        hit = True
                        f, concept = _negate(r, concept, n_c, r_action, r_target, r_f1, r_f2,
                                             flip_target)
                        negated[m] = True
                elif kd == KIND_SCALE:
                    if count > 0:
                        hit = True
                        f = _clamp_scale(prod, r_cap[r])
                elif kd == KIND_DAMPEN:
                    if count > 0:
                        hit = True
                        f = r_f1[r]
                else:  # concede: x clause inside the cue's scope, x rest elsewhere in the sentence
                    if count > 0:
                        hit = True
                        f = r_f1[r]
                    else:
                        sl = r_slot[r]
                        pc, nc = _near(slot_cues, sl, slot_n[sl], ms, me, ss, sent_end[s], near_pos)
                        if pc >= 0 or nc >= 0:
                            hit = True
                            f = r_f2[r]
                            where = pc if pc >= 0 else nc
            elif kd == KIND_FRAME:
                hit, f, where = _frame(r, ms, ss, max_pat, prev_cue, pat_at, pat_ptr, pat_rule_w,
                                       pat_stop, r_window, r_f1, r_f2, prev_start)
            elif kd == KIND_CONTRAST:
                sl = r_slot[r]
                pc, nc = _near(slot_cues, sl, slot_n[sl], ms, me, ss, sent_end[s], near_pos)
                hit, f, where = _contrast(pc, nc, ms, pat_at, pat_ptr, r_f1[r], r_f2[r])
            elif kd == KIND_QUESTION:
                # a term that ends on the question mark ("really?", "what?") is the question
                # itself, curated with its weight as a question: not asked about again
                if sent_q[s] and me < sent_end[s]:
                    hit = True
                    f = r_f1[r]
                    where = sent_end[s] - 1
            elif kd == KIND_EXCLAIM:
                x = sent_excl[s]
                if x > r_max[r]:
                    x = r_max[r]
                if x > 0:
                    hit = True
                    f = 1.0 + r_f1[r] * x
                    where = sent_end[s] - 1
            elif kd == KIND_CAPS or kd == KIND_ELONGATED:
                bit = caps_bit if kd == KIND_CAPS else elong_bit
                if kd == KIND_ELONGATED or doc_mixed[d]:
                    where = _flagged(flags, ms, me, bit)
                    if where >= 0:
                        hit = True
                        f = r_f1[r]
            elif kd == KIND_REPEAT:
                hit, f, where = _repeat(key, kind, ms, me, a, b, emoji_kind, emoticon_kind,
                                        r_max[r], r_f1[r])
            if hit:
                if not np.isfinite(f) or f < 0.0:
                    f = 0.0
                fired[m] |= np.uint64(1) << np.uint64(r)
                cue[m, r] = where
                fac[m, r] = f
                total *= f
        if total > max_total:
            total = max_total
        if not (total >= 0.0):
            total = 0.0
        wv = w0 * total
        if wv > fmax:
            wv = fmax
        out_w[m] = wv
        out_c[m] = concept
    return out_c, out_w, negated, fired, cue, fac
