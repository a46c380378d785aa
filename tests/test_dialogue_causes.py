"""Causes in dialogue (tone.dialogue.causes): rules, spans, the RECCON reader and scorers."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tone
from tone.dialogue import causes as C
from tone.errors import DataFileError, UsageError


@pytest.fixture(scope="module")
def annotator():
    return tone.Annotator()


def run(annotator, texts, emotional=None, speakers=None, **kw):
    speakers = speakers or ["A", "B"] * (len(texts) // 2 + 1)
    return C.dialogue_causes(texts, speakers[:len(texts)], list(annotator.pipe(texts)),
                             emotional, **kw)


def test_opening_turn_causes_itself_and_a_reaction_points_back(annotator):
    texts = ["I got the job !", "Congratulations ! That is wonderful news ."]
    causes = run(annotator, texts, ["joy", "joy"])
    assert [c["turn"] for c in causes[0]] == [1]
    assert causes[0][0]["rule"] == "opens-conversation"
    back = [c for c in causes[1] if c["turn"] == 1]
    assert back and back[0]["rule"] == "reaction" and back[0]["cue"] == "congratulations"
    assert "previous-turn" in C.WEIGHTS["previous"]


def test_surprise_is_caused_by_what_was_just_said(annotator):
    texts = ["We are moving to Paris next month .", "Really ?"]
    causes = run(annotator, texts, ["neutral", "surprise"])
    assert causes[0] == []
    assert [c["turn"] for c in causes[1]] == [1]
    assert "surprise" in causes[1][0]["rules"]


def test_a_carried_emotion_keeps_its_earlier_cause(annotator):
    texts = ["Guess what ? We are going to Paris next week !", "Really ?",
             "Yes , I booked the tickets this morning .", "That is so exciting !"]
    causes = run(annotator, texts, ["happiness", "surprise", "happiness", "happiness"])
    assert 1 in {c["turn"] for c in causes[3]}  # two turns back: the news itself
    far = next(c for c in causes[3] if c["turn"] == 1)
    assert far["rule"] in ("same-emotion", "inherited", "cause-before", "first-emotional")


def test_neutral_turns_have_no_causes_and_labels_or_booleans_mark_emotional(annotator):
    texts = ["The meeting is at noon .", "I am so happy you came !"]
    assert run(annotator, texts, [False, True])[0] == []
    assert run(annotator, texts, ["neutral", "joy"])[0] == []
    assert run(annotator, texts, [None, "excited"])[1]  # a lexicon word as label
    by_default = run(annotator, texts)  # tone decides: the first turn has no emotion
    assert by_default[0] == [] and by_default[1]


def test_every_emotional_turn_gets_a_cause_with_its_reasons(annotator):
    texts = ["Hi .", "Hello .", "Fine ."]
    causes = run(annotator, texts, [True, True, True])
    for turn, found in enumerate(causes, 1):
        assert found, turn
        for c in found:
            assert 1 <= c["turn"] <= turn
            assert c["rules"] and isinstance(c["score"], float) and c["span_rule"]


def test_empty_and_blank_conversations(annotator):
    assert C.dialogue_causes([], [], []) == []
    causes = run(annotator, ["", "  ", "ok"], [True, True, True])
    assert causes[1][0]["text"] == ""
    assert causes[2][0]["turn"] == 2 and causes[2][0]["rule"] == "reaction"  # "ok" answers


def test_weights_decide(annotator):
    texts = ["a", "b", "c", "d"]
    everything = {pos: {C.PRIORS[pos]: 5.0} for pos in C.POSITIONS}
    causes = run(annotator, texts, [True] * 4, weights=everything)
    assert [c["turn"] for c in causes[3]] == [4, 3, 2, 1]
    only_self = {"self": {"own-turn": 5.0}, "previous": {"previous-turn": -5.0},
                 "earlier": {"earlier-turn": -5.0}}
    causes = run(annotator, texts, [True] * 4, weights=only_self)
    assert [[c["turn"] for c in found] for found in causes] == [[1], [2], [3], [4]]


def test_bad_input_is_refused(annotator):
    anns = list(annotator.pipe(["a", "b"]))
    with pytest.raises(UsageError, match="1 speakers for 2 texts"):
        C.dialogue_causes(["a", "b"], ["A"], anns)
    with pytest.raises(UsageError, match="3 emotional for 2 texts"):
        C.dialogue_causes(["a", "b"], ["A", "B"], anns, [True, True, True])
    with pytest.raises(UsageError, match="emotion label 'qwzx'"):
        C.dialogue_causes(["a", "b"], ["A", "B"], anns, ["qwzx", "joy"])


# -- spans -----------------------------------------------------------------------------------
def test_cause_span_cuts_reactions_leads_and_tags():
    text = "Thank you . Yes , it is very nice , isn't it ?"
    s, e, rule = C.cause_span(text)
    assert (text[s:e], rule) == ("it is very nice", "content+lead+tag")
    text = "Oh , really ?"  # nothing but a reaction: the whole turn stays
    assert C.cause_span(text) == (0, len(text), "turn")
    text = "Do you like flowers ? I grow roses ."  # questions stay
    assert C.cause_span(text)[:2] == (0, len(text))


def test_cause_span_cuts_openers_and_the_clause_before_a_contrast():
    text = "Oh . And I am really hungry now ."
    s, e, rule = C.cause_span(text)
    assert (text[s:e], rule) == ("I am really hungry now .", "content+opener")
    text = "Of course ! I really love watching football ."
    assert text[slice(*C.cause_span(text)[:2])] == "I really love watching football ."
    text = "The Taj ? They're a bit expensive, but they serve large portions ."
    s, e, rule = C.cause_span(text)
    assert (text[s:e], rule) == ("they serve large portions .", "contrast")
    text = "It is fine , but"  # nothing after the contrast: no cut
    assert C.cause_span(text) == (0, len(text), "turn")
    text = "But ."  # an opener with nothing after it stays
    assert C.cause_span(text) == (0, len(text), "turn")


def test_pair_span_keeps_the_sentences_holding_the_cause(annotator):
    """In a cause turn of several sentences the sentence rules keep the one with the emotion
    words over the questions around it, and the one the next turn reacts to; with every
    sentence scored positive the span is cause_span's, as before."""
    texts = ["What time is it ? I lost my wallet and I am so sad . Where is the bus ?"]
    turns = C.read_turns(texts, ["A"], list(annotator.pipe(texts)), ["sadness"])
    s, e, rule = C.pair_span(turns, 0, 0)
    assert (texts[0][s:e], rule) == ("I lost my wallet and I am so sad .", "sentences")
    fired = [f for _, _, f in C.sentence_rules(turns, 0, 0)]
    assert [bool(f.get("asks")) for f in fired] == [True, False, True]
    assert [bool(f.get("emotion-words")) for f in fired] == [False, True, False]
    assert C.pair_span(turns, 0, 0, weights={"sentence": 1.0}) == (0, len(texts[0]), "turn")
    texts = ["Where were you yesterday ? I got you a present .", "Thank you so much !"]
    causes = run(annotator, texts, ["neutral", "joy"])
    by_turn = {c["turn"]: c for c in causes[1]}
    assert by_turn[1]["text"] == "I got you a present ." and \
        by_turn[1]["span_rule"] == "sentences"
    assert "answered" in C.sentence_rules(C.read_turns(texts, ["A", "B"], list(
        annotator.pipe(texts)), ["neutral", "joy"]), 1, 0)[-1][2]


