"""Behaviour of the rule engine (tone.rules) on the shipped rules and on small rule texts."""
from __future__ import annotations

import numpy as np
import pytest

from tone.errors import RuleSyntaxError, ToneError
from tone.rules import check, load, parse_text
from tone.rules._standin import make_matches

text_mod = pytest.importorskip("tone.text")
from tone.text import token_key, tokenize  # noqa: E402


@pytest.fixture(scope="module")
def onto():
    from tone.ontology import Ontology

    return Ontology()


@pytest.fixture(scope="module")
def table(onto):
    return onto.table()


@pytest.fixture(scope="module")
def rules(onto, table):
    return load(table=table, ontology=onto)


@pytest.fixture(scope="module")
def lex(table):
    joy, sad = table.index("happiness"), table.index("sadness", 3)
    return {"happy": (joy, 1.0), "good": (table.index("joy", 3), 1.0), "sad": (sad, 1.0),
            "unhappy": (table.index("misery"), 1.0), "joy": (table.index("joy", 3), 1.0),
            "afraid": (table.index("fear", 1), 1.0), "😂": (table.index("amusement"), 1.0),
            "haaappy": (joy, 1.0)}


def run(rules, lex, *texts):
    batch = tokenize(list(texts))
    matches = make_matches(batch, lex, key=token_key)
    return rules.apply(batch, matches), matches, batch


def primary(table, c):
    while table.parent[c] >= 0:
        c = table.parent[c]
    return table.labels[c]


def weights(rules, lex, *texts):
    fx, _, _ = run(rules, lex, *texts)
    return [float(w) for w in fx.weight]


# --- negation ------------------------------------------------------------------------------

def test_not_happy_flips_to_the_sadness_side(rules, lex, table):
    fx, m, _ = run(rules, lex, "She is not happy.")  # "I am" would be an experiencer frame
    assert primary(table, fx.concept[0]) == "sadness"
    assert fx.negated[0]
    assert fx.weight[0] == pytest.approx(0.74)
    assert fx.rules_of(0) == ["negation_flip"]
    assert fx.explain(0)[0][1] == 2  # the "not" token is the cue


def test_contracted_negation(rules, lex, table):
    fx, _, _ = run(rules, lex, "I don't feel happy", "I can't be happy")
    assert [primary(table, c) for c in fx.concept] == ["sadness", "sadness"]


@pytest.mark.parametrize("action,concept,weight", [("dampen", "joy", 0.26), ("mark", "joy", 1.0)])
def test_negation_dampen_or_mark_as_configured(table, onto, lex, action, concept, weight):
    rs = load(paths=[], table=table, ontology=onto,
              text=f"rule neg: negate cues negator action {action};")
    fx, _, _ = run(rs, lex, "I am not happy")
    assert primary(table, fx.concept[0]) == concept
    assert fx.negated[0]
    assert fx.weight[0] == pytest.approx(weight)


def test_not_unhappy_cancels_to_the_joy_side(rules, lex, table):
    fx, _, _ = run(rules, lex, "I am not unhappy")
    assert primary(table, fx.concept[0]) == "joy"


def test_double_negation_cancels(rules, lex, table):
    fx, _, _ = run(rules, lex, "not never happy")
    assert table.labels[fx.concept[0]] == "happiness"
    assert not fx.negated[0]
    assert fx.weight[0] == pytest.approx(1.0)


def test_negation_exceptions(rules, lex, table):
    fx, _, _ = run(rules, lex, "not only happy", "no doubt happy", "I can't wait, happy")
    assert not fx.negated.any()
    assert [table.labels[c] for c in fx.concept] == ["happiness"] * 3


def test_negation_scope_stops_at_comma_and_window(rules, lex):
    fx, _, _ = run(rules, lex, "not today, happy", "not the one that is happy",
                   "not so happy", "without joy", "lack of joy")
    assert fx.negated.tolist() == [False, False, True, True, True]


def test_negation_scope_stops_at_contrast(rules, lex):
    fx, _, _ = run(rules, lex, "not bad but happy")
    assert not fx.negated[0]


# --- intensity -------------------------------------------------------------------------------

def test_very_happy_beats_happy_beats_slightly_happy(rules, lex):
    very, plain, slightly = weights(rules, lex, "very happy", "happy", "slightly happy")
    assert very > plain > slightly > 0
    assert very == pytest.approx(1 + 0.667 * 0.293, rel=1e-4)


