"""``tone annotate`` as other tools and users meet it: pandas reading the TSV, --no-text,
--level span in JSONL, writers used from Python, the summary line, a text given as FILES,
--lexicon (in worker processes too), and ids that agree with ``tone kg build``."""
from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner

from tone.cli import cli
from tone.cli.annotate import summary
from tone.errors import UsageError
from tone.io import annotate_documents, make_writer, read_documents
from tone.io.readers import Document

FORMATS = ["jsonl", "tsv", "emotionml", "jsonld", "turtle"]
POSTS = "I am so happy and a bit sad today.\nThe meeting is at noon.\n"


def run(args, input=None, quiet=True):
    return CliRunner().invoke(cli, ["annotate", *(["--quiet"] if quiet else []), *args],
                              input=input, catch_exceptions=False)


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.split("\n") if line]


# -- TSV columns are unique: pandas reads them as they are --------------------------------------
@pytest.mark.parametrize("tier", [1, 2, 3])
@pytest.mark.parametrize("level", ["doc", "sentence", "span"])
def test_tsv_columns_are_unique_for_pandas(tier, level):
    pd = pytest.importorskip("pandas")
    result = run(["-f", "tsv", "--tier", str(tier), "--level", level], input=POSTS)
    assert result.exit_code == 0, result.output
    header = result.stdout.split("\n", 1)[0].split("\t")
    assert len(set(header)) == len(header)
    frame = pd.read_csv(io.StringIO(result.stdout), sep="\t")
    assert list(frame.columns) == header  # no "arousal.1" renaming
    if level == "span":
        return
    assert {"valence", "arousal", "dominance"} <= set(header)
    if tier == 1:
        first = header.index("anger")
        assert header[first:first + 6] == ["anger", "fear", "joy", "love", "sadness", "surprise"]
    else:  # the names tone.annotate_frame(tiers=...) gives
        name = {2: "secondary", 3: "tertiary"}[tier]
        scores = [h for h in header if h.startswith(name + "_")]
        assert len(scores) == {2: 25, 3: 135}[tier]
        assert frame["arousal"].between(0, 1).all()
    if tier == 3:
        assert "tertiary_arousal" in header  # Parrott's tertiary arousal, apart from VAD's


def test_tsv_tier_columns_match_annotate_frame():
    pd = pytest.importorskip("pandas")
    from tone import annotate_frame

    frame = annotate_frame(pd.DataFrame({"text": ["I am so happy"]}), "text", tiers=(1, 3))
    header = run(["-f", "tsv", "--tier", "3"], input="I am so happy\n").stdout.split("\n")[0]
    tertiary = [h for h in header.split("\t") if h.startswith("tertiary_")]
    assert tertiary == [c for c in frame.columns if c.startswith("tertiary_")]


# -- --no-text: no text anywhere, offsets kept ---------------------------------------------------
def test_no_text_leaves_span_and_sentence_texts_out():
    text = "I am so happy and a bit sad today. Zebras are delightful."
    doc = records(run(["--no-text"], input=text).stdout)[0]
    assert "text" not in doc and doc["spans"]
    assert all("text" not in s and s["end"] > s["start"] for s in doc["spans"])
    assert "Zebra" not in json.dumps(doc) and "happy" not in json.dumps(doc)
    sent = records(run(["--no-text", "--level", "sentence"], input=text).stdout)[0]
    assert [(s["start"], s["end"]) for s in sent["sentences"]] == [(0, 34), (35, 57)]
    assert "happy" not in json.dumps(sent)
    spans = records(run(["--no-text", "--level", "span"], input=text).stdout)
    assert spans and all("text" not in s and "start" in s for s in spans)
    tsv = run(["--no-text", "--level", "span", "-f", "tsv"], input=text).stdout
    assert "text" not in tsv.split("\n")[0].split("\t") and "happy" not in tsv
    emotionml = run(["--no-text", "--level", "span", "-f", "emotionml"], input=text).stdout
    assert "happy" not in emotionml and "Zebra" not in emotionml
    # with the text: every span's text is the text at its offsets
    full = records(run([], input=text).stdout)[0]
    assert all(text[s["start"]:s["end"]] == s["text"] for s in full["spans"])


