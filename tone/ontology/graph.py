"""The emotion ontology as a Python object: concepts, the tier tree, relations and SPARQL.

>>> from tone.ontology import Ontology
>>> onto = Ontology()
>>> len(onto.concepts)
166
>>> onto.concept("fury").path()
['anger', 'rage', 'fury']
>>> [c.label for c in onto.concept("joy", tier=1).opposites()]
['sadness']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .._resources import data_dir
from ..errors import ConceptNotFound, UsageError
from .namespace import TONE_IRI

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from .table import ConceptTable

__all__ = ["Ontology", "Concept", "Transition", "TIER_NAMES"]

TIER_NAMES = {1: "primary", 2: "secondary", 3: "tertiary"}


@dataclass(eq=False)
class Concept:
    """One emotion concept: an ``owl:Class`` of the ontology."""

    iri: str
    label: str
    tier: int
    definition: str = ""
    synset: str = ""
    parent: "Concept | None" = field(default=None, repr=False)
    children: list["Concept"] = field(default_factory=list, repr=False)
    _ontology: "Ontology | None" = field(default=None, repr=False)

    @property
    def key(self) -> str:
        """The public key: ``label@tier``."""
        return f"{self.label}@{self.tier}"

    def ancestors(self) -> list["Concept"]:
        """Parents up to the primary, nearest first."""
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def descendants(self) -> list["Concept"]:
        """All concepts below this one, depth first."""
        out: list[Concept] = []
        for child in self.children:
            out.append(child)
            out.extend(child.descendants())
        return out

    def path(self) -> list[str]:
        """Labels from the primary down to this concept."""
        return [c.label for c in reversed([self, *self.ancestors()])]

    def primary(self) -> "Concept":
        """The primary concept this one sits under (itself for a primary)."""
        return ([self, *self.ancestors()])[-1]

    def _related(self, prop: str) -> list["Concept"]:
        assert self._ontology is not None
        return self._ontology._related(self, prop)

    def opposites(self) -> list["Concept"]:
        """Concepts linked by ``tone:isOppositeOf``."""
        return self._related("isOppositeOf")

    def components(self) -> list["Concept"]:
        """Concepts this one ``tone:isComposedOf``."""
        return self._related("isComposedOf")

    def transitions(self) -> list["Transition"]:
        """The ``tone:plusLeadsTo`` transitions in which this concept is an input."""
        assert self._ontology is not None
        return [t for t in self._ontology.transitions if self in t.inputs]

    def to_dict(self) -> dict:
        return {"label": self.label, "tier": self.tier, "iri": self.iri,
                "definition": self.definition, "path": self.path(),
                "opposites": [c.key for c in self.opposites()],
                "components": [c.key for c in self.components()]}


@dataclass(frozen=True)
class Transition:
    """A reified ``tone:plusLeadsTo`` link: ``inputs[0]`` plus ``inputs[1]`` leads to ``result``."""

    iri: str
    inputs: tuple[Concept, Concept]
    result: Concept
    source: str = ""


class Ontology:
    """The emotion ontology: the built-in one, or Turtle/RDF files given by path.

    Parameters
    ----------
    paths : path or list of paths, optional
        Ontology files (Turtle, RDF/XML, N-Triples, JSON-LD) or folders of ``*.ttl`` files.
        By default the shipped ontology (``tone.ttl`` plus the dependency and mapping files).

    Loading never touches the network: every ``owl:imports`` must name an ontology one of the
    files declares, or a ``file:`` IRI inside the folder (that file is loaded too); any other
    import is a :class:`~tone.errors.DataFileError` at ``file:line:col``. RDF/XML may declare
    only plain-text entities (no external DTD, external or nested entities), and JSON-LD only
    inline contexts.
    """

    def __init__(self, paths: str | Path | Iterable[str | Path] | None = None) -> None:
        if paths is None:
            paths = [data_dir("ontology")]
        elif isinstance(paths, (str, Path)):
            paths = [paths]
        self.sources = [Path(p) for p in paths]
        self.graph = self._load(self.sources)
        self._concepts = self._read_concepts()
        by_key: dict[tuple[str, int], Concept] = {}
        for concept in self._concepts:
            by_key[(concept.label, concept.tier)] = concept
        self._by_key = by_key
        self._by_iri = {c.iri: c for c in self._concepts}

    # -- loading ----------------------------------------------------------------------------
    @staticmethod
    def _files(sources: list[Path]) -> Iterator[tuple[Path, Path]]:
        """Each ontology file with the folder its local ``owl:imports`` may resolve in."""
        for source in sources:
            if source.is_dir():
                paths = [*sorted(source.glob("*.ttl")), *sorted(source.glob("mappings/*.ttl"))]
                if not paths:
                    raise UsageError(f"{source}: no ontology files (*.ttl) in the folder")
                for path in paths:
                    yield path, source
            elif source.is_file():
                yield source, source.parent
            elif source.exists():
                raise UsageError(f"{source}: not an ontology file or folder (a device, FIFO or "
                                 "socket); give a .ttl/.owl/.rdf file or a folder of .ttl files")
            else:
                raise UsageError(f"{source}: no such ontology file or folder")

    @classmethod
    def _load(cls, sources: list[Path]) -> "Graph":
        """Parse the files without touching the network: RDF/XML is pre-scanned for entity
        tricks and every ``owl:imports`` must resolve to a local file (see ``_safeload``)."""
        from rdflib import Graph
        from rdflib.util import guess_format

        from ._safeload import parse_file, resolve_imports
        from .sparql import PREFIXES

        def parse(path: Path) -> "Graph":
            return parse_file(path, guess_format(str(path)) or "turtle")

        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        loaded = [(path, root, parse(path)) for path, root in cls._files(sources)]
        parts = [part for _, _, part in loaded] + resolve_imports(loaded, parse)
        for part in parts:
            for prefix, iri in part.namespaces():
                if prefix and prefix not in PREFIXES:
                    graph.bind(prefix, iri, override=False)
            graph += part
        return graph

    def _read_concepts(self) -> list[Concept]:
        rows = self.query("""
            SELECT ?c ?label ?tier ?parent ?definition ?synset WHERE {
              ?c tone:tier ?tier ; rdfs:label ?label ; rdfs:subClassOf ?parent .
              OPTIONAL { ?c skos:definition ?definition }
              OPTIONAL { ?c tone:wordnetSynset ?synset }
            } ORDER BY ?tier ?label""")
        concepts = {}
        parents = {}
        for iri, label, tier, parent, definition, synset in rows:
            concept = Concept(str(iri), str(label).lower(), int(tier), str(definition or ""),
                              str(synset or ""), _ontology=self)
            concepts[str(iri)] = concept
            parents[str(iri)] = str(parent)
        for iri, concept in concepts.items():
            parent = concepts.get(parents[iri])
            if parent is not None:
                concept.parent = parent
                parent.children.append(concept)
        return list(concepts.values())

    # -- lookup -----------------------------------------------------------------------------
    @property
    def concepts(self) -> list[Concept]:
        """All concepts, primaries first, then secondaries, then tertiaries (each by label)."""
        return list(self._concepts)

    def tier(self, tier: int) -> list[Concept]:
        """The concepts of one tier (1 primary, 2 secondary, 3 tertiary)."""
        return [c for c in self._concepts if c.tier == tier]

    @property
    def roots(self) -> list[Concept]:
        """The primary concepts."""
        return self.tier(1)

    def concept(self, label: str, tier: int | None = None) -> Concept:
        """Look a concept up by label (case-insensitive) and, optionally, tier; an IRI or
        ``label@tier`` works too. Without a tier, the most specific concept wins (tertiary
        *sadness* before secondary and primary *Sadness*).

        >>> Ontology().concept("Sadness", tier=1).iri
        'https://w3id.org/tone#Sadness'
        """
        if label in self._by_iri:
            return self._by_iri[label]
        text = label.strip().lower()
        if tier is None and "@" in text:
            text, _, tier_text = text.partition("@")
            if tier_text not in {"1", "2", "3"}:
                raise ConceptNotFound(f"bad concept key {label!r}: expected label@tier, tier 1-3")
            tier = int(tier_text)
        tiers = [tier] if tier is not None else [3, 2, 1]
        for candidate in tiers:
            found = self._by_key.get((text, candidate))
            if found is not None:
                return found
        where = f" in tier {tier}" if tier is not None else ""
        close = sorted({c.label for c in self._concepts if c.label.startswith(text[:3])})[:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ConceptNotFound(f"no emotion concept labelled {label!r}{where}{hint} "
                              "(see: tone ontology tree)")

    def __contains__(self, label: str) -> bool:
        try:
            self.concept(label)
        except ConceptNotFound:
            return False
        return True

    def __len__(self) -> int:
        return len(self._concepts)

    # -- relations --------------------------------------------------------------------------
    def _related(self, concept: Concept, prop: str) -> list[Concept]:
        from rdflib import URIRef

        found = self.graph.objects(URIRef(concept.iri), URIRef(TONE_IRI + prop))
        return sorted((self._by_iri[str(o)] for o in found if str(o) in self._by_iri),
                      key=lambda c: (c.tier, c.label))

    @cached_property
    def transitions(self) -> list[Transition]:
        """Every reified ``tone:plusLeadsTo`` transition."""
        rows = self.query("""
            SELECT ?t ?a ?b ?c (SAMPLE(?src) AS ?source) WHERE {
              ?t a tone:EmotionTransition ; tone:transitionInput ?a, ?b ; tone:transitionResult ?c .
              OPTIONAL { ?t dcterms:source ?src }
              FILTER (STR(?a) < STR(?b))
            } GROUP BY ?t ?a ?b ?c ORDER BY ?t""")
        return [Transition(str(t), (self._by_iri[str(a)], self._by_iri[str(b)]),
                           self._by_iri[str(c)], str(src or "")) for t, a, b, c, src in rows]

    def table(self) -> "ConceptTable":
        """The concepts as flat numpy arrays (ids, tiers, parents, opposites, VAD) for kernels."""
        from .table import ConceptTable

        if not hasattr(self, "_table"):
            self._table = ConceptTable.from_ontology(self)
        return self._table

    # -- queries ----------------------------------------------------------------------------
    def query(self, sparql: str, store: str = "rdflib"):
        """Run a SPARQL query with the ``tone rdf rdfs owl skos xsd dcterms`` prefixes bound.

        Returns a list of row tuples for SELECT, a bool for ASK and an rdflib Graph for
        CONSTRUCT and DESCRIBE. ``store="oxigraph"`` runs it on pyoxigraph (extra ``fast``).

        >>> Ontology().query("SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 3 }")[0][0].toPython()
        135
        """
        from .sparql import run_query

        return run_query(self.graph, sparql, store=store).value

    def tree(self) -> list[dict]:
        """The tier tree as nested ``{"label", "tier", "iri", "children"}`` dictionaries."""
        def node(concept: Concept) -> dict:
            return {"label": concept.label, "tier": concept.tier, "iri": concept.iri,
                    "children": [node(child) for child in sorted(concept.children,
                                                                 key=lambda c: c.label)]}
        return [node(root) for root in self.roots]

    def __repr__(self) -> str:
        counts = "/".join(str(len(self.tier(t))) for t in (1, 2, 3))
        return f"<Ontology {counts} concepts from {', '.join(map(str, self.sources))}>"