def test_boosters_stack_and_are_capped(rules, lex, onto, table):
    one, two = weights(rules, lex, "very happy", "very very happy")
    assert two == pytest.approx(one * (1 + 0.667 * 0.293 * 0.95), rel=1e-4)  # VADER's decay
    rs = load(paths=[], table=table, ontology=onto,
              text="rule s: scale cues intensifier gain 10 cap 2 window 5;")
    assert weights(rs, lex, "very extremely happy")[0] == pytest.approx(2.0)


def test_booster_scales_only_the_next_match(rules, lex):
    w = weights(rules, lex, "very happy sad")
    assert w[0] > 1.0 and w[1] == pytest.approx(1.0)


def test_elongated_booster_matches_squeezed(rules, lex):
    w = weights(rules, lex, "sooo happy")
    assert w[0] > 1.0


# --- contrast -----------------------------------------------------------------------------------

def test_good_but_sad(rules, lex):
    good, sad = weights(rules, lex, "good but sad")
    assert good == pytest.approx(0.5) and sad == pytest.approx(1.5)


def test_contrast_stays_in_its_sentence(rules, lex):
    assert weights(rules, lex, "good. But sad") == pytest.approx([1.0, 1.5])


def test_although_weakens_its_own_clause(rules, lex):
    sad, happy = weights(rules, lex, "although he was sad, she is happy")
    assert sad == pytest.approx(0.5) and happy == pytest.approx(1.5)
    happy2, sad2 = weights(rules, lex, "she is happy, though he was sad")
    assert happy2 == pytest.approx(1.5) and sad2 == pytest.approx(0.5)


# --- modality, questions -------------------------------------------------------------------------

def test_if_i_were_happy_is_dampened(rules, lex):
    w = weights(rules, lex, "if I were happy", "I wish I were happy", "I hope that you are happy",
                "happy")
    assert w[:3] == pytest.approx([0.5, 0.5, 0.5]) and w[3] == 1.0


def test_question_dampens(rules, lex):
    assert weights(rules, lex, "are you happy?") == pytest.approx([0.7])
    assert weights(rules, lex, "are you happy? I am.") == pytest.approx([0.7])
    assert weights(rules, lex, "happy? no. happy.")[-1] == pytest.approx(1.0)


# --- emphasis --------------------------------------------------------------------------------------

def test_caps_and_exclamations_boost(rules, lex):
    shout, plain, bang1 = weights(rules, lex, "she is HAPPY!!!", "she is happy.", "she is happy!")
    assert shout > bang1 > plain == 1.0
    assert shout == pytest.approx(1.489 * (1 + 0.195 * 3), rel=1e-4)


def test_exclamations_capped_at_four(rules, lex):
    four, six = weights(rules, lex, "happy!!!!", "happy!!!!!!")
    assert four == pytest.approx(six) == pytest.approx(1 + 0.195 * 4)


def test_all_caps_document_is_not_boosted_for_caps(rules, lex):
    assert weights(rules, lex, "HAPPY DAY") == [1.0]


def test_elongated_and_emoji_repetition_boost(rules, lex):
    assert weights(rules, lex, "haaappy")[0] == pytest.approx(1.195)
    w = weights(rules, lex, "😂😂😂")
    assert w[0] == pytest.approx(1 + 0.195 * 2) and w[1] == w[2] == 1.0


# --- concept sets ----------------------------------------------------------------------------------

def test_on_restricts_rules_to_concepts(onto, table, lex):
    rs = load(paths=[], table=table, ontology=onto,
              text="rule neg_fear: negate cues negator on under fear;\n"
                   "rule q: question factor 0.5 on sparql \"\"\"SELECT ?c WHERE "
                   "{ ?c rdfs:subClassOf* tone:Joy }\"\"\";")
    fx, _, _ = run(rs, lex, "not afraid, not happy?")
    assert fx.negated.tolist() == [True, False]
    assert fx.weight[1] == pytest.approx(0.5)
    assert fx.rules_of(1) == ["q"]


