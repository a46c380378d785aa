"""What users see at once: negation policy, idioms and experiencer frames, end to end through
``tone.annotate`` (the shipped lexicon and rules; rules/README.md, "Negation policy").

The last part checks the DSL pieces these behaviours are built from (``negate ... to``,
``idiom``, ``frame``) on their own."""
from __future__ import annotations

import pytest

import tone
from tone.errors import RuleSyntaxError
from tone.ontology import Ontology
from tone.rules import load, parse_text
from tone.rules._standin import make_matches
from tone.text import token_key, tokenize


def spans(text):
    return [(s.text, s.concept) for s in tone.annotate(text).spans]


def primary_of(concept: str) -> str:
    t = Ontology().table()
    c = t.index(concept)
    while t.parent[c] >= 0:
        c = t.parent[c]
    return t.labels[c]


# --- negation: flip only on the valence axis -------------------------------------------------

@pytest.mark.parametrize("text", ["I am not happy", "I'm not happy at all", "not happy"])
def test_not_happy_is_sadness_side_and_weak(text):
    a = tone.annotate(text)
    assert a.top == ["sadness"]
    assert a.vad["valence"] < 0
    assert a.primary["sadness"] < tone.annotate("I am sad").primary["sadness"]


def test_not_sad_is_joy_side():
    a = tone.annotate("I am not sad")
    assert a.top == ["joy"] and a.vad["valence"] > 0


@pytest.mark.parametrize("text", ["I'm not scared", "no worries", "I'm not worried",
                                  "don't be afraid", "I am not afraid of you"])
def test_negated_fear_is_weak_relief_never_anger(text):
    a = tone.annotate(text)
    assert "anger" not in a.top and "fear" not in a.top
    assert a.top == ["joy"]
    assert {primary_of(s.concept) for s in a.spans} == {"joy"}
    assert any(s.concept == "relief" for s in a.spans)
    assert a.primary["joy"] < tone.annotate("I am relieved").primary["joy"]


@pytest.mark.parametrize("text", ["I am not angry", "we are not angry at all"])
def test_not_angry_is_weakened_anger_not_fear(text):
    a = tone.annotate(text)
    assert a.primary["fear"] == 0
    assert a.top == ["anger"]
    assert a.primary["anger"] < tone.annotate(text.replace("not ", "")).primary["anger"] / 2


def test_not_surprised_keeps_its_concept_weakly():
    a = tone.annotate("She was not surprised")
    assert a.top == ["surprise"]
    assert a.primary["surprise"] < tone.annotate("She was surprised").primary["surprise"] / 2


# --- idioms ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["I can't wait!", "I cannot wait to see you", "cant wait"])
def test_cant_wait_is_eagerness_with_positive_valence(text):
    a = tone.annotate(text)
    assert a.top == ["joy"]
    assert [c for _, c in spans(text)] == ["eagerness"]
    assert a.vad["valence"] > 0


@pytest.mark.parametrize("text", ["not bad", "It's not too bad", "not that bad actually"])
def test_not_bad_is_mildly_positive(text):
    a = tone.annotate(text)
    assert a.top == ["joy"] and a.vad["valence"] > 0
    assert a.primary["joy"] < tone.annotate("I am happy").primary["joy"] / 2


@pytest.mark.parametrize("text", ["I've never been happier", "I couldn't be happier",
                                  "never felt better"])
def test_never_been_happier_is_strong_joy(text):
    a = tone.annotate(text)
    assert a.top == ["joy"] and a.vad["valence"] > 0
    assert a.primary["joy"] >= tone.annotate("happy").primary["joy"]
    assert a.primary["sadness"] == 0


def test_no_doubt_and_not_only_do_not_negate():
    assert tone.annotate("no doubt about it").top == []
    a = tone.annotate("not only happy but proud")
    assert a.top == ["joy"] and a.primary["sadness"] == 0


# --- experiencer frames ------------------------------------------------------------------------

def test_frame_predicate_outweighs_the_event_word():
    a = tone.annotate("I am angry that she was happy")
    assert a.top[0] == "anger"
    assert a.primary["anger"] > a.primary["joy"]
    # without the frame both words weigh the same
    b = tone.annotate("angry that she was happy")
    assert b.primary["anger"] == pytest.approx(b.primary["joy"])


