"""The listener side (tone.dialogue.listener, ontology/listener.ttl): intents, strategies and
the rules that suggest them, in the ontology and applied to annotations."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tone
from tone.dialogue.listener import listener_rules, suggest_intents
from tone.ontology import Ontology

INTENTS = {"questioning", "acknowledging", "consoling", "agreeing", "encouraging",
           "sympathizing", "suggesting", "wishing"}
STRATEGIES = {"question", "restatement or paraphrasing", "reflection of feelings",
              "self-disclosure", "affirmation and reassurance", "providing suggestions",
              "information"}


def _labels(onto, cls):
    rows = onto.query(f"""SELECT ?label ?source WHERE {{
        ?x a tone:{cls} ; rdfs:label ?label ; dcterms:source ?source }}""")
    return {str(label) for label, _ in rows}, rows


def test_intents_and_strategies_are_individuals_with_citations(onto):
    intents, rows = _labels(onto, "EmpatheticIntent")
    assert intents == INTENTS
    assert all("Welivita" in str(source) for _, source in rows)
    strategies, rows = _labels(onto, "SupportStrategy")
    assert strategies == STRATEGIES
    assert all("Towards Emotional Support Dialog Systems" in str(s) for _, s in rows)
    realized = onto.query("""SELECT ?i WHERE { ?x a tone:EmpatheticIntent ; rdfs:label ?i ;
        tone:realizedBy/a tone:SupportStrategy }""")
    assert {str(i) for (i,) in realized} == INTENTS


def test_sparql_rules_from_an_emotion_and_an_appraisal(onto):
    rows = onto.query("""
        SELECT ?rule ?intent ?strategy ?weight WHERE {
          ?r a tone:ListenerRule ; rdfs:label ?rule ; tone:whenEmotion tone:Sadness ;
             tone:suggestsIntent/rdfs:label ?intent ;
             tone:suggestsStrategy/rdfs:label ?strategy ; tone:weight ?weight .
        } ORDER BY DESC(?weight)""")
    assert (str(rows[0][1]), str(rows[0][2])) == ("sympathizing", "reflection of feelings")
    prospect = onto.query("""
        SELECT DISTINCT ?intent WHERE {
          ?r a tone:ListenerRule ; tone:whenAppraisal tone:pleasantness_pleasant,
             tone:certainty_prospective ; tone:suggestsIntent/rdfs:label ?intent }""")
    assert {str(i) for (i,) in prospect} == {"wishing"}


def test_every_rule_is_well_formed(onto):
    rules = listener_rules(onto)
    assert len(rules) >= 25
    for rule in rules:
        assert rule.intent in INTENTS and rule.strategy in STRATEGIES, rule.name
        assert 0 < rule.weight <= 1 and rule.reason, rule.name
    values = {(str(d), str(v)) for d, v in onto.query("""SELECT ?d ?v WHERE {
        ?x a tone:AppraisalValue ; rdfs:label ?v ; tone:onDimension/rdfs:label ?d }""")}
    for rule in rules:
        assert set(rule.appraisals) <= values, rule.name
        for label, tier in rule.emotions:
            assert onto.concept(label, tier)
    sources = onto.query("""SELECT ?r WHERE { ?r a tone:ListenerRule .
        FILTER NOT EXISTS { ?r dcterms:source ?s } }""")
    assert not sources


@pytest.mark.parametrize("text, intent, strategy", [
    ("My grandmother died last week.", "sympathizing", "reflection of feelings"),
    ("I failed the exam.", "consoling", "affirmation and reassurance"),
    ("I am so worried about the interview tomorrow", "encouraging",
     "affirmation and reassurance"),
    ("I have my driving test tomorrow, I hope I pass!", "wishing",
     "affirmation and reassurance"),
    ("We won the final!", "acknowledging", "restatement or paraphrasing"),
    ("Wow, really? I had no idea!", "questioning", "question"),
    ("I feel so lonely since she left.", "consoling", "affirmation and reassurance"),
])
def test_the_best_suggestion_fits_the_emotion(text, intent, strategy):
    best = suggest_intents(tone.annotate(text))[0]
    assert (best["intent"], best["strategy"]) == (intent, strategy)
    assert best["why"] and all(w["contribution"] > 0 for w in best["why"])


def test_why_names_the_rules_and_conditions():
    found = suggest_intents(tone.annotate("My grandmother died last week."))
    best = found[0]
    rules = {w["rule"]: w for w in best["why"]}
    assert {"loss", "sadness-sympathizing"} <= set(rules)
    conditions = {c["condition"] for c in rules["loss"]["conditions"]}
    assert conditions == {"pleasantness=unpleasant", "agency=circumstance", "certainty=actual"}
    assert rules["sadness-sympathizing"]["conditions"][0]["condition"] == "sadness"
    # noisy-or of the two contributions
    rest = 1.0
    for w in best["why"]:
        rest *= 1 - w["contribution"]
    assert best["score"] == pytest.approx(1 - rest, abs=1e-3)


def test_no_emotion_only_asks():
    assert [s["intent"] for s in suggest_intents(tone.annotate("The bus leaves at noon."))] \
        == ["questioning"]
    assert suggest_intents(tone.annotate("The bus leaves at noon."), min_score=0.5) == []


def test_rules_come_from_the_ontology_given(tmp_path):
    from tone._resources import data_dir

    mine = tmp_path / "mine.ttl"
    mine.write_text("""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix tone: <https://w3id.org/tone#> .
