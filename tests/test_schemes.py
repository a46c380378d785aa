"""SKOS mappings to other taxonomies and scores in them (tone.scoring.schemes, Annotation.in_scheme)."""
from __future__ import annotations

import numpy as np
import pytest

from tone.errors import UsageError
from tone.scoring.schemes import LINK_WEIGHTS, get_scheme, scheme_scores, schemes

EXPECTED = {  # scheme: number of categories other than neutral, has neutral
    "ekman": (6, False), "emotionml-big6": (6, False), "plutchik": (8, False),
    "plutchik-intensity": (24, False), "plutchik-dyads": (24, False),
    "goemotions": (27, True), "emotionml-everyday": (17, False), "occ": (22, False),
    "fsre": (24, False), "meld": (6, True), "isear": (7, False), "hvdc": (5, False),
    "emtract": (6, True), "sentiment": (3, True), "feeling-wheel": (6, True),
    "empatheticdialogues": (32, False), "emfacs": (7, False),
}


@pytest.fixture(scope="module")
def annotator():
    from tone import Annotator

    return Annotator()


def test_every_scheme_is_there_with_all_its_categories(onto):
    found = schemes(onto)
    assert set(EXPECTED) <= set(found)
    for name, (n, neutral) in EXPECTED.items():
        scheme = found[name]
        assert len(scheme.labels) == n, name
        assert (scheme.neutral == "neutral") is neutral, name


def test_every_category_links_to_a_tone_concept(onto):
    """Coverage: no category is left without a mapping (neutral excepted)."""
    known = {c.iri for c in onto.concepts}
    for name, scheme in schemes(onto).items():
        for label in scheme.labels:
            links = scheme.links.get(label)
            assert links, f"{name}:{label} has no mapping"
            for relation, iri in links:
                assert relation in LINK_WEIGHTS and iri in known


def test_categories_match_the_emotionml_vocabularies(shared):
    import re

    text = (shared / "emotionml" / "emotion-voc.emotionml").read_text(encoding="utf-8")
    for vocab, scheme in (("big6", "emotionml-big6"), ("everyday-categories",
                                                       "emotionml-everyday"),
                          ("occ-categories", "occ"), ("fsre-categories", "fsre")):
        block = text.split(f'id="{vocab}"', 1)[1].split("</vocabulary>", 1)[0]
        names = set(re.findall(r'<item name="([^"]+)"', block))
        assert set(get_scheme(scheme).labels) == names, vocab


def test_goemotions_and_ekman_match_the_dataset_labels(shared):
    go = (shared / "goemotions" / "original" / "labels.txt").read_text().split()
    assert set(get_scheme("goemotions").categories) == set(go)
    ekman = (shared / "goemotions" / "ekman" / "labels.txt").read_text().split()
    assert set(get_scheme("ekman").labels) == set(ekman) - {"neutral"}


def test_every_link_has_provenance(onto):
    rows = onto.query("""
        SELECT ?cat ?rel ?target WHERE {
          VALUES ?rel { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch
                        skos:relatedMatch }
          ?cat a skos:Concept ; ?rel ?target .
          FILTER NOT EXISTS {
            ?ax owl:annotatedSource ?cat ; owl:annotatedProperty ?rel ;
                owl:annotatedTarget ?target ; dcterms:source ?s ; tone:rationale ?why .
          }
        }""")
    assert rows == []


def test_sparql_walks_from_a_goemotions_category_to_tone_and_back(onto):
    there = onto.query("""
        SELECT ?concept WHERE {
          ?cat skos:inScheme <https://w3id.org/tone/scheme/goemotions> ; skos:notation "grief" ;
               skos:exactMatch ?concept .
        }""")
    assert [str(r[0]) for r in there] == ["https://w3id.org/tone#Grief"]
    back = onto.query("""
        SELECT ?notation WHERE {
          ?cat skos:exactMatch|skos:closeMatch tone:Grief ; skos:notation ?notation ;
               skos:inScheme <https://w3id.org/tone/scheme/goemotions> .
        }""")
    assert [str(r[0]) for r in back] == ["grief"]
    # and from a tone concept to every scheme that names it, walking up the tier tree
    schemes_of_fury = onto.query("""
        SELECT DISTINCT ?scheme WHERE {
          tone:Fury rdfs:subClassOf* ?c . ?cat ?rel ?c ; skos:inScheme ?s .
          ?s skos:notation ?scheme .
          VALUES ?rel { skos:exactMatch skos:closeMatch skos:narrowMatch }
        }""")
    assert {"ekman", "plutchik", "meld", "isear"} <= {str(r[0]) for r in schemes_of_fury}


