"""A readable trace of one dialogue turn: its own evidence (as ``tone explain`` shows it),
then its context: the earlier turns that moved its scores, the strongest first.

>>> from tone.dialogue import annotate
>>> turns = list(annotate([[("A", "I am so happy!"), ("B", "Glad to hear it.")]],
...                       contagion=1.0))
>>> print(explain_turn(turns, 2))  # doctest: +ELLIPSIS
turn 2 (B) of conversation 0: Glad to hear it.
...
context (primary): moved most by turn 1 (A, the other speaker's turn): joy +0.50...
...
"""
from __future__ import annotations

from ..errors import UsageError

__all__ = ["explain_turn"]


def _shift(shift: dict) -> str:
    return ", ".join(f"{c} {v:+.4f}" for c, v in sorted(shift.items(), key=lambda kv: -kv[1]))


def explain_turn(turns: list, number: int, ontology=None) -> str:
    """``turns``: one conversation's :class:`~tone.dialogue.records.TurnAnnotation` list;
    ``number``: the turn (from 1)."""
    from ..scoring.explain import explain

    if not 1 <= number <= len(turns):
        raise UsageError(f"no turn {number}: the conversation has {len(turns)} turns")
    ann = turns[number - 1]
    ctx = ann.context
    lines = [f"turn {ann.turn} ({ann.speaker}) of conversation {ann.dialogue}: {ann.text}"]
    own = ann
    if ctx.get("scheme") == "primary":  # the turn's own evidence, before the context
        from dataclasses import replace

        from .records import _top

        before = {c: round(v - ctx["shift"].get(c, 0.0), 4) for c, v in ann.primary.items()}
        own = replace(ann, primary=before, top=_top(before),
                      intensity=max(before.values(), default=0.0))
    lines += ["  " + line for line in explain(own, ontology).splitlines()[1:]]
    kinds = {"self": "the speaker's previous turn", "other": "the other speaker's turn"}
    steps = sorted(ann.trace, key=lambda s: -sum(s["shift"].values()))
    if ctx.get("moved_by") is None:
        why = ("" if steps else " (the first turn)" if ann.turn == 1 else
               f" (the first turn of {ann.speaker}; --contagion weighs the other speakers' turns)")
        lines.append(f"context ({ctx.get('scheme')}): no earlier turn moved the scores{why}")
    else:
        first = next(s for s in steps if s["turn"] == ctx["moved_by"])
        lines.append(f"context ({ctx['scheme']}): moved most by turn {first['turn']} "
                     f"({first['speaker']}, {kinds[first['kind']]}): {_shift(first['shift'])}")
    if ctx.get("previous") is not None:
        lines.append(f"  inertia: turn {ctx['previous']}, gate {ctx['self_gate']:.3f}")
    if ctx.get("other"):
        lines.append(f"  contagion: turns {', '.join(map(str, ctx['other']))}, gate "
                     f"{ctx['other_gate']:.3f}")
    for step in steps:
        lines.append(f"  turn {step['turn']} ({step['speaker']}, {step['kind']}): "
                     f"{_shift(step['shift']) or 'no change'}")
    scored = [f"{c} {v:.3f}" for c, v in sorted(ann.primary.items(), key=lambda kv: -kv[1])
              if v > 0]
    lines.append(f"after context: {', '.join(scored) or 'none'}; top: "
                 f"{', '.join(ann.top) or '(none)'}")
    return "\n".join(lines)
