"""Lexicon statistics: per-concept counts, ambiguity, overlap and corpus coverage.

Coverage uses a deliberately simple matcher (lowercase; word tokens, emoji and emoticons;
phrases of up to 6 tokens); the real matcher lives in tone.lexicon.

>>> from tone.lexicon.rows import LexiconRow
>>> rows = [LexiconRow("happy", "happiness", 3, 1.0), LexiconRow("fed up", "anger", 3, 0.9)]
>>> index = TermIndex(rows)
>>> sorted(index.match("I am so HAPPY but fed up :)"))
['fed up', 'happy']
>>> coverage(["so happy", "nothing here"], rows)
0.5
"""
from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from tone.lexicon.rows import LexiconRow, read_lexicon

__all__ = ["TermIndex", "coverage", "stats", "goemotions_coverage", "missed_words"]

_TOKEN = re.compile(r"[a-z0-9]+(?:['’\-][a-z0-9]+)*|#[a-z0-9_]+|[^\sa-z0-9]+")


class TermIndex:
    """Lowercase token/phrase lookup over lexicon rows (for statistics, not for speed)."""

    def __init__(self, rows: Iterable[LexiconRow], max_len: int = 6):
        self.terms = {}
        self.max_len = max_len
        self.symbols = set()
        for row in rows:
            term = row.term if row.kind in ("emoji", "emoticon") else row.term.lower()
            self.terms.setdefault(term, []).append(row)
            if row.kind in ("emoji", "emoticon"):
                self.symbols.add(term)

    def match(self, text: str) -> set:
        """The set of terms found in ``text``."""
        found = set()
        for sym in self.symbols:
            if sym in text:
                found.add(sym)
        toks = [t.replace("’", "'") for t in _TOKEN.findall(text.lower())]
        for i in range(len(toks)):
            for n in range(1, self.max_len + 1):
                if i + n > len(toks):
                    break
                cand = " ".join(toks[i:i + n])
                if cand in self.terms:
                    found.add(cand)
        return found


def coverage(texts: Iterable[str], rows, index: TermIndex | None = None) -> float:
    """Share of ``texts`` with at least one lexicon match."""
    index = index or TermIndex(rows)
    total = hit = 0
    for text in texts:
        total += 1
        hit += bool(index.match(text))
    return hit / total if total else 0.0


def goemotions_coverage(lexicon: str | os.PathLike, goemotions_tsv: str | os.PathLike,
                        neutral_id: int = 27) -> dict:
    """Coverage on a GoEmotions split: all texts, non-neutral texts, and the top terms."""
    rows = [r for r in read_lexicon(lexicon) if r.status != "rejected"]
    index = TermIndex(rows)
    counts = Counter()
    n_all = n_emo = hit_all = hit_emo = 0
    for line in Path(goemotions_tsv).read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 2:
            continue
        labels = {int(x) for x in cells[1].split(",") if x.strip().isdigit()}
        found = index.match(cells[0])
        counts.update(found)
        n_all += 1
        hit_all += bool(found)
        if labels - {neutral_id}:
            n_emo += 1
            hit_emo += bool(found)
    return {"texts": n_all, "coverage_all": hit_all / max(n_all, 1),
            "non_neutral_texts": n_emo, "coverage_non_neutral": hit_emo / max(n_emo, 1),
            "top_terms": counts.most_common(30)}


def stats(lexicon: str | os.PathLike | None = None, corpus: str | os.PathLike | None = None
          ) -> dict:
    """Per-concept counts, kinds, ambiguity (terms with several concepts) and overlap.

    ``corpus``: a text file (one document per line) or a GoEmotions TSV for coverage.
    """
    from tone._resources import data_dir

    path = Path(lexicon) if lexicon else data_dir("lexicons") / "en" / "lexicon.tsv"
    rows = [r for r in read_lexicon(path) if r.status != "rejected"]
    per_concept: dict = defaultdict(Counter)
    concepts_of_term: dict = defaultdict(set)
    for row in rows:
        per_concept[(row.concept, row.tier)][row.kind] += 1
        concepts_of_term[row.term].add((row.concept, row.tier))
    ambiguous = {t: sorted(c) for t, c in concepts_of_term.items() if len(c) > 1}
    overlap: Counter = Counter()
    for cs in concepts_of_term.values():
        cs = sorted(cs)
        for i in range(len(cs)):
            for j in range(i + 1, len(cs)):
                overlap[(cs[i], cs[j])] += 1
    out = {
        "rows": len(rows),
        "kinds": dict(sorted(Counter(r.kind for r in rows).items())),
        "concepts": len(per_concept),
        "per_concept": {f"{k[0]}@{k[1]}": dict(v) for k, v in
                        sorted(per_concept.items(), key=lambda kv: (kv[0][1], kv[0][0]))},
        "ambiguous_terms": len(ambiguous),
        "top_overlaps": [(f"{a[0]}@{a[1]}", f"{b[0]}@{b[1]}", n)
                         for (a, b), n in overlap.most_common(10)],
        "sources": dict(sorted(Counter(r.source.split(":")[0] for r in rows).items())),
    }
    if corpus is not None:
        corpus = Path(corpus)
        first = corpus.read_text(encoding="utf-8").split("\n", 1)[0]
        if corpus.suffix == ".tsv" and len(first.split("\t")) >= 2:
            out["coverage"] = goemotions_coverage(path, corpus)
        else:
            texts = corpus.read_text(encoding="utf-8").splitlines()
            out["coverage"] = {"texts": len(texts), "coverage_all": coverage(texts, rows)}
    return out


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def missed_words(split: str = "dev", min_corpora: int = 3, annotator=None,
                 corpora: Iterable[str] | None = None, root=None, top: int = 200) -> list[dict]:
    """Candidate vocabulary: the words of the documents tone misses, across corpora.

    A document is *missed* when its gold label is an emotion (not neutral, not the empty set)
    and tone finds no evidence in it. Per corpus of the development suite (``split`` ``dev``:
    never tune on test), each lowercase word's document frequency among the missed documents is
    taken as a share of them; words found in at least ``min_corpora`` corpora are ranked by the
    mean share over the corpora (stopwords left out). The list is for a person to curate (only
    genuinely affective words, each placed under a concept in ``curated.tsv``), not to be
    added as is: event words (*died*, *accident*) are frequent here too.

    Returns ``[{"word", "corpora", "share", "per_corpus": {name: docs}}]``, best first.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    from tone.evaluate import read_dataset
    from tone.evaluate_suite import SUITE

    if annotator is None:
        from tone.annotator import Annotator

        annotator = Annotator()
    per_word: dict = defaultdict(dict)
    for name in corpora or SUITE:
        data = read_dataset(name, split, root=root)
        missed = [text for text, gold, result in
                  zip(data.texts, data.labels, annotator.pipe(data.texts))
                  if [g for g in gold if g != "neutral"] and not result.has_evidence]
        df: Counter = Counter()
        for text in missed:
            df.update({w for w in _WORD.findall(text.lower().replace("’", "'"))
                       if len(w) > 2 and w not in STOP_WORDS})
        for word, n in df.items():
            per_word[word][name] = (n, n / max(len(missed), 1))
    n_corpora = len(list(corpora or SUITE))
    out = [{"word": w, "corpora": len(c),
            "share": round(sum(s for _n, s in c.values()) / n_corpora, 5),
            "per_corpus": {k: n for k, (n, _s) in sorted(c.items())}}
           for w, c in per_word.items() if len(c) >= min_corpora]
    out.sort(key=lambda d: (-d["share"], d["word"]))
    return out[:top]
