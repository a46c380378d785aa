"""Numba kernels of the tokenizer. Imported lazily by :mod:`tone.text` (imports numba).

All kernels take flat numpy arrays and return flat numpy arrays; positions inside
kernels are global *character* indices into the decoded code point buffer ``cp``
(one element per Python ``str`` character, so lone surrogates and non-BMP
characters count exactly as Python counts them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..compile_notice import install as _notice_compiles
from ._tables import (
    C_ALOWER,
    C_ALPHA,
    C_AUPPER,
    C_DIGIT,
    C_DOTLB,
    C_INFIXC,
    C_EMOJI_COMP,
    C_EP,
    C_ICON,
    C_LETTER,
    C_PREFIX,
    C_PUNCT,
    C_QUOTE,
    C_SPACE,
    C_SUFFIX,
    C_UUPPER,
    C_ULOWER,
    C_WORD,
)

# token kinds
from .kinds import EMAIL, EMOJI, EMOTICON, HASHTAG, MENTION, NUM, PUNCT, SYMBOL, URL, WORD  # noqa: E402,F401

_notice_compiles()

# flags
F_CAPS = 1
F_ELONGATED = 2
F_SENT_START = 4
F_TITLE = 8

ZWJ = 0x200D
U64_OFFSET = np.uint64(0xCBF29CE484222325)
U64_PRIME = np.uint64(0x100000001B3)


# ---------------------------------------------------------------------------
# decoding


@njit(cache=True, nogil=True)
def decode(buf, doc_bptr):
    """UTF-8 (surrogatepass) bytes -> code points, and per-doc character offsets."""
    n = buf.shape[0]
    cp = np.empty(n, np.int32)
    ndoc = doc_bptr.shape[0] - 1
    doc_cptr = np.empty(ndoc + 1, np.int64)
    j = 0
    for d in range(ndoc):
        doc_cptr[d] = j
        i = doc_bptr[d]
        end = doc_bptr[d + 1]
        while i < end:
            b = np.int32(buf[i])
            if b < 0x80:
                c = b
                i += 1
            elif b < 0xE0:
                c = ((b & 0x1F) << 6) | (np.int32(buf[i + 1]) & 0x3F)
                i += 2
            elif b < 0xF0:
                c = ((b & 0x0F) << 12) | ((np.int32(buf[i + 1]) & 0x3F) << 6) | (np.int32(buf[i + 2]) & 0x3F)
                i += 3
            else:
                c = (
                    ((b & 0x07) << 18)
                    | ((np.int32(buf[i + 1]) & 0x3F) << 12)
                    | ((np.int32(buf[i + 2]) & 0x3F) << 6)
                    | (np.int32(buf[i + 3]) & 0x3F)
                )
                i += 4
            cp[j] = c
            j += 1
    doc_cptr[ndoc] = j
    return cp[:j], doc_cptr


# ---------------------------------------------------------------------------
# string tables


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def hash_cps(cp, s, e):
    h = U64_OFFSET
    for i in range(s, e):
        h ^= np.uint64(cp[i])
        h *= U64_PRIME
    return h


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def lookup(tk, tv, sptr, scp, maxlen, cp, s, e):
    n = e - s
    if n <= 0 or n > maxlen:
        return -1
    h = hash_cps(cp, s, e)
    mask = tk.shape[0] - 1
    i = np.int64(h & np.uint64(mask))
    while True:
        v = tv[i]
        if v < 0:
            return -1
        if tk[i] == h:
            a = sptr[v]
            if sptr[v + 1] - a == n:
                ok = True
                for k in range(n):
                    if scp[a + k] != cp[s + k]:
                        ok = False
                        break
                if ok:
                    return v
        i = (i + 1) & mask


SHAPE_BITS = 14  # the special-case shape filter: 2**14 bits, 2 KB


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def shape_bit(c0, c1, n):
    """The shape filter's bit for a string of ``n`` code points beginning ``c0 c1`` (c1 = 0 for
    a one-character string)."""
    h = (np.uint64(c0) * np.uint64(0x9E3779B97F4A7C15)) ^ (np.uint64(c1) * np.uint64(
        0xC2B2AE3D27D4EB4F)) ^ (np.uint64(n) * np.uint64(0x165667B19E3779F9))
    return (h * np.uint64(0xD6E8FEB86659FD93)) >> np.uint64(64 - SHAPE_BITS)


@njit(cache=True, nogil=True)
def shape_filter(sptr, scp):
    """A one-hash Bloom filter of the special cases' (first two code points, length): most
    words are rejected with one bit test, before their code points are hashed and probed."""
    bits = np.zeros(1 << (SHAPE_BITS - 6), np.uint64)
    for v in range(sptr.shape[0] - 1):
        a = sptr[v]
        n = sptr[v + 1] - a
        if n <= 0:
            continue
        b = shape_bit(scp[a], scp[a + 1] if n > 1 else 0, n)
        bits[b >> np.uint64(6)] |= np.uint64(1) << (b & np.uint64(63))
    return bits


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def maybe_special(bits, cp, s, e):
    """False when cp[s:e] is surely not a special case (the shape filter's bit is clear)."""
    b = shape_bit(cp[s], cp[s + 1] if e - s > 1 else 0, e - s)
    return (bits[b >> np.uint64(6)] >> (b & np.uint64(63))) & np.uint64(1) != 0


# ---------------------------------------------------------------------------
# character helpers


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def is_adigit(c):
    return 48 <= c <= 57


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def is_ri(c):
    return 0x1F1E6 <= c <= 0x1F1FF


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def emoji_fwd(cp, s, e, cls):
    """Length of the emoji sequence starting at s (0 when none starts there)."""
    c = cp[s]
    if is_ri(c):
        if s + 1 < e and is_ri(cp[s + 1]):
            return 2
        return 1
    if not (cls[c] & C_EP):
        return 0
    j = s + 1
    while j < e:
        c = cp[j]
        if cls[c] & C_EMOJI_COMP:
            j += 1
        elif c == ZWJ and j + 1 < e and (cls[cp[j + 1]] & C_EP):
            j += 2
        else:
            break
    return j - s


@njit(cache=True, nogil=True, _nrt=False)
def emoji_bwd(cp, s, e, cls):
    """Length of the emoji sequence ending at e (0 when none ends there)."""
    k = e - 1
    while True:
        while k > s and (cls[cp[k]] & C_EMOJI_COMP):
            k -= 1
        c = cp[k]
        if is_ri(c):
            if k - 1 >= s and is_ri(cp[k - 1]) and k == e - 1:
                return 2
            return e - k if k == e - 1 else 0
        if not (cls[c] & C_EP):
            return 0
        if k - 2 >= s and cp[k - 1] == ZWJ and (cls[cp[k - 2]] & (C_EP | C_EMOJI_COMP)):
            k -= 2
            continue
        return e - k


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def is_hashtag(cp, s, e, cls):
    if e - s < 2 or cp[s] != 35:
        return False
    letter = False
    for i in range(s + 1, e):
        b = cls[cp[i]]
        if not (b & C_WORD):
            return False
        if b & C_LETTER:
            letter = True
    return letter


# ---------------------------------------------------------------------------
# spaCy's affix rules (spacy/lang/punctuation.py, English infixes)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def find_prefix(cp, s, e, cls):
    c = cp[s]
    b = cls[c]
    if c == 43:  # \+(?![0-9])
        if s + 1 < e and is_adigit(cp[s + 1]):
            return 0
        return 1
    if (c == 35 or c == 42) and s + 1 < e and (cp[s + 1] == 0x20E3 or (cp[s + 1] == 0xFE0F and s + 2 < e and cp[s + 2] == 0x20E3)):
        return 2 if cp[s + 1] == 0x20E3 else 3  # keycap #️⃣ *️⃣ (tone: one EMOJI token)
    if c == 35 and s + 1 < e and (cls[cp[s + 1]] & C_LETTER):
        return 0  # '#tag' stays whole (tone deviation from spaCy: HASHTAG)
    if b & C_ICON or is_ri(c):
        n = emoji_fwd(cp, s, e, cls)
        return n if n > 1 else 1
    if b & C_PREFIX:
        return 1
    if c == 46:  # \.\.+
        j = s
        while j < e and cp[j] == 46:
            j += 1
        return j - s if j - s >= 2 else 0
    # US$ C$ A$
    if c == 85 and s + 2 < e and cp[s + 1] == 83 and cp[s + 2] == 36:
        return 3
    if (c == 67 or c == 65) and s + 1 < e and cp[s + 1] == 36:
        return 2
    return 0


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def find_suffix(cp, s, e, cls, uk, uv, uptr, ucp, umax):
    if e <= s:
        return 0
    best = 0
    last = cp[e - 1]
    b = cls[last]
    if b & C_SUFFIX:
        best = 1
    if b & C_ICON or is_ri(last) or (b & C_EMOJI_COMP):
        n = emoji_bwd(cp, s, e, cls)
        if n > best:
            best = n
    if last == 0x2026 and e - 2 >= s and cp[e - 2] == 0x2026:
        best = max(best, 2)
    if last == 46:
        j = e - 1
        while j > s and cp[j - 1] == 46:
            j -= 1
        if e - j >= 2:
            best = max(best, e - j)
        if best == 0:
            if e - 2 >= s and (cls[cp[e - 2]] & C_DOTLB):
                best = 1
            elif e - 3 >= s and (cls[cp[e - 2]] & C_AUPPER) and (cls[cp[e - 3]] & C_AUPPER):
                best = 1
            elif e - 3 >= s and cp[e - 3] == 0xB0 and (cp[e - 2] in (70, 102, 67, 99, 75, 107)):
                best = 1
    if (last == 115 or last == 83) and e - 2 >= s and (cp[e - 2] == 39 or cp[e - 2] == 0x2019):
        best = max(best, 2)
    if last == 43 and e - 2 >= s and is_adigit(cp[e - 2]):
        best = max(best, 1)
    # (?<=[0-9])(?:CURRENCY|UNITS)$ : the match starts right after the last digit
    if not is_adigit(last) and e - s >= 2 and e - s - 1 > best:
        p = e - 1
        lim = max(s, e - umax - 1)
        while p >= lim and not is_adigit(cp[p]):
            p -= 1
        if p >= lim and is_adigit(cp[p]) and e - p - 1 > best:
            if lookup(uk, uv, uptr, ucp, umax, cp, p + 1, e) >= 0:
                best = e - p - 1
    return best


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def infix_at(cp, i, s, e, cls):
    """Length of an infix match starting at i (0 if none), in spaCy's alternative order."""
    c = cp[i]
    if c == 46 and i + 1 < e and cp[i + 1] == 46:
        j = i
        while j < e and cp[j] == 46:
            j += 1
        return j - i
    if c == 0x2026:
        return 1
    b = cls[c]
    if b & C_ICON or is_ri(c):
        n = emoji_fwd(cp, i, e, cls)
        return n if n > 1 else 1
    if i == s:
        return 0
    prev = cp[i - 1]
    pb = cls[prev]
    nxt = cp[i + 1] if i + 1 < e else -1
    nb = cls[nxt] if nxt >= 0 else np.uint32(0)
    if (c == 43 or c == 45 or c == 42 or c == 94) and is_adigit(prev) and (is_adigit(nxt) or nxt == 45):
        return 1
    if c == 46 and (pb & (C_ALOWER | C_QUOTE)) and (nb & (C_AUPPER | C_QUOTE)):
        return 1
    if c == 44 and (pb & C_ALPHA) and (nb & C_ALPHA):
        return 1
    if (pb & C_ALPHA) or is_adigit(prev):
        # HYPHENS: - – — -- --- —— ~  (tried in this order)
        if c == 45:
            if nb & C_ALPHA:
                return 1
            if nxt == 45:
                if i + 2 < e and (cls[cp[i + 2]] & C_ALPHA):
                    return 2
                if i + 3 < e and cp[i + 2] == 45 and (cls[cp[i + 3]] & C_ALPHA):
                    return 3
            return 0
        if c == 0x2013 or c == 126:
            return 1 if nb & C_ALPHA else 0
        if c == 0x2014:
            if nb & C_ALPHA:
                return 1
            if nxt == 0x2014 and i + 2 < e and (cls[cp[i + 2]] & C_ALPHA):
                return 2
            return 0
        if (c == 58 or c == 60 or c == 62 or c == 61 or c == 47) and (nb & C_ALPHA):
            return 1
    return 0


# ---------------------------------------------------------------------------
# URL_PATTERN of spacy/lang/tokenizer_exceptions.py (without the IP branch)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _hostch(c):
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or (0xA1 <= c <= 0xFFFF)


@njit(cache=True, nogil=True, _nrt=False)
def _host_end(cp, h, e, cls):
    """End of a host (labels + lowercase TLD) starting at h, followed by port/path/end; -1 if none."""
    j = h
    while j < e:
        c = cp[j]
        if _hostch(c) or c == 95 or c == 45 or c == 46:
            j += 1
        else:
            break
    ld = -1
    for k in range(j - 1, h - 1, -1):
        if cp[k] == 46:
            ld = k
            break
    if ld < 0:
        return -1
    tl = j - ld - 1
    if tl < 2 or tl > 63:
        return -1
    for k in range(ld + 1, j):
        if not (cls[cp[k]] & C_ALOWER):
            return -1
    # labels in [h, ld]
    a = h
    while a <= ld:
        b = a
        while cp[b] != 46:
            b += 1
        n = b - a
        if n < 1 or n > 64:
            return -1
        if not _hostch(cp[a]) or not _hostch(cp[b - 1]):
            return -1
        a = b + 1
    # port
    if j < e and cp[j] == 58:
        k = j + 1
        while k < e and is_adigit(cp[k]):
            k += 1
        nd = k - j - 1
        if nd < 2 or nd > 5:
            return -1
        j = k
    if j == e:
        return j
    c = cp[j]
    if c == 47 or c == 63 or c == 35:
        return j
    return -1


@njit(cache=True, nogil=True, _nrt=False)
def url_match(cp, s, e, cls):
    """0: no match; 1: URL with scheme, path, port or www.; 2: e-mail; 3: other host-like (a.b)."""
    scheme_end = -1
    k = s
    while k < e:
        c = cp[k]
        if (cls[c] & C_WORD) or c == 43 or c == 45 or c == 46:
            k += 1
        else:
            break
    if k - s >= 2 and k + 2 < e and cp[k] == 58 and cp[k + 1] == 47 and cp[k + 2] == 47:
        scheme_end = k + 3
    for attempt in range(2):
        p0 = scheme_end if attempt == 0 else s
        if p0 < 0:
            continue
        j = _host_end(cp, p0, e, cls)
        at = -1
        if j < 0:
            for q in range(e - 1, p0, -1):
                if cp[q] == 64:
                    j = _host_end(cp, q + 1, e, cls)
                    if j >= 0:
                        at = q
                        break
        if j < 0:
            continue
        if scheme_end >= 0 and attempt == 0:
            return 1
        if j < e:
            return 1
        if at >= 0:
            return 2
        if e - s > 4 and (cp[s] == 119 or cp[s] == 87) and cp[s + 1] in (119, 87) and cp[s + 2] in (119, 87) and cp[s + 3] == 46:
            return 1
        # common top-level domains make a bare host a URL
        ld = e - 1
        while cp[ld] != 46:
            ld -= 1
        tl = e - ld - 1
        if tl == 3:
            a, b2, c3 = cp[ld + 1], cp[ld + 2], cp[ld + 3]
            if (a == 99 and b2 == 111 and c3 == 109) or (a == 111 and b2 == 114 and c3 == 103) or (
                a == 110 and b2 == 101 and c3 == 116) or (a == 101 and b2 == 100 and c3 == 117) or (
                a == 103 and b2 == 111 and c3 == 118):
                return 1
        if tl == 2:
            a, b2 = cp[ld + 1], cp[ld + 2]
            if (a == 105 and b2 == 111) or (a == 99 and b2 == 111) or (a == 117 and b2 == 107) or (
                a == 116 and b2 == 118) or (a == 109 and b2 == 101) or (a == 108 and b2 == 121):
                return 1
        return 3
    return 0


# ---------------------------------------------------------------------------
# segmentation: spaCy's Tokenizer._tokenize_affixes / _split_affixes / _attach_tokens


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _special(sk, sv, sptr, scp, smax, shapes, cp, s, e):
    """The special case cp[s:e] is (an index of the table), or -1; the shape filter
    ``shapes`` rejects most strings before they are hashed."""
    if e - s <= 0 or e - s > smax or not maybe_special(shapes, cp, s, e):
        return -1
    return lookup(sk, sv, sptr, scp, smax, cp, s, e)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _emit_special(k, s, spl_ptr, spl_len, out_s, out_e, n):
    a = s
    for t in range(spl_ptr[k], spl_ptr[k + 1]):
        out_s[n] = a
        a += spl_len[t]
        out_e[n] = a
        n += 1
    return n


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _has_dot(cp, s, e):
    for i in range(s, e):
        if cp[i] == 46:
            return True
    return False


@njit(cache=True, nogil=True, _nrt=False)
def _infixes(cp, s, e, cls, out_s, out_e, n):
    cand = False
    for i in range(s, e):
        if cls[cp[i]] & C_INFIXC:
            cand = True
            break
    if not cand:
        out_s[n] = s
        out_e[n] = e
        return n + 1
    start = s
    i = s
    while i < e:
        m = infix_at(cp, i, s, e, cls)
        if m == 0:
            i += 1
            continue
        if i != s:
            if i != start:
                out_s[n] = start
                out_e[n] = i
                n += 1
            out_s[n] = i
            out_e[n] = i + m
            n += 1
            start = i + m
        i += m
    if start < e:
        out_s[n] = start
        out_e[n] = e
        n += 1
    return n


@njit(cache=True, nogil=True, _nrt=False)
def _chunk(cp, s, e, cls, sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags, shapes,
           uk, uv, uptr, ucp, umax, out_s, out_e, n, sufstack):
    k = _special(sk, sv, sptr, scp, smax, shapes, cp, s, e)
    if k >= 0:
        return _emit_special(k, s, spl_ptr, spl_len, out_s, out_e, n)
    n0 = n
    a = s
    b = e
    nsuf = 0
    last = -1
    while b > a and b - a != last:
        if is_hashtag(cp, a, b, cls):
            break
        if _special(sk, sv, sptr, scp, smax, shapes, cp, a, b) >= 0:
            break
        last = b - a
        pre = find_prefix(cp, a, b, cls)
        if pre:
            if a + pre < b and _special(sk, sv, sptr, scp, smax, shapes, cp, a + pre, b) >= 0:
                out_s[n] = a
                out_e[n] = a + pre
                n += 1
                a += pre
                break
        suf = find_suffix(cp, a + pre, b, cls, uk, uv, uptr, ucp, umax)
        if suf:
            if b - suf > a and _special(sk, sv, sptr, scp, smax, shapes, cp, a, b - suf) >= 0:
                sufstack[nsuf] = b - suf
                nsuf += 1
                b -= suf
                break
        if pre and suf and pre + suf <= b - a:
            out_s[n] = a
            out_e[n] = a + pre
            n += 1
            a += pre
            sufstack[nsuf] = b - suf
            nsuf += 1
            b -= suf
        elif pre:
            out_s[n] = a
            out_e[n] = a + pre
            n += 1
            a += pre
        elif suf:
            sufstack[nsuf] = b - suf
            nsuf += 1
            b -= suf
    if b > a:
        k = _special(sk, sv, sptr, scp, smax, shapes, cp, a, b)
        if k >= 0:
            n = _emit_special(k, a, spl_ptr, spl_len, out_s, out_e, n)
        elif is_hashtag(cp, a, b, cls) or (_has_dot(cp, a, b) and url_match(cp, a, b, cls)):
            out_s[n] = a
            out_e[n] = b
            n += 1
        else:
            n = _infixes(cp, a, b, cls, out_s, out_e, n)
    # suffixes, innermost first
    for t in range(nsuf - 1, -1, -1):
        st = sufstack[t]
        out_s[n] = st
        # the suffix pushed at step t spans [sufstack[t], end of the previous (outer) suffix)
        n += 1
    # fix suffix ends: suffix t ends where suffix t-1 starts (t-1 is the outer one), outermost ends at e
    if nsuf:
        for t in range(nsuf):
            idx = n - 1 - t  # outermost suffix is emitted last
            out_e[idx] = e if t == 0 else sufstack[t - 1]
    # special cases that contain affixes (spaCy's _special_matcher)
    if n - n0 >= 2:
        n = _match_specials(cp, cls, sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags, shapes,
                            out_s, out_e, n0, n)
    return n


@njit(cache=True, nogil=True, _nrt=False)
def _match_specials(cp, cls, sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags, shapes, out_s,
                    out_e, n0, n):
    i = n0
    w = n0
    changed = False
    while i < n:
        best_j = -1
        best_k = -1
        j = i + 1
        while j < n and out_e[j] - out_s[i] <= smax:
            k = _special(sk, sv, sptr, scp, smax, shapes, cp, out_s[i], out_e[j])
            if k >= 0 and (sflags[k] & 2):
                best_j = j
                best_k = k
            j += 1
        if best_k >= 0 and spl_ptr[best_k + 1] - spl_ptr[best_k] <= best_j - i + 1:
            w = _emit_special(best_k, out_s[i], spl_ptr, spl_len, out_s, out_e, w)
            i = best_j + 1
            changed = True
        else:
            out_s[w] = out_s[i]
            out_e[w] = out_e[i]
            w += 1
            i += 1
    return w if changed else n


# ---------------------------------------------------------------------------
# per-token attributes


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _emit_ascii(c, s, e, one, kind, flags, key, sq2, sq1, lem, st, en, n):
    """Write the token [s, e) made of the one ASCII character ``c`` (attributes from the
    precomputed ``one`` tables) at index ``n``; return ``n + 1``."""
    o_kind, o_flags, o_key, o_lem, _, _ = one
    kind[n] = o_kind[c]
    flags[n] = o_flags[c]
    key[n] = o_key[c]
    sq2[n] = o_key[c]
    sq1[n] = o_key[c]
    lem[n] = o_lem[c]
    st[n] = s
    en[n] = e
    return n + 1


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _lowcp(c, lower):
    if c < 128:
        if 65 <= c <= 90:
            return c + 32
        return c
    return lower[c]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _fnv_cp(h, c):
    """Feed the UTF-8 bytes of code point c into FNV-1a 64 state h."""
    if c < 0x80:
        h = (h ^ np.uint64(c)) * U64_PRIME
    elif c < 0x800:
        h = (h ^ np.uint64(0xC0 | (c >> 6))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | (c & 0x3F))) * U64_PRIME
    elif c < 0x10000:
        h = (h ^ np.uint64(0xE0 | (c >> 12))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | ((c >> 6) & 0x3F))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | (c & 0x3F))) * U64_PRIME
    else:
        h = (h ^ np.uint64(0xF0 | (c >> 18))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | ((c >> 12) & 0x3F))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | ((c >> 6) & 0x3F))) * U64_PRIME
        h = (h ^ np.uint64(0x80 | (c & 0x3F))) * U64_PRIME
    return h


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def span_keys(cp, s, e, lower):
    """(key, squeezed, squeezed1) of the lowercased span."""
    h0 = U64_OFFSET
    prev = -1
    run = 0
    squeeze = False
    for i in range(s, e):
        c = _lowcp(cp[i], lower)
        h0 = _fnv_cp(h0, c)
        if c == prev:
            run += 1
            squeeze |= run == 3
        else:
            run = 1
            prev = c
    if not squeeze:  # no run of three: both squeezed keys are the key itself
        return h0, h0, h0
    h2 = U64_OFFSET
    h1 = U64_OFFSET
    i = s
    while i < e:
        c = _lowcp(cp[i], lower)
        j = i + 1
        while j < e and _lowcp(cp[j], lower) == c:
            j += 1
        L = j - i
        for _ in range(min(L, 2)):
            h2 = _fnv_cp(h2, c)
        for _ in range(1 if L >= 3 else L):
            h1 = _fnv_cp(h1, c)
        i = j
    return h0, h2, h1


