"""Inferred dependencies: provenance, graph checks, README queries, reproducibility."""
from __future__ import annotations

import re

import pytest

from tone._resources import data_dir
from tone.deps import Link, binomial_tail, check
from tone.vocab.concepts import ConceptTree


def _section_queries():
    text = (data_dir("ontology") / "README.md").read_text(encoding="utf-8")
    section = text.split("## Inferred dependencies", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sparql\n(.*?)```", section, re.S)


def test_binomial_tail():
    assert binomial_tail(0, 5, 0.3) == pytest.approx(1.0)
    assert binomial_tail(5, 5, 0.5) == pytest.approx(1 / 32)


def test_check_drops_opposite_ancestor_and_cycles():
    tree = ConceptTree.from_rows([("joy", "zest", "thrill"), ("anger", "rage", "fury")])
    links = [Link("isOppositeOf", ("thrill", 3), ("joy", 1), None, "m", 0.9, "s", "r"),
             Link("isComposedOf", ("thrill", 3), ("fury", 3), None, "m", 0.9, "s", "r"),
             Link("isComposedOf", ("fury", 3), ("thrill", 3), None, "m", 0.5, "s", "r")]
    kept = check(tree, links)
    assert kept == [links[1]]


def test_readme_queries_find_links_with_provenance(onto):
    queries = _section_queries()
    assert len(queries) == 3
    for query in queries:
        rows = list(onto.query(query))
        assert rows, query
        for row in rows:
            assert str(row[-2]) and float(row[-1]) > 0


def test_every_inferred_link_has_provenance():
    from rdflib import Graph

    g = Graph().parse(data_dir("ontology") / "dependencies-inferred.ttl")
    methods = {str(o) for o in g.objects(None, g.namespace_manager.expand_curie("tone:method"))}
    assert methods <= {"wordnet-antonymy+valence", "definition+vad-geometry",
                       "meld-transition-binomial"}
    assert len(methods) == 3


def test_infer_reproduces_shipped_file(tmp_path, shared, monkeypatch):
    pytest.importorskip("nltk")
    monkeypatch.setenv("NLTK_DATA", str(shared / "wordnet"))
    from tone.deps import infer, write

    from rdflib import Graph
    from rdflib.compare import isomorphic

    write(infer(shared / "meld" / "data" / "MELD" / "train_sent_emo.csv"), tmp_path / "d.ttl")
    shipped = Graph().parse(data_dir("ontology") / "dependencies-inferred.ttl")
    assert isomorphic(Graph().parse(tmp_path / "d.ttl"), shipped)  # blank nodes reorder
