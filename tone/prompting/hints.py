"""Emotion hints for a language model: what tone found in a text, compact and explained.

HEF (Yang et al. 2024) lets a small model propose the primary emotions first and then the
finer candidates, and highlights the emotion-eliciting words, before a large model answers.
:func:`hints` gives the same from tone's annotation, without a model: a short block of text and
the same as a dict. Every part comes from the annotation and its trace, in a fixed order, so the
same text and lexicon always give the same hint:

- **primary** -- the non-zero primary scores, best first (at most ``MAX_PRIMARY``);
- **finer** -- the non-zero secondary and tertiary concepts under those primaries, best first,
  without repeating a primary's label (at most ``MAX_FINER``) -- the second stage;
- **words** -- the matched spans (each with the concept it gave, the rules that changed it and
  whether it was negated), and the event words the appraisal layer read (``appraisal_events``), in text
  order (at most ``MAX_WORDS``, each cut at ``MAX_WORD_CHARS``);
- **causes** -- the cause spans of the appraisal layer (at most ``MAX_CAUSES``, each cut at
  ``MAX_CAUSE_CHARS``);
- **response** (style ``empathetic`` only) -- how a supportive listener could answer: the best
  empathetic intents and support strategies of :func:`tone.dialogue.listener.suggest_intents`
  (at most ``MAX_INTENTS``), for an agent that answers the user's turn.

So the block is at most about 600 characters whatever the text. A text without emotion
evidence gives ``"No emotion evidence."``.

Each part is one entry of ``_SECTIONS`` (a ``_Section``: a builder from the annotation to the
dict's value, a sentence writer, the styles that show it).

>>> from tone.prompting import hints
>>> print(hints("My grandmother died last week and I feel so alone."))
Likely primary emotions: sadness (0.76). Finer: loneliness, neglect. Emotion-eliciting words: 'died', 'alone'. Cause: 'My grandmother died last week'.
>>> hint = hints("My grandmother died last week and I feel so alone.", as_dict=True)
>>> hint["primary"], [(w["text"], w["concept"], w["from"]) for w in hint["words"]]
([{'emotion': 'sadness', 'score': 0.7603}], [('died', 'grief', 'appraisal'), ('alone', 'loneliness', 'lexicon')])
>>> print(hints("I'm not happy at all, I'm furious!!!"))
Likely primary emotions: anger (0.85), sadness (0.75). Finer: fury, rage, envy. Emotion-eliciting words: 'happy' (negated), 'furious'.
>>> print(hints("My grandmother died last week.", style="empathetic"))  # doctest: +ELLIPSIS
Likely primary emotions: sadness (...). ... Suggested response: ...
>>> print(hints("The bus is late again.", style="primary"))
No emotion evidence.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UsageError

__all__ = [
    "HINT_STYLES",
    "MAX_CAUSES",
    "MAX_CAUSE_CHARS",
    "MAX_FINER",
    "MAX_INTENTS",
    "MAX_PRIMARY",
    "MAX_WORDS",
    "MAX_WORD_CHARS",
    "hint_dict",
    "hint_text",
    "hints",
]

#: ``two-stage``: primaries, then finer emotions (HEF); ``primary``: primaries only
HINT_STYLES = ("two-stage", "primary", "empathetic")
MAX_PRIMARY = 3
MAX_FINER = 4
MAX_WORDS = 5
MAX_WORD_CHARS = 40
MAX_CAUSES = 2
MAX_CAUSE_CHARS = 120
MAX_INTENTS = 2
NO_EVIDENCE = "No emotion evidence."


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _primary(ann, hint: dict, table) -> list[dict]:
    ranked = sorted(((score, label) for label, score in ann.primary.items() if score > 0),
                    key=lambda pair: (-pair[0], pair[1]))
    return [{"emotion": label, "score": score} for score, label in ranked[:MAX_PRIMARY]]


def _finer(ann, hint: dict, table) -> list[dict]:
    roots = {p["emotion"] for p in hint["primary"]}
    found: dict[str, tuple[float, int]] = {}
    for tier, scores in ((3, ann.tertiary), (2, ann.secondary)):
        for label, score in scores.items():
            if score <= 0 or label in roots or label in found:
                continue
            root = table.labels[table.ancestors(table.index(label, tier))[-1]]
            if root in roots:
                found[label] = (score, tier)
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [{"emotion": label, "score": score, "tier": tier}
            for label, (score, tier) in ranked[:MAX_FINER]]


def _words(ann, hint: dict, table) -> list[dict]:
    words = [{"text": _cut(span.text, MAX_WORD_CHARS), "start": span.start, "end": span.end,
              "concept": span.concept, "rules": list(span.rules), "negated": span.negated,
              "from": "lexicon"}
             for span in ann.spans]
    for event in ann.appraisal_events():
        emotions = event.get("emotions") or [{}]
        words.append({"text": _cut(event["text"], MAX_WORD_CHARS), "start": event["start"],
                      "end": event["end"], "concept": emotions[0].get("concept", ""),
                      "rules": [event["rule"]] if event.get("rule") else [],
                      "negated": bool(event.get("appraisal", {}).get("negated")),
                      "from": "appraisal"})
    seen, out = set(), []
    for word in sorted(words, key=lambda w: (w["start"], w["end"])):
        key = word["text"].lower()
        if key not in seen:
            seen.add(key)
            out.append(word)
    return out[:MAX_WORDS]


def _causes(ann, hint: dict, table) -> list[dict]:
    return [{"text": _cut(cause["text"], MAX_CAUSE_CHARS), "emotion": cause["emotion"],
             "cue": cause["cue"], "start": cause["start"], "end": cause["end"]}
            for cause in (ann.causes or [])[:MAX_CAUSES]]


def _response(ann, hint: dict, table) -> list[dict]:
    from ..dialogue.listener import suggest_intents  # (tone.dialogue reads files through tone.io)

    return [{"intent": s["intent"], "strategy": s["strategy"], "score": s["score"]}
            for s in suggest_intents(ann)[:MAX_INTENTS]]


def _quoted(items: list[dict]) -> str:
    return ", ".join("'" + item["text"] + "'" + (" (negated)" if item.get("negated") else "")
                     for item in items)


def _primary_line(value: list[dict]) -> str:
    return "Likely primary emotions: " + ", ".join(
        f"{p['emotion']} ({p['score']:.2f})" for p in value) + "."


def _finer_line(value: list[dict]) -> str:
    return "Finer: " + ", ".join(f["emotion"] for f in value) + "."


def _words_line(value: list[dict]) -> str:
    return f"Emotion-eliciting words: {_quoted(value)}."


def _causes_line(value: list[dict]) -> str:
    return ("Cause: " if len(value) == 1 else "Causes: ") + _quoted(value) + "."


def _response_line(value: list[dict]) -> str:
    return "Suggested response: " + ", ".join(f"{r['intent']} ({r['strategy']})"
                                              for r in value) + "."


@dataclass(frozen=True)
class _Section:
    """One part of a hint: ``build(annotation, hint so far, concept table)`` gives its value
    (a list; empty leaves the part out), ``line(value)`` its sentence, ``styles`` the styles
    that show it."""

    build: Callable[..., list]
    line: Callable[[list], str]
    styles: tuple[str, ...] = HINT_STYLES


_SECTIONS = {
    "primary": _Section(_primary, _primary_line),
    "finer": _Section(_finer, _finer_line, ("two-stage", "empathetic")),
    "words": _Section(_words, _words_line),
    "causes": _Section(_causes, _causes_line),
    "response": _Section(_response, _response_line, ("empathetic",)),
}


def hint_dict(annotation, style: str = "two-stage", table=None) -> dict:
    """The hint of an annotation (a :class:`tone.Annotation`) as a dict: one key per section
    of ``style`` (``primary``, ``finer``, ``words``, ``causes``) and ``text``, the block.
    ``table``: the annotator's concept table (``ontology.table()``; default: the built-in
    ontology's), for the tree the finer emotions hang in."""
    if style not in HINT_STYLES:
        raise UsageError(f"unknown hint style {style!r}; expected one of {', '.join(HINT_STYLES)}")
    if table is None:
        from ..defaults import default_ontology

        table = default_ontology().table()
    hint: dict = {}
    for key, section in _SECTIONS.items():
        if style in section.styles:
            hint[key] = section.build(annotation, hint, table)
    hint["text"] = hint_text(hint)
    return hint


def hint_text(hint: dict) -> str:
    """The one-paragraph block of a hint dict (its sections in order)."""
    lines = [_SECTIONS[key].line(value) for key, value in hint.items()
             if key in _SECTIONS and value]
    return " ".join(lines) or NO_EVIDENCE


def hints(text: str, style: str = "two-stage", as_dict: bool = False, annotator=None):
    """The emotion hint for ``text``: the block (a str), or with ``as_dict`` the dict of
    :func:`hint_dict`. ``annotator``: a :class:`tone.Annotator` (default: the shared one)."""
    if not isinstance(text, str):
        raise UsageError(f"hints() takes a text (str), not {type(text).__name__}")
    from ..defaults import default_annotator

    annotator = annotator or default_annotator()
    hint = hint_dict(annotator.annotate(text), style, annotator.ontology.table())
    return hint if as_dict else hint["text"]
