"""Build the English emotion lexicon from seeds, WordNet 3.0, spaCy lookups, Unicode and VADER.

The pipeline (each threshold is a module constant, documented in ``lexicons/README.md``):

1. **Seeds.** Each tertiary concept starts from its label's emotional WordNet senses
   (``ontology/senses.tsv`` overrides the sense where the first one is wrong).
2. **Spread.** Evidence spreads over WordNet's lexical links between emotional synsets
   (:class:`tone.vocab.wordnet.EmotionGraph`): synonyms, derivations (anger / angry / angrily),
   attributes, pertainyms, similar-to, also-see and on-topic hyponyms, each hop multiplying the
   score by its weight; gloss words of the seed senses join at :data:`GLOSS_WEIGHT`.
3. **Filters.** Stopwords go; a word whose emotional senses carry less than
   :data:`MIN_EMOTIONAL_SHARE` of its usage (SemCor tag counts) goes (``blue``, ``cross``).
4. **Resolve.** A term proposed for several concepts goes to the best-scoring one, after a
   gloss-overlap similarity bonus (or a user similarity provider); when the runner-up is within
   :data:`AMBIGUITY_RATIO` the term moves up to the lowest common ancestor, or is dropped when
   the two sit under different primaries.
5. **Curated** rows (``lexicons/en/curated.tsv``) and **review** decisions
   (``lexicons/en/review.tsv``) override the automatic result.
6. **Evaluative words** (approval / disapproval) from VADER's ratings (:func:`evaluative_rows`),
   **derived forms** (-ly, -ness) of words the graph did not reach (:func:`derived_forms`).
7. **Inflections** from spaCy's ``en_lemma_lookup`` (inverted; by part of speech,
   :func:`inflect`), **person variants** of verb phrases (:func:`person_variants`), spelling
   variants, **emoji** from Unicode names and VADER's emoji descriptions, **emoticons** from the
   curated list, and hashtags.

The output is sorted, so a rebuild with the same inputs reproduces the files byte for byte.
"""
from __future__ import annotations

import functools
import gzip
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tone._resources import data_dir
from tone.errors import DataFileError, require
from tone.lexicon.rows import LexiconRow, read_lexicon, write_lexicon
from tone.vocab.concepts import ConceptTree, load_concepts, shared_data_dir

__all__ = ["build", "BuildResult", "Candidate", "LICENCE_HEADER", "MIN_EMOTIONAL_SHARE",
           "AMBIGUITY_RATIO", "GLOSS_WEIGHT", "NEGATOR_IDIOMS", "MIN_SCORE", "INFLECTION_FACTOR",
           "EVALUATIVE_MIN_VALENCE", "EVALUATIVE_FACTOR", "evaluative_rows", "inflect",
           "derived_forms", "person_variants", "block_rows", "HASHTAG_FACTOR"]

MIN_EMOTIONAL_SHARE = 0.25   # emotional senses' share of a word's tagged usage
AMBIGUITY_RATIO = 0.93       # runner-up / best score at or above this -> coarser tier or drop
GLOSS_WEIGHT = 0.4           # a word from the gloss of a seed sense
MIN_SCORE = 0.3              # candidates scoring below this are not kept
INFLECTION_FACTOR = 0.95     # an inflected form's weight relative to its lemma
HASHTAG_FACTOR = 0.9         # every single word also ships as #word, at this share of its weight
SPELLING_FACTOR = 0.95       # a spelling variant's weight relative to its source word
MODIFIER_CLASSES = ("intensifier", "diminisher", "negator")  # no phrase may start with one
# Fixed expressions that begin with a negator but mean something of their own (confusion,
# disbelief): "not sure" is not the negation of "sure". Only these may keep a negator prefix;
# their concept and weight come from curated.tsv (lexicons/README.md, "Negator idioms").
NEGATOR_IDIOMS = frozenset({
    "not sure", "no idea", "no clue", "can't believe", "cannot believe", "cant believe",
    "don't understand", "dont understand", "do not understand", "doesn't make sense",
    "doesnt make sense", "does not make sense", "don't get it", "dont get it", "never knew",
})
SIMILARITY_BONUS = 0.08      # added score per unit of term-concept similarity in [0, 1]
# Evaluative words (approval / disapproval): adjectives and adverbs of VADER's lexicon
# (lexicons/en/valence.tsv) that name no emotion but judge (ugly, unfair, helpful, honestly).
EVALUATIVE_MIN_VALENCE = 0.4   # |VADER mean rating / 4| at least this
EVALUATIVE_FACTOR = 0.5        # weight = factor * |valence|: at most curated "good" (0.5)
# WordNet lexicographer files of evaluative words (adjectives, adverbs, quality nouns, verbs of
# judging: praise, criticize) holding ...
EVALUATIVE_LEXNAMES = ("adj.all", "adj.pert", "adj.ppl", "adv.all", "noun.attribute",
                       "verb.communication")
EVALUATIVE_MIN_POS_SHARE = 0.5  # ... at least this share of the word's SemCor usage
EVALUATIVE_MAX_LOGPROB = -7.5  # more frequent words (spaCy en_lexeme_prob) are left out: their
                               # evaluative sense is diluted (better, pretty: the 178 most
                               # frequent alphabetic forms), chosen on GoEmotions/MELD train
EVALUATIVE_CONCEPTS = {1: ("satisfaction", 3), -1: ("displeasure", 3)}  # approval, disapproval
DERIVED_FACTOR = 0.85         # -ly adverb / -ness noun of a lexicon word, x its weight
PERSON_FACTOR = 0.95          # a person variant's weight (break my heart -> break her heart)
SEED_SCORE = 1.0
FRAME_VERBS = ("feel", "feeling", "feels", "felt")  # copular frames for emotion adjectives
FRAME_MIN_WEIGHT = 0.6

