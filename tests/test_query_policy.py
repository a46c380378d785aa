"""Untrusted SPARQL: one parser-based checker refuses SERVICE, updates, FROM, deep nesting.

Every security test runs a local listener (a TCP server on 127.0.0.1 that records each
connection) and asserts that nothing contacted it.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Listener
from tone.errors import QueryError, RuleSyntaxError
from tone.ontology.query_policy import QueryNotAllowed, check_query, prepare_query, scan

BYPASS = (r"SELECT * WHERE { BIND(tone:x\' AS ?z) SERVICE <http://127.0.0.1:{port}/x> "
          r"{ ?a ?b ?c } FILTER(?z != <urn:a'>) }")


@pytest.fixture(scope="module")
def graph():
    from tone.ontology import Ontology

    return Ontology().graph


def bypass(listener) -> str:
    return BYPASS.replace("{port}", str(listener.port))


def _stores():
    out = ["rdflib"]
    try:
        import pyoxigraph  # noqa: F401

        out.append("oxigraph")
    except ImportError:
        pass
    return out


# -- the checker itself -------------------------------------------------------------------------
L = "<http://127.0.0.1:9/x>"


@pytest.mark.parametrize("query", [
    f"SELECT * WHERE {{ SERVICE {L} {{ ?s ?p ?o }} }}",
    "SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }",
    f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE {L} {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE {L} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE {L} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE {L} {{ ?s ?p ?o }} }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {L} {{ ?s ?p ?o }} }} }}",
    f"ASK {{ FILTER NOT EXISTS {{ GRAPH ?g {{ SERVICE {L} {{ ?s ?p ?o }} }} }} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {L} {{ ?s ?p ?o }} }}",
    f"sElEcT * wHeRe {{ sErViCe {L} {{ ?s ?p ?o }} }}",
    BYPASS.replace("{port}", "9"),
    # Oxigraph ends a comment at \r, rdflib's grammar does not: normalised before parsing
    f"SELECT * WHERE {{ # note\r SERVICE {L} {{ ?a ?b ?c }}\n }}",
    # \u escapes are expanded before parsing, for the checker and the store alike
    f"SELECT * WHERE {{ \\u0053ERVICE {L} {{ ?a ?b ?c }} }}",
])
def test_service_is_refused_anywhere(query, monkeypatch):
    with pytest.raises(QueryNotAllowed) as info:
        check_query(query)
    assert info.value.kind == "service" and info.value.forbidden and info.value.status == 403
    assert "SERVICE" in str(info.value)
    # the parse decides on its own: blind the scanner's keyword list and it still refuses
    from tone.ontology import query_policy

    real = query_policy.scan
    monkeypatch.setattr(query_policy, "scan", lambda text, depth=None: (real(text, depth)[0], []))
    with pytest.raises(QueryNotAllowed) as info:
        check_query(query)
    assert info.value.kind == "service"


@pytest.mark.parametrize("query,words", [
    ("INSERT DATA { <urn:a> <urn:b> 1 }", "INSERT DATA"),
    ("DELETE DATA { <urn:a> <urn:b> 1 }", "DELETE DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    (f"LOAD {L}", "LOAD"), ("CLEAR ALL", "CLEAR"), ("DROP GRAPH <urn:g>", "DROP"),
    ("CREATE GRAPH <urn:g>", "CREATE"), ("COPY DEFAULT TO <urn:g>", "COPY"),
    ("MOVE DEFAULT TO <urn:g>", "MOVE"), ("ADD DEFAULT TO <urn:g>", "ADD"),
    (f"PREFIX x: <urn:x#>\nLOAD {L} INTO GRAPH x:g ; CLEAR ALL", "LOAD, CLEAR"),
    (f"LOAD {L} and then some garbage", ""),
])
def test_updates_are_refused_as_read_only(query, words):
    with pytest.raises(QueryNotAllowed) as info:
        check_query(query)
    assert info.value.kind == "update" and "read-only" in str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("query", [
    f"SELECT * FROM {L} WHERE {{ ?s ?p ?o }}",
    f"SELECT * FROM NAMED {L} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    f"ASK FROM {L} {{ }}",
    f"CONSTRUCT {{ ?s ?p ?o }} FROM {L} WHERE {{ ?s ?p ?o }}",
    f"DESCRIBE ?s FROM {L} WHERE {{ ?s ?p ?o }}",
])
def test_from_is_refused_unless_a_local_graph(query):
    with pytest.raises(QueryNotAllowed) as info:
        check_query(query)
    assert info.value.kind == "dataset" and "FROM" in str(info.value)
    check_query(query, graphs={"http://127.0.0.1:9/x"})  # a graph of the store: allowed


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s rdfs:label 'LOAD and SERVICE and DELETE are words here' }",
    'SELECT ?s WHERE { ?s rdfs:label """SERVICE <http://x/> { }""" } # SERVICE in a comment',
    r"SELECT ?z WHERE { BIND(tone:x\' AS ?z) FILTER(?z != <urn:a'>) }",
    "SELECT ?service ?load WHERE { ?service tone:LOAD ?load }",
    "PREFIX service: <urn:s#> SELECT * WHERE { service:x ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?s < ?o && ?o > 1) } LIMIT 1",
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_ordinary_queries_pass(query):
    check_query(query)


