"""Conversations (tone.dialogue): readers, inertia and contagion, tables, personality, the CLI."""
from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest
from click.testing import CliRunner

from tone.cli import cli
import tone.dialogue
from tone.errors import DataFileError, UsageError


def run(*args, input=None):
    return CliRunner().invoke(cli, ["dialogue", *args], input=input, catch_exceptions=False)


CHAT = {"id": "c1", "turns": [{"speaker": "A", "text": "I am so happy today!"},
                              {"speaker": "B", "text": "That makes me happy too."},
                              {"speaker": "A", "text": "The meeting is at noon."}],
        "speakers": {"A": {"O": .6, "C": .5, "E": .4, "A": .5, "N": .3}}}


# --- readers ----------------------------------------------------------------------------------

def test_jsonl_reader_keeps_turns_speakers_and_personalities():
    from tone.dialogue import read_conversations

    data = io.BytesIO((json.dumps(CHAT) + "\n\n" + json.dumps({"turns": [["X", "hi"]]}) + "\n")
                      .encode())
    convs = list(read_conversations([data], fmt="jsonl"))
    assert [c.id for c in convs] == ["c1", 3]  # the blank line holds no conversation
    assert [(t.number, t.speaker) for t in convs[0].turns] == [(1, "A"), (2, "B"), (3, "A")]
    assert convs[0].speakers["A"]["N"] == 0.3


@pytest.mark.parametrize("line, message", [
    ("not json", "malformed JSON at column 1"),
    ('{"id": 1}', "no 'turns' list"),
    ('{"turns": [{"speaker": "A", "text": 3}]}', "conversation 2: turn 1: 'text' is int"),
    ('{"id": "d3", "turns": [{"speaker": "A"}]}', "conversation 'd3': turn 1: no 'text'"),
    ('{"turns": [{"text": "hi"}]}', "conversation 2: turn 1: no speaker"),
    ('{"id": "d2", "turns": []}', "conversation 'd2' has no turns"),
    ('{"turns": [["A", "hi"]], "speakers": {"A": {"O": 2, "C": 0, "E": 0, "A": 0, "N": 0}}}',
     "conversation 2: speaker 'A': trait O is 2"),
    ('{"id": "d2", "turns": [["A", "bad \\ud800 here"]]}',
     "conversation 'd2': turn 1 field 'text' has a lone surrogate at character 4"),
])
def test_bad_jsonl_names_file_and_line(line, message):
    from tone.dialogue import read_conversations

    data = io.BytesIO(('{"turns": [["A", "hi"]]}\n' + line + "\n").encode())
    with pytest.raises(DataFileError) as err:
        list(read_conversations([data], fmt="jsonl"))
    assert str(err.value).startswith("<input>:2: ") and message in str(err.value)
    data.seek(0)
    skipped = list(read_conversations([data], fmt="jsonl", errors="skip"))
    assert len(skipped) == 2 and skipped[1].error.startswith("<input>:2: ")


def test_csv_reader_groups_rows_by_dialogue(tmp_path):
    from tone.dialogue import read_conversations

    path = tmp_path / "meld.csv"
    path.write_text("Sr No.,Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\n"
                    "1,\"Oh, no!\",Ross,sadness,0,0\n2,What?,Rachel,surprise,0,1\n"
                    "3,Great news,Joey,joy,1,0\n", encoding="utf-8")
    convs = list(read_conversations([str(path)]))
    assert [(c.id, [(t.speaker, t.text, t.label) for t in c.turns]) for c in convs] == [
        ("0", [("Ross", "Oh, no!", "sadness"), ("Rachel", "What?", "surprise")]),
        ("1", [("Joey", "Great news", "joy")])]
    assert convs[1].turns[0].line == 4


def test_emorynlp_layout_scene_key_and_list_speakers(tmp_path):
    from tone.dialogue import read_conversations

    path = tmp_path / "emory.csv"
    path.write_text("Utterance,Speaker,Emotion,Scene_ID,Utterance_ID,Season,Episode\n"
                    "Hi,['Monica Geller'],Joyful,1,1,1,2\nYo,\"['Joey Tribbiani', 'Ross "
                    "Geller']\",Neutral,1,2,1,2\nOk,['Ross Geller'],Mad,1,1,1,3\n",
                    encoding="utf-8")
    convs = list(read_conversations([str(path)]))
    assert [c.id for c in convs] == ["1_2_1", "1_3_1"]
    assert convs[0].turns[1].speaker == "Joey Tribbiani, Ross Geller"


