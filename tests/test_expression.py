"""The facial-expression track (tone.expression, lexicons/packs/expression): subtitle and timed
JSONL input (tone.io.subtitles), EMFACS prototypes, FACS letters, ARKit blendshapes, smoothing
over time, and the facs-json / facs-csv writers."""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.cli import cli
from tone.errors import DataFileError, ToneError, UsageError
from tone.expression import TAU, track
from tone.expression.facs import (
    SCALE,
    action_units,
    activations,
    blendshape_weights,
    facs_code,
    letter,
)
from tone.expression.smoothing import ExponentialSmoother
from tone.expression.tables import ARKIT_BLENDSHAPES, blendshape_rows, prototypes
from tone.io import make_writer, read_documents
from tone.io.readers import Document
from tone.io.subtitles import format_timestamp

ROOT = Path(__file__).resolve().parents[1]
TALK = ROOT / "notebooks" / "data" / "talk.srt"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SRT = """1
00:00:01,000 --> 00:00:03,000
I am so happy, what a wonderful day!

2
00:00:03,500 --> 00:00:06,000
<i>I miss him. I feel so sad.</i>

3
00:00:09,000 --> 00:00:10,000
The meeting is at noon.
"""


def annotate(args, input=None):
    return CliRunner().invoke(cli, ["annotate", "--quiet", *args], input=input,
                              catch_exceptions=False)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# -- SRT in, CSV of AUs and blendshapes out ------------------------------------------------

