"""The development suite: corpus readers, splits, label mappings, metrics, the --suite table."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from tone.cli import cli
from tone.evaluate import (Dataset, classification_metrics, evaluate, macro_micro,
                           precision_when_firing, read_dataset, weighted_f1)
from tone.evaluate_corpora import CORPORA, ED_LABELS, hash_split
from tone.evaluate_suite import BESIDE, SUITE, format_suite, suite_score
from tone.scoring.schemes import get_scheme

# corpus: {split: documents} (bench/ACCURACY.md, "Splits")
COUNTS = {
    "goodnewseveryone": {"dev": 2459, "test": 2540},
    "enisear": {"dev": 507, "test": 494},
    "reman": {"dev": 841, "test": 879},
    "dailydialog": {"dev": 4071, "test": 3998, "train": 87159},  # train: one dialogue skipped
    "emorynlp": {"dev": 1344, "test": 1328},
    "empatheticdialogues": {"dev": 1398, "test": 1363, "train": 17802},
}
TOTALS = {"goodnewseveryone": 4999, "enisear": 1001, "reman": 1720, "dailydialog": 8069,
          "emorynlp": 2672, "empatheticdialogues": 2761}


@pytest.fixture(scope="module")
def annotator():
    from tone import Annotator

    return Annotator()


# -- metrics (no shared data) ----------------------------------------------------------------
def test_single_label_macro_and_weighted_f1_by_hand():
    gold = [["a"], ["a"], ["a"], ["b"], ["c"], ["neutral"]]
    pred = [["a"], ["a"], ["b"], ["b"], ["neutral"], ["a"]]
    out = classification_metrics(gold, pred, ["a", "b", "c"], False, np.ones(6, dtype=bool))
    # a: tp 2, fp 1, fn 1 -> f1 2/3; b: tp 1, fp 1, fn 0 -> 2/3; c: tp 0 -> 0
    assert out["per_class"]["a"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert out["per_class"]["b"]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert out["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 0) / 3, abs=1e-4)
    # weighted by support 3, 1, 1
    assert out["weighted_f1"] == pytest.approx((3 * 2 / 3 + 2 / 3) / 5, abs=1e-4)
    # micro over a, b, c: tp 3, fp 2, fn 2
    assert out["micro_f1"] == pytest.approx(0.6, abs=1e-4)
    # firing: 5 emotion labels predicted (neutral is not firing), 3 right
    assert out["precision_when_firing"] == 0.6
    # neutral is outside the classes but has its own row and column
    assert out["confusion"]["labels"] == ["a", "b", "c", "neutral"]
    assert out["confusion"]["rows_gold_cols_predicted"][2] == [0, 0, 0, 1]


def test_multi_label_micro_f1_by_hand():
    gold = [["joy", "trust"], [], ["fear"], ["anger", "joy"]]
    pred = [["joy"], ["sadness"], ["fear", "joy"], []]
    macro, micro, per = macro_micro(gold, pred, ["anger", "fear", "joy", "sadness", "trust"])
    # tp 2 (joy, fear), fp 2 (sadness, joy), fn 3 (trust, anger, joy): p 1/2, r 2/5
    assert micro == pytest.approx(2 * 0.5 * 0.4 / 0.9, abs=1e-4)
    assert per["fear"]["f1"] == 1.0 and per["joy"]["f1"] == 0.5  # joy: tp 1, fp 1, fn 1
    assert precision_when_firing(gold, pred) == 0.5


def test_weighted_f1_without_support_is_zero():
    assert weighted_f1({"a": {"f1": 0.0, "support": 0}}) == 0.0
    assert precision_when_firing([["a"]], [["neutral"]]) == 0.0


def test_suite_score_is_the_mean_of_main_metrics():
    rows = [{"systems": {"tone": {"main": 0.1}, "nrclex": {"main": 0.3}}},
            {"systems": {"tone": {"main": 0.4}, "nrclex": {"main": 0.1}}},
            {"systems": {"tone": {"main": 0.7}, "nrclex": {"main": 0.2}}}]
    assert suite_score(rows) == {"tone": 0.4, "nrclex": 0.2}
    assert suite_score([]) == {}


def test_hash_split_is_deterministic_and_even_is_dev():
    import hashlib

    for key in ("abc", "abe", "I felt ... when", "ünïcode"):
        even = int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 2 == 0
        assert hash_split(key) == ("dev" if even else "test") == hash_split(key)


def test_polarity_split_of_a_predicted_category(annotator):
    data = Dataset("toy", "dev", "-", ["What a wonderful surprise!", "What a horrible shock.",
                                        "the table"], "ekman",
                   [["positive_surprise"], ["negative_surprise"], ["joy"]],
                   classes=["joy", "negative_surprise", "positive_surprise"],
                   no_evidence=None,
                   polarity_split={"surprise": ("negative_surprise", "positive_surprise")})
    report = evaluate(data, annotator)["systems"]["tone"]
    labels = report["confusion"]["labels"]
    assert "surprise" not in labels and labels[-1] == "neutral"
    assert report["n"] == 3 and report["coverage"] == pytest.approx(2 / 3, abs=1e-4)


# -- the ekman KeyError (a document without emotion in a scheme without neutral) --------------
def test_generic_file_with_a_document_without_emotion_in_ekman(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("sentence,emotion\nI am so happy today,joy\nThe bus leaves at noon.,joy\n"
                    "What a terrifying night.,fear\nIt is on the table.,neutral\n",
                    encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["eval", str(path), "--format", "csv", "--text", "sentence",
                              "--label", "emotion", "--scheme", "ekman", "--json"])
    assert out.exit_code == 0, out.output
    tone = json.loads(out.output)["systems"]["tone"]
    assert tone["confusion"]["labels"][-1] == "neutral"
    assert set(tone["per_class"]) == set(get_scheme("ekman").labels)  # neutral not averaged
    assert tone["accuracy"] == 0.75  # the document without emotion words is wrong (gold joy)
    table = runner.invoke(cli, ["eval", str(path), "--format", "csv", "--text", "sentence",
                                "--label", "emotion", "--scheme", "ekman"])
    assert table.exit_code == 0 and "confusion" in table.output, table.output


# -- readers (shared data) --------------------------------------------------------------------
@pytest.mark.parametrize("name", CORPORA)
def test_readers_return_the_documented_counts(shared, name):
    for split, n in COUNTS[name].items():
        data = read_dataset(name, split, root=shared)
        assert len(data.texts) == len(data.labels) == n, (name, split)
    assert sum(n for s, n in COUNTS[name].items() if s != "train") == TOTALS[name]


@pytest.mark.parametrize("name", CORPORA)
def test_splits_are_deterministic_and_disjoint(shared, name):
    dev = read_dataset(name, "dev", root=shared)
    test = read_dataset(name, "test", root=shared)
    assert read_dataset(name, "dev", root=shared).texts == dev.texts
    if name == "emorynlp":  # the official split: utterance ids differ
        assert not set(dev.ids) & set(test.ids)
    elif name == "dailydialog":  # split by dialogue: the dialogue lines differ
        assert not {i.split("_")[0] for i in dev.ids} & {i.split("_")[0] for i in test.ids}
    else:
        assert not set(dev.texts) & set(test.texts)


@pytest.mark.parametrize("name", CORPORA)
def test_label_mappings_cover_every_gold_label(shared, name):
    for split in ("dev", "test"):
        data = read_dataset(name, split, root=shared)
        scheme = get_scheme(data.scheme)
        gold = {label for doc in data.labels for label in doc}
        allowed = set(data.classes) | ({"neutral"} if data.no_evidence == "neutral" else set())
        assert gold <= allowed, (name, gold - allowed)
        produced = set(scheme.labels)
        for neg, pos in (data.polarity_split or {}).values():
            produced |= {neg, pos}
        # every class tone can be right about is a scheme category (or a polarity half)
        assert set(data.classes) - {"neutral"} <= produced, name


def test_empatheticdialogues_scheme_has_all_32_labels(shared):
    names = [line.split("\t")[1] for line in
             (shared / "empatheticdialogues" / "labels.tsv").read_text().splitlines()
             if line and not line.startswith("#")]
    assert tuple(names) == ED_LABELS
    assert set(get_scheme("empatheticdialogues").labels) == set(ED_LABELS)


def test_dailydialog_train_skips_its_misaligned_dialogue_with_a_note(shared):
    data = read_dataset("dailydialog", "train", root=shared)
    assert data.notes == ["dialogues_train.txt:7852: dialogue skipped, 12 utterances but 11 "
                          "emotion codes"]


def test_enisear_texts_are_unquoted(shared):
    data = read_dataset("enisear", "dev", root=shared)
    assert not any(t.startswith('"') and t.endswith('"') for t in data.texts)


def test_corpora_without_a_training_part(shared):
    from tone.errors import UsageError

    with pytest.raises(UsageError, match="no training part"):
        read_dataset("reman", "train", root=shared)


# -- the suite command ------------------------------------------------------------------------
def test_suite_dev_table_and_json(shared):
    runner = CliRunner()
    args = ["eval", "--suite", "dev", "--limit", "30", "--data-dir", str(shared)]
    out = runner.invoke(cli, args + ["--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert [row["dataset"] for row in report["rows"]] == list(SUITE)
    assert [row["dataset"] for row in report["beside"]] == list(BESIDE)
    mains = [row["systems"]["tone"]["main"] for row in report["rows"]]
    assert report["suite_score"]["tone"] == pytest.approx(np.mean(mains), abs=1e-4)
    assert not report["partial"] and report["skipped"] == []
    for row in report["rows"]:
        tone = row["systems"]["tone"]
        assert 0 <= tone["coverage"] <= 1 and 0 <= tone["precision_when_firing"] <= 1
    table = runner.invoke(cli, args)
    assert table.exit_code == 0
    for name in (*SUITE, *BESIDE, "suite score"):
        assert name in table.output


def test_suite_skips_a_missing_corpus_with_a_note(tmp_path):
    (tmp_path / "enisear_appraisal").mkdir()  # present folder, no files
    from tone.evaluate_suite import run_suite

    report = run_suite("dev", root=tmp_path, corpora=("enisear",), beside=())
    assert report["rows"] == [] and report["partial"]
    assert report["skipped"][0]["dataset"] == "enisear"
    assert "no such file" in report["skipped"][0]["reason"]
    assert "skipped enisear" in format_suite(report)
