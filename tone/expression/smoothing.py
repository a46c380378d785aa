"""Exponential smoothing of a face over time, cue by cue, with gaps between cues.

The face follows each cue's target values ``x`` (its AU values) as a first-order system with
time constant ``tau`` seconds: ``ds/dt = (x - s) / tau``, so it covers 63% of the way to a new
target in ``tau`` and 95% in ``3 tau``. Between cues (a gap in the subtitles) the target is the
neutral face, 0, so the expression fades at the same rate. The face starts neutral.

For a cue from ``start`` to ``end`` (duration ``d``), after a gap ``g`` since the previous cue
ended (``g = 0`` when cues touch or overlap, or come out of order), with ``s`` the face when the
previous cue ended:

* the face when this cue starts: ``s0 = s * exp(-g / tau)``;
* the value reported for the cue, the face's mean over the cue:
  ``x + (s0 - x) * (tau / d) * (1 - exp(-d / tau))`` (``s0`` for a cue of zero duration);
* the face when it ends, carried to the next cue: ``x + (s0 - x) * exp(-d / tau)``.

``tau = 0`` turns smoothing off (each cue reports its own target).

**The time constant.** :data:`TAU` = 0.3 s: a face reaches 95% of a new expression within
about 0.9 s and lets it fade as fast — the scale of an ordinary (macro) expression, which
lasts from about half a second to four seconds (Ekman 2003, *Emotions Revealed*, ch. 1), and
short beside a subtitle cue (typically 1–7 s), so a cue's own emotion dominates its frame
while a brief cue still carries some of the previous one.

>>> sm = ExponentialSmoother(tau=1.0)
>>> # from neutral, 1 s at target 1: the mean over the cue
>>> [round(v, 4) for v in sm.step(0.0, 1.0, np.array([1.0])).tolist()]
[0.3679]
>>> round(float(sm.state[0]), 4)  # the face at the cue's end: 1 - e^-1
0.6321
>>> # a 2 s gap, then a neutral cue: what is left of the face fades on
>>> [round(v, 4) for v in sm.step(3.0, 4.0, np.array([0.0])).tolist()]
[0.0541]
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import UsageError

__all__ = ["TAU", "ExponentialSmoother"]

TAU = 0.3  #: seconds; see the module docstring


class ExponentialSmoother:
    """Smooths a sequence of timed target arrays (all of one shape); see the module docstring."""

    def __init__(self, tau: float = TAU) -> None:
        if not (isinstance(tau, (int, float)) and math.isfinite(tau) and tau >= 0):
            raise UsageError(f"the smoothing time constant must be seconds >= 0, not {tau!r}")
        self.tau = float(tau)
        self.state: np.ndarray | None = None  # the face when the last cue ended
        self.last_end: float | None = None

    def step(self, start: float, end: float, target: np.ndarray) -> np.ndarray:
        """The face's mean over the cue ``[start, end]`` whose target is ``target``."""
        target = np.asarray(target, dtype=float)
        s = np.zeros_like(target) if self.state is None else self.state
        if self.tau == 0.0:
            self.state, self.last_end = target.copy(), end
            return target.copy()
        gap = 0.0 if self.last_end is None else max(0.0, start - self.last_end)
        s0 = s * math.exp(-gap / self.tau)
        ratio = max(0.0, end - start) / self.tau
        if ratio == 0.0:
            mean, final = s0.copy(), s0
        else:
            share = -math.expm1(-ratio) / ratio  # (tau / d) (1 - e^(-d/tau)), exact for tiny d
            mean = target + (s0 - target) * share
            final = target + (s0 - target) * math.exp(-ratio)
        self.state, self.last_end = final, max(end, self.last_end or end)
        return mean