@njit(cache=True, nogil=True)
def keys_of(cp, ptr, lower):
    """Keys of many strings (``cp[ptr[i]:ptr[i+1]]``)."""
    out = np.empty(ptr.shape[0] - 1, np.uint64)
    _keys_loop(cp, ptr, lower, out)
    return out


@njit(cache=True, nogil=True, _nrt=False)
def _keys_loop(cp, ptr, lower, out):
    for i in range(ptr.shape[0] - 1):
        out[i] = span_keys(cp, ptr[i], ptr[i + 1], lower)[0]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def lemma_lookup(lk, lv, key):
    mask = lk.shape[0] - 1
    i = np.int64(key & np.uint64(mask))
    while True:
        k = lk[i]
        if k == key:
            return lv[i]
        if k == 0:
            return key
        i = (i + 1) & mask


@njit(cache=True, nogil=True)
def build_lemma_table(form_keys, lemma_keys):
    size = 1
    while size < 2 * form_keys.shape[0] + 2:
        size *= 2
    lk = np.zeros(size, np.uint64)
    lv = np.zeros(size, np.uint64)
    mask = size - 1
    for t in range(form_keys.shape[0]):
        key = form_keys[t]
        i = np.int64(key & np.uint64(mask))
        while lk[i] != 0 and lk[i] != key:
            i = (i + 1) & mask
        if lk[i] == 0:  # first entry wins (lowercase forms come first)
            lk[i] = key
            lv[i] = lemma_keys[t]
    return lk, lv




