"""Numbers in rule files: every numeric slot is range-checked with a located RuleSyntaxError."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.cli import cli
from tone.errors import RuleSyntaxError
from tone.rules import check, load
from tone.ruleslang.grammar import parse_text

HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def table(onto):
    return onto.table()


def infer_load(onto, text):
    from tone.infer import load as infer_load_

    return infer_load_(paths=[], text=text, ontology=onto)


@pytest.mark.parametrize("text,col,words", [
    (f"rule w: scale cues intensifier window {HUGE};", 39, "window must be an integer from 1 to 255"),
    (f"rule w: exclaim per 1 max {HUGE};", 27, "max must be an integer from 1 to 1000"),
    ("rule w: scale cues intensifier window " + "9" * 5000 + ";", 39, "from 1 to 255"),
    ("rule w: scale cues intensifier window -3;", 39, "integer"),
    ("rule w: scale cues intensifier gain nan;", 37, "number"),
    ("rule w: scale cues intensifier gain inf;", 37, "number"),
    ("rule w: scale cues intensifier gain 1e999;", 37, "gain must be a number from 0 to 1000000"),
    ("rule w: scale cues intensifier gain -1e999;", 37, "gain must be a number from 0 to"),
    ("rule w: caps factor 1e400;", 21, "factor must be a number from 0 to 1000000"),
    ('rule w: scale cues ["so": 1e999];', 27, "a word weight must be a number from -1000000"),
    ('class big = ["so": -1e999];', 20, "a word weight must be a number"),
    (f"rule w: caps factor 2 on tier {HUGE};", 31, "tier must be an integer from 1 to 3"),
    (f"rule w: caps factor 2 on tier {HUGE} label joy;", 31, "tier must be an integer from 1"),
    ("infer x: compose gain 1e999;", 23, "gain must be a number from 0 to 64"),
    ("infer x: oppose when valence < 1e999;", 32, "a VAD threshold must be a number from -1 to 1"),
    ("infer x: oppose when score(all) > 1e999;", 35, "a score threshold must be a number from 0"),
])
def test_unrepresentable_numbers_fail_the_parse_with_location(text, col, words):
    with pytest.raises(RuleSyntaxError) as info:
        parse_text(text, path="x.rules")
    err = info.value
    assert (err.path, err.line, err.col) == ("x.rules", 1, col), str(err)
    assert str(err).startswith(f"x.rules:1:{col}: ") and words in str(err)
    assert len(str(err)) < 400


@pytest.mark.parametrize("text,col,words", [
    ("rule w: scale cues intensifier window 0;", 32, "window must be an integer from 1 to 255"),
    ("rule w: scale cues intensifier window 999999999999999999;", 32, "from 1 to 255"),
    ("rule w: scale cues intensifier window 256;", 32, "from 1 to 255"),
    ("rule w: exclaim per 1 max 1001;", 23, "max must be an integer from 1 to 1000"),
    ("rule w: scale cues intensifier decay 1.5;", 32, "decay must be a number from 0 to 1"),
    ("rule w: scale cues intensifier gain -2;", 32, "gain must be a number from 0 to 1000000"),
    ("rule w: scale cues intensifier cap 1e7;", 32, "cap must be a number from 1 to 1000000"),
    ("rule w: caps factor 2e6;", 14, "factor must be"),
    ('rule w: scale cues ["so": 2e6];', 27, "a word weight must be a number from -1000000"),
    ('class c = ["a", "b": -3e6];\nrule w: scale cues c;', 22, "a word weight"),
    ("rule w: caps factor 2 on tier 0;", 26, "tier must be an integer from 1 to 3"),
    ("rule w: caps factor 2 on tier 4 label joy;", 26, "tier must be an integer from 1 to 3"),
    ("rule w: caps factor 2 on under tier 999999999999999999 label joy;", 32, "from 1 to 3"),
])
def test_out_of_range_numbers_are_located(table, onto, text, col, words):
    with pytest.raises(RuleSyntaxError) as info:
        load(paths=[], table=table, ontology=onto, text=text)
    assert (info.value.line, info.value.col) == (1, col), str(info.value)
    assert words in str(info.value)


@pytest.mark.parametrize("text,col,words", [
    ("infer x: compose gain 65;", 18, "gain must be a number from 0 to 64"),
    ("infer x: hierarchy prior -1;", 20, "prior must be a number from 0 to 64"),
    ("infer x: compose min 1.5;", 18, "min must be a number from 0 to 1"),
    ("infer x: oppose when valence < -2;", 22, "a VAD threshold must be a number from -1 to 1"),
    ("infer x: oppose when score(all) > -1;", 22, "a score threshold must be a number from 0"),
    ("infer x: oppose when score(all) > 2e6;", 22, "a score threshold"),
    ("infer x: oppose on tier 7;", 20, "tier must be an integer from 1 to 3"),
])
def test_infer_numbers_are_range_checked(onto, text, col, words):
    with pytest.raises(RuleSyntaxError) as info:
        infer_load(onto, text)
    assert str(info.value).startswith(f"1:{col}: "), str(info.value)
    assert words in str(info.value)


def test_check_collects_range_problems_without_crashing(tmp_path, table, onto):
    path = tmp_path / "bad.rules"
    path.write_text("rule a: scale cues intensifier window 999999999999999999;\n"
                    "rule b: exclaim per 1 max 0;\n"
                    "rule c: scale cues intensifier decay 2 gain 3e6 cap 0.5;\n"
                    'rule d: scale cues ["x": 5e6];\n'
                    "rule e: caps factor 2 on tier 9 | tier 99 label joy;\n", encoding="utf-8")
    problems = check(path, table=table, ontology=onto)
    located = [(p.line, p.col) for p in problems]
    assert located == [(1, 32), (2, 23), (3, 32), (3, 40), (3, 49), (4, 26), (5, 26), (5, 35)]
    assert all(str(p).startswith(f"{path}:") for p in problems)


def test_infer_check_collects_range_problems(tmp_path, onto):
    from tone.infer import check as infer_check

    path = tmp_path / "bad.rules"
    path.write_text("infer x: oppose when valence < -2 and score(all) > -1;\n"
                    "infer y: compose gain 65 min 2;\n", encoding="utf-8")
    problems = infer_check(path, ontology=onto)
    assert [(p.line, p.col) for p in problems] == [(1, 22), (1, 39), (2, 18), (2, 26)]


def test_cli_rules_check_huge_window_is_one_located_line(tmp_path):
    path = tmp_path / "w.rules"
    path.write_text(f"\n# a comment\nrule w: scale cues intensifier window {HUGE};\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "check", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith(f"tone: error: {path}:3:39: window must be an integer from 1 to 255") \
        or first.startswith(f"{path}:3:39: window must be an integer from 1 to 255"), first


def test_lone_cr_does_not_shift_rule_file_lines(tmp_path, table, onto):
    path = tmp_path / "cr.rules"
    path.write_bytes(b"# one\r# still one\nrule w: caps factor 2 on tier 7;\n")
    problems = check(path, table=table, ontology=onto)
    assert [(p.line, p.col) for p in problems] == [(2, 26)]


def test_valid_numbers_still_compile(table, onto):
    rs = load(paths=[], table=table, ontology=onto,
              text='rule s: scale cues intensifier, ["so": -0.5] window 255 gain 1e6 decay 1 '
                   'cap 1;\nrule e: exclaim per 0 max 1000;')
    assert rs.names == ["s", "e"]


# --- property: any literal in any numeric slot compiles or raises RuleSyntaxError ------------

SLOTS = [
    "rule r: scale cues intensifier window {};",
    "rule r: exclaim per 1 max {};",
    "rule r: scale cues intensifier gain {} decay 0.1;",
    "rule r: scale cues intensifier decay {};",
    "rule r: scale cues intensifier cap {};",
    "rule r: negate cues negator factor {} else {};",
    "rule r: contrast cues contrast_before before {} after {};",
    "rule r: concede cues contrast_before clause {} rest {};",
    "rule r: caps factor {};",
    'rule r: scale cues ["so": {}];',
    "rule r: caps factor 1 on tier {};",
    "rule r: caps factor 1 on tier {} label joy;",
    "infer i: compose gain {} min 0;",
    "infer i: compose min {};",
    "infer i: hierarchy prior {};",
    "infer i: oppose when valence < {};",
    "infer i: oppose when score(all) >= {};",
    "infer i: oppose on tier {};",
]

numeric_literals = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"[+-]?[0-9]{0,40}(\.[0-9]{0,5})?([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["nan", "inf", "-inf", "NaN", "1e999", "-1e999", "1e-999", "0x10", "1_0",
                     "9" * 5000, "١٢", "+", "-", ".", "1.", ".5", "00", "-0"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot=st.sampled_from(SLOTS), value=numeric_literals, other=numeric_literals)
def test_numeric_slots_compile_or_raise_rule_syntax_error(table, onto, slot, value, other):
    text = slot.format(value, other) if slot.count("{}") == 2 else slot.format(value)
    try:
        if text.startswith("infer"):
            infer_load(onto, text)
        else:
            load(paths=[], table=table, ontology=onto, text=text)
    except RuleSyntaxError as err:
        assert err.line == 1 and 1 <= err.col <= len(text) + 1
