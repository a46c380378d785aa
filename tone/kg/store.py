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

import contextlib
import gc
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .._resources import read_data_file
from ..errors import DataFileError, QueryError, ToneError, UsageError
from ..ontology.namespace import TONE_IRI
from ..ontology.sparql import PREFIXES, QueryResult
from ..io.rdf import (DCTERMS, DEFAULT_BASE, IRI, KG_PREFIXES, NIF, ONYX, Lit, context_iri,
                  iter_record_triples, record_hash)
from .lock import LOCK_FILE, StoreIOError, StoreLock, StoreLocked

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


@contextlib.contextmanager
def _writing(path, what: str = "write"):
    """Turn an OSError while writing the store at ``path`` into a one-line error naming it."""
    try:
        yield
    except OSError as err:
        reason = err.strerror or (str(err).splitlines() or [type(err).__name__])[0]
        raise StoreIOError(f"{path}: cannot {what} the store ({reason}); the store keeps its "
                           "last complete state; free disk space or fix the folder's "
                           "permissions and re-run") from None
    except UnicodeEncodeError as err:
        raise StoreIOError(f"{path}: cannot {what} the store: a lone surrogate "
                           f"(U+{ord(err.object[err.start]):04X}) is not text; the store keeps "
                           "its last complete state") from None


