"""The inference engine (tone.infer): grammar, compile errors, composition, opposition,
transitions across dialogue turns, explanations, and property tests."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tone.errors import RuleSyntaxError
from tone.ruleslang import grammar as g
from tone.rules import parse_text


@pytest.fixture(scope="module")
def table(onto):
    return onto.table()


@pytest.fixture(scope="module")
def annotator():
    from tone.annotator import Annotator

    return Annotator()


def load(onto, text, **kw):
    from tone.infer import load as infer_load

    return infer_load(paths=[], ontology=onto, text=text, **kw)


def with_rules(onto, text):
    from tone.annotator import Annotator

    return Annotator(inference=load(onto, text))


# --- grammar ---------------------------------------------------------------------------------

def test_infer_statements_parse_and_round_trip():
    text = ('set neg = sparql """SELECT ?c WHERE { ?c tone:tier 1 }""";\n'
            "infer a: compose via tone:isComposedOf gain 0.5 min 0.1 combine product on tier 3 "
            "when valence < -0.3 and arousal > 0.6 or not any(@neg);\n"
            "infer b: oppose policy net scope sentence;\n"
            "infer c: transition gain 0.3 scope dialogue when score(under fear | joy) >= 0.2;\n"
            "infer d: hierarchy prior 0.1 on tier 1;\n"
            "rule e: caps factor 2;")
    rf = parse_text(text)
    assert [type(s).__name__ for s in rf.statements] == ["SetDef", "Infer", "Infer", "Infer",
                                                         "Infer", "Rule"]
    assert [s.name for s in rf.inferences] == ["a", "b", "c", "d"]
    assert parse_text(rf.to_text()).statements == rf.statements
    cond = rf.inferences[0].condition
    assert isinstance(cond, g.BoolOp) and cond.op == "or"


@pytest.mark.parametrize("text,col,message", [
    ("infer x: compose policy net;", 18, "a compose rule has no option 'policy'"),
    ("infer x: oppose policy sometimes;", 24, "expected"),
    ("infer x: compose gain 1 gain 2;", 25, "given twice"),
    ("infer x: merge;", 10, "inference kind"),
])
def test_infer_syntax_errors_are_located(text, col, message):
    with pytest.raises(RuleSyntaxError) as err:
        parse_text(text, path="x.rules")
    assert str(err.value).startswith(f"x.rules:1:{col}:")
    assert message in str(err.value)


@pytest.mark.parametrize("text,col,message", [
    ("infer x: compose on under joyy;", 27, "unknown concept label 'joyy'"),
    ("infer x: compose via tone:isMadeOf;", 18, "unknown relation 'tone:isMadeOf'"),
    ("infer x: oppose when any(@nope);", 26, "unknown concept set @nope"),
    ("infer x: compose on joy;", 21, "no concept of the 'on' set is composed"),
    ("infer x: oppose scope dialogue;", 17, "scope is clause, sentence or doc"),
    ("infer x: compose gain 100;", 18, "gain must be"),
])
def test_unknown_concepts_relations_and_values_are_located(onto, text, col, message):
    with pytest.raises(RuleSyntaxError) as err:
        load(onto, text)
    assert str(err.value).startswith(f"1:{col}:")
    assert message in str(err.value)


def test_check_collects_problems(onto, tmp_path):
    from tone.infer import check

    path = tmp_path / "bad.rules"
    path.write_text("infer a: compose on under joyy;\ninfer b: oppose via tone:nope;\n")
    problems = check(path, ontology=onto)
    assert [str(p).splitlines()[0].split(": ", 1)[0].rsplit(":", 2)[1:] for p in problems] == [
        ["1", "27"], ["2", "17"]]


def test_shipped_rule_files_still_load_for_the_text_engine(onto):
    from tone.rules import load as rules_load

    rs = rules_load(table=onto.table(), ontology=onto)
    assert "negation_flip" in rs.names  # infer statements are ignored by the text engine


# --- composition ---------------------------------------------------------------------------

def test_despair_is_inferred_from_fear_and_sadness(annotator):
    from tone.scoring.explain import explain

    result = annotator.annotate("She was scared and so sad")
    items = [i for i in result.inferred if i["concept"] == "despair"]
    assert items and items[0]["kind"] == "compose"
    assert [p["concept"] for p in items[0]["premises"]] == ["fear", "sadness"]
    assert result.tertiary["despair"] > 0
    text = explain(result, annotator.ontology)
    assert "despair (tertiary)" in text and "fear 0.632 + sadness" in text
    record = result.to_dict(explain=True)
    assert record["inferred"][0]["rule"] == items[0]["rule"]
    assert "inferred" not in result.to_dict()


def test_no_composite_without_all_parts(annotator):
    result = annotator.annotate("She was scared")
    assert not [i for i in result.inferred if i["kind"] == "compose"]
    assert "despair" not in result.tertiary


def test_compose_gain_min_and_combine(onto, table):
    e = np.zeros((2, len(table)))
    e[:, table.index("fear", 1)] = [1.0, 0.05]
    e[:, table.index("sadness", 1)] = [2.0, 2.0]
    despair = table.index("despair")
    out = load(onto, "infer d: compose gain 0.5 min 0.1 combine min on despair;").chain(e)
    assert out.evidence[0, despair] == pytest.approx(0.5 * (1 - np.exp(-1.0)))
    assert out.evidence[1, despair] == 0  # fear's score 0.049 < min 0.1
    prod = load(onto, "infer d: compose combine product on despair;").chain(e)
    assert prod.evidence[0, despair] == pytest.approx((1 - np.exp(-1.0)) * (1 - np.exp(-2.0)))


def test_conditions_gate_rules(onto, table):
    e = np.zeros((1, len(table)))
    e[0, table.index("fear", 1)] = 1.0
    e[0, table.index("sadness", 1)] = 1.0
    despair = table.index("despair")
    yes = load(onto, "infer d: compose on despair when score(under fear) > 0.5;").chain(e)
    no = load(onto, "infer d: compose on despair when score(under fear) > 0.9;").chain(e)
    neg = load(onto, "infer d: compose on despair when not any(under joy);").chain(e)
    assert yes.evidence[0, despair] > 0 and no.evidence[0, despair] == 0
    assert neg.evidence[0, despair] > 0


def test_vad_conditions_use_concept_vad(onto, table):
    """VAD tests compare the unit's evidence-weighted VAD; unknown VAD never satisfies them."""
    from tone.infer.compile import compile_inference

    e = np.zeros((1, len(table)))
    e[0, table.index("fear", 1)] = 1.0
    e[0, table.index("sadness", 1)] = 1.0
    rf = parse_text("infer d: compose on despair when valence < -0.3 and arousal > 0.4;")
    c = compile_inference([rf], table, onto)
    from tone.infer import InferenceRules

    c.vad = np.full_like(c.vad, np.nan)
    assert InferenceRules(c).chain(e).evidence[0, table.index("despair")] == 0
    c.vad[:, 0], c.vad[:, 1] = -0.6, 0.7
    assert InferenceRules(c).chain(e).evidence[0, table.index("despair")] > 0


