"""Valence, arousal and dominance for every emotion concept, each value with its provenance.

1. **Anchors.** A core set of concepts takes published PAD values (:data:`ANCHORS`), rescaled
   from the published [-1, 1] scales to tone's: valence stays in [-1, 1], arousal and dominance
   become ``(x + 1) / 2`` in [0, 1].
2. **Spread.** Every other concept is a weighted mean of the anchors under the same primary
   emotion, weighted ``2 ** -d`` by its distance ``d`` to each anchor in a networkx graph of the
   hierarchy (parent-child edges of length :data:`TREE_EDGE`) and of WordNet similarity
   (tertiaries under one primary whose senses have a Wu-Palmer similarity of at least
   :data:`MIN_WUP`, edge length ``2 * (1 - wup)``). The source names the three heaviest anchors.
3. **Override.** A user VAD lexicon (e.g. NRC VAD, loaded with
   :func:`tone.lexicon.loaders.load_nrc_vad`) replaces a concept's value by the mean over the
   concept's label and lexicon terms found in it, when at least :data:`MIN_USER_TERMS` match.

The output ``lexicons/en/concept_vad.tsv`` has the columns ``concept tier valence arousal
dominance source`` that :func:`tone.ontology.table.read_concept_vad` reads.

>>> rescale((-0.51, 0.59, 0.25))
(-0.51, 0.795, 0.625)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..errors import require

__all__ = ["ANCHORS", "ANCHOR_SOURCES", "concept_vad", "apply_user_vad", "write_concept_vad",
           "build_vad", "rescale", "TREE_EDGE", "MIN_WUP", "MIN_USER_TERMS"]

TREE_EDGE = 1.0       # length of a parent-child edge
MIN_WUP = 0.8         # WordNet Wu-Palmer similarity that links two tertiaries of one primary
MIN_USER_TERMS = 3    # user-lexicon terms a concept needs before its value is replaced

ANCHOR_SOURCES = {
    "rm1977": "Russell & Mehrabian 1977, Evidence for a three-factor theory of emotions, "
              "J. Research in Personality 11:273-294 (PAD scores of emotion terms)",
    "alma2005": "Gebhard 2005, ALMA - A Layered Model of Affect, AAMAS'05, Table 2 "
                "(OCC emotions in PAD space, after Mehrabian)",
}

# concept@3 -> (pleasure, arousal, dominance) on the published [-1, 1] scales, source key, term
ANCHORS = {
    ("anger", 3): ((-0.51, 0.59, 0.25), "rm1977", "angry"),
    ("fear", 3): ((-0.64, 0.60, -0.43), "rm1977", "afraid"),
    ("happiness", 3): ((0.81, 0.51, 0.46), "rm1977", "happy"),
    ("sadness", 3): ((-0.63, -0.27, -0.33), "rm1977", "sad"),
    ("surprise", 3): ((0.40, 0.67, -0.13), "rm1977", "surprised"),
    ("disgust", 3): ((-0.60, 0.35, 0.11), "rm1977", "disgusted"),
    ("hate", 3): ((-0.6, 0.6, 0.3), "alma2005", "hate"),
    ("liking", 3): ((0.40, 0.16, -0.24), "alma2005", "liking"),
    ("love", 3): ((0.3, 0.1, 0.2), "alma2005", "love"),
    ("joy", 3): ((0.4, 0.2, 0.1), "alma2005", "joy"),
    ("pride", 3): ((0.4, 0.3, 0.3), "alma2005", "pride"),
    ("relief", 3): ((0.2, -0.3, 0.4), "alma2005", "relief"),
    ("remorse", 3): ((-0.3, 0.1, -0.6), "alma2005", "remorse"),
    ("resentment", 3): ((-0.2, -0.3, -0.2), "alma2005", "resentment"),
    ("satisfaction", 3): ((0.3, -0.2, 0.4), "alma2005", "satisfaction"),
    ("shame", 3): ((-0.3, 0.1, -0.6), "alma2005", "shame"),
    ("disappointment", 3): ((-0.3, 0.1, -0.4), "alma2005", "disappointment"),
    ("distress", 3): ((-0.4, -0.2, -0.5), "alma2005", "distress"),
    ("hope", 3): ((0.2, 0.2, -0.1), "alma2005", "hope"),
    ("pity", 3): ((-0.4, -0.2, -0.5), "alma2005", "pity"),
}


def rescale(pad: tuple) -> tuple:
    """Published PAD in [-1, 1]^3 -> (valence [-1, 1], arousal [0, 1], dominance [0, 1])."""
    p, a, d = pad
    return (round(p, 4), round((a + 1) / 2, 4), round((d + 1) / 2, 4))


def _graph(tree, synsets: dict | None):
    nx = require("networkx", "vocab", "The concept VAD builder")

    g = nx.Graph()
    g.add_nodes_from(tree.keys)
    for key, parent in tree.parents.items():
        if parent is not None:
            g.add_edge(key, parent, length=TREE_EDGE, kind="tree")
    if synsets:
        terts = sorted(k for k in tree.keys if k[1] == 3 and synsets.get(k) is not None)
        for i, a in enumerate(terts):
            for b in terts[i + 1:]:
                if tree.primary(a) != tree.primary(b):
                    continue
                sim = synsets[a].wup_similarity(synsets[b]) or 0.0
                if sim >= MIN_WUP:
                    g.add_edge(a, b, length=round(2 * (1 - sim), 4), kind="wordnet")
    return g


def concept_vad(tree, synsets: dict | None = None, anchors: dict | None = None) -> dict:
    """``{(label, tier): (valence, arousal, dominance, source)}`` for every concept of ``tree``.

    ``synsets``: ``{key: nltk Synset}`` for the WordNet similarity edges (optional).
    """
    nx = require("networkx", "vocab", "The concept VAD builder")

    anchors = ANCHORS if anchors is None else anchors
    g = _graph(tree, synsets)
    out = {}
    for key, (pad, src, term) in anchors.items():
        if key in tree.parents:
            out[key] = (*rescale(pad), f"anchor:{src}:{term}")
    for key in tree.keys:
        if key in out:
            continue
        dist = nx.single_source_dijkstra_path_length(g, key, weight="length")
        prim = tree.primary(key)
        near = [(d, a) for a, d in dist.items() if a in out and a in anchors
                and tree.primary(a) == prim]
        if not near:
            near = [(d, a) for a, d in dist.items() if a in out and a in anchors]
        weights = sorted(((2.0 ** -d, a) for d, a in near), key=lambda x: (-x[0], x[1]))
        total = sum(w for w, _ in weights)
        vad = [round(sum(w * out[a][i] for w, a in weights) / total, 4) for i in range(3)]
        top = ",".join(f"{a[0]}@{a[1]}={w / total:.2f}" for w, a in weights[:3])
        out[key] = (*vad, f"spread:tree+wordnet:{top}")
    return out


def _to_tone_scale(entries) -> list:
    """NRC VAD v1 uses [0, 1] for all three; v2 uses [-1, 1]. Return tone's scales."""
    entries = list(entries)
    signed = any(min(e[1], e[2], e[3]) < 0 for e in entries)
    out = []
    for term, v, a, d in entries:
        if signed:
            out.append((term, v, (a + 1) / 2, (d + 1) / 2))
        else:
            out.append((term, 2 * v - 1, a, d))
    return out


