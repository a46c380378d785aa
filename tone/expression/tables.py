"""The expression pack's knowledge, read from ``lexicons/packs/expression/``: the EMFACS
prototypes (emotion -> action units) and the action unit -> ARKit blendshape table.

Both are header-keyed TSV files (:mod:`tone.tsv`), checked on load: a row naming an unknown AU,
side, intensity letter or blendshape is a :class:`~tone.errors.DataFileError` at file:line.

>>> protos = prototypes()
>>> [(p.au, p.side, p.cap) for p in protos["contempt"]]
[(12, 'R', 'A'), (14, 'R', 'A')]
>>> [(r.blendshape, r.side, r.weight) for r in blendshape_rows() if r.au == 12]
[('mouthSmile', 'both', 1.0)]
>>> len(ARKIT_BLENDSHAPES)
52
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from .._resources import data_dir
from ..errors import DataFileError
from ..tsv import records

__all__ = [
    "ARKIT_BLENDSHAPES",
    "LETTERS",
    "BlendshapeRow",
    "Prototype",
    "action_unit_names",
    "blendshape_rows",
    "pack_dir",
    "prototypes",
]

#: ARKit's 52 face blendshape coefficients (ARFaceAnchor.BlendShapeLocation), in Apple's order
#: of face regions: eyes, jaw, mouth, brows, cheeks, nose, tongue.
ARKIT_BLENDSHAPES = (
    "eyeBlinkLeft", "eyeLookDownLeft", "eyeLookInLeft", "eyeLookOutLeft", "eyeLookUpLeft",
    "eyeSquintLeft", "eyeWideLeft", "eyeBlinkRight", "eyeLookDownRight", "eyeLookInRight",
    "eyeLookOutRight", "eyeLookUpRight", "eyeSquintRight", "eyeWideRight",
    "jawForward", "jawLeft", "jawRight", "jawOpen",
    "mouthClose", "mouthFunnel", "mouthPucker", "mouthLeft", "mouthRight", "mouthSmileLeft",
    "mouthSmileRight", "mouthFrownLeft", "mouthFrownRight", "mouthDimpleLeft",
    "mouthDimpleRight", "mouthStretchLeft", "mouthStretchRight", "mouthRollLower",
    "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthPressLeft", "mouthPressRight",
    "mouthLowerDownLeft", "mouthLowerDownRight", "mouthUpperUpLeft", "mouthUpperUpRight",
    "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "noseSneerLeft", "noseSneerRight",
    "tongueOut",
)
LETTERS = "ABCDE"  #: FACS intensity letters, trace to maximum


@dataclass(frozen=True)
class Prototype:
    """One action unit of an emotion's prototype: its number, ``side`` (``"R"``/``"L"`` for
    one side of the face only, ``""`` for both) and ``cap`` (the intensity letter the prototype
    names, ``""`` for none)."""

    au: int
    side: str
    cap: str


@dataclass(frozen=True)
class BlendshapeRow:
    """An action unit's share of a blendshape: ``side`` ``"both"`` (a Left/Right pair, each
    side from that side of the AU) or ``"mid"`` (one shape, from the AU's larger side)."""

    au: int
    name: str
    blendshape: str
    side: str
    weight: float


def pack_dir() -> Path:
    """The expression pack's folder (``lexicons/packs/expression``)."""
    return data_dir("lexicons") / "packs" / "expression"


def _int(value: str, what: str, path: Path, line: int) -> int:
    if not value.isdigit():
        raise DataFileError(f"{what} {value!r} is not an action unit number", path=str(path),
                            line=line)
    return int(value)


def _columns(row: dict, names: tuple, path: Path, line: int) -> None:
    missing = [n for n in names if n not in row]
    if missing:
        raise DataFileError(f"the header lacks the column(s) {', '.join(missing)}; expected "
                            f"{', '.join(names)}", path=str(path), line=line)


@functools.cache
def prototypes(path: str | os.PathLike | None = None) -> dict[str, tuple[Prototype, ...]]:
    """Emotion -> its prototype's action units, from ``prototypes.tsv`` (or ``path``)."""
    path = Path(path) if path is not None else pack_dir() / "prototypes.tsv"
    table: dict[str, list[Prototype]] = {}
    for line, row in records(path, comments=True):
        _columns(row, ("emotion", "au", "side", "cap"), path, line)
        side, cap = row["side"].strip(), row["cap"].strip()
        if side not in ("", "L", "R"):
            raise DataFileError(f"side {side!r}: expected R, L or nothing (both sides)",
                                path=str(path), line=line)
        if cap not in ("", *LETTERS):
            raise DataFileError(f"cap {cap!r}: expected an intensity letter A-E or nothing",
                                path=str(path), line=line)
        au = _int(row["au"].strip(), "au", path, line)
        table.setdefault(row["emotion"].strip(), []).append(Prototype(au, side, cap))
    return {emotion: tuple(units) for emotion, units in table.items()}


@functools.cache
def blendshape_rows(path: str | os.PathLike | None = None) -> tuple[BlendshapeRow, ...]:
    """The AU -> blendshape table, from ``blendshapes.tsv`` (or ``path``)."""
    path = Path(path) if path is not None else pack_dir() / "blendshapes.tsv"
    rows = []
    for line, row in records(path, comments=True):
        _columns(row, ("au", "name", "blendshape", "side", "weight"), path, line)
        side, shape = row["side"].strip(), row["blendshape"].strip()
        names = (shape + "Left", shape + "Right") if side == "both" else (shape,)
        if side not in ("both", "mid"):
            raise DataFileError(f"side {side!r}: expected both (a Left/Right pair) or mid",
                                path=str(path), line=line)
        unknown = [n for n in names if n not in ARKIT_BLENDSHAPES]
        if unknown:
            raise DataFileError(f"{', '.join(unknown)} is not one of ARKit's 52 blendshapes",
                                path=str(path), line=line)
        try:
            weight = float(row["weight"])
        except ValueError:
            weight = -1.0
        if not 0.0 <= weight <= 1.0:
            raise DataFileError(f"weight {row['weight']!r}: expected a number in [0, 1]",
                                path=str(path), line=line)
        rows.append(BlendshapeRow(_int(row["au"].strip(), "au", path, line),
                                  row["name"].strip(), shape, side, weight))
    return tuple(rows)


def action_unit_names() -> dict[int, str]:
    """AU number -> FACS name, for every AU the blendshape table knows, in AU order.

    >>> action_unit_names()[12]
    'Lip Corner Puller'
    """
    return dict(sorted((row.au, row.name) for row in blendshape_rows()))
