"""The development suite: one table over eight corpora and one number, the suite score.

Each corpus is read (:func:`tone.evaluate.read_dataset`) and scored (:func:`tone.evaluate.
evaluate`) with its own protocol (see :mod:`tone.evaluate_corpora` and bench/ACCURACY.md);
a row holds its main metric, its coverage (the share of documents with any evidence) and the
precision when firing (:func:`tone.evaluate.precision_when_firing`). The **suite score** of a
system is the unweighted mean of the main metrics of the rows in :data:`SUITE`. EmoBank
(valence/arousal/dominance, Pearson r of the valence) is reported beside the suite and does
not enter the mean: a correlation is not on the F1 scale. A corpus whose files are missing is
skipped with a note, and the score is then the mean over the rows present (marked partial).

>>> suite_score([{"systems": {"tone": {"main": 0.2}}}, {"systems": {"tone": {"main": 0.4}}}])
{'tone': 0.3}
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .errors import UsageError

__all__ = ["SUITE", "BESIDE", "run_suite", "suite_score", "format_suite"]

SUITE = ("goodnewseveryone", "enisear", "reman", "dailydialog", "emorynlp",
         "empatheticdialogues", "goemotions-ekman", "meld")
BESIDE = ("emobank",)


def suite_score(rows: list[dict]) -> dict[str, float]:
    """Per system, the unweighted mean of the rows' main metrics (systems present in all)."""
    systems = [set(row["systems"]) for row in rows]
    names = sorted(set.intersection(*systems)) if systems else []
    if rows:
        names = [n for n in rows[0]["systems"] if n in names]
    return {name: round(sum(row["systems"][name]["main"] for row in rows) / len(rows), 4)
            for name in names}


def use_shared_wordnet(base: Path) -> None:
    """Let NRCLex's fallback tokenizer lemmatize with the shared WordNet (``wordnet/`` in NLTK
    layout) when NLTK has none of its own."""
    folder = Path(base) / "wordnet"
    if not folder.is_dir():
        return
    try:
        import nltk
    except ImportError:
        return
    try:
        nltk.data.find("corpora/wordnet")
    except LookupError:
        nltk.data.path.append(str(folder))


def run_suite(split: str, compare: Sequence[str] = (), root: str | Path | None = None,
              annotator=None, corpora: Sequence[str] = SUITE, beside: Sequence[str] = BESIDE,
              limit: int | None = None, min_score: float = 0.0, always: bool = False) -> dict:
    """Score every corpus of the suite on ``split`` (``dev`` or ``test``); a JSON-ready report:
    ``{"split", "corpora", "rows", "beside", "skipped", "suite_score", "partial"}``.
    ``always``: the "every document has an emotion" mode on the corpora without neutral items
    (those whose protocol has no class for a document without evidence: GNE, enISEAR,
    EmpatheticDialogues); the others keep their neutral."""
    from .evaluate import evaluate, read_dataset, shared_data_dir

    if split not in ("dev", "test"):
        raise UsageError(f"unknown suite split {split!r}; expected dev or test")
    base = shared_data_dir(root)
    if "nrclex" in compare:
        use_shared_wordnet(base)
    if annotator is None:
        from .annotator import Annotator

        annotator = Annotator()
    rows, extra, skipped, notes = [], [], [], {}
    for name in [*corpora, *beside]:
        try:
            data = read_dataset(name, split, root=base, limit=limit)
        except UsageError as err:
            skipped.append({"dataset": name, "reason": str(err)})
            continue
        report = evaluate(data, annotator, compare=() if name in beside else compare,
                          min_score=min_score,
                          always=always and data.labels is not None and data.no_evidence is None)
        row = {"dataset": name, "split": split, "n": report["n"],
               "metric": report.get("metric", "pearson_valence"), "systems": {}}
        for system, result in report["systems"].items():
            main = result.get("main", result.get("pearson_valence"))
            row["systems"][system] = {"main": main, "coverage": result["coverage"],
                                      "precision_when_firing":
                                          result.get("precision_when_firing")}
            if result.get("note"):
                notes[system] = result["note"].split(";")[0]
        (extra if name in beside else rows).append(row)
    return {"split": split, "corpora": list(corpora), "rows": rows, "beside": extra,
            "skipped": skipped, "suite_score": suite_score(rows),
            "partial": any(s["dataset"] in corpora for s in skipped), "notes": notes}


def format_suite(report: dict) -> str:
    """The suite report as one plain-text table."""
    systems = list(report["suite_score"]) or ["tone"]
    head = f"{'corpus':<22}{'n':>6}  {'metric':<16}"
    head += "".join(f"{s + ' main':>12}{'cov':>7}{'prec':>7}" for s in systems)
    lines = [f"development suite, split {report['split']}", head]

    def line(row: dict) -> str:
        text = f"{row['dataset']:<22}{row['n']:>6}  {row['metric']:<16}"
        for s in systems:
            m = row["systems"].get(s)
            if m is None:
                text += f"{'-':>12}{'-':>7}{'-':>7}"
                continue
            prec = m["precision_when_firing"]
            text += (f"{m['main']:>12.4f}{m['coverage']:>7.3f}"
                     f"{(f'{prec:.3f}' if prec is not None else '-'):>7}")
        return text

    lines += [line(row) for row in report["rows"]]
    score = f"{'suite score':<22}{'':>6}  {'mean of main':<16}"
    score += "".join(f"{report['suite_score'].get(s, float('nan')):>12.4f}{'':>14}"
                     for s in systems)
    lines.append(score + ("  (partial)" if report["partial"] else ""))
    if report["beside"]:
        lines.append("beside the suite (not in the mean):")
        lines += [line(row) for row in report["beside"]]
    for skip in report["skipped"]:
        lines.append(f"skipped {skip['dataset']}: {skip['reason']}")
    for system, note in report.get("notes", {}).items():
        lines.append(f"{system}: {note}")
    return "\n".join(lines)
