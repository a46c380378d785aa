"""Property tests of the conversation readers: what is written in each format reads back as
the same conversations, and any bytes give one conversation or one error per non-blank line."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.dialogue import read_conversations

# texts: any Unicode but surrogates and the C0/C1 controls (MELD's mojibake repair reads C1)
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
NAME = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij ", min_size=1, max_size=8).map(str.strip) \
    .filter(bool)
TURNS = st.lists(st.tuples(NAME, TEXT), min_size=1, max_size=6)
CONVERSATIONS = st.lists(TURNS, min_size=1, max_size=5)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(CONVERSATIONS)
def test_jsonl_round_trip(conversations):
    data = "".join(json.dumps({"id": f"d{k}", "turns": [{"speaker": s, "text": t}
                                                         for s, t in turns]}) + "\n"
                   for k, turns in enumerate(conversations))
    back = list(read_conversations([io.BytesIO(data.encode())], fmt="jsonl"))
    assert [(c.id, [(t.speaker, t.text) for t in c.turns]) for c in back] == [
        (f"d{k}", turns) for k, turns in enumerate(conversations)]
    assert all([t.number for t in c.turns] == list(range(1, len(c.turns) + 1)) for c in back)


CSV_TEXT = st.lists(TEXT | st.sampled_from(["\n", '"', ",", "\t"]), max_size=4).map("".join)


@SETTINGS
@given(st.lists(st.lists(st.tuples(NAME, CSV_TEXT), min_size=1, max_size=6), min_size=1,
                max_size=5), st.sampled_from([",", "\t"]))
def test_csv_round_trip(tmp_path_factory, conversations, delimiter):
    path = tmp_path_factory.mktemp("csv") / ("d.csv" if delimiter == "," else "d.tsv")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["Dialogue_ID", "Speaker", "Utterance"])
        for k, turns in enumerate(conversations):
            writer.writerows([k, s, t] for s, t in turns)
    back = list(read_conversations([str(path)]))
    assert [(c.id, [(t.speaker, t.text) for t in c.turns]) for c in back] == [
        (str(k), turns) for k, turns in enumerate(conversations)]


EOU_TURN = TEXT.map(lambda t: " ".join(t.replace("__eou__", "").split())).filter(bool)


@SETTINGS
@given(st.lists(st.lists(EOU_TURN, min_size=1, max_size=6), min_size=1, max_size=5))
def test_eou_round_trip(dialogues):
    data = "".join(" __eou__ ".join(turns) + " __eou__\n" for turns in dialogues)
    back = list(read_conversations([io.BytesIO(data.encode())], fmt="eou"))
    assert [[t.text for t in c.turns] for c in back] == dialogues
    assert all(t.speaker == "AB"[k % 2] for c in back for k, t in enumerate(c.turns))
    assert [c.id for c in back] == list(range(1, len(dialogues) + 1))


@SETTINGS
@given(st.binary(max_size=200).filter(lambda b: not b.startswith(b"\xef\xbb\xbf")),
       st.sampled_from(["jsonl", "eou"]))
def test_any_bytes_one_result_per_line(data, fmt):
    """With errors=skip nothing raises, and every non-blank line gives one conversation (with
    an error when it could not be read); jsonl errors name <input>:line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    expected = []
    for number, raw in enumerate(lines, 1):
        try:
            if not raw.rstrip(b"\r").decode("utf-8").strip():
                continue
        except UnicodeDecodeError:
            pass
        expected.append(number)
    back = list(read_conversations([io.BytesIO(data)], fmt=fmt, errors="skip"))
    assert [c.line for c in back] == expected
    for c in back:
        if c.error is not None:
            assert not c.turns and c.error.startswith(f"<input>:{c.line}: ")


SCORES = st.integers(1, 8).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.floats(0, 1), min_size=3, max_size=3), min_size=n, max_size=n),
    st.lists(st.sampled_from("ABC"), min_size=n, max_size=n)))


@SETTINGS
@given(SCORES, st.floats(0, 2), st.floats(0, 2), st.sampled_from([0.0, 0.5, 1.0]))
def test_mixer_properties(case, alpha, beta, contagion):
    """alpha = beta = 0 changes nothing; with tables of non-negative rows the context only adds;
    a turn's mover is an earlier turn among its sources; a turn without evidence and beta = 0
    stays as it is; a turn with evidence gains on no category its own scores lack."""
    import numpy as np

    from tone.dialogue.context import Mixer

    rows, speakers = case
    x = np.array(rows)
    table = np.full((3, 3), 1 / 3)
    y0, _ = Mixer(table, table, 0.0, 0.0).run(x, speakers)
    assert np.array_equal(y0, x)
    y, contexts = Mixer(table, table, alpha, beta, contagion).run(x, speakers)
    assert (y >= x - 1e-12).all()
    for t, ctx in enumerate(contexts):
        sources = set(ctx.other_turns) | ({ctx.previous} if ctx.previous is not None else set())
        assert all(k < t for k in sources) and set(ctx.contributions) == sources
        assert ctx.mover is None or ctx.mover in sources
        if x[t].max() == 0 and beta == 0:
            assert np.array_equal(y[t], x[t])
        if x[t].max() > 0:
            assert np.array_equal(y[t][x[t] == 0], x[t][x[t] == 0])
        if contagion == 0:
            assert ctx.other_turns == []


