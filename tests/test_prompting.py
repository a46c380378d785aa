"""tone.prompting: the 21 emotional stimuli in the ontology (and SPARQL), augment(), and hints()
(deterministic, bounded, explained by the annotation), and ``tone annotate -f hints``."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tone.errors import DataFileError, UsageError
from tone.prompting import augment, hints, stimuli, stimulus
from tone.prompting import build as stimuli_build
from tone.prompting.hints import (
    MAX_CAUSE_CHARS,
    MAX_CAUSES,
    MAX_FINER,
    MAX_PRIMARY,
    MAX_WORD_CHARS,
    MAX_WORDS,
)

# Exact texts from the papers' code (ontology/stimuli.tsv names the files and commits).
EXPECTED = {
    "EP02": "This is very important to my career.",
    "EP05": "Are you sure that's your final answer? It might be worth taking another look.",
    "EP11": "Remember that progress is made one step at a time. Stay determined and keep moving "
            "forward.",
    "NP01": "You've never been particularly good at this, have you?",
    "NP06": "Everyone else managed to do it; why can't you?",
    "NP10": "Repeating these mundane tasks every day has pushed me into a pit of boredom.",
}


def test_twenty_one_stimuli_with_theory_source_and_polarity():
    found = stimuli()
    assert [s.id for s in found] == [f"EP{i:02d}" for i in range(1, 12)] + \
        [f"NP{i:02d}" for i in range(1, 11)]
    for s in found:
        assert s.theories and len(s.theories) == len(s.theory_citations)
        assert all(c.strip() for c in s.theory_citations)
        assert s.paper.startswith("https://arxiv.org/abs/") and s.citation
        assert s.quoted_from.startswith("https://github.com/")
        assert s.polarity == ("positive" if s.id.startswith("EP") else "negative")
    by_id = {s.id: s for s in found}
    for sid, text in EXPECTED.items():
        assert by_id[sid].text == text


def test_theories_as_the_issue_assigns_them():
    def ids(theory):
        return [s.id for s in stimuli(theory=theory)]

    assert ids("self-monitoring") == ["EP01", "EP02", "EP03", "EP04", "EP05", "EP06"]
    assert ids("social cognitive theory") == ["EP07", "EP08", "EP09", "EP10", "EP11"]
    assert ids("cognitive emotion regulation") == ["EP03", "EP04", "EP05", "EP06", "EP07"]
    assert ids("Cognitive Dissonance") == ["NP01", "NP02", "NP03", "NP04", "NP05"]
    assert ids("social comparison theory") == ["NP06", "NP07"]
    assert ids("stress and coping theory") == ["NP08", "NP09", "NP10"]
    assert len(stimuli(polarity="negative", method="NegativePrompt")) == 10
    assert stimuli(polarity="positive", method="NegativePrompt") == []


@pytest.mark.parametrize("kwargs, message", [
    ({"theory": "astrology"}, "unknown theory 'astrology'"),
    ({"polarity": "neutral"}, "unknown polarity"),
    ({"method": "ShoutPrompt"}, "unknown method 'ShoutPrompt'"),
])
def test_bad_filters_are_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        stimuli(**kwargs)


def test_sparql_finds_the_stimuli(onto):
    rows = onto.query("""
        SELECT ?id ?text WHERE {
          ?s a tone:Stimulus ; rdfs:label ?id ; tone:stimulusText ?text ;
             tone:basedOnTheory tone:SocialComparisonTheory }
        ORDER BY ?id""")
    assert [(str(i), str(t)) for i, t in rows] == [("NP06", EXPECTED["NP06"]),
                                                 ("NP07", stimulus("NP07").text)]
    count = onto.query("SELECT (COUNT(?s) AS ?n) WHERE { ?s a tone:Stimulus }")
    assert int(next(iter(count))[0]) == 21
    # tone's own annotation is in the graph: EP10 ("Take pride in your work...") is joyful
    assert onto.query("ASK { tone:EP10 tone:annotatedEmotion tone:Joy }") is True


def test_the_shipped_ttl_is_what_the_builder_writes_now(tmp_path):
    """ontology/stimuli.ttl holds tone's annotation of each text: after a change to the
    lexicon or rules, regenerate it with `python -m tone.prompting.build`."""
    from tone._resources import data_dir

    shipped = (data_dir("ontology") / "stimuli.ttl").read_text(encoding="utf-8")
    assert shipped == stimuli_build.render(stimuli_build.read_table()), \
        "ontology/stimuli.ttl is stale: run python -m tone.prompting.build"
    assert stimuli_build.main(tmp_path / "s.ttl").read_text(encoding="utf-8") == shipped


def test_annotation_of_each_text_matches_tone():
    import tone

    for s in stimuli():
        ann = tone.annotate(s.text)
        assert s.emotions == tuple(sorted(ann.top)), s.id
        assert s.scores == {k: v for k, v in sorted(ann.primary.items()) if v > 0}, s.id


def test_a_bad_table_row_is_located(tmp_path):
    path = tmp_path / "stimuli.tsv"
    path.write_text("id\tfamily\ttext\ttheories\tcompound_of\tcode_index\n"
                    "EP01\tEmotionPrompt\tHi.\tastrology\t\t0\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"stimuli.tsv:2: unknown or missing theory"):
        stimuli_build.read_table(path)


def test_augment_appends_in_order():
    prompt = "Determine whether a movie review is positive or negative."
    assert augment(prompt, "ep02") == prompt + " " + EXPECTED["EP02"]
    assert augment(prompt + "  ", "NP01", "EP02") == \
        f"{prompt} {EXPECTED['NP01']} {EXPECTED['EP02']}"
    assert augment("", "EP02") == EXPECTED["EP02"]
    with pytest.raises(UsageError, match="unknown stimulus 'EP12'"):
        augment(prompt, "EP12")
    with pytest.raises(UsageError, match="at least one stimulus"):
        augment(prompt)


# The README's examples and their hints (README.md, "Emotion tools for language models").
README_HINTS = {
    "I'm not happy at all, I'm furious!!!":
        "Likely primary emotions: anger (0.85), sadness (0.75). Finer: fury, rage, envy. "
        "Emotion-eliciting words: 'happy' (negated), 'furious'.",
    "my grandmother died last week":
        "Likely primary emotions: sadness (0.57). Finer: grief. Emotion-eliciting words: "
        "'died'. Cause: 'my grandmother died last week'.",
    "he lied to me again":
        "Likely primary emotions: anger (0.35). Finer: rage. Emotion-eliciting words: "
        "'lied to me'. Cause: 'he lied to me again'.",
    "I might fail the exam tomorrow":
        "Likely primary emotions: fear (0.56). Finer: horror, anxiety, nervousness. "
        "Emotion-eliciting words: 'fail', 'exam'. Cause: 'I might fail the exam tomorrow'.",
    "What a lovely day!":
        "Likely primary emotions: joy (0.57). Finer: delight, cheerfulness. "
        "Emotion-eliciting words: 'lovely'.",
    "The bus is late again.": "No emotion evidence.",
}


def test_the_readme_shows_these_hints():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for text, hint in README_HINTS.items():
        assert f'>>> print(hints("{text}"))\n{hint}\n' in readme, text


@pytest.mark.parametrize("text", sorted(README_HINTS))
def test_hints_of_the_readme_examples(text):
    assert hints(text) == README_HINTS[text]


def test_hint_dict_is_explained_by_the_annotation():
    import tone

    text = "My grandmother died last week and I feel so alone."
    hint = hints(text, as_dict=True)
    ann = tone.annotate(text)
    assert hint["text"] == hints(text)
    assert [p["emotion"] for p in hint["primary"]] == ["sadness"]
    for word in hint["words"]:  # every word is a span or an appraised event of the text
        assert text[word["start"]:word["end"]] == word["text"]
        if word["from"] == "lexicon":
            assert any(s.start == word["start"] and s.concept == word["concept"]
                       for s in ann.spans)
        else:
            assert any(e["start"] == word["start"] for e in ann.appraisal_events())
    assert hint["causes"] == [{"text": "My grandmother died last week", "emotion": "sadness",
                               "cue": "died", "start": 0, "end": 29}]
    assert "finer" not in hints(text, style="primary", as_dict=True)
    assert "Finer:" not in hints(text, style="primary")


def test_bad_hint_arguments():
    with pytest.raises(UsageError, match="unknown hint style 'fancy'"):
        hints("hello", style="fancy")
    with pytest.raises(UsageError, match="takes a text"):
        hints(["a list"])


_words = st.sampled_from(["happy", "sad", "furious", "scared", "died", "lost", "won", "the",
                          "exam", "because", "not", "very", "!!!", "I", "my", "friend", "lied",
                          "alone", "terrified", "joy", "x" * 90])


@settings(max_examples=60, deadline=None)
@given(st.lists(_words, max_size=80).map(" ".join))
def test_hints_are_deterministic_and_bounded(text):
    first = hints(text, as_dict=True)
    assert hints(text, as_dict=True) == first
    assert len(first["primary"]) <= MAX_PRIMARY and len(first["finer"]) <= MAX_FINER
    assert len(first["words"]) <= MAX_WORDS and len(first["causes"]) <= MAX_CAUSES
    assert all(len(w["text"]) <= MAX_WORD_CHARS for w in first["words"])
    assert all(len(c["text"]) <= MAX_CAUSE_CHARS for c in first["causes"])
    assert len(first["text"]) <= 700
    scores = [p["score"] for p in first["primary"]]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


def test_annotate_format_hints():
    from tone.cli import cli

    result = CliRunner().invoke(cli, ["annotate", "--quiet", "-f", "hints"],
                                input="he lied to me again\n\nThe bus is late again.\n")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in records] == [1, 2, 3]
    assert records[0]["hint"] == README_HINTS["he lied to me again"]
    assert records[1]["hint"] == records[2]["hint"] == "No emotion evidence."
    assert set(records[0]) == {"id", "hint", "primary", "finer", "words", "causes"}
