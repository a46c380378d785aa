"""A read-only SPARQL 1.1 Protocol endpoint over a knowledge-graph store (``tone serve``).

Standard library only (``http.server.ThreadingHTTPServer``); the extra ``server`` brings
pyoxigraph, whose on-disk store the endpoint reads.

* ``GET /sparql?query=…``, ``POST /sparql`` with a form (``query=…``) or an
  ``application/sparql-query`` body (``/`` answers the same requests).
* Content negotiation from ``Accept`` (or ``format=json|xml|csv|tsv|turtle|ntriples|rdfxml|
  jsonld``, or a media type there, as SPARQLWrapper sends it): SPARQL JSON (default), XML, CSV
  and TSV results for SELECT/ASK; Turtle (default), N-Triples, RDF/XML and JSON-LD for
  CONSTRUCT/DESCRIBE. An Accept header that names no supported type gets the default. CSV is
  RFC 4180 as SPARQL 1.1 CSV asks (CRLF line ends; a field with a comma, quote, CR or LF is
  quoted, so NIF IRIs such as ``…#char=0,191`` are one field); TSV is SPARQL 1.1 TSV (Turtle
  terms, escaped tabs and line breaks): :mod:`tone.kg.tabular`, on both store backends. ASK in
  CSV or TSV is ``true`` or ``false``.
* A ``GET`` without a query answers a SPARQL 1.1 Service Description (``sd:Service`` with
  ``sd:endpoint``, ``sd:supportedLanguage sd:SPARQL11Query``, an ``sd:resultFormat`` per format,
  ``sd:feature sd:UnionDefaultGraph`` and an ``sd:defaultDataset`` naming the store's graphs)
  in Turtle, N-Triples, RDF/XML or JSON-LD from ``Accept``, unless ``text/html`` ranks first: a
  browser gets the small HTML query page. Without ``Accept`` (or with ``*/*``), ``/sparql``
  answers Turtle and ``/`` the page.
* ``default-graph-uri`` and ``named-graph-uri`` (query string for GET and for a
  ``application/sparql-query`` POST, form fields for a form POST; repeatable) set the query's
  dataset as ``FROM`` and ``FROM NAMED`` do, and replace any the query names (SPARQL 1.1
  Protocol 2.1.4); given only ``named-graph-uri``, the default graph is empty. Without them,
  the default graph is the union of the store's graphs. Each must name a graph of the store:
  another IRI is refused with 403 (400 for a value that is not an absolute IRI) and is never
  fetched (:func:`tone.ontology.query_policy.check_dataset`).
* Read-only and closed. Every query is untrusted and passes
  :mod:`tone.ontology.query_policy`, which *parses* it (rdflib's SPARQL parser) before any store
  sees it: ``SERVICE`` anywhere, SPARQL Update (``update=``, ``application/sparql-update``, or
  update operations such as ``LOAD`` in a query) and ``FROM``/``FROM NAMED`` (or the dataset
  parameters) naming anything but the store's own graphs are refused with 403 and a message;
  a query rdflib cannot parse, longer than 200,000 characters or nested deeper than 100
  ``{``/``(``/``[`` gets 400.
* Bounded. Each query runs in a worker process that is killed when it passes the time limit
  (``timeout``, 503) and whose address space may grow by at most ``max_memory`` bytes past the
  opened store (``RLIMIT_AS``, default 1 GiB; a query that needs more gets 503 "used more than
  … MB" and its worker is replaced). A result larger than ``max_bytes`` is refused (400, "add
  LIMIT"). Request bodies above 1 MB get 413. Each socket read (request line, headers, body)
  must arrive within ``read_timeout`` seconds (default 10) or the connection is closed, and at
  most ``max_connections`` connections (default 64) are served at once; more are answered 503
  and closed at once, so half-sent requests cannot pile up threads.
* Bound to 127.0.0.1, the server also refuses requests whose ``Host`` is not a loopback
  name (403), which keeps web pages using DNS rebinding out.
* CORS is off: browsers only let a page from another origin (a hosted YASGUI, say) read the
  answers when ``cors`` names that origin (or ``*``). Pages served by the endpoint itself and
  non-browser clients (SPARQLWrapper, rdflib's SPARQLStore, curl) need no CORS.
* One log line per request on stderr: client, method, path, status, bytes, milliseconds.

>>> refusal("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
'SERVICE (federated query) is disabled on this endpoint'
>>> refusal("SELECT ?s WHERE { ?s rdfs:label 'LOAD and DELETE are words here' }") is None
True
>>> refusal("LOAD <http://example.org/data.ttl>")[:35]
'SPARQL Update (LOAD) is not allowed'
>>> refusal(r"SELECT * { BIND(tone:x\\' AS ?z) SERVICE <http://h/x> {} FILTER(?z != <urn:a'>) }")
'SERVICE (federated query) is disabled on this endpoint'
>>> negotiate("application/sparql-results+xml, text/turtle;q=0.5")
('xml', 'turtle')
"""
from __future__ import annotations

