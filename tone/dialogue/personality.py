"""Personality and the next emotion: OCEAN traits -> PAD temperament (Mehrabian 1996), and a
speaker's next emotion as the preceding emotion's VAD moved by the turn's VAD change scaled by
the personality (Wen et al. 2021, "personality-affected emotion transition"), with tone's
lexicon VAD (:mod:`tone.scoring.vad`) in place of their neural head.

Mehrabian (1996), traits on [0, 1] (``O C E A N``), ``S`` = emotional stability::

    P = .21 E + .59 A + .19 S
    A = .15 O + .30 A - .57 S
    D = .25 O + .17 C + .60 E - .32 A

``stability="inverse"`` (the default) takes ``S = -N``, as stability is the opposite pole of
neuroticism; ``stability="neuroticism"`` plugs ``N`` in for ``S``, as some implementations do
(the PELD code among them). Both are offered; the record of a prediction says which.

The prediction (:func:`next_emotion`): for the turns ``U1`` (the speaker), ``U2`` (the other
speaker), predict the speaker's next turn ``U3``::

    E3 = E1 + (gain + weight * PAD) * (V(U2) - V(U1))

``E1`` the speaker's preceding emotion (the VAD of its gold category when the turn carries one,
else tone's VAD of the text), ``V`` tone's document VAD, ``PAD`` the speaker's temperament
(``weight = 0``: the same predictor without personality). Scores over a scheme's categories
fall with the distance of ``E3`` from each category's VAD (the mean of the concepts it maps
to; ``neutral`` at valence 0, arousal and dominance mid-scale).

>>> pad = personality_pad(FRIENDS["Chandler"])
>>> [round(x, 3) for x in pad]
[0.333, 0.543, 0.272]
>>> [round(x, 3) for x in personality_pad(FRIENDS["Chandler"], stability="neuroticism")]
[0.514, -0.001, 0.272]
>>> result = next_emotion([("Chandler", "I got the job!"), ("Monica", "That's terrible news.")],
...                       FRIENDS["Chandler"], speaker="Chandler")
>>> result["speaker"], result["top"] in result["scores"]
('Chandler', True)
"""
from __future__ import annotations

import numpy as np

from ..errors import UsageError
from .conversation import TRAITS

__all__ = ["personality_pad", "next_emotion", "category_vad", "FRIENDS", "STABILITY", "GAIN",
           "WEIGHT"]

#: the six Friends characters' traits (O C E A N) from the PELD release (Wen et al. 2021)
FRIENDS = {name: dict(zip(TRAITS, values)) for name, values in {
    "Chandler": (.648, .375, .386, .58, .477),
    "Joey": (.574, .614, .297, .545, .455),
    "Monica": (.713, .457, .457, .66, .511),
    "Phoebe": (.6, .48, .31, .46, .56),
    "Rachel": (.635, .354, .521, .552, .469),
    "Ross": (.722, .489, .6, .533, .356),
}.items()}
STABILITY = ("inverse", "neuroticism")
#: the scale of the VAD change without personality, and of the personality's PAD on it;
#: chosen on the MELD training dyads of the six characters (bench/dialogue_personality.py)
GAIN = 0.25
WEIGHT = -0.5


def personality_pad(traits: dict, stability: str = "inverse") -> tuple[float, float, float]:
    """Mehrabian's (1996) pleasure, arousal and dominance of a temperament (module docstring)."""
    if stability not in STABILITY:
        raise UsageError(f"unknown stability {stability!r}; expected one of {STABILITY}")
    try:
        o, c, e, a, n = (float(traits[t]) for t in TRAITS)
    except (KeyError, TypeError, ValueError):
        raise UsageError(f"personality must give {', '.join(TRAITS)} as numbers, got "
                         f"{traits!r}") from None
    s = -n if stability == "inverse" else n
    return (.21 * e + .59 * a + .19 * s,
            .15 * o + .30 * a - .57 * s,
            .25 * o + .17 * c + .60 * e - .32 * a)


