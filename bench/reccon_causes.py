"""Causes in dialogue on RECCON (tone.dialogue.causes): causal turns and cause spans.

Run from the repository root::

    python bench/reccon_causes.py              # the table: baselines and tone, train and valid
    python bench/reccon_causes.py --fit        # re-measure the rule weights (WEIGHTS,
                                               # SENTENCE_WEIGHTS) on the train file
    python bench/reccon_causes.py --ceiling    # train: the rules' in-sample F1, predicted vs
                                               # gold causes of the earlier turns

Measures, on RECCON's DailyDialog files (Poria et al. 2021; ``$TONE_SHARED_DATA/reccon`` or
``../shared/data/reccon``):

- **causal turns**: positive-class F1 over the pairs (emotional turn, candidate turn at or
  before it), emotional = gold emotion not ``neutral`` (RECCON's setting: the emotion is given);
- **cause spans**: token-F1 over the true causal pairs (the span tone cuts in the gold cause
  turn against that turn's closest gold span): ``cause_span``'s cuts alone ("cuts only"), and
  ``pair_span``, which first keeps the sentences the sentence rules choose ("tone span").

Rows: the trivial baselines ("the turn itself and the one before"; the whole turn as span),
tone with the gold emotion labels, and tone told only which turns are emotional (its own
annotation names the emotion). ``--fit`` fits a logistic regression over the rules of
:mod:`tone.dialogue.causes` on the **train** file only (twice: first inheriting the gold causes
of the last emotional turn, then the predicted ones), shifts the intercepts to the train
file's F1-best threshold and prints the ``WEIGHTS`` table to paste into the module; then
fits the sentence rules (label: half a sentence's tokens or more in the gold span) on the
train file's cause turns of several sentences and prints ``SENTENCE_WEIGHTS``.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tone.dialogue import causes as C

DATA = Path(os.environ.get("TONE_SHARED_DATA", REPO.parent / "shared" / "data")) / "reccon"
FILES = {"train": "dailydialog_train.json", "valid": "dailydialog_valid.json"}


def annotate(convs):
    import tone

    annotator = tone.Annotator()
    texts = [t for conv in convs for t in conv["texts"]]
    anns = list(annotator.pipe(texts))
    out, k = [], 0
    for conv in convs:
        out.append(anns[k:k + len(conv["texts"])])
        k += len(conv["texts"])
    return out


def baseline(conv):
    return [[] if e == "neutral" else [{"turn": i + 1}] + ([{"turn": i}] if i else [])
            for i, e in enumerate(conv["emotions"])]


def predict(convs, anns, labels=True, weights=None):
    out = []
    for conv, ann in zip(convs, anns):
        emotional = conv["emotions"] if labels else [e != "neutral" for e in conv["emotions"]]
        out.append(C.dialogue_causes(conv["texts"], conv["speakers"], ann, emotional,
                                     weights=weights))
    return out


def turns_of(convs, anns):
    """What the rules read from each conversation's turns (gold emotions), by dialogue id."""
    return {conv["id"]: C.read_turns(conv["texts"], conv["speakers"], ann, conv["emotions"])
            for conv, ann in zip(convs, anns)}


def span_cutter(turns, pair=True):
    """``span_of`` for :func:`tone.dialogue.causes.span_f1`: the span tone cuts in cause turn
    ``c`` of emotional turn ``i`` (``pair=False``: cause_span alone, no sentence choice)."""
    def span_of(conv, i, c):
        text = conv["texts"][c]
        s, e, _ = C.pair_span(turns[conv["id"]], i, c) if pair else C.cause_span(text)
        return text[s:e]
    return span_of