import html
import logging
import multiprocessing
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import QueryError, ToneError, UsageError
from ..ontology.query_policy import QueryNotAllowed, check_query

__all__ = ["serve", "SparqlServer", "QueryPool", "refusal", "negotiate",
           "negotiate_description", "service_description", "QueryRefused"]

log = logging.getLogger("tone.serve")

MAX_BODY = 1_000_000
MAX_MEMORY = 1 << 30          # bytes a query worker may add to its address space
READ_TIMEOUT = 10.0           # seconds each socket read of a request may take
MAX_CONNECTIONS = 64          # connections served at once
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


class QueryRefused(ToneError):
    """The endpoint will not run this request; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def _endpoint_message(err: QueryNotAllowed) -> str:
    if err.kind == "service":
        return "SERVICE (federated query) is disabled on this endpoint"
    if err.kind == "update":
        return str(err).replace("queries are read-only", "this endpoint is read-only")
    return str(err)


def refusal(query: str, graphs=None) -> str | None:
    """Why this endpoint refuses a query text (SERVICE, updates, FROM outside ``graphs``, too
    large, too deep, malformed), or None. Decided by parsing: see
    :mod:`tone.ontology.query_policy`.
    """
    try:
        check_query(query, graphs)
    except QueryNotAllowed as err:
        return _endpoint_message(err)
    return None


def _accepted(accept: str | None) -> list[str]:
    """The media types of an ``Accept`` header, most wanted first (q=0 left out)."""
    ranked = []
    for position, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0 and fields[0]:
            ranked.append((-q, position, fields[0].lower()))
    return [t for _, _, t in sorted(ranked)]


def negotiate(accept: str | None, fmt: str | None = None) -> tuple[str, str]:
    """The (results format, graph format) to answer with, from ``format=`` (a name or a media
    type, as SPARQLWrapper sends) or ``Accept``."""
    results, graph = "json", "turtle"
    if fmt:
        key = fmt.strip().lower()
        aliases = {"nt": "ntriples", "n-triples": "ntriples", "ttl": "turtle", "xml": "xml",
                   "json-ld": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml",
                   "n3": "turtle"}  # Turtle is N3
        key = aliases.get(key, key)
        key = RESULT_TYPES.get(key, GRAPH_TYPES.get(key, key))
        if key in ("json", "xml", "csv", "tsv"):
            return key, {"xml": "rdfxml", "json": "jsonld"}.get(key, graph)
        if key in ("turtle", "ntriples", "rdfxml", "jsonld"):
            return results, key
        raise QueryRefused(f"unknown format {fmt!r}; expected json, xml, csv, tsv, turtle, "
                           "ntriples, rdfxml or jsonld", 400)
    types = _accepted(accept)
    results = next((RESULT_TYPES[t] for t in types if t in RESULT_TYPES), results)
    graph = next((GRAPH_TYPES[t] for t in types if t in GRAPH_TYPES), graph)
    return results, graph


def negotiate_description(accept: str | None, default: str = "turtle") -> str:
    """What a GET without a query answers: ``html`` (the query page) or the RDF format of the
    service description, whichever ``Accept`` ranks first; ``default`` for none or ``*/*``.

    >>> negotiate_description("text/html,application/xhtml+xml,*/*;q=0.8", "turtle")
    'html'
    >>> negotiate_description("application/rdf+xml, text/html;q=0.5", "html")
    'rdfxml'
    >>> negotiate_description(None, "html")
    'html'
    """
    for media in _accepted(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return "html"
        if media in GRAPH_TYPES:
            return GRAPH_TYPES[media]
    return default


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
#: The W3C format IRIs (http://www.w3.org/ns/formats/) of the answers the endpoint gives.
RESULT_FORMAT_IRIS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                      "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]


def service_description(endpoint: str, graphs, fmt: str = "turtle") -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint`` over a store whose
    named graphs are ``graphs``, serialized as ``fmt`` (turtle, ntriples, rdfxml, jsonld).

    >>> from rdflib import Graph, URIRef
    >>> g = Graph().parse(data=service_description("http://localhost:8000/sparql",
    ...                                            ["urn:g"]), format="turtle")
    >>> sorted(str(o) for o in g.objects(None, URIRef(SD + "endpoint")))
    ['http://localhost:8000/sparql']
    """
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS

    sd, formats = Namespace(SD), Namespace(FORMATS)
    g = Graph()
    g.bind("sd", sd)
    g.bind("formats", formats)
    service, dataset, default = BNode("service"), BNode("dataset"), BNode("defaultGraph")
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, URIRef(endpoint)))
    g.add((service, RDFS.label, Literal("tone SPARQL endpoint (read-only)")))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in RESULT_FORMAT_IRIS:
        g.add((service, sd.resultFormat, formats[name]))
    # the default graph is the union of the named graphs (without FROM or default-graph-uri)
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    for i, iri in enumerate(sorted(graphs)):
        named, graph = BNode(f"namedGraph{i}"), BNode(f"graph{i}")
        g.add((dataset, sd.namedGraph, named))
        g.add((named, RDF.type, sd.NamedGraph))
        g.add((named, sd.name, URIRef(iri)))
        g.add((named, sd.graph, graph))
        g.add((graph, RDF.type, sd.Graph))
    rdflib_name = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml",
                   "jsonld": "json-ld"}[fmt]
    return g.serialize(format=rdflib_name, encoding="utf-8")