@SETTINGS
@given(st.lists(st.tuples(NAME, CSV_TEXT), min_size=1, max_size=6), st.integers(14, 64))
def test_csv_columns_survive_the_long_record_path(rows, max_line_bytes):
    """tone.io's CSV reader keeps the ``columns`` asked for whether a record is read by
    :mod:`csv` or streamed as a long record (``max_line_bytes`` small)."""
    from tone.io import read_documents

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["speaker", "text"])
    writer.writerows(rows)
    docs = list(read_documents([io.BytesIO(out.getvalue().encode())], fmt="csv",
                               columns=["speaker"], max_line_bytes=max_line_bytes))
    assert [(d.fields["speaker"], str(d.text)) for d in docs] == rows


# a conversation line, good or with one of the defects tone annotate refuses in a document
DEFECTS = ("none", "surrogate-text", "surrogate-speaker", "surrogate-id", "no-text",
           "no-turns", "malformed", "bad-utf8", "not-object")


def _conversation_line(k: int, turns: list, defect: str) -> bytes:
    conv = {"id": f"d{k}", "turns": [{"speaker": s, "text": t} for s, t in turns]}
    if defect == "surrogate-id":
        conv["id"] = f"d{k}\ud800"
    elif defect == "surrogate-speaker":
        conv["turns"][-1]["speaker"] += "\udc00"
    elif defect == "surrogate-text":
        conv["turns"][0]["text"] += "\ud800!"
    elif defect == "no-text":
        del conv["turns"][-1]["text"]
    elif defect == "no-turns":
        conv["turns"] = []
    elif defect == "not-object":
        conv = [conv["id"]]
    line = json.dumps(conv).encode()  # ensure_ascii: a surrogate stays a \ud800 escape
    if defect == "malformed":
        line = line[:-1]
    elif defect == "bad-utf8":
        line = line.replace(b'"turns"', b'"turns\xff"')
    return line + b"\n"


@SETTINGS
@given(st.lists(st.tuples(TURNS, st.sampled_from(DEFECTS)), min_size=1, max_size=6),
       st.sampled_from(["strict", "replace", "skip"]))
def test_every_conversation_one_result_or_an_error_naming_it(lines, errors):
    """Each line gives one conversation, in order: its turns, or an error starting with
    <input>:line and naming the conversation when its id could be read; lone surrogates are
    refused like tone annotate refuses them (strict raises at the first bad line, naming it),
    or replaced by U+FFFD under replace, leaving none in any string."""
    from tone.errors import DataFileError

    data = b"".join(_conversation_line(k, turns, defect) for k, (turns, defect) in
                    enumerate(lines))
    replaced = ("surrogate-text", "surrogate-speaker", "surrogate-id") if errors == "replace" \
        else ()
    bad = [k for k, (_, defect) in enumerate(lines) if defect not in ("none",) + replaced]
    if errors == "strict" and bad:
        with pytest.raises(DataFileError) as err:
            list(read_conversations([io.BytesIO(data)], fmt="jsonl", errors=errors))
        assert str(err.value).startswith(f"<input>:{bad[0] + 1}: ")
        return
    back = list(read_conversations([io.BytesIO(data)], fmt="jsonl", errors=errors))
    assert [c.line for c in back] == list(range(1, len(lines) + 1))
    for k, (c, (turns, defect)) in enumerate(zip(back, lines)):
        if k in bad:
            assert c.turns == [] and c.error.startswith(f"<input>:{k + 1}: ")
            if defect.startswith("surrogate"):
                assert "lone surrogate" in c.error and f"conversation 'd{k}" in c.error
            if defect in ("no-text", "no-turns", "surrogate-text", "surrogate-speaker"):
                assert c.id == f"d{k}"
            continue
        assert c.error is None and len(c.turns) == len(turns)
        strings = [str(c.id)] + [s for t in c.turns for s in (t.speaker, t.text)]
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for s in strings for ch in s)
        if defect == "none":
            assert (c.id, [(t.speaker, t.text) for t in c.turns]) == (f"d{k}", turns)
        else:
            assert "\ufffd" in "".join(strings)


@SETTINGS
@given(st.lists(st.lists(st.tuples(NAME, TEXT.map(lambda t: t.replace("\r", "")),
                                   st.booleans()), min_size=1, max_size=5),
                min_size=1, max_size=5))
def test_csv_short_rows_one_result_per_dialogue(tmp_path_factory, dialogues):
    """skip: a dialogue with a short row (no text cell) is one error naming the dialogue and the
    row's line; every other dialogue comes back whole; nothing else is yielded."""
    path = tmp_path_factory.mktemp("csv") / "d.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Dialogue_ID", "Speaker", "Utterance"])
        for k, rows in enumerate(dialogues):
            writer.writerows([k, s] if short else [k, s, t] for s, t, short in rows)
    back = list(read_conversations([str(path)], errors="skip"))
    assert [str(c.id) for c in back] == [str(k) for k in range(len(dialogues))]
    for c, rows in zip(back, dialogues):
        if any(short for _, _, short in rows):
            assert c.turns == [] and f"(a row of dialogue '{c.id}')" in c.error
        else:
            assert c.error is None and [(t.speaker, t.text) for t in c.turns] == [
                (s, t) for s, t, _ in rows]
