"""Concept VAD: anchors, spread, user override, and the shipped file."""
from __future__ import annotations

from tone._resources import data_dir
from tone.lexicon.loaders import load_nrc_vad
from tone.lexicon.rows import LexiconRow
from tone.ontology.table import read_concept_vad
from tone.vocab.concepts import ConceptTree
from tone.vocab.vad import apply_user_vad, concept_vad


def test_shipped_file_covers_every_concept_in_range():
    values = read_concept_vad(data_dir("lexicons") / "en" / "concept_vad.tsv")
    assert len(values) == 166
    for v, a, d, src in values.values():
        assert -1 <= v <= 1 and 0 <= a <= 1 and 0 <= d <= 1
        assert src.startswith(("anchor:", "spread:", "user-vad:"))
    assert values[("joy", 1)][0] > 0 > values[("sadness", 1)][0]


def test_spread_stays_under_the_primary():
    tree = ConceptTree.from_rows([("joy", "zest", "happiness"), ("joy", "zest", "thrill"),
                                  ("anger", "rage", "anger"), ("anger", "rage", "fury")])
    values = concept_vad(tree)
    assert values[("thrill", 3)][3].startswith("spread:") and values[("thrill", 3)][0] > 0
    assert values[("fury", 3)][0] < 0
    assert values[("anger", 3)][3] == "anchor:rm1977:angry"


def test_user_vad_overrides(tmp_path):
    path = tmp_path / "vad.txt"
    path.write_text("Word\tValence\tArousal\tDominance\nfurious\t0.1\t0.9\t0.6\n"
                    "livid\t0.1\t0.9\t0.6\nfury\t0.1\t0.9\t0.6\n", encoding="utf-8")
    tree = ConceptTree.from_rows([("anger", "rage", "fury")])
    values = concept_vad(tree, anchors={("fury", 3): ((-0.5, 0.5, 0.2), "x", "fury")})
    rows = [LexiconRow("furious", "fury", 3, 1.0), LexiconRow("livid", "fury", 3, 1.0)]
    out = apply_user_vad(values, load_nrc_vad(path), rows, "vad.txt")
    v, a, d, src = out[("fury", 3)]
    assert src == "user-vad:vad.txt:n=3" and round(v, 2) == -0.8 and round(a, 2) == 0.9
