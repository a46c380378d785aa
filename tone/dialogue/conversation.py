"""Conversations as plain data: turns of speaker and text, with the speakers' personalities.

>>> c = Conversation.of("d1", [("Ross", "We were on a break!"), ("Rachel", "Oh, please.")])
>>> [(t.number, t.speaker) for t in c.turns]
[(1, 'Ross'), (2, 'Rachel')]
>>> c.speaker_list()
['Ross', 'Rachel']
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UsageError

__all__ = ["Turn", "Conversation", "TRAITS"]

#: the Big Five traits, in the order O C E A N
TRAITS = ("O", "C", "E", "A", "N")


@dataclass
class Turn:
    """One turn: its ``number`` (from 1 within the conversation), ``speaker`` and ``text``;
    ``label`` is a gold emotion where the input has one (``tone dialogue fit`` reads it);
    ``line`` the input line it came from."""

    number: int
    speaker: str
    text: str
    label: str | None = None
    line: int | None = None


@dataclass
class Conversation:
    """A conversation: ``id``, ``turns`` in order, ``speakers`` (name -> ``{O, C, E, A, N}``
    for those whose personality the input gives). A conversation that could not be read has no
    turns and an ``error`` naming file:line; ``source``/``line`` say where it starts."""

    id: object
    turns: list[Turn] = field(default_factory=list)
    speakers: dict = field(default_factory=dict)
    error: str | None = None
    source: str = ""
    line: int | None = None

    @classmethod
    def of(cls, id, pairs, speakers: dict | None = None) -> "Conversation":
        """A conversation from ``(speaker, text)`` pairs (or ``(speaker, text, label)``)."""
        turns = []
        for k, pair in enumerate(pairs, 1):
            if isinstance(pair, (str, bytes)) or len(pair) not in (2, 3):
                raise UsageError(f"conversation {id!r}, turn {k}: expected (speaker, text) "
                                 f"or (speaker, text, label), got {pair!r}")
            speaker, text, *label = pair
            if not isinstance(text, str):
                raise UsageError(f"conversation {id!r}, turn {k}: the text is of type "
                                 f"{type(text).__name__}, not str")
            turns.append(Turn(k, str(speaker), text, label[0] if label else None))
        return cls(id, turns, dict(speakers or {}))

    def speaker_list(self) -> list[str]:
        """The speakers in order of their first turn."""
        return list(dict.fromkeys(t.speaker for t in self.turns))
