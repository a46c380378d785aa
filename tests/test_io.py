"""tone.io: readers, the ordered pipeline and the writers (with property tests)."""
from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.errors import DataFileError, UsageError
from tone.io import (LongText, annotate_documents, annotate_long, make_writer, read_documents,
                     split_pieces)
from tone.io.readers import Document
from tone.io.writers import RECORD_LOCAL, Rendered, Renderer

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
_ANNOTATOR: list = []


def annotator():
    if not _ANNOTATOR:
        from tone.annotator import Annotator

        _ANNOTATOR.append(Annotator())
    return _ANNOTATOR[0]


def docs_of(data: bytes, **kw):
    return list(read_documents([io.BytesIO(data)], **kw))


def write(fmt: str, docs, **options) -> str:
    out = io.StringIO()
    writer = make_writer(fmt, out, **options)
    writer.begin()
    for doc, ann in annotate_documents(docs, annotator(), level=options.get("level", "doc")):
        writer.write(doc, ann)
    writer.end()
    return out.getvalue()


# -- readers --------------------------------------------------------------------------------
line_text = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=["Cs"]),
                    max_size=40)


@SETTINGS
@given(st.lists(line_text, max_size=20))
def test_lines_round_trip(lines):
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    docs = docs_of(data)
    assert [d.text for d in docs] == lines
    assert [d.id for d in docs] == list(range(1, len(lines) + 1))


def test_lines_edge_cases():
    assert docs_of(b"") == []
    assert [d.text for d in docs_of(b"a\r\nb")] == ["a", "b"]  # no final newline, CRLF
    assert [d.text for d in docs_of(b"\n\n")] == ["", ""]


@SETTINGS
@given(st.lists(line_text, max_size=10), st.integers(1, 9))
def test_long_lines_stream_in_chunks(lines, max_line):
    data = "\n".join(lines).encode("utf-8")
    docs = list(read_documents([io.BytesIO(data)], max_line_bytes=max_line))
    expected = data.decode("utf-8").split("\n")
    if expected[-1] == "":  # text after the last newline, if any, is the last line
        expected.pop()
    assert [str(d.text) for d in docs] == expected


def test_invalid_utf8_strict_names_line_and_byte_offset():
    with pytest.raises(DataFileError) as err:
        docs_of(b"one\ntwo\nthr\xffee\nfour\n")
    assert "<input>:3: byte offset 11" in str(err.value)


def test_invalid_utf8_replace_and_skip_keep_one_record_per_line():
    data = b"one\ntwo\nthr\xffee\nfour\n"
    replaced = docs_of(data, errors="replace")
    assert [d.text for d in replaced] == ["one", "two", "thr\ufffdee", "four"]
    skipped = docs_of(data, errors="skip")
    assert len(skipped) == 4 and skipped[2].text == "" and "byte offset 11" in skipped[2].error
    assert [d.error is None for d in skipped] == [True, True, False, True]


def test_invalid_utf8_inside_a_long_line():
    data = b"ok\n" + b"x" * 50 + b"\xff" + b"y" * 50 + b"\nlast\n"
    with pytest.raises(DataFileError, match="byte offset 53"):
        list(read_documents([io.BytesIO(data)], max_line_bytes=10))
    docs = list(read_documents([io.BytesIO(data)], max_line_bytes=10, errors="skip"))
    assert [d.error is None for d in docs] == [True, False, True] and docs[2].text == "last"


def test_gzip_and_doc_per_file(tmp_path):
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(b"happy\nsad\n"))
    assert [d.text for d in read_documents([str(path)])] == ["happy", "sad"]
    whole = tmp_path / "b.txt"
    whole.write_text("one\ntwo\n", encoding="utf-8")
    docs = list(read_documents([str(whole), str(path)], fmt="file"))
    assert [(d.id, d.text) for d in docs] == [(str(whole), "one\ntwo\n"), (str(path), "happy\nsad\n")]


json_value = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@SETTINGS
@given(st.lists(st.tuples(st.text(max_size=5, alphabet="abc123"), json_value), max_size=15))
def test_jsonl_reader_round_trip(rows):
    data = "".join(json.dumps({"key": k, "body": v}) + "\n" for k, v in rows).encode()
    docs = docs_of(data, fmt="jsonl", text_field="body", id_field="key")
    assert [(d.id, d.text) for d in docs] == rows


