"""Readers for the development suite's corpora beyond GoEmotions, MELD and EmoBank.

Each reader turns one corpus of the benchmark data folder (see
:func:`tone.evaluate.shared_data_dir`) into a :class:`tone.evaluate.Dataset` whose gold
labels are already the corpus's evaluation classes, with the scheme tone answers in, the
classes the main metric averages over and the metric its literature reports. The gold label
mappings are declared here (``*_GOLD``); the mappings from tone's concepts to a scheme live in
``ontology/mappings/``.

**Splits.** The official split where the data has one (EmoryNLP: dev/tst JSON). Otherwise a
deterministic hash split (:func:`hash_split`): the SHA-1 of a document's key (UTF-8), read as
an integer, even → ``dev``, odd → ``test``. Keys: the headline (GoodNewsEveryone, whose ids
repeat), the event description (enISEAR, whose texts repeat under different ids), the passage
text (REMAN, whose ``doc_id``\\s repeat), the whole dialogue line (DailyDialog validation:
every utterance of a dialogue falls on the same side) and the situation text
(EmpatheticDialogues validation). ``train`` is the corpus's training part where the data has
one (DailyDialog, EmpatheticDialogues); the others have no ``train``.

>>> hash_split("abc"), hash_split("abe")
('test', 'dev')
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import DataFileError, UsageError
from .tsv import records

__all__ = ["CORPORA", "hash_split", "read_corpus", "GNE_GOLD", "ENISEAR_GOLD",
           "DAILYDIALOG_GOLD", "EMORYNLP_GOLD", "PLUTCHIK_EIGHT", "ED_LABELS",
           "NRCLEX_MAPS"]

CORPORA = ("goodnewseveryone", "enisear", "reman", "dailydialog", "emorynlp",
           "empatheticdialogues")
NEUTRAL = "neutral"
PLUTCHIK_EIGHT = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise",
                  "trust")

#: GoodNewsEveryone's 15 dominant emotions folded to 7 classes; surprise is split by polarity
GNE_GOLD = {
    "anger": "anger", "annoyance": "anger",
    "disgust": "disgust",
    "fear": "fear", "negative_anticipation_including_pessimism": "fear",
    "joy": "joy", "love_including_like": "joy", "pride": "joy",
    "positive_anticipation_including_optimism": "joy", "trust": "joy",
    "sadness": "sadness", "guilt": "sadness", "shame": "sadness",
    "negative_surprise": "negative_surprise", "positive_surprise": "positive_surprise",
}
GNE_CLASSES = ["anger", "disgust", "fear", "joy", "negative_surprise", "positive_surprise",
               "sadness"]
#: enISEAR's Prior_Emotion → the ``isear`` scheme
ENISEAR_GOLD = {name.capitalize(): name for name in
                ("anger", "disgust", "fear", "guilt", "joy", "sadness", "shame")}
#: DailyDialog's emotion codes → the ``ekman`` scheme (0 = no emotion = neutral)
DAILYDIALOG_GOLD = {"0": NEUTRAL, "1": "anger", "2": "disgust", "3": "fear", "4": "joy",
                    "5": "sadness", "6": "surprise"}
#: EmoryNLP's Feeling Wheel emotions → the ``feeling-wheel`` scheme
EMORYNLP_GOLD = {name: name.lower() for name in
                 ("Joyful", "Mad", "Neutral", "Peaceful", "Powerful", "Sad", "Scared")}
#: EmpatheticDialogues' 32 labels (ids as in its ``labels.tsv``) = the ``empatheticdialogues``
#: scheme's categories
ED_LABELS = ("sad", "trusting", "terrified", "caring", "disappointed", "faithful", "joyful",
             "jealous", "disgusted", "surprised", "ashamed", "afraid", "impressed",
             "sentimental", "devastated", "excited", "anticipating", "annoyed", "anxious",
             "furious", "content", "lonely", "angry", "confident", "apprehensive", "guilty",
             "embarrassed", "grateful", "hopeful", "proud", "prepared", "nostalgic")

#: NRCLex's Plutchik categories → a corpus's classes, where the names differ (else the names
#: a scheme shares with Plutchik's eight)
NRCLEX_MAPS = {
    "emorynlp": {"anger": "mad", "disgust": "mad", "fear": "scared", "sadness": "sad",
                 "joy": "joyful", "trust": "peaceful", "anticipation": "powerful"},
    "empatheticdialogues": {"anger": "angry", "anticipation": "anticipating",
                            "disgust": "disgusted", "fear": "afraid", "joy": "joyful",
                            "sadness": "sad", "surprise": "surprised", "trust": "trusting"},
}


def hash_split(key: str) -> str:
    """``dev`` when the SHA-1 of ``key`` (UTF-8) is even, else ``test``."""
    return "dev" if int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def _need(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    return path


def _unquote(field: str) -> str:
    """A TSV field written with CSV quoting (``"say ""no"" to"``) as its text."""
    if len(field) >= 2 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def _gold(table: dict, raw: str, path: Path, line: int | None, what: str) -> str:
    try:
        return table[raw]
    except KeyError:
        raise DataFileError(f"unknown {what} {raw!r}; expected one of "
                            f"{', '.join(sorted(table))}", path=str(path), line=line) from None


def _goodnewseveryone(root: Path, split: str):
    from .evaluate import Dataset

    path = root / "goodnewseveryone" / "gne-release-v1.0.tsv"
    texts, labels, ids = [], [], []
    for line, row in records(_need(path)):
        if hash_split(row["headline"]) != split:
            continue
        texts.append(row["headline"])
        labels.append([_gold(GNE_GOLD, row["dominant_emotion"], path, line,
                             "dominant emotion")])
        ids.append(row["id"])
    return Dataset("goodnewseveryone", split, str(path), texts, "ekman", labels, False,
                   ids=ids, classes=GNE_CLASSES, metric="macro_f1", no_evidence=None,
                   polarity_split={"surprise": ("negative_surprise", "positive_surprise")})


def _enisear(root: Path, split: str):
    from .evaluate import Dataset

    path = (root / "enisear_appraisal" / "corpora" / "enISEAR-appraisal-V1" /
            "enISEAR_appraisal_majority.tsv")
    texts, labels, ids = [], [], []
    for line, row in records(_need(path)):
        text = _unquote(row["Sentence"])
        if hash_split(text) != split:
            continue
        texts.append(text)
        labels.append([_gold(ENISEAR_GOLD, row["Prior_Emotion"], path, line, "emotion")])
        ids.append(row["Sentence_id"])
    return Dataset("enisear", split, str(path), texts, "isear", labels, False, ids=ids,
                   classes=sorted(ENISEAR_GOLD.values()), metric="macro_f1", no_evidence=None)


def _reman(root: Path, split: str):
    import xml.etree.ElementTree as ET

    from .evaluate import Dataset

    path = _need(root / "reman" / "reman-version1.0.xml")
    try:
        corpus = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise DataFileError(f"malformed XML: {err}", path=str(path),
                            line=err.position[0]) from None
    texts, labels, ids = [], [], []
    for doc in corpus.iter("document"):
        text = doc.findtext("text") or ""
        if hash_split(text) != split:
            continue
        types = {span.get("type") for span in doc.findall("adjudicated/spans/span")}
        texts.append(text)
        labels.append(sorted(types & set(PLUTCHIK_EIGHT)))
        ids.append(doc.get("doc_id", ""))
    return Dataset("reman", split, str(path), texts, "plutchik", labels, True, ids=ids,
                   classes=list(PLUTCHIK_EIGHT), metric="micro_f1")


def _dailydialog(root: Path, split: str):
    from .evaluate import Dataset, _lines

    part = "train" if split == "train" else "validation"
    folder = root / "dailydialog" / part
    text_path = _need(folder / f"dialogues_{part}.txt")
    emo_path = _need(folder / f"dialogues_emotion_{part}.txt")
    texts, labels, ids, notes, dialogues, speakers = [], [], [], [], [], []
    for (number, dialogue), (_, codes) in zip(_lines(text_path), _lines(emo_path)):
        if not dialogue.strip():
            continue
        if split != "train" and hash_split(dialogue) != split:
            continue
        turns = [t.strip() for t in dialogue.split("__eou__")]
        turns = turns[:-1] if turns and not turns[-1] else turns
        emotions = codes.split()
        if len(turns) != len(emotions):  # one dialogue of the train part (line 7852)
            notes.append(f"{text_path.name}:{number}: dialogue skipped, {len(turns)} "
                         f"utterances but {len(emotions)} emotion codes")
            continue
        for turn, (utterance, code) in enumerate(zip(turns, emotions), 1):
            texts.append(utterance)
            labels.append([_gold(DAILYDIALOG_GOLD, code, emo_path, number, "emotion code")])
            ids.append(f"{number}_{turn}")
            dialogues.append(str(number))
            speakers.append("AB"[(turn - 1) % 2])  # two speakers taking turns
    return Dataset("dailydialog", split, str(text_path), texts, "ekman", labels, False,
                   ids=ids, classes=["anger", "disgust", "fear", "joy", "sadness", "surprise"],
                   metric="macro_f1", no_evidence=NEUTRAL, notes=notes, dialogues=dialogues,
                   speakers=speakers)


def _emorynlp(root: Path, split: str):
    from .evaluate import Dataset

    if split == "train":
        raise UsageError("emorynlp: the shared data has the original dev and test JSON only "
                         "(the train JSON is not there)")
    name = {"dev": "dev", "test": "tst"}[split]
    path = _need(root / "emorynlp" / "original_emorynlp_repo" / "json" /
                 f"emotion-detection-{name}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataFileError(f"invalid JSON: {err}", path=str(path)) from None
    texts, labels, ids, dialogues, speakers = [], [], [], [], []
    for episode in data.get("episodes", []):
        for scene in episode.get("scenes", []):
            for utt in scene.get("utterances", []):
                dialogues.append(scene.get("scene_id", ""))
                speakers.append(", ".join(utt.get("speakers") or []))
                texts.append(utt["transcript"])
                labels.append([_gold(EMORYNLP_GOLD, utt["emotion"], path, None, "emotion")])
                ids.append(utt["utterance_id"])
    return Dataset("emorynlp", split, str(path), texts, "feeling-wheel", labels, False, ids=ids,
                   classes=sorted(EMORYNLP_GOLD.values()), metric="weighted_f1",
                   no_evidence=NEUTRAL, dialogues=dialogues, speakers=speakers)


def _empatheticdialogues(root: Path, split: str):
    from .evaluate import Dataset, _csv_rows

    folder = root / "empatheticdialogues"
    path = folder / ("train.csv" if split == "train" else "valid.csv")
    texts, labels = [], []
    for line, row in _csv_rows(_need(path), ("text", "label")):
        if split != "train" and hash_split(row["text"]) != split:
            continue
        try:
            labels.append([ED_LABELS[int(row["label"])]])
        except (ValueError, IndexError):
            raise DataFileError(f"bad label id {row['label']!r}: expected 0-{len(ED_LABELS) - 1}",
                                path=str(path), line=line) from None
        texts.append(row["text"])
    return Dataset("empatheticdialogues", split, str(path), texts, "empatheticdialogues",
                   labels, False, classes=sorted(ED_LABELS), metric="macro_f1",
                   no_evidence=None)


_READERS = {"goodnewseveryone": _goodnewseveryone, "enisear": _enisear, "reman": _reman,
            "dailydialog": _dailydialog, "emorynlp": _emorynlp,
            "empatheticdialogues": _empatheticdialogues}


def read_corpus(name: str, split: str, root: Path, limit: int | None = None):
    """One of :data:`CORPORA`, ``split`` ``dev`` or ``test`` (``train``: the corpus's
    training part, for DailyDialog and EmpatheticDialogues)."""
    if name not in _READERS:
        raise UsageError(f"unknown corpus {name!r}; expected one of {', '.join(CORPORA)}")
    if split == "train" and name not in ("dailydialog", "empatheticdialogues"):
        raise UsageError(f"{name} has no training part in the shared data; use --split dev "
                         "(see bench/ACCURACY.md for the splits)")
    data = _READERS[name](Path(root), split)
    if limit is not None:
        data.texts, data.labels = data.texts[:limit], data.labels[:limit]
        data.ids = data.ids[:limit]
        if data.dialogues is not None:
            data.dialogues, data.speakers = data.dialogues[:limit], data.speakers[:limit]
    data.nrclex_map = NRCLEX_MAPS.get(name)
    return data
