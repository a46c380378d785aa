"""The Annotator: text → tokens → lexicon matches → rules → emotion scores, with reasons.

>>> import tone
>>> result = tone.annotate("I am over the moon!")
>>> result.top
['joy']
>>> result.spans[0].text
'over the moon'
>>> tone.annotate("The meeting is at noon.").top
[]
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .errors import UsageError

__all__ = ["Annotator", "Annotation", "Span", "RuleStep", "annotate"]


@dataclass
class RuleStep:
    """One rule that changed a span's score: its name, the cue's text and the factor applied."""

    rule: str
    cue: str
    factor: float


@dataclass
class Span:
    """A lexicon match: character offsets into the original text, its concept and final score.

    ``term``/``source`` name the lexicon row; ``base`` is the row's weight before rules;
    ``negated`` is true when a negation rule scoped over it; ``steps`` trace the rules."""

    start: int
    end: int
    text: str
    concept: str
    tier: int
    score: float
    rules: list[str]
    term: str = ""
    source: str = ""
    base: float = 0.0
    negated: bool = False
    matched_concept: str = ""
    steps: list[RuleStep] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "concept": self.concept,
                "tier": self.tier, "score": self.score, "rules": list(self.rules)}


@dataclass
class Annotation:
    """The emotions of one document (or sentence), in the annotation-record contract."""

    id: str | int | None
    text: str
    primary: dict[str, float]
    secondary: dict[str, float]
    tertiary: dict[str, float]
    top: list[str]
    vad: dict[str, float]
    intensity: float
    spans: list[Span]
    sentences: list["Annotation"] | None = None
    #: What the inference rules (tone.infer) concluded: concept, tier, score, rule, premises.
    inferred: list[dict] = field(default_factory=list)

    @property
    def has_evidence(self) -> bool:
        return bool(self.spans)

    def in_scheme(self, name: str, ontology=None, min_score: float = 0.0):
        """Scores and ``top`` in another taxonomy (``"plutchik"``, ``"goemotions"``, ...) through
        the ontology's SKOS mappings: a :class:`tone.schemes.SchemeResult`."""
        from .schemes import scheme_scores

        return scheme_scores(self, name, ontology=ontology, min_score=min_score)

    def to_dict(self, text: bool = True, explain: bool = False, scheme: str | None = None) -> dict:
        """The JSON record (see DESIGN.md); ``explain=True`` adds each span's rule trace and
        ``scheme="plutchik"`` (or any mapped taxonomy) adds ``"scheme": {"name", "scores",
        "top"}``."""
        out: dict = {"id": self.id}
        if text:
            out["text"] = self.text
        out["emotions"] = {"primary": dict(self.primary), "secondary": dict(self.secondary),
                           "tertiary": dict(self.tertiary)}
        out["top"] = list(self.top)
        out["vad"] = dict(self.vad)
        out["intensity"] = self.intensity
        out["spans"] = []
        for span in self.spans:
            record = span.to_dict()
            if explain:
                record.update(term=span.term, source=span.source, base=span.base,
                              negated=span.negated, matched_concept=span.matched_concept,
                              steps=[asdict(step) for step in span.steps])
            out["spans"].append(record)
        if explain:
            out["inferred"] = [dict(item) for item in self.inferred]
        if scheme is not None:
            out["scheme"] = self.in_scheme(scheme).to_dict()
        if self.sentences is not None:
            out["sentences"] = [dict(s.to_dict(text=True, explain=explain, scheme=scheme),
                                     start=s._start) for s in self.sentences]
        return out


