"""Domain packs (tone/packs): the loader and its errors, overlays through the normal compile
path, conflicts, tokenizer special cases, the ontology graph, the faces, and each shipped
pack's behaviour on made-up texts (the packs' tests live here, one section per pack)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tone
from tone.cli import cli
from tone.errors import ToneError, UsageError
from tone.packs import PackConflict, PackError, load_pack, packs_dir, shipped_packs
from tone.packs.tokens import merge_tokens, read_tokens
from tone.text import SYMBOL, tokenize

HEADER = "term\tconcept\ttier\tweight\tpos\tkind\tsource\tscore\tstatus\n"


@pytest.fixture(scope="module")
def finance():
    return tone.Annotator(packs=["finance"])


@pytest.fixture(scope="module")
def dreams():
    return tone.Annotator(packs=["dreams"])


def make_pack(folder, name="mine", rows="", **extra):
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"name": name, "title": "t", "description": "d", "licence": "CC0-1.0",
                "sources": ["made up"], **extra}
    if rows:
        (folder / "lexicon.tsv").write_text(HEADER + rows, encoding="utf-8")
        manifest.setdefault("lexicon", "lexicon.tsv")
    (folder / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


# -- the mechanism ----------------------------------------------------------------------------
def test_shipped_packs_listed():
    assert {"finance", "dreams", "empathetic"} <= set(shipped_packs())
    result = CliRunner().invoke(cli, ["packs", "list"])
    assert result.exit_code == 0
    assert {line.split("\t")[0] for line in result.output.splitlines()} >= {
        "finance", "dreams", "empathetic"}


def test_packs_show_json():
    result = CliRunner().invoke(cli, ["packs", "show", "finance", "--json"])
    info = json.loads(result.output)
    assert info["scheme"] == "emtract" and info["lexicon rows"] > 1000


@pytest.mark.parametrize("manifest, key", [
    ({"name": "x", "title": "t", "description": "d", "licence": "l", "sources": ["s"],
      "colour": "red"}, "colour"),
    ({"name": "x", "title": "t", "description": "d", "licence": "l"}, "sources"),
    ({"name": "x", "title": "t", "description": "d", "licence": "l", "sources": ["s"],
      "lexicon": "missing.tsv"}, "lexicon"),
    ({"name": "X Y", "title": "t", "description": "d", "licence": "l", "sources": ["s"]},
     "name"),
    ({"name": "x", "title": "t", "description": "d", "licence": "l", "sources": ["s"],
      "rules": "one.rules"}, "rules"),
])
def test_bad_manifest_names_file_and_key(tmp_path, manifest, key):
    (tmp_path / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(tmp_path)
    assert "pack.json" in str(err.value) and repr(key) in str(err.value)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["name", "title", "description", "licence", "sources",
                                        "lexicon", "rules", "scheme", "tokens", "formats",
                                        "mappings", "valence", "extra"]),
                       JSON_VALUES, max_size=8))
def test_any_manifest_loads_or_fails_with_a_tone_error(tmp_path_factory, manifest):
    folder = tmp_path_factory.mktemp("pack")
    (folder / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        pack = load_pack(folder)
    except PackError as err:
        assert "pack.json" in str(err)
    else:
        assert pack.name == manifest["name"] and pack.sources == tuple(manifest["sources"])


def test_bad_json_is_located(tmp_path):
    (tmp_path / "pack.json").write_text('{"name": "x",\n  oops}', encoding="utf-8")
    with pytest.raises(PackError, match=r"pack.json:2:\d+: not JSON"):
        load_pack(tmp_path)


def test_unknown_pack_name():
    with pytest.raises(UsageError, match="unknown pack 'nope'"):
        tone.Annotator(packs=["nope"])


def test_user_pack_from_folder_adds_and_overrides(tmp_path):
    folder = make_pack(tmp_path / "mine", rows=(
        "zorbly\tglee\t3\t0.9\t\tword\tmine\t1.0\taccepted\n"
        "happy\tfear\t3\t0.9\ta\tword\tmine\t1.0\taccepted\n"))
    annotator = tone.Annotator(packs=[folder])
    assert annotator.annotate("so zorbly today").top == ["joy"]
    assert annotator.annotate("I am happy").top == ["fear"]  # the overlay replaced the term
    assert tone.Annotator().annotate("so zorbly today").top == []


def test_overlay_row_with_unknown_concept_is_located(tmp_path):
    folder = make_pack(tmp_path / "bad", rows="zorbly\tnot-a-feeling\t3\t0.9\t\tword\tm\t1\tauto\n")
    with pytest.raises(ToneError, match=r"lexicon.tsv:2:\d+"):
        tone.Annotator(packs=[folder])


def test_conflicting_overrides_fail_naming_both(tmp_path):
    one = make_pack(tmp_path / "one", "one", rows="zorbly\tglee\t3\t0.9\t\tword\ta\t1\tauto\n")
    two = make_pack(tmp_path / "two", "two", rows="zorbly\tfear\t3\t0.9\t\tword\tb\t1\tauto\n")
    with pytest.raises(PackConflict, match="'one' and 'two' both override the term 'zorbly'"):
        tone.Annotator(packs=[one, two])
    same = make_pack(tmp_path / "three", "three",
                     rows="zorbly\tglee\t3\t0.9\t\tword\tc\t1\tauto\n")
    assert tone.Annotator(packs=[one, same]).annotate("zorbly").top == ["joy"]


def test_two_default_schemes_conflict(tmp_path):
    one = make_pack(tmp_path / "one", "one", scheme="ekman")
    with pytest.raises(PackConflict, match="different default schemes"):
        tone.Annotator(packs=[one, "finance"])


def test_pack_defines_a_scheme_of_its_own(tmp_path):
    folder = make_pack(tmp_path / "moods", "moods", scheme="moods", mappings=["moods.ttl"])
    (folder / "moods.ttl").write_text("""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tone: <https://w3id.org/tone#> .