def _write_atomic(path: Path, data: bytes | None = None, write=None) -> None:
    """Write ``data`` (or call ``write(temp path)``) to a fresh temporary file in ``path``'s
    folder and rename it over ``path``: readers see the old file or the new one, never half.
    The temporary file gets ``path``'s permissions (or the umask's default for a new file)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)
        if data is not None:
            with os.fdopen(fd, "wb") as handle:
                fd = None
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.close(fd)
            fd = None
            write(tmp)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if fd is not None:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_UMASK: list[int] = []


def _umask() -> int:
    if not _UMASK:
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("Umask:"):
                        _UMASK.append(int(line.split()[1], 8))
                        break
        except (OSError, ValueError):
            pass
        if not _UMASK:
            _UMASK.append(0o022)
    return _UMASK[0]


def _lone_surrogate(value) -> tuple[str, int, str] | None:
    """The first lone surrogate in a (nested) record: (field path, character index, code)."""
    stack = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as err:
                return where or "value", err.start, f"U+{ord(item[err.start]):04X}"
        elif isinstance(item, dict):
            for key, sub in reversed(list(item.items())):
                name = f"{where}.{key}" if where else str(key)
                stack.append((name, sub))
                stack.append((f"{name} (the key)", key))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{i}]", sub) for i, sub in reversed(list(enumerate(item))))
    return None


def read_manifest(manifest: Path) -> dict:
    """A store's manifest (``tone-kg.json``): a JSON object naming at least its ``backend``
    (oxigraph or rdflib) and document ``base``; anything else is a damaged store."""
    try:
        info = json.loads(read_data_file(manifest).decode("utf-8"))
    except OSError as err:
        raise StoreIOError(f"{manifest}: cannot read ({_first_line(err)})") from None
    except ValueError as err:  # JSON and UTF-8 errors alike
        raise DataFileError(f"not a valid store manifest ({err}); the store is damaged: "
                            "rebuild it", path=str(manifest)) from None
    if not (isinstance(info, dict) and info.get("backend") in ("oxigraph", "rdflib")
            and isinstance(info.get("base"), str)):
        raise DataFileError("not a valid store manifest (a JSON object with \"backend\": "
                            "oxigraph or rdflib and a \"base\" expected); the store is "
                            "damaged: rebuild it", path=str(manifest))
    return info


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _shown(value) -> str:
    """``repr`` of a document id that may hold lone surrogates, printable on any terminal."""
    return "'" + str(value).encode("utf-8", "backslashreplace").decode("utf-8") + "'"


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
        self.path = path = folder / "oxigraph"
        if read_only:
            if not path.is_dir():
                raise UsageError(f"{folder}: the store has no oxigraph/ folder")
            self.store = self._open_read_only(folder, path)
        else:
            try:
                self.store = ox.Store(str(path))
            except (OSError, RuntimeError) as err:
                message = _first_line(err)
                if "lock" in message.lower():  # RocksDB's LOCK: a writer outside tone
                    raise StoreLocked(f"{path}: the Oxigraph database is open for writing "
                                      f"elsewhere ({message}); wait for that writer to finish",
                                      {}) from None
                raise StoreIOError(f"{path}: cannot open the Oxigraph database for writing "
                                   f"({message}); check the folder's permissions and free "
                                   "disk space") from None
        self._iris: dict[str, object] = {}

    def _open_read_only(self, folder: Path, path: Path):
        """Oxigraph's read-only open: it may fail while a writer compacts the database
        (pyoxigraph: undefined behaviour); retry a few times, then name the writer."""
        import time

        from .lock import active_writer, describe_holder

        for attempt in range(6):
            try:
                return self.ox.Store.read_only(str(path))
            except (OSError, RuntimeError) as err:
                writer = active_writer(folder)
                if writer is None or attempt == 5:
                    during = (f"; it is being written by {describe_holder(writer)}: retry when "
                              "that finishes" if writer else "")
                    raise StoreIOError(f"{path}: cannot open the Oxigraph database read-only "
                                       f"({_first_line(err)}){during}") from None
                time.sleep(0.1 * 2 ** attempt)

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

    def _parts(self, term) -> tuple:
        """(kind, value, datatype, language) of a result term, for :mod:`tone.kg.tabular`."""
        if isinstance(term, self.ox.NamedNode):
            return "iri", term.value, None, None
        if isinstance(term, self.ox.BlankNode):
            return "bnode", term.value, None, None
        if isinstance(term, self.ox.Literal):
            return "literal", term.value, term.datatype.value, term.language
        return "literal", str(term), None, None  # a triple term (RDF 1.2)

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
        with _writing(self.path):
            for subject in subjects:
                for quad in list(self.store.quads_for_pattern(self._iri(subject), None, None,
                                                              g)):
                    self.store.remove(quad)

    def add(self, triples: Iterable[tuple], graph: str) -> None:
        g = self._iri(graph)
        quads = [self.ox.Quad(self._term(s), self._term(p), self._term(o), g)
                 for s, p, o in triples]
        with _writing(self.path):
            self.store.extend(quads)

    def load_graph_ntriples(self, data: bytes, graph: str) -> None:
        g = self._iri(graph)
        with _writing(self.path):
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
        if not self.read_only and self.store is not None:
            with _writing(self.path):
                self.store.flush()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            had_store, self.store = self.store is not None, None
            # pyoxigraph has no close(): RocksDB (and its LOCK) is released when the last
            # holder goes, and a query's result object kept alive by a reference cycle (a
            # frame in an exception's traceback) is one; collect such cycles now, so the next
            # writer does not find the database still open.
            if had_store:
                gc.collect()

    # queries (untrusted: every text passes tone.ontology.query_policy first)
    def graph_names(self) -> set[str]:
        """The store's named graphs: what a FROM / FROM NAMED clause may name."""
        return {g.value for g in self.store.named_graphs() if isinstance(g, self.ox.NamedNode)}

    def query(self, text: str, line_offset: int = 0, dataset=None):
        """``dataset``: (default graph IRIs, named graph IRIs) of a protocol request, which
        replace the query's own FROM / FROM NAMED; without either, the default graph is the
        union of the named graphs."""
        from ..ontology.query_policy import check_dataset, prepare_query

        clauses: list = []
        text = prepare_query(text, self.graph_names, line_offset=line_offset, clauses=clauses)
        if dataset is not None:
            check_dataset(dataset[0], dataset[1], self.graph_names)
            options = {"default_graph": [self._iri(g) for g in dataset[0]],
                       "named_graphs": [self._iri(g) for g in dataset[1]]}
        elif clauses:  # Oxigraph ignores FROM when the default graph is the union
            options = {}
        else:
            options = {"use_default_graph_as_union": True}
        try:
            return self.store.query(text, **options)
        except SyntaxError as err:
            from ..ontology.sparql import _located

            raise _located(err, text, 0) from None
        except Exception as err:
            raise _failed(err) from None

    def run(self, text: str, line_offset: int = 0) -> QueryResult:
        from ..ontology.sparql import _to_rdflib

        result = self.query(text, line_offset)
        if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
            return QueryResult("ask", bool(result), [])
        try:  # evaluation errors surface while the solutions are read
            if type(result).__name__ == "QuerySolutions":
                variables = [v.value for v in result.variables]
                rows = [tuple(_to_rdflib(s[v]) for v in variables) for s in result]
                return QueryResult("select", rows, variables)
            triples = list(result)
        except Exception as err:
            raise _failed(err) from None
        from rdflib import Graph

        out = Graph()
        for prefix, iri in ALL_PREFIXES.items():
            out.bind(prefix, iri)
        for t in triples:
            out.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
        return QueryResult("graph", out, [])

    def serialize(self, text: str, kind_formats: dict, output,
                  line_offset: int = 0, dataset=None) -> tuple[str, str]:
        """Run ``text`` and write its result to ``output`` in the format chosen for its kind
        (``kind_formats``: {"results": name, "graph": name}); return (kind, format name).
        CSV is tone's own (:mod:`tone.kg.tabular`): Oxigraph's leaves IRIs with commas
        unquoted."""
        result = self.query(text, line_offset, dataset)
        ox = self.ox
        if type(result).__name__ in ("QuerySolutions", "QueryBoolean") or isinstance(result,
                                                                                     bool):
            name = kind_formats["results"]
            fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]
        else:
            name = kind_formats["graph"]
            fmt = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                   "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[name]
        try:
            if name == "csv" and type(result).__name__ == "QuerySolutions":
                from .tabular import write_csv

                write_csv([v.value for v in result.variables], result, output, self._parts)
            else:
                result.serialize(output, format=fmt)
        except (MemoryError, QueryError):
            raise
        except Exception as err:
            if getattr(output, "exceeded", False):  # the caller's size cap: let it say so
                raise
            raise _failed(err) from None
        return ("results" if name in ("json", "xml", "csv", "tsv") else "graph"), name


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
            try:
                self.dataset.parse(str(self.path), format="nquads")
            except OSError as err:
                raise StoreIOError(f"{self.path}: cannot read the store "
                                   f"({_first_line(err)})") from None
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
        """Write the dataset to a new temporary file beside ``graph.nq`` (a unique name: no
        two processes ever share it) and rename it over ``graph.nq``; on any error the
        previous ``graph.nq`` stays as it was."""
        if self.dirty and not self.read_only:
            with _writing(self.path):
                _write_atomic(self.path, write=lambda tmp: self.dataset.serialize(
                    tmp, format="nquads", encoding="utf-8"))
            self.dirty = False

    def close(self) -> None:
        self.flush()

    def graph_names(self) -> set[str]:
        """The dataset's non-empty named graphs: what a FROM / FROM NAMED clause may name
        (rdflib downloads a FROM graph it does not hold, so only these are allowed)."""
        from rdflib import URIRef

        return {str(g.identifier) for g in self.dataset.graphs()
                if isinstance(g.identifier, URIRef) and len(g)}

    def query(self, text: str, line_offset: int = 0, dataset=None):
        """The rdflib result, evaluated eagerly (rdflib evaluates lazily: unknown functions
        and bad types would otherwise fail while the rows are read). ``dataset``: (default
        graph IRIs, named graph IRIs) of a protocol request, which replace the query's own
        FROM / FROM NAMED."""
        from pyparsing import ParseException

        from ..ontology.query_policy import check_dataset, deep_recursion, prepare_query

        text = prepare_query(text, self.graph_names, line_offset=line_offset)
        if dataset is not None:
            check_dataset(dataset[0], dataset[1], self.graph_names)
        with deep_recursion():
            try:
                result = self.dataset.query(text if dataset is None
                                            else self._with_dataset(text, dataset))
                if result.type == "SELECT":
                    result.bindings  # noqa: B018 -- evaluates every row
                elif result.type == "ASK":
                    result.askAnswer  # noqa: B018
                return result
            except ParseException as err:
                from ..ontology.sparql import _located

                raise _located(err, text, 0) from None
            except (MemoryError, QueryError):
                raise
            except Exception as err:
                raise _failed(err) from None

    @staticmethod
    def _with_dataset(text: str, dataset):
        """The parsed query with its dataset clauses replaced by ``dataset`` (graphs of this
        store, checked: rdflib would otherwise download them)."""
        from rdflib import URIRef
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        query = translateQuery(parseQuery(text))
        query.algebra["datasetClause"] = (
            [CompValue("DatasetClause", default=URIRef(g)) for g in dataset[0]]
            + [CompValue("DatasetClause", named=URIRef(g)) for g in dataset[1]])
        return query

    @staticmethod
    def _parts(term) -> tuple:
        """(kind, value, datatype, language) of a result term, for :mod:`tone.kg.tabular`."""
        from rdflib import BNode, Literal

        if isinstance(term, Literal):
            return ("literal", str(term), str(term.datatype) if term.datatype else None,
                    term.language)
        return ("bnode" if isinstance(term, BNode) else "iri"), str(term), None, None

    def run(self, text: str, line_offset: int = 0) -> QueryResult:
        result = self.query(text, line_offset)
        if result.type == "SELECT":
            return QueryResult("select", [tuple(r) for r in result], [str(v) for v in result.vars])
        if result.type == "ASK":
            return QueryResult("ask", bool(result.askAnswer), [])
        for prefix, iri in ALL_PREFIXES.items():
            result.graph.bind(prefix, iri)
        return QueryResult("graph", result.graph, [])

    def serialize(self, text: str, kind_formats: dict, output,
                  line_offset: int = 0, dataset=None) -> tuple[str, str]:
        result = self.query(text, line_offset, dataset)
        try:
            if result.type in ("SELECT", "ASK"):
                name = kind_formats["results"]
                if result.type == "ASK" and name in ("csv", "tsv"):  # as Oxigraph answers
                    output.write(b"true" if result.askAnswer else b"false")
                elif name in ("csv", "tsv"):  # rdflib has no TSV writer
                    from .tabular import write_csv, write_tsv

                    write = write_csv if name == "csv" else write_tsv
                    write([str(v) for v in result.vars], result, output, self._parts)
                else:
                    output.write(result.serialize(format=name) or b"")
                return "results", name
            name = kind_formats["graph"]
            rdflib_name = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml",
                           "jsonld": "json-ld"}[name]
            output.write(result.graph.serialize(format=rdflib_name, encoding="utf-8"))
        except (MemoryError, QueryError):
            raise
        except Exception as err:
            if getattr(output, "exceeded", False):  # the caller's size cap: let it say so
                raise
            raise _failed(err) from None
        return "graph", name