def test_srt_in_csv_of_aus_and_blendshapes_per_cue_out(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    result = annotate([str(path), "-f", "facs-csv"])
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    header = list(table[0])
    assert header[:4] == ["id", "start", "end", "text"] and header[-1] == "error"
    assert {f"AU{au:02d}" for au in (1, 4, 6, 12, 15)} <= set(header)
    assert set(ARKIT_BLENDSHAPES) <= set(header)
    assert [(r["id"], r["start"], r["end"]) for r in table] == [
        ("1", "1.000", "3.000"), ("2", "3.500", "6.000"), ("3", "9.000", "10.000")]
    happy, sad, neutral = table
    assert happy["top"] == "happiness" and sad["top"] == "sadness" and neutral["top"] == ""
    assert sad["text"] == "I miss him. I feel so sad."  # markup gone
    assert float(happy["AU12"]) > 0.4 and float(happy["mouthSmileLeft"]) > 0.4
    assert float(happy["AU15"]) == 0.0 and float(sad["AU15"]) > 0.3
    assert float(sad["mouthFrownRight"]) == float(sad["AU15"])
    assert [code.rstrip("ABCDE") for code in happy["facs"].split("+")] == ["6", "12"]
    # the neutral cue after a 3 s gap: the sad face has all but faded
    assert float(neutral["AU15"]) < 0.01 < float(sad["AU15"]) and neutral["facs"] == ""


def test_facs_json_is_one_document_with_a_frame_per_cue(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    result = annotate([str(path), "-f", "facs-json", "--tau", "0"])
    doc = json.loads(result.stdout)
    assert doc["scheme"] == "emfacs" and doc["tau"] == 0.0
    assert doc["action_units"]["AU12"] == "Lip Corner Puller"
    assert [c["id"] for c in doc["cues"]] == [1, 2, 3]
    first = doc["cues"][0]
    assert set(first) == {"id", "start", "end", "text", "emotions", "top", "aus", "facs",
                          "blendshapes"}
    assert list(first["blendshapes"]) == list(ARKIT_BLENDSHAPES)
    # tau 0: no smoothing, the AU is the emotion's score
    assert first["aus"]["AU12"] == pytest.approx(first["emotions"]["happiness"], abs=1e-4)
    assert doc["cues"][2]["facs"] == ""


def test_timed_jsonl_and_webvtt_give_the_same_track(tmp_path):
    vtt = tmp_path / "talk.vtt"
    vtt.write_text("WEBVTT\n\nNOTE made up\n\n00:01.000 --> 00:03.000\nI am so happy!\n\n"
                   "00:03.500 --> 00:06.000 align:start\n<v Bo>I feel so sad.\n", "utf-8")
    jsonl = tmp_path / "talk.jsonl"
    jsonl.write_text('{"text": "I am so happy!", "start": 1, "end": "00:00:03.000"}\n'
                     '{"text": "I feel so sad.", "start": 3.5, "end": 6}\n', "utf-8")
    a = rows(annotate([str(vtt), "-f", "facs-csv", "--no-text"]).stdout)
    b = rows(annotate([str(jsonl), "-f", "facs-csv", "--no-text"]).stdout)
    assert [r["id"] for r in a] == ["1", "2"]
    assert [{k: v for k, v in r.items() if k != "id"} for r in a] == \
        [{k: v for k, v in r.items() if k != "id"} for r in b]


def test_untimed_input_is_refused_naming_the_document():
    result = CliRunner().invoke(cli, ["annotate", "-q", "-f", "facs-csv"], input="so happy\n")
    assert result.exit_code == 2
    assert "document 1 (<stdin>:1) has no start/end times" in result.stderr
    assert "\n" not in result.stderr.strip()


def test_an_unreadable_cue_keeps_its_row_and_the_face(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text("1\n00:00:00,000 --> 00:00:02,000\nso happy\n\n2\nnot a timing line\n\n"
                    "3\n00:00:02,000 --> 00:00:04,000\nok\n", "utf-8")
    strict = annotate([str(path), "-f", "facs-csv"])
    assert strict.exit_code == 1 and f"{path}:5: no timing line" in strict.output
    table = rows(annotate([str(path), "-f", "facs-csv", "--errors", "skip"]).stdout)
    assert [r["id"] for r in table] == ["1", "2", "3"]
    assert table[1]["error"].startswith(f"{path}:5: no timing line") and table[1]["AU12"] == ""
    assert 0 < float(table[2]["AU12"]) < float(table[0]["AU12"])  # fading from cue 1


def test_writer_options_are_checked():
    out = io.StringIO()
    with pytest.raises(UsageError, match="--level doc"):
        make_writer("facs-csv", out, level="sentence")
    with pytest.raises(UsageError, match="emfacs"):
        make_writer("facs-json", out, scheme="plutchik")
    make_writer("facs-json", out, scheme="emfacs")  # the pack's default scheme is fine
    result = annotate(["-f", "jsonl", "--tau", "1"], input="x\n")
    assert result.exit_code == 2 and "--tau applies to -f facs-json" in result.output


def test_python_api_reads_a_subtitle_path_documents_and_tuples():
    frames = track(TALK)
    assert len(frames) == 15 and [f.id for f in frames] == list(range(1, 16))
    assert frames[0].top == ["happiness"] and "12" in frames[0].facs
    again = track([(d.start, d.end, d.text) for d in read_documents([str(TALK)])])
    assert [f.aus for f in again] == [f.aus for f in frames]
    with pytest.raises(UsageError, match="no start/end times"):
        track([Document(1, "so happy")])


# -- prototypes, letters, blendshapes -------------------------------------------------------

EMFACS = {  # Friesen & Ekman (1983), as the issue and the pack README list them
    "happiness": "6+12", "sadness": "1+4+15", "surprise": "1+2+5B+26",
    "fear": "1+2+4+5+20+26", "anger": "4+5+7+23", "disgust": "9+15+16",
    "contempt": "R12A+R14A",
}


@pytest.mark.parametrize("emotion", sorted(EMFACS))
def test_each_emotion_moves_exactly_its_prototype(emotion):
    code = facs_code(activations({emotion: 1.0}))
    # at full strength every uncapped AU is E: strip the E and compare with the prototype
    assert code.replace("E", "") == EMFACS[emotion]


def test_caps_sides_and_shared_units():
    act = activations({"surprise": 0.9, "contempt": 1.0, "anger": 0.3, "sadness": 0.6})
    index = {au: i for i, au in enumerate(action_units())}
    assert act[index[5]].tolist() == [0.4, 0.4]  # 5B: capped at the top of B... then anger's
    assert act[index[12]].tolist() == [0.0, SCALE["A"]]  # contempt: right side only
    assert act[index[4]].tolist() == [0.6, 0.6]  # sadness 0.6 beats anger 0.3
    assert activations({"love": 1.0, "joy": 1.0}).sum() == 0.0  # no prototype, no face


def test_letters_are_monotone_with_the_documented_intervals():
    values = np.linspace(0, 1, 201)
    letters = [letter(float(u)) for u in values]
    order = ["", "A", "B", "C", "D", "E"]
    assert [order.index(x) for x in letters] == sorted(order.index(x) for x in letters)
    assert (letter(0.05), letter(0.0501), letter(0.2), letter(0.2001), letter(0.9),
            letter(0.9001)) == ("", "A", "A", "B", "D", "E")


def test_blendshape_table_names_only_arkit_shapes_and_covers_the_prototypes():
    assert len(ARKIT_BLENDSHAPES) == len(set(ARKIT_BLENDSHAPES)) == 52
    mapped = {row.au for row in blendshape_rows()}
    assert {unit.au for units in prototypes().values() for unit in units} <= mapped
    weights = blendshape_weights(activations({"contempt": 1.0}))
    assert weights["mouthSmileRight"] == SCALE["A"] and weights["mouthSmileLeft"] == 0.0
    assert weights["mouthDimpleRight"] == SCALE["A"]
    fear = blendshape_weights(activations({"fear": 0.8}))
    assert fear["eyeWideLeft"] == fear["eyeWideRight"] == 0.8
    assert fear["jawOpen"] == pytest.approx(0.4)  # 26 at weight 0.5
    assert fear["browInnerUp"] == 0.8 and fear["mouthStretchLeft"] == 0.8


@given(st.dictionaries(st.sampled_from(sorted(EMFACS) + ["love", "x"]),
                       st.floats(-2, 2, allow_nan=False), max_size=8))
@SETTINGS
def test_every_value_stays_in_the_unit_interval(scores):
    act = activations(scores)
    assert act.min() >= 0.0 and act.max() <= 1.0
    weights = blendshape_weights(act)
    assert list(weights) == list(ARKIT_BLENDSHAPES)
    assert all(0.0 <= w <= 1.0 for w in weights.values())


@pytest.mark.parametrize("tsv, message", [
    ("emotion\tau\tside\tcap\njoy\t12\tX\t\n", ":2: .*side 'X'"),
    ("emotion\tau\tside\tcap\njoy\t12\t\tF\n", ":2: .*cap 'F'"),
    ("emotion\tau\tside\tcap\njoy\ttwelve\t\t\n", ":2: .*'twelve' is not an action unit"),
    ("emotion\tau\njoy\t12\n", ":2: .*lacks the column"),
])
def test_a_bad_prototype_row_is_located(tmp_path, tsv, message):
    path = tmp_path / "p.tsv"
    path.write_text(tsv, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        prototypes(str(path))


def test_a_blendshape_arkit_does_not_have_is_located(tmp_path):
    path = tmp_path / "b.tsv"
    path.write_text("au\tname\tblendshape\tside\tweight\n12\tx\tmouthGrin\tboth\t1\n", "utf-8")
    with pytest.raises(DataFileError, match=":2: .*mouthGrinLeft, mouthGrinRight is not"):
        blendshape_rows(str(path))


# -- smoothing -------------------------------------------------------------------------------

def test_smoothing_follows_the_closed_form_and_fades_in_gaps():
    tau = TAU
    sm = ExponentialSmoother(tau)
    first = sm.step(1.0, 2.0, np.array([1.0]))[0]
    assert first == pytest.approx(1 - tau * (1 - math.exp(-1 / tau)))
    end = 1 - math.exp(-1 / tau)
    assert sm.state[0] == pytest.approx(end)
    # 0.5 s gap then a neutral cue of 1 s: the face decays from end*exp(-0.5/tau)
    s0 = end * math.exp(-0.5 / tau)
    assert sm.step(2.5, 3.5, np.array([0.0]))[0] == pytest.approx(s0 * tau * (1 - math.exp(
        -1 / tau)))


def test_smoothing_edge_cases():
    off = ExponentialSmoother(0)
    assert off.step(0, 1, np.array([0.7]))[0] == 0.7 and off.step(5, 6, np.array([0.1]))[0] == 0.1
    sm = ExponentialSmoother(1.0)
    sm.step(0, 1, np.array([1.0]))
    held = float(sm.state[0])
    assert sm.step(0.5, 0.5, np.array([1.0]))[0] == pytest.approx(held)  # overlap, no time
    with pytest.raises(UsageError):
        ExponentialSmoother(-1)


@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 1)), min_size=1, max_size=12),
       st.floats(0, 5))
