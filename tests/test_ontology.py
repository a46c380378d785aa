"""The shipped ontology: tiers, labels, relations, namespace, SPARQL and the Python API."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from tone.errors import ConceptNotFound, DataFileError, UsageError
from tone.ontology import Ontology
from tone.ontology.namespace import TONE, TONE_IRI, concept_local_names

T = TONE_IRI


def test_three_tiers_counts(onto):
    assert [len(onto.tier(t)) for t in (1, 2, 3)] == [6, 25, 135]


def test_every_concept_is_a_class_with_label_tier_definition(onto):
    g = onto.graph
    for c in onto.concepts:
        iri = URIRef(c.iri)
        assert (iri, RDF.type, OWL.Class) in g
        assert (iri, RDFS.label, Literal(c.label, lang="en")) in g
        assert (iri, TONE.tier, Literal(c.tier, datatype=XSD.integer)) in g
        assert g.value(iri, SKOS.definition), c.key
        assert g.value(iri, RDFS.isDefinedBy) == TONE.Parrott2001


def test_labels_unique_within_a_tier_iris_unique(onto):
    for tier in (1, 2, 3):
        labels = [c.label for c in onto.tier(tier)]
        assert len(labels) == len(set(labels))
    assert len({c.iri for c in onto.concepts}) == 166


def test_tree_shape(onto):
    for c in onto.concepts:
        if c.tier == 1:
            assert c.parent is None
        else:
            assert c.parent.tier == c.tier - 1
    assert onto.concept("fury").path() == ["anger", "rage", "fury"]
    assert onto.concept("sadness", 3).parent.key == "sadness@2"
    assert {c.label for c in onto.concept("fear", 1).children} == {"horror", "nervousness"}


def test_lookup_defaults_to_most_specific_and_accepts_keys(onto):
    assert onto.concept("Sadness").tier == 3
    assert onto.concept("sadness@1").tier == 1
    assert onto.concept(T + "Joy").label == "joy"
    assert "glee" in onto and "glee@2" not in onto


def test_unknown_label_raises_with_hint(onto):
    with pytest.raises(ConceptNotFound, match="did you mean joy"):
        onto.concept("joyy")
    with pytest.raises(ConceptNotFound):
        onto.concept("glee", tier=1)


def test_navigation(onto):
    fear = onto.concept("fear", 1)
    assert len(fear.descendants()) == 2 + 17
    assert [a.label for a in onto.concept("panic").ancestors()] == ["horror", "fear"]
    assert onto.concept("panic").primary() is fear


def test_relations(onto):
    joy = onto.concept("joy", 1)
    sadness = onto.concept("sadness", 1)
    assert joy.opposites() == [sadness] and sadness.opposites() == [joy]
    assert {c.key for c in onto.concept("despair").components()} == {"fear@1", "sadness@1"}
    (transition,) = onto.concept("frustration").transitions()
    assert transition.result.key == "rage@3"
    assert {c.key for c in transition.inputs} == {"frustration@3", "anger@1"}


def test_relations_have_provenance(onto):
    rows = onto.query("""
        SELECT ?s ?o ?src WHERE {
          ?ax a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty tone:isComposedOf ;
              owl:annotatedTarget ?o ; dcterms:source ?src }""")
    assert len(rows) >= 10 and all(str(src) for _, _, src in rows)
    missing = onto.query("""
        SELECT ?s ?o WHERE { ?s tone:isOppositeOf ?o .
          FILTER NOT EXISTS { ?ax owl:annotatedSource ?a ; owl:annotatedTarget ?b ;
                                  owl:annotatedProperty tone:isOppositeOf .
                              FILTER ((?a = ?s && ?b = ?o) || (?a = ?o && ?b = ?s)) } }""")
    assert missing == []


def test_no_concept_is_opposite_to_its_own_ancestor(onto):
    for c in onto.concepts:
        assert not set(c.opposites()) & set(c.ancestors()), c.key


def test_defined_namespace_rejects_typos():
    assert str(TONE.Joy) == T + "Joy"
    assert str(TONE.isOppositeOf) == T + "isOppositeOf"
    with pytest.raises(AttributeError):
        TONE.Joyy


def test_namespace_terms_match_the_shipped_graph():
    from rdflib import Graph

    from tone._resources import data_dir

    graph = Graph().parse(data_dir("ontology") / "tone.ttl")  # the vocabulary, not inferred data
    subjects = {str(s)[len(T):] for s in graph.subjects()
                if isinstance(s, URIRef) and str(s).startswith(T)}
    assert subjects <= set(TONE.__annotations__)


def test_local_names_are_unique_across_tiers():
    names = concept_local_names([("joy", 1), ("joy", 3), ("love", 1), ("love", 3)])
    assert names == {("joy", 1): "Joy", ("joy", 3): "Joy_3", ("love", 1): "Love",
                     ("love", 3): "Love_3"}


def test_table_arrays(onto):
    table = onto.table()
    assert len(table) == 166
    i = table.index("panic")
    assert table.labels[table.ancestors(i)[-1]] == "fear"
    assert table.labels[table.opposite[table.index("anger", 1)]] == "fear"
    assert table.index_of_iri(T + "Joy") == table.index("joy", 1)
    with pytest.raises(ConceptNotFound):
        table.index("nope")


def test_tree_json_shape(onto):
    tree = onto.tree()
    assert [n["label"] for n in tree] == ["anger", "fear", "joy", "love", "sadness", "surprise"]
    counted = {1: 0, 2: 0, 3: 0}

    def walk(node):
        assert set(node) == {"label", "tier", "iri", "children"}
        counted[node["tier"]] += 1
        for child in node["children"]:
            walk(child)

    for node in tree:
        walk(node)
    assert counted == {1: 6, 2: 25, 3: 135}


def test_load_from_path_and_bad_path(tmp_path, onto):
    path = tmp_path / "mini.ttl"
    path.write_text(onto.graph.serialize(format="turtle"), encoding="utf-8")
    assert len(Ontology(path)) == 166
    with pytest.raises(UsageError):
        Ontology(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x#> .\nx:a x:b", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.ttl"):
        Ontology(bad)
