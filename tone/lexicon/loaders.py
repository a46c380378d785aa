"""Loaders for user-supplied lexicons, mapped onto tone's concepts as :class:`LexiconRow` lists.

tone never ships these resources (NRC lexicons and LIWC are not redistributable); users who own
them load their copies here. Every loader raises :class:`~tone.errors.DataFileError` with
file:line:col and what was expected.

Plutchik's eight emotions (NRC EmoLex / Emotion Intensity) map onto Parrott concepts by
:data:`PLUTCHIK_TO_TONE`. Parrott has no primary for *anticipation* or *trust*: anticipation maps
to the tertiary ``eagerness`` (joy > optimism: looking forward), trust to the tertiary ``liking``
(love > affection: warm acceptance of another), the closest concepts by definition. NRC's
``positive``/``negative`` sentiment columns carry no emotion and are skipped.

>>> import io
>>> rows = load_emolex(io.StringIO("abandon\\tfear\\t1\\nabandon\\tjoy\\t0\\n"))
>>> [(r.term, r.concept, r.tier, r.source) for r in rows]
[('abandon', 'fear', 1, 'nrc-emolex')]
"""
from __future__ import annotations

import math
import os
from typing import IO

from tone._resources import read_data_file
from tone.errors import DataFileError
from tone.lexicon.rows import LexiconRow

__all__ = ["PLUTCHIK_TO_TONE", "LIWC_TO_TONE", "load_emolex", "load_nrc_vad",
           "load_nrc_intensity", "load_liwc", "load_vader", "load_tsv", "load_lexicon",
           "lexicon_format", "VadEntry"]

PLUTCHIK_TO_TONE = {
    "anger": ("anger", 1),
    "fear": ("fear", 1),
    "joy": ("joy", 1),
    "sadness": ("sadness", 1),
    "surprise": ("surprise", 1),
    "disgust": ("disgust", 2),        # Parrott: anger > disgust
    "anticipation": ("eagerness", 3),  # no Parrott primary; joy > optimism > eagerness
    "trust": ("liking", 3),            # no Parrott primary; love > affection > liking
}
_SENTIMENT = {"positive", "negative"}

# LIWC's affect categories (LIWC2001/2007/2015 names, then LIWC-22's) onto Parrott's primaries;
# the general positive/negative emotion categories carry no specific emotion but posemo words
# are joy words in Parrott's sense, so posemo maps to joy and negemo is left out.
LIWC_TO_TONE = {
    "posemo": ("joy", 1), "anx": ("fear", 1), "anger": ("anger", 1), "sad": ("sadness", 1),
    "emo_pos": ("joy", 1), "emo_anx": ("fear", 1), "emo_anger": ("anger", 1),
    "emo_sad": ("sadness", 1),
}


def _lines(text: str) -> list[str]:
    """The file's lines, split on ``\n`` only (a trailing ``\r`` removed): ``str.splitlines``
    would also split at ``\x0c``, ``\x1c``-``\x1e``, ``\x85``, U+2028 and U+2029, and the line
    numbers of errors would no longer match the file's. A final newline ends the last line."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _open(source) -> tuple[str, list[str]]:
    if hasattr(source, "read"):
        name = str(getattr(source, "name", None) or "<stream>")
        text = source.read()
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError as err:
                raise DataFileError(f"expected UTF-8 text; undecodable byte at offset "
                                    f"{err.start}", path=name) from None
        return name, _lines(text)
    path = str(source)
    try:
        data = read_data_file(source)
    except OSError as err:
        raise DataFileError(f"cannot read the lexicon: {err.strerror}", path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataFileError(f"expected UTF-8 text; undecodable byte at offset {err.start}",
                            path=path) from None
    return path, _lines(text)


def _col(cells: list[str], index: int) -> int:
    return sum(len(c) + 1 for c in cells[:index]) + 1


def _float(text, what, path, lineno, col) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"expected {what}, got {text!r}", path=path, line=lineno,
                            col=col) from None
    if not math.isfinite(value):
        raise DataFileError(f"expected {what}, got {text!r}", path=path, line=lineno, col=col)
    return value


def _kind(term: str) -> str:
    if term.endswith("*"):
        return "wildcard"
    if term.startswith("#"):
        return "hashtag"
    return "phrase" if " " in term else "word"


def _term(term: str, path: str, lineno: int, col: int) -> str:
    """Check a term read from a file: not empty, and a wildcard has a stem (``*`` alone would
    match every token)."""
    if not term:
        raise DataFileError("expected a term, got an empty cell", path=path, line=lineno,
                            col=col)
    if term.endswith("*") and not term.rstrip("*").strip():
        raise DataFileError(f"the wildcard {term!r} has no stem and would match every token; "
                            "write a stem before '*' (e.g. 'abandon*')", path=path, line=lineno,
                            col=col)
    return term


def _check_concept(table, concept: str, tier: int, term: str, path: str, lineno: int,
                   col: int) -> None:
    """With a concept table, refuse a concept it does not have, at ``path:line:col``."""
    if table is None:
        return
    from tone.errors import ConceptNotFound

    try:
        table.index(concept, tier)
    except ConceptNotFound as err:
        raise DataFileError(f"{err}; the row's term is {term!r}", path=path, line=lineno,
                            col=col) from None


def _word_emotion_rows(lines, path, value: str):
    """``(line number, cells, word, emotion, value)`` of each row of an NRC-style
    ``word<TAB>emotion<TAB>value`` file; blank and ``#`` lines are skipped."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise DataFileError(f"expected 3 tab-separated columns (word, emotion, {value}), "
                                f"got {len(cells)}", path=path, line=lineno, col=1)
        word, emotion, third = (c.strip() for c in cells)
        yield lineno, cells, word, emotion, third


