"""``tone annotate``: formats, input kinds, bad input, exit codes, atomic output, processes."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tone.cli import cli

ROOT = Path(__file__).resolve().parents[1]
POSTS = "I am so happy today!\n\nThis is awful, I hate it.\nThe meeting is at noon.\n"


def run(args, input=None):
    result = CliRunner().invoke(cli, ["annotate", "--quiet", *args], input=input,
                                catch_exceptions=False)
    return result


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.split("\n") if line]


def test_stdin_to_jsonl_one_record_per_line_in_order():
    result = run([], input=POSTS)
    assert result.exit_code == 0, result.output
    recs = records(result.stdout)
    assert [r["id"] for r in recs] == [1, 2, 3, 4]
    assert recs[0]["top"] == ["joy"] and recs[1]["top"] == [] and recs[3]["top"] == []
    assert recs[2]["text"] == "This is awful, I hate it."


def test_jsonl_and_csv_inputs(tmp_path):
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text('{"pid": "a", "body": "so happy"}\n{"pid": "b", "body": "so sad"}\n')
    recs = records(run([str(jsonl), "--text-field", "body", "--id-field", "pid"]).stdout)
    assert [(r["id"], r["top"]) for r in recs] == [("a", ["joy"]), ("b", ["sadness"])]
    table = tmp_path / "posts.csv"
    table.write_text('id,text\nx,"so happy, really"\ny,so sad\n')
    recs = records(run([str(table), "--id-column", "id"]).stdout)
    assert [(r["id"], r["top"]) for r in recs] == [("x", ["joy"]), ("y", ["sadness"])]


def test_invalid_utf8_on_line_3(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"happy\nsad\nbro\xc3\x28ken\nangry\n")
    result = run([str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: byte offset 13" in result.stderr
    skipped = run([str(bad), "--errors", "skip"])
    recs = records(skipped.stdout)
    assert skipped.exit_code == 0 and len(recs) == 4
    assert recs[2]["id"] == 3 and "byte offset 13" in recs[2]["error"]
    replaced = records(run([str(bad), "--errors", "replace"]).stdout)
    assert "\ufffd" in replaced[2]["text"]


def test_usage_errors_exit_2(tmp_path):
    assert run(["/nonexistent/file.txt"]).exit_code == 2
    assert run(["--level", "paragraph"], input="x").exit_code == 2
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    assert run([str(table)]).exit_code == 2  # no text column


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "emotionml", "jsonld", "turtle"])
@pytest.mark.parametrize("level", ["doc", "sentence", "span"])
def test_every_format_writes(fmt, level, tmp_path):
    out = tmp_path / f"out.{fmt}"
    result = run(["-f", fmt, "--level", level, "-o", str(out)], input=POSTS)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left


def test_example_and_summary_line():
    result = CliRunner().invoke(cli, ["annotate", "--example", "-f", "tsv"])
    assert result.exit_code == 0
    assert len(result.stdout.strip().split("\n")) == 1 + 7
    took = re.search(r"7 documents in ([0-9.]+) s", result.stderr)
    assert took and "skipped" in result.stderr
    seconds = float(took.group(1))  # a rate once the run is long enough for one (0.1 s)
    assert ("docs/s" in result.stderr) == (seconds >= 0.1) or abs(seconds - 0.1) < 0.01


def test_explain_adds_rule_traces():
    recs = records(run(["--explain"], input="I am not happy\n").stdout)
    assert "steps" in recs[0]["spans"][0]


@pytest.mark.parametrize("options", [[], ["--format", "tsv", "--level", "sentence"],
                                     ["--level", "span", "--explain", "--no-text"],
                                     ["--format", "turtle"]])
def test_processes_2_same_output(tmp_path, options):
    """Workers render jsonl/tsv records themselves (the others come back as annotations):
    either way the output is byte-identical to one process, in input order."""
    lines = [f"line {i}: {'so happy. Not sad!' if i % 3 else 'terribly sad and angry'}"
             for i in range(300)]
    src = tmp_path / "in.txt"
    src.write_text("\n".join(lines) + "\n")
    command = [sys.executable, "-m", "tone.cli", "annotate", "-q", str(src), "--batch-size",
               "16", *options]
    one = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    two = subprocess.run(command + ["--processes", "2"], capture_output=True, text=True,
                         cwd=ROOT)
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) >= 300


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_leaves_no_partial_output(tmp_path, sig):
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # stdin stays open: the run is mid-stream when the signal arrives
    # a job started in the background by a shell inherits SIGINT ignored, and Python keeps it
    # so: give the child the default disposition, as a terminal's Ctrl-C would find it
    proc = subprocess.Popen([sys.executable, "-m", "tone.cli", "annotate", "-o", str(out),
                             "--batch-size", "1"], stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    proc.stdin.write(b"so happy\n" * 50)
    proc.stdin.flush()
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.name.endswith(".part")
                                             for p in tmp_path.iterdir()):
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scheme,keys", [("plutchik", 8), ("ekman", 6), ("goemotions", 28)])
def test_scheme_scores_in_jsonl(scheme, keys):
    recs = records(run(["--scheme", scheme, "--level", "sentence"], input=POSTS).stdout)
    for rec in recs:
        assert rec["scheme"]["name"] == scheme and len(rec["scheme"]["scores"]) == keys
        assert all(s["scheme"]["name"] == scheme for s in rec["sentences"])
    assert "joy" in recs[0]["scheme"]["top"]


def test_scheme_errors():
    unknown = run(["--scheme", "nope"], input="hi\n")
    assert unknown.exit_code == 2 and "plutchik" in unknown.output
    assert run(["--scheme", "ekman", "-f", "tsv"], input="hi\n").exit_code == 2


@pytest.mark.parametrize("typed, top", [(b"I am so happy\n\x04", ["joy"]), (b"a\n\x04", [])])
def test_reading_a_terminal_says_how_to_end_the_input(typed, top):
    """`tone annotate` typed alone reads the terminal: it says so instead of waiting silently,
    annotates what is typed, and one Ctrl-D ends the input (also after a line shorter than a
    byte order mark); a pipe gets no such line."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tone.cli", "annotate"], stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    os.close(follower)
    os.write(leader, typed)  # a line, then Ctrl-D
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        os.close(leader)
    assert proc.returncode == 0, err
    assert b"reading documents from the terminal" in err and b"Ctrl-D" in err
    assert [json.loads(line)["top"] for line in out.decode().splitlines()] == [top]
    piped = subprocess.run([sys.executable, "-m", "tone.cli", "annotate"], input=b"so happy\n",
                           capture_output=True, cwd=ROOT)
    assert b"reading documents" not in piped.stderr and piped.returncode == 0
