"""Writers: annotations out, one record per input document, in input order, streamed.

Formats (``FORMATS``): ``jsonl`` (README.md, "The annotation record"), ``tsv`` (a header, then one
row per document: id, the tier's scores — the 6 primaries by default — top, valence, arousal,
dominance, intensity, error), ``emotionml`` (W3C EmotionML 1.0, one declared vocabulary per tier
plus one for VAD), ``jsonld`` (NIF 2.0 + Onyx, as Senpy emits) and ``turtle`` (the same graph).

A writer is used as ``begin()``, ``write(document, annotation)`` per document (``annotation`` is
None for a document that could not be read: its record carries the ``error``), then ``end()``.

Writers never write a lone surrogate (``"\\ud800"``, which Python strings may hold but UTF-8
cannot encode): every format writes U+FFFD in its place, in texts, spans and ids, so the output
is always valid UTF-8. The readers apply ``errors=`` to such input first (see
:mod:`tone.io.readers`); this only concerns texts given through the Python API, e.g.
``Annotator().annotate("\\ud800")``, whose annotation keeps the original text.

>>> import io
>>> from tone.io.readers import Document
>>> from tone.annotator import Annotator
>>> ann = Annotator().annotate("What a joy!", id="a")
>>> out = io.StringIO()
>>> w = make_writer("tsv", out); w.begin(); w.write(Document("a", "What a joy!"), ann); w.end()
>>> import csv
>>> header, row = csv.reader(io.StringIO(out.getvalue()), dialect="excel-tab")
>>> header[:8], row[0], row[7]
(['id', 'anger', 'fear', 'joy', 'love', 'sadness', 'surprise', 'top'], 'a', 'joy')
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import asdict
from typing import TextIO
from urllib.parse import quote

from ..errors import UsageError
from .rdf import DCTERMS, EMOML, NIF, ONYX, PROV, RDF, RDFS, XSD, doc_iri
from .readers import LongText

__all__ = ["FORMATS", "Writer", "JsonlWriter", "TsvWriter", "EmotionMLWriter", "JsonldWriter",
           "TurtleWriter", "make_writer", "span_record", "EMOTIONML_NS", "NIF", "ONYX"]

FORMATS = ("jsonl", "tsv", "emotionml", "jsonld", "turtle")
EMOTIONML_NS = "http://www.w3.org/2009/10/emotionml"
TONE_NS = "https://w3id.org/tone#"
RDF_TYPE = RDF + "type"
TIER_NAMES = {1: "primary", 2: "secondary", 3: "tertiary"}
DEFAULT_BASE = "urn:tone:doc:"
_TABLE: list = []  # the built-in ontology's concept table, loaded once


def span_record(span, explain: bool = False) -> dict:
    """A span as in the JSON record (with the rule trace when ``explain``)."""
    record = span.to_dict()
    if explain:
        record.update(term=span.term, source=span.source, base=span.base, negated=span.negated,
                      matched_concept=span.matched_concept,
                      steps=[asdict(step) for step in span.steps])
    return record


_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029",
                              **{cp: "\ufffd" for cp in range(0xD800, 0xE000)}})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value):
    """``value`` with lone surrogates replaced by U+FFFD (a str), or as it is."""
    if isinstance(value, str) and not value.isascii():
        return _SURROGATE.sub("\ufffd", value)
    return value


def _clean_obj(obj):
    """A record with every string cleaned (:func:`_clean`), recursively."""
    if isinstance(obj, str):
        return _clean(obj)
    if isinstance(obj, dict):
        return {_clean(k): _clean_obj(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clean_obj(v) for v in obj]
    return obj


def _has_surrogate(value) -> bool:
    return isinstance(value, str) and not value.isascii() and bool(_SURROGATE.search(value))


def _dumps(obj) -> str:
    """JSON on one line for any line splitter (``str.splitlines`` too: NEL, LS, PS escaped)."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKS)


def _is_big(ann) -> bool:
    return isinstance(ann.text, LongText) or not isinstance(ann.spans, list)


