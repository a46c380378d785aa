"""Batches: documents per kernel call, and the character cap."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import tone
import tone.annotator
from tone.batching import by_chars


@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 60))
def test_runs_cover_the_documents_in_order_within_the_limit(lengths, limit):
    runs = list(by_chars(lengths, limit))
    assert [lo for lo, _ in runs] == [0] + [hi for _, hi in runs[:-1]]
    assert runs[-1][1] == len(lengths) and all(lo < hi for lo, hi in runs if lengths)
    for lo, hi in runs:
        assert hi - lo == 1 or sum(lengths[lo:hi]) <= limit


def test_pipe_splits_a_batch_without_changing_results(monkeypatch):
    texts = ["I am so happy!", "", "This is awful, I hate it.", "not sad at all", "Wow!!!"]
    ids = ["a", "b", "c", "d", "e"]
    annotator = tone.Annotator()
    whole = [r.to_dict(explain=True) for r in annotator.pipe(texts, ids=ids)]
    monkeypatch.setattr(tone.annotator, "by_chars",
                        lambda lengths: ((i, i + 1) for i in range(len(lengths))))
    split = [r.to_dict(explain=True) for r in annotator.pipe(texts, ids=ids, batch_size=3)]
    assert split == whole and [r["id"] for r in split] == ids
