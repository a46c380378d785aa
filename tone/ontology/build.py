"""Build ``ontology/tone.ttl`` from its sources.

The sources are Parrott's tree (``ontology/parrott.tsv``: primary, secondary, tertiary), WordNet
3.0 glosses for the definitions (through nltk; ``NLTK_DATA`` must point at a WordNet 3.0 copy),
``ontology/senses.tsv`` (sense choices that override the default pick) and
``ontology/seed_dependencies.tsv`` (the literature's opposites, compositions and transitions).
This is a maintainer's step (``tone ontology build``); users load the shipped ``tone.ttl``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._resources import read_data_file
from ..errors import DataFileError
from .namespace import TONE_IRI, concept_local_names

__all__ = ["build_ontology", "read_parrott", "write_terms", "ONTOLOGY_VERSION"]

ONTOLOGY_VERSION = "0.1.0"
PARROTT_CITATION = (
    "Parrott, W. G. (2001). Emotions in Social Psychology: Essential Readings. "
    "Philadelphia: Psychology Press. Tree after Shaver, P., Schwartz, J., Kirson, D., & "
    "O'Connor, C. (1987). Emotion knowledge: Further exploration of a prototype approach. "
    "Journal of Personality and Social Psychology, 52(6), 1061-1086."
)
TONE_CITATION = (
    "Gupta, S., Garg, A., & Dandapat, S. (2024). TONE: A 3-Tiered ONtology for Emotion "
    "analysis. arXiv:2401.06810."
)
WORDNET_NOTICE = (
    "Definitions are WordNet 3.0 glosses. WordNet 3.0 Copyright 2006 by Princeton University. "
    "All rights reserved. Used under the WordNet 3.0 license."
)


@dataclass
class _Row:
    label: str
    tier: int
    parent: tuple[str, int] | None
    words: list[str] = field(default_factory=list)


def _data_rows(path: Path):
    """Yield (line number, fields) of a TSV file, skipping comments, blank lines and the header."""
    try:
        text = read_data_file(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFileError(f"not UTF-8 at byte offset {err.start}", path=str(path)) from None
    header_seen = False
    # split on "\n" only: str.splitlines would also break at \x0c, \x1c-\x1e, U+2028...
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        yield number, line.split("\t")


def read_parrott(path: str | Path) -> list[_Row]:
    """Read Parrott's tree as concept rows (primary, then secondary, then tertiary order)."""
    path = Path(path)
    concepts: dict[tuple[str, int], _Row] = {}
    for number, fields in _data_rows(path):
        if len(fields) != 3 or not all(part.strip() for part in fields):
            raise DataFileError(
                "expected 3 tab-separated columns: primary, secondary, tertiary",
                path=str(path), line=number, col=1,
            )
        primary, secondary, tertiary = (part.strip().lower() for part in fields)
        concepts.setdefault((primary, 1), _Row(primary, 1, None))
        concepts.setdefault((secondary, 2), _Row(secondary, 2, (primary, 1)))
        if (tertiary, 3) in concepts:
            raise DataFileError(f"tertiary {tertiary!r} appears twice", path=str(path), line=number)
        concepts[(tertiary, 3)] = _Row(tertiary, 3, (secondary, 2))
    return sorted(concepts.values(), key=lambda row: row.tier)


def _choose_synset(wn, label: str, overrides: dict[str, str]):
    if label in overrides:
        return wn.synset(overrides[label])
    synsets = wn.synsets(label.replace(" ", "_"))
    feelings = [s for s in synsets if s.lexname() == "noun.feeling"]
    for synset in feelings:
        if label in {name.lower() for name in synset.lemma_names()}:
            return synset
    if feelings:
        return feelings[0]
    if synsets:
        return synsets[0]
    raise DataFileError(f"WordNet 3.0 has no sense for {label!r}; add it to senses.tsv")


def _read_overrides(path: Path) -> dict[str, str]:
    return {fields[0]: fields[1] for _, fields in _data_rows(path)}