class Writer:
    """Base class: ``out`` is a text stream; ``level`` ``doc|sentence|span``; ``tier`` the tier
    whose categories the format lists (jsonl always has all three); ``explain`` adds rule traces
    (jsonl); ``text`` puts the document text in the record (jsonl, jsonld, turtle); ``scheme``
    adds scores in a mapped taxonomy (jsonl)."""

    def __init__(self, out: TextIO, *, level: str = "doc", tier: int = 1, explain: bool = False,
                 text: bool = True, table=None, base_iri: str = DEFAULT_BASE,
                 scheme: str | None = None) -> None:
        if level not in ("doc", "sentence", "span"):
            raise UsageError(f"unknown level {level!r}; expected doc, sentence or span")
        if tier not in (1, 2, 3):
            raise UsageError(f"unknown tier {tier!r}; expected 1, 2 or 3")
        self.out, self.level, self.tier, self.explain, self.text = out, level, tier, explain, text
        self._table, self.base_iri, self.count = table, base_iri, 0
        self.scheme = scheme  # jsonl: also score each record in this mapped taxonomy

    @property
    def table(self):
        if self._table is None:
            if not _TABLE:
                from ..ontology import Ontology

                _TABLE.append(Ontology().table())
            self._table = _TABLE[0]
        return self._table

    def labels(self, tier: int) -> list[str]:
        table = self.table
        return [label for label, t in zip(table.labels, table.tiers.tolist()) if t == tier]

    def iri(self, label: str, tier: int) -> str:
        return self.table.iris[self.table.index(label, tier)]

    def tier_scores(self, ann, tier: int | None = None) -> dict[str, float]:
        tier = tier or self.tier
        return {1: ann.primary, 2: ann.secondary, 3: ann.tertiary}[tier]

    def begin(self) -> None:
        pass

    def write(self, doc, ann) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


class JsonlWriter(Writer):
    """One JSON object per line: the annotation record; ``{"id", "error"}`` for unreadable input.

    A document read as a :class:`LongText` is written piece by piece (same record)."""

    def write(self, doc, ann) -> None:
        self.count += 1
        if ann is None:
            self.out.write(_dumps({"id": doc.id, "error": doc.error}))
            self.out.write("\n")
            return
        if not _is_big(ann):
            self.out.write(_dumps(ann.to_dict(text=self.text, explain=self.explain,
                                              scheme=self.scheme)))
            self.out.write("\n")
            return
        w = self.out.write
        w('{"id": ' + _dumps(ann.id))
        if self.text:
            w(', "text": "')
            chunks = ann.text.chunks() if isinstance(ann.text, LongText) else [ann.text]
            for chunk in chunks:
                w(_dumps(chunk)[1:-1])
            w('"')
        rest = {"emotions": {"primary": ann.primary, "secondary": ann.secondary,
                             "tertiary": ann.tertiary},
                "top": ann.top, "vad": ann.vad, "intensity": ann.intensity}
        if self.scheme is not None:
            rest["scheme"] = ann.in_scheme(self.scheme).to_dict()
        w(", " + _dumps(rest)[1:-1])
        w(', "spans": [')
        for i, span in enumerate(ann.spans):
            w((", " if i else "") + _dumps(span_record(span, self.explain)))
        w("]")
        if ann.sentences is not None:
            w(', "sentences": [')
            for i, s in enumerate(ann.sentences):
                w((", " if i else "") + _dumps(
                    dict(s.to_dict(text=True, explain=self.explain, scheme=self.scheme),
                         start=s._start)))
            w("]")
        w("}\n")


def _fmt(x: float) -> str:
    return repr(float(x))


