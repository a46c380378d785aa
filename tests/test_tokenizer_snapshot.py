"""The fast tokenizer's snapshot of spaCy's English rules agrees with the installed spaCy.

``tone/text/_spacy_data.py`` is generated from one spaCy release while ``spacy>=3.7,<4``
floats: when the installed spaCy tokenizes differently, this test fails and says how to
regenerate the snapshot.
"""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from tone.text import _generate, _spacy_data  # noqa: E402

REGENERATE = "the installed spaCy differs from the snapshot: run python -m tone.text._generate"


def test_special_cases_agree():
    exc, affix = _generate.exceptions(spacy.blank("en").tokenizer)
    assert exc == _spacy_data.EXCEPTIONS, REGENERATE
    assert affix == _spacy_data.AFFIX_EXCEPTIONS, REGENERATE


def test_every_table_agrees():  # ~15 s: every code point through spaCy's affix rules
    data = _generate.spacy_data()
    drift = [name for name, value in data.items()
             if name != "SPACY_VERSION" and getattr(_spacy_data, name) != value]
    assert not drift, f"{REGENERATE} (differs: {', '.join(drift)})"


def test_shipped_lemma_table_is_spacy_lookups_data():
    lookups = pytest.importorskip("spacy_lookups_data")
    from pathlib import Path

    from tone.text._tables import lemma_source

    theirs = Path(lookups.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    assert Path(lemma_source()).read_bytes() == theirs.read_bytes()