def category_vad(scheme: str | None = None, ontology=None) -> tuple[list[str], np.ndarray]:
    """Each category's VAD: tone's primaries (``scheme=None``), or a mapped scheme's categories
    as the link-weighted mean of their concepts' VAD; ``neutral`` (when the scheme has it, and
    for the primaries) at ``(0, 0.5, 0.5)``."""
    from ..scoring.vad import NEUTRAL_AD, concept_vad

    if ontology is None:
        from ..defaults import default_ontology

        ontology = default_ontology()
    table = ontology.table()
    vad = np.nan_to_num(concept_vad(table))
    if scheme is None:
        labels = sorted(c.label for c in ontology.tier(1))
        rows = [vad[table.index(label, 1)] for label in labels]
        neutral = True
    else:
        from ..scoring.schemes import get_scheme

        s = get_scheme(scheme, ontology)
        w = s.weights(table)
        labels = list(s.labels)
        rows = [(w[:, k] @ vad) / w[:, k].sum() if w[:, k].sum() > 0 else
                np.array([0.0, NEUTRAL_AD, NEUTRAL_AD]) for k in range(len(labels))]
        neutral = s.neutral is not None
    if neutral:
        labels.append("neutral")
        rows.append(np.array([0.0, NEUTRAL_AD, NEUTRAL_AD]))
    return labels, np.array(rows, dtype=np.float64)


def _vad_of(turn, annotator, labels, centres) -> tuple[np.ndarray, np.ndarray | None]:
    """A history item's text VAD and, when it carries a known gold ``emotion``, its category's."""
    emotion = None
    if isinstance(turn, dict):
        text, emotion = turn.get("text"), turn.get("emotion")
        vad = turn.get("vad")
    elif isinstance(turn, (tuple, list)):
        text, vad = turn[1], None
        emotion = turn[2] if len(turn) > 2 else None
    else:  # an annotation
        text, vad = None, getattr(turn, "vad", None)
    if vad is None:
        if not isinstance(text, str):
            raise UsageError(f"a history turn needs a text or a vad, got {turn!r}")
        vad = annotator.annotate(text).vad
    v = np.array([vad["valence"], vad["arousal"], vad["dominance"]], dtype=np.float64)
    gold = centres[labels.index(emotion)] if emotion in labels else None
    return v, gold


def _speaker(turn) -> str | None:
    if isinstance(turn, dict):
        return turn.get("speaker")
    if isinstance(turn, (tuple, list)):
        return turn[0]
    return getattr(turn, "speaker", None)


def next_emotion(history: list, personality: dict | None, speaker: str | None = None,
                 scheme: str | None = None, stability: str = "inverse", gain: float = GAIN,
                 weight: float = WEIGHT, annotator=None, ontology=None) -> dict:
    """Predict ``speaker``'s next emotion after ``history`` (module docstring).

    ``history``: turns as ``(speaker, text)`` or ``(speaker, text, emotion)`` tuples, dicts
    (``speaker``, ``text`` or ``vad``, optional ``emotion``) or annotations with a ``vad`` and
    ``speaker`` (:class:`~tone.dialogue.records.TurnAnnotation`). The last turn is the other
    speaker's; ``speaker`` (default: the speaker of the turn before it) must have an earlier
    turn. ``personality``: ``{O, C, E, A, N}`` on [0, 1], or None for the predictor without
    personality. Returns ``{"speaker", "scores", "top", "vad", "pad", "stability"}``.
    """
    history = list(history)
    if len(history) < 2:
        raise UsageError("next_emotion needs at least two turns: the speaker's and the reply")
    if speaker is None:
        speaker = _speaker(history[-2])
    mine = [k for k, turn in enumerate(history[:-1]) if _speaker(turn) == speaker]
    if not mine:
        raise UsageError(f"{speaker!r} has no turn before the last one")
    if annotator is None:
        from ..defaults import default_annotator

        annotator = default_annotator()
    labels, centres = category_vad(scheme, ontology or annotator.ontology)
    v1, gold1 = _vad_of(history[mine[-1]], annotator, labels, centres)
    v2, _ = _vad_of(history[-1], annotator, labels, centres)
    pad = np.zeros(3) if personality is None else np.array(personality_pad(personality,
                                                                           stability))
    e3 = (v1 if gold1 is None else gold1) + (gain + weight * pad) * (v2 - v1)
    d2 = ((centres - e3[None, :]) ** 2).sum(axis=1)
    scores = np.exp(-d2 / 0.1)
    scores = scores / scores.sum()
    order = sorted(range(len(labels)), key=lambda k: (-scores[k], labels[k]))
    return {"speaker": speaker,
            "scores": {labels[k]: round(float(scores[k]), 4) for k in range(len(labels))},
            "top": labels[order[0]],
            "vad": {"valence": round(float(e3[0]), 4), "arousal": round(float(e3[1]), 4),
                    "dominance": round(float(e3[2]), 4)},
            "pad": None if personality is None else [round(float(x), 4) for x in pad],
            "stability": stability if personality is not None else None}
