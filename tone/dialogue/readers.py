"""Read conversations: JSONL (one conversation per line), CSV/TSV rows of dialogue id, speaker
and text (the MELD and EmoryNLP layout), and DailyDialog's ``__eou__`` lines.

Files are decoded by :func:`tone.io.read_documents` (stdin ``-``, ``.gz``, a BOM, the
``errors`` policy), so bad input is handled as ``tone annotate`` handles it: ``strict`` stops at
the first problem with :class:`~tone.errors.DataFileError` naming file:line, ``replace`` writes
U+FFFD for undecodable bytes, ``skip`` yields the conversation with an ``error`` (and no turns).
Every conversation of the input yields one :class:`Conversation`, in input order; blank lines
hold none. A JSONL conversation with no turns, a turn without text or speaker, or a lone
surrogate escape (``"\\ud800"``) in any string are bad input, as in ``tone annotate`` (lone
surrogates become U+FFFD under ``replace``); a CSV/TSV row that cannot be read makes its
dialogue an error naming the row.

* ``jsonl``: ``{"id": ..., "turns": [{"speaker": ..., "text": ...}, ...], "speakers":
  {name: {"O", "C", "E", "A", "N"}}}`` — ``speakers`` is optional, a turn may be a
  ``[speaker, text]`` pair and may carry a gold ``"emotion"``; the id defaults to the line
  number.
* ``csv``/``tsv``: a header, one row per turn; rows of one dialogue are consecutive. Columns
  (found by name when not given): dialogue ``Dialogue_ID``/``dialogue``/``dialogue_id`` (or
  EmoryNLP's ``Season``, ``Episode``, ``Scene_ID`` together), speaker ``Speaker``/``speaker``,
  text ``Utterance``/``utterance``/``text``, gold emotion ``Emotion``/``emotion``/``label``
  when present. A speaker cell written as a Python list (EmoryNLP: ``['Monica Geller']``)
  is read as its names; MELD's mis-decoded Windows-1252 quotes are repaired.
* ``eou``: DailyDialog, one conversation per line, turns ended by ``__eou__``, two speakers
  taking turns (``A``, ``B``); the id is the line number.

>>> import io
>>> data = io.BytesIO(b'{"id": "d1", "turns": [["A", "I lost my job."], ["B", "Oh no!"]]}\\n')
>>> [(c.id, [(t.number, t.speaker, t.text) for t in c.turns])
...  for c in read_conversations([data], fmt="jsonl")]
[('d1', [(1, 'A', 'I lost my job.'), (2, 'B', 'Oh no!')])]
>>> eou = io.BytesIO(b"Hi ! __eou__ Hello . How are you ? __eou__\\n")
>>> [(t.speaker, t.text) for t in next(read_conversations([eou], fmt="eou")).turns]
[('A', 'Hi !'), ('B', 'Hello . How are you ?')]
"""
from __future__ import annotations

import ast
import json
import math
import os
from typing import Iterable, Iterator

from ..errors import DataFileError, UsageError
from .conversation import TRAITS, Conversation, Turn

__all__ = ["read_conversations", "FORMATS", "guess_format", "EOU"]

FORMATS = ("jsonl", "csv", "tsv", "eou")
EOU = "__eou__"
_DIALOGUE_COLUMNS = ("Dialogue_ID", "dialogue", "dialogue_id", "Dialogue_Id", "conversation")
_SCENE_COLUMNS = ("Season", "Episode", "Scene_ID")
_SPEAKER_COLUMNS = ("Speaker", "speaker")
_TEXT_COLUMNS = ("Utterance", "utterance", "text", "Text")
_LABEL_COLUMNS = ("Emotion", "emotion", "label")


def guess_format(name: str) -> str:
    """The format of a file name: ``jsonl``, ``csv``, ``tsv``, else ``eou``.

    >>> guess_format("dev_sent_emo.csv"), guess_format("chats.jsonl.gz"), guess_format("d.txt")
    ('csv', 'jsonl', 'eou')
    """
    from ..io import guess_format as document_format

    kind = document_format(name)
    return kind if kind in FORMATS else "eou"


class _Policy:
    """The ``errors`` policy for problems in a conversation's structure (bad JSON, no turns)."""

    def __init__(self, errors: str) -> None:
        self.errors = errors

    def bad(self, message: str, path: str, line: int | None, conv_id,
            remedy: str = "--errors skip") -> Conversation:
        from ..io.readers import replace_surrogates

        if self.errors == "strict":
            raise DataFileError(f"{message}; fix the input, or pass {remedy}",
                                path=path, line=line)
        where = f"{path}:{line}" if line is not None else path
        return Conversation(replace_surrogates(conv_id), error=f"{where}: {message}",
                            source=path, line=line)


