"""Annotations as views over their batch (tone.scoring.results): built when read, same values as
plain records, settable, picklable, and the batch-wide fields agree with the per-document ones."""
from __future__ import annotations

import dataclasses
import gc
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tone
from tone.errors import UsageError
from tone.scoring.reason import top_labels
from tone.scoring.results import Annotation

WORDS = ["happy", "sad", "furious", "scared", "not", "very", "but", "wow", "love", "hate",
         "over the moon", "!!!", ":)", "I", "am", "so", "the", "and", "."]


@pytest.fixture(scope="module")
def annotator():
    return tone.Annotator()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), max_size=12),
       st.integers(1, 5))
def test_views_agree_with_their_own_fields(annotator, texts, batch_size):
    for result in annotator.pipe(texts, batch_size=batch_size):
        # top is computed for the whole batch at once; the dicts one document at a time
        assert result.top == top_labels(result.primary)
        assert result.intensity == max(result.primary.values())
        assert result.has_evidence == bool(result.spans)
        clone = pickle.loads(pickle.dumps(result))
        assert type(clone) is Annotation and clone == result
        assert clone.to_dict(explain=True) == result.to_dict(explain=True)


def test_batch_size_does_not_change_results(annotator):
    texts = ["I am not happy, I am furious!", "", "The meeting is at noon.",
             "I was scared and so sad", "I'm happy and sad at once :)"] * 3
    one = [r.to_dict(explain=True) for r in annotator.pipe(texts, batch_size=1)]
    many = [r.to_dict(explain=True) for r in annotator.pipe(texts, batch_size=7)]
    assert one == many


def test_results_are_dataclasses(annotator):
    result = annotator.annotate("I am not happy, I am furious!")
    assert dataclasses.is_dataclass(result) and isinstance(result, Annotation)
    record = dataclasses.asdict(result)
    assert record["top"] == result.top and record["spans"][0]["text"] == "happy"
    assert record["spans"][0]["steps"][0]["rule"] == result.spans[0].steps[0].rule


def test_fields_can_be_set_and_are_kept(annotator):
    result = annotator.annotate("I am so happy")
    result.primary = {"joy": 1.0}
    result.spans = []
    assert result.primary == {"joy": 1.0} and result.spans == []
    assert result.to_dict()["emotions"]["primary"] == {"joy": 1.0}
    first = annotator.annotate("I am so happy")
    assert first.spans is first.spans  # built once, then kept


def test_each_document_gets_its_own_lists(annotator):
    a, b = annotator.pipe(["I am happy", "I am happy"])
    a.top.append("x")
    assert b.top == ["joy"]


def test_garbage_collector_state_is_restored(annotator):
    list(annotator.pipe(["I am happy"] * 10))
    assert gc.isenabled()
    gc.disable()
    try:
        list(annotator.pipe(["I am happy"] * 10))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_too_few_ids_is_a_clear_error(annotator):
    with pytest.raises(UsageError, match="fewer ids than documents"):
        list(annotator.pipe(["a", "b", "c"], ids=["x"]))
