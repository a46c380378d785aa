"""Emotion scores in other taxonomies (Ekman, Plutchik, GoEmotions, MELD, ...) through the
SKOS mappings in ``ontology/mappings/*.ttl``.

Each taxonomy is a ``skos:ConceptScheme`` whose categories (its ``skos:hasTopConcept``\\s, keyed
by ``skos:notation``) link to tone concepts with ``skos:exactMatch``, ``closeMatch``,
``narrowMatch``, ``broadMatch`` or ``relatedMatch``.

**Combination rule.** A category's score is the largest, over its links, of the linked tone
concept's (rolled-up) score times the link's weight (:data:`LINK_WEIGHTS`: exact 1.0; close
and narrow 0.9 — narrow means the tone concept is narrower, so its evidence entails the
category; broad 0.6 — the tone concept is broader, so its evidence only suggests the category;
related 0.4). The maximum, not a sum, so that a concept linked twice (say joy@3 and its
primary) is not counted twice. A scheme's ``neutral`` category (GoEmotions, MELD, EmTract,
sentiment) scores ``1 - best`` of the others.

**Top.** The categories judged present are those whose score reaches ``TOP_RATIO`` (0.5, as
for tone's primaries) of the best category's score and at least ``min_score`` (default 0);
without any such category, ``top`` is ``["neutral"]`` in schemes that have it, else ``[]``.
A category reachable only through weak links (every link below :data:`STRONG_LINK`: broad,
related) could never reach ``top`` beside one fed at 0.9, so it is also judged by its own kind
of evidence: it enters ``top`` when the concept score it reads, before the link weight, is the
strongest evidence of the document (the largest such score over all categories) and at least
``min_score``; its score stays the weighted one.

**Valence prior.** A document with no emotion evidence but a document valence (valence words:
*disaster*, *win*) gets a weak prior in the graded scores: each category of the valence's
polarity scores ``PRIOR_WEIGHT`` × |valence| × its share of the tone concepts of that polarity
(tertiaries by the sign of their valence, each reaching the category through its own or an
ancestor's link, weighted by the link; the largest share counts 1). The prior is reported
(``SchemeResult.prior``) and never enters ``top``, except in the opt-in ``always`` mode (every
document has an emotion, for corpora without neutral items): a document without evidence then
answers the best category of the prior, or, without a valence, the category with the largest
share of all tone concepts.

>>> import tone
>>> result = tone.annotate("I am over the moon!").in_scheme("plutchik")
>>> sorted(result.scores)
['anger', 'anticipation', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'trust']
>>> result.top
['joy']
>>> tone.annotate("The meeting is at noon.").in_scheme("meld").top
['neutral']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..defaults import default_ontology
from ..errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .results import Annotation
    from ..ontology import Ontology

__all__ = ["LINK_WEIGHTS", "TOP_RATIO", "NEUTRAL", "STRONG_LINK", "PRIOR_WEIGHT", "always_primary", "Scheme", "SchemeResult", "schemes",
           "get_scheme", "scheme_scores", "concept_vector"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
LINK_WEIGHTS = {"exactMatch": 1.0, "closeMatch": 0.9, "narrowMatch": 0.9, "broadMatch": 0.6,
                "relatedMatch": 0.4}
TOP_RATIO = 0.5
NEUTRAL = "neutral"
STRONG_LINK = 0.9   # links at least this strong (exact, close, narrow) carry a category to top
PRIOR_WEIGHT = 0.25  # the valence prior of the best category at |valence| = 1: weak beside
                     # any emotion word (weights 0.3-1.0), measured on headlines (graded gold)


@dataclass
class SchemeResult:
    """Scores of one document in one scheme: ``{"name", "scores", "top"}`` in JSON."""

    name: str
    scores: dict[str, float]
    top: list[str]
    prior: dict | None = None  # {"valence", "weight", "scores", "always"} when it applied

    def to_dict(self) -> dict:
        out = {"name": self.name, "scores": dict(self.scores), "top": list(self.top)}
        if self.prior is not None:
            out["prior"] = dict(self.prior)
        return out


@dataclass
class Scheme:
    """A taxonomy read from the mappings: its categories and their weighted links.

    ``labels`` are the categories other than neutral, in alphabetical order; ``neutral`` is
    ``"neutral"`` when the scheme has that category, else ``None``; ``links[label]`` lists
    ``(relation, tone concept IRI)`` pairs, relation being the SKOS local name."""

    name: str
    iri: str
    title: str
    source: str
    labels: list[str]
    neutral: str | None
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    iris: dict[str, str] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        """Every category, neutral last."""
        return self.labels + ([self.neutral] if self.neutral else [])

    def weights(self, table, link_weights: dict[str, float] | None = None) -> np.ndarray:
        """``W[c, k]``: the weight of the link from tone concept ``c`` to category ``k``."""
        link_weights = link_weights or LINK_WEIGHTS
        out = np.zeros((len(table), len(self.labels)), dtype=np.float64)
        for k, label in enumerate(self.labels):
            for relation, iri in self.links.get(label, []):
                c = table.index_of_iri(iri)
                out[c, k] = max(out[c, k], link_weights[relation])
        return out

    def score_matrix(self, concept_scores: np.ndarray, table,
                     link_weights: dict[str, float] | None = None) -> np.ndarray:
        """Category scores ``[n_docs, n_labels]`` from tone concept scores
        ``[n_docs, n_concepts]``: per category, the max of concept score × link weight."""
        w = self.weights(table, link_weights)
        s = np.asarray(concept_scores, dtype=np.float64)
        return (s[:, :, None] * w[None, :, :]).max(axis=1) if len(self.labels) else \
            np.zeros((len(s), 0))

    def evidence_matrix(self, concept_scores: np.ndarray, table) -> np.ndarray:
        """Per category, the largest score of a linked concept before the link weight
        ``[n_docs, n_labels]`` (what the weak-link rule of ``top`` compares)."""
        w = self.weights(table) > 0
        s = np.asarray(concept_scores, dtype=np.float64)
        return np.where(w[None, :, :], s[:, :, None], 0.0).max(axis=1) if len(self.labels) \
            else np.zeros((len(s), 0))

    def weak_only(self, table=None) -> list[bool]:
        """Per label: every link of the category is weaker than :data:`STRONG_LINK`."""
        return [max((LINK_WEIGHTS[rel] for rel, _ in self.links.get(label, [])), default=0.0)
                < STRONG_LINK for label in self.labels]

    def polarity_shares(self, table) -> dict[int, np.ndarray]:
        """``{+1: shares, -1: shares, 0: shares}``: per label, its share of tone's tertiary
        concepts of positive / negative valence (0: all of them), each reaching the category
        through its own or an ancestor's link, weighted by the link; the largest share is 1."""
        cached = getattr(self, "_shares", None)
        if cached is not None and cached[0] is table:
            return cached[1]
        w = self.weights(table)
        out = {}
        tertiary = [i for i in range(len(table)) if int(table.tiers[i]) == 3]
        reach = np.zeros((len(tertiary), len(self.labels)))
        for n, i in enumerate(tertiary):
            for c in [i, *table.ancestors(i)]:
                reach[n] = np.maximum(reach[n], w[c])
        valence = np.asarray([table.valence[i] for i in tertiary], dtype=np.float64)
        for sign in (1, -1, 0):
            pick = np.ones(len(tertiary), bool) if sign == 0 else \
                np.nan_to_num(valence) * sign > 0
            total = reach[pick].sum(axis=0)
            top = total.max() if len(total) else 0.0
            out[sign] = total / top if top > 0 else total
        self._shares = (table, out)
        return out

    def prior_row(self, valence: float, table) -> np.ndarray:
        """The valence prior of a document without emotion evidence (module docstring)."""
        if not valence or not np.isfinite(valence):
            return np.zeros(len(self.labels))
        shares = self.polarity_shares(table)[1 if valence > 0 else -1]
        return PRIOR_WEIGHT * abs(float(valence)) * shares

    def result(self, row: np.ndarray, min_score: float = 0.0, evidence: np.ndarray | None = None,
               valence: float | None = None, table=None, always: bool = False) -> SchemeResult:
        """Scores and top of one document from its row of :meth:`score_matrix`; ``evidence``
        (its row of :meth:`evidence_matrix`) lets weakly linked categories into ``top``;
        ``valence`` (with ``table``) gives a document without evidence the valence prior, and
        ``always`` an answer even then (module docstring)."""
        scores = {label: round(float(v), 4) for label, v in zip(self.labels, row)}
        best = max(scores.values(), default=0.0)
        top = []
        if best > 0.0 and best >= min_score:
            floor = max(TOP_RATIO * best, min_score)
            chosen = [(v, label) for label, v in scores.items() if v >= floor]
            if evidence is not None:
                strongest = float(np.max(evidence)) if len(evidence) else 0.0
                taken = {label for _, label in chosen}
                chosen += [(scores[label], label) for label, weak, e in
                           zip(self.labels, self.weak_only(), evidence)
                           if weak and label not in taken and e > 0 and e >= strongest - 1e-9
                           and e >= min_score]
            top = [label for _, label in sorted(chosen, key=lambda item: (-item[0], item[1]))]
        prior = None
        if best <= 0.0 and table is not None and (valence or always):
            values = self.prior_row(valence or 0.0, table)
            if values.any():
                scores = {label: round(float(v), 4) for label, v in zip(self.labels, values)}
                best = max(scores.values(), default=0.0)
                prior = {"valence": round(float(valence), 4), "weight": PRIOR_WEIGHT,
                         "scores": {k: v for k, v in scores.items() if v > 0}}
            if always and self.labels:
                source = values if values.any() else self.polarity_shares(table)[0]
                pick = max(range(len(self.labels)), key=lambda k: (source[k], -k))
                top = [self.labels[pick]]
                prior = dict(prior or {"valence": round(float(valence or 0.0), 4),
                                       "weight": PRIOR_WEIGHT, "scores": {}},
                             always=self.labels[pick])
        if self.neutral:
            scores[self.neutral] = round(1.0 - best, 4)
            if not top:
                top = [self.neutral]
        return SchemeResult(self.name, scores, top, prior)


