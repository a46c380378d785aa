"""The rule language shared by every engine: `tone rules check` runs every engine's compiler,
errors keep their fields and suggest the nearest name, and the engine packages import each
other only by public names, without import cycles."""
from __future__ import annotations

import ast
import pickle
import subprocess
import sys

import pytest
from click.testing import CliRunner

from test_layers import ROOT, _module_name
from tone.cli import cli
from tone.errors import RuleNameError, RuleSyntaxError



def _check(tmp_path, text, name="x.rules"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "check", str(path)])
    return path, result


def test_broken_inference_rule_fails_check_with_both_errors_located(tmp_path):
    path, result = _check(tmp_path, "infer x: compose via tone:isComposedOff gain 0.5 "
                                    "on under joyy;\n")
    assert result.exit_code == 1, result.output
    assert "ok" not in result.output.split()
    assert f"{path}:1:18: infer 'x': unknown relation 'tone:isComposedOff' " \
           "(did you mean tone:isComposedOf?)" in result.output
    assert f"{path}:1:59: unknown concept label 'joyy' (did you mean joy?)" in result.output


@pytest.mark.parametrize("text,where,words", [
    # text rules: word class, concept label, set, value range
    ("rule a: negate cues negatr;", "1:21", "unknown word class 'negatr' (did you mean negator?)"),
    ("rule a: caps factor 2 on under joyy;", "1:32", "(did you mean joy?)"),
    ("set warm = joy;\nrule a: caps factor 2 on @wram;", "2:26", "(did you mean warm?)"),
    ("rule a: scale cues intensifier window 0;", "1:32", "window must be an integer"),
    # idioms
    ('idiom i: ["over the moon"] -> joyy;', "1:31", "(did you mean joy?)"),
    # inference rules: relation, label, set, value, scope
    ("infer x: oppose via tone:isOpositeOf;", "1:17", "(did you mean tone:isOppositeOf?)"),
    ("infer x: oppose when any(under fearr);", "1:32", "(did you mean fear?)"),
    ("infer x: compose gain 65;", "1:18", "gain must be a number from 0 to 64"),
    ("infer x: oppose scope dialogue;", "1:17", "scope is clause, sentence or doc"),
    # grammar (no engine runs: the parse stops)
    ("rule x: scale cues intensifier windw 2;", "1:32", "expected an option"),
])
def test_every_engine_reports_through_the_cli(tmp_path, text, where, words):
    path, result = _check(tmp_path, text + "\n")
    assert result.exit_code == 1, result.output
    assert f"{path}:{where}: " in result.output, result.output
    assert words in result.output, result.output


def test_problems_of_both_engines_come_in_file_order(tmp_path):
    text = ("rule a: caps factor 2 on joyy;\n"
            "infer b: compose via tone:isComposedOff;\n"
            "set s = under angr;\n")
    path, result = _check(tmp_path, text)
    located = [line.split(": ", 1)[0] for line in result.output.splitlines()
               if line.startswith(str(path))]
    assert located == [f"{path}:1:26", f"{path}:2:18", f"{path}:3:15"], result.output


def test_good_file_is_ok(tmp_path):
    path, result = _check(tmp_path, "set warm = under joy;\nrule a: caps factor 2 on @warm;\n"
                                    "infer b: compose on @warm;\n")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{path}: ok"


def test_name_errors_are_syntax_errors_with_fields():
    from tone.ontology import Ontology
    from tone.rules import load

    with pytest.raises(RuleSyntaxError) as info:
        load(paths=[], table=Ontology().table(), text="rule a: caps factor 2\n  on under joyy;")
    err = info.value
    assert isinstance(err, RuleNameError)
    assert (err.line, err.col, err.name, err.what, err.suggestion) == \
        (2, 12, "joyy", "concept label", "joy")
    assert err.message == "unknown concept label 'joyy'"
    assert err.source == "  on under joyy;"
    lines = str(err).splitlines()
    assert lines[0] == "2:12: unknown concept label 'joyy' (did you mean joy?)"
    assert lines[2].index("^") == lines[1].index("joyy")
    # fields survive pickling (the message is formatted when shown, never baked in)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is RuleNameError and str(again) == str(err)
    assert again.suggestion == "joy"


def test_registry_names_statement_kinds_and_refuses_unknown_ones():
    from tone.errors import UsageError
    from tone.ruleslang import STATEMENTS, Engine, engines, register

    covered = {kind for e in engines() for kind in e.statements}
    assert covered == set(STATEMENTS)
    with pytest.raises(UsageError):
        register(Engine("bad", ("appraise",), "nowhere:check"))


# --- imports: public names only (no import cycles: tests/test_layers.py) ----------------------

PACKAGES = ("tone.rules", "tone.infer", "tone.ruleslang")


def test_engines_use_public_names_of_other_packages_only():
    """No module of one engine imports a private name (``_x``) of another package."""
    bad = []
    for path in ROOT.rglob("*.py"):
        name = _module_name(path)
        if not name.startswith(PACKAGES):
            continue
        own = ".".join(name.split(".")[:2])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.startswith(PACKAGES) and not node.module.startswith(own):
                bad += [f"{name}: {node.module}.{a.name}" for a in node.names
                        if a.name.startswith("_")]
                bad += [f"{name}: {node.module}" for part in node.module.split(".")
                        if part.startswith("_")][:1]
    assert not bad, bad


def test_every_tone_module_imports_in_a_fresh_interpreter():
    code = """
import importlib, pkgutil, sys, tone
failed = []
for info in pkgutil.walk_packages(tone.__path__, "tone."):
    if info.name.endswith("__main__"):
        continue  # runs the command line
    try:
        importlib.import_module(info.name)
    except ImportError as err:   # an optional extra that is not installed
        if (err.name or "").startswith("tone"):
            failed.append(f"{info.name}: {err!r}")
    except Exception as err:
        failed.append(f"{info.name}: {err!r}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