def test_csv_dialogue_rows_must_be_consecutive(tmp_path):
    from tone.dialogue import read_conversations

    path = tmp_path / "d.csv"
    path.write_text("dialogue,speaker,text\n1,A,hi\n2,B,yo\n1,A,again\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"d.csv:4: dialogue '1' continues"):
        list(read_conversations([str(path)]))
    assert [c.error is None for c in read_conversations([str(path)], errors="skip")] == [
        True, True, False]


def test_csv_without_a_speaker_column_is_a_usage_error(tmp_path):
    from tone.dialogue import read_conversations

    path = tmp_path / "d.csv"
    path.write_text("dialogue,text\n1,hi\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no speaker column"):
        list(read_conversations([str(path)]))


def test_dailydialog_lines_alternate_speakers():
    from tone.dialogue import read_conversations

    data = io.BytesIO(b"Hi ! __eou__ Hello . __eou__ Bye . __eou__\nOne turn only\n")
    convs = list(read_conversations([data], fmt="eou"))
    assert [[(t.speaker, t.text) for t in c.turns] for c in convs] == [
        [("A", "Hi !"), ("B", "Hello ."), ("A", "Bye .")], [("A", "One turn only")]]


# --- context ----------------------------------------------------------------------------------

def test_emotionic_gates():
    from tone.dialogue.context import other_gate, self_gate

    assert self_gate(3) == 0.5 and math.isclose(self_gate(1), 1 / (1 + math.exp(-2)))
    assert self_gate(1) > self_gate(2) > self_gate(5)
    assert math.isclose(other_gate(2), 1 / (1 + math.exp(-1)))
    assert other_gate(1) < other_gate(3)


def test_mixer_inertia_contagion_and_mover():
    from tone.dialogue.context import Mixer

    t_self = np.array([[1.0, 0.0], [0.0, 1.0]])
    t_other = np.array([[0.0, 1.0], [1.0, 0.0]])  # contagion flips the category
    mixer = Mixer(t_self, t_other, alpha=1.0, beta=0.0, contagion=1.0)
    x = np.array([[1.0, 0.0], [0.0, 0.1], [0.1, 0.1], [0.0, 0.0]])
    y, ctx = mixer.run(x, ["A", "B", "B", "A"])
    g1 = 1 / (1 + math.exp(-0.5))
    assert np.allclose(y[1], [0.0, 0.1 + g1])  # A's category 0 -> category 1 in B
    assert ctx[2].previous == 1 and ctx[2].other_turns == []  # same speaker, d = 1
    assert np.allclose(y[2], [0.1, 0.1] + (1 / (1 + math.exp(-2))) * y[1] @ t_self)
    assert np.allclose(y[3], 0.0) and ctx[3].mover is None  # no evidence, beta = 0
    assert ctx[1].mover == 0 and ctx[3].other_turns == [1, 2] and ctx[3].previous == 0
    with pytest.raises(UsageError):
        mixer.run(x, ["A"])


def test_context_never_adds_an_emotion_and_contagion_is_off_by_default():
    from tone.dialogue.context import CONTAGION, Mixer

    t = np.full((2, 2), 0.5)
    x = np.array([[1.0, 0.0], [0.0, 0.2], [0.3, 0.3], [0.0, 0.5]])
    y, ctx = Mixer(t, t, alpha=1.0, contagion=1.0).run(x, ["A", "B", "A", "B"])
    assert y[1, 0] == 0.0 and y[1, 1] > 0.2  # B's turn gains only on its own category
    assert y[3, 0] == 0.0 and ctx[3].mover is not None
    assert y[2, 0] > 0.3 and y[2, 1] > 0.3  # both categories its words carry gain
    assert CONTAGION == 0.0
    y0, ctx0 = Mixer(t, t, alpha=1.0).run(x, ["A", "B", "A", "B"])
    assert np.array_equal(y0[1], x[1]) and ctx0[1].other_turns == [] and ctx0[1].mover is None
    assert ctx0[2].previous == 0 and y0[2, 0] > 0.3  # inertia only
    with pytest.raises(UsageError, match="contagion"):
        Mixer(t, t, contagion=-1.0)


def test_beta_lets_context_reach_turns_without_evidence():
    from tone.dialogue.context import Mixer

    y, _ = Mixer(np.eye(2), np.eye(2), alpha=0.0, beta=1.0, contagion=1.0).run(
        np.array([[1.0, 0.0], [0.0, 0.0]]), ["A", "B"])
    assert y[1, 0] > 0


# --- tables -----------------------------------------------------------------------------------

def test_fit_counts_pairs_and_turtle_round_trip(tmp_path):
    from tone.dialogue.tables import fit, load

    convs = [[("A", "anger"), ("B", "neutral"), ("A", "anger"), ("B", "joy")]]
    cats = ["anger", "disgust", "fear", "joy", "sadness", "surprise"]
    tables = fit(convs, cats, smoothing=0.0, scheme="meld", source="test")
    assert tables.counts_self[0, 0] == 1 and tables.counts_self.sum() == 1
    assert tables.counts_other[0, 3] == 1 and tables.counts_other.sum() == 1  # anger -> joy
    assert np.allclose(tables.t_self.sum(axis=1), 1.0)
    path = tmp_path / "t.ttl"
    path.write_text(tables.to_turtle(), encoding="utf-8")
    back = load("meld", path=path)
    assert np.allclose(back.t_self, tables.t_self, atol=1e-6) and back.source == "test"
    with pytest.raises(UsageError, match="no dialogue transition tables for the scheme 'ekman'"):
        load("ekman", path=path)


def test_shipped_tables_are_in_the_ontology(onto):
    from tone.dialogue.tables import load

    primary = load("primary", ontology=onto)
    assert primary.method.startswith("ontology") and np.allclose(primary.t_self.sum(axis=1), 1)
    fw = load("feeling-wheel", ontology=onto)
    assert "Apache-2.0" in fw.source
    rows = onto.query("""SELECT (COUNT(?e) AS ?n) WHERE { ?e a tone:DialogueTransition ;
                         tone:method ?m ; dcterms:source ?s }""")
    assert int(list(rows)[0][0]) == 2 * 2 * 36


# --- annotate and records ---------------------------------------------------------------------

def test_annotate_records_per_turn():
    from tone.dialogue import annotate

    turns = list(annotate([CHAT], contagion=1.0))
    assert [(t.dialogue, t.turn, t.speaker) for t in turns] == [("c1", 1, "A"), ("c1", 2, "B"),
                                                              ("c1", 3, "A")]
    record = turns[1].to_dict(explain=True)
    assert record["id"] == "c1#2" and record["dialogue"] == "c1"
    assert record["context"]["other"] == [1] and record["context"]["moved_by"] == 1
    assert record["context"]["shift"]["joy"] > 0
    assert record["context"]["trace"][0]["kind"] == "other"
    assert turns[2].top == [] and turns[2].context["previous"] == 1


def test_annotate_in_a_scheme_mixes_the_scheme_scores():
    from tone.dialogue import annotate

    conv = [("A", "I am terrified of this."), ("B", "Me too, I am scared.")]
    plain = list(annotate([conv], alpha=0.0, scheme="feeling-wheel"))
    mixed = list(annotate([conv], scheme="feeling-wheel", contagion=1.0))
    assert mixed[1].to_dict()["scheme"]["scores"]["scared"] > \
        plain[1].to_dict()["scheme"]["scores"]["scared"]
    assert mixed[1].context["scheme"] == "feeling-wheel"


def test_annotate_refuses_one_conversation_unwrapped():
    from tone.dialogue import annotate

    with pytest.raises(UsageError):
        list(annotate("hello"))


# --- personality ------------------------------------------------------------------------------

def test_mehrabian_pad_both_stability_readings():
    from tone.dialogue.personality import FRIENDS, personality_pad

    t = FRIENDS["Ross"]
    p, a, d = personality_pad(t)
    assert math.isclose(p, .21 * t["E"] + .59 * t["A"] - .19 * t["N"])
    assert math.isclose(a, .15 * t["O"] + .30 * t["A"] + .57 * t["N"])
    assert math.isclose(d, .25 * t["O"] + .17 * t["C"] + .60 * t["E"] - .32 * t["A"])
    assert math.isclose(personality_pad(t, "neuroticism")[1],
                        .15 * t["O"] + .30 * t["A"] - .57 * t["N"])
    with pytest.raises(UsageError):
        personality_pad(t, "other")


def test_next_emotion_moves_with_the_reply_and_the_personality():
    from tone.dialogue.personality import FRIENDS, next_emotion

    history = [{"speaker": "Ross", "vad": {"valence": 0.0, "arousal": 0.5, "dominance": 0.5}},
               {"speaker": "Rachel", "vad": {"valence": -0.8, "arousal": 0.7,
                                             "dominance": 0.3}}]
    plain = next_emotion(history, None, gain=1.0, weight=0.0)
    assert plain["speaker"] == "Ross" and plain["vad"]["valence"] == -0.8
    assert plain["pad"] is None and math.isclose(sum(plain["scores"].values()), 1, abs_tol=1e-3)
    ross = next_emotion(history, FRIENDS["Ross"], gain=1.0, weight=1.0)
    assert ross["vad"]["valence"] < plain["vad"]["valence"]  # P > 0 scales the change up
    assert ross["stability"] == "inverse" and ross["top"] == max(ross["scores"],
                                                                  key=ross["scores"].get)
    with pytest.raises(UsageError):
        next_emotion(history[:1], None)


# --- CLI --------------------------------------------------------------------------------------

def test_cli_jsonl_tsv_and_errors(tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(CHAT) + "\n{bad\n", encoding="utf-8")
    result = run(str(path), "-q")
    assert result.exit_code == 1 and "chats.jsonl:2: malformed JSON" in result.output
    result = run(str(path), "-q", "--errors", "skip")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r.get("turn") for r in lines] == [1, 2, 3, None] and "error" in lines[3]
    out = tmp_path / "t.tsv"
    assert run(str(path), "-q", "--errors", "skip", "-f", "tsv", "-o", str(out)).exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8"), dialect="excel-tab"))
    assert rows[0][:4] == ["id", "dialogue", "turn", "speaker"]
    assert rows[2][:4] == ["c1#2", "c1", "2", "B"] and rows[4][-1].endswith("malformed JSON "
                                                                             "at column 2: "
                                                                             "Expecting "
                                                                             "property name "
                                                                             "enclosed in "
                                                                             "double quotes")