# -- --level span in JSONL: one record per span ----------------------------------------------------
def test_jsonl_span_level_writes_one_record_per_span():
    docs = records(run([], input=POSTS).stdout)
    spans = records(run(["--level", "span"], input=POSTS).stdout)
    expected = [{"id": f"1#{k}", "doc": 1, **span} for k, span in enumerate(docs[0]["spans"])]
    assert len(expected) >= 2
    assert spans == expected + [{"id": None, "doc": 2}]  # a document without spans: one record
    assert set(spans[0]) == {"id", "doc", "start", "end", "text", "concept", "tier", "score",
                             "rules"}
    # the TSV span rows are the same spans
    rows = run(["--level", "span", "-f", "tsv"], input=POSTS).stdout.strip().split("\n")[1:]
    cells = [row.split("\t") for row in rows]
    assert [(c[0], int(c[1]), int(c[2]), c[4]) for c in cells[:len(expected)]] == \
        [("1", s["start"], s["end"], s["concept"]) for s in expected]


def test_jsonl_span_level_unreadable_document(tmp_path):
    path = tmp_path / "posts.txt"
    path.write_bytes(b"so happy\nbad \xff byte\n")
    spans = records(run([str(path), "--level", "span", "--errors", "skip"]).stdout)
    assert [s["doc"] for s in spans] == [1, 2]
    assert spans[1]["id"] is None and "invalid UTF-8" in spans[1]["error"]
    assert "--scheme" in run(["--level", "span", "--scheme", "ekman"], input="x").output


# -- writers from Python: write() without begin() -------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_writer_write_without_begin_begins(fmt):
    docs = [Document(1, "What a joy!"), Document(2, "", error="unreadable")]
    pairs = list(annotate_documents(docs))

    def output(begin: bool, begin_twice: bool = False) -> str:
        out = io.StringIO()
        writer = make_writer(fmt, out)
        if begin:
            writer.begin()
            if begin_twice:
                writer.begin()
        for doc, ann in pairs:
            writer.write(doc, ann)
        writer.end()
        return out.getvalue()

    assert output(False) == output(True) == output(True, begin_twice=True)
    out, explicit = io.StringIO(), io.StringIO()
    writer = make_writer(fmt, out)
    writer.end()  # nothing written: still a whole (empty) document
    other = make_writer(fmt, explicit)
    other.begin()
    other.end()
    assert out.getvalue() == explicit.getvalue()
    with pytest.raises(UsageError, match="after end"):
        writer.write(*pairs[0])


def test_empty_writer_output_is_well_formed():
    import xml.dom.minidom

    for fmt in ("emotionml", "jsonld"):
        out = io.StringIO()
        make_writer(fmt, out).end()
        if fmt == "emotionml":
            xml.dom.minidom.parseString(out.getvalue())
        else:
            graph = json.loads(out.getvalue())["@graph"]
            assert not [node for node in graph if "nif:Context" in node.get("@type", [])]


# -- the summary line -----------------------------------------------------------------------------
def test_summary_never_says_0_docs_per_second():
    result = run([], input=POSTS, quiet=False)
    assert result.exit_code == 0
    line = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"tone: 2 documents in \d+\.\d+ s( \([\d,.]+ docs/s\))?, 0 skipped",
                        line), line
    assert "0 docs/s" not in line.replace("0.", "")
    assert summary(7, 0.004, 0) == "tone: 7 documents in 0.00 s, 0 skipped"
    assert summary(1, 0.3, 0) == "tone: 1 document in 0.30 s (3.33 docs/s), 0 skipped"
    assert summary(3, 40.0, 0) == "tone: 3 documents in 40.0 s (0.075 docs/s), 0 skipped"
    assert summary(0, 2.0, 0) == "tone: 0 documents in 2.00 s, 0 skipped"
    assert summary(50_000, 20.0, 2) == "tone: 50,000 documents in 20.0 s (2,500 docs/s), 2 skipped"


# -- a text given where a file is expected --------------------------------------------------------
@pytest.mark.parametrize("arg", ["I am happy", "happy"])
def test_text_as_file_argument_suggests_stdin_and_explain(arg):
    result = run([arg])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert f"echo '{arg}' | tone annotate" in result.output or \
        f"echo {arg} | tone annotate" in result.output
    assert "tone explain" in result.output


def test_missing_file_that_looks_like_a_path_gets_no_suggestion(tmp_path):
    for arg in ["posts.txt", str(tmp_path / "missing")]:
        result = run([arg])
        assert result.exit_code == 2
        assert "no such file" in result.output and "tone explain" not in result.output


# -- --lexicon PATH, also in worker processes -----------------------------------------------------
LIWC_2015 = ("%\n1\tposemo (Positive Emotions)\n2\tnegemo\n3\tanx\n4\tanger\n5\tsad\n%\n"
             "zebra*\t1\ngrumpy\t2\t4\nthunder\t3\n")
