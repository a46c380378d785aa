"""Causes in dialogue: which turns caused each emotional turn's emotion, and the span in each.

RECCON (Poria et al. 2021) annotates, for each emotional turn of a conversation, the turns
that hold its cause — the turn itself (*I got sacked today*), the other speaker's turn it
answers (*Thanks!* after a compliment), or an earlier turn whose cause the conversation still
carries — and the span in each. :func:`dialogue_causes` finds them with named rules, each a
symbolic cue read from the turns and tone's annotation of them:

- **appraisal** — the turn reports an event tone appraises (:mod:`tone.appraisal` cause
  spans) or names a feeling (emotion words);
- **cue words** — reactions and formulaic replies (*thanks*, *really?*, *that sounds great*,
  *you're welcome*) answer something said before; a question asks rather than tells;
- **reference** — a turn opening with *that*/*it*, addressing *you*, repeating a content word
  of an earlier turn, answering its question;
- **recency and inheritance** — the turn just before, the causes already found for the last
  emotional turn (an emotion carried on keeps its cause), the emotion the turns share.

Each rule adds its weight (a log-odds, :data:`WEIGHTS`, measured on RECCON's DailyDialog train
file by ``bench/reccon_causes.py --fit``) to a candidate turn's score; a candidate with a
positive score is a cause (and an emotional turn always gets its best candidate). Every cause
says which rules chose it (``rule``, the strongest; ``rules``, all that spoke for it) and the
span rule that cut it (``span_rule``): in a cause turn of several sentences, sentence rules
(:data:`SENTENCE_WEIGHTS`: emotion words, an appraised event, the sentence the next turn
answers; not a question) keep the sentences that hold the cause (:func:`pair_span`), then
:func:`cause_span` trims reactions, a leading name, a discourse opener, the clause before a
contrast (*, but*) and a trailing tag question.

>>> import tone
>>> from tone.dialogue.causes import dialogue_causes
>>> texts = ["I got the job !", "Congratulations ! That is wonderful news ."]
>>> annotations = list(tone.Annotator().pipe(texts))
>>> causes = dialogue_causes(texts, ["A", "B"], annotations, emotional=["joy", "joy"])
>>> [(c["turn"], c["text"], c["rule"]) for c in causes[0]]
[(1, 'I got the job !', 'opens-conversation')]
>>> [(c["turn"], c["text"], c["rule"], c["cue"]) for c in causes[1]]
[(2, 'That is wonderful news .', 'says-much', 'content words'), (1, 'I got the job !', 'reaction', 'congratulations')]
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from ..errors import UsageError

__all__ = [
    "PIECE_CHARS",
    "POSITIONS",
    "PRIORS",
    "SENTENCE_WEIGHTS",
    "WEIGHTS",
    "TurnWords",
    "candidates",
    "causal_pair_f1",
    "cause_span",
    "dialogue_causes",
    "gold_cause_pairs",
    "pair_span",
    "read_reccon",
    "read_turns",
    "sentence_rules",
    "span_f1",
    "token_f1",
    "turn_words",
]

#: where a candidate turn stands relative to the emotional turn
POSITIONS = ("self", "previous", "earlier")
#: how far back a cause is looked for (turns): keeps a long conversation linear; RECCON's
#: DailyDialog train file has one cause of 7,027 further back than 24 turns
MAX_BACK = 24

# -- closed-class cues (general English; no corpus) ----------------------------------------
#: formulaic reactions and interjections: a turn opening with one answers what was said
_REACTIONS = frozenset(
    "thanks thank ok okay sure really great good fine wow oh ah yes yeah yep yup no nope cool "
    "nice congratulations congrats welcome pleasure absolutely certainly right alright "
    "wonderful excellent fantastic perfect awesome terrific gosh hey hi hello indeed well "
    "exactly definitely course agreed".split())
#: openers that point back at what was just said
_REFER = frozenset("that this it so".split())
_SECOND = frozenset("you your yours yourself yourselves".split())
#: function words: never a "content word" that two turns share
_FUNCTION = frozenset(
    "i me my mine myself we us our ours you your yours he him his she her hers it its they them "
    "their theirs this that these those a an the and or but if so as of to in on at by for "
    "with from about into over after before up down out off than then there here what which "
    "who whom whose when where why how not no yes is are was were be been being am do does did "
    "have has had will would shall should can could may might must 's 're 've 'll 'd 'm n't "
    "just very too also really all any some one get got go going know think like want see "
    "let well oh ok okay sure yeah thanks thank please".split())
_WORD = re.compile(r"\w")
#: formulaic replies (a turn opening with one answers what was said before it)
_FORMULA = re.compile(
    r"\s*(?:that ?'? ?s (?:great|good|nice|wonderful|fine|ok|okay|all right|right|true|"
    r"a good idea|too bad|terrible|awful)|sounds? (?:good|great|like|fun|nice|interesting)|"
    r"(?:it ?'? ?s )?my pleasure|you ?'? ?re welcome|no problem|of course|good idea|me too|"
    r"i see|i agree|not at all|don ?'? ?t mention it|help yourself|here you (?:are|go)|"
    r"all right|good luck|i ?'? ?d love to|with pleasure|i hope so|how (?:nice|wonderful|lovely)|"
    r"what a)\b", re.IGNORECASE)

#: rule weights (log-odds per position; ``prior`` is the intercept). Measured on RECCON's
#: DailyDialog *train* file with gold emotions (``python bench/reccon_causes.py --fit``, a
#: logistic regression over these same rules, rounded); the validation file was not used.
WEIGHTS: dict[str, dict[str, float]] = {
    "self": {"says-much": 1.65, "short": -0.92, "opens-conversation": 0.83, "formula": -0.79,
             "asks": -0.65, "reaction": -0.48, "first-emotion": 0.48, "answers": 0.42,
             "negative": 0.42, "expresses": 0.39, "appraised-event": 0.38,
             "after-emotional": -0.36, "surprise": -0.35, "emotion-words": 0.33, "own-turn": 0.27,
             "repeats-previous": -0.23},
    "previous": {"surprise": 1.56, "says-much": 1.18, "own-size": -1.18, "formula": 0.9,
                 "reaction": 0.64, "negative": -0.56, "refers-back": 0.45, "short": 0.43,
                 "answer-is-question": 0.37, "same-emotion": 0.36, "previous-turn": -0.34,
                 "addresses-you": 0.33, "expresses": 0.32, "asks": -0.28, "inherited": 0.23,
                 "origin": 0.23, "first-emotion": 0.12, "emotion-words": 0.07,
                 "appraised-event": 0.05, "repeats": -0.01},
    "earlier": {"distance": -2.01, "earlier-turn": -1.52, "same-emotion": 1.39, "negative": 0.82,
                "first-emotional": 0.44, "asks": -0.3, "emotional": -0.3, "cause-before": 0.29,
                "first-emotion": -0.25, "unbroken": 0.22, "says-much": 0.21,
                "opens-conversation": 0.2, "inherited": 0.2, "repeats": 0.14, "origin": 0.12},
}

_NEGATIVE = frozenset(("anger", "sadness", "fear"))


@dataclass
class _Turn:
    """What the rules read from one turn."""

    text: str
    speaker: str
    n_words: int         # how many word tokens
    content: frozenset   # content words (lowercased, not function words)
    question: bool
    reaction: str        # the opening reaction word, or ""
    formula: str         # the opening formulaic reply, or ""
    refers: str          # the opening reference word, or ""
    addressed: bool      # speaks to "you"
    appraised: bool      # tone's appraisal found an event cause
    worded: bool         # tone found emotion words
    emotional: bool
    emotion: str         # the primary of the turn's emotion, "" when unknown
    found: tuple         # the primaries tone found in it (annotation.top)
    worded_at: tuple = ()    # (start, end) of each emotion word tone found
    appraised_at: tuple = ()  # (start, end) of each event cause tone's appraisal found


@lru_cache(maxsize=256)
def _primary_of(label: str) -> str:
    """The primary emotion of a label (a concept of the ontology, else a lexicon word)."""
    from ..defaults import default_annotator
    from ..errors import ConceptNotFound

    annotator = default_annotator()
    table = annotator.table
    try:
        i = table.index(label)
    except ConceptNotFound:
        top = next(iter(annotator.pipe([label]))).top
        if not top:
            raise UsageError(f"emotion label {label!r} is neither a concept of the ontology nor "
                             "a lexicon word; give a tone emotion (e.g. 'joy') or True") from None
        return top[0]
    chain = table.ancestors(i)
    return table.labels[chain[-1]] if chain else table.labels[i]


@dataclass
class TurnWords:
    """What the rules read from a turn's word tokens (lowercased, those starting with a letter
    or digit), gathered in one pass."""

    count: int = 0
    first: str = ""
    addressed: bool = False   # a second-person word
    content: set = field(default_factory=set)

    def add(self, words) -> None:
        for w in words:
            if not self.count:
                self.first = w
            self.count += 1
            if w in _SECOND:
                self.addressed = True
            if len(w) > 2 and w not in _FUNCTION:
                self.content.add(w)


#: :func:`turn_words` tokenizes the turns in pieces of about this many characters, cut at
#: whitespace (which no token crosses), a batch of pieces at a time: a turn of megabytes then
#: costs no more memory than a batch of short ones
PIECE_CHARS = 1 << 16
_SPACE = re.compile(r"\s")


def _pieces(texts):
    """``(d, start, end)``: text ``d`` cut at whitespace into pieces of about
    :data:`PIECE_CHARS` characters (a text without whitespace stays whole)."""
    for d, text in enumerate(texts):
        start = 0
        while len(text) - start > PIECE_CHARS:
            m = _SPACE.search(text, start + PIECE_CHARS)
            if m is None:
                break
            yield d, start, m.start()
            start = m.start()
        yield d, start, len(text)


def turn_words(texts) -> list[TurnWords]:
    """Each text's word tokens (tone's tokenizer), read in bounded memory.

    >>> w = turn_words(["Oh , you don't say !", ""])
    >>> w[0].count, w[0].first, w[0].addressed, sorted(w[0].content), w[1].count
    (5, 'oh', True, ['say'], 0)
    """
    from ..text import separators_as_spaces, tokenize

    out = [TurnWords() for _ in texts]
    batch: list[tuple[int, str]] = []
    size = 0

    def flush():
        tokens = tokenize(separators_as_spaces([piece for _, piece in batch]))
        for k, (d, _) in enumerate(batch):
            out[d].add(w.lower() for w in tokens.doc_tokens(k) if _WORD.match(w))
        batch.clear()

    for d, start, end in _pieces(texts):
        batch.append((d, texts[d][start:end]))
        size += end - start
        if size >= PIECE_CHARS:
            flush()
            size = 0
    if batch:
        flush()
    return out


def read_turns(texts, speakers, annotations, emotional=None) -> list[_Turn]:
    """What the rules read from each turn (arguments as for :func:`dialogue_causes`)."""
    if not len(texts):
        return []
    out = []
    for d, (text, speaker, ann, words) in enumerate(zip(texts, speakers, annotations,
                                                        turn_words(list(texts)))):
        if isinstance(ann, dict):  # a record (Annotation.to_dict()) instead of the annotation
            top, causes, spans = ann.get("top", []), ann.get("causes"), ann.get("spans")
            worded_at = tuple((sp["start"], sp["end"]) for sp in spans or ())
        else:
            top, causes, spans = ann.top, ann.causes, ann.spans
            worded_at = tuple((sp.start, sp.end) for sp in spans or ())
        flag = emotional[d] if emotional is not None else bool(top)
        if isinstance(flag, str):
            label = flag.strip().lower()
            if label in ("", "neutral", "none", "no emotion"):
                is_emotional, emotion = False, ""
            else:
                is_emotional, emotion = True, _primary_of(label)
        else:
            is_emotional = bool(flag)
            emotion = top[0] if is_emotional and top else ""
        first = words.first
        out.append(_Turn(
            text=text, speaker=str(speaker), n_words=words.count,
            content=frozenset(words.content),
            question="?" in text,
            reaction=first if first in _REACTIONS else "",
            formula=m.group(0).strip().lower() if (m := _FORMULA.match(text)) else "",
            refers=first if first in _REFER else "",
            addressed=words.addressed,
            appraised=bool(causes), worded=bool(spans),
            emotional=is_emotional, emotion=emotion, found=tuple(top), worded_at=worded_at,
            appraised_at=tuple((x["start"], x["end"]) for x in causes or ())))
    return out


def _size(turn: _Turn) -> float:
    """How much a turn says: its content words, saturating at eight."""
    return min(len(turn.content), 8) / 8


@dataclass
class _Context:
    """What the rules know of the conversation before emotional turn ``n``."""

    chosen: dict         # earlier emotional turn -> the causes found for it
    last: int | None     # the last emotional turn before n
    inherited: set       # its causes
    before: set          # the causes of the emotional turns before that one
    first_emotional: int  # the conversation's first emotional turn, -1 if n is
    calm: int            # the last turn before n within reach that is not emotional, else -1


def _context(turns: list[_Turn], n: int, chosen: dict) -> _Context:
    """The context of emotional turn ``n`` in O(:data:`MAX_BACK`), so that a long conversation
    stays linear: ``chosen`` is in turn order (as :func:`dialogue_causes` fills it), and of the
    earlier turns' causes only those the candidates can reach (the last ``MAX_BACK`` turns)
    matter."""
    reach = max(n - MAX_BACK, 0)
    last = next(reversed(chosen), None)
    before: set = set()
    for k in range(reach, n):
        if k != last and k in chosen:
            before |= chosen[k]
    calm = next((k for k in range(n - 1, reach - 1, -1) if not turns[k].emotional), -1)
    return _Context(chosen, last, chosen[last] if chosen else set(), before,
                    next(iter(chosen), -1), calm)


def _rules(turns: list[_Turn], n: int, c: int, ctx: _Context) -> dict:
    """The rules that speak about candidate turn ``c`` for emotional turn ``n`` (0-based):
    name -> (value, cue)."""
    t, ct = turns[n], turns[c]
    position = _position(n, c)
    fired: dict[str, tuple[float, str]] = {PRIORS[position]: (1.0, "")}

    def rule(name, value, cue=""):
        if value:
            fired[name] = (1.0 if isinstance(value, str) else float(value), cue)

    opens, last = not ctx.chosen, ctx.last
    surprise = t.emotion == "surprise"
    negative = t.emotion in _NEGATIVE
    if c == n:
        rule("opens-conversation", n == 0)
        rule("first-emotion", opens)
        rule("says-much", _size(t), "content words")
        rule("reaction", t.reaction, t.reaction)
        rule("formula", t.formula, t.formula)
        rule("short", t.n_words <= 4, "short turn")
        rule("asks", t.question, "?")
        rule("answers", n > 0 and turns[n - 1].question, "question before")
        rule("appraised-event", t.appraised, "appraisal")
        rule("emotion-words", t.worded, "emotion words")
        rule("expresses", t.emotion in t.found, t.emotion)
        rule("surprise", surprise, "surprise")
        rule("negative", negative, t.emotion)
        rule("after-emotional", n > 0 and turns[n - 1].emotional, "emotional turn before")
        shared = t.content & turns[n - 1].content if n > 0 else frozenset()
        rule("repeats-previous", bool(shared), min(shared, default=""))
        return fired
    shared = t.content & ct.content
    origin = c in ctx.chosen and c in ctx.chosen[c]
    rule("first-emotion", opens)
    rule("inherited", c in ctx.inherited, f"a cause of turn {last + 1}" if last is not None else "")
    rule("cause-before", c in ctx.before, "a cause of an earlier turn")
    rule("origin", origin, "caused its own emotion")
    rule("same-emotion", ct.emotional and ct.emotion == t.emotion, ct.emotion)
    rule("says-much", _size(ct), "content words")
    rule("asks", ct.question, "?")
    rule("negative", negative, t.emotion)
    rule("repeats", bool(shared), min(shared, default=""))
    if c == n - 1:
        rule("reaction", t.reaction, t.reaction)
        rule("formula", t.formula, t.formula)
        rule("short", t.n_words <= 4, "short turn")
        rule("answer-is-question", t.question, "?")
        rule("refers-back", t.refers, t.refers)
        rule("addresses-you", t.addressed and ct.speaker != t.speaker, "you")
        rule("appraised-event", ct.appraised, "appraisal")
        rule("emotion-words", ct.worded, "emotion words")
        rule("expresses", t.emotion in ct.found, t.emotion)
        rule("surprise", surprise, "surprise")
        rule("own-size", _size(t), "content words")
        return fired
    rule("emotional", ct.emotional, "emotional turn")
    rule("distance", min(n - c, 8) / 8, f"{n - c} turns back")
    rule("opens-conversation", c == 0)
    rule("first-emotional", c == ctx.first_emotional, "the conversation's first emotion")
    rule("unbroken", c > ctx.calm, "emotional turns since")
    return fired


def _position(n: int, c: int) -> str:
    return "self" if c == n else "previous" if c == n - 1 else "earlier"


#: the intercept of each position: the rule that speaks for a candidate by where it stands
PRIORS = {"self": "own-turn", "previous": "previous-turn", "earlier": "earlier-turn"}


def candidates(turns: list, n: int, chosen: dict):
    """Each candidate turn ``c <= n`` (0-based, nearest first) for emotional turn ``n``:
    ``(c, position, fired)`` with ``fired`` the rules that speak about it (name -> (value,
    cue)). ``chosen``: the causes (0-based) found for each earlier emotional turn, in turn
    order; ``turns`` from :func:`read_turns`."""
    ctx = _context(turns, n, chosen)
    for c in range(n, max(n - MAX_BACK, 0) - 1, -1):
        yield c, _position(n, c), _rules(turns, n, c, ctx)


def _score(position: str, fired: dict, weights=None) -> tuple[float, list]:
    table = (weights or WEIGHTS)[position]
    parts = [(table.get(name, 0.0) * value, name, cue) for name, (value, cue) in fired.items()]
    return sum(p for p, _, _ in parts), sorted(parts, key=lambda p: -p[0])


def dialogue_causes(texts: Sequence[str], speakers: Sequence[str], annotations: Sequence,
                    emotional: Sequence | None = None, weights: dict | None = None
                    ) -> list[list[dict]]:
    """The causes of each turn's emotion.

    Parameters
    ----------
    texts, speakers : sequences of str
        One conversation, turn by turn.
    annotations : sequence of :class:`tone.Annotation` (or their ``to_dict()`` records)
        tone's annotation of each turn (``tone.Annotator().pipe(texts)``).
    emotional : sequence, optional
        Which turns are emotional: booleans, or emotion labels (``"happiness"``, ``"joy"``;
        ``"neutral"``/``""``/``None`` for none), as gold data such as RECCON gives them. By
        default a turn is emotional when tone found an emotion in it (``annotation.top``).
    weights : dict, optional
        Rule weights in the shape of :data:`WEIGHTS` (default: the measured ones).

    Returns
    -------
    list of list of dict
        For each turn (0-based), ``[]`` if it is not emotional, else its causes, nearest turn
        first: ``{"turn"`` (1-based), ``"start"``, ``"end"``, ``"text"`` (offsets into that
        turn's text), ``"rule"`` (the rule that weighed most for it), ``"cue"`` (that rule's
        cue), ``"rules"`` (every rule that spoke for it), ``"score"`` (its log-odds),
        ``"span_rule"`` (how the span was cut, :func:`cause_span`)``}``.
    """
    n_turns = len(texts)
    for name, seq in (("speakers", speakers), ("annotations", annotations),
                      ("emotional", emotional)):
        if seq is not None and len(seq) != n_turns:
            raise UsageError(f"dialogue_causes: {len(seq)} {name} for {n_turns} texts; give "
                             "one per turn")
    turns = read_turns(texts, speakers, annotations, emotional)
    chosen: dict[int, set] = {}
    out: list[list[dict]] = []
    for n, turn in enumerate(turns):
        if not turn.emotional:
            out.append([])
            continue
        scored = [(*_score(pos, fired, weights), c)
                  for c, pos, fired in candidates(turns, n, chosen)]
        picked = [s for s in scored if s[0] > 0] or [max(scored, key=lambda s: s[0])]
        chosen[n] = {c for _, _, c in picked}
        causes = []
        for score, parts, c in picked:
            start, end, span_rule = pair_span(turns, n, c)
            top = next((p for p in parts if p[0] > 0 and p[1] not in PRIORS.values()),
                       next((p for p in parts if p[0] > 0), parts[0]))
            causes.append({"turn": c + 1, "start": start, "end": end,
                           "text": turns[c].text[start:end], "rule": top[1], "cue": top[2],
                           "rules": [name for p, name, _ in parts if p > 0],
                           "score": round(score, 4), "span_rule": span_rule})
        out.append(causes)
    return out


# -- the span inside a cause turn --------------------------------------------------------------
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+|$)")
_LEAD = re.compile(r"\s*(?:\(\s*[^)]*\)\s*)?((?:[A-Za-z']+\s*){1,2})([,.!]+)\s*")
_TAG = re.compile(r",\s*(?:is|are|was|were|do|does|did|have|has|had|can|could|will|would|"
                  r"should|won't|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|haven't|"
                  r"hasn't|can't|couldn't|wouldn't|shouldn't)(?:n't)?\s+\w+\s*\?\s*$",
                  re.IGNORECASE)
#: discourse openers of more than a reaction word (*of course ,*, *by the way ,*, *look !*)
#: and a leading coordinating conjunction (*And*, *But ,*): they frame the cause, not state it
_OPENER = re.compile(
    r"(?:(?:of course|by the way|tell you what|come on|you know|you see|to be honest|in fact|"
    r"i mean|actually|anyway|look|listen|excuse me|sorry|please|say|now)\s*[,!.]+|"
    r"(?:and|but|so|or|then)(?=[\s,])\s*,?)\s*", re.IGNORECASE)
#: a contrast inside a sentence: the clause after *, but* carries the point
_CONTRAST = re.compile(r"\s*,\s*but\s+", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_name(words: str) -> bool:
    """One capitalized word (a vocative: *Anne !*, *Dora ,*)."""
    parts = words.split()
    return len(parts) == 1 and parts[0][:1].isupper() and parts[0][1:].islower() \
        and parts[0].lower() not in _FUNCTION


def _says_something(piece: str) -> bool:
    """Whether a piece of text holds a word other than a reaction's (what a cut must leave)."""
    return bool(_WORD.search(piece)) and not _is_reaction(piece)


