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

from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .annotator import Annotation
    from .ontology import Ontology

__all__ = ["LINK_WEIGHTS", "TOP_RATIO", "NEUTRAL", "Scheme", "SchemeResult", "schemes",
           "get_scheme", "scheme_scores", "concept_vector"]

SKOS = "http://www.w3.org/2004/02/skos/core#"
LINK_WEIGHTS = {"exactMatch": 1.0, "closeMatch": 0.9, "narrowMatch": 0.9, "broadMatch": 0.6,
                "relatedMatch": 0.4}
TOP_RATIO = 0.5
NEUTRAL = "neutral"


@dataclass
class SchemeResult:
    """Scores of one document in one scheme: ``{"name", "scores", "top"}`` in JSON."""

    name: str
    scores: dict[str, float]
    top: list[str]

    def to_dict(self) -> dict:
        return {"name": self.name, "scores": dict(self.scores), "top": list(self.top)}


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

    def result(self, row: np.ndarray, min_score: float = 0.0) -> SchemeResult:
        """Scores and top of one document from its row of :meth:`score_matrix`."""
        scores = {label: round(float(v), 4) for label, v in zip(self.labels, row)}
        best = max(scores.values(), default=0.0)
        top = []
        if best > 0.0 and best >= min_score:
            floor = max(TOP_RATIO * best, min_score)
            chosen = [(v, label) for label, v in scores.items() if v >= floor]
            top = [label for _, label in sorted(chosen, key=lambda item: (-item[0], item[1]))]
        if self.neutral:
            scores[self.neutral] = round(1.0 - best, 4)
            if not top:
                top = [self.neutral]
        return SchemeResult(self.name, scores, top)


_DEFAULT_ONTOLOGY: list = []


def _default_ontology() -> "Ontology":
    """The built-in ontology, shared with :func:`tone.annotate`'s default Annotator if built."""
    if not _DEFAULT_ONTOLOGY:
        from . import annotator

        if annotator._DEFAULT:
            _DEFAULT_ONTOLOGY.append(annotator._DEFAULT[0].ontology)
        else:
            from .ontology import Ontology

            _DEFAULT_ONTOLOGY.append(Ontology())
    return _DEFAULT_ONTOLOGY[0]


def schemes(ontology: "Ontology | None" = None) -> dict[str, Scheme]:
    """Every concept scheme of the ontology's mappings, by name (``skos:notation``).

    >>> sorted(schemes())[:4]
    ['ekman', 'emotionml-big6', 'emotionml-everyday', 'emtract']
    """
    onto = ontology if ontology is not None else _default_ontology()
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


def concept_vector(annotation: "Annotation", table) -> np.ndarray:
    """The annotation's concept scores as one ``[n_concepts]`` array (absent concepts 0)."""
    out = np.zeros(len(table), dtype=np.float64)
    for tier, scores in ((1, annotation.primary), (2, annotation.secondary),
                         (3, annotation.tertiary)):
        for label, value in scores.items():
            out[table.index(label, tier)] = value
    return out


def scheme_scores(annotation: "Annotation", name: str, ontology: "Ontology | None" = None,
                  min_score: float = 0.0) -> SchemeResult:
    """The annotation's scores and top labels in scheme ``name`` (see the module docstring
    for the combination rule).

    >>> import tone
    >>> scheme_scores(tone.annotate("What a terrifying night."), "ekman").top
    ['fear']
    """
    onto = ontology if ontology is not None else _default_ontology()
    scheme = get_scheme(name, onto)
    table = onto.table()
    row = scheme.score_matrix(concept_vector(annotation, table)[None, :], table)[0]
    return scheme.result(row, min_score=min_score)
