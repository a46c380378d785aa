"""``tone serve`` speaks the SPARQL 1.1 Protocol as clients expect, on both store backends:
RFC 4180 / SPARQL 1.1 CSV and SPARQL 1.1 TSV (NIF IRIs hold commas), a Service Description on
a GET without a query, and the ``default-graph-uri`` / ``named-graph-uri`` parameters (local
graphs only, nothing fetched)."""
from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

CORPUS = "https://w3id.org/tone/graph/corpus"
ONTOLOGY = "https://w3id.org/tone/graph/ontology"
DOCS = """SELECT ?doc ?text ?month ?unbound WHERE {
  ?doc a nif:Context ; nif:isString ?text ; meta:month ?month .
  OPTIONAL { ?doc <urn:tone:test:none> ?unbound } } ORDER BY ?doc"""
TEXTS = ['He said "no", then left.', "A line\r\nand another,\tthen a tab.", "Plain joy.",
         'Quote " comma , both', "Backslash \\ here"]


def _record(i: int, text: str) -> dict:
    return {"id": f"doc {i}, part {i}", "text": text, "top": ["joy"],
            "emotions": {"primary": {"joy": 0.7}, "secondary": {"cheerfulness": 0.7},
                         "tertiary": {"joy": 0.7}},
            "vad": {"valence": 0.6, "arousal": 0.5, "dominance": 0.4}, "intensity": 0.7,
            "spans": [], "month": f"2024-0{1 + i % 3}, Q1"}


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def server(request, tmp_path_factory):
    from tone.kg.build import build_store
    from tone.kg.server import SparqlServer

    folder = tmp_path_factory.mktemp(f"protocol-{request.param}")
    source = folder / "records.jsonl"
    source.write_text("".join(json.dumps(_record(i, t)) + "\n" for i, t in enumerate(TEXTS)),
                      encoding="utf-8")
    build_store([str(source)], folder / "store", meta_columns=["month"],
                backend=request.param)
    with SparqlServer(folder / "store", port=0, timeout=20.0, workers=1) as running:
        running.backend = request.param
        yield running


