"""Annotate conversations: one record per turn, the usual annotation record plus ``dialogue``,
``turn`` (from 1 within the conversation), ``speaker`` and ``context`` (inertia, and
contagion with ``contagion=1``: :mod:`tone.dialogue.context`).

The turns of several conversations go through the kernels together (one batch of up to
:data:`tone.batching.BATCH_SIZE` turns), each conversation whole in one batch so that the
``transition`` inference rules (``plusLeadsTo`` over the speaker's previous turn and the reply,
:mod:`tone.infer`; off as shipped) see its turns. Then each conversation's scores, in the
scheme the context works in (tone's primaries, or ``scheme``), are mixed with the transition
tables (:mod:`tone.dialogue.tables`) and the turn's ``top`` follows the mixed scores. Below,
"Calm down." has joy of its own (contentment), and A's anger does not reach it: the context
adds no emotion a turn's own words lack; "Fine." has no evidence of its own, and the context
gives it none (``beta = 0``).

>>> from tone.dialogue import annotate
>>> [(a.dialogue, a.turn, a.speaker, a.top) for a in annotate([[("A", "I am furious!"),
...                                                               ("B", "Calm down."),
...                                                               ("A", "Fine.")]])]
[(0, 1, 'A', ['anger']), (0, 2, 'B', ['joy']), (0, 3, 'A', [])]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

import numpy as np

from ..batching import BATCH_SIZE
from ..errors import UsageError
from ..scoring.results import Annotation
from .causes import dialogue_causes
from .context import ALPHA, BETA, CONTAGION, Mixer, TurnContext
from .conversation import Conversation
from .listener import suggest_intents
from .tables import PRIMARY, Tables, load

__all__ = ["TurnAnnotation", "annotate", "pairs", "Dialogue"]


@dataclass(eq=False, repr=False)
class TurnAnnotation(Annotation):
    """A turn's :class:`~tone.scoring.results.Annotation` with its place in the conversation:
    ``dialogue`` (the conversation's id), ``turn`` (from 1), ``speaker`` and ``context`` (the
    record's ``"context"``: where the context came from and what it changed); ``trace`` the
    earlier turns' contributions (``--explain``); ``scheme_result`` the mixed scores when the
    context works in a mapped scheme."""

    dialogue: object = None
    turn: int = 0
    speaker: str = ""
    context: dict = field(default_factory=dict)
    trace: list = field(default_factory=list)
    scheme_result: object = None
    extra: dict = field(default_factory=dict)  # more record fields from other dialogue layers

    def in_scheme(self, name: str, ontology=None, min_score: float = 0.0,
                  always: bool | None = None):
        if self.scheme_result is not None and self.scheme_result.name == name \
                and min_score == 0.0:
            return self.scheme_result
        return super().in_scheme(name, ontology, min_score, bool(always))

    def to_dict(self, text: bool = True, explain: bool = False, scheme: str | None = None) -> dict:
        """The annotation record (with ``"scheme"``, the mixed scores, when the context works
        in a scheme) plus :func:`turn_fields`."""
        if scheme is None and self.scheme_result is not None:
            scheme = self.scheme_result.name
        out = super().to_dict(text=text, explain=explain, scheme=scheme)
        out.update(turn_fields(self, explain))
        return out


def turn_fields(ann: TurnAnnotation, explain: bool = False) -> dict:
    """The fields a dialogue record adds to the annotation record (one place: a new dialogue
    field is one line here)."""
    fields = {"dialogue": ann.dialogue, "turn": ann.turn, "speaker": ann.speaker,
              "context": dict(ann.context), **ann.extra}
    if explain:
        fields["context"]["trace"] = [dict(step) for step in ann.trace]
    return fields


class Dialogue:
    """What :func:`annotate` needs besides the conversations: the annotator, the scheme the
    context works in (``None``: tone's primaries), its transition tables (default: the
    ontology's for that scheme) and the mixing weights ``alpha``/``beta``/``contagion``
    (:class:`~tone.dialogue.context.Mixer`)."""

    def __init__(self, annotator=None, scheme: str | None = None, tables: Tables | None = None,
                 alpha: float = ALPHA, beta: float = BETA,
                 contagion: float = CONTAGION) -> None:
        if annotator is None:
            from ..defaults import default_annotator

            annotator = default_annotator()
        self.annotator = annotator
        self.scheme = scheme
        self.tables = tables if tables is not None else load(scheme or PRIMARY,
                                                             table=annotator.table)
        if tables is not None and tables.scheme and tables.scheme != (scheme or PRIMARY):
            raise UsageError(f"the tables are over the scheme {tables.scheme!r}, not "
                             f"{scheme or PRIMARY!r}; pass --scheme {tables.scheme}")
        self.mixer = Mixer(self.tables.t_self, self.tables.t_other, alpha, beta, contagion)
        self._scheme = None
        if scheme is not None:
            from ..scoring.schemes import get_scheme

            self._scheme = get_scheme(scheme, annotator.ontology)
        self._table = annotator.table

    def scores(self, annotations: list) -> tuple[np.ndarray, np.ndarray]:
        """Each turn's own scores over the tables' categories, and whether it has evidence."""
        evidence = np.array([a.has_evidence for a in annotations], dtype=bool)
        if self._scheme is None:
            cats = self.tables.categories
            return np.array([[a.primary.get(c, 0.0) for c in cats] for a in annotations],
                            dtype=np.float64).reshape(len(annotations), len(cats)), evidence
        from ..scoring.schemes import concept_vector

        vectors = np.array([concept_vector(a, self._table) for a in annotations])
        matrix = self._scheme.score_matrix(vectors.reshape(len(annotations), -1), self._table)
        return matrix, evidence

    def turns(self, conv: Conversation, annotations: list) -> list[TurnAnnotation]:
        """The conversation's turn annotations with the context mixed in."""
        if not annotations:
            return []
        x, evidence = self.scores(annotations)
        speakers = [t.speaker for t in conv.turns]
        y, contexts = self.mixer.run(x, speakers, evidence)
        turns = [self._turn(conv, t, ann, x[k], y[k], contexts[k])
                 for k, (t, ann) in enumerate(zip(conv.turns, annotations))]
        # per-turn record fields of other dialogue layers: one line each (turn.extra[name])
        personalities = _personalities(conv)
        for turn in turns:
            if turn.speaker in personalities:
                turn.extra["personality"] = personalities[turn.speaker]
        # the turns whose words caused each emotional turn (spans into those turns' texts; they
        # replace the appraisal's within-text causes, which they include), and the listener's
        # suggested intents and strategies
        found = dialogue_causes([t.text for t in turns], speakers, turns)
        for turn, causes in zip(turns, found):
            turn.extra["causes"] = causes
            turn.extra["suggested_intents"] = suggest_intents(turn)
        return turns

    def _turn(self, conv, turn, ann, own, mixed, ctx: TurnContext) -> TurnAnnotation:
        cats = self.tables.categories
        turns = conv.turns

        def number(k: int) -> int:
            return turns[k].number
        context = {"scheme": self.scheme or PRIMARY,
                   "previous": number(ctx.previous) if ctx.previous is not None else None,
                   "self_gate": round(ctx.self_gate, 4),
                   "other": [number(k) for k in ctx.other_turns],
                   "other_gate": round(ctx.other_gate, 4),
                   "shift": {c: round(float(v), 4) for c, v in zip(cats, ctx.shift) if
                             round(float(v), 4)},
                   "moved_by": number(ctx.mover) if ctx.mover is not None else None}
        trace = [{"turn": number(k), "speaker": turns[k].speaker,
                  "kind": "self" if k == ctx.previous else "other",
                  "shift": {c: round(float(v), 4) for c, v in zip(cats, part)
                            if round(float(v), 4)}}
                 for k, part in sorted(ctx.contributions.items())]
        primary, top, intensity, scheme_result = dict(ann.primary), list(ann.top), \
            ann.intensity, None
        if self._scheme is None:
            primary = {c: round(float(v), 4) for c, v in zip(cats, mixed)}
            top = _top(primary)
            intensity = max(primary.values(), default=0.0)
        else:
            from ..scoring.schemes import concept_vector

            vector = concept_vector(ann, self._table)[None, :]
            scheme_result = self._scheme.result(
                mixed, evidence=self._scheme.evidence_matrix(vector, self._table)[0],
                valence=ann.vad.get("valence", 0.0), table=self._table,
                always=self.annotator.always)
        return TurnAnnotation(
            ann.id, ann.text, primary, dict(ann.secondary), dict(ann.tertiary), top,
            dict(ann.vad), intensity, list(ann.spans), None, list(ann.inferred),
            dict(ann.appraisal), list(ann.causes), dialogue=conv.id, turn=turn.number,
            speaker=turn.speaker, context=context, trace=trace, scheme_result=scheme_result)


def _personalities(conv: Conversation) -> dict:
    """Each speaker with traits: ``{"traits", "pad"}`` (Mehrabian 1996, S = -N)."""
    from .personality import personality_pad

    return {name: {"traits": dict(traits),
                   "pad": [round(x, 4) for x in personality_pad(traits)]}
            for name, traits in conv.speakers.items()}


def _top(primary: dict) -> list[str]:
    """The primaries judged present: at least half the best score (as the annotator's ``top``)."""
    from ..scoring.schemes import TOP_RATIO

    best = max(primary.values(), default=0.0)
    if best <= 0:
        return []
    return [c for c, v in sorted(primary.items(), key=lambda kv: (-kv[1], kv[0]))
            if v >= TOP_RATIO * best]


def _as_conversation(item, k: int) -> Conversation:
    if isinstance(item, Conversation):
        return item
    if isinstance(item, dict):
        from .readers import _jsonl_conversation, _Policy

        conv = _jsonl_conversation(item, "<conversations>", k, _Policy("strict"))
        if item.get("id") is None:
            conv.id = k
        return conv
    if isinstance(item, (str, bytes)):
        raise UsageError(f"conversation {k} is a {type(item).__name__}; expected a list of "
                         "(speaker, text) pairs, a dict with 'turns', or a Conversation")
    return Conversation.of(k, item)


def pairs(conversations: Iterable, dialogue: Dialogue, batch_size: int = BATCH_SIZE
          ) -> Iterator[tuple[Conversation, list[TurnAnnotation] | None]]:
    """``(conversation, its turn annotations)`` in input order; ``None`` for a conversation
    that could not be read (its ``error`` says why)."""
    from ..infer import dialogue_context

    items = (_as_conversation(item, k) for k, item in enumerate(conversations))
    annotator = dialogue.annotator
    while True:
        chunk: list[Conversation] = []
        n = 0
        for conv in items:
            chunk.append(conv)
            n += len(conv.turns)
            if n >= batch_size:
                break
        if not chunk:
            return
        texts, ids, previous, reply = [], [], [], []
        for conv in chunk:
            prev, rep = dialogue_context([t.speaker for t in conv.turns])
            offset = len(texts)
            previous.append(np.where(prev >= 0, prev + offset, -1))
            reply.append(np.where(rep >= 0, rep + offset, -1))
            texts += [t.text for t in conv.turns]
            ids += [f"{conv.id}#{t.number}" for t in conv.turns]
        results = annotator.annotate_turns(
            texts, ids, (np.concatenate(previous), np.concatenate(reply))) if texts else []
        start = 0
        for conv in chunk:
            if conv.error is not None:
                yield conv, None
                continue
            stop = start + len(conv.turns)
            yield conv, dialogue.turns(conv, results[start:stop])
            start = stop


def annotate(conversations: Iterable, annotator=None, scheme: str | None = None,
             tables: Tables | None = None, alpha: float = ALPHA, beta: float = BETA,
             batch_size: int = BATCH_SIZE, contagion: float = CONTAGION
             ) -> Iterator[TurnAnnotation]:
    """Annotate conversations, one :class:`TurnAnnotation` per turn, in order.

    ``conversations``: :class:`~tone.dialogue.Conversation` objects, lists of ``(speaker,
    text)`` pairs (the id is the conversation's position), or dicts as in the JSONL input
    (``{"id", "turns": [{"speaker", "text"}], "speakers"}``). ``scheme``: the context works in
    this mapped scheme's categories (the record's ``scheme`` holds the mixed scores) instead
    of tone's primaries; ``tables``: :func:`tone.dialogue.tables.load` or ``fit`` output
    (default: the ontology's for the scheme); ``alpha``, ``beta``, ``contagion``: the mixing
    weights (:class:`~tone.dialogue.context.Mixer`)."""
    if isinstance(conversations, (str, bytes, Conversation)):
        raise UsageError("annotate() takes a list of conversations; wrap one in [ ]")
    dialogue = Dialogue(annotator, scheme, tables, alpha, beta, contagion)
    for conv, turns in pairs(conversations, dialogue, batch_size):
        if turns is None:
            raise UsageError(conv.error or f"conversation {conv.id!r} could not be read")
        yield from turns
