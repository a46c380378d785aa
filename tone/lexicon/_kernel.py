"""The Numba kernel behind :func:`tone.lexicon.match.match` (imported on first use, so
``import tone`` never loads numba; compiled once and cached on disk)."""
from __future__ import annotations

import numba
import numpy as np

__all__ = ["match_kernel"]

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


@numba.njit(cache=True, nogil=True)
def step(node, i, keys, lemma, squeezed, squeezed1, edge_node, edge_key, edge_child, mask):
    """The child of ``node`` along token ``i``: surface key, then lemma, then squeezed keys."""
    k = keys[i]
    c = child_of(node, k, edge_node, edge_key, edge_child, mask)
    if c >= 0:
        return c
    if lemma[i] != k:
        c = child_of(node, lemma[i], edge_node, edge_key, edge_child, mask)
        if c >= 0:
            return c
    if squeezed[i] != k:
        c = child_of(node, squeezed[i], edge_node, edge_key, edge_child, mask)
        if c >= 0:
            return c
        if squeezed1[i] != squeezed[i]:
            c = child_of(node, squeezed1[i], edge_node, edge_key, edge_child, mask)
    return c


@numba.njit(cache=True, nogil=True)
def match_kernel(doc_ptr, keys, lemma, squeezed, squeezed1, edge_node, edge_key, edge_child,
                 mask, node_pay):
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
            node = 0
            best_end = -1
            best_node = -1
            j = i
            while j < stop:
                node = step(node, j, keys, lemma, squeezed, squeezed1, edge_node, edge_key,
                            edge_child, umask)
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
