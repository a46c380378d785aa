"""A persistent knowledge graph: the ontology and annotated corpora in one on-disk RDF store.

A store is a folder holding ``tone-kg.json`` (backend, document IRI base) and the data: an
Oxigraph (RocksDB) database in ``oxigraph/`` — the default, with pyoxigraph installed — or, for
small graphs without pyoxigraph, an rdflib dataset kept as ``graph.nq`` (N-Quads).

Named graphs:

* ``https://w3id.org/tone/graph/ontology`` — the ontology and its mappings (as loaded by
  :class:`tone.Ontology`; ``tone.ttl`` declares the corpus properties too); replaced when the
  ontology files change, so a store follows the installed ontology;
* ``https://w3id.org/tone/graph/corpus`` — the annotated documents (one ``nif:Context`` each,
  shape in :mod:`tone.io.rdf`); give another graph IRI to keep corpora apart.

Queries see the union of all graphs as their default graph, so they join documents to the
tier tree without ``GRAPH`` clauses; ``GRAPH <…> { … }`` still selects one. The prefixes of
:data:`tone.ontology.sparql.PREFIXES` plus ``nif:``, ``onyx:`` and ``meta:`` are bound.

>>> import tempfile
>>> from tone.kg import KnowledgeGraph
>>> record = {"id": "d1", "text": "What a fright!", "top": ["fear"],
...           "emotions": {"primary": {"fear": 0.7}, "secondary": {"horror": 0.7},
...                        "tertiary": {"fright": 0.7}},
...           "vad": {"valence": -0.6, "arousal": 0.8, "dominance": 0.2}, "intensity": 0.7,
...           "spans": [{"start": 7, "end": 13, "text": "fright", "concept": "fright",
...                      "tier": 3, "score": 0.7, "rules": []}]}
>>> with tempfile.TemporaryDirectory() as folder:
...     with KnowledgeGraph(folder) as kg:
...         stats = kg.add_records([record])
...         again = kg.add_records([record])           # idempotent
...         rows = kg.query('''SELECT ?doc WHERE {
...             ?doc a nif:Context ;
...                  onyx:hasEmotionSet/onyx:hasEmotion/onyx:hasEmotionCategory ?c .
...             ?c rdfs:subClassOf* tone:Fear ; tone:tier 3 }''').value
>>> (stats.added, again.unchanged, len(rows))
(1, 1, 1)
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import QueryError, UsageError
from ..ontology.namespace import TONE_IRI
from ..ontology.sparql import PREFIXES, QueryResult
from ..io.rdf import (DCTERMS, DEFAULT_BASE, IRI, KG_PREFIXES, NIF, ONYX, Lit, context_iri,
                  iter_record_triples, record_hash)

__all__ = ["KnowledgeGraph", "LoadStats", "ONTOLOGY_GRAPH", "CORPUS_GRAPH", "ALL_PREFIXES",
           "MANIFEST", "is_store"]

ONTOLOGY_GRAPH = "https://w3id.org/tone/graph/ontology"
CORPUS_GRAPH = "https://w3id.org/tone/graph/corpus"
MANIFEST = "tone-kg.json"
ALL_PREFIXES = {**PREFIXES, **KG_PREFIXES}
FORMAT_VERSION = 1


def is_store(path) -> bool:
    """Whether ``path`` is a knowledge-graph store folder (it holds ``tone-kg.json``)."""
    return (Path(path) / MANIFEST).is_file()


@dataclass
class LoadStats:
    """What one :meth:`KnowledgeGraph.add_records` call did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def documents(self) -> int:
        return self.added + self.replaced + self.unchanged

    def __iadd__(self, other: "LoadStats") -> "LoadStats":
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        return self


def _prologue(sparql: str) -> str:
    declared = {line.split()[1].rstrip(":").lower() for line in sparql.splitlines()
                if line.strip().lower().startswith("prefix") and len(line.split()) > 1}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in ALL_PREFIXES.items()
                   if p not in declared)