class Annotator:
    """Annotate texts with the emotions of the ontology.

    Parameters
    ----------
    ontology : Ontology, optional
        Default: the built-in ontology.
    lexicon : path, list of LexiconRow, or None
        Default: the shipped English lexicon (or, without it, the ontology's labels).
    rules : list of paths, RuleSet, False or None
        Default: the shipped ``rules/en/*.rules``; ``False`` turns rules off.
    tokenizer : "fast" or "spacy"
        ``fast`` is tone's Numba tokenizer; ``spacy`` gives exact ``spacy.blank("en")`` tokens.
    """

    def __init__(self, ontology=None, lexicon=None, rules=None, tokenizer: str = "fast",
                 inference=None) -> None:
        if tokenizer not in ("fast", "spacy"):
            raise UsageError(f"unknown tokenizer {tokenizer!r}; expected 'fast' or 'spacy'")
        self.tokenizer = tokenizer
        self._ontology = ontology
        defaults = ontology is None and rules in (None, False) and (
            lexicon is None or isinstance(lexicon, (str, bytes)) or hasattr(lexicon, "__fspath__"))
        if defaults:  # everything comes from files: compile once, then load from the cache
            from .cache import cached

            self.table, self.lexicon, self.rules = cached(
                "annotator", self._inputs(lexicon, rules),
                lambda: self._compile(lexicon, rules))
        else:
            self.table, self.lexicon, self.rules = self._compile(lexicon, rules)
        from .infer import for_annotator  # inference rules: None default, False off, or groups

        self.inference = for_annotator(self, inference)

    @property
    def ontology(self):
        """The ontology (loaded on first use when the annotator came from the cache)."""
        if self._ontology is None:
            from .ontology import Ontology

            self._ontology = Ontology()
        return self._ontology

    def _inputs(self, lexicon, rules) -> list:
        from ._resources import data_dir
        from .lexicon.default import default_lexicon_path

        files = sorted(data_dir("ontology").glob("*.ttl"))
        files += sorted(data_dir("ontology").glob("mappings/*.ttl"))
        files += [Path(lexicon) if lexicon is not None else default_lexicon_path()]
        files += sorted(data_dir("lexicons").glob("en/*.tsv"))
        if rules is None:
            files += sorted(data_dir("rules").glob("en/*.rules"))
        return [*files, f"tokenizer={self.tokenizer}", f"rules={rules is not False}"]

    def _compile(self, lexicon, rules):
        from .lexicon.compile import compile_lexicon
        from .lexicon.default import default_rows
        from .lexicon.rows import read_lexicon

        table = self.ontology.table()
        if lexicon is None:
            rows = default_rows(self.ontology)
        elif isinstance(lexicon, (str, bytes)) or hasattr(lexicon, "__fspath__"):
            rows = read_lexicon(lexicon)
        else:
            rows = list(lexicon)
        tokenize = None
        if self.tokenizer == "spacy":  # terms and cues must be tokenized like the text
            from .text import spacy_tokenize as tokenize
        compiled = compile_lexicon(rows, table, tokenize=tokenize)
        if rules is False:
            rule_set = None
        elif rules is None or isinstance(rules, (list, tuple)):
            from . import rules as rules_module

            rule_set = rules_module.load(rules, table=table, ontology=self.ontology,
                                         tokenize=tokenize)
        else:
            rule_set = rules
        return table, compiled, rule_set

    # -- the pipeline -------------------------------------------------------------------
    def _tokenize(self, texts: list[str]):
        from . import text as text_module

        if self.tokenizer == "spacy":
            return text_module.spacy_tokenize(texts)
        return text_module.tokenize(texts)

    def _run(self, texts: list[str]):
        from .lexicon.match import match

        batch = self._tokenize(texts)
        matches = match(self.lexicon, batch)
        effects = self.rules.apply(batch, matches) if self.rules is not None else None
        concept = effects.concept if effects is not None else matches.concept
        weight = effects.weight if effects is not None else matches.weight
        return batch, matches, effects, concept, np.maximum(weight, 0.0).astype(np.float32)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000,
             ids: Iterable | None = None, level: str = "doc") -> Iterator[Annotation]:
        """Annotate many texts, ``batch_size`` at a time (one kernel call per batch), in order."""
        if batch_size < 1:
            raise UsageError("batch_size must be at least 1")
        if level not in ("doc", "sentence"):
            raise UsageError(f"unknown level {level!r}; expected 'doc' or 'sentence'")
        id_iter = iter(ids) if ids is not None else None
        chunk: list[str] = []
        chunk_ids: list = []
        counter = 0
        for text in texts:
            if not isinstance(text, str):
                raise UsageError(f"document {counter} is a {type(text).__name__}, not a str")
            chunk.append(text)
            chunk_ids.append(next(id_iter) if id_iter is not None else counter)
            counter += 1
            if len(chunk) >= batch_size:
                yield from self._annotate_batch(chunk, chunk_ids, level)
                chunk, chunk_ids = [], []
        if chunk:
            yield from self._annotate_batch(chunk, chunk_ids, level)

    def annotate(self, text: str, id=None, level: str = "doc") -> Annotation:
        """Annotate one text."""
        return next(self.pipe([text], ids=[id], level=level))

    # -- from arrays to results ---------------------------------------------------------
    def annotate_dialogue(self, turns, ids=None) -> list[Annotation]:
        """Annotate ``(speaker, text)`` turns; ``transition`` rules link each turn to the
        speaker's previous turn and the reply in between (see :mod:`tone.infer`)."""
        from .infer import dialogue_context

        turns = list(turns)
        context = dialogue_context([speaker for speaker, _ in turns])
        return self._annotate_batch([text for _, text in turns],
                                    list(ids) if ids is not None else list(range(len(turns))),
                                    "doc", dialogue=context)

    def _annotate_batch(self, texts: Sequence[str], ids: list, level: str,
                        dialogue=None) -> list[Annotation]:
        from .reason import evidence_matrix, tier_scores
        from .vad import doc_vad_matrix, valence_words

        batch, matches, effects, concept, weight = self._run(list(texts))
        n_docs = len(texts)
        inference = None
        if self.inference is not None:  # opposition per clause, then forward chaining
            inference = self.inference.run(self.table, batch, matches, concept, weight, n_docs,
                                           dialogue)
            weight = inference.weight
        scores = (tier_scores(evidence_matrix(self.table, matches.doc, concept, weight, n_docs),
                              self.table) if inference is None else inference.scores(self.table))
        views = self._score_views(scores)
        make_span = self._span_maker(batch, matches, effects, concept, weight)
        words = valence_words(self.table, batch, self.rules, self._valence_tokenize())
        vad = doc_vad_matrix(self.table, matches.doc, concept, weight, n_docs, words).tolist()
        bounds = np.searchsorted(matches.doc, np.arange(n_docs + 1)).tolist()
        no_emotion = (~(scores > 0).any(axis=1)).tolist()
        touched = inference.documents() if inference is not None else set()
        zero = dict.fromkeys((self.table.labels[c] for c in np.flatnonzero(self.table.tiers == 1)),
                             0.0)
        out = []
        for d in range(n_docs):
            lo, hi = bounds[d], bounds[d + 1]
            if no_emotion[d] and lo == hi:  # the common case: nothing to build but zeros
                v = vad[d]
                out.append(Annotation(ids[d], texts[d], dict(zero), {}, {}, [],
                                      {"valence": v[0], "arousal": v[1], "dominance": v[2]},
                                      0.0, []))
                if level == "sentence":
                    out[-1].sentences = self._sentences(batch, d, texts[d], matches, concept,
                                                        weight, [], lo, words)
                continue
            spans = [make_span(i) for i in range(lo, hi)]
            result = self._result(ids[d], texts[d], views(d), vad[d], spans)
            if inference is not None and d in touched:  # inferred items, opposition steps
                result.inferred = inference.annotate(spans, lo, d, scores[d], self.table)
            if level == "sentence":
                result.sentences = self._sentences(batch, d, texts[d], matches, concept, weight,
                                                   spans, lo, words)
            out.append(result)
        return out

    def _span_maker(self, batch, matches, effects, concept, weight):
        """A function building the :class:`Span` of match ``i``; the arrays are turned into
        Python lists once per batch, so each span costs a few list look-ups."""
        labels, tiers, rows = self.table.labels, self.table.tiers.tolist(), self.lexicon.rows
        starts = batch.start[matches.tok_start].tolist()
        ends = batch.end[matches.tok_end - 1].tolist()
        docs, entries = matches.doc.tolist(), matches.entry.tolist()
        concepts, matched = concept.tolist(), matches.concept.tolist()
        finals = np.round(weight.astype(np.float64), 4).tolist()  # float64: 1.1729, not 1.17289996
        bases = np.round(matches.weight.astype(np.float64), 4).tolist()
        texts = batch.texts
        if effects is not None:
            negated = effects.negated.tolist()
            ptr, rule_ids = effects.fire_ptr.tolist(), effects.fire_rule.tolist()
            cues = effects.fire_cue.tolist()
            factors = np.round(effects.fire_factor.astype(np.float64), 4).tolist()
            names = effects.names
            cue_start, cue_end = batch.start.tolist(), batch.end.tolist()

        def make(i: int) -> Span:
            text = texts[docs[i]]
            start, end, c = starts[i], ends[i], concepts[i]
            steps: list[RuleStep] = []
            if effects is not None:
                for k in range(ptr[i], ptr[i + 1]):
                    cue = cues[k]
                    steps.append(RuleStep(names[rule_ids[k]],
                                          text[cue_start[cue]:cue_end[cue]] if cue >= 0 else "",
                                          factors[k]))
            row = rows[entries[i]]
            return Span(start, end, text[start:end], labels[c], tiers[c], finals[i],
                        [step.rule for step in steps], row.term, row.source, bases[i],
                        bool(negated[i]) if effects is not None else False, labels[matched[i]],
                        steps)

        return make

    def _score_views(self, scores: np.ndarray):
        """A function giving document ``d``'s (primary, secondary, tertiary) score dicts; the
        work is done once per batch with numpy, not once per concept in Python."""
        table = self.table
        scores = np.round(scores, 4)
        tiers = np.asarray(table.tiers)
        labels = table.labels
        primary_idx = np.flatnonzero(tiers == 1)
        primary_labels = [labels[c] for c in primary_idx]
        primary_rows = scores[:, primary_idx].tolist()
        rows, cols = np.nonzero((scores > 0) & (tiers != 1)[None, :])
        values = scores[rows, cols].tolist()
        row_ptr = np.searchsorted(rows, np.arange(scores.shape[0] + 1)).tolist()
        col_list, tier_list = cols.tolist(), tiers[cols].tolist()

        def view(d: int):
            secondary: dict[str, float] = {}
            tertiary: dict[str, float] = {}
            for k in range(row_ptr[d], row_ptr[d + 1]):
                (secondary if tier_list[k] == 2 else tertiary)[labels[col_list[k]]] = values[k]
            return dict(zip(primary_labels, primary_rows[d])), secondary, tertiary

        return view

    def _result(self, doc_id, text, tiers, vad, spans) -> Annotation:
        from .reason import top_labels

        primary, secondary, tertiary = tiers
        return Annotation(doc_id, text, primary, secondary, tertiary, top_labels(primary),
                          {"valence": vad[0], "arousal": vad[1], "dominance": vad[2]},
                          max(primary.values(), default=0.0), spans)

    def _valence_tokenize(self):
        """The tokenizer the valence word list must be compiled with (None: the fast one)."""
        if self.tokenizer == "spacy":
            from .text import spacy_tokenize

            return spacy_tokenize
        return None

    def _sentences(self, batch, d, text, matches, concept, weight, spans, lo,
                   words=None) -> list[Annotation]:
        from .reason import evidence_matrix, tier_scores
        from .vad import doc_vad_matrix

        out = []
        first, last = int(batch.doc_sent_ptr[d]), int(batch.doc_sent_ptr[d + 1])
        for s in range(first, last):
            t0, t1 = int(batch.sent_ptr[s]), int(batch.sent_ptr[s + 1])
            if t1 <= t0:
                continue
            inside = [k for k in range(len(spans))
                      if t0 <= int(matches.tok_start[lo + k]) < t1]
            idx = np.array([lo + k for k in inside], dtype=np.int64)
            zeros = np.zeros(len(idx), dtype=np.int64)
            evidence = evidence_matrix(self.table, zeros, concept[idx], weight[idx], 1)
            start, end = int(batch.start[t0]), int(batch.end[t1 - 1])
            in_sent = None
            if words is not None:  # the sentence's valence words
                pick = (words[0] == d) & (words[1] >= t0) & (words[1] < t1)
                in_sent = (np.zeros(int(pick.sum()), dtype=np.int64), words[2][pick])
            vad = doc_vad_matrix(self.table, zeros, concept[idx], weight[idx], 1,
                                 in_sent)[0].tolist()
            result = self._result(s - first, text[start:end],
                                  self._score_views(tier_scores(evidence, self.table))(0), vad,
                                  [spans[k] for k in inside])
            result._start = start
            out.append(result)
        return out


_DEFAULT: list[Annotator] = []


def annotate(text: str, level: str = "doc") -> Annotation:
    """Annotate one text with a default :class:`Annotator` (built once, then reused)."""
    if not _DEFAULT:
        _DEFAULT.append(Annotator())
    return _DEFAULT[0].annotate(text, level=level)