def schemes(ontology: "Ontology | None" = None) -> dict[str, Scheme]:
    """Every concept scheme of the ontology's mappings, by name (``skos:notation``).

    >>> sorted(schemes())[:4]
    ['ekman', 'emfacs', 'emotionml-big6', 'emotionml-everyday']
    """
    onto = ontology if ontology is not None else default_ontology()
    cached = getattr(onto, "_schemes", None)
    if cached is not None:
        return dict(cached)
    found: dict[str, Scheme] = {}
    cats: dict[str, tuple[str, str]] = {}
    rows = onto.query("""
        SELECT ?scheme ?name ?title ?source ?cat ?notation WHERE {
          ?scheme a skos:ConceptScheme ; skos:notation ?name ; skos:hasTopConcept ?cat .
          ?cat skos:notation ?notation .
          OPTIONAL { ?scheme skos:prefLabel ?title }
          OPTIONAL { ?scheme dcterms:source ?source }
        }""")
    for scheme_iri, name, title, source, cat, notation in rows:
        scheme = found.setdefault(str(name), Scheme(str(name), str(scheme_iri), str(title or ""),
                                                    str(source or ""), [], None))
        label = str(notation)
        if label == NEUTRAL:
            scheme.neutral = NEUTRAL
        elif label not in scheme.labels:
            scheme.labels.append(label)
        scheme.iris[label] = str(cat)
        cats[str(cat)] = (str(name), label)
    known = {c.iri for c in onto.concepts}
    rows = onto.query("""
        SELECT ?cat ?rel ?target WHERE {
          VALUES ?rel { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch
                        skos:relatedMatch }
          ?cat a skos:Concept ; ?rel ?target .
        }""")
    for cat, rel, target in rows:
        if str(cat) in cats and str(target) in known:
            name, label = cats[str(cat)]
            pair = (str(rel)[len(SKOS):], str(target))
            links = found[name].links.setdefault(label, [])
            if pair not in links:
                links.append(pair)
    for scheme in found.values():
        scheme.labels.sort()
        for links in scheme.links.values():
            links.sort(key=lambda pair: (-LINK_WEIGHTS[pair[0]], pair[1]))
    onto._schemes = found
    return dict(found)