def test_sparql_sets_in_rules(onto, table):
    rules = load(onto, 'infer d: compose on sparql """SELECT ?c WHERE '
                       '{ ?c tone:isComposedOf tone:Fear }""";')
    targets = {table.labels[t] for t in rules._c.d_target}
    assert "despair" in targets and "delight" not in targets


def test_no_self_support_and_bounded_rounds(onto, table):
    """despair sits under sadness, one of its own parts: its inferred evidence must not feed
    back into the sadness premise (the fixed point is reached, not pumped)."""
    e = np.zeros((1, len(table)))
    e[0, table.index("fear", 1)] = 3.0
    e[0, table.index("sadness", 1)] = 0.5
    rules = load(onto, "infer d: compose gain 2 on despair;")
    out = rules.chain(e, rounds=10)
    expected = 2 * (1 - np.exp(-0.5))
    assert out.evidence[0, table.index("despair")] == pytest.approx(expected)
    assert out.rounds[0] == 2  # one round to fire, one to see nothing change


# --- opposition ------------------------------------------------------------------------------

@pytest.mark.parametrize("policy,joy,sad", [("mixed", 0.632, 0.632), ("net", 0.0, 0.0),
                                            ("stronger", 0.0, 0.777)])
def test_opposition_policy_in_one_clause(onto, policy, joy, sad):
    from tone.scoring.explain import explain

    ann = with_rules(onto, f"infer opp: oppose policy {policy} scope clause;")
    text = "she is happy and sad at once" if policy != "stronger" else "she is happy and so so sad"
    result = ann.annotate(text)
    item = [i for i in result.inferred if i["kind"] == "oppose"]
    assert len(item) == 1 and item[0]["policy"] == policy
    assert {item[0]["concept"], item[0]["opposite"]} == {"joy", "sadness"}
    assert result.primary["joy"] == pytest.approx(joy, abs=2e-3)
    if policy != "stronger":
        assert result.primary["sadness"] == pytest.approx(sad, abs=2e-3)
    else:
        assert result.primary["sadness"] > 0.6
    assert f"policy {policy}" in explain(result, onto)
    assert all("opp" in span.rules for span in result.spans)