LICENCE_HEADER = [
    "tone English emotion lexicon (lexicons/en/lexicon.tsv), generated by tone.vocab.build;",
    "see lexicons/README.md for the method, thresholds and sources. Do not edit by hand:",
    "record decisions in lexicons/en/review.tsv and rebuild.",
    "",
    "Sources and licences:",
    "* wordnet-3.0:* rows derive from Princeton WordNet 3.0. WordNet 3.0 Copyright 2006 by",
    "  Princeton University. All rights reserved. Permission to use, copy, modify and distribute",
    "  this software and database and its documentation for any purpose and without fee or",
    "  royalty is hereby granted, provided that you agree to comply with the following copyright",
    "  notice and statements, including the disclaimer, and that the same appear on ALL copies of",
    "  the software, database and documentation, including modifications that you make for",
    "  internal use or for distribution. THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\" AND",
    "  PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name",
    "  of Princeton University or Princeton may not be used in advertising or publicity",
    "  pertaining to distribution of the software and/or database. Title to copyright in this",
    "  software, database and any associated documentation shall at all times remain with",
    "  Princeton University and LICENSEE agrees to preserve same.",
    "* spacy-lookups:* inflections come from spacy-lookups-data (MIT License, Copyright (c)",
    "  2019 ExplosionAI GmbH).",
    "* vader-emoji rows use emoji descriptions, and vader-evaluative rows the word ratings",
    "  (lexicons/en/valence.tsv), from VADER (MIT License, Copyright (c) 2016",
    "  C.J. Hutto; https://github.com/cjhutto/vaderSentiment). Hutto, C.J. & Gilbert, E.E.",
    "  (2014). VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media",
    "  Text. ICWSM-14.",
    "* unicode-cldr-name rows use Unicode character names (Unicode Data Files, Copyright (c)",
    "  1991-2024 Unicode, Inc., Unicode License v3: permission is granted to use, copy, modify",
    "  and distribute the data files, provided this copyright and permission notice appear).",
    "* curated rows and derived-hashtag/-phrase/-spelling/-person rows are the tone project's",
    "  own work (Apache-2.0).",
    "No row comes from NRC EmoLex/VAD/Intensity, Warriner et al., DepecheMood or any other",
    "resource that may not be redistributed.",
]


@dataclass
class Candidate:
    """One proposed (term, concept) pair with its evidence."""

    term: str
    concept: tuple
    score: float
    pos: str
    kind: str
    source: str
    evidence: str


@dataclass
class BuildResult:
    """What :func:`build` produced: the lexicon rows, every candidate and its fate."""

    rows: list
    candidates: list = field(default_factory=list)  # (Candidate, decision, margin)
    paths: dict = field(default_factory=dict)

    def counts(self) -> dict:
        by_kind: dict = defaultdict(int)
        for row in self.rows:
            by_kind[row.kind] += 1
        return {"rows": len(self.rows), **dict(sorted(by_kind.items()))}


_WORD_RE = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


def _stopwords() -> frozenset:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy is a core dependency
        STOP_WORDS = set()
    return frozenset(STOP_WORDS) | {"feeling", "emotion", "state", "sense", "feel", "quality",
                                    "strong", "great", "intense", "deep", "extreme"}


MIN_FORM_LOGPROB = -17.5     # an inflected form must be this frequent (spaCy en_lexeme_prob)
_IRREGULAR_HEADS = {"be": ["am", "are", "is", "was", "were", "been", "being"],
                    "have": ["has", "had", "having"]}


def _lemma_forms() -> dict:
    """lemma -> sorted inflected forms, inverted from spaCy's ``en_lemma_lookup``.

    A form is kept only when spaCy's ``en_lexeme_prob`` knows it with a log probability of at
    least :data:`MIN_FORM_LOGPROB` (the lookup table has noise such as "lividder", "wass").
    """
    return _lemma_tables()[1]


def _lemma_tables() -> tuple[dict, dict]:
    """(form -> lemma, lemma -> sorted inflected forms) from spaCy's ``en_lemma_lookup``; the
    inverted table keeps only attested forms (see :func:`_lemma_forms`)."""
    from tone.text._tables import lemma_source

    with gzip.open(lemma_source(), "rt", encoding="utf-8") as fh:  # spacy-lookups-data's copy
        table = json.load(fh)
    prob = _lexeme_prob()
    inverted: dict = defaultdict(set)
    for form, lemma in table.items():
        if form != lemma and form.isalpha() and form.islower() and lemma.isalpha() \
                and prob.get(form, -99.0) >= MIN_FORM_LOGPROB:
            inverted[lemma].add(form)
    out = {lemma: sorted(forms) for lemma, forms in inverted.items()}
    out.update(_IRREGULAR_HEADS)
    return table, out


_COMPARATIVE = re.compile(r"(?:er|est)$")
_OBJECT_PRONOUNS = frozenset({"me", "my", "us", "our", "you", "your", "him", "his", "her",
                              "them", "their"})
_AUXILIARIES = frozenset({"be", "do", "have"})


def inflect(term: str, pos: str, kind: str, source: str, forms: dict, lookup: dict,
            verb_share: Callable[[str], float]) -> tuple[str, list[str]]:
    """``(lemma, new terms)``: the inflected forms of a lexicon term, by its part of speech.

    * a single word: adjectives (``pos`` a) take only comparative and superlative forms
      (happier, saddest; spaCy's table also lists verb and noun forms of the same spelling:
      tendered, sores), adverbs none, nouns, verbs and untagged words every form;
    * a WordNet phrase tagged as a verb: its first word's forms (freak out -> freaked out);
    * a curated phrase whose first word is an *inflected* verb form followed by an object
      pronoun (cracked me up, drives me crazy, lost my temper: spaCy's lookup maps the head to
      another lemma, a verb in most of its SemCor uses, and not be/do/have): the lemma and its
      other forms (lose/loses/losing my temper). A base-form head is mostly an imperative or a
      formula (take care, tell me more, give me a break), whose inflections mean something
      else (took care of it, gave me a break), and a head without an object may be an
      adjective (scared of, fed up, turned on); those stay as written.

    >>> forms = {"lose": ["loses", "losing", "lost"], "happy": ["happier"], "tender": ["tendered"]}
    >>> inflect("lost my temper", "", "phrase", "curated", forms, {"lost": "lose"}, lambda w: 1.0)
    ('lose', ['lose my temper', 'loses my temper', 'losing my temper'])
    >>> inflect("fed up", "", "phrase", "curated", forms, {"fed": "feed"}, lambda w: 1.0)
    ('fed', [])
    >>> inflect("happy", "a", "word", "x", forms, {}, None)
    ('happy', ['happier'])
    >>> inflect("tender", "a", "word", "x", forms, {}, None)
    ('tender', [])
    """
    words = term.split(" ")
    head, rest = words[0], words[1:]
    if kind == "word" and len(words) == 1:
        if pos == "r":
            return head, []
        out = forms.get(head, ())
        if pos == "a":
            out = [f for f in out if _COMPARATIVE.search(f)]
        return head, list(out)
    if kind != "phrase":
        return head, []
    if pos == "v":
        return head, [" ".join([f] + rest) for f in forms.get(head, ())]
    if source == "curated" and not pos and rest and rest[0] in _OBJECT_PRONOUNS:
        lemma = lookup.get(head, head)
        if lemma != head and head.isalpha() and lemma.isalpha() \
                and lemma not in _AUXILIARIES and verb_share(lemma) >= 0.5:
            return lemma, [" ".join([f] + rest) for f in [lemma, *forms.get(lemma, ())]
                           if f != head]
    return head, []


