"""The annotation engine end to end: matcher, rules, roll-up, records and explanations."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tone
from tone.cli import cli
from tone.lexicon.compile import compile_lexicon
from tone.lexicon.match import match
from tone.lexicon.rows import LexiconRow
from tone.text import tokenize

PRIMARIES = {"anger", "fear", "joy", "love", "sadness", "surprise"}


@pytest.fixture(scope="module")
def annotator():
    return tone.Annotator()


def test_negation_and_emphasis(annotator):
    result = annotator.annotate("I'm not happy at all, I'm furious!!!")
    assert result.primary["anger"] > 0.5
    assert result.primary["joy"] == 0.0
    assert result.top[0] == "anger"
    fired = {rule for span in result.spans for rule in span.rules}
    assert any("negation" in r for r in fired) and any("exclam" in r for r in fired)


def test_phrase_matches_as_a_whole(annotator):
    (span,) = annotator.annotate("I am over the moon").spans
    assert span.text == "over the moon" and span.start == 5
    assert "joy" in annotator.annotate("I am over the moon").top


def test_no_evidence_is_an_answer(annotator):
    result = annotator.annotate("The train leaves at noon.")
    assert result.top == [] and set(result.primary) == PRIMARIES
    assert all(v == 0.0 for v in result.primary.values()) and result.intensity == 0.0


def test_intensifier_raises_and_diminisher_lowers(annotator):
    plain = annotator.annotate("I am happy").primary["joy"]
    assert annotator.annotate("I am extremely happy").primary["joy"] > plain
    assert annotator.annotate("I am slightly happy").primary["joy"] < plain


def test_rollup_reaches_every_tier(annotator):
    result = annotator.annotate("I feel such fury")
    assert result.tertiary and result.secondary and result.primary["anger"] > 0
    for tier_scores in (result.secondary, result.tertiary):
        assert all(0 < v < 1 for v in tier_scores.values())


def test_record_contract(annotator):
    text = "Wow, what a surprise! I love it 😍"
    record = annotator.annotate(text, id="a1").to_dict()
    assert set(record) >= {"id", "text", "emotions", "top", "vad", "intensity", "spans"}
    assert set(record["emotions"]["primary"]) == PRIMARIES
    assert set(record["vad"]) == {"valence", "arousal", "dominance"}
    for span in record["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
        assert set(span) == {"start", "end", "text", "concept", "tier", "score", "rules"}
    json.dumps(record)


def test_pipe_keeps_order_and_batches(annotator):
    texts = ["so happy", "", "terrified", "angry"] * 5
    results = list(annotator.pipe(texts, batch_size=3))
    assert [r.id for r in results] == list(range(20))
    assert [r.text for r in results] == texts
    single = [annotator.annotate(t).primary for t in texts]
    assert [r.primary for r in results] == single


def test_sentence_level(annotator):
    result = annotator.annotate("I am happy. I am angry.", level="sentence")
    assert [s.top for s in result.sentences] == [["joy"], ["anger"]]


def test_rules_off_and_bad_arguments(annotator):
    raw = tone.Annotator(rules=False).annotate("not happy")
    assert raw.primary["joy"] > 0
    with pytest.raises(tone.ToneError):
        tone.Annotator(tokenizer="nltk")
    with pytest.raises(tone.ToneError):
        list(annotator.pipe(["a"], batch_size=0))
    with pytest.raises(tone.ToneError, match=r"document 1 is of type bytes, not str: decode it"):
        list(annotator.pipe(["fine", b"bytes"]))


def test_spacy_tokenizer_mode_agrees(annotator):
    spacy_mode = tone.Annotator(tokenizer="spacy")
    text = "I'm not happy, I'm furious!"
    assert spacy_mode.annotate(text).top == annotator.annotate(text).top


def test_matcher_longest_match_and_wildcards(onto):
    table = onto.table()
    lex = compile_lexicon([LexiconRow("heavy", "sadness", 3, 0.1),
                           LexiconRow("heavy heart", "sorrow", 3, 0.8, kind="phrase"),
                           LexiconRow("abandon*", "rejection", 3, 0.5, kind="wildcard")], table)
    m = match(lex, tokenize(["a heavy heart", "heavy rain", "abandoned and abandons"]))
    got = [(int(d), table.labels[c]) for d, c in zip(m.doc, m.concept)]
    assert got == [(0, "sorrow"), (1, "sadness"), (2, "rejection"), (2, "rejection")]


def test_matcher_uses_lemma_and_elongation(onto):
    table = onto.table()
    lex = compile_lexicon([LexiconRow("cry", "sadness", 3, 1.0),
                           LexiconRow("happy", "happiness", 3, 1.0)], table)
    m = match(lex, tokenize(["she cried", "happyyyyy"]))
    assert [table.labels[c] for c in m.concept] == ["sadness", "happiness"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=8))
def test_annotator_never_crashes_on_random_text(annotator, texts):
    results = list(annotator.pipe(texts, batch_size=3))
    assert len(results) == len(texts)
    for text, result in zip(texts, results):
        assert all(0.0 <= v < 1.0 for v in result.primary.values())
        for span in result.spans:
            assert 0 <= span.start < span.end <= len(text)


def test_huge_and_surrogate_documents(annotator):
    big = "I am so happy today. " * 50_000
    assert annotator.annotate(big).primary["joy"] > 0.99
    assert annotator.annotate("sad \ud800 bad").spans


def test_cli_annotate_and_explain(tmp_path):
    runner = CliRunner()
    source = tmp_path / "in.txt"
    source.write_text("I'm furious!!!\n\nI am over the moon\n", encoding="utf-8")
    result = runner.invoke(cli, ["annotate", str(source)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and [r["id"] for r in records] == [1, 2, 3]
    assert records[1]["top"] == [] and records[0]["top"] == ["anger"]
    explained = runner.invoke(cli, ["explain", "I'm not happy at all, I'm furious!!!"])
    assert "negation" in explained.output and "anger" in explained.output
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine\n\xff oops\n")
    failed = runner.invoke(cli, ["annotate", str(bad)])
    assert failed.exit_code == 1 and "bad.txt:2: byte offset 5" in failed.output


def test_rules_take_one_path_like_lexicon_does(tmp_path):
    """rules="my.rules" is one rules file (it used to fail with an AttributeError), and a
    value of no accepted kind is a UsageError naming what is accepted."""
    from tone.errors import UsageError

    only = tmp_path / "only.rules"
    only.write_text("")  # no rules at all: negation no longer flips
    for given in (str(only), only):
        assert tone.Annotator(rules=given).annotate("I am not happy").top == ["joy"]
    with pytest.raises(UsageError, match="rules must be rule files"):
        tone.Annotator(rules=42)