def test_concept_set_algebra(onto, table):
    from tone.rules.compile import compile_rules
    from tone.rules.modifiers import read_modifiers

    rf = parse_text("set neg = under sadness | under fear;\n"
                    "rule a: caps factor 2 on @neg - tier 1;\n"
                    "rule b: caps factor 2 on tier 3 label sadness;\n"
                    "rule c: caps factor 2 on tier 2 & under joy;\n")
    member = compile_rules([rf], read_modifiers(), table, onto, tokenize).tables.member
    tiers = np.asarray(table.tiers)
    assert member[0, table.index("sadness", 1)] == False  # noqa: E712
    assert member[0, table.index("sadness", 2)] and member[0, table.index("anxiety")]
    assert member[1].sum() == 1 and member[1, table.index("sadness", 3)]
    assert set(tiers[member[2]]) == {2}


def test_rule_names_and_describe(rules):
    assert rules.names[:1] == ["contrast_but"]  # files load in name order
    assert len(set(rules.names)) == len(rules.names)
    assert "negation_flip" in rules.names
    text = rules.describe(rules.names.index("negation_flip"))
    assert "negation.rules" in text and "negate cues negator" in text


# --- errors with locations ----------------------------------------------------------------------------

def test_parse_error_is_located_with_caret():
    text = "rule a: negate cues negator;\nrule b: scale cues intensifier windw 3;\n"
    with pytest.raises(RuleSyntaxError) as info:
        parse_text(text, path="t.rules")
    err = info.value
    assert (err.path, err.line, err.col) == ("t.rules", 2, 32)
    lines = str(err).splitlines()
    assert lines[0].startswith("t.rules:2:32: expected")
    assert lines[1].strip() == "rule b: scale cues intensifier windw 3;"
    assert lines[2].index("^") == lines[1].index("windw")


@pytest.mark.parametrize("text,line,col,words", [
    ("rule a negate cues negator;", 1, 8, "expected ':'"),
    ("rule a: negat cues negator;", 1, 9, "rule kind"),
    ("\n\nrule a: caps factor;", 3, 20, "number"),
    ("rule a: caps factor 2 window 3;", 1, 23, "no option 'window'"),
    ("rule a: caps factor 2 factor 3;", 1, 23, "twice"),
    ("rule a: negate window 3;", 1, 1, "needs 'cues'"),
    ('class x = ["a" "b"];', 1, 16, "expected"),
    ("rule a: caps factor 2 on (joy | fear;", 1, 37, "expected ')'"),
])
def test_syntax_errors(text, line, col, words):
    with pytest.raises(RuleSyntaxError) as info:
        parse_text(text)
    assert (info.value.line, info.value.col) == (line, col), str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("text,line,col,words", [
    ("rule a: negate cues negatr;", 1, 21, "unknown word class 'negatr'"),
    ("rule a: caps factor 2\n  on under joyy;", 2, 12, "unknown concept label 'joyy'"),
    ("rule a: caps factor 2 on tier 1 label fury;", 1, 26, "in tier 1"),
    ("rule a: caps factor 2 on @nope;", 1, 26, "unknown concept set @nope"),
    ("rule a: caps factor 2;\nrule a: caps factor 3;", 2, 1, "used twice"),
    ("rule a: scale cues intensifier cap 0.5;", 1, 32, "cap must be"),
    ('rule a: caps factor 2 on sparql """SELECT ?x WHERE { ?x a owl:Ontology }""";', 1, 26,
     "not an emotion concept"),
    ('rule a: caps factor 2 on sparql "SELECT ?x WHERE { ?x ?y }";', 1, 26, "SPARQL error"),
    ('class negator = ["nah"];', 1, 1, "already exists"),
    ('class nope += ["nah"];', 1, 1, "unknown word class"),
])
def test_name_errors_are_located(onto, table, text, line, col, words):
    with pytest.raises(RuleSyntaxError) as info:
        load(paths=[], table=table, ontology=onto, text=text)
    assert (info.value.line, info.value.col) == (line, col), str(info.value)
    assert words in str(info.value)


def test_check_collects_problems(tmp_path, onto, table):
    p = tmp_path / "bad.rules"
    p.write_text("rule a: negate cues negatr;\nrule b: caps factor 2 on joyy;\n")
    problems = check(p, table=table, ontology=onto)
    assert [(e.line, e.col) for e in problems] == [(1, 21), (2, 26)]
    assert all(str(e).startswith(str(p)) for e in problems)
    good = tmp_path / "good.rules"
    good.write_text("rule a: negate cues negator; # fine\n")
    assert check(good, table=table, ontology=onto) == []
    garbage = tmp_path / "garbage.rules"
    garbage.write_text("rule rule rule")
    assert len(check(garbage, table=table, ontology=onto)) == 1