@prefix m: <https://example.org/moods#> .
<https://example.org/moods> a skos:ConceptScheme ; skos:notation "moods" ;
    skos:hasTopConcept m:up, m:down .
m:up a skos:Concept ; skos:notation "up" ; skos:closeMatch tone:Joy .
m:down a skos:Concept ; skos:notation "down" ; skos:closeMatch tone:Sadness .
""", encoding="utf-8")
    annotator = tone.Annotator(packs=[folder])
    assert annotator.annotate("what a lovely day").in_scheme().top == ["up"]
    result = CliRunner().invoke(cli, ["annotate", "--pack", str(folder), "-q"],
                                input="so sad today\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["scheme"]["top"] == ["down"]


def test_pack_rules_join_the_text_rules(tmp_path):
    folder = make_pack(tmp_path / "r", rows="", rules=["extra.rules"])
    (folder / "extra.rules").write_text('idiom zorbly_idiom: ["zorbly wobbly"] -> glee;\n',
                                        encoding="utf-8")
    annotator = tone.Annotator(packs=[folder])
    assert annotator.annotate("it was zorbly wobbly").top == ["joy"]


def test_in_scheme_without_pack_scheme_needs_a_name():
    with pytest.raises(UsageError, match="needs a scheme name"):
        tone.Annotator(appraisal=False).annotate("happy").in_scheme()


# -- tokens -----------------------------------------------------------------------------------
def test_tokens_file_errors_are_located(tmp_path):
    path = tmp_path / "tokens.tsv"
    path.write_text("pattern\tkind\tsource\n[unclosed\tSYMBOL\tx\n", encoding="utf-8")
    with pytest.raises(ToneError, match=r"tokens.tsv:2:\d+: bad regular expression"):
        read_tokens(path)
    path.write_text("pattern\tkind\tsource\n\\$x\tBANANA\tx\n", encoding="utf-8")
    with pytest.raises(ToneError, match="expected a token kind"):
        read_tokens(path)


CASHTAG = [(re.compile(r"\$[A-Za-z][A-Za-z0-9]{0,5}(?![A-Za-z0-9])"), SYMBOL)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["$TSLA", "$LOVE", "love", "$", "5%", "!", "puts", ":)", "🚀",
                                 "$BRK", "I'm", "up.", "Great"]), max_size=12),
       st.sampled_from([" ", "", "  "]))
def test_merge_tokens_keeps_text_and_batch_shape(words, sep):
    texts = [sep.join(words), "no cashtag here"]
    merged = merge_tokens(tokenize(texts), CASHTAG)
    plain = tokenize(texts)
    for d in range(2):  # tokens cover the same characters, in order
        got = merged.doc_tokens(d)
        assert "".join(got) == "".join(plain.doc_tokens(d))
        assert all(merged.end[i] > merged.start[i] for i in range(len(merged)))
    assert merged.doc_ptr[-1] == len(merged) and merged.sent_ptr[-1] == len(merged)
    assert list(merged.sent_ptr) == sorted(set(merged.sent_ptr.tolist()))
    for i in range(len(merged)):  # a whole-token cashtag is one SYMBOL token
        if CASHTAG[0][0].fullmatch(merged.surface(i)):
            assert int(merged.kind[i]) == SYMBOL


# -- the ontology graph -----------------------------------------------------------------------
def test_pack_terms_in_the_graph_with_provenance(finance):
    rows = finance.ontology.query("""
        PREFIX ontolex: <http://www.w3.org/ns/lemon/ontolex#>
        SELECT ?term ?licence WHERE {
          ?e ontolex:evokes ?c ; rdfs:label ?term ; dcterms:source ?src ;
             dcterms:isPartOf ?pack .
          ?pack dcterms:license ?licence .
          FILTER(STRSTARTS(STR(?src), "emtract"))
        } LIMIT 3""")
    assert len(rows) == 3 and all("MIT" in str(licence) for _, licence in rows)


def test_annotate_cli_pack_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["annotate", "--pack", "nope", "-q"], input="hi\n")
    assert result.exit_code == 2 and "unknown pack 'nope'" in result.output
    odd = make_pack(tmp_path / "odd", "odd", formats=["no-such-format"])
    result = runner.invoke(cli, ["annotate", "--pack", str(odd), "-q"], input="hi\n")
    assert result.exit_code == 2 and "-f no-such-format" in result.output
    result = runner.invoke(cli, ["annotate", "--pack", str(odd), "-q", "-f", "tsv"],
                           input="hi\n")
    assert result.exit_code == 0 and result.output.startswith("id\t")


def test_user_pack_tokens(tmp_path):
    folder = make_pack(tmp_path / "tags", "tags", tokens="tokens.tsv")
    (folder / "tokens.tsv").write_text("pattern\tkind\tsource\nhappy-go-lucky\tSYMBOL\tme\n",
                                       encoding="utf-8")
    assert tone.Annotator(packs=[folder]).annotate("happy-go-lucky").top == []
    assert tone.Annotator().annotate("happy-go-lucky").top == ["joy"]


def test_kg_build_with_pack_joins_spans_to_pack_terms(tmp_path):
    posts = tmp_path / "posts.txt"
    posts.write_text("$AAPL to the moon\nbagholding since 2021, rekt\n", encoding="utf-8")
    runner = CliRunner()
    store = str(tmp_path / "kg")
    result = runner.invoke(cli, ["kg", "build", str(posts), "--store", store, "--pack",
                                 "finance", "--backend", "rdflib"])
    assert result.exit_code == 0, result.output
    query = ("SELECT ?term WHERE { ?s nif:anchorOf ?term . ?e rdfs:label ?l ; "
             'dcterms:source "curated:finance" . FILTER(LCASE(STR(?term)) = STR(?l)) }')
    result = runner.invoke(cli, ["sparql", "--store", store, "--format", "csv", query])
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()[1:]) == ["bagholding", "rekt", "to the moon"]


def test_sparql_cli_with_pack():
    result = CliRunner().invoke(cli, ["sparql", "--pack", "finance", "--format", "csv",
                                      ('SELECT ?c WHERE { ?e rdfs:label "rekt"@en ; '
                                       "ontolex:evokes/rdfs:label ?c }")])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["c", "misery"]


# -- finance ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, primary, emtract", [
    ("$AAPL to the moon 🚀🚀", "joy", "happy"),
    ("bagholding since 2021, rekt", "sadness", "sad"),
    ("FOMO got me, bought the top", "fear", "fear"),
    ("got rugged again on $SHIB", "anger", "anger"),
    ("diamond hands, not selling $GME", "joy", "happy"),
])
def test_finance_posts(finance, text, primary, emtract):
    result = finance.annotate(text)
    assert result.top == [primary]
    assert result.in_scheme().top == [emtract]


def test_cashtags_carry_no_emotion(finance):
    assert finance.annotate("$LOVE $FUN $JOY").top == []
    assert finance.annotate("$LOVE $FUN $JOY").in_scheme().top == ["neutral"]
    assert tone.Annotator().annotate("$LOVE").top == ["love"]  # without the pack: a word


def test_bullish_bearish_is_valence_only(finance):
    bull, bear = finance.annotate("breakout rally on $NVDA"), finance.annotate("$NVDA selloff")
    assert bull.vad["valence"] > 0 > bear.vad["valence"]


def test_finance_cli_default_scheme(tmp_path):
    result = CliRunner().invoke(cli, ["annotate", "--pack", "finance", "-q", "--no-text"],
                                input="$AAPL to the moon 🚀🚀\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["top"] == ["joy"] and record["scheme"]["name"] == "emtract"
    assert record["scheme"]["top"] == ["happy"]


def test_finance_notice_ships():
    notice = (packs_dir() / "finance" / "NOTICE").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Vamossy" in notice


# -- dreams -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, hvdc", [
    ("I was confused, everything felt strange.", "confusion"),
    ("I didn't know where I was, it was all so weird", "confusion"),
    ("I was in an eerie house and someone was chasing me.", "apprehension"),
    ("My mother died in the dream and I cried.", "sadness"),
    ("I was so happy to fly over the sea.", "happiness"),
    ("He yelled at me and I was furious.", "anger"),
])
def test_dream_reports(dreams, text, hvdc):
    assert dreams.annotate(text).in_scheme().top == [hvdc]


def test_dream_emotions_are_attributed_to_characters(dreams):
    """HVdC: the dreamer by default; a third-person frame marks another character's emotion,
    which then counts less in the dreamer's record."""
    result = dreams.annotate("She was terrified, but I felt calm and happy.")
    owner = {s.text: "other" if "hvdc_other_character" in s.rules else "D" for s in result.spans}
    assert owner == {"terrified": "other", "calm": "D", "happy": "D"}
    assert result.in_scheme().top == ["happiness"]
    alone = dreams.annotate("I was terrified.")
    assert alone.spans[0].rules.count("hvdc_other_character") == 0
    assert alone.in_scheme().top == ["apprehension"]


