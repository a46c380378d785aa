"""Emoji and emoticon rows for the lexicon.

Emoji are mapped to concepts by the words of their names: VADER's emoji descriptions (CLDR short
names, MIT) where available, else the Unicode character name (``unicodedata.name``). The words go
first through :data:`EMOJI_KEYWORDS`, a small hand-curated table for the words emoji names use
(``grinning``, ``pouting``, ``tears``...), then through the built word vocabulary. Names without
an emotional word (``dog face``, ``keycap: 1``) give no row.

>>> concept_for_name("face with tears of joy", {})
('amusement', 3)
>>> concept_for_name("dog face", {}) is None
True
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

from tone.lexicon.rows import LexiconRow

__all__ = ["EMOJI_PHRASES", "EMOJI_KEYWORDS", "concept_for_name", "emoji_rows", "emoticon_rows",
           "candidate_emoji"]

# whole-name patterns, tried first (most specific); regex over the lowercased name
EMOJI_PHRASES = [
    (r"love hotel|heart suit|joystick|japanese|button|flag|keycap|clock|moon|sun with face|wind face", None),
    (r"anguished", ("anguish", 3)),
    (r"see-no-evil|hear-no-evil|speak-no-evil", ("embarrassment", 3)),
    (r"middle finger", ("outrage", 3)),
    (r"hundred points", ("satisfaction", 3)),
    (r"2nd place medal|3rd place medal|military medal|rosette", ("pride", 3)),
    (r"clinking glasses|bottle with popping cork|clinking beer mugs", ("jubilation", 3)),
    (r"wilted flower", ("sadness", 3)),
    (r"\brose\b|bouquet|holding hands", ("affection", 3)),
    (r"drooling", ("desire", 3)),
    (r"face savoring food|savouring", ("pleasure", 3)),
    (r"confused face", ("uneasiness", 3)),
    (r"dizzy face", ("astonishment", 3)),
    (r"thinking face|face with monocle", ("enthrallment", 3)),
    (r"cowboy hat face|smiling face with sunglasses", ("happiness", 3)),
    (r"smiling face with horns", ("spite", 3)),
    (r"smiling face with 3 hearts", ("affection", 3)),
    (r"winking|face with hand over mouth", ("amusement", 3)),
    (r"gesturing ok", ("satisfaction", 3)),
    (r"tears of joy|rolling on the floor laughing|squinting face with tongue", ("amusement", 3)),
    (r"broken heart", ("grief", 3)),
    (r"heart with arrow|smiling face with heart-eyes|heart-eyes|heart eyes", ("adoration", 3)),
    (r"face blowing a kiss|kissing|kiss", ("love", 3)),
    (r"smiling face with hearts|hugging|people hugging", ("affection", 3)),
    (r"star-struck|grinning face with star eyes", ("enthrallment", 3)),
    (r"face screaming in fear|screaming", ("horror", 3)),
    (r"anxious face with sweat|face with open mouth and cold sweat|downcast face with sweat",
     ("anxiety", 3)),
    (r"fearful", ("fear", 3)),
    (r"(?:person|man|woman) pouting", ("displeasure", 3)),
    (r"pouting|angry face|face with symbols on mouth|serious face with symbols|enraged|"
     r"anger symbol|angry", ("anger", 3)),
    (r"steam from nose|face with look of triumph", ("frustration", 3)),
    (r"loudly crying|crying|tears|teardrop", ("sadness", 3)),
    (r"pensive|disappointed|slightly frowning|frowning|sad", ("disappointment", 3)),
    (r"weary|tired face|persevering|confounded", ("distress", 3)),
    (r"unamused|rolling eyes|face with rolling eyes", ("annoyance", 3)),
    (r"nauseated|vomiting|face vomiting", ("disgust", 3)),
    (r"astonished|hushed|face with open mouth|exploding head|shocked face|flushed",
     ("astonishment", 3)),
    (r"grimacing", ("embarrassment", 3)),
    (r"facepalming|face palm", ("exasperation", 3)),
    (r"relieved", ("relief", 3)),
    (r"smirking", ("pride", 3)),
    (r"partying face|party popper|confetti ball", ("jubilation", 3)),
    (r"pleading face", ("longing", 3)),
    (r"worried|face with head-bandage", ("worry", 3)),
    (r"smiling face with halo|innocent", ("contentment", 3)),
    (r"zany|crazy face|winking face with tongue|stuck-out tongue|face with tongue",
     ("amusement", 3)),
    (r"grinning|beaming|smiling|smile|slightly smiling|grin|upside-down|wry smile", ("happiness", 3)),
    (r"laughing|joy", ("amusement", 3)),
    (r"thumbs up|ok hand|clapping|raising hands|victory hand|love-you gesture|sign of the horns|"
     r"flexed biceps|trophy|sports medal|1st place medal|glowing star", ("satisfaction", 3)),
    (r"thumbs down|gesturing no|face with no good gesture|(?:person|man|woman) pouting",
     ("displeasure", 3)),
    (r"(?:person|man|woman) frowning", ("dejection", 3)),
    (r"folded hands", ("hope", 3)),
    (r"(?:person|man|woman) bowing", ("regret", 3)),
    (r"crossed fingers|hand with index and middle fingers crossed", ("hope", 3)),
    (r"hearts?|love letter|cupid|couple with", ("affection", 3)),
    (r"skull and crossbones|ghost|skull", None),
]
# single words that carry the emotion in emoji names (tried after the phrases)
EMOJI_KEYWORDS = {
    "joy": ("amusement", 3), "laughing": ("amusement", 3), "tears": ("sadness", 3),
    "smiling": ("happiness", 3), "grinning": ("happiness", 3), "pouting": ("anger", 3),
    "fearful": ("fear", 3), "scared": ("fear", 3),
}

_SKIN = re.compile(r":? ?(light|medium-light|medium|medium-dark|dark) skin tone,?")
_STOP = {"face", "with", "of", "and", "the", "a", "an", "on", "in", "person", "man", "woman",
         "hand", "hands", "symbol", "sign", "mark", "eyes", "mouth", "open", "closed", "big",
         "small", "black", "white", "red", "blue", "heavy", "light", "medium", "dark", "skin",
         "tone", "button", "cat", "dog", "sweat", "cold", "high", "low", "up", "down"}


def concept_for_name(name: str, words: dict):
    """The concept key an emoji name points to, or None.

    ``words`` maps single words to lexicon rows (the built word vocabulary).
    """
    low = _SKIN.sub("", name.lower()).strip(" :,")
    for pattern, key in EMOJI_PHRASES:
        if re.search(rf"\b(?:{pattern})\b", low):
            return key
    tokens = re.findall(r"[a-z]+(?:-[a-z]+)*", low)
    for tok in tokens:
        if tok in EMOJI_KEYWORDS:
            return EMOJI_KEYWORDS[tok]
    for tok in tokens:
        if tok in _STOP or len(tok) < 4:
            continue
        row = words.get(tok)
        if row is not None and row.weight >= 0.8:
            return (row.concept, row.tier)
    return None


def candidate_emoji(vader_emoji: str | os.PathLike | None) -> list[tuple[str, str, str]]:
    """(emoji, name, source) for every emoji we can name, sorted by emoji."""
    out: dict = {}
    if vader_emoji is not None and Path(vader_emoji).is_file():
        data = json.loads(Path(vader_emoji).read_text(encoding="utf-8"))
        for char, desc in data.items():
            out[char] = (desc, "vader-emoji")
    ranges = [(0x1F300, 0x1FAFF), (0x2600, 0x27BF), (0x2190, 0x21FF), (0x2B00, 0x2BFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            char = chr(cp)
            try:
                name = unicodedata.name(char)
            except ValueError:
                continue
            if char not in out:
                out[char] = (name.lower(), "unicode-cldr-name")
    return [(char, desc, src) for char, (desc, src) in sorted(out.items())]


def emoji_rows(words: dict, tree, vader_emoji=None) -> list[LexiconRow]:
    """Lexicon rows for emoji whose names carry an emotion."""
    rows = []
    for char, name, source in candidate_emoji(vader_emoji):
        key = concept_for_name(name, words)
        if key is None or key not in tree.parents:
            continue
        weight = 0.8 if source == "vader-emoji" else 0.7
        rows.append(LexiconRow(char, key[0], key[1], weight, "", "emoji", source, weight,
                               "auto"))
    return rows


def emoticon_rows(curated_rows) -> list[LexiconRow]:
    """Curated emoticon rows (from ``lexicons/en/curated.tsv``, kind ``emoticon``)."""
    return [LexiconRow(term, concept, tier, float(weight), "", "emoticon", "curated",
                       float(weight), "accepted")
            for term, concept, tier, kind, weight, _note in curated_rows if kind == "emoticon"]