def _is_reaction(sentence: str) -> bool:
    words = re.findall(r"[a-z']+", sentence.lower())
    return bool(words) and all(w in _REACTIONS or w in _FUNCTION for w in words)


#: sentence rule weights (log-odds that a sentence of a cause turn lies in the cause span, for
#: cause turns of several sentences; ``sentence`` is the intercept). Measured on RECCON's
#: DailyDialog *train* file (``python bench/reccon_causes.py --fit``, a logistic regression
#: over these rules, label: half the sentence's tokens or more in the gold span); the
#: validation file was not used.
SENTENCE_WEIGHTS: dict[str, float] = {
    "sentence": 1.21, "many-sentences": -1.04, "asks": -0.98, "first-sentence": -0.62,
    "answered": 0.41, "emotion-words": 0.4, "opens-own-turn": 0.34, "appraised-event": 0.34,
    "short": -0.28, "last-sentence": 0.26, "reacts": 0.22, "own-turn": -0.17, "exclaims": -0.16,
    "addresses-you": -0.15, "says-much": 0.13, "repeats": 0.09, "first-person": -0.07,
    "previous-turn": 0.03}


class _Overlaps:
    """Whether any of a turn's ``(start, end)`` spans overlaps a range, in O(log spans) per
    range (a turn of a million emotion words and many sentences stays linear).

    >>> spans = _Overlaps([(10, 14), (2, 4)])
    >>> spans.any(0, 3), spans.any(4, 10), spans.any(12, 20)
    (True, False, True)
    """

    def __init__(self, spans) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(accumulate((e for _, e in ordered), max))  # furthest end so far

    def any(self, start: int, end: int) -> bool:
        """Whether a span starts before ``end`` and ends after ``start``."""
        k = bisect_left(self.starts, end)  # the spans starting before end: [0, k)
        return k > 0 and self.reach[k - 1] > start


