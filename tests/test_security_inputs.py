"""Hostile input to the surfaces added after the first hardening: domain packs, dialogue
input, subtitles, fitted transition tables. Nothing read from a file reaches the network,
bad input is a ToneError naming where, and ``--errors skip`` loses no document."""
from __future__ import annotations

import io
import json
import os
import re
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.errors import ToneError
from tone.io import read_documents

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
DEEP = "[" * 100_000 + "]" * 100_000
LONG_INT = "1" * 5000


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr("urllib.request.urlopen", refuse)


# -- JSON that Python's parser cannot take -------------------------------------------------

@SETTINGS
@given(st.text(alphabet='[]{}":,0123456789 abtrue-.e', max_size=60))
def test_json_loads_fails_only_with_a_positioned_decode_error(text):
    from tone.io.readers import json_loads

    try:
        json_loads(text)
    except json.JSONDecodeError as err:
        assert 0 <= err.pos <= len(text)


@pytest.mark.parametrize("fmt,lines", [
    ("jsonl", ['{"id": 1, "text": "a", "x": %s}' % DEEP, '{"id": %s, "text": "b"}' % LONG_INT,
               '{"id": 3, "text": "fine"}']),
])
def test_annotate_jsonl_skips_deep_and_long_number_records(fmt, lines):
    data = io.BytesIO("\n".join(lines).encode() + b"\n")
    docs = list(read_documents([data], fmt=fmt, errors="skip"))
    assert [d.error is not None for d in docs] == [True, True, False]
    assert "nested too deeply" in docs[0].error and "<input>:1" in docs[0].error
    assert "4300 digits" in docs[1].error and "<input>:2" in docs[1].error


def test_annotate_jsonl_strict_names_the_line():
    data = io.BytesIO(('{"text": "a", "x": %s}\n' % DEEP).encode())
    with pytest.raises(ToneError, match="nested too deeply"):
        list(read_documents([data], fmt="jsonl"))


def test_dialogue_jsonl_skips_deep_and_long_number_conversations():
    from tone.dialogue.readers import read_conversations

    data = io.BytesIO(("\n".join([
        '{"id": 1, "turns": %s}' % DEEP,
        '{"id": %s, "turns": [["A", "hi"]]}' % LONG_INT,
        '{"id": 3, "turns": [["A", "fine"]]}']) + "\n").encode())
    convs = list(read_conversations([data], fmt="jsonl", errors="skip"))
    assert [c.error is not None for c in convs] == [True, True, False]
    assert "nested too deeply" in convs[0].error and "4300 digits" in convs[1].error


@pytest.mark.parametrize("body", ['{"name": %s}' % DEEP, '{"name": "x", "n": %s}' % LONG_INT])
def test_pack_json_python_cannot_read_is_a_pack_error(tmp_path, body):
    from tone.packs import PackError, load_pack

    (tmp_path / "pack.json").write_text(body)
    with pytest.raises(PackError, match="pack.json: not JSON Python can read"):
        load_pack(tmp_path)


# -- subtitles -----------------------------------------------------------------------------

def test_srt_hours_longer_than_python_converts_skip_the_cue_only():
    srt = ("1\n%s:00:00,000 --> %s:00:01,000\nhuge\n\n2\n00:00:01,000 --> 00:00:02,000\nok\n"
           % ("9" * 5000, "9" * 5000)).encode()
    docs = list(read_documents([io.BytesIO(srt)], fmt="srt", errors="skip"))
    assert [d.error is not None for d in docs] == [True, False]
    assert "at most 9" in docs[0].error and "<input>:2" in docs[0].error


@SETTINGS
@given(st.text(alphabet="0123456789:,.- ", max_size=40))
def test_parse_timestamp_gives_seconds_or_a_bad_time(text):
    from tone.io.subtitles import _BadTime, parse_timestamp

    try:
        seconds = parse_timestamp(text)
    except _BadTime:
        return
    assert 0 <= seconds < 10 ** 9 * 3600 + 3600


# -- fitted transition tables (tone dialogue --tables) -------------------------------------

def _tables_file(tmp_path, weight: str | None = None):
    from tone.dialogue.tables import fit

    cats = ["anger", "fear", "joy", "love", "sadness", "surprise"]
    text = fit([[("A", "joy"), ("B", "anger")]], cats, scheme="primary").to_turtle()
    if weight is not None:
        text = text.replace('"0.142857"^^xsd:double', f'"{weight}"^^xsd:double', 1)
    path = tmp_path / "tables.ttl"
    path.write_text(text)
    return path


