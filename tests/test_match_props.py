"""The matcher against a plain-Python longest match, on random lexicons and texts."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tone.lexicon.compile import compile_lexicon
from tone.lexicon.match import match
from tone.lexicon.rows import LexiconRow
from tone.text import tokenize

# made-up words: no lemma, no elongation, so a token's key is its own surface key
WORDS = ["qa", "qb", "qc", "qd", "qe", "qf"]
LABELS = ["joy", "anger", "fear", "love"]

terms = st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
                           st.sampled_from(LABELS)), min_size=1, max_size=25)
docs = st.lists(st.lists(st.sampled_from(WORDS + ["zz"]), max_size=30), max_size=6)


def longest(doc: list[str], lexicon: dict) -> list[tuple[int, int, str]]:
    """Longest, non-overlapping terms from left to right: (start, end, label) per concept."""
    out, i = [], 0
    while i < len(doc):
        ends = [j for j in range(i + 1, len(doc) + 1) if tuple(doc[i:j]) in lexicon]
        if not ends:
            i += 1
            continue
        j = max(ends)
        out.extend((i, j, label) for label in sorted(lexicon[tuple(doc[i:j])]))
        i = j
    return out


@pytest.fixture(scope="module")
def table():
    from tone.ontology import Ontology

    return Ontology().table()


@settings(max_examples=150, deadline=None)
@given(terms, docs)
def test_matches_are_the_longest_terms(table, entries, texts):
    lexicon: dict[tuple, set] = {}
    rows = []
    for words, label in entries:
        if label in lexicon.get(tuple(words), ()):
            continue  # a repeated row is a second payload; keep one row per (term, concept)
        lexicon.setdefault(tuple(words), set()).add(label)
        rows.append(LexiconRow(" ".join(words), label, 1, 1.0,
                               kind="phrase" if len(words) > 1 else "word"))
    batch = tokenize([" ".join(doc) for doc in texts])
    m = match(compile_lexicon(rows, table), batch)
    got = [(int(d), int(s - batch.doc_ptr[d]), int(e - batch.doc_ptr[d]), table.labels[c])
           for d, s, e, c in zip(m.doc, m.tok_start, m.tok_end, m.concept)]
    want = [(d, s, e, label) for d, doc in enumerate(texts) for s, e, label in longest(doc, lexicon)]
    assert sorted(got) == sorted(want)