def test_dream_cues_need_the_pack():
    assert tone.Annotator().annotate("an eerie house").top == []


# -- empathetic -------------------------------------------------------------------------------
def test_empathetic_anchor_labels_can_win():
    annotator = tone.Annotator(packs=["empathetic"])
    assert annotator.scheme == "empatheticdialogues"
    for text, label in [("I felt so prepared for the exam", "prepared"),
                        ("I was confident", "confident"),
                        ("She has always been faithful to me", "faithful"),
                        ("I was impressed by his skill", "impressed"),
                        ("I am so grateful for the help", "grateful")]:
        assert annotator.annotate(text).in_scheme().top[0] == label, text


OFF_TREE = {"faithful"}  # anchors.ttl: adoration, by the sense of the word


def test_empathetic_train_pack_is_built_by_the_user(shared, tmp_path):
    from tone.packs.empathetic_vocab import build_train_pack

    shipped = load_pack("empathetic").lexicon_rows()
    assert {row.source.split(":")[0] for row in shipped} == {"wordnet-3.0"}  # nothing of ED
    counts = build_train_pack(shared / "empatheticdialogues", tmp_path / "ed")
    assert counts["train"] > 1000
    pack = load_pack(tmp_path / "ed")
    assert pack.name == "empathetic-train" and "CC BY-NC" in pack.licence
    rows = pack.lexicon_rows()
    assert len(rows) == counts["train"] + counts["wordnet"]
    with pytest.raises(UsageError, match="not empty"):
        build_train_pack(shared / "empatheticdialogues", tmp_path / "ed")