def _annotate_and_dialogue(tmp_path, name, annotate_line, dialogue_line, *options):
    """``tone annotate`` on one JSONL document and ``tone dialogue`` on one conversation."""
    doc, conv = tmp_path / f"{name}.jsonl", tmp_path / f"{name}-chat.jsonl"
    doc.write_bytes(annotate_line + b"\n")
    conv.write_bytes(dialogue_line + b"\n")
    runner = CliRunner()
    return (runner.invoke(cli, ["annotate", str(doc), "--id-field", "id", "-q", "--no-text",
                                *options], catch_exceptions=False),
            runner.invoke(cli, ["dialogue", str(conv), "-q", "--no-text", *options],
                          catch_exceptions=False))


@pytest.mark.parametrize("name, document, conversation, message", [
    ("surrogate", b'{"id": "d1", "text": "bad \\ud800 here"}',
     b'{"id": "d1", "turns": [["A", "bad \\ud800 here"]]}', "has a lone surrogate at character 4"),
    ("utf8", b'{"id": "d1", "text": "bad \xff here"}',
     b'{"id": "d1", "turns": [["A", "bad \xff here"]]}', "invalid UTF-8 (invalid start byte)"),
    ("json", b'{"id": "d1", "text": "ok"', b'{"id": "d1", "turns": [["A", "ok"]]',
     "malformed JSON at column"),
    ("missing", b'{"id": "d1"}', b'{"id": "d1", "turns": [{"speaker": "A"}]}', "no 'text'"),
])
def test_cli_bad_input_as_tone_annotate(tmp_path, name, document, conversation, message):
    """strict: exit 1 naming file:line; skip: one error record naming the conversation."""
    annotated, dialogue = _annotate_and_dialogue(tmp_path, name, document, conversation)
    for result, path in ((annotated, f"{name}.jsonl"), (dialogue, f"{name}-chat.jsonl")):
        assert result.exit_code == 1 and f"{path}:1: " in result.output
        assert message in result.output
    annotated, dialogue = _annotate_and_dialogue(tmp_path, name, document, conversation,
                                                  "--errors", "skip")
    for result in (annotated, dialogue):
        records = [json.loads(line) for line in result.output.splitlines()]
        assert result.exit_code == 0 and len(records) == 1 and message in records[0]["error"]
    # the conversation's id where the line could be read, else its line number
    assert records[0]["id"] == (1 if name in ("utf8", "json") else "d1")


