"""The shipped English lexicon and the vocabulary builder."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tone._resources import data_dir
from tone.lexicon.rows import read_lexicon
from tone.vocab.concepts import load_concepts

LEX = data_dir("lexicons") / "en"
SOURCES = ("wordnet-3.0", "spacy-lookups", "unicode-cldr-name", "vader-emoji", "curated",
           "derived-hashtag", "derived-phrase", "derived-spelling", "derived-person",
           "vader-evaluative", "parrott", "derived-block")


def _shared() -> Path | None:
    env = os.environ.get("TONE_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="module")
def rows():
    return read_lexicon(LEX / "lexicon.tsv")


@pytest.fixture(scope="module")
def tree():
    return load_concepts(data_dir("ontology") / "parrott.tsv")


def test_rows_name_known_concepts_and_sources(rows, tree):
    assert len(tree.keys) == 166
    for row in rows:
        assert (row.concept, row.tier) in tree.parents, row
        assert row.source.split(":")[0] in SOURCES, row
        assert row.status in ("auto", "accepted", "moved") or (
            row.status == "rejected" and row.source.startswith("derived-block:")), row


def test_unique_and_sorted(rows):
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys))
    assert rows == sorted(rows, key=lambda r: (r.tier, r.concept, r.kind, r.term))


def test_kinds(rows):
    kinds = Counter(r.kind for r in rows)
    assert kinds["emoji"] >= 400 and kinds["emoticon"] >= 80 and kinds["hashtag"] > 0


def test_licence_header():
    head = (LEX / "lexicon.tsv").read_text(encoding="utf-8").split("\nterm\t", 1)[0]
    for needle in ("Princeton University", "C.J. Hutto", "Unicode, Inc."):
        assert needle in head


@pytest.mark.parametrize("term, concept", [
    ("happy", "happiness"), ("sad", "sadness"), ("angry", "anger"), ("love", "love"),
    ("hate", "hate"), ("scared", "fear"), ("thanks", "affection"), ("lol", "amusement"),
    ("wow", "surprise"), ("disgusting", "disgust"), ("furious", "fury"), (":(", "sadness")])
def test_common_words(rows, term, concept):
    assert concept in {r.concept for r in rows if r.term == term}


def test_review_decisions_are_respected(rows):
    from tone.vocab.review import read_review

    present = {r.key for r in rows if r.status != "rejected"}
    for d in read_review(LEX / "review.tsv"):
        if d.decision == "reject":
            assert (d.term, d.concept, d.tier) not in present
        elif d.decision == "move":
            assert (d.term, d.target_concept, d.target_tier) in present


def test_pending_review_lists_auto_rows(rows):
    from tone.vocab.review import pending

    groups = pending(rows, [{"term": "upbeat", "margin": "0.99"}])
    assert all(r.status == "auto" for items in groups.values() for r in items)


@pytest.mark.skipif(_shared() is None, reason="needs ../shared/data (WordNet 3.0)")
def test_rebuild_reproduces_shipped_file(tmp_path):
    pytest.importorskip("nltk")
    os.environ.setdefault("NLTK_DATA", str(_shared() / "wordnet"))
    from tone.vocab.builder import build

    for name in ("curated.tsv", "review.tsv"):
        (tmp_path / name).write_bytes((LEX / name).read_bytes())
    build(tmp_path, parrott=data_dir("ontology") / "parrott.tsv",
          vader_emoji=_shared() / "vader" / "vader_emoji_descriptions.json")
    assert (tmp_path / "lexicon.tsv").read_bytes() == (LEX / "lexicon.tsv").read_bytes()


def test_negator_idioms_ship_and_are_not_negated(rows):
    """Fixed expressions that begin with a negator ("not sure") ship as phrases (the builder's
    NEGATOR_IDIOMS whitelist), and the negation rule does not flip them: its cue is inside the
    matched span."""
    from tone import Annotator
    from tone.vocab.builder import NEGATOR_IDIOMS, starts_with_modifier

    terms = {r.term: r for r in rows}
    assert "not sure" in NEGATOR_IDIOMS and terms["not sure"].concept == "surprise"
    assert terms["no idea"].kind == "phrase"
    assert "not happy" not in terms and "not good" not in terms  # other negator prefixes go
    assert starts_with_modifier("not sure", frozenset({"not"}))
    result = Annotator().annotate("I'm not sure about this")
    assert [(s.text, s.concept) for s in result.spans] == [("not sure", "surprise")]
    assert result.primary["surprise"] > 0


def test_evaluative_words_are_approval_or_disapproval(rows):
    """Evaluative adjectives/adverbs/quality nouns/verbs of judging from VADER's ratings
    (builder.evaluative_rows): approval -> satisfaction, disapproval -> displeasure, weak."""
    terms = {r.term: r for r in rows}
    for term, concept in (("ugly", "displeasure"), ("unfair", "displeasure"),
                          ("helpful", "satisfaction"), ("praise", "satisfaction")):
        assert terms[term].concept == concept and terms[term].source.startswith(
            "vader-evaluative:"), terms[term]
        assert terms[term].weight <= 0.5
    assert "better" not in terms and "pretty" not in terms  # too frequent (EVALUATIVE_MAX_LOGPROB)
    assert "respective" not in terms  # rejected in review.tsv


def test_derived_forms_inflections_and_variants(rows):
    """-ly/-ness forms, POS-aware inflections, person variants, g-dropping inside phrases."""
    terms = {r.term: r for r in rows}
    assert terms["hilariously"].concept == "amusement"          # -ly of a curated word
    assert terms["ugliness"].concept == "displeasure"           # -ness of an evaluative word
    assert "uglier" in terms and "tendered" not in terms        # adjectives: -er/-est only
    assert terms["drove me crazy"].source == "spacy-lookups:drive"  # inflected curated phrase
    assert "took care" not in terms                             # base-form heads stay as written
    assert terms["lost his temper"].source == "derived-person:lost my temper"
    assert "flip her lid" in terms and "flipped their lid" in terms  # WordNet's one's
    assert terms["freakin out"].source.startswith("derived-spelling:")
    assert terms["feelin sad"].concept == terms["feeling sad"].concept


def test_builder_helpers():
    from tone.vocab.builder import inflect, person_variants

    forms = {"make": ["made", "makes", "making"], "give": ["gave", "gives"]}
    lookup = {"makes": "make", "gave": "give"}
    assert inflect("makes me sad", "", "phrase", "curated", forms, lookup, lambda w: 1.0)[1] == [
        "make me sad", "made me sad", "making me sad"]
    assert inflect("give me a break", "", "phrase", "curated", forms, lookup,
                   lambda w: 1.0)[1] == []
    assert inflect("oh no", "", "phrase", "curated", forms, lookup, lambda w: 0.0)[1] == []
    assert person_variants("tell me more", False) == []
    assert "break their heart" in person_variants("break someone's heart", True)
