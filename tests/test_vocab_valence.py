"""The valence word list (tone.vocab.valence) and its use in document valence (tone.scoring.vad)."""
import pytest

from tone.errors import DataFileError
from tone.vocab.valence import build_valence, parse_vader, read_valence


def test_parse_vader_rescales_and_drops_zero_rows():
    rows = parse_vader(["good\t1.9\t0.9\t[2, 2]", "meh\t0.0\t0.1\t[0]", "awful\t-3.4\t0.5\t[-3]"])
    assert rows == [("good", 0.475, "vader-3.3.2"), ("awful", -0.85, "vader-3.3.2")]


def test_malformed_vader_line_is_located(tmp_path):
    with pytest.raises(DataFileError, match="x.txt:2"):
        parse_vader(["good\t1.9", "bad\tnot-a-number"], path="x.txt")


def test_build_then_read_round_trips(tmp_path):
    src = tmp_path / "vader_lexicon.txt"
    src.write_text("good\t1.9\t0.9\t[2]\nbad\t-2.5\t0.6\t[-2]\n", encoding="utf-8")
    out = build_valence(src, tmp_path / "valence.tsv")
    assert read_valence(out) == [("bad", -0.625, "vader-3.3.2"), ("good", 0.475, "vader-3.3.2")]
    assert "MIT License" in out.read_text(encoding="utf-8")


def test_read_valence_rejects_out_of_range(tmp_path):
    path = tmp_path / "valence.tsv"
    path.write_text("term\tvalence\tsource\nx\t1.5\tvader-3.3.2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="valence must lie"):
        read_valence(path)


def test_shipped_list_is_vader_only():
    from tone._resources import data_dir

    rows = read_valence(data_dir("lexicons") / "en" / "valence.tsv")
    assert len(rows) > 7000 and {source for _, _, source in rows} == {"vader-3.3.2"}


@pytest.fixture(scope="module")
def annotator():
    from tone.annotator import Annotator

    return Annotator()


def test_valence_words_move_document_valence(annotator):
    good = annotator.annotate("The weather was lovely and the picnic a great success.")
    bad = annotator.annotate("The war was a disaster and the city lay in ruins.")
    assert good.vad["valence"] > 0.2 and bad.vad["valence"] < -0.2
    negated = annotator.annotate("The picnic was not a success.")
    assert negated.vad["valence"] < 0
    assert annotator.annotate("The meeting is at noon.").vad["valence"] == 0.0


def test_negators_are_weak_negative_valence_words(annotator):
    """tone.scoring.vad.NEGATION_VALENCE: negation is itself a cue of negative evaluation."""
    from tone.scoring.vad import NEGATION_VALENCE

    assert NEGATION_VALENCE < 0
    alone = annotator.annotate("I did not know what to do.").vad["valence"]
    assert NEGATION_VALENCE < alone < 0
    # "not good" stays negative, "not bad" positive: the negator only pulls towards negative
    assert annotator.annotate("It was not good.").vad["valence"] < alone
    assert annotator.annotate("It was not bad.").vad["valence"] > 0


def test_valence_words_inside_names_are_skipped(annotator):
    """A valence word capitalised inside a sentence is part of a name (tone.scoring.vad)."""
    from tone.scoring.vad import valence_words

    def values(text):
        batch = annotator._tokenize([text])
        return list(valence_words(annotator.table, batch, annotator.rules)[2])

    assert values("We visited the Great Wall.") == []
    assert values("We visited a great wall.") != []
    assert values("Great, we visited the wall.") != []  # sentence start is not a name
