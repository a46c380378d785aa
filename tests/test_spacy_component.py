"""The spaCy component: extensions, batching, serialization, n_process, same scores as the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

spacy = pytest.importorskip("spacy")

import tone.integrations.spacy_component  # noqa: E402,F401  (registers the factory in this process)

TEXTS = ["I am over the moon. Then I was so sad.", "", "What a furious, hateful day!",
         "The meeting is at noon."]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("tone")
    return nlp


def test_extensions(nlp):
    doc = nlp(TEXTS[0])
    assert doc._.emotions.top and set(doc._.emotions.primary) == set(doc.cats)
    group = doc.spans["tone"]
    assert [s.text for s in group][:1] == ["over the moon"]
    assert group[0].label_ == "happiness" and group[0]._.emotion_span.concept == "happiness"
    assert group[0]._.emotions.top == ["joy"]
    assert [t._.emotion for t in group[0]] == ["happiness"] * 3
    sentence = doc.char_span(0, len("I am over the moon."))
    assert sentence._.emotions.top == ["joy"]
    assert doc[0:3]._.emotion_span is None


def test_any_span_has_emotions_with_offsets_into_the_doc(nlp):
    doc = nlp(TEXTS[0])
    part = doc[0:5]  # "I am over the moon": not one of tone's sentences
    assert part._.emotions.top == ["joy"]
    late = doc[7:]  # "I was so sad."
    spans = late._.emotions.spans
    assert late._.emotions.top == ["sadness"]
    assert [doc.text[s.start:s.end] for s in spans] == [s.text for s in spans] == ["sad"]
    assert doc[5:7]._.emotions.top == []


def test_spacy_sentences_get_emotions_whatever_their_boundaries():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tone")
    # the sentencizer does not split after ";" nor inside quotes the way tone does
    doc = nlp("I was furious; then I calmed down. What a lovely, happy day!")
    tops = [s._.emotions.top for s in doc.sents]
    assert len(tops) == 2 and all(t is not None for t in tops)
    assert "anger" in tops[0] and tops[1] == ["joy"]


def test_cats_and_assigns(nlp):
    doc = nlp(TEXTS[2])
    assert doc.cats["anger"] == doc._.emotions.primary["anger"] > 0
    assert all(0.0 <= v <= 1.0 for v in doc.cats.values())
    assigns = nlp.get_pipe_meta("tone").assigns
    assert {"doc._.emotions", "span._.emotions", "token._.emotion", "doc.cats"} <= set(assigns)


def test_displacy_renders_the_matches(nlp):
    from spacy import displacy

    html = displacy.render(nlp(TEXTS[0]), style="span", options={"spans_key": "tone"})
    assert "moon" in html and "happiness" in html.lower() and "sadness" in html.lower()


def test_pipe_equals_call_and_cli_spacy_tokenizer(nlp):
    piped = [d._.emotions for d in nlp.pipe(TEXTS, batch_size=3)]
    single = [nlp(t)._.emotions for t in TEXTS]
    assert piped == single
    from tone.cli import cli

    result = CliRunner().invoke(cli, ["annotate", "-q", "--tokenizer", "spacy", "--no-text"],
                                input="\n".join(TEXTS) + "\n")
    cli_records = [json.loads(line) for line in result.stdout.split("\n") if line]
    from tone.io.writers import strip_texts

    for mine, theirs in zip(piped, cli_records):  # --no-text: spans keep offsets, not texts
        mine = strip_texts(mine.to_dict(text=False))
        assert mine["emotions"] == theirs["emotions"] and mine["spans"] == theirs["spans"]


def test_to_disk_from_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    again = spacy.load(tmp_path / "model")
    assert again(TEXTS[2])._.emotions == nlp(TEXTS[2])._.emotions


def test_docs_survive_bytes_with_their_getters(nlp):
    from spacy.tokens import Doc

    doc = nlp(TEXTS[0])
    copy = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert copy._.emotions == doc._.emotions
    assert copy[0:5]._.emotions == doc[0:5]._.emotions


def test_n_process_2(nlp):
    docs = list(nlp.pipe(TEXTS * 3, n_process=2, batch_size=2))
    assert [d._.emotions for d in docs] == [nlp(t)._.emotions for t in TEXTS * 3]


def test_entry_point_declared():
    import configparser

    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "setup.cfg")
    assert "tone.integrations.spacy_component:make_component" in config["options.entry_points"][
        "spacy_factories"]
    from importlib.metadata import entry_points

    installed = [e for e in entry_points(group="spacy_factories") if e.name == "tone"]
    if not installed:
        pytest.skip("tone is not pip-installed in this environment (entry point not registered)")
    assert installed[0].value == "tone.integrations.spacy_component:make_component"