@given(st.lists(st.sampled_from(list("ab ,.!?'()\n") + ["Yes", "thanks", " , ", "isn't it",
                                                          "Oh", "it is", "But", "but", "of course",
                                                          "And"]),
                max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_cause_span_is_a_trimmed_piece_of_the_text(text):
    s, e, rule = C.cause_span(text)
    assert 0 <= s <= e <= len(text)
    if text.strip():
        assert e > s and not text[s].isspace() and not text[e - 1].isspace()
    else:
        assert (s, e) == (0, 0)
    assert rule == "turn" or set(rule.split("+")) <= {"content", "lead", "opener", "contrast", "tag"}


_WORDS = ["I", "you", "got", "the", "job", "thanks", "really", "?", "!", ".", ",", "sad",
          "happy", "that", "is", "great", "my", "dog", "died", "oh", "no"]


@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12).map(" ".join),
                min_size=1, max_size=6),
       st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
def test_causes_point_into_their_turns(annotator, texts, data):
    emotional = data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    causes = run(annotator, texts, emotional)
    assert len(causes) == len(texts)
    for n, (flag, found) in enumerate(zip(emotional, causes)):
        assert bool(found) == flag
        turns = [c["turn"] for c in found]
        assert len(set(turns)) == len(turns)
        for c in found:
            assert 1 <= c["turn"] <= n + 1
            assert texts[c["turn"] - 1][c["start"]:c["end"]] == c["text"]


# -- RECCON reader and scorers ------------------------------------------------------------------
def _reccon(tmp_path, data):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_read_reccon_keeps_causes_at_or_before_the_turn(tmp_path):
    turns = [
        {"turn": 1, "speaker": "A", "utterance": "I won !", "emotion": "happiness",
         "expanded emotion cause evidence": [1], "expanded emotion cause span": ["I won"]},
        {"turn": 2, "speaker": "B", "utterance": "Wow !", "emotion": "surprise",
         "expanded emotion cause evidence": [1, "b", 3],
         "expanded emotion cause span": ["won", "x", "y"]},
        {"turn": 3, "speaker": "A", "utterance": "Yes .", "emotion": "neutral"},
    ]
    (conv,) = C.read_reccon(_reccon(tmp_path, {"d1": [turns]}))
    assert conv["id"] == "d1" and conv["speakers"] == ["A", "B", "A"]
    assert conv["causes"] == [{0: ["I won"]}, {0: ["won"]}, {}]