def get(url: str, headers: dict | None = None, data: bytes | None = None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def q(server, query: str, **params) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": query, **params}, doseq=True)


def _json_rows(server, query: str = DOCS, **params) -> list[tuple]:
    status, _, body = get(q(server, query, **params))
    assert status == 200, body
    data = json.loads(body)
    return [tuple(b[v]["value"] if v in b else "" for v in data["head"]["vars"])
            for b in data["results"]["bindings"]]


# -- CSV and TSV --------------------------------------------------------------------------------
def test_csv_has_one_field_per_variable(server):
    status, headers, body = get(q(server, DOCS), {"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.startswith(b"doc,text,month,unbound\r\n") and body.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows[0] == ["doc", "text", "month", "unbound"]
    assert all(len(row) == 4 for row in rows), rows
    assert [tuple(r) for r in rows[1:]] == _json_rows(server)
    assert len(rows) == 1 + len(TEXTS)
    assert all("#char=0," in row[0] for row in rows[1:])  # NIF IRIs: commas, quoted
    assert {row[1] for row in rows[1:]} == set(TEXTS)     # quotes, CR LF, tabs survive


def test_sparqlwrapper_reads_csv(server):
    sw = pytest.importorskip("SPARQLWrapper")
    for method in (sw.GET, sw.POST):
        endpoint = sw.SPARQLWrapper(server.url)
        endpoint.setQuery(DOCS)
        endpoint.setMethod(method)
        endpoint.setReturnFormat(sw.CSV)
        data = endpoint.query().convert()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows[0] == ["doc", "text", "month", "unbound"]
        assert len(rows) == 1 + len(TEXTS) and all(len(row) == 4 for row in rows)
        assert [tuple(r) for r in rows[1:]] == _json_rows(server)


def test_tsv_is_sparql_tsv(server):
    from rdflib.query import Result

    status, headers, body = get(q(server, DOCS), {"Accept": "text/tab-separated-values"})
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "?doc\t?text\t?month\t?unbound" and lines[-1] == ""
    assert all(len(line.split("\t")) == 4 for line in lines[:-1])  # no raw tab or newline
    assert all(line.startswith("<") for line in lines[1:-1])
    parsed = Result.parse(io.BytesIO(body), format="tsv")
    rows = [tuple("" if t is None else str(t) for t in row) for row in parsed]
    assert rows == _json_rows(server)


def test_sparqlwrapper_reads_tsv_and_asks(server):
    sw = pytest.importorskip("SPARQLWrapper")
    endpoint = sw.SPARQLWrapper(server.url)
    endpoint.setQuery(DOCS)
    endpoint.setReturnFormat(sw.TSV)
    lines = endpoint.query().convert().decode("utf-8").split("\n")
    assert len(lines) == 2 + len(TEXTS) and all(len(x.split("\t")) == 4 for x in lines[:-1])
    for accept in ("text/csv", "text/tab-separated-values"):  # ASK: as Oxigraph answers it
        status, _, body = get(q(server, "ASK { ?d a nif:Context }"), {"Accept": accept})
        assert status == 200 and body == b"true"


# -- service description ------------------------------------------------------------------------
SD = "http://www.w3.org/ns/sparql-service-description#"


def _description(body: bytes, fmt: str):
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    g = Graph().parse(data=body, format=fmt)
    sd = Namespace(SD)
    services = list(g.subjects(RDF.type, sd.Service))
    assert len(services) == 1
    service = services[0]
    dataset = g.value(service, sd.defaultDataset)
    names = {str(g.value(named, sd.name)) for named in g.objects(dataset, sd.namedGraph)}
    return {
        "endpoint": str(g.value(service, sd.endpoint)),
        "languages": set(g.objects(service, sd.supportedLanguage)),
        "formats": {str(f).rsplit("/", 1)[1] for f in g.objects(service, sd.resultFormat)},
        "features": set(g.objects(service, sd.feature)),
        "named": names,
        "default_graph": (dataset, RDF.type, sd.Dataset) in g
        and g.value(dataset, sd.defaultGraph) is not None,
        "sd": sd, "URIRef": URIRef,
    }


@pytest.mark.parametrize("accept,fmt", [
    ("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
    ("application/rdf+xml;q=0.9, text/html;q=0.5", "xml")])
def test_service_description_on_get_without_query(server, accept, fmt):
    status, headers, body = get(server.url, {"Accept": accept})
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == accept.split(";")[0]
    assert "Accept" in headers["Vary"]
    d = _description(body, fmt)
    sd = d["sd"]
    assert d["endpoint"] == server.url
    assert d["languages"] == {sd.SPARQL11Query}
    assert d["formats"] == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                            "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"}
    assert d["features"] == {sd.UnionDefaultGraph}
    assert d["named"] == {CORPUS, ONTOLOGY} and d["default_graph"]


def test_query_page_for_browsers_description_for_rdf_clients(server):
    root = server.url.replace("/sparql", "/")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in (root, server.url):
        status, headers, body = get(url, {"Accept": browser})
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert b"<textarea" in body
    status, headers, body = get(root)  # no Accept at /: the page, as before
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    status, headers, body = get(root, {"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert _description(body, "turtle")["endpoint"] == server.url
    status, headers, body = get(server.url)  # no Accept at /sparql: the description
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, body = get(server.url + "?format=jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    status, headers, body = get(server.url, {"Accept": "text/turtle"}, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, _, body = get(server.url + "?default-graph-uri=" + urllib.parse.quote(CORPUS))
    assert status == 400 and b"missing query" in body


def test_rdflib_reads_the_description_by_url(server):
    from rdflib import Graph

    g = Graph().parse(server.url, format="turtle")  # rdflib asks with its own Accept
    assert (None, None, None) in g and len(g) > 10


# -- default-graph-uri and named-graph-uri ------------------------------------------------------
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DOC_COUNT = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a nif:Context }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def _n(server, query=COUNT, post=None, **params) -> int:
    if post == "form":
        data = urllib.parse.urlencode({"query": query, **params}, doseq=True).encode()
        status, _, body = get(server.url, {"Content-Type": "application/x-www-form-urlencoded"},
                              data)
    elif post == "direct":
        url = server.url + "?" + urllib.parse.urlencode(params, doseq=True)
        status, _, body = get(url, {"Content-Type": "application/sparql-query"}, query.encode())
    else:
        status, _, body = get(q(server, query, **params))
    assert status == 200, body
    bindings = json.loads(body)["results"]["bindings"]
    return [b.get("n", b.get("g"))["value"] for b in bindings] if "?g" in query else int(
        bindings[0]["n"]["value"])


@pytest.mark.parametrize("post", [None, "form", "direct"])
def test_default_graph_uri_sets_the_default_graph(server, post):
    union, corpus = _n(server, post=post), _n(server, post=post, **{"default-graph-uri": CORPUS})
    ontology = _n(server, post=post, **{"default-graph-uri": ONTOLOGY})
    both = _n(server, post=post, **{"default-graph-uri": [CORPUS, ONTOLOGY]})
    assert 0 < corpus < union and 0 < ontology < union and both == union == corpus + ontology
    assert _n(server, DOC_COUNT, post=post, **{"default-graph-uri": CORPUS}) == len(TEXTS)
    assert _n(server, DOC_COUNT, post=post, **{"default-graph-uri": ONTOLOGY}) == 0
    # the protocol's dataset replaces the query's FROM (SPARQL 1.1 Protocol 2.1.4)
    from_ontology = COUNT.replace("WHERE", f"FROM <{ONTOLOGY}> WHERE")
    assert _n(server, from_ontology, post=post) == ontology
    assert _n(server, from_ontology, post=post, **{"default-graph-uri": CORPUS}) == corpus


@pytest.mark.parametrize("post", [None, "form", "direct"])
def test_named_graph_uri_sets_the_named_graphs(server, post):
    assert _n(server, GRAPHS, post=post) == [CORPUS, ONTOLOGY]
    assert _n(server, GRAPHS, post=post, **{"named-graph-uri": CORPUS}) == [CORPUS]
    # named graphs only: the default graph is empty, as with FROM NAMED alone
    assert _n(server, post=post, **{"named-graph-uri": CORPUS}) == 0
    assert _n(server, GRAPHS, post=post, **{"default-graph-uri": CORPUS}) == []


def test_sparqlwrapper_dataset_parameters(server):
    sw = pytest.importorskip("SPARQLWrapper")
    for method in (sw.GET, sw.POST):
        endpoint = sw.SPARQLWrapper(server.url)
        endpoint.setMethod(method)
        endpoint.setQuery(DOC_COUNT)
        endpoint.setReturnFormat(sw.JSON)
        endpoint.addParameter("default-graph-uri", ONTOLOGY)
        assert endpoint.query().convert()["results"]["bindings"][0]["n"]["value"] == "0"
        endpoint.clearParameter("default-graph-uri")
        endpoint.addParameter("default-graph-uri", CORPUS)
        assert endpoint.query().convert()["results"]["bindings"][0]["n"]["value"] == "5"




def test_dataset_parameters_refuse_other_graphs_without_fetching(server, listener):
    for parameter in ("default-graph-uri", "named-graph-uri"):
        for send in ("get", "form", "direct"):
            params = {parameter: [CORPUS, listener.url]}
            if send == "get":
                status, _, body = get(q(server, COUNT, **params))
            elif send == "form":
                data = urllib.parse.urlencode({"query": COUNT, **params}, doseq=True).encode()
                status, _, body = get(server.url,
                                      {"Content-Type": "application/x-www-form-urlencoded"},
                                      data)
            else:
                status, _, body = get(server.url + "?" + urllib.parse.urlencode(params, True),
                                      {"Content-Type": "application/sparql-query"},
                                      COUNT.encode())
            assert status == 403, body
            text = body.decode()
            assert f"{parameter} <{listener.url}> is not allowed" in text
            assert "only name a graph of the local store" in text and CORPUS in text
    # a graph the store does not hold, and a value that is no IRI
    status, _, body = get(q(server, COUNT, **{"default-graph-uri": "urn:tone:no-such-graph"}))
    assert status == 403 and b"urn:tone:no-such-graph" in body
    status, _, body = get(q(server, COUNT, **{"named-graph-uri": "not an IRI"}))
    assert status == 400 and b"not an absolute IRI" in body
    assert listener.connections == 0
    assert _n(server) > 0  # the endpoint keeps answering
