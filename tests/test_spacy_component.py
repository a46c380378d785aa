"""The spaCy component: extensions, batching, serialization, n_process, same scores as the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

spacy = pytest.importorskip("spacy")

import tone.spacy_component  # noqa: E402,F401  (registers the factory in this process)

TEXTS = ["I am over the moon. Then I was so sad.", "", "What a furious, hateful day!",
         "The meeting is at noon."]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("tone")
    return nlp


def test_extensions(nlp):
    doc = nlp(TEXTS[0])
    assert doc._.emotions["top"] and "primary" in doc._.emotions["emotions"]
    group = doc.spans["tone"]
    assert [s.text for s in group][:1] == ["over the moon"]
    assert group[0]._.emotions["concept"] == "happiness"
    assert [t._.emotion for t in group[0]] == ["happiness"] * 3
    sentence = doc.char_span(0, len("I am over the moon."))
    assert sentence._.emotions["top"] == ["joy"]


def test_pipe_equals_call_and_cli_spacy_tokenizer(nlp):
    piped = [d._.emotions for d in nlp.pipe(TEXTS, batch_size=3)]
    single = [nlp(t)._.emotions for t in TEXTS]
    assert piped == single
    from tone.cli import cli

    result = CliRunner().invoke(cli, ["annotate", "-q", "--tokenizer", "spacy", "--no-text"],
                                input="\n".join(TEXTS) + "\n")
    cli_records = [json.loads(line) for line in result.stdout.split("\n") if line]
    for mine, theirs in zip(piped, cli_records):
        assert mine["emotions"] == theirs["emotions"] and mine["spans"] == theirs["spans"]


def test_to_disk_from_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    again = spacy.load(tmp_path / "model")
    assert again(TEXTS[2])._.emotions == nlp(TEXTS[2])._.emotions


def test_n_process_2(nlp):
    docs = list(nlp.pipe(TEXTS * 3, n_process=2, batch_size=2))
    assert [d._.emotions for d in docs] == [nlp(t)._.emotions for t in TEXTS * 3]


def test_entry_point_declared():
    import configparser

    config = configparser.ConfigParser()
    config.read(Path(__file__).resolve().parents[1] / "setup.cfg")
    assert "tone.spacy_component:make_component" in config["options.entry_points"][
        "spacy_factories"]
    from importlib.metadata import entry_points

    installed = [e for e in entry_points(group="spacy_factories") if e.name == "tone"]
    if not installed:
        pytest.skip("tone is not pip-installed in this environment (entry point not registered)")
    assert installed[0].value == "tone.spacy_component:make_component"