def test_tables_from_a_url_are_not_fetched(no_network):
    from tone.dialogue.tables import load
    from tone.errors import UsageError

    with pytest.raises(UsageError, match="no such file: http://127.0.0.1:9/tables.ttl"):
        load("primary", path="http://127.0.0.1:9/tables.ttl")


def test_tables_owl_imports_are_refused_not_fetched(tmp_path, no_network):
    from tone.dialogue.tables import load

    path = _tables_file(tmp_path)
    path.write_text(path.read_text() + "\n<urn:x> owl:imports <http://127.0.0.1:9/x.ttl> .\n")
    assert load("primary", path=path).t_self.shape == (6, 6)


@pytest.mark.parametrize("weight", ["abc", "NaN", "-5", "1e400", "INF", "1.5"])
def test_tables_weights_outside_0_1_name_the_file_and_the_cell(tmp_path, weight, caplog):
    from tone.dialogue.tables import load
    from tone.errors import DataFileError

    path = _tables_file(tmp_path, weight)
    with pytest.raises(DataFileError, match=r"tables\.ttl: the primary \w+-transition "
                                            r"\w+ -> \w+ has the weight .*expected a number "
                                            r"in \[0, 1\]"):
        load("primary", path=path)
    assert not [r for r in caplog.records if r.name.startswith("rdflib")]


# -- domain packs: mappings, paths ---------------------------------------------------------

MOODS = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tone: <https://w3id.org/tone#> .
@prefix m: <https://example.org/moods#> .
<https://example.org/moods> a skos:ConceptScheme, owl:Ontology ; skos:notation "moods" ;
    skos:hasTopConcept m:up, m:down %s.