def sentence_rules(turns: list, n: int, c: int) -> list[tuple[int, int, dict]]:
    """The sentences of cause turn ``c`` of emotional turn ``n`` (0-based; ``turns`` from
    :func:`read_turns`): ``(start, end, fired)`` each, ``fired`` the sentence rules that speak
    about it (name -> value)."""
    t, it = turns[c], turns[n]
    sents = _sentences(t.text)
    worded, appraised = _Overlaps(t.worded_at), _Overlaps(t.appraised_at)
    out = []
    for k, (start, end) in enumerate(sents):
        text = t.text[start:end]
        words = re.findall(r"[a-z']+", text.lower())
        content = {w for w in words if len(w) > 2 and w not in _FUNCTION}
        fired = {"sentence": 1.0,
                 "first-sentence": k == 0, "last-sentence": k == len(sents) - 1,
                 "many-sentences": min(len(sents), 5) / 5,
                 "asks": "?" in text, "exclaims": "!" in text,
                 "reacts": _is_reaction(text), "short": len(words) <= 3,
                 "says-much": min(len(content), 8) / 8,
                 "emotion-words": worded.any(start, end),
                 "appraised-event": appraised.any(start, end),
                 "repeats": c != n and bool(content & it.content),
                 "addresses-you": any(w in _SECOND for w in words),
                 "first-person": any(w in ("i", "i'm", "my", "me") for w in words),
                 "own-turn": c == n, "previous-turn": c == n - 1,
                 "opens-own-turn": c == n and k == 0,
                 "answered": c == n - 1 and k == len(sents) - 1}
        out.append((start, end, {name: float(v) for name, v in fired.items() if v}))
    return out


