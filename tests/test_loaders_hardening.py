"""Lexicon loaders on hostile input: wildcard-only terms, odd line breaks, unknown concepts."""
from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.errors import DataFileError
from tone.lexicon import loaders
from tone.lexicon.rows import COLUMNS, LexiconRow, read_lexicon

LIWC_HEAD = "%\n1\tposemo\n2\tanger\n%\n"
MAPPING = {"posemo": ("joy", 1), "anger": ("anger", 1)}


def _w(tmp_path, name, text):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


@pytest.fixture(scope="module")
def table(onto):
    return onto.table()


@pytest.mark.parametrize("term", ["*", "**", " *", "* "])
def test_liwc_wildcard_only_entry_is_refused(tmp_path, term):
    path = _w(tmp_path, "x.dic", LIWC_HEAD + "happ*\t1\n" + f"{term}\t1\n")
    with pytest.raises(DataFileError) as info:
        loaders.load_liwc(path, MAPPING)
    assert (info.value.path, info.value.line, info.value.col) == (str(path), 6, 1)
    assert "wildcard" in str(info.value) and str(info.value).startswith(f"{path}:6:1:")


@pytest.mark.parametrize("loader,text,line", [
    (loaders.load_tsv, "good\tjoy\t1\n*\tjoy\t1\n", 2),
    (loaders.load_emolex, "ok\tjoy\t1\n*\tjoy\t1\n", 2),
    (loaders.load_nrc_intensity, "ok\tjoy\t0.5\n***\tjoy\t0.5\n", 2),
    (loaders.load_vader, ":)\t2.0\t0.5\n*\t1.0\t0.5\n", 2),
])
def test_wildcard_only_terms_refused_by_every_loader(tmp_path, loader, text, line):
    path = _w(tmp_path, "w.txt", text)
    with pytest.raises(DataFileError) as info:
        loader(path)
    assert (info.value.path, info.value.line, info.value.col) == (str(path), line, 1)


def test_lexicon_tsv_wildcard_only_row_is_refused(tmp_path):
    path = _w(tmp_path, "lex.tsv", "\t".join(COLUMNS) + "\n*\tjoy\t1\t1.0\t\twildcard\tx\t1.0\tauto\n")
    with pytest.raises(DataFileError, match="wildcard") as info:
        read_lexicon(path)
    assert (info.value.line, info.value.col) == (2, 1)
    with pytest.raises(ValueError):
        LexiconRow("*", "joy", 1, 1.0, kind="wildcard").validate()


@pytest.mark.parametrize("odd", ["\x0c", "\u2028", "\u2029", "\x85", "\x1c", "\x0b", "\r"])
def test_odd_line_breaks_inside_a_line_keep_line_numbers(tmp_path, odd):
    # the odd character sits inside line 2 (a comment) and line 3 (a term); line 4 is bad
    text = f"a\tjoy\t1\n# note{odd}more\nb{odd}c\tjoy\t1\nd\tjoy\t7\n"
    path = _w(tmp_path, "odd.tsv", text)
    with pytest.raises(DataFileError) as info:
        loaders.load_tsv(path)
    assert (info.value.path, info.value.line) == (str(path), 4), str(info.value)


def test_odd_line_breaks_in_liwc_and_emolex(tmp_path):
    liwc = _w(tmp_path, "odd.dic", LIWC_HEAD + "happ*\t1\u2028\nsad\x0cly\t2\nx\t9\n")
    with pytest.raises(DataFileError) as info:
        loaders.load_liwc(liwc, MAPPING)
    assert info.value.line == 7
    emolex = _w(tmp_path, "odd.txt", "a\u2028b\tjoy\t1\nc\tjoy\t1\x0c\nd\tjoy\t5\n")
    with pytest.raises(DataFileError) as info:
        loaders.load_emolex(emolex)
    assert info.value.line in (2, 3)  # line 2's flag "1\x0c" is itself malformed


def test_stream_sources_split_on_newline_only():
    rows = loaders.load_tsv(io.StringIO("a\u2028b\tjoy\t1\nc\tjoy\t1\n"))
    assert [r.term for r in rows] == ["a\u2028b", "c"]


def test_unknown_concept_in_user_tsv_names_the_file(tmp_path, table):
    path = _w(tmp_path, "mine.tsv", "# mine\nhappy\tjoy\t1\nglum\tjoyy\t1\n")
    with pytest.raises(DataFileError) as info:
        loaders.load_tsv(path, table=table)
    assert (info.value.path, info.value.line, info.value.col) == (str(path), 3, 6)
    assert str(info.value).startswith(f"{path}:3:6:") and "joyy" in str(info.value)


def test_unknown_concept_in_lexicon_file_names_the_file(tmp_path, table):
    path = _w(tmp_path, "lex.tsv", "# c\n" + "\t".join(COLUMNS) + "\n"
              "glad\tjoy\t1\t1.0\t\tword\tx\t1.0\tauto\n"
              "glum\tjoyy\t1\t1.0\t\tword\tx\t1.0\tauto\n")
    with pytest.raises(DataFileError) as info:
        read_lexicon(path, table=table)
    assert (info.value.path, info.value.line, info.value.col) == (str(path), 4, 6)


def test_annotator_with_a_user_lexicon_names_the_file(tmp_path, onto):
    from tone import Annotator

    path = _w(tmp_path, "lex.tsv", "\t".join(COLUMNS) + "\n"
              "glum\tjoyy\t1\t1.0\t\tword\tx\t1.0\tauto\n")
    with pytest.raises(DataFileError) as info:
        Annotator(ontology=onto, lexicon=str(path), rules=False).annotate("glum")
    assert str(info.value).startswith(f"{path}:2:6:")


# --- property: random lines give rows or a DataFileError inside the file ------------------

pieces = st.sampled_from(list("ab*# %\t0123456789.-e") +
                         ["joy", "fear", "anger", "posemo", "1", "0.5", "\x0c", "\u2028",
                          "\u2029", "\x85", "\r", "\x0b", "\x1c", "\ufeff", "é", "😀"])
cells = st.lists(pieces, max_size=6).map("".join)
line_lists = st.lists(st.lists(cells, min_size=0, max_size=5).map("\t".join), max_size=8)


def real_line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(lines=line_lists, header=st.sampled_from(["", LIWC_HEAD, "term\tconcept\n"]),
       which=st.sampled_from(["tsv", "liwc", "emolex", "intensity", "vader", "vad"]),
       newline=st.sampled_from(["\n", "\r\n"]), final=st.booleans())
def test_loaders_return_rows_or_a_located_error(tmp_path_factory, table, lines, header, which,
                                                newline, final):
    text = header + newline.join(lines) + (newline if final else "")
    path = tmp_path_factory.mktemp("prop") / f"x.{which}"
    path.write_bytes(text.encode("utf-8"))
    load = {"tsv": lambda p: loaders.load_tsv(p, table=table),
            "liwc": lambda p: loaders.load_liwc(p, MAPPING),
            "emolex": loaders.load_emolex, "intensity": loaders.load_nrc_intensity,
            "vader": loaders.load_vader, "vad": loaders.load_nrc_vad}[which]
    try:
        rows = load(path)
    except DataFileError as err:
        assert err.path == str(path)
        assert err.line is not None and 1 <= err.line <= max(1, real_line_count(text)), \
            (err.line, real_line_count(text), str(err))
        assert "\n" not in str(err)
    else:
        for row in rows:
            term = row[0] if which == "vad" else row.term
            assert term and term.rstrip("*").strip()
