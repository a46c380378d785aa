"""Property tests for tone.rules: grammar round-trip, garbage input, kernel robustness."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.errors import RuleSyntaxError
from tone.ruleslang import grammar as g
from tone.rules import parse_text

# --- generated rule files round-trip --------------------------------------------------------

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
class_names = names.filter(lambda s: s not in g.OPTIONS and s != "on")
terms = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=12)
nums = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 3))
wordlists = st.lists(st.tuples(terms, st.none() | nums), max_size=4).map(
    lambda items: g.WordList(tuple(items)))
cues = st.lists(class_names.map(g.ClassRef) | wordlists, min_size=1, max_size=3).map(tuple)
labels = st.from_regex(r"[a-z][a-z ]{0,10}", fullmatch=True).map(str.strip).filter(bool)
label_refs = st.builds(g.Label, labels, st.none() | st.integers(1, 3))
atoms = st.one_of(
    label_refs, st.builds(g.Tier, st.integers(1, 3)), st.builds(g.Under, label_refs),
    st.builds(g.SetRef, names), st.just(g.AllConcepts()),
    st.builds(g.Sparql, st.text(alphabet="SELECT?c WHERE{}:+ \n\"'\\", min_size=1, max_size=30)),
)
concepts = st.recursive(atoms, lambda inner: st.builds(g.BinOp, st.sampled_from("|-&"), inner,
                                                       inner), max_leaves=6)


@st.composite
def rules(draw):
    kind = draw(st.sampled_from(sorted(g.KINDS)))
    allowed = g.KINDS[kind]
    chosen = [o for o in allowed if draw(st.booleans())]
    if "cues" in allowed and "cues" not in chosen:
        chosen.append("cues")
    for req in ("factor", "per"):
        if req in allowed and req not in chosen and kind != "negate":
            chosen.append(req)
    chosen = draw(st.permutations(chosen))
    opts = []
    for o in chosen:
        typ = g.OPTIONS[o]
        value = {"cues": cues, "int": st.integers(0, 300), "num": nums,
                 "action": st.sampled_from(g.ACTIONS), "concept": label_refs}[typ]
        opts.append((o, draw(value)))
    if dict(opts).get("action", "flip") != "flip":  # "to" needs action flip
        opts = [(k, v) for k, v in opts if k != "to"]
    return g.Rule(draw(names), kind, tuple(opts), draw(st.none() | concepts))


statements = st.one_of(
    rules(),
    st.builds(g.ClassDef, class_names, st.sampled_from(["=", "+="]), wordlists),
    st.builds(g.SetDef, names, concepts),
    st.builds(g.Idiom, names, wordlists, label_refs),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(statements, max_size=5))
def test_generated_rule_files_round_trip(stmts):
    rf = g.RuleFile(tuple(stmts))
    text = rf.to_text()
    parsed = parse_text(text)
    assert parsed.statements == rf.statements
    assert parse_text(parsed.to_text()).statements == rf.statements


# --- garbage never crashes with anything but RuleSyntaxError --------------------------------------

vocab = sorted(g._KEYWORDS) + [";", ":", ",", "[", "]", "(", ")", "=", "+=", "|", "-", "&", "@x",
                               '"a b"', '"""q"""', "1", "2.5", "-3", "x", "joy", "#c\n", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.lists(st.sampled_from(vocab), max_size=25).map(" ".join))
def test_garbage_raises_only_rule_syntax_error(text):
    try:
        parse_text(text)
    except RuleSyntaxError as err:
        assert err.line is not None and err.col is not None and err.line >= 1 and err.col >= 1
        assert "^" in str(err)


# --- kernel on random arrays ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ruleset():
    from tone.ontology import Ontology
    from tone.rules import load

    onto = Ontology()
    return load(table=onto.table(), ontology=onto)


@st.composite
def batches(draw, n_concepts):
    from tone.text import token_key

    pool = [token_key(w) for w in ("not", "very", "but", "although", "if", ",", ".", "!", "?",
                                   "lack", "of", "happy", "😂", "n't", "no", "doubt")]
    n_docs = draw(st.integers(0, 4))
    lens = draw(st.lists(st.integers(0, 12), min_size=n_docs, max_size=n_docs))
    doc_ptr = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    n = int(doc_ptr[-1])
    key = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)), dtype=np.uint64)
    flags = np.array(draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), dtype=np.uint8)
    kind = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=np.uint8)
    n_m = draw(st.integers(0, 15))
    ints = st.integers(-2, n + 2)
    m_doc = np.array(draw(st.lists(st.integers(-1, n_docs), min_size=n_m, max_size=n_m)))
    m_start = np.array(draw(st.lists(ints, min_size=n_m, max_size=n_m)))
    m_end = m_start + np.array(draw(st.lists(st.integers(-1, 3), min_size=n_m, max_size=n_m)))
    concept = np.array(draw(st.lists(st.integers(-1, n_concepts), min_size=n_m, max_size=n_m)))
    weight = np.array(draw(st.lists(st.floats(width=32) | st.floats(0, 10, width=32),
                                    min_size=n_m, max_size=n_m)), dtype=np.float32)
    if draw(st.booleans()):  # the matcher's sorted order
        order = np.lexsort((m_start, m_doc))
        m_doc, m_start, m_end, concept, weight = (a[order] for a in
                                                  (m_doc, m_start, m_end, concept, weight))
    from types import SimpleNamespace as NS

    batch = NS(doc_ptr=doc_ptr, key=key, squeezed=key, squeezed1=key, flags=flags, kind=kind)
    matches = NS(doc=m_doc.astype(np.int32), tok_start=m_start.astype(np.int32),
                 tok_end=m_end.astype(np.int32), entry=np.arange(n_m, dtype=np.int32),
                 concept=concept.astype(np.int32), weight=weight)
    return batch, matches


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_kernel_on_random_arrays_keeps_weights_finite(ruleset, data):
    n_c = len(ruleset.table.labels)
    batch, matches = data.draw(batches(n_c))
    fx = ruleset.apply(batch, matches)
    assert len(fx.weight) == len(matches.doc)
    assert np.all(np.isfinite(fx.weight)) and np.all(fx.weight >= 0)
    valid = (matches.concept >= 0) & (matches.concept < n_c)
    assert np.all((fx.concept[valid] >= 0) & (fx.concept[valid] < n_c))
    assert fx.fire_ptr[-1] == len(fx.fire_rule) == len(fx.fire_cue)
    assert np.all(fx.fire_cue < max(len(batch.key), 1))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 25), max_size=12, unique=True).map(sorted),
       st.lists(st.tuples(st.integers(0, 20), st.integers(1, 5), st.integers(0, 20),
                          st.integers(0, 30)), max_size=25))
def test_nearest_cue_search_resumes_correctly_in_any_order(cue_list, queries):
    # matches usually come in token order (the search goes on from the previous one); any
    # order must give what a plain scan gives
    from tone.rules import kernel

    near = getattr(kernel._near, "py_func", kernel._near)
    cues = np.zeros((2, max(len(cue_list), 1)), np.int64)
    cues[1, :len(cue_list)] = cue_list
    pos = np.zeros((2, 4), np.int64)
    pos[:, 2] = np.iinfo(np.int64).max
    for ms, length, first, stop in queries:
        me = ms + length
        before = [c for c in cue_list if first <= c < ms]
        after = [c for c in cue_list if me <= c < stop]
        want = (before[-1] if before else -1, after[0] if after else -1)
        assert near(cues, 1, len(cue_list), ms, me, first, stop, pos) == want
