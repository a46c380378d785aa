"""``tone.dialogue.next_emotion`` with and without personality on MELD dyads of the six Friends
characters (Chandler, Joey, Monica, Phoebe, Rachel, Ross; traits from the PELD release).

Run from the repository root::

    python bench/dialogue_personality.py                 # train: the grid the defaults came from
    python bench/dialogue_personality.py --split test    # the test split (reported once)

Items: in a MELD dialogue whose speakers are exactly two of the six, every turn ``U3`` whose
speaker also spoke ``U1`` with the other speaker's ``U2`` right before ``U3`` (PELD's triples).
The predictor sees ``U1`` (its gold emotion, as PELD's preceding emotion, and tone's VAD of its
text) and ``U2`` (tone's VAD of its text), never ``U3``. Scored: accuracy and weighted-F1 of
the top category over MELD's seven. "without personality" is the same predictor with the
personality weight 0 (its own best gain chosen on train), "with" adds the speaker's PAD
(Mehrabian 1996; S = -N, and the N-for-S variant). Gain and weight are chosen on train only.

Data: ``$TONE_SHARED_DATA`` or ``../shared/data`` (meld/data/MELD/*_sent_emo.csv).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GAINS = (0.0, 0.1, 0.25, 0.4, 0.5, 1.0, 1.5, 2.0)
WEIGHTS = (-2.0, -1.0, -0.75, -0.5, -0.25, 0.0, 0.5, 1.0, 2.0, 3.0)


def triples(split: str):
    from tone.dialogue.corpora import dialogue_groups
    from tone.dialogue.personality import FRIENDS
    from tone.evaluate import read_dataset

    data = read_dataset("meld", split)
    out = []
    for rows in dialogue_groups(data):
        who = {data.speakers[k] for k in rows}
        if len(who) != 2 or not who <= set(FRIENDS):
            continue
        for a, b, c in zip(rows, rows[1:], rows[2:]):
            if data.speakers[a] == data.speakers[c] != data.speakers[b]:
                out.append((data.speakers[c], (data.speakers[a], data.texts[a],
                                                data.labels[a][0]),
                            (data.speakers[b], data.texts[b]), data.labels[c][0]))
    return out


def score(items, vads, personality: bool, stability: str, gain: float, weight: float):
    from tone.dialogue.personality import FRIENDS, next_emotion
    from tone.evaluate import classification_metrics

    gold, pred = [], []
    for (speaker, u1, u2, label), (v1, v2) in zip(items, vads):
        history = [{"speaker": u1[0], "vad": v1, "emotion": u1[2]},
                   {"speaker": u2[0], "vad": v2}]
        result = next_emotion(history, FRIENDS[speaker] if personality else None,
                              speaker=speaker, scheme="meld", stability=stability,
                              gain=gain, weight=weight)
        gold.append([label])
        pred.append([result["top"]])
    classes = sorted({g[0] for g in gold} | {p[0] for p in pred})
    import numpy as np

    m = classification_metrics(gold, pred, classes, False, np.ones(len(gold), bool))
    return round(m["accuracy"], 4), round(m["weighted_f1"], 4)


def main() -> None:
    from tone.annotator import Annotator
    from tone.dialogue.personality import GAIN, WEIGHT

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="train", choices=["train", "test"])
    args = parser.parse_args()
    items = triples(args.split)
    annotator = Annotator()
    texts = [t for _, u1, u2, _ in items for t in (u1[1], u2[1])]
    anns = list(annotator.pipe(texts))
    vads = [(anns[2 * k].vad, anns[2 * k + 1].vad) for k in range(len(items))]
    print(f"MELD {args.split}: {len(items)} dyad triples of the six characters")
    if args.split == "train":
        best = max(((score(items, vads, False, "inverse", g, 0.0), g) for g in GAINS))
        print(f"without personality: best gain {best[1]}: accuracy, weighted-F1 {best[0]}")
        for stability in ("inverse", "neuroticism"):
            print(f"with personality, S = {'-N' if stability == 'inverse' else 'N'}:")
            for g in GAINS:
                row = [score(items, vads, True, stability, g, w) for w in WEIGHTS]
                print(f"  gain {g:<5} " + "  ".join(f"w{w:+}: {a:.3f}/{f:.3f}"
                                                      for w, (a, f) in zip(WEIGHTS, row)))
    else:
        print(f"without personality (gain {GAIN}): accuracy, weighted-F1 "
              f"{score(items, vads, False, 'inverse', GAIN, 0.0)}")
        print(f"with personality (gain {GAIN}, weight {WEIGHT}, S = -N): "
              f"{score(items, vads, True, 'inverse', GAIN, WEIGHT)}")
        print(f"for reference, the preceding emotion repeated (gain 0, no personality): "
              f"{score(items, vads, False, 'inverse', 0.0, 0.0)}")


if __name__ == "__main__":
    main()