class TsvWriter(Writer):
    """Tab-separated values with a header (quoted as by Python's ``csv``, excel-tab dialect).

    ``level="doc"``: one row per document. ``sentence``: one row per sentence (``sentence``,
    ``start``, ``end`` columns). ``span``: one row per span. A document without sentences or
    spans, or with an error, still gets one row."""

    def begin(self) -> None:
        self._csv = csv.writer(self.out, dialect="excel-tab", lineterminator="\n")
        self._cols = self.labels(self.tier)
        tail = ["top", "valence", "arousal", "dominance", "intensity", "error"]
        if self.level == "doc":
            header = ["id", *self._cols, *tail]
        elif self.level == "sentence":
            header = ["id", "sentence", "start", "end", *self._cols, *tail]
        else:
            header = ["id", "start", "end", "text", "concept", "tier", "score", "rules", "error"]
        self._csv.writerow(header)

    def _scores(self, ann) -> list[str]:
        scores = self.tier_scores(ann)
        return ([_fmt(scores.get(c, 0.0)) for c in self._cols]
                + [",".join(ann.top), _fmt(ann.vad["valence"]), _fmt(ann.vad["arousal"]),
                   _fmt(ann.vad["dominance"]), _fmt(ann.intensity)])

    def write(self, doc, ann) -> None:
        self.count += 1
        doc_id = "" if doc.id is None else _clean(str(doc.id))
        n_score = len(self._cols) + 5
        if ann is None:
            pad = {"doc": n_score, "sentence": 3 + n_score, "span": 7}[self.level]
            self._csv.writerow([doc_id, *([""] * pad), _clean(doc.error)])
            return
        if self.level == "doc":
            self._csv.writerow([doc_id, *self._scores(ann), ""])
        elif self.level == "sentence":
            wrote = False
            for s in ann.sentences or ():
                wrote = True
                self._csv.writerow([doc_id, s.id, s._start, s._start + len(s.text),
                                    *self._scores(s), ""])
            if not wrote:
                self._csv.writerow([doc_id, "", "", "", *self._scores(ann), ""])
        else:
            wrote = False
            for span in ann.spans:
                wrote = True
                self._csv.writerow([doc_id, span.start, span.end, _clean(span.text), span.concept,
                                    span.tier, _fmt(span.score), ",".join(span.rules), ""])
            if not wrote:
                self._csv.writerow([doc_id, "", "", "", "", "", "", "", ""])


_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(s) -> str:
    from xml.sax.saxutils import escape

    return escape(_XML_BAD.sub("\ufffd", str(s)), {'"': "&quot;"})


def _unit(x: float) -> float:
    return round(min(1.0, max(0.0, float(x))), 4)


class EmotionMLWriter(Writer):
    """W3C EmotionML 1.0. Declares one category vocabulary per tier (``#tone-primary``,
    ``#tone-secondary``, ``#tone-tertiary``: the ontology's labels) and a dimension vocabulary
    ``#tone-vad``. Each document is an ``<emotion>`` with the selected tier's categories (all six
    primaries; at tiers 2 and 3 those with a score above 0), valence/arousal/dominance as
    dimensions (valence mapped from [-1, 1] to [0, 1]), the intensity and original id in
    ``<info>``, and a ``<reference>`` to the text (``BASE + id#char=start,end``, the document
    IRI of the RDF formats). Sentence level
    adds one ``<emotion>`` per sentence, span level one per span (value ``1 - exp(-score)``, the
    concept's own tier vocabulary). An unreadable document is an ``<emotion>`` whose dimensions
    have confidence 0 and whose ``<info>`` carries the error."""

    def begin(self) -> None:
        from .. import __version__

        w = self.out.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(f'<emotionml xmlns="{EMOTIONML_NS}" xmlns:tone="{TONE_NS}" version="1.0">\n')
        w(f'  <info><tone:generator>tone {__version__}</tone:generator></info>\n')
        for tier in (1, 2, 3):
            w(f'  <vocabulary type="category" id="tone-{TIER_NAMES[tier]}">\n')
            for label in self.labels(tier):
                w(f'    <item name="{_xml(label)}"/>\n')
            w("  </vocabulary>\n")
        w('  <vocabulary type="dimension" id="tone-vad">\n')
        for name in ("valence", "arousal", "dominance"):
            w(f'    <item name="{name}"/>\n')
        w("  </vocabulary>\n")

    def _emotion(self, eid: str, ann, tier: int, info: str, ref: str | None,
                 categories: dict[str, float] | None = None, confidence: str = "") -> None:
        w = self.out.write
        w(f'  <emotion id="{eid}" category-set="#tone-{TIER_NAMES[tier]}" '
          f'dimension-set="#tone-vad">\n')
        w(f"    <info>{info}</info>\n")
        scores = categories if categories is not None else self.tier_scores(ann, tier)
        for label, value in scores.items():
            if tier == 1 or value > 0:
                w(f'    <category name="{_xml(label)}" value="{_unit(value)}"/>\n')
        vad = ann.vad if ann is not None else {"valence": 0.0, "arousal": 0.0, "dominance": 0.0}
        for name in ("valence", "arousal", "dominance"):
            value = (vad[name] + 1) / 2 if name == "valence" else vad[name]
            w(f'    <dimension name="{name}" value="{_unit(value)}"{confidence}/>\n')
        if ref:
            w(f'    <reference uri="{_xml(ref)}"/>\n')
        w("  </emotion>\n")

    def write(self, doc, ann) -> None:
        self.count += 1
        n = self.count
        iri = doc_iri(self.base_iri, _clean(doc.id) if doc.id is not None else n)
        doc_info = f'<tone:document id="{_xml(doc.id)}"'
        if ann is None:
            self._emotion(f"d{n}", None, 1, doc_info + f' error="{_xml(doc.error)}"/>', None,
                          categories={}, confidence=' confidence="0"')
            return
        length = len(ann.text)
        info = doc_info + f' intensity="{ann.intensity}"/>'
        self._emotion(f"d{n}", ann, self.tier, info, f"{iri}#char=0,{length}")
        if self.level == "sentence":
            for k, s in enumerate(ann.sentences or ()):
                start = s._start
                self._emotion(f"d{n}s{k}", s, self.tier,
                              f'<tone:sentence index="{k}" intensity="{s.intensity}"/>',
                              f"{iri}#char={start},{start + len(s.text)}")
        elif self.level == "span":
            for k, span in enumerate(ann.spans):
                self._emotion(f"d{n}t{k}", ann, span.tier,
                              f'<tone:span score="{span.score}" rules="{_xml(",".join(span.rules))}"/>',
                              f"{iri}#char={span.start},{span.end}",
                              categories={span.concept: 1 - math.exp(-span.score)})

    def end(self) -> None:
        self.out.write("</emotionml>\n")