def test_malformed_size_and_depth_are_refused_with_400():
    with pytest.raises(QueryNotAllowed) as info:
        check_query("SELEC x WHERE {")
    assert info.value.kind == "malformed" and info.value.status == 400
    assert "line 1, column 1" in str(info.value)
    with pytest.raises(QueryNotAllowed) as info:
        check_query("SELECT * WHERE { } #" + "x" * 300_000)
    assert info.value.kind == "size"
    with pytest.raises(QueryNotAllowed) as info:
        check_query("SELECT * WHERE " + "{" * 3000 + "}" * 3000)
    assert info.value.kind == "depth" and "100 levels" in str(info.value)
    check_query("SELECT * WHERE " + "{" * 30 + "}" * 30, max_depth=30)
    with pytest.raises(QueryNotAllowed):
        check_query("SELECT * WHERE " + "{" * 30 + "}" * 30, max_depth=20)
    # brackets inside strings, IRIs and comments do not count
    assert scan("SELECT * { ?s ?p '{{{{(((' . # (((((\n ?s ?p <urn:(((> }")[0] == 1


def test_nesting_at_the_limit_parses_and_runs(graph):
    from tone.ontology.sparql import run_query

    query = "SELECT * WHERE " + "{" * 99 + "}" * 99
    for store in _stores():
        assert run_query(graph, query, store).kind == "select"
    query = "SELECT * WHERE { FILTER(" + "(" * 97 + "true" + ")" * 97 + ") }"
    assert run_query(graph, query, "rdflib").kind == "select"


def test_prepared_text_is_what_the_checker_read():
    text = prepare_query("SELECT * WHERE { # c\r\n BIND('\\u0041' AS ?x) }")
    assert "\r" not in text and "'A'" in text