def _traits(value, who: str) -> dict:
    """A speaker's ``{O, C, E, A, N}``: numbers in [0, 1]."""
    if not isinstance(value, dict):
        raise ValueError(f"speaker {who!r}: traits must be an object with {', '.join(TRAITS)}")
    missing = [t for t in TRAITS if t not in value]
    if missing:
        raise ValueError(f"speaker {who!r}: no {', '.join(missing)} trait (expected "
                         f"{', '.join(TRAITS)}, each in [0, 1])")
    out = {}
    for t in TRAITS:
        x = value[t]
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) \
                or not 0.0 <= x <= 1.0:
            raise ValueError(f"speaker {who!r}: trait {t} is {x!r}; expected a number in [0, 1]")
        out[t] = float(x)
    return out


def _jsonl_conversation(row, path: str, line: int, policy: _Policy) -> Conversation:
    default_id = line
    if not isinstance(row, dict):
        return policy.bad(f"expected a JSON object, got {type(row).__name__}", path, line,
                          default_id)
    conv_id = row.get("id", default_id)
    if isinstance(conv_id, (dict, list)):
        conv_id = json.dumps(conv_id, ensure_ascii=False)
    who = f"conversation {conv_id!r}"
    turns = row.get("turns")
    if not isinstance(turns, list):
        return policy.bad("no 'turns' list (expected {\"id\", \"turns\": [{\"speaker\", "
                          "\"text\"}, ...]})", path, line, conv_id)
    if not turns:
        return policy.bad(f"{who} has no turns (expected at least one "
                          "{\"speaker\", \"text\"})", path, line, conv_id)
    out = []
    for k, turn in enumerate(turns, 1):
        if isinstance(turn, list) and len(turn) == 2:
            speaker, text, label = turn[0], turn[1], None
        elif isinstance(turn, dict):
            speaker, text = turn.get("speaker"), turn.get("text")
            label = turn.get("emotion", turn.get("label"))
        else:
            return policy.bad(f"{who}: turn {k}: expected {{\"speaker\", \"text\"}} or [speaker, "
                              f"text], got {json.dumps(turn)[:40]}", path, line, conv_id)
        if text is None:
            return policy.bad(f"{who}: turn {k}: no 'text'", path, line, conv_id)
        if not isinstance(text, str):
            return policy.bad(f"{who}: turn {k}: 'text' is {type(text).__name__}, not a string",
                              path, line, conv_id)
        if speaker is None or isinstance(speaker, (dict, list)):
            return policy.bad(f"{who}: turn {k}: no speaker", path, line, conv_id)
        out.append(Turn(k, str(speaker), text, None if label is None else str(label), line))
    speakers = row.get("speakers", {})
    if not isinstance(speakers, dict):
        return policy.bad(f"{who}: 'speakers' must map names to {{O, C, E, A, N}}", path, line,
                          conv_id)
    try:
        speakers = {str(name): _traits(value, str(name)) for name, value in speakers.items()}
    except ValueError as err:
        return policy.bad(f"{who}: {err}", path, line, conv_id)
    return _without_surrogates(Conversation(conv_id, out, speakers, None, path, line), policy)


def _without_surrogates(conv: Conversation, policy: _Policy) -> Conversation:
    """``conv`` when none of its strings holds a lone surrogate (a ``\\ud800`` escape that is not
    half of a pair); else, as :func:`tone.io.read_documents` treats a JSONL document with one,
    an error (``strict``, ``skip``) or the strings with U+FFFD (``replace``)."""
    from ..io.readers import lone_surrogates, replace_surrogates, surrogate_message

    values = {"field 'id'": conv.id}
    for turn in conv.turns:
        values.update({f"turn {turn.number} field 'speaker'": turn.speaker,
                       f"turn {turn.number} field 'text'": turn.text,
                       f"turn {turn.number} field 'emotion'": turn.label})
    values.update({f"speaker name {name!r}": name for name in conv.speakers})
    problems = lone_surrogates(values)
    if not problems:
        return conv
    if policy.errors != "replace":
        return policy.bad(surrogate_message(f"conversation {conv.id!r}", problems),
                          conv.source, conv.line, conv.id, "--errors replace|skip")
    for turn in conv.turns:
        turn.speaker, turn.text = replace_surrogates(turn.speaker), replace_surrogates(turn.text)
        turn.label = replace_surrogates(turn.label)
    conv.id = replace_surrogates(conv.id)
    conv.speakers = {replace_surrogates(name): traits for name, traits in conv.speakers.items()}
    return conv