def _lexeme_prob() -> dict:
    spacy_lookups_data = require("spacy_lookups_data", "vocab",
                                 "The lexicon builder (spelling variants)")

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "en_lexeme_prob.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


# US <-> UK spelling rules (suffix, replacement), tried in both directions on whole words.
_SPELLING_RULES = (
    ("our", "or"), ("ours", "ors"), ("oured", "ored"), ("ouring", "oring"), ("ourite", "orite"),
    ("ourable", "orable"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"), ("ising", "izing"),
    ("isation", "ization"), ("yse", "yze"), ("ysed", "yzed"), ("ysing", "yzing"),
    ("lled", "led"), ("lling", "ling"), ("ller", "ler"), ("tre", "ter"), ("ogue", "og"),
)


def spelling_variants(word: str, prob: dict) -> list[str]:
    """Attested spelling variants of ``word``: US/UK (humour/humor, apologise/apologize,
    travelled/traveled) and the social-media g-dropping of ``-ing`` (lovin, cryin').

    A variant is kept only when spaCy's ``en_lexeme_prob`` knows it with a log probability of
    at least :data:`MIN_FORM_LOGPROB`.

    >>> spelling_variants("humour", {"humor": -12.0})
    ['humor']
    >>> spelling_variants("loving", {"lovin": -14.0, "lovin'": -20.0})
    ['lovin']
    """
    out = set()
    for a, b in _SPELLING_RULES:
        for src, dst in ((a, b), (b, a)):
            if word.endswith(src) and len(word) > len(src) + 2:
                out.add(word[: -len(src)] + dst)
    if word.endswith("ing") and len(word) > 5:
        out.update({word[:-1], word[:-1] + "'"})
    return sorted(v for v in out if v != word and prob.get(v, -99.0) >= MIN_FORM_LOGPROB)


def evaluative_rows(valence: Iterable[tuple], taken: Iterable[str], shares: Callable[[str], dict],
                    exclude: frozenset = frozenset(), prob: dict | None = None) -> list[LexiconRow]:
    """Approval / disapproval rows for evaluative words of the valence list.

    A word of VADER's lexicon (``lexicons/en/valence.tsv``: ``(term, valence, source)``) with
    ``|valence| >=`` :data:`EVALUATIVE_MIN_VALENCE`, less frequent than
    :data:`EVALUATIVE_MAX_LOGPROB` (``prob``: spaCy's ``en_lexeme_prob``), that is an
    evaluative adjective, adverb, quality noun or verb of judging (:data:`EVALUATIVE_LEXNAMES`)
    in at least :data:`EVALUATIVE_MIN_POS_SHARE` of its WordNet usage (``shares(term)``:
    lexicographer file -> share) and not yet a term (``taken``) nor in ``exclude`` (stopwords,
    rule cues, reviewed terms) goes to ``satisfaction``@3 when positive (approval: GoEmotions'
    *approval*, *admiration*), ``displeasure``@3 when negative (disapproval), with weight
    :data:`EVALUATIVE_FACTOR` x |valence|.

    >>> shares = {"ugly": {"adj.all": 1.0}, "party": {"noun.group": 1.0}}.get
    >>> [(r.term, r.concept, r.weight, r.pos) for r in evaluative_rows(
    ...     [("ugly", -0.575, "v"), ("party", 0.5, "v"), ("meh", -0.1, "v")], set(), shares)]
    [('ugly', 'displeasure', 0.287, 'a')]
    """
    taken = set(taken)
    out = []
    for term, value, _source in sorted(valence):
        if term in taken or term in exclude or abs(value) < EVALUATIVE_MIN_VALENCE \
                or len(term) < 3 or not (term.isascii() and term.isalpha() and term.islower()) \
                or (prob is not None and prob.get(term, -99.0) > EVALUATIVE_MAX_LOGPROB):
            continue
        share = shares(term) or {}
        if sum(share.get(k, 0.0) for k in EVALUATIVE_LEXNAMES) < EVALUATIVE_MIN_POS_SHARE:
            continue
        top = max(EVALUATIVE_LEXNAMES, key=lambda k: (share.get(k, 0.0), k == "adj.all"))
        pos = {"adj": "a", "adv": "r", "noun": "n", "verb": "v"}[top.split(".")[0]]
        concept, tier = EVALUATIVE_CONCEPTS[1 if value > 0 else -1]
        weight = round(EVALUATIVE_FACTOR * abs(value), 3)
        taken.add(term)
        out.append(LexiconRow(term, concept, tier, weight, pos, "word",
                              f"vader-evaluative:{value:g}", float(value), "auto"))
    return out


_POSSESSIVES = ("my", "your", "his", "her", "our", "their")
_OBJECTS = ("me", "you", "him", "her", "us", "them")
_PLACEHOLDERS = {"one's": _POSSESSIVES, "someone's": _POSSESSIVES, "somebody's": _POSSESSIVES,
                 "someone": _OBJECTS, "somebody": _OBJECTS}


def person_variants(term: str, verb_head: bool) -> list[str]:
    """The same phrase with the other persons.

    WordNet writes the possessor or object of a verb phrase as a placeholder that never occurs
    in text (*flip one's lid*, *break someone's heart*): it becomes each personal pronoun.
    A phrase whose verb (``verb_head``) has *me* or *my* as its object names the speaker as
    the experiencer (*drives me crazy*, *broke my heart*); the same emotion holds for the other
    persons (*drives them crazy*, *broke her heart*).

    >>> person_variants("flip one's lid", True)  # doctest: +NORMALIZE_WHITESPACE
    ['flip my lid', 'flip your lid', 'flip his lid', 'flip her lid', 'flip our lid',
     'flip their lid']
    >>> person_variants("drives me crazy", True)[:2], person_variants("oh my god", False)
    (['drives you crazy', 'drives him crazy'], [])
    """
    words = term.split(" ")
    for i, w in enumerate(words):
        if w in _PLACEHOLDERS:
            return [" ".join(words[:i] + [p] + words[i + 1:]) for p in _PLACEHOLDERS[w]]
    if verb_head and len(words) >= 2 and words[1] in ("me", "my"):
        persons = _OBJECTS if words[1] == "me" else _POSSESSIVES
        return [" ".join([words[0], p] + words[2:]) for p in persons if p != words[1]]
    return []


def derived_forms(word: str, wn, adverbs: dict) -> list[tuple[str, str, str]]:
    """``(form, pos, synset)``: the -ly adverbs and -ness nouns WordNet derives from ``word``.

    Adverbs are those whose pertainym is a lemma spelt ``word`` (``adverbs``: adjective ->
    ``[(adverb, synset name)]``, :func:`_adverb_index`); nouns are derivationally related
    forms of ``word``'s adjective senses. Only the two meaning-preserving suffixes count (a
    manner adverb, a quality noun: angry -> angrily, ugly -> ugliness; not active ->
    activity), and the form must keep the word's stem (all but its last two letters).
    """
    out = set()
    for form, synset in adverbs.get(word, ()):
        out.add((form, "r", synset))
    for s in wn.synsets(word.replace(" ", "_")):
        if s.pos() not in ("a", "s"):
            continue
        for lemma in s.lemmas():
            if lemma.name().lower() != word:
                continue
            for d in lemma.derivationally_related_forms():
                if d.synset().pos() == "n":
                    out.add((d.name().lower(), "n", d.synset().name()))
    keep = {}
    for form, pos, synset in sorted(out):
        suffix = "ly" if pos == "r" else "ness"
        if form.endswith(suffix) and form.isalpha() and form != word and form not in keep \
                and len(os.path.commonprefix([word, form])) >= len(word) - 2:
            keep[form] = (form, pos, synset)
    return list(keep.values())


@functools.lru_cache(maxsize=1)
def _adverb_index_cached(wn) -> dict:
    index: dict = defaultdict(list)
    for s in sorted(wn.all_synsets("r"), key=lambda x: x.name()):
        for lemma in s.lemmas():
            for p in lemma.pertainyms():
                index[p.name().lower()].append((lemma.name().lower(), s.name()))
    return dict(index)


# classes of modifiers.tsv that only the appraisal layer reads (tone.appraisal): their words
# may be emotion words too ("surprisingly", "shockingly"), so they are not rule cues here
APPRAISAL_CUE_CLASSES = frozenset({"unexpected"})


def _modifier_prefixes(path: Path, classes: tuple | None = MODIFIER_CLASSES) -> frozenset:
    """Intensifier, diminisher and negator cues of the rule engine (``modifiers.tsv``); every
    cue of the rule engine (not the appraisal layer's classes) when ``classes`` is None."""
    if not path.is_file():
        return frozenset()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and not line.startswith("#") and cells[1] != "class" \
                and (cells[1] in classes if classes is not None
                     else cells[1] not in APPRAISAL_CUE_CLASSES):
            out.add(cells[0].strip().lower())
    return frozenset(out)


def starts_with_modifier(term: str, cues: frozenset) -> bool:
    """True when a multiword ``term`` begins with a rule-engine cue ("so sad", "not happy").

    >>> starts_with_modifier("so sad", frozenset({"so", "kind of"}))
    True
    >>> starts_with_modifier("sad", frozenset({"so"})), starts_with_modifier("sober", {"so"})
    (False, False)
    """
    words = term.lower().split(" ")
    return any(" ".join(words[:n]) in cues for n in range(1, min(3, len(words) - 1) + 1))


def _read_senses(path: Path | None) -> dict:
    """label -> synset name overrides from ``ontology/senses.tsv``."""
    if path is None or not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        cells = line.split("\t")
        if len(cells) >= 2:
            out[cells[0].strip().lower()] = cells[1].strip()
    return out


CURATED_COLUMNS = ("term", "concept", "tier", "kind", "weight", "note")


def read_curated(path: str | os.PathLike) -> list[tuple]:
    """Rows of the hand-curated list: (term, concept, tier, kind, weight, note)."""
    out = []
    path = Path(path)
    header = False
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("# ") or line == "#":
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != CURATED_COLUMNS:
                raise DataFileError(f"expected the header row {chr(9).join(CURATED_COLUMNS)!r}",
                                    path=str(path), line=lineno, col=1)
            header = True
            continue
        if len(cells) != len(CURATED_COLUMNS):
            raise DataFileError(f"expected {len(CURATED_COLUMNS)} tab-separated columns "
                                f"({', '.join(CURATED_COLUMNS)}), got {len(cells)}",
                                path=str(path), line=lineno, col=1)
        term, concept, tier, kind, weight, note = cells
        if tier not in ("1", "2", "3"):
            raise DataFileError(f"expected tier 1, 2 or 3, got {tier!r}", path=str(path),
                                line=lineno, col=len(term) + len(concept) + 3)
        try:
            w = float(weight)
        except ValueError:
            raise DataFileError(f"expected a weight in (0, 1], got {weight!r}", path=str(path),
                                line=lineno, col=1) from None
        out.append((term, concept.lower(), int(tier), kind, w, note))
    return out


def _gloss_tokens(text: str, stop: frozenset) -> set:
    return {w for w in _WORD_RE.findall(text.lower()) if w not in stop and len(w) > 2}


def _pos_of(synset) -> str:
    return {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}[synset.pos()]


def _clean_term(name: str) -> str | None:
    if any(ch.isupper() or ch.isdigit() for ch in name):
        return None  # proper names and numbered senses do not belong in an emotion lexicon
    term = name.replace("_", " ").strip()
    if len(term) < 3 or "(" in term or "." in term:
        return None
    return term


def _default_paths(out_dir: Path) -> dict:
    return {
        "lexicon": out_dir / "lexicon.tsv",
        "candidates": out_dir / "candidates.tsv",
        "review": out_dir / "review.tsv",
        "curated": out_dir / "curated.tsv",
    }


def build(out_dir: str | os.PathLike | None = None, *, parrott: str | os.PathLike | None = None,
          review: str | os.PathLike | None = None, curated: str | os.PathLike | None = None,
          vader_emoji: str | os.PathLike | None = None,
          senses: str | os.PathLike | None = None,
          similarity: Callable[[str, tuple], float] | None = None,
          valence: str | os.PathLike | None = None,
          write: bool = True) -> BuildResult:
    """Build the lexicon and write ``lexicon.tsv`` and ``candidates.tsv`` into ``out_dir``.

    Parameters
    ----------
    out_dir : folder holding ``curated.tsv`` and ``review.tsv`` and receiving the output
        (default: the shipped ``lexicons/en``).
    parrott : Parrott tree TSV; default the ontology, else ``shared/data/parrott.tsv``.
    review, curated : override the review decisions / curated list paths.
    vader_emoji : VADER's ``vader_emoji_descriptions.json`` (MIT); without it emoji come from
        Unicode names only.
    senses : ``ontology/senses.tsv`` (sense overrides for concept labels).
    similarity : optional provider ``f(term, (label, tier)) -> [0, 1]`` (e.g. embeddings) used
        with the WordNet gloss overlap to place terms proposed for several concepts.
    valence : the valence word list (``valence.tsv``; default ``out_dir``'s, else the shipped
        one) whose adjectives and adverbs give the evaluative rows (:func:`evaluative_rows`).
    write : write the files (``False`` only returns the result).
    """
    from tone.vocab.emoji import emoji_rows, emoticon_rows
    from tone.vocab.review import apply_decisions, read_review
    from tone.vocab.wordnet import (
        EDGE_WEIGHTS,
        EmotionGraph,
        lexname_shares,
        load_wordnet,
        pos_shares,
    )

    out_dir = Path(out_dir) if out_dir is not None else data_dir("lexicons") / "en"
    paths = _default_paths(out_dir)
    if review is not None:
        paths["review"] = Path(review)
    if curated is not None:
        paths["curated"] = Path(curated)
    if senses is None:
        senses = data_dir("ontology") / "senses.tsv"
    if vader_emoji is None:
        shared = shared_data_dir()
        if shared is not None and (shared / "vader" / "vader_emoji_descriptions.json").is_file():
            vader_emoji = shared / "vader" / "vader_emoji_descriptions.json"

    tree = load_concepts(parrott)
    wn = load_wordnet()
    graph = EmotionGraph(wn)
    stop = _stopwords()
    overrides = _read_senses(Path(senses))
    tertiary = [k for k in tree.keys if k[1] == 3]
    labels3 = {k[0]: k for k in tertiary}

    # 1. seed senses per tertiary concept
    cores: dict = {}
    for key in tertiary:
        label = key[0]
        if label in overrides:
            syns = [wn.synset(overrides[label])]
        else:
            own = [s for s in wn.synsets(label.replace(" ", "_"))
                   if any(lm.name().lower() == label for lm in s.lemmas())]
            syns = [s for s in own if s in graph.core]
            if not syns:
                syns = [s for s in own if s in graph.nodes][:2]
            if not syns:
                syns = (own or wn.synsets(label))[:1]
        cores[key] = syns
    concept_gloss: dict = {}
    for key in tree.keys:
        words = set(tree.seeds.get(key, (key[0],)))
        for s in cores.get(key, []) or cores.get(labels3.get(key[0]), []):
            words |= _gloss_tokens(s.definition(), stop)
            words |= {lm.name().lower() for lm in s.lemmas()}
        concept_gloss[key] = words

    # 2. spread evidence
    cands: dict = defaultdict(dict)  # term -> concept -> Candidate

    def propose(c: Candidate) -> None:
        old = cands[c.term].get(c.concept)
        if old is None or (c.score, c.source) > (old.score, old.source):
            cands[c.term][c.concept] = c

    for key in tertiary:
        if not cores[key]:
            continue
        reached = graph.spread({s: SEED_SCORE for s in cores[key]}, floor=MIN_SCORE)
        for s in sorted(reached, key=lambda x: x.name()):
            score, path = reached[s]
            for lemma in s.lemmas():
                term = _clean_term(lemma.name())
                if term is None:
                    continue
                if term == key[0] and s in cores[key]:
                    sc, ev = SEED_SCORE, "seed"
                else:
                    sc = score * EDGE_WEIGHTS["synonym"] if s in cores[key] else score
                    ev = "synonym" if not path else "/".join(path)
                propose(Candidate(term, key, round(sc, 4), _pos_of(s),
                                  "phrase" if " " in term else "word",
                                  f"wordnet-3.0:{s.name()}", ev))
        for s in cores[key]:
            for w in sorted(_gloss_tokens(s.definition(), stop)):
                syns = [t for t in wn.synsets(w) if t in graph.core]
                if syns:
                    propose(Candidate(w, key, GLOSS_WEIGHT, _pos_of(syns[0]), "word",
                                      f"wordnet-3.0:{s.name()}", "gloss"))

    # 3. filters and 4. resolution
    share_cache: dict = {}

    def share(term: str) -> float:
        if term not in share_cache:
            share_cache[term] = graph.emotional_share(term)
        return share_cache[term]

    def sim(term: str, key: tuple) -> float:
        words = set()
        for s in wn.synsets(term.replace(" ", "_")):
            if s in graph.nodes:
                words |= _gloss_tokens(s.definition(), stop)
                words |= {lm.name().lower() for lm in s.lemmas()}
        target = concept_gloss.get(key, set())
        base = len(words & target) / (len(words | target) or 1)
        if similarity is not None:
            base = 0.5 * base + 0.5 * float(similarity(term, key))
        return base

    # the label family: words one derivation link from a tertiary's own label (jealousy ->
    # jealous, fury -> furious, rapture -> rapturous) stay with that concept
    family: dict = defaultdict(set)
    for label, key in labels3.items():
        for syn in wn.synsets(label.replace(" ", "_")):
            for lm in syn.lemmas():
                if lm.name().lower() != label:
                    continue
                for d in lm.derivationally_related_forms():
                    if d.synset() in graph.nodes and d.name().lower() != label:
                        family[d.name().lower().replace("_", " ")].add(key)

    log: list = []
    resolved: dict = {}  # term -> Candidate (concept possibly coarser)
    for term in sorted(cands):
        options = cands[term]
        is_seed = term in labels3
        fam = sorted(k for k in family.get(term, ()) if k in options)
        if not is_seed and len(fam) == 1 and term not in stop \
                and share(term) >= MIN_EMOTIONAL_SHARE:
            best = options[fam[0]]
            sh = share(term)
            weight = best.score * (0.7 + 0.3 * min(1.0, sh / 0.75))
            resolved[term] = Candidate(term, best.concept, round(min(1.0, weight), 3), best.pos,
                                       best.kind, best.source, best.evidence + "+label-family")
            for other in options.values():
                log.append((other, "kept:label-family" if other is best
                            else "dropped:label-family-elsewhere", 0.0))
            continue
        if is_seed:
            c = options.get(labels3[term]) or Candidate(term, labels3[term], SEED_SCORE, "n",
                                                       "word", "parrott", "seed")
            resolved[term] = c
            for other in options.values():
                log.append((other, "kept" if other is c else "dropped:seed-elsewhere", 0.0))
            continue
        if " " not in term and term in stop:
            for other in options.values():
                log.append((other, "dropped:stopword", 0.0))
            continue
        sh = share(term)
        if sh < MIN_EMOTIONAL_SHARE:
            for other in options.values():
                log.append((other, f"dropped:emotional-share={sh:.2f}", 0.0))
            continue
        ranked = sorted(options.values(),
                        key=lambda c: (-(c.score + SIMILARITY_BONUS * sim(term, c.concept)),
                                       c.concept))
        best = ranked[0]
        top = best.score + SIMILARITY_BONUS * sim(term, best.concept)
        margin = 0.0
        chosen = best
        if len(ranked) > 1:
            second = ranked[1]
            runner = second.score + SIMILARITY_BONUS * sim(term, second.concept)
            margin = runner / top if top else 1.0
            if margin >= AMBIGUITY_RATIO:
                anc = tree.lca(best.concept, second.concept)
                for extra in ranked[2:]:
                    extra_score = extra.score + SIMILARITY_BONUS * sim(term, extra.concept)
                    if anc is not None and extra_score / top >= AMBIGUITY_RATIO:
                        anc = tree.lca(anc, extra.concept)
                if anc is None:
                    for other in ranked:
                        log.append((other, "dropped:ambiguous-across-primaries", margin))
                    continue
                chosen = Candidate(term, anc, best.score, best.pos, best.kind, best.source,
                                   best.evidence + f"+lca({best.concept[0]},{second.concept[0]})")
        weight = chosen.score * (0.7 + 0.3 * min(1.0, sh / 0.75))
        chosen = Candidate(chosen.term, chosen.concept, round(min(1.0, weight), 3), chosen.pos,
                           chosen.kind, chosen.source, chosen.evidence)
        resolved[term] = chosen
        for other in ranked:
            fate = "kept" if other is best else "dropped:lower-score"
            if other is best and chosen.concept != best.concept:
                fate = f"moved:{chosen.concept[0]}@{chosen.concept[1]}"
            log.append((other, fate, round(margin, 4)))

    rows: dict = {}
    for term, c in resolved.items():
        weight = SEED_SCORE if c.evidence == "seed" else max(0.05, min(1.0, c.score))
        rows[(term, c.concept)] = LexiconRow(term, c.concept[0], c.concept[1], float(weight),
                                             c.pos, c.kind, c.source, float(c.score), "auto")

    # 5. curated rows replace automatic rows for the same term
    curated_rows = read_curated(paths["curated"]) if paths["curated"].is_file() else []
    curated_terms = {r[0] for r in curated_rows if r[3] in ("word", "phrase", "wildcard")}
    rows = {k: v for k, v in rows.items() if k[0] not in curated_terms}
    for term, concept, tier, kind, weight, _note in curated_rows:
        if (concept, tier) not in tree.parents:
            raise DataFileError(f"curated row names an unknown concept {concept}@{tier}",
                                path=str(paths["curated"]))
        pos = ""
        rows[(term, (concept, tier))] = LexiconRow(term, concept, tier, float(weight), pos,
                                                   kind, "curated", float(weight), "accepted")

    # rejected rows go before anything is derived from them (inflections, variants, frames),
    # and moved rows move first, so what is derived from them follows (eager -> eagerly,
    # #eager, feel eager go where eager goes)
    decisions = read_review(paths["review"]) if paths["review"].is_file() else []
    for d in decisions:
        key = (d.term, (d.concept, d.tier))
        if d.decision == "reject":
            rows.pop(key, None)
        elif d.decision == "move" and key in rows and (d.target_concept, d.target_tier) \
                in tree.parents:
            row = rows.pop(key)
            rows[(d.term, (d.target_concept, d.target_tier))] = LexiconRow(
                row.term, d.target_concept, d.target_tier, row.weight, row.pos, row.kind,
                row.source, row.score, "moved")

    # evaluative words (approval / disapproval) from the valence list: adjectives and adverbs
    # that judge without naming an emotion (ugly, unfair, helpful); terms already placed and
    # terms a reviewer decided on keep their rows
    modifiers_path = out_dir / "modifiers.tsv"
    if not modifiers_path.is_file():
        modifiers_path = data_dir("lexicons") / "en" / "modifiers.tsv"
    cues = _modifier_prefixes(modifiers_path)
    valence_path = Path(valence) if valence is not None else out_dir / "valence.tsv"
    if not valence_path.is_file():
        valence_path = data_dir("lexicons") / "en" / "valence.tsv"
    if valence_path.is_file():
        from tone.vocab.valence import read_valence

        shares_cache: dict = {}

        def shares(term: str) -> dict:
            if term not in shares_cache:
                shares_cache[term] = lexname_shares(term, wn)
            return shares_cache[term]

        exclude = frozenset(stop | _modifier_prefixes(modifiers_path, None)
                            | {d.term for d in decisions})
        lookup = _lemma_tables()[0]
        placed = {k[0] for k in rows}
        # a form whose lemma is already a term is that term's inflection (tortured, dismaying)
        placed |= {t for t, _v, _s in read_valence(valence_path) if lookup.get(t) in placed}
        for row in evaluative_rows(read_valence(valence_path), placed, shares, exclude,
                                   _lexeme_prob()):
            rows[(row.term, (row.concept, row.tier))] = row

    # phrases that begin with an intensifier, diminisher or negator go: the rule engine applies
    # those modifiers itself, and a phrase that swallows "so" or "not" hides it from the rules
    for key in [k for k in rows if " " in k[0] and k[0] not in NEGATOR_IDIOMS
                and starts_with_modifier(k[0], cues)]:
        log.append((Candidate(key[0], key[1], rows[key].score, rows[key].pos, rows[key].kind,
                              rows[key].source, "curated"), "dropped:modifier-prefix", 0.0))
        del rows[key]

    # derived forms: -ly adverbs and -ness nouns (WordNet) of single words, unless the graph
    # already judged the form (it is a candidate) or it is a rule cue (awfully, terribly)
    prob = _lexeme_prob()
    cue_words = _modifier_prefixes(modifiers_path, None)
    reviewed = {d.term for d in decisions}
    adverbs = _adverb_index_cached(wn)
    taken = {k[0] for k in rows}
    derived: dict = {}
    for (term, key), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind != "word" or not term.isalpha():
            continue
        for form, pos, synset in derived_forms(term, wn, adverbs):
            if form in taken or form in derived or form in cands or form in stop \
                    or form in cue_words or form in reviewed \
                    or prob.get(form, -99.0) < MIN_FORM_LOGPROB:
                continue
            derived[form] = LexiconRow(form, row.concept, row.tier,
                                       round(row.weight * DERIVED_FACTOR, 3), pos, "word",
                                       f"wordnet-3.0:{synset}", row.score, "auto")
    for form, row in derived.items():
        rows[(form, (row.concept, row.tier))] = row

    # spelling variants (US/UK, g-dropping) of every single word, when attested
    taken = {k[0] for k in rows}
    for (term, key), row in sorted(list(rows.items()), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind != "word" or not term.isalpha():
            continue
        for var in spelling_variants(term, prob):
            if var in taken or var in stop:
                continue
            taken.add(var)
            rows[(var, key)] = LexiconRow(var, row.concept, row.tier,
                                          round(row.weight * SPELLING_FACTOR, 3), row.pos,
                                          "word", f"derived-spelling:{term}", row.score,
                                          row.status)

    # 6. inflections
    lookup, forms = _lemma_tables()
    inflected: dict = {}
    existing = {k[0] for k in rows}
    own_words: set = set()  # forms left out as words of their own ("lives"): see block_rows

    def verb_share(word: str) -> float:
        return pos_shares(word, wn).get("v", 0.0)

    for (term, key), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind not in ("word", "phrase"):
            continue
        words = term.split(" ")
        head, news = inflect(term, row.pos, row.kind, row.source, forms, lookup, verb_share)
        for new in news:
            form = new.split(" ")[0]
            if new in existing or new in inflected or (len(words) == 1 and form in stop):
                continue
            if len(words) == 1 and wn.synsets(form) and any(
                    lm.name().lower() == form for s in wn.synsets(form) for lm in s.lemmas()) \
                    and share(form) < MIN_EMOTIONAL_SHARE:
                own_words.add(form)
                continue  # the form is a word of its own with other meanings ("lives")
            inflected[new] = LexiconRow(new, row.concept, row.tier,
                                        round(row.weight * INFLECTION_FACTOR, 3), row.pos,
                                        row.kind, f"spacy-lookups:{head}",
                                        row.score, row.status)
    for new, row in inflected.items():
        rows[(new, (row.concept, row.tier))] = row

    # person variants: WordNet's placeholders (one's, someone) and the speaker as experiencer
    # (drives me crazy) in each person, for verb phrases whose head is inflected (see inflect)
    persons: dict = {}
    existing = {k[0] for k in rows}
    for (term, key), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind != "phrase":
            continue
        head = term.split(" ")[0]
        lemma = lookup.get(head, head)
        verb_head = head.isalpha() and lemma not in _AUXILIARIES and (
            row.source.startswith("spacy-lookups:") or lemma != head) and verb_share(lemma) >= 0.5
        for new in person_variants(term, verb_head):
            if new not in existing and new not in persons:
                persons[new] = LexiconRow(new, row.concept, row.tier,
                                          round(row.weight * PERSON_FACTOR, 3), row.pos, "phrase",
                                          f"derived-person:{term}", row.score, row.status)
    for new, row in persons.items():
        rows[(new, (row.concept, row.tier))] = row

    # copular frames for emotion adjectives: "feel angry", "feeling sad", "felt guilty"
    existing = {k[0] for k in rows}
    for (term, key), row in sorted(list(rows.items()), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind != "word" or row.weight < FRAME_MIN_WEIGHT or not term.isalpha():
            continue
        if row.pos != "a" and not (row.source == "curated" and wn.synsets(term, "a")):
            continue
        for verb in FRAME_VERBS:
            phrase = f"{verb} {term}"
            if phrase not in existing and phrase not in inflected:
                rows.setdefault((phrase, key), LexiconRow(
                    phrase, row.concept, row.tier, round(min(1.0, row.weight * 1.05), 3), "a",
                    "phrase", f"derived-phrase:{verb}+{term}", row.score, row.status))

    # spelling variants inside phrases (freaking out -> freakin out, feeling sad -> feelin
    # sad), one word at a time; not in phrases that keep WordNet's placeholders (one's)
    variants: dict = {}
    existing = {k[0] for k in rows}
    for (term, key), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind != "phrase":
            continue
        words = term.split(" ")
        if any(w in _PLACEHOLDERS for w in words):
            continue
        for i, word in enumerate(words):
            if not word.isalpha():
                continue
            for var in spelling_variants(word, prob):
                new = " ".join(words[:i] + [var] + words[i + 1:])
                if new not in existing and new not in variants:
                    variants[new] = LexiconRow(new, row.concept, row.tier,
                                               round(row.weight * SPELLING_FACTOR, 3), row.pos,
                                               "phrase", f"derived-spelling:{term}", row.score,
                                               row.status)
    for new, row in variants.items():
        rows[(new, (row.concept, row.tier))] = row

    # emoji, emoticons, hashtags
    word_index = {r.term: r for r in rows.values() if r.kind == "word"}
    for row in emoji_rows(word_index, tree, vader_emoji):
        rows.setdefault((row.term, (row.concept, row.tier)), row)
    for row in emoticon_rows(curated_rows):
        rows[(row.term, (row.concept, row.tier))] = row

    # review decisions
    final = apply_decisions(rows, decisions, tree)

    # hashtags of every single word, after the review, so that they follow its moves
    for (term, key), row in sorted(final.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if row.kind == "word" and term.isalpha():
            tag = "#" + term
            final.setdefault((tag, key), LexiconRow(tag, row.concept, row.tier,
                                                    round(row.weight * HASHTAG_FACTOR, 3), "",
                                                    "hashtag", f"derived-hashtag:{term}",
                                                    row.score, row.status))

    # blocked forms: a word the builder or a reviewer rejected must not come back through the
    # matcher's lemma fallback (agitated -> agitate)
    evidence: dict = defaultdict(set)  # term -> primaries of its own candidates
    for c, _fate, _margin in log:
        evidence[c.term].add(tree.primary(c.concept))
    # an inflection-looking form that is a word of its own: comparatives and plurals (number
    # -> numb, contents, broker); participles keep their verb's meaning in most uses
    # (thrilling, inspired), so their lemma route stays
    rejected = {t: set() for t in own_words if not t.endswith(("ed", "ing"))}
    rejected.update({d.term: set() for d in decisions if d.decision == "reject"})
    for term, primaries in evidence.items():
        rejected.setdefault(term, primaries)
    for row in block_rows(rejected, final.values(), lookup, tree.primary):
        final[(row.term, (row.concept, row.tier))] = row

    ordered = sorted(final.values(), key=lambda r: (r.tier, r.concept, r.kind, r.term))
    log.sort(key=lambda item: (item[0].term, item[0].concept[1], item[0].concept[0]))
    result = BuildResult(ordered, log, paths)
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_lexicon(ordered, paths["lexicon"], comments=LICENCE_HEADER)
        write_candidates(log, paths["candidates"])
    return result


def block_rows(rejected: dict, rows: Iterable[LexiconRow], lookup: dict,
               primary: Callable[[tuple], tuple]) -> list[LexiconRow]:
    """Rows (status ``rejected``, source ``derived-block:<lemma>``) that keep rejected words
    rejected.

    The matcher falls back to a token's lemma when its surface form is not a term
    (:mod:`tone.lexicon.match`), so a word the builder left out or a reviewer rejected would
    still reach its lemma's concept: *agitated* (WordNet's evidence: agitation, under anger;
    dropped for its small emotional share) -> *agitate* -> thrill (joy); *number* -> *numb*.
    ``rejected`` maps each rejected word to the primaries (``primary((label, tier))`` gives a
    concept's) of the builder's own evidence for it: empty for a reviewer's reject and for an
    inflection-looking form that is a word of its own (*number*, *contents*). For each such
    single word that is not a term of ``rows`` and whose lemma (``lookup``: spaCy's
    ``en_lemma_lookup``, the tokenizer's table) is a single-word term, one rejected row per
    concept of the lemma under *another* primary than the word's own evidence: where the two
    agree (*inspired* -> *inspire*, both joy) the lemma route says what the word means and
    stays. A compiled rejected row is a path without payload, which stops the fallback
    (:func:`tone.lexicon.compile.compile_lexicon`).

    >>> rows = [LexiconRow("agitate", "thrill", 3, 0.7, "v"), LexiconRow("inspire", "joy", 1, 0.7)]
    >>> tree = {("thrill", 3): ("joy", 1), ("agitation", 3): ("anger", 1), ("joy", 1): ("joy", 1)}
    >>> [(r.term, r.concept, r.status, r.source) for r in block_rows(
    ...     {"agitated": {("anger", 1)}, "inspired": {("joy", 1)}}, rows,
    ...     {"agitated": "agitate", "inspired": "inspire"}, tree.get)]
    [('agitated', 'thrill', 'rejected', 'derived-block:agitate')]
    """
    by_term: dict = defaultdict(list)
    for row in rows:
        by_term[row.term].append(row)
    out = []
    for term in sorted(rejected):
        if term in by_term or " " in term or not term.isalpha():
            continue
        lemma = lookup.get(term, term)
        for row in sorted(by_term.get(lemma, ()), key=lambda r: (r.tier, r.concept)):
            if lemma == term or row.kind != "word" or row.status == "rejected" \
                    or primary((row.concept, row.tier)) in rejected[term]:
                continue
            out.append(LexiconRow(term, row.concept, row.tier,
                                  round(row.weight * INFLECTION_FACTOR, 3), row.pos, "word",
                                  f"derived-block:{lemma}", row.score, "rejected"))
    return out


CANDIDATE_COLUMNS = ("term", "concept", "tier", "pos", "kind", "score", "source", "evidence",
                     "decision", "margin")


def write_candidates(log: Iterable[tuple], path: str | os.PathLike) -> None:
    """Write every automatic candidate with its evidence and what the builder did with it."""
    lines = ["# Every candidate the builder proposed, its evidence and its fate (decision).",
             "# margin: runner-up score / best score for the term (1.0 = a tie).",
             "\t".join(CANDIDATE_COLUMNS)]
    for c, decision, margin in log:
        lines.append("\t".join((c.term, c.concept[0], str(c.concept[1]), c.pos, c.kind,
                                repr(float(c.score)), c.source, c.evidence, decision,
                                repr(float(margin)))))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def read_candidates(path: str | os.PathLike) -> list[dict]:
    """The rows of ``candidates.tsv`` as dicts."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        if tuple(cells) == CANDIDATE_COLUMNS:
            continue
        out.append(dict(zip(CANDIDATE_COLUMNS, cells)))
    return out


_ = (read_lexicon, ConceptTree)
