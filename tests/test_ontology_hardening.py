"""Ontology files from users: no network (owl:imports), no XML entity tricks."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tone.cli import cli
from tone.errors import DataFileError
from tone.ontology import Ontology
from tone.ontology.reasoner import check

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" '
            'xmlns:owl="http://www.w3.org/2002/07/owl#">\n')




def run_cli(*args):
    return CliRunner().invoke(cli, list(args))


def one_line_error(result, *needles):
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    text = result.output.strip()
    assert "Traceback" not in text and text.count("\n") == 0, text
    for needle in needles:
        assert needle in text, text
    return text


# -- owl:imports ----------------------------------------------------------------------------
def remote_import_dir(tmp_path: Path, port: int) -> tuple[Path, str]:
    folder = tmp_path / "onto"
    folder.mkdir()
    iri = f"http://127.0.0.1:{port}/x.owl"
    (folder / "x.ttl").write_text(
        PREFIXES + f"<http://example.org/x> a owl:Ontology ;\n    owl:imports <{iri}> .\n"
        "<http://example.org/x#A> a owl:Class .\n", encoding="utf-8")
    return folder, iri


def test_check_refuses_remote_import_without_connecting(tmp_path, listener):
    folder, iri = remote_import_dir(tmp_path, listener.port)
    result = run_cli("ontology", "check", "--ontology", str(folder))
    text = one_line_error(result, f"owl:imports <{iri}>", "x.ttl:4:17:", "tone does not fetch imports",
                          str(folder))
    assert text.startswith("tone: error:")
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize("command", [["ontology", "tree"], ["ontology", "export"],
                                     ["sparql", "ASK { ?s ?p ?o }"]])
def test_every_command_refuses_remote_import(tmp_path, listener, command):
    folder, iri = remote_import_dir(tmp_path, listener.port)
    one_line_error(run_cli(*command, "--ontology", str(folder)), iri)
    assert listener.connections == 0


def test_api_refuses_remote_import(tmp_path, listener):
    folder, iri = remote_import_dir(tmp_path, listener.port)
    with pytest.raises(DataFileError, match="tone does not fetch imports") as err:
        Ontology(folder)
    assert err.value.path == str(folder / "x.ttl") and err.value.line == 4
    assert listener.connections == 0


def test_reasoner_refuses_remote_import_in_a_graph(tmp_path, listener):
    from rdflib import Graph

    folder, iri = remote_import_dir(tmp_path, listener.port)
    graph = Graph().parse(folder / "x.ttl", format="turtle")
    with pytest.raises(DataFileError, match="tone does not fetch imports"):
        check(graph)
    assert listener.connections == 0


def test_file_import_outside_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.ttl"
    outside.write_text(PREFIXES + "<http://example.org/e#E> a owl:Class .\n", encoding="utf-8")
    folder = tmp_path / "onto"
    folder.mkdir()
    (folder / "x.ttl").write_text(
        PREFIXES + f"<http://example.org/x> a owl:Ontology ; owl:imports <{outside.as_uri()}> .\n",
        encoding="utf-8")
    with pytest.raises(DataFileError, match="tone does not fetch imports"):
        Ontology(folder)


def local_import_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "onto"
    (folder / "extra").mkdir(parents=True)
    (folder / "x.ttl").write_text(
        PREFIXES + "<http://example.org/x> a owl:Ontology ;\n"
        "    owl:imports <http://example.org/y>, "
        f"<{(folder / 'extra' / 'z.owl').as_uri()}> .\n"
        "<http://example.org/x#A> a owl:Class ; rdfs:subClassOf <http://example.org/y#B> .\n",
        encoding="utf-8")
    (folder / "y.ttl").write_text(
        PREFIXES + "<http://example.org/y> a owl:Ontology .\n"
        "<http://example.org/y#B> a owl:Class .\n", encoding="utf-8")
    (folder / "extra" / "z.owl").write_text(
        '<?xml version="1.0"?>\n' + RDF_OPEN +
        ' <owl:Class rdf:about="http://example.org/z#C"/>\n</rdf:RDF>\n', encoding="utf-8")
    return folder


def test_local_imports_resolve(tmp_path):
    from rdflib import URIRef

    onto = Ontology(local_import_dir(tmp_path))
    subjects = {str(s) for s in onto.graph.subjects()}
    assert {"http://example.org/x#A", "http://example.org/y#B",
            "http://example.org/z#C"} <= subjects
    assert (URIRef("http://example.org/z#C"), None, None) in onto.graph


def test_check_with_local_imports_runs(tmp_path, java, listener):
    result = run_cli("ontology", "check", "--ontology", str(local_import_dir(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output
    assert listener.connections == 0


# -- XML entities ---------------------------------------------------------------------------
BILLION_LAUGHS = ['<!ENTITY l0 "lol">'] + [
    f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)]


def write_xml(path: Path, doctype: str, body: str) -> Path:
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + doctype + "\n]>\n"
                    + RDF_OPEN + body + "</rdf:RDF>\n", encoding="utf-8")
    return path


def labelled(entity: str) -> str:
    return f' <rdf:Description rdf:about="http://x/a"><rdfs:label>&{entity};</rdfs:label>' \
           "</rdf:Description>\n"


def run_subprocess(*args: str, timeout: float = 60):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_billion_laughs_refused_quickly(tmp_path):
    bomb = write_xml(tmp_path / "bomb.owl", "\n".join(BILLION_LAUGHS), labelled("l9"))
    started = time.monotonic()
    proc = run_subprocess("-m", "tone.cli", "ontology", "tree", "--ontology", str(bomb),
                          timeout=60)
    assert time.monotonic() - started < 60
    assert proc.returncode == 1, proc.stderr
    line = proc.stderr.strip()
    assert line.count("\n") == 0 and "Traceback" not in line
    assert f"{bomb}:4:" in line and "entity" in line


def test_billion_laughs_refused_through_api(tmp_path):
    bomb = write_xml(tmp_path / "bomb.rdf", "\n".join(BILLION_LAUGHS), labelled("l9"))
    code = ("from tone.ontology import Ontology\nfrom tone.errors import DataFileError\n"
            f"try:\n    Ontology({str(bomb)!r})\nexcept DataFileError as e:\n    print(e)\n")
    proc = run_subprocess("-c", code, timeout=60)
    assert proc.returncode == 0 and f"{bomb}:4:" in proc.stdout


def test_quadratic_blowup_refused(tmp_path):
    big = "x" * 4000
    bomb = write_xml(tmp_path / "quad.owl", f'<!ENTITY a "{big}">', labelled("a") * 20000)
    started = time.monotonic()
    with pytest.raises(DataFileError, match="expansion"):
        Ontology(bomb)
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("decl", [
    '<!ENTITY x SYSTEM "file://{secret}">',
    '<!ENTITY x PUBLIC "-//x//y" "file://{secret}">',
    '<!ENTITY x SYSTEM "http://127.0.0.1:{port}/secret">',
    '<!ENTITY % p SYSTEM "file://{secret}"> %p;',
])
def test_external_entities_refused(tmp_path, listener, decl):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xxe = write_xml(tmp_path / "xxe.owl", decl.format(secret=secret, port=listener.port),
                    labelled("x"))
    result = run_cli("ontology", "export", "--ontology", str(xxe))
    one_line_error(result, "xxe.owl:")
    assert "TOP-SECRET" not in result.output
    with pytest.raises(DataFileError) as err:
        Ontology(xxe)
    assert "TOP-SECRET" not in str(err.value)
    assert listener.connections == 0


def test_external_dtd_refused(tmp_path, listener):
    path = tmp_path / "dtd.owl"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM '
                    f'"http://127.0.0.1:{listener.port}/x.dtd">\n' + RDF_OPEN + "</rdf:RDF>\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="external DTD") as err:
        Ontology(path)
    assert err.value.line == 2
    assert listener.connections == 0


def test_plain_entities_as_protege_writes_them_still_load(tmp_path):
    path = write_xml(tmp_path / "protege.owl",
                     '<!ENTITY owl "http://www.w3.org/2002/07/owl#">\n'
                     '<!ENTITY ex "http://example.org/ex#">',
                     ' <owl:Class rdf:about="&ex;Thing2"/>\n')
    onto = Ontology(path)
    assert "http://example.org/ex#Thing2" in {str(s) for s in onto.graph.subjects()}


def test_malformed_xml_names_file_line_col(tmp_path):
    path = tmp_path / "bad.owl"
    path.write_text('<?xml version="1.0"?>\n' + RDF_OPEN + "<oops>\n</rdf:RDF>\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Ontology(path)
    assert err.value.path == str(path) and err.value.line == 4


def test_jsonld_remote_context_refused(tmp_path, listener):
    path = tmp_path / "x.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:%d/ctx", "@id": "http://x/a", '
                    '"http://x/p": "v"}' % listener.port, encoding="utf-8")
    with pytest.raises(DataFileError, match="does not fetch contexts"):
        Ontology(path)
    assert listener.connections == 0
