"""The knowledge-graph store: build from text and JSONL, idempotent re-runs, appends, the
cross-queries of ontology/README.md answered against counts computed from the JSONL records."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
PHRASES = ["I am terrified of the dark", "what a joy this is", "I'm furious about the delay",
           "so nervous before the exam", "that was a horrible shock", "I feel lonely and sad",
           "we are thrilled", "the meeting is at noon", "I was scared to death", "pure dread",
           "I love you so much", "this is disgusting", "what a surprise", "anxious and worried",
           "I am irritated", "rage took over", "a calm evening"]
MONTHS = ["2024-01", "2024-02", "2024-03"]


def documents(n: int = 300, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": f"p{i}", "text": " and ".join(rng.sample(PHRASES, rng.randint(1, 3))) + ".",
             "month": rng.choice(MONTHS), "speaker": rng.choice(["ann", "bob", "cy"])}
            for i in range(n)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """300 documents as .jsonl, their annotation records, and a store built from the records."""
    from tone.annotator import Annotator
    from tone.kg.build import build_store

    folder = tmp_path_factory.mktemp("kg")
    docs = documents()
    source = folder / "posts.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    annotator = Annotator()
    records = [dict(r.to_dict(), month=d["month"], speaker=d["speaker"])
               for r, d in zip(annotator.pipe([d["text"] for d in docs],
                                               ids=[d["id"] for d in docs]), docs)]
    annotated = folder / "annotated.jsonl"
    annotated.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = folder / "store"
    report = build_store([str(annotated)], store, meta_columns=["month", "speaker"])
    assert report.stats.added == 300 and report.annotated == 0
    return {"folder": folder, "source": source, "annotated": annotated, "records": records,
            "store": store, "report": report, "annotator": annotator}


def _cross_queries() -> list[str]:
    text = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    section = text.split("## Cross-queries over annotated corpora", 1)[1]
    return re.findall(r"```SPARQL\n(.*?)```", section, flags=re.S)


def _under(onto, label: str, tier: int, primary: str) -> str | None:
    """The secondary (tier-2 label) under ``primary`` that holds label@tier, if any."""
    concept = onto.concept(label, tier)
    path = [concept, *concept.ancestors()] if hasattr(concept, "ancestors") else [concept]
    chain = {c.tier: c for c in path}
    if chain.get(1) is None or chain[1].label != primary or 2 not in chain:
        return None
    return chain[2].label


def test_store_holds_ontology_and_documents(corpus):
    from tone.kg import KnowledgeGraph

    with KnowledgeGraph(corpus["store"], read_only=True) as kg:
        assert kg.documents() == 300
        assert kg.info["backend"] == "oxigraph"
        graphs = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").value
        assert {str(g) for (g,) in graphs} == {"https://w3id.org/tone/graph/ontology",
                                               "https://w3id.org/tone/graph/corpus"}
        n = kg.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c tone:tier 3 }").value[0][0]
        assert int(n) == 135


def test_cross_query_fear_by_secondary_matches_the_records(corpus, onto):
    from tone.kg import KnowledgeGraph

    expected: dict[str, set] = {}
    for record in corpus["records"]:
        for tier, name in ((2, "secondary"), (3, "tertiary")):
            for label, score in record["emotions"][name].items():
                secondary = _under(onto, label, tier, "fear")
                if score > 0 and secondary:
                    expected.setdefault(secondary, set()).add(record["id"])
    assert expected, "the generated corpus should express fear"
    query = _cross_queries()[0]
    with KnowledgeGraph(corpus["store"], read_only=True) as kg:
        rows = kg.query(query).value
    assert {str(s): int(n) for s, n in rows} == {k: len(v) for k, v in expected.items()}


def test_readme_cross_queries_answer(corpus, onto):
    from tone.kg import KnowledgeGraph

    queries = _cross_queries()
    assert len(queries) == 5
    with KnowledgeGraph(corpus["store"], read_only=True) as kg:
        answers = [kg.query(q).value for q in queries]
    assert all(answers)
    # 2: tertiary under Fear with intensity > 0.6, by month
    expected: dict[str, set] = {}
    for r in corpus["records"]:
        if r["intensity"] > 0.6 and any(
                s > 0 and _under(onto, label, 3, "fear") for label, s in
                r["emotions"]["tertiary"].items()):
            expected.setdefault(r["month"], set()).add(r["id"])
    assert {str(m): int(n) for m, n in answers[1]} == {k: len(v) for k, v in expected.items()}
    # 3: speakers moving from irritation to rage (rows name a speaker)
    assert {str(row[0]) for row in answers[2]} <= {"ann", "bob", "cy"}
    # 4: documents expressing both of an opposite pair
    assert all(str(a) != str(b) for a, b, _ in answers[3])
    # 5: mean valence per dominant primary (values depend on the concept VAD table shipped)
    counts: dict[str, int] = {}
    for r in corpus["records"]:
        for label in r["top"]:
            counts[label] = counts.get(label, 0) + 1
    assert {str(p): int(n) for p, _, n in answers[4]} == counts
    assert all(-1 <= float(v) <= 1 for _, v, _ in answers[4])


def test_rebuild_is_idempotent_and_appends(corpus, tmp_path):
    from tone.kg import KnowledgeGraph
    from tone.kg.build import build_store

    store = tmp_path / "store"
    first = build_store([str(corpus["annotated"])], store, meta_columns=["month", "speaker"])
    again = build_store([str(corpus["annotated"])], store, meta_columns=["month", "speaker"])
    assert again.stats.unchanged == 300 and again.stats.added == 0
    assert again.triples == first.triples
    # change one record and add one: one replaced, one added, no stale triples
    records = [json.loads(line) for line in corpus["annotated"].read_text().splitlines()]
    changed = dict(records[0], intensity=0.01, month="2030-01")
    extra = dict(records[1], id="new-1")
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps(changed) + "\n" + json.dumps(extra) + "\n", encoding="utf-8")
    third = build_store([str(more)], store, meta_columns=["month", "speaker"])
    assert (third.stats.replaced, third.stats.added) == (1, 1)
    with KnowledgeGraph(store, read_only=True) as kg:
        assert kg.documents() == 301
        rows = kg.query('SELECT ?m ?i WHERE { ?c dcterms:identifier "p0" ; meta:month ?m ; '
                        'onyx:hasEmotionSet/onyx:hasEmotionIntensity ?i }').value
        assert [(str(m), float(i)) for m, i in rows] == [("2030-01", 0.01)]
    # the same record back: the store returns to its first triple count
    again = build_store([str(corpus["annotated"])], store, meta_columns=["month", "speaker"])
    assert again.stats.replaced == 1
    from tone.io.rdf import record_triples

    def iri(key):
        return corpus["annotator"].ontology.concept(key[0], key[1]).iri
    added = len(record_triples(extra, "urn:tone:doc:", iri, {"month": extra["month"],
                                                           "speaker": extra["speaker"]}))
    assert again.triples == first.triples + added
    with KnowledgeGraph(store, read_only=True) as kg:
        n_ids = kg.query("SELECT (COUNT(?c) AS ?n) WHERE { ?c dcterms:identifier ?id }").value
        assert int(n_ids[0][0]) == 301


def test_text_input_is_annotated_and_matches_annotate(corpus, tmp_path):
    from tone.kg import KnowledgeGraph
    from tone.kg.build import build_store

    report = build_store([str(corpus["source"])], tmp_path / "s", meta_columns=["month"])
    assert report.annotated == 300
    with KnowledgeGraph(tmp_path / "s", read_only=True) as kg:
        n = kg.query("""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a nif:Context ;
            onyx:hasEmotionSet/tone:dominantEmotion tone:Fear }""").value[0][0]
    expected = sum("fear" in r["top"] for r in corpus["records"])
    assert int(n) == expected


def test_rdflib_backend_answers_like_oxigraph(corpus, tmp_path):
    from tone.kg import KnowledgeGraph
    from tone.kg.build import build_store

    lines = corpus["annotated"].read_text(encoding="utf-8").splitlines()[:40]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = []
    for backend in ("rdflib", "oxigraph"):
        store = tmp_path / backend
        build_store([str(small)], store, meta_columns=["month", "speaker"], backend=backend)
        first = build_store([str(small)], store, meta_columns=["month", "speaker"])
        assert first.stats.unchanged == 40
        with KnowledgeGraph(store, read_only=True) as kg:
            answers.append(sorted((str(s), int(n)) for s, n in kg.query(
                _cross_queries()[0]).value))
            assert (store / ("graph.nq" if backend == "rdflib" else "oxigraph")).exists()
    assert answers[0] == answers[1]


def test_cli_build_and_sparql_store(corpus, tmp_path):
    from tone.cli import cli

    store = tmp_path / "cli-store"
    runner = CliRunner()
    result = runner.invoke(cli, ["kg", "build", str(corpus["annotated"]), "--store", str(store),
                                 "--meta-column", "month"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["sparql", "--store", str(store), "--format", "json",
                                 _cross_queries()[0]])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["secondary", "documents"] and data["results"]["bindings"]
    result = runner.invoke(cli, ["sparql", "--store", str(store), "SELEC nothing"])
    assert result.exit_code == 1 and "line 1" in result.output
    result = runner.invoke(cli, ["sparql", "--store", str(tmp_path / "nope"), "ASK {}"])
    assert result.exit_code == 2
    # the ontology engines still work
    result = runner.invoke(cli, ["sparql", "--store", "oxigraph", "ASK { ?c tone:tier 3 }"])
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_bad_inputs_are_named(tmp_path):
    from tone.errors import ToneError
    from tone.kg.build import build_store

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\n{"id": 2,\n', encoding="utf-8")
    with pytest.raises(ToneError, match=r"bad.jsonl:2"):
        build_store([str(bad)], tmp_path / "s")
    dup = tmp_path / "dup.tsv"
    dup.write_text("id\ttext\na\tjoy\na\tfear\n", encoding="utf-8")
    with pytest.raises(ToneError, match="occurs twice"):
        build_store([str(dup)], tmp_path / "s2")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ToneError, match="not a tone store"):
        build_store([str(dup)], tmp_path / "full")


def test_inputs_are_read_as_tone_annotate_reads_them(tmp_path):
    """kg build reads files through tone.io.readers: gzip, quoted CSV fields over several lines,
    undecodable bytes named by file, line and byte offset."""
    import gzip

    from tone.errors import ToneError
    from tone.kg.build import read_inputs

    table = tmp_path / "posts.csv.gz"
    with gzip.open(table, "wt", encoding="utf-8") as f:
        f.write('id,text,month\na,"so happy,\nreally",2024-01\nb,I am "scared,2024-02\n')
    items = list(read_inputs([str(table)], meta_columns=["month"]))
    assert [(i.id, i.text, i.meta) for i in items] == [
        ("a", "so happy,\nreally", {"month": "2024-01"}),
        ("b", 'I am "scared', {"month": "2024-02"})]
    lines = tmp_path / "notes.txt"
    lines.write_bytes(b"fine\r\nbad \xff\n")
    with pytest.raises(ToneError, match=r"notes.txt:2: byte offset 10"):
        list(read_inputs([str(lines)]))
    first = next(read_inputs([str(lines), str(table)]))
    assert (first.id, first.text) == (f"{lines}:1", "fine")