def test_cli_lone_surrogates_replaced_or_refused(tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text('{"id": "d\\udc00", "turns": [["A\\ud800", "so happy \\ud800"], '
                    '["B", "me too"]], "speakers": {"A\\ud800": {"O": 0.5, "C": 0.5, '
                    '"E": 0.5, "A": 0.5, "N": 0.5}}}\n', encoding="utf-8")
    result = run(str(path), "-q")
    assert result.exit_code == 1 and "chat.jsonl:1: conversation 'd\\udc00': field 'id' has a " \
        "lone surrogate at character 1; turn 1 field 'speaker' has" in result.output
    assert "--errors replace|skip" in result.output
    records = [json.loads(line) for line in run(str(path), "-q", "--errors",
                                                "replace").output.splitlines()]
    assert [(r["dialogue"], r["speaker"], r["text"]) for r in records] == [
        ("d\ufffd", "A\ufffd", "so happy \ufffd"), ("d\ufffd", "B", "me too")]
    assert records[0]["top"] == ["joy"]


def test_cli_empty_conversation_is_an_error(tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text('{"id": "e", "turns": []}\n' + json.dumps(CHAT) + "\n", encoding="utf-8")
    result = run(str(path), "-q")
    assert result.exit_code == 1 and "chat.jsonl:1: conversation 'e' has no turns" in \
        result.output
    records = [json.loads(line) for line in run(str(path), "-q", "--errors",
                                                "skip").output.splitlines()]
    assert [r.get("turn") for r in records] == [None, 1, 2, 3] and records[0]["id"] == "e"


def test_cli_csv_bad_row_names_its_dialogue(tmp_path):
    """A short row inside a dialogue makes that dialogue one error (its turns would be numbered
    wrong), not an error per later row; a missing column is a usage error (exit 2)."""
    path = tmp_path / "chat.csv"
    path.write_text("Dialogue_ID,Speaker,Utterance\n1,A,hi\n1,B\n1,A,so happy\n\n2,A,ok\n",
                    encoding="utf-8")
    result = run(str(path), "-q")
    assert result.exit_code == 1 and "chat.csv:3: expected 3 fields, found 2" in result.output
    records = [json.loads(line) for line in run(str(path), "-q", "--errors",
                                                "skip").output.splitlines()]
    assert [(r["id"], r.get("turn")) for r in records] == [("1", None), ("2#1", 1)]
    assert records[0]["error"] == f"{path}:3: expected 3 fields, found 2 (a row of dialogue '1')"
    path.write_text("Dialogue_ID,Speaker\n1,A\n", encoding="utf-8")
    result = run(str(path), "-q")
    assert result.exit_code == 2 and "no text column" in result.output
    path.write_text("", encoding="utf-8")  # an empty file: no conversation, no error
    result = run(str(path), "-q")
    assert result.exit_code == 0 and result.output == ""


@pytest.mark.parametrize("fmt", ["emotionml", "jsonld", "turtle"])
def test_cli_other_formats(fmt):
    result = run("-", "-q", "-f", fmt, input=json.dumps(CHAT) + "\n")
    assert result.exit_code == 0 and "c1#3" in result.output


def test_cli_explain_names_the_moving_turn(tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(CHAT) + "\n", encoding="utf-8")
    result = run("explain", str(path), "--turn", "2", "--contagion", "1")
    assert result.exit_code == 0
    assert "moved most by turn 1 (A, the other speaker's turn): joy +" in result.output
    alone = run("explain", str(path), "--turn", "2").output
    assert "no earlier turn moved the scores (the first turn of B; --contagion" in alone
    assert "(the first turn)" in run("explain", str(path), "--turn", "1").output
    again = {"id": "c2", "turns": [{"speaker": "A", "text": "I am so happy today!"},
                                   {"speaker": "B", "text": "Okay."},
                                   {"speaker": "A", "text": "So happy, really."}]}
    path.write_text(json.dumps(again) + "\n", encoding="utf-8")
    inertia = run("explain", str(path), "--turn", "3")
    assert "moved most by turn 1 (A, the speaker's previous turn): joy +" in inertia.output
    assert run("explain", str(path), "--turn", "9").exit_code == 2


def test_cli_fit_writes_tables_that_annotate_reads(tmp_path):
    path = tmp_path / "labelled.jsonl"
    turns = [{"speaker": s, "text": t, "emotion": e} for s, t, e in
             [("A", "grr", "anger"), ("B", "yay", "joy"), ("A", "grr", "anger")]]
    path.write_text(json.dumps({"id": 1, "turns": turns}) + "\n", encoding="utf-8")
    tables = tmp_path / "t.ttl"
    assert run("fit", str(path), "--scheme", "ekman", "-o", str(tables)).exit_code == 0
    assert "tone:DialogueTransition" in tables.read_text(encoding="utf-8")
    result = run(str(path), "-q", "--scheme", "ekman", "--tables", str(tables))
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[0])["context"][
        "scheme"] == "ekman"
    assert run(str(path), "-q", "--tables", str(tables)).exit_code == 2  # tables for ekman


def test_eval_dialogue_on_meld(shared):
    result = CliRunner().invoke(cli, ["eval", "--dataset", "meld", "--split", "dev", "--limit",
                                      "200", "--dialogue", "--json"])
    assert result.exit_code == 2 and "no dialogue transition tables" in result.output


def test_ontology_readme_query_lists_the_diagonals(onto):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "ontology" / "README.md").read_text(
        encoding="utf-8")
    section = text.split("## Dialogue transitions", 1)[1].split("\n## ", 1)[0]
    (query,) = re.findall(r"```sparql\n(.*?)```", section, re.S)
    rows = [(str(s), str(k), str(f), str(t)) for s, k, f, t, _, _ in onto.query(query)]
    assert len(rows) == 2 * 2 * 6  # two schemes, two kinds, six categories each
    assert ("primary", "self", "joy", "joy") in rows
    assert ("feeling-wheel", "other", "scared", "scared") in rows