def test_read_reccon_errors_name_the_file_and_dialogue(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"d1": [[{"turn": 1,}]]}', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad.json:1:\d+: not JSON"):
        C.read_reccon(bad)
    with pytest.raises(DataFileError, match=r"dialogue 'd9' turn 1: missing 'utterance'"):
        C.read_reccon(_reccon(tmp_path, {"d9": [[{"speaker": "A", "emotion": "joy"}]]}))
    with pytest.raises(DataFileError, match="expected a JSON object"):
        C.read_reccon(_reccon(tmp_path, [1, 2]))
    with pytest.raises(UsageError, match="cannot read"):
        C.read_reccon(tmp_path / "absent.json")


def test_scorers():
    conv = {"texts": ["It rained .", "Oh no , my party !"], "emotions": ["neutral", "sadness"],
            "causes": [{}, {0: ["It rained"], 1: ["my party"]}]}
    assert C.causal_pair_f1([conv], [[[], [{"turn": 1}]]]) == {
        "precision": 1.0, "recall": 0.5, "f1": 0.6667, "pairs": 2}
    assert C.token_f1("my party !", "my party") == 0.8
    assert C.token_f1("x", "y") == 0.0
    spans = C.span_f1([conv], lambda c, i, k: c["texts"][k])
    assert spans["pairs"] == 2 and 0 < spans["f1"] < 1


@pytest.fixture(scope="module")
def reccon(shared):
    path = shared / "reccon"
    if not path.is_dir():
        pytest.skip("no RECCON in the shared data")
    return {name: C.read_reccon(path / f"dailydialog_{name}.json") for name in ("train", "valid")}


def _baseline(conv):
    return [[] if e == "neutral" else [{"turn": i + 1}] + ([{"turn": i}] if i else [])
            for i, e in enumerate(conv["emotions"])]


def test_reccon_baselines_and_tone_beats_them(reccon, annotator):
    expected = {"train": (0.604, 0.788), "valid": (0.681, 0.717)}
    for name, convs in reccon.items():
        base = C.causal_pair_f1(convs, [_baseline(c) for c in convs])["f1"]
        whole = C.span_f1(convs, lambda c, i, k: c["texts"][k])["f1"]
        assert (round(base, 3), round(whole, 3)) == expected[name]
        predicted = [C.dialogue_causes(c["texts"], c["speakers"],
                                       list(annotator.pipe(c["texts"])), c["emotions"])
                     for c in convs]
        assert C.causal_pair_f1(convs, predicted)["f1"] > base + 0.04, name

        def cut(c, i, k):
            s, e, _ = C.cause_span(c["texts"][k])
            return c["texts"][k][s:e]
        trimmed = C.span_f1(convs, cut)["f1"]
        assert trimmed > whole + 0.01, name
        turns = {c["id"]: C.read_turns(c["texts"], c["speakers"], list(annotator.pipe(c["texts"])),
                                       c["emotions"]) for c in convs}

        def chosen(c, i, k):
            s, e, _ = C.pair_span(turns[c["id"]], i, k)
            return c["texts"][k][s:e]
        assert C.span_f1(convs, chosen)["f1"] > trimmed + 0.003, name  # the sentence rules


def test_causes_are_looked_for_within_max_back_turns(annotator):
    texts = ["I am so happy !"] * (C.MAX_BACK + 10)
    everything = {pos: {C.PRIORS[pos]: 5.0} for pos in C.POSITIONS}
    causes = run(annotator, texts, [True] * len(texts), weights=everything)
    last = len(texts)
    assert min(c["turn"] for c in causes[-1]) == last - C.MAX_BACK
    assert len(causes[-1]) == C.MAX_BACK + 1


def test_records_work_like_annotations(annotator):
    texts = ["I got the job !", "Congratulations ! That is wonderful news ."]
    anns = list(annotator.pipe(texts))
    assert C.dialogue_causes(texts, ["A", "B"], [a.to_dict() for a in anns]) == \
        C.dialogue_causes(texts, ["A", "B"], anns)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted), max_size=12),
       st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_overlaps_agrees_with_checking_every_span(spans, a, b):
    """The sentence rules' overlap test (bisection over the spans, linear in a long turn)
    answers as the plain scan over every span."""
    start, end = min(a, b), max(a, b)
    assert C._Overlaps(spans).any(start, end) == any(s < end and e > start for s, e in spans)


@given(st.lists(st.lists(st.sampled_from(["You", "don't", "say", "!", "  ", "\n", "Mr.", "holiday",
                                          ",", "yourself", "U.S.A.", "well-known", "3.5", "'s"]),
                         max_size=40).map(" ".join), max_size=4))
@settings(max_examples=200, deadline=None)
def test_turn_words_in_pieces_reads_what_one_pass_reads(texts):
    """Tokenizing long turns in pieces cut at whitespace (here every 8 characters) reads the
    same words as tokenizing each turn whole."""
    from tone.text import tokenize

    saved, C.PIECE_CHARS = C.PIECE_CHARS, 8
    try:
        found = C.turn_words(texts)
    finally:
        C.PIECE_CHARS = saved
    for text, got in zip(texts, found):
        words = [w.lower() for w in tokenize([text]).doc_tokens(0) if C._WORD.match(w)]
        assert (got.count, got.first, got.addressed, got.content) == (
            len(words), words[0] if words else "", any(w in C._SECOND for w in words),
            {w for w in words if len(w) > 2 and w not in C._FUNCTION})