def get_scheme(name: str, ontology: "Ontology | None" = None) -> Scheme:
    """One scheme by name; an unknown name raises :class:`~tone.errors.UsageError` listing the
    known ones."""
    found = schemes(ontology)
    if name not in found:
        raise UsageError(f"unknown scheme {name!r}; expected one of {', '.join(sorted(found))}")
    return found[name]


def always_primary(table, valence: float) -> str:
    """The primary a document without evidence answers in the ``always`` mode: the primary
    holding the most tertiaries of the valence's polarity (all tertiaries at valence 0), as
    :meth:`Scheme.polarity_shares` does for a scheme's categories.

    >>> from tone.ontology import Ontology
    >>> table = Ontology().table()
    >>> always_primary(table, -0.4), always_primary(table, 0.3)
    ('sadness', 'joy')
    """
    sign = 0 if not valence or not np.isfinite(valence) else (1 if valence > 0 else -1)
    counts: dict = {}
    for i in range(len(table)):
        if int(table.tiers[i]) != 3:
            continue
        v = float(np.nan_to_num(table.valence[i]))
        if sign and v * sign <= 0:
            continue
        chain = table.ancestors(i)
        primary = table.labels[chain[-1]] if chain else table.labels[i]
        counts[primary] = counts.get(primary, 0) + 1
    return min(counts, key=lambda label: (-counts[label], label)) if counts else ""


