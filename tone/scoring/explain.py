"""A readable trace of an annotation: every span, the lexicon row behind it, the rules that
changed its weight, and how the spans add up to the scores.

>>> import tone
>>> print(explain(tone.annotate("I am very happy")))  # doctest: +ELLIPSIS
I am very happy
  [10:15] 'happy' -> happiness (tertiary: joy > cheerfulness > happiness)
      lexicon: 'happy' ... weight ...
      intensity on 'very': x1.1954
...
top: joy
"""
from __future__ import annotations

from .results import Annotation

__all__ = ["explain"]


def explain(result: Annotation, ontology=None, scheme: str | None = None) -> str:
    """Render the trace of one annotation as text; ``scheme`` adds its scores and ``top`` in a
    mapped taxonomy, and the valence prior where it gave the scores (:mod:`tone.scoring.schemes`).

    >>> import tone
    >>> no_events = tone.Annotator(appraisal=False)  # the valence prior: no appraisal either
    >>> print(explain(no_events.annotate("A disaster."), scheme="ekman"))  # doctest: +ELLIPSIS
    A disaster.
    ...
    scheme ekman: top (none); scores sadness 0.07...
      valence prior (no emotion word): valence -0.3... x 0.25 x each category's share of the negative concepts; graded scores only, never top
    """
    if ontology is None:
        from ..ontology import Ontology

        ontology = Ontology()
    lines = [result.text]
    if not result.spans:
        lines.append("  no emotion words: the appraisal below gives the scores"
                     if any(result.primary.values()) else "  no emotion evidence: all scores are 0")
    for span in result.spans:
        concept = ontology.concept(span.concept, span.tier)
        tier_name = {1: "primary", 2: "secondary", 3: "tertiary"}[span.tier]
        lines.append(f"  [{span.start}:{span.end}] {span.text!r} -> {span.concept} "
                     f"({tier_name}: {' > '.join(concept.path())})")
        lines.append(f"      lexicon: {span.term!r} -> {span.matched_concept} "
                     f"[{span.source}] weight {span.base:g}")
        for step in span.steps:
            cue = f" on {step.cue!r}" if step.cue else ""
            lines.append(f"      {step.rule}{cue}: x{step.factor:g}")
        if span.negated:
            lines.append("      negated")
        lines.append(f"      final weight {span.score:g}")
    for line in _inferred_lines(getattr(result, "inferred", None) or []):
        lines.append(line)
    from ..appraisal import ATTITUDE_PRIMARIES

    scaled = any(ontology.concept(span.concept, span.tier).path()[0] not in ATTITUDE_PRIMARIES
                 for span in result.spans)  # words whose scores an appraisal may scale
    lines.extend(_appraisal_lines(result, scaled))
    scored = [f"{label} {score:.3f}" for label, score in
              sorted(result.primary.items(), key=lambda item: -item[1]) if score > 0]
    lines.append(f"primary: {', '.join(scored) if scored else 'none'}")
    for tier in ("secondary", "tertiary"):
        values = getattr(result, tier)
        if values:
            lines.append(f"{tier}: " + ", ".join(f"{label} {score:.3f}" for label, score in
                                                sorted(values.items(), key=lambda i: -i[1])))
    vad = result.vad
    lines.append(f"valence {vad['valence']:+.3f}  arousal {vad['arousal']:.3f}  "
                 f"dominance {vad['dominance']:.3f}  intensity {result.intensity:.3f}")
    lines.append(f"top: {', '.join(result.top) if result.top else '(none)'}")
    if scheme is not None:
        scored = result.in_scheme(scheme, ontology)
        values = ", ".join(f"{k} {v:.3f}" for k, v in sorted(scored.scores.items(),
                                                            key=lambda i: (-i[1], i[0])) if v > 0)
        lines.append(f"scheme {scheme}: top {', '.join(scored.top) if scored.top else '(none)'}"
                     f"; scores {values or 'none'}")
        prior = scored.prior
        if prior is not None:
            if prior["scores"]:
                side = "positive" if prior["valence"] > 0 else "negative"
                lines.append(f"  valence prior (no emotion word): valence {prior['valence']:+g} "
                             f"x {prior['weight']:g} x each category's share of the {side} "
                             "concepts; graded scores only"
                             + ("" if "always" in prior else ", never top"))
            if "always" in prior:
                lines.append(f"  always mode: no evidence, answers {prior['always']}")
    return "\n".join(lines)