def _parse_key(text: str, path: Path, line: int) -> tuple[str, int]:
    label, _, tier = text.partition("@")
    if tier not in {"1", "2", "3"}:
        raise DataFileError(f"expected label@tier (tier 1, 2 or 3), got {text!r}",
                            path=str(path), line=line)
    return label.strip().lower(), int(tier)


def build_ontology(parrott: str | Path, source_dir: str | Path, out: str | Path | None = None):
    """Build the ontology graph; write it to ``out`` (Turtle) when given, and return it.

    ``source_dir`` holds ``senses.tsv`` and ``seed_dependencies.tsv``.
    """
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

    from ..vocab.wordnet import load_wordnet

    wn = load_wordnet()
    source_dir = Path(source_dir)
    rows = read_parrott(parrott)
    overrides = _read_overrides(source_dir / "senses.tsv")
    names = concept_local_names([(row.label, row.tier) for row in rows])
    tone = Namespace(TONE_IRI)
    wn_rdf = Namespace("http://wordnet-rdf.princeton.edu/wn30/")

    graph = Graph()
    for prefix, ns in (("tone", tone), ("owl", OWL), ("rdfs", RDFS), ("skos", SKOS),
                       ("xsd", XSD), ("dcterms", DCTERMS), ("wn30", wn_rdf)):
        graph.bind(prefix, ns)

    onto = URIRef(TONE_IRI.rstrip("#"))
    header = [
        (RDF.type, OWL.Ontology),
        (OWL.versionInfo, Literal(ONTOLOGY_VERSION)),
        (OWL.versionIRI, URIRef(f"{TONE_IRI.rstrip('#')}/{ONTOLOGY_VERSION}")),
        (DCTERMS.title, Literal("tone: a three-tier emotion ontology (Parrott / TONE)", lang="en")),
        (DCTERMS.license, URIRef("https://www.apache.org/licenses/LICENSE-2.0")),
        (DCTERMS.bibliographicCitation, Literal(PARROTT_CITATION)),
        (DCTERMS.bibliographicCitation, Literal(TONE_CITATION)),
        (RDFS.comment, Literal(WORDNET_NOTICE, lang="en")),
    ]
    for predicate, obj in header:
        graph.add((onto, predicate, obj))

    parrott_source = tone.Parrott2001
    graph.add((parrott_source, RDF.type, DCTERMS.BibliographicResource))
    graph.add((parrott_source, DCTERMS.bibliographicCitation, Literal(PARROTT_CITATION)))

    def annotation(name, comment, range_=None):
        prop = tone[name]
        graph.add((prop, RDF.type, OWL.AnnotationProperty))
        graph.add((prop, RDFS.comment, Literal(comment, lang="en")))
        if range_ is not None:
            graph.add((prop, RDFS.range, range_))
        return prop

    tier_prop = annotation("tier", "Tier of an emotion concept: 1 primary, 2 secondary, "
                           "3 tertiary (Parrott 2001).", XSD.integer)
    synset_prop = annotation("wordnetSynset", "The WordNet 3.0 synset whose gloss is the "
                             "concept's skos:definition.")
    method_prop = annotation("method", "How a dependency link was obtained (literature, or the "
                             "name of an inference method).")
    score_prop = annotation("score", "Confidence of a dependency link in [0, 1]; on an "
                            "annotated span's onyx:Emotion, its score (>= 0) before "
                            "1 - exp(-score) gives onyx:hasEmotionIntensity.", XSD.decimal)
    rationale_prop = annotation("rationale", "Why a dependency link holds.")

    # Properties of annotated corpora (tone.io.rdf: tone annotate --format turtle|jsonld, the
    # tone kg store); tone:score (above) serves both. Annotation
    # and datatype properties only: their subjects are annotation nodes, never concepts, and
    # dominantEmotion points at a concept class, which an object property could not do in OWL 2
    # DL without punning.
    annotation("dominantEmotion", "On an annotated document's onyx:EmotionSet: a primary "
               "emotion concept among the document's dominant ones (the record's \"top\").")

    def datatype_property(name, comment, range_):
        prop = tone[name]
        graph.add((prop, RDF.type, OWL.DatatypeProperty))
        graph.add((prop, RDFS.comment, Literal(comment, lang="en")))
        graph.add((prop, RDFS.range, range_))
        return prop

    datatype_property("rule", "On an annotated span's onyx:Emotion: the name of a rule that "
                      "changed its score.", XSD.string)
    datatype_property("recordHash", "On an annotated document's nif:Context: the SHA-1 of its "
                      "annotation record and metadata (idempotent loads into a store).",
                      XSD.string)

    emotion = tone.Emotion
    graph.add((emotion, RDF.type, OWL.Class))
    graph.add((emotion, RDFS.label, Literal("emotion", lang="en")))
    graph.add((emotion, SKOS.definition, Literal(
        "Any of the emotion concepts of Parrott's three-tier tree.", lang="en")))
    transition = tone.EmotionTransition
    graph.add((transition, RDF.type, OWL.Class))
    graph.add((transition, RDFS.label, Literal("emotion transition", lang="en")))
    graph.add((transition, RDFS.comment, Literal(
        "A reified plusLeadsTo link: two input emotions that together lead to a result emotion.",
        lang="en")))
    graph.add((transition, OWL.disjointWith, emotion))

    def object_property(name, comment, domain, range_, *types):
        prop = tone[name]
        graph.add((prop, RDF.type, OWL.ObjectProperty))
        for extra in types:
            graph.add((prop, RDF.type, extra))
        graph.add((prop, RDFS.label, Literal(name, lang="en")))
        graph.add((prop, RDFS.comment, Literal(comment, lang="en")))
        graph.add((prop, RDFS.domain, domain))
        graph.add((prop, RDFS.range, range_))
        return prop

    opposite = object_property(
        "isOppositeOf", "Two emotions that oppose each other (TONE; Plutchik's opposite pairs). "
        "Asserted between concepts (OWL 2 punning).", emotion, emotion, OWL.SymmetricProperty,
        OWL.IrreflexiveProperty)
    composed = object_property(
        "isComposedOf", "The subject emotion is a blend of the object emotion and others "
        "(TONE; Plutchik's dyads).", emotion, emotion, OWL.IrreflexiveProperty)
    leads = object_property(
        "plusLeadsTo", "An input emotion of a reified transition (TONE): with the transition's "
        "other input it leads to the transition's result.", emotion, transition)
    t_input = object_property("transitionInput", "One of the two input emotions of a "
                              "transition.", transition, emotion)
    t_result = object_property("transitionResult", "The emotion a transition leads to.",
                               transition, emotion, OWL.FunctionalProperty)
    graph.add((leads, OWL.inverseOf, t_input))

    iris: dict[tuple[str, int], URIRef] = {}
    for row in rows:
        iri = tone[names[(row.label, row.tier)]]
        iris[(row.label, row.tier)] = iri
        synset = _choose_synset(wn, row.label, overrides)
        parent = emotion if row.parent is None else iris[row.parent]
        graph.add((iri, RDF.type, OWL.Class))
        graph.add((iri, RDFS.subClassOf, parent))
        graph.add((iri, RDFS.label, Literal(row.label, lang="en")))
        graph.add((iri, tier_prop, Literal(row.tier, datatype=XSD.integer)))
        graph.add((iri, SKOS.definition, Literal(synset.definition(), lang="en")))
        graph.add((iri, synset_prop, Literal(synset.name())))
        offset = f"{synset.offset():08d}-{synset.pos().replace('s', 'a')}"
        graph.add((iri, DCTERMS.source, wn_rdf[offset]))
        graph.add((iri, RDFS.isDefinedBy, parrott_source))

    seeds = source_dir / "seed_dependencies.tsv"

    def concept(text, line):
        key = _parse_key(text, seeds, line)
        if key not in iris:
            raise DataFileError(f"unknown concept {text!r}", path=str(seeds), line=line)
        return iris[key]

    def annotate_axiom(subject, prop, obj, source, rationale):
        axiom = BNode()
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, prop))
        graph.add((axiom, OWL.annotatedTarget, obj))
        for predicate, value in ((DCTERMS.source, Literal(source)), (method_prop, Literal("literature")),
                                 (score_prop, Literal("1.0", datatype=XSD.decimal)),
                                 (rationale_prop, Literal(rationale, lang="en"))):
            graph.add((axiom, predicate, value))

    for line, fields in _data_rows(seeds):
        if len(fields) != 6:
            raise DataFileError("expected 6 tab-separated columns: relation a b c source "
                                "rationale", path=str(seeds), line=line)
        relation, a, b, c, source, rationale = fields
        if relation == "isOppositeOf":
            first, second = concept(a, line), concept(b, line)
            graph.add((first, opposite, second))
            graph.add((second, opposite, first))
            graph.add((first, OWL.disjointWith, second))
            annotate_axiom(first, opposite, second, source, rationale)
        elif relation == "isComposedOf":
            whole = concept(a, line)
            for part in (concept(b, line), concept(c, line)):
                graph.add((whole, composed, part))
                annotate_axiom(whole, composed, part, source, rationale)
        elif relation == "plusLeadsTo":
            inputs, result = (concept(a, line), concept(b, line)), concept(c, line)
            node = tone["transition_" + "_".join(str(x).rsplit("#", 1)[1] for x in (*inputs, result))]
            graph.add((node, RDF.type, transition))
            graph.add((node, RDF.type, OWL.NamedIndividual))
            for item in inputs:
                graph.add((node, t_input, item))
                graph.add((item, leads, node))
            graph.add((node, t_result, result))
            graph.add((node, DCTERMS.source, Literal(source)))
            graph.add((node, method_prop, Literal("literature")))
            graph.add((node, score_prop, Literal("1.0", datatype=XSD.decimal)))
            graph.add((node, rationale_prop, Literal(rationale, lang="en")))
        else:
            raise DataFileError(f"unknown relation {relation!r}; expected isOppositeOf, "
                                "isComposedOf or plusLeadsTo", path=str(seeds), line=line, col=1)

    if out is not None:
        write_turtle(graph, out)
    return graph


