"""Infer TONE's three dependency relations and write them, with provenance, to the ontology.

* ``isOppositeOf`` (method ``wordnet-antonymy+valence``): two tertiary concepts whose lexicon
  vocabularies (rows from :data:`OPP_EXCLUDED_SOURCES` left out) hold WordNet antonym pairs and
  whose valences (``concept_vad.tsv``) have opposite signs. score = min(1, pairs / :data:`OPP_FULL_PAIRS`) x |valence_a - valence_b| / 2; kept
  when pairs >= :data:`OPP_MIN_PAIRS` and score >= :data:`OPP_MIN_SCORE`.
* ``isComposedOf`` (method ``definition+vad-geometry``): a concept whose WordNet definition
  names two concepts of different primaries by their labels (not after a negating word) is a blend of them
  when its VAD lies between theirs: ``between = 1 - dist(c, segment xy) / |x - y|``; kept when
  ``between >= COMP_MIN_BETWEEN``; score = between.
* ``plusLeadsTo`` (method ``meld-transition-binomial``): in the MELD training dialogues,
  speaker A feels X, the next speaker B (!= A) answers with Y, A's next utterance feels Z.
  MELD's labels map onto tone concepts (:data:`MELD_TO_TONE`; neutral is not an emotion and
  triples with it are skipped, as are X == Y and Z == X, which is persistence, not a
  transition). A triple is kept when its count k >= :data:`MIN_COUNT` and the one-sided exact
  binomial test of k successes in n = count(X, Y) against the base rate p0(Z) of Z over all
  triples gives p < :data:`ALPHA` / number of tests (Bonferroni); score = 1 - p.

Graph checks (networkx): no concept opposite to its own ancestor, no cycle of compositions.

>>> round(binomial_tail(5, 10, 0.2), 4)
0.0328
"""
from __future__ import annotations

import csv
import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import require

__all__ = ["Link", "infer", "write", "infer_opposites", "infer_compositions",
           "infer_transitions", "binomial_tail", "check", "MELD_TO_TONE"]

OPP_MIN_PAIRS = 1
#: lexicon sources whose words do not count for antonymy (evaluative polarity rows)
OPP_EXCLUDED_SOURCES = ("vader-evaluative",)
OPP_FULL_PAIRS = 3
OPP_MIN_SCORE = 0.35
COMP_MIN_BETWEEN = 0.75
MIN_COUNT = 5
NEGATING = {"no", "not", "without", "lack", "abandoned", "loss", "absence", "lost"}
ALPHA = 0.05
MELD_TO_TONE = {"joy": ("joy", 1), "sadness": ("sadness", 1), "anger": ("anger", 1),
                "surprise": ("surprise", 1), "fear": ("fear", 1), "disgust": ("disgust", 2)}