def pair_span(turns: list, n: int, c: int, weights: dict | None = None
              ) -> tuple[int, int, str]:
    """The cause span in cause turn ``c`` of emotional turn ``n`` (0-based; ``turns`` from
    :func:`read_turns`): ``(start, end, rule)``.

    A turn of several sentences keeps those the sentence rules (:data:`SENTENCE_WEIGHTS`)
    score positive, from the first to the last kept (the best one when none is); then
    :func:`cause_span` cuts reactions, a leading name or reaction, a discourse opener, the clause
    before a contrast, a trailing tag question.
    ``rule`` is ``"sentences"`` when sentences were dropped, joined with cause_span's rule.
    """
    text = turns[c].text
    sents = sentence_rules(turns, n, c)
    lo, hi, rules = 0, len(text), []
    if len(sents) > 1:
        table = weights or SENTENCE_WEIGHTS
        scores = [sum(table.get(name, 0.0) * v for name, v in fired.items())
                  for _, _, fired in sents]
        kept = [k for k, x in enumerate(scores) if x > 0] or [scores.index(max(scores))]
        if len(kept) < len(sents) and (kept[0] > 0 or kept[-1] < len(sents) - 1):
            lo, hi = sents[kept[0]][0], sents[kept[-1]][1]
            rules.append("sentences")
    start, end, rule = cause_span(text[lo:hi])
    if rule != "turn" or not rules:
        rules.append(rule)
    return lo + start, lo + end, "+".join(rules)


