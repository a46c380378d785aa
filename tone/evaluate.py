"""Measure tone (and peers) on labelled data: readers, predictions and metrics.

Readers return a :class:`Dataset`: texts with gold labels (single- or multi-label, in the
categories of a scheme, see :mod:`tone.scoring.schemes`) or gold valence/arousal/dominance.

**Protocol.** tone's prediction is the scheme's ``top`` (:func:`tone.scoring.schemes.scheme_scores`).
Multi-label data: ``neutral`` means the empty label set, for gold and prediction alike, and
the metrics run over the other categories (GoEmotions-Ekman: 6 emotions). Single-label data
(MELD): the prediction is the best category of ``top`` (``neutral`` when tone finds nothing).
NRCLex (``compare="nrclex"``), on the lowercased text (its lexicon is lowercase: without this a
capitalised word, every word of a headline, is never found): every one of Plutchik's eight
whose raw count is above zero, kept when the scheme has a category of that name (or mapped by
the dataset's ``nrclex_map``, counts of categories mapped together added up); single-label:
the highest count (ties: the first in alphabetical order), ``neutral`` when none.

Corpus protocols (:mod:`tone.evaluate_corpora`): a dataset may name the ``classes`` its
metrics average over (DailyDialog: the six emotions, not "no emotion"), its main ``metric``
(macro-F1 by default; micro-F1 for REMAN, weighted-F1 for EmoryNLP and MELD), and a
``polarity_split`` (GoodNewsEveryone: a predicted surprise is positive when tone's document
valence is above 0, else negative; NRCLex: its positive minus negative count). A single-label
document without evidence is predicted ``neutral``: right where ``neutral`` is a gold class,
wrong elsewhere. ``precision_when_firing``: of the emotion labels predicted, the share that
are gold. The development suite over eight corpora is :mod:`tone.evaluate_suite`.

Metrics: accuracy (exact match for multi-label), macro- and micro-F1, per-class precision,
recall and F1, a confusion matrix for single-label data, and coverage (the share of documents
with any evidence). Dimensional data (EmoBank): Pearson r of tone's valence, arousal and
dominance with the gold ones, and of tone's intensity with gold arousal and with the gold
valence's distance from neutral (``|V - 3|``); ``pearson_valence_sentiment`` correlates the
gold valence with ``positive - negative`` of the ``sentiment`` scheme (a valence through the
mappings alone, which works even when the concepts carry no VAD values).

>>> macro_micro([["joy"], [], ["anger"]], [["joy"], ["fear"], []], ["anger", "fear", "joy"])[:2]
(0.3333, 0.5)
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .batching import BATCH_SIZE
from ._resources import file_problem
from .errors import DataFileError, UsageError

__all__ = ["DATASETS", "Dataset", "shared_data_dir", "read_dataset", "read_table",
           "evaluate", "classification_metrics", "macro_micro", "weighted_f1",
           "precision_when_firing", "pearson", "format_report", "tone_predict",
           "nrclex_predict"]

DATASETS = ("goemotions", "goemotions-ekman", "meld", "emobank", "goodnewseveryone", "enisear",
            "reman", "dailydialog", "emorynlp", "empatheticdialogues")
SPLITS = ("train", "dev", "test")
NEUTRAL = "neutral"


@dataclass
class Dataset:
    """Texts with gold labels (``labels``: one list per document) or gold VAD (``vad``:
    ``[n, 3]``, in the data's own scale). ``multi_label`` says how ``labels`` is evaluated.

    The corpus protocol, where it differs from the defaults: ``classes`` the metrics average
    over (default: the scheme's labels, multi-label; its categories, single-label);
    ``metric`` the main metric its literature reports; ``no_evidence`` the class predicted
    for a document with no emotion (``None``: no class, so the document counts as wrong);
    ``polarity_split`` turns a predicted category into one of two classes by the document's
    polarity (``{"surprise": (negative, positive)}``); ``nrclex_map`` maps NRCLex's Plutchik
    categories to classes (default: the names the scheme shares with Plutchik's eight)."""

    name: str
    split: str
    path: str
    texts: list[str]
    scheme: str | None = None
    labels: list[list[str]] | None = None
    multi_label: bool = False
    vad: np.ndarray | None = None
    ids: list[str] = field(default_factory=list)
    classes: list[str] | None = None
    metric: str = "macro_f1"
    no_evidence: str | None = NEUTRAL
    polarity_split: dict[str, tuple[str, str]] | None = None
    nrclex_map: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    dialogues: list | None = None  #: dialogue corpora: each document's conversation id
    speakers: list | None = None   #: ... and its speaker (``tone eval --dialogue``)


# -- locating and reading the data ------------------------------------------------------------
def shared_data_dir(path: str | Path | None = None) -> Path:
    """The benchmark data folder: ``path``, else ``TONE_SHARED_DATA``, else ``../shared/data``
    from the current directory or from the source checkout."""
    candidates = [Path(path)] if path else []
    if not path:
        if os.environ.get("TONE_SHARED_DATA"):
            candidates.append(Path(os.environ["TONE_SHARED_DATA"]))
        candidates += [Path.cwd().parent / "shared" / "data",
                       Path(__file__).resolve().parents[2] / "shared" / "data"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise UsageError(f"no benchmark data at {', '.join(map(str, candidates))}; pass --data-dir "
                     "or set TONE_SHARED_DATA to the folder holding goemotions/, meld/, emobank/")


def _open_text(path: Path):
    try:
        return open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None


def _lines(path: Path) -> Iterable[tuple[int, str]]:
    with open(path, "rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataFileError(f"byte offset {offset + err.start}: invalid UTF-8 "
                                    f"({err.reason}); convert the file to UTF-8",
                                    path=str(path), line=number) from None
            offset += len(raw)
            yield number, line.rstrip("\r\n")


def _read_label_names(path: Path) -> list[str]:
    if not path.is_file():
        raise UsageError(f"{path}: no such label file")
    return [line.strip() for _, line in _lines(path) if line.strip()]


def _goemotions(root: Path, variant: str, split: str, limit: int | None) -> Dataset:
    folder = root / "goemotions" / variant
    names = _read_label_names(folder / "labels.txt")
    path = folder / f"{split}.tsv"
    texts, labels, ids = [], [], []
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    for number, line in _lines(path):
        if limit is not None and len(texts) >= limit:
            break
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise DataFileError(f"expected 3 tab-separated columns (text, label ids, id), "
                                f"found {len(fields)}", path=str(path), line=number)
        doc = []
        for part in fields[1].split(","):
            try:
                doc.append(names[int(part)])
            except (ValueError, IndexError):
                col = len(fields[0]) + 2
                raise DataFileError(f"bad label id {part!r}: expected 0-{len(names) - 1} "
                                    f"(see {folder / 'labels.txt'})", path=str(path),
                                    line=number, col=col) from None
        texts.append(fields[0])
        labels.append([label for label in doc if label != NEUTRAL])
        ids.append(fields[2])
    scheme = "goemotions" if variant == "original" else "ekman"
    name = "goemotions" if variant == "original" else "goemotions-ekman"
    return Dataset(name, split, str(path), texts, scheme, labels, True, ids=ids)


def _csv_rows(path: Path, required: Sequence[str]) -> Iterable[tuple[int, dict]]:
    """Rows of a CSV file as dicts, with the line each row starts on."""
    handle = _open_text(path)
    with handle:
        text = handle.read()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError("empty file: expected a header row", path=str(path), line=1) from None
    except csv.Error as err:
        raise DataFileError(f"malformed CSV: {err}", path=str(path), line=1) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise DataFileError(f"missing column(s) {', '.join(missing)}; the header has "
                            f"{', '.join(header)}", path=str(path), line=1)
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise DataFileError(f"malformed CSV: {err}", path=str(path), line=line) from None
        if not fields:
            continue
        if len(fields) != len(header):
            raise DataFileError(f"expected {len(header)} fields as in the header, found "
                                f"{len(fields)}", path=str(path), line=line)
        yield line, dict(zip(header, fields))


def _meld(root: Path, split: str, limit: int | None) -> Dataset:
    path = root / "meld" / "data" / "MELD" / f"{split}_sent_emo.csv"
    from .scoring.schemes import get_scheme

    allowed = set(get_scheme("meld").categories)
    texts, labels, ids, dialogues, speakers = [], [], [], [], []
    for line, row in _csv_rows(path, ("Utterance", "Emotion", "Dialogue_ID", "Utterance_ID")):
        if limit is not None and len(texts) >= limit:
            break
        dialogues.append(row["Dialogue_ID"])
        speakers.append(row.get("Speaker", ""))
        emotion = row["Emotion"].strip().lower()
        if emotion not in allowed:
            raise DataFileError(f"unknown MELD emotion {row['Emotion']!r}; expected one of "
                                f"{', '.join(sorted(allowed))}", path=str(path), line=line)
        texts.append(_fix_meld_text(row["Utterance"]))
        labels.append([emotion])
        ids.append(f"{row['Dialogue_ID']}_{row['Utterance_ID']}")
    return Dataset("meld", split, str(path), texts, "meld", labels, False, ids=ids,
                   dialogues=dialogues, speakers=speakers)


def _fix_meld_text(text: str) -> str:
    """MELD's CSVs carry Windows-1252 quotes decoded as Latin-1 (``\\x92`` for ’); repair them."""
    if any("\x80" <= ch <= "\x9f" for ch in text):
        try:
            return text.encode("latin-1").decode("cp1252")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return text


def _emobank(root: Path, split: str, limit: int | None) -> Dataset:
    path = root / "emobank" / "emobank.csv"
    texts, vad, ids = [], [], []
    for line, row in _csv_rows(path, ("id", "split", "V", "A", "D", "text")):
        if row["split"] != split:
            continue
        if limit is not None and len(texts) >= limit:
            break
        try:
            vad.append([float(row["V"]), float(row["A"]), float(row["D"])])
        except ValueError:
            raise DataFileError("V, A and D must be numbers", path=str(path), line=line) from None
        texts.append(row["text"])
        ids.append(row["id"])
    return Dataset("emobank", split, str(path), texts, None, None, False,
                   np.asarray(vad, dtype=np.float64).reshape(-1, 3), ids=ids)


def read_dataset(name: str, split: str = "test", root: str | Path | None = None,
                 limit: int | None = None) -> Dataset:
    """One of :data:`DATASETS` from the benchmark data folder (see :func:`shared_data_dir`)."""
    if name not in DATASETS:
        raise UsageError(f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)}")
    if split not in SPLITS:
        raise UsageError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    base = shared_data_dir(root)
    from .evaluate_corpora import CORPORA, read_corpus

    if name in CORPORA:
        return read_corpus(name, split, base, limit)
    if name == "goemotions":
        return _goemotions(base, "original", split, limit)
    if name == "goemotions-ekman":
        return _goemotions(base, "ekman", split, limit)
    if name == "meld":
        data = _meld(base, split, limit)
        data.metric = "weighted_f1"
        return data
    return _emobank(base, split, limit)


def _column(header: list[str] | None, spec: str, path: str, what: str) -> int:
    if spec.isdigit():
        index = int(spec) - 1
        if index < 0:
            raise UsageError(f"--{what}: column numbers start at 1")
        return index
    if header is None or spec not in header:
        where = f"; the header has {', '.join(header)}" if header else ""
        raise DataFileError(f"no column {spec!r} for --{what}{where}", path=path, line=1)
    return header.index(spec)


def read_table(path: str | Path, fmt: str, text: str, scheme: str, label: str | None = None,
               labels: str | None = None, label_names: str | Path | None = None,
               limit: int | None = None, separator: str = ",") -> Dataset:
    """A labelled file in ``tsv``, ``csv`` or ``jsonl``.

    ``text`` and ``label`` (single-label) or ``labels`` (multi-label: a list in JSONL, else
    ``separator``-separated) name columns (JSONL: keys). In TSV/CSV a column is a header name,
    or a 1-based number — then the file has no header row. ``label_names`` maps integer label
    ids to names (one name per line, GoEmotions' ``labels.txt``). Labels must be categories of
    ``scheme``; ``neutral`` (or no label) means no emotion."""
    from .scoring.schemes import get_scheme

    if fmt not in ("tsv", "csv", "jsonl"):
        raise UsageError(f"unknown format {fmt!r}; expected tsv, csv or jsonl")
    if (label is None) == (labels is None):
        raise UsageError("give exactly one of --label (single-label) or --labels (multi-label)")
    path = Path(path)
    problem = file_problem(path)
    if problem:
        raise UsageError(f"{path}: {problem}")
    target = get_scheme(scheme)
    allowed = set(target.categories) | {NEUTRAL}
    names = _read_label_names(Path(label_names)) if label_names else None
    field_spec = label if label is not None else labels
    assert field_spec is not None

    def convert(raw, number: int) -> list[str]:
        if isinstance(raw, list):
            parts = [str(p) for p in raw]
        elif raw is None:
            parts = []
        else:
            parts = [p for p in str(raw).split(separator)] if labels is not None else [str(raw)]
        out = []
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if names is not None:
                try:
                    part = names[int(part)]
                except (ValueError, IndexError):
                    raise DataFileError(f"bad label id {part!r}: expected 0-{len(names) - 1}",
                                        path=str(path), line=number) from None
            part = part.lower()
            if part not in allowed:
                raise DataFileError(f"label {part!r} is not a category of scheme {scheme!r} "
                                    f"({', '.join(target.categories)})", path=str(path),
                                    line=number)
            out.append(part)
        return out

    texts, golds = [], []
    if fmt == "jsonl":
        for number, line in _lines(path):
            if limit is not None and len(texts) >= limit:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataFileError(f"invalid JSON: {err.msg}", path=str(path), line=number,
                                    col=err.colno) from None
            if not isinstance(record, dict) or text not in record:
                raise DataFileError(f"expected a JSON object with key {text!r}",
                                    path=str(path), line=number)
            if not isinstance(record[text], str):
                raise DataFileError(f"{text!r} must be a string", path=str(path), line=number)
            texts.append(record[text])
            golds.append(convert(record.get(field_spec), number))
    else:
        numeric = text.isdigit() and field_spec.isdigit()
        if fmt == "tsv":
            rows = ((n, line.split("\t")) for n, line in _lines(path) if line.strip())
        else:
            with _open_text(path) as handle:
                content = handle.read()
            reader = csv.reader(io.StringIO(content, newline=""))

            def csv_rows():
                while True:
                    n = reader.line_num + 1
                    try:
                        fields = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as err:
                        raise DataFileError(f"malformed CSV: {err}", path=str(path),
                                            line=n) from None
                    if fields:
                        yield n, fields
            rows = csv_rows()
        header = None
        if not numeric:
            first = next(rows, None)
            if first is None:
                raise DataFileError("empty file: expected a header row", path=str(path), line=1)
            header = first[1]
        ti = _column(header, text, str(path), "text")
        li = _column(header, field_spec, str(path), "label" if label is not None else "labels")
        for number, fields in rows:
            if limit is not None and len(texts) >= limit:
                break
            if max(ti, li) >= len(fields):
                raise DataFileError(f"expected at least {max(ti, li) + 1} columns, found "
                                    f"{len(fields)}", path=str(path), line=number)
            texts.append(fields[ti])
            golds.append(convert(fields[li], number))
    multi = labels is not None
    if multi:
        golds = [[g for g in doc if g != NEUTRAL] for doc in golds]
    else:
        for i, doc in enumerate(golds):
            if len(doc) != 1:
                golds[i] = [NEUTRAL] if not doc else doc[:1]
    return Dataset(path.stem, "", str(path), texts, scheme, golds, multi)


# -- systems ------------------------------------------------------------------------------------
@dataclass
class Predictions:
    """What a system said about each document."""

    system: str
    labels: list[list[str]]                 # multi-label sets or one label per document
    evidence: np.ndarray                    # bool: any evidence at all
    vad: np.ndarray | None = None           # [n, 3] for tone
    intensity: np.ndarray | None = None
    scores: np.ndarray | None = None        # [n, n_labels] scheme scores (tone)
    note: str = ""


def _single(top: list[str], scheme_neutral: bool) -> str:
    emotions = [label for label in top if label != NEUTRAL]
    return emotions[0] if emotions else NEUTRAL


def _split_polarity(dataset: Dataset, labels: list[list[str]], polarity: np.ndarray
                    ) -> list[list[str]]:
    """Replace each category of ``dataset.polarity_split`` by its negative class (polarity
    ≤ 0) or its positive class (polarity > 0)."""
    if not dataset.polarity_split:
        return labels
    out = []
    for doc, value in zip(labels, polarity):
        split = []
        for label in doc:
            pair = dataset.polarity_split.get(label)
            split.append(label if pair is None else pair[1] if value > 0 else pair[0])
        out.append(split)
    return out


def tone_predict(dataset: Dataset, annotator=None, batch_size: int = BATCH_SIZE,
                 min_score: float = 0.0, concept_scores: np.ndarray | None = None,
                 link_weights: dict | None = None, always: bool = False,
                 dialogue=None) -> Predictions:
    """tone's predictions in the dataset's scheme (its ``top``); ``concept_scores`` lets a
    caller reuse one annotation run (``[n, n_concepts]``) while varying the mappings.
    ``always``: a document without evidence answers the best category of the valence prior
    (:mod:`tone.scoring.schemes`, "every document has an emotion") instead of neutral.
    ``dialogue``: a :class:`tone.dialogue.context.Mixer` over the scheme's categories; each
    conversation's scores get inertia and contagion (needs ``dataset.dialogues``)."""
    from .scoring.schemes import concept_vector, get_scheme

    if annotator is None:
        from .annotator import Annotator

        annotator = Annotator()
    table = annotator.table
    n = len(dataset.texts)
    evidence = np.zeros(n, dtype=bool)
    vad = np.zeros((n, 3))
    intensity = np.zeros(n)
    if concept_scores is None:
        concept_scores = np.zeros((n, len(table)))
        for i, result in enumerate(annotator.pipe(dataset.texts, batch_size=batch_size)):
            concept_scores[i] = concept_vector(result, table)
            evidence[i] = result.has_evidence
            vad[i] = [result.vad["valence"], result.vad["arousal"], result.vad["dominance"]]
            intensity[i] = result.intensity
    else:
        evidence = concept_scores.max(axis=1) > 0
    if dataset.scheme is None:
        out = Predictions("tone", [], evidence, vad, intensity)
        out.polarity = sentiment_polarity(concept_scores, annotator)  # type: ignore[attr-defined]
        return out
    scheme = get_scheme(dataset.scheme, annotator.ontology)
    matrix = scheme.score_matrix(concept_scores, table, link_weights)
    strength = scheme.evidence_matrix(concept_scores, table)
    if dialogue is not None:
        from .dialogue.corpora import mix_dataset

        matrix = mix_dataset(dataset, matrix, evidence, dialogue)
    labels = []
    for row, ev, valence in zip(matrix, strength, vad[:, 0]):
        top = scheme.result(row, min_score=min_score, evidence=ev, valence=valence,
                            table=table, always=always).top
        if dataset.multi_label:
            labels.append([label for label in top if label != NEUTRAL])
        else:
            labels.append([_single(top, scheme.neutral is not None)])
    if dataset.polarity_split:
        given = vad[:, 0] if vad.any() else sentiment_polarity(concept_scores, annotator)
        labels = _split_polarity(dataset, labels, given)
    out = Predictions("tone", labels, evidence, vad, intensity, matrix)
    out.concept_scores = concept_scores  # type: ignore[attr-defined]
    return out


def sentiment_polarity(concept_scores: np.ndarray, annotator) -> np.ndarray:
    """``positive - negative`` in the ``sentiment`` scheme: a valence read through the
    mappings alone, independent of the concepts' VAD values."""
    from .scoring.schemes import get_scheme

    scheme = get_scheme("sentiment", annotator.ontology)
    matrix = scheme.score_matrix(concept_scores, annotator.table)
    return matrix[:, scheme.labels.index("positive")] - matrix[:, scheme.labels.index("negative")]


PLUTCHIK_EIGHT = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise",
                  "trust")


def _nrclex_tokenizer():
    """TextBlob's words and lemmas when its corpora are installed; else the same steps with
    NLTK's Treebank tokenizer (TextBlob's own word tokenizer) without Punkt sentence splitting,
    and WordNet noun lemmas when WordNet is available."""
    import re

    try:
        from textblob import TextBlob

        TextBlob("A test. Another one.").words[0].lemmatize()
        return None, "textblob"
    except Exception:  # MissingCorpusError, LookupError: no Punkt or WordNet data
        pass
    from nltk.tokenize import TreebankWordTokenizer

    tokenizer = TreebankWordTokenizer()
    try:
        from nltk.stem import WordNetLemmatizer

        lemmatizer = WordNetLemmatizer()
        lemmatizer.lemmatize("dogs")
        lemma = lemmatizer.lemmatize
        note = "treebank+wordnet (Punkt absent)"
    except LookupError:
        lemma = (lambda word: word)
        note = "treebank, no lemmas (Punkt and WordNet absent)"
    punct = re.compile(r"^[^\w']+|[^\w']+$")

    def words(text: str) -> list[str]:
        out = []
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for token in tokenizer.tokenize(sentence):
                word = token if token.startswith("'") else punct.sub("", token)
                if word:
                    out.append(lemma(word))
        return out
    return words, note


def nrclex_predict(dataset: Dataset) -> Predictions:
    """NRCLex's predictions (needs the ``nrclex`` package), by the protocol in the module doc."""
    from .errors import require
    from .scoring.schemes import get_scheme

    nrclex = require("nrclex", "eval", "--compare nrclex")
    words, note = _nrclex_tokenizer()
    if dataset.scheme is None:
        raise UsageError("--compare nrclex needs a labelled dataset (NRCLex has no VAD)")
    scheme = get_scheme(dataset.scheme)
    mapping = dataset.nrclex_map or {label: label for label in PLUTCHIK_EIGHT
                                     if label in scheme.labels}
    labels, evidence = [], np.zeros(len(dataset.texts), dtype=bool)
    polarity = np.zeros(len(dataset.texts))
    lex = nrclex.NRCLex()
    for i, text in enumerate(dataset.texts):
        if words is None:
            lex.load_raw_text(text.lower())
        else:
            lex.load_token_list(words(text.lower()))
        raw = lex.raw_emotion_scores
        counts: dict[str, int] = {}
        for category, value in raw.items():
            if category in mapping and value > 0:
                counts[mapping[category]] = counts.get(mapping[category], 0) + value
        polarity[i] = raw.get("positive", 0) - raw.get("negative", 0)
        evidence[i] = bool(counts)
        if dataset.multi_label:
            labels.append(sorted(counts))
        else:
            best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            labels.append([best[0][0] if best else NEUTRAL])
    labels = _split_polarity(dataset, labels, polarity)
    mapped = ", ".join(f"{k}→{v}" if k != v else k for k, v in mapping.items())
    return Predictions("nrclex", labels, evidence, note=f"tokens: {note}; mapped: {mapped}")


# -- metrics ----------------------------------------------------------------------------------
def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def macro_micro(gold: list[list[str]], pred: list[list[str]], classes: list[str]
                ) -> tuple[float, float, dict]:
    """Macro-F1, micro-F1 and per-class ``{label: {precision, recall, f1, support}}``."""
    per = {}
    total = [0, 0, 0]
    for label in classes:
        tp = sum(1 for g, p in zip(gold, pred) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred) if label in g and label not in p)
        p, r, f = _prf(tp, fp, fn)
        per[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                      "support": tp + fn, "predicted": tp + fp}
        total[0] += tp
        total[1] += fp
        total[2] += fn
    macro = float(np.mean([per[c]["f1"] for c in classes])) if classes else 0.0
    micro = _prf(*total)[2]
    return round(macro, 4), round(micro, 4), per


def weighted_f1(per_class: dict) -> float:
    """The per-class F1 averaged with the gold support as weights (0.0 without support).

    >>> weighted_f1({"a": {"f1": 1.0, "support": 3}, "b": {"f1": 0.5, "support": 1}})
    0.875
    """
    total = sum(m["support"] for m in per_class.values())
    if not total:
        return 0.0
    return round(sum(m["f1"] * m["support"] for m in per_class.values()) / total, 4)


def precision_when_firing(gold: list[list[str]], pred: list[list[str]]) -> float:
    """Of the emotion labels predicted (everything but ``neutral``, which a system says when
    it finds nothing), the share that are gold; 0.0 when nothing was predicted.

    >>> precision_when_firing([["joy"], ["anger"], ["neutral"]],
    ...                       [["joy"], ["fear"], ["neutral"]])
    0.5
    """
    fired = [(label in g) for g, p in zip(gold, pred) for label in p if label != NEUTRAL]
    return round(sum(fired) / len(fired), 4) if fired else 0.0


def classification_metrics(gold: list[list[str]], pred: list[list[str]], classes: list[str],
                           multi_label: bool, evidence: np.ndarray) -> dict:
    """Accuracy, macro/micro/weighted-F1 over ``classes``, per-class P/R/F1, precision when
    firing, confusion matrix (single-label; labels outside ``classes``, such as ``neutral``
    for a document without evidence, get a row and column of their own), coverage."""
    macro, micro, per = macro_micro(gold, pred, classes)
    accuracy = float(np.mean([set(g) == set(p) for g, p in zip(gold, pred)])) if gold else 0.0
    out = {"n": len(gold), "accuracy": round(accuracy, 4), "macro_f1": macro, "micro_f1": micro,
           "weighted_f1": weighted_f1(per),
           "coverage": round(float(np.mean(evidence)) if len(evidence) else 0.0, 4),
           "precision_when_firing": precision_when_firing(gold, pred),
           "per_class": per}
    if not multi_label:
        extra = sorted({label for doc in (*gold, *pred) for label in doc} - set(classes),
                       key=lambda label: (label == NEUTRAL, label))
        labels = list(classes) + extra
        index = {c: i for i, c in enumerate(labels)}
        confusion = np.zeros((len(labels), len(labels)), dtype=int)
        for g, p in zip(gold, pred):
            confusion[index[g[0]], index[p[0]]] += 1
        out["confusion"] = {"labels": labels, "rows_gold_cols_predicted": confusion.tolist()}
    return out


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's r (0.0 when either side is constant).

    >>> pearson([1, 2, 3], [2, 4, 7])
    0.9934
    """
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return round(float(np.corrcoef(a, b)[0, 1]), 4)


def _class_list(dataset: Dataset) -> list[str]:
    from .scoring.schemes import get_scheme

    if dataset.classes is not None:
        return list(dataset.classes)
    scheme = get_scheme(dataset.scheme)  # type: ignore[arg-type]
    return list(scheme.labels) if dataset.multi_label else list(scheme.categories)


def evaluate(dataset: Dataset, annotator=None, compare: Sequence[str] = (),
             batch_size: int = BATCH_SIZE, min_score: float = 0.0, always: bool = False,
             dialogue=None) -> dict:
    """Score tone (and the ``compare`` systems) on ``dataset``; a JSON-ready report.
    ``always`` and ``dialogue``: see :func:`tone_predict`."""
    report: dict = {"dataset": dataset.name, "split": dataset.split, "path": dataset.path,
                    "n": len(dataset.texts), "scheme": dataset.scheme,
                    "multi_label": dataset.multi_label, "systems": {}}
    if dataset.labels is not None:
        report["metric"] = dataset.metric
    if dataset.notes:
        report["notes"] = list(dataset.notes)
    systems = [tone_predict(dataset, annotator, batch_size, min_score, always=always,
                            dialogue=dialogue)]
    for name in compare:
        if name != "nrclex":
            raise UsageError(f"unknown --compare system {name!r}; expected nrclex")
        systems.append(nrclex_predict(dataset))
    for pred in systems:
        if dataset.vad is not None:
            gold = dataset.vad
            result = {"n": len(gold),
                      "coverage": round(float(np.mean(pred.evidence)), 4),
                      "pearson_valence": pearson(pred.vad[:, 0], gold[:, 0]),
                      "pearson_arousal": pearson(pred.vad[:, 1], gold[:, 1]),
                      "pearson_dominance": pearson(pred.vad[:, 2], gold[:, 2]),
                      "pearson_intensity_arousal": pearson(pred.intensity, gold[:, 1]),
                      "pearson_intensity_extremity": pearson(pred.intensity,
                                                             np.abs(gold[:, 0] - 3.0))}
            polarity = getattr(pred, "polarity", None)
            if polarity is not None:
                result["pearson_valence_sentiment"] = pearson(polarity, gold[:, 0])
            covered = pred.evidence
            if covered.sum() >= 2:
                result["pearson_valence_covered"] = pearson(pred.vad[covered, 0],
                                                            gold[covered, 0])
        else:
            result = classification_metrics(dataset.labels, pred.labels, _class_list(dataset),
                                            dataset.multi_label, pred.evidence)
            result["main"] = result[dataset.metric]
        if pred.note:
            result["note"] = pred.note
        report["systems"][pred.system] = result
    return report


# -- output -----------------------------------------------------------------------------------
def format_report(report: dict, per_class: bool = True) -> str:
    """The report as plain-text tables."""
    lines = [f"{report['dataset']} {report['split']}  n={report['n']}  "
             f"scheme={report['scheme'] or '-'}  "
             f"{'multi-label' if report['multi_label'] else 'single-label' if report['scheme'] else 'dimensional'}"]
    systems = report["systems"]
    if report.get("metric"):
        lines[0] += f"  main={report['metric']}"
    lines += [f"note: {note}" for note in report.get("notes", [])]
    keys = [k for k in ("accuracy", "macro_f1", "micro_f1", "weighted_f1", "coverage",
                        "precision_when_firing", "pearson_valence",
                        "pearson_arousal", "pearson_dominance", "pearson_intensity_arousal",
                        "pearson_intensity_extremity", "pearson_valence_covered",
                        "pearson_valence_sentiment")
            if any(k in s for s in systems.values())]
    lines.append(f"{'metric':<28}" + "".join(f"{name:>10}" for name in systems))
    for key in keys:
        lines.append(f"{key:<28}" + "".join(f"{s.get(key, float('nan')):>10.4f}"
                                          for s in systems.values()))
    for name, result in systems.items():
        if result.get("note"):
            lines.append(f"{name}: {result['note']}")
    if per_class:
        for name, result in systems.items():
            if "per_class" not in result:
                continue
            lines.append("")
            lines.append(f"{name}: {'class':<16}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"
                         f"{'pred':>7}")
            for label, m in result["per_class"].items():
                lines.append(f"{'':<{len(name) + 2}}{label:<16}{m['precision']:>8.3f}"
                             f"{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}"
                             f"{m['predicted']:>7}")
            if "confusion" in result:
                labels = result["confusion"]["labels"]
                lines.append(f"{name}: confusion (rows gold, columns predicted)")
                lines.append(" " * 10 + "".join(f"{lab[:8]:>9}" for lab in labels))
                for lab, row in zip(labels, result["confusion"]["rows_gold_cols_predicted"]):
                    lines.append(f"{lab[:9]:<10}" + "".join(f"{v:>9}" for v in row))
    return "\n".join(lines)