def _failed(err: Exception) -> QueryError:
    """A one-line :class:`QueryError` for an evaluation error of either backend."""
    if isinstance(err, RecursionError):
        return QueryError("SPARQL query failed: it is nested too deeply to evaluate")
    text = " ".join(str(err).split()) or type(err).__name__
    return QueryError(f"SPARQL query failed: {text[:300]}")


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
        Open an existing store for queries only (several processes may do so at once, and
        while a writer works: an rdflib store is read from its last complete ``graph.nq``, an
        Oxigraph store in Oxigraph's read-only mode). Readers take no lock.
    wait : bool or float
        One process at a time may write a store: a writer holds ``tone-kg.lock`` in the
        folder (see :mod:`tone.kg.lock`). When another writer holds it, fail at once with
        :class:`tone.kg.lock.StoreLocked` (False, the default), wait for it (True), or wait
        at most that many seconds.
    on_wait : callable, optional
        Called once with a one-line note naming the holder when we start waiting.

    Any ``OSError`` while writing (read-only folder, full disk) becomes a
    :class:`tone.kg.lock.StoreIOError` naming the path; the store keeps its last complete
    state.
    """

    def __init__(self, path, backend: str | None = None, base: str | None = None,
                 read_only: bool = False, wait: bool | float = False,
                 on_wait=None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.backend = None
        self._lock: StoreLock | None = None
        manifest = self.path / MANIFEST
        if not read_only:
            self._check_folder(manifest)
            with _writing(self.path, "create"):
                self.path.mkdir(parents=True, exist_ok=True)
            self._lock = StoreLock(self.path, wait=wait, on_wait=on_wait).acquire()
        try:
            self._open(manifest, backend, base)
        except BaseException:
            self._release()
            raise

    def _check_folder(self, manifest: Path) -> None:
        if manifest.is_file() or not self.path.exists():
            return
        if not self.path.is_dir():
            raise UsageError(f"{self.path}: not a folder; choose an empty or new folder")
        if any(p.name != LOCK_FILE for p in self.path.iterdir()):
            raise UsageError(f"{self.path}: folder exists and is not a tone store; "
                             "choose an empty or new folder")

    def _open(self, manifest: Path, backend: str | None, base: str | None) -> None:
        read_only = self.read_only
        if manifest.is_file():
            info = read_manifest(manifest)
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
            self._check_folder(manifest)  # again, under the lock
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
        if info["backend"] == "oxigraph":
            from ..errors import require

            require("pyoxigraph", "fast", "An Oxigraph knowledge-graph store")
            self.backend = _OxigraphBackend(self.path, read_only)
        else:
            self.backend = _RdflibBackend(self.path, read_only)
        if not read_only and not manifest.is_file():
            self._write_manifest()

    def _write_manifest(self) -> None:
        path = self.path / MANIFEST
        with _writing(path):
            _write_atomic(path, (json.dumps(self.info, indent=2) + "\n").encode("utf-8"))

    # -- context manager ------------------------------------------------------------------
    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Write pending changes (rdflib backend), release the store and its writer's lock."""
        try:
            if self.backend is not None:
                backend, self.backend = self.backend, None
                backend.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.release()

    def __del__(self) -> None:  # an unclosed writer must not keep others out
        with contextlib.suppress(Exception):
            self._release()

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
            if isinstance(path, tuple):  # (file, the folder its imports resolve in)
                path = path[0]
            digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
        for path in getattr(ontology, "_pack_files", ()):  # domain packs' terms (tone.packs)
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
        digest = digest.hexdigest()
        if self.info.get("ontology_sha1") != digest:  # unchanged ontology files: keep the graph
            data = ontology.graph.serialize(format="nt", encoding="utf-8")
            self.backend.load_graph_ntriples(data, ONTOLOGY_GRAPH)
            self.backend.flush()  # the manifest must not claim an ontology the data lacks
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
        different content (re-annotated, new metadata) its old triples are replaced. A record
        holding a lone surrogate (a str that is not text: ``"\\ud800"``) raises
        :class:`~tone.errors.DataFileError` naming the document; the records before it are
        stored.
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
        try:
            for record in records:
                extra = next(meta_iter) if meta_iter is not None else None
                pending = self._add_record(record, extra, graph, concept_iri, pending, seen,
                                           stats)
                if len(pending) >= batch_size * 30:
                    b.add(pending, graph)
                    pending = []
        except StoreIOError:
            raise
        except ToneError:  # a bad record: store the good ones before it, then say which
            if pending:
                b.add(pending, graph)
            b.flush()
            raise
        if pending:
            b.add(pending, graph)
        b.flush()
        return stats

    def _add_record(self, record, extra, graph, concept_iri, pending, seen, stats) -> list:
        """Queue one record's triples on ``pending`` (returned; replacing a document first
        writes the pending ones); nothing changes when the record is bad."""
        b = self.backend
        doc_id = record.get("id")
        if doc_id is None:
            raise UsageError("an annotation record has no 'id'; give every document an id")
        key = str(doc_id)
        if key in seen:
            raise UsageError(f"document id {_shown(key)} occurs twice in the input; ids must "
                             "be unique (they name the documents' IRIs)")
        try:
            digest = record_hash(record, extra)
        except UnicodeEncodeError:  # a lone surrogate: not text, cannot be UTF-8 (RDF)
            where, index, code = _lone_surrogate([record, extra]) or ("?", 0, "?")
            where = where.replace("[0].", "", 1).replace("[1].", "meta ", 1)
            raise DataFileError(
                f"document {_shown(key)}: {where} holds a lone surrogate ({code}) at "
                f"character {index}, which is not text and cannot be stored; clean the "
                "text (tone kg build: pass --errors replace or skip)") from None
        seen.add(key)
        old = b.subjects(DCTERMS + "identifier", Lit(key), graph)
        if old:
            hashes = {str(h) for ctx in old
                      for h in b.objects(ctx, TONE_IRI + "recordHash", graph)}
            if hashes == {digest} and len(old) == 1 and old[0] == context_iri(self.base,
                                                                              record):
                stats.unchanged += 1
                return pending
        # all of the record's triples first: a record that fails here leaves the store as it was
        triples = list(iter_record_triples(record, self.base, concept_iri, extra,
                                           digest=digest))
        if old:
            if pending:  # the replaced document may be in the pending batch's graph
                b.add(pending, graph)
                pending = []
            for ctx in old:
                b.remove_subjects(self._old_nodes(ctx, graph), graph)
            stats.replaced += 1
        else:
            stats.added += 1
        pending.extend(triples)
        return pending

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
            return self.backend.run(prologue + sparql, prologue.count("\n"))
        except QueryError as err:
            raise _shifted(err, prologue.count("\n")) from None

    def serialize(self, sparql: str, results: str = "json", graph: str = "turtle",
                  output=None, dataset=None) -> tuple[str, str, bytes | None]:
        """Run a query and serialize its answer: ``results`` (json, xml, csv, tsv) for SELECT
        and ASK, ``graph`` (turtle, ntriples, rdfxml, jsonld) for CONSTRUCT and DESCRIBE.
        ``dataset``: (default graph IRIs, named graph IRIs) that replace the query's FROM and
        FROM NAMED (the SPARQL Protocol's ``default-graph-uri`` and ``named-graph-uri``); they
        must name graphs of the store.

        Returns ``(kind, format, bytes)`` (bytes is None when writing to ``output``).
        """
        if not sparql.strip():
            raise QueryError("empty SPARQL query")
        prologue = _prologue(sparql)
        buffer = io.BytesIO() if output is None else output
        try:
            kind, name = self.backend.serialize(prologue + sparql,
                                                {"results": results, "graph": graph}, buffer,
                                                prologue.count("\n"), dataset)
        except QueryError as err:
            raise _shifted(err, prologue.count("\n")) from None
        return kind, name, buffer.getvalue() if output is None else None


def _shifted(err: QueryError, offset: int) -> QueryError:
    """``err`` with its line number counted from the caller's text (the prologue left out);
    a policy refusal (already counted so) keeps its class, kind and message."""
    from ..ontology.query_policy import QueryNotAllowed

    if isinstance(err, QueryNotAllowed):
        return err
    return QueryError(_shift_lines(str(err), offset))


def _shift_lines(message: str, offset: int) -> str:
    import re

    def fix(match):
        return f"line {max(1, int(match[1]) - offset)}"
    return re.sub(r"line (\d+)", fix, message, count=1)
