"""The empathetic pack's vocabulary, built by method (maintainers; offline).

Each EmpatheticDialogues label gets an *anchor*: the tone concept whose strongest scheme link
(``ontology/mappings/empatheticdialogues.ttl`` and the pack's ``anchors.ttl``) goes to that
label, preferring a concept no other label reaches as strongly, then a tertiary, then an exact
link. Two sources then propose terms for the anchor:

1. **WordNet 3.0**: the lemmas of the label word's first two synsets of each part of speech,
   their ``similar_tos`` and derivationally related forms (``nostalgic`` -> ``nostalgia``,
   ``grateful`` -> ``thankful``, ``appreciative``); weight :data:`WORDNET_WEIGHT`.
2. **The train split only** (``train.csv``; the validation file is never read): each word, and
   each pair of adjacent words not both stop words ("job interview", "my dog"), found in at
   least :data:`MIN_COUNT` situations of which at least :data:`MIN_SHARE` (about 5x the 1/32
   chance) carry one label; the :data:`PER_LABEL` most frequent per label; weight = that share
   x :data:`SHARE_SCALE` (capped at 1). Stop words alone never qualify. The thresholds were
   chosen on the train split alone (``bench/tune_empathetic.py``: vocabulary from one half,
   scored on the other; ``bench/tune_empathetic.txt`` holds the runs).

A term proposed by both keeps the WordNet row. A term of the shipped lexicon is replaced (the
overlay replaces a term's rows) by a train row, or by a WordNet row when it is the label word or
a derivation of it (*confident*, *confidence*: the shipped lexicon reads *confident* as
satisfaction, which the scheme sends to *content*); WordNet's synonyms never replace it.

EmpatheticDialogues is CC BY-NC 4.0 and may not ship inside tone (``../shared/data/README.md``),
so the shipped pack holds the WordNet rows only; :func:`build_train_pack` (``tone packs build
empathetic-train OUT``) makes a user pack with the train rows from the user's own copy.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from ..lexicon.rows import LexiconRow, read_lexicon, write_lexicon

__all__ = ["anchors", "build_empathetic", "build_train_pack", "train_terms", "wordnet_terms"]

WORDNET_WEIGHT = 0.9
MIN_COUNT = 3
MIN_SHARE = 0.15
PER_LABEL = 200
SHARE_SCALE = 1.8
BIGRAMS = True
_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset(["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "i'm", "i've", "it's", "was", "got", "get", "went", "go", "going", "one", "really", "like", "day", "time", "also"])


def anchors(ontology) -> dict[str, tuple[str, int]]:
    """Label -> ``(concept label, tier)``: the concept its vocabulary points at, a tertiary
    unless only a secondary is linked more strongly to the label than to any other."""
    import numpy as np

    from ..scoring.schemes import LINK_WEIGHTS, get_scheme

    table = ontology.table()
    scheme = get_scheme("empatheticdialogues", ontology)
    weights = scheme.weights(table)  # [concept, label]
    out = {}
    for k, label in enumerate(scheme.labels):
        best = None
        for relation, iri in scheme.links.get(label, []):
            c = table.index_of_iri(iri)
            tier = int(table.tiers[c])
            if tier == 1:
                continue
            own = weights[c, k]
            rivals = np.delete(weights[c], k).max()
            rank = (own > rivals, tier == 3, own, -rivals, LINK_WEIGHTS[relation])
            if best is None or rank > best[0]:
                best = (rank, (table.labels[c], tier))
        if best is not None:
            out[label] = best[1]
    return out


def wordnet_terms(label: str) -> dict[str, tuple[str, bool]]:
    """Term -> ``(WordNet synset it came from, own)``; ``own`` marks the label word itself and
    the derivations of its own lemmas (``grateful``, ``gratefulness``), which name the label
    outright (needs nltk and WordNet 3.0)."""
    from nltk.corpus import wordnet as wn

    found: dict[str, tuple[str, bool]] = {label: (wn.synsets(label)[0].name(), True)}
    for pos in ("a", "s", "v", "n"):
        for synset in wn.synsets(label, pos=pos)[:2]:
            related = [synset, *synset.similar_tos()]
            for syn in related:
                for lemma in syn.lemmas():
                    own = syn == synset and lemma.name().lower() == label
                    forms = [lemma, *lemma.derivationally_related_forms()]
                    for form in forms:
                        term = form.name().replace("_", " ").lower()
                        if term.isascii() and term not in _STOP:
                            previous = found.get(term)
                            if previous is None or (own and not previous[1]):
                                found[term] = (syn.name(), own)
    return found


def _situations(path: Path):
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["text"], int(row["label"])


def train_terms(path: Path, labels: tuple[str, ...], keep=None, min_count: int = MIN_COUNT,
                min_share: float = MIN_SHARE, per_label: int = PER_LABEL,
                bigrams: bool = BIGRAMS) -> dict[str, tuple[str, float, int]]:
    """Term -> ``(label, share, count)`` from the train split (see the module docstring);
    ``keep(text)`` may select part of it (to tune the thresholds on one half)."""
    doc_count: Counter[str] = Counter()
    by_label: dict[str, Counter[int]] = defaultdict(Counter)
    for text, label in _situations(path):
        if keep is not None and not keep(text):
            continue
        words = _WORD.findall(text.lower())
        terms = {word for word in words if word not in _STOP}
        if bigrams:  # two adjacent words, not both stop words: "job interview", "my dog"
            terms |= {f"{a} {b}" for a, b in pairwise(words)
                      if a not in _STOP or b not in _STOP}
        for term in terms:
            doc_count[term] += 1
            by_label[term][label] += 1
    picked: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
    for word, n in doc_count.items():
        if n < min_count:
            continue
        label, hits = by_label[word].most_common(1)[0]
        share = hits / n
        if share >= min_share:
            picked[labels[label]].append((hits, word, share))
    out = {}
    for label, items in picked.items():
        for hits, word, share in sorted(items, reverse=True)[:per_label]:
            out[word] = (label, share, hits)
    return out


def build_empathetic(pack_dir: Path | None = None, ed_dir: Path | None = None, keep=None,
                     scale: float | None = None, **thresholds) -> dict[str, int]:
    """Write ``pack_dir/lexicon.tsv`` (default: the shipped empathetic pack): the WordNet rows,
    and with ``ed_dir`` the train rows of ``ed_dir/train.csv`` too (``keep`` and
    ``thresholds``: see :func:`train_terms`; ``scale``: default :data:`SHARE_SCALE`)."""
    from ..lexicon.default import default_lexicon_path
    from ..ontology import Ontology
    from . import load_pack, packs_dir
    from .graph import add_pack_mappings

    scale = SHARE_SCALE if scale is None else scale
    pack_dir = pack_dir or packs_dir() / "empathetic"
    onto = Ontology()
    add_pack_mappings(onto, [load_pack(pack_dir)])
    anchor = anchors(onto)
    shipped = {row.term for row in read_lexicon(default_lexicon_path())
               if row.status != "rejected"}
    rows: dict[str, LexiconRow] = {}
    counts = Counter()
    for label in sorted(anchor):
        concept, tier = anchor[label]
        for term, (synset, own) in sorted(wordnet_terms(label).items()):
            if (term in shipped and not own) or term in rows:
                continue  # the label word and its derivations replace the shipped reading
            rows[term] = LexiconRow(term, concept, tier, WORDNET_WEIGHT,
                                    kind="phrase" if " " in term else "word",
                                    source=f"wordnet-3.0:{synset}", score=1.0, status="auto")
            counts["wordnet"] += 1
    if ed_dir is not None:
        from ..evaluate_corpora import ED_LABELS

        found = train_terms(Path(ed_dir) / "train.csv", ED_LABELS, keep, **thresholds)
        for term, (label, share, hits) in sorted(found.items()):
            if term in rows or label not in anchor:
                continue
            concept, tier = anchor[label]
            rows[term] = LexiconRow(term, concept, tier, round(min(1.0, share * scale), 3),
                                    kind="phrase" if " " in term else "word",
                                    source=f"ed-train:{label}", score=float(hits),
                                    status="auto")
            counts["train"] += 1
            counts["train replacing shipped"] += term in shipped
    anchor_note = ", ".join(f"{label} -> {concept}" for label, (concept, _) in
                            sorted(anchor.items()))
    sources = ("WordNet 3.0 (Princeton WordNet licence)" if ed_dir is None else
               "WordNet 3.0 (Princeton WordNet licence) and the words of the "
               "EmpatheticDialogues TRAIN split (CC BY-NC 4.0: this file may not ship)")
    write_lexicon(sorted(rows.values(), key=lambda r: (r.concept, r.term)),
                  pack_dir / "lexicon.tsv", comments=[
                      ("tone empathetic pack: lexicon overlay, generated by "
                       "tone/packs/empathetic_vocab.py; do not edit."),
                      f"Sources: {sources}.",
                      "Anchors: " + anchor_note,
                      "Counts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
                  ])
    return dict(counts)


def build_train_pack(ed_dir: Path, out: Path) -> dict[str, int]:
    """A user pack ``empathetic-train`` in folder ``out``: the shipped empathetic pack plus the
    words of the user's EmpatheticDialogues train split (which may not ship with tone: the
    data is CC BY-NC 4.0). ``tone packs build empathetic-train OUT``."""
    import json
    import shutil

    from ..errors import UsageError
    from . import packs_dir

    if not (Path(ed_dir) / "train.csv").is_file():
        raise UsageError(f"{ed_dir}: no train.csv (the EmpatheticDialogues folder)")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: exists and is not empty; choose a new folder")
    shutil.copytree(packs_dir() / "empathetic", out, dirs_exist_ok=True)
    manifest = json.loads((out / "pack.json").read_text(encoding="utf-8"))
    manifest["name"] = "empathetic-train"
    manifest["description"] += (" This copy adds the words typical of each label's situations "
                                "in the user's EmpatheticDialogues train split.")
    manifest["licence"] += "; train-split words: CC BY-NC 4.0 (EmpatheticDialogues), do not "\
                           "redistribute"
    (out / "pack.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return build_empathetic(out, ed_dir)
