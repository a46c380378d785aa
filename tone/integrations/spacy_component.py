"""The ``tone`` spaCy pipeline component.

After ``pip install tone``, ``nlp.add_pipe("tone")`` works without importing tone first (the
``spacy_factories`` entry point). The component annotates spaCy's own tokens (a batch of Docs is
one kernel call) and provides, as asent and spacytextblob do, getters over what it stored:

* ``doc._.emotions`` — a :class:`tone.scoring.results.Annotation` (``.top``, ``.primary``, ``.vad``,
  ``.spans``, ``.sentences``, ``.to_dict()``);
* ``span._.emotions`` — an Annotation for *any* span: ``doc[0:5]``, spaCy's own sentences, a
  matched span. A span that is one of tone's sentences (or the whole Doc) gets that annotation,
  made in its context; any other span is annotated on its own tokens (offsets index the Doc);
* ``span._.emotion_span`` — for a span that covers a lexicon match exactly, that match
  (:class:`tone.scoring.results.Span`: concept, tier, score, rule trace), else None;
* ``token._.emotion`` — the concept of the strongest match covering the token, else None;
* ``doc.spans["tone"]`` — the matches, labelled with their concept, and ``doc.cats`` — the six
  primary scores (0–1), as a text classifier would set them.

What is stored is plain data (``doc._.tone_record``), so Docs survive ``Doc.to_bytes`` and
``nlp.pipe(..., n_process=2)``. To see the matches, use displaCy's span style:
``spacy.displacy.render(doc, style="span", options={"spans_key": "tone"})``.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("tone")
>>> doc = nlp("I am over the moon. What a day!")
>>> doc._.emotions.top, [t._.emotion for t in doc[2:5]]
(['joy'], ['happiness', 'happiness', 'happiness'])
>>> [(s.text, s.label_, s._.emotion_span.score) for s in doc.spans["tone"]]
[('over the moon', 'happiness', 1.0755)]
>>> doc[0:5]._.emotions.top, doc[6:9]._.emotions.top
(['joy'], [])
>>> doc.cats["joy"] > 0
True
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .._resources import read_data_file
from ..errors import DataFileError

__all__ = ["ToneComponent", "make_component", "tokens_of"]

ASSIGNS = ["doc._.tone_record", "doc._.emotions", "span._.emotions", "span._.emotion_span",
           "token._.emotion", "doc.spans", "doc.cats"]


def _record_of(doc: Doc) -> dict | None:
    return doc._.tone_record


def _doc_emotions(doc: Doc):
    record = _record_of(doc)
    return None if record is None else _annotation(record, doc.text)


def _span_emotions(span: Span):
    doc = span.doc
    record = _record_of(doc)
    if record is None:
        return None
    if span.start == 0 and span.end == len(doc):
        return _annotation(record, doc.text)
    start, end = _trimmed(span)
    for sent in record.get("sentences", []):
        s_start = sent["start"]
        s_end = s_start + len(sent["text"])
        if (s_start, s_end) == (start, end):
            return _annotation(sent, sent["text"], offset=s_start)
    component = _COMPONENTS.get(record.get("component"))
    if component is None:  # a Doc from another process or from bytes: same settings
        component = ToneComponent(None, **record.get("settings", {}))
    own = _record_of(component._annotate([span.as_doc()])[0])
    own["relative"] = True
    return _annotation(own, span.text, offset=span.start_char)


def _emotion_span(span: Span):
    record = _record_of(span.doc)
    if record is None:
        return None
    for item in record["spans"]:
        if (item["start"], item["end"]) == (span.start_char, span.end_char):
            return _span(item, 0)
    return None


def _trimmed(span: Span) -> tuple[int, int]:
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip()))
    return start, start + len(text.strip())


def _span(item: dict, offset: int):
    from ..scoring.results import RuleStep, Span as ToneSpan

    return ToneSpan(start=item["start"] + offset, end=item["end"] + offset, text=item["text"],
                    concept=item["concept"], tier=item["tier"], score=item["score"],
                    rules=list(item["rules"]), term=item.get("term", ""),
                    source=item.get("source", ""), base=item.get("base", 0.0),
                    negated=item.get("negated", False),
                    matched_concept=item.get("matched_concept", ""),
                    steps=[RuleStep(**step) for step in item.get("steps", [])])


def _annotation(record: dict, text: str, offset: int = 0):
    """An Annotation from a stored record (``offset``: where ``text`` starts in the Doc, for
    records whose span offsets are relative to ``text``)."""
    from ..scoring.results import Annotation

    emotions = record["emotions"]
    sentences = None
    if "sentences" in record:
        sentences = []
        for sent in record["sentences"]:
            item = _annotation(sent, sent["text"])
            item._start = sent["start"]
            sentences.append(item)
    span_offset = offset if record.get("relative") else 0
    return Annotation(id=record.get("id"), text=text, primary=dict(emotions["primary"]),
                      secondary=dict(emotions["secondary"]), tertiary=dict(emotions["tertiary"]),
                      top=list(record["top"]), vad=dict(record["vad"]),
                      intensity=record["intensity"],
                      spans=[_span(item, span_offset) for item in record["spans"]],
                      sentences=sentences, inferred=[dict(i) for i in record.get("inferred", [])])


for _cls, _name, _kwargs in (
        (Doc, "tone_record", {"default": None}),
        (Doc, "emotions", {"getter": _doc_emotions}),
        (Span, "emotions", {"getter": _span_emotions}),
        (Span, "emotion_span", {"getter": _emotion_span}),
        (Token, "emotion", {"default": None})):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, **_kwargs)

_COMPONENTS: dict[str, "ToneComponent"] = {}


def tokens_of(docs):
    """A :class:`tone.text.TokenBatch` of spaCy Docs' own tokens (whitespace tokens dropped),
    built the way :func:`tone.text.spacy_tokenize` builds one — without tokenizing again."""
    from .. import text as text_module

    texts = [doc.text for doc in docs]
    finish = getattr(text_module, "_finish", None)
    codepoints = getattr(text_module, "_codepoints", None)
    if finish is None or codepoints is None:  # tone.text changed its internals: tokenize again
        return text_module.spacy_tokenize(texts)
    cp, doc_cptr = codepoints(texts)
    starts, ends = [], []
    doc_ptr = np.zeros(len(texts) + 1, np.int64)
    for d, doc in enumerate(docs):
        base = int(doc_cptr[d])
        for token in doc:
            if token.is_space:
                continue
            starts.append(base + token.idx)
            ends.append(base + token.idx + len(token.text))
        doc_ptr[d + 1] = len(starts)
    return finish(texts, cp, doc_cptr, np.asarray(starts, np.int64),
                  np.asarray(ends, np.int64), doc_ptr)


class ToneComponent:
    """Annotate Docs with tone. ``lexicon``: a lexicon TSV path (default: the shipped one);
    ``rules``: False for lexicon evidence only; ``batch_size`` for :meth:`pipe`; ``packs``:
    domain packs, shipped names or folders (:mod:`tone.packs`; folders are stored as absolute
    paths)."""

    def __init__(self, nlp: Language, name: str = "tone", lexicon: str | None = None,
                 rules: bool = True, batch_size: int = 256, packs=()) -> None:
        self.name, self.lexicon, self.rules, self.batch_size = name, lexicon, rules, batch_size
        from ..packs import load_packs, shipped_packs

        shipped = shipped_packs()
        self.packs = [pack.name if shipped.get(pack.name) == pack.folder else str(pack.folder)
                      for pack in load_packs(list(packs))]
        self._annotator = None
        self._key = json.dumps([name, lexicon, rules, self.packs])
        _COMPONENTS.setdefault(self._key, self)

    @property
    def annotator(self):
        if self._annotator is None:
            from ..annotator import Annotator

            self._annotator = Annotator(lexicon=self.lexicon,
                                        rules=None if self.rules else False,
                                        packs=self.packs)
        return self._annotator

    def __getstate__(self):  # worker processes (n_process > 1) build their own annotator
        state = dict(self.__dict__)
        state["_annotator"] = None
        return state

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate([doc])[0]

    def pipe(self, stream, batch_size: int | None = None):
        size = batch_size or self.batch_size
        batch = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list) -> list:
        annotator = self.annotator
        batch = tokens_of(docs)
        # One kernel call for the whole batch, over spaCy's tokens: the Annotator's pipeline
        # with its tokenizer step replaced by the batch we already have.
        annotator._tokenize = lambda texts: annotator._pack_tokens(batch)
        try:
            results = list(annotator.pipe([doc.text for doc in docs], batch_size=len(docs),
                                          ids=[None] * len(docs), level="sentence"))
        finally:
            del annotator._tokenize
        for doc, result in zip(docs, results):
            self._set(doc, result)
        return docs

    @property
    def settings(self) -> dict:
        """What another process needs to build the same component."""
        return {"lexicon": self.lexicon, "rules": self.rules, "batch_size": self.batch_size,
                "packs": self.packs}

    def _set(self, doc: Doc, result) -> None:
        record = result.to_dict(text=False, explain=True)
        record["component"] = self._key
        record["settings"] = self.settings
        doc._.tone_record = record
        doc.cats.update(record["emotions"]["primary"])
        group, best = [], {}
        for item in record["spans"]:
            span = doc.char_span(item["start"], item["end"], label=item["concept"],
                                 alignment_mode="expand")
            if span is None:
                continue
            group.append(span)
            for token in span:
                if item["score"] > best.get(token.i, (-1.0, None))[0]:
                    best[token.i] = (item["score"], item["concept"])
        doc.spans["tone"] = group
        for i, (_, concept) in best.items():
            doc[i]._.emotion = concept

    # -- serialization ---------------------------------------------------------------------
    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        config = {"rules": self.rules, "batch_size": self.batch_size, "lexicon": None,
                  "packs": self.packs}
        if self.lexicon is not None:
            shutil.copyfile(self.lexicon, path / "lexicon.tsv")
            config["lexicon"] = "lexicon.tsv"
        (path / "tone.json").write_text(json.dumps(config), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> "ToneComponent":
        """Read ``tone.json`` as :meth:`to_disk` wrote it; a saved pipeline is untrusted input:
        a wrong key or type, or a lexicon outside the folder, is a DataFileError."""
        config, where = _read_config(Path(path))
        self.rules, self.batch_size = config["rules"], config["batch_size"]
        self.packs = config.get("packs", [])
        self.lexicon = None
        if config["lexicon"]:
            folder = Path(path).resolve()
            lexicon = (folder / config["lexicon"]).resolve()
            if not lexicon.is_relative_to(folder) or not lexicon.is_file():
                raise DataFileError(f"key 'lexicon': {config['lexicon']!r} is not a file in "
                                    f"{folder}", path=where)
            self.lexicon = str(lexicon)
        self._annotator = None
        return self


def _read_config(path: Path) -> tuple[dict, str]:
    """The checked ``tone.json`` of a saved component, and its path."""
    from ..io.readers import json_loads

    where = str(path / "tone.json")
    try:
        config = json_loads(read_data_file(path / "tone.json").decode("utf-8"))
    except OSError as err:
        raise DataFileError(f"cannot read: {err.strerror or err}", path=where) from None
    except ValueError as err:  # bad JSON or UTF-8, too deep, huge numbers
        raise DataFileError(f"not the JSON tone writes: {str(err)[:120]}", path=where) from None
    types = {"rules": bool, "batch_size": int, "lexicon": (str, type(None)), "packs": list}
    if not isinstance(config, dict):
        raise DataFileError("expected a JSON object", path=where)
    for key, kind in types.items():
        if key not in config and key != "packs":
            raise DataFileError(f"key {key!r} missing", path=where)
        value = config.get(key, [])
        if not isinstance(value, kind) or (key == "batch_size" and (
                isinstance(value, bool) or value < 1)) or (
                key == "packs" and not all(isinstance(v, str) for v in value)):
            raise DataFileError(f"key {key!r}: unexpected value {str(value)[:80]!r}", path=where)
    return config, where


@Language.factory("tone", default_config={"lexicon": None, "rules": True, "batch_size": 256,
                                         "packs": []},
                  assigns=ASSIGNS)
def make_component(nlp: Language, name: str, lexicon: str | None, rules: bool,
                   batch_size: int, packs: list) -> ToneComponent:
    """The ``tone`` factory (``nlp.add_pipe("tone", config={"packs": ["finance"]})``)."""
    return ToneComponent(nlp, name, lexicon=lexicon, rules=rules, batch_size=batch_size,
                         packs=packs)