@SETTINGS
def test_a_smoothed_cue_lies_between_where_the_face_was_and_its_target(cues, tau):
    """Back-to-back cues (no gap): each cue's value, and the face at its end, lie between the
    face at its start and its target."""
    sm = ExponentialSmoother(tau)
    start = 0.0
    for duration, target in cues:
        before = 0.0 if sm.state is None else float(sm.state[0])
        value = float(sm.step(start, start + duration, np.array([target]))[0])
        after = float(sm.state[0])
        for x in (value, after):
            assert min(before, target) - 1e-9 <= x <= max(before, target) + 1e-9
        assert abs(after - target) <= abs(value - target) + 1e-9  # the face ends nearer
        start += duration


def test_a_longer_time_constant_keeps_more_of_the_previous_cue():
    cues = [(0.0, 2.0, "I am so happy!"), (2.0, 3.0, "The meeting is at noon.")]
    fast, slow = track(cues, tau=0.1), track(cues, tau=1.0)
    assert slow[1].aus["AU12"] > fast[1].aus["AU12"] > 0
    assert slow[0].aus["AU12"] < fast[0].aus["AU12"]  # and rises more slowly


# -- the subtitle readers ----------------------------------------------------------------------

cue_text = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                          blacklist_characters="<>{}&\x85"),
                            min_size=1, max_size=20).filter(lambda s: s.strip()
                                                           and "-->" not in s),
                    min_size=1, max_size=3)
