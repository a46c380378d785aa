"""Annotation results: plain objects for users, backed by the arrays of their batch.

An :class:`~tone.annotator.Annotator` works a batch at a time, with arrays (matches, rule
effects, scores). Each :class:`Annotation` it returns holds its document's ``id`` and ``text``
and a reference to its batch's :class:`BatchResult`; its scores, spans, VAD and inferred items
are built from those arrays the first time they are read, then kept. So annotating a million
documents costs a million small objects and a few arrays per batch, not tens of millions of
dicts, and a user who reads only ``top`` never pays for spans. Every field can be set like an
ordinary attribute, and an Annotation pickles (and compares) as its plain values.

>>> import tone
>>> result = tone.annotate("I am not happy, I am furious!")
>>> result.top
['anger', 'sadness']
>>> result.spans[-1].concept, result.spans[-1].rules
('fury', ['exclamation', 'experiencer'])
>>> result.primary = {}  # fields are plain attributes too
>>> import pickle
>>> pickle.loads(pickle.dumps(result)) == result
True
"""
from __future__ import annotations

import gc
from dataclasses import asdict, dataclass, field

import numpy as np

from .reason import TOP_RATIO, top_labels

__all__ = ["RuleStep", "Span", "Annotation", "BatchResult"]


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


class _FromBatch:
    """A field read from the batch's arrays on first access, then kept in the instance."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj._batch, self.name)(obj)
        # not obj.__dict__[...]: that would make the instance's dict a separate object
        setattr(obj, self.name, value)
        return value


_FIELDS = ("id", "text", "primary", "secondary", "tertiary", "top", "vad", "intensity",
           "spans", "sentences", "inferred", "appraisal", "causes")


@dataclass(eq=False, repr=False)
class Annotation:
    """The emotions of one document (or sentence), in the annotation-record contract.

    ``primary`` holds every primary (zeros included); ``secondary`` and ``tertiary`` the
    non-zero ones; ``top`` the primaries judged present; ``vad`` valence/arousal/dominance;
    ``intensity`` the best primary score; ``spans`` the lexicon matches with their rule trace;
    ``sentences`` (``level="sentence"``) one Annotation per sentence; ``inferred`` what the
    inference rules (:mod:`tone.infer`) concluded: concept, tier, score, rule, premises;
    ``appraisal`` the appraisal of what the text says happened (:mod:`tone.appraisal`:
    dimension -> ``{"value", "score"}``, {} when no event was found) and ``causes`` the cause
    spans (``start``, ``end``, ``text``, ``emotion``, ``cue``, ``score``, ``kind``).

    A dataclass (``dataclasses.asdict`` works); the annotator's results are instances of a
    subclass whose fields are read from their batch when first used."""

    id: object
    text: str
    primary: dict
    secondary: dict
    tertiary: dict
    top: list
    vad: dict
    intensity: float
    spans: list
    sentences: list | None = None
    inferred: list = field(default_factory=list)
    appraisal: dict = field(default_factory=dict)
    causes: list = field(default_factory=list)

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in _FIELDS)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Annotation):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return (f"Annotation(id={self.id!r}, text={self.text!r}, top={self.top!r}, "
                f"primary={self.primary!r}, spans={len(self.spans)})")

    def __reduce__(self):
        extra = {k: v for k, v in self.__dict__.items() if k not in _FIELDS
                 and k not in ("_batch", "_d")}
        return (_rebuild, (self._values(), extra))

    @property
    def has_evidence(self) -> bool:
        if "spans" not in self.__dict__ and "_batch" in self.__dict__:
            return self._batch.has_matches(self._d) or self._batch.has_appraisal(self._d)
        return bool(self.spans) or any(self.__dict__.get("_appraisal_emotions", ()))

    def appraisal_events(self) -> list:
        """The appraisal trace: each event term with its profile, appraisal, OCC rule and the
        emotions it gave (:meth:`tone.appraisal.AppraisalBatch.events`); [] when none."""
        batch = self.__dict__.get("_batch")
        if batch is None:
            return list(self.__dict__.get("_appraisal_events", []))
        return batch.appraisal_events(self)

    def in_scheme(self, name: str | None = None, ontology=None, min_score: float = 0.0,
                  always: bool | None = None):
        """Scores and ``top`` in another taxonomy (``"plutchik"``, ``"goemotions"``, ...) through
        the ontology's SKOS mappings: a :class:`tone.scoring.schemes.SchemeResult`. ``name``
        defaults to the annotator's pack scheme (:attr:`tone.Annotator.scheme`). ``always``
        (default: the annotator's setting) answers a category even without evidence."""
        from .schemes import scheme_scores

        annotator = getattr(self.__dict__.get("_batch"), "annotator", None)
        if name is None:
            name = getattr(annotator, "scheme", None)
            if name is None:
                from ..errors import UsageError

                raise UsageError("in_scheme() needs a scheme name: no pack of the annotator "
                                 "names a default scheme")
        if always is None:
            always = bool(getattr(annotator, "always", False))
        if ontology is None and getattr(annotator, "packs", None):
            ontology = annotator.ontology  # with the packs' mappings
        return scheme_scores(self, name, ontology=ontology, min_score=min_score, always=always)

    def to_dict(self, text: bool = True, explain: bool = False, scheme: str | None = None) -> dict:
        """The JSON record (README.md, "The annotation record"); ``explain=True`` adds each span's rule trace and
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
        if self.appraisal:  # appraisal layer: only when it found events (README, record)
            out["appraisal"] = {k: dict(v) for k, v in self.appraisal.items()}
            if explain:
                out["appraisal_events"] = self.appraisal_events()
        if self.causes:
            out["causes"] = [dict(c) for c in self.causes]
        if scheme is not None:
            out["scheme"] = self.in_scheme(scheme).to_dict()
        if self.sentences is not None:
            out["sentences"] = [dict(s.to_dict(text=True, explain=explain, scheme=scheme),
                                     start=s._start) for s in self.sentences]
        return out


class _View(Annotation):
    """An Annotation whose fields are read from document ``d`` of a :class:`BatchResult`."""

    primary = _FromBatch()
    secondary = _FromBatch()
    tertiary = _FromBatch()
    vad = _FromBatch()
    intensity = _FromBatch()
    spans = _FromBatch()
    sentences = _FromBatch()
    inferred = _FromBatch()
    appraisal = _FromBatch()
    causes = _FromBatch()

    def __init__(self, batch: "BatchResult", d: int, doc_id, text: str, top: list) -> None:
        self.id = doc_id
        self.text = text
        self.top = top
        self._batch = batch
        self._d = d


def _rebuild(values: tuple, extra: dict) -> Annotation:
    obj = Annotation.__new__(Annotation)
    obj.__dict__.update(zip(_FIELDS, values), **extra)
    return obj


def _label_lists(table) -> tuple[list, list, list]:
    """The table's labels, tiers (as a list) and primary labels, computed once per table."""
    cached = getattr(table, "_label_lists", None)
    if cached is None:
        tiers = np.asarray(table.tiers).tolist()
        cached = (list(table.labels), tiers, [l for l, t in zip(table.labels, tiers) if t == 1])
        table._label_lists = cached
    return cached


def _tier_dicts(table, scores, r: int) -> tuple[dict, dict, dict]:
    """Row ``r`` of CSR ``scores`` as (primary, secondary, tertiary) dicts, rounded to 4
    places; every primary is present, zeros included (``r = -1``: no evidence)."""
    ptr, col, val = scores
    return _tier_dicts_of(table, col[ptr[r]:ptr[r + 1]].tolist(),
                          np.round(val[ptr[r]:ptr[r + 1]], 4).tolist())


def _tier_dicts_of(table, cols: list, values: list) -> tuple[dict, dict, dict]:
    labels, tiers, primaries = _label_lists(table)
    primary = dict.fromkeys(primaries, 0.0)
    secondary: dict[str, float] = {}
    tertiary: dict[str, float] = {}
    for c, v in zip(cols, values):
        (primary if tiers[c] == 1 else secondary if tiers[c] == 2 else tertiary)[labels[c]] = v
    return primary, secondary, tertiary


class BatchResult:
    """The arrays of one annotated batch; its :class:`Annotation` views read their fields here.

    ``scores`` are CSR arrays ``(ptr, concept, score)`` over the batch's *active* documents
    (those with matches; ``row[d]`` is document ``d``'s row, -1 when it has none), ``vad`` is
    ``[n_docs, 3]``; ``inference`` is :class:`tone.infer.Inference` or None; ``batch`` (the
    tokens) is kept only for ``level="sentence"``.
    """

    def __init__(self, annotator, texts, batch, matches, effects, concept, weight, row, scores,
                 vad, inference, words, level: str, appraised=None,
                 n_word_rows: int | None = None) -> None:
        table = annotator.table
        self.annotator = annotator
        self.texts = texts
        self.table = table
        self.matches, self.effects = matches, effects
        self.concept, self.weight = concept, weight
        self.row = row
        self.scores = scores
        self.vad_rows = vad
        self.inference = inference
        self.words = words
        self.appraised = appraised  # tone.appraisal.AppraisalBatch or None
        self.n_word_rows = len(scores[0]) - 1 if n_word_rows is None else n_word_rows
        self._appraisal_docs = (np.zeros(len(texts), dtype=bool) if appraised is None else
                                np.isin(np.arange(len(texts)), appraised.docs()))
        self.batch = batch if level == "sentence" else None
        self.bounds = np.searchsorted(matches.doc, np.arange(len(texts) + 1))
        # character offsets of every match and of every rule cue: the tokens are not kept
        self.char_start = batch.start[matches.tok_start]
        self.char_end = batch.end[matches.tok_end - 1]
        if effects is not None:
            cue = np.maximum(effects.fire_cue, 0)
            self.cue_start = np.where(effects.fire_cue >= 0, batch.start[cue], -1)
            self.cue_end = np.where(effects.fire_cue >= 0, batch.end[cue], -1)
        self._lists = None
        self._score_lists = None
        self._primary_scores = None  # [rows, primaries], rounded: set by _top_lists
        self._primary_lists = None

    def views(self, ids) -> list[Annotation]:
        """One :class:`Annotation` per document of the batch, in order; ``top`` (what nearly
        every reader wants) is computed for the whole batch at once, the rest when read."""
        n = len(self.texts)
        was_enabled = gc.isenabled()
        gc.disable()  # every object made here is kept: collecting meanwhile is wasted work
        try:
            tops = self._top_lists()
            top_of = [tops[r] if r >= 0 else [] for r in self.row.tolist()]  # one row per doc
            if getattr(self.annotator, "always", False):  # every document has an emotion
                from .schemes import always_primary

                for d, top in enumerate(top_of):
                    if not top:
                        top_of[d] = [always_primary(self.table, float(self.vad_rows[d][0]))]
            return list(map(_View, [self] * n, range(n), ids, self.texts, top_of))
        finally:
            if was_enabled:
                gc.enable()

    # -- scores ---------------------------------------------------------------------------
    def has_matches(self, d: int) -> bool:
        return bool(self.bounds[d + 1] > self.bounds[d])

    def has_appraisal(self, d: int) -> bool:
        """Whether document ``d`` has emotion evidence from the appraisal layer."""
        return bool(self._appraisal_docs[d])

    def appraisal(self, ann: Annotation) -> dict:
        if self.appraised is None:
            return {}
        return self.appraised.appraisal(ann._d)

    def causes(self, ann: Annotation) -> list:
        if self.appraised is None:
            return []
        return self.appraised.causes(ann._d, self.texts[ann._d], ann.spans)

    def appraisal_events(self, ann: Annotation) -> list:
        if self.appraised is None:
            return []
        return self.appraised.events(ann._d, self.texts[ann._d])

    def _tier(self, ann: Annotation, name: str) -> dict:
        """Build the three tier dicts of a document at once; keep the two not asked for
        (unless they were set) and return the one asked for."""
        if self._score_lists is None:  # Python lists once per batch, sliced per document
            ptr, col, val = self.scores
            self._score_lists = (ptr.tolist(), col.tolist(), np.round(val, 4).tolist(),
                                 self.row.tolist())
        ptr, col, val, row = self._score_lists
        r = row[ann._d]
        if r < 0:
            primary, secondary, tertiary = _tier_dicts_of(self.table, (), ())
        else:
            lo, hi = ptr[r], ptr[r + 1]
            primary, secondary, tertiary = _tier_dicts_of(self.table, col[lo:hi], val[lo:hi])
        tiers = {"primary": primary, "secondary": secondary, "tertiary": tertiary}
        for other, value in tiers.items():
            if other != name:
                ann.__dict__.setdefault(other, value)
        return tiers[name]

    def primary(self, ann: Annotation) -> dict:
        """Document ``ann``'s primaries from the batch's rounded primary matrix (made for
        ``top``), one row of Python floats per document: what :meth:`_tier` gives, without
        building the other two tiers (the scores VADER and NRCLex users read)."""
        if self._primary_scores is None:
            return self._tier(ann, "primary")
        _, _, primaries = _label_lists(self.table)
        if self._primary_lists is None:  # one flat Python list once per batch
            self._primary_lists = (self._primary_scores.ravel().tolist(), self.row.tolist())
        flat, row = self._primary_lists
        r = row[ann._d]
        if r < 0:
            return dict.fromkeys(primaries, 0.0)
        k = len(primaries)
        return dict(zip(primaries, flat[r * k:r * k + k]))

    def secondary(self, ann: Annotation) -> dict:
        return self._tier(ann, "secondary")

    def tertiary(self, ann: Annotation) -> dict:
        return self._tier(ann, "tertiary")

    def _top_lists(self) -> list:
        """Every row's ``top`` at once, a new list each (what :func:`tone.scoring.reason.top_labels`
        gives for its rounded primary scores)."""
        labels, tiers, primaries = _label_lists(self.table)
        ptr, col, val = self.scores
        n_rows = len(ptr) - 1
        position = np.full(len(labels), -1, dtype=np.int64)
        primary_ids = np.flatnonzero(np.asarray(tiers) == 1)
        position[primary_ids] = np.arange(len(primary_ids))
        rows = np.repeat(np.arange(n_rows), np.diff(ptr))
        pick = position[col] >= 0
        scores = np.zeros((n_rows, len(primary_ids)))
        scores[rows[pick], position[col[pick]]] = np.round(val[pick], 4)
        self._primary_scores = scores
        best = scores.max(axis=1) if len(primary_ids) else np.zeros(n_rows)
        chosen = (scores >= TOP_RATIO * best[:, None]) & (best[:, None] > 0)
        count = chosen.sum(axis=1)
        names = np.array(primaries, dtype=object)
        tops = [[label] for label in names[scores.argmax(axis=1)].tolist()] if n_rows else []
        multi = np.flatnonzero(count > 1)
        if len(multi):  # best first, ties in label order
            rank = np.argsort(np.argsort(np.array(primaries, dtype=object)))
            order = np.lexsort((np.broadcast_to(rank, (len(multi), len(rank))),
                                -scores[multi]), axis=-1)
            keep = np.take_along_axis(chosen[multi], order, axis=1)
            for r, o, k in zip(multi.tolist(), order.tolist(), keep.tolist()):
                tops[r] = [primaries[j] for j, x in zip(o, k) if x]
        for r in np.flatnonzero(count == 0).tolist():
            tops[r] = []
        return tops

    def intensity(self, ann: Annotation) -> float:
        if "primary" not in ann.__dict__ and self.row[ann._d] < 0:
            return 0.0
        return max(ann.primary.values(), default=0.0)

    def vad(self, ann: Annotation) -> dict:
        v = self.vad_rows[ann._d].tolist()
        return {"valence": v[0], "arousal": v[1], "dominance": v[2]}

    def dense_scores(self, d: int) -> np.ndarray:
        """Document ``d``'s scores of every concept (zeros included)."""
        out = np.zeros(len(self.table))
        r = int(self.row[d])
        if r >= 0:
            ptr, col, val = self.scores
            out[col[ptr[r]:ptr[r + 1]]] = val[ptr[r]:ptr[r + 1]]
        return np.round(out, 4)

    # -- spans and traces -----------------------------------------------------------------
    def _span_lists(self):
        """The match arrays as Python lists, once per batch (on the first span read)."""
        if self._lists is None:
            m, e = self.matches, self.effects
            lists = {
                "start": self.char_start.tolist(), "end": self.char_end.tolist(),
                "doc": m.doc.tolist(), "entry": m.entry.tolist(),
                "concept": self.concept.tolist(), "matched": m.concept.tolist(),
                # float64 first: 1.1729, not 1.17289996
                "final": np.round(self.weight.astype(np.float64), 4).tolist(),
                "base": np.round(m.weight.astype(np.float64), 4).tolist(),
            }
            if e is not None:
                lists.update(negated=e.negated.tolist(), ptr=e.fire_ptr.tolist(),
                             rule=e.fire_rule.tolist(), cue_start=self.cue_start.tolist(),
                             cue_end=self.cue_end.tolist(),
                             factor=np.round(e.fire_factor.astype(np.float64), 4).tolist())
            self._lists = lists
        return self._lists

    def _span(self, i: int) -> Span:
        x = self._span_lists()
        labels, tiers, _ = _label_lists(self.table)
        rows = self.annotator.lexicon.rows
        text = self.texts[x["doc"][i]]
        start, end, c = x["start"][i], x["end"][i], x["concept"][i]
        steps: list[RuleStep] = []
        negated = False
        if self.effects is not None:
            names = self.effects.names
            for k in range(x["ptr"][i], x["ptr"][i + 1]):
                cs = x["cue_start"][k]
                steps.append(RuleStep(names[x["rule"][k]],
                                      text[cs:x["cue_end"][k]] if cs >= 0 else "",
                                      x["factor"][k]))
            negated = bool(x["negated"][i])
        if self.inference is not None:  # opposition steps
            for rule, other, factor in self.inference.steps(i):
                steps.append(RuleStep(rule, f"vs {other}", factor))
        row = rows[x["entry"][i]]
        return Span(start, end, text[start:end], labels[c], tiers[c], x["final"][i],
                    [step.rule for step in steps], row.term, row.source, x["base"][i], negated,
                    labels[x["matched"][i]], steps)

    def spans(self, ann: Annotation) -> list[Span]:
        d = ann._d
        return [self._span(i) for i in range(int(self.bounds[d]), int(self.bounds[d + 1]))]

    def inferred(self, ann: Annotation) -> list[dict]:
        d = ann._d
        r = int(self.row[d])
        if self.inference is None or r < 0 or r >= self.n_word_rows:
            return []
        return self.inference.items(r, self.table, self.dense_scores(d))

    # -- sentences ------------------------------------------------------------------------
    def sentences(self, ann: Annotation) -> list[Annotation] | None:
        """One Annotation per sentence of the document (``level="sentence"`` only); a
        sentence's spans are the document's own Span objects."""
        if self.batch is None:
            return None
        from .reason import sparse_scores
        from .vad import doc_vad_matrix

        batch, matches, table = self.batch, self.matches, self.table
        d = ann._d
        text = self.texts[d]
        lo = int(self.bounds[d])
        doc_spans = ann.spans
        out = []
        for s in range(int(batch.doc_sent_ptr[d]), int(batch.doc_sent_ptr[d + 1])):
            t0, t1 = int(batch.sent_ptr[s]), int(batch.sent_ptr[s + 1])
            if t1 <= t0:
                continue
            inside = [k for k in range(len(doc_spans))
                      if t0 <= int(matches.tok_start[lo + k]) < t1]
            idx = np.array([lo + k for k in inside], dtype=np.int64)
            zeros = np.zeros(len(idx), dtype=np.int64)
            start, end = int(batch.start[t0]), int(batch.end[t1 - 1])
            in_sent = None
            if self.words is not None:  # the sentence's valence words
                wdoc, wtok, wval = self.words
                pick = (wdoc == d) & (wtok >= t0) & (wtok < t1)
                in_sent = (np.zeros(int(pick.sum()), dtype=np.int64), wval[pick])
            vad = doc_vad_matrix(table, zeros, self.concept[idx], self.weight[idx], 1, in_sent)
            scores = sparse_scores(table, zeros, self.concept[idx], self.weight[idx], 1)
            primary, secondary, tertiary = _tier_dicts(table, scores, 0)
            v = vad[0].tolist()
            result = Annotation(s - int(batch.doc_sent_ptr[d]), text[start:end], primary,
                                secondary, tertiary, top_labels(primary),
                                {"valence": v[0], "arousal": v[1], "dominance": v[2]},
                                max(primary.values(), default=0.0),
                                [doc_spans[k] for k in inside])
            result._start = start
            out.append(result)
        return out
