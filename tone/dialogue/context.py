"""Inertia and contagion: a turn's scores combine its own evidence with the same speaker's
previous turn and the other speakers' preceding turns (EmotionIC, Liu et al. 2023).

For turn ``t`` of speaker ``s`` with own scores ``x_t`` (one row over a scheme's categories):

* **self** (inertia): ``p`` = the speaker's previous turn, ``d = t - p`` turns back; its
  weight is EmotionIC's decay gate ``1 / (1 + exp(d - 3))``;
* **other** (contagion): the block of turns right before ``t`` by other speakers, ``n`` turns
  long; weight ``1 / (1 + exp(-n / 2))``, shared evenly by the block's turns, times
  ``contagion`` (:data:`CONTAGION`, 0 by default: see below);
* ``context_t = gate_self * (y_p @ T_self) + contagion * gate_other * mean_k(y_k) @ T_other``
  with the self- and other-transition tables ``T`` (rows: the earlier turn's category,
  columns: this turn's; :mod:`tone.dialogue.tables`), ``y`` the earlier turns' final scores;
* a turn with evidence of its own: ``y_t = x_t + alpha * context_t`` **on the categories its
  own evidence supports** (``x_t > 0``): the context re-weighs the emotions the turn's words
  express and breaks their ties, and never adds an emotion the words do not carry; a turn
  without evidence: ``y_t = x_t + beta * context_t`` (``beta = 0``: it stays neutral).

Why these defaults (bench/ACCURACY.md, "Conversations"): on the dev splits of MELD, EmoryNLP
and DailyDialog, context added to every category turns a turn's lexical emotion into the
corpus's commonest one (weighted-F1 down to −0.005), and the contagion part, whose fitted
tables carry a third of the self-tables' information (0.10 vs 0.29 bits on MELD train), only
broke exact ties the wrong way; inertia on the supported categories is lower on none of the
three. ``contagion=1`` gives EmotionIC's full formulation.

Each turn's context names the earlier turn that moved its scores most (:class:`TurnContext`).

>>> gates(1), round(self_gate(1), 3), round(other_gate(2), 3)
((0.881, 0.622), 0.881, 0.731)
>>> import numpy as np
>>> T = np.full((2, 2), 0.5)  # every earlier category supports both
>>> x = np.array([[1.0, 0.0], [0.2, 0.0], [0.0, 0.3]])
>>> y, ctx = Mixer(T, T, alpha=0.5, contagion=1.0).run(x, ["A", "B", "A"])
>>> np.round(y, 3).tolist()  # each turn gains only on the category its own words carry
[[1.0, 0.0], [0.356, 0.0], [0.0, 0.538]]
>>> ctx[1].mover, ctx[1].other_turns, ctx[2].mover
(0, [0], 0)
>>> y, ctx = Mixer(T, T).run(x, ["A", "B", "A"])  # the defaults: inertia only
>>> np.round(y, 3).tolist(), ctx[1].mover, ctx[2].previous
([[1.0, 0.0], [0.2, 0.0], [0.0, 0.666]], None, 0)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import UsageError

__all__ = ["self_gate", "other_gate", "gates", "Mixer", "TurnContext", "ALPHA", "BETA",
           "CONTAGION"]

#: weight of the context beside a turn's own evidence, and for a turn without evidence;
#: chosen on the dev splits of MELD, EmoryNLP and DailyDialog (bench/ACCURACY.md)
ALPHA = 1.0
BETA = 0.0
#: weight of the other speakers' turns (contagion) beside the speaker's own previous turn
CONTAGION = 0.0


def self_gate(d: int) -> float:
    """EmotionIC's inertia gate for the speaker's previous turn ``d`` turns back."""
    return 1.0 / (1.0 + math.exp(d - 3))


def other_gate(n: int) -> float:
    """EmotionIC's contagion gate for a block of ``n`` turns by other speakers."""
    return 1.0 / (1.0 + math.exp(-n / 2))


