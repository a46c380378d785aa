"""Scoring the appraisal layer: enISEAR's appraisal dimensions and cause spans.

* **enISEAR** (Hofmann et al. 2020) carries seven binary appraisal dimensions per event
  description (majority of three annotators): attention, certainty, effort, pleasantness,
  responsibility, control, circumstance. Each is predicted from the record's ``appraisal``
  (:data:`ENISEAR_DIMENSIONS` says how; a record without appraised events from its emotion's
  modal appraisal, :data:`MODAL_APPRAISALS`) and scored by macro-F1 over its two classes, beside
  the majority-class baseline (which scores about 0.4 on a two-class macro-F1).
* **Cause spans**: GoodNewsEveryone (the ``cause`` strings of a headline) and REMAN (the target
  spans of ``cause`` relations) against the record's ``causes``: token-overlap F1 (micro over
  documents: the lowercased word tokens of the predicted and the gold spans, each document's
  tokens as a set), and span F1 exact (same words) and relaxed (a shared word of ≥ 3 letters).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["ENISEAR_DIMENSIONS", "MODAL_APPRAISALS", "enisear_appraisal", "cause_spans", "appraisal_report",
           "format_report"]

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _value(ann, dim: str, default=None):
    return (ann.appraisal.get(dim) or {}).get("value", default)


#: the appraisal an emotion implies where no event was appraised (a text that names the feeling,
#: or whose events the lexicon lacks): the modal profiles Smith & Ellsworth (1985) measured,
#: ISEAR category -> enISEAR dimension -> holds. Fear is the emotion of least certainty, of
#: high anticipated effort and attention, with the situation in control; anger and fear draw
#: attention and effort, disgust turns attention away; sadness is the situation's doing and
#: certain; guilt and shame are one's own doing (responsibility, control); joy is pleasant and
#: certain. A dimension a profile leaves out keeps the reading from the record.
MODAL_APPRAISALS = {
    "fear": {"Certainty": False, "Effort": True, "Attention": True, "Circumstance": True,
             "Responsibility": False, "Control": False},
    "anger": {"Attention": True, "Effort": True, "Responsibility": False,
              "Circumstance": False},
    "sadness": {"Certainty": True, "Circumstance": True, "Responsibility": False,
                "Control": False},
    "disgust": {"Attention": False, "Certainty": True},
    "guilt": {"Responsibility": True, "Control": True, "Circumstance": False},
    "shame": {"Responsibility": True, "Control": True, "Circumstance": False},
    "joy": {"Certainty": True, "Attention": True, "Effort": False},
}


def _modal(ann, dim: str):
    """The dimension as the record's emotion implies it (:data:`MODAL_APPRAISALS`), only for a
    record without appraised events; ``None`` where that says nothing."""
    if ann.appraisal:
        return None
    top = ann.in_scheme("isear").top
    return MODAL_APPRAISALS.get(top[0], {}).get(dim) if top else None


#: enISEAR column -> prediction from an annotation (True = the dimension holds); a record
#: without appraised events falls back to its emotion's modal appraisal (:func:`_modal`)
ENISEAR_DIMENSIONS = {
    # the event drew one's attention: it mattered (an appraised event of high relevance)
    "Attention": lambda a: _value(a, "relevance") == "high",
    # one was certain what was happening: an actual event, not a prospect
    "Certainty": lambda a: _value(a, "certainty", "actual") == "actual",
    # one had to spend effort: an unpleasant event someone caused or still to come
    "Effort": lambda a: (_value(a, "pleasantness") == "unpleasant"
                         and (_value(a, "agency") != "circumstance"
                              or _value(a, "certainty") == "prospective")),
    # pleasant: the appraisal's pleasantness, else the document's valence
    "Pleasant": lambda a: (_value(a, "pleasantness") == "pleasant" if a.appraisal
                           else a.vad.get("valence", 0.0) > 0),
    "Responsibility": lambda a: _value(a, "agency") == "self",
    "Control": lambda a: _value(a, "control") == "high",
    "Circumstance": lambda a: _value(a, "agency") == "circumstance",
}


def _macro_f1(gold: list[bool], pred: list[bool]) -> float:
    out = []
    for cls in (True, False):
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred))
        out.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(out) / 2


def enisear_appraisal(annotator, split: str = "dev", root=None) -> dict:
    """Per dimension: macro-F1 of the prediction and of the majority class, the gold share."""
    from ..evaluate import shared_data_dir
    from ..evaluate_corpora import _unquote, hash_split
    from ..tsv import records

    base = shared_data_dir(root)
    path = (base / "enisear_appraisal" / "corpora" / "enISEAR-appraisal-V1" /
            "enISEAR_appraisal_majority.tsv")
    rows = [row for _, row in records(path) if hash_split(_unquote(row["Sentence"])) == split]
    anns = list(annotator.pipe([_unquote(r["Sentence"]) for r in rows]))
    out = {}
    for dim, predict in ENISEAR_DIMENSIONS.items():
        gold = [r[dim].strip() == "1" for r in rows]
        pred = [bool(predict(a)) if _modal(a, dim) is None else _modal(a, dim) for a in anns]
        majority = sum(gold) * 2 >= len(gold)
        out[dim.lower()] = {"f1": round(_macro_f1(gold, pred), 4),
                            "majority_f1": round(_macro_f1(gold, [majority] * len(gold)), 4),
                            "positive_share": round(sum(gold) / max(len(gold), 1), 4)}
    out["mean_f1"] = round(sum(v["f1"] for v in out.values()) / len(ENISEAR_DIMENSIONS), 4)
    out["n"] = len(rows)
    return out


def _gne_gold(root: Path, split: str):
    from ..evaluate_corpora import _unquote, hash_split
    from ..tsv import records

    path = root / "goodnewseveryone" / "gne-release-v1.0.tsv"
    texts, gold = [], []
    for _, row in records(path):
        if hash_split(row["headline"]) != split:
            continue
        try:
            spans = [s for group in json.loads(_unquote(row["cause"]) or "[]") for s in group]
        except (json.JSONDecodeError, TypeError):
            spans = []
        texts.append(row["headline"])
        gold.append([s for s in spans if isinstance(s, str) and s.strip()])
    return texts, gold


def _reman_gold(root: Path, split: str):
    import xml.etree.ElementTree as ET

    from ..evaluate_corpora import hash_split

    corpus = ET.parse(root / "reman" / "reman-version1.0.xml").getroot()
    texts, gold = [], []
    for doc in corpus.iter("document"):
        text = doc.findtext("text") or ""
        if hash_split(text) != split:
            continue
        spans = {s.get("annotation_id"): s.text or "" for s in doc.findall("adjudicated/spans/span")}
        causes = [spans.get(rel.get("target_annotation_id"), "")
                  for rel in doc.findall("adjudicated/relations/relation")
                  if rel.get("type") == "cause"]
        texts.append(text)
        gold.append([c for c in causes if c.strip()])
    return texts, gold


def cause_spans(annotator, corpus: str, split: str = "dev", root=None) -> dict:
    """Token-overlap F1 and exact / relaxed span F1 of the predicted causes."""
    from ..evaluate import shared_data_dir

    base = shared_data_dir(root)
    texts, gold = (_gne_gold if corpus == "goodnewseveryone" else _reman_gold)(base, split)
    tp = n_pred = n_gold = 0
    ex_tp = rel_p = rel_g = sp_pred = sp_gold = 0
    for ann, spans in zip(annotator.pipe(texts), gold):
        pred = [c["text"] for c in ann.causes]
        pw = set(w for p in pred for w in _words(p))
        gw = set(w for g in spans for w in _words(g))
        tp += len(pw & gw)
        n_pred += len(pw)
        n_gold += len(gw)
        pnorm = [" ".join(_words(p)) for p in pred]
        gnorm = [" ".join(_words(g)) for g in spans]
        ex_tp += sum(p in gnorm for p in set(pnorm))
        content = lambda t: {w for w in _words(t) if len(w) >= 3}  # noqa: E731
        rel_p += sum(any(content(p) & content(g) for g in spans) for p in set(pred))
        rel_g += sum(any(content(p) & content(g) for p in pred) for g in spans)
        sp_pred += len(set(pred))
        sp_gold += len(spans)

    def f1(p, r):
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    tok_p, tok_r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    ex_p, ex_r = ex_tp / max(sp_pred, 1), ex_tp / max(sp_gold, 1)
    re_p, re_r = rel_p / max(sp_pred, 1), rel_g / max(sp_gold, 1)
    return {"n": len(texts), "gold_spans": sp_gold, "predicted_spans": sp_pred,
            "token": {"p": round(tok_p, 4), "r": round(tok_r, 4), "f1": f1(tok_p, tok_r)},
            "exact": {"p": round(ex_p, 4), "r": round(ex_r, 4), "f1": f1(ex_p, ex_r)},
            "relaxed": {"p": round(re_p, 4), "r": round(re_r, 4), "f1": f1(re_p, re_r)}}


def appraisal_report(annotator=None, split: str = "dev", root=None) -> dict:
    """The appraisal figures of bench/ACCURACY.md ("Appraisal") in one JSON-ready dict."""
    if annotator is None:
        from ..annotator import Annotator

        annotator = Annotator()
    return {"split": split,
            "enisear_appraisal": enisear_appraisal(annotator, split, root),
            "causes": {name: cause_spans(annotator, name, split, root)
                       for name in ("goodnewseveryone", "reman")}}


def format_report(report: dict) -> str:
    lines = [f"appraisal, split {report['split']}", "enISEAR appraisal dimensions "
             "(macro-F1 of two classes; majority baseline; gold positive share):"]
    dims = report["enisear_appraisal"]
    for name, v in dims.items():
        if isinstance(v, dict):
            lines.append(f"  {name:<15} {v['f1']:.4f}  majority {v['majority_f1']:.4f}  "
                         f"positive {v['positive_share']:.3f}")
    lines.append(f"  mean            {dims['mean_f1']:.4f}")
    lines.append("cause spans (P / R / F1):")
    for name, c in report["causes"].items():
        lines.append(f"  {name:<17} token {c['token']['p']:.3f}/{c['token']['r']:.3f}/"
                     f"{c['token']['f1']:.3f}  exact {c['exact']['p']:.3f}/{c['exact']['r']:.3f}/"
                     f"{c['exact']['f1']:.3f}  relaxed {c['relaxed']['p']:.3f}/"
                     f"{c['relaxed']['r']:.3f}/{c['relaxed']['f1']:.3f}  "
                     f"({c['predicted_spans']} predicted, {c['gold_spans']} gold)")
    return "\n".join(lines)