# -- RDF: NIF 2.0 + Onyx ---------------------------------------------------------------------
PREFIXES = {"nif": NIF, "onyx": ONYX, "emoml": EMOML, "prov": PROV, "dcterms": DCTERMS,
            "rdfs": RDFS, "xsd": XSD, "tone": TONE_NS}


def _rdf_record(doc, ann, text: bool) -> dict:
    """The annotation record the RDF writers serialize (``tone.io.rdf`` maps it to triples).

    A big annotation (a :class:`LongText`, spans streamed) keeps its text and spans lazy."""
    doc_id = _clean(doc.id if doc.id is not None else getattr(ann, "id", None))
    if ann is None:
        return {"id": doc_id, "error": _clean(doc.error)}
    if not _is_big(ann):
        record = dict(ann.to_dict(text=text), id=doc_id)
        return _clean_obj(record) if _has_surrogate(ann.text) else record
    record = {"id": doc_id,
              "emotions": {"primary": ann.primary, "secondary": ann.secondary,
                           "tertiary": ann.tertiary},
              "top": ann.top, "vad": ann.vad, "intensity": ann.intensity,
              "spans": (_clean_obj(span.to_dict()) for span in ann.spans)}
    if text:
        record["text"] = ann.text
    if ann.sentences is not None:
        record["sentences"] = [_clean_obj(dict(s.to_dict(text=True), start=s._start))
                               for s in ann.sentences]
    return record


class _RdfWriter(Writer):
    """The NIF 2.0 + Onyx graph of :mod:`tone.io.rdf` (the shape the knowledge-graph store
    holds), one document at a time: per document a ``nif:Context`` ``<BASE id#char=0,len>``
    (``BASE`` is ``base_iri``, ``id`` the percent-encoded input id, so IRIs are stable across
    runs and equal to those of ``tone kg build`` with the same base) whose ``onyx:EmotionSet``
    holds one ``onyx:Emotion`` per non-zero score of the selected tier plus one with
    valence/arousal/dominance; every span a ``nif:Phrase`` ``<BASE id#char=start,end>`` with
    its own emotion set; at level ``sentence`` every sentence a ``nif:Sentence``
    ``<BASE id#sentence=k>``. An unreadable document is a ``nif:Context`` with
    ``rdfs:comment`` the error. Two documents with the same id would share IRIs: that is an
    error (give unique ids, e.g. ``--id-field``)."""

    def _triples(self, doc, ann):
        from .rdf import iter_record_triples

        if not hasattr(self, "_ids"):
            self._ids: set[str] = set()
        record = _rdf_record(doc, ann, self.text)
        key = str(record["id"])
        if key in self._ids:
            raise UsageError(f"document id {key!r} occurs twice in the input; the "
                             f"{self._format} output names documents by id (their IRIs), so "
                             "ids must be unique")
        self._ids.add(key)
        return iter_record_triples(record, self.base_iri, lambda key: self.iri(*key),
                                   tiers=(self.tier,), digest=False)

    def nodes(self, doc, ann):
        """Yield ``(subject, [(predicate, object)])`` per node of one document, objects being
        :class:`tone.io.rdf.IRI` or :class:`tone.io.rdf.Lit` (a ``Lit`` value may be a
        :class:`LongText`)."""
        subject, props = None, []
        for s, p, o in self._triples(doc, ann):
            if s != subject and props:
                yield subject, props
                props = []
            subject = s
            props.append((p, o))
        if props:
            yield subject, props


