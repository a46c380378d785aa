"""Annotation records as RDF: NIF 2.0 contexts and spans carrying Onyx emotion sets.

One annotation record (README.md, "The annotation record") becomes the triples below, every node an IRI built from a
stable ``base`` and the record's ``id`` (no blank nodes, so re-adding a record is idempotent)::

    <{base}{id}#char=0,{n}> a nif:Context, nif:RFC5147String ;
        nif:isString "text" ; nif:beginIndex 0 ; nif:endIndex n ;
        dcterms:identifier "id" ; tone:recordHash "sha1…" ;
        meta:<column> value ;                                 # --meta-column values, typed
        onyx:hasEmotionSet <{base}{id}#emotion-set> .
    <{base}{id}#emotion-set> a onyx:EmotionSet ; prov:wasGeneratedBy <activity> ;
        onyx:hasEmotionIntensity 0.8 ;                        # the record's intensity
        tone:dominantEmotion tone:Joy ;                       # the record's "top"
        onyx:hasEmotion <{base}{id}#emotion-Cheerfulness> , … , <{base}{id}#emotion-set-vad> .
    <{base}{id}#emotion-Cheerfulness> a onyx:Emotion ;       # one per non-zero score, every tier
        onyx:hasEmotionCategory tone:Cheerfulness ; onyx:hasEmotionIntensity 0.8 .
    <{base}{id}#emotion-ekman-joy> a onyx:Emotion ;          # with scheme_iris: one per
        onyx:hasEmotionCategory <https://w3id.org/tone/scheme/ekman#joy> ;   # non-zero category
        onyx:hasEmotionIntensity 0.8 .                        # of the record's "scheme"
    <{base}{id}#emotion-set-vad> a onyx:Emotion ;            # the record's VAD as W3C PAD,
        emoml:pad-dimensions_pleasure 0.7 ;                   # all on [0, 1]: pleasure =
        emoml:pad-dimensions_arousal 0.6 ;                    # (valence + 1) / 2, arousal and
        emoml:pad-dimensions_dominance 0.5 .                  # dominance as they are
    <{base}{id}#char=5,18> a nif:String, nif:Phrase, nif:RFC5147String ;   # one per span
        nif:referenceContext <{base}{id}#char=0,{n}> ;
        nif:beginIndex 5 ; nif:endIndex 18 ; nif:anchorOf "over the moon" ;
        onyx:hasEmotionSet <{base}{id}#emotion-set-5-18> .
    <{base}{id}#emotion-set-5-18> a onyx:EmotionSet ; prov:wasGeneratedBy <activity> ;
        onyx:hasEmotion <{base}{id}#emotion-5-18-Elation> .  # no VAD: never the document's
    <{base}{id}#emotion-5-18-Elation> a onyx:Emotion ;
        onyx:hasEmotionCategory tone:Elation ;
        onyx:hasEmotionIntensity 0.59 ;                       # 1 - exp(-score), as tone.io does
        tone:score 0.9 ; tone:rule "intensifier" .
    <{base}{id}#sentence=0> a nif:String, nif:Sentence ;    # one per sentence, when the record
        nif:referenceContext <{base}{id}#char=0,{n}> ;       # has "sentences" (--level sentence)
        nif:beginIndex 0 ; nif:endIndex 19 ; nif:anchorOf "I am over the moon!" ;
        onyx:hasEmotionSet <{base}{id}#sentence-0-emotion-set> .   # shaped as the document's

This is the one RDF shape of annotations: :mod:`tone.io.writers` (``tone annotate --format
turtle|jsonld``) serializes these same triples (it passes ``tiers=(--tier,)`` and no record
hash, and ``activity=`` the IRI of its run's ``prov:Activity``, :func:`activity_triples`, which
it writes once), and the knowledge-graph store (:mod:`tone.kg.store`) loads them (its emotion
sets name the activity ``urn:tone:annotate``, :data:`DEFAULT_ACTIVITY`). Every IRI derives from
the record's ``id`` — stable when documents are appended or re-annotated, which the store needs
to stay idempotent — and spans are named by their offsets (RFC 5147). Emotion nodes are named
by the concept's local name (labels repeat across tiers, IRIs do not). VAD is given as the
W3C EmotionML PAD dimensions on [0, 1] (:func:`pad_dimensions`, :data:`PAD_MAPPING`:
pleasure = (valence + 1) / 2; the EmotionML writer uses the same values); span emotion sets
carry no VAD; span intensities are ``1 - exp(-score)``, the raw score is ``tone:score``. A
record that could not be read (``{"id", "error"}``) is a context with the error as
``rdfs:comment`` and no emotion set. The ``tone:`` properties (``dominantEmotion``,
``recordHash``, ``score``, ``rule``) are declared in the ontology (``ontology/tone.ttl``).

Concept IRIs are the ontology's (``https://w3id.org/tone#…``), so a query joins annotations to
the tier tree with ``rdfs:subClassOf*``. Offsets count Unicode code points (Python ``str``
indices), as NIF 2.0 does. A record without ``text`` gets ``<{base}{id}#context>`` and no
``nif:isString``.

Terms are plain Python values (:class:`IRI`, :class:`Lit`), turned into N-Triples, pyoxigraph or
rdflib terms by the store; no RDF library is needed to build them.

>>> record = {"id": "d1", "text": "I am over the moon!", "top": ["joy"],
...           "emotions": {"primary": {"joy": 0.9, "anger": 0.0}, "secondary": {}, "tertiary": {}},
...           "vad": {"valence": 0.8, "arousal": 0.6, "dominance": 0.6}, "intensity": 0.9,
...           "spans": []}
>>> concepts = {("joy", 1): "https://w3id.org/tone#Joy"}
>>> triples = record_triples(record, "urn:tone:doc:", concepts.__getitem__)
>>> print(to_ntriples(triples[0]))
<urn:tone:doc:d1#char=0,19> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Context> .
>>> sorted({str(o) for s, p, o in triples if p == ONYX + "hasEmotionCategory"})
['https://w3id.org/tone#Joy']
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date, datetime
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from ..ontology import TONE_IRI  # not .namespace: no rdflib here

__all__ = ["IRI", "Lit", "NIF", "ONYX", "EMOML", "PROV", "META", "OWL", "DEFAULT_BASE",
           "DEFAULT_ACTIVITY", "KG_PREFIXES", "PAD_MODEL", "PAD_MAPPING", "doc_iri",
           "context_iri", "iter_record_triples", "record_triples", "record_hash", "to_ntriples",
           "typed_literal", "pad_dimensions", "activity_triples"]

NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ONYX = "http://www.gsi.dit.upm.es/ontologies/onyx/ns#"
EMOML = "http://www.gsi.dit.upm.es/ontologies/onyx/vocabularies/emotionml/ns#"
PROV = "http://www.w3.org/ns/prov#"
META = "https://w3id.org/tone/meta#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
DEFAULT_BASE = "urn:tone:doc:"
DEFAULT_ACTIVITY = "urn:tone:annotate"
KG_PREFIXES = {"nif": NIF, "onyx": ONYX, "emoml": EMOML, "prov": PROV, "meta": META}


class IRI(str):
    """An IRI (a ``str``)."""

    __slots__ = ()


class Lit(tuple):
    """A literal: ``Lit(value, datatype)`` or ``Lit(value, lang=...)``; value is the lexical form."""

    __slots__ = ()

    def __new__(cls, value: str, datatype: str = XSD + "string", lang: str | None = None):
        return super().__new__(cls, (value, None if lang else datatype, lang))

    value = property(lambda self: self[0])
    datatype = property(lambda self: self[1])
    lang = property(lambda self: self[2])

    def __str__(self) -> str:
        return self[0]


def _number(value: float) -> Lit:
    value = float(value)
    if not math.isfinite(value):
        return Lit(repr(value).upper().replace("NAN", "NaN"), XSD + "double")
    return Lit(repr(round(value, 6)), XSD + "double")


def _integer(value: int) -> Lit:
    return Lit(str(int(value)), XSD + "integer")


_INT = re.compile(r"[+-]?\d{1,18}\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?\Z")


def typed_literal(value) -> Lit:
    """A metadata value as a typed literal: booleans, integers, decimals as ``xsd:double``,
    ISO dates and date-times, else a string.

    >>> [typed_literal(v).datatype.split("#")[1] for v in (3, "3", "0.5", "2019-01-02", "x")]
    ['integer', 'integer', 'double', 'date', 'string']
    >>> typed_literal("2019-01-02T10:00:00").datatype.split("#")[1]
    'dateTime'
    """
    if isinstance(value, bool):
        return Lit("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, datetime):
        return Lit(value.isoformat(), XSD + "dateTime")
    if isinstance(value, date):
        return Lit(value.isoformat(), XSD + "date")
    if value is None:
        return Lit("")
    if not isinstance(value, str):
        return Lit(json.dumps(value, ensure_ascii=False, sort_keys=True))
    text = value.strip()
    if _INT.match(text):
        return _integer(int(text))
    if _FLOAT.match(text):
        return _number(float(text))
    if re.match(r"\d{4}-\d{2}-\d{2}\Z", text):
        try:
            return Lit(date.fromisoformat(text).isoformat(), XSD + "date")
        except ValueError:
            pass
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
        try:
            return Lit(datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(),
                       XSD + "dateTime")
        except ValueError:
            pass
    return Lit(value)


PAD_MODEL = EMOML + "pad-dimensions"   # Onyx's IRI of the W3C EmotionML PAD vocabulary
PAD_MAPPING = ("PAD (W3C EmotionML pad-dimensions, each on [0, 1]): pleasure = (valence + 1) "
               "/ 2 of tone's valence on [-1, 1]; arousal and dominance are tone's, already on "
               "[0, 1]")


def _meta_predicate(column: str) -> IRI:
    return IRI(META + quote(column.strip().replace(" ", "_"), safe="-._~"))


def doc_iri(base: str, doc_id) -> str:
    """The document IRI: ``base`` + the percent-encoded id.

    >>> doc_iri("http://example.org/doc/", "a b/1")
    'http://example.org/doc/a%20b%2F1'
    """
    return base + quote(str(doc_id), safe="-._~:@!$&'()*+,;=")


def context_iri(base: str, record: dict) -> str:
    """The ``nif:Context`` IRI of a record (``#char=0,n`` over its text)."""
    text = record.get("text")
    doc = doc_iri(base, record.get("id"))
    return f"{doc}#char=0,{len(text)}" if isinstance(text, str) else f"{doc}#context"


def record_hash(record: dict, meta: dict | None = None) -> str:
    """A digest of the record and its metadata: same input, same hash (idempotent rebuilds)."""
    payload = json.dumps([record, meta or {}], sort_keys=True, ensure_ascii=False,
                         default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _has_text(text) -> bool:
    """A record's text: a ``str``, or a streamed long text (``tone.io.readers.LongText``)."""
    return isinstance(text, str) or hasattr(text, "chunks")


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def pad_dimensions(vad: dict | None) -> dict[str, float]:
    """The record's VAD as W3C EmotionML ``pad-dimensions`` values on [0, 1], the one mapping
    every output format uses (:data:`PAD_MAPPING`): pleasure = (valence + 1) / 2 (valence is on
    [-1, 1]), arousal and dominance as they are (already on [0, 1]); each clamped to [0, 1].
    Missing and NaN values are left out.

    >>> pad_dimensions({"valence": -0.5, "arousal": 0.6, "dominance": float("nan")})
    {'pleasure': 0.25, 'arousal': 0.6}
    """
    out = {}
    for name, dim in (("valence", "pleasure"), ("arousal", "arousal"),
                      ("dominance", "dominance")):
        value = (vad or {}).get(name)
        if value is None or _is_nan(value):
            continue
        value = (float(value) + 1.0) / 2.0 if name == "valence" else float(value)
        out[dim] = min(1.0, max(0.0, value))
    return out


def activity_triples(activity: str, models: Iterable[str], version: str,
                     settings: dict | None = None) -> list[tuple]:
    """The ``prov:Activity`` of one annotation run (every emotion set it wrote is
    ``prov:wasGeneratedBy`` it), as Senpy describes an analysis: an ``onyx:EmotionAnalysis``
    that ``onyx:usesEmotionModel`` each of ``models`` (the category model — tone's ontology or
    a mapped scheme — and :data:`PAD_MODEL`), ``prov:wasAssociatedWith`` the software agent
    ``urn:tone:software:<version>`` (``rdfs:label "tone"``, ``owl:versionInfo``), and
    ``rdfs:comment`` :data:`PAD_MAPPING` (how the PAD values were derived); ``settings``
    (tier, level, scheme) become one more ``rdfs:comment`` ("settings: tier=1, ...").

    >>> from tone.io.rdf import ONYX
    >>> sorted(str(o) for s, p, o in activity_triples("urn:x", [PAD_MODEL], "0.1.0")
    ...        if p == ONYX + "usesEmotionModel")
    ['http://www.gsi.dit.upm.es/ontologies/onyx/vocabularies/emotionml/ns#pad-dimensions']
    """
    a = IRI(RDF + "type")
    act, agent = IRI(activity), IRI(f"urn:tone:software:{version}")
    out = [(act, a, IRI(PROV + "Activity")), (act, a, IRI(ONYX + "EmotionAnalysis"))]
    out += [(act, IRI(ONYX + "usesEmotionModel"), IRI(m)) for m in models]
    out += [(act, IRI(PROV + "wasAssociatedWith"), agent),
            (act, IRI(RDFS + "comment"), Lit(PAD_MAPPING))]
    if settings:
        out.append((act, IRI(RDFS + "comment"), Lit("settings: " + ", ".join(
            f"{k}={v}" for k, v in settings.items()))))
    out += [(agent, a, IRI(PROV + "SoftwareAgent")), (agent, IRI(RDFS + "label"), Lit("tone")),
            (agent, IRI(OWL + "versionInfo"), Lit(str(version)))]
    return out


def _emotion_set(doc: str, prefix: str, record: dict, concept_iri, tiers,
                 activity: str = DEFAULT_ACTIVITY,
                 scheme_iris: dict | None = None) -> Iterator[tuple]:
    """The emotion set ``{doc}#{prefix}emotion-set`` of a document (``prefix`` empty) or a
    sentence (``prefix`` ``sentence-k-``): the set, its VAD node, one node per emotion (and
    per non-zero category of the record's ``scheme`` when ``scheme_iris`` names them)."""
    a = IRI(RDF + "type")
    emotion_set = IRI(f"{doc}#{prefix}emotion-set")
    vad = pad_dimensions(record.get("vad"))
    vad_node = IRI(f"{doc}#{prefix}emotion-set-vad") if vad else None
    emotions = []
    groups = record.get("emotions") or {}
    for tier, name in ((1, "primary"), (2, "secondary"), (3, "tertiary")):
        if tier not in tiers:
            continue
        for label, score in (groups.get(name) or {}).items():
            if not score or score <= 0:
                continue
            category = concept_iri((label, tier))
            emotions.append((IRI(f"{doc}#{prefix}emotion-{_local(category)}"), category, score))
    scheme = record.get("scheme") if scheme_iris else None
    if isinstance(scheme, dict):
        name = quote(str(scheme.get("name", "")), safe="-._~")
        for label, score in (scheme.get("scores") or {}).items():
            if score and score > 0 and label in scheme_iris:
                emotions.append((IRI(f"{doc}#{prefix}emotion-{name}-"
                                     f"{quote(str(label), safe='-._~')}"),
                                 scheme_iris[label], score))
    head = [(emotion_set, a, IRI(ONYX + "EmotionSet")),
            (emotion_set, IRI(PROV + "wasGeneratedBy"), IRI(activity))]
    if record.get("intensity") is not None:
        head.append((emotion_set, IRI(ONYX + "hasEmotionIntensity"),
                     _number(record["intensity"])))
    head += [(emotion_set, IRI(TONE_IRI + "dominantEmotion"), IRI(concept_iri((label, 1))))
             for label in record.get("top") or []]
    if vad_node is not None:
        head.append((emotion_set, IRI(ONYX + "hasEmotion"), vad_node))
    head += [(emotion_set, IRI(ONYX + "hasEmotion"), node) for node, _, _ in emotions]
    yield from head
    if vad_node is not None:
        yield (vad_node, a, IRI(ONYX + "Emotion"))
        for d, v in vad.items():
            yield (vad_node, IRI(EMOML + "pad-dimensions_" + d), _number(v))
    for node, category, score in emotions:
        yield (node, a, IRI(ONYX + "Emotion"))
        yield (node, IRI(ONYX + "hasEmotionCategory"), IRI(category))
        yield (node, IRI(ONYX + "hasEmotionIntensity"), _number(score))


def iter_record_triples(record: dict, base: str, concept_iri: Callable[[tuple[str, int]], str],
                        meta: dict | None = None, *, tiers: Iterable[int] = (1, 2, 3),
                        digest: str | bool | None = None, activity: str = DEFAULT_ACTIVITY,
                        scheme_iris: dict | None = None) -> Iterator[tuple]:
    """The triples of one annotation record (shape in the module docstring), streamed subject
    by subject (all triples of a node together), the context's ``rdf:type nif:Context`` first.

    ``concept_iri`` maps ``(label, tier)`` to the concept's IRI (``Ontology.concept``);
    ``meta`` maps column names to values, stored as ``meta:<column>``; ``tiers`` selects the
    tiers whose scores become ``onyx:Emotion`` nodes (spans and ``top`` are always there);
    ``digest`` is the ``tone:recordHash`` (None: :func:`record_hash` of the record and
    ``meta``; False: none); ``activity`` the IRI every emotion set is ``prov:wasGeneratedBy``
    (the writers pass their run's :func:`activity_triples` node); ``scheme_iris`` maps the
    categories of the record's ``scheme`` (``to_dict(scheme=...)``) to their IRIs, adding one
    ``onyx:Emotion`` per non-zero category to the document's and each sentence's set. A
    record's ``text`` may be a ``LongText`` and its ``spans`` any iterable: they are read
    once, as they come.
    """
    if record.get("id") is None:
        raise ValueError("an annotation record needs an 'id' to get a stable IRI")
    tiers = set(tiers)
    a = IRI(RDF + "type")
    nonneg = XSD + "nonNegativeInteger"
    doc = doc_iri(base, record["id"])
    ctx = IRI(context_iri(base, record))
    text = record.get("text")
    yield (ctx, a, IRI(NIF + "Context"))
    yield (ctx, a, IRI(NIF + "RFC5147String"))
    if _has_text(text):
        yield (ctx, IRI(NIF + "isString"), Lit(text))
        yield (ctx, IRI(NIF + "beginIndex"), Lit("0", nonneg))
        yield (ctx, IRI(NIF + "endIndex"), Lit(str(len(text)), nonneg))
    yield (ctx, IRI(DCTERMS + "identifier"), Lit(str(record["id"])))
    if digest is None:
        digest = record_hash(record, meta)
    if digest:
        yield (ctx, IRI(TONE_IRI + "recordHash"), Lit(digest))
    for column, value in (meta or {}).items():
        if value is None or value == "":
            continue
        yield (ctx, _meta_predicate(column), typed_literal(value))
    if record.get("error") is not None and "emotions" not in record:
        yield (ctx, IRI(RDFS + "comment"), Lit(f"error: {record['error']}"))
        return
    yield (ctx, IRI(ONYX + "hasEmotionSet"), IRI(f"{doc}#emotion-set"))
    yield from _emotion_set(doc, "", record, concept_iri, tiers, activity, scheme_iris)

    for k, sentence in enumerate(record.get("sentences") or ()):
        start = int(sentence.get("start", 0))
        s_text = sentence.get("text")  # absent without text (--no-text): offsets only
        end = int(sentence["end"]) if "end" in sentence else start + len(str(s_text or ""))
        node = IRI(f"{doc}#sentence={k}")
        yield from [(node, a, IRI(NIF + "String")), (node, a, IRI(NIF + "Sentence")),
                    (node, IRI(NIF + "referenceContext"), ctx),
                    (node, IRI(NIF + "beginIndex"), Lit(str(start), nonneg)),
                    (node, IRI(NIF + "endIndex"), Lit(str(end), nonneg)),
                    *([(node, IRI(NIF + "anchorOf"), Lit(str(s_text)))]
                      if s_text is not None else []),
                    (node, IRI(ONYX + "hasEmotionSet"), IRI(f"{doc}#sentence-{k}-emotion-set"))]
        yield from _emotion_set(doc, f"sentence-{k}-", sentence, concept_iri, tiers, activity,
                                scheme_iris)

    for span in record.get("spans") or ():
        start, end = int(span["start"]), int(span["end"])
        node = IRI(f"{doc}#char={start},{end}")
        span_set = IRI(f"{doc}#emotion-set-{start}-{end}")
        category = concept_iri((span["concept"], int(span["tier"])))
        emotion = IRI(f"{doc}#emotion-{start}-{end}-{_local(category)}")
        score = float(span.get("score", 0.0))
        yield from [(node, a, IRI(NIF + "String")), (node, a, IRI(NIF + "Phrase")),
                    (node, a, IRI(NIF + "RFC5147String")),
                    (node, IRI(NIF + "referenceContext"), ctx),
                    (node, IRI(NIF + "beginIndex"), Lit(str(start), nonneg)),
                    (node, IRI(NIF + "endIndex"), Lit(str(end), nonneg)),
                    *([(node, IRI(NIF + "anchorOf"), Lit(str(span["text"])))]
                      if "text" in span else []),  # absent without text (--no-text)
                    (node, IRI(ONYX + "hasEmotionSet"), span_set),
                    (span_set, a, IRI(ONYX + "EmotionSet")),
                    (span_set, IRI(PROV + "wasGeneratedBy"), IRI(activity)),
                    (span_set, IRI(ONYX + "hasEmotion"), emotion),
                    (emotion, a, IRI(ONYX + "Emotion")),
                    (emotion, IRI(ONYX + "hasEmotionCategory"), IRI(category)),
                    (emotion, IRI(ONYX + "hasEmotionIntensity"), _number(1 - math.exp(-score))),
                    (emotion, IRI(TONE_IRI + "score"), _number(score))]
        yield from [(emotion, IRI(TONE_IRI + "rule"), Lit(str(rule)))
                    for rule in span.get("rules") or []]


def record_triples(record: dict, base: str, concept_iri: Callable[[tuple[str, int]], str],
                   meta: dict | None = None, **options) -> list[tuple]:
    """:func:`iter_record_triples` as a list (the options are the same)."""
    return list(iter_record_triples(record, base, concept_iri, meta, **options))


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def _nt_term(term) -> str:
    if isinstance(term, IRI):
        return f"<{term}>"
    value, datatype, lang = term
    if lang:
        return f'"{_escape(value)}"@{lang}'
    if datatype == XSD + "string":
        return f'"{_escape(value)}"'
    return f'"{_escape(value)}"^^<{datatype}>'


def to_ntriples(triple, graph: str | None = None) -> str:
    """One triple as an N-Triples line (an N-Quads line with ``graph``)."""
    s, p, o = triple
    tail = f" <{graph}>" if graph else ""
    return f"<{s}> <{p}> {_nt_term(o)}{tail} ."
