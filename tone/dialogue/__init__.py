"""Conversations: who feels what, and what comes next.

* :func:`annotate` — one record per turn: the annotation record plus ``dialogue``, ``turn``
  (from 1), ``speaker`` and ``context``, a turn's scores combined with the same speaker's
  previous turn (inertia; the other speakers' turns before it, contagion, with
  ``contagion=1``) through transition tables weighted by EmotionIC's decay gates, on the
  categories the turn's own evidence supports (:mod:`tone.dialogue.context`);
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
...                                        ("Rachel", "That makes me happy too."),
...                                        ("Ross", "Happy, happy, happy.")]]))
>>> turns[2].turn, turns[2].speaker, turns[2].context["moved_by"]
(3, 'Ross', 1)
"""
from __future__ import annotations

from .conversation import Conversation, Turn
from .personality import FRIENDS, next_emotion, personality_pad
from .readers import read_conversations
from .records import TurnAnnotation, annotate

__all__ = ["annotate", "read_conversations", "next_emotion", "personality_pad",
           "Conversation", "Turn", "TurnAnnotation", "FRIENDS"]
