"""Misuse and bad input: -o targets that are not regular files, unwritable output, lone
surrogates, byte order marks, huge JSONL and CSV records, pipe(str) and control characters."""
from __future__ import annotations

import errno
import io
import json
import os
import stat
import threading

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tone.cli import cli
from tone.errors import DataFileError, UsageError
from tone.io import LongText, annotate_documents, make_writer, read_documents
from tone.io import output as output_module
from tone.io import readers
from tone.io.output import OutputError, open_output

FORMATS = ["jsonl", "tsv", "emotionml", "jsonld", "turtle", "hints"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])



def _jsonl_records(docs) -> list[dict]:
    """The jsonl records of ``docs`` annotated, parsed back."""
    out = io.StringIO()
    writer = make_writer("jsonl", out)
    for doc, ann in annotate_documents(docs):
        writer.write(doc, ann)
    return [json.loads(line) for line in out.getvalue().splitlines()]

def run(args, input=None):
    return CliRunner().invoke(cli, ["annotate", "--quiet", *args], input=input,
                              catch_exceptions=False)


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines() if hasattr(result, "stderr") else []
    lines = lines or result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("tone: error: ")
    return lines[0]


# -- 1. -o that is not a regular file ---------------------------------------------------------
def test_output_dev_null_stays_a_device():
    before = set(os.listdir("/dev"))
    result = run(["-o", "/dev/null"], input="so happy\n")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [n for n in set(os.listdir("/dev")) - before if n.endswith(".part")]


def test_output_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    result = run(["-o", str(fifo)], input="so happy\nsad\n")
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    expected = run([], input="so happy\nsad\n").output.encode()
    assert got == [expected]
    assert sorted(os.listdir(tmp_path)) == ["out.fifo"]


def test_output_symlink_stays_a_link_and_its_target_is_written(tmp_path):
    target_dir = tmp_path / "real"
    target_dir.mkdir()
    target = target_dir / "out.jsonl"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    result = run(["-o", str(link)], input="so happy\n")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["top"] == ["joy"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640  # the file keeps its mode
    assert sorted(os.listdir(tmp_path)) == ["link.jsonl", "real"]
    assert os.listdir(target_dir) == ["out.jsonl"]  # the temporary file was next to the target


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "new.jsonl")
    assert run(["-o", str(link)], input="so happy\n").exit_code == 0
    assert link.is_symlink() and (tmp_path / "new.jsonl").read_text().count("\n") == 1


# -- 2. unwritable output: one line, path and cause, exit 2, no partial file ----------------
def test_disk_full_is_one_line_and_leaves_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output_module, "_os_write", full)
    result = run(["-o", str(out)], input="so happy\n" * 50)
    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(out) in line and "No space left on device" in line
    assert out.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_disk_full_on_a_device():
    result = run(["-o", "/dev/full"], input="so happy\n")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "/dev/full" in line and "No space left on device" in line