def test_jsonl_malformed_rows():
    data = b'{"text": "fine"}\n{broken\n[1, 2]\n{"text": 3}\n{"other": "x"}\n\n'
    with pytest.raises(DataFileError, match="<input>:2"):
        docs_of(data, fmt="jsonl")
    docs = docs_of(data, fmt="jsonl", errors="skip")
    assert len(docs) == 6
    assert [d.error is None for d in docs] == [True, False, False, False, False, True]


@SETTINGS
@given(st.lists(st.tuples(st.text(max_size=5, alphabet="xyz9"), json_value), max_size=15),
       st.sampled_from(["csv", "tsv"]))
def test_csv_reader_round_trip(rows, kind):
    rows = [(k, v.replace("\r", "")) for k, v in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if kind == "csv" else "\t", lineterminator="\n")
    writer.writerow(["ident", "body", "extra"])
    for k, v in rows:
        writer.writerow([k, v, "e"])
    docs = docs_of(out.getvalue().encode(), fmt=kind, text_column="body", id_column="ident")
    # csv cannot tell an all-empty row from a blank line: those come back as empty documents
    assert [d.text for d in docs] == [v for _, v in rows]


def test_csv_malformed_rows_and_usage():
    data = b"id,text\n1,happy\n2,too,many\n3,\xff\n4,sad\n"
    with pytest.raises(DataFileError, match=":3"):
        docs_of(data, fmt="csv", id_column="id")
    docs = docs_of(data, fmt="csv", id_column="id", errors="skip")
    assert [d.id for d in docs] == ["1", 2, "3", "4"]
    assert [d.error is None for d in docs] == [True, False, False, True]
    with pytest.raises(UsageError, match="--text-column"):
        docs_of(b"a,b\n1,2\n", fmt="csv")


# -- the pipeline ---------------------------------------------------------------------------
def test_pipeline_keeps_order_and_one_result_per_document():
    docs = [Document(i, t) for i, t in enumerate(["joy!", "", "so angry", "x" * 10])]
    docs.insert(2, Document("bad", "", error="unreadable"))
    pairs = list(annotate_documents(docs, annotator(), batch_size=2))
    assert [d.id for d, _ in pairs] == [0, 1, "bad", 2, 3]
    assert pairs[2][1] is None and pairs[0][1].top == ["joy"]


def _written(pairs, fmt: str, **options) -> str:
    out = io.StringIO()
    writer = make_writer(fmt, out, **options)
    for doc, ann in pairs:
        writer.write(doc, ann)
    writer.end()
    return out.getvalue()


@pytest.mark.parametrize("fmt,options", [("jsonl", {}), ("tsv", {"level": "span"}),
                                         ("jsonl", {"explain": True, "level": "sentence"})])
def test_workers_render_records_as_the_writer_would(fmt, options):
    texts = ["joy!", "", "I am not sad. So angry!", "x" * 10] * 5
    docs = [Document(i, t) for i, t in enumerate(texts)]
    docs.insert(7, Document("bad", "", error="unreadable"))
    level = options.get("level", "doc")
    alone = list(annotate_documents(docs, annotator(), batch_size=3, level=level))
    rendered = list(annotate_documents(docs, batch_size=3, level=level, processes=2,
                                       render=(fmt, options)))
    assert [d.id for d, _ in rendered] == [d.id for d in docs]
    assert rendered[7][1] is None                                   # errors stay the parent's
    assert all(isinstance(a, Rendered) for d, a in rendered if d.error is None)
    assert _written(rendered, fmt, **options) == _written(alone, fmt, **options)


def test_only_record_local_formats_render_apart():
    assert RECORD_LOCAL == {"jsonl", "tsv"}
    with pytest.raises(UsageError, match="record-local"):
        Renderer("turtle")


def test_long_text_in_pieces_matches_whole_text():
    text = " ".join(["I am so happy today.", "The rain made me sad.", "What a fury!"] * 40)
    whole = annotator().annotate(text)
    long = annotate_long(annotator(), "x", LongText.from_chunks([text]), piece_chars=200)
    assert long.primary == pytest.approx(whole.primary, abs=1e-3)
    assert long.top == whole.top
    assert [(s.start, s.end, s.concept) for s in long.spans] == [
        (s.start, s.end, s.concept) for s in whole.spans]
    assert all(text[s.start:s.end] == s.text for s in long.spans)