# -- workers ------------------------------------------------------------------------------------
class _Capped:
    """A write-only buffer that stops at ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.parts, self.exceeded = limit, 0, [], False

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.exceeded = True
            raise OSError(f"result larger than {self.limit} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _limit_memory(max_memory: int | None) -> None:
    """Let this process's address space grow by ``max_memory`` bytes past its present size
    (an opened Oxigraph store already reserves ~0.4 GB of address space for ~60 MB resident)."""
    if not max_memory:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: no limit
        return
    base = _address_space() or 0
    limit = base + max_memory
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _memory_message(max_memory: int | None) -> str:
    return (f"query stopped: it used more than the endpoint's memory limit of "
            f"{(max_memory or 0) >> 20} MB; narrow the query or add LIMIT")


def _worker_main(store: str, conn, max_bytes: int,
                 max_memory: int | None = None) -> None:  # runs in a child process
    try:
        from .store import KnowledgeGraph

        kg = KnowledgeGraph(store, read_only=True)
        _limit_memory(max_memory)
        conn.send(("ready", None))
    except BaseException as err:  # report why the store cannot be opened, then stop
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        if message[0] == "graphs":  # for the service description
            try:
                conn.send(("ok", sorted(kg.backend.graph_names())))
            except Exception as err:
                conn.send(("error", (500, f"cannot list the graphs: {err}")))
            continue
        _, query, results, graph, dataset = message
        buffer = _Capped(max_bytes)
        try:
            kind, name, _ = kg.serialize(query, results, graph, output=buffer, dataset=dataset)
            conn.send(("ok", (name, buffer.getvalue())))
        except MemoryError:  # answer, then stop: the pool starts a fresh worker
            buffer = None
            try:
                conn.send(("oom", None))
            finally:
                return
        except QueryNotAllowed as err:
            conn.send(("error", (err.status, _endpoint_message(err))))
        except QueryError as err:
            if buffer.exceeded:
                conn.send(("error", (400, f"the result is larger than the endpoint's limit of "
                                          f"{max_bytes} bytes; add LIMIT or narrow the query")))
            else:
                conn.send(("error", (400, str(err))))
        except Exception as err:
            if buffer.exceeded:
                conn.send(("error", (400, f"the result is larger than the endpoint's limit of "
                                          f"{max_bytes} bytes; add LIMIT or narrow the query")))
            else:
                conn.send(("error", (500, f"query failed: {type(err).__name__}: {err}")))


class _Worker:
    def __init__(self, ctx, store: str, max_bytes: int, max_memory: int | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main,
                                   args=(store, child, max_bytes, max_memory),
                                   daemon=True, name="tone-sparql-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise UsageError("a query worker did not start in time")
        status, detail = self.conn.recv()
        if status != "ready":
            self.kill()
            raise UsageError(f"cannot open the store: {detail}")

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            self.conn.close()


class QueryPool:
    """Worker processes, each with the store open read-only; a query that runs past
    ``timeout`` seconds, or needs more than ``max_memory`` bytes (None: no limit), has its
    worker killed and replaced.

    >>> QueryPool.__name__
    'QueryPool'
    """

    def __init__(self, store, workers: int | None = None, timeout: float = 10.0,
                 max_bytes: int = 50_000_000, queue_timeout: float | None = None,
                 max_memory: int | None = MAX_MEMORY) -> None:
        import os

        self.store = str(store)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_memory = max_memory
        self.queue_timeout = queue_timeout if queue_timeout is not None else timeout + 20
        self.size = workers or min(8, max(2, os.cpu_count() or 2))
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._closed = False
        started = [_Worker(self._ctx, self.store, max_bytes, max_memory)
                   for _ in range(self.size)]
        try:
            for worker in started:
                worker.wait_ready(120)
        except BaseException:
            for worker in started:
                worker.kill()
            raise
        for worker in started:
            self._idle.put(worker)

    def _replace(self) -> None:
        def start():
            if self._closed:
                return
            try:
                worker = _Worker(self._ctx, self.store, self.max_bytes, self.max_memory)
                worker.wait_ready(120)
                self._idle.put(worker)
            except Exception as err:  # keep serving with one worker fewer
                log.error("tone serve: could not restart a query worker: %s", err)
        threading.Thread(target=start, daemon=True).start()

    def run(self, query: str, results: str = "json", graph: str = "turtle",
            dataset: tuple | None = None) -> tuple[str, bytes]:
        """Run a query in a worker; return (format name, body) or raise :class:`QueryRefused`.
        ``dataset``: (default graph IRIs, named graph IRIs) from the protocol's
        ``default-graph-uri`` and ``named-graph-uri``, or None."""
        return self._call(("query", query, results, graph, dataset))

    def graphs(self) -> list[str]:
        """The store's named graphs (IRIs), asked of a worker."""
        return self._call(("graphs",))

    def _call(self, message: tuple):
        try:
            worker = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise QueryRefused("the endpoint is busy; try again later", 503) from None
        healthy = False
        try:
            worker.conn.send(message)
            if not worker.conn.poll(self.timeout):
                raise QueryRefused(f"query stopped: it ran longer than the endpoint's limit of "
                                   f"{self.timeout:g} s", 503)
            status, detail = worker.conn.recv()
            healthy = status != "oom"
        except (EOFError, OSError, BrokenPipeError):
            worker.process.join(2)
            code = worker.process.exitcode
            # Rust (Oxigraph) aborts when an allocation fails under RLIMIT_AS: SIGABRT
            if self.max_memory and code in (-6, 134):
                raise QueryRefused(_memory_message(self.max_memory), 503) from None
            raise QueryRefused(f"the query worker stopped unexpectedly (exit code {code})",
                               500) from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                worker.kill()
                self._replace()
        if status == "ok":
            return detail
        if status == "oom":
            raise QueryRefused(_memory_message(self.max_memory), 503)
        code, message = detail
        raise QueryRefused(message, code)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()