def concept_vector(annotation: "Annotation", table) -> np.ndarray:
    """The annotation's concept scores as one ``[n_concepts]`` array (absent concepts 0)."""
    out = np.zeros(len(table), dtype=np.float64)
    for tier, scores in ((1, annotation.primary), (2, annotation.secondary),
                         (3, annotation.tertiary)):
        for label, value in scores.items():
            out[table.index(label, tier)] = value
    return out


def scheme_scores(annotation: "Annotation", name: str, ontology: "Ontology | None" = None,
                  min_score: float = 0.0, always: bool = False) -> SchemeResult:
    """The annotation's scores and top labels in scheme ``name`` (see the module docstring
    for the combination rule, the weak-link rule of ``top``, the valence prior and
    ``always``).

    >>> import tone
    >>> scheme_scores(tone.annotate("What a terrifying night."), "ekman").top
    ['fear']
    >>> plain = tone.Annotator(appraisal=False)  # no appraisal layer: only the valence word
    >>> result = scheme_scores(plain.annotate("A disaster for the city."), "ekman")
    >>> result.top, result.prior["scores"]["sadness"] > 0, result.scores["joy"]
    ([], True, 0.0)
    >>> scheme_scores(plain.annotate("A disaster for the city."), "ekman", always=True).top
    ['sadness']
    """
    onto = ontology if ontology is not None else default_ontology()
    scheme = get_scheme(name, onto)
    table = onto.table()
    vector = concept_vector(annotation, table)[None, :]
    row = scheme.score_matrix(vector, table)[0]
    evidence = scheme.evidence_matrix(vector, table)[0]
    valence = (annotation.vad or {}).get("valence", 0.0)
    return scheme.result(row, min_score=min_score, evidence=evidence, valence=valence,
                         table=table, always=always)
