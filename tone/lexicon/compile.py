"""Compile lexicon rows into flat numpy arrays: a token-key trie with concept payloads.

Each term is tokenized with the same tokenizer as the text, so ``"over the moon"`` becomes a
path of three token keys and ``"don't"`` the path ``do`` + ``n't``. Trie edges live in one
open-addressing hash table keyed by ``(node, token key)``; a node that ends a term points to
its payloads (concept index, weight, lexicon row). Wildcards (``abandon*``) are expanded at
compile time against a word list (the spaCy lemma table's words plus the lexicon's own), so the
kernel sees only exact keys.

**Rejected rows block.** A row with status ``rejected`` is never matched, and a one-token
rejected term also enters the trie as a path *without payload*: the matcher resolves a token to
its surface form first and falls back to the lemma or the elongation-squeezed form only when
the surface is unknown (:mod:`tone.lexicon.match`), so a known surface that carries nothing
stops there. The builder writes such rows for words it rejected whose lemma is a term
(``agitated`` is rejected, ``agitate`` is not: ``agitated`` no longer arrives at ``agitate``'s
concept; lexicons/README.md, "Blocked forms").

>>> from tone.lexicon.rows import LexiconRow
>>> from tone.ontology import Ontology
>>> table = Ontology().table()
>>> lex = compile_lexicon([LexiconRow("over the moon", "elation", 3, 0.9, kind="phrase")], table)
>>> lex.n_nodes, len(lex.pay_concept)
(4, 1)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from ..errors import ConceptNotFound, DataFileError
from .rows import LexiconRow, RowColumns

if TYPE_CHECKING:  # pragma: no cover
    from ..ontology.table import ConceptTable

__all__ = ["CompiledLexicon", "compile_lexicon", "EMPTY"]

EMPTY = np.int32(-1)
_MIX = 0x9E3779B97F4A7C15
_U64 = (1 << 64) - 1


def _slot(node: int, key: int, mask: int) -> int:
    """The first probe slot of an edge; the kernel computes the same in uint64 arithmetic."""
    return (int(key) ^ (((node + 1) * _MIX) & _U64)) & mask


@dataclass
class CompiledLexicon:
    """A lexicon as arrays.

    ``vocab`` is the set of every token key on an edge (open addressing, 0 = empty slot), and
    ``vocab_root[s]`` the root's child for the key in slot ``s`` (-1 when no term begins with
    it), so the kernel skips the many tokens that begin nothing and takes a term's first step
    with the same probe. Trie edges: ``edge_node[s]``, ``edge_key[s]`` -> ``edge_child[s]`` (slot ``s`` of a hash
    table of size ``mask + 1``; ``edge_node == -1`` marks an empty slot). Node ``n`` ends a term
    when ``node_pay[n] < node_pay[n + 1]``: its payloads are ``pay_concept``, ``pay_weight``
    and ``pay_row`` over that range. ``rows`` are the lexicon rows (``pay_row`` indexes them).
    """

    edge_node: np.ndarray
    edge_key: np.ndarray
    edge_child: np.ndarray
    mask: int
    node_pay: np.ndarray
    pay_concept: np.ndarray
    pay_weight: np.ndarray
    pay_row: np.ndarray
    rows: list[LexiconRow] = field(repr=False)
    max_depth: int = 1
    vocab: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=np.uint64), repr=False)
    vocab_mask: int = 1
    vocab_root: np.ndarray = field(default_factory=lambda: np.full(2, -1, dtype=np.int32),
                                   repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.node_pay) - 1

    def __getstate__(self) -> dict:  # the rows as columns: they load many times faster
        rows = self.rows
        return dict(self.__dict__, rows=rows if isinstance(rows, RowColumns) else RowColumns(rows))

    @cached_property
    def has_child(self) -> np.ndarray:
        """``has_child[n]``: trie node ``n`` has an outgoing edge (a walk may go on)."""
        out = np.zeros(self.n_nodes, dtype=np.bool_)
        out[self.edge_node[self.edge_node >= 0]] = True
        return out

    @cached_property
    def edge_filter(self) -> np.ndarray:
        """A bit filter of the trie's edges (see :func:`tone.lexicon._kernel.edge_filter`)."""
        from ..aot import kernels

        return kernels("tone.lexicon._kernel").edge_filter(self.edge_node, self.edge_key)

    @cached_property
    def vocab_filter(self) -> np.ndarray:
        """A bit filter of the vocab's keys (see :func:`tone.lexicon._kernel.vocab_filter`)."""
        from ..aot import kernels

        return kernels("tone.lexicon._kernel").vocab_filter(self.vocab)


def _wildcard_words(rows: Sequence[LexiconRow], extra: Iterable[str]) -> list[str]:
    from ..text._tables import lemma_pairs

    forms, lemmas = lemma_pairs()
    words = {w.lower() for w in forms} | {w.lower() for w in lemmas}
    words.update(r.term.lower() for r in rows if r.kind != "wildcard" and " " not in r.term)
    words.update(w.lower() for w in extra)
    return sorted(words)


