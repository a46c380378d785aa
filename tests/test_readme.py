"""Every example in README.md (and rules/README.md) runs as written: the Python blocks as
doctests, the endpoint example against a running ``tone serve`` (on a free port instead of
8000)."""
from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RULES_README = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_python_examples_run_as_written(monkeypatch, tmp_path):
    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path / "cache"))
    examples = [block for block in _python_blocks(README) + _python_blocks(RULES_README)
                if block.startswith(">>>")]
    assert len(examples) >= 3
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for k, block in enumerate(examples):
        test = parser.get_doctest(block, {}, f"README.md python block {k + 1}", "README.md", 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_every_python_block_is_checked():
    """A block that is not a doctest must be one of the endpoint examples run below."""
    for block in _python_blocks(README) + _python_blocks(RULES_README):
        assert block.startswith(">>>") or "SPARQLWrapper(" in block, block[:60]


def test_endpoint_example_runs_against_tone_serve(tmp_path):
    pytest.importorskip("SPARQLWrapper")
    from tone.kg.build import build_store
    from tone.kg.server import SparqlServer

    source = tmp_path / "posts.txt"
    source.write_text("What a joy!\nI was terrified.\n", encoding="utf-8")
    build_store([str(source)], tmp_path / "kg")
    block = next(b for b in _python_blocks(README) if "SPARQLWrapper(" in b)
    with SparqlServer(tmp_path / "kg", port=0, workers=1) as server:
        code = block.replace("http://127.0.0.1:8000/sparql", server.url)
        lines = code.strip().splitlines()
        namespace: dict = {}
        exec("\n".join(lines[:-1]), namespace)
        bindings = eval(lines[-1], namespace)
    assert json.loads(json.dumps(bindings))[0]["n"]["value"] == "2"


def _shell_transcripts(text: str) -> list[tuple[str, str]]:
    """The plain blocks that show a command (``$ tone ...``) and its output."""
    return [(block.split("\n", 1)[0][2:], block.split("\n", 1)[1])
            for block in re.findall(r"```\n(\$ tone .*?)```", text, re.S)]


def test_shown_command_output_matches(monkeypatch, tmp_path):
    """What README shows after ``$ tone ...`` is what the command prints (``...`` stands for
    any lines)."""
    import shlex

    from click.testing import CliRunner

    from tone.cli import cli

    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path / "cache"))
    transcripts = _shell_transcripts(README)
    assert len(transcripts) >= 2
    checker = doctest.OutputChecker()
    for command, shown in transcripts:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        assert checker.check_output(shown, result.output, doctest.ELLIPSIS), (
            command, checker.output_difference(doctest.Example(command, shown), result.output,
                                               doctest.ELLIPSIS))


def test_knowledge_graph_walkthrough_keeps_both_corpora(tmp_path):
    """The README's ``tone kg build`` commands, run in order on two small corpora whose ids
    overlap (line numbers), end with every document in the store: none replaced."""
    import os
    import shlex
    import subprocess
    import sys

    block = next(b for b in re.findall(r"```bash\n(.*?)```", README, re.S)
                 if "tone kg build" in b)
    commands = [line.split("  #")[0].strip() for line in block.splitlines()
                if line.startswith("tone ") and not line.startswith(("tone serve", "tone sparql"))]
    assert len(commands) >= 2, commands
    (tmp_path / "posts.tsv").write_text("id\tmonth\tspeaker\ttext\n1\t2024-01\tann\tWhat a joy\n"
                                        "2\t2024-02\tbob\tI was terrified\n", encoding="utf-8")
    (tmp_path / "comments.txt").write_text("So angry today\nlovely\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TONE_CACHE_DIR": str(tmp_path / "cache")}
    tone = f"{shlex.quote(sys.executable)} -m tone"
    for command in commands:
        done = subprocess.run(re.sub(r"(^|&& )tone ", rf"\1{tone} ", command), shell=True,
                              cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stderr)
        assert "replaced it" not in done.stderr, (command, done.stderr)
    info = json.loads(subprocess.run(f"{tone} kg info --store kg/", shell=True, cwd=tmp_path,
                                     env=env, capture_output=True, text=True).stdout)
    assert info["documents"] == 4
