"""Conversations: who feels what, and what comes next.

* :func:`annotate` — one record per turn: the annotation record plus ``dialogue``, ``turn``
  (from 1), ``speaker`` and ``context``, a turn's scores combined with the same speaker's
  previous turn (inertia) and the other speakers' turns before it (contagion) through
  transition tables weighted by EmotionIC's decay gates (:mod:`tone.dialogue.context`);
* :func:`read_conversations` — JSONL, CSV/TSV (MELD/EmoryNLP layout) and DailyDialog
  ``__eou__`` lines (:mod:`tone.dialogue.readers`);
* :mod:`tone.dialogue.tables` — the self- and other-transition tables, knowledge in the
  ontology, and :func:`~tone.dialogue.tables.fit` to estimate them from a labelled corpus;
* :func:`next_emotion` — a speaker's next emotion from the conversation so far and the
  speaker's personality (OCEAN -> PAD, Mehrabian 1996; Wen et al. 2021)
  (:mod:`tone.dialogue.personality`).

The faces are ``tone dialogue FILE``, ``tone dialogue fit`` and ``tone dialogue explain``.

>>> import tone.dialogue
>>> turns = list(tone.dialogue.annotate([[("Ross", "I am so happy today!"),
...                                        ("Rachel", "That makes me happy too.")]]))
>>> turns[1].turn, turns[1].speaker, turns[1].context["moved_by"]
(2, 'Rachel', 1)
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["annotate", "read_conversations", "next_emotion", "personality_pad",
           "Conversation", "Turn", "TurnAnnotation", "FRIENDS"]

_LAZY = {
    "annotate": ("tone.dialogue.records", "annotate"),
    "TurnAnnotation": ("tone.dialogue.records", "TurnAnnotation"),
    "read_conversations": ("tone.dialogue.readers", "read_conversations"),
    "Conversation": ("tone.dialogue.conversation", "Conversation"),
    "Turn": ("tone.dialogue.conversation", "Turn"),
    "next_emotion": ("tone.dialogue.personality", "next_emotion"),
    "personality_pad": ("tone.dialogue.personality", "personality_pad"),
    "FRIENDS": ("tone.dialogue.personality", "FRIENDS"),
}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tone.dialogue' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
