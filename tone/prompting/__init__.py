"""Emotion tools for applications built on language models: emotional stimuli and emotion hints.

- :func:`stimuli` / :func:`stimulus` / :func:`augment` -- the 21 emotional stimuli of
  EmotionPrompt (Li et al. 2023) and NegativePrompt (Wang et al. 2024), with their theories,
  read from the ontology (``ontology/stimuli.ttl``; SPARQL finds them too).
- :func:`hints` -- a compact, deterministic emotion hint for a text, to give a model before it
  answers (primary emotions first, then the finer ones, the words that carry them and the
  cause), built from tone's annotation and its trace.

>>> from tone.prompting import augment
>>> augment("Are these two sentences paraphrases?", "EP04")
'Are these two sentences paraphrases? Are you sure?'
"""
from __future__ import annotations

from .hints import HINT_STYLES, hints
from .stimuli import POLARITIES, Stimulus, augment, stimuli, stimulus

__all__ = ["HINT_STYLES", "POLARITIES", "Stimulus", "augment", "hints", "stimuli", "stimulus"]
