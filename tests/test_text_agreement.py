"""Token agreement between tone.text.tokenize and spacy.blank("en").

Agreement = share of spaCy tokens (whitespace tokens excluded) whose exact
(start, end) character span is also a tone token span. Corpora come from
../shared/data (or $TONE_SHARED_DATA): the Gutenberg texts split into paragraphs
and a 20k sample of GoEmotions train texts.

Run ``python tests/test_text_agreement.py`` to print the top disagreement patterns.
"""

from __future__ import annotations

import collections
import csv
import os
from pathlib import Path

import pytest


def shared_data() -> Path:
    env = os.environ.get("TONE_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


DATA = shared_data()
GUTENBERG = DATA / "gutenberg"
GOEMOTIONS = DATA / "goemotions" / "original" / "train.tsv"
N_GOEMOTIONS = 20_000

pytestmark = pytest.mark.shared


def gutenberg_paragraphs() -> list[str]:
    out: list[str] = []
    for p in sorted(GUTENBERG.glob("*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        out.extend(par for par in text.split("\n\n") if par.strip())
    return out


def goemotions_texts(n: int = N_GOEMOTIONS) -> list[str]:
    # columns: text, comma-separated label ids, comment id; no header row
    with GOEMOTIONS.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r[0] for _, r in zip(range(n), rows)]


def agreement(texts: list[str], examples: int = 0):
    """(agreement, n_spacy_tokens, Counter of (spaCy token, tone tokens covering it))."""
    import spacy

    from tone.text import tokenize

    tok = spacy.blank("en").tokenizer
    tok.max_cache_size = 1 << 20
    b = tokenize(texts)
    total = hit = 0
    bad: collections.Counter = collections.Counter()
    for d, text in enumerate(texts):
        ours = set(b.doc_spans(d))
        for w in tok(text):
            if w.is_space:
                continue
            span = (w.idx, w.idx + len(w.text))
            total += 1
            if span in ours:
                hit += 1
            elif examples:
                cover = tuple(text[s:e] for s, e in ours if s < span[1] and e > span[0])
                bad[(w.text, tuple(sorted(cover, key=lambda x: text.find(x))))] += 1
    return hit / max(total, 1), total, bad


def _report(name: str, texts: list[str]) -> float:
    rate, total, bad = agreement(texts, examples=1)
    print("\n%s: agreement %.4f%% over %d spaCy tokens" % (name, 100 * rate, total))
    for (w, cover), c in bad.most_common(15):
        print("   %5d  spaCy %r  tone %r" % (c, w, cover))
    return rate


@pytest.mark.skipif(not GUTENBERG.is_dir(), reason="no shared data at %s (set TONE_SHARED_DATA)" % GUTENBERG)
def test_agreement_gutenberg():
    assert _report("gutenberg", gutenberg_paragraphs()) >= 0.99


@pytest.mark.skipif(not GOEMOTIONS.is_file(), reason="no shared data at %s (set TONE_SHARED_DATA)" % GOEMOTIONS)
def test_agreement_goemotions():
    assert _report("goemotions", goemotions_texts()) >= 0.99


if __name__ == "__main__":  # pragma: no cover
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    for name, texts in (("gutenberg", gutenberg_paragraphs()), ("goemotions", goemotions_texts())):
        rate, total, bad = agreement(texts, examples=1)
        print("%s: %.4f%% of %d" % (name, 100 * rate, total))
        for (w, cover), c in bad.most_common(n):
            print("   %5d  spaCy %r  tone %r" % (c, w, cover))