def load_emolex(source: str | os.PathLike | IO[str], mapping: dict | None = None
                ) -> list[LexiconRow]:
    """NRC EmoLex word-level file: ``word<TAB>emotion<TAB>0|1`` (rows with 1 become entries)."""
    mapping = mapping or PLUTCHIK_TO_TONE
    path, lines = _open(source)
    out = []
    for lineno, cells, word, emotion, flag in _word_emotion_rows(lines, path, "0|1"):
        if flag not in ("0", "1"):
            raise DataFileError(f"expected 0 or 1, got {flag!r}", path=path, line=lineno,
                                col=_col(cells, 2))
        emotion = emotion.lower()
        if emotion in _SENTIMENT:
            continue
        if emotion not in mapping:
            raise DataFileError(f"expected one of Plutchik's emotions "
                                f"({', '.join(sorted(mapping))}) or positive/negative, got "
                                f"{emotion!r}", path=path, line=lineno, col=_col(cells, 1))
        if flag == "1":
            _term(word, path, lineno, 1)
            concept, tier = mapping[emotion]
            out.append(LexiconRow(word.lower(), concept, tier, 1.0, "", _kind(word.lower()),
                                  "nrc-emolex", 1.0, "auto"))
    return out


def load_nrc_intensity(source, mapping: dict | None = None) -> list[LexiconRow]:
    """NRC Emotion Intensity: ``word<TAB>emotion<TAB>score`` (score in [0, 1]; header optional)."""
    mapping = mapping or PLUTCHIK_TO_TONE
    path, lines = _open(source)
    out = []
    for lineno, cells, word, emotion, score_s in _word_emotion_rows(lines, path, "score"):
        if lineno == 1 and score_s.lower() in ("score", "emotion-intensity-score"):
            continue
        score = _float(score_s, "a score in [0, 1]", path, lineno, _col(cells, 2))
        if not 0.0 <= score <= 1.0:
            raise DataFileError(f"expected a score in [0, 1], got {score_s!r}", path=path,
                                line=lineno, col=_col(cells, 2))
        if emotion.lower() not in mapping:
            raise DataFileError(f"expected one of Plutchik's emotions, got {emotion!r}",
                                path=path, line=lineno, col=_col(cells, 1))
        if score > 0:
            _term(word, path, lineno, 1)
            concept, tier = mapping[emotion.lower()]
            out.append(LexiconRow(word.lower(), concept, tier, score, "", _kind(word.lower()),
                                  "nrc-intensity", score, "auto"))
    return out


class VadEntry(tuple):
    """``(term, valence, arousal, dominance)`` from a VAD lexicon."""

    __slots__ = ()

    def __new__(cls, term, valence, arousal, dominance):
        return super().__new__(cls, (term, valence, arousal, dominance))


