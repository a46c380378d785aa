"""The expression track: timed cues in, one :class:`Frame` per cue out — its emotions (the
``emfacs`` scheme), action units, FACS code and ARKit blendshape weights, smoothed over time.

The emotions of a frame are the cue's own scores; its AUs (and the blendshapes and FACS code
made from them) are smoothed across cues (:mod:`tone.expression.smoothing`, time constant
:data:`~tone.expression.smoothing.TAU`).

>>> frames = track([(0.0, 2.0, "What a wonderful surprise!"),
...                 (2.0, 4.0, "The meeting is at noon.")])
>>> [(f.start, f.end, f.top, f.facs) for f in frames]  # the second cue: the surprise fading
[(0.0, 2.0, ['surprise', 'happiness'], '1C+2C+5B+6C+12C+26C'),
 (2.0, 4.0, [], '1A+2A+5A+6A+12A+26A')]
>>> frames[0].blendshapes["mouthSmileLeft"], frames[1].blendshapes["mouthSmileLeft"]
(0.4337, 0.0763)
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import UsageError
from .facs import activations, au_values, blendshape_weights, facs_code
from .smoothing import TAU, ExponentialSmoother

__all__ = ["SCHEME", "ExpressionTrack", "Frame", "track"]

SCHEME = "emfacs"  #: the scheme whose categories have prototypes (ontology/mappings/emfacs.ttl)


@dataclass
class Frame:
    """One cue of the track: ``emotions`` (``emfacs`` scores, as annotated), ``top``, and the
    smoothed ``aus`` (``{"AU01": value}``), ``facs`` (``"6C+12C"``) and ``blendshapes`` (ARKit's
    52 coefficients); values in [0, 1]."""

    id: object
    start: float
    end: float
    emotions: dict[str, float]
    top: list[str]
    aus: dict[str, float]
    facs: str
    blendshapes: dict[str, float]
    text: str | None = field(default=None, repr=False)

    def to_dict(self, text: bool = True) -> dict:
        """The frame as a JSON-ready dict (``text`` only when asked and known)."""
        record = {"id": self.id, "start": self.start, "end": self.end}
        if text and self.text is not None:
            record["text"] = self.text
        record.update(emotions=self.emotions, top=self.top, aus=self.aus, facs=self.facs,
                      blendshapes=self.blendshapes)
        return record


class ExpressionTrack:
    """Frames one annotated cue at a time, in time order (a streaming writer's state)."""

    def __init__(self, tau: float = TAU) -> None:
        self.smoother = ExponentialSmoother(tau)

    @property
    def tau(self) -> float:
        return self.smoother.tau

    def frame(self, annotation, start: float, end: float, id=None) -> Frame:
        """The frame of one cue from ``start`` to ``end`` seconds, given its annotation."""
        result = annotation.in_scheme(SCHEME)
        face = self.smoother.step(start, end, activations(result.scores))
        text = annotation.text if isinstance(annotation.text, str) else None
        return Frame(annotation.id if id is None else id, start, end, dict(result.scores),
                     list(result.top), au_values(face), facs_code(face),
                     blendshape_weights(face), text)


def _cues(cues) -> Iterator[tuple[object, float, float, str]]:
    """``(id, start, end, text)`` from a subtitle/JSONL path, Documents or tuples."""
    if isinstance(cues, (str, os.PathLike)):
        from ..io import read_documents

        cues = read_documents([cues])
    for k, cue in enumerate(cues):
        if isinstance(cue, tuple):
            if len(cue) != 3:
                raise UsageError(f"cue {k}: expected (start, end, text), got {len(cue)} items")
            start, end, text = cue
            yield k, start, end, text
            continue
        if getattr(cue, "error", None):
            raise UsageError(f"cue {cue.id!r} could not be read: {cue.error}")
        start, end = getattr(cue, "start", None), getattr(cue, "end", None)
        if start is None or end is None:
            where = f" ({cue.source}:{cue.line})" if getattr(cue, "line", None) else ""
            raise UsageError(f"cue {cue.id!r}{where} has no start/end times: read subtitles "
                             "(.srt, .vtt) or JSONL records with start and end")
        yield cue.id, start, end, str(cue.text)


def track(cues: Iterable | str | os.PathLike, annotator=None, tau: float = TAU) -> list[Frame]:
    """The expression track of ``cues``: a subtitle or timed JSONL path, timed
    :class:`~tone.io.readers.Document`\\s, or ``(start, end, text)`` tuples (ids count from
    0). ``annotator`` defaults to the shared default one; ``tau`` is the smoothing time
    constant in seconds (0: none)."""
    if annotator is None:
        from ..defaults import default_annotator

        annotator = default_annotator()
    timeline = ExpressionTrack(tau)
    items = list(_cues(cues))
    annotations = annotator.pipe([text for _, _, _, text in items],
                                 ids=[cue_id for cue_id, _, _, _ in items])
    return [timeline.frame(ann, float(start), float(end))
            for (_, start, end, _), ann in zip(items, annotations)]
