"""The 21 emotional stimuli of EmotionPrompt and NegativePrompt, read from the ontology.

The stimuli are individuals of ``tone:Stimulus`` in ``ontology/stimuli.ttl`` (built by
:mod:`tone.prompting.build`), so the same facts answer SPARQL and this module: exact text,
method and paper, psychological theories with their citations, polarity and tone's own
annotation of the text.

>>> from tone.prompting import stimuli, augment
>>> len(stimuli()), [s.id for s in stimuli(theory="social comparison theory")]
(21, ['NP06', 'NP07'])
>>> ep02 = stimuli(polarity="positive")[1]
>>> ep02.text, ep02.method, ep02.theories
('This is very important to my career.', 'EmotionPrompt', ('self-monitoring',))
>>> augment("Determine whether a movie review is positive or negative.", "EP02")
'Determine whether a movie review is positive or negative. This is very important to my career.'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UsageError

__all__ = ["POLARITIES", "Stimulus", "augment", "stimuli", "stimulus"]

POLARITIES = ("positive", "negative")


@dataclass(frozen=True)
class Stimulus:
    """One emotional stimulus: ``id`` (``EP01``...``NP10``), ``text``, ``method``
    (``EmotionPrompt`` or ``NegativePrompt``), ``citation`` and ``paper`` (the method's),
    ``theories`` (labels) with ``theory_citations``, ``polarity``, ``quoted_from`` (the source
    file at a commit) and tone's annotation: ``emotions`` (the primaries judged present),
    ``scores`` (non-zero primaries), ``valence``, ``intensity`` and ``terms`` (matched words)."""

    id: str
    text: str
    method: str
    paper: str
    citation: str
    polarity: str
    theories: tuple[str, ...]
    theory_citations: tuple[str, ...]
    quoted_from: str
    emotions: tuple[str, ...] = ()
    scores: dict = field(default_factory=dict, compare=False)
    valence: float = 0.0
    intensity: float = 0.0
    terms: tuple[str, ...] = ()


_BASE = """
SELECT ?s ?id ?text ?method ?paper ?citation ?polarity ?quoted ?valence ?intensity WHERE {
  ?s a tone:Stimulus ; rdfs:label ?id ; tone:stimulusText ?text ; tone:stimulusPolarity ?polarity ;
     tone:quotedFrom ?quoted ; dcterms:isPartOf ?m .
  ?m rdfs:label ?method ; dcterms:source ?paper ; dcterms:bibliographicCitation ?citation .
  OPTIONAL { ?s tone:annotatedValence ?valence }
  OPTIONAL { ?s tone:annotatedIntensity ?intensity }
} ORDER BY ?id"""
# facet -> a query of (stimulus, value, value2) rows
_FACETS = {
    "theories": """SELECT ?s ?label ?cite WHERE { ?s a tone:Stimulus ; tone:basedOnTheory ?t .
                   ?t rdfs:label ?label ; dcterms:bibliographicCitation ?cite }""",
    "scores": """SELECT ?s ?label ?score WHERE { ?s a tone:Stimulus ;
                 tone:annotatedScore [ tone:emotion ?e ; tone:score ?score ] . ?e rdfs:label ?label }""",
    "emotions": """SELECT ?s ?label ?none WHERE { ?s a tone:Stimulus ; tone:annotatedEmotion ?e .
                   ?e rdfs:label ?label }""",
    "terms": """SELECT ?s ?term ?none WHERE { ?s a tone:Stimulus ; tone:annotatedTerm ?term }""",
}

_CACHE: dict = {}


def _read(ontology) -> list[Stimulus]:
    facets: dict = {name: {} for name in _FACETS}
    for name, query in _FACETS.items():
        for s, value, extra in ontology.query(query):
            facets[name].setdefault(s, []).append((str(value), extra))
    out = []
    for s, sid, text, method, paper, citation, polarity, quoted, valence, intensity in \
            ontology.query(_BASE):
        theories = sorted((label, str(cite)) for label, cite in facets["theories"].get(s, []))
        scores = {label.lower(): float(score) for label, score in facets["scores"].get(s, [])}
        out.append(Stimulus(
            str(sid), str(text), str(method), str(paper), str(citation), str(polarity),
            tuple(label for label, _ in theories), tuple(cite for _, cite in theories),
            str(quoted), tuple(sorted(label.lower() for label, _ in facets["emotions"].get(s, []))),
            dict(sorted(scores.items())), float(valence or 0.0), float(intensity or 0.0),
            tuple(sorted(term for term, _ in facets["terms"].get(s, [])))))
    return out


def _all(ontology=None) -> list[Stimulus]:
    if ontology is not None:
        return _read(ontology)
    if "default" not in _CACHE:
        from ..defaults import default_ontology

        _CACHE["default"] = _read(default_ontology())
    return _CACHE["default"]


def stimuli(theory: str | None = None, polarity: str | None = None, method: str | None = None,
            ontology=None) -> list[Stimulus]:
    """The stimuli (by id), optionally only those grounded in ``theory`` (a label such as
    ``"self-monitoring"`` or ``"social comparison theory"``, case-insensitive; ``"social
    comparison"`` works too), of ``polarity`` (``positive``/``negative``) or of ``method``
    (``EmotionPrompt``/``NegativePrompt``). ``ontology``: another :class:`tone.Ontology`
    holding ``tone:Stimulus`` individuals (default: the built-in one).

    >>> [s.id for s in stimuli(theory="cognitive emotion regulation")]
    ['EP03', 'EP04', 'EP05', 'EP06', 'EP07']
    >>> stimuli(polarity="neutral")
    Traceback (most recent call last):
    ...
    tone.errors.UsageError: unknown polarity 'neutral'; expected positive or negative
    """
    found = _all(ontology)
    if polarity is not None:
        if polarity not in POLARITIES:
            raise UsageError(f"unknown polarity {polarity!r}; expected positive or negative")
        found = [s for s in found if s.polarity == polarity]
    if method is not None:
        methods = sorted({s.method for s in _all(ontology)})
        if method not in methods:
            raise UsageError(f"unknown method {method!r}; expected one of {', '.join(methods)}")
        found = [s for s in found if s.method == method]
    if theory is not None:
        known = sorted({t for s in _all(ontology) for t in s.theories})
        key = theory.strip().lower()
        matches = [t for t in known if t == key or t.removesuffix(" theory") == key]
        if not matches:
            raise UsageError(f"unknown theory {theory!r}; expected one of {', '.join(known)}")
        found = [s for s in found if matches[0] in s.theories]
    return found


def stimulus(stimulus_id: str, ontology=None) -> Stimulus:
    """One stimulus by id (``"EP02"``, case-insensitive)."""
    wanted = stimulus_id.strip().upper()
    for s in _all(ontology):
        if s.id == wanted:
            return s
    ids = [s.id for s in _all(ontology)]
    raise UsageError(f"unknown stimulus {stimulus_id!r}; expected one of "
                     f"{ids[0]}..{ids[-1]} (tone.prompting.stimuli() lists them)")


def augment(prompt: str, *stimulus_ids: str, ontology=None) -> str:
    """``prompt`` with the stimuli's texts appended, as the papers do (one space between).

    >>> augment("Sum the two given numbers.", "EP03", "NP06")
    "Sum the two given numbers. You'd better be sure. Everyone else managed to do it; why can't you?"
    """
    if not stimulus_ids:
        raise UsageError("augment needs at least one stimulus id, e.g. augment(prompt, 'EP02')")
    texts = [stimulus(i, ontology).text for i in stimulus_ids]
    return " ".join([prompt.rstrip(), *texts]) if prompt.strip() else " ".join(texts)
