"""The Numba kernel behind :func:`tone.lexicon.match.match` (imported on first use, so
``import tone`` never loads numba; compiled once and cached on disk).

One pass over a batch. Each token is resolved to the first of its surface key, lemma key and
elongation-squeezed keys that occurs anywhere in the lexicon; the probe that finds it also gives
the root's child for that key (the first step of a term), so most tokens cost one probe. From a
token that begins a term the trie is walked as far as it goes, keeping the longest term that
ends; a node without children ends the walk before the next token is resolved. Two bit filters
that stay in the L1 cache, one of the vocab's keys and one of the trie's edges, reject most
unknown tokens and most failing steps before the larger tables are probed.

The helpers are compiled without reference counting (``_nrt=False``): a call that passes
arrays would otherwise increment and decrement their counts every time, which costs more than
the probe itself. Only :func:`match_kernel` allocates.
"""
from __future__ import annotations

import numba
import numpy as np

from ..compile_notice import install as _notice_compiles

_notice_compiles()

__all__ = ["match_kernel", "edge_filter", "vocab_filter"]

MIX = np.uint64(0x9E3779B97F4A7C15)
MIX2 = np.uint64(0xD6E8FEB86659FD93)
FILTER_BITS = 17  # the edge filter: 2**17 bits, 16 KB, stays in the L1 cache
VOCAB_BITS = 16  # the vocab filter: 2**16 bits, 8 KB


@numba.njit(cache=True, nogil=True, _nrt=False, inline="always")
def edge_bit(node, key):
    """The edge filter's bit for the edge (node, key)."""
    return ((key ^ (np.uint64(node + 1) * MIX)) * MIX2) >> np.uint64(64 - FILTER_BITS)


@numba.njit(cache=True, nogil=True, _nrt=False, inline="always")
def vocab_bit(key):
    """The vocab filter's bit for ``key``."""
    return (key * MIX2) >> np.uint64(64 - VOCAB_BITS)


@numba.njit(cache=True, nogil=True, _nrt=False, inline="always")
def has_bit(bits, b):
    """Bit ``b`` of a filter is set."""
    return (bits[b >> np.uint64(6)] >> (b & np.uint64(63))) & np.uint64(1) != 0


@numba.njit(cache=True, nogil=True, _nrt=False)
def set_bit(bits, b):
    """Set bit ``b`` of a filter."""
    bits[b >> np.uint64(6)] |= np.uint64(1) << (b & np.uint64(63))


@numba.njit(cache=True, nogil=True)
def edge_filter(edge_node, edge_key):
    """A one-hash Bloom filter of the trie's edges: a walk that would fail (most do) is
    rejected with one bit test instead of a probe of the edge table."""
    bits = np.zeros(1 << (FILTER_BITS - 6), dtype=np.uint64)
    for s in range(edge_node.shape[0]):
        if edge_node[s] != -1:
            set_bit(bits, edge_bit(edge_node[s], edge_key[s]))
    return bits


@numba.njit(cache=True, nogil=True)
def vocab_filter(vocab):
    """A one-hash Bloom filter of the vocab's keys: most tokens the lexicon does not know are
    rejected with a bit test in the L1 cache instead of a probe of the (larger) vocab table."""
    bits = np.zeros(1 << (VOCAB_BITS - 6), dtype=np.uint64)
    for s in range(vocab.shape[0]):
        if vocab[s] != 0:
            set_bit(bits, vocab_bit(vocab[s]))
    return bits


@numba.njit(cache=True, nogil=True, _nrt=False)
def child_of(node, key, edge_node, edge_key, edge_child, mask):
    """The child of trie ``node`` along ``key``, or -1."""
    s = (key ^ (np.uint64(node + 1) * MIX)) & mask
    while True:
        n = edge_node[s]
        if n == -1:
            return -1
        if n == node and edge_key[s] == key:
            return edge_child[s]
        s = (s + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True, _nrt=False)
def slot_of(key, vocab, mask, in_vocab):
    """The vocab slot holding ``key``, or -1 (``in_vocab``: the vocab filter)."""
    if not has_bit(in_vocab, vocab_bit(key)):
        return np.int64(-1)
    s = key & mask
    while True:
        v = vocab[s]
        if v == key:
            return np.int64(s)
        if v == 0:
            return np.int64(-1)
        s = (s + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True, _nrt=False)
