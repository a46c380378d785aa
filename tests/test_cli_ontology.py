"""The ontology and SPARQL commands, as a user types them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tone.cli import cli


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def count_tiers(nodes, counts=None):
    counts = counts if counts is not None else {1: 0, 2: 0, 3: 0}
    for node in nodes:
        counts[node["tier"]] += 1
        count_tiers(node["children"], counts)
    return counts


def test_tree_text_and_json(run):
    text = run("ontology", "tree")
    assert text.exit_code == 0 and "(6 primary, 25 secondary, 135 tertiary)" in text.output
    tree = json.loads(run("ontology", "tree", "--format", "json").output)
    assert count_tiers(tree) == {1: 6, 2: 25, 3: 135}


def test_show(run):
    result = run("ontology", "show", "despair")
    assert result.exit_code == 0
    assert "sadness > sadness > despair" in result.output
    assert "composed of: fear@1, sadness@1" in result.output
    shown = json.loads(run("ontology", "show", "joy", "--tier", "1", "--format", "json").output)
    assert shown["opposites"] == ["sadness@1"]


def test_show_says_when_a_label_names_several_tiers(run):
    result = run("ontology", "show", "joy", "--format", "json")
    assert json.loads(result.stdout)["tier"] == 3
    assert "also names the primary concept" in result.stderr and "--tier 1" in result.stderr
    assert run("ontology", "show", "joy", "--tier", "1").stderr == ""
    assert run("ontology", "show", "glee").stderr == ""  # one tier only: nothing to say


def test_unknown_label_is_one_line_error(run):
    result = run("ontology", "show", "joyy")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "joyy" in result.output
    assert "Traceback" not in result.output


def test_sparql_count_json(run):
    result = run("sparql", "--format", "json", "SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 3 }")
    assert result.exit_code == 0
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "135"


def test_sparql_from_file_and_forms(run, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("ASK { tone:Joy tone:isOppositeOf tone:Sadness }", encoding="utf-8")
    assert run("sparql", f"@{query}").output.strip() == "true"
    built = run("sparql", "CONSTRUCT { ?c a owl:Class } WHERE { ?c tone:tier 1 }")
    assert built.exit_code == 0 and "tone:Joy" in built.output
    missing = run("sparql", f"@{tmp_path / 'none.rq'}")
    assert missing.exit_code == 2


def test_malformed_sparql(run):
    result = run("sparql", "SELECT ?c WHERE { ?c tone:tier 3 ")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "line 1, column" in lines[0]


def test_sparql_oxigraph_store(run):
    pytest.importorskip("pyoxigraph")
    result = run("sparql", "--store", "oxigraph", "--format", "csv",
                 "SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 2 }")
    assert result.output.splitlines() == ["n", "25"]


@pytest.mark.parametrize("fmt", ["ttl", "owl", "nt", "jsonld"])
def test_export(run, fmt, tmp_path):
    out = tmp_path / f"tone.{fmt}"
    result = run("ontology", "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0 and out.stat().st_size > 10_000


def test_check(run, java):
    result = run("ontology", "check")
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output and "unsatisfiable classes: none" in result.output
