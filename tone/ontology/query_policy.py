"""What an untrusted SPARQL query may do, decided by parsing it (one checker for every entry).

Every query tone runs — ``tone serve``, ``tone sparql``, :meth:`tone.kg.KnowledgeGraph.query`,
:func:`tone.ontology.sparql.run_query` and ``sparql "…"`` concept sets in rule files — passes
:func:`prepare_query` first, and the store runs the text it returns. The checker

1. refuses a text longer than ``max_chars`` (default :data:`MAX_CHARS`) or nested deeper than
   ``max_depth`` ``{``/``(``/``[`` (default :data:`MAX_DEPTH`), counted by a small character
   scanner that skips strings, IRIs, comments and names; deep nesting would otherwise crash
   Oxigraph (stack overflow) or exhaust rdflib's recursion;
2. normalises the text (before the scan) so that rdflib's parser and the store read the same
   tokens: ``\\uXXXX`` escapes are expanded once, as SPARQL 1.1 (19.2) and rdflib do (so
   ``"a\\u0022b"`` is the malformed ``"a"b"``, as the specification says), then ``\\r\\n``
   and a lone ``\\r`` become ``\\n`` (Oxigraph ends a ``#`` comment at ``\\r``, rdflib does
   not);
3. parses it with rdflib's SPARQL parser and walks the parse tree: ``SERVICE`` anywhere
   (subqueries, OPTIONAL, UNION, MINUS, FILTER EXISTS …) is refused, and so is a
   ``FROM``/``FROM NAMED`` dataset clause unless it names a graph of the local store (rdflib
   would otherwise download it); a text that parses as SPARQL Update (INSERT, DELETE, LOAD,
   CLEAR, CREATE, DROP, COPY, MOVE, ADD) is refused as read-only;
4. refuses what rdflib cannot parse, before any store sees it: Oxigraph accepts some syntax
   rdflib does not (SPARQL 1.2 triple terms, for one), and a query only one parser reads is a
   query whose meaning the checker cannot vouch for.

The scanner also refuses at once a bare ``SERVICE`` keyword it sees (outside strings, IRIs,
comments and names): a second opinion in the safe direction, which also spares rdflib's parser
its handling of ``SERVICE`` (it re-scans the whole text for each match: exponential when
nested). Whatever the scanner lets through, the parse decides.

Refusals are :class:`QueryNotAllowed` (a :class:`~tone.errors.QueryError`); ``forbidden`` tells
"not allowed here" (HTTP 403) from "too large, too deep or malformed" (HTTP 400).

>>> check_query("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
tone.ontology.query_policy.QueryNotAllowed: SERVICE (federated query) is disabled: ...
>>> check_query("SELECT ?s WHERE { ?s rdfs:label 'LOAD and SERVICE are words here' }")
>>> try:
...     check_query("LOAD <http://example.org/data.ttl>")
... except QueryNotAllowed as err:
...     print(err.kind, err.forbidden)
update True
>>> check_query("SELECT * WHERE " + "{" * 3000 + "}" * 3000)
Traceback (most recent call last):
...
tone.ontology.query_policy.QueryNotAllowed: the query nests { ( [ deeper than the limit of 100 ...
"""
from __future__ import annotations

import re
import sys
import threading
from contextlib import contextmanager
from typing import Callable, Collection, Union

from ..errors import QueryError

__all__ = ["QueryNotAllowed", "check_query", "prepare_query", "check_dataset", "scan",
           "deep_recursion", "MAX_CHARS", "MAX_DEPTH", "UPDATE_OPERATIONS"]

#: Default longest query text, in characters.
MAX_CHARS = 200_000
#: Default deepest nesting of ``{``, ``(`` and ``[`` together.
MAX_DEPTH = 100
#: Python frames rdflib's parser and evaluator need per nesting level (measured: ~40 for
#: parentheses, ~26 for braces, on CPython 3.11), with head room.
_FRAMES_PER_LEVEL = 60
_MAX_DEPTH_CEILING = 1000  # beyond this, raising the recursion limit risks the C stack

UPDATE_OPERATIONS = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
    "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT",
}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                 "WITH"}
_SERVICE_MESSAGE = ("SERVICE (federated query) is disabled: queries may not contact other "
                    "endpoints")


class QueryNotAllowed(QueryError):
    """A query refused before it ran.

    ``kind`` is ``service``, ``update``, ``dataset`` (forbidden: ``forbidden`` is True, HTTP
    403) or ``size``, ``depth``, ``malformed`` (HTTP 400).
    """

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def forbidden(self) -> bool:
        return self.kind in ("service", "update", "dataset")

    @property
    def status(self) -> int:
        return 403 if self.forbidden else 400


# -- the scanner ----------------------------------------------------------------------------
_IRI_STOP = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
_NAME_CHARS = "_-.\u00b7"


def _is_name(c: str) -> bool:
    return c.isalnum() or c in _NAME_CHARS