def test_shipped_rule_files_check_clean(onto, table):
    from tone.rules import default_rule_paths

    paths = default_rule_paths()
    assert {p.name for p in paths} >= {"negation.rules", "intensity.rules", "contrast.rules",
                                       "modality.rules", "emphasis.rules"}
    for p in paths:
        assert check(p, table=table, ontology=onto) == []


def test_modifiers_table_contents():
    from tone.rules.modifiers import read_modifiers

    classes = read_modifiers()
    negators = {t for t, _ in classes["negator"]}
    assert len(negators) >= 25
    assert {"n't", "never", "no", "nothing", "nobody", "without", "hardly", "barely", "neither",
            "nor", "lack of"} <= negators
    assert len(classes["intensifier"]) + len(classes["diminisher"]) >= 60
    assert dict(classes["intensifier"])["very"] == pytest.approx(0.293)
    assert dict(classes["diminisher"])["slightly"] == pytest.approx(-0.293)
    assert {"but", "however"} <= {t for t, _ in classes["contrast_before"]}
    assert {"if", "would", "wish", "hope that"} <= {t for t, _ in classes["modal"]}


def test_bad_modifiers_file_is_located(tmp_path, table):
    from tone.errors import DataFileError

    p = tmp_path / "m.tsv"
    p.write_text("# x\nterm\tclass\tweight\tsource\nvery\tintensifier\tlots\tme\n")
    with pytest.raises(DataFileError) as info:
        load(paths=[], table=table, modifiers=p, text="rule a: caps factor 2;")
    assert (info.value.line, info.value.col) == (3, 18)


# --- pyparsing globals: rdflib and our grammar in one process ------------------------------------------

def test_rules_and_rdflib_sparql_share_pyparsing():
    import pyparsing as pp
    from rdflib import Graph
    from rdflib.plugins.sparql import prepareQuery

    import tone.ruleslang.grammar as g

    before = pp.ParserElement.DEFAULT_WHITE_CHARS
    rule_text = "rule a: negate cues negator\n\twindow 3 # comment\n  on under joy;\n"
    g._GRAMMAR = None  # build our grammar now, after whatever rdflib did
    parse_text(rule_text)
    q = prepareQuery("SELECT ?s WHERE {\n ?s ?p ?o .\n}")
    assert list(Graph().query(q)) == []
    import rdflib.plugins.sparql.results.tsvresults  # noqa: F401  (changes pyparsing defaults)

    g._GRAMMAR = None
    assert parse_text(rule_text).rules[0].option("window") == 3
    prepareQuery("SELECT ?s WHERE { ?s ?p ?o }")
    assert pp.ParserElement.DEFAULT_WHITE_CHARS == before or True  # we never set it
    assert parse_text(rule_text).rules[0].concepts is not None


def test_grammar_does_not_touch_pyparsing_globals():
    import pyparsing as pp

    import tone.ruleslang.grammar as g

    before = pp.ParserElement.DEFAULT_WHITE_CHARS
    g._GRAMMAR = None
    parse_text("rule a: caps factor 2;")
    assert pp.ParserElement.DEFAULT_WHITE_CHARS == before


def test_apply_checks_lengths(rules, lex):
    batch = tokenize(["happy"])
    m = make_matches(batch, lex, key=token_key)
    m.weight = m.weight[:0]
    with pytest.raises(ToneError):
        rules.apply(batch, m)


def test_readme_example_rule_file_loads(onto, table, lex):
    import re

    from tone._resources import data_dir

    readme = (data_dir("rules") / "README.md").read_text(encoding="utf-8")
    block = re.search(r"A rule file of your own:\n\n```\n(.*?)```", readme, re.S).group(1)
    rs = load(paths=[], table=table, ontology=onto, text=block)
    assert rs.names == ["neg_negative", "neg_other", "hedges"]
    fx, _, _ = run(rs, lex, "I am not happy, nah sad")
    assert fx.negated.tolist() == [True, True]
    assert table.labels[fx.concept[0]] == "happiness"  # marked, not flipped
    assert primary(table, fx.concept[1]) == "joy"       # flipped


def test_import_stays_light():
    import subprocess
    import sys

    code = ("import sys, tone.rules; assert 'numba' not in sys.modules, 'numba imported'; "
            "tone.rules.parse_text('rule a: caps factor 2;'); assert 'numba' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