# ---------------------------------------------------------------------------
# the batch tokenizer: one flat pass per document
#
# Chunks (whitespace-separated runs) made only of ASCII letters, or only of ASCII digits (or
# ASCII letters and one final character that always splits off), that
# are not special cases need none of spaCy's prefix/suffix/infix rules: they are one token, and
# their keys, flags and lemma are computed right there. Every other chunk goes through _chunk
# (the full spaCy rule machinery) and _attrs (per-token attributes).

A_SPACE = 1
A_LOWER = 2
A_UPPER = 4
A_DIGIT = 8
A_OTHER = 16


# _attrs and _sentences are inlined into the batch loop: as separate functions (one call per
# token of a slow chunk, one per document) they made the tokenizer 25-35% slower on Gutenberg
# and GoEmotions (bench: tokenize_cp over 1 MB of Gutenberg, 0.021 s -> 0.015 s)
@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _attrs(cp, s, e, cls, lower, sk, sv, sptr, scp, smax, sflags, shapes, lk, lv):
    """(kind, flags, key, squeezed, squeezed1, lemma) of the token cp[s:e] (general case)."""
    h0, h2, h1 = span_keys(cp, s, e, lower)
    lem = lemma_lookup(lk, lv, h0)
    n_up = 0
    n_lo = 0
    n_let = 0
    n_dig = 0
    n_pun = 0
    has_dot_at = False
    first_up = False
    elong = False
    run = 0
    prevc = -1
    for i in range(s, e):
        c = cp[i]
        b = cls[c]
        if b & C_LETTER:
            if n_let == 0 and (b & C_UUPPER):
                first_up = True
            n_let += 1
            lc = _lowcp(c, lower)
            if lc == prevc:
                run += 1
                if run >= 3:
                    elong = True
            else:
                run = 1
            prevc = lc
        else:
            run = 0
            prevc = -1
        if b & C_UUPPER:
            n_up += 1
        elif b & C_ULOWER:
            n_lo += 1
        if b & C_DIGIT:
            n_dig += 1
        if b & C_PUNCT:
            n_pun += 1
        if c == 46 or c == 64 or c == 58:
            has_dot_at = True
    f = np.int64(0)
    if n_up >= 2 and n_lo == 0:
        f |= F_CAPS
    elif first_up and n_up == 1 and n_let >= 1:
        f |= F_TITLE
    if elong:
        f |= F_ELONGATED
    k = np.int64(0)  # typed, not literals: inlined, a literal's type would stick
    if e - s <= smax and (n_let < e - s or (e - s <= 3 and (cp[s] == 120 or cp[s] == 88))):
        sp = _special(sk, sv, sptr, scp, smax, shapes, cp, s, e)
        if sp >= 0 and (sflags[sp] & 1):
            k = np.int64(EMOTICON)
    if k == 0:
        c0 = cp[s]
        if (cls[c0] & C_EP) or is_ri(c0) or ((e - s) >= 2 and cp[e - 1] == 0x20E3):
            if c0 >= 0x80 and (e - s == 1 or emoji_fwd(cp, s, e, cls) == e - s):
                k = np.int64(EMOJI)
            elif cp[e - 1] == 0x20E3 and e - s <= 3:
                k = np.int64(EMOJI)
    if k == 0 and has_dot_at and e - s >= 3:
        u = url_match(cp, s, e, cls)
        if u == 1:
            k = np.int64(URL)
        elif u == 2:
            k = np.int64(EMAIL)
    if k == 0 and e - s >= 2 and cp[s] == 64:
        ok = True
        for i in range(s + 1, e):
            if not (cls[cp[i]] & C_WORD):
                ok = False
                break
        if ok:
            k = np.int64(MENTION)
    if k == 0 and is_hashtag(cp, s, e, cls):
        k = np.int64(HASHTAG)
    if k == 0:
        if n_let > 0:
            k = np.int64(WORD)
        elif n_dig > 0:
            k = np.int64(NUM)
        elif n_pun == e - s:
            k = np.int64(PUNCT)
        else:
            k = np.int64(SYMBOL)
    return k, f, h0, h2, h1, lem


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _sentences(cp, cls, starts, ends, flags, t0, t1, sent_starts, ns):
    """Mark the sentence starts among tokens t0:t1 of one document (global character spans);
    append them to sent_starts from ns on; return the new count."""
    pending = False
    for t in range(t0, t1):
        start = t == t0
        if not start:
            gs = ends[t - 1]
            ge = starts[t]
            nl = 0
            for i in range(gs, ge):
                if cp[i] == 10:
                    nl += 1
            if nl >= 2:
                start = True
            else:
                c = cp[starts[t]]
                b = cls[c]
                pc = cp[ends[t - 1] - 1]
                if _terminal(cp, starts[t - 1], ends[t - 1]):
                    pending = True
                elif pending and t - 2 >= t0 and starts[t - 1] == ends[t - 2] and (
                        cls[pc] & C_QUOTE or pc == 41 or pc == 93 or pc == 0x201D or pc == 0x2019):
                    pass  # closing quote or bracket after the terminal punctuation
                else:
                    pending = False
                if pending and ge > gs:
                    if (b & C_UUPPER) or (b & C_QUOTE) or c == 40 or c == 91 or is_adigit(c) or nl == 1:
                        start = True
        if start:
            flags[t] |= F_SENT_START
            sent_starts[ns] = t
            ns += 1
            pending = False
    return ns


