"""The review loop: decisions in ``lexicons/en/review.tsv`` and the list of pending rows.

``review.tsv`` columns: ``term, concept, tier, decision, target_concept, target_tier, note``;
``decision`` is ``accept``, ``reject`` or ``move`` (target_* name where the term goes). The next
build applies every decision, so a rebuild after review is idempotent.

>>> from tone.vocab.concepts import ConceptTree
>>> tree = ConceptTree.from_rows([("anger", "rage", "anger"), ("anger", "rage", "fury")])
>>> rows = {("ire", ("anger", 3)): LexiconRow("ire", "anger", 3, 0.9)}
>>> out = apply_decisions(rows, [Decision("ire", "anger", 3, "move", "fury", 3, "x")], tree)
>>> [(r.term, r.concept, r.tier, r.status) for r in out.values()]
[('ire', 'fury', 3, 'moved')]
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from tone.errors import DataFileError
from tone.lexicon.rows import LexiconRow

from .tsv import data_rows

__all__ = ["Decision", "REVIEW_COLUMNS", "read_review", "write_review", "apply_decisions",
           "review", "pending"]

REVIEW_COLUMNS = ("term", "concept", "tier", "decision", "target_concept", "target_tier", "note")
DECISIONS = ("accept", "reject", "move")


@dataclass(frozen=True, order=True)
class Decision:
    """One reviewer decision about a (term, concept, tier) row."""

    term: str
    concept: str
    tier: int
    decision: str
    target_concept: str = ""
    target_tier: int | None = None
    note: str = ""


def read_review(path: str | os.PathLike) -> list[Decision]:
    """Read ``review.tsv``; malformed lines raise DataFileError with file:line:col."""
    path = Path(path)
    out = []
    for lineno, cells in data_rows(path, REVIEW_COLUMNS, check_width=True):
        term, concept, tier, decision, tconcept, ttier, note = cells
        col = len(term) + len(concept) + 3
        if tier not in ("1", "2", "3"):
            raise DataFileError(f"expected tier 1, 2 or 3, got {tier!r}", path=str(path),
                                line=lineno, col=col)
        col += len(tier) + 1
        if decision not in DECISIONS:
            raise DataFileError(f"expected decision accept | reject | move, got {decision!r}",
                                path=str(path), line=lineno, col=col)
        if decision == "move" and (not tconcept or ttier not in ("1", "2", "3")):
            raise DataFileError("expected target_concept and target_tier (1-3) for a move",
                                path=str(path), line=lineno, col=col + len(decision) + 1)
        if not note.strip():
            raise DataFileError("expected a note saying why", path=str(path), line=lineno,
                                col=len("\t".join(cells)) - len(note) + 1)
        out.append(Decision(term, concept.lower(), int(tier), decision, tconcept.lower(),
                            int(ttier) if ttier else None, note))
    return out


def write_review(decisions, path: str | os.PathLike, comments=()) -> None:
    """Write decisions (sorted) to ``review.tsv``."""
    lines = [f"# {c}" for c in comments] + ["\t".join(REVIEW_COLUMNS)]
    for d in sorted(decisions):
        lines.append("\t".join((d.term, d.concept, str(d.tier), d.decision, d.target_concept,
                                "" if d.target_tier is None else str(d.target_tier), d.note)))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def apply_decisions(rows: dict, decisions, tree) -> dict:
    """Apply review decisions to ``{(term, (concept, tier)): LexiconRow}``; returns a new dict.

    ``reject`` removes the row, ``accept`` marks it accepted (adding it when the builder had
    dropped it), ``move`` re-files it under the target concept with status ``moved``.
    """
    out = dict(rows)
    for d in sorted(decisions):
        key = (d.term, (d.concept, d.tier))
        row = out.get(key)
        if d.decision == "reject":
            out.pop(key, None)
        elif d.decision == "accept":
            if row is None:
                if (d.concept, d.tier) not in tree.parents:
                    continue
                kind = "phrase" if " " in d.term else "word"
                row = LexiconRow(d.term, d.concept, d.tier, 0.8, "", kind, "curated", 0.8,
                                 "accepted")
            out[key] = replace(row, status="accepted")
        elif d.decision == "move":
            target = (d.target_concept, d.target_tier)
            if target not in tree.parents:
                continue
            if row is None and (d.term, target) in out:
                continue  # already moved (the builder moves rows before deriving from them)
            if row is None:
                kind = "phrase" if " " in d.term else "word"
                row = LexiconRow(d.term, d.concept, d.tier, 0.8, "", kind, "curated", 0.8,
                                 "auto")
            out.pop(key, None)
            out[(d.term, target)] = replace(row, concept=target[0], tier=target[1],
                                            status="moved")
    return out


def pending(lexicon_rows, candidates, decisions=()) -> dict:
    """Unreviewed (status ``auto``) rows grouped by concept, most ambiguous first.

    ``candidates`` are dicts from :func:`tone.vocab.builder.read_candidates`; ambiguity is the
    term's margin (runner-up / best score).
    """
    margins: dict = defaultdict(float)
    for c in candidates:
        margins[c["term"]] = max(margins[c["term"]], float(c.get("margin") or 0.0))
    done = {(d.term, d.concept, d.tier) for d in decisions}
    groups: dict = defaultdict(list)
    for row in lexicon_rows:
        if row.status != "auto" or row.key in done:
            continue
        groups[(row.concept, row.tier)].append((margins.get(row.term, 0.0), row))
    return {key: [r for _m, r in sorted(items, key=lambda x: (-x[0], x[1].weight, x[1].term))]
            for key, items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0]))}


def review(lexicon_dir: str | os.PathLike | None = None, concept: str | None = None,
           tier: int | None = None, limit: int = 20) -> str:
    """Text listing of pending rows by concept, most ambiguous first (``tone vocab review``)."""
    from tone._resources import data_dir
    from tone.lexicon.rows import read_lexicon
    from tone.vocab.builder import read_candidates

    d = Path(lexicon_dir) if lexicon_dir is not None else data_dir("lexicons") / "en"
    rows = read_lexicon(d / "lexicon.tsv")
    cands = read_candidates(d / "candidates.tsv") if (d / "candidates.tsv").is_file() else []
    decisions = read_review(d / "review.tsv") if (d / "review.tsv").is_file() else []
    margins = {c["term"]: c.get("margin", "0") for c in cands}
    lines = []
    for (label, t), items in pending(rows, cands, decisions).items():
        if concept is not None and label != concept.lower():
            continue
        if tier is not None and t != tier:
            continue
        lines.append(f"{label}@{t}: {len(items)} pending")
        for row in items[:limit]:
            lines.append(f"  {row.term}\tweight={row.weight}\tmargin={margins.get(row.term, '0')}"
                         f"\t{row.source}")
    return "\n".join(lines)