def scan(text: str, max_depth: int | None = None) -> tuple[int, list[str]]:
    """The deepest ``{``/``(``/``[`` nesting of ``text`` and its bare words (keywords and
    function names, upper-cased), skipping strings, IRIs, comments, variables and prefixed
    names. Stops early once the nesting passes ``max_depth``.

    >>> scan("SELECT * WHERE { ?s rdfs:label 'SERVICE {' # SERVICE (\\n FILTER(?x) }")
    (2, ['SELECT', 'WHERE', 'FILTER'])
    >>> scan(r"SELECT * { BIND(tone:x\\' AS ?z) SERVICE <http://h/> {} }")[1]
    ['SELECT', 'BIND', 'AS', 'SERVICE']
    """
    i, n = 0, len(text)
    depth = deepest = 0
    words: list[str] = []
    while i < n:
        c = text[i]
        if c == "#":  # a comment ends at \n or \r (SPARQL's EOL, as Oxigraph reads it)
            while i < n and text[i] not in "\n\r":
                i += 1
        elif c in "\"'":
            if text.startswith(c * 3, i):
                i += 3
                while i < n and not text.startswith(c * 3, i):
                    i += 2 if text[i] == "\\" else 1
                i += 3
            else:
                i += 1
                while i < n and text[i] != c and text[i] not in "\n\r":
                    i += 2 if text[i] == "\\" else 1
                i += 1
        elif c == "<":  # an IRI, or the less-than operator
            j = i + 1
            while j < n and text[j] not in _IRI_STOP:
                j += 1
            i = j + 1 if j < n and text[j] == ">" else i + 1
        elif c in "?$":
            i += 1
            while i < n and _is_name(text[i]) and text[i] not in ".-":
                i += 1
        elif c in "{([":
            depth += 1
            deepest = max(deepest, depth)
            if max_depth is not None and depth > max_depth:
                break
            i += 1
        elif c in "})]":
            depth = max(0, depth - 1)
            i += 1
        elif c.isdigit():
            while i < n and (text[i].isdigit() or text[i] == "."):
                i += 1
        elif c.isalpha() or c in "_:":
            j = i
            while j < n and _is_name(text[j]):
                j += 1
            if j < n and text[j] == ":":  # a prefixed name (or blank node label): skip it
                j += 1
                while j < n:
                    if text[j] == "\\" and j + 1 < n:
                        j += 2
                    elif _is_name(text[j]) or text[j] in ":%":
                        j += 1
                    else:
                        break
            else:
                word = text[i:j]
                if word.isascii() and word.replace("_", "").isalpha():
                    words.append(word.upper())
            i = max(j, i + 1)
        else:
            i += 1
    return deepest, words


# -- recursion head room for rdflib -------------------------------------------------------
_recursion_lock = threading.Lock()
_recursion_users = 0
_recursion_saved = 0


@contextmanager
def deep_recursion(max_depth: int = MAX_DEPTH):
    """Raise Python's recursion limit (while any thread is inside) so that rdflib can parse and
    evaluate a query nested ``max_depth`` levels; its parser needs ~40 frames per level."""
    global _recursion_users, _recursion_saved
    needed = 2000 + _FRAMES_PER_LEVEL * min(max_depth, _MAX_DEPTH_CEILING)
    with _recursion_lock:
        if _recursion_users == 0:
            _recursion_saved = sys.getrecursionlimit()
        _recursion_users += 1
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)
    try:
        yield
    finally:
        with _recursion_lock:
            _recursion_users -= 1
            if _recursion_users == 0:
                sys.setrecursionlimit(_recursion_saved)


# -- the checker ----------------------------------------------------------------------------
def _expand_escapes(text: str) -> str:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, expandUnicodeEscapes_re

    try:
        out = expandUnicodeEscapes(text)
    except ValueError as err:
        raise QueryNotAllowed(f"malformed SPARQL: {err}", "malformed") from None
    if expandUnicodeEscapes_re.search(out):  # rdflib would expand again: not what we checked
        raise QueryNotAllowed("malformed SPARQL: a \\u escape spells another \\u escape",
                              "malformed")
    return out


def _walk(node, found: dict) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.setdefault(item.name, []).append(item)
            stack.extend(dict.values(item))
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)


def _malformed(err: Exception, text: str, line_offset: int) -> QueryNotAllowed:
    from .sparql import _located

    located = _located(err, "\n".join(text.split("\n")[line_offset:]), line_offset)
    return QueryNotAllowed(str(located), "malformed")


Graphs = Union[Collection[str], Callable[[], Collection[str]], None]