def cause_span(text: str) -> tuple[int, int, str]:
    """The cause span inside a cause turn: ``(start, end, rule)``.

    The turn's sentences, less those that only react (*Thank you .*, *Oh , really ?*) when
    another remains; then a leading reaction or name (*Yes ,*, *Well ,*, *Anne !*) when content
    follows (``lead``), a discourse opener or coordinating conjunction after it (*Of course !*,
    *By the way ,*, *And*, *But ,*: ``opener``), everything up to the last *, but* (the clause
    after a contrast carries the point: ``contrast``) and a trailing tag question (*, isn't
    it ?*: ``tag``) are cut off; ``rule`` names the cuts (``"turn"`` when none was made).
    Questions stay: RECCON's annotators mark a question as a cause as often as not (dropping
    them lost 0.08 token-F1 on its train file).

    >>> text = "Thank you . Yes , it is very nice , isn't it ?"
    >>> s, e, rule = cause_span(text)
    >>> text[s:e], rule
    ('it is very nice', 'content+lead+tag')
    >>> cause_span("Thank you for your letter .")
    (0, 27, 'turn')
    >>> text = "Well , of course , it's expensive , but they serve large portions ."
    >>> s, e, rule = cause_span(text)
    >>> text[s:e], rule
    ('they serve large portions .', 'lead+opener+contrast')
    """
    sents = _sentences(text)
    if not sents:  # a blank turn
        return 0, 0, "turn"
    rules = []
    kept = [s for s in sents if not _is_reaction(text[s[0]:s[1]])]
    if kept and len(kept) < len(sents):
        rules.append("content")
    else:
        kept = sents
    start, end = kept[0][0], kept[-1][1]
    lead = _LEAD.match(text, start)
    if lead and (_is_reaction(lead.group(1)) or _is_name(lead.group(1))) and lead.end() < end \
            and not _is_reaction(text[lead.end():end]):
        start = lead.end()
        rules.append("lead")
    opener = _OPENER.match(text, start)
    if opener and _says_something(text[opener.end():end]):
        start = opener.end()
        rules.append("opener")
    contrast = None
    for contrast in _CONTRAST.finditer(text, start, end):
        pass
    if contrast is not None and _says_something(text[contrast.end():end]):
        start = contrast.end()
        rules.append("contrast")

    tag = _TAG.search(text[start:end])
    if tag and tag.start() > 0:
        end = start + tag.start()
        while end > start and text[end - 1].isspace():
            end -= 1
        rules.append("tag")
    return start, end, "+".join(rules) or "turn"


