"""Writers: annotations out, one record per input document, in input order, streamed.

Formats (``FORMATS``): ``jsonl`` (README.md, "The annotation record"; at ``level="span"`` one
record per matched span), ``tsv`` (a header, then one row per document: id, the tier's scores —
the 6 primaries by default, ``secondary_<label>`` / ``tertiary_<label>`` at tiers 2 and 3 — top,
valence, arousal, dominance, intensity, error; column names are unique), ``emotionml`` (W3C
EmotionML 1.0, one declared vocabulary per tier, W3C pad-dimensions for VAD), ``jsonld`` (NIF
2.0 + Onyx, as Senpy emits), ``turtle`` (the same graph) and ``hints`` (one JSON object per
document with the emotion hint of :func:`tone.prompting.hints` for a language model: ``{"id",
"hint": "<the block>", "primary", "finer", "words", "causes"}``); for timed input (subtitle cues,
timed JSONL) ``facs-json`` and ``facs-csv``, the facial-expression track (:mod:`tone.expression`):
per cue its start, end, emotions, action units, FACS code and ARKit blendshape weights.

A writer is used as ``begin()``, ``write(document, annotation)`` per document (``annotation`` is
None for a document that could not be read: its record carries the ``error``), then ``end()``.
``write()`` or ``end()`` without ``begin()`` begins implicitly; ``begin()`` twice begins once;
``write()`` after ``end()`` is a :class:`~tone.errors.UsageError`.

A record-local format (``jsonl``, ``tsv``: a document's output depends on that document and the
options alone) can be rendered where the document was annotated, e.g. in a worker process
(:class:`Renderer`); ``write(document, Rendered(text))`` then writes the text as it is, so the
process holding the output file does not build every record again.

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
import functools
import io
import json
import math
import re
from dataclasses import asdict
from typing import TextIO
from urllib.parse import quote

from ..errors import UsageError
from ..expression import SCHEME as FACS_SCHEME
from ..expression import TAU, ExpressionTrack
from ..prompting.hints import hint_dict
from .rdf import DCTERMS, EMOML, NIF, ONYX, OWL, PROV, RDF, RDFS, XSD, doc_iri
from .readers import LongText

__all__ = ["FORMATS", "Writer", "Rendered", "Renderer", "JsonlWriter", "TsvWriter",
           "EmotionMLWriter", "JsonldWriter", "TurtleWriter", "FacsJsonWriter", "FacsCsvWriter",
           "HintsWriter", "make_writer", "span_record", "RECORD_LOCAL", "EMOTIONML_NS", "NIF",
           "ONYX"]

FORMATS = ("jsonl", "tsv", "emotionml", "jsonld", "turtle", "facs-json", "facs-csv", "hints")
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


def _in_order(name: str, method):
    """``method`` (a writer's begin, write or end) made safe to call out of order: write/end
    begin first when begin was not called, begin runs once, write after end is refused."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if self.__dict__.get("_busy"):  # a call from inside another (super().write(), ...)
            return method(self, *args, **kwargs)
        state = self.__dict__.get("_state", "new")
        if name == "begin" and state != "new":
            return None
        if state == "ended":
            raise UsageError(f"{type(self).__name__}.{name}() after end(): make a new writer "
                             "(make_writer) for another output")
        self._busy = True
        try:
            if state == "new":
                self._state = "begun"
                type(self).begin(self)
            if name == "end":
                self._state = "ended"
            if name == "write" and isinstance(args[1], Rendered):
                self.count += 1
                self.out.write(args[1])
                return None
            return None if name == "begin" else method(self, *args, **kwargs)
        finally:
            self._busy = False

    guarded._in_order = True
    return guarded


class Rendered(str):
    """A document's output text, rendered by a :class:`Renderer` (another process, typically):
    a writer's ``write(document, Rendered(text))`` writes it as it is."""

    __slots__ = ()


class Renderer:
    """Render documents as a record-local writer of ``fmt`` would write them, one text each.

    >>> import io
    >>> from tone.io.readers import Document
    >>> from tone.annotator import Annotator
    >>> render = Renderer("jsonl", text=False)
    >>> out = io.StringIO()
    >>> w = make_writer("jsonl", out, text=False)
    >>> ann = Annotator().annotate("What a joy!", id=7)
    >>> w.write(Document(7, "What a joy!"), Rendered(render(Document(7, "What a joy!"), ann)))
    >>> out.getvalue() == render(Document(7, "What a joy!"), ann) and out.getvalue()[:9]
    '{"id": 7,'
    """

    def __init__(self, fmt: str, **options) -> None:
        self._buffer = io.StringIO()
        self._writer = make_writer(fmt, self._buffer, **options)
        if not self._writer.record_local:
            raise UsageError(f"{fmt} output is not record-local: it cannot be rendered apart")
        self._writer.begin()  # a header, if any, is dropped by the first call

    def __call__(self, doc, ann) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write(doc, ann)
        return self._buffer.getvalue()


class Writer:
    """Base class: ``out`` is a text stream; ``level`` ``doc|sentence|span``; ``tier`` the tier
    whose categories the format lists (jsonl always has all three); ``explain`` adds rule traces
    (jsonl); ``text`` puts the document text in the record (jsonl, jsonld, turtle) and the
    matched text in spans (jsonl, tsv; without it spans keep their offsets); ``scheme`` adds
    scores in a mapped taxonomy (jsonl).

    Subclasses define ``begin``, ``write`` and ``end``; they are called in order whatever the
    caller does (see the module docstring)."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("begin", "write", "end"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_in_order", False):
                setattr(cls, name, _in_order(name, method))

    record_local = False  #: whether ``write(doc, ann)`` depends on nothing but them and options

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

    def span_dict(self, span) -> dict:
        """A span's record: with its rule trace when ``explain``, without its text when not
        ``text`` (the offsets stay)."""
        record = span_record(span, self.explain)
        if not self.text:
            record.pop("text", None)
        return record

    def begin(self) -> None:
        pass

    def write(self, doc, ann) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


for _name in ("begin", "write", "end"):  # (subclasses that keep these inherit them guarded)
    setattr(Writer, _name, _in_order(_name, Writer.__dict__[_name]))


class JsonlWriter(Writer):
    """One JSON object per line: the annotation record (with ``start`` and ``end`` after ``id``
    for a timed document: a subtitle cue, a timed JSONL record); ``{"id", "error"}`` for
    unreadable input.

    A document read as a :class:`LongText` is written piece by piece (same record). Without
    ``text`` the record has no ``"text"``, and neither have its spans and sentences (spans keep
    ``start``/``end``, sentences ``start`` and gain ``end``).

    ``level="span"``: one record per matched span instead, ``{"id": "<doc id>#<k>", "doc": <doc
    id>, "start", "end", "text", "concept", "tier", "score", "rules"}`` (``k`` counts the
    document's spans from 0; ``--explain`` adds the trace). A document without spans, or
    unreadable, still gets one record: ``{"id": null, "doc": <doc id>}`` (and its ``"error"``)."""

    record_local = True

    def _span_records(self, doc, ann) -> None:
        doc_id = doc.id if ann is None or doc.id is not None else ann.id
        if ann is None:
            self.out.write(_dumps({"id": None, "doc": doc_id, "error": doc.error}) + "\n")
            return
        k = -1
        for k, span in enumerate(ann.spans):
            self.out.write(_dumps({"id": f"{doc_id}#{k}", "doc": doc_id,
                                   **self.span_dict(span)}) + "\n")
        if k < 0:
            self.out.write(_dumps({"id": None, "doc": doc_id}) + "\n")


    def write(self, doc, ann) -> None:
        self.count += 1
        if self.level == "span":
            self._span_records(doc, ann)
            return
        if ann is None:
            self.out.write(_dumps({"id": doc.id, "error": doc.error}))
            self.out.write("\n")
            return
        if not _is_big(ann):
            record = ann.to_dict(text=self.text, explain=self.explain, scheme=self.scheme)
            if doc.start is not None:  # a timed document (subtitle cue, timed JSONL)
                record = {"id": record.pop("id"), "start": doc.start, "end": doc.end, **record}
            self.out.write(_dumps(record if self.text else strip_texts(record)))
            self.out.write("\n")
            return
        w = self.out.write
        w('{"id": ' + _dumps(ann.id))
        if doc.start is not None:
            w(', "start": ' + _dumps(doc.start) + ', "end": ' + _dumps(doc.end))
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
            w((", " if i else "") + _dumps(self.span_dict(span)))
        w("]")
        if ann.sentences is not None:
            w(', "sentences": [')
            for i, s in enumerate(ann.sentences):
                sentence = dict(s.to_dict(text=True, explain=self.explain, scheme=self.scheme),
                                start=s._start)
                w((", " if i else "") + _dumps(
                    sentence if self.text else strip_texts({"sentences": [sentence]})[
                        "sentences"][0]))
            w("]")
        w("}\n")


def _fmt(x: float) -> str:
    return repr(float(x))


class TsvWriter(Writer):
    """Tab-separated values with a header (quoted as by Python's ``csv``, excel-tab dialect).

    ``level="doc"``: one row per document. ``sentence``: one row per sentence (``sentence``,
    ``start``, ``end`` columns). ``span``: one row per span (without ``text`` no ``text``
    column). A document without sentences or spans, or with an error, still gets one row.

    Every column name is unique (``pandas.read_csv(sep="\t")`` keeps them as they are): at tier 1
    the score columns are the six primaries (``anger`` ... ``surprise``); at tiers 2 and 3 they
    are ``secondary_<label>`` / ``tertiary_<label>`` — the names of
    ``tone.annotate_frame(tiers=...)`` — since tertiary labels repeat other names (Parrott's
    tertiary *arousal* is not the VAD ``arousal`` column).

    ``lead``: more columns after ``id``, each an attribute of the annotation (``tone dialogue``:
    ``dialogue``, ``turn``, ``speaker``); empty for a document that could not be read."""

    def __init__(self, out: TextIO, *, lead: tuple = (), **options) -> None:
        super().__init__(out, **options)
        self.lead = tuple(lead)

    def _lead(self, ann) -> list:
        return ["" if ann is None else _clean(str(getattr(ann, name, ""))) for name in self.lead]

    record_local = True

    def begin(self) -> None:
        self._csv = csv.writer(self.out, dialect="excel-tab", lineterminator="\n")
        self._cols = self.labels(self.tier)
        prefix = {1: "", 2: "secondary_", 3: "tertiary_"}[self.tier]
        names = [prefix + label for label in self._cols]
        tail = ["top", "valence", "arousal", "dominance", "intensity", "error"]
        self._span_cols = ["start", "end", *(["text"] if self.text else []), "concept", "tier",
                           "score", "rules"]
        if self.level == "doc":
            header = ["id", *self.lead, *names, *tail]
        elif self.level == "sentence":
            header = ["id", *self.lead, "sentence", "start", "end", *names, *tail]
        else:
            header = ["id", *self.lead, *self._span_cols, "error"]
        if len(set(header)) != len(header):  # pragma: no cover - a label naming a fixed column
            raise UsageError(f"the tsv header repeats a column name: {header}")
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
            pad = {"doc": n_score, "sentence": 3 + n_score,
                   "span": len(self._span_cols)}[self.level]
            self._csv.writerow([doc_id, *self._lead(None), *([""] * pad), _clean(doc.error)])
            return
        lead = self._lead(ann)
        if self.level == "doc":
            self._csv.writerow([doc_id, *lead, *self._scores(ann), ""])
        elif self.level == "sentence":
            wrote = False
            for s in ann.sentences or ():
                wrote = True
                self._csv.writerow([doc_id, *lead, s.id, s._start, s._start + len(s.text),
                                    *self._scores(s), ""])
            if not wrote:
                self._csv.writerow([doc_id, *lead, "", "", "", *self._scores(ann), ""])
        else:
            wrote = False
            for span in ann.spans:
                wrote = True
                text = [_clean(span.text)] if self.text else []
                self._csv.writerow([doc_id, *lead, span.start, span.end, *text, span.concept,
                                    span.tier, _fmt(span.score), ",".join(span.rules), ""])
            if not wrote:
                self._csv.writerow([doc_id, *lead, *([""] * len(self._span_cols)), ""])


_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(s) -> str:
    from xml.sax.saxutils import escape

    return escape(_XML_BAD.sub("\ufffd", str(s)), {'"': "&quot;"})


def _unit(x: float) -> float:
    return round(min(1.0, max(0.0, float(x))), 4)


W3C_VOC = "http://www.w3.org/TR/emotion-voc/xml#"
PAD_SET = W3C_VOC + "pad-dimensions"
# W3C "Vocabularies for EmotionML" (2014) category sets a tone scheme can be written in: a
# scheme whose categories are exactly a set's items (after the renames) uses the W3C set.
_W3C_CATEGORY_SETS = {
    "big6": ("anger disgust fear happiness sadness surprise", {"joy": "happiness"}),
    "everyday-categories": (("affectionate afraid amused angry bored confident content "
                             "disappointed excited happy interested loving pleased relaxed sad "
                             "satisfied worried"), {}),
    "occ-categories": (("admiration anger disappointment distress fear fears-confirmed "
                        "gloating gratification gratitude happy-for hate hope joy love pity "
                        "pride relief remorse reproach resentment satisfaction shame"), {}),
    "fsre-categories": (("anger anxiety being-hurt compassion contempt contentment despair "
                         "disappointment disgust fear guilt happiness hate interest irritation "
                         "jealousy joy love pleasure pride sadness shame stress surprise"), {}),
}
SCHEME_NS = "https://w3id.org/tone/scheme/"


def emotionml_category_set(scheme) -> tuple[str, dict[str, str]]:
    """The EmotionML ``category-set`` of a :class:`tone.scoring.schemes.Scheme` and the renames of its
    labels: a W3C vocabulary when the scheme's categories are exactly its items (ekman and
    emotionml-big6 → ``big6``, joy named happiness; emotionml-everyday, occ, fsre), else the
    scheme's own namespace ``https://w3id.org/tone/scheme/<name>#``.

    >>> from tone.scoring.schemes import get_scheme
    >>> emotionml_category_set(get_scheme("ekman"))
    ('http://www.w3.org/TR/emotion-voc/xml#big6', {'joy': 'happiness'})
    >>> emotionml_category_set(get_scheme("plutchik"))[0]
    'https://w3id.org/tone/scheme/plutchik#'
    """
    for vocab, (items, rename) in _W3C_CATEGORY_SETS.items():
        if {rename.get(label, label) for label in scheme.categories} == set(items.split()):
            return W3C_VOC + vocab, dict(rename)
    return f"{SCHEME_NS}{quote(scheme.name, safe='-._~')}#", {}


class EmotionMLWriter(Writer):
    """W3C EmotionML 1.0. Declares one category vocabulary per tier (``#tone-primary``,
    ``#tone-secondary``, ``#tone-tertiary``: the ontology's labels); dimensions use the W3C
    ``pad-dimensions`` vocabulary (``http://www.w3.org/TR/emotion-voc/xml#pad-dimensions``:
    pleasure, arousal, dominance), the values the RDF formats give
    (:func:`tone.io.rdf.pad_dimensions`): EmotionML values lie in [0, 1], so **pleasure =
    (valence + 1) / 2** of tone's valence on [-1, 1], and arousal and dominance, already on
    [0, 1], are written as they are. The mapping is stated in the output too (an XML comment
    and ``<tone:mapping>`` in the document's ``<info>``).

    Each document is an ``<emotion>`` with the selected tier's categories (all six primaries;
    at tiers 2 and 3 those with a score above 0), its PAD dimensions, the intensity and
    original id in ``<info>``, and a ``<reference>`` to the text (``BASE + id#char=start,end``,
    the document IRI of the RDF formats). With ``scheme`` the document's (and sentences')
    categories are the scheme's scores instead (every category), in the W3C category set the
    scheme matches (``big6`` for ekman and emotionml-big6, joy named happiness; also
    everyday-categories, occ-categories, fsre-categories), else in
    ``https://w3id.org/tone/scheme/<scheme>#`` (see :func:`emotionml_category_set`). Sentence
    level adds one ``<emotion>`` per sentence (its own scores and VAD), span level one per span
    (value ``1 - exp(-score)``, the concept's own tier vocabulary, and the PAD of the span's
    concept from the ontology's VAD table — never the document's; none when the concept has no
    VAD). An unreadable document is an ``<emotion>`` whose dimensions are the neutral midpoints
    with confidence 0 and whose ``<info>`` carries the error."""

    def begin(self) -> None:
        from .. import __version__
        from .rdf import PAD_MAPPING

        self._set, self._rename = None, {}
        if self.scheme is not None:
            from ..scoring.schemes import get_scheme

            scheme = get_scheme(self.scheme)
            self._set, self._rename = emotionml_category_set(scheme)
        w = self.out.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(f'<emotionml xmlns="{EMOTIONML_NS}" xmlns:tone="{TONE_NS}" version="1.0">\n')
        w(f"  <!-- dimensions: {PAD_SET}; {PAD_MAPPING} -->\n")
        w(f'  <info><tone:generator>tone {__version__}</tone:generator>'
          f'<tone:mapping dimension-set="{PAD_SET}" pleasure="(valence + 1) / 2" '
          f'arousal="arousal" dominance="dominance">{_xml(PAD_MAPPING)}</tone:mapping>')
        if self.scheme is not None:
            renames = ",".join(f"{k}={v}" for k, v in self._rename.items())
            w(f'<tone:scheme name="{_xml(scheme.name)}" iri="{_xml(scheme.iri)}" '
              f'category-set="{_xml(self._set)}"'
              + (f' renamed="{_xml(renames)}"' if renames else "") + "/>")
        w("</info>\n")
        for tier in (1, 2, 3):
            w(f'  <vocabulary type="category" id="tone-{TIER_NAMES[tier]}">\n')
            for label in self.labels(tier):
                w(f'    <item name="{_xml(label)}"/>\n')
            w("  </vocabulary>\n")

    def _emotion(self, eid: str, info: str, ref: str | None, category_set: str,
                 categories: dict[str, float], vad: dict | None, every: bool = True,
                 confidence: str = "") -> None:
        from .rdf import pad_dimensions

        w = self.out.write
        dims = pad_dimensions(vad)
        w(f'  <emotion id="{eid}" category-set="{_xml(category_set)}"'
          + (f' dimension-set="{PAD_SET}"' if dims else "") + ">\n")
        w(f"    <info>{info}</info>\n")
        for label, value in categories.items():
            if every or value > 0:
                w(f'    <category name="{_xml(label)}" value="{_unit(value)}"/>\n')
        for name, value in dims.items():
            w(f'    <dimension name="{name}" value="{_unit(value)}"{confidence}/>\n')
        if ref:
            w(f'    <reference uri="{_xml(ref)}"/>\n')
        w("  </emotion>\n")

    def _categories(self, ann) -> tuple[str, dict[str, float], bool]:
        """The category set, the scores and whether every category is listed."""
        if self._set is not None:
            scores = ann.in_scheme(self.scheme).scores
            return self._set, {self._rename.get(k, k): v for k, v in scores.items()}, True
        return f"#tone-{TIER_NAMES[self.tier]}", self.tier_scores(ann), self.tier == 1

    def _span_vad(self, span) -> dict:
        from ..scoring.vad import concept_vad

        row = concept_vad(self.table)[self.table.index(span.concept, span.tier)]
        return dict(zip(("valence", "arousal", "dominance"), map(float, row)))

    def write(self, doc, ann) -> None:
        self.count += 1
        n = self.count
        iri = doc_iri(self.base_iri, _clean(doc.id) if doc.id is not None else n)
        doc_info = f'<tone:document id="{_xml(doc.id)}"'
        if ann is None:
            self._emotion(f"d{n}", doc_info + f' error="{_xml(doc.error)}"/>', None,
                          self._set or f"#tone-{TIER_NAMES[1]}", {},
                          {"valence": 0.0, "arousal": 0.5, "dominance": 0.5},
                          confidence=' confidence="0"')
            return
        length = len(ann.text)
        info = doc_info + f' intensity="{ann.intensity}"/>'
        cset, cats, every = self._categories(ann)
        self._emotion(f"d{n}", info, f"{iri}#char=0,{length}", cset, cats, ann.vad, every)
        if self.level == "sentence":
            for k, s in enumerate(ann.sentences or ()):
                start = s._start
                cset, cats, every = self._categories(s)
                self._emotion(f"d{n}s{k}",
                              f'<tone:sentence index="{k}" intensity="{s.intensity}"/>',
                              f"{iri}#char={start},{start + len(s.text)}", cset, cats, s.vad,
                              every)
        elif self.level == "span":
            for k, span in enumerate(ann.spans):
                self._emotion(f"d{n}t{k}",
                              f'<tone:span score="{span.score}" concept="{_xml(span.concept)}" '
                              f'tier="{span.tier}" rules="{_xml(",".join(span.rules))}"/>',
                              f"{iri}#char={span.start},{span.end}",
                              f"#tone-{TIER_NAMES[span.tier]}",
                              {span.concept: 1 - math.exp(-span.score)}, self._span_vad(span))

    def end(self) -> None:
        self.out.write("</emotionml>\n")


# -- RDF: NIF 2.0 + Onyx ---------------------------------------------------------------------
PREFIXES = {"nif": NIF, "onyx": ONYX, "emoml": EMOML, "prov": PROV, "dcterms": DCTERMS,
            "rdfs": RDFS, "xsd": XSD, "owl": OWL, "tone": TONE_NS}
SENPY = "http://www.gsi.dit.upm.es/ontologies/senpy#"
JSONLD_SHAPES = ("flat", "senpy")
TONE_MODEL = "https://w3id.org/tone"  # the ontology: tone's tiers as an emotion model


def strip_texts(record: dict) -> dict:
    """``record`` without its span and sentence texts (``text=False``): spans keep ``start`` and
    ``end``, sentences keep ``start`` and gain ``end``."""
    spans = record.get("spans")
    if isinstance(spans, list):
        for span in spans:
            span.pop("text", None)
    for sentence in record.get("sentences") or ():
        text = sentence.pop("text", "")
        if "start" in sentence:
            sentence["end"] = sentence["start"] + len(text)
        strip_texts(sentence)
    return record


def _rdf_record(doc, ann, text: bool, scheme: str | None = None) -> dict:
    """The annotation record the RDF writers serialize (``tone.io.rdf`` maps it to triples).

    A big annotation (a :class:`LongText`, spans streamed) keeps its text and spans lazy."""
    doc_id = _clean(doc.id if doc.id is not None else getattr(ann, "id", None))
    if ann is None:
        return {"id": doc_id, "error": _clean(doc.error)}
    if not _is_big(ann):
        record = dict(ann.to_dict(text=text, scheme=scheme), id=doc_id)
        if not text:
            strip_texts(record)
        return _clean_obj(record) if _has_surrogate(ann.text) else record
    record = {"id": doc_id,
              "emotions": {"primary": ann.primary, "secondary": ann.secondary,
                           "tertiary": ann.tertiary},
              "top": ann.top, "vad": ann.vad, "intensity": ann.intensity,
              "spans": (_clean_obj({k: v for k, v in span.to_dict().items()
                                    if text or k != "text"}) for span in ann.spans)}
    if scheme is not None:
        record["scheme"] = ann.in_scheme(scheme).to_dict()
    if text:
        record["text"] = ann.text
    if ann.sentences is not None:
        record["sentences"] = [_clean_obj(dict(s.to_dict(text=True, scheme=scheme),
                                               start=s._start))
                               for s in ann.sentences]
        if not text:
            strip_texts(record)
    return record



def _group(triples):
    """``(subject, [(predicate, object)])`` per run of triples with the same subject."""
    subject, props = None, []
    for s, p, o in triples:
        if s != subject and props:
            yield subject, props
            props = []
        subject = s
        props.append((p, o))
    if props:
        yield subject, props


class _RdfWriter(Writer):
    """The NIF 2.0 + Onyx graph of :mod:`tone.io.rdf` (the shape the knowledge-graph store
    holds), one document at a time: per document a ``nif:Context`` ``<BASE id#char=0,len>``
    (``BASE`` is ``base_iri``, ``id`` the percent-encoded input id, so IRIs are stable across
    runs and equal to those of ``tone kg build`` with the same base) whose ``onyx:EmotionSet``
    holds one ``onyx:Emotion`` per non-zero score of the selected tier plus one with the VAD
    as W3C PAD dimensions on [0, 1] (``emoml:pad-dimensions_pleasure`` = (valence + 1) / 2,
    arousal, dominance: the values EmotionML gets); with ``scheme`` also one ``onyx:Emotion``
    per non-zero category of that scheme (``onyx:hasEmotionCategory`` the category's IRI,
    ``https://w3id.org/tone/scheme/<scheme>#<label>``); every span a ``nif:Phrase``
    ``<BASE id#char=start,end>`` with its own emotion set (no VAD); at level ``sentence`` every
    sentence a ``nif:Sentence`` ``<BASE id#sentence=k>``. An unreadable document is a
    ``nif:Context`` with ``rdfs:comment`` the error. Two documents with the same id would
    share IRIs: that is an error (give unique ids, e.g. ``--id-field``).

    Every emotion set is ``prov:wasGeneratedBy`` the run's ``prov:Activity`` (written once,
    first; :func:`tone.io.rdf.activity_triples`): an ``onyx:EmotionAnalysis`` that
    ``onyx:usesEmotionModel`` tone's ontology (``https://w3id.org/tone``), the scheme (when
    given) and ``emoml:pad-dimensions``, ``prov:wasAssociatedWith`` the software agent
    ``urn:tone:software:<version>``, with the PAD mapping as ``rdfs:comment``. Its IRI
    ``urn:tone:activity:<digest>`` is a digest of tone's version and the run's settings
    (tier, level, scheme, text, base), so the same run writes the same output."""

    @property
    def activity(self) -> str:
        """The IRI of this run's ``prov:Activity``."""
        if getattr(self, "_activity", None) is None:
            import hashlib

            from .. import __version__

            key = json.dumps([__version__, self.tier, self.level, self.scheme, self.text,
                              self.base_iri])
            self._activity = "urn:tone:activity:" + hashlib.sha1(key.encode()).hexdigest()[:16]
        return self._activity

    def activity_nodes(self):
        """The activity and its agent as :meth:`nodes` gives them."""
        from .. import __version__
        from .rdf import PAD_MODEL, activity_triples

        models = [TONE_MODEL]
        if self.scheme is not None:
            models.append(self._scheme_obj().iri)
        models.append(PAD_MODEL)
        settings = {"tier": self.tier, "level": self.level}
        if self.scheme is not None:
            settings["scheme"] = self.scheme
        return list(_group(activity_triples(self.activity, models, __version__, settings)))

    def _scheme_obj(self):
        if getattr(self, "_scheme", None) is None:
            from ..scoring.schemes import get_scheme

            self._scheme = get_scheme(self.scheme)
        return self._scheme

    def _triples(self, doc, ann):
        from .rdf import iter_record_triples

        if not hasattr(self, "_ids"):
            self._ids: set[str] = set()
        record = _rdf_record(doc, ann, self.text, self.scheme)
        key = str(record["id"])
        if key in self._ids:
            raise UsageError(f"document id {key!r} occurs twice in the input; the "
                             f"{self._format} output names documents by id (their IRIs), so "
                             "ids must be unique")
        self._ids.add(key)
        scheme_iris = self._scheme_obj().iris if self.scheme is not None else None
        return iter_record_triples(record, self.base_iri, lambda key: self.iri(*key),
                                   tiers=(self.tier,), digest=False, activity=self.activity,
                                   scheme_iris=scheme_iris)

    def nodes(self, doc, ann):
        """Yield ``(subject, [(predicate, object)])`` per node of one document, objects being
        :class:`tone.io.rdf.IRI` or :class:`tone.io.rdf.Lit` (a ``Lit`` value may be a
        :class:`LongText`)."""
        return _group(self._triples(doc, ann))


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
    """The NIF + Onyx graph (see :class:`_RdfWriter`) as Turtle, written document by document
    after the run's activity."""

    _format = "turtle"

    def begin(self) -> None:
        for prefix, ns in PREFIXES.items():
            self.out.write(f"@prefix {prefix}: <{ns}> .\n")
        self.out.write("\n")
        for subject, props in self.activity_nodes():
            self._node(subject, props)
        self.out.write("\n")

    def _node(self, subject, props) -> None:
        w = self.out.write
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

    def write(self, doc, ann) -> None:
        self.count += 1
        for subject, props in self.nodes(doc, ann):
            self._node(subject, props)
        self.out.write("\n")


class JsonldWriter(_RdfWriter):
    """JSON-LD (an inline ``@context``) of the NIF 2.0 + Onyx graph that Senpy emits;
    :class:`_RdfWriter` describes the graph. ``jsonld_shape``:

    - ``flat`` (default): one ``@graph`` of nodes, the run's activity first;
    - ``senpy``: Senpy's nested shape, ``{"@context", "@type": "Results", "activities":
      [activity], "entries": [{"@id", "@type", "nif:isString", ..., "emotions":
      [{"@type": "EmotionSet", "prov:wasGeneratedBy", "onyx:hasEmotion": [...]}],
      "substrings": [sentences and spans, each with its "emotions"]}]}`` — ``entries`` is
      ``prov:used`` and ``emotions`` ``onyx:hasEmotionSet`` as in Senpy's context,
      ``substrings`` the reverse of ``nif:referenceContext``, ``activities`` the results'
      ``prov:wasGeneratedBy``. Both shapes are the same triples, plus in ``senpy`` those of
      the (blank) results node.
    """

    _format = "jsonld"

    def __init__(self, out: TextIO, *, jsonld_shape: str = "flat", **options) -> None:
        if jsonld_shape not in JSONLD_SHAPES:
            raise UsageError(f"unknown JSON-LD shape {jsonld_shape!r}; expected flat or senpy")
        super().__init__(out, **options)
        self.shape = jsonld_shape

    def begin(self) -> None:
        self._first = True
        if self.shape == "flat":
            self.out.write('{"@context": ' + json.dumps(dict(PREFIXES)) + ',\n "@graph": [')
            for subject, props in self.activity_nodes():
                self._emit(json.dumps(self._node(subject, props)[0], ensure_ascii=False))
            return
        context = dict(PREFIXES, senpy=SENPY, Results="senpy:Results",
                       EmotionSet="onyx:EmotionSet", Emotion="onyx:Emotion",
                       entries={"@id": "prov:used", "@container": "@set"},
                       activities={"@id": "prov:wasGeneratedBy", "@container": "@set"},
                       emotions={"@id": "onyx:hasEmotionSet", "@container": "@set"},
                       substrings={"@reverse": "nif:referenceContext", "@container": "@set"})
        context["onyx:hasEmotion"] = {"@container": "@set"}
        activity, agent = [self._node(s, p)[0] for s, p in self.activity_nodes()]
        activity["prov:wasAssociatedWith"] = agent
        self.out.write('{"@context": ' + json.dumps(context) + ',\n "@type": "Results",\n'
                       ' "activities": [' + json.dumps(activity, ensure_ascii=False)
                       + '],\n "entries": [')

    def _short(self, iri: str) -> str:
        if self.shape == "senpy" and iri in (ONYX + "EmotionSet", ONYX + "Emotion"):
            return iri[len(ONYX):]
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

    def _node(self, subject, props):
        """The JSON object of one node and its big text ``(key, LongText)`` or None."""
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
        return node, big_text

    def _emit(self, text: str) -> None:
        self.out.write("\n  " if self._first else ",\n  ")
        self._first = False
        self.out.write(text)

    def _emit_node(self, node: dict, big_text) -> None:
        text = json.dumps(node, ensure_ascii=False)
        if big_text is None:
            self._emit(text)
            return
        self._emit(text[:-1] + ", " + json.dumps(big_text[0]) + ': "')
        for chunk in big_text[1].chunks():
            self.out.write(json.dumps(_clean(chunk), ensure_ascii=False)[1:-1])
        self.out.write('"}')

    def write(self, doc, ann) -> None:
        self.count += 1
        if self.shape == "flat":
            for subject, props in self.nodes(doc, ann):
                self._emit_node(*self._node(subject, props))
            return
        built = [self._node(s, p) for s, p in self.nodes(doc, ann)]
        (entry, big_text), rest = built[0], built[1:]
        nodes: dict = {}
        for node, _ in rest:  # a subject may come twice (two spans at the same offsets)
            have = nodes.setdefault(node["@id"], {"@id": node["@id"]})
            for key, value in node.items():
                if key == "@id":
                    continue
                values = value if isinstance(value, list) else [value]
                old = have.get(key)
                merged = ([] if old is None else old if isinstance(old, list) else [old])
                merged += [v for v in values if v not in merged]
                have[key] = merged[0] if len(merged) == 1 and key != "@type" else merged

        def embed(node: dict) -> dict:
            for key, target in (("onyx:hasEmotionSet", "emotions"),
                                ("onyx:hasEmotion", "onyx:hasEmotion")):
                if key in node:
                    values = node.pop(key)
                    node[target] = [embed(nodes.pop(v["@id"])) if v["@id"] in nodes else v
                                    for v in (values if isinstance(values, list) else [values])]
            return node

        embed(entry)
        parts = [embed(nodes.pop(node["@id"])) for node, _ in rest if node["@id"] in nodes
                 and nodes[node["@id"]].get("nif:referenceContext") == {"@id": entry["@id"]}]
        for part in parts:
            del part["nif:referenceContext"]
        if parts:
            entry["substrings"] = parts
        assert not nodes, sorted(nodes)  # every node is nested somewhere
        self._emit_node(entry, big_text)

    def end(self) -> None:
        self.out.write("\n ]}\n")


class _FacsWriter(Writer):
    """The expression track of timed documents (:mod:`tone.expression`): one frame per cue,
    its action units smoothed across cues with time constant ``tau`` seconds. ``level`` is
    ``doc``; the emotions are the ``emfacs`` scheme's (``scheme`` may name it, or nothing). An
    unreadable document gets its ``error`` and leaves the face as it was; a document without
    start/end times is a :class:`~tone.errors.UsageError` naming it."""

    def __init__(self, out: TextIO, *, tau: float = TAU, **options) -> None:
        super().__init__(out, **options)
        if self.level != "doc":
            raise UsageError(f"the facs formats write one frame per cue: --level doc, not "
                             f"{self.level}")
        if self.scheme not in (None, FACS_SCHEME):
            raise UsageError(f"the facs formats score in the {FACS_SCHEME} scheme (the emotions "
                             f"with facial prototypes), not {self.scheme!r}")
        self.track = ExpressionTrack(tau)

    def frame(self, doc, ann):
        """The frame of a readable document (None for an unreadable one)."""
        if ann is None:
            return None
        if doc.start is None or doc.end is None:
            where = f" ({doc.source}:{doc.line})" if doc.line is not None else ""
            raise UsageError(f"document {doc.id!r}{where} has no start/end times; the facs "
                             "formats need timed input: subtitles (.srt, .vtt) or JSONL "
                             "records with start and end")
        return self.track.frame(ann, doc.start, doc.end, id=doc.id)


class FacsJsonWriter(_FacsWriter):
    """One JSON document: ``{"scheme", "tau", "action_units": {"AU01": name, ...}, "cues":
    [frame, ...]}``, each frame ``{"id", "start", "end", "text"?, "emotions", "top", "aus",
    "facs", "blendshapes"}`` (all 52 ARKit coefficients); an unreadable cue is ``{"id",
    "start", "end", "error"}``. Written cue by cue."""

    def begin(self) -> None:
        from ..expression.tables import action_unit_names

        names = {f"AU{au:02d}": name for au, name in action_unit_names().items()}
        self.out.write('{"scheme": ' + _dumps(FACS_SCHEME) + ', "tau": ' + _dumps(self.track.tau)
                       + ', "action_units": ' + _dumps(names) + ', "cues": [')
        self._first = True

    def write(self, doc, ann) -> None:
        self.count += 1
        frame = self.frame(doc, ann)
        record = ({"id": doc.id, "start": doc.start, "end": doc.end, "error": doc.error}
                  if frame is None else _clean_obj(frame.to_dict(text=self.text)))
        self.out.write(("\n  " if self._first else ",\n  ") + _dumps(record))
        self._first = False

    def end(self) -> None:
        self.out.write("\n]}\n")


class FacsCsvWriter(_FacsWriter):
    """Comma-separated values with a header, one row per cue: ``id, start, end`` (seconds, to
    the millisecond), ``text`` (unless ``text=False``), the ``emfacs`` emotions, ``top``
    (``;``-separated), ``facs`` (the FACS code), ``AU01`` ... (each AU's value), ARKit's 52
    blendshapes in Apple's order, and ``error``."""

    def begin(self) -> None:
        from ..expression.facs import action_units
        from ..expression.tables import ARKIT_BLENDSHAPES
        from ..scoring.schemes import get_scheme

        self._csv = csv.writer(self.out, lineterminator="\n")
        self._emotions = list(get_scheme(FACS_SCHEME).labels)
        self._aus = [f"AU{au:02d}" for au in action_units()]
        self._shapes = list(ARKIT_BLENDSHAPES)
        self._csv.writerow(["id", "start", "end", *(["text"] if self.text else []),
                            *self._emotions, "top", "facs", *self._aus, *self._shapes, "error"])

    def write(self, doc, ann) -> None:
        self.count += 1
        frame = self.frame(doc, ann)
        times = ["" if t is None else f"{t:.3f}" for t in (doc.start, doc.end)]
        doc_id = "" if doc.id is None else _clean(str(doc.id))
        text = [_clean(frame.text or "") if frame else ""] if self.text else []
        if frame is None:
            n = len(self._emotions) + 2 + len(self._aus) + len(self._shapes)
            self._csv.writerow([doc_id, *times, *text, *([""] * n), _clean(doc.error)])
            return
        self._csv.writerow([doc_id, *times, *text,
                            *(_fmt(frame.emotions[e]) for e in self._emotions),
                            ";".join(frame.top), frame.facs,
                            *(_fmt(frame.aus[a]) for a in self._aus),
                            *(_fmt(frame.blendshapes[b]) for b in self._shapes), ""])


class HintsWriter(Writer):
    """One JSON object per line: the document's emotion hint (:mod:`tone.prompting.hints`),
    ``{"id", "hint", "primary", "finer", "words", "causes"}`` -- ``hint`` is the block to give
    a language model, the rest is where it comes from; ``{"id", "error"}`` for unreadable input.
    One record per document whatever ``level``; the hint quotes the text's words and causes
    even without ``text`` (they are what it is made of).

    >>> import io
    >>> from tone.io.readers import Document
    >>> from tone.annotator import Annotator
    >>> out = io.StringIO()
    >>> w = make_writer("hints", out)
    >>> w.write(Document("a", "What a lovely day!"), Annotator().annotate("What a lovely day!"))
    >>> print(out.getvalue(), end="")  # doctest: +ELLIPSIS
    {"id": "a", "hint": "Likely primary emotions: joy (0.57). Finer: delight, ...", "primary": ...}
    """

    def write(self, doc, ann) -> None:
        self.count += 1
        if ann is None:
            self.out.write(_dumps(_clean_obj({"id": doc.id, "error": doc.error})) + "\n")
            return
        hint = hint_dict(ann, table=self.table)
        record = {"id": doc.id if doc.id is not None else ann.id, "hint": hint.pop("text"), **hint}
        self.out.write(_dumps(_clean_obj(record)) + "\n")


_WRITERS = {"jsonl": JsonlWriter, "tsv": TsvWriter, "emotionml": EmotionMLWriter,
            "jsonld": JsonldWriter, "turtle": TurtleWriter, "facs-json": FacsJsonWriter,
            "facs-csv": FacsCsvWriter, "hints": HintsWriter}
RECORD_LOCAL = frozenset(fmt for fmt, cls in _WRITERS.items() if cls.record_local)


def make_writer(fmt: str, out: TextIO, **options) -> Writer:
    """The writer for ``fmt`` (one of ``FORMATS``) over the text stream ``out``."""
    try:
        return _WRITERS[fmt](out, **options)
    except KeyError:
        raise UsageError(f"unknown output format {fmt!r}; expected one of {FORMATS}") from None
