"""Longest-match of a compiled lexicon over a whole token batch, in one Numba call.

Each token is resolved to one key: its lowercased surface when the lexicon knows it, else
its lemma, else its elongation-squeezed forms (``soooo`` -> ``soo`` -> ``so``). From each token
that begins a term the kernel walks the trie as far as it can. The longest term that ends wins; matches never overlap and
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


def match(lexicon: CompiledLexicon, batch) -> Matches:
    """Find every lexicon term in a :class:`tone.text.TokenBatch` (one kernel call)."""
    from ..aot import kernels

    kernel = kernels("tone.lexicon._kernel").match_kernel
    doc, start, end, pay = kernel(batch.doc_ptr, batch.key, batch.lemma, batch.squeezed,
                                  batch.squeezed1, lexicon.vocab, lexicon.vocab_mask,
                                  lexicon.vocab_filter,
                                  lexicon.vocab_root, lexicon.edge_node, lexicon.edge_key,
                                  lexicon.edge_child, lexicon.mask, lexicon.node_pay,
                                  lexicon.has_child, lexicon.edge_filter)
    return Matches(doc, start, end, lexicon.pay_row[pay], lexicon.pay_concept[pay],
                   lexicon.pay_weight[pay])  # fancy indexing: new arrays, not views
