"""Loaders for user-supplied lexicons, on tiny synthetic files in each format."""
from __future__ import annotations

import pytest

from tone.errors import DataFileError
from tone.lexicon import loaders


def _w(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_emolex(tmp_path):
    p = _w(tmp_path, "emolex.txt", "abandon\tfear\t1\nabandon\tnegative\t1\nabandon\ttrust\t0\n"
           "hope\tanticipation\t1\nfriend\ttrust\t1\nyuck\tdisgust\t1\n")
    rows = loaders.load_emolex(p)
    assert [(r.term, r.concept, r.tier) for r in rows] == [
        ("abandon", "fear", 1), ("hope", "eagerness", 3), ("friend", "liking", 3),
        ("yuck", "disgust", 2)]


@pytest.mark.parametrize("text, line, col, words", [
    ("a\tfear\t1\nb\tfear\t2\n", 2, 8, "0 or 1"),
    ("a\tfear\n", 1, 1, "3 tab-separated"),
    ("a\tboredom\t1\n", 1, 3, "Plutchik"),
])
def test_emolex_errors(tmp_path, text, line, col, words):
    with pytest.raises(DataFileError) as info:
        loaders.load_emolex(_w(tmp_path, "e.txt", text))
    assert (info.value.line, info.value.col) == (line, col) and words in str(info.value)
    assert "e.txt:" in str(info.value)


def test_intensity(tmp_path):
    p = _w(tmp_path, "i.txt", "word\temotion\tscore\noutraged\tanger\t0.964\ncalm\tfear\t0\n")
    rows = loaders.load_nrc_intensity(p)
    assert [(r.term, r.concept, r.weight) for r in rows] == [("outraged", "anger", 0.964)]
    with pytest.raises(DataFileError, match="score in"):
        loaders.load_nrc_intensity(_w(tmp_path, "j.txt", "x\tanger\t1.5\n"))


def test_nrc_vad(tmp_path):
    p = _w(tmp_path, "v.txt", "Word\tValence\tArousal\tDominance\naaa\t0.5\t0.2\t0.3\n")
    assert loaders.load_nrc_vad(p) == [("aaa", 0.5, 0.2, 0.3)]
    with pytest.raises(DataFileError, match="header"):
        loaders.load_nrc_vad(_w(tmp_path, "w.txt", "aaa\t0.5\t0.2\t0.3\n"))
    with pytest.raises(DataFileError) as info:
        loaders.load_nrc_vad(_w(tmp_path, "x.txt", "Word\tValence\tArousal\tDominance\n"
                                "aaa\t0.5\thigh\t0.3\n"))
    assert (info.value.line, info.value.col) == (2, 9)


def test_liwc(tmp_path):
    p = _w(tmp_path, "d.dic", "%\n1\tposemo\n2\tanger\n%\nabandon*\t2\nkind of\t1\nhappy\t1\t2\n")
    rows = loaders.load_liwc(p, {"posemo": ("joy", 1), "anger": ("anger", 1)})
    assert [(r.term, r.concept, r.kind) for r in rows] == [
        ("abandon*", "anger", "wildcard"), ("kind of", "joy", "phrase"),
        ("happy", "joy", "word"), ("happy", "anger", "word")]
    with pytest.raises(DataFileError, match="declared") as info:
        loaders.load_liwc(_w(tmp_path, "e.dic", "%\n1\tposemo\n%\nx\t9\n"), {})
    assert info.value.line == 4
    with pytest.raises(DataFileError, match="closed"):
        loaders.load_liwc(_w(tmp_path, "f.dic", "%\n1\tposemo\n"), {})


LIWC_MAP = {"posemo": ("joy", 1), "negemo": ("sadness", 1), "anger": ("anger", 1),
            "affect": ("joy", 1)}


def test_liwc2015_category_descriptions_are_not_part_of_the_name(tmp_path):
    p = _w(tmp_path, "2015.dic", "%\n1\tposemo\t(Positive Emotions)\n2\tnegemo\t(Negative "
           "Emotions)\n%\nhappy\t1\nsad\t2\n")
    assert [(r.term, r.concept) for r in loaders.load_liwc(p, LIWC_MAP)] == [
        ("happy", "joy"), ("sad", "sadness")]


def test_liwc_mapping_that_matches_no_category_is_an_error(tmp_path):
    p = _w(tmp_path, "other.dic", "%\n1\tfunct\n%\nthe\t1\n")
    with pytest.raises(DataFileError, match="none of the mapped categories.*funct") as info:
        loaders.load_liwc(p, LIWC_MAP)
    assert info.value.path == str(p) and info.value.line == 3


def test_liwc2007_conditional_entries_take_their_otherwise_category(tmp_path):
    p = _w(tmp_path, "2007.dic", "%\n01\tposemo\n02\tnegemo\n125\tanger\n%\n"
           "like\t(02 134)125/01\nmad\t(01)125\nglad\t01\n")
    rows = loaders.load_liwc(p, LIWC_MAP)
    assert [(r.term, r.concept) for r in rows] == [("like", "joy"), ("glad", "joy")]


def test_liwc_space_separated_files(tmp_path):
    p = _w(tmp_path, "spaces.dic", "%\n1 posemo\n2 anger\n%\nhappy 1\nkind of 1 2\n"
           "like (2 1)2/1\n")
    rows = loaders.load_liwc(p, LIWC_MAP)
    assert [(r.term, r.concept) for r in rows] == [
        ("happy", "joy"), ("kind of", "joy"), ("kind of", "anger"), ("like", "joy")]


def test_liwc_two_categories_on_one_concept_count_once(tmp_path):
    p = _w(tmp_path, "two.dic", "%\n1\tposemo\n2\taffect\n%\nhappy\t1\t2\n")
    rows = loaders.load_liwc(p, LIWC_MAP)
    assert len(rows) == 1 and rows[0].source == "liwc:posemo+affect"


def test_nrc_vad_v2_lowercase_term_header(tmp_path):
    p = _w(tmp_path, "vad2.txt", "term\tvalence\tarousal\tdominance\nhappy\t0.9\t0.5\t0.6\n")
    assert loaders.load_nrc_vad(p) == [("happy", 0.9, 0.5, 0.6)]


def test_vader(tmp_path):
    p = _w(tmp_path, "vader.txt", ":)\t2.0\t1.2\t[2, 2]\nsad\t-2.1\t0.7\t[-2]\nmeh\t0\t0\t[]\n")
    rows = loaders.load_vader(p)
    assert [(r.term, r.concept, r.kind, r.weight) for r in rows] == [
        (":)", "joy", "emoticon", 0.5), ("sad", "sadness", "word", 0.525)]
    with pytest.raises(DataFileError, match="mean rating"):
        loaders.load_vader(_w(tmp_path, "v2.txt", "x\thigh\t1\n"))


def test_tsv(tmp_path):
    p = _w(tmp_path, "t.tsv", "term\tconcept\nantsy\tnervousness\nfed up\tanger\t1\t0.8\n")
    rows = loaders.load_tsv(p)
    assert [(r.term, r.concept, r.tier, r.weight, r.kind) for r in rows] == [
        ("antsy", "nervousness", 3, 1.0, "word"), ("fed up", "anger", 1, 0.8, "phrase")]
    with pytest.raises(DataFileError) as info:
        loaders.load_tsv(_w(tmp_path, "u.tsv", "x\tjoy\t7\n"))
    assert (info.value.line, info.value.col) == (1, 7)


@pytest.mark.parametrize("name,text,fmt", [
    ("liwc2015.dic", "%\n1\tposemo\t(Positive Emotions)\n2\tanger\t(Anger)\n%\nglad*\t1\n"
     "furious\t2\n", "liwc"),
    ("liwc2007.dic", "%\n01\tposemo\n16\tanger\n%\nglad*\t01\nfurious\t16\nlike\t(02)16/01\n",
     "liwc"),
    ("emolex.txt", "glad\tjoy\t1\nglad\tanger\t0\nfurious\tanger\t1\n", "emolex"),
    ("intensity.txt", "word\temotion\temotion-intensity-score\nglad\tjoy\t0.7\n"
     "furious\tanger\t0.95\n", "nrc-intensity"),
    ("mine.tsv", "glad\tjoy\t1\nfurious\tfury\t3\n", "tsv"),
])
def test_annotator_reads_native_lexicon_formats(tmp_path, name, text, fmt):
    from tone.annotator import Annotator

    path = _w(tmp_path, name, text)
    assert loaders.lexicon_format(path) == fmt
    annotator = Annotator(lexicon=path)
    assert annotator.annotate("so glad").top == ["joy"]
    assert annotator.annotate("I am furious").top == ["anger"]


def test_empty_or_emotionless_lexicons_are_refused(tmp_path):
    from tone.annotator import Annotator
    from tone.errors import UsageError

    with pytest.raises(UsageError, match="no rows"):
        Annotator(lexicon=[])
    with pytest.raises(DataFileError, match="no emotion entries"):
        Annotator(lexicon=_w(tmp_path, "none.dic", "%\n1\tposemo\n2\tfunct\n%\nthe\t2\n"))
    with pytest.raises(DataFileError, match="NRC VAD"):
        Annotator(lexicon=_w(tmp_path, "vad.txt", "Word\tValence\tArousal\tDominance\n"
                                                  "glad\t0.9\t0.5\t0.5\n"))


@pytest.mark.parametrize("header,sunny,gloomy", [
    ("Word\tValence\tArousal\tDominance", "0.95", "0.05"),   # NRC VAD v1: 0..1
    ("term\tvalence\tarousal\tdominance", "0.9", "-0.9"),     # NRC VAD v2: -1..1
])
def test_nrc_vad_feeds_an_annotators_valence(tmp_path, header, sunny, gloomy):
    from tone.annotator import Annotator

    path = _w(tmp_path, "vad.txt", f"{header}\nsunny\t{sunny}\t0.5\t0.5\n"
                                   f"gloomy\t{gloomy}\t0.5\t0.5\n")
    shipped = Annotator()
    for source in (path, loaders.load_nrc_vad(path)):
        mine = Annotator(valence=source)
        assert mine.annotate("a sunny morning").vad["valence"] > 0
        assert mine.annotate("a gloomy morning").vad["valence"] < 0
    assert shipped.annotate("a zxq morning").vad == mine.annotate("a zxq morning").vad
    with pytest.raises(Exception, match="valence must lie"):
        Annotator(valence=[("x", 3.0)])