@njit(cache=True, nogil=True, _nrt=False)
def _terminal(cp, s, e):
    for i in range(s, e):
        c = cp[i]
        if not (c == 46 or c == 33 or c == 63 or c == 0x2026):
            return False
    return True


@njit(cache=True, nogil=True)
def _grow(a, n, cap):
    out = np.empty(cap, a.dtype)
    out[:n] = a[:n]
    return out


@njit(cache=True, nogil=True)
def tokenize_cp(cp, doc_cptr, cls, lower, special, unit, lemma):
    """Tokenize a batch given as code points ``cp`` (documents ``cp[doc_cptr[d]:doc_cptr[d+1]]``).

    ``special``, ``unit`` and ``lemma`` are the tuples of tables of :mod:`tone.text._tables`.
    Returns ``(start, end, doc, kind, flags, key, squeezed, squeezed1, lemma, doc_ptr,
    sent_ptr, doc_sent_ptr)`` with doc-local character offsets.
    """
    ndoc = doc_cptr.shape[0] - 1
    asc = np.zeros(128, np.uint8)
    for c in range(128):
        if cls[c] & C_SPACE:
            asc[c] = A_SPACE
        elif 97 <= c <= 122:
            asc[c] = A_LOWER
        elif 65 <= c <= 90:
            asc[c] = A_UPPER
        elif 48 <= c <= 57:
            asc[c] = A_DIGIT
        else:
            asc[c] = A_OTHER
    # the token of a one-character ASCII chunk; which ASCII characters split off as a
    # context-free suffix after letters
    sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags = special
    shapes = shape_filter(sptr, scp)
    lk, lv = lemma
    o_cp = np.arange(128).astype(np.int32)
    o_kind = np.zeros(128, np.uint8)
    o_flags = np.zeros(128, np.uint8)
    o_key = np.zeros(128, np.uint64)
    o_lem = np.zeros(128, np.uint64)
    o_tail = np.zeros(128, np.bool_)
    for c in range(128):
        k, f, h0, h2, h1, le = _attrs(o_cp, c, c + 1, cls, lower, sk, sv, sptr, scp, smax,
                                      sflags, shapes, lk, lv)
        o_kind[c] = k
        o_flags[c] = f
        o_key[c] = h0
        o_lem[c] = le
    for c in (33, 34, 41, 44, 58, 59, 63):  # ! " ) , : ; ?
        o_tail[c] = (cls[c] & C_SUFFIX) != 0 and (cls[c] & C_ICON) == 0
    one = (o_kind, o_flags, o_key, o_lem, o_tail, shapes)
    cap = cp.shape[0] // 4 + 64
    st = np.empty(cap, np.int64)
    en = np.empty(cap, np.int64)
    kind = np.empty(cap, np.uint8)
    flags = np.empty(cap, np.uint8)
    key = np.empty(cap, np.uint64)
    sq2 = np.empty(cap, np.uint64)
    sq1 = np.empty(cap, np.uint64)
    lem = np.empty(cap, np.uint64)
    sent = np.empty(cap + 1, np.int64)
    doc_ptr = np.zeros(ndoc + 1, np.int64)
    doc_sent_ptr = np.zeros(ndoc + 1, np.int64)
    sufstack = np.empty(64, np.int64)
    d = 0
    while True:
        # the loop stops at a document whose chunk does not fit; grow and resume there
        d, need, chunk = _tokenize_loop(cp, doc_cptr, d, cls, lower, special, unit, lemma, asc, one,
                                 st, en, kind, flags, key, sq2, sq1, lem, sent, doc_ptr,
                                 doc_sent_ptr, sufstack)
        if d >= ndoc:
            break
        if chunk + 1 > sufstack.shape[0]:
            sufstack = np.empty(2 * chunk + 1, np.int64)
        n = doc_ptr[d]
        ns = doc_sent_ptr[d]
        if need > cap:
            ncap = 2 * cap + chunk
            st = _grow(st, n, ncap)
            en = _grow(en, n, ncap)
            kind = _grow(kind, n, ncap)
            flags = _grow(flags, n, ncap)
            key = _grow(key, n, ncap)
            sq2 = _grow(sq2, n, ncap)
            sq1 = _grow(sq1, n, ncap)
            lem = _grow(lem, n, ncap)
            sent = _grow(sent, ns, ncap + 1)
            cap = ncap
    n = doc_ptr[ndoc]
    ns = doc_sent_ptr[ndoc]
    sent[ns] = n
    doc = np.empty(n, np.int64)
    for d in range(ndoc):
        for t in range(doc_ptr[d], doc_ptr[d + 1]):
            doc[t] = d
    return (st[:n], en[:n], doc, kind[:n], flags[:n], key[:n], sq2[:n], sq1[:n], lem[:n],
            doc_ptr, sent[:ns + 1], doc_sent_ptr)


