"""WordNet 3.0 access for the vocabulary builder: emotional synsets, sense counts, relation graph.

Needs the ``vocab`` extra (nltk) and WordNet 3.0 data (``NLTK_DATA``).

Thresholds (documented in lexicons/README.md):

* ``EMOTION_LEXNAMES`` - synsets in these lexicographer files are emotional by definition.
* ``ALLOWED_LEXNAMES`` - other synsets may join when one lexical link (derivation, attribute,
  pertainym, similar-to, also-see) away from an emotional synset; everything else (persons,
  artifacts, body parts...) never enters the vocabulary.
* ``EDGE_WEIGHTS`` - evidence decay per relation hop.
"""
from __future__ import annotations

import functools
from pathlib import Path

from tone.errors import UsageError, require

__all__ = ["load_wordnet", "EmotionGraph", "EMOTION_LEXNAMES", "ALLOWED_LEXNAMES", "EDGE_WEIGHTS",
           "FRINGE_LEXNAMES", "pos_shares", "lexname_shares"]

EMOTION_LEXNAMES = frozenset({"noun.feeling", "verb.emotion"})
ALLOWED_LEXNAMES = frozenset({
    "noun.feeling", "verb.emotion", "noun.state", "noun.attribute", "adj.all", "adj.pert",
    "adv.all",
})
# Verbs outside verb.emotion and nouns of acts, communication or behaviour drift off topic when
# evidence spreads *through* them (rage -> storm, torment -> tease), so they join only as leaves
# one derivation link from a core emotion sense (FRINGE_LEXNAMES; laugh, weep, complain, thank).
FRINGE_LEXNAMES = frozenset({
    "verb.body", "verb.communication", "verb.social", "verb.perception", "verb.cognition",
    "verb.change", "verb.consumption", "verb.competition", "verb.contact", "verb.motion",
    "verb.possession", "verb.stative", "verb.creation",
    "noun.act", "noun.communication", "noun.event",
})
FRINGE_FACTOR = 0.85         # a fringe term's score relative to a derivation hop
EDGE_WEIGHTS = {
    "synonym": 0.9,      # another lemma of the same synset
    "derivation": 0.85,  # derivationally related form (anger / angry / angrily / angered)
    "attribute": 0.8,    # adjective <-> noun attribute
    "pertainym": 0.8,    # adverb/adjective pertainym
    "similar": 0.7,      # adjective similar-to (head <-> satellite)
    "hyponym": 0.7,      # a more specific sense, within emotional synsets only
    "verb_group": 0.7,
    "also_see": 0.6,
}


@functools.lru_cache(maxsize=1)
def load_wordnet():
    """Return nltk's WordNet reader, checking that the data is WordNet 3.0.

    ``NLTK_DATA`` is honoured even when nltk was imported before it was set (nltk reads it
    only at import)."""
    import os

    nltk = require("nltk", "vocab", "the vocabulary builder")
    for folder in reversed(os.environ.get("NLTK_DATA", "").split(os.pathsep)):
        if folder and folder not in nltk.data.path:
            nltk.data.path.insert(0, folder)
    from nltk.corpus import wordnet as wn

    try:
        version = wn.get_version()
    except LookupError as err:
        raise UsageError("WordNet data not found; set NLTK_DATA to a folder holding "
                         "corpora/wordnet (WordNet 3.0)") from err
    if version != "3.0":
        raise UsageError(f"expected WordNet 3.0, found {version}; the shipped lexicon is built "
                         "from 3.0 and a rebuild must use the same data")
    return wn


@functools.lru_cache(maxsize=1)
def sense_counts() -> dict:
    """``sense_key -> (sense_number, tag_count)`` from WordNet's ``index.sense``.

    (``Lemma.count()`` needs ``cntlist.rev``, which not every WordNet copy has; ``index.sense``
    carries the same SemCor tag counts.)
    """
    import nltk

    root = Path(str(nltk.data.find("corpora/wordnet")))
    out = {}
    with open(root / "index.sense", encoding="utf-8") as fh:
        for line in fh:
            key, _offset, number, count = line.split()
            out[key] = (int(number), int(count))
    return out


def lemma_prior(lemma) -> float:
    """Usage weight of one sense of a word: SemCor tag count plus a small rank prior."""
    number, count = sense_counts().get(lemma.key(), (99, 0))
    return count + 0.5 / number


def lexname_shares(word: str, wn=None) -> dict:
    """Share of a word's usage in each lexicographer file (``adj.all``, ``noun.attribute``,
    ``verb.communication`` ...), from the SemCor tag counts plus the rank prior of
    :func:`lemma_prior`. Only senses whose lemma is spelt as ``word`` count (not WordNet's
    morphy base forms). Empty when WordNet does not know the word."""
    wn = wn or load_wordnet()
    name = word.replace(" ", "_").lower()
    totals: dict = {}
    for s in wn.synsets(name):
        for lemma in s.lemmas():
            if lemma.name().lower() == name:
                totals[s.lexname()] = totals.get(s.lexname(), 0.0) + lemma_prior(lemma)
    z = sum(totals.values())
    return {k: c / z for k, c in sorted(totals.items())} if z else {}


