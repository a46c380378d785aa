"""Emotion scores -> facial action units (AUs) -> ARKit blendshape weights.

**AU intensity.** Each emotion's score in the ``emfacs`` scheme (tone's rolled-up concept
scores, in [0, 1], which already carry the intensifier and downtoner rules — *very angry*
scores above *angry*, *slightly* below; the record's ``intensity`` is the best primary score)
drives every AU of its prototype (:func:`tone.expression.tables.prototypes`) to that value,
capped by the prototype's letter (surprise's 5B: AU5 at most B). An AU in several prototypes
takes the largest value; a unilateral AU (contempt's R12A) moves one side only. Values are
kept per side of the face, left and right.

**Letters.** FACS scores intensity with the letters A (trace), B (slight), C (marked or
pronounced), D (severe or extreme) and E (maximum) (Ekman, Friesen & Hager 2002), an ordinal
and unequal scale: C and D span more of the range than A and E. A value ``u`` in [0, 1] gets
the letter of the interval holding it: A (0.05, 0.2], B (0.2, 0.4], C (0.4, 0.7], D (0.7, 0.9],
E (0.9, 1]; ``u`` <= 0.05 is not scored. A cap letter caps ``u`` at the top of its interval.

**Blendshapes.** Each ARKit coefficient is the largest, over the AUs feeding it, of the AU's
value (its left or right side for a Left/Right shape, the larger side for a midline shape)
times the table's weight (:func:`tone.expression.tables.blendshape_rows`).

>>> act = activations({"happiness": 0.8})
>>> facs_code(act)
'6D+12D'
>>> weights = blendshape_weights(act)
>>> weights["mouthSmileLeft"], weights["cheekSquintRight"], weights["eyeSquintLeft"]
(0.8, 0.8, 0.32)
>>> facs_code(activations({"contempt": 0.9})), facs_code(activations({"surprise": 0.9}))
('R12A+R14A', '1D+2D+5B+26D')
"""
from __future__ import annotations

import functools

import numpy as np

from .tables import (
    ARKIT_BLENDSHAPES,
    LETTERS,
    action_unit_names,
    blendshape_rows,
    prototypes,
)

__all__ = [
    "FLOOR",
    "SCALE",
    "action_units",
    "activations",
    "au_values",
    "blendshape_weights",
    "facs_code",
    "letter",
]

FLOOR = 0.05  #: values at or below it are not scored (no letter)
SCALE = {"A": 0.2, "B": 0.4, "C": 0.7, "D": 0.9, "E": 1.0}  #: letter -> top of its interval
_SIDES = {"L": (0,), "R": (1,), "": (0, 1)}


def letter(value: float) -> str:
    """The FACS intensity letter of ``value`` in [0, 1] (``""`` at or below :data:`FLOOR`).

    >>> [letter(u) for u in (0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0)]
    ['', 'A', 'A', 'B', 'C', 'D', 'E']
    """
    if value <= FLOOR:
        return ""
    return next((name for name in LETTERS if value <= SCALE[name]), "E")


@functools.cache
def action_units() -> tuple[int, ...]:
    """Every AU the prototypes or the blendshape table name, in order."""
    found = {unit.au for units in prototypes().values() for unit in units}
    return tuple(sorted(found | set(action_unit_names())))


def _index() -> dict[int, int]:
    return {au: i for i, au in enumerate(action_units())}


def activations(scores: dict[str, float]) -> np.ndarray:
    """AU values from emotion scores: an array of shape ``(len(action_units()), 2)``, one row
    per AU, columns left and right side. Emotions without a prototype are ignored."""
    index = _index()
    act = np.zeros((len(index), 2))
    for emotion, units in prototypes().items():
        score = min(max(float(scores.get(emotion, 0.0)), 0.0), 1.0)
        if score <= 0.0:
            continue
        for unit in units:
            value = min(score, SCALE[unit.cap]) if unit.cap else score
            for side in _SIDES[unit.side]:
                row = index[unit.au]
                act[row, side] = max(act[row, side], value)
    return act


def facs_code(act: np.ndarray) -> str:
    """The FACS string of the scored AUs (``"1B+4B+15B"``; ``R``/``L`` when one side only)."""
    parts = []
    for au, (left, right) in zip(action_units(), act.tolist()):
        value = max(left, right)
        code = letter(value)
        if not code:
            continue
        side = "" if letter(left) and letter(right) else ("R" if right > left else "L")
        parts.append(f"{side}{au}{code}")
    return "+".join(parts)


def au_values(act: np.ndarray) -> dict[str, float]:
    """``{"AU01": value, ...}``: each AU's larger side, rounded to 4 places."""
    return {f"AU{au:02d}": round(float(max(left, right)), 4)
            for au, (left, right) in zip(action_units(), act.tolist())}


def blendshape_weights(act: np.ndarray) -> dict[str, float]:
    """All 52 ARKit coefficients (in Apple's order), rounded to 4 places."""
    index = _index()
    weights = dict.fromkeys(ARKIT_BLENDSHAPES, 0.0)
    for row in blendshape_rows():
        left, right = act[index[row.au]].tolist()
        if row.side == "both":
            targets = ((row.blendshape + "Left", left), (row.blendshape + "Right", right))
        else:
            targets = ((row.blendshape, max(left, right)),)
        for name, value in targets:
            weights[name] = max(weights[name], value * row.weight)
    return {name: round(value, 4) for name, value in weights.items()}