@njit(cache=True, nogil=True, _nrt=False)
def _tokenize_loop(cp, doc_cptr, d0, cls, lower, special, unit, lemma, asc, one, st, en, kind,
                   flags, key, sq2, sq1, lem, sent, doc_ptr, doc_sent_ptr, sufstack):
    """Tokenize documents d0... into the arrays; return (ndoc, 0, 0) when done, or
    (d, tokens needed, chunk length) when a chunk of document d does not fit (the token arrays
    or sufstack); the caller grows them and resumes at document d."""
    sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags = special
    uk, uv, uptr, ucp, umax = unit
    lk, lv = lemma
    o_tail = one[4]
    shapes = one[5]
    ndoc = doc_cptr.shape[0] - 1
    cap = st.shape[0]
    lmask = np.uint64(lk.shape[0] - 1)
    smask = np.uint64(sk.shape[0] - 1)
    n = doc_ptr[d0]
    ns = doc_sent_ptr[d0]
    for d in range(d0, ndoc):
        i = doc_cptr[d]
        de = doc_cptr[d + 1]
        t0 = n
        while i < de:
            c = cp[i]
            if c < 128:
                if asc[c] == A_SPACE:
                    i += 1
                    continue
            elif cls[c] & C_SPACE:
                i += 1
                continue
            # the chunk [i, j), the union of the ASCII classes of its characters (m) and of
            # all but its last character (m0)
            j = i
            m = 0
            m0 = 0
            while j < de:
                c = cp[j]
                m0 = m
                if c < 128:
                    a = asc[c]
                    if a == A_SPACE:
                        break
                    m |= a
                else:
                    if cls[c] & C_SPACE:
                        break
                    m |= A_OTHER
                j += 1
            if n + (j - i) > cap or j - i + 1 > sufstack.shape[0]:
                return d, n + (j - i), j - i
            last = cp[j - 1]
            if j - i == 1 and last < 128:
                # one ASCII character: one token (attributes precomputed)
                n = _emit_ascii(last, i, j, one, kind, flags, key, sq2, sq1, lem, st, en, n)
                i = j
                continue
            # fast: letters only, digits only, or letters and one context-free suffix (","),
            # or letters and a final "." that spaCy's suffix rule splits off (after a letter of
            # SUFFIX_DOT_LOOKBEHIND, a lowercase one, or after two capitals: "day.", "USA.")
            ce = j
            fast = (m & ~(A_LOWER | A_UPPER)) == 0 or m == A_DIGIT
            if not fast and last < 128 and (m0 & ~(A_LOWER | A_UPPER)) == 0 and j - i >= 2:
                if o_tail[last]:
                    fast = True
                elif last == 46:
                    pc = cls[cp[j - 2]]
                    fast = (pc & C_DOTLB) != 0 or (j - i >= 3 and (pc & C_AUPPER) != 0
                                                   and (cls[cp[j - 3]] & C_AUPPER) != 0)
                if fast:
                    ce = j - 1
            if fast and ce - i <= smax:
                # is the chunk, or its letters, a special case (exact code points)?
                h = U64_OFFSET
                for q in range(i, ce):
                    h = (h ^ np.uint64(cp[q])) * U64_PRIME
                for rnd in range(2):
                    if rnd == 1:
                        if ce == j or j - i > smax:
                            break
                        h = (h ^ np.uint64(last)) * U64_PRIME
                    if not maybe_special(shapes, cp, i, ce if rnd == 0 else j):
                        continue
                    p = np.int64(h & smask)
                    ln = ce - i if rnd == 0 else j - i
                    while True:
                        v = sv[p]
                        if v < 0:
                            break
                        if sk[p] == h:
                            a0 = sptr[v]
                            if sptr[v + 1] - a0 == ln:
                                same = True
                                for q in range(ln):
                                    if scp[a0 + q] != cp[i + q]:
                                        same = False
                                        break
                                if same:
                                    fast = False
                                    break
                        p = (p + 1) & smask
                    if not fast:
                        break
            if fast:
                # the token [i, ce): keys (lowercase FNV-1a; runs >= 3 squeezed to 2 and
                # to 1), flags, lemma
                h0 = U64_OFFSET
                n_up = 0
                first_up = cp[i] < 97
                elong = False
                prevc = -1
                run = 0
                for q in range(i, ce):
                    c = cp[q]
                    if c < 97:
                        if c >= 65:
                            n_up += 1
                            c += 32
                    if c == prevc:
                        run += 1
                        if run == 3:
                            elong = True
                    else:
                        run = 1
                        prevc = c
                    h0 = (h0 ^ np.uint64(c)) * U64_PRIME
                # without a run of three, both squeezed keys are the key itself
                h2 = h0
                h1 = h0
                if elong:
                    _, h2, h1 = span_keys(cp, i, ce, lower)
                f = 0
                if m == A_DIGIT:
                    kind[n] = NUM
                else:
                    kind[n] = WORD
                    if n_up >= 2 and n_up == ce - i:
                        f = F_CAPS
                    elif first_up and n_up == 1:
                        f = F_TITLE
                    if elong:
                        f |= F_ELONGATED
                flags[n] = f
                key[n] = h0
                sq2[n] = h2
                sq1[n] = h1
                p = np.int64(h0 & lmask)
                while True:
                    kk = lk[p]
                    if kk == h0:
                        lem[n] = lv[p]
                        break
                    if kk == 0:
                        lem[n] = h0
                        break
                    p = (p + 1) & lmask
                st[n] = i
                en[n] = ce
                n += 1
                if ce < j:
                    n = _emit_ascii(last, ce, j, one, kind, flags, key, sq2, sq1, lem, st, en,
                                    n)
            else:
                n1 = _chunk(cp, i, j, cls, sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags,
                            shapes, uk, uv, uptr, ucp, umax, st, en, n, sufstack)
                for t in range(n, n1):
                    k, f, h0, h2, h1, le = _attrs(cp, st[t], en[t], cls, lower, sk, sv, sptr,
                                                  scp, smax, sflags, shapes, lk, lv)
                    kind[t] = k
                    flags[t] = f
                    key[t] = h0
                    sq2[t] = h2
                    sq1[t] = h1
                    lem[t] = le
                n = n1
            i = j
        ns = _sentences(cp, cls, st, en, flags, t0, n, sent, ns)
        base = doc_cptr[d]
        for t in range(t0, n):
            st[t] -= base
            en[t] -= base
        doc_ptr[d + 1] = n
        doc_sent_ptr[d + 1] = ns
    return ndoc, 0, 0