@SETTINGS
@given(st.lists(st.sampled_from(["joy. ", "sad ", "x", " ", "!\n", "über "]), max_size=60),
       st.integers(2, 30))
def test_split_pieces_covers_the_text(parts, size):
    text = "".join(parts)
    pieces = list(split_pieces([text[i:i + 7] for i in range(0, len(text), 7)], size))
    assert "".join(pieces) == text and all(0 < len(p) <= size for p in pieces)


# -- writers --------------------------------------------------------------------------------
doc_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
doc_texts = st.lists(st.one_of(doc_text, st.sampled_from(["I am so happy!", "furious, sad"])),
                     max_size=8)


def _docs(texts):
    return [Document(i + 1, t, error="broken" if t == "ERR" else None) for i, t in
            enumerate(texts)]


@SETTINGS
@given(doc_texts)
def test_jsonl_write_then_read(texts):
    out = write("jsonl", _docs(texts))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == list(range(1, len(texts) + 1))
    assert [r["text"] for r in records] == texts
    back = docs_of(out.encode(), fmt="jsonl", id_field="id")
    assert [(d.id, d.text) for d in back] == [(i + 1, t) for i, t in enumerate(texts)]
    for r in records:
        assert set(r["emotions"]["primary"]) == {"anger", "fear", "joy", "love", "sadness",
                                                 "surprise"}


@SETTINGS
@given(doc_texts, st.sampled_from(["doc", "sentence", "span"]))
def test_tsv_write_then_read(texts, level):
    out = write("tsv", _docs(texts), level=level)
    rows = list(csv.reader(io.StringIO(out), dialect="excel-tab"))
    header, rows = rows[0], rows[1:]
    assert header[0] == "id" and header[-1] == "error"
    assert all(len(r) == len(header) for r in rows)
    ids = [r[0] for r in rows]
    assert sorted(set(ids), key=int) == [str(i + 1) for i in range(len(texts))]
    if level == "doc":
        assert ids == [str(i + 1) for i in range(len(texts))]
        assert header[1:7] == ["anger", "fear", "joy", "love", "sadness", "surprise"]


def test_error_records_in_every_format():
    docs = [Document(1, "happy"), Document(2, "", error="x.txt:2: byte offset 4: bad")]
    assert json.loads(write("jsonl", docs).splitlines()[1]) == {
        "id": 2, "error": "x.txt:2: byte offset 4: bad"}
    assert write("tsv", docs).splitlines()[2].endswith("x.txt:2: byte offset 4: bad")
    for fmt in ("emotionml", "jsonld", "turtle"):
        assert "byte offset 4" in write(fmt, docs)


def _graph(fmt: str, data: str):
    import rdflib

    return rdflib.Graph().parse(data=data, format="json-ld" if fmt == "jsonld" else "turtle")


@SETTINGS
@given(doc_texts, st.sampled_from(["jsonld", "turtle"]), st.sampled_from(["doc", "sentence"]))
def test_rdf_parses_back_with_one_context_per_document(texts, fmt, level):
    from rdflib import RDF, Namespace

    nif = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    graph = _graph(fmt, write(fmt, _docs(texts), level=level))
    contexts = set(graph.subjects(RDF.type, nif.Context))
    assert len(contexts) == len(texts)
    assert sorted(str(graph.value(c, nif.isString)) for c in contexts) == sorted(texts)


def test_rdf_emotions_point_at_tone_concepts():
    from rdflib import URIRef

    onyx = "http://www.gsi.dit.upm.es/ontologies/onyx/ns#"
    for fmt in ("jsonld", "turtle"):
        graph = _graph(fmt, write(fmt, [Document(1, "I am over the moon")], tier=3))
        cats = set(graph.objects(None, URIRef(onyx + "hasEmotionCategory")))
        assert URIRef("https://w3id.org/tone#Happiness") in cats
        spans = list(graph.objects(None, URIRef(
            "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf")))
        assert "over the moon" in [str(s) for s in spans]
    assert _graph("turtle", write("turtle", [Document(1, "I am over the moon")])).isomorphic(
        _graph("jsonld", write("jsonld", [Document(1, "I am over the moon")])))


