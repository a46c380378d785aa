"""Measure what the inference rules (tone.infer) change: accuracy per rule group, and overhead.

Run from the repository root::

    python bench/inference_effect.py                       # GoEmotions-Ekman dev + MELD dev
    python bench/inference_effect.py --splits train dev    # also the train split
    python bench/inference_effect.py --timing              # + annotation-time overhead (Gutenberg)

Configurations: ``off`` (no inference), ``shipped`` (the rules as shipped, disabled ones off),
and each group alone: ``compose`` (dyads), ``oppose`` under each policy (mixed, net, stronger,
in one clause), ``transition`` (MELD only: turns of a dialogue through
``tone.dialogue.annotate`` without inertia or contagion, ``alpha=0``). Scores use tone.evaluate's protocol (the scheme's ``top``;
GoEmotions-Ekman multi-label over the 6 emotions, ``neutral`` = no label; MELD single-label);
without tone.evaluate a built-in fallback computes the same macro-F1.

Data: ``$TONE_SHARED_DATA`` or ``../shared/data`` (goemotions/ekman/*.tsv, meld/data/...).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CONFIGS = {
    "off": None,
    "shipped": "shipped",
    "compose": "infer dyads: compose via tone:isComposedOf gain 0.5 combine min;",
    # composites that stay in a tree of one of their parts (no new primary from a dyad)
    "compose-within": "infer dyads: compose gain 0.5 on "
                      "all - tier 3 label guilt - tier 3 label shame;",
    "oppose-mixed": "infer opp: oppose policy mixed scope clause;",
    "oppose-net": "infer opp: oppose policy net scope clause;",
    "oppose-stronger": "infer opp: oppose policy stronger scope clause;",
}


def data_root() -> Path:
    return Path(os.environ.get("TONE_SHARED_DATA", REPO.parent / "shared" / "data"))


def annotator_for(config: str):
    from tone.annotator import Annotator
    from tone.infer import load

    spec = CONFIGS[config]
    if spec is None:
        return Annotator(inference=False)
    if spec == "shipped":
        return Annotator()
    return Annotator(inference=load(paths=[], text=spec))


# -- GoEmotions-Ekman -------------------------------------------------------------------------
def read_goemotions(split: str):
    root = data_root() / "goemotions" / "ekman"
    names = (root / "labels.txt").read_text(encoding="utf-8").split()
    texts, gold = [], []
    with open(root / f"{split}.tsv", encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            texts.append(parts[0])
            gold.append([names[int(i)] for i in parts[1].split(",") if names[int(i)] != "neutral"])
    return texts, gold


def macro_f1(gold, pred, classes):
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred) if c in g and c in p)
        fp = sum(1 for g, p in zip(gold, pred) if c not in g and c in p)
        fn = sum(1 for g, p in zip(gold, pred) if c in g and c not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return round(sum(f1s) / len(f1s), 4)


def goemotions_score(config: str, split: str) -> dict:
    annotator = annotator_for(config)
    try:
        from tone.evaluate import evaluate, read_dataset

        report = evaluate(read_dataset("goemotions-ekman", split, root=data_root()), annotator)
        result = report["systems"]["tone"]
        return {"macro_f1": result["macro_f1"], "micro_f1": result.get("micro_f1"),
                "via": "tone.evaluate"}
    except ImportError:
        pass
    texts, gold = read_goemotions(split)
    pred = []
    for result in annotator.pipe(texts):
        top = result.in_scheme("ekman").top
        pred.append([label for label in top if label != "neutral"])
    classes = ["anger", "disgust", "fear", "joy", "sadness", "surprise"]
    return {"macro_f1": macro_f1(gold, pred, classes), "via": "fallback"}


# -- MELD (dialogues: transitions) ------------------------------------------------------------
def read_meld(split: str):
    base = data_root() / "meld" / "data"
    path = next(iter(sorted(base.rglob(f"{split}_sent_emo.csv"))), None)
    if path is None:
        return None
    dialogues: dict[str, list] = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["Utterance"].replace("\u0092", "'").replace("\x92", "'")
            dialogues.setdefault(row["Dialogue_ID"], []).append(
                (int(row["Utterance_ID"]), row["Speaker"], text, row["Emotion"].lower()))
    return [sorted(turns) for _, turns in sorted(dialogues.items(), key=lambda kv: int(kv[0]))]


def meld_score(config: str, split: str, transitions: bool) -> dict | None:
    from tone.infer import load

    dialogues = read_meld(split)
    if dialogues is None:
        return None
    annotator = annotator_for(config)
    if transitions:
        rules = annotator.inference
        extra = load(paths=[], text="infer tr: transition gain 0.5 scope dialogue;")
        if rules is None:
            annotator.inference = extra
        else:  # shipped rules plus an enabled transition rule
            annotator.inference = rules.select(on=["transition"])
    from tone.dialogue import annotate

    gold, pred = [], []
    for turns in dialogues:
        results = list(annotate([[(s, t) for _, s, t, _ in turns]], annotator=annotator,
                                alpha=0.0))
        for (_, _, _, g), result in zip(turns, results):
            top = result.in_scheme("meld").top
            gold.append([g])
            pred.append([top[0] if top else "neutral"])
    classes = sorted({g[0] for g in gold})
    return {"macro_f1": macro_f1(gold, pred, classes),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4)}


# -- overhead ---------------------------------------------------------------------------------
def timing(max_lines: int = 60000, reps: int = 5) -> dict:
    from tone.annotator import Annotator

    lines = []
    for path in sorted((data_root() / "gutenberg").glob("*.txt")):
        for line in open(path, encoding="utf-8", errors="replace"):
            if line.strip():
                lines.append(line.rstrip("\n"))
            if len(lines) >= max_lines:
                break
        if len(lines) >= max_lines:
            break
    on, off = Annotator(), Annotator(inference=False)
    for a in (on, off):  # warm-up: JIT and caches
        list(a.pipe(lines[:2000]))
    times = {"on": [], "off": []}
    for _ in range(reps):
        for name, a in (("off", off), ("on", on)):
            t0 = time.process_time()  # CPU time: steadier than wall time on a shared machine
            for result in a.pipe(lines, batch_size=1000):
                result.top  # read every result, as a user would
            times[name].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"docs": len(lines), "median_s_off": round(med["off"], 3),
            "median_s_on": round(med["on"], 3),
            "overhead": round(med["on"] / med["off"] - 1.0, 4)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", nargs="+", default=["dev"])
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS))
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--no-meld", action="store_true")
    args = ap.parse_args(argv)
    out: dict = {"goemotions-ekman": {}, "meld": {}}
    for split in args.splits:
        for config in args.configs:
            t0 = time.perf_counter()
            out["goemotions-ekman"].setdefault(split, {})[config] = goemotions_score(config, split)
            print(f"goemotions-ekman {split} {config}: {out['goemotions-ekman'][split][config]} "
                  f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        if not args.no_meld:
            for config, tr in [("off", False), ("shipped", False), ("off", True),
                               ("shipped", True)]:
                key = config + ("+transition" if tr else "")
                out["meld"].setdefault(split, {})[key] = meld_score(config, split, tr)
                print(f"meld {split} {key}: {out['meld'][split][key]}", file=sys.stderr)
    if args.timing:
        out["timing"] = timing()
        print(f"timing: {out['timing']}", file=sys.stderr)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