@pytest.mark.parametrize("text", ["I'm happy", "I feel happy", "i feel so happy",
                                  "The party made me happy"])
def test_frame_keeps_the_feeling(text):
    a = tone.annotate(text)
    assert a.top == ["joy"] and a.vad["valence"] > 0


def test_frame_boosts_the_predicate_only_a_little():
    framed = tone.annotate("I am sad").primary["sadness"]
    plain = tone.annotate("sad").primary["sadness"]
    very = tone.annotate("very sad").primary["sadness"]
    assert plain < framed <= very + 1e-9


def test_ashamed_when_i_lied_is_shame():
    a = tone.annotate("I was ashamed when I lied")
    assert a.tertiary and max(a.tertiary, key=a.tertiary.get) == "shame"


# --- a trailing hashtag or emoji is the writer's comment, outside the negated clause -----------

@pytest.mark.parametrize("text", ["waited all day and nobody showed up #awful",
                                  "he never called back :(", "I didn't get the job 😢"])
def test_trailing_comment_is_not_negated(text):
    a = tone.annotate(text)
    assert a.top and set(a.top) <= {"sadness", "anger"}
    assert a.vad["valence"] < 0
    assert not any(s.negated for s in a.spans if s.text[0] in "#:" or not s.text.isascii())


@pytest.mark.parametrize("text", ["not #happy", "I am not #happy"])
def test_negator_right_before_a_hashtag_still_negates_it(text):
    a = tone.annotate(text)
    assert a.top == ["sadness"]
    assert all(s.negated for s in a.spans)


# --- the DSL pieces -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def onto():
    return Ontology()


def run(onto, text, docs, lex):
    table = onto.table()
    rules = load(paths=[], table=table, ontology=onto, text=text)
    batch = tokenize(docs)
    m = make_matches(batch, {w: (table.index(c), 1.0) for w, c in lex.items()}, key=token_key)
    return rules.apply(batch, m), table


def test_negate_to_sends_the_match_to_the_named_concept(onto):
    fx, table = run(onto, "rule n: negate cues negator action flip to relief factor 0.26;",
                    ["not scared", "scared"], {"scared": "fear"})
    assert [table.labels[c] for c in fx.concept] == ["relief", "fear"]
    assert fx.weight.tolist() == pytest.approx([0.26, 1.0])
    assert fx.negated.tolist() == [True, False]


def test_negate_to_round_trips_and_needs_flip():
    rf = parse_text("rule n: negate cues negator to tier 2 label relief factor 0.3 on under fear;")
    assert parse_text(rf.to_text()).statements == rf.statements
    with pytest.raises(RuleSyntaxError, match="'to' needs action flip"):
        parse_text("rule n: negate cues negator action dampen to relief;")


def test_frame_rule(onto):
    text = "rule f: frame cues [\"i feel\"] window 3 factor 2 rest 0.5;"
    fx, _ = run(onto, text, ["i feel very sad that it was good , good", "sad"],
                {"sad": "sadness", "good": "joy"})
    assert fx.weight.tolist() == pytest.approx([2.0, 0.5, 1.0, 1.0])
    assert fx.rules_of(0) == ["f"] and fx.rules_of(2) == []


def test_idiom_statement(onto):
    rules = load(paths=[], table=onto.table(), ontology=onto,
                 text='idiom cw: ["can\'t wait": 0.8, "not bad": 0.3] -> eagerness;')
    assert rules.idioms == [("can't wait", "eagerness", 3, 0.8, "cw"),
                            ("not bad", "eagerness", 3, 0.3, "cw")]
    rows = rules.lexicon_rows()
    assert rows[0].kind == "phrase" and rows[0].source == "rules:cw"
    rf = parse_text('idiom cw: ["can\'t wait": 0.8] -> tier 3 label eagerness;')
    assert parse_text(rf.to_text()).statements == rf.statements