@njit(cache=True, nogil=True)
def attributes(cp, starts, ends, doc_ptr, cls, lower, special, lemma):
    """Attributes of given token spans (global character offsets): kind, flags, key, squeezed,
    squeezed1, lemma, sent_ptr, doc_sent_ptr (the spaCy mode)."""
    sk, sv, sptr, scp, smax, spl_ptr, spl_len, sflags = special
    shapes = shape_filter(sptr, scp)
    lk, lv = lemma
    n = starts.shape[0]
    kind = np.empty(n, np.uint8)
    flags = np.zeros(n, np.uint8)
    key = np.empty(n, np.uint64)
    sq2 = np.empty(n, np.uint64)
    sq1 = np.empty(n, np.uint64)
    lem = np.empty(n, np.uint64)
    ndoc = doc_ptr.shape[0] - 1
    sent = np.empty(n + 1, np.int64)
    doc_sent_ptr = np.zeros(ndoc + 1, np.int64)
    for t in range(n):
        k, f, h0, h2, h1, le = _attrs(cp, starts[t], ends[t], cls, lower, sk, sv, sptr, scp,
                                      smax, sflags, shapes, lk, lv)
        kind[t] = k
        flags[t] = f
        key[t] = h0
        sq2[t] = h2
        sq1[t] = h1
        lem[t] = le
    ns = 0
    for d in range(ndoc):
        ns = _sentences(cp, cls, starts, ends, flags, doc_ptr[d], doc_ptr[d + 1], sent, ns)
        doc_sent_ptr[d + 1] = ns
    sent[ns] = n
    return kind, flags, key, sq2, sq1, lem, sent[:ns + 1].copy(), doc_sent_ptr