def _chunks(text):
    return map(_clean, text.chunks()) if isinstance(text, LongText) else [_clean(text)]


def _ttl_escape(s: str) -> str:
    return (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def _ttl_iri(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z][\w-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return "<" + quote(iri, safe=":/#?&=,;@+$!*'()~%.-_") + ">"


class TurtleWriter(_RdfWriter):
    """The NIF + Onyx graph (see :class:`_RdfWriter`) as Turtle, written document by document."""

    _format = "turtle"

    def begin(self) -> None:
        for prefix, ns in PREFIXES.items():
            self.out.write(f"@prefix {prefix}: <{ns}> .\n")
        self.out.write("\n")

    def write(self, doc, ann) -> None:
        self.count += 1
        w = self.out.write
        for subject, props in self.nodes(doc, ann):
            w(_ttl_iri(subject))
            previous = None
            for pred, obj in props:
                if pred == previous:
                    w(", ")
                else:
                    w(" ;\n    " if previous else " ")
                    w("a " if pred == RDF_TYPE else _ttl_iri(pred) + " ")
                previous = pred
                if isinstance(obj, str):  # an IRI
                    w(_ttl_iri(obj))
                    continue
                w('"')
                for chunk in _chunks(obj.value):
                    w(_ttl_escape(chunk))
                w('"')
                if obj.lang:
                    w("@" + obj.lang)
                elif obj.datatype != XSD + "string":
                    w("^^" + _ttl_iri(obj.datatype))
            w(" .\n")
        w("\n")


class JsonldWriter(_RdfWriter):
    """JSON-LD (an inline ``@context``, one ``@graph``) of the NIF 2.0 + Onyx graph that Senpy
    emits; :class:`_RdfWriter` describes the shape."""

    _format = "jsonld"

    def begin(self) -> None:
        context = dict(PREFIXES)
        self.out.write('{"@context": ' + json.dumps(context) + ',\n "@graph": [')
        self._first = True

    def _short(self, iri: str) -> str:
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def _object(self, obj):
        if isinstance(obj, str):  # an IRI
            return {"@id": self._short(obj) if obj.startswith(TONE_NS) else obj}
        if obj.lang:
            return {"@value": obj.value, "@language": obj.lang}
        if obj.datatype == XSD + "string":
            return obj.value
        return {"@value": obj.value, "@type": self._short(obj.datatype)}

    def write(self, doc, ann) -> None:
        self.count += 1
        w = self.out.write
        for subject, props in self.nodes(doc, ann):
            node: dict = {"@id": subject}
            big_text = None
            for pred, obj in props:
                if pred == RDF_TYPE:
                    node.setdefault("@type", []).append(self._short(obj))
                    continue
                key = self._short(pred)
                if not isinstance(obj, str) and isinstance(obj.value, LongText):
                    big_text = (key, obj.value)
                    continue
                value = self._object(obj)
                if key in node:
                    if not isinstance(node[key], list):
                        node[key] = [node[key]]
                    node[key].append(value)
                else:
                    node[key] = value
            w("\n  " if self._first else ",\n  ")
            self._first = False
            text = json.dumps(node, ensure_ascii=False)
            if big_text is None:
                w(text)
                continue
            w(text[:-1] + ", " + json.dumps(big_text[0]) + ': "')
            for chunk in big_text[1].chunks():
                w(json.dumps(_clean(chunk), ensure_ascii=False)[1:-1])
            w('"}')

    def end(self) -> None:
        self.out.write("\n ]}\n")


_WRITERS = {"jsonl": JsonlWriter, "tsv": TsvWriter, "emotionml": EmotionMLWriter,
            "jsonld": JsonldWriter, "turtle": TurtleWriter}


def make_writer(fmt: str, out: TextIO, **options) -> Writer:
    """The writer for ``fmt`` (one of ``FORMATS``) over the text stream ``out``."""
    try:
        return _WRITERS[fmt](out, **options)
    except KeyError:
        raise UsageError(f"unknown output format {fmt!r}; expected one of {FORMATS}") from None