def gates(d: int, n: int = 1) -> tuple[float, float]:
    """Both gates, rounded for display."""
    return round(self_gate(d), 3), round(other_gate(n), 3)


@dataclass
class TurnContext:
    """Where turn ``t``'s context came from (0-based turn indices): ``previous`` the speaker's
    previous turn (None: none) with ``self_gate``; ``other_turns`` the other speakers' block
    right before it with ``other_gate``; ``shift`` the change to each category's score;
    ``mover`` the earlier turn whose contribution moved the scores most (None: nothing moved),
    ``moved`` how much (sum over categories)."""

    previous: int | None = None
    self_gate: float = 0.0
    other_turns: list = field(default_factory=list)
    other_gate: float = 0.0
    shift: np.ndarray | None = None
    mover: int | None = None
    moved: float = 0.0
    contributions: dict = field(default_factory=dict)  # earlier turn -> its shift vector


class Mixer:
    """Inertia and contagion over ``[n_turns, n_categories]`` scores (module docstring)."""

    def __init__(self, t_self: np.ndarray, t_other: np.ndarray, alpha: float = ALPHA,
                 beta: float = BETA, contagion: float = CONTAGION) -> None:
        t_self, t_other = np.asarray(t_self, float), np.asarray(t_other, float)
        if t_self.ndim != 2 or t_self.shape[0] != t_self.shape[1] or t_self.shape != t_other.shape:
            raise UsageError("transition tables must be square and of one size, got "
                             f"{t_self.shape} and {t_other.shape}")
        if alpha < 0 or beta < 0 or contagion < 0:
            raise UsageError("alpha, beta and contagion must be at least 0")
        self.t_self, self.t_other, self.alpha, self.beta = t_self, t_other, alpha, beta
        self.contagion = contagion

    def run(self, scores: np.ndarray, speakers: list, evidence=None
            ) -> tuple[np.ndarray, list[TurnContext]]:
        """The final scores of one conversation's turns and each turn's context.
        ``evidence[t]``: whether turn ``t`` has evidence of its own (default: a score > 0)."""
        x = np.asarray(scores, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.t_self.shape[0]:
            raise UsageError(f"scores must be [n_turns, {self.t_self.shape[0]}], got {x.shape}")
        if len(speakers) != len(x):
            raise UsageError(f"{len(speakers)} speakers for {len(x)} turns")
        own = x.max(axis=1) > 0 if evidence is None else np.asarray(evidence, dtype=bool)
        y = x.copy()
        contexts = []
        last_turn: dict = {}
        for t, speaker in enumerate(speakers):
            ctx = TurnContext()
            parts = {}
            p = last_turn.get(speaker)
            if p is not None:
                ctx.previous, ctx.self_gate = p, self_gate(t - p)
                parts[p] = ctx.self_gate * (y[p] @ self.t_self)
            block = []
            k = t - 1
            while k >= 0 and speakers[k] != speaker:
                block.append(k)
                k -= 1
            if block and self.contagion > 0:
                ctx.other_turns, ctx.other_gate = sorted(block), other_gate(len(block))
                share = self.contagion * ctx.other_gate / len(block)
                for k in block:
                    parts[k] = parts.get(k, 0.0) + share * (y[k] @ self.t_other)
            # own evidence: the context only on the categories it supports
            weight = self.alpha * (x[t] > 0) if own[t] else np.full(x.shape[1], self.beta)
            shift = np.zeros(x.shape[1])
            for k in parts:
                parts[k] = weight * parts[k]
                shift += parts[k]
            y[t] = x[t] + shift
            ctx.shift, ctx.contributions = shift, parts
            if parts and shift.any():
                ctx.mover = max(parts, key=lambda k: (float(np.sum(parts[k])), k))
                ctx.moved = float(np.sum(parts[ctx.mover]))
            contexts.append(ctx)
            last_turn[speaker] = t
        return y, contexts