cues = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**6), cue_text), max_size=8)


def _srt(items) -> bytes:
    blocks = [f"{k}\n{format_timestamp(s / 1000, comma=True)} --> "
              f"{format_timestamp((s + d) / 1000, comma=True)}\n" + "\n".join(lines)
              for k, (s, d, lines) in enumerate(items, 1)]
    return ("\r\n\r\n".join(b.replace("\n", "\r\n") for b in blocks)).encode("utf-8")


def _vtt(items) -> bytes:
    blocks = [f"c{k}\n{format_timestamp(s / 1000)} --> {format_timestamp((s + d) / 1000)} "
              "line:0\n" + "\n".join(lines) for k, (s, d, lines) in enumerate(items, 1)]
    return ("WEBVTT - made up\n\n" + "\n\n".join(blocks) + "\n").encode("utf-8")


@given(cues)
@SETTINGS
def test_srt_and_vtt_round_trip_generated_cues(items):
    expect = [(s / 1000, (s + d) / 1000, "\n".join(line.rstrip("\r") for line in lines))
              for s, d, lines in items]
    srt = list(read_documents([io.BytesIO(b"\xef\xbb\xbf" + _srt(items))], fmt="srt"))
    assert [(d.start, d.end, d.text) for d in srt] == expect
    assert [d.id for d in srt] == list(range(1, len(items) + 1))
    vtt = list(read_documents([io.BytesIO(_vtt(items))], fmt="vtt"))
    assert [(d.start, d.end, d.text) for d in vtt] == expect
    assert [d.id for d in vtt] == [f"c{k}" for k in range(1, len(items) + 1)]


@given(st.binary(max_size=300), st.sampled_from(["srt", "vtt", "jsonl"]))
@SETTINGS
def test_arbitrary_bytes_raise_nothing_but_a_tone_error(data, fmt):
    try:
        docs = list(read_documents([io.BytesIO(data)], fmt=fmt))
    except ToneError as err:
        assert "\n" not in str(err)
    else:
        assert all(d.error is None for d in docs)
    for policy in ("skip", "replace"):
        try:
            for doc in read_documents([io.BytesIO(data)], fmt=fmt, errors=policy):
                if fmt != "jsonl":  # a readable cue always has its times
                    assert (doc.error is None) == (doc.start is not None)
        except DataFileError as err:  # only a file that is not WebVTT at all
            assert fmt == "vtt" and "WEBVTT" in str(err) or "invalid UTF-8" in str(err)