# -- every entry point, with a listener ---------------------------------------------------------
@pytest.mark.parametrize("store", _stores())
def test_bypass_query_on_run_query(graph, listener, store):
    from tone.ontology.sparql import run_query

    for query in (bypass(listener), f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * WHERE {{ # c\r SERVICE <{listener.url}> {{ ?a ?b ?c }}\n }}"):
        with pytest.raises(QueryNotAllowed):
            run_query(graph, query, store)
    assert listener.connections == 0


@pytest.fixture(scope="module")
def kg_stores(tmp_path_factory):
    from tone.kg.build import build_store

    folder = tmp_path_factory.mktemp("policy")
    records = [{"id": f"d{i}", "text": "What a fright!", "top": ["fear"],
                "emotions": {"primary": {"fear": 0.7}, "secondary": {"horror": 0.7},
                             "tertiary": {"fright": 0.7}},
                "vad": {"valence": -0.6, "arousal": 0.8, "dominance": 0.2}, "intensity": 0.7,
                "spans": []} for i in range(5)]
    source = folder / "r.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = {}
    for backend in _stores():
        build_store([str(source)], folder / backend, backend=backend)
        out[backend] = folder / backend
    return out


@pytest.mark.parametrize("backend", _stores())
def test_knowledge_graph_query_refuses_and_allows_its_own_graphs(kg_stores, listener, backend):
    from tone.kg.store import CORPUS_GRAPH, KnowledgeGraph

    with KnowledgeGraph(kg_stores[backend], read_only=True) as kg:
        before = len(kg)
        for query in (bypass(listener),
                      f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                      f"LOAD <{listener.url}>"):
            with pytest.raises(QueryNotAllowed):
                kg.query(query)
            with pytest.raises(QueryNotAllowed):
                kg.serialize(query)
        rows = kg.query(f"SELECT (COUNT(?d) AS ?n) FROM <{CORPUS_GRAPH}> "
                        "WHERE { ?d a nif:Context }").value
        assert int(rows[0][0]) == 5
        assert len(kg) == before
    assert listener.connections == 0


@pytest.mark.parametrize("store", ["rdflib", "oxigraph", "dir"])
def test_tone_sparql_refuses_with_one_line(kg_stores, listener, store):
    from click.testing import CliRunner

    from tone.cli import cli

    if store == "oxigraph" and "oxigraph" not in _stores():
        pytest.skip("pyoxigraph is not installed")
    where = str(kg_stores["rdflib"]) if store == "dir" else store
    for query in (bypass(listener), f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"):
        result = CliRunner().invoke(cli, ["sparql", query, "--store", where])
        assert result.exit_code != 0
        assert "Traceback" not in result.output and result.output.strip().count("\n") == 0
        assert "not allowed" in result.output or "disabled" in result.output
    assert listener.connections == 0


def test_rules_sparql_atom_with_service_is_a_located_rule_error(listener, tmp_path):
    from tone.rules import load

    path = tmp_path / "evil.rules"
    path.write_text("# federated concept set\n"
                    "rule a: caps factor 2\n"
                    f'  on sparql """SELECT ?c WHERE {{ SERVICE <{listener.url}> '
                    '{ ?c ?b ?d } }""";\n', encoding="utf-8")
    with pytest.raises(RuleSyntaxError) as info:
        load(paths=[path])
    assert (info.value.line, info.value.col) == (3, 6)
    assert str(info.value).startswith(f"{path}:3:6:") and "SERVICE" in str(info.value)
    assert listener.connections == 0


# -- evaluation errors are one line (finding 5) -------------------------------------------------
@pytest.mark.parametrize("query", [
    "SELECT (SUM(?o) AS ?x) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY (<urn:nofunction>(?o)) LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(regex(?o, \"(\")) } LIMIT 3",
])
def test_evaluation_errors_on_an_rdflib_store_are_one_line(kg_stores, query):
    from click.testing import CliRunner

    from tone.cli import cli
    from tone.kg.store import KnowledgeGraph
    from tone.ontology.sparql import run_query

    result = CliRunner().invoke(cli, ["sparql", query, "--store", str(kg_stores["rdflib"])])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.output.strip().count("\n") == 0
    assert "SPARQL query failed" in result.output
    with KnowledgeGraph(kg_stores["rdflib"], read_only=True) as kg:
        with pytest.raises(QueryError):
            kg.query(query)
        with pytest.raises(QueryError):
            kg.serialize(query)
    from tone.ontology import Ontology

    with pytest.raises(QueryError):
        run_query(Ontology().graph, query, "rdflib")


# -- deep nesting does not crash the process ----------------------------------------------------
def test_three_thousand_nested_braces_do_not_crash(kg_stores):
    """Run in a child process: on the old code Oxigraph overflowed its stack (exit 139)."""
    paths = {name: str(path) for name, path in kg_stores.items()}
    code = f"""
import sys
from tone.errors import QueryError
from tone.ontology import Ontology
from tone.ontology.sparql import run_query
from tone.kg.store import KnowledgeGraph
deep = "SELECT * WHERE " + "{{" * 3000 + "}}" * 3000
graph = Ontology().graph
out = []
for store in {_stores()!r}:
    try:
        run_query(graph, deep, store)
    except QueryError as err:
        out.append(str(err))
for backend, path in {paths!r}.items():
    with KnowledgeGraph(path, read_only=True) as kg:
        try:
            kg.query(deep)
        except QueryError as err:
            out.append(str(err))
print(len(out), out[0])
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    count, message = done.stdout.split(" ", 1)
    assert int(count) == 2 * len(_stores()) and "deeper than the limit" in message


# -- fuzz: refuse, or run without network and without changes ------------------------------------
def _pieces(url: str):
    iri = st.sampled_from([f"<{url}>", f"<{url}?q=1>", "<urn:a'>", "<urn:x>", "tone:Joy"])
    words = st.sampled_from([
        "?s ?p ?o .", r"tone:x\' ?p ?o .", r"?s ?p tone:a\'b .", "?s ?p 'it' .",
        '?s ?p "say \\"SERVICE\\"" .', "?s ?p '''a ' SERVICE '' b''' .",
        '?s ?p """x "" } SERVICE { """ .', r"BIND(tone:x\' AS ?z)", "FILTER(?z != <urn:a'>)",
        "# SERVICE <" + url + "> {\n", "# c\r", "#\n", "FILTER(?s < ?o && ?o > 1)",
        r"BIND('\u0022 } SERVICE <" + url + r"> { ?a ?b ?c } #' AS ?q)",
        r"BIND(\u0022a\u0022 AS ?q)", "BIND(\"\\u0022\" AS ?w)", "VALUES ?v { 1 'x' }",
    ])

    def group(inner):
        return st.one_of(
            inner.map(lambda g: "{ " + g + " }"),
            st.tuples(iri, inner).map(lambda t: f"SERVICE {t[0]} {{ {t[1]} }}"),
            st.tuples(iri, inner).map(lambda t: f"SERVICE SILENT {t[0]} {{ {t[1]} }}"),
            inner.map(lambda g: "OPTIONAL { " + g + " }"),
            st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} }} UNION {{ {t[1]} }}"),
            inner.map(lambda g: "MINUS { " + g + " }"),
            inner.map(lambda g: "FILTER EXISTS { " + g + " }"),
            inner.map(lambda g: "FILTER NOT EXISTS { " + g + " }"),
            inner.map(lambda g: "{ SELECT * WHERE { " + g + " } LIMIT 2 }"),
            inner.map(lambda g: "GRAPH ?g { " + g + " }"),
        )

    body = st.recursive(words, lambda inner: st.lists(st.one_of(inner, group(inner)),
                                                      min_size=1, max_size=3)
                        .map(" ".join), max_leaves=8)
    space = st.sampled_from([" ", "\n", "\r", "\t", " # x\n", "\r\n"])
    head = st.sampled_from(["", "PREFIX x: <urn:x#>\n", "BASE <urn:b/>\n"])
    dataset = st.sampled_from(["", f"FROM <{url}> ", f"FROM NAMED <{url}> "])
    query = st.tuples(head, dataset, space, body, st.sampled_from(["", " LIMIT 3"])).map(
        lambda t: f"{t[0]}SELECT * {t[1]}WHERE{t[2]}{{ {t[3]} }}{t[4]}")
    update = st.tuples(head, st.sampled_from([
        f"LOAD <{url}>", f"LOAD SILENT <{url}> INTO GRAPH <urn:g>",
        "INSERT DATA { <urn:a> <urn:b> 1 }", "DELETE WHERE { ?s ?p ?o }", "CLEAR ALL",
        "DROP ALL", "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", f"SELECT * {{}} ; LOAD <{url}>",
    ])).map("".join)
    return st.one_of(query, query, query, update)


_FUZZ = Listener()  # conftest's, module-wide for the fuzz test
_FUZZ_STATS = {"refused": 0, "ran": 0}


@pytest.fixture(scope="module")
def tiny():
    from rdflib import Graph

    g = Graph()
    g.parse(data="@prefix tone: <https://w3id.org/tone#> . tone:Joy tone:p tone:Fear , 'x' . "
                 "tone:x\\' tone:p 1 .", format="turtle")
    return g


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=_pieces(_FUZZ.url))
def test_fuzz_refused_or_harmless(tiny, query):
    from tone.ontology.sparql import _store_for, run_query

    graph = tiny

    before = len(graph)
    stores = _stores()
    ox_before = len(_store_for(graph)) if "oxigraph" in stores else 0
    try:
        check_query(query)
    except QueryNotAllowed:
        _FUZZ_STATS["refused"] += 1
    else:
        _FUZZ_STATS["ran"] += 1
    for store in stores:
        try:
            run_query(graph, query, store)
        except QueryError:  # refused, or failed cleanly: never another exception
            pass
    assert _FUZZ.connections == 0, query
    assert len(graph) == before
    if "oxigraph" in stores:
        assert len(_store_for(graph)) == ox_before


def test_fuzz_saw_both_outcomes():
    """The fuzz above exercised both refused and runnable queries (run it in the same session)."""
    if not _FUZZ_STATS["refused"] + _FUZZ_STATS["ran"]:
        pytest.skip("the fuzz test did not run in this session")
    assert _FUZZ_STATS["refused"] > 0 and _FUZZ_STATS["ran"] > 0, _FUZZ_STATS