# -- backends -----------------------------------------------------------------------------------
class _OxigraphBackend:
    name = "oxigraph"

    def __init__(self, folder: Path, read_only: bool) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.read_only = read_only
        path = folder / "oxigraph"
        if read_only:
            if not path.is_dir():
                raise UsageError(f"{folder}: the store has no oxigraph/ folder")
            self.store = ox.Store.read_only(str(path))
        else:
            self.store = ox.Store(str(path))
        self._iris: dict[str, object] = {}

    def _iri(self, value: str):
        node = self._iris.get(value)
        if node is None:
            node = self.ox.NamedNode(value)
            if len(self._iris) < 100_000:
                self._iris[value] = node
        return node

    def _term(self, term):
        if isinstance(term, IRI):
            return self._iri(term)
        value, datatype, lang = term
        if lang:
            return self.ox.Literal(value, language=lang)
        return self.ox.Literal(value, datatype=self._iri(datatype))

    def _plain(self, term):
        if isinstance(term, self.ox.NamedNode):
            return IRI(term.value)
        if isinstance(term, self.ox.Literal):
            return Lit(term.value, term.datatype.value if not term.language else None,
                       term.language)
        return term

    def objects(self, subject: str, predicate: str, graph: str) -> list:
        return [self._plain(q.object) for q in self.store.quads_for_pattern(
            self._iri(subject), self._iri(predicate), None, self._iri(graph))]

    def subjects(self, predicate: str, obj, graph: str) -> list:
        return [self._plain(q.subject) for q in self.store.quads_for_pattern(
            None, self._iri(predicate), self._term(obj), self._iri(graph))]

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> None:
        g = self._iri(graph)
        for subject in subjects:
            for quad in list(self.store.quads_for_pattern(self._iri(subject), None, None, g)):
                self.store.remove(quad)

    def add(self, triples: Iterable[tuple], graph: str) -> None:
        g = self._iri(graph)
        self.store.extend(self.ox.Quad(self._term(s), self._term(p), self._term(o), g)
                          for s, p, o in triples)

    def load_graph_ntriples(self, data: bytes, graph: str) -> None:
        g = self._iri(graph)
        if self.store.contains_named_graph(g):
            self.store.clear_graph(g)
        self.store.load(data, format=self.ox.RdfFormat.N_TRIPLES, to_graph=g)

    def __len__(self) -> int:
        return len(self.store)

    def count(self, predicate: str, obj, graph: str | None) -> int:
        g = self._iri(graph) if graph else None
        return sum(1 for _ in self.store.quads_for_pattern(None, self._iri(predicate),
                                                           self._term(obj), g))

    def flush(self) -> None:
        if not self.read_only:
            self.store.flush()

    def close(self) -> None:
        self.flush()
        self.store = None

    # queries
    def query(self, text: str):
        try:
            return self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as err:
            from ..ontology.sparql import _located

            raise _located(err, text, 0) from None
        except Exception as err:
            raise QueryError(f"SPARQL query failed: {err}") from None

    def run(self, text: str) -> QueryResult:
        from ..ontology.sparql import _to_rdflib

        result = self.query(text)
        if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
            return QueryResult("ask", bool(result), [])
        if type(result).__name__ == "QuerySolutions":
            variables = [v.value for v in result.variables]
            rows = [tuple(_to_rdflib(s[v]) for v in variables) for s in result]
            return QueryResult("select", rows, variables)
        from rdflib import Graph

        out = Graph()
        for prefix, iri in ALL_PREFIXES.items():
            out.bind(prefix, iri)
        for t in result:
            out.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
        return QueryResult("graph", out, [])

    def serialize(self, text: str, kind_formats: dict, output) -> tuple[str, str]:
        """Run ``text`` and write its result to ``output`` in the format chosen for its kind
        (``kind_formats``: {"results": name, "graph": name}); return (kind, format name)."""
        result = self.query(text)
        ox = self.ox
        if type(result).__name__ in ("QuerySolutions", "QueryBoolean") or isinstance(result,
                                                                                     bool):
            name = kind_formats["results"]
            fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]
            result.serialize(output, format=fmt)
            return "results", name
        name = kind_formats["graph"]
        fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[name]
        result.serialize(output, format=fmt)
        return "graph", name