def _schema(shared):
    xmlschema = pytest.importorskip("xmlschema")
    path = shared / "emotionml" / "emotionml.xsd"
    if not path.is_file():
        pytest.skip("the EmotionML schema is absent")
    return xmlschema.XMLSchema(str(path))


@pytest.mark.shared
@pytest.mark.parametrize("level", ["doc", "sentence", "span"])
@pytest.mark.parametrize("tier", [1, 2, 3])
def test_emotionml_is_valid(shared, level, tier):
    schema = _schema(shared)
    docs = [Document(1, "I am over the moon. But then I was so sad."), Document(2, ""),
            Document("x<&\"y", "Fury!"), Document(4, "", error="bad \x01 <bytes>")]
    out = write("emotionml", docs, level=level, tier=tier)
    schema.validate(out)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(out)
    ns = "{http://www.w3.org/2009/10/emotionml}"
    assert len(root.findall(f"{ns}vocabulary")) == 3  # the tiers; VAD: W3C pad-dimensions
    docs_out = [e for e in root.findall(f"{ns}emotion") if "s" not in e.get("id")[1:]
                and "t" not in e.get("id")]
    assert len(docs_out) == 4


@pytest.mark.shared
@SETTINGS
@given(doc_texts)
def test_emotionml_valid_for_any_text(shared, texts):
    _schema(shared).validate(write("emotionml", _docs(texts), level="span"))


def test_long_document_writes_the_same_record(tmp_path):
    text = "I am so happy. " * 30 + "Such fury and sadness! " * 20
    short = annotator().annotate(text, id=1)
    long = annotate_long(annotator(), 1, LongText.from_chunks([text]), piece_chars=64)
    for fmt in ("jsonl", "jsonld", "turtle"):
        outs = []
        for ann, doc_text in ((short, text), (long, long.text)):
            out = io.StringIO()
            w = make_writer(fmt, out)
            w.begin()
            w.write(Document(1, doc_text), ann)
            w.end()
            outs.append(out.getvalue())
        if fmt == "jsonl":
            a, b = (json.loads(o) for o in outs)
            assert a["text"] == b["text"] and a["spans"] == b["spans"]
            assert a["emotions"]["primary"] == pytest.approx(b["emotions"]["primary"], abs=1e-3)
        else:
            assert len(_graph(fmt, outs[0])) == len(_graph(fmt, outs[1]))


def test_rdf_writers_emit_the_knowledge_graph_shape():
    """One RDF shape: the writers serialize tone.io.rdf's triples of the annotation record
    (with the selected tier's emotions, no record hash and the run's activity), IRIs named by
    document id, plus the activity node once."""
    import rdflib

    from tone import __version__
    from tone.io.rdf import PAD_MODEL, activity_triples, record_triples, to_ntriples

    docs = [Document("a b/1", "I am over the moon. But then I was so sad."),
            Document("x", "Fury!")]
    onto = annotator().ontology
    base = "http://example.org/doc/"
    for fmt in ("jsonld", "turtle"):
        for tier in (1, 3):
            graph = _graph(fmt, write(fmt, docs, tier=tier, level="sentence", base_iri=base))
            activity = make_writer(fmt, io.StringIO(), tier=tier, level="sentence",
                                   base_iri=base).activity
            expected = rdflib.Graph()
            expected.parse(data="\n".join(map(to_ntriples, activity_triples(
                activity, ["https://w3id.org/tone", PAD_MODEL], __version__,
                {"tier": tier, "level": "sentence"}))), format="nt")
            for _, ann in annotate_documents(docs, annotator(), level="sentence"):
                assert ann.sentences
                triples = record_triples(ann.to_dict(), base,
                                         lambda key: onto.concept(*key).iri,
                                         tiers=(tier,), digest=False, activity=activity)
                expected.parse(data="\n".join(map(to_ntriples, triples)), format="nt")
            assert set(graph) == set(expected), (fmt, tier)
            contexts = {str(s) for s in graph.subjects(rdflib.RDF.type, rdflib.URIRef(
                "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Context"))}
            assert contexts == {base + "a%20b%2F1#char=0,42", base + "x#char=0,5"}


def test_rdf_writers_refuse_duplicate_ids():
    for fmt in ("jsonld", "turtle"):
        with pytest.raises(UsageError, match="occurs twice"):
            write(fmt, [Document("a", "joy"), Document("a", "fear")])