def test_opposition_needs_the_same_clause(onto):
    ann = with_rules(onto, "infer opp: oppose policy net scope clause;")
    result = ann.annotate("She was happy, but later sad")
    assert not result.inferred
    assert result.primary["joy"] > 0 and result.primary["sadness"] > 0
    doc = with_rules(onto, "infer opp: oppose policy net scope doc;").annotate(
        "She was happy, later sad")
    assert doc.inferred and doc.primary["joy"] == 0


def test_shipped_opposition_policy_is_visible(annotator):
    from tone.scoring.explain import explain

    result = annotator.annotate("she is happy and sad at once")
    assert [i["kind"] for i in result.inferred] == ["oppose"]
    assert "policy" in explain(result, annotator.ontology)


# --- transitions across dialogue turns -----------------------------------------------------

def test_plus_leads_to_across_turns(onto):
    ann = with_rules(onto, "infer tr: transition gain 1 scope dialogue;")
    turns = [("A", "So much frustration here"), ("B", "That makes me angry"), ("A", "ok")]
    from tone.dialogue import annotate

    out = list(annotate([turns], annotator=ann, alpha=0.0))
    assert len(out) == 3
    items = out[2].inferred
    assert items and items[0]["concept"] == "rage" and items[0]["kind"] == "transition"
    assert {p["concept"] for p in items[0]["premises"]} == {"frustration", "anger"}
    assert out[2].tertiary.get("rage", 0) > 0
    assert not out[0].inferred and not out[1].inferred
    # without the reply from the other speaker nothing is inferred
    solo = list(annotate([[("A", "So much frustration here"), ("A", "ok")]], annotator=ann))
    assert not solo[1].inferred


def test_dialogue_context():
    from tone.infer import dialogue_context

    prev, reply = dialogue_context(["A", "B", "A", "B", "C", "B"])
    assert prev.tolist() == [-1, -1, 0, 1, -1, 3]
    assert reply.tolist() == [-1, -1, 1, 2, -1, 4]


# --- toggles -----------------------------------------------------------------------------

def test_select_groups_and_annotator_toggle(onto):
    from tone.annotator import Annotator
    from tone.infer import load as infer_load

    rules = infer_load(ontology=onto)
    assert set(rules.select(only=["compose"]).enabled()) <= {
        n for n, k in zip(rules._c.names, rules._c.kinds) if k == "compose"}
    assert rules.select(off=["all"]).enabled() == []
    with pytest.raises(Exception):
        rules.select(only=["nonsense"])
    off = Annotator(inference=False).annotate("She was scared and so sad")
    assert off.inferred == [] and "despair" not in off.tertiary


# --- properties --------------------------------------------------------------------------

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
nums = st.floats(min_value=-5, max_value=100, allow_nan=False).map(lambda x: round(x, 3))
label_refs = st.builds(g.Label, st.sampled_from(["joy", "fear", "sadness", "despair", "when",
                                                 "rage"]), st.none() | st.integers(1, 3))
concepts = st.recursive(
    st.one_of(label_refs, st.builds(g.Tier, st.integers(1, 3)), st.builds(g.Under, label_refs),
              st.just(g.AllConcepts()), st.builds(g.SetRef, names)),
    lambda inner: st.builds(g.BinOp, st.sampled_from("|-&"), inner, inner), max_leaves=4)