def table(splits):
    rows = []
    for name in splits:
        convs = C.read_reccon(DATA / FILES[name])
        anns = annotate(convs)
        base = C.causal_pair_f1(convs, [baseline(c) for c in convs])
        gold = C.causal_pair_f1(convs, predict(convs, anns, labels=True))
        mask = C.causal_pair_f1(convs, predict(convs, anns, labels=False))
        whole = C.span_f1(convs, lambda conv, i, c: conv["texts"][c])
        turns = turns_of(convs, anns)
        trimmed = C.span_f1(convs, span_cutter(turns, pair=False))
        cut = C.span_f1(convs, span_cutter(turns))
        rows.append((name, base, gold, mask, whole, trimmed, cut))
    print("| file | pairs | turn itself + previous: P / R / F1 | tone, gold emotions: P / R / F1"
          " | tone, emotional mask only: F1 | span pairs | whole turn: token-F1 | cuts only: "
          "token-F1 | tone span: token-F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, base, gold, mask, whole, trimmed, cut in rows:
        prf = lambda m: f"{m['precision']:.3f} / {m['recall']:.3f} / **{m['f1']:.3f}**"
        print(f"| {name} | {base['pairs']} | {prf(base)} | {prf(gold)} | {mask['f1']:.3f} | "
              f"{whole['pairs']} | {whole['f1']:.3f} | {trimmed['f1']:.3f} | "
              f"**{cut['f1']:.3f}** |")


# -- fitting the weights (train only) -----------------------------------------------------------
def rows_of(convs, anns, chosen_of):
    """(position, fired, label) for every candidate pair; ``chosen_of(k, n)`` gives the causes
    (0-based) of emotional turn ``n`` of conversation ``k``."""
    rows = []
    for k, (conv, ann) in enumerate(zip(convs, anns)):
        turns = C.read_turns(conv["texts"], conv["speakers"], ann, conv["emotions"])
        chosen = {}
        for n, turn in enumerate(turns):
            if not turn.emotional:
                continue
            for c, pos, fired in C.candidates(turns, n, chosen):
                rows.append((pos, fired, c in conv["causes"][n]))
            chosen[n] = chosen_of(k, n)
    return rows


def fit_position(rows, l2=1e-3, steps=3000, rate=0.5):
    """Logistic regression over ``(position, fired, label)`` rows (fired: name -> (value,
    cue)): name -> weight."""
    return fit_logistic([({k: v for k, (v, _) in fired.items()}, label)
                         for _, fired, label in rows], l2, steps, rate)


def fit_logistic(rows, l2=1e-3, steps=3000, rate=0.5):
    """Logistic regression over ``(fired, label)`` rows (fired: name -> value)."""
    import numpy as np

    names = sorted({name for fired, _ in rows for name in fired})
    x = np.array([[fired.get(name, 0.0) for name in names] for fired, _ in rows])
    y = np.array([label for _, label in rows], dtype=float)
    w = np.zeros(len(names))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= rate * (x.T @ (p - y) / len(y) + l2 * w)
    return dict(zip(names, w.tolist()))


def in_span(text, start, end, golds):
    """Whether half the tokens of ``text[start:end]`` or more are in the closest gold span."""
    from collections import Counter

    gold = max(golds, key=lambda g: C.token_f1(text, g))
    tokens = Counter(C._TOKEN.findall(text[start:end].lower()))
    common = sum((tokens & Counter(C._TOKEN.findall(gold.lower()))).values())
    return 2 * common >= sum(tokens.values())


def fit_sentences(convs, anns):
    """SENTENCE_WEIGHTS: a logistic regression over the sentence rules, on the sentences of the
    gold cause turns of several sentences (train)."""
    turns = turns_of(convs, anns)
    rows = []
    for conv, n, c, golds in C.gold_cause_pairs(convs):
        sents = C.sentence_rules(turns[conv["id"]], n, c)
        if len(sents) > 1:
            rows += [(fired, in_span(conv["texts"][c], s, e, golds)) for s, e, fired in sents]
    weights = fit_logistic(rows)
    f1 = C.span_f1(convs, span_cutter(turns))["f1"]
    print(f"# train span token-F1 {f1} with the weights shipped; fitted:")
    items = ", ".join(f'"{k}": {round(v, 2)}' for k, v in sorted(weights.items(),
                                                               key=lambda kv: -abs(kv[1])))
    print(f"SENTENCE_WEIGHTS: dict[str, float] = {{{items}}}")


def in_sample_f1(rows):
    """Pair F1 of a logistic regression fitted and scored on the same rows (per position,
    the best threshold over all): what the rules could reach with the best weights."""
    import numpy as np

    probs, labels = [], []
    for pos in C.POSITIONS:
        part = [r for r in rows if r[0] == pos]
        w = fit_position(part)
        x = np.array([[sum(w.get(name, 0.0) * value for name, (value, _) in fired.items())]
                      for _, fired, _ in part])[:, 0]
        probs.append(1 / (1 + np.exp(-x)))
        labels.append(np.array([label for _, _, label in part]))
    p, y = np.concatenate(probs), np.concatenate(labels)
    return max((2 * float((p >= t)[y].sum()) / (float((p >= t).sum()) + float(y.sum())), t)
               for t in np.arange(0.2, 0.6, 0.01))


def ceiling(convs, anns):
    predicted = predict(convs, anns)
    for label, chooser in (("predicted", lambda k, n: {c["turn"] - 1 for c in predicted[k][n]}),
                           ("gold", lambda k, n: set(convs[k]["causes"][n]))):
        f1, threshold = in_sample_f1(rows_of(convs, anns, chooser))
        print(f"earlier turns' causes {label}: in-sample pair F1 {f1:.4f} (threshold "
              f"{threshold:.2f})")


def fit(convs, anns):
    weights = None
    chooser = lambda k, n: set(convs[k]["causes"][n])
    for _ in range(2):
        rows = rows_of(convs, anns, chooser)
        weights = {pos: fit_position([r for r in rows if r[0] == pos]) for pos in C.POSITIONS}
        predicted = predict(convs, anns, weights=weights)
        chooser = lambda k, n, p=predicted: {c["turn"] - 1 for c in p[k][n]}
    best = None
    for threshold in [i / 100 for i in range(25, 61)]:
        shift = math.log(threshold / (1 - threshold))
        shifted = {pos: {**w, C.PRIORS[pos]: w[C.PRIORS[pos]] - shift}
                   for pos, w in weights.items()}
        f1 = C.causal_pair_f1(convs, predict(convs, anns, weights=shifted))["f1"]
        if best is None or f1 > best[0]:
            best = (f1, threshold, shifted)
    f1, threshold, weights = best
    print(f"# train F1 {f1} at threshold {threshold}")
    print("WEIGHTS: dict[str, dict[str, float]] = {")
    for pos in C.POSITIONS:
        items = ", ".join(f'"{k}": {round(v, 2)}' for k, v in sorted(weights[pos].items(),
                                                                     key=lambda kv: -abs(kv[1])))
        print(f'    "{pos}": {{{items}}},')
    print("}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="re-measure WEIGHTS on train")
    parser.add_argument("--ceiling", action="store_true",
                        help="train: in-sample F1 with predicted vs gold earlier causes")
    parser.add_argument("--splits", nargs="+", default=["train", "valid"], choices=list(FILES))
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"no RECCON data at {DATA}; set TONE_SHARED_DATA")
    if args.fit or args.ceiling:
        convs = C.read_reccon(DATA / FILES["train"])
        anns = annotate(convs)
        if args.fit:
            fit(convs, anns)
            fit_sentences(convs, anns)
        else:
            ceiling(convs, anns)
    else:
        table(args.splits)


if __name__ == "__main__":
    main()