def load_nrc_vad(source) -> list[VadEntry]:
    """NRC VAD: header ``Word<TAB>Valence<TAB>Arousal<TAB>Dominance``, then one word per line.

    Returns :class:`VadEntry` tuples (VAD is not a concept mapping); values are kept as given.
    """
    path, lines = _open(source)
    out, header = [], False
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if [c.strip().lower() for c in cells] not in (
                    ["word", "valence", "arousal", "dominance"],
                    ["term", "valence", "arousal", "dominance"]):  # NRC VAD v1 / v2 headers
                raise DataFileError("expected the header row 'Word<TAB>Valence<TAB>Arousal<TAB>"
                                    "Dominance' (or 'term<TAB>valence<TAB>arousal<TAB>"
                                    "dominance')", path=path, line=lineno, col=1)
            header = True
            continue
        if len(cells) != 4:
            raise DataFileError(f"expected 4 tab-separated columns (word, valence, arousal, "
                                f"dominance), got {len(cells)}", path=path, line=lineno, col=1)
        vals = [_float(cells[i].strip(), "a number", path, lineno, _col(cells, i))
                for i in (1, 2, 3)]
        out.append(VadEntry(cells[0].strip().lower(), *vals))
    if not header:
        raise DataFileError("expected the header row 'Word<TAB>Valence<TAB>Arousal<TAB>"
                            "Dominance'; the file has none", path=path, line=1, col=1)
    return out


def _liwc_ids(cell: str) -> list[str]:
    """The category ids of one LIWC id cell: ``125``, or a LIWC2007 conditional entry
    ``(02 134)125/464`` — category 125 when a neighbouring word is in category 02 or 134, else
    464. tone matches words without such context tests, so a conditional entry gives its
    *otherwise* category (464); ``(02 134)125`` without one gives none."""
    if cell.startswith("("):
        _, _, branches = cell.partition(")")
        _, _, otherwise = branches.partition("/")
        return [otherwise] if otherwise else []
    return [cell]


def _liwc_entry(line: str) -> tuple[str, list[str]]:
    """``(term, id cells)`` of a word line, tab- or space-separated (some LIWC exports use
    spaces; then the id cells are the trailing tokens that are ids or conditional entries)."""
    cells = line.rstrip().split("\t")
    if len(cells) > 1:
        return cells[0].strip(), [c.strip() for c in cells[1:] if c.strip()]
    tokens = line.split()
    k = len(tokens)
    while k > 1 and (tokens[k - 1].isdigit() or tokens[k - 1].endswith(")")
                     or "/" in tokens[k - 1] or tokens[k - 1].startswith("(")):
        k -= 1
    ids = " ".join(tokens[k:])  # conditional entries contain spaces: "(02 134)125/464"
    return " ".join(tokens[:k]), _split_liwc_ids(ids)


def _split_liwc_ids(text: str) -> list[str]:
    out, depth, current = [], 0, ""
    for ch in text:
        if ch == " " and depth == 0:
            if current:
                out.append(current)
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    return out + ([current] if current else [])


