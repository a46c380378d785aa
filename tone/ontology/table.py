"""The concepts as flat numpy arrays, the form the annotation kernels use.

>>> from tone.ontology import Ontology
>>> table = Ontology().table()
>>> i = table.index("fury")
>>> table.labels[table.parent[i]], int(table.tiers[i])
('rage', 3)
>>> table.labels[table.opposite[table.index("joy", 1)]]
'sadness'
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._resources import data_dir
from ..errors import ConceptNotFound, DataFileError

if TYPE_CHECKING:  # pragma: no cover
    from .graph import Ontology

__all__ = ["ConceptTable", "read_concept_vad"]


def read_concept_vad(path: str | Path) -> dict[tuple[str, int], tuple[float, float, float, str]]:
    """Read a concept VAD file: ``concept  tier  valence  arousal  dominance  source`` rows,
    values in [-1, 1] for valence and [0, 1] for arousal and dominance."""
    path = Path(path)
    out = {}
    with open(path, encoding="utf-8") as handle:
        header = None
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if header is None:
                header = fields
                continue
            row = dict(zip(header, fields))
            try:
                key = (row["concept"].lower(), int(row["tier"]))
                out[key] = (float(row["valence"]), float(row["arousal"]),
                            float(row["dominance"]), row.get("source", ""))
            except (KeyError, ValueError) as err:
                raise DataFileError(f"expected concept, tier, valence, arousal, dominance "
                                    f"columns with numbers ({err})", path=str(path),
                                    line=number) from None
    return out


@dataclass
class ConceptTable:
    """Concept ``i`` has ``labels[i]``, ``tiers[i]``, ``parent[i]`` (-1 for primaries),
    ``opposite[i]`` (a direct ``isOppositeOf`` partner, -1 if none) and VAD (NaN if unknown)."""

    labels: list[str]
    iris: list[str]
    tiers: np.ndarray
    parent: np.ndarray
    opposite: np.ndarray
    valence: np.ndarray
    arousal: np.ndarray
    dominance: np.ndarray
    vad_source: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key = {(label, int(tier)): i for i, (label, tier) in
                        enumerate(zip(self.labels, self.tiers))}
        self._by_iri = {iri: i for i, iri in enumerate(self.iris)}

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def from_ontology(cls, onto: "Ontology", vad_path: str | Path | None = None) -> "ConceptTable":
        concepts = onto.concepts
        index = {c.iri: i for i, c in enumerate(concepts)}
        n = len(concepts)
        parent = np.full(n, -1, dtype=np.int32)
        opposite = np.full(n, -1, dtype=np.int32)
        for i, concept in enumerate(concepts):
            if concept.parent is not None:
                parent[i] = index[concept.parent.iri]
            opposites = concept.opposites()
            if opposites:
                opposite[i] = index[opposites[0].iri]
        vad = np.full((3, n), np.nan, dtype=np.float32)
        sources = [""] * n
        if vad_path is None:
            default = data_dir("lexicons") / "en" / "concept_vad.tsv"
            vad_path = default if default.is_file() else None
        if vad_path is not None:
            values = read_concept_vad(vad_path)
            for i, concept in enumerate(concepts):
                found = values.get((concept.label, concept.tier))
                if found is not None:
                    vad[:, i] = found[:3]
                    sources[i] = found[3]
        return cls([c.label for c in concepts], [c.iri for c in concepts],
                   np.array([c.tier for c in concepts], dtype=np.int8), parent, opposite,
                   vad[0], vad[1], vad[2], sources)

    def index(self, label: str, tier: int | None = None) -> int:
        """Index of a concept by label (most specific tier first when no tier is given)."""
        text = label.strip().lower()
        for candidate in ([tier] if tier is not None else [3, 2, 1]):
            found = self._by_key.get((text, candidate))
            if found is not None:
                return found
        raise ConceptNotFound(f"no emotion concept labelled {label!r}"
                              + (f" in tier {tier}" if tier is not None else ""))

    def index_of_iri(self, iri: str) -> int:
        try:
            return self._by_iri[str(iri)]
        except KeyError:
            raise ConceptNotFound(f"{iri} is not an emotion concept of the ontology") from None

    def ancestors(self, i: int) -> list[int]:
        """Indices of the parents of concept ``i`` up to its primary, nearest first."""
        out = []
        while self.parent[i] >= 0:
            i = int(self.parent[i])
            out.append(i)
        return out

    def has_vad(self, i: int) -> bool:
        return not math.isnan(float(self.valence[i]))
