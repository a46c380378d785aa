"""Dialogue context vs per-utterance: ``tone eval`` on MELD, EmoryNLP and DailyDialog dev with
and without inertia and contagion (tone.dialogue), weighted-F1 and macro-F1.

Run from the repository root::

    python bench/dialogue_context.py            # dev: tables fitted on each corpus's train part
    python bench/dialogue_context.py --grid     # + the alpha/beta/contagion grid the defaults
                                                # came from

Tables: each corpus's own training part (``tone dialogue fit --dataset NAME --split train``:
MELD train, DailyDialog train, EmoryNLP's training part from the MELD authors' re-release),
never a dev or test split; EmoryNLP also with the shipped feeling-wheel tables (fitted on the
original release's test file, Apache-2.0, so its test split is not reported with them). One
annotation run per corpus; the context only re-scores (``tone.evaluate.tone_predict`` with a
``Mixer``: the context goes only to the categories a turn's own evidence supports). The
defaults ``ALPHA``/``BETA``/``CONTAGION`` (tone.dialogue.context) are a grid point lower on
no dev corpus in either metric.

Data: ``$TONE_SHARED_DATA`` or ``../shared/data``.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPORA = ("meld", "emorynlp", "dailydialog")
ALPHAS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)
BETAS = (0.0, 0.05, 0.1, 0.25)
CONTAGIONS = (0.0, 0.5, 1.0)


def run(split: str, grid: bool) -> None:
    import numpy as np

    from tone.annotator import Annotator
    from tone.errors import UsageError
    from tone.dialogue.context import ALPHA, BETA, CONTAGION, Mixer
    from tone.dialogue.corpora import labelled_dialogues
    from tone.dialogue.tables import categories, fit, load
    from tone.evaluate import (_class_list, classification_metrics, read_dataset,
                               tone_predict)
    from tone.scoring.schemes import concept_vector

    annotator = Annotator()
    table = annotator.table
    results = {}
    for name in CORPORA:
        data = read_dataset(name, split)
        scores = np.zeros((len(data.texts), len(table)))
        for i, r in enumerate(annotator.pipe(data.texts)):
            scores[i] = concept_vector(r, table)
        scheme, convs, source = labelled_dialogues(name, "train")
        tables = {"train": fit(convs, categories(scheme), scheme=scheme, source=source)}
        if split == "dev":  # the shipped feeling-wheel tables were fitted on EmoryNLP's test
            try:
                tables["shipped"] = load(scheme, ontology=annotator.ontology)
            except UsageError:  # no shipped tables for this scheme
                pass
        classes = _class_list(data)

        def score(mixer, data=data, scores=scores, classes=classes):
            pred = tone_predict(data, annotator, concept_scores=scores, dialogue=mixer)
            m = classification_metrics(data.labels, pred.labels, classes, data.multi_label,
                                       pred.evidence)
            return m["weighted_f1"], m["macro_f1"]

        base = score(None)
        print(f"\n{name} {split} n={len(data.texts)} ({data.metric}); per-utterance: "
              f"weighted-F1 {base[0]:.4f}, macro-F1 {base[1]:.4f}")
        for label, t in tables.items():
            default = score(Mixer(t.t_self, t.t_other, ALPHA, BETA, CONTAGION))
            print(f"  context, {label} tables, alpha {ALPHA} beta {BETA} contagion "
                  f"{CONTAGION}: weighted-F1 "
                  f"{default[0]:.4f} ({default[0] - base[0]:+.4f}), macro-F1 "
                  f"{default[1]:.4f} ({default[1] - base[1]:+.4f})")
            if grid:
                for a, b, c in itertools.product(ALPHAS, BETAS, CONTAGIONS):
                    w, m = score(Mixer(t.t_self, t.t_other, a, b, c))
                    results.setdefault(label, {}).setdefault((a, b, c), {})[name] = (
                        w - base[0], m - base[1], data.metric)
    if grid:
        for label, cells in results.items():
            print(f"\ngrid ({label} tables): alpha beta contagion -> gain in weighted-F1 / "
                  "macro-F1; worst: the lowest of them")
            for (a, b, c), gains in sorted(cells.items()):
                worst = min(min(g[0], g[1]) for g in gains.values())
                print(f"  {a:<5} {b:<5} {c:<4} " + "  ".join(
                    f"{n} {g[0]:+.4f}/{g[1]:+.4f}" for n, g in gains.items())
                    + f"  worst {worst:+.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    run(args.split, args.grid)


if __name__ == "__main__":
    main()
