"""The listener side: what a supportive reply could do for a speaker, from their emotion.

A listener answers an emotion with an **empathetic intent** — questioning, acknowledging,
consoling, agreeing, encouraging, sympathizing, suggesting, wishing (Welivita & Pu 2020) —
carried out by a **support strategy** — question, restatement or paraphrasing, reflection of
feelings, self-disclosure, affirmation and reassurance, providing suggestions, information
(ESConv, Liu et al. 2021, after Hill's helping skills). Both are individuals of the ontology
(``ontology/listener.ttl``), and so are the ``tone:ListenerRule``\\s that link them from
emotions (``tone:whenEmotion``) and appraisal values (``tone:whenAppraisal``), each with a
weight and its reason. :func:`suggest_intents` applies those rules to an annotation:

- a rule's evidence is the weakest of its conditions: an emotion's score in the annotation,
  an appraisal value's score where the annotation's appraisal has that value (1 for a rule
  without conditions);
- its contribution is ``weight × evidence``; an intent's score joins its rules' contributions
  by noisy-or, ``1 - Π(1 - c)``; the strategy is that of its strongest rule.

>>> import tone
>>> from tone.dialogue.listener import suggest_intents
>>> best = suggest_intents(tone.annotate("My grandmother died last week."))[0]
>>> best["intent"], best["strategy"]
('sympathizing', 'reflection of feelings')
>>> [w["rule"] for w in best["why"]]
['loss', 'sadness-sympathizing']
>>> suggest_intents(tone.annotate("I have my driving test tomorrow, I hope I pass!"))[0]["intent"]
'wishing'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ListenerRule", "listener_rules", "suggest_intents"]

_QUERY = """
SELECT ?r ?name ?intent ?strategy ?weight ?comment ?emotion ?value ?dimension WHERE {
  ?r a tone:ListenerRule ; rdfs:label ?name ; tone:suggestsIntent/rdfs:label ?intent ;
     tone:suggestsStrategy/rdfs:label ?strategy ; tone:weight ?weight .
  OPTIONAL { ?r rdfs:comment ?comment }
  OPTIONAL { ?r tone:whenEmotion ?emotion }
  OPTIONAL { ?r tone:whenAppraisal ?v . ?v rdfs:label ?value ;
                tone:onDimension/rdfs:label ?dimension }
} ORDER BY ?name"""


@dataclass(frozen=True)
class ListenerRule:
    """One ``tone:ListenerRule``: conditions -> intent and strategy, with a weight."""

    name: str
    intent: str
    strategy: str
    weight: float
    emotions: tuple = ()      # (label, tier) of the emotion concepts it needs
    appraisals: tuple = ()    # (dimension, value) pairs it needs
    reason: str = ""


_CACHE: dict = {}


def listener_rules(ontology=None) -> list[ListenerRule]:
    """The listener rules of an ontology (default: the built-in one), read once with SPARQL.

    >>> rules = {r.name: r for r in listener_rules()}
    >>> r = rules["feared"]
    >>> r.intent, r.strategy, r.appraisals
    ('encouraging', 'affirmation and reassurance', (('certainty', 'prospective'), ('pleasantness', 'unpleasant')))
    """
    from .tables import unit_weight

    if ontology is None:
        from ..defaults import default_ontology

        ontology = default_ontology()
    key = id(ontology)
    if key in _CACHE and _CACHE[key][0] is ontology:
        return _CACHE[key][1]
    by_iri: dict = {}
    for iri, name, intent, strategy, weight, comment, emotion, value, dimension in \
            ontology.query(_QUERY):
        rule = by_iri.setdefault(str(iri), {
            "name": str(name), "intent": str(intent), "strategy": str(strategy),
            "weight": unit_weight(weight, f"listener rule {name} <{iri}>"),
            "reason": str(comment or ""), "emotions": set(),
            "appraisals": set()})
        if emotion is not None:
            concept = ontology.concept(str(emotion))  # not a concept: ConceptNotFound
            rule["emotions"].add((concept.label, concept.tier))
        if value is not None:
            rule["appraisals"].add((str(dimension), str(value)))
    rules = [ListenerRule(r["name"], r["intent"], r["strategy"], r["weight"],
                          tuple(sorted(r["emotions"])), tuple(sorted(r["appraisals"])),
                          r["reason"]) for r in by_iri.values()]
    _CACHE[key] = (ontology, rules)
    return rules


def _evidence(rule: ListenerRule, annotation) -> tuple[float, list]:
    """The weakest condition's evidence and the conditions as met (label, score)."""
    if isinstance(annotation, dict):  # a record (Annotation.to_dict())
        emotions = annotation.get("emotions", {})
        tiers = {1: emotions.get("primary", {}), 2: emotions.get("secondary", {}),
                 3: emotions.get("tertiary", {})}
        appraisal = annotation.get("appraisal") or {}
    else:
        tiers = {1: annotation.primary, 2: annotation.secondary, 3: annotation.tertiary}
        appraisal = annotation.appraisal or {}
    met = []
    for label, tier in rule.emotions:
        met.append((label, float(tiers[tier].get(label, 0.0))))
    for dimension, value in rule.appraisals:
        found = appraisal.get(dimension, {})
        score = abs(float(found.get("score", 0.0))) if found.get("value") == value else 0.0
        met.append((f"{dimension}={value}", score))
    return (min((s for _, s in met), default=1.0), met)


def suggest_intents(annotation, ontology=None, min_score: float = 0.05) -> list[dict]:
    """Empathetic intents a listener could answer ``annotation`` (a :class:`tone.Annotation` or
    its ``to_dict()`` record) with, best first: ``{"intent", "strategy", "score", "why"}``, ``why`` listing each rule
    that spoke for it (``rule``, ``conditions`` as met with their scores, ``weight``,
    ``reason``). Intents scoring below ``min_score`` are left out.

    >>> import tone
    >>> [s["intent"] for s in suggest_intents(tone.annotate("The meeting is at noon."))]
    ['questioning']
    """
    per_intent: dict[str, dict] = {}
    for rule in listener_rules(ontology):
        evidence, met = _evidence(rule, annotation)
        contribution = rule.weight * evidence
        if contribution <= 0:
            continue
        entry = per_intent.setdefault(rule.intent, {"rest": 1.0, "best": 0.0, "why": [],
                                                     "strategy": rule.strategy})
        entry["rest"] *= 1.0 - contribution
        if contribution > entry["best"]:
            entry["best"], entry["strategy"] = contribution, rule.strategy
        entry["why"].append({"rule": rule.name, "conditions": [
            {"condition": c, "score": round(s, 4)} for c, s in met],
            "weight": rule.weight, "contribution": round(contribution, 4),
            "reason": rule.reason})
    out = []
    for intent, entry in per_intent.items():
        score = round(1.0 - entry["rest"], 4)
        if score >= min_score:
            why = sorted(entry["why"], key=lambda w: -w["contribution"])
            out.append({"intent": intent, "strategy": entry["strategy"], "score": score,
                        "why": why})
    return sorted(out, key=lambda s: (-s["score"], s["intent"]))
