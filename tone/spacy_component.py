"""The ``tone`` spaCy pipeline component.

After ``pip install tone``, ``nlp.add_pipe("tone")`` works without importing tone first (the
``spacy_factories`` entry point). The component annotates spaCy's own tokens (a batch of Docs is
one kernel call) and sets:

* ``doc._.emotions`` — the annotation record of DESIGN.md (without the text), a plain dict;
* ``span._.emotions`` — for every sentence tone finds (same dict shape, for the sentence) and for
  every matched span (its span record: concept, tier, score, rules); the matched spans are also
  ``doc.spans["tone"]``, labelled with their concept;
* ``token._.emotion`` — the concept of the strongest match covering the token, else None.

Values are plain dicts, so Docs survive ``Doc.to_bytes`` and ``nlp.pipe(..., n_process=2)``.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("tone")
>>> doc = nlp("I am over the moon. What a day!")
>>> doc._.emotions["top"], [t._.emotion for t in doc[2:5]]
(['joy'], ['happiness', 'happiness', 'happiness'])
>>> [(s.text, s._.emotions["concept"]) for s in doc.spans["tone"]]
[('over the moon', 'happiness')]
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

__all__ = ["ToneComponent", "make_component", "tokens_of"]

for _cls, _name in ((Doc, "emotions"), (Span, "emotions"), (Token, "emotion")):
    if not _cls.has_extension(_name):
        _cls.set_extension(_name, default=None)


def tokens_of(docs):
    """A :class:`tone.text.TokenBatch` of spaCy Docs' own tokens (whitespace tokens dropped),
    built the way :func:`tone.text.spacy_tokenize` builds one — without tokenizing again."""
    from . import text as text_module

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
    ``rules``: False for lexicon evidence only; ``batch_size`` for :meth:`pipe`."""

    def __init__(self, nlp: Language, name: str = "tone", lexicon: str | None = None,
                 rules: bool = True, batch_size: int = 256) -> None:
        self.name, self.lexicon, self.rules, self.batch_size = name, lexicon, rules, batch_size
        self._annotator = None

    @property
    def annotator(self):
        if self._annotator is None:
            from .annotator import Annotator

            self._annotator = Annotator(lexicon=self.lexicon,
                                        rules=None if self.rules else False)
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
        annotator._tokenize = lambda texts: batch
        try:
            results = list(annotator.pipe([doc.text for doc in docs], batch_size=len(docs),
                                          ids=[None] * len(docs), level="sentence"))
        finally:
            del annotator._tokenize
        for doc, result in zip(docs, results):
            self._set(doc, result)
        return docs

    @staticmethod
    def _set(doc: Doc, result) -> None:
        record = result.to_dict(text=False)
        sentences = record.pop("sentences", [])
        doc._.emotions = record
        for sent in sentences:
            span = doc.char_span(sent["start"], sent["start"] + len(sent["text"]),
                                 alignment_mode="expand")
            if span is not None:
                sent = dict(sent)
                sent.pop("text", None)
                span._.emotions = sent
        group, best = [], {}
        for record in doc._.emotions["spans"]:
            span = doc.char_span(record["start"], record["end"], label=record["concept"],
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.emotions = record
            group.append(span)
            for token in span:
                if record["score"] > best.get(token.i, (-1.0, None))[0]:
                    best[token.i] = (record["score"], record["concept"])
        doc.spans["tone"] = group
        for i, (_, concept) in best.items():
            doc[i]._.emotion = concept

    # -- serialization ---------------------------------------------------------------------
    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        config = {"rules": self.rules, "batch_size": self.batch_size, "lexicon": None}
        if self.lexicon is not None:
            shutil.copyfile(self.lexicon, path / "lexicon.tsv")
            config["lexicon"] = "lexicon.tsv"
        (path / "tone.json").write_text(json.dumps(config), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> "ToneComponent":
        path = Path(path)
        config = json.loads((path / "tone.json").read_text(encoding="utf-8"))
        self.rules, self.batch_size = config["rules"], config["batch_size"]
        self.lexicon = str(path / config["lexicon"]) if config["lexicon"] else None
        self._annotator = None
        return self


@Language.factory("tone", default_config={"lexicon": None, "rules": True, "batch_size": 256})
def make_component(nlp: Language, name: str, lexicon: str | None, rules: bool,
                   batch_size: int) -> ToneComponent:
    """The ``tone`` factory (``nlp.add_pipe("tone")``)."""
    return ToneComponent(nlp, name, lexicon=lexicon, rules=rules, batch_size=batch_size)
