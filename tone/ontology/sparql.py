"""SPARQL over the ontology: run a query on rdflib or pyoxigraph and format its results.

>>> from tone.ontology import Ontology
>>> result = run_query(Ontology().graph, "ASK { tone:Joy tone:isOppositeOf tone:Sadness }")
>>> result.value
True
>>> print(format_result(result, "json"))
{"head": {}, "boolean": true}
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError, UsageError, require
from .namespace import TONE_IRI

__all__ = ["PREFIXES", "QueryResult", "run_query", "format_result", "RESULT_FORMATS"]

PREFIXES = {
    "tone": TONE_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
RESULT_FORMATS = ("table", "csv", "tsv", "json")


@dataclass
class QueryResult:
    """A query's answer: ``kind`` is ``select``, ``ask`` or ``graph``.

    ``value`` is a list of row tuples (select), a bool (ask) or an rdflib Graph (graph);
    ``variables`` names the select columns.
    """

    kind: str
    value: Any
    variables: list[str]


def _prologue(sparql: str) -> str:
    declared = {line.split()[1].rstrip(":").lower() for line in sparql.splitlines()
                if line.strip().lower().startswith("prefix") and len(line.split()) > 1}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared]
    return "\n".join(lines) + "\n"


def _located(err: Exception, sparql: str, offset_lines: int) -> QueryError:
    line, col = getattr(err, "lineno", None), getattr(err, "col", None)
    message = getattr(err, "msg", None) or str(err).splitlines()[0]
    where = re.match(r"error at (\d+):(\d+): (.*)", message)  # pyoxigraph's wording
    if where:
        line, col, message = int(where[1]), int(where[2]), where[3]
    if line is not None:
        text = sparql.splitlines()[line - 1 - offset_lines] if 0 < line - offset_lines <= len(
            sparql.splitlines()) else ""
        near = f" near {text.strip()[:40]!r}" if text.strip() else ""
        return QueryError(f"malformed SPARQL at line {line - offset_lines}, column {col}: "
                          f"{message}{near}")
    return QueryError(f"malformed SPARQL: {message}")


def run_query(graph, sparql: str, store: str = "rdflib") -> QueryResult:
    """Run ``sparql`` on an rdflib ``graph`` (or on a pyoxigraph copy with ``store="oxigraph"``).

    The query is untrusted: :func:`tone.ontology.query_policy.prepare_query` refuses SERVICE,
    updates, FROM clauses, oversized, too deeply nested and unparseable queries first.
    """
    from .query_policy import deep_recursion, prepare_query

    if not sparql.strip():
        raise QueryError("empty SPARQL query")
    if store not in ("rdflib", "oxigraph"):
        raise UsageError(f"unknown store {store!r}; expected rdflib or oxigraph")
    prologue = _prologue(sparql)
    text = prepare_query(prologue + sparql, line_offset=prologue.count("\n"))
    if store == "oxigraph":
        return _run_oxigraph(graph, text, sparql, prologue.count("\n"))
    from pyparsing import ParseException

    # rdflib evaluates lazily: errors of unknown functions or bad types surface while the rows
    # are read, so reading them is inside the try too
    with deep_recursion():
        try:
            result = graph.query(text)
            if result.type == "SELECT":
                return QueryResult("select", [tuple(row) for row in result],
                                   [str(v) for v in result.vars])
            if result.type == "ASK":
                return QueryResult("ask", bool(result.askAnswer), [])
            for prefix, iri in PREFIXES.items():
                result.graph.bind(prefix, iri)
            return QueryResult("graph", result.graph, [])
        except ParseException as err:
            raise _located(err, sparql, prologue.count("\n")) from None
        except QueryError:
            raise
        except RecursionError:
            raise QueryError("SPARQL query failed: it is nested too deeply to evaluate") from None
        except Exception as err:  # evaluation errors: unknown functions, bad types
            raise QueryError(f"SPARQL query failed: {_one_line(err)}") from None


def _one_line(err: Exception) -> str:
    """An exception as one line: its type when the message is empty or a bare repr."""
    text = " ".join(str(err).split())
    name = type(err).__name__
    if not text:
        return name
    return text if len(text) <= 300 else text[:297] + "..."


def _store_for(graph):
    cache = getattr(graph, "_tone_oxigraph", None)
    if cache is not None and cache[0] == len(graph):
        return cache[1]
    ox = require("pyoxigraph", "fast", "The Oxigraph store")
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    graph._tone_oxigraph = (len(graph), store)
    return store


def _to_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _run_oxigraph(graph, text: str, sparql: str, offset_lines: int) -> QueryResult:
    store = _store_for(graph)
    try:
        result = store.query(text)
        if isinstance(result, bool):
            return QueryResult("ask", result, [])
        kind = type(result).__name__
        if kind == "QuerySolutions":
            variables = [v.value for v in result.variables]
            rows = [tuple(_to_rdflib(solution[v]) for v in variables) for solution in result]
            return QueryResult("select", rows, variables)
        if kind == "QueryBoolean":
            return QueryResult("ask", bool(result), [])
        triples = list(result)
    except SyntaxError as err:
        raise _located(err, sparql, offset_lines) from None
    except Exception as err:  # evaluation errors surface while the solutions are read
        raise QueryError(f"SPARQL query failed: {_one_line(err)}") from None
    from rdflib import Graph

    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    for triple in triples:
        out.add((_to_rdflib(triple.subject), _to_rdflib(triple.predicate),
                 _to_rdflib(triple.object)))
    return QueryResult("graph", out, [])


def _json_term(term) -> dict:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def _short(term) -> str:
    if term is None:
        return ""
    text = str(term)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Format a result as ``table``, ``csv``, ``tsv`` or ``json`` (W3C SPARQL 1.1 JSON results).

    Graph results (CONSTRUCT, DESCRIBE) are Turtle whatever the format, N-Triples for ``tsv``
    and ``csv``, and JSON-LD for ``json``.
    """
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(RESULT_FORMATS)}")
    if result.kind == "graph":
        graph_format = {"table": "turtle", "json": "json-ld", "csv": "nt", "tsv": "nt"}[fmt]
        return result.value.serialize(format=graph_format).rstrip("\n")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.value})
        return "true" if result.value else "false"
    variables, rows = result.variables, result.value
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                    for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False)
    if fmt == "tsv":  # W3C SPARQL 1.1 TSV: terms in Turtle syntax, no quoting of cells
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else t.n3() for t in row) for row in rows]
        return "\n".join(lines)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(["" if t is None else str(t) for t in row] for row in rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[_short(t) for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