def prepare_query(text: str, graphs: Graphs = None, *,
                  max_chars: int | None = None, max_depth: int | None = None,
                  line_offset: int = 0, clauses: list | None = None) -> str:
    """Check ``text`` (see the module documentation) and return the normalised text the store
    must run; raise :class:`QueryNotAllowed` if it is refused.

    ``graphs``: the IRIs a ``FROM``/``FROM NAMED`` clause may name (the local store's non-empty
    graphs, or a function returning them, called only when the query has such a clause); None
    refuses every dataset clause. ``line_offset``: lines of a prologue in front of
    the caller's text, left out of error positions. ``clauses``: a list that receives the
    query's (allowed) dataset clauses as ``("default" | "named", iri)`` pairs.
    """
    max_chars = MAX_CHARS if max_chars is None else max_chars
    max_depth = MAX_DEPTH if max_depth is None else max_depth
    if len(text) > max_chars:
        raise QueryNotAllowed(f"the query is {len(text)} characters long, more than the limit "
                              f"of {max_chars}", "size")
    text = _expand_escapes(text).replace("\r\n", "\n").replace("\r", "\n")
    deepest, words = scan(text, max_depth)
    if deepest > max_depth:
        raise QueryNotAllowed(f"the query nests {{ ( [ deeper than the limit of {max_depth} "
                              "levels; flatten it", "depth")
    if "SERVICE" in words:  # plainly there: no need to parse (rdflib re-scans the whole text
        # for each SERVICE it matches, which grows exponentially with nested SERVICE)
        raise QueryNotAllowed(_SERVICE_MESSAGE, "service")
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with deep_recursion(max_depth):
        try:
            tree = parseQuery(text)
        except ParseBaseException as err:  # keep the message, not the exception's frames
            query_error = _malformed(err, text, line_offset)
        except RecursionError:
            raise QueryNotAllowed("the query is nested too deeply to parse; flatten it",
                                  "depth") from None
        else:
            query_error = None
        if query_error is not None:
            try:
                update = parseUpdate(text)
            except (ParseBaseException, RecursionError):
                update = None
            if update is not None or next((w for w in words if w not in ("PREFIX", "BASE")),
                                          None) in _UPDATE_WORDS:
                found: dict = {}
                _walk(update, found)
                names = [UPDATE_OPERATIONS[k] for k in UPDATE_OPERATIONS if k in found]
                what = f" ({', '.join(names)})" if names else ""
                raise QueryNotAllowed(f"SPARQL Update{what} is not allowed: queries are "
                                      "read-only", "update")
            raise query_error
    found = {}
    _walk(tree, found)
    if found.get("ServiceGraphPattern"):
        raise QueryNotAllowed(_SERVICE_MESSAGE, "service")
    found_clauses = found.get("DatasetClause", ())
    if found_clauses and callable(graphs):
        graphs = set(graphs())
    for clause in found_clauses:
        iri = str(dict.get(clause, "default") or dict.get(clause, "named") or "")
        if graphs is None or iri not in graphs:
            known = (f"; this store's graphs are {', '.join(sorted(graphs))}" if graphs else "")
            raise QueryNotAllowed(f"FROM <{iri}> is not allowed: FROM and FROM NAMED may only "
                                  f"name a graph of the local store (nothing is downloaded)"
                                  f"{known}; GRAPH <…> {{ … }} selects a graph", "dataset")
        if clauses is not None:
            clauses.append(("default" if dict.get(clause, "default") else "named", iri))
    return text


_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*\Z')


def check_dataset(default_graphs: Collection[str], named_graphs: Collection[str],
                  graphs: Graphs) -> None:
    """Refuse a protocol dataset (SPARQL 1.1 Protocol ``default-graph-uri`` and
    ``named-graph-uri``) unless every IRI names a graph of the local store, as for ``FROM``:
    nothing is ever downloaded. A value that is not an absolute IRI is malformed (HTTP 400),
    any other graph forbidden (403).

    >>> check_dataset(["urn:g"], [], {"urn:g"})
    >>> check_dataset(["http://example.org/data.ttl"], [], {"urn:g"})
    Traceback (most recent call last):
    ...
    tone.ontology.query_policy.QueryNotAllowed: default-graph-uri <http://example.org/data.ttl> ...
    """
    if callable(graphs):
        graphs = set(graphs())
    for parameter, iris in (("default-graph-uri", default_graphs),
                            ("named-graph-uri", named_graphs)):
        for iri in iris:
            if not _ABSOLUTE_IRI.match(iri):
                raise QueryNotAllowed(f"{parameter} {iri!r} is not an absolute IRI",
                                      "malformed")
            if graphs is None or iri not in graphs:
                known = (f"; this store's graphs are {', '.join(sorted(graphs))}"
                         if graphs else "")
                raise QueryNotAllowed(f"{parameter} <{iri}> is not allowed: default-graph-uri "
                                      f"and named-graph-uri may only name a graph of the local "
                                      f"store (nothing is downloaded){known}", "dataset")


def check_query(text: str, graphs: Graphs = None, **limits) -> None:
    """Raise :class:`QueryNotAllowed` if ``text`` may not run (see :func:`prepare_query`)."""
    prepare_query(text, graphs, **limits)
