"""The shipped tone.ttl is reproducible from its sources and the README's queries run."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from tone._resources import data_dir
from tone.errors import DataFileError
from tone.ontology.build import build_ontology, read_parrott

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def wordnet(shared, monkeypatch):
    pytest.importorskip("nltk")
    monkeypatch.setenv("NLTK_DATA", str(shared / "wordnet"))
    return shared / "wordnet"


def test_rebuild_reproduces_shipped_ontology(wordnet, onto, tmp_path):
    folder = data_dir("ontology")
    graph = build_ontology(folder / "parrott.tsv", folder, tmp_path / "tone.ttl")
    from rdflib import Graph

    shipped = Graph().parse(folder / "tone.ttl")
    assert isomorphic(graph, shipped)
    # byte for byte too: blank nodes are labelled canonically, the order is fixed
    assert (tmp_path / "tone.ttl").read_bytes() == (folder / "tone.ttl").read_bytes()


def test_build_refuses_to_rewrite_an_installed_package(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import tone._resources
    from tone.cli import cli

    installed = Path(tone._resources.__file__).resolve().parent / "data" / "ontology"

    def state():  # in a checkout the folder is absent; in an installed package, untouched
        return sorted((p.name, p.stat().st_mtime_ns) for p in installed.rglob("*")) \
            if installed.exists() else None

    before = state()
    monkeypatch.setattr("tone._resources.data_dir", lambda kind: installed)
    result = CliRunner().invoke(cli, ["ontology", "build"])
    assert result.exit_code == 2 and "give -o FILE" in result.stderr
    assert state() == before


def test_parrott_reader_counts_and_errors(tmp_path):
    rows = read_parrott(data_dir("ontology") / "parrott.tsv")
    assert [sum(r.tier == t for r in rows) for t in (1, 2, 3)] == [6, 25, 135]
    bad = tmp_path / "p.tsv"
    bad.write_text("primary\tsecondary\ttertiary\njoy\tzest\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"p.tsv:2:1: expected 3"):
        read_parrott(bad)


def test_readme_queries_run_and_answer(onto):
    text = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    section = text.split("## Five example queries", 1)[1].split("\n## ", 1)[0]
    queries = re.findall(r"```sparql\n(.*?)```", section, flags=re.S | re.I)
    assert len(queries) == 5
    answers = [onto.query(q) for q in queries]
    assert all(answers)
    assert len(answers[0]) == 17                       # tertiaries under Fear
    counts = {str(p): int(n) for p, n in answers[1]}
    assert counts["anger"] == 6 + 29 and counts["surprise"] == 1 + 3
    assert ("joy", "sadness") in {(str(a), str(b)) for a, b, _ in answers[2]}
    assert "despair" in {str(row[0]) for row in answers[3]}
    assert {str(row[2]) for row in answers[4]} >= {"rage", "despair"}  # seeds, + inferred