def test_missing_directory(tmp_path):
    result = run(["-o", str(tmp_path / "nope" / "out.jsonl")], input="so happy\n")
    assert result.exit_code == 2
    line = one_line_error(result)
    assert "nope/out.jsonl" in line and "No such file or directory" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_permission_denied(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run(["-o", str(folder / "out.jsonl")], input="so happy\n")
        assert result.exit_code == 2
        assert "Permission denied" in one_line_error(result)
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_read_only_file_system():
    try:
        open("/sys/tone-probe", "w").close()
        os.unlink("/sys/tone-probe")
        pytest.skip("/sys is writable here")
    except OSError:
        pass
    result = run(["-o", "/sys/tone-out.jsonl"], input="so happy\n")
    assert result.exit_code == 2
    assert "/sys/tone-out.jsonl" in one_line_error(result)
    assert not os.path.exists("/sys/tone-out.jsonl")


def test_failed_run_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out.jsonl"
    src = tmp_path / "in.txt"
    src.write_bytes(b"fine\nbad \xff\n")
    result = run([str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert os.listdir(tmp_path) == ["in.txt"]


def test_open_output_api(tmp_path):
    with pytest.raises(OutputError) as err:
        with open_output(tmp_path) as out:  # a directory
            out.write("x")
    assert "is a directory" in str(err.value)
    assert isinstance(err.value, UsageError) and err.value.exit_code == 2


# -- 3. lone surrogates ------------------------------------------------------------------------
SURROGATE_TEXT = ('{"id": "a", "text": "so \\ud800 happy"}\n'
                  '{"id": "b", "text": "fine"}\n')
SURROGATE_ID = ('{"id": "a\\udc00", "text": "so happy"}\n'
                '{"id": "b", "text": "fine"}\n')


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data", [SURROGATE_TEXT, SURROGATE_ID], ids=["text", "id"])
def test_lone_surrogate_in_jsonl(tmp_path, fmt, data):
    src = tmp_path / "in.jsonl"
    src.write_text(data, encoding="utf-8")
    args = [str(src), "--id-field", "id", "-f", fmt]

    strict = run(args)
    assert strict.exit_code == 1
    line = one_line_error(strict)
    assert f"{src}:1:" in line and "'a" in line and "lone surrogate" in line

    replaced = run([*args, "--errors", "replace"])
    assert replaced.exit_code == 0, replaced.output
    value = replaced.stdout_bytes.decode("utf-8")  # valid UTF-8
    if data is SURROGATE_ID or fmt in ("jsonl", "jsonld", "turtle"):  # formats with the text
        assert "\ufffd" in value
    assert "lone surrogate" not in replaced.output

    skipped = run([*args, "--errors", "skip"])
    assert skipped.exit_code == 0, skipped.output
    out = skipped.stdout_bytes.decode("utf-8")
    assert "lone surrogate" in out and f"{src.name}:1" in out
    if fmt == "jsonl":
        recs = [json.loads(x) for x in out.splitlines()]
        assert [("error" in r) for r in recs] == [True, False]


def test_surrogate_policy_in_the_reader():
    data = SURROGATE_TEXT.encode()
    with pytest.raises(DataFileError, match=r"<input>:1: document 'a'"):
        list(read_documents([io.BytesIO(data)], fmt="jsonl", id_field="id"))
    docs = list(read_documents([io.BytesIO(data)], fmt="jsonl", id_field="id",
                               errors="replace"))
    assert docs[0].text == "so \ufffd happy" and docs[0].error is None
    docs = list(read_documents([io.BytesIO(data)], fmt="jsonl", id_field="id", errors="skip"))
    assert docs[0].text == "" and "lone surrogate" in docs[0].error and docs[1].text == "fine"
    pair = b'{"text": "\\ud83d\\ude00 ok"}\n'  # a proper pair is one character, not an error
    assert next(read_documents([io.BytesIO(pair)], fmt="jsonl")).text == "\U0001F600 ok"


@pytest.mark.parametrize("fmt", ["lines", "csv"])
def test_encoded_surrogates_are_invalid_utf8(fmt):
    data = (b"text\n" if fmt == "csv" else b"") + b"so \xed\xa0\x80 happy\n"
    with pytest.raises(DataFileError, match="invalid UTF-8"):
        list(read_documents([io.BytesIO(data)], fmt=fmt))
    doc = next(read_documents([io.BytesIO(data)], fmt=fmt, errors="skip"))
    assert doc.error and "invalid UTF-8" in doc.error


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("level", ["doc", "span"])
def test_writers_never_write_a_surrogate(fmt, level):
    from tone.annotator import Annotator
    from tone.io.readers import Document

    text = "so \ud800 happy"
    ann = Annotator().annotate(text, id="x\udc00")
    assert ann.text == text and ann.top == ["joy"]  # the annotation keeps the original text
    out = io.StringIO()
    writer = make_writer(fmt, out, level=level)
    writer.begin()
    writer.write(Document("x\udc00", text), ann)
    writer.write(Document("y\udc00", "", error="bad \udc80"), None)
    writer.end()
    value = out.getvalue()
    value.encode("utf-8")  # no lone surrogate left
    assert "\ufffd" in value


# -- 4. byte order marks -----------------------------------------------------------------------
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("fmt,data", [
    ("lines", b"happy day\nsad\n"),
    ("jsonl", b'{"text": "happy day"}\n{"text": "sad"}\n'),
    ("csv", b"text,id\nhappy day,1\nsad,2\n"),
    ("tsv", b"text\tid\nhappy day\t1\nsad\t2\n"),
    ("file", b"happy day"),
])
def test_bom_is_dropped(fmt, data):
    plain = [(d.text, d.error) for d in read_documents([io.BytesIO(data)], fmt=fmt)]
    with_bom = [(d.text, d.error) for d in read_documents([io.BytesIO(BOM + data)], fmt=fmt)]
    assert with_bom == plain
    assert plain[0][0].startswith("happy")


def test_bom_in_every_file_but_only_at_the_start(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(BOM + b"happy\n" + BOM + b"x\n")
    b.write_bytes(BOM + b"sad\n")
    docs = list(read_documents([str(a), str(b)]))
    assert [d.text for d in docs] == ["happy", "\ufeffx", "sad"]
    result = run(["-f", "tsv"], input=BOM + b"happy\n")
    assert result.output.splitlines()[1].split("\t")[7] == "joy"


def test_bom_keeps_byte_offsets():
    doc = next(read_documents([io.BytesIO(BOM + b"ab \xff\n")], errors="skip"))
    assert "byte offset 6" in doc.error  # counted in the file, BOM included


def test_bom_cli_formats(tmp_path):
    for name, data in [("a.txt", b"happy\n"), ("a.jsonl", b'{"text": "happy"}\n'),
                       ("a.csv", b"text\nhappy\n")]:
        src = tmp_path / name
        src.write_bytes(BOM + data)
        result = run([str(src)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["top"] == ["joy"], name


# -- 5. a huge JSONL record is streamed ---------------------------------------------------------
def _streamed(data: bytes, monkeypatch, **kw):
    monkeypatch.setattr(readers, "CHUNK_BYTES", 64)
    return list(read_documents([io.BytesIO(data)], fmt="jsonl", max_line_bytes=100, **kw))


def test_huge_jsonl_record_is_streamed_and_equals_the_normal_result(monkeypatch):
    text = ("I am so happy \"today\"\\ \u00e9t\u00e9 \U0001F600 and sad.\n\t" * 40)
    rows = [{"text": "small one", "id": 1},
            {"meta": {"a": [1, 2, {"b": "}"}]}, "text": text, "id": "big"},
            {"id": {"k": 2}, "text": "x" * 300},
            {"text": text}]
    lines = [json.dumps(rows[0]), json.dumps(rows[1], ensure_ascii=True),
             json.dumps(rows[2], ensure_ascii=False), json.dumps(rows[3], ensure_ascii=False)]
    data = ("\n".join(lines) + "\n").encode()
    normal = list(read_documents([io.BytesIO(data)], fmt="jsonl", id_field="id"))
    streamed = _streamed(data, monkeypatch, id_field="id")
    assert [type(d.text) for d in streamed] == [str, LongText, LongText, LongText]
    assert [(d.id, str(d.text), d.error) for d in streamed] == \
        [(d.id, d.text, d.error) for d in normal]

    assert _jsonl_records(streamed) == _jsonl_records(normal)


@pytest.mark.parametrize("line,message", [
    (b'{"text": "abc', "Unterminated string"),
    (b'{"text": "abc" "id": 1}', "Expecting ',' delimiter"),
    (b'{"text": "abc"} x', "Extra data"),
    (b'{"text": 123}', "is a int"),
    (b'{"other": "x"}', "no 'text' field"),
    (b'["text"]', "expected a JSON object, got list"),
    (b'{"text": "a \\ud800 b"}', "lone surrogate"),
])
def test_huge_malformed_records(monkeypatch, line, message):
    pad = b" " * 200
    data = line[:-1] + pad + line[-1:] + b"\n" + b'{"text": "next"}\n'
    docs = _streamed(data, monkeypatch, errors="skip")
    assert len(docs) == 2 and message in docs[0].error and docs[1].text == "next"


def test_huge_record_invalid_utf8_and_strict(monkeypatch):
    data = b'{"text": "' + b"a" * 300 + b'\xff"}\n{"text": "next"}\n'
    docs = _streamed(data, monkeypatch, errors="skip")
    assert "invalid UTF-8" in docs[0].error and docs[1].text == "next"
    with pytest.raises(DataFileError, match="invalid UTF-8"):
        _streamed(data, monkeypatch)
    surrogate = b'{"text": "' + b"a" * 300 + b'\\udc00"}\n'
    assert "\ufffd" in str(_streamed(surrogate, monkeypatch, errors="replace")[0].text)


json_text = st.text(st.characters(), max_size=40)
json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | json_text
json_value = st.recursive(json_scalar, lambda kids: st.lists(kids, max_size=3)
                          | st.dictionaries(json_text, kids, max_size=3), max_leaves=8)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["text", "id", "x", "tex"]), json_value, max_size=4),
       st.booleans(), st.integers(1, 20), st.randoms())
def test_streaming_scanner_agrees_with_json_loads(row, ascii_only, size, rnd):
    line = json.dumps(row, ensure_ascii=ascii_only)
    cuts = sorted(rnd.sample(range(1, len(line)), min(len(line) - 1, len(line) // size)))
    pieces = [line[i:j] for i, j in zip([0, *cuts], [*cuts, len(line)])]
    fields = readers._JsonRecord(iter(pieces), "text", "id").parse()
    expected = {k: v for k, v in json.loads(line).items() if k in ("text", "id")}
    got = {k: (str(v) if isinstance(v, LongText) else v) for k, v in fields.items()}
    assert got == expected


# -- property: every JSONL line yields one Document (or one error naming it) -----------------
doc_text = st.text(st.characters() | st.sampled_from(
    ["\ud800", "\udfff", "\ufeff", "\x00", "\r", "\n", '"', "\\", "\u2028"]),
    max_size=30)


@SETTINGS
@given(docs=st.lists(st.tuples(doc_text, doc_text), min_size=1, max_size=8),
       errors=st.sampled_from(["replace", "skip"]), bom=st.booleans(), small=st.booleans(),
       ascii_only=st.booleans())
def test_property_jsonl_nothing_lost(monkeypatch, docs, errors, bom, small, ascii_only):
    def escape_surrogates(line):  # raw non-ASCII, but a lone surrogate as its JSON escape
        return "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in line)

    lines = [escape_surrogates(json.dumps({"id": i, "text": t}, ensure_ascii=ascii_only))
             for i, t in docs]
    data = (BOM if bom else b"") + "\n".join(lines).encode("utf-8") + b"\n"
    if small:
        monkeypatch.setattr(readers, "CHUNK_BYTES", 16)
    got = list(read_documents([io.BytesIO(data)], fmt="jsonl", id_field="id", errors=errors,
                              max_line_bytes=32 if small else readers.MAX_LINE_BYTES))
    monkeypatch.undo()
    assert len(got) == len(docs)
    for n, (line, doc) in enumerate(zip(lines, got), 1):
        row = json.loads(line)  # (two escapes that make a pair are one character)
        doc_id, text = row["id"], row["text"]
        assert doc.line == n
        bad = any("\ud800" <= c <= "\udfff" for c in doc_id + text)
        if errors == "skip" and bad:
            assert doc.error and f"<input>:{n}:" in doc.error and str(doc.text) == ""
            continue
        assert doc.error is None
        clean = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
        clean_id = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in doc_id)
        assert (doc.id, str(doc.text)) == (clean_id, clean)


# -- 5b. a huge CSV/TSV record is streamed -----------------------------------------------------
def _csv_docs(data: bytes, monkeypatch=None, small: bool = False, **kw):
    """The Documents of ``data`` read with the csv module (``small=False``) or with every record
    longer than 40 bytes streamed by the field scanner, in 16-byte chunks."""
    kw.setdefault("fmt", "csv")
    if small:
        monkeypatch.setattr(readers, "CHUNK_BYTES", 16)
    try:
        docs = list(read_documents([io.BytesIO(data)], max_line_bytes=40 if small else
                                   readers.MAX_LINE_BYTES, **kw))
    finally:
        if small:
            monkeypatch.undo()
    return docs


def _shape(docs):
    """What a Document says (its text a str or a LongText alike)."""
    return [(d.id, str(d.text), d.error, d.line, d.nbytes) for d in docs]


def _table(kind: str, bom: bool, newline: str) -> bytes:
    sep = "," if kind == "csv" else "\t"
    big = ('I am so happy, "really" happy\t today.' + newline + "Then sad; é ✓ 😀. ") * 6
    quoted = '"' + big.replace('"', '""') + '"'
    rows = [["id", "text", "extra"],
            ["a", "small one", "x"],
            ["b", quoted, "y"],  # quoted: delimiters, doubled quotes, newlines inside
            ["c", "happy " * 30, "z"],  # unquoted: one long line
            [],  # a blank line: an empty document
            ['"d"', '"q""uoted"', '"' + "long tail " * 8 + '"'],  # long because of another column
            ["e", '"ends here"' + "but goes on" * 5, "w"]]  # text after the closing quote
    text = newline.join(sep.join(r) for r in rows) + newline
    return (readers.BOM if bom else b"") + text.encode("utf-8")


@pytest.mark.parametrize("kind", ["csv", "tsv"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_huge_csv_record_is_streamed_and_equals_the_normal_result(monkeypatch, kind, bom,
                                                                  newline):
    data = _table(kind, bom, newline)
    normal = _csv_docs(data, fmt=kind, id_column="id")
    streamed = _csv_docs(data, monkeypatch, small=True, fmt=kind, id_column="id")
    assert [type(d.text) for d in normal] == [str] * 6
    assert [type(d.text) for d in streamed] == [str, LongText, LongText, str, LongText,
                                                LongText]
    assert _shape(streamed) == _shape(normal)
    assert [d.id for d in streamed] == ["a", "b", "c", 4, "d", "e"]
    assert 'so happy, "really" happy' in str(streamed[1].text)
    assert "\r" not in str(streamed[1].text)  # CRLF inside quotes reads as \n, as csv does

    assert _jsonl_records(streamed) == _jsonl_records(normal)


@pytest.mark.parametrize("record,message", [
    (b'b,"' + b"happy " * 20 + b'",y,surplus', "expected 3 fields, found 4"),
    (b'b,' + b"happy " * 20 + b'\rmore,y', "malformed CSV row"),  # a bare CR outside quotes
    (b'b,"' + b"happy " * 20 + b'"\rx,y', "malformed CSV row"),
    (b'b,"' + b"happy\n" * 20 + b'\xff",y', "invalid UTF-8"),  # on the record's 7th line
    (b'b,"' + b"happy " * 20 + b'\xe2\x9c",y', "invalid UTF-8"),  # a cut character
])
def test_huge_csv_bad_records_match_the_normal_path(monkeypatch, record, message):
    data = b"id,text,extra\na,fine,x\n" + record + b"\nc,next,z\n"
    for errors in ("skip", "replace"):
        normal = _csv_docs(data, id_column="id", errors=errors)
        streamed = _csv_docs(data, monkeypatch, small=True, id_column="id", errors=errors)
        assert _shape(streamed) == _shape(normal)
        assert streamed[-1].text == "next" and len(streamed) == 3
        if errors == "skip":
            assert message in streamed[1].error
    with pytest.raises(DataFileError) as normal_err:
        _csv_docs(data, id_column="id")
    with pytest.raises(DataFileError) as streamed_err:
        _csv_docs(data, monkeypatch, small=True, id_column="id")
    assert str(streamed_err.value) == str(normal_err.value) and message in str(normal_err.value)


def test_huge_csv_unterminated_quote_and_huge_header(monkeypatch):
    data = b'id,text\na,"never closed ' + b"happy\n" * 20
    assert _shape(_csv_docs(data, monkeypatch, small=True, id_column="id")) == \
        _shape(_csv_docs(data, id_column="id"))
    with pytest.raises(DataFileError, match="header row is longer than 40 bytes"):
        _csv_docs(b"text," + b"x" * 100 + b"\nhappy,1\n", monkeypatch, small=True)


csv_text = st.lists(st.sampled_from(['a', 'b', ' ', ',', '\t', '"', '""', '\n', '\r', '\r\n',
                                     'é', '😀', '\x00']), max_size=60).map("".join)


@SETTINGS
@given(text=csv_text, delimiter=st.sampled_from([",", "\t"]), size=st.integers(1, 12),
       rnd=st.randoms())
def test_csv_scanner_agrees_with_the_csv_module(text, delimiter, size, rnd):
    import csv

    lines = [line.rstrip("\r") + "\n" for line in text.split("\n")]  # as _csv feeds csv
    expected = []
    reader = csv.reader(iter(lines), delimiter=delimiter)
    while True:
        try:
            expected.append(next(reader))
        except StopIteration:
            break
        except csv.Error as err:
            expected.append(("error", str(err)))
    flat = "".join(lines)
    cuts = sorted(rnd.sample(range(1, len(flat)), min(len(flat) - 1, len(flat) // size)))
    pieces = [flat[i:j] for i, j in zip([0, *cuts], [*cuts, len(flat)])]
    scanner = readers._CsvScanner(iter(pieces), delimiter)
    got = []
    while True:
        try:
            fields = scanner.record()
        except readers._CsvError as err:
            got.append(("error", str(err)))
            continue
        if fields is None:
            break
        got.append([f.value() for f in fields])
    assert got == expected


csv_bytes = st.lists(st.sampled_from([b"a", b",", b"\t", b'"', b'""', b"\n", b"\r\n", b"\r",
                                      b"\xc3\xa9", b"\xff", b"\xe2\x9c", b"happy ", b"x" * 30]),
                     max_size=40).map(b"".join)


@SETTINGS
@given(body=csv_bytes, kind=st.sampled_from(["csv", "tsv"]), bom=st.booleans(),
       errors=st.sampled_from(["strict", "replace", "skip"]))
def test_property_csv_streamed_equals_csv_module(monkeypatch, body, kind, bom, errors):
    sep = b"," if kind == "csv" else b"\t"
    data = (readers.BOM if bom else b"") + sep.join([b"id", b"text", b"e"]) + b"\n" + body

    def shape(**kw):
        try:
            return _shape(_csv_docs(data, fmt=kind, id_column="id", errors=errors, **kw))
        except DataFileError as err:
            return str(err)

    assert shape(monkeypatch=monkeypatch, small=True) == shape()


# -- 6. pipe(str) and control characters ------------------------------------------------------
@pytest.fixture(scope="module")
def annotator():
    from tone.annotator import Annotator

    return Annotator()


@pytest.mark.parametrize("bad", ["happy", b"happy", bytearray(b"happy")])
def test_pipe_refuses_a_bare_string(annotator, bad):
    with pytest.raises(UsageError, match=r"list of texts.*pass \[text\]"):
        annotator.pipe(bad)


@pytest.mark.parametrize("sep", ["\x00", "\x01", "\x08", "\x1b", "\x7f",
                                 # invisible format characters: zero-width space, LRM, RLM,
                                 # bidi override and pop, word joiner, isolate, BOM
                                 "\u200b", "\u200e", "\u200f", "\u202e", "\u202c", "\u2060",
                                 "\u2066", "\ufeff"])
def test_control_characters_separate_words(annotator, sep):
    text = f"happy{sep}sad"
    ann = annotator.annotate(text)
    assert set(ann.top) == {"joy", "sadness"}
    assert ann.text == text
    assert [(s.start, s.end, s.text) for s in ann.spans] == [(0, 5, "happy"), (6, 9, "sad")]
    assert all(text[s.start:s.end] == s.text for s in ann.spans)


def test_an_emoji_zwj_sequence_stays_one_emoji(annotator):
    """The zero-width joiner is not a separator: it holds emoji sequences together."""
    from tone.text import EMOJI, separators_as_spaces, tokenize

    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert separators_as_spaces([family]) == [family]
    batch = tokenize(separators_as_spaces([f"{family} so happy"]))
    assert batch.doc_tokens(0)[0] == family and int(batch.kind[0]) == EMOJI


def test_dialogue_turn_words_see_through_invisible_characters():
    from tone.dialogue.causes import turn_words

    assert "sad" in turn_words(["I am sad\u200b today"])[0].content
