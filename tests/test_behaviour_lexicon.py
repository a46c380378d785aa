"""General behaviours of the lexicon and the schemes (the suite issue "Accuracy across genres"):
rejected words stay rejected through the lemma fallback, hashtags of every word, reviewed
senses, Plutchik's dyads, the weak-link rule of ``top``, the valence prior and the ``always``
mode."""
from __future__ import annotations

import numpy as np
import pytest

import tone
from tone.annotator import Annotator
from tone.lexicon.compile import compile_lexicon
from tone.lexicon.match import match
from tone.lexicon.rows import LexiconRow, read_lexicon
from tone.lexicon.default import default_lexicon_path
from tone.ontology import Ontology
from tone.scoring.schemes import PRIOR_WEIGHT, get_scheme, scheme_scores
from tone.text import tokenize


@pytest.fixture(scope="module")
def table():
    return Ontology().table()


@pytest.fixture(scope="module")
def shipped():
    return read_lexicon(default_lexicon_path())


def _labels(lex, table, text):
    m = match(lex, tokenize([text]))
    return [table.labels[c] for c in m.concept]


# -- lexicon ------------------------------------------------------------------------------------
def test_rejected_row_blocks_the_lemma_route(table):
    rows = [LexiconRow("agitate", "thrill", 3, 0.7, "v")]
    assert _labels(compile_lexicon(rows, table), table, "i feel agitated") == ["thrill"]
    blocked = rows + [LexiconRow("agitated", "thrill", 3, 0.665, "v", "word",
                                 "derived-block:agitate", 0.7, "rejected")]
    lex = compile_lexicon(blocked, table)
    assert _labels(lex, table, "i feel agitated") == []
    assert _labels(lex, table, "i feel agitateddd") == []  # nor through the squeezed form
    assert _labels(lex, table, "they agitate") == ["thrill"]  # the lemma itself still matches


def test_builder_block_rows():
    from tone.vocab.builder import block_rows

    rows = [LexiconRow("numb", "sadness", 1, 0.4), LexiconRow("inspire", "joy", 1, 0.7)]
    primary = {("sadness", 1): ("sadness", 1), ("joy", 1): ("joy", 1)}.get
    out = block_rows({"number": set(), "inspired": {("joy", 1)}, "numb": set()}, rows,
                     {"number": "numb", "inspired": "inspire"}, primary)
    assert [(r.term, r.status, r.source) for r in out] == [
        ("number", "rejected", "derived-block:numb")]


def test_shipped_blocks_hold(shipped):
    blocks = [r for r in shipped if r.status == "rejected"]
    assert blocks and all(r.source.startswith("derived-block:") for r in blocks)
    terms = {r.term for r in shipped if r.status != "rejected"}
    assert not {r.term for r in blocks} & terms
    assert tone.annotate("the number of people").top == []  # number -> numb (sadness) blocked


def test_hashtag_for_every_single_word(shipped):
    words = {(r.term, r.concept, r.tier) for r in shipped
             if r.kind == "word" and r.term.isalpha() and r.status != "rejected"}
    tags = {(r.term[1:], r.concept, r.tier) for r in shipped if r.kind == "hashtag"}
    assert words <= tags
    result = tone.annotate("#awful")
    assert [s.term for s in result.spans] == ["#awful"]


@pytest.mark.parametrize("text, concept, absent", [
    ("Snow storm hits Chicago", None, "rage"),
    ("emotional", None, "affection"),
    ("eager", "eagerness", "enthusiasm"),
    ("anticipation", "eagerness", "fear"),
    ("i feel agitated", "agitation", "thrill"),
])
def test_reviewed_senses(text, concept, absent):
    spans = tone.annotate(text).spans
    assert absent not in {s.concept for s in spans}
    if concept is None:
        assert spans == []
    else:
        assert concept in {s.concept for s in spans}


@pytest.mark.parametrize("word, concept", [
    ("exhausted", "sadness"), ("bored", "sadness"), ("reluctant", "apprehension"),
    ("calm", "contentment"), ("determined", "zeal"), ("stuck", "frustration")])
def test_missing_affective_words(shipped, word, concept):
    rows = [r for r in shipped if r.term == word and r.status != "rejected"]
    assert rows and rows[0].concept == concept and rows[0].source == "curated"