cond_atoms = st.one_of(
    st.builds(g.VadCmp, st.sampled_from(g.VAD_DIMS), st.sampled_from(g.CMP_OPS), nums),
    st.builds(g.ScoreCmp, concepts, st.sampled_from(g.CMP_OPS), nums),
    st.builds(g.AnyOf, concepts))
conditions = st.recursive(
    cond_atoms, lambda inner: st.builds(g.BoolOp, st.sampled_from(["and", "or"]), inner, inner)
    | st.builds(g.NotOp, inner), max_leaves=5)


@st.composite
def infers(draw):
    kind = draw(st.sampled_from(sorted(g.INFER_KINDS)))
    chosen = draw(st.permutations([o for o in g.INFER_KINDS[kind] if draw(st.booleans())]))
    opts = []
    for o in chosen:
        typ = g.INFER_OPTIONS[o]
        if typ == "num":
            value = draw(nums)
        elif typ == "relation":
            value = draw(st.sampled_from(["tone:isComposedOf", "isOppositeOf", "tone:x"]))
        else:
            value = draw(st.sampled_from(typ))
        opts.append((o, value))
    return g.Infer(draw(names), kind, tuple(opts), draw(st.none() | concepts),
                   draw(st.none() | conditions))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(infers() | st.builds(g.SetDef, names, concepts), max_size=5))
def test_random_rule_files_from_the_grammar_parse(stmts):
    rf = g.RuleFile(tuple(stmts))
    parsed = parse_text(rf.to_text())
    assert parsed.statements == rf.statements


@pytest.fixture(scope="module")
def all_rules(onto):
    text = ("infer c: compose gain 2 combine mean;\n"
            "infer h: hierarchy prior 0.5;\n"
            "infer t1: transition gain 3 scope dialogue;\n"
            "infer t2: transition gain 1 scope doc when valence < 0 or score(all) > 0.2;\n"
            "infer o: oppose policy net;")
    return load(onto, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_score_matrices_stay_finite_and_non_negative(all_rules, table, data):
    n_u = data.draw(st.integers(1, 6))
    values = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                       st.floats(0, 5), st.just(0.0))
    e = data.draw(hnp.arrays(np.float64, (n_u, len(table)), elements=values))
    ctx = st.integers(-1, n_u - 1)
    ctx_a = np.array(data.draw(st.lists(ctx, min_size=n_u, max_size=n_u)))
    ctx_b = np.array(data.draw(st.lists(ctx, min_size=n_u, max_size=n_u)))
    ctx_doc = np.array(data.draw(st.lists(ctx, min_size=n_u, max_size=n_u)))
    context = np.nan_to_num(e, nan=0.0, posinf=1.0, neginf=0.0).clip(0, 10)
    # transitions may only read earlier turns
    ctx_a = np.where(ctx_a < np.arange(n_u), ctx_a, -1)
    ctx_b = np.where(ctx_b < np.arange(n_u), ctx_b, -1)
    finite = np.where(np.isfinite(e), e, 0.0)
    out = all_rules.chain(finite, ctx_a, ctx_b, ctx_doc, context, rounds=data.draw(
        st.integers(0, 5)))
    assert np.isfinite(out.evidence).all() and (out.evidence >= 0).all()
    assert np.isfinite(out.contrib).all() and (out.contrib >= 0).all()
    # raw NaN / inf / negative input is cleaned, never propagated
    raw = all_rules.chain(e)
    assert np.isfinite(raw.evidence).all() and (raw.evidence >= 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_opposition_kernel_keeps_weights_finite(all_rules, table, data):
    from tone.infer.loader import get_kernels

    c = all_rules._c
    n = data.draw(st.integers(0, 12))
    unit = np.sort(np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
                            dtype=np.int64))
    concept = np.array(data.draw(st.lists(st.integers(0, len(table) - 1), min_size=n,
                                          max_size=n)), dtype=np.int64)
    weight = np.array(data.draw(st.lists(st.floats(allow_nan=True, allow_infinity=False),
                                         min_size=n, max_size=n)), dtype=np.float64)
    _, oppose = get_kernels()
    w, *_ = oppose(unit, concept, weight, c.anc, c.pair_a, c.pair_b, c.pair_rule, c.r_policy,
                   c.r_min, c.r_enabled)
    assert np.isfinite(w).all() and (w >= 0).all()
