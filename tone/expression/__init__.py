"""The facial-expression track: emotion over time as facial action units and ARKit blendshapes.

Timed text (subtitle cues, timed JSONL; :mod:`tone.io.subtitles`) is annotated cue by cue; each
cue's emotions in the ``emfacs`` scheme (happiness, sadness, surprise, fear, anger, disgust,
contempt: ``ontology/mappings/emfacs.ttl``) drive the action units of their EMFACS prototypes
(Friesen & Ekman 1983), which drive ARKit's 52 blendshapes; the face is smoothed across cues
with a time constant. The knowledge lives in ``lexicons/packs/expression/`` (its README has the
tables, their sources and where Ekman & Friesen's 1978 table differs); the writers ``facs-json``
and ``facs-csv`` (:mod:`tone.io.writers`) write the track.

* :mod:`~tone.expression.tables` — the prototype and blendshape tables (TSV, checked on load)
* :mod:`~tone.expression.facs` — scores -> AU values -> FACS code and blendshape weights
* :mod:`~tone.expression.smoothing` — exponential smoothing over time, with gaps
* :mod:`~tone.expression.timeline` — :class:`Frame`, :class:`ExpressionTrack`, :func:`track`

>>> import tone.expression
>>> [f.facs for f in tone.expression.track([(0.0, 3.0, "I miss her so much, I feel sad.")])]
['1C+4C+15C']
"""
from __future__ import annotations

from .smoothing import TAU
from .timeline import SCHEME, ExpressionTrack, Frame, track

__all__ = ["SCHEME", "TAU", "ExpressionTrack", "Frame", "track"]
