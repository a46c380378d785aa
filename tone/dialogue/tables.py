"""Self- and other-transition tables over a scheme's categories: knowledge in the ontology.

A table ``T[i, j]`` says how much an earlier turn's category ``i`` supports category ``j`` in
this turn: ``self`` for the same speaker's previous turn (inertia), ``other`` for the other
speakers' turns in between (contagion). Each cell is a ``tone:DialogueTransition`` individual
with its weight and provenance (``tone:method``, ``dcterms:source``, ``tone:rationale``):
``ontology/dialogue-transitions.ttl`` ships them (see ``ontology/README.md``), and
``tone dialogue fit`` estimates them from a labelled corpus into a Turtle file of the same
shape (:func:`fit`, :meth:`Tables.to_turtle`).

The scheme ``primary`` is tone's own six primaries (the record's ``emotions.primary``); any
mapped scheme (``meld``, ``ekman``, ``feeling-wheel``, ...) has its non-neutral categories.

>>> t = fit([[("A", "joy"), ("B", "joy"), ("A", "anger")]], ["anger", "joy"], smoothing=0.0)
>>> t.t_self.tolist(), t.t_other.tolist()
([[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.5, 0.5]])
>>> t.counts_self.tolist(), t.counts_other.tolist()  # rows: anger, joy (no pair from anger)
([[0.0, 0.0], [1.0, 0.0]], [[0.0, 0.0], [1.0, 1.0]])
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataFileError, UsageError

__all__ = ["Tables", "fit", "from_ontology", "load", "categories", "unit_weight",
           "TRANSITIONS_FILE", "PRIMARY"]

TRANSITIONS_FILE = "dialogue-transitions.ttl"
PRIMARY = "primary"
TONE = "https://w3id.org/tone#"
_HEADER = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix tone: <https://w3id.org/tone#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
_VOCABULARY = """
tone:DialogueTransition a owl:Class ;
    rdfs:label "dialogue transition"@en ;
    rdfs:comment "A weighted edge of a self- or other-transition table over a scheme's categories: how much an earlier turn's emotion supports this turn's (tone.dialogue)."@en .

tone:transitionFrom a owl:ObjectProperty ;
    rdfs:comment "The earlier turn's category."@en ;
    rdfs:domain tone:DialogueTransition .

tone:transitionTo a owl:ObjectProperty ;
    rdfs:comment "This turn's category."@en ;
    rdfs:domain tone:DialogueTransition .

tone:transitionKind a owl:DatatypeProperty ;
    rdfs:comment "self: the same speaker's previous turn (inertia); other: the other speakers' turns in between (contagion)."@en ;
    rdfs:domain tone:DialogueTransition ;
    rdfs:range xsd:string .

tone:transitionScheme a owl:DatatypeProperty ;
    rdfs:comment "The scheme (skos:notation, or primary for tone's primaries) whose categories the table is over."@en ;
    rdfs:domain tone:DialogueTransition ;
    rdfs:range xsd:string .

tone:transitionWeight a owl:DatatypeProperty ;
    rdfs:comment "T[from, to]: each table row sums to 1."@en ;
    rdfs:domain tone:DialogueTransition ;
    rdfs:range xsd:double .