def _by_line(docs, parse) -> Iterator[Conversation]:
    """One conversation per input line (``parse(text, path, line)``); unreadable and blank lines
    as :func:`tone.io.read_documents` gives them."""
    for doc in docs:
        if doc.error is not None:
            yield Conversation(doc.line, error=doc.error, source=doc.source, line=doc.line)
            continue
        text = str(doc.text)
        if not text.strip():
            continue  # a blank line holds no conversation
        yield parse(text, doc.source, doc.line)


def _jsonl(docs, policy: _Policy) -> Iterator[Conversation]:
    from ..io.readers import json_loads

    def parse(text, path, line):
        try:
            row = json_loads(text)
        except json.JSONDecodeError as err:
            return policy.bad(f"malformed JSON at column {err.colno}: {err.msg}", path, line,
                              line)
        return _jsonl_conversation(row, path, line, policy)

    return _by_line(docs, parse)


def eou_turns(text: str) -> list[str]:
    """The turns of one DailyDialog line.

    >>> eou_turns("Hi ! __eou__ Hello . __eou__ ")
    ['Hi !', 'Hello .']
    """
    turns = [t.strip() for t in text.split(EOU)]
    return turns[:-1] if turns and not turns[-1] else turns


def _eou(docs) -> Iterator[Conversation]:
    def parse(text, path, line):
        pairs = [("AB"[k % 2], turn) for k, turn in enumerate(eou_turns(text))]
        conv = Conversation.of(line, pairs)
        conv.source, conv.line = path, line
        for turn in conv.turns:
            turn.line = line
        return conv

    return _by_line(docs, parse)


def _pick(header: list[str], given: str | None, names: tuple, path: str) -> str | None:
    """The column ``given`` (which must be in ``header``), else the first of ``names`` there."""
    if given is not None:
        if given not in header:
            raise UsageError(f"{path}: no column {given!r} in the header {header!r}")
        return given
    return next((name for name in names if name in header), None)


def _speaker(cell: str) -> str:
    """EmoryNLP writes speakers as a Python list: ``"['Monica Geller']"`` -> ``Monica Geller``."""
    cell = cell.strip()
    if cell.startswith("[") and cell.endswith("]"):
        try:
            names = ast.literal_eval(cell)
        except (ValueError, SyntaxError):
            return cell
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return ", ".join(names)
    return cell


def _header(source, delimiter: str) -> list[str]:
    """The header row of a CSV/TSV path (to find its columns before streaming it)."""
    import csv
    import gzip

    name = os.fspath(source)
    try:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rt", encoding="utf-8-sig", newline="", errors="replace") as handle:
            return [h.strip() for h in next(csv.reader(handle, delimiter=delimiter), [])]
    except OSError as err:
        raise UsageError(f"cannot open {name}: {err.strerror or err}") from None
    except csv.Error as err:  # e.g. a header cell past csv.field_size_limit()
        raise DataFileError(f"malformed header row: {err}; the first line must name the "
                            "columns", path=name, line=1) from None


def _rows(sources, kind: str, errors: str, columns: dict) -> Iterator[Conversation]:
    """Conversations from CSV/TSV rows (consecutive rows of one dialogue id)."""
    from ..evaluate import _fix_meld_text
    from ..io import read_documents

    delimiter = "," if kind == "csv" else "\t"
    policy = _Policy(errors)
    for source in sources:
        if hasattr(source, "read") or os.fspath(source) == "-":
            raise UsageError("CSV/TSV conversations are read from files (their header names "
                             "the columns); save the input to a file first")
        path = os.fspath(source)
        if not os.path.exists(path):
            raise UsageError(f"no such file: {path}")
        header = _header(path, delimiter)
        if not header:  # an empty file holds no conversation (as tone annotate reads it)
            continue
        text = _pick(header, columns.get("text"), _TEXT_COLUMNS, path)
        speaker = _pick(header, columns.get("speaker"), _SPEAKER_COLUMNS, path)
        label = _pick(header, columns.get("label"), _LABEL_COLUMNS, path)
        given = columns.get("dialogue")
        if given is not None:
            dialogue = [c.strip() for c in given.split(",")]
            for c in dialogue:
                _pick(header, c, (), path)
        else:
            found = _pick(header, None, _DIALOGUE_COLUMNS, path)
            dialogue = [found] if found else (
                list(_SCENE_COLUMNS) if all(c in header for c in _SCENE_COLUMNS) else [])
        for what, value, option in (("text", text, "--text-column"),
                                    ("speaker", speaker, "--speaker-column"),
                                    ("dialogue id", dialogue, "--dialogue-column")):
            if not value:
                raise UsageError(f"{path}: no {what} column in the header {header!r}; name it "
                                 f"with {option}")
        keep = [speaker, *dialogue] + ([label] if label else [])
        docs = read_documents([path], fmt=kind, errors=errors, text_column=text,
                              columns=dict.fromkeys(keep))
        yield from _group_rows(docs, path, speaker, dialogue, label, policy, _fix_meld_text)