class _RdflibBackend:
    """rdflib ``Dataset`` saved as N-Quads: for small graphs when pyoxigraph is absent."""

    name = "rdflib"

    def __init__(self, folder: Path, read_only: bool) -> None:
        from rdflib import Dataset

        self.path = folder / "graph.nq"
        self.read_only = read_only
        self.dataset = Dataset(default_union=True)
        for prefix, iri in ALL_PREFIXES.items():
            self.dataset.bind(prefix, iri)
        if self.path.is_file():
            self.dataset.parse(str(self.path), format="nquads")
        self.dirty = False

    @staticmethod
    def _term(term):
        from rdflib import Literal, URIRef

        if isinstance(term, IRI):
            return URIRef(term)
        value, datatype, lang = term
        return Literal(value, lang=lang) if lang else Literal(value, datatype=URIRef(datatype))

    @staticmethod
    def _plain(term):
        from rdflib import Literal, URIRef

        if isinstance(term, URIRef):
            return IRI(str(term))
        if isinstance(term, Literal):
            return Lit(str(term), str(term.datatype) if term.datatype else
                       "http://www.w3.org/2001/XMLSchema#string", term.language)
        return term

    def _graph(self, graph: str):
        from rdflib import URIRef

        return self.dataset.graph(URIRef(graph))

    def objects(self, subject, predicate, graph) -> list:
        return [self._plain(o) for o in self._graph(graph).objects(self._term(IRI(subject)),
                                                                   self._term(IRI(predicate)))]

    def subjects(self, predicate, obj, graph) -> list:
        return [self._plain(s) for s in self._graph(graph).subjects(self._term(IRI(predicate)),
                                                                    self._term(obj))]

    def remove_subjects(self, subjects, graph) -> None:
        g = self._graph(graph)
        for subject in subjects:
            g.remove((self._term(IRI(subject)), None, None))
        self.dirty = True

    def add(self, triples, graph) -> None:
        g = self._graph(graph)
        for s, p, o in triples:
            g.add((self._term(s), self._term(p), self._term(o)))
        self.dirty = True

    def load_graph_ntriples(self, data: bytes, graph: str) -> None:
        g = self._graph(graph)
        g.remove((None, None, None))
        g.parse(data=data.decode("utf-8"), format="nt")
        self.dirty = True

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())

    def count(self, predicate, obj, graph) -> int:
        target = self._graph(graph) if graph else self.dataset
        return sum(1 for _ in target.subjects(self._term(IRI(predicate)), self._term(obj)))

    def flush(self) -> None:
        if self.dirty and not self.read_only:
            tmp = self.path.with_suffix(".nq.tmp")
            self.dataset.serialize(str(tmp), format="nquads")
            tmp.replace(self.path)
            self.dirty = False

    def close(self) -> None:
        self.flush()

    def query(self, text: str):
        from pyparsing import ParseException

        try:
            return self.dataset.query(text)
        except ParseException as err:
            from ..ontology.sparql import _located

            raise _located(err, text, 0) from None
        except Exception as err:
            raise QueryError(f"SPARQL query failed: {err}") from None

    def run(self, text: str) -> QueryResult:
        result = self.query(text)
        if result.type == "SELECT":
            return QueryResult("select", [tuple(r) for r in result], [str(v) for v in result.vars])
        if result.type == "ASK":
            return QueryResult("ask", bool(result.askAnswer), [])
        for prefix, iri in ALL_PREFIXES.items():
            result.graph.bind(prefix, iri)
        return QueryResult("graph", result.graph, [])

    def serialize(self, text: str, kind_formats: dict, output) -> tuple[str, str]:
        result = self.query(text)
        if result.type in ("SELECT", "ASK"):
            name = kind_formats["results"]
            output.write(result.serialize(format=name) or b"")
            return "results", name
        name = kind_formats["graph"]
        rdflib_name = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml",
                       "jsonld": "json-ld"}[name]
        output.write(result.graph.serialize(format=rdflib_name, encoding="utf-8"))
        return "graph", name


