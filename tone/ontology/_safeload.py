"""Loading user ontology files without touching the network or expanding XML entities.

Every ontology file goes through :func:`parse_file`: RDF/XML and TriX are pre-scanned with
expat, which refuses external DTDs, external and parameter entities and entities that
reference other entities (the "billion laughs" shape), and stops once expansion outgrows the
file; JSON-LD is refused when it names a remote context. :func:`resolve_imports` then checks
every ``owl:imports``: an import is resolved only from a local file (an ontology IRI declared by
a loaded file, or a ``file:`` IRI inside the ontology folder); anything else is refused.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from .._resources import read_data_file
from ..errors import DataFileError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["parse_file", "resolve_imports", "strip_imports", "xml_prescan"]

XML_FORMATS = {"xml", "pretty-xml", "trix"}
#: Expanded text may exceed the raw file by this factor (plus a floor) before we give up.
EXPANSION_FACTOR, EXPANSION_FLOOR = 16, 1 << 20
MAX_ENTITY_VALUE = 4096


class _Refused(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def xml_prescan(data: bytes, path: str) -> None:
    """Refuse XML that declares dangerous entities or expands far beyond its own size.

    Allowed: an internal DTD subset whose entities are plain text (the ``&owl;`` abbreviations
    Protégé writes). Refused, with ``path:line:col``: an external DTD, external (``SYSTEM`` /
    ``PUBLIC``) or unparsed entities, parameter entities, entities whose value references
    another entity, and documents whose expanded text outgrows the file.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    budget = [EXPANSION_FACTOR * len(data) + EXPANSION_FLOOR]

    def refuse(message: str) -> None:
        raise _Refused(message, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def doctype(name, system_id, public_id, has_internal_subset) -> None:
        if system_id or public_id:
            refuse(f"DOCTYPE {name} names an external DTD "
                   f"({system_id or public_id}); tone does not load external DTDs")

    def entity(name, is_parameter, value, base, system_id, public_id, notation) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        if is_parameter:
            refuse(f"XML {kind} {name!r} declared; tone does not expand parameter entities")
        if value is None:
            refuse(f"external XML entity {name!r} ({system_id or public_id or notation}); "
                   "tone does not resolve external entities")
        if any(ch in value for ch in "&%<"):
            refuse(f"XML entity {name!r} references other entities or markup; tone expands "
                   "only plain-text entities (refusing a possible entity-expansion bomb)")
        if len(value) > MAX_ENTITY_VALUE:
            refuse(f"XML entity {name!r} is {len(value)} characters long; tone expands "
                   f"entities of at most {MAX_ENTITY_VALUE} characters")

    def spend(n: int) -> None:
        budget[0] -= n
        if budget[0] < 0:
            refuse("XML entity expansion grows far beyond the file's size; refusing it")

    def start(name, attrs) -> None:
        spend(len(name) + sum(len(k) + len(v) for k, v in attrs.items()))

    def external_ref(context, base, system_id, public_id):
        refuse(f"reference to external XML entity ({system_id or public_id}); tone does not "
               "resolve external entities")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = (
        lambda name, base, sid, pid, notation: refuse(
            f"unparsed XML entity {name!r}; tone does not resolve external entities"))
    parser.ExternalEntityRefHandler = external_ref
    parser.StartElementHandler = start
    parser.CharacterDataHandler = lambda text: spend(len(text))
    try:
        parser.Parse(data, True)
    except _Refused as err:
        raise DataFileError(err.message, path=path, line=err.line, col=err.col) from None
    except expat.ExpatError as err:
        raise DataFileError(f"not well-formed XML: {expat.ErrorString(err.code)}",
                            path=path, line=err.lineno, col=err.offset + 1) from None


def _jsonld_remote_contexts(node, found: list[str]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    values = value if isinstance(value, list) else [value]
                    found.extend(v for v in values if isinstance(v, str))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _jsonld_prescan(data: bytes, path: str) -> None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as err:
        line, col = getattr(err, "lineno", None), getattr(err, "colno", None)
        raise DataFileError(f"cannot parse JSON-LD: {getattr(err, 'msg', err)}",
                            path=path, line=line, col=col) from None
    found: list[str] = []
    _jsonld_remote_contexts(doc, found)
    if found:
        raise DataFileError(f"JSON-LD context {found[0]!r} is not inline: tone does not fetch "
                            "contexts; put the context object in the file", path=path)


@contextmanager
def _quiet_literals() -> Iterator[None]:
    """Silence rdflib's warning (with a traceback) for an ill-typed literal such as
    ``"abc"^^xsd:double``: the literal is kept, and whoever reads its value reports it."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_file(path: Path, fmt: str, kind: str = "ontology") -> "Graph":
    """Parse one ontology file into a fresh rdflib Graph, refusing anything that would reach
    the network or expand XML entities; ``kind`` names the file in errors."""
    from rdflib import Graph

    try:
        data = read_data_file(path)
    except OSError as err:
        raise DataFileError(f"cannot read {kind}: {err.strerror or err}",
                            path=str(path)) from None
    if fmt in XML_FORMATS:
        xml_prescan(data, str(path))
    if fmt == "json-ld":
        _jsonld_prescan(data, str(path))
    graph = Graph()
    try:
        with _quiet_literals():
            graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises many parser-specific types
        detail = " ".join(str(err).split())[:300]
        raise DataFileError(f"cannot parse {kind}: {detail}", path=str(path)) from None
    return graph


def _imports(graph: "Graph") -> list[str]:
    from rdflib.namespace import OWL

    return sorted({str(o) for o in graph.objects(None, OWL.imports)})


def declared_ontologies(graph: "Graph") -> set[str]:
    """The IRIs (and version IRIs) of every ``owl:Ontology`` the graph declares."""
    from rdflib.namespace import OWL, RDF

    names = set()
    for onto in graph.subjects(RDF.type, OWL.Ontology):
        names.add(str(onto))
        names.update(str(v) for v in graph.objects(onto, OWL.versionIRI))
    return {n.rstrip("#/") for n in names}


def _where(path: Path, iri: str) -> tuple[int | None, int | None]:
    """Best-effort line:col of the import IRI in the file's text."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    at = text.find(f"<{iri}>")
    at = at if at >= 0 else text.find(iri)
    if at < 0:
        return None, None
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _local_file(iri: str, roots: Iterable[Path]) -> Path | None:
    """The file a ``file:`` IRI names, if it exists inside one of the ontology folders."""
    parsed = urlparse(iri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    target = Path(url2pathname(unquote(parsed.path))).resolve()
    for root in roots:
        root = root.resolve()
        if target.is_file() and (target == root or root in target.parents):
            return target
    return None


def resolve_imports(loaded: list[tuple[Path, Path, "Graph"]],
                    parse: Callable[[Path], "Graph"],
                    known: Iterable[str] = ()) -> list["Graph"]:
    """Check every ``owl:imports`` of the loaded files; return the graphs of local files the
    imports pulled in (parsed with ``parse``). ``loaded`` holds ``(file, folder, graph)``.

    An import is satisfied by an ontology IRI a loaded file declares (or one of ``known``,
    the ontologies already loaded), or by a ``file:`` IRI naming a file inside an ontology
    folder; anything else raises :class:`DataFileError`.
    """
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    declared: set[str] = {iri.rstrip("#/") for iri in known}
    for _, _, graph in loaded:
        declared |= declared_ontologies(graph)
    roots = {root for _, root, _ in loaded}
    seen = {path.resolve() for path, _, _ in loaded}
    extra: list["Graph"] = []
    queue = list(loaded)
    while queue:
        path, root, graph = queue.pop(0)
        for iri in _imports(graph):
            if iri.rstrip("#/") in declared:
                continue
            local = _local_file(iri, roots)
            if local is not None:
                if local not in seen:
                    seen.add(local)
                    sub = parse(local)
                    if iri.rstrip("#/") not in declared_ontologies(sub):
                        # the file is the ontology at that IRI, as owlready2 would record it
                        sub.add((URIRef(iri), RDF.type, OWL.Ontology))
                    declared.update(declared_ontologies(sub))
                    extra.append(sub)
                    queue.append((local, root, sub))
                continue
            line, col = _where(path, iri)
            raise DataFileError(
                f"owl:imports <{iri}>: tone does not fetch imports; put the "
                f"imported ontology in {root} or remove the import",
                path=str(path), line=line, col=col)
    return extra


def strip_imports(graph: "Graph") -> "Graph":
    """A copy of the graph without ``owl:imports``, for handing to owlready2 (which would
    fetch them). Imports of an ontology the graph itself declares are dropped; any other import
    raises :class:`DataFileError`, since its axioms would be missing."""
    from rdflib import Graph
    from rdflib.namespace import OWL

    declared = declared_ontologies(graph)
    for iri in _imports(graph):
        if iri.rstrip("#/") not in declared:
            raise DataFileError(
                f"owl:imports <{iri}> in the ontology graph: tone does not fetch imports; put "
                "the imported ontology in the ontology folder or remove the import")
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)
    for triple in graph:
        if triple[1] != OWL.imports:
            out.add(triple)
    return out