def test_mapping_concepts_are_not_emotion_classes(onto):
    assert len(onto.concepts) == 166
    assert all("/scheme/" not in c.iri for c in onto.concepts)


@pytest.mark.java
def test_hermit_finds_the_ontology_with_mappings_consistent(onto, java):
    from tone.ontology.reasoner import check

    report = check(onto.graph)
    assert report.consistent and report.unsatisfiable == []


def test_combination_rule_is_max_of_weighted_links(onto):
    table = onto.table()
    ekman = get_scheme("ekman", onto)
    s = np.zeros((1, len(table)))
    s[0, table.index("fury", 3)] = 0.5          # rolls up to rage@2 and anger@1 in a real run
    s[0, table.index("rage", 2)] = 0.5
    s[0, table.index("anger", 1)] = 0.5
    s[0, table.index("disgust", 3)] = 0.8
    row = ekman.score_matrix(s, table)[0]
    got = dict(zip(ekman.labels, row))
    assert got["anger"] == pytest.approx(0.5 * LINK_WEIGHTS["narrowMatch"])
    assert got["disgust"] == pytest.approx(0.8 * LINK_WEIGHTS["exactMatch"])
    result = ekman.result(row)
    assert result.top == ["disgust", "anger"]
    assert ekman.result(row, min_score=0.6).top == ["disgust"]


def test_in_scheme_writes_all_keys_and_neutral(annotator):
    result = annotator.annotate("I am over the moon!")
    plutchik = result.in_scheme("plutchik", ontology=annotator.ontology)
    assert sorted(plutchik.scores) == sorted(["joy", "trust", "fear", "surprise", "sadness",
                                              "disgust", "anger", "anticipation"])
    assert plutchik.top == ["joy"]
    assert plutchik.to_dict() == {"name": "plutchik", "scores": plutchik.scores, "top": ["joy"]}
    go = result.in_scheme("goemotions", ontology=annotator.ontology)
    assert len(go.scores) == 28 and go.top[0] == "joy"
    assert go.scores["neutral"] == pytest.approx(1 - go.scores["joy"], abs=1e-3)


def test_no_evidence_is_neutral_or_empty(annotator):
    result = annotator.annotate("The meeting is at noon.")
    assert result.in_scheme("meld", ontology=annotator.ontology).top == ["neutral"]
    assert result.in_scheme("meld", ontology=annotator.ontology).scores["neutral"] == 1.0
    ekman = result.in_scheme("ekman", ontology=annotator.ontology)
    assert ekman.top == [] and set(ekman.scores.values()) == {0.0}


def test_scores_stay_in_unit_interval(annotator):
    texts = ["I hate this, it is disgusting and I am furious", "what a lovely surprise",
             "I'm so scared and sad", ""]
    for result in annotator.pipe(texts):
        for name in schemes(annotator.ontology):
            out = scheme_scores(result, name, ontology=annotator.ontology)
            assert all(0.0 <= v <= 1.0 for v in out.scores.values())
            assert set(out.top) <= set(out.scores)


def test_unknown_scheme_lists_the_known_ones(onto):
    with pytest.raises(UsageError, match="plutchik"):
        get_scheme("plutchick", onto)


def test_readme_mapping_query_walks_there_and_back(onto):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "ontology" / "README.md").read_text("utf-8")
    section = text.split("## Mappings", 1)[1]
    (query,) = re.findall(r"```rq\n(.*?)```", section, flags=re.S)
    rows = {tuple(map(str, row)) for row in onto.query(query)}
    assert ("grief", "grief", "grief") in rows and ("fear", "fear", "fear") in rows