tone:intent_x a tone:EmpatheticIntent ; rdfs:label "cheering"@en .
tone:strategy_y a tone:SupportStrategy ; rdfs:label "humour"@en .
tone:rule_z a tone:ListenerRule ; rdfs:label "joke-it-off"@en ; tone:whenEmotion tone:Sadness ;
    tone:suggestsIntent tone:intent_x ; tone:suggestsStrategy tone:strategy_y ; tone:weight 0.5 .
""", encoding="utf-8")
    onto = Ontology([data_dir("ontology") / "tone.ttl", mine])
    found = suggest_intents(tone.annotate("I am so sad."), ontology=onto)
    assert [(s["intent"], s["strategy"]) for s in found] == [("cheering", "humour")]
    assert suggest_intents(tone.annotate("I am so happy."), ontology=onto) == []


def test_a_rule_on_a_non_concept_is_an_error(tmp_path):
    from tone._resources import data_dir
    from tone.errors import ConceptNotFound

    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix tone: <https://w3id.org/tone#> .
tone:i a tone:EmpatheticIntent ; rdfs:label "i"@en .
tone:s a tone:SupportStrategy ; rdfs:label "s"@en .
tone:r a tone:ListenerRule ; rdfs:label "r"@en ; tone:whenEmotion tone:Nope ;
    tone:suggestsIntent tone:i ; tone:suggestsStrategy tone:s ; tone:weight 0.5 .
""", encoding="utf-8")
    with pytest.raises(ConceptNotFound):
        listener_rules(Ontology([data_dir("ontology") / "tone.ttl", bad]))


@pytest.fixture(scope="module")
def annotator():
    return tone.Annotator()


@given(st.lists(st.sampled_from(["I", "my", "dog", "died", "happy", "scared", "won", "lied",
                                 "tomorrow", "might", "fail", "!", "?", "so", "angry", "wow"]),
                max_size=12).map(" ".join))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_suggestions_are_scored_sorted_and_known(annotator, text):
    found = suggest_intents(next(iter(annotator.pipe([text]))))
    scores = [s["score"] for s in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.05 <= s <= 1 for s in scores)
    assert {s["intent"] for s in found} <= INTENTS
    assert {s["strategy"] for s in found} <= STRATEGIES
    assert len({s["intent"] for s in found}) == len(found)


def test_the_ontology_readme_queries_run(onto):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "ontology" / "README.md").read_text(
        encoding="utf-8")
    section = text.split("\n## Listener", 1)[1].split("\n## ", 1)[0]
    queries = re.findall(r"```sparql\n(.*?)```", section, flags=re.S)
    assert len(queries) == 2
    sad, prospect = (onto.query(q) for q in queries)
    assert str(sad[0][1]) == "sympathizing"
    assert {str(row[0]) for row in prospect} == {"encouraging", "suggesting"}


def test_a_record_gives_the_same_suggestions_as_its_annotation():
    result = tone.annotate("My grandmother died last week.")
    assert suggest_intents(result.to_dict()) == suggest_intents(result)