def test_records_carry_the_speakers_personality():
    from tone.dialogue import annotate
    from tone.dialogue.personality import personality_pad

    turns = list(annotate([CHAT]))
    record = turns[0].to_dict()
    assert record["personality"]["traits"]["O"] == 0.6
    assert record["personality"]["pad"] == [round(x, 4) for x in
                                            personality_pad(CHAT["speakers"]["A"])]
    assert "personality" not in turns[1].to_dict()  # B has no traits in the input


def test_eval_dialogue_with_the_shipped_feeling_wheel_tables(shared):
    result = CliRunner().invoke(cli, ["eval", "--dataset", "emorynlp", "--split", "dev",
                                      "--limit", "150", "--dialogue", "--alpha", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    plain = json.loads(CliRunner().invoke(cli, ["eval", "--dataset", "emorynlp", "--split",
                                                "dev", "--limit", "150", "--json"]).output)
    assert report["n"] == plain["n"] == 150
    assert report["systems"]["tone"]["coverage"] == plain["systems"]["tone"]["coverage"]
    assert CliRunner().invoke(cli, ["eval", "--dataset", "meld", "--alpha", "1"]).exit_code == 2


def test_turn_records_carry_dialogue_causes_and_listener_intents():
    texts = ["My grandmother died last week.", "Oh no, I am so sorry to hear that."]
    conv = {"id": "c", "turns": [{"speaker": s, "text": t} for s, t in zip("AB", texts)]}
    records = [t.to_dict() for t in tone.dialogue.annotate([conv])]
    for record in records:
        for cause in record["causes"]:
            assert 1 <= cause["turn"] <= record["turn"]
            source = texts[cause["turn"] - 1]
            assert source[cause["start"]:cause["end"]] == cause["text"]
        assert record["suggested_intents"], record
        assert {"intent", "strategy", "score"} <= set(record["suggested_intents"][0])
    # the reply's sorrow is caused by the news of the turn before
    assert 1 in {c["turn"] for c in records[1]["causes"]}
