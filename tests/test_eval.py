"""tone eval: readers (benchmarks and generic), metrics, located errors, the command."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from tone.cli import cli
from tone.errors import DataFileError, UsageError
from tone.evaluate import (Dataset, classification_metrics, evaluate, macro_micro, pearson,
                           read_dataset, read_table)


@pytest.fixture(scope="module")
def annotator():
    from tone import Annotator

    return Annotator()


# -- metrics ----------------------------------------------------------------------------------
def test_multi_label_metrics_by_hand():
    gold = [["joy"], [], ["anger", "fear"], ["fear"]]
    pred = [["joy"], ["fear"], ["anger"], []]
    macro, micro, per = macro_micro(gold, pred, ["anger", "fear", "joy"])
    assert per["joy"]["f1"] == 1.0 and per["anger"]["f1"] == 1.0
    assert per["fear"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2,
                           "predicted": 1}
    assert macro == pytest.approx(2 / 3, abs=1e-4)
    # micro: tp 2, fp 1, fn 2 -> p 2/3, r 1/2
    assert micro == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), abs=1e-4)
    out = classification_metrics(gold, pred, ["anger", "fear", "joy"], True,
                                 np.array([1, 1, 1, 0], dtype=bool))
    assert out["accuracy"] == 0.25 and out["coverage"] == 0.75 and "confusion" not in out


def test_single_label_confusion_and_accuracy():
    gold = [["joy"], ["neutral"], ["anger"], ["anger"]]
    pred = [["joy"], ["joy"], ["neutral"], ["anger"]]
    out = classification_metrics(gold, pred, ["anger", "joy", "neutral"], False,
                                 np.ones(4, dtype=bool))
    assert out["accuracy"] == 0.5 and out["micro_f1"] == 0.5
    assert out["confusion"]["rows_gold_cols_predicted"] == [[1, 0, 1], [0, 1, 0], [0, 1, 0]]


def test_pearson():
    assert pearson([1, 2, 3, 4], [2, 4, 6, 8]) == 1.0
    assert pearson([1, 2, 3], [3, 2, 1]) == -1.0
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0


# -- generic reader ---------------------------------------------------------------------------
def test_generic_csv_single_label(tmp_path, annotator):
    path = tmp_path / "d.csv"
    path.write_text('sentence,emotion\n"I am so happy, really",joy\n'
                    'The meeting is at noon.,neutral\nWhat a terrifying night.,fear\n',
                    encoding="utf-8")
    data = read_table(path, "csv", "sentence", "meld", label="emotion")
    assert data.labels == [["joy"], ["neutral"], ["fear"]] and not data.multi_label
    report = evaluate(data, annotator)
    tone = report["systems"]["tone"]
    assert tone["accuracy"] == 1.0 and tone["confusion"]["labels"][-1] == "neutral"


def test_generic_tsv_headerless_with_label_ids(tmp_path, annotator):
    names = tmp_path / "labels.txt"
    names.write_text("anger\ndisgust\nfear\njoy\nneutral\nsadness\nsurprise\n")
    path = tmp_path / "d.tsv"
    path.write_text("I am so happy\t3\tx1\nnothing here\t4\tx2\nso sad and scared\t2,5\tx3\n")
    data = read_table(path, "tsv", "1", "ekman", labels="2", label_names=names)
    assert data.labels == [["joy"], [], ["fear", "sadness"]] and data.multi_label
    report = evaluate(data, annotator)
    assert report["systems"]["tone"]["n"] == 3


def test_generic_jsonl(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "yay", "labels": ["joy", "surprise"]}\n\n'
                    '{"text": "meh", "labels": []}\n')
    data = read_table(path, "jsonl", "text", "ekman", labels="labels")
    assert data.labels == [["joy", "surprise"], []]


@pytest.mark.parametrize("fmt,content,line,message", [
    ("jsonl", '{"text": "a", "label": "joy"}\n{"text": "b", "label": \n', 2, "invalid JSON"),
    ("jsonl", '{"text": "a", "label": "joy"}\n{"txt": "b"}\n', 2, "key 'text'"),
    ("csv", 'text,label\na,joy\nb,happyness\n', 3, "not a category"),
    ("csv", 'text,label\na,joy\n"b,joy\n', 3, "malformed CSV|expected"),
    ("tsv", 'text\tlabel\na\tjoy\nb\n', 3, "columns"),
])
def test_malformed_files_name_file_and_line(tmp_path, fmt, content, line, message):
    path = tmp_path / f"bad.{fmt}"
    path.write_text(content)
    with pytest.raises(DataFileError, match=message) as info:
        read_table(path, fmt, "text", "ekman", label="label")
    assert info.value.path == str(path) and info.value.line == line


def test_undecodable_bytes_are_located(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(b"text\tlabel\nok\tjoy\nbad \xff\tjoy\n")
    with pytest.raises(DataFileError, match=r"bad.tsv:3: byte offset 22"):
        read_table(path, "tsv", "text", "ekman", label="label")


def test_missing_column_and_bad_options(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("sentence,emotion\na,joy\n")
    with pytest.raises(DataFileError, match="no column 'text'.*sentence, emotion"):
        read_table(path, "csv", "text", "ekman", label="emotion")
    with pytest.raises(UsageError, match="exactly one"):
        read_table(path, "csv", "sentence", "ekman")
    with pytest.raises(UsageError, match="unknown scheme"):
        read_table(path, "csv", "sentence", "ekmann", label="emotion")


# -- benchmark readers ------------------------------------------------------------------------
def test_goemotions_readers(shared):
    data = read_dataset("goemotions-ekman", "dev", root=shared, limit=50)
    assert len(data.texts) == 50 and data.multi_label and data.scheme == "ekman"
    assert all(set(doc) <= {"anger", "disgust", "fear", "joy", "sadness", "surprise"}
               for doc in data.labels)
    assert any(doc == [] for doc in data.labels)  # neutral is the empty set
    go = read_dataset("goemotions", "train", root=shared, limit=20)
    assert go.scheme == "goemotions" and len(go.ids) == 20


def test_meld_and_emobank_readers(shared):
    meld = read_dataset("meld", "dev", root=shared, limit=30)
    assert not meld.multi_label and all(len(doc) == 1 for doc in meld.labels)
    assert not any("\x92" in t for t in meld.texts)
    bank = read_dataset("emobank", "test", root=shared, limit=40)
    assert bank.vad.shape == (40, 3) and bank.labels is None


def test_goemotions_bad_label_id_is_located(tmp_path):
    folder = tmp_path / "goemotions" / "ekman"
    folder.mkdir(parents=True)
    (folder / "labels.txt").write_text("anger\ndisgust\nfear\njoy\nneutral\nsadness\nsurprise\n")
    (folder / "dev.tsv").write_text("fine\t3\ta\nbroken\t9\tb\n")
    with pytest.raises(DataFileError, match=r"dev.tsv:2:8: bad label id '9'"):
        read_dataset("goemotions-ekman", "dev", root=tmp_path)


def test_unknown_dataset_or_missing_data(tmp_path):
    with pytest.raises(UsageError, match="goemotions-ekman"):
        read_dataset("isear", "dev", root=tmp_path)
    with pytest.raises(UsageError, match="no such file"):
        read_dataset("meld", "dev", root=tmp_path)


def test_emobank_pearson_report(annotator):
    data = Dataset("toy", "dev", "-", ["I am so happy and delighted", "a horrible, sad loss",
                                        "the table is brown", "I love this wonderful day"],
                   vad=np.array([[4.2, 3.5, 3.2], [1.8, 3.4, 2.6], [3.0, 2.8, 3.0],
                                 [4.4, 3.6, 3.3]]))
    report = evaluate(data, annotator)["systems"]["tone"]
    assert report["pearson_valence_sentiment"] > 0.8 and 0 <= report["coverage"] <= 1
    assert -1 <= report["pearson_valence"] <= 1  # 0.0 while concepts carry no VAD values


# -- the command ------------------------------------------------------------------------------
def test_eval_command_on_a_file_table_and_json(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "I am so happy", "label": "joy"}\n'
                    '{"text": "What a terrifying night.", "label": "fear"}\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["eval", str(path), "--format", "jsonl", "--label", "label",
                              "--scheme", "meld", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["systems"]["tone"]["accuracy"] == 1.0
    table = runner.invoke(cli, ["eval", str(path), "--format", "jsonl", "--label", "label",
                                "--scheme", "meld"])
    assert table.exit_code == 0 and "macro_f1" in table.output and "confusion" in table.output


def test_eval_command_errors_are_one_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "x", "label": "joy"}\n{oops}\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["eval", str(path), "--format", "jsonl", "--label", "label",
                              "--scheme", "meld"])
    assert out.exit_code == 1 and "d.jsonl:2:" in out.output and "Traceback" not in out.output
    usage = runner.invoke(cli, ["eval"])
    assert usage.exit_code == 2 and "--dataset" in usage.output


def test_eval_command_on_a_benchmark(shared):
    out = CliRunner().invoke(cli, ["eval", "--dataset", "goemotions-ekman", "--split", "dev",
                                   "--limit", "40", "--data-dir", str(shared), "--json"])
    assert out.exit_code == 0, out.output
    tone = json.loads(out.output)["systems"]["tone"]
    assert tone["n"] == 40 and set(tone["per_class"]) == {"anger", "disgust", "fear", "joy",
                                                         "sadness", "surprise"}


def test_compare_nrclex(tmp_path, monkeypatch):
    pytest.importorskip("nrclex")
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "I am so happy and joyful", "labels": ["joy"]}\n'
                    '{"text": "the table", "labels": []}\n')
    out = CliRunner().invoke(cli, ["eval", str(path), "--format", "jsonl", "--labels", "labels",
                                   "--scheme", "ekman", "--compare", "nrclex", "--json"])
    assert out.exit_code == 0, out.output
    systems = json.loads(out.output)["systems"]
    assert set(systems) == {"tone", "nrclex"} and systems["nrclex"]["coverage"] == 0.5


def test_eval_rule_switches(tmp_path):
    """--rules and --inference reach the annotator; an unknown group is a usage error."""
    data = tmp_path / "d.tsv"
    data.write_text("text\tlabel\nI am not happy at all\tsadness\nI am so happy\tjoy\n",
                    encoding="utf-8")
    args = ["eval", str(data), "--format", "tsv", "--label", "label", "--scheme", "ekman",
            "--json"]
    runner = CliRunner()
    on = runner.invoke(cli, args)
    off = runner.invoke(cli, args + ["--rules", "off", "--inference", "off"])
    assert on.exit_code == 0 and off.exit_code == 0, on.output + off.output
    assert json.loads(on.stdout) != json.loads(off.stdout)  # negation changes the first answer
    bad = runner.invoke(cli, args + ["--inference", "bogus"])
    assert bad.exit_code == 2 and "bogus" in bad.output