def apply_user_vad(values: dict, entries: Iterable, rows: Iterable, name: str = "user") -> dict:
    """Replace concept values by the mean of a user VAD lexicon over each concept's terms.

    ``entries``: ``(term, valence, arousal, dominance)`` tuples (e.g. from ``load_nrc_vad``);
    ``rows``: lexicon rows saying which terms belong to which concept.
    """
    table = {t.lower(): (v, a, d) for t, v, a, d in _to_tone_scale(entries)}
    terms: dict = {key: {key[0]} for key in values}
    for row in rows:
        terms.setdefault((row.concept, row.tier), set()).add(row.term.lower())
    out = dict(values)
    for key in sorted(values):
        found = [table[t] for t in sorted(terms.get(key, ())) if t in table]
        if len(found) >= MIN_USER_TERMS:
            mean = [round(sum(f[i] for f in found) / len(found), 4) for i in range(3)]
            out[key] = (*mean, f"user-vad:{name}:n={len(found)}")
    return out


HEADER = [
    "Valence [-1, 1], arousal [0, 1] and dominance [0, 1] of every tone concept, generated by",
    "tone.vocab.vad (tone vocab vad). source: anchor:<ref>:<term> = a published value rescaled",
    "from [-1, 1] (arousal, dominance -> (x + 1) / 2); spread:tree+wordnet:<anchor=weight,...>",
    "= weighted mean of the anchors under the same primary (see lexicons/README.md).",
] + [f"{k}: {v}" for k, v in ANCHOR_SOURCES.items()]


def write_concept_vad(values: dict, path: str | os.PathLike) -> None:
    lines = [f"# {h}" for h in HEADER]
    lines.append("\t".join(("concept", "tier", "valence", "arousal", "dominance", "source")))
    for key in sorted(values, key=lambda k: (k[1], k[0])):
        v, a, d, src = values[key]
        lines.append("\t".join((key[0], str(key[1]), f"{v:.4f}", f"{a:.4f}", f"{d:.4f}", src)))
    from ..io.output import write_text

    write_text(path, "\n".join(lines) + "\n")


def build_vad(out: str | os.PathLike | None = None, user_vad: str | os.PathLike | None = None,
              use_wordnet: bool = True, write: bool = True) -> dict:
    """Compute concept VAD from the ontology (anchors + spread, optional user override)."""
    from tone._resources import data_dir
    from tone.vocab.concepts import load_concepts

    tree = load_concepts(data_dir("ontology") / "parrott.tsv")
    synsets = None
    if use_wordnet:
        from tone.ontology import Ontology
        from tone.vocab.wordnet import load_wordnet

        wn = load_wordnet()
        synsets = {}
        for c in Ontology().concepts:
            if c.synset:
                try:
                    synsets[(c.label, c.tier)] = wn.synset(c.synset)
                except Exception:  # noqa: BLE001 - a sense name WordNet does not know
                    pass
    values = concept_vad(tree, synsets)
    if user_vad is not None:
        from tone.lexicon.loaders import load_nrc_vad
        from tone.lexicon.rows import read_lexicon

        rows = [r for r in read_lexicon(data_dir("lexicons") / "en" / "lexicon.tsv")
                if r.status != "rejected"]
        values = apply_user_vad(values, load_nrc_vad(user_vad), rows, Path(user_vad).name)
    if write:
        path = Path(out) if out is not None else data_dir("lexicons") / "en" / "concept_vad.tsv"
        write_concept_vad(values, path)
    return values
