"""The Numba kernels behind :func:`tone.lexicon.match.match` (imported on first use, so
``import tone`` never loads numba; compiled once and cached on disk).

Two passes over a batch. ``resolve_keys`` picks, per token, the first of its surface key, lemma
key and elongation-squeezed keys that occurs anywhere in the lexicon (0 when none does), with
one set probe for the common case, which also gives the root's child for that key (the first
step of a term). ``match_kernel`` then walks the trie only from the tokens that begin a term,
keeping the longest term that ends.
"""
from __future__ import annotations

import numba
import numpy as np

__all__ = ["match_kernel", "resolve_keys"]

MIX = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True, inline="always")
def child_of(node, key, edge_node, edge_key, edge_child, mask):
    s = (key ^ (np.uint64(node + 1) * MIX)) & mask
    while True:
        n = edge_node[s]
        if n == -1:
            return -1
        if n == node and edge_key[s] == key:
            return edge_child[s]
        s = (s + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True, inline="always")
def slot_of(key, vocab, mask):
    """The vocab slot holding ``key``, or -1."""
    s = key & mask
    while True:
        v = vocab[s]
        if v == key:
            return np.int64(s)
        if v == 0:
            return np.int64(-1)
        s = (s + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True)
def resolve_keys(keys, lemma, squeezed, squeezed1, vocab, vmask, vocab_root):
    """Per token, the first key of (surface, lemma, squeezed, squeezed1) in the lexicon, or 0,
    and the trie node a term beginning with it reaches (-1: none begins with it)."""
    mask = np.uint64(vmask)
    n = keys.shape[0]
    out = np.zeros(n, dtype=np.uint64)
    first = np.full(n, -1, dtype=np.int32)
    for i in range(n):
        k = keys[i]
        s = slot_of(k, vocab, mask)
        if s < 0:
            k = lemma[i]
            if k != keys[i]:
                s = slot_of(k, vocab, mask)
        if s < 0:
            k = squeezed[i]
            if k != keys[i]:
                s = slot_of(k, vocab, mask)
                if s < 0 and squeezed1[i] != k:
                    k = squeezed1[i]
                    s = slot_of(k, vocab, mask)
        if s >= 0:
            out[i] = k
            first[i] = vocab_root[s]
    return out, first


@numba.njit(cache=True, nogil=True)
def match_kernel(doc_ptr, keys, lemma, squeezed, squeezed1, vocab, vmask, vocab_root,
                 edge_node, edge_key, edge_child, mask, node_pay):
    """Longest, non-overlapping matches per document: (doc, start, end, payload index) arrays."""
    tok, first = resolve_keys(keys, lemma, squeezed, squeezed1, vocab, vmask, vocab_root)
    n_tokens = keys.shape[0]
    starts = np.empty(n_tokens, dtype=np.int32)
    ends = np.empty(n_tokens, dtype=np.int32)
    nodes = np.empty(n_tokens, dtype=np.int32)
    docs = np.empty(n_tokens, dtype=np.int32)
    found = 0
    n_pay = 0
    umask = np.uint64(mask)
    for d in range(doc_ptr.shape[0] - 1):
        i = doc_ptr[d]
        stop = doc_ptr[d + 1]
        while i < stop:
            node = first[i]
            if node < 0:
                i += 1
                continue
            best_end = -1
            best_node = -1
            j = i + 1
            if node_pay[node + 1] > node_pay[node]:
                best_end = j
                best_node = node
            while j < stop and tok[j] != 0:
                node = child_of(node, tok[j], edge_node, edge_key, edge_child, umask)
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
    out_doc = np.empty(n_pay, dtype=np.int32)
    out_start = np.empty(n_pay, dtype=np.int32)
    out_end = np.empty(n_pay, dtype=np.int32)
    out_pay = np.empty(n_pay, dtype=np.int32)
    k = 0
    for f in range(found):
        for p in range(node_pay[nodes[f]], node_pay[nodes[f] + 1]):
            out_doc[k] = docs[f]
            out_start[k] = starts[f]
            out_end[k] = ends[f]
            out_pay[k] = p
            k += 1
    return out_doc, out_start, out_end, out_pay