# -- RECCON: reading and scoring ---------------------------------------------------------------
def read_reccon(path) -> list[dict]:
    """The conversations of a RECCON file (``dailydialog_{train,valid}.json``: dialogue id ->
    ``[[turn, ...]]``, each turn with ``turn``, ``speaker``, ``utterance``, ``emotion`` and, when
    emotional, ``expanded emotion cause evidence`` (turn numbers, ``"b"`` for a cause outside
    the conversation) and ``expanded emotion cause span``).

    Each conversation: ``{"id", "texts", "speakers", "emotions", "causes"}`` where
    ``causes[i]`` maps each 0-based cause turn of turn ``i`` (at or before it) to its gold
    span texts. A malformed file is a :class:`~tone.errors.DataFileError` naming the file and
    the dialogue."""
    import json

    from ..errors import DataFileError

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror}); give a RECCON json file") \
            from None
    except json.JSONDecodeError as exc:
        raise DataFileError(f"not JSON: {exc.msg}; expected a RECCON file", str(path),
                            exc.lineno, exc.colno) from None
    if not isinstance(data, dict):
        raise DataFileError("expected a JSON object of dialogue id -> turns (RECCON)", str(path))
    out = []
    for did, value in data.items():
        turns = value[0] if isinstance(value, list) and value and isinstance(value[0], list) \
            else value
        if not isinstance(turns, list) or not turns:
            raise DataFileError(f"dialogue {did!r}: expected a list of turns", str(path))
        conv = {"id": did, "texts": [], "speakers": [], "emotions": [], "causes": []}
        for i, turn in enumerate(turns):
            try:
                text, speaker = str(turn["utterance"]), str(turn["speaker"])
                emotion = str(turn["emotion"])
                evidence = turn.get("expanded emotion cause evidence", [])
                spans = turn.get("expanded emotion cause span", [])
            except (KeyError, TypeError, AttributeError) as exc:
                raise DataFileError(f"dialogue {did!r} turn {i + 1}: missing {exc}; each turn "
                                    "needs utterance, speaker and emotion", str(path)) from None
            causes: dict[int, list] = {}
            for e, s in zip(evidence, spans):
                if isinstance(e, int) and 1 <= e <= i + 1:
                    causes.setdefault(e - 1, []).append(str(s))
            conv["texts"].append(text)
            conv["speakers"].append(speaker)
            conv["emotions"].append(emotion)
            conv["causes"].append(causes)
        out.append(conv)
    return out