def load_liwc(source, mapping: dict[str, tuple[str, int]]) -> list[LexiconRow]:
    r"""A LIWC ``.dic`` file (LIWC2001/2007/2015/22): ``%`` / ``id<TAB>name [description]`` ...
    ``%`` header, then ``term<TAB>ids...`` (tabs or spaces).

    ``mapping`` maps LIWC category *names* (lowercase; a description after the name, as in
    ``1  posemo  (Positive Emotions)``, is ignored) to concept keys ``(label, tier)``; other
    categories are skipped, and a mapping that names none of the file's categories is an
    error. LIWC2007 conditional entries count as their *otherwise* category (see
    :func:`_liwc_ids`). A term in two categories that map to one concept is one row (its
    ``source`` names both). Wildcards (``abandon*``) become kind ``wildcard``; multiword
    entries become phrases.

    >>> import io
    >>> dic = io.StringIO("%\n1\tposemo\t(Positive Emotions)\n2\taffect\n%\n"
    ...                   "happ*\t1\t2\nkind\t(2 1)1/2\n")
    >>> [(r.term, r.concept, r.source) for r in load_liwc(dic, {"posemo": ("joy", 1),
    ...                                                          "affect": ("joy", 1)})]
    [('happ*', 'joy', 'liwc:posemo+affect'), ('kind', 'joy', 'liwc:affect')]
    """
    path, lines = _open(source)
    mapping = {k.lower(): v for k, v in mapping.items()}
    cats: dict = {}
    state = "start"
    rows: dict = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if state == "start":
            if line.strip() != "%":
                raise DataFileError("expected '%' opening the category block", path=path,
                                    line=lineno, col=1)
            state = "cats"
            continue
        if state == "cats":
            if line.strip() == "%":
                state = "words"
                if mapping and not set(cats.values()) & set(mapping):
                    raise DataFileError(
                        f"none of the mapped categories ({', '.join(sorted(mapping))}) is "
                        f"declared in the category block, which has: "
                        f"{', '.join(sorted(set(cats.values())))}", path=path, line=lineno,
                        col=1)
                continue
            cells = line.split()
            if len(cells) < 2 or not cells[0].isdigit():
                raise DataFileError("expected '<number><TAB><category name>' in the category "
                                    "block", path=path, line=lineno, col=1)
            cats[cells[0].lstrip("0") or "0"] = cells[1].lower()
            continue
        term, id_cells = _liwc_entry(line)
        if not id_cells:
            raise DataFileError("expected '<term><TAB><category id>...'", path=path,
                                line=lineno, col=1)
        term = _term(term.lower(), path, lineno, 1)
        for cell in id_cells:
            for cid in _liwc_ids(cell):
                key_id = cid.lstrip("0") or "0"
                if key_id not in cats:
                    raise DataFileError(f"expected a category id declared in the header, got "
                                        f"{cid!r}", path=path, line=lineno,
                                        col=line.find(cid) + 1)
                key = mapping.get(cats[key_id])
                if key is None:
                    continue
                names = rows.setdefault((term, key), [])
                if cats[key_id] not in names:
                    names.append(cats[key_id])
    if state != "words":
        raise DataFileError("expected a category block closed by '%'", path=path,
                            line=max(1, len(lines)), col=1)
    return [LexiconRow(term, key[0], key[1], 1.0, "", _kind(term),
                       "liwc:" + "+".join(names), 1.0, "auto")
            for (term, key), names in rows.items()]


def load_vader(source, positive: tuple = ("joy", 1), negative: tuple = ("sadness", 1),
               scale: float = 4.0) -> list[LexiconRow]:
    """VADER's lexicon format: ``token<TAB>mean<TAB>std<TAB>[ratings]``.

    VADER rates sentiment (-4..4), not emotions: positive tokens go to ``positive``, negative
    ones to ``negative`` (both overridable) with weight ``|mean| / scale``.
    """
    path, lines = _open(source)
    out = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise DataFileError("expected 'token<TAB>mean<TAB>std<TAB>[ratings]'", path=path,
                                line=lineno, col=1)
        token = _term(cells[0].strip(), path, lineno, 1)
        mean = _float(cells[1].strip(), "a mean rating in [-4, 4]", path, lineno,
                      _col(cells, 1))
        if len(cells) > 2:
            _float(cells[2].strip(), "a standard deviation", path, lineno, _col(cells, 2))
        if mean == 0:
            continue
        key = positive if mean > 0 else negative
        weight = min(1.0, abs(mean) / scale)
        kind = "emoticon" if not any(ch.isalpha() for ch in token) else _kind(token.lower())
        term = token if kind == "emoticon" else token.lower()
        out.append(LexiconRow(term, key[0], key[1], weight, "", kind, "vader", mean, "auto"))
    return out