def test_builder_moves_before_deriving(shipped):
    # a moved row's derived forms (frames, hashtags) move with it
    eager = {(r.term, r.concept) for r in shipped if "eager" in r.term.split(" ")[-1:]
             or r.term == "#eager"}
    assert ("#eager", "eagerness") in eager and ("feel eager", "eagerness") in eager
    assert not any(c == "enthusiasm" for _t, c in eager)


@pytest.mark.parametrize("text", [
    "I will do it tomorrow.",                  # do it: WordNet's euphemism, not love
    "You did it!",
    "The goods arrived yesterday.",            # goods: merchandise, not good (blocked)
    "How long does it take to get there?",     # take to: not fondness
    "I would like to invite you to dinner.",   # invite: not agitation (tempt.v.03)
    "We wear casual clothes at work.",         # casual: not cheerfulness
    "Please read it carefully.",               # carefully: attention, not caring
])
def test_everyday_senses_name_no_feeling(text):
    """Conversation's everyday senses of words WordNet files under a feeling (dev error
    analysis of DailyDialog and GoEmotions; lexicons/en/review.tsv)."""
    assert tone.annotate(text).spans == []


@pytest.mark.parametrize("text, phrase", [
    ("I was wondering if you could help me.", "wondering if"),
    ("I'm curious how that works", "I'm curious"),
])
def test_curiosity_phrases_file_as_curious(text, phrase):
    """Curiosity phrases sit where *curious* and *wondering* do (surprise@1), not at interest."""
    spans = tone.annotate(text).spans
    assert [(s.text, s.concept, s.tier) for s in spans] == [(phrase, "surprise", 1)]


@pytest.mark.parametrize("text, primary", [
    ("Hey! How are you?", "joy"),            # exclaimed greeting, as "hi!"
    ("hey, can you pass the salt?", None),   # a plain greeting is no feeling
    ("Shut up!", "anger"),
    ("Excuse me?", "surprise"),              # incredulous question
    ("Excuse me, where is the station?", None),
    ("You are kidding!", "surprise"),         # incredulity
    ("I was just kidding around with him.", None),
    ("Oh! You have a window!", "surprise"),
    ("Oh, right, sure.", None),
    ("That bastard stole my bike.", "anger"),  # insults as jerk, idiot (contempt)
])
def test_dialogue_interjections(text, primary):
    assert tone.annotate(text).top == ([primary] if primary else [])


def test_upset_is_sadness_only():
    """One reviewed sense: 'upset' was filed at sadness@2 and, through a verb row, at worry too,
    so it answered sadness and fear at once."""
    result = tone.annotate("I am so upset about it")
    assert result.top == ["sadness"]
    assert {s.concept for s in result.spans} == {"sadness"}


@pytest.mark.parametrize("text", ["I was shocked when he told me.", "What a shocking result!"])
def test_shocked_is_surprise(text):
    """The everyday 'shocked' is astonishment (surprise), not Parrott's shock under horror."""
    assert tone.annotate(text).top == ["surprise"]


# -- schemes ------------------------------------------------------------------------------------
def test_plutchik_dyads():
    hope = tone.annotate("I hope we win tomorrow").in_scheme("plutchik")
    assert "anticipation" in hope.top and "joy" in hope.top
    love = tone.annotate("I love you").in_scheme("plutchik")
    assert {"joy", "trust"} <= set(love.top)


def test_weak_only_category_enters_top_on_the_strongest_evidence(table):
    scheme = get_scheme("goemotions")
    weak = [label for label, w in zip(scheme.labels, scheme.weak_only()) if w]
    assert weak  # e.g. gratitude, approval, confusion: related links only
    k = scheme.labels.index(weak[0])
    row = np.zeros(len(scheme.labels))
    row[k] = 0.4  # weighted: 0.4 x evidence 1.0
    other = (k + 1) % len(scheme.labels)
    row[other] = 0.9
    evidence = np.zeros(len(scheme.labels))
    evidence[k], evidence[other] = 1.0, 1.0
    assert weak[0] not in scheme.result(row).top
    assert weak[0] in scheme.result(row, evidence=evidence).top
    evidence[k] = 0.5  # not the strongest evidence: stays out
    assert weak[0] not in scheme.result(row, evidence=evidence).top