def _group_rows(docs, path, speaker, dialogue, label, policy, fix) -> Iterator[Conversation]:
    """Conversations from consecutive rows of one dialogue id. A row that could not be read
    (``replace``/``skip``; ``strict`` stopped at it) makes its whole dialogue an error naming
    the row (its turns would be numbered wrong). When the row lost its dialogue id (undecodable
    or short of that column) it is held until the next row: one of the same dialogue as the
    row before claims it, else it is an error of its own."""
    current: Conversation | None = None
    held: Conversation | None = None  # a bad row without a dialogue id
    seen: set = set()

    def finished(conv: Conversation) -> Conversation:
        return conv if conv.error is None else Conversation(conv.id, error=conv.error,
                                                            source=path, line=conv.line)

    for doc in docs:
        fields = doc.fields or {}
        key = "_".join(fields[c].strip() for c in dialogue) \
            if all(c in fields for c in dialogue) else None
        if key is None:
            if doc.error is None:
                continue  # a blank line holds no turn
            if held is not None:
                yield held
            held = Conversation(doc.line, error=doc.error, source=path, line=doc.line)
            continue
        if held is not None and current is not None and key == current.id:
            current.error = current.error or f"{held.error} (a row of dialogue {key!r})"
            held = None
        if current is None or key != current.id:
            if current is not None:
                yield finished(current)
            if held is not None:
                yield held
                held = None
            if key in seen:
                current = None
                yield policy.bad(f"dialogue {key!r} continues after other dialogues (its rows "
                                 "must be consecutive: sort the file by dialogue)", path,
                                 doc.line, key)
                continue
            seen.add(key)
            current = Conversation(key, source=path, line=doc.line)
        if doc.error is not None:
            current.error = current.error or f"{doc.error} (a row of dialogue {key!r})"
            continue
        gold = fields[label].strip() if label else None
        current.turns.append(Turn(len(current.turns) + 1, _speaker(fields[speaker]),
                                  fix(str(doc.text)), gold or None, doc.line))
    if current is not None:
        yield finished(current)
    if held is not None:
        yield held


def read_conversations(sources: Iterable = ("-",), fmt: str | None = None,
                       errors: str = "strict", dialogue_column: str | None = None,
                       speaker_column: str | None = None, text_column: str | None = None,
                       label_column: str | None = None) -> Iterator[Conversation]:
    """Stream the conversations of ``sources`` (paths, ``-`` for stdin, binary file objects;
    CSV/TSV from paths). ``fmt``: one of :data:`FORMATS`, default from each file name
    (stdin: ``jsonl``). ``errors``: ``strict``, ``replace`` or ``skip`` (module docstring).
    ``dialogue_column`` may name several columns joined by commas (``Season,Episode,Scene_ID``)."""
    from ..io import ERRORS, read_documents

    if errors not in ERRORS:
        raise UsageError(f"unknown errors policy {errors!r}; expected one of {ERRORS}")
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown conversation format {fmt!r}; expected one of {FORMATS}")
    columns = {"dialogue": dialogue_column, "speaker": speaker_column, "text": text_column,
               "label": label_column}
    for source in list(sources):
        is_path = isinstance(source, (str, os.PathLike)) and os.fspath(source) != "-"
        kind = fmt or (guess_format(os.fspath(source)) if is_path else "jsonl")
        if kind in ("csv", "tsv"):
            yield from _rows([source], kind, errors, columns)
            continue
        docs = read_documents([source], fmt="lines", errors=errors)
        yield from (_jsonl(docs, _Policy(errors)) if kind == "jsonl" else _eou(docs))