def test_empathetic_mapping_follows_the_label_tree(shared):
    """Every ED label whose label-tree parent names a Parrott secondary is reached from that
    secondary or a concept under it."""
    from tone.scoring.schemes import get_scheme

    annotator = tone.Annotator(packs=["empathetic"])
    onto, table = annotator.ontology, annotator.ontology.table()
    scheme = get_scheme("empatheticdialogues", onto)
    parents = {}
    for line in (shared / "empatheticdialogues" / "label_tree.tsv").read_text().splitlines():
        child, parent = line.split("\t")
        if child in scheme.labels and parent not in ("root", "positive", "negative",
                                                      "ambiguous"):
            parents[child] = parent
    secondaries = {table.labels[i] for i in range(len(table)) if int(table.tiers[i]) == 2}
    off_tree = set()
    for label, parent in parents.items():
        linked = {table.index_of_iri(iri) for _, iri in scheme.links[label]}
        assert linked, label
        if parent in secondaries:
            reached = {table.labels[a] for c in linked for a in [c, *table.ancestors(c)]}
            if parent not in reached:
                off_tree.add(label)
    # the deviations from the tree, each argued in the mapping files (by the word's sense)
    assert off_tree == OFF_TREE


def test_pack_files_are_in_the_package_data():
    # every file of the checkout's packs is in the installed package (CI installs non-editable)
    source = Path(__file__).resolve().parents[1] / "lexicons" / "packs"
    files = [p.relative_to(source) for p in source.rglob("*") if p.is_file()
             and "__pycache__" not in p.parts]
    assert len(files) > 10
    missing = [str(f) for f in files if not (packs_dir() / f).is_file()]
    assert missing == []


