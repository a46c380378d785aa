"""Tune the empathetic pack's train thresholds on the train split alone: build the vocabulary
from one half of train.csv (SHA-1 of the text even) and score the other half (odd); the
validation file is never read. Prints accuracy and macro-F1 per setting.

    TONE_SHARED_DATA=../shared/data NLTK_DATA=../shared/data/wordnet python bench/tune_empathetic.py
"""
import itertools
import shutil
import sys
import tempfile
from pathlib import Path

from tone.annotator import Annotator
from tone.evaluate import Dataset, evaluate, shared_data_dir
from tone.evaluate_corpora import ED_LABELS, hash_split
from tone.packs import packs_dir
from tone.packs.empathetic_vocab import _situations, build_empathetic

data = shared_data_dir(None) / "empatheticdialogues"
held = [(t, l) for t, l in _situations(data / "train.csv") if hash_split(t) == "test"]
dataset = Dataset("empatheticdialogues", "train-half", str(data / "train.csv"),
                  [t for t, _ in held], "empatheticdialogues", [[ED_LABELS[l]] for _, l in held],
                  False, classes=sorted(ED_LABELS), metric="macro_f1", no_evidence=None)
grid = [{"min_count": c, "min_share": s, "per_label": k, "scale": x, "bigrams": True}
        for c, s, k, x in itertools.product((3, 4), (0.1, 0.15), (200, 400), (1.8, 2.5))]
if len(sys.argv) > 1:
    grid = grid[: int(sys.argv[1])]
report = evaluate(dataset, Annotator())
print("without the pack", {k: round(report["systems"]["tone"][k], 4)
                           for k in ("accuracy", "macro_f1")}, flush=True)
for setting in grid:
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "empathetic"
        shutil.copytree(packs_dir() / "empathetic", pack)
        build_empathetic(pack, data, keep=lambda text: hash_split(text) == "dev", **setting)
        report = evaluate(dataset, Annotator(packs=[pack]))
    print(setting, {k: round(report["systems"]["tone"][k], 4) for k in ("accuracy", "macro_f1")},
          flush=True)