_TIER = {1: "primary", 2: "secondary", 3: "tertiary"}


def _inferred_lines(items: list[dict]) -> list[str]:
    """The inference rules' conclusions: rule, premises and their scores."""
    if not items:
        return []
    lines = ["  inferred:"]
    for item in items:
        prem = item.get("premises", [])
        if item.get("kind") == "oppose":
            sides = ", ".join(f"{p['concept']} {p['score']:.3f} x{p['factor']:g}" for p in prem)
            outcome = {"mixed": "both kept (mixed)", "net": "netted out",
                       "stronger": "the stronger kept"}.get(item.get("policy", ""), "")
            lines.append(f"    {item['concept']} vs {item['opposite']} in one "
                         f"{item.get('scope', 'clause')}: {item['rule']} "
                         f"[oppose, policy {item.get('policy')}]: {sides} -> {outcome}")
            continue
        parts = " + ".join(
            f"{p['concept']} {p['score']:.3f}" + (f" ({p['turn']})" if "turn" in p else "")
            if "score" in p else f"{p['concept']} ({p.get('context', 'context')})" for p in prem)
        lines.append(f"    {item['concept']} ({_TIER.get(item['tier'], item['tier'])}) "
                     f"{item['score']:.3f} <- {item['rule']} [{item['kind']}]: {parts} "
                     f"(evidence +{item['evidence']:g})")
    return lines


def _appraisal_lines(result, words_scaled: bool) -> list[str]:
    """The appraisal chain (:mod:`tone.appraisal`): event term -> profile -> appraisal ->
    OCC rule -> emotions, then the cause spans; with ``words_scaled`` (the text has emotion
    words other than love and surprise words) the share of their scores they keep."""
    from ..appraisal import ACT_YIELD

    events = result.appraisal_events() if hasattr(result, "appraisal_events") else []
    lines = []
    if events:
        lines.append("  appraisal (events; weaker than emotion words"
                     + (", x precedence: the text names a feeling" if events[0]["precedence"]
                        else "") + "):")
    keep = events[0].get("words_keep", 1.0) if events else 1.0
    if keep < 1 and words_scaled:
        lines.append(f"    beside them the emotion words above keep x{keep:g} of their scores ("
                     + ("a word read as the act it names: the act is the evidence"
                        if keep == ACT_YIELD else
                        "they say how bad or good, the events which emotion")
                     + "; love and surprise words keep theirs)")
    for ev in events:
        prof = ev["profile"]
        profile = ", ".join(f"{k} {v}" for k, v in prof.items() if v not in ("", None))
        a = ev["appraisal"]
        lines.append(f"    [{ev['start']}:{ev['end']}] {ev['text']!r} -> event {ev['term']!r} "
                     f"[{ev['source']}; anchor {ev['anchor']}] profile: {profile}")
        lines.append(f"      appraisal: pleasantness {a['pleasantness']:+g}, agency "
                     f"{a['agency']}, whose {a['whose']}, {a['certainty']}"
                     + (", negated" if a["negated"] else ""))
        if ev["rule"] is None:
            lines.append("      no rule (not said to happen, too weak, or the object of "
                         "another event)")
            continue
        emotions = ", ".join(f"{e['concept']} +{e['weight']:g}" for e in ev["emotions"])
        lines.append(f"      rule {ev['rule']} (OCC {ev['occ']}: {ev['condition']}) -> "
                     f"{emotions}")
        if ev.get("surprise"):
            sr = ev["surprise"]
            lines.append(f"      beside it: rule {sr['rule']} ({sr['condition']}) -> "
                         f"surprise +{sr['weight']:g}")
    for cause in getattr(result, "causes", None) or []:
        lines.append(f"  cause of {cause['emotion']}: [{cause['start']}:{cause['end']}] "
                     f"{cause['text']!r} (cue {cause['cue']!r}, {cause['kind']})")
    return lines
