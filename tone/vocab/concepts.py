"""The emotion concepts the vocabulary builder targets, with their tree.

Concepts come from :class:`tone.ontology.Ontology` when it is importable, else from a Parrott
tree TSV (``primary<TAB>secondary<TAB>tertiary``, as in ``shared/data/parrott.tsv``).

>>> tree = ConceptTree.from_rows([("joy", "zest", "thrill"), ("joy", "zest", "zest")])
>>> tree.parent(("thrill", 3))
('zest', 2)
>>> tree.lca(("thrill", 3), ("zest", 3))
('zest', 2)
>>> sorted(tree.keys)
[('joy', 1), ('thrill', 3), ('zest', 2), ('zest', 3)]
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from tone.errors import DataFileError, UsageError

__all__ = ["ConceptKey", "ConceptTree", "load_concepts", "shared_data_dir"]

ConceptKey = tuple  # (label, tier)


def shared_data_dir() -> Path | None:
    """``$TONE_SHARED_DATA`` or ``../shared/data`` next to the source checkout, if present."""
    env = os.environ.get("TONE_SHARED_DATA")
    if env:
        return Path(env)
    guess = Path(__file__).resolve().parents[3] / "shared" / "data"
    return guess if guess.is_dir() else None


@dataclass
class ConceptTree:
    """Concept keys ``(label, tier)`` and their parents."""

    parents: dict = field(default_factory=dict)  # key -> parent key or None
    seeds: dict = field(default_factory=dict)  # key -> tuple of Parrott words

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> "ConceptTree":
        tree = cls()
        children: dict = {}
        for primary, secondary, tertiary in rows:
            p, s, t = (primary.strip().lower(), 1), (secondary.strip().lower(), 2), \
                (tertiary.strip().lower(), 3)
            tree.parents.setdefault(p, None)
            tree.parents.setdefault(s, p)
            tree.parents[t] = s
            children.setdefault(p, []).append(s[0])
            children.setdefault(s, []).append(t[0])
        for key in tree.parents:
            words = [key[0]] + sorted(set(children.get(key, ())) - {key[0]})
            tree.seeds[key] = tuple(words)
        return tree

    @property
    def keys(self) -> list:
        return sorted(self.parents, key=lambda k: (k[1], k[0]))

    def parent(self, key):
        return self.parents[key]

    def ancestors(self, key) -> list:
        out = []
        while self.parents.get(key) is not None:
            key = self.parents[key]
            out.append(key)
        return out

    def lca(self, a, b):
        """Lowest common ancestor (or ``a`` itself when ``b`` is ``a`` or its ancestor)."""
        chain_a = [a] + self.ancestors(a)
        chain_b = set([b] + self.ancestors(b))
        for key in chain_a:
            if key in chain_b:
                return key
        return None

    def primary(self, key):
        chain = [key] + self.ancestors(key)
        return chain[-1]


def load_concepts(parrott: str | os.PathLike | None = None) -> ConceptTree:
    """The concept tree: from ``parrott`` if given, else the ontology, else shared data."""
    if parrott is None:
        try:
            from tone.ontology import Ontology  # type: ignore

            onto = Ontology()
            rows = []
            for concept in onto.concepts:
                if concept.tier == 3:
                    sec = concept.parent
                    rows.append((sec.parent.label, sec.label, concept.label))
            if rows:
                return ConceptTree.from_rows(rows)
        except Exception:  # noqa: BLE001 - the ontology may not exist yet
            pass
        shared = shared_data_dir()
        if shared is None or not (shared / "parrott.tsv").is_file():
            raise UsageError("no concept tree: tone.ontology is unavailable and parrott.tsv "
                             "was not found; pass parrott=PATH or set TONE_SHARED_DATA")
        parrott = shared / "parrott.tsv"
    rows = []
    path = str(parrott)
    for lineno, line in enumerate(Path(parrott).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise DataFileError("expected 3 tab-separated columns (primary, secondary, "
                                "tertiary)", path=path, line=lineno, col=1)
        if cells == ["primary", "secondary", "tertiary"]:
            continue
        rows.append(tuple(cells))
    return ConceptTree.from_rows(rows)