m:up a skos:Concept ; skos:notation "up" ; skos:closeMatch tone:Joy .
m:down a skos:Concept ; skos:notation "down" ; skos:closeMatch tone:Sadness .
"""


def _mapping_pack(tmp_path, imports: str = ""):
    folder = tmp_path / "moods"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps({
        "name": "moods", "title": "t", "description": "d", "licence": "CC0-1.0",
        "sources": ["made up"], "scheme": "moods", "mappings": ["moods.ttl"]}))
    (folder / "moods.ttl").write_text(MOODS % (f"; owl:imports {imports} " if imports else ""))
    return folder


def test_pack_mapping_importing_a_url_is_refused_at_its_line(tmp_path, no_network):
    import tone
    from tone.errors import DataFileError

    folder = _mapping_pack(tmp_path, "<http://127.0.0.1:9/evil.ttl>")
    with pytest.raises(DataFileError, match=r"moods\.ttl:6:\d+: owl:imports "
                                            r"<http://127.0.0.1:9/evil.ttl>: tone does not fetch"):
        tone.Annotator(packs=[folder])


@pytest.mark.parametrize("imports", ["<https://w3id.org/tone>", "<extra.ttl>"])
def test_pack_mapping_may_import_tone_or_a_file_of_the_pack(tmp_path, imports, no_network):
    import tone

    folder = _mapping_pack(tmp_path, imports)
    (folder / "extra.ttl").write_text(
        "<https://example.org/moods#up> <http://www.w3.org/2000/01/rdf-schema#label> 'up' .\n")
    assert tone.Annotator(packs=[folder]).annotate("what a lovely day").in_scheme().top == ["up"]


def test_pack_mapping_import_leaving_the_pack_is_refused(tmp_path, no_network):
    import tone
    from tone.errors import DataFileError

    (tmp_path / "outside.ttl").write_text("")
    folder = _mapping_pack(tmp_path, "<../outside.ttl>")
    with pytest.raises(DataFileError, match="tone does not fetch imports"):
        tone.Annotator(packs=[folder])


# -- pack tokens: regular expressions from a pack ------------------------------------------

def _tokens_file(tmp_path, pattern: str):
    path = tmp_path / "tokens.tsv"
    path.write_text(f"pattern\tkind\tsource\n{pattern}\tSYMBOL\tmade up\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern,why", [
    (r"(a+)+$", "repeated group"), (r"(a|a)*b", "repeated group"), (r"(a?){30}", "repeated group"),
    (r"(ab)*c", "repeated group"), (r"(a)\1", "backreference"), (r"\w*\w*!", "2 unbounded"),
    ("a?" * 30 + "a" * 30, "match paths"), ("a{99999999999}", "too large"),
    ("(?:" * 5000 + "a" + ")" * 5000, "recursion"),
])
def test_pack_token_patterns_that_backtrack_are_refused(tmp_path, pattern, why):
    from tone.errors import DataFileError
    from tone.packs.tokens import read_tokens

    with pytest.raises(DataFileError, match=f"tokens.tsv:2:1: .*{why}"):
        read_tokens(_tokens_file(tmp_path, pattern))


@pytest.mark.parametrize("pattern", [r"\$[A-Za-z][A-Za-z0-9]{0,5}(?:\.[A-Za-z]{1,2})?", r"#\w+",
                                     r"(?:a|b)*c", r"[ab]{0,3}c"])
def test_pack_token_patterns_of_one_character_repeats_load(tmp_path, pattern):
    from tone.packs.tokens import read_tokens

    assert len(read_tokens(_tokens_file(tmp_path, pattern))) == 1


@SETTINGS
@given(st.text(alphabet="ab()[]{}|*+?\\1,0-9:^$.", min_size=1, max_size=24))
def test_read_tokens_loads_or_names_the_line(tmp_path_factory, pattern):
    from tone.errors import DataFileError
    from tone.packs.tokens import backtracking_risk, read_tokens

    path = _tokens_file(tmp_path_factory.mktemp("tok"), pattern.replace("\t", " "))
    try:
        [(compiled, _)] = read_tokens(path)
    except DataFileError as err:
        assert ":2:" in str(err)
        return
    assert backtracking_risk(compiled.pattern) is None


# -- pack overlays: encodings --------------------------------------------------------------

LEXICON_HEADER = "term\tconcept\ttier\tweight\tpos\tkind\tsource\tscore\tstatus\n"


def test_valence_overlay_with_invalid_utf8_names_line_and_offset(tmp_path):
    from tone.errors import DataFileError
    from tone.vocab.valence import read_valence

    path = tmp_path / "valence.tsv"
    path.write_bytes(b"term\tvalence\tsource\nzo\xffrb\t0.5\tx\n")
    with pytest.raises(DataFileError, match=r"valence\.tsv:2: byte offset 22: invalid UTF-8"):
        read_valence(path)


def test_valence_overlay_lines_split_on_newline_only(tmp_path):
    from tone.errors import DataFileError
    from tone.vocab.valence import read_valence

    path = tmp_path / "valence.tsv"
    path.write_text("term\tvalence\tsource\nzo\u2028rb\t0.5\tx\nbad\t7\tx\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"valence\.tsv:3:5: valence must lie in"):
        read_valence(path)


@pytest.mark.parametrize("name,text", [
    ("valence.tsv", "term\tvalence\tsource\nzorb\t0.5\tx\n"),
    ("lexicon.tsv", LEXICON_HEADER + "zorb\tglee\t3\t0.5\t\tword\tx\t1.0\taccepted\n"),
    ("tokens.tsv", "pattern\tkind\tsource\n#zorb\tSYMBOL\tx\n"),
])
def test_overlays_saved_with_a_byte_order_mark_load(tmp_path, name, text):
    from tone.lexicon.rows import read_lexicon
    from tone.packs.tokens import read_tokens
    from tone.vocab.valence import read_valence

    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    read = {"valence.tsv": read_valence, "lexicon.tsv": read_lexicon,
            "tokens.tsv": read_tokens}[name]
    assert len(read(path)) == 1


@SETTINGS
@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=["Cs"]), max_size=8),
                          st.floats(allow_nan=True, allow_infinity=True)), max_size=5),
       st.booleans())
def test_read_valence_rows_or_a_named_line(tmp_path_factory, rows, bom):
    from tone.errors import DataFileError
    from tone.vocab.valence import read_valence

    body = "term\tvalence\tsource\n" + "".join(f"{t}\t{v}\tx\n" for t, v in rows)
    path = tmp_path_factory.mktemp("v") / "valence.tsv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    try:
        out = read_valence(path)
    except DataFileError as err:
        assert err.line is not None and err.line >= 1
        return
    assert all(-1.0 <= v <= 1.0 for _, v, _ in out)


def test_dialogue_csv_header_past_the_field_limit_is_a_named_error(tmp_path):
    import csv

    from tone.dialogue.readers import read_conversations
    from tone.errors import DataFileError

    path = tmp_path / "big.csv"
    path.write_text("Dialogue_ID,Speaker,Utterance,X" + "y" * 2000 + "\n1,A,hello,x\n")
    limit = csv.field_size_limit(1000)  # (the default, 131,072, may have been raised)
    try:
        with pytest.raises(DataFileError, match=r"big\.csv:1: malformed header row"):
            list(read_conversations([path], fmt="csv", errors="skip"))
    finally:
        csv.field_size_limit(limit)


# -- a saved spaCy pipeline's tone.json ----------------------------------------------------

@pytest.mark.parametrize("config,message", [
    ({"rules": True, "batch_size": 8, "lexicon": "/etc/passwd", "packs": []}, "not a file in"),
    ({"rules": True, "batch_size": 8, "lexicon": "../lexicon.tsv", "packs": []}, "not a file in"),
    ({"rules": True, "batch_size": "8", "lexicon": None}, "'batch_size': unexpected value"),
    ({"rules": True, "lexicon": None}, "'batch_size' missing"),
    ([1, 2], "expected a JSON object"),
    ({"rules": True, "batch_size": 8, "lexicon": None, "packs": [{"x": 1}]}, "'packs'"),
])
def test_spacy_component_config_from_disk_is_checked(tmp_path, config, message):
    pytest.importorskip("spacy")
    from tone.errors import DataFileError
    from tone.integrations.spacy_component import ToneComponent

    (tmp_path / "lexicon.tsv").write_text(LEXICON_HEADER)
    folder = tmp_path / "tone"
    folder.mkdir()
    (folder / "tone.json").write_text(json.dumps(config))
    component = ToneComponent.__new__(ToneComponent)
    with pytest.raises(DataFileError, match=rf"tone\.json: .*{message}"):
        component.from_disk(folder)


def test_spacy_component_config_python_cannot_read(tmp_path):
    pytest.importorskip("spacy")
    from tone.errors import DataFileError
    from tone.integrations.spacy_component import ToneComponent

    (tmp_path / "tone.json").write_text(DEEP)
    with pytest.raises(DataFileError, match=r"tone\.json: not the JSON tone writes"):
        ToneComponent.__new__(ToneComponent).from_disk(tmp_path)


# -- listener rules from a user's ontology -------------------------------------------------

@pytest.mark.parametrize("weight", ['"abc"', '"NaN"^^xsd:double', "5.0", "-0.5"])
def test_listener_rule_weights_outside_0_1_are_named(weight):
    from rdflib import Graph

    import tone.defaults
    from tone._resources import data_dir
    from tone.dialogue.listener import listener_rules
    from tone.errors import DataFileError

    text = (data_dir("ontology") / "listener.ttl").read_text(encoding="utf-8")
    text = text.replace("tone:weight 0.3 ;", f"tone:weight {weight} ;", 1)
    graph = Graph().parse(data=text, format="turtle")

    class Onto:  # what listener_rules uses of an Ontology
        concept = staticmethod(tone.defaults.default_ontology().concept)

        def query(self, q):
            return graph.query(q, initNs={"tone": "https://w3id.org/tone#",
                                          "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})

    with pytest.raises(DataFileError, match=r"listener rule asking <https://w3id.org/tone#"
                                            r"listenerRule_asking> has the weight"):
        listener_rules(Onto())


@pytest.mark.parametrize("fmt,head", [("srt", b"1\n"), ("vtt", b"WEBVTT\n\n")])
def test_subtitle_line_past_the_limit_names_file_and_line(fmt, head):
    from tone.errors import DataFileError

    data = head + b"00:00:01.000 --> 00:00:02.000\n" + b"x" * (3 << 20) + b"\n\n" \
        + head.replace(b"WEBVTT\n\n", b"") + b"00:00:03.000 --> 00:00:04.000\nok\n"
    lines_before = head.count(b"\n") + 2
    docs = list(read_documents([io.BytesIO(data)], fmt=fmt, errors="skip", max_line_bytes=1000))
    assert [d.error is not None for d in docs] == [True, False]
    assert docs[0].error.startswith(f"<input>:{lines_before}: a line longer than 1,000 bytes")
    with pytest.raises(DataFileError, match=f"<input>:{lines_before}: a line longer"):
        list(read_documents([io.BytesIO(data)], fmt=fmt, max_line_bytes=1000))


# -- tone dialogue fit: the tables it writes, the conversations it leaves out --------------

def test_dialogue_fit_names_each_skipped_conversation(tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    data = tmp_path / "fit.jsonl"
    data.write_text('{"id": 1, "turns": [{"speaker": "A", "text": "hi", "emotion": "joy"}, '
                    '{"speaker": "B", "text": "grr", "emotion": "anger"}]}\n'
                    '{"id": 2, "turns": []}\nnot json\n')
    result = CliRunner().invoke(cli, ["dialogue", "fit", "--errors", "skip", str(data),
                                      "-o", str(tmp_path / "t.ttl")])
    assert result.exit_code == 0, result.output
    assert f"skipped {data}:2: conversation 2 has no turns" in result.stderr
    assert f"skipped {data}:3: malformed JSON" in result.stderr


@SETTINGS
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
       st.text(st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_fitted_tables_read_back_whatever_their_source_and_method(tmp_path_factory, source,
                                                                  method):
    from tone.dialogue.tables import fit, load

    cats = ["anger", "fear", "joy", "love", "sadness", "surprise"]
    tables = fit([[("A", "joy"), ("B", "anger")]], cats, scheme="primary", source=source,
                 method=method)
    path = tmp_path_factory.mktemp("t") / "tables.ttl"
    path.write_text(tables.to_turtle(), encoding="utf-8")
    again = load("primary", path=path)
    assert (again.source, again.method) == (source, method)
    assert (again.t_self.round(6) == tables.t_self.round(6)).all()


def test_a_folder_named_like_a_shipped_pack_does_not_stand_in_for_it(tmp_path, monkeypatch):
    from tone.packs import load_pack, packs_dir

    planted = tmp_path / "finance"
    planted.mkdir()
    (planted / "pack.json").write_text(json.dumps({
        "name": "finance", "title": "t", "description": "d", "licence": "x",
        "sources": ["s"]}))
    monkeypatch.chdir(tmp_path)
    assert load_pack("finance").folder == (packs_dir() / "finance").resolve()
    assert load_pack("./finance").folder == planted.resolve()
    assert load_pack(planted).folder == planted.resolve()


def test_pack_json_saved_with_a_byte_order_mark_loads(tmp_path):
    from tone.packs import load_pack

    (tmp_path / "pack.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({
        "name": "bom", "title": "t", "description": "d", "licence": "x",
        "sources": ["s"]}).encode())
    assert load_pack(tmp_path).name == "bom"


def _fifo(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    return fifo


def _loaders():
    from tone.dialogue.tables import load as load_tables
    from tone.lexicon.loaders import load_lexicon
    from tone.ontology._safeload import parse_file as parse_ontology
    from tone.rules.modifiers import read_modifiers
    from tone.ruleslang import parse_file as parse_rules
    from tone.tsv import lines

    return {
        "tables": lambda p: load_tables("primary", path=p),
        "lexicon": load_lexicon,
        "ontology": lambda p: parse_ontology(Path(p), "turtle"),
        "modifiers": read_modifiers,
        "rules": parse_rules,
        "tsv": lambda p: list(lines(p)),
    }


@pytest.mark.parametrize("kind", sorted(_loaders()))
@pytest.mark.parametrize("source", ["device", "fifo", "folder"])
def test_data_files_that_never_end_are_refused(kind, source, tmp_path):
    """/dev/zero would be read until memory runs out, a FIFO would wait for a writer forever:
    every data file loader refuses what is not a regular file, naming it."""
    from tone.errors import ToneError

    path = {"device": "/dev/zero", "fifo": lambda: _fifo(tmp_path, "x.ttl"),
            "folder": lambda: tmp_path}[source]
    path = str(path() if callable(path) else path)
    with pytest.raises((ToneError, OSError), match="not a regular file") as caught:
        _loaders()[kind](path)
    assert path in str(caught.value)


def test_a_pack_whose_manifest_is_a_fifo_is_refused(tmp_path):
    from tone.errors import ToneError
    from tone.packs import load_pack

    _fifo(tmp_path, "pack.json")
    with pytest.raises(ToneError, match=r"pack.json is not a regular file \(a FIFO\)"):
        load_pack(tmp_path)  # not opened, so no wait
    (tmp_path / "pack.json").unlink()
    (tmp_path / "pack.json").symlink_to("/dev/zero")
    with pytest.raises(ToneError, match=r"pack.json is not a regular file \(a device\)"):
        load_pack(tmp_path)
    (tmp_path / "pack.json").unlink()
    with pytest.raises(ToneError, match="the folder has no pack.json"):
        load_pack(tmp_path)


@pytest.mark.parametrize("option", ["--lexicon", "--tables"])
def test_cli_data_file_from_a_device_is_bad_data(option, tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    (tmp_path / "in.txt").write_text("I am happy\n")
    command = ["annotate"] if option == "--lexicon" else ["dialogue"]
    result = CliRunner().invoke(cli, [*command, option, "/dev/zero", str(tmp_path / "in.txt")])
    assert result.exit_code == 1, result.output  # bad data, as any unreadable data file
    assert "/dev/zero" in result.output and "not a regular file" in result.output


def test_tables_from_a_device_are_named_as_tables():
    from tone.dialogue.tables import load as load_tables
    from tone.errors import DataFileError

    with pytest.raises(DataFileError, match="cannot read transition tables: not a regular"):
        load_tables("primary", path="/dev/zero")


@pytest.mark.parametrize("source, message", [
    ("device", "not an ontology file or folder"),
    ("fifo", "not an ontology file or folder"),
    ("empty folder", r"no ontology files \(\*\.ttl\) in the folder"),
    ("missing", "no such ontology file or folder"),
])
def test_ontology_option_says_what_is_wrong_with_the_path(source, message, tmp_path):
    """`--ontology /dev/zero` is not "no such file"; an empty folder is not an empty ontology
    that silently answers every query with nothing."""
    from click.testing import CliRunner

    from tone.cli import cli

    path = {"device": "/dev/zero", "fifo": str(tmp_path / "x.ttl"),
            "empty folder": str(tmp_path), "missing": str(tmp_path / "nope.ttl")}[source]
    if source == "fifo":
        _fifo(tmp_path, "x.ttl")
    result = CliRunner().invoke(cli, ["sparql", "--ontology", path, "ASK { ?s ?p ?o }"])
    assert result.exit_code == 2, result.output
    assert path in result.output and len(result.output.strip().splitlines()) == 1
    assert re.search(message, result.output), result.output


@pytest.mark.parametrize("source", ["device", "fifo", "missing"])
def test_kg_build_refuses_a_bad_input_before_it_makes_a_store(source, tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    path = {"device": "/dev/zero", "fifo": str(tmp_path / "in.txt"),
            "missing": str(tmp_path / "nope.txt")}[source]
    if source == "fifo":
        _fifo(tmp_path, "in.txt")
    store = tmp_path / "kg"
    result = CliRunner().invoke(cli, ["kg", "build", path, "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert re.search(rf"{re.escape(path)}: (no such file|not a regular file)", result.output)
    assert not store.exists()  # no empty store left behind


@pytest.mark.parametrize("content, code, message", [
    (b"SELECT \xff", 1, r"q\.rq: byte offset 7: invalid UTF-8 in the query file"),
    (None, 2, r"cannot read the query file \(not a regular file \(a FIFO\)\)"),
])
def test_sparql_query_file_errors_are_one_line(content, code, message, tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    query = tmp_path / "q.rq"
    if content is None:
        _fifo(tmp_path, "q.rq")
    else:
        query.write_bytes(content)
    result = CliRunner().invoke(cli, ["sparql", f"@{query}"])
    assert result.exit_code == code, result.output
    assert re.search(message, result.output) and "Traceback" not in result.output


def test_sparql_query_file_saved_with_a_byte_order_mark_runs(tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    query = tmp_path / "q.rq"
    query.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }")
    result = CliRunner().invoke(cli, ["sparql", f"@{query}"])
    assert result.exit_code == 0, result.output
    assert "true" in result.output.lower()


def test_eval_file_from_a_device_says_so():
    from tone.errors import UsageError
    from tone.evaluate import read_table

    with pytest.raises(UsageError, match=r"/dev/zero: not a regular file \(a device\)"):
        read_table("/dev/zero", "csv", "text", "ekman", label="label")


@pytest.mark.parametrize("manifest", ["{}", "[]", "garbage", '{"backend": "x", "base": "u"}'])
@pytest.mark.parametrize("command", [["sparql", "--store", "{store}", "ASK {}"],
                                     ["kg", "info", "--store", "{store}"],
                                     ["serve", "--store", "{store}", "--port", "0"]])
def test_a_damaged_store_manifest_is_one_line_not_a_traceback(manifest, command, tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli

    store = tmp_path / "kg"
    store.mkdir()
    (store / "tone-kg.json").write_text(manifest)
    result = CliRunner().invoke(cli, [part.replace("{store}", str(store)) for part in command])
    assert result.exit_code == 1, result.output
    assert "not a valid store manifest" in result.output and "the store is damaged" in \
        result.output
    assert not isinstance(result.exception, (KeyError, TypeError, ValueError))