@pytest.mark.parametrize("text, words", [
    ('idiom x: ["a b": 1.5] -> joy;', r"from 0 \(excluded\) to 1"),
    ('idiom x: ["a b"] -> joyy;', "unknown concept label 'joyy'"),
    ("rule n: negate cues negator to joyy;", "unknown concept label 'joyy'"),
])
def test_idiom_and_to_errors_are_located(onto, text, words):
    with pytest.raises(RuleSyntaxError, match=words) as err:
        load(paths=[], table=onto.table(), ontology=onto, text=text)
    assert err.value.line == 1 and err.value.col > 1


@pytest.mark.parametrize("typed, typeset", [
    ("I can't wait!", "I can’t wait!"),            # the idiom
    ("I'm not happy", "I’m not happy"),            # the negator n't / the experiencer frame
    ("you're welcome", "you’re welcome"),          # a curated phrase
])
def test_typographic_apostrophe_reads_as_ascii(typed, typeset):
    a, b = tone.annotate(typed), tone.annotate(typeset)
    assert a.top and b.top == a.top
    assert [s.concept for s in b.spans] == [s.concept for s in a.spans]


@pytest.mark.parametrize("text, primary", [
    ("I can't stop laughing", "joy"),          # can't stop X: going on X-ing, not a negated X
    ("I couldn’t stop crying", "sadness"),
    ("I can't help smiling", "joy"),
    ("I can't stop worrying about it", "fear"),
])
def test_cant_stop_is_not_negation(text, primary):
    a = tone.annotate(text)
    assert a.top == [primary]
    assert not any(s.negated for s in a.spans)


@pytest.mark.parametrize("text", ["No he didn't lol", "that person won't be me lol",
                                  "Yeah no haha"])
def test_laughter_is_out_of_negation_scope(text):
    """Laughter particles comment on the clause (like a trailing emoji): a negator does not
    flip them to sadness, not even right before them."""
    a = tone.annotate(text)
    laughs = [s for s in a.spans if s.text.lower() in ("lol", "haha")]
    assert laughs and all(s.concept == "amusement" and not s.negated for s in laughs)
    assert a.top == ["joy"]


def test_a_match_at_a_stop_cue_is_out_of_scope(onto):
    """DSL level: a match that starts at one of a negate rule's stop cues is in no scope of it,
    while a match before the stop cue stays negated."""
    text = ('class laugh = ["lol"];\n'
            "rule n: negate cues negator stop clause_end, laugh action dampen factor 0.5;")
    fx, table = run(onto, text, ["he didn't lol", "he didn't smile", "not smile lol"],
                    {"lol": "amusement", "smile": "amusement"})
    assert fx.negated.tolist() == [False, True, True, False]


@pytest.mark.parametrize("text, word", [("That is not good.", "good"),
                                        ("I don't agree with you.", "agree")])
def test_negated_approval_is_disapproval(text, word):
    """'not good' is 'bad' (displeasure, disapproval), not sadness; 'not happy' still flips."""
    spans = tone.annotate(text).spans
    assert [(s.text, s.concept, s.negated) for s in spans] == [(word, "displeasure", True)]
    assert [s.concept for s in tone.annotate("I am not happy").spans] == ["sadness"]


def test_spaced_contraction_negates():
    """Pre-tokenized corpora write contractions with spaces (DailyDialog: "Don ’ t worry"):
    the negator "' t" reads as "n't"."""
    spaced = tone.annotate("Don ’ t worry .")
    assert [(s.concept, s.negated) for s in spaced.spans] == [("relief", True)]
    assert spaced.top == tone.annotate("Don't worry.").top == ["joy"]


def test_a_question_phrase_is_not_dampened_as_asked():
    """A curated question form ("really?", "what?") is the question itself: its weight already
    says what the question means, so the question rule (x0.7) leaves it; an emotion word inside
    a question ("are you happy?") is still asked about."""
    really = tone.annotate("Really? That's great!")
    assert [(s.text, round(s.score, 3), s.rules) for s in really.spans][0] == ("Really?", 0.6, [])
    assert really.top[0] == "surprise"
    asked = tone.annotate("are you happy?").spans[0]
    assert "question" in asked.rules
