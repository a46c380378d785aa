"""Round-trip and error tests for the lexicon TSV format (tone.lexicon.rows)."""
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tone.errors import DataFileError
from tone.lexicon.rows import COLUMNS, KINDS, POS_TAGS, STATUSES, LexiconRow, read_lexicon, write_lexicon

_BAD = set("\t\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=sorted(_BAD)),
    min_size=1, max_size=12,
).map(str.strip).filter(lambda s: bool(s) and not s.startswith("#"))

rows = st.fixed_dictionaries(dict(
    term=_text,
    concept=_text,
    tier=st.sampled_from([1, 2, 3]),
    weight=st.floats(min_value=0.0, max_value=1.0, exclude_min=True),
    pos=st.sampled_from(POS_TAGS),
    kind=st.sampled_from([k for k in KINDS if k != "hashtag"]),
    source=_text,
    score=st.floats(allow_nan=False, allow_infinity=False),
    status=st.sampled_from(STATUSES),
    # a wildcard of stars alone is refused (tests/test_loaders_hardening.py)
)).filter(lambda r: r["kind"] != "wildcard" or r["term"].rstrip("*").strip()).map(
    lambda r: LexiconRow(**r))


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=8), st.lists(st.text(alphabet="abc #:é\t", max_size=10), max_size=3))
def test_round_trip(sample, comments):
    buf = io.StringIO()
    write_lexicon(sample, buf, comments=comments)
    buf.seek(0)
    assert read_lexicon(buf) == sample


def test_round_trip_file(tmp_path):
    row = LexiconRow("😂", "amusement", 3, 0.8, "", "emoji", "unicode-cldr-name", 1.5, "accepted")
    path = tmp_path / "lex.tsv"
    write_lexicon([row], path, comments=["licence"])
    assert read_lexicon(path) == [row]
    assert path.read_text(encoding="utf-8").splitlines()[1] == "\t".join(COLUMNS)


def _bad(tmp_path, body):
    path = tmp_path / "bad.tsv"
    path.write_text("# c\n" + "\t".join(COLUMNS) + "\n" + body, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_lexicon(path)
    return info.value


@pytest.mark.parametrize("body, col, words", [
    ("happy\tjoy\t4\t1.0\ta\tword\tx\t1.0\tauto\n", 11, "tier"),
    ("happy\tjoy\t3\t1.5\ta\tword\tx\t1.0\tauto\n", 13, "weight"),
    ("happy\tjoy\t3\t0\ta\tword\tx\t1.0\tauto\n", 13, "weight"),
    ("happy\tjoy\t3\t1.0\tq\tword\tx\t1.0\tauto\n", 17, "pos"),
    ("happy\tjoy\t3\t1.0\ta\tthing\tx\t1.0\tauto\n", 19, "kind"),
    ("happy\tjoy\t3\t1.0\ta\tword\tx\tnan\tauto\n", 26, "score"),
    ("happy\tjoy\t3\t1.0\ta\tword\tx\t1.0\tmaybe\n", 30, "status"),
    ("happy\tjoy\t3\n", 1, "9 tab-separated columns"),
    ("\tjoy\t3\t1.0\ta\tword\tx\t1.0\tauto\n", 1, "term"),
])
def test_malformed_rows_name_line_and_column(tmp_path, body, col, words):
    err = _bad(tmp_path, body)
    assert err.line == 3 and err.col == col
    assert words in str(err) and "bad.tsv:3:" in str(err)


def test_missing_header(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="header row"):
        read_lexicon(path)


def test_undecodable(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(DataFileError, match="UTF-8"):
        read_lexicon(path)


def test_writer_rejects_tabs():
    with pytest.raises(ValueError, match="tabs"):
        write_lexicon([LexiconRow("a\tb", "joy", 3, 1.0)], io.StringIO())


def test_hashtag_rows_are_not_comments():
    rows = [LexiconRow("#happy", "happiness", 3, 0.9, "", "hashtag", "derived-hashtag:happy", 0.9)]
    buf = io.StringIO()
    write_lexicon(rows, buf, comments=["c"])
    buf.seek(0)
    assert read_lexicon(buf) == rows
