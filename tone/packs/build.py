"""Offline builders of the shipped packs' lexicon overlays (maintainers; not imported by the
annotator).

``python -m tone.packs.build finance [EMTRACT_DIR]`` writes
``lexicons/packs/finance/lexicon.tsv``: the pack's ``curated.tsv`` rows, then rows derived
from the EmTract dictionaries (Vamossy & Skog, MIT; ``emotion_df.csv`` rows without an
intensity score, the ``*_emojis`` names read as emoji, ``emoticons.csv``) for terms that
neither the shipped lexicon nor the curated rows hold.

``python -m tone.packs.build empathetic`` writes ``lexicons/packs/empathetic/lexicon.tsv``
from WordNet (:mod:`tone.packs.empathetic_vocab`; the train-split rows are built by users:
``tone packs build empathetic-train OUT``).
"""
from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

from ..lexicon.rows import LexiconRow, read_lexicon, write_lexicon

__all__ = [
    "EMOTICON_CONCEPTS",
    "EMTRACT_CONCEPTS",
    "build_finance",
    "emoji_by_name",
    "emtract_rows",
]

#: EmTract's emotion classes -> tone tertiaries (the concept that emtract.ttl maps back to the
#: same class)
EMTRACT_CONCEPTS = {"happy": ("happiness", 3), "sad": ("sadness", 3), "anger": ("anger", 3),
                    "disgust": ("disgust", 3), "fear": ("fear", 3),
                    "surprise": ("surprise", 3)}
#: EmTract's emoticon readings -> tone tertiaries; the readings without an emotion (winkface,
#: cheekyface, evilface, boredface, sickface, <heart>) are left out
EMOTICON_CONCEPTS = {"happyface": ("happiness", 3), "veryhappyface": ("happiness", 3),
                     "laughingface": ("amusement", 3), "sadface": ("sadness", 3),
                     "cryingface": ("sadness", 3), "surprisedface": ("surprise", 3),
                     "annoyedface": ("annoyance", 3), "angryface": ("anger", 3),
                     "fearface": ("fear", 3), "disgustface": ("disgust", 3)}
#: weight of a derived word row (EmTract gives none): a single-class slang reading, weaker than
#: the curated rows (0.5-0.8) and the shipped lexicon's WordNet synonyms
EMTRACT_WEIGHT = 0.5
SOURCE = "emtract-4212881"


def emoji_by_name() -> dict[str, str]:
    """Unicode emoji by their name lowercased without spaces, hyphens or underscores
    (``facewithtearsofjoy`` -> 😂), as EmTract writes emoji after demojizing."""
    out = {}
    for lo, hi in ((0x2600, 0x27C0), (0x1F300, 0x1FB00)):
        for cp in range(lo, hi):
            name = unicodedata.name(chr(cp), "")
            if name:
                out.setdefault(name.lower().replace(" ", "").replace("-", ""), chr(cp))
    return out


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def emtract_rows(folder: Path, known: set[str]) -> tuple[list[LexiconRow], dict[str, int]]:
    """Rows derived from the EmTract dictionaries for terms not in ``known``, and counts of
    what was kept and left out."""
    counts = {"words": 0, "emoji": 0, "emoticons": 0, "scored (not shipped)": 0,
              "ambiguous": 0, "known": 0, "emoji without a Unicode name": 0}
    classes: dict[str, set[str]] = {}
    emoji_names = emoji_by_name()
    emoji: dict[str, set[str]] = {}
    for row in _csv(folder / "emotion_df.csv"):
        word, emotion = row["word"].strip(), row["emotion"].strip()
        if row["emotion-intensity-score"].strip():
            counts["scored (not shipped)"] += 1  # an intensity lexicon's rows; see README
            continue
        if emotion.endswith("_emojis"):
            char = emoji_names.get(word)
            if char is None:
                counts["emoji without a Unicode name"] += 1
            else:
                emoji.setdefault(char, set()).add(emotion.removesuffix("_emojis"))
            continue
        classes.setdefault(word.lower(), set()).add(emotion)
    rows = []
    for term, found in sorted(classes.items()):
        if term in known:
            counts["known"] += 1
        elif len(found) > 1:
            counts["ambiguous"] += 1  # one class or none: "bear" is anger, fear, disgust
        else:
            concept, tier = EMTRACT_CONCEPTS[found.pop()]
            rows.append(LexiconRow(term, concept, tier, EMTRACT_WEIGHT,
                                   kind="phrase" if " " in term else "word",
                                   source=f"{SOURCE}:emotion_df", score=1.0, status="auto"))
            counts["words"] += 1
    for char, found in sorted(emoji.items()):
        if char in known or len(found) > 1:
            counts["known" if char in known else "ambiguous"] += 1
            continue
        concept, tier = EMTRACT_CONCEPTS[found.pop()]
        rows.append(LexiconRow(char, concept, tier, EMTRACT_WEIGHT, kind="emoji",
                               source=f"{SOURCE}:emotion_df", score=1.0, status="auto"))
        counts["emoji"] += 1
    seen = set()
    for row in _csv(folder / "emoticons.csv"):
        face, reading = row["emoticon"].strip(), (row["emoji"] or "").strip()
        if reading not in EMOTICON_CONCEPTS or not face or face in seen or face[0] == "#":
            continue
        seen.add(face)
        if face.lower() in known or face in known:
            counts["known"] += 1
            continue
        concept, tier = EMOTICON_CONCEPTS[reading]
        rows.append(LexiconRow(face, concept, tier, EMTRACT_WEIGHT, kind="emoticon",
                               source=f"{SOURCE}:emoticons", score=1.0, status="auto"))
        counts["emoticons"] += 1
    return rows, counts


def build_finance(emtract_dir: Path, pack_dir: Path | None = None) -> dict[str, int]:
    """Write the finance pack's ``lexicon.tsv``; return the counts."""
    from ..lexicon.default import default_lexicon_path
    from ..ontology import Ontology
    from . import packs_dir

    pack_dir = pack_dir or packs_dir() / "finance"
    table = Ontology().table()
    curated = read_lexicon(pack_dir / "curated.tsv", table=table)
    known = {row.term for row in read_lexicon(default_lexicon_path())}
    known |= {row.term for row in curated}
    derived, counts = emtract_rows(Path(emtract_dir), known)
    notice = (Path(emtract_dir) / "NOTICE").read_text(encoding="utf-8").strip()
    write_lexicon(curated + derived, pack_dir / "lexicon.tsv", comments=[
        "tone finance pack: lexicon overlay, generated by `python -m tone.packs.build finance`;",
        "do not edit: change curated.tsv (hand-written rows) and rebuild.",
        "Rows with source emtract-4212881:* derive from the EmTract dictionaries:",
        notice,
        "MIT License text: lexicons/packs/finance/NOTICE.",
        "Counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
    ])
    return counts


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("finance", "empathetic"):
        print("usage: python -m tone.packs.build finance [EMTRACT_DIR] | empathetic",
              file=sys.stderr)
        return 2
    from ..evaluate import shared_data_dir

    data = shared_data_dir(None)
    if argv[0] == "finance":
        counts = build_finance(Path(argv[1]) if len(argv) > 1 else data / "emtract_dictionaries")
    else:
        from .empathetic_vocab import build_empathetic

        counts = build_empathetic()
    print(counts)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
