"""Packaging: light import, the console script, and the data files that ship."""
from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numba", "owlready2", "spacy", "pyoxigraph", "torch", "dask")


def test_import_tone_stays_light():
    code = ("import sys, tone; heavy = %r; print(','.join(m for m in heavy if m in sys.modules))"
            % (HEAVY,))
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == ""


def test_every_subpackage_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "tone").rglob(
        "__init__.py") if "data" not in p.parts}
    assert found <= listed, f"add to setup.cfg [options] packages: {sorted(found - listed)}"


def test_shipped_data_is_found():
    from tone._resources import data_dir

    assert (data_dir("ontology") / "tone.ttl").is_file()


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "tone.cli", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_python_dash_m_tone_is_the_cli():
    result = subprocess.run([sys.executable, "-m", "tone", "--help"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and result.stdout.startswith("Usage: tone ")


def test_names_the_readme_uses_are_attributes():
    code = ("import tone; print(tone.Span.__name__, tone.RuleStep.__name__, "
            "tone.io.read_documents.__name__, tone.dask.annotate_bag.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["Span", "RuleStep", "read_documents", "annotate_bag"]


def _bash_blocks(markdown: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in markdown.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append("\n".join(current))
            inside, current = not inside and line.strip() == "```bash", []
        elif inside:
            current.append(line)
    return blocks


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = _bash_blocks(readme)[1].strip()
    assert "pytest" in test_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


BLOCK = ("import sys\n"
         "for name in ('owlready2', 'networkx', 'spacy_lookups_data'):\n"
         "    sys.modules[name] = None  # as if not installed\n")


def test_annotating_needs_none_of_the_builder_and_reasoner_packages():
    code = BLOCK + "import tone\nprint(tone.annotate('I am so happy').top)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['joy']"


def test_the_reasoner_names_its_extra_when_owlready2_is_missing():
    code = BLOCK + ("from tone.ontology import Ontology\n"
                    "from tone.ontology.reasoner import check\n"
                    "try:\n    check(Ontology().graph)\n"
                    "except Exception as err:\n    print(type(err).__name__, err)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.startswith("MissingExtra") and 'pip install "tone[reason]"' in out