"""


@dataclass
class Tables:
    """The two tables of one scheme, rows and columns in ``categories`` order."""

    scheme: str
    categories: list
    t_self: np.ndarray
    t_other: np.ndarray
    method: str = ""
    source: str = ""
    counts_self: np.ndarray | None = None
    counts_other: np.ndarray | None = None

    def to_turtle(self, ontology=None, vocabulary: bool = True) -> str:
        """The tables as ``tone:DialogueTransition`` individuals (with the vocabulary's
        declarations when ``vocabulary``)."""
        iris = _category_iris(self.scheme, ontology)
        lines = [_HEADER, _VOCABULARY if vocabulary else ""]
        for kind, table, counts in (("self", self.t_self, self.counts_self),
                                    ("other", self.t_other, self.counts_other)):
            for i, a in enumerate(self.categories):
                for j, b in enumerate(self.categories):
                    name = f"dialogue_{_local(self.scheme)}_{kind}_{_local(a)}_{_local(b)}"
                    why = (f"{counts[i, j]:g} of {counts[i].sum():g} {kind} pairs from {a}"
                           if counts is not None else "")
                    lines.append(
                        f"tone:{name} a owl:NamedIndividual, tone:DialogueTransition ;\n"
                        f"    tone:transitionScheme {_literal(self.scheme)} ;\n"
                        f"    tone:transitionKind \"{kind}\" ;\n"
                        f"    tone:transitionFrom <{iris[a]}> ;\n"
                        f"    tone:transitionTo <{iris[b]}> ;\n"
                        f"    tone:transitionWeight \"{float(table[i, j]):.6f}\"^^xsd:double ;\n"
                        f"    tone:method {_literal(self.method)} ;\n"
                        + (f"    tone:rationale {_literal(why)}@en ;\n" if why else "")
                        + f"    dcterms:source {_literal(self.source)} .\n")
        return "\n".join(lines)


def _local(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") or "x"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _literal(text: str) -> str:
    """A Turtle string literal (backslash, quote and line ends escaped, as ECHAR).

    >>> print(_literal('a "b"\\nc'))
    "a \\"b\\"\\nc"
    """
    return '"' + text.translate(_ESCAPES) + '"'


def categories(scheme: str, ontology=None, table=None) -> list[str]:
    """The categories a scheme's tables are over: tone's primaries for ``primary``, else the
    scheme's non-neutral categories.

    >>> categories("primary")
    ['anger', 'fear', 'joy', 'love', 'sadness', 'surprise']
    >>> categories("meld")
    ['anger', 'disgust', 'fear', 'joy', 'sadness', 'surprise']
    """
    if scheme == PRIMARY:
        return sorted(_category_iris(scheme, ontology, table))
    from ..scoring.schemes import get_scheme

    return list(get_scheme(scheme, ontology).labels)


def _ontology(ontology):
    if ontology is not None:
        return ontology
    from ..defaults import default_ontology

    return default_ontology()


def _category_iris(scheme: str, ontology=None, table=None) -> dict[str, str]:
    """Category -> IRI; tone's primaries from the concept ``table`` when given (no graph)."""
    if scheme == PRIMARY:
        if table is not None:
            return {label: table.iris[i] for i, label in enumerate(table.labels)
                    if int(table.tiers[i]) == 1}
        return {c.label: c.iri for c in _ontology(ontology).tier(1)}
    from ..scoring.schemes import get_scheme

    return dict(get_scheme(scheme, ontology).iris)


def _normalise(counts: np.ndarray, smoothing: float) -> np.ndarray:
    c = counts + smoothing
    total = c.sum(axis=1, keepdims=True)
    k = counts.shape[1]
    return np.where(total > 0, c / np.where(total > 0, total, 1.0), 1.0 / k)


def fit(conversations, cats: list[str], smoothing: float = 1.0, scheme: str = "",
        method: str = "dialogue-transition-counts", source: str = "") -> Tables:
    """Estimate both tables from labelled conversations: each a list of ``(speaker, label)``
    (labels outside ``cats``, such as ``neutral``, take part in no pair). ``self``: the
    speaker's previous turn's label -> this turn's; ``other``: each turn of the other speakers'
    block right before this one (a block of ``n`` turns counts ``1/n`` each) -> this turn's.
    Rows are the counts plus ``smoothing``, normalised to sum to 1."""
    index = {c: k for k, c in enumerate(cats)}
    n = len(cats)
    c_self, c_other = np.zeros((n, n)), np.zeros((n, n))
    for turns in conversations:
        last: dict = {}
        for t, (speaker, label) in enumerate(turns):
            j = index.get(label)
            if j is not None:
                p = last.get(speaker)
                if p is not None and turns[p][1] in index:
                    c_self[index[turns[p][1]], j] += 1
                block = []
                k = t - 1
                while k >= 0 and turns[k][0] != speaker:
                    block.append(k)
                    k -= 1
                for k in block:
                    if turns[k][1] in index:
                        c_other[index[turns[k][1]], j] += 1.0 / len(block)
            last[speaker] = t
    return Tables(scheme, list(cats), _normalise(c_self, smoothing),
                  _normalise(c_other, smoothing), method, source, c_self, c_other)


def from_ontology(ontology=None) -> Tables:
    """Tables over tone's primaries from the ontology's own knowledge, for users without a
    labelled corpus: an emotion persists (self) and spreads (other): weight 1 on the diagonal;
    every ``plusLeadsTo`` transition *x + y -> z* adds half its score to ``x -> z`` and to
    ``y -> z`` in both tables (either input may be the speaker's, the other the reply's),
    inputs and results rolled up to their primaries; ``isOppositeOf`` primaries get 0; rows
    normalised to sum to 1.

    >>> t = from_ontology()
    >>> i, j = t.categories.index("anger"), t.categories.index("fear")
    >>> float(t.t_self[i, j]), bool(t.t_self[i, i] > 0.5)
    (0.0, True)
    """
    onto = _ontology(ontology)
    cats = categories(PRIMARY, onto)
    index = {c: k for k, c in enumerate(cats)}
    t_self, t_other = np.eye(len(cats)), np.eye(len(cats))
    score = {}
    for row in onto.graph.query(
            "SELECT ?t ?s WHERE { ?t a <https://w3id.org/tone#EmotionTransition> ; "
            "<https://w3id.org/tone#score> ?s }"):
        score[str(row[0])] = float(row[1])
    for transition in onto.transitions:
        z = index[transition.result.primary().label]
        inputs = [c.primary().label for c in transition.inputs]
        w = score.get(transition.iri, 1.0)
        for a, b in ((inputs[0], inputs[1]), (inputs[1], inputs[0])):
            t_self[index[a], z] += 0.5 * w
            t_other[index[b], z] += 0.5 * w
    for c in onto.tier(1):
        for o in c.opposites():
            if o.tier == 1:
                t_self[index[c.label], index[o.label]] = 0.0
                t_other[index[c.label], index[o.label]] = 0.0
    return Tables(PRIMARY, cats, _normalise(t_self, 0.0), _normalise(t_other, 0.0),
                  "ontology-plusLeadsTo+isOppositeOf",
                  "tone ontology: plusLeadsTo and isOppositeOf links (tone.ttl, "
                  "dependencies-inferred.ttl)")