@dataclass(frozen=True, order=True)
class Link:
    """One inferred link: ``relation`` in isOppositeOf | isComposedOf | plusLeadsTo; ``a``,
    ``b`` (and ``c``, the result of a transition) are concept keys ``(label, tier)``."""

    relation: str
    a: tuple
    b: tuple
    c: tuple | None
    method: str
    score: float
    source: str
    rationale: str


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(K >= k) for K ~ Binomial(n, p)."""
    return min(1.0, sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def _vad(path=None) -> dict:
    from tone._resources import data_dir
    from tone.ontology.table import read_concept_vad

    return read_concept_vad(path or data_dir("lexicons") / "en" / "concept_vad.tsv")


def _vocab(rows) -> dict:
    out: dict = defaultdict(set)
    for r in rows:
        if r.kind == "word":
            out[(r.concept, r.tier)].add(r.term.lower())
    return out


def infer_opposites(tree, rows, vad: dict, wn) -> list:
    # evaluative rows place a word by the sign of its rating alone: an antonym pair among them
    # (useful/useless) is approval against disapproval, not two emotions opposing each other
    vocab = _vocab([r for r in rows if not r.source.startswith(OPP_EXCLUDED_SOURCES)])
    term_concepts: dict = defaultdict(set)
    for key, words in vocab.items():
        if key[1] == 3:
            for w in words:
                term_concepts[w].add(key)
    pairs: dict = defaultdict(set)
    for w in sorted(term_concepts):
        for s in wn.synsets(w.replace(" ", "_")):
            for lm in s.lemmas():
                if lm.name().lower() != w:
                    continue
                for ant in lm.antonyms():
                    other = ant.name().lower().replace("_", " ")
                    for ka in term_concepts[w]:
                        for kb in term_concepts.get(other, ()):
                            if ka != kb:
                                pairs[tuple(sorted((ka, kb)))].add(tuple(sorted((w, other))))
    out = []
    for (ka, kb), found in sorted(pairs.items()):
        if ka not in vad or kb not in vad or len(found) < OPP_MIN_PAIRS:
            continue
        va, vb = vad[ka][0], vad[kb][0]
        if va * vb >= 0:
            continue
        score = round(min(1.0, len(found) / OPP_FULL_PAIRS) * abs(va - vb) / 2, 4)
        if score < OPP_MIN_SCORE:
            continue
        ex = ", ".join(f"{x}/{y}" for x, y in sorted(found)[:4])
        out.append(Link("isOppositeOf", ka, kb, None, "wordnet-antonymy+valence", score,
                        "WordNet 3.0 antonymy; tone concept_vad.tsv",
                        f"{len(found)} antonym pair(s) ({ex}); valence {va:+.2f} vs {vb:+.2f}"))
    return out


def _seg_between(c, x, y) -> float:
    import numpy as np

    c, x, y = (np.asarray(v, dtype=float) for v in (c, x, y))
    d = y - x
    norm = float(np.linalg.norm(d))
    if norm == 0:
        return 0.0
    t = float(np.clip(np.dot(c - x, d) / norm ** 2, 0.0, 1.0))
    if t in (0.0, 1.0):
        return 0.0  # not strictly between its parts
    return max(0.0, 1.0 - float(np.linalg.norm(c - (x + t * d))) / norm)


def infer_compositions(tree, rows, vad: dict, definitions: dict) -> list:
    import re

    word_to: dict = {}
    for key in tree.keys:  # only concept labels count (lexicon words are too loose here)
        if key[0] not in word_to or key[1] == 3:
            word_to[key[0]] = key
    out = []
    for c in sorted(tree.keys):
        text = definitions.get(c, "")
        if not text or c not in vad:
            continue
        family = {c, *tree.ancestors(c)}
        named = []
        words = re.findall(r"[a-z]+", text.lower())
        for j, w in enumerate(words):
            k = word_to.get(w)
            if set(words[max(0, j - 2):j]) & NEGATING:
                continue  # "abandoned hope" names the absence of hope, not a part
            if k is None or k in family or c in tree.ancestors(k) or k not in vad:
                continue
            if k not in named:
                named.append(k)
        for i, x in enumerate(named):
            for y in named[i + 1:]:
                if tree.primary(x) == tree.primary(y):
                    continue
                between = round(_seg_between(vad[c][:3], vad[x][:3], vad[y][:3]), 4)
                if between < COMP_MIN_BETWEEN:
                    continue
                why = (f"definition names {x[0]} and {y[0]} ({text[:80]}); VAD between them "
                       f"({between:.2f})")
                for part in (x, y):
                    out.append(Link("isComposedOf", c, part, None, "definition+vad-geometry",
                                    between, "WordNet 3.0 gloss; tone concept_vad.tsv", why))
    return out


def _meld_triples(path) -> list:
    by_dialogue: dict = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_dialogue[int(row["Dialogue_ID"])].append(
                (int(row["Utterance_ID"]), row["Speaker"], row["Emotion"].strip().lower()))
    triples = []
    for d in sorted(by_dialogue):
        utts = sorted(by_dialogue[d])
        for i in range(len(utts) - 1):
            _, a, x = utts[i]
            _, b, y = utts[i + 1]
            if b == a:
                continue
            nxt = next((u for u in utts[i + 2:] if u[1] == a), None)
            if nxt is not None:
                triples.append((x, y, nxt[2]))
    return triples


def infer_transitions(meld_csv) -> list:
    triples = [t for t in _meld_triples(meld_csv) if all(e in MELD_TO_TONE for e in t)]
    triples = [t for t in triples if t[0] != t[1] and t[2] != t[0]]
    base = Counter(t[2] for t in triples)
    total = sum(base.values())
    pair = Counter((t[0], t[1]) for t in triples)
    full = Counter(triples)
    tests = len(pair) * len(base) or 1
    out = []
    for (x, y, z), k in sorted(full.items()):
        n = pair[(x, y)]
        p0 = base[z] / total
        if k < MIN_COUNT or k / n <= p0:
            continue
        p = binomial_tail(k, n, p0)
        if p >= ALPHA / tests:
            continue
        out.append(Link("plusLeadsTo", MELD_TO_TONE[x], MELD_TO_TONE[y], MELD_TO_TONE[z],
                        "meld-transition-binomial", round(1 - p, 6),
                        "MELD train_sent_emo.csv (Poria et al. 2019)",
                        f"A {x}, B answers {y}, A then {z}: {k}/{n} = {k / n:.2f} vs base "
                        f"rate {p0:.2f}; binomial p = {p:.2e} (Bonferroni over {tests} tests)"))
    return out


def check(tree, links) -> list:
    """Drop links that break the graph checks; returns the kept links.

    No concept opposite to its own ancestor; no composition cycle (the weakest link of a cycle
    goes until none is left).
    """
    nx = require("networkx", "vocab", "Dependency inference (graph checks)")
    kept = [link for link in links if not (link.relation == "isOppositeOf" and (
        link.a in tree.ancestors(link.b) or link.b in tree.ancestors(link.a)))]
    comp = [link for link in kept if link.relation == "isComposedOf"]
    g = nx.DiGraph()
    for link in comp:
        g.add_edge(link.a, link.b, link=link)
    dropped = set()
    while True:
        try:
            cycle = nx.find_cycle(g)
        except nx.NetworkXNoCycle:
            break
        weakest = min((g.edges[u, v]["link"] for u, v in cycle), key=lambda lk: (lk.score, lk))
        dropped.add(weakest)
        g.remove_edge(weakest.a, weakest.b)
    return [link for link in kept if link not in dropped]


def infer(meld_csv: str | os.PathLike | None = None, vad_path=None, lexicon=None) -> list:
    """All inferred links, sorted; skips transitions when the MELD file is absent."""
    from tone._resources import data_dir
    from tone.lexicon.rows import read_lexicon
    from tone.ontology import Ontology
    from tone.vocab.concepts import load_concepts, shared_data_dir
    from tone.vocab.wordnet import load_wordnet

    tree = load_concepts(data_dir("ontology") / "parrott.tsv")
    rows = [r for r in read_lexicon(lexicon or data_dir("lexicons") / "en" / "lexicon.tsv")
            if r.status != "rejected"]
    vad = _vad(vad_path)
    definitions = {(c.label, c.tier): c.definition for c in Ontology().concepts}
    links = infer_opposites(tree, rows, vad, load_wordnet())
    links += infer_compositions(tree, rows, vad, definitions)
    if meld_csv is None:
        shared = shared_data_dir()
        guess = shared / "meld" / "data" / "MELD" / "train_sent_emo.csv" if shared else None
        meld_csv = guess if guess is not None and guess.is_file() else None
    if meld_csv is not None:
        links += infer_transitions(meld_csv)
    return sorted(check(tree, links))


def write(links, out: str | os.PathLike | None = None):
    """Write the links as Turtle (``ontology/dependencies-inferred.ttl`` by default)."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, XSD

    from tone._resources import data_dir
    from tone.ontology import Ontology

    tone = Namespace("https://w3id.org/tone#")
    iris = {(c.label, c.tier): URIRef(c.iri) for c in Ontology().concepts}
    g = Graph()
    g.bind("tone", tone)
    g.bind("owl", OWL)
    g.bind("dcterms", DCTERMS)

    def provenance(node, link):
        g.add((node, DCTERMS.source, Literal(link.source)))
        g.add((node, tone.method, Literal(link.method)))
        g.add((node, tone.score, Literal(f"{link.score:.6f}".rstrip("0").rstrip("."),
                                         datatype=XSD.decimal)))
        g.add((node, tone.rationale, Literal(link.rationale, lang="en")))

    def axiom(s, p, o, link):
        node = BNode()
        g.add((node, RDF.type, OWL.Axiom))
        g.add((node, OWL.annotatedSource, s))
        g.add((node, OWL.annotatedProperty, p))
        g.add((node, OWL.annotatedTarget, o))
        provenance(node, link)

    for link in links:
        a, b = iris[link.a], iris[link.b]
        if link.relation == "isOppositeOf":
            for s, o in ((a, b), (b, a)):
                g.add((s, tone.isOppositeOf, o))
                axiom(s, tone.isOppositeOf, o, link)
        elif link.relation == "isComposedOf":
            g.add((a, tone.isComposedOf, b))
            axiom(a, tone.isComposedOf, b, link)
        else:
            c = iris[link.c]
            name = "_".join(str(x).rsplit("#", 1)[1] for x in (a, b, c))
            node = tone["inferred_transition_" + name]
            g.add((node, RDF.type, tone.EmotionTransition))
            g.add((node, RDF.type, OWL.NamedIndividual))
            for item in (a, b):
                g.add((node, tone.transitionInput, item))
                g.add((item, tone.plusLeadsTo, node))
            g.add((node, tone.transitionResult, c))
            provenance(node, link)
    path = Path(out) if out is not None else data_dir("ontology") / "dependencies-inferred.ttl"
    text = g.serialize(format="turtle")
    header = ("# Dependencies inferred by `tone deps infer` (tone.deps): method, score, source\n"
              "# and rationale on every link. Generated; do not edit by hand.\n")
    from ..io.output import write_text

    write_text(path, header + text)
    return g