def load_tsv(source, default_weight: float = 1.0, table=None) -> list[LexiconRow]:
    """A plain TSV: ``term<TAB>concept[<TAB>tier[<TAB>weight]]``; ``#`` lines are comments.

    Without a tier the concept's label must be unique across tiers in the user's mind: tier
    defaults to 3 (tertiary). With ``table`` (a :class:`~tone.ontology.ConceptTable`), a
    concept it does not have is an error at ``file:line:col``.
    """
    path, lines = _open(source)
    out = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if lineno == 1 and cells[0].strip().lower() == "term":
            continue
        if not 2 <= len(cells) <= 4:
            raise DataFileError(f"expected 2 to 4 tab-separated columns (term, concept, tier, "
                                f"weight), got {len(cells)}", path=path, line=lineno, col=1)
        term, concept = cells[0].strip().lower(), cells[1].strip().lower()
        if not term or not concept:
            raise DataFileError("expected a term and a concept", path=path, line=lineno, col=1)
        _term(term, path, lineno, 1)
        tier = 3
        if len(cells) > 2 and cells[2].strip():
            if cells[2].strip() not in ("1", "2", "3"):
                raise DataFileError(f"expected tier 1, 2 or 3, got {cells[2]!r}", path=path,
                                    line=lineno, col=_col(cells, 2))
            tier = int(cells[2].strip())
        weight = default_weight
        if len(cells) > 3:
            weight = _float(cells[3].strip(), "a weight in (0, 1]", path, lineno,
                            _col(cells, 3))
            if not 0 < weight <= 1:
                raise DataFileError(f"expected a weight in (0, 1], got {cells[3]!r}", path=path,
                                    line=lineno, col=_col(cells, 3))
        _check_concept(table, concept, tier, term, path, lineno, _col(cells, 1))
        out.append(LexiconRow(term, concept, tier, weight, "", _kind(term), "user-tsv", weight,
                              "auto"))
    return out





def lexicon_format(path: str | os.PathLike) -> str:
    """The format of a lexicon file, from its name and first data line: ``liwc`` (``.dic``, or
    a file opening with ``%``), ``tone`` (the shipped format's header), ``emolex`` /
    ``nrc-intensity`` (``word<TAB>emotion<TAB>0|1`` / ``score``), ``nrc-vad``, or ``tsv``
    (``term<TAB>concept[<TAB>tier[<TAB>weight]]``)."""
    from tone.lexicon.rows import COLUMNS

    name, lines = _open(path)
    if str(name).lower().endswith(".dic"):
        return "liwc"
    data = [line for line in lines if line.strip() and not line.startswith("#")]
    if not data:
        raise DataFileError("the lexicon file has no entries", path=name, line=1, col=1)
    first = data[0].split("\t")
    if data[0].strip() == "%":
        return "liwc"
    if tuple(c.strip() for c in first) == COLUMNS:
        return "tone"
    if [c.strip().lower() for c in first][1:] == ["valence", "arousal", "dominance"]:
        return "nrc-vad"
    rows = [line.split("\t") for line in data[:50]]
    body = rows[1:] or rows  # the first line may be a header
    if all(len(r) == 3 and r[1].strip().lower() in {*PLUTCHIK_TO_TONE, *_SENTIMENT}
           for r in body):
        values = {r[2].strip() for r in body}
        if values <= {"0", "1"}:
            return "emolex"
        if all(_unit_float(v) for v in values):
            return "nrc-intensity"
    return "tsv"


def _unit_float(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False


def load_lexicon(path: str | os.PathLike, table=None) -> list[LexiconRow]:
    """Read a user lexicon in any format tone knows (see :func:`lexicon_format`): LIWC
    dictionaries through :data:`LIWC_TO_TONE`, NRC EmoLex and Emotion Intensity through
    :data:`PLUTCHIK_TO_TONE`, tone's own TSV and the plain ``term<TAB>concept`` TSV. This is what
    ``Annotator(lexicon=PATH)`` and ``tone annotate --lexicon PATH`` read. A file that yields no
    emotion row is an error (it would annotate nothing). An NRC VAD file is refused here: VAD
    words carry no emotion concept.
    """
    from tone.lexicon.rows import read_lexicon

    fmt = lexicon_format(path)
    if fmt == "nrc-vad":
        raise DataFileError("an NRC VAD file gives valence/arousal/dominance, not emotions: "
                            "it cannot be the emotion lexicon (see tone.vocab.vad.build_vad)",
                            path=str(path), line=1, col=1)
    readers = {"liwc": lambda: load_liwc(path, LIWC_TO_TONE),
               "tone": lambda: read_lexicon(path, table=table),
               "emolex": lambda: load_emolex(path),
               "nrc-intensity": lambda: load_nrc_intensity(path),
               "tsv": lambda: load_tsv(path, table=table)}
    rows = readers[fmt]()
    if not [row for row in rows if row.status != "rejected"]:
        raise DataFileError(f"no emotion entries read from this {fmt} lexicon", path=str(path),
                            line=1, col=1)
    return rows