# -- the store ----------------------------------------------------------------------------------
class KnowledgeGraph:
    """An on-disk store of the ontology and annotated documents.

    Parameters
    ----------
    path : folder
        Created if missing. An existing store keeps its backend and document IRI base.
    backend : "oxigraph", "rdflib" or None
        For a new store; default Oxigraph when pyoxigraph is installed, else rdflib.
    base : str, optional
        Document IRI base of a new store (default ``urn:tone:doc:``, as :mod:`tone.io`).
    read_only : bool
        Open an existing store for queries only (several processes may do so at once).
    """

    def __init__(self, path, backend: str | None = None, base: str | None = None,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        manifest = self.path / MANIFEST
        if manifest.is_file():
            info = json.loads(manifest.read_text(encoding="utf-8"))
            if backend and backend != info["backend"]:
                raise UsageError(f"{self.path} is an {info['backend']} store; "
                                 f"it cannot be opened as {backend}")
            if base and base != info["base"]:
                raise UsageError(f"{self.path} uses the document base {info['base']}; "
                                 f"a different --base would duplicate documents")
        else:
            if read_only:
                raise UsageError(f"{self.path}: not a tone knowledge-graph store (no {MANIFEST}); "
                                 "build one with: tone kg build INPUT --store DIR")
            if self.path.exists() and any(self.path.iterdir()):
                raise UsageError(f"{self.path}: folder exists and is not a tone store; "
                                 "choose an empty or new folder")
            if backend is None:
                try:
                    import pyoxigraph  # noqa: F401

                    backend = "oxigraph"
                except ImportError:
                    backend = "rdflib"
            if backend not in ("oxigraph", "rdflib"):
                raise UsageError(f"unknown backend {backend!r}; expected oxigraph or rdflib")
            info = {"format": FORMAT_VERSION, "backend": backend, "base": base or DEFAULT_BASE,
                    "ontology_graph": ONTOLOGY_GRAPH, "corpus_graph": CORPUS_GRAPH}
        self.info = info
        self.base = info["base"]
        self.read_only = read_only
        if info["backend"] == "oxigraph":
            from ..errors import require

            require("pyoxigraph", "fast", "An Oxigraph knowledge-graph store")
            if not read_only:
                self.path.mkdir(parents=True, exist_ok=True)
            self.backend = _OxigraphBackend(self.path, read_only)
        else:
            if not read_only:
                self.path.mkdir(parents=True, exist_ok=True)
            self.backend = _RdflibBackend(self.path, read_only)
        if not read_only and not manifest.is_file():
            self._write_manifest()

    def _write_manifest(self) -> None:
        (self.path / MANIFEST).write_text(json.dumps(self.info, indent=2) + "\n",
                                          encoding="utf-8")

    # -- context manager ------------------------------------------------------------------
    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Write pending changes (rdflib backend) and release the store."""
        if self.backend is not None:
            self.backend.close()
            self.backend = None

    # -- loading --------------------------------------------------------------------------
    def load_ontology(self, ontology=None) -> int:
        """Replace the ontology graph with ``ontology`` (default: the built-in one, with its
        mappings, which declare the corpus properties too); return its triple count."""
        if ontology is None:
            from ..ontology import Ontology

            ontology = Ontology()
        self._ontology = ontology
        digest = hashlib.sha1(FORMAT_VERSION.to_bytes(2, "big"))
        for path in ontology._files(ontology.sources):
            digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
        digest = digest.hexdigest()
        if self.info.get("ontology_sha1") != digest:  # unchanged ontology files: keep the graph
            data = ontology.graph.serialize(format="nt", encoding="utf-8")
            self.backend.load_graph_ntriples(data, ONTOLOGY_GRAPH)
            self.info["ontology_triples"] = data.count(b"\n")
            self.info["ontology_sha1"] = digest
            self._write_manifest()
        return self.info["ontology_triples"]

    def _old_nodes(self, ctx: str, graph: str) -> set[str]:
        b = self.backend
        nodes = {ctx}
        holders = [ctx, *b.subjects(NIF + "referenceContext", IRI(ctx), graph)]
        nodes.update(holders)
        for holder in holders:
            for emotion_set in b.objects(holder, ONYX + "hasEmotionSet", graph):
                nodes.add(emotion_set)
                nodes.update(b.objects(emotion_set, ONYX + "hasEmotion", graph))
        return nodes

    def add_records(self, records: Iterable[dict], meta: Iterable[dict] | None = None,
                    graph: str = CORPUS_GRAPH, concept_iri=None,
                    batch_size: int = 2000) -> LoadStats:
        """Add annotation records (with optional per-record metadata dicts) to ``graph``.

        A record whose id is already in the graph with the same content is skipped; with
        different content (re-annotated, new metadata) its old triples are replaced.
        """
        if self.read_only:
            raise UsageError("the store is open read-only")
        if "ontology_triples" not in self.info:
            self.load_ontology()
        if concept_iri is None:
            concept_iri = self._concept_iri()
        stats = LoadStats()
        meta_iter = iter(meta) if meta is not None else None
        pending: list[tuple] = []
        b = self.backend
        seen: set[str] = set()
        for record in records:
            extra = next(meta_iter) if meta_iter is not None else None
            doc_id = record.get("id")
            if doc_id is None:
                raise UsageError("an annotation record has no 'id'; give every document an id")
            key = str(doc_id)
            if key in seen:
                raise UsageError(f"document id {key!r} occurs twice in the input; ids must be "
                                 "unique (they name the documents' IRIs)")
            seen.add(key)
            digest = record_hash(record, extra)
            old = b.subjects(DCTERMS + "identifier", Lit(key), graph)
            if old:
                hashes = {str(h) for ctx in old
                          for h in b.objects(ctx, TONE_IRI + "recordHash", graph)}
                if hashes == {digest} and len(old) == 1 and old[0] == context_iri(self.base,
                                                                                  record):
                    stats.unchanged += 1
                    continue
                if pending:  # the replaced document may be in the pending batch's graph
                    b.add(pending, graph)
                    pending = []
                for ctx in old:
                    b.remove_subjects(self._old_nodes(ctx, graph), graph)
                stats.replaced += 1
            else:
                stats.added += 1
            pending.extend(iter_record_triples(record, self.base, concept_iri, extra,
                                               digest=digest))
            if len(pending) >= batch_size * 30:
                b.add(pending, graph)
                pending = []
        if pending:
            b.add(pending, graph)
        b.flush()
        return stats

    def _concept_iri(self):
        from ..ontology import Ontology

        if not hasattr(self, "_ontology"):
            self._ontology = Ontology()
        onto, cache = self._ontology, {}

        def lookup(key):
            iri = cache.get(key)
            if iri is None:
                iri = cache[key] = onto.concept(key[0], key[1]).iri
            return iri
        return lookup

    # -- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        """The number of triples (quads) in every graph."""
        return len(self.backend)

    def documents(self, graph: str | None = None) -> int:
        """The number of documents (``nif:Context`` nodes), in one graph or all."""
        return self.backend.count("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                                  IRI(NIF + "Context"), graph)

    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query over the union of the graphs; format with
        :func:`tone.ontology.sparql.format_result`."""
        if not sparql.strip():
            raise QueryError("empty SPARQL query")
        prologue = _prologue(sparql)
        try:
            return self.backend.run(prologue + sparql)
        except QueryError as err:
            raise QueryError(_shift_lines(str(err), prologue.count("\n"))) from None

    def serialize(self, sparql: str, results: str = "json", graph: str = "turtle",
                  output=None) -> tuple[str, str, bytes | None]:
        """Run a query and serialize its answer: ``results`` (json, xml, csv, tsv) for SELECT
        and ASK, ``graph`` (turtle, ntriples, rdfxml, jsonld) for CONSTRUCT and DESCRIBE.

        Returns ``(kind, format, bytes)`` (bytes is None when writing to ``output``).
        """
        if not sparql.strip():
            raise QueryError("empty SPARQL query")
        prologue = _prologue(sparql)
        buffer = io.BytesIO() if output is None else output
        try:
            kind, name = self.backend.serialize(prologue + sparql,
                                                {"results": results, "graph": graph}, buffer)
        except QueryError as err:
            raise QueryError(_shift_lines(str(err), prologue.count("\n"))) from None
        return kind, name, buffer.getvalue() if output is None else None


def _shift_lines(message: str, offset: int) -> str:
    import re

    def fix(match):
        return f"line {max(1, int(match[1]) - offset)}"
    return re.sub(r"line (\d+)", fix, message, count=1)
