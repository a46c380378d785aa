"""OWL export and the HermiT check through owlready2."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from tone.errors import ReasonerError, UsageError
from tone.ontology import Ontology
from tone.ontology.namespace import TONE_IRI
from tone.ontology.reasoner import check, export


def test_owl_export_loads_in_owlready2_fresh_world(onto):
    import owlready2

    text = export(onto.graph, "owl")
    assert text.startswith("<?xml")
    world = owlready2.World()
    loaded = world.get_ontology("https://w3id.org/tone").load(fileobj=__import__("io").BytesIO(
        text.encode()))
    names = {c.name for c in loaded.classes()}
    assert {"Joy", "Joy_3", "Sadness_2", "Emotion"} <= names
    assert owlready2.default_world is not world


@pytest.mark.parametrize("fmt,parse_as", [("ttl", "turtle"), ("nt", "nt"),
                                          ("jsonld", "json-ld"), ("owl", "xml")])
def test_exports_round_trip(onto, fmt, parse_as):
    graph = Graph().parse(data=export(onto.graph, fmt), format=parse_as)
    assert len(graph) == len(onto.graph)


def test_unknown_export_format(onto):
    with pytest.raises(UsageError, match="ttl"):
        export(onto.graph, "xlsx")


def test_hermit_finds_the_shipped_ontology_consistent(onto, java):
    report = check(onto.graph)
    assert report.consistent and report.unsatisfiable == []
    assert report.classes >= 167


def test_hermit_reports_a_class_under_two_opposites(java):
    graph = Ontology().graph
    bad = URIRef(TONE_IRI + "Bittersweet")
    graph.add((bad, RDF.type, OWL.Class))
    graph.add((bad, RDFS.subClassOf, URIRef(TONE_IRI + "Happiness")))
    graph.add((bad, RDFS.subClassOf, URIRef(TONE_IRI + "Sadness_3")))
    report = check(graph)
    assert report.consistent and report.unsatisfiable == ["Bittersweet"]


def test_missing_java_says_how_to_install(onto, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ReasonerError, match="apt-get install"):
        check(onto.graph)