def compile_lexicon(rows: Iterable[LexiconRow], table: "ConceptTable",
                    wildcard_vocabulary: Iterable[str] = (), path: str | None = None,
                    tokenize=None) -> CompiledLexicon:
    """Compile rows against the concept table. Rows with status ``rejected`` give no match;
    a one-token rejected term blocks the lemma and squeezed fallbacks of that token (see the
    module docstring).

    ``tokenize`` must be the tokenizer the texts will go through (default: the fast one)."""
    if tokenize is None:
        from ..text import tokenize

    rows = list(rows)
    blocked = sorted({r.term for r in rows if r.status == "rejected" and r.kind != "wildcard"})
    rows = [r for r in rows if r.status != "rejected"]
    concept_of = []
    for number, row in enumerate(rows, 1):
        try:
            concept_of.append(table.index(row.concept, row.tier))
        except ConceptNotFound as err:
            raise DataFileError(f"{err}; the row's term is {row.term!r}", path=path,
                                line=number) from None
    # expand wildcards into (term, row index) pairs
    terms: list[tuple[str, int]] = []
    wildcard_rows = [i for i, r in enumerate(rows) if r.kind == "wildcard"]
    for i, row in enumerate(rows):
        if row.kind != "wildcard":
            terms.append((row.term, i))
    if wildcard_rows:
        import bisect

        words = _wildcard_words(rows, wildcard_vocabulary)
        for i in wildcard_rows:
            stem = rows[i].term.lower().rstrip("*")
            at = bisect.bisect_left(words, stem)
            while at < len(words) and words[at].startswith(stem):
                terms.append((words[at], i))
                at += 1
    batch = tokenize([t for t, _ in terms])
    children: list[dict[int, int]] = [{}]
    payloads: list[dict[tuple[int, int], float]] = [{}]
    max_depth = 1
    if blocked:  # one-token rejected terms: a root edge without payload
        block_batch = tokenize(blocked)
        for n in range(len(blocked)):
            keys = block_batch.key[block_batch.doc_ptr[n]:block_batch.doc_ptr[n + 1]]
            if len(keys) == 1 and int(keys[0]) not in children[0]:
                children[0][int(keys[0])] = len(children)
                children.append({})
                payloads.append({})
    for n, (_, row_index) in enumerate(terms):
        keys = batch.key[batch.doc_ptr[n]:batch.doc_ptr[n + 1]]
        if len(keys) == 0:
            continue
        max_depth = max(max_depth, len(keys))
        node = 0
        for key in keys.tolist():
            child = children[node].get(key)
            if child is None:
                child = len(children)
                children[node][key] = child
                children.append({})
                payloads.append({})
            node = child
        pay_key = (concept_of[row_index], row_index)
        payloads[node][pay_key] = max(payloads[node].get(pay_key, 0.0), rows[row_index].weight)
    n_edges = sum(len(c) for c in children)
    size = 1
    while size < 2 * max(n_edges, 1):
        size *= 2
    mask = size - 1
    edge_node = np.full(size, -1, dtype=np.int32)
    edge_key = np.zeros(size, dtype=np.uint64)
    edge_child = np.full(size, -1, dtype=np.int32)
    for node, edges in enumerate(children):
        for key, child in edges.items():
            s = _slot(node, key, mask)
            while edge_node[s] != -1:
                s = (s + 1) & mask
            edge_node[s], edge_key[s], edge_child[s] = node, key, child
    keys = {key for edges in children for key in edges} - {0}
    vocab_size = 1
    while vocab_size < 8 * max(len(keys), 1):  # sparse: a miss (most tokens) ends at once
        vocab_size *= 2
    vocab = np.zeros(vocab_size, dtype=np.uint64)
    vocab_root = np.full(vocab_size, -1, dtype=np.int32)
    roots = children[0] if children else {}
    for key in sorted(keys):
        s = key & (vocab_size - 1)
        while vocab[s] != 0:
            s = (s + 1) & (vocab_size - 1)
        vocab[s] = key
        vocab_root[s] = roots.get(key, -1)
    node_pay = np.zeros(len(children) + 1, dtype=np.int32)
    pay_concept, pay_weight, pay_row = [], [], []
    for node, pays in enumerate(payloads):
        for (concept, row_index), weight in sorted(pays.items()):
            pay_concept.append(concept)
            pay_weight.append(weight)
            pay_row.append(row_index)
        node_pay[node + 1] = len(pay_concept)
    return CompiledLexicon(edge_node, edge_key, edge_child, mask, node_pay,
                           np.array(pay_concept, dtype=np.int32),
                           np.array(pay_weight, dtype=np.float32),
                           np.array(pay_row, dtype=np.int32), rows, max_depth, vocab,
                           vocab_size - 1, vocab_root)
