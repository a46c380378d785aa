r'''SPARQL 1.1 CSV and TSV query results (W3C "SPARQL 1.1 Query Results CSV and TSV Formats"),
written row by row for either store backend.

* **CSV** (RFC 4180): a header of the variable names (no ``?``), then one line per solution,
  every line ended by CRLF. A cell is the term's string: an IRI as it is, a literal's lexical
  form, a blank node as ``_:label``, an unbound variable as an empty field. A field holding a
  comma, a double quote, CR or LF is quoted with double quotes (quotes inside doubled). NIF
  IRIs (``…#char=0,191``) hold commas, so they are quoted.
* **TSV**: a header of ``?name`` variables, then one line per solution, every line ended by
  LF; cells are RDF terms in Turtle syntax (``<iri>``, ``"text"@en``, ``"5"^^<…#int>``,
  integers, decimals, doubles and booleans in their short Turtle forms, ``_:label``); strings
  use the single-quoted form with ``\t``, ``\n``, ``\r``, ``\"`` and ``\\`` escaped,
  so a cell never holds a raw tab or line break.

A backend gives ``parts(term) -> (kind, value, datatype, language)`` for its term objects,
``kind`` being ``iri``, ``bnode`` or ``literal``.

>>> import io
>>> out = io.BytesIO()
>>> rows = [(("iri", "urn:d#char=0,5", None, None), ("literal", 'say "hi"', XSD_STRING, None))]
>>> write_csv(["doc", "text"], rows, out, parts=lambda t: t)
>>> print(out.getvalue().decode().replace("\r\n", "<CRLF>"))
doc,text<CRLF>"urn:d#char=0,5","say ""hi"""<CRLF>
>>> out = io.BytesIO()
>>> rows = [(("iri", "urn:d#char=0,5", None, None), ("literal", "a\tb", XSD_STRING, None)),
...         (None, ("literal", "42", XSD + "integer", None))]
>>> write_tsv(["doc", "text"], rows, out, parts=lambda t: t)
>>> print(out.getvalue().decode().replace("\t", "<TAB>"), end="")
?doc<TAB>?text
<urn:d#char=0,5><TAB>"a\tb"
<TAB>42
'''
from __future__ import annotations

import csv
import io
import re
from typing import Callable, Iterable, Sequence

__all__ = ["write_csv", "write_tsv", "XSD", "XSD_STRING"]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CHUNK = 1000  # rows written to the output at once

_SHORT = {  # Turtle's short forms for these datatypes, when the lexical form matches them
    XSD + "integer": re.compile(r"[+-]?[0-9]+\Z"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+\Z"),
    XSD + "boolean": re.compile(r"(true|false)\Z"),
}
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_SPECIAL = re.compile(r'[\\"\n\r\t]')
_IRI_SPECIAL = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # not allowed in a Turtle IRIREF
_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


def _csv_cell(term, parts) -> str:
    if term is None:
        return ""
    kind, value, _, _ = parts(term)
    return "_:" + value if kind == "bnode" else value


def _tsv_cell(term, parts) -> str:
    if term is None:
        return ""
    kind, value, datatype, language = parts(term)
    if kind == "iri":
        return "<" + _IRI_SPECIAL.sub(lambda m: f"\\u{ord(m[0]):04X}", value) + ">"
    if kind == "bnode":
        if not _LABEL.match(value) or value.endswith("."):
            value = "b" + value.encode("utf-8").hex()
        return "_:" + value
    pattern = _SHORT.get(datatype or "")
    if pattern is not None and pattern.match(value):
        return value
    text = '"' + _STRING_SPECIAL.sub(lambda m: _STRING_ESCAPES[m[0]], value) + '"'
    if language:
        return text + "@" + language
    if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        return text + "^^" + _tsv_cell(("iri", datatype, None, None), lambda t: t)
    return text


def write_csv(variables: Sequence[str], rows: Iterable[Sequence], output,
              parts: Callable) -> None:
    """Write a SELECT result as SPARQL 1.1 CSV (RFC 4180, CRLF) to the binary ``output``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(variables)
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(term, parts) for term in row])
        if count % _CHUNK == 0:
            output.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    output.write(buffer.getvalue().encode("utf-8"))


def write_tsv(variables: Sequence[str], rows: Iterable[Sequence], output,
              parts: Callable) -> None:
    """Write a SELECT result as SPARQL 1.1 TSV (Turtle terms, LF) to the binary ``output``."""
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_cell(term, parts) for term in row))
        if len(lines) >= _CHUNK:
            output.write(("\n".join(lines) + "\n").encode("utf-8"))
            lines = []
    if lines:
        output.write(("\n".join(lines) + "\n").encode("utf-8"))