def causal_pair_f1(conversations: list[dict], predicted: list[list[list[dict]]]) -> dict:
    """Causal-turn identification: positive-class precision, recall and F1 over the pairs
    (emotional turn, candidate turn at or before it) — RECCON's emotional turns are those
    whose gold emotion is not ``neutral``.

    >>> conv = {"emotions": ["neutral", "joy"], "causes": [{}, {0: ["x"]}]}
    >>> causal_pair_f1([conv], [[[], [{"turn": 1}, {"turn": 2}]]])
    {'precision': 0.5, 'recall': 1.0, 'f1': 0.6667, 'pairs': 1}
    """
    tp = fp = fn = 0
    for conv, pred in zip(conversations, predicted):
        for i, emotion in enumerate(conv["emotions"]):
            if emotion == "neutral":
                continue
            gold = set(conv["causes"][i])
            guess = {c["turn"] - 1 for c in pred[i]} & set(range(i + 1))
            tp += len(gold & guess)
            fp += len(guess - gold)
            fn += len(gold - guess)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "pairs": tp + fn}


_TOKEN = re.compile(r"\w+|[^\w\s]")


def token_f1(guess: str, gold: str) -> float:
    """Token-overlap F1 of two spans (lowercased words and punctuation marks).

    >>> token_f1("it is very nice .", "Yes , it is very nice .")
    0.8333
    """
    from collections import Counter

    a, b = Counter(_TOKEN.findall(guess.lower())), Counter(_TOKEN.findall(gold.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return round(2 * p * r / (p + r), 4)


def gold_cause_pairs(conversations: list[dict]):
    """``(conversation, emotional turn, cause turn, gold spans)`` (turns 0-based) for every
    gold causal pair of RECCON-style ``conversations`` (emotional = not ``neutral``)."""
    for conv in conversations:
        for i, causes in enumerate(conv["causes"]):
            if conv["emotions"][i] != "neutral":
                for c, golds in causes.items():
                    yield conv, i, c, golds


def span_f1(conversations: list[dict], span_of) -> dict:
    """Cause-span token-F1 over the true causal pairs: for each gold pair (emotional turn,
    cause turn), ``span_of(conv, turn, cause)`` (0-based) gives the predicted span text, scored
    against the closest gold span of that cause turn; the mean over pairs."""
    scores = [max(token_f1(span_of(conv, i, c), g) for g in golds)
              for conv, i, c, golds in gold_cause_pairs(conversations)]
    return {"f1": round(sum(scores) / len(scores), 4) if scores else 0.0, "pairs": len(scores)}