def test_valence_prior_is_graded_and_never_top():
    ann = tone.annotate("Chaos for the city.")
    assert ann.spans == [] and ann.vad["valence"] < 0
    result = scheme_scores(ann, "ekman")
    assert result.top == []
    assert result.scores["sadness"] > 0 and result.scores["joy"] == 0
    assert max(result.scores.values()) <= PRIOR_WEIGHT * abs(ann.vad["valence"]) + 1e-4
    assert result.to_dict()["prior"]["valence"] == pytest.approx(ann.vad["valence"], abs=1e-4)
    meld = scheme_scores(ann, "meld")
    assert meld.top == ["neutral"] and meld.scores["neutral"] < 1.0
    from tone.scoring.explain import explain

    assert "valence prior" in explain(ann, scheme="ekman")
    # no valence, no prior
    assert scheme_scores(tone.annotate("The meeting is at noon."), "ekman").prior is None


def test_always_mode():
    ann = tone.annotate("Chaos for the city.")
    assert scheme_scores(ann, "ekman", always=True).top == ["sadness"]
    assert scheme_scores(ann, "meld", always=True).top == ["sadness"]
    neutral = tone.annotate("The meeting is at noon.")
    assert scheme_scores(neutral, "ekman", always=True).top != []
    annotator = Annotator(always=True)
    out = annotator.annotate("Chaos for the city.")
    assert out.top == ["sadness"] and out.in_scheme("isear").top == ["sadness"]
    assert all(v == 0 for v in out.primary.values())  # scores stay 0
    assert Annotator().annotate("Chaos for the city.").top == []  # default off


def test_gratitude_is_grateful_in_empatheticdialogues():
    """tone files gratitude words under affection; EmpatheticDialogues' *grateful* reads them
    (closeMatch) ahead of *faithful* and *trusting* (relatedMatch of the same concept)."""
    ed = tone.annotate("I am so thankful for my friends.").in_scheme("empatheticdialogues")
    assert ed.top[0] == "grateful"
    assert ed.scores["grateful"] > ed.scores["faithful"]


@pytest.mark.parametrize("text, concept", [
    ("I feel bad about what I said to her.", "regret"),   # remorse, not disapproval
    ("I felt bad for him.", "regret"),                    # sympathy
    ("This movie is bad.", "displeasure"),                # a thing judged
])
def test_feel_bad_is_regret_not_disapproval(text, concept):
    assert [s.concept for s in tone.annotate(text).spans] == [concept]


@pytest.mark.parametrize("text", ["I have confidence in you.", "I feel confident about the exam."])
def test_confidence_is_optimism_not_fear(text):
    """'confidence' had reached horror (fear) through confidence.n.02, 'a secret'."""
    result = tone.annotate(text)
    assert {s.concept for s in result.spans} == {"optimism"} and result.top == ["joy"]


@pytest.mark.parametrize("text, top", [
    ("Are you serious?", ["surprise"]),          # incredulity, as "you're kidding"
    ("Are you kidding me?", ["surprise"]),
    ("My god, look at that!", ["surprise"]),    # as "oh my god"
    ("Oooh!", ["joy"]),                         # delight; elongated forms squeeze to "ooh"
    ("Oh God!", ["surprise"]),
    ("I asked out of curiosity.", ["surprise"]),  # curiosity, as "curious"
    ("I ripped my jeans.", []),                   # the verb rip, not R.I.P.
    ("RIP grandpa", ["sadness"]),
])
def test_incredulity_curiosity_and_rip(text, top):
    assert tone.annotate(text).top == top


@pytest.mark.parametrize("text, concept", [
    ("I was mortified when I tripped on stage.", "embarrassment"),  # not horror
    ("My neighbor gets on my nerves.", "annoyance"),                 # not nervousness
    ("I am anticipating a great summer.", "eagerness"),              # as "anticipation"
])
def test_everyday_senses_of_feeling_words(text, concept):
    assert concept in {s.concept for s in tone.annotate(text).spans}


def test_longing_is_nostalgic_in_empatheticdialogues():
    """Longing (miss, nostalgia) reads as *nostalgic* (closeMatch), not *anticipating*."""
    ed = tone.annotate("I miss the old days when we played in the park.").in_scheme(
        "empatheticdialogues")
    assert ed.top[0] == "nostalgic" and ed.scores["nostalgic"] > ed.scores["anticipating"]
