"""A knowledge-graph store has one writer at a time, and bad input or a failing disk never
costs documents: concurrent ``tone kg build`` runs either wait (``--wait``) or fail at once
naming the holder; a stale lock file does not block; a lone surrogate obeys ``--errors``; an
OSError while writing is a one-line error that leaves the last complete store readable."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tone.errors import ToneError

pyoxigraph = pytest.importorskip("pyoxigraph")

TONE = [sys.executable, "-m", "tone.cli"]
LOCK_LINE = (r"the store is being written by pid \d+ .*since .*; "
             r"wait for it to finish, or pass --wait")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """Annotation records (no annotator needed to load them): two sets with disjoint ids."""
    from tone.annotator import Annotator

    texts = ["I am terrified of the dark", "what a joy this is", "I'm furious about the delay",
             "so nervous before the exam", "that was a horrible shock", "we are thrilled"]
    base = [r.to_dict() for r in Annotator().pipe(texts)]
    folder = tmp_path_factory.mktemp("lock")
    sets = {}
    for name, n in (("a", 600), ("b", 600), ("small", 5)):
        rows = [dict(base[i % len(base)], id=f"{name}{i}") for i in range(n)]
        path = folder / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        sets[name] = (path, {r["id"] for r in rows})
    return sets


def _ids(store) -> set[str]:
    from tone.kg import KnowledgeGraph

    with KnowledgeGraph(store, read_only=True) as kg:
        rows = kg.query("SELECT ?id WHERE { ?c a nif:Context ; dcterms:identifier ?id }").value
    return {str(r[0]) for r in rows}


def _build(path, store, *extra) -> subprocess.Popen:
    return subprocess.Popen([*TONE, "kg", "build", str(path), "--store", str(store), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[1])


def _one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("tone: error: "), stderr
    return lines[0]


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_second_writer_fails_at_once_naming_the_holder(records, tmp_path, backend):
    from tone.kg import KnowledgeGraph

    store = tmp_path / "kg"
    a_path, a_ids = records["a"]
    b_path, _ = records["b"]
    holder = KnowledgeGraph(store, backend=backend)  # a writer that is not done yet
    try:
        started = time.monotonic()
        proc = _build(b_path, store)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err
        line = _one_line_error(err)
        assert str(store) in line and str(os.getpid()) in line
        assert re.search(LOCK_LINE, line), line
        assert time.monotonic() - started < 60  # no waiting for the holder
        holder.add_records(json.loads(x) for x in a_path.read_text().splitlines())
    finally:
        holder.close()
    assert _ids(store) == a_ids  # the holder's documents all there, nothing of the loser


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_two_concurrent_builds_never_lose_documents(records, tmp_path, backend):
    store = tmp_path / "kg"
    (a_path, a_ids), (b_path, b_ids) = records["a"], records["b"]
    subprocess.run([*TONE, "kg", "build", str(records["small"][0]), "--store", str(store),
                    "--backend", backend], check=True, capture_output=True)
    first = _build(a_path, store)
    lock = store / "tone-kg.lock"
    deadline = time.monotonic() + 60
    while not lock.read_text().strip() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    second = _build(b_path, store)
    (_, err1), (_, err2) = first.communicate(timeout=300), second.communicate(timeout=300)
    ids = _ids(store) - records["small"][1]
    if first.returncode == 0 and second.returncode == 0:  # they did not overlap after all
        assert ids == a_ids | b_ids
    else:
        assert first.returncode == 0, err1
        assert second.returncode == 1
        assert "the store is being written by" in _one_line_error(err2)
        assert ids == a_ids


def test_wait_waits_for_the_holder_then_adds_its_documents(records, tmp_path):
    from tone.kg import KnowledgeGraph

    store = tmp_path / "kg"
    (a_path, a_ids), (b_path, b_ids) = records["a"], records["b"]
    holder = KnowledgeGraph(store, backend="rdflib")
    try:
        holder.add_records(json.loads(x) for x in a_path.read_text().splitlines())
        waiter = _build(b_path, store, "--wait")
        time.sleep(4)  # long enough to start and find the store taken
        assert waiter.poll() is None, waiter.communicate()
    finally:
        holder.close()  # writes graph.nq and releases the lock
    _, err = waiter.communicate(timeout=300)
    assert waiter.returncode == 0, err
    assert "waiting for pid" in err
    assert _ids(store) == a_ids | b_ids


def test_wait_timeout_gives_up_with_one_line(records, tmp_path):
    from tone.cli import cli
    from tone.kg import KnowledgeGraph

    store = tmp_path / "kg"
    with KnowledgeGraph(store, backend="rdflib"):
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["kg", "build", str(records["small"][0]), "--store",
                                          str(store), "--wait-timeout", "0.5"])
        assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "after waiting 0.5 s" in result.output and "Traceback" not in result.output


def test_threads_with_wait_both_land(records, tmp_path):
    """The lock holds between threads of one process too (flock is per open file)."""
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    (a_path, a_ids), (b_path, b_ids) = records["a"], records["b"]
    build_store([str(records["small"][0])], store, backend="rdflib")
    errors = []

    def run(path):
        try:
            build_store([str(path)], store, wait=True)
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)
    threads = [threading.Thread(target=run, args=(p,)) for p in (a_path, b_path)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors
    assert _ids(store) == a_ids | b_ids | records["small"][1]


def test_closing_an_oxigraph_store_frees_it_for_the_next_writer(records, tmp_path):
    """pyoxigraph has no close(): the database must be released by close() even when a query
    result is still referenced somewhere (here: on purpose, as a reference cycle would)."""
    from tone.kg import KnowledgeGraph

    store = tmp_path / "kg"
    good = [json.loads(x) for x in records["small"][0].read_text().splitlines()]
    for round_ in range(3):
        with KnowledgeGraph(store, backend="oxigraph") as kg:
            kg.add_records([dict(good[0], id=f"r{round_}")])
            kept = kg.backend.store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
            cycle = [kept]
            cycle.append(cycle)
            del kept, cycle
            assert kg.documents() == round_ + 1


def test_stale_lock_file_does_not_block(records, tmp_path):
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    path, ids = records["small"]
    build_store([str(path)], store, backend="rdflib")
    (store / "tone-kg.lock").write_text(json.dumps(
        {"pid": 999_999_999, "host": "gone", "command": "tone kg build x", "since": "2020"}))
    more = tmp_path / "more.jsonl"
    more.write_text(path.read_text().replace('"id": "small', '"id": "more'), encoding="utf-8")
    report = build_store([str(more)], store)
    assert report.stats.added == 5
    assert len(_ids(store)) == 10
    # and a lock file in an otherwise empty folder (a build killed at its start) is no store
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "tone-kg.lock").write_text("")
    assert build_store([str(path)], fresh, backend="rdflib").stats.added == 5


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_readers_are_not_blocked_by_a_writer(records, tmp_path, backend):
    from tone.cli import cli
    from tone.kg import KnowledgeGraph
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    path, ids = records["small"]
    build_store([str(path)], store, backend=backend)
    with KnowledgeGraph(store) as writer:
        writer.add_records([dict(json.loads(path.read_text().splitlines()[0]), id="late")])
        assert _ids(store) >= ids  # a reader in this process
        result = subprocess.run([*TONE, "sparql", "--store", str(store), "--format", "json",
                                 "SELECT ?id WHERE { ?c dcterms:identifier ?id }"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        got = {b["id"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
        assert got >= ids
        assert CliRunner().invoke(cli, ["kg", "info", "--store", str(store)]).exit_code == 0


def test_oxigraph_lock_clash_outside_tone_is_one_line(records, tmp_path):
    from tone.cli import cli
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    build_store([str(records["small"][0])], store, backend="oxigraph")
    outside = pyoxigraph.Store(str(store / "oxigraph"))  # a writer that takes no tone lock
    try:
        result = CliRunner().invoke(cli, ["kg", "build", str(records["small"][0]), "--store",
                                          str(store)])
    finally:
        del outside
    assert result.exit_code == 1
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "Oxigraph database is open for writing elsewhere" in result.output


# -- lone surrogates ---------------------------------------------------------------------------
SURROGATE_LINES = ['{"id": "a", "text": "x \\ud800 y"}', '{"id": "b\\udc00", "text": "fine"}',
                   '{"id": "c", "text": "what a joy"}']


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_cli_build_obeys_errors_on_lone_surrogates(tmp_path, backend):
    """(kg build reads .jsonl itself, in tone/kg/build.py: this does not wait on tone.io.)"""
    from tone.cli import cli

    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(SURROGATE_LINES) + "\n", encoding="utf-8")
    runner = CliRunner()
    store = tmp_path / "strict"
    result = runner.invoke(cli, ["kg", "build", str(source), "--store", str(store),
                                 "--backend", backend])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "in.jsonl:1:" in result.output and "lone surrogate (U+D800)" in result.output
    assert "--errors replace|skip" in result.output

    store = tmp_path / "skip"
    result = runner.invoke(cli, ["kg", "build", str(source), "--store", str(store),
                                 "--backend", backend, "--errors", "skip"])
    assert result.exit_code == 0, result.output
    assert "in.jsonl:1: field 'text' holds a lone surrogate" in result.output
    assert "in.jsonl:2: field 'id' holds a lone surrogate" in result.output
    assert result.output.count("tone: skipped ") == 2
    assert _ids(store) == {"c"}

    store = tmp_path / "replace"
    result = runner.invoke(cli, ["kg", "build", str(source), "--store", str(store),
                                 "--backend", backend, "--errors", "replace"])
    assert result.exit_code == 0, result.output
    assert _ids(store) == {"a", "b\ufffd", "c"}
    from tone.kg import KnowledgeGraph

    with KnowledgeGraph(store, read_only=True) as kg:
        texts = {str(t) for (t,) in kg.query(
            "SELECT ?t WHERE { ?c a nif:Context ; nif:isString ?t }").value}
    assert "x \ufffd y" in texts


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_api_records_with_surrogates_are_named_not_crashed(records, tmp_path, backend):
    from tone.kg import KnowledgeGraph

    store = tmp_path / "kg"
    good = [json.loads(x) for x in records["small"][0].read_text().splitlines()]
    bad_text = dict(good[0], id="bad", text="x \ud800 y")
    bad_id = dict(good[1], id="b\udc00")
    bad_meta = dict(good[2], id="m")
    with KnowledgeGraph(store, backend=backend) as kg:
        for record, meta, pattern in ((bad_text, None, r"document 'bad': text holds a lone "
                                       r"surrogate \(U\+D800\)"),
                                      (bad_id, None, r"document 'b\\udc00': id holds"),
                                      (bad_meta, {"month": "\udfff"}, r"document 'm': meta "
                                       r"month holds")):
            with pytest.raises(ToneError, match=pattern) as info:
                kg.add_records([good[3], record], meta=[{}, meta or {}])
            assert "\n" not in str(info.value)
    assert _ids(store) == {good[3]["id"]}  # the records before the bad one are stored


# -- I/O errors while writing ------------------------------------------------------------------
def _nq_state(store: Path):
    return (store / "graph.nq").read_bytes()


def test_failed_write_keeps_the_last_complete_store(records, tmp_path, monkeypatch):
    """Disk full while graph.nq is rewritten: one-line error naming the path, the previous
    graph.nq untouched and readable, no temporary file left behind."""
    from rdflib import Dataset

    from tone.cli import cli
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    path, ids = records["small"]
    build_store([str(path)], store, backend="rdflib")
    before = _nq_state(store)
    real = Dataset.serialize

    def full_disk(self, destination=None, *args, **kwargs):
        if isinstance(destination, str):
            with open(destination, "wb") as handle:
                handle.write(b"<urn:half> <urn:written")
            raise OSError(28, "No space left on device")
        return real(self, destination, *args, **kwargs)
    monkeypatch.setattr(Dataset, "serialize", full_disk)
    result = CliRunner().invoke(cli, ["kg", "build", str(records["a"][0]), "--store",
                                      str(store)])
    assert result.exit_code == 1
    line = _one_line_error(result.output)
    assert "graph.nq" in line and "No space left on device" in line
    monkeypatch.undo()
    assert _nq_state(store) == before
    assert sorted(p.name for p in store.iterdir()) == ["graph.nq", "tone-kg.json",
                                                       "tone-kg.lock"]
    assert _ids(store) == ids


def test_permission_denied_is_one_line(records, tmp_path, monkeypatch):
    """A folder the writer may not write in (simulated: the tests may run as root)."""
    import tempfile

    from tone.cli import cli
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    build_store([str(records["small"][0])], store, backend="rdflib")
    before = _nq_state(store)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = CliRunner().invoke(cli, ["kg", "build", str(records["a"][0]), "--store",
                                      str(store)])
    monkeypatch.undo()
    assert result.exit_code == 1
    line = _one_line_error(result.output)
    assert str(store) in line and "Permission denied" in line
    assert _nq_state(store) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="a read-only folder does not stop root")
@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_read_only_store_folder_is_one_line(records, tmp_path, backend):
    from tone.cli import cli
    from tone.kg.build import build_store

    store = tmp_path / "kg"
    build_store([str(records["small"][0])], store, backend=backend)
    os.chmod(store, 0o555)
    try:
        result = CliRunner().invoke(cli, ["kg", "build", str(records["a"][0]), "--store",
                                          str(store)])
    finally:
        os.chmod(store, 0o755)
    assert result.exit_code == 1
    assert str(store) in _one_line_error(result.output)
    assert _ids(store) == records["small"][1]


def test_new_store_in_unwritable_place_is_one_line(records, tmp_path):
    from tone.cli import cli

    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["kg", "build", str(records["small"][0]), "--store",
                                      str(blocker / "kg")])
    assert result.exit_code == 1
    assert str(blocker / "kg") in _one_line_error(result.output)


def test_table_ids_count_rows_like_tone_annotate_and_replacing_is_said(tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli
    from tone.kg.store import KnowledgeGraph

    table = tmp_path / "x.tsv"
    table.write_text("text\tmonth\nWhat a joy!\t1\nI was terrified.\t2\n", encoding="utf-8")
    annotated = CliRunner().invoke(cli, ["annotate", "-q", str(table)])
    ids = [json.loads(line)["id"] for line in annotated.stdout.splitlines()]
    store = tmp_path / "kg"
    first = CliRunner().invoke(cli, ["kg", "build", str(table), "--store", str(store),
                                     "--backend", "rdflib"])
    assert first.exit_code == 0, first.output
    with KnowledgeGraph(store, read_only=True) as kg:
        stored = {str(row[0]) for row in kg.query(
            "SELECT ?id WHERE { ?d a nif:Context ; dcterms:identifier ?id }").value}
    assert stored == {str(i) for i in ids} == {"1", "2"}
    other = tmp_path / "y.txt"
    other.write_text("So sad.\n", encoding="utf-8")
    second = CliRunner().invoke(cli, ["kg", "build", str(other), "--store", str(store)])
    assert second.exit_code == 0 and "replaced it" in second.stderr and "--id-column" in second.stderr


def test_kg_build_takes_a_users_lexicon(tmp_path):
    from click.testing import CliRunner

    from tone.cli import cli
    from tone.kg.store import KnowledgeGraph

    emolex = tmp_path / "emolex.txt"
    emolex.write_text("bus\tanger\t1\nbus\tjoy\t0\n", encoding="utf-8")
    source = tmp_path / "in.txt"
    source.write_text("The bus is late again.\n", encoding="utf-8")
    store = tmp_path / "kg"
    result = CliRunner().invoke(cli, ["kg", "build", str(source), "--store", str(store),
                                      "--backend", "rdflib", "--lexicon", str(emolex)])
    assert result.exit_code == 0, result.output
    with KnowledgeGraph(store, read_only=True) as kg:
        top = [str(row[0]) for row in kg.query(
            "SELECT ?t WHERE { ?s tone:dominantEmotion ?t }").value]
    assert len(top) == 1 and top[0].endswith("#Anger")
    bad = CliRunner().invoke(cli, ["kg", "build", str(source), "--store", str(tmp_path / "k2"),
                                   "--lexicon", str(source)])
    assert bad.exit_code == 1 and f"{source}:1:1" in bad.stderr
    assert not (tmp_path / "k2").exists()  # refused before the store is made