def resolve(i, keys, lemma, squeezed, squeezed1, vocab, mask, in_vocab):
    """Token ``i``'s key as the lexicon knows it: the first of (surface, lemma, squeezed,
    squeezed1) in the vocab, and its vocab slot (-1: none is)."""
    k = keys[i]
    s = slot_of(k, vocab, mask, in_vocab)
    if s < 0:
        k = lemma[i]
        if k != keys[i]:
            s = slot_of(k, vocab, mask, in_vocab)
    if s < 0:
        k = squeezed[i]
        if k != keys[i]:
            s = slot_of(k, vocab, mask, in_vocab)
            if s < 0 and squeezed1[i] != k:
                k = squeezed1[i]
                s = slot_of(k, vocab, mask, in_vocab)
    return k, s


@numba.njit(cache=True, nogil=True, _nrt=False)
def _longest(doc_ptr, keys, lemma, squeezed, squeezed1, vocab, vmask, in_vocab, vocab_root, edge_node,
             edge_key, edge_child, mask, node_pay, has_child, edges, starts, ends, nodes, docs):
    """Longest, non-overlapping terms per document into the four arrays; returns (number of
    terms, number of payloads)."""
    found = 0
    n_pay = 0
    next_s = np.int64(-1)  # the slot of token i + 1 when a walk from i resolved it
    for d in range(doc_ptr.shape[0] - 1):
        i = doc_ptr[d]
        stop = doc_ptr[d + 1]
        known = -1  # the token next_s belongs to
        while i < stop:
            if i == known:
                s = next_s
            else:
                k, s = resolve(i, keys, lemma, squeezed, squeezed1, vocab, vmask, in_vocab)
            node = vocab_root[s] if s >= 0 else -1
            if node < 0:
                i += 1
                continue
            best_end = -1
            best_node = -1
            j = i + 1
            if node_pay[node + 1] > node_pay[node]:
                best_end = j
                best_node = node
            while j < stop and has_child[node]:
                k, s = resolve(j, keys, lemma, squeezed, squeezed1, vocab, vmask, in_vocab)
                if j == i + 1:
                    known = j
                    next_s = s
                if s < 0:
                    break
                if not has_bit(edges, edge_bit(node, k)):
                    break
                node = child_of(node, k, edge_node, edge_key, edge_child, mask)
                if node < 0:
                    break
                j += 1
                if node_pay[node + 1] > node_pay[node]:
                    best_end = j
                    best_node = node
            if best_end > 0:
                starts[found] = i
                ends[found] = best_end
                nodes[found] = best_node
                docs[found] = d
                found += 1
                n_pay += node_pay[best_node + 1] - node_pay[best_node]
                i = best_end
            else:
                i += 1
    return found, n_pay


@numba.njit(cache=True, nogil=True, _nrt=False)
def _expand(found, starts, ends, nodes, docs, node_pay, out_doc, out_start, out_end, out_pay):
    """One output row per payload of every term found."""
    k = 0
    for f in range(found):
        for p in range(node_pay[nodes[f]], node_pay[nodes[f] + 1]):
            out_doc[k] = docs[f]
            out_start[k] = starts[f]
            out_end[k] = ends[f]
            out_pay[k] = p
            k += 1


@numba.njit(cache=True, nogil=True)
def match_kernel(doc_ptr, keys, lemma, squeezed, squeezed1, vocab, vmask, in_vocab, vocab_root,
                 edge_node, edge_key, edge_child, mask, node_pay, has_child, edges):
    """Longest, non-overlapping matches per document: (doc, start, end, payload index) arrays."""
    n_tokens = keys.shape[0]
    starts = np.empty(n_tokens, dtype=np.int32)
    ends = np.empty(n_tokens, dtype=np.int32)
    nodes = np.empty(n_tokens, dtype=np.int32)
    docs = np.empty(n_tokens, dtype=np.int32)
    found, n_pay = _longest(doc_ptr, keys, lemma, squeezed, squeezed1, vocab, np.uint64(vmask),
                            in_vocab, vocab_root, edge_node, edge_key, edge_child, np.uint64(mask),
                            node_pay, has_child, edges, starts, ends, nodes, docs)
    out_doc = np.empty(n_pay, dtype=np.int32)
    out_start = np.empty(n_pay, dtype=np.int32)
    out_end = np.empty(n_pay, dtype=np.int32)
    out_pay = np.empty(n_pay, dtype=np.int32)
    _expand(found, starts, ends, nodes, docs, node_pay, out_doc, out_start, out_end, out_pay)
    return out_doc, out_start, out_end, out_pay