@pytest.mark.parametrize("data, fmt, message", [
    (b"1\n00:00:02,000 --> 00:00:01,000\nx\n", "srt", ":2: the cue ends"),
    (b"1\n00:00:01,000 -> 00:00:02,000\nx\n", "srt", ":1: no timing line"),
    (b"1\n00:61:00,000 --> 00:62:00,000\nx\n", "srt", ":2: '00:61:00,000': minutes"),
    (b"one\n00:00:01,000 --> 00:00:02,000\nx\n", "srt", ":1: expected a cue number"),
    (b"1\n00:00:01 --> 00:00:02\nx\n", "srt", ":2: malformed timing line"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n\xff\n", "vtt", ":6: byte offset 36"),
    (b"hello\n", "vtt", ":1: not a WebVTT file"),
    (b'{"text": "x", "start": 2, "end": 1}\n', "jsonl", ":1: the record ends"),
    (b'{"text": "x", "start": true, "end": 1}\n', "jsonl", ":1: field 'start' is a bool"),
    (b'{"text": "x", "end": 1}\n', "jsonl", ":1: a timed record needs both"),
])
def test_bad_timed_input_is_one_located_line_saying_what_to_do(data, fmt, message):
    with pytest.raises(DataFileError) as err:
        list(read_documents([io.BytesIO(data)], fmt=fmt))
    text = str(err.value)
    assert message in text and "\n" not in text
    assert "fix the" in text or "--errors" in text or "--input-format" in text


def test_subtitle_files_are_recognised_by_name_and_read_several_at_once(tmp_path):
    a, b = tmp_path / "a.srt", tmp_path / "b.vtt"
    a.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "utf-8")
    b.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nyo\n", "utf-8")
    docs = list(read_documents([str(a), str(b)]))
    assert [(d.id, d.text, d.line) for d in docs] == [(f"{a}:1", "hi", 1), (f"{b}:1", "yo", 3)]


def test_the_shipped_talk_has_fifteen_cues():
    docs = list(read_documents([str(TALK)]))
    assert len(docs) == 15 and all(d.start < d.end for d in docs)
    assert all(a.end <= b.start for a, b in zip(docs, docs[1:]))


def test_jsonl_records_of_cues_carry_their_times(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    records = [json.loads(line) for line in annotate([str(path)]).stdout.splitlines()]
    assert [(r["id"], r["start"], r["end"]) for r in records] == [
        (1, 1.0, 3.0), (2, 3.5, 6.0), (3, 9.0, 10.0)]
    assert list(records[0])[:4] == ["id", "start", "end", "text"]
    plain = json.loads(annotate([], input="so happy\n").stdout)
    assert "start" not in plain and "end" not in plain


def test_the_pack_scheme_is_accepted_with_the_facs_formats(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    plain = annotate([str(path), "-f", "facs-csv"]).stdout
    assert annotate([str(path), "-f", "facs-csv", "--scheme", "emfacs"]).stdout == plain
    other = CliRunner().invoke(cli, ["annotate", "-q", str(path), "-f", "facs-csv", "--scheme",
                                     "ekman"])
    assert other.exit_code == 2 and "emfacs scheme" in other.stderr


def test_a_webvtt_cue_right_under_the_header_is_not_dropped():
    data = b"WEBVTT\nKind: captions\n00:01.000 --> 00:02.000\nhi\n\n00:03.000 --> 00:04.000\nyo\n"
    docs = list(read_documents([io.BytesIO(data)], fmt="vtt"))
    assert [(d.id, d.line, d.start, d.text) for d in docs] == [(1, 3, 1.0, "hi"), (2, 6, 3.0, "yo")]


def test_au_intensity_follows_tone_intensity_rules():
    """Intensifiers and downtoners move the face: AU20 (fear's lip stretcher) and its ARKit
    shape are stronger for 'very scared' than 'scared', weaker for 'slightly scared'."""
    cues = [(0.0, 2.0, "I am slightly scared."), (10.0, 12.0, "I am scared."),
            (20.0, 22.0, "I am very scared.")]
    frames = track(cues, tau=0)
    au20 = [f.aus["AU20"] for f in frames]
    assert 0 < au20[0] < au20[1] < au20[2]
    assert [f.blendshapes["mouthStretchLeft"] for f in frames] == au20
    assert au20 == [round(f.emotions["fear"], 4) for f in frames]