# -- HTTP ---------------------------------------------------------------------------------------
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tone SPARQL endpoint</title>
<style>body{font:14px sans-serif;margin:2em;max-width:70em}textarea{width:100%;height:14em;
font:13px monospace}table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;
padding:2px 6px;font:12px monospace;text-align:left}pre{background:#f6f6f6;padding:1em}</style>
</head><body><h1>tone SPARQL endpoint</h1>
<p>Store <code>__STORE__</code>. Read-only; the prefixes __PREFIXES__ are bound; the default
graph is the union of the ontology and corpus graphs. Endpoint: <code>/sparql</code>
(SPARQL 1.1 Protocol, GET or POST; a GET without a query asking for RDF, such as
<code>Accept: text/turtle</code>, gets its service description).</p>
<form id="f" method="get" action="sparql"><textarea name="query" id="q">__QUERY__</textarea>
<p><label>format <select name="format" id="fmt"><option>table</option><option>json</option>
<option>xml</option><option>csv</option><option>tsv</option><option>turtle</option></select>
</label> <button type="submit">Run</button> <span id="status"></span></p></form>
<div id="out"></div>
<script>
document.getElementById('f').addEventListener('submit', async function (e) {
  const fmt = document.getElementById('fmt').value;
  if (fmt !== 'table') return;
  e.preventDefault();
  const status = document.getElementById('status'), out = document.getElementById('out');
  status.textContent = 'running…'; out.textContent = '';
  const t0 = performance.now();
  const r = await fetch('sparql', {method: 'POST', headers: {'Content-Type':
    'application/sparql-query', 'Accept': 'application/sparql-results+json, text/turtle'},
    body: document.getElementById('q').value});
  const text = await r.text();
  status.textContent = r.status + ' in ' + Math.round(performance.now() - t0) + ' ms';
  if (!r.ok || !(r.headers.get('Content-Type') || '').includes('json')) {
    const pre = document.createElement('pre'); pre.textContent = text; out.appendChild(pre);
    return;
  }
  const data = JSON.parse(text);
  if ('boolean' in data) { out.textContent = String(data.boolean); return; }
  const table = document.createElement('table'), head = table.insertRow();
  for (const v of data.head.vars) { const th = document.createElement('th');
    th.textContent = v; head.appendChild(th); }
  for (const b of data.results.bindings) { const row = table.insertRow();
    for (const v of data.head.vars) row.insertCell().textContent = b[v] ? b[v].value : ''; }
  out.appendChild(table);
  status.textContent += ', ' + data.results.bindings.length + ' rows';
});
</script></body></html>
"""

_EXAMPLE = """SELECT ?secondary (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  ?doc a nif:Context ; onyx:hasEmotionSet/onyx:hasEmotion/onyx:hasEmotionCategory ?c .
  ?c rdfs:subClassOf* ?s . ?s tone:tier 2 ; rdfs:subClassOf tone:Fear ; rdfs:label ?secondary .
} GROUP BY ?secondary ORDER BY DESC(?documents)"""


class _Handler(BaseHTTPRequestHandler):
    server_version = "tone-sparql/0.1"
    protocol_version = "HTTP/1.1"

    # -- plumbing -------------------------------------------------------------------------
    def setup(self) -> None:
        self.timeout = self.server.read_timeout  # each socket read and write; None: no limit
        super().setup()

    def log_message(self, format, *args) -> None:  # one line per request, written in _finish
        pass

    def _finish(self, status: int, body: bytes, content_type: str,
                extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        for key, value in self._cors_headers().items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        elapsed = (time.perf_counter() - self._started) * 1000
        path = urlsplit(self.path).path
        sys.stderr.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {self.client_address[0]} "
                         f"\"{self.command} {path}\" {status} {len(body)} {elapsed:.1f}ms"
                         f"{' ' + self._note if self._note else ''}\n")
        sys.stderr.flush()

    def _error(self, status: int, message: str) -> None:
        self._note = message[:120].replace("\n", " ")
        self._finish(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _cors_headers(self) -> dict:
        origin = self.headers.get("Origin")
        allowed = self.server.cors
        if not origin or not allowed:
            return {}
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*"}
        if origin in allowed:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def _host_ok(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[: host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in LOOPBACK_NAMES

    def _start(self) -> bool:
        self._started = time.perf_counter()
        self._note = ""
        if not self._host_ok():
            self._error(403, "this endpoint answers only requests addressed to localhost")
            return False
        return True

    # -- methods --------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        if not self._start():
            return
        extra = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self._cors_headers():
            extra.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                          "Access-Control-Allow-Headers": "Content-Type, Accept",
                          "Access-Control-Max-Age": "600"})
        self._finish(204, b"", "text/plain", extra)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._start():
            return
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if parts.path not in ("/", "/sparql"):
            self._error(404, f"no such resource {parts.path}; the endpoint is /sparql")
            return
        if "update" in params:
            self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
            return
        if "query" not in params:
            if set(params) - {"format", "output"}:
                self._error(400, "missing query parameter: GET /sparql?query=...")
                return
            # no query: the service description (RDF), or the query page for browsers
            want = negotiate_description(self.headers.get("Accept"),
                                         "html" if parts.path == "/" else "turtle")
            fmt = (params.get("format") or params.get("output") or [None])[0]
            if fmt and fmt.strip().lower() != "html":
                try:
                    want = negotiate(None, fmt)[1]
                except QueryRefused as err:
                    self._error(err.status, str(err))
                    return
            if want == "html":
                self._page()
            else:
                self._description(want)
            return
        self._answer(params)

    def do_POST(self) -> None:
        if not self._start():
            return
        parts = urlsplit(self.path)
        if parts.path not in ("/", "/sparql"):
            self._error(404, f"no such resource {parts.path}; the endpoint is /sparql")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body too large (limit {MAX_BODY} bytes)")
            return
        try:
            raw = self.rfile.read(length)
        except (TimeoutError, OSError):
            raw = b""
        if len(raw) < length:  # the client stopped sending (or the read timed out)
            self.close_connection = True
            try:
                self._error(408, f"the request body did not arrive within "
                                 f"{self.server.read_timeout:g} s")
            except OSError:
                pass
            return
        body = raw.decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(parts.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
            return
        if ctype == "application/sparql-query":
            params["query"] = [body]
        elif ctype == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            self._error(415, "POST a form (application/x-www-form-urlencoded) or an "
                             "application/sparql-query body")
            return
        if "update" in params:
            self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
            return
        if "query" not in params:
            self._error(400, "missing query parameter")
            return
        self._answer(params)

    def do_PUT(self) -> None:
        if self._start():
            self._error(405, "this endpoint is read-only; use GET or POST with a query")

    do_DELETE = do_PATCH = do_PUT

    # -- answers --------------------------------------------------------------------------
    def _page(self) -> None:
        from .store import ALL_PREFIXES

        page = (_PAGE.replace("__STORE__", html.escape(self.server.store_name))
                .replace("__PREFIXES__", " ".join(f"{p}:" for p in ALL_PREFIXES))
                .replace("__QUERY__", html.escape(_EXAMPLE)))
        self._finish(200, page.encode("utf-8"), "text/html; charset=utf-8",
                     {"Content-Security-Policy": "default-src 'self'; script-src "
                      "'unsafe-inline'; style-src 'unsafe-inline'", "Vary": "Accept"})

    def _endpoint_url(self) -> str:
        host = (self.headers.get("Host") or "").strip()
        if not host or any(c in host for c in ' <>"{}|\\^`/'):
            return self.server.url
        return f"http://{host}/sparql"

    def _description(self, fmt: str) -> None:
        try:
            graphs = self.server.pool.graphs()
        except QueryRefused as err:
            self._error(err.status, str(err))
            return
        body = service_description(self._endpoint_url(), graphs, fmt)
        charset = "" if fmt == "jsonld" else "; charset=utf-8"
        self._finish(200, body, CONTENT_TYPES[fmt] + charset, {"Vary": "Accept"})

    def _answer(self, params: dict) -> None:
        queries = params["query"]
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "give exactly one non-empty query parameter")
            return
        # the protocol's dataset: replaces FROM / FROM NAMED; checked by the worker's store
        # (only the store's own graphs, nothing fetched): see query_policy.check_dataset
        dataset = None
        if "default-graph-uri" in params or "named-graph-uri" in params:
            dataset = ([iri.strip() for iri in params.get("default-graph-uri", [])],
                       [iri.strip() for iri in params.get("named-graph-uri", [])])
        query = queries[0]  # checked (parsed) by the worker's store: see query_policy
        try:
            fmt = (params.get("format") or params.get("output") or [None])[0]
            if fmt == "table":
                fmt = None
            results, graph = negotiate(self.headers.get("Accept"), fmt)
            name, body = self.server.pool.run(query, results, graph, dataset)
        except QueryRefused as err:
            self._error(err.status, str(err))
            return
        charset = "" if name in ("json", "jsonld") else "; charset=utf-8"
        self._finish(200, body, CONTENT_TYPES[name] + charset)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    read_timeout: float | None = READ_TIMEOUT
    max_connections = MAX_CONNECTIONS
    _BUSY_TEXT = b"the endpoint has too many open connections; try again later\n"
    _BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Content-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s"
             % (len(_BUSY_TEXT), _BUSY_TEXT))

    def server_bind(self) -> None:
        super().server_bind()
        self.slots = threading.BoundedSemaphore(self.max_connections)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):  # over the cap: answer 503 and close
            try:
                request.settimeout(1.0)
                request.sendall(self._BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class SparqlServer:
    """A running endpoint: ``url`` is ``http://host:port/sparql``; :meth:`close` stops it.

    Parameters match :func:`serve`; ``port=0`` picks a free port.
    """

    def __init__(self, store, host: str = "127.0.0.1", port: int = 8000,
                 timeout: float = 10.0, max_bytes: int = 50_000_000,
                 workers: int | None = None, cors: list[str] | tuple = (),
                 max_memory: int | None = MAX_MEMORY, read_timeout: float | None = READ_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        from .store import is_store

        if not is_store(store):
            raise UsageError(f"{store}: not a tone knowledge-graph store; build one with: "
                             "tone kg build INPUT --store DIR")
        from ..errors import require

        require("pyoxigraph", "server", "tone serve") if _backend(store) == "oxigraph" else None
        if max_connections < 1:
            raise UsageError("max_connections must be at least 1")
        self.pool = QueryPool(store, workers=workers, timeout=timeout, max_bytes=max_bytes,
                              max_memory=max_memory)
        server_class = type("_Server", (_Server,), {"read_timeout": read_timeout,
                                                    "max_connections": max_connections})
        try:
            self.httpd = server_class((host, port), _Handler)
        except OSError as err:
            self.pool.close()
            raise UsageError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
        self.httpd.pool = self.pool
        self.httpd.cors = list(cors)
        self.httpd.store_name = Path(store).name
        self.httpd.loopback_only = _is_loopback(host)
        self.host, self.port = self.httpd.server_address[:2]
        shown = f"[{self.host}]" if ":" in str(self.host) else self.host
        self.url = self.httpd.url = f"http://{shown}:{self.port}/sparql"
        self._thread: threading.Thread | None = None

    def start(self) -> "SparqlServer":
        """Serve in a background thread (for tests and notebooks)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(10)
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> "SparqlServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _backend(store) -> str:
    from .store import MANIFEST, read_manifest

    return read_manifest(Path(store) / MANIFEST)["backend"]


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(store, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10.0,
          max_bytes: int = 50_000_000, workers: int | None = None,
          cors: list[str] | tuple = (), max_memory: int | None = MAX_MEMORY,
          read_timeout: float | None = READ_TIMEOUT,
          max_connections: int = MAX_CONNECTIONS) -> None:
    """Serve ``store`` until interrupted (``tone serve``)."""
    server = SparqlServer(store, host, port, timeout, max_bytes, workers, cors,
                          max_memory=max_memory, read_timeout=read_timeout,
                          max_connections=max_connections)
    if not server.httpd.loopback_only:
        sys.stderr.write(f"tone serve: warning: listening on {host}, not loopback: anyone who "
                         "can reach this address can query the store\n")
    sys.stderr.write(f"tone serve: {store} at {server.url} (query page: "
                     f"{server.url[:-len('sparql')]}; {server.pool.size} workers, "
                     f"{timeout:g} s limit"
                     f"{f', {max_memory >> 20} MB memory each' if max_memory else ''}; "
                     "Ctrl-C stops)\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
