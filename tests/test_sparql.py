"""SPARQL over the ontology: the query forms, result formats, errors and the Oxigraph store."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tone.errors import QueryError, UsageError
from tone.ontology.sparql import format_result, run_query

FEAR_TERTIARIES = """
SELECT ?label WHERE { ?c rdfs:subClassOf+ tone:Fear ; tone:tier 3 ; rdfs:label ?label }
ORDER BY ?label"""


def test_select_count(onto):
    result = run_query(onto.graph, "SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 3 }")
    assert result.kind == "select" and result.value[0][0].toPython() == 135


def test_all_tertiaries_under_fear(onto):
    labels = [str(row[0]) for row in onto.query(FEAR_TERTIARIES)]
    expected = sorted(c.label for c in onto.concept("fear", 1).descendants() if c.tier == 3)
    assert labels == expected and len(labels) == 17


def test_ask_construct_describe(onto):
    assert run_query(onto.graph, "ASK { tone:Anger tone:isOppositeOf tone:Fear }").value is True
    graph = run_query(onto.graph, "CONSTRUCT { ?a tone:isOppositeOf ?b } WHERE "
                                  "{ ?a tone:isOppositeOf ?b }").value
    assert len(graph) == 20
    described = run_query(onto.graph, "DESCRIBE tone:Glee").value
    assert len(described) >= 5


def test_json_results_follow_w3c_format(onto):
    out = json.loads(format_result(run_query(onto.graph, FEAR_TERTIARIES), "json"))
    assert out["head"]["vars"] == ["label"]
    first = out["results"]["bindings"][0]["label"]
    assert first == {"type": "literal", "value": "alarm", "xml:lang": "en"}


def test_csv_tsv_table(onto):
    result = run_query(onto.graph, FEAR_TERTIARIES)
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["label"] and len(rows) == 18
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?label" and tsv[1] == '"alarm"@en'
    assert format_result(result, "table").endswith("(17 rows)")
    with pytest.raises(UsageError):
        format_result(result, "yaml")


def test_malformed_query_names_position(onto):
    with pytest.raises(QueryError, match=r"line 1, column \d+"):
        run_query(onto.graph, "SELECT ?c WHERE { ?c tone:tier 3 ")
    with pytest.raises(QueryError, match="empty"):
        run_query(onto.graph, "  ")


def test_user_prefix_declarations_are_kept(onto):
    query = "PREFIX tone: <https://w3id.org/tone#>\nSELECT ?c WHERE { ?c tone:tier 1 }"
    assert len(run_query(onto.graph, query).value) == 6


def test_oxigraph_gives_the_same_answers(onto):
    pytest.importorskip("pyoxigraph")
    for query in (FEAR_TERTIARIES, "SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 2 }"):
        a = run_query(onto.graph, query).value
        b = run_query(onto.graph, query, store="oxigraph").value
        assert [tuple(map(str, r)) for r in a] == [tuple(map(str, r)) for r in b]
    assert run_query(onto.graph, "ASK { tone:Joy tone:isOppositeOf tone:Sadness }",
                     store="oxigraph").value is True
    with pytest.raises(QueryError, match=r"line 1, column"):
        run_query(onto.graph, "SELECT ?c WHERE { ?c tone:tier 3 ", store="oxigraph")