EMOLEX = ("zebra\tjoy\t1\nzebra\tanger\t0\nthunder\tfear\t1\nthunder\tjoy\t0\n"
          "grumpy\tanger\t1\ngrumpy\tjoy\t0\n")
TEXTS = "zebras everywhere\nthe thunder rolls\nhappy grumpy cat\n"


@pytest.mark.parametrize("name,content", [("tiny.dic", LIWC_2015), ("emolex.txt", EMOLEX)])
def test_lexicon_option_reads_liwc_and_emolex(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    recs = records(run(["--lexicon", str(path)], input=TEXTS).stdout)
    assert [r["top"] for r in recs] == [["joy"], ["fear"], ["anger"]]
    assert [s["text"] for s in recs[0]["spans"]] == ["zebras"]
    # "happy" is not in this lexicon: only the user's file counts
    assert all(s["text"] != "happy" for s in recs[2]["spans"])
    default = records(run([], input=TEXTS).stdout)
    assert default[0]["top"] == [] and "happy" in [s["text"] for s in default[2]["spans"]]


def test_lexicon_option_reaches_worker_processes(tmp_path):
    path = tmp_path / "tiny.dic"
    path.write_text(LIWC_2015, encoding="utf-8")
    src = tmp_path / "texts.txt"
    src.write_text(TEXTS * 3, encoding="utf-8")
    one = run([str(src), "--lexicon", str(path)]).stdout
    two = run([str(src), "--lexicon", str(path), "--processes", "2", "--batch-size", "2"]).stdout
    assert one == two and records(two)[0]["top"] == ["joy"]


def test_lexicon_option_reaches_dask_workers(tmp_path):
    pytest.importorskip("dask.distributed")
    path = tmp_path / "emolex.txt"
    path.write_text(EMOLEX, encoding="utf-8")
    one = run(["--lexicon", str(path)], input=TEXTS).stdout
    dask = run(["--lexicon", str(path), "--dask", "local:1", "--batch-size", "1"],
               input=TEXTS).stdout
    assert one == dask and records(dask)[1]["top"] == ["fear"]


def test_bad_lexicon_fails_before_any_worker(tmp_path):
    path = tmp_path / "vad.txt"
    path.write_text("word\tvalence\tarousal\tdominance\nzebra\t0.5\t0.5\t0.5\n")
    result = run(["--lexicon", str(path), "--processes", "2"], input=TEXTS)
    assert result.exit_code == 1
    assert "valence/arousal/dominance" in result.output
    assert "Traceback" not in result.output
    assert run(["--lexicon", str(tmp_path / "nope.dic")], input=TEXTS).exit_code == 2


# -- ids: tone kg build numbers CSV/TSV rows as tone annotate does --------------------------------
TABLE = 'text\tother\nI am happy\tx\n\n"two\nlines, sad"\ty\nso sad\tz\n'


def test_csv_row_ids_are_row_numbers(tmp_path):
    path = tmp_path / "posts.tsv"
    path.write_text(TABLE, encoding="utf-8")
    docs = list(read_documents([str(path)]))
    assert [(d.id, d.line) for d in docs] == [(1, 2), (2, 3), (3, 4), (4, 6)]
    assert [r["id"] for r in records(run([str(path)]).stdout)] == [1, 2, 3, 4]


def test_kg_build_ids_agree_with_tone_annotate(tmp_path):
    """Data rows are numbered from 1 (the header is not a row), blank rows and multi-line
    quoted records counting one each, by both commands."""
    from tone.kg.build import read_inputs

    path = tmp_path / "posts.tsv"
    path.write_text(TABLE, encoding="utf-8")
    annotate_ids = {str(d.id): d.text for d in read_documents([str(path)]) if d.text}
    kg_ids = {str(item.id): item.text for item in read_inputs([str(path)])}
    assert kg_ids == annotate_ids


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_no_text_leaves_every_text_out_of_rdf(fmt):
    from click.testing import CliRunner

    from tone.cli import cli

    args = ["annotate", "-q", "-f", fmt, "--level", "sentence"]
    text = "I am over the moon. Then I was so sad.\n"
    with_text = CliRunner().invoke(cli, args, input=text).stdout
    without = CliRunner().invoke(cli, args + ["--no-text"], input=text).stdout
    assert "over the moon" in with_text and "anchorOf" in with_text
    assert "moon" not in without and "anchorOf" not in without and "isString" not in without
    # the spans' and sentences' offsets stay; only the document's (of its text) goes
    assert without.count("endIndex") == with_text.count("endIndex") - 1