def pos_shares(word: str, wn=None) -> dict:
    """Share of a word's usage in each part of speech (``n``, ``v``, ``a``, ``r``; satellites
    count as ``a``), as :func:`lexname_shares`."""
    out: dict = {}
    for lexname, share in lexname_shares(word, wn).items():
        pos = lexname.split(".")[0][0]  # noun, verb, adj, adv -> n, v, a, a: fix adv below
        pos = "r" if lexname.startswith("adv.") else pos
        out[pos] = out.get(pos, 0.0) + share
    return dict(sorted(out.items()))


class EmotionGraph:
    """Emotional synsets of WordNet and the weighted lexical links between them."""

    def __init__(self, wn=None):
        self.wn = wn or load_wordnet()
        wn = self.wn
        core = {s for s in wn.all_synsets() if s.lexname() in EMOTION_LEXNAMES}
        # emotional states: hyponyms of emotional_state.n.01 and of feeling.n.01
        for root in ("emotional_state.n.01", "feeling.n.01"):
            core.update(wn.synset(root).closure(lambda s: s.hyponyms()))
        self.core = frozenset(core)
        nodes = set(core)
        frontier = set(core)
        for hop in range(2):
            nxt = set()
            for s in frontier:
                for t, rel in self._lexical_links(s):
                    if t in nodes or t.lexname() not in ALLOWED_LEXNAMES:
                        continue
                    if hop == 1 and (rel == "also_see" or (rel == "similar" and s.pos() != "a")):
                        continue  # a second weak hop drifts off topic, except head -> satellite
                    nxt.add(t)
            nodes |= nxt
            frontier = nxt
        # the fringe: verbs of any kind and nouns of acts / communication / behaviour one
        # derivation link from a *core* emotion sense (laugh, weep, complain, thank). They are
        # leaves: evidence reaches them but does not spread on (their own links drift off topic).
        fringe = set()
        for s in sorted(core, key=lambda x: x.name()):
            for lemma in s.lemmas():
                for other in lemma.derivationally_related_forms():
                    t = other.synset()
                    if t not in nodes and t.lexname() in FRINGE_LEXNAMES:
                        fringe.add(t)
        self.fringe = frozenset(fringe)
        nodes |= fringe
        self.nodes = frozenset(nodes)
        self.edges: dict = {}
        for s in sorted(self.nodes, key=lambda x: x.name()):
            links = {}
            if s in self.fringe:
                self.edges[s] = links
                continue
            for t, rel in self._lexical_links(s):
                if t in self.nodes and t != s:
                    w = EDGE_WEIGHTS[rel]
                    if w > links.get(t, (0, ""))[0]:
                        links[t] = (w, rel)
            for t in s.hyponyms():
                if t in self.nodes and t in self.core:
                    w = EDGE_WEIGHTS["hyponym"]
                    if w > links.get(t, (0, ""))[0]:
                        links[t] = (w, "hyponym")
            self.edges[s] = links

    @staticmethod
    def _lexical_links(s):
        for lemma in s.lemmas():
            for other in lemma.derivationally_related_forms():
                yield other.synset(), "derivation"
            for other in lemma.pertainyms():
                yield other.synset(), "pertainym"
        for t in s.attributes():
            yield t, "attribute"
        for t in s.similar_tos():
            yield t, "similar"
        for t in s.also_sees():
            yield t, "also_see"
        for t in s.verb_groups():
            yield t, "verb_group"

    def spread(self, sources: dict, max_hops: int = 3, floor: float = 0.3) -> dict:
        """Best product of edge weights from ``sources`` (synset -> start score) to every node.

        Returns ``synset -> (score, relation path)``.
        """
        best = {s: (w, ()) for s, w in sources.items()}
        frontier = dict(best)
        for _ in range(max_hops):
            nxt = {}
            for s in sorted(frontier, key=lambda x: x.name()):
                score, path = frontier[s]
                links = self.edges.get(s)
                if links is None:  # a seed outside the graph: link it on the fly
                    links = {}
                    for t, rel in self._lexical_links(s):
                        if t in self.nodes and EDGE_WEIGHTS[rel] > links.get(t, (0, ""))[0]:
                            links[t] = (EDGE_WEIGHTS[rel], rel)
                for t, (w, rel) in sorted(links.items(), key=lambda kv: kv[0].name()):
                    cand = score * w
                    if cand < floor:
                        continue
                    if cand > best.get(t, (0.0,))[0] + 1e-12:
                        best[t] = (cand, path + (rel,))
                        nxt[t] = best[t]
            frontier = nxt
        return best

    def emotional_share(self, word: str) -> float:
        """Share of a word's usage (SemCor tag counts + rank prior) in emotional synsets."""
        name = word.replace(" ", "_")
        total = emo = 0.0
        for s in self.wn.synsets(name):
            for lemma in s.lemmas():
                if lemma.name().lower() != name.lower():
                    continue
                prior = lemma_prior(lemma)
                total += prior
                if s in self.nodes:
                    emo += prior
        return emo / total if total else 0.0
