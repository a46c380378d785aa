"""Longest-match of a compiled lexicon over a whole token batch, in one Numba call.

At each token the kernel walks the trie as far as it can. For every token it tries the
lowercased surface key first, then the lemma key, then the elongation-squeezed keys
(``soooo`` -> ``soo`` -> ``so``). The longest term that ends wins; matches never overlap and
never cross a document boundary. A term with several concepts yields one match per concept.

>>> from tone.lexicon.rows import LexiconRow
>>> from tone.lexicon.compile import compile_lexicon
>>> from tone.ontology import Ontology
>>> from tone.text import tokenize
>>> table = Ontology().table()
>>> lex = compile_lexicon([LexiconRow("moon", "joy", 3, 0.2),
...                        LexiconRow("over the moon", "elation", 3, 0.9, kind="phrase")], table)
>>> m = match(lex, tokenize(["I am over the moon", "the moon"]))
>>> [(int(d), int(s), int(e), table.labels[c]) for d, s, e, c in zip(m.doc, m.tok_start, m.tok_end, m.concept)]
[(0, 2, 5, 'elation'), (1, 6, 7, 'joy')]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compile import CompiledLexicon

__all__ = ["Matches", "match"]


@dataclass
class Matches:
    """Matches as equal-length arrays sorted by (doc, tok_start). Token indices are global to
    the batch (``tok_end`` exclusive); ``entry`` indexes the compiled lexicon's rows."""

    doc: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    entry: np.ndarray
    concept: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)


_KERNELS = {}


def _kernels():
    if _KERNELS:
        return _KERNELS["match"]
    import numba

    mix = np.uint64(0x9E3779B97F4A7C15)

    @numba.njit(cache=True, nogil=True, inline="always")
    def child_of(node, key, edge_node, edge_key, edge_child, mask):
        s = (key ^ (np.uint64(node + 1) * mix)) & mask
        while True:
            n = edge_node[s]
            if n == -1:
                return -1
            if n == node and edge_key[s] == key:
                return edge_child[s]
            s = (s + np.uint64(1)) & mask

    @numba.njit(cache=True, nogil=True)
    def step(node, i, keys, lemma, squeezed, squeezed1, edge_node, edge_key, edge_child, mask):
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

    _KERNELS["match"] = match_kernel
    return match_kernel


def match(lexicon: CompiledLexicon, batch) -> Matches:
    """Find every lexicon term in a :class:`tone.text.TokenBatch` (one kernel call)."""
    kernel = _kernels()
    doc, start, end, pay = kernel(batch.doc_ptr, batch.key, batch.lemma, batch.squeezed,
                                  batch.squeezed1, lexicon.edge_node, lexicon.edge_key,
                                  lexicon.edge_child, lexicon.mask, lexicon.node_pay)
    return Matches(doc, start, end, lexicon.pay_row[pay], lexicon.pay_concept[pay],
                   lexicon.pay_weight[pay].copy())
