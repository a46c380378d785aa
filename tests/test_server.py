"""``tone serve``: the SPARQL 1.1 Protocol over a store, on an ephemeral loopback port only."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

COUNT = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a nif:Context }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tone.kg.build import build_store

    folder = tmp_path_factory.mktemp("serve")
    records = []
    for i in range(200):
        fear = i % 3 == 0
        records.append({
            "id": f"d{i}", "text": "I was terrified." if fear else "What a joy.",
            "emotions": {"primary": {"fear": 0.8 if fear else 0.0, "joy": 0.0 if fear else 0.7},
                         "secondary": {"horror" if fear else "cheerfulness": 0.7},
                         "tertiary": {"fright" if fear else "joy": 0.7}},
            "top": ["fear" if fear else "joy"],
            "vad": {"valence": -0.5 if fear else 0.6, "arousal": 0.5, "dominance": 0.4},
            "intensity": 0.8 if fear else 0.7, "spans": [], "month": f"2024-0{1 + i % 3}"})
    source = folder / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    build_store([str(source)], folder / "store", meta_columns=["month"])
    return folder / "store"


@pytest.fixture(scope="module")
def server(store):
    from tone.kg.server import SparqlServer

    with SparqlServer(store, port=0, timeout=2.0, max_bytes=200_000,
                      workers=2) as running:
        yield running


@pytest.fixture(scope="module")
def tight(store):
    """One worker with 100 MB of memory, 1 s reads, at most 4 connections."""
    from tone.kg.server import SparqlServer

    with SparqlServer(store, port=0, timeout=30.0, workers=1, max_memory=100 << 20,
                      read_timeout=1.0, max_connections=4) as running:
        yield running


def get(url: str, headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def q(server, query: str, **params) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": query, **params})


def test_binds_loopback_only(server):
    assert server.host == "127.0.0.1" and server.port > 0


def test_get_json_results(server):
    status, headers, body = get(q(server, COUNT))
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "200"


@pytest.mark.parametrize("accept,ctype,marker", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"n\r\n200"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?n\n"),
    ("application/json", "application/sparql-results+json", b'"bindings"'),
])
def test_result_content_negotiation(server, accept, ctype, marker):
    status, headers, body = get(q(server, COUNT), {"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(ctype) and marker in body


@pytest.mark.parametrize("accept,ctype", [("text/turtle", "text/turtle"),
                                          ("application/n-triples", "application/n-triples")])
def test_graph_content_negotiation(server, accept, ctype):
    construct = "CONSTRUCT { tone:Fear ?p ?o } WHERE { tone:Fear ?p ?o }"
    status, headers, body = get(q(server, construct), {"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert b"w3id.org/tone#Fear" in body or b"tone:Fear" in body


def test_post_form_and_direct(server):
    status, _, body = get(server.url, {"Content-Type": "application/x-www-form-urlencoded"},
                          urllib.parse.urlencode({"query": COUNT}).encode())
    assert status == 200 and b'"200"' in body
    status, _, body = get(server.url, {"Content-Type": "application/sparql-query",
                                       "Accept": "text/csv"}, COUNT.encode())
    assert status == 200 and body.endswith(b"200\r\n")


def test_cross_query_over_http(server):
    query = """SELECT ?secondary (COUNT(DISTINCT ?doc) AS ?n) WHERE {
      ?doc a nif:Context ; onyx:hasEmotionSet/onyx:hasEmotion/onyx:hasEmotionCategory ?c .
      ?c rdfs:subClassOf* ?s . ?s tone:tier 2 ; rdfs:subClassOf tone:Fear ; rdfs:label ?secondary .
    } GROUP BY ?secondary"""
    status, _, body = get(q(server, query))
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200
    assert {(r["secondary"]["value"], r["n"]["value"]) for r in rows} == {("horror", "67")}


def test_sparqlwrapper_gets_json(server):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    endpoint = SPARQLWrapper.SPARQLWrapper(server.url)
    endpoint.setQuery(COUNT)
    endpoint.setReturnFormat(SPARQLWrapper.JSON)
    result = endpoint.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "200"
    endpoint.setMethod(SPARQLWrapper.POST)
    assert endpoint.query().convert()["results"]["bindings"][0]["n"]["value"] == "200"


@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:x> <urn:p> 1 }",
    "LOAD <http://example.org/data.ttl>",
    "DELETE WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_updates_service_and_load_are_refused(server, query):
    status, _, body = get(q(server, query))
    assert status == 403 and (b"read-only" in body or b"SERVICE" in body)


def test_update_parameter_and_media_type_are_refused(server):
    status, _, body = get(server.url + "?" + urllib.parse.urlencode(
        {"update": "CLEAR ALL"}))
    assert status == 403 and b"read-only" in body
    status, _, body = get(server.url, {"Content-Type": "application/x-www-form-urlencoded"},
                          b"update=CLEAR%20ALL")
    assert status == 403
    status, _, _ = get(server.url, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL")
    assert status == 403
    # the store is unchanged
    status, _, body = get(q(server, COUNT))
    assert b'"200"' in body


def test_runaway_query_is_stopped_and_the_server_recovers(server):
    runaway = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    started = time.perf_counter()
    status, _, body = get(q(server, runaway))
    elapsed = time.perf_counter() - started
    assert status == 503 and b"limit of 2 s" in body
    assert elapsed < 10
    for _ in range(3):  # the pool replaces the killed worker and keeps answering
        status, _, body = get(q(server, COUNT))
        assert status == 200


def test_result_size_limit(server):
    status, _, body = get(q(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400 and b"LIMIT" in body
    status, _, _ = get(q(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10"))
    assert status == 200


def test_errors_are_clear(server):
    status, _, body = get(q(server, "SELEC x"))
    assert status == 400 and b"line 1" in body
    status, _, body = get(server.url + "?format=turtle&default-graph-uri=urn:x")
    assert status == 400 and b"missing query" in body
    status, headers, _ = get(server.url)  # no query: the service description
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, _, _ = get(server.url.replace("/sparql", "/nope"))
    assert status == 404
    status, _, _ = get(server.url, {"Content-Type": "text/plain"}, b"x")
    assert status == 415


def test_html_page_and_host_check(server):
    status, headers, body = get(server.url.replace("/sparql", "/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<textarea" in body
    status, _, body = get(q(server, COUNT), {"Host": "evil.example:8000"})
    assert status == 403


def test_no_cors_unless_asked(server):
    _, headers, _ = get(q(server, COUNT), {"Origin": "https://yasgui.example"})
    assert "Access-Control-Allow-Origin" not in headers


def test_concurrent_clients(server):
    def client(k):
        times = []
        for _ in range(10):
            t0 = time.perf_counter()
            status, _, body = get(q(server, COUNT))
            times.append(time.perf_counter() - t0)
            assert status == 200 and b'"200"' in body
        return times

    with ThreadPoolExecutor(20) as pool:
        latencies = sorted(t for ts in pool.map(client, range(20)) for t in ts)
    assert len(latencies) == 200


# -- hardening: SSRF, nesting, memory, slow and many connections -------------------------------


def test_service_bypass_and_from_are_refused_without_network(server, listener):
    url = listener.url
    for query in (
        # the regex filter read \' in a prefixed name as a string start and missed SERVICE
        rf"SELECT * WHERE {{ BIND(tone:x\' AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} "
        rf"FILTER(?z != <urn:a'>) }}",
        f"SELECT * WHERE {{ # note\r SERVICE <{url}> {{ ?a ?b ?c }}\n }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ OPTIONAL {{ FILTER EXISTS {{ "
        f"SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }} }} }} }}",
    ):
        for send in ("get", "post"):
            if send == "get":
                status, _, body = get(q(server, query))
            else:
                status, _, body = get(server.url, {"Content-Type": "application/sparql-query"},
                                      query.encode())
            assert status == 403, body
            assert b"SERVICE (federated query) is disabled on this endpoint" in body
    status, _, body = get(q(server, f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"))
    assert status == 403 and b"FROM" in body
    status, _, body = get(q(server, f"LOAD <{url}>"))
    assert status == 403 and b"read-only" in body
    assert listener.connections == 0
    # FROM naming the store's own graph is a local dataset, not a download
    status, _, body = get(q(server, "SELECT (COUNT(?d) AS ?n) FROM "
                                    "<https://w3id.org/tone/graph/corpus> "
                                    "WHERE { ?d a nif:Context }"))
    assert status == 200 and b'"200"' in body


def test_deep_nesting_is_400_and_the_worker_survives(server):
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    for _ in range(3):  # more often than there are workers: none crashed
        status, _, body = get(server.url, {"Content-Type": "application/sparql-query"},
                              deep.encode())
        assert status == 400 and b"deeper than the limit" in body
    status, _, body = get(q(server, COUNT))
    assert status == 200 and b'"200"' in body


def test_memory_limit_answers_503_and_the_next_query_works(tight):
    cartesian = ("SELECT DISTINCT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f")
    status, _, body = get(q(tight, cartesian))
    assert status == 503 and b"memory limit of 100 MB" in body
    for _ in range(2):
        status, _, body = get(q(tight, COUNT))
        assert status == 200 and b'"200"' in body


def test_half_sent_request_is_dropped_after_the_read_timeout(tight):
    for partial in (b"GET /sparql?query=SELECT", b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
                    b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK"):
        with socket.create_connection((tight.host, tight.port), timeout=10) as sock:
            sock.sendall(partial)
            started = time.perf_counter()
            data = b""
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            assert time.perf_counter() - started < 5  # closed after ~1 s, not held open
            assert data == b"" or data.startswith(b"HTTP/1.1 408")
    status, _, _ = get(q(tight, COUNT))
    assert status == 200


def test_connections_over_the_cap_get_503_and_no_threads(tight):
    threads = threading.active_count()
    idle = [socket.create_connection((tight.host, tight.port), timeout=10) for _ in range(4)]
    try:
        time.sleep(0.2)
        extra = []
        for _ in range(20):  # over the cap of 4: answered 503 and closed at once
            sock = socket.create_connection((tight.host, tight.port), timeout=10)
            extra.append(sock.recv(4096))
            sock.close()
        assert all(answer.startswith(b"HTTP/1.1 503") for answer in extra)
        assert threading.active_count() <= threads + 4 + 1
    finally:
        for sock in idle:
            sock.close()
    time.sleep(1.5)  # the read timeout frees the slots of idle connections
    status, _, body = get(q(tight, COUNT))
    assert status == 200 and b'"200"' in body
