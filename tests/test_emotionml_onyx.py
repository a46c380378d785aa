"""EmotionML and Onyx interoperability: W3C pad-dimensions with a stated valence mapping shared
with the RDF, --scheme in emotionml/jsonld/turtle (W3C big6 for ekman), one prov:Activity per
run, Senpy's nested JSON-LD shape, span-level VAD of the span's own concept."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from tone.io import annotate_documents, make_writer
from tone.io.readers import Document

NS = "{http://www.w3.org/2009/10/emotionml}"
TONE = "{https://w3id.org/tone#}"
PAD = "http://www.w3.org/TR/emotion-voc/xml#pad-dimensions"
BIG6 = "http://www.w3.org/TR/emotion-voc/xml#big6"
ONYX = "http://www.gsi.dit.upm.es/ontologies/onyx/ns#"
EMOML = "http://www.gsi.dit.upm.es/ontologies/onyx/vocabularies/emotionml/ns#"
PROV = "http://www.w3.org/ns/prov#"
DOCS = [Document(1, "I am over the moon. But then I was so sad."), Document(2, "Fury!"),
        Document(3, "The meeting is at noon."), Document(4, "", error="bad <bytes>")]
_ANN: list = []


def annotator():
    if not _ANN:
        from tone.annotator import Annotator

        _ANN.append(Annotator())
    return _ANN[0]


def write(fmt: str, docs=DOCS, **options) -> str:
    out = io.StringIO()
    writer = make_writer(fmt, out, **options)
    writer.begin()
    for doc, ann in annotate_documents(docs, annotator(), level=options.get("level", "doc")):
        writer.write(doc, ann)
    writer.end()
    return out.getvalue()


def valid_emotionml(shared, text: str):
    xmlschema = pytest.importorskip("xmlschema")
    path = shared / "emotionml" / "emotionml.xsd"
    if not path.is_file():
        pytest.skip("the EmotionML schema is absent")
    xmlschema.XMLSchema(str(path)).validate(text)
    return ET.fromstring(text)


def graph(fmt: str, data: str):
    import rdflib

    return rdflib.Graph().parse(data=data, format="json-ld" if fmt == "jsonld" else "turtle")


def dims(emotion) -> dict[str, float]:
    return {d.get("name"): float(d.get("value")) for d in emotion.findall(f"{NS}dimension")}


def emotions(root) -> dict[str, ET.Element]:
    return {e.get("id"): e for e in root.findall(f"{NS}emotion")}


# -- pad-dimensions and the stated mapping ------------------------------------------------------
@pytest.mark.shared
def test_emotionml_uses_w3c_pad_dimensions_with_the_rdf_values(shared):
    from rdflib import URIRef

    root = valid_emotionml(shared, write("emotionml"))
    # the mapping is stated in the output
    mapping = root.find(f"{NS}info/{TONE}mapping")
    assert mapping is not None and mapping.get("pleasure") == "(valence + 1) / 2"
    assert mapping.get("dimension-set") == PAD
    assert not root.findall(f"{NS}vocabulary[@type='dimension']")  # no tone-vad any more
    anns = {d.id: a for d, a in annotate_documents(DOCS[:3], annotator())}
    g = graph("turtle", write("turtle"))
    for n in (1, 2, 3):
        emotion = emotions(root)[f"d{n}"]
        assert emotion.get("dimension-set") == PAD
        values = dims(emotion)
        assert list(values) == ["pleasure", "arousal", "dominance"]
        vad = anns[n].vad
        assert values["pleasure"] == pytest.approx((vad["valence"] + 1) / 2, abs=1e-4)
        assert values["arousal"] == pytest.approx(vad["arousal"], abs=1e-4)
        # the RDF carries the same PAD values
        node = URIRef(f"urn:tone:doc:{n}#emotion-set-vad")
        rdf = {d: float(g.value(node, URIRef(EMOML + "pad-dimensions_" + d)))
               for d in ("pleasure", "arousal", "dominance")}
        assert rdf == pytest.approx(values, abs=1e-4)
    # an unreadable document: neutral midpoints with confidence 0
    bad = emotions(root)["d4"]
    assert dims(bad) == {"pleasure": 0.5, "arousal": 0.5, "dominance": 0.5}
    assert {d.get("confidence") for d in bad.findall(f"{NS}dimension")} == {"0"}


def test_rdf_pad_is_on_the_unit_interval():
    from rdflib import URIRef

    g = graph("jsonld", write("jsonld", [Document("sad", "So sad and miserable.")]))
    pleasure = float(g.value(URIRef("urn:tone:doc:sad#emotion-set-vad"),
                             URIRef(EMOML + "pad-dimensions_pleasure")))
    assert 0 <= pleasure < 0.5  # negative valence -> pleasure below the midpoint


@pytest.mark.shared
def test_neutral_text_has_neutral_pleasure(shared):
    root = valid_emotionml(shared, write("emotionml", [Document(1, "The meeting is at noon.")]))
    assert dims(emotions(root)["d1"])["pleasure"] == 0.5


def test_neutral_text_has_neutral_arousal_and_dominance():
    ann = annotator().annotate("The meeting is at noon.")
    assert ann.vad == {"valence": 0.0, "arousal": 0.5, "dominance": 0.5}
    only_valence_words = annotator().annotate("Chaos for the city.").vad
    assert only_valence_words["valence"] < 0 and only_valence_words["arousal"] == 0.5


# -- span-level VAD -----------------------------------------------------------------------------
@pytest.mark.shared
def test_span_emotions_carry_their_concepts_vad_not_the_documents(shared):
    from tone.io.rdf import pad_dimensions
    from tone.scoring.vad import concept_vad

    root = valid_emotionml(shared, write("emotionml", level="span"))
    table = annotator().ontology.table()
    ann = annotator().annotate(DOCS[0].text)
    spans = [e for i, e in emotions(root).items() if i.startswith("d1t")]
    assert len(spans) == len(ann.spans) >= 2
    doc_dims = dims(emotions(root)["d1"])
    for emotion, span in zip(spans, ann.spans):
        row = concept_vad(table)[table.index(span.concept, span.tier)]
        expected = pad_dimensions(dict(zip(("valence", "arousal", "dominance"), row)))
        assert dims(emotion) == pytest.approx(expected, abs=1e-4)
        assert dims(emotion) != doc_dims
    # the RDF's span emotion sets carry no VAD
    g = graph("turtle", write("turtle", DOCS[:1]))
    from rdflib import URIRef

    for span in ann.spans:
        span_set = URIRef(f"urn:tone:doc:1#emotion-set-{span.start}-{span.end}")
        for emotion in g.objects(span_set, URIRef(ONYX + "hasEmotion")):
            assert g.value(emotion, URIRef(EMOML + "pad-dimensions_pleasure")) is None


# -- --scheme -----------------------------------------------------------------------------------
@pytest.mark.shared
@pytest.mark.parametrize("scheme", ["ekman", "emotionml-big6"])
def test_emotionml_scheme_ekman_uses_w3c_big6(shared, scheme):
    root = valid_emotionml(shared, write("emotionml", scheme=scheme, level="sentence"))
    ann = annotator().annotate(DOCS[0].text)
    scores = ann.in_scheme(scheme).scores
    for eid, emotion in emotions(root).items():
        if eid == "d4":
            continue
        assert emotion.get("category-set") == BIG6
        names = [c.get("name") for c in emotion.findall(f"{NS}category")]
        assert sorted(names) == ["anger", "disgust", "fear", "happiness", "sadness",
                                 "surprise"]
    d1 = {c.get("name"): float(c.get("value"))
          for c in emotions(root)["d1"].findall(f"{NS}category")}
    happiness = scores.get("joy", scores.get("happiness"))
    assert d1["happiness"] == pytest.approx(happiness, abs=1e-4) and d1["happiness"] > 0
    assert root.find(f"{NS}info/{TONE}scheme").get("category-set") == BIG6


@pytest.mark.shared
def test_emotionml_other_scheme_uses_tone_scheme_namespace(shared):
    root = valid_emotionml(shared, write("emotionml", scheme="goemotions"))
    d1 = emotions(root)["d1"]
    assert d1.get("category-set") == "https://w3id.org/tone/scheme/goemotions#"
    names = {c.get("name") for c in d1.findall(f"{NS}category")}
    assert len(names) == 28 and "neutral" in names


@pytest.mark.parametrize("fmt", ["jsonld", "turtle"])
def test_rdf_scheme_categories_are_onyx_emotions(fmt):
    from rdflib import URIRef

    g = graph(fmt, write(fmt, DOCS[:2], scheme="plutchik", level="sentence"))
    ann = annotator().annotate(DOCS[0].text)
    scores = ann.in_scheme("plutchik").scores
    cats = {}
    for emotion in g.objects(URIRef("urn:tone:doc:1#emotion-set"), URIRef(ONYX + "hasEmotion")):
        cat = g.value(emotion, URIRef(ONYX + "hasEmotionCategory"))
        if cat is not None and str(cat).startswith("https://w3id.org/tone/scheme/plutchik#"):
            cats[str(cat).rsplit("#", 1)[1]] = float(
                g.value(emotion, URIRef(ONYX + "hasEmotionIntensity")))
    assert cats == pytest.approx({k: v for k, v in scores.items() if v > 0}, abs=1e-4)
    assert "joy" in cats
    # sentences too
    sentence_cats = set(g.objects(None, URIRef(ONYX + "hasEmotionCategory")))
    assert URIRef("https://w3id.org/tone/scheme/plutchik#sadness") in sentence_cats


def test_cli_accepts_scheme_for_emotionml_jsonld_turtle():
    from tone.cli import cli

    for fmt in ("emotionml", "jsonld", "turtle"):
        result = CliRunner().invoke(cli, ["annotate", "--quiet", "-f", fmt, "--scheme", "ekman"],
                                    input="What a joy!\n")
        assert result.exit_code == 0, result.output
    assert "big6" in CliRunner().invoke(cli, ["annotate", "-q", "-f", "emotionml", "--scheme",
                                              "ekman"], input="joy\n").output
    shaped = CliRunner().invoke(cli, ["annotate", "-q", "-f", "jsonld", "--jsonld-shape",
                                      "senpy"], input="What a joy!\n")
    assert shaped.exit_code == 0 and json.loads(shaped.output)["@type"] == "Results"
    assert CliRunner().invoke(cli, ["annotate", "-q", "-f", "turtle", "--jsonld-shape",
                                    "senpy"], input="x\n").exit_code == 2


# -- prov:Activity ------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["jsonld", "turtle"])
def test_one_activity_per_run_generates_every_emotion_set(fmt):
    from rdflib import RDF, Literal, URIRef

    from tone import __version__

    g = graph(fmt, write(fmt, DOCS, scheme="ekman", level="sentence"))
    activities = set(g.subjects(RDF.type, URIRef(PROV + "Activity")))
    assert len(activities) == 1
    activity = activities.pop()
    sets = set(g.subjects(RDF.type, URIRef(ONYX + "EmotionSet")))
    assert sets and all(g.value(s, URIRef(PROV + "wasGeneratedBy")) == activity for s in sets)
    models = {str(m) for m in g.objects(activity, URIRef(ONYX + "usesEmotionModel"))}
    assert models == {"https://w3id.org/tone", "https://w3id.org/tone/scheme/ekman",
                      EMOML + "pad-dimensions"}
    agent = g.value(activity, URIRef(PROV + "wasAssociatedWith"))
    assert (agent, RDF.type, URIRef(PROV + "SoftwareAgent")) in g
    assert g.value(agent, URIRef("http://www.w3.org/2002/07/owl#versionInfo")) == Literal(
        __version__)
    comments = " ".join(map(str, g.objects(activity, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#comment"))))
    assert "(valence + 1) / 2" in comments
    # the same run writes the same output
    assert write(fmt, DOCS, scheme="ekman", level="sentence") == write(
        fmt, DOCS, scheme="ekman", level="sentence")


# -- Senpy's nested JSON-LD shape ---------------------------------------------------------------
@pytest.mark.parametrize("level", ["doc", "sentence", "span"])
def test_senpy_shape_is_the_flat_graph(level):
    from rdflib import BNode

    docs = [*DOCS, Document(5, "joy")]  # a span covering the whole text (its context IRI)
    senpy = write("jsonld", docs, level=level, jsonld_shape="senpy", scheme="ekman")
    data = json.loads(senpy)
    assert data["@type"] == "Results" and len(data["entries"]) == len(docs)
    assert data["activities"][0]["@type"] == ["prov:Activity", "onyx:EmotionAnalysis"]
    entry = data["entries"][0]
    assert entry["nif:isString"] == DOCS[0].text
    (emotion_set,) = entry["emotions"]
    assert emotion_set["@type"] == ["EmotionSet"]
    assert emotion_set["prov:wasGeneratedBy"] == {"@id": data["activities"][0]["@id"]}
    assert all(e["@type"] == ["Emotion"] for e in emotion_set["onyx:hasEmotion"])
    if level != "doc":
        assert all(part["emotions"] for part in entry["substrings"])
    flat = graph("jsonld", write("jsonld", docs, level=level, scheme="ekman"))
    nested = graph("jsonld", senpy)
    assert len(flat) > 50
    assert {t for t in nested if not isinstance(t[0], BNode)} == set(flat)


def test_senpy_shape_of_a_long_text():
    from tone.io import LongText, annotate_long

    text = "I am so happy. " * 30 + "Such fury and sadness! " * 20
    long = annotate_long(annotator(), 1, LongText.from_chunks([text]), piece_chars=64)
    outs = []
    for shape in ("flat", "senpy"):
        out = io.StringIO()
        w = make_writer("jsonld", out, jsonld_shape=shape)
        w.begin()
        w.write(Document(1, long.text), long)
        w.end()
        outs.append(out.getvalue())
    assert json.loads(outs[1])["entries"][0]["nif:isString"] == text
    from rdflib import BNode

    assert {t for t in graph("jsonld", outs[1]) if not isinstance(t[0], BNode)} == set(
        graph("jsonld", outs[0]))


def test_unknown_jsonld_shape_is_a_usage_error():
    from tone.errors import UsageError

    with pytest.raises(UsageError, match="flat or senpy"):
        make_writer("jsonld", io.StringIO(), jsonld_shape="nested")