def test_copy_of_shipped_pack_works_as_user_pack(tmp_path):
    copy = shutil.copytree(packs_dir() / "dreams", tmp_path / "dreams")
    assert tone.Annotator(packs=[copy]).annotate("so weird").in_scheme().top == ["confusion"]


# -- the faces: spaCy component and Dask ------------------------------------------------------
def test_spacy_component_takes_packs(tmp_path):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("tone", config={"packs": ["finance"]})
    doc = nlp("$AAPL to the moon 🚀🚀, $LOVE it")
    assert doc._.emotions.top == ["joy"]
    assert [span.text for span in doc.spans["tone"]] == ["to the moon", "🚀", "🚀"]
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    assert again.get_pipe("tone").packs == ["finance"]
    assert again("bagholding since 2021, rekt")._.emotions.top == ["sadness"]


def test_dask_bag_takes_packs():
    db = pytest.importorskip("dask.bag")
    from tone.integrations.dask import annotate_bag

    texts = ["$AAPL to the moon 🚀🚀", "bagholding since 2021, rekt", "$LOVE"]
    got = annotate_bag(db.from_sequence(texts, npartitions=2), packs=["finance"]).compute(
        scheduler="synchronous")
    assert [record["top"] for record in got] == [["joy"], ["sadness"], []]