def _from_graph(graph, scheme: str, ontology=None, table=None, path=None) -> Tables | None:
    from rdflib import Literal

    cats = categories(scheme, ontology, table)
    back = {iri: label for label, iri in _category_iris(scheme, ontology, table).items()}
    index = {c: k for k, c in enumerate(cats)}
    tables = {"self": np.full((len(cats), len(cats)), np.nan),
              "other": np.full((len(cats), len(cats)), np.nan)}
    method = source = ""
    rows = graph.query(
        """PREFIX tone: <https://w3id.org/tone#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?kind ?from ?to ?w ?method ?source WHERE {
          ?e a tone:DialogueTransition ; tone:transitionScheme ?scheme ;
             tone:transitionKind ?kind ; tone:transitionFrom ?from ; tone:transitionTo ?to ;
             tone:transitionWeight ?w .
          OPTIONAL { ?e tone:method ?method } OPTIONAL { ?e dcterms:source ?source }
          FILTER (STR(?scheme) = ?wanted) }""", initBindings={"wanted": Literal(scheme)})
    where = {"path": None if path is None else str(path)}
    found = False
    for kind, a, b, w, m, s in rows:
        found = True
        a, b = back.get(str(a)), back.get(str(b))
        if str(kind) not in tables or a not in index or b not in index:
            raise DataFileError(f"a {scheme} dialogue transition names an unknown kind or "
                                f"category ({kind}, {a}, {b}); expected self/other over "
                                f"{', '.join(cats)}", **where)
        tables[str(kind)][index[a], index[b]] = unit_weight(
            w, f"the {scheme} {kind}-transition {a} -> {b}", where["path"])
        method, source = str(m or method), str(s or source)
    if not found:
        return None
    for kind, table in tables.items():
        if np.isnan(table).any():
            raise DataFileError(f"the {scheme} {kind}-transition table is incomplete: "
                                f"{int(np.isnan(table).sum())} of {table.size} cells missing",
                                **where)
    return Tables(scheme, cats, tables["self"], tables["other"], method, source)


def unit_weight(value, what: str, path: str | None = None) -> float:
    """A weight read from RDF (a transition's, a listener rule's): a number in [0, 1]; text,
    ``NaN``, infinities and numbers outside are a :class:`DataFileError` naming ``what``.

    >>> unit_weight("0.25", "a weight")
    0.25
    """
    try:
        weight = float(str(value))
    except ValueError:
        weight = math.nan
    if not 0.0 <= weight <= 1.0:
        raise DataFileError(f"{what} has the weight {str(value)[:40]!r}; expected a number "
                            "in [0, 1]", path=path)
    return weight


def load(scheme: str = PRIMARY, path: str | Path | None = None, ontology=None,
         table=None) -> Tables:
    """The tables of ``scheme``: from a Turtle file ``path`` (``tone dialogue fit``'s output),
    else from ``ontology``'s graph, else from the shipped ``dialogue-transitions.ttl`` alone
    (without loading the whole ontology; ``table``, a concept table, names the primaries). A
    scheme without tables is a :class:`~tone.errors.UsageError` saying how to fit some."""
    if path is None and ontology is None:
        from .._resources import data_dir

        path = data_dir("ontology") / TRANSITIONS_FILE
    if path is not None:
        from ..ontology._safeload import parse_file

        if not Path(path).exists():  # a URL is no file: nothing is fetched
            raise UsageError(f"no such file: {path}")
        graph = parse_file(Path(path), "turtle", "transition tables")  # refuses a device, FIFO
        where = "the ontology" if Path(path).name == TRANSITIONS_FILE else str(path)
    else:
        graph = ontology.graph
        where = "the ontology"
    tables = _from_graph(graph, scheme, ontology, table, path)
    if tables is None:
        raise UsageError(f"{where} has no dialogue transition tables for the scheme "
                         f"{scheme!r}; fit some: tone dialogue fit LABELLED_FILE --scheme "
                         f"{scheme} -o tables.ttl, then pass --tables tables.ttl")
    return tables