def write_turtle(graph, out: str | Path) -> None:
    """Write ``graph`` as Turtle, byte for byte the same for the same triples: blank nodes get
    canonical labels (:func:`rdflib.compare.to_canonical_graph`) so that the serializer's order
    does not depend on random blank-node ids; written as :func:`tone.io.output.open_output`
    writes (atomically, or through a device)."""
    from rdflib import Graph

    from ..io.output import write_text
    from rdflib.compare import to_canonical_graph

    canonical = Graph()
    for prefix, namespace in graph.namespaces():
        canonical.bind(prefix, namespace, override=True)
    for triple in to_canonical_graph(graph):
        canonical.add(triple)
    write_text(out, canonical.serialize(format="turtle"))


def write_terms(graph, path: str | Path) -> None:
    """Write the local names the graph defines in the tone namespace as ``tone/ontology/_terms.py``
    (read by :data:`tone.ontology.namespace.TONE`)."""
    from rdflib import URIRef

    names = sorted({str(s)[len(TONE_IRI):] for s in graph.subjects()
                    if isinstance(s, URIRef) and str(s).startswith(TONE_IRI)})
    body = "".join(f"    {name!r},\n" for name in names)
    Path(path).write_text(
        '"""Local names of the tone namespace; generated by tone.ontology.build, do not edit."""\n'
        f"TERMS: tuple[str, ...] = (\n{body})\n", encoding="utf-8")
