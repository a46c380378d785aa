"""Appraisal: emotions from what happens, with their causes (a layer over the core).

Most emotional text says what happened, not how someone felt. Appraisal theory (Ortony, Clore
& Collins 1988; Smith & Ellsworth 1985; Scherer 2001) explains an emotion by how the event is
evaluated: pleasant or not, for whom, caused by whom, happened or still to come, fair or not.
This layer

1. finds **event terms** (``lexicons/en/events.tsv``, built by :mod:`tone.appraisal.build`;
   each with an appraisal profile) with the core's trie kernel, one call per batch; a feeling
   word is no event, except one under sadness that names another's blameworthy act
   (*insulted*, *ignored*: :data:`ACT_PRIMARIES`) where the grammar names who did it, and one
   inside a longer event phrase (*home alone*);
2. reads the **appraisal** of each event from closed-class cues around it, with numpy over the
   whole batch (prefix sums over token flags; no Python per token): first person vs others
   before it in its clause (agency and whose event it is), passives (*I was fired*: the subject
   suffers, someone else acts), *by X*, future and modal cues (*will*, *might*, *tomorrow*:
   prospective), a negator just before it (*didn't pass*: desirability flips), a possessive
   *'s* (*my friend's father died*: another's loss); an event not said to happen — asked about,
   wished, conditional (*if*, *whether*), an imperative's verb (*marry her!*) or in quotation
   marks (*words like "racist"*) — gives none;
   the cues hold in both apostrophe spellings (*I'll*, *I’ll*);
3. applies **OCC's conditions** (:mod:`tone.appraisal.occ`, also in the ontology as
   ``tone:AppraisalRule``\\s) to get emotion evidence, weaker than emotion words
   (``APPRAISAL_WEIGHT``) and weaker still where the document already names a feeling
   (``PRECEDENCE``: the words a writer chose for the feeling win);
   news of a state of affairs, disclosed or discovered (*report reveals*, *study finds*:
   events tagged ``novel``), is surprise by its novelty (rule ``novelty``);
   beside the cascade's rule, an actual event the sentence calls unexpected (*suddenly*,
   *record*, *for the first time*: class ``unexpected`` of ``modifiers.tsv``) also gives
   surprise (Scherer's novelty check; ``occ.SURPRISE_RULES``);
4. where a document has neither a feeling word nor an event term, its **valence words**
   (``lexicons/en/valence.tsv``) stand in as events of unknown kind (``VALENCE_EVENT_WEIGHT``)
   when they are the cause of a feeling: in a clause opened by a causal link (*when*,
   *because*, *after*) whose subject is named (*when my boss yelled*, *because I was late*);
   where it has none of these, an exclaimed negation (*No, we're not!*, *Don't touch it!*)
   stands in as the speaker's protest at another's act: OCC's anger (``PROTEST_WEIGHT``);
5. marks **cause spans**: the clause of each appraised event, and for an emotion word the
   clause a causal link (*because*, *since*, *after*, *when*, *that*, *about*, *so*) attaches.

:meth:`Appraiser.run` returns an :class:`AppraisalBatch`; the annotator adds its evidence to
the scores and the record gets ``appraisal`` (dimension → value and score) and ``causes``.

>>> import tone
>>> r = tone.annotate("my grandmother died last week")
>>> r.top
['sadness']
>>> r.causes[0]["text"], r.causes[0]["emotion"]
('my grandmother died last week', 'sadness')
>>> r.appraisal["agency"]["value"], r.appraisal["certainty"]["value"]
('circumstance', 'actual')
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .occ import RULES, SURPRISE_RULES

__all__ = ["Appraiser", "AppraisalBatch", "for_annotator", "APPRAISAL_WEIGHT", "PRECEDENCE",
           "VALENCE_EVENT_WEIGHT", "PROTEST_WEIGHT", "DIMENSIONS"]

#: evidence of an appraised event at full strength (an emotion word's row weighs up to 1)
APPRAISAL_WEIGHT = 0.5
#: factor on appraisal evidence in a document that already has emotion words: 0, emotion words
#: answer alone (measured on the dev suite: 0.25 cost DailyDialog 0.011 and GoEmotions-Ekman
#: 0.013 macro-F1; bench/ACCURACY.md, "Appraisal")
PRECEDENCE = 0.0
#: a valence word standing in for an unknown event (only without feeling words and events, and
#: only as the cause of a feeling: in a clause opened by a causal link, its subject named).
#: Ungated it cost DailyDialog, GoEmotions-Ekman and MELD 0.04-0.07 macro-F1; gated, enISEAR
#: +0.015 and no corpus down > 0.004 (bench/ACCURACY.md, "Appraisal: valence words as causes")
VALENCE_EVENT_WEIGHT = 0.6
#: an exclaimed negation in a document with nothing else to go on (*You can't do that!*, *No,
#: we're not!*, *Don't touch it!*): a prohibition, refusal or contradiction the speaker
#: exclaims, their opposition to another's act or claim, appraised as OCC's anger (another's
#: blameworthy act); a stand-in at this weight (bench/ACCURACY.md, "accuracy9")
PROTEST_WEIGHT = 0.6
#: an event term moves one at all only when it matters this much (|desirability|); 0.6 keeps
#: every suite corpus within 0.01 of its score without appraisal (0.4: DailyDialog -0.011)
EVENT_MIN = 0.6
#: a prospect moves one to hope or fear only when it matters this much (|desirability|)
PROSPECT_MIN = 0.5
#: an event whose appraisal the grammar pins down (a blameworthy act with its doer named: *I
#: forgot her birthday*, *he accused me*; a danger to oneself: *a spider in my bath*) or an
#: intrinsically repulsive thing moves one from this |desirability| on (dev suite: enISEAR
#: +0.03, no corpus down > 0.005; bench/ACCURACY.md, "Appraisal: evaluative words and cued
#: events")
CUED_MIN = 0.4
#: concepts of evaluative words (VADER's ratings of *bad*, *rude*, *broke*, *threatened*: a
#: judgement of the event, not a named feeling); they neither silence appraisal (PRECEDENCE)
#: nor stop their token from being an event term
EVALUATIVE = ("displeasure", "satisfaction")
#: beside an appraised event, a document's evaluative words keep this share of their scores:
#: the appraisal says which emotion, *bad* or *rude* only how bad (dev suite: enISEAR +0.010,
#: EmpatheticDialogues +0.006, GNE -0.002; bench/ACCURACY.md)
EVALUATIVE_YIELD = 0.5
#: primaries whose words neither silence appraisal nor yield to it: love (OCC's attraction
#: branch, liking of objects and people, not a reaction to an event) and surprise (no OCC type:
#: it says nothing of the event's valence). "I love my grandma, she died" is love and sadness
#: (dev suite +0.0004: enISEAR +0.005, GNE +0.003, GoEmotions-Ekman -0.004; EmpatheticDialogues
#: train folded to enISEAR's classes +0.005; bench/ACCURACY.md, "Appraisal: novelty,
#: attitudes, one's own loss")
ATTITUDE_PRIMARIES = ("love", "surprise")
#: primaries whose words may name the act that causes them: Parrott files the feeling of
#: suffering another's act (*insulted*, *offended*, *neglected*, *deserted*) under sadness,
#: OCC the act itself under reproach (anger) or, when one's own, guilt and shame. A word under
#: these whose token is also an event term of a blameworthy act (profile agency *other*, norm
#: < 0) is read as that act where the grammar names who did it (*a drunk man insulted me*, *I
#: was insulted by*, *I offended her*), as the feeling otherwise (*I felt insulted*)
ACT_PRIMARIES = ("sadness",)
#: beside the act it names, such a word keeps this share of its score (and so do the
#: document's evaluative words): the act is the evidence, the word's feeling its echo
ACT_YIELD = 0.25
DIMENSIONS = ("pleasantness", "agency", "certainty", "control", "norm", "relevance",
              "suddenness")

AGENCY_CODES = {"circ": 0, "other": 1, "self": 2, "any": 3}
TAG_BITS = {t: 1 << i for i, t in enumerate(("loss", "threat", "disgust", "exposure",
                                             "achievement", "sudden", "prospect", "moral",
                                             "help", "novel"))}

# -- closed-class cues (function words and person nouns; general English, no corpus) ---------
(FP, OTH, KIN, FUT, NEG, AUX, BY, CAUSE, BOUND, POSS, BACK, FUTDAY, IRR, QUEST, LEAD, QOPEN,
 QCLOSE, QBOTH, UNSURE, FPNOM) = (1 << i for i in range(20))
N_CUE_BITS = 20
_CUES = {
    FP: "i me my mine myself we us our ours ourselves i'm im i've i'd",
    # the first person as a subject (who acts): not *my* (*someone at my work was rude*) or
    # *me* (*the police did not update me*)
    FPNOM: "i we i'm im i've i'd",
    OTH: ("he she him her his hers himself herself they them their theirs themselves you your "
          "yours yourself yourselves someone somebody anyone anybody everyone everybody people "
          "nobody"),
    KIN: ("mother father mom mum dad mommy mummy daddy parent parents grandmother grandfather "
          "grandma grandpa granny gran nan nana grandparents grandparent brother sister son "
          "daughter husband wife partner boyfriend girlfriend fiance fiancee friend friends "
          "aunt uncle cousin nephew niece child children kid kids baby family uncle boss "
          "colleague colleagues teacher neighbour neighbor neighbours neighbors dog cat pet "
          "puppy kitten man woman boy girl guy lady stranger driver doctor police officer "
          "student students classmate classmates flatmate roommate ex relative relatives "
          "sibling siblings stepfather stepmother mate mates team"),
    FUT: ("will 'll wo shall gonna going might may before until till await "
          "awaiting expect expecting upcoming could've"),
    FUTDAY: "tomorrow soon tonight upcoming",
    AUX: "was were been being got get gets getting is are am be 's 're",
    BY: "by",
    CAUSE: ("because since after when as cause cuz coz due thanks whenever while once that "
            "about"),
    BACK: "so therefore thus",
    BOUND: ", ; : . ! ? ( ) \" - -- — – but and or",
    POSS: "'s ’s s'",
    # irrealis: wishes, requests, abilities, obligations (an event not said to happen); the
    # modal class of modifiers.tsv adds its single words (tone.rules' irrealis cues)
    IRR: ("want wants wanted wanna need needs can ca could would should let let's please try "
          "if whether unless"),
    QUEST: "? ?? ??? ?! !?",
    # what may come before the verb of an imperative (*just finish it*, *don't give away*)
    LEAD: "just please do don't dont n't not never go",
    # quotation marks: an event inside quotes is mentioned or reported, not said to happen
    QOPEN: "“", QCLOSE: "”", QBOTH: "\"",
    # not knowing how things stand (*not knowing whether he would survive*, *waiting for the
    # results*): the sentence's events are uncertain (certainty only; the emotion is unchanged)
    UNSURE: ("whether unsure uncertain uncertainty wondering wondered unknown waiting "
             "knowing"),  # mostly *not knowing*, *without knowing*
}
# negators come from the rule engine's modifiers.tsv (class negator)
#: the causal links of CAUSE proper: a valence word stands in for an event only in a clause one
#: of them opens (*that*, *as*, *while*, *about* open clauses of other kinds too)
_CAUSAL_LINKS = "because since after when cause cuz coz due thanks whenever"
#: words VADER rates that are no event of their own (answers, hedges, discourse markers, light
#: verbs); with the cue words above they never stand in for an event as valence words
#: verbs and adjectives that take a *to*-infinitive without making it a prospect of the news
#: kind (*I managed to pass*, *had to put him down*, *started to cry*): after any other word
#: (*Company to cut 500 jobs*, *Storm to hit coast*) a *to*-infinitive is what is to come
_TO_CONTROLLERS = ("have has had having need needs needed ought able about use used go going "
                   "went come came get got manage managed try tried want wanted start started "
                   "begin began decide decided forget forgot fail failed refuse refused agree "
                   "agreed promise promised plan planned hope hoped expect expected seem seemed "
                   "happen happened choose chose learn learned continue continued like liked "
                   "love loved hate hated afraid scared too enough time chance order rushed "
                   "ran run stopped stop told asked made let helped help allowed forced")
#: verbs after which (in its clause) a word names a feeling, not an act (*I felt insulted*)
_FEEL_VERBS = "feel feels felt feeling seem seems seemed look looks looked become became"
_NOT_EVENTS = ("yes yeah yep no nope ok okay sure like well pretty kind matter do does did "
               "feel feels feeling felt")


def _modifier_words(kind: str) -> list[str]:
    """The single-word cues of one class of the rule engine's ``modifiers.tsv``."""
    from .._resources import data_dir

    out = []
    path = data_dir("lexicons") / "en" / "modifiers.tsv"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1] == kind and " " not in parts[0]:
                out.append(parts[0].lower())
    return out


def _negators() -> list[str]:
    return _modifier_words("negator")


def _unexpected_cues() -> tuple[np.ndarray, list[np.ndarray]]:
    """The token keys of the cues of class ``unexpected`` in ``modifiers.tsv``: the one-token
    cues as one sorted array, each longer one (*out of nowhere*, *first-ever*) as its key
    sequence (tokenized as texts are)."""
    from ..rules.modifiers import read_modifiers
    from ..text import tokenize

    terms = [t.lower() for t, _ in read_modifiers().get("unexpected", [])]
    if not terms:
        return np.zeros(0, dtype=np.uint64), []
    batch = tokenize(terms)
    seqs = [batch.key[batch.doc_ptr[i]:batch.doc_ptr[i + 1]] for i in range(len(terms))]
    single = np.unique(np.array([q[0] for q in seqs if len(q) == 1], dtype=np.uint64))
    return single, [np.asarray(q, dtype=np.uint64) for q in seqs if len(q) > 1]


def _sequence_starts(keys: np.ndarray, seqs: list[np.ndarray]) -> np.ndarray:
    """Whether a key sequence of ``seqs`` starts at each position of ``keys``.

    >>> k = np.array([5, 1, 2, 3, 1, 2], dtype=np.uint64)
    >>> _sequence_starts(k, [np.array([1, 2, 3], dtype=np.uint64)]).nonzero()[0].tolist()
    [1]
    """
    hit = np.zeros(len(keys), dtype=bool)
    for seq in seqs:
        n = len(keys) - len(seq) + 1
        if n <= 0:
            continue
        ok = keys[:n] == seq[0]
        for o in range(1, len(seq)):
            ok &= keys[o:o + n] == seq[o]
        hit[:n] |= ok
    return hit


def _cue_table(tokenize=None):
    """Sorted token keys of the cue words and their flag bits (a word with an apostrophe also
    in its typographic spelling: *’ll*, *n’t*, *i’m*, as Reddit and chat write them)."""
    from ..text import token_key

    bits: dict[int, int] = {}

    def add(word: str, flag: int, unless: int = 0) -> None:
        for form in {word, word.replace("'", "\u2019")}:
            k = int(token_key(form))
            if not bits.get(k, 0) & unless:
                bits[k] = bits.get(k, 0) | flag

    for flag, words in _CUES.items():
        for w in words.split():
            add(w, flag)
    for w in _negators():
        add(w, NEG)
    for w in _modifier_words("modal"):
        add(w, IRR, unless=FUT)
    keys = np.array(sorted(bits), dtype=np.uint64)
    return keys, np.array([bits[int(k)] for k in keys], dtype=np.int64)


def _keys(words) -> np.ndarray:
    from ..text import token_key

    return np.array(sorted({int(token_key(w)) for w in words}), dtype=np.uint64)


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    if not len(keys):
        return np.zeros(len(query), dtype=values.dtype)
    i = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[i] == query, values[i], 0)


class Appraiser:
    """The compiled event lexicon, its profiles and the cue table (one per annotator)."""

    def __init__(self, table, tokenize=None, events=None) -> None:
        from ..lexicon.compile import compile_lexicon
        from ..lexicon.rows import LexiconRow
        from .build import read_events, rejected_terms

        rows = read_events(events) if events is None or not isinstance(events, list) else events
        lex_rows = [LexiconRow(r.term, "sadness", 3, 1.0, r.pos, "phrase" if " " in r.term
                               else "word", r.source, 1.0, "auto") for r in rows]
        if events is None:  # a rejected word stays rejected through the lemma ("beating")
            known = {r.term for r in rows}
            lex_rows += [LexiconRow(term, "sadness", 3, 1.0, "", "word", "events_review.tsv",
                                    0.0, "rejected")
                         for term in rejected_terms() if " " not in term and term not in known]
        self.rows = rows
        self.lexicon = compile_lexicon(lex_rows, table, tokenize=tokenize)
        self.des = np.array([r.desirability for r in rows], dtype=np.float64)
        self.agency = np.array([AGENCY_CODES[r.agency] for r in rows], dtype=np.int64)
        self.norm = np.array([r.norm for r in rows], dtype=np.float64)
        self.tags = np.array([sum(TAG_BITS[t] for t in r.tags.split(",") if t) for r in rows],
                             dtype=np.int64)
        self.weight = np.array([r.weight for r in rows], dtype=np.float64)
        self.verb = np.array([r.pos == "v" for r in rows], dtype=bool)
        self.cue_keys, self.cue_bits = _cue_table(tokenize)
        self.edge_keys = self.cue_keys[(self.cue_bits & (BOUND | CAUSE | BACK)) != 0]
        self.link_keys = _keys(_CAUSAL_LINKS.split())
        self.to_key = _keys(["to"])
        self.but_key = _keys(["but"])
        self.controller_keys = _keys(_TO_CONTROLLERS.split())
        self.function_keys = np.union1d(self.cue_keys, _keys(_NOT_EVENTS.split()))
        self.rule_concepts = np.full((len(RULES), 2), -1, dtype=np.int64)
        self.rule_weights = np.zeros((len(RULES), 2))
        for i, rule in enumerate(RULES):
            for j, (label, tier, w) in enumerate(rule.emits[:2]):
                self.rule_concepts[i, j] = table.index(label, tier)
                self.rule_weights[i, j] = w
        self.surprise = table.index("surprise", 3)
        self.unexpected_keys, self.unexpected_phrases = _unexpected_cues()
        self.evaluative = np.array([table.index(label, 3) for label in EVALUATIVE],
                                   dtype=np.int64)
        self._primary_of = np.array([(table.ancestors(i) or [i])[-1] for i in range(len(table))],
                                    dtype=np.int64)
        self.act = (self.agency == AGENCY_CODES["other"]) & (self.norm < 0)
        self.feel_keys = _keys(_FEEL_VERBS.split())
        self.exclaim_key, self.question_key = _keys(["!"]), _keys(["?"])
        self.apostrophe_keys, self.t_key = _keys(["'", "\u2019"]), _keys(["t"])
        self.negator_keys = _keys(_negators() + [w.replace("'", "\u2019") for w in _negators()])
        self.table = table

    # -- the batch ---------------------------------------------------------------------------
    def flags(self, keys: np.ndarray, lemmas: np.ndarray) -> np.ndarray:
        """The cue bits of tokens (person cues also by lemma: *friends*, *mothers*)."""
        flags = _lookup(self.cue_keys, self.cue_bits, keys)
        todo = np.flatnonzero((flags == 0) & (keys != lemmas))  # inflected, not a cue itself
        if len(todo):
            flags[todo] = _lookup(self.cue_keys, self.cue_bits & (FP | OTH | KIN), lemmas[todo])
        return flags

    def unexpected(self, keys: np.ndarray) -> np.ndarray:
        """Whether a cue of unexpectedness (``modifiers.tsv`` class ``unexpected``) starts at
        each token of ``keys`` (one sentence after another; a phrase across two is rare)."""
        return (np.isin(keys, self.unexpected_keys)
                | _sequence_starts(keys, self.unexpected_phrases))

    def attitude(self, concepts: np.ndarray) -> np.ndarray:
        """Whether concepts lie under :data:`ATTITUDE_PRIMARIES` (their words leave appraisal
        speaking, and keep their scores beside it)."""
        return np.isin(self._primary_of[np.asarray(concepts, dtype=np.int64)],
                       [self.table.index(p, 1) for p in ATTITUDE_PRIMARIES])

    def act_primary(self, concepts: np.ndarray) -> np.ndarray:
        """Whether concepts lie under :data:`ACT_PRIMARIES` (their words may name an act)."""
        return np.isin(self._primary_of[np.asarray(concepts, dtype=np.int64)],
                       [self.table.index(p, 1) for p in ACT_PRIMARIES])

    def content_word(self, keys: np.ndarray) -> np.ndarray:
        """Whether tokens may stand in for an event: not a cue word (*not*, *was*, *if*) nor
        one of :data:`_NOT_EVENTS` (*no*, *like*, *well*), which VADER rates but which name
        nothing that happened."""
        return _lookup(self.function_keys, np.ones(len(self.function_keys), dtype=np.int64),
                       keys) == 0

    def protests(self, batch, quiet: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(doc, token)`` of each exclaimed negation in the documents ``quiet`` marks: the
        first negator of a sentence whose trailing run of ``!`` / ``?`` holds a ``!`` and no
        ``?`` (*No, we're not!!*, *You can't have it!*; not *Why not?!*)."""
        sent_ptr = np.asarray(batch.sent_ptr, dtype=np.int64)
        lo, hi = sent_ptr[:-1], sent_ptr[1:]
        sent = np.flatnonzero(quiet[batch.doc[lo]] & (hi > lo)) if len(lo) else lo
        if not len(sent):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lo, hi = lo[sent], hi[sent]
        lens = hi - lo
        first = np.concatenate([[0], np.cumsum(lens)])
        tok = np.repeat(lo - first[:-1], lens) + np.arange(int(first[-1]), dtype=np.int64)
        keys = batch.key[tok]
        bang, ask = np.isin(keys, self.exclaim_key), np.isin(keys, self.question_key)
        idx = np.arange(len(tok))
        word_at = np.maximum.accumulate(np.where(bang | ask, -1, idx))  # last non-mark
        end = first[1:] - 1
        run_from = np.maximum(word_at[end] + 1, first[:-1])
        p_bang, p_ask = (np.concatenate([[0], np.cumsum(x)]) for x in (bang, ask))
        exclaimed = ((p_bang[end + 1] - p_bang[run_from]) > 0) & (p_ask[end + 1] == p_ask[run_from])
        neg = np.isin(keys, self.negator_keys)
        # a contraction spaced out (*don ’ t*, DailyDialog's spelling): its *t* negates
        neg[1:] |= np.isin(keys[1:], self.t_key) & np.isin(keys[:-1], self.apostrophe_keys)
        # the first negator of each sentence: its local index, len(tok) when none
        after = np.minimum.accumulate(np.where(neg, idx, len(tok))[::-1])[::-1]
        at = np.append(after, len(tok))[first[:-1]]
        ok = exclaimed & (at < end)
        return batch.doc[tok[at[ok]]].astype(np.int64), tok[at[ok]]

    def run(self, batch, matches=None, words=None) -> "AppraisalBatch":
        """Appraise every event of a :class:`tone.text.TokenBatch` (module docstring).

        ``matches``: the emotion-word matches (feeling words take precedence, and their tokens
        are not events; evaluative words and attitudes, :data:`ATTITUDE_PRIMARIES`, do
        neither); ``words``: the valence words ``(doc, tok, value)`` of
        :func:`tone.scoring.vad.valence_words`, standing in for events in documents with
        neither. Only the sentences holding an event are scanned for cues."""
        from ..aot import kernels
        from ..lexicon.match import match

        n_docs = batch.n_docs
        lex_doc = np.zeros(n_docs, dtype=bool)
        ev = match(self.lexicon, batch)
        doc = ev.doc.astype(np.int64)
        s = ev.tok_start.astype(np.int64)
        e = ev.tok_end.astype(np.int64)
        act_word = np.zeros(len(s), dtype=bool)
        holds_word = np.zeros(len(s), dtype=bool)
        if matches is not None and len(matches):
            feeling = ~np.isin(matches.concept, self.evaluative) & ~self.attitude(matches.concept)
            if len(s):  # feeling-word tokens are not events (matches sorted by token), unless
                # the word may name the act its event term names (ACT_PRIMARIES)
                k = np.searchsorted(matches.tok_start, s, side="right") - 1
                k0 = np.maximum(k, 0)
                covered = (k >= 0) & (matches.tok_end[k0] > s) & feeling[k0]
                act_word = (covered & self.act[ev.entry.astype(np.int64)]
                            & self.act_primary(matches.concept[k0]))
                feeling = feeling.copy()
                feeling[k0[act_word]] = False
                keep = ~covered | act_word
                doc, s, e, act_word = doc[keep], s[keep], e[keep], act_word[keep]
                holds_word = np.zeros(len(s), dtype=bool)
                ev_entry = ev.entry[keep].astype(np.int64)
                # a feeling word inside a longer event phrase is part of the situation the
                # phrase names (*home alone*, *walking alone*: not loneliness), the longer
                # match winning as in the lexicon's own matcher
                if len(s):
                    j = np.searchsorted(s, matches.tok_start, side="right") - 1
                    j0 = np.maximum(j, 0)
                    inside = (feeling & (j >= 0) & (e[j0] >= matches.tok_end)
                              & (e[j0] - s[j0] > matches.tok_end - matches.tok_start))
                    feeling[inside] = False
                    holds_word[j0[inside]] = True
            else:
                ev_entry = ev.entry.astype(np.int64)
            lex_doc[matches.doc[feeling]] = True
        else:
            ev_entry = ev.entry.astype(np.int64)
        entry = ev_entry
        des0, agency0, norm = self.des[entry], self.agency[entry], self.norm[entry]
        tags, weight = self.tags[entry], self.weight[entry]
        # 0 event term, 1 valence word, 2 an exclaimed negation (PROTEST_WEIGHT)
        source = np.zeros(len(entry), dtype=np.int64)
        has_event = np.zeros(n_docs, dtype=bool)
        has_event[doc] = True
        stand_ins = []  # (doc, token, desirability, agency, norm, weight, source)
        if words is not None and len(words[0]) and VALENCE_EVENT_WEIGHT > 0:
            wdoc, wtok, wval = (np.asarray(x) for x in words)
            pick = (~lex_doc[wdoc] & ~has_event[wdoc] & (np.abs(wval) > 0)
                    & self.content_word(batch.key[np.asarray(wtok, dtype=np.int64)]))
            wdoc, wtok, wval = wdoc[pick].astype(np.int64), wtok[pick].astype(np.int64), wval[pick]
            if len(wdoc):  # only in a clause a causal link opens (the gate below), found
                # before any sentence is scanned: a few tokens back from each word
                cause_clause = kernels("tone.appraisal._kernel").cause_clause
                sent_ptr = np.asarray(batch.sent_ptr, dtype=np.int64)
                first = sent_ptr[np.searchsorted(sent_ptr, wtok, side="right") - 1]
                pick = cause_clause(batch.key, first, wtok, self.edge_keys, self.link_keys)
                wdoc, wtok, wval = wdoc[pick], wtok[pick], wval[pick]
            stand_ins.append((wdoc, wtok, np.clip(wval, -1, 1), AGENCY_CODES["any"],
                              np.where(wval < 0, -0.5, 0.0), VALENCE_EVENT_WEIGHT, 1))
        if PROTEST_WEIGHT > 0:  # no emotion word (nor, below, an appraised event)
            quiet = np.ones(n_docs, dtype=bool)
            if matches is not None and len(matches):
                quiet[matches.doc] = False
            pdoc, ptok = self.protests(batch, quiet)
            stand_ins.append((pdoc, ptok, -1.0, AGENCY_CODES["other"], -0.5, PROTEST_WEIGHT, 2))
        stand_ins = [w for w in stand_ins if len(w[0])]
        if stand_ins:
            sizes = [len(w[0]) for w in stand_ins]
            full = lambda k, dtype=None: np.concatenate(  # noqa: E731
                [np.broadcast_to(np.asarray(w[k], dtype=dtype), (len(w[0]),)) for w in stand_ins])
            wtok = full(1, np.int64)
            doc = np.concatenate([doc, full(0, np.int64)])
            s = np.concatenate([s, wtok])
            e = np.concatenate([e, wtok + 1])
            entry = np.concatenate([entry, np.full(sum(sizes), -1)])
            des0 = np.concatenate([des0, full(2, np.float64)])
            agency0 = np.concatenate([agency0, full(3, np.int64)])
            norm = np.concatenate([norm, full(4, np.float64)])
            tags = np.concatenate([tags, np.zeros(sum(sizes), dtype=np.int64)])
            weight = np.concatenate([weight, full(5, np.float64)])
            source = np.concatenate([source, full(6, np.int64)])
            act_word = np.concatenate([act_word, np.zeros(sum(sizes), dtype=bool)])
            holds_word = np.concatenate([holds_word, np.zeros(sum(sizes), dtype=bool)])
            order = np.lexsort((s, doc))
            (doc, s, e, entry, des0, agency0, norm, tags, weight, source, act_word,
             holds_word) = (x[order] for x in (doc, s, e, entry, des0, agency0, norm, tags,
                                               weight, source, act_word, holds_word))
        n = len(doc)
        # the sentences holding an event, as one compact token list ``sub`` (local indices)
        sent_ptr = np.asarray(batch.sent_ptr, dtype=np.int64)
        usent = np.unique(np.searchsorted(sent_ptr, s, side="right") - 1)
        lo, hi = sent_ptr[usent], sent_ptr[usent + 1]
        lens = hi - lo
        first = np.concatenate([[0], np.cumsum(lens)])
        m = int(first[-1])
        sub = np.repeat(lo - first[:-1], lens) + np.arange(m, dtype=np.int64)
        flags = self.flags(batch.key[sub], batch.lemma[sub])
        idx = np.arange(m, dtype=np.int64)
        sent_start = np.zeros(m, dtype=bool)
        sent_start[first[:-1][lens > 0]] = True
        boundary = (flags & (BOUND | CAUSE | BACK)) != 0
        start_here = sent_start.copy()
        if m:
            start_here[1:] |= boundary[:-1]
        cstart = np.maximum.accumulate(np.where(start_here, idx, 0)) if m else idx
        sstart = np.maximum.accumulate(np.where(sent_start, idx, 0)) if m else idx
        sent_end_here = np.zeros(m, dtype=bool)
        if m:
            sent_end_here[:-1] = sent_start[1:]
            sent_end_here[-1] = True
        end_here = sent_end_here | np.r_[boundary[1:], True] if m else sent_end_here
        cend = (np.minimum.accumulate(np.where(end_here, idx, m)[::-1])[::-1] + 1
                if m else idx)
        send = (np.minimum.accumulate(np.where(sent_end_here, idx, m)[::-1])[::-1] + 1
                if m else idx)

        counts = kernels("tone.appraisal._kernel").cue_counts(flags, N_CUE_BITS)

        def prefix(bit):  # how many tokens before each local index have ``bit``
            return counts[bit.bit_length() - 1]

        def last(bit):  # local index of the last token with ``bit`` at or before i, else -1
            return np.maximum.accumulate(np.where((flags & bit) != 0, idx, -1)) if m else idx

        gs, ge = s, e  # global token indices
        s = np.searchsorted(sub, gs)
        e = np.searchsorted(sub, ge - 1) + 1
        cs = cstart[s] if n else s
        ce = cend[np.maximum(e - 1, 0)] if n else e
        ss, se = (sstart[s], send[s]) if n else (s, s)
        p_fp, p_neg, p_fut, p_aux, p_by, p_poss = (prefix(b) for b in (FP, NEG, FUT, AUX, BY,
                                                                       POSS))
        p_futday, p_irr, p_quest = prefix(FUTDAY), prefix(IRR), prefix(QUEST)
        p_lead = prefix(LEAD)
        l_fp, l_person, l_fpn = last(FP), last(OTH | KIN), last(FPNOM)
        l_kin = last(KIN)
        before = np.maximum(s - 1, 0)
        has_before = s > cs
        last_fp = np.where(has_before, l_fp[before], -1) if n else s
        last_person = np.where(has_before, l_person[before], -1) if n else s
        last_kin = np.where(has_before, l_kin[before], -1) if n else s
        in_clause = lambda pos: pos >= cs  # noqa: E731
        last_fpn = np.where(has_before, l_fpn[before], -1) if n else s
        fp_subj = in_clause(last_fp) & (last_fp > last_person)
        # who acts: the nearer of the first person as a subject and another person
        self_agent = in_clause(last_fpn) & (last_fpn > last_person)
        other_agent = in_clause(last_person) & (last_person > last_fpn)
        other_subj = in_clause(last_person) & (last_person > last_fp)
        # a close other: "my grandmother" (a first-person possessive right before the kin noun,
        # no "'s" after it: "my friend's father" is another's)
        kin_pos = np.maximum(last_kin, 0)
        close = (other_subj & (last_kin == last_person) & in_clause(last_kin)
                 & ((p_fp[kin_pos] - p_fp[np.maximum(kin_pos - 2, cs)]) > 0)
                 & ((p_poss[s] - p_poss[kin_pos]) == 0))
        poss_other = other_subj & ((p_poss[s] - p_poss[np.maximum(cs, 0)]) > 0)
        close &= ~poss_other
        # a negator right before an event negates it; a good thing is also missed when a
        # negator anywhere before it in its clause negates what brings it (*no one came to
        # my birthday*, *I didn't get the new job*: disappointment)
        negated = (p_neg[s] - p_neg[np.where(des0 > 0, cs, np.maximum(cs, s - 3))]) > 0
        fut = ((p_fut[s] - p_fut[cs]) > 0) | ((p_futday[se] - p_futday[ss]) > 0)
        # a news-style *to*-infinitive (*Company to cut jobs*): a verb in its base form right
        # after *to*, which follows a word that is no controller (*managed to*, *had to*)
        if n:
            k1 = batch.key[sub[np.maximum(s - 1, 0)]]
            k2 = batch.key[sub[np.maximum(s - 2, 0)]]
            l2 = batch.lemma[sub[np.maximum(s - 2, 0)]]
            fut |= ((source == 0) & self.verb[np.maximum(entry, 0)]
                    & (batch.key[gs] == batch.lemma[gs]) & (s - 2 >= ss)
                    & (k1 == self.to_key[0]) & ~np.isin(k2, self.controller_keys)
                    & ~np.isin(l2, self.controller_keys)
                    & ((flags[np.maximum(s - 2, 0)] & (FP | OTH | AUX | NEG | IRR)) == 0))
        aux_before = (p_aux[s] - p_aux[np.maximum(cs, s - 2)]) > 0
        inflected = batch.key[gs] != batch.lemma[gs]
        aux_first = ((flags[s] & AUX) != 0) & (e - s > 1) if n else np.zeros(0, dtype=bool)
        # a curated phrase that holds its auxiliary (*was fired*, *was caught*) says itself who
        # acts: passive only where its profile names another
        passive = ((aux_before & inflected & (agency0 != AGENCY_CODES["circ"]))
                   | (aux_first & (agency0 == AGENCY_CODES["other"])))
        by_after = (p_by[np.minimum(e + 2, ce)] - p_by[np.minimum(e, ce)]) > 0
        fp_after = (p_fp[ce] - p_fp[np.minimum(s + 1, ce)]) > 0  # a phrase's own *me* too
        fp_sent = (p_fp[se] - p_fp[ss]) > 0
        # not said to happen: asked about, wished, requested, possible (no emotion from it)
        # one's own help withheld, a verb (*I didn't help her*, *I couldn't help a friend in need*): an
        # omission, blameworthy where the help was owed (OCC's self-reproach; Tangney 1996:
        # guilt is about the act, here the act left undone); a negated *could* says it happened
        # (not the idioms *couldn't help but laugh*, *can't help smiling*: help there is avoid)
        is_help = (tags & TAG_BITS["help"]) != 0
        help_idiom = np.isin(batch.key[np.minimum(ge, len(batch.key) - 1)], self.but_key) & (e < se)
        for i in np.flatnonzero(is_help & (e < se) & ~help_idiom):  # rare: read the next word
            t = ge[i]
            help_idiom[i] = batch.texts[batch.doc[t]][batch.start[t]:batch.end[t]].lower(
                ).endswith("ing")
        withheld = (negated & is_help & self.verb[np.maximum(entry, 0)]
                    & (source == 0) & fp_subj & ~fut & ~help_idiom)
        hypothetical = ((((p_irr[s] - p_irr[cs]) > 0) & ~fut & ~withheld)
                        | ((p_quest[se] - p_quest[ss]) > 0))
        # an imperative (*marry her!*, *just finish the rest*, *don't give away my code*): a
        # verb in its base form that opens its sentence, after at most a few lead words
        imperative = ((source == 0) & self.verb[np.maximum(entry, 0)] & ~inflected
                      & ((p_lead[s] - p_lead[ss]) == (s - ss))) if n else np.zeros(0, bool)
        # inside quotation marks (*words like "racist"*, *he said "you killed him"*): a word
        # mentioned or someone's reported words, not an event the writer says happened
        p_qo, p_qc, p_qb = prefix(QOPEN), prefix(QCLOSE), prefix(QBOTH)
        quoted = (((p_qo[s] - p_qo[ss]) > (p_qc[s] - p_qc[ss]))
                  | ((p_qb[s] - p_qb[ss]) % 2 == 1)) if n else np.zeros(0, bool)
        hypothetical |= imperative | quoted
        # agency: 0 circumstance, 1 other, 2 self
        agency = np.where(agency0 == 0, 0,
                 np.where(passive | by_after, 1,
                 np.where(self_agent, 2,
                 np.where(other_agent, 1,
                 np.where(agency0 == 3, 0, np.where(agency0 == 2, np.where(fp_sent, 2, 0), 1))))))
        # "Flood kills dozens": an event term just before, no person named -> circumstance
        if n > 1:
            prev_circ = np.zeros(n, dtype=bool)
            prev_circ[1:] = ((doc[1:] == doc[:-1]) & (s[:-1] >= cs[1:]) & (agency0[:-1] == 0)
                             & (source[:-1] == 0))
            agency = np.where(prev_circ & ~fp_subj & ~other_subj & ~passive, 0, agency)
        # whose event: 0 nobody named, 1 oneself (or one's own close other), 2 another person
        subject_whose = np.where(fp_subj | close, 1, np.where(other_subj, 2, 0))
        whose = np.where(passive, np.where(fp_subj | close, 1, np.where(other_subj, 2, 0)),
                np.where(agency == 2, 1,
                np.where((agency == 1) & (fp_after | fp_sent) & ~other_subj, 1,
                np.where((agency == 1) & fp_after, 1,
                np.where(subject_whose > 0, subject_whose, np.where(fp_sent, 1, 0))))))
        # headline-style 'X kills Y': the harm falls on others
        pending = (tags & TAG_BITS["prospect"]) != 0
        prospective = fut
        negated &= source != 2  # a protest's negator is the protest itself
        d = np.where(negated, -des0, des0)
        neg_bad = negated & (des0 < 0) & ~prospective
        neg_good = negated & (des0 > 0) & ~prospective
        tag = lambda name: (tags & TAG_BITS[name]) != 0  # noqa: E731
        conds = [
            # a repulsive thing of one's own doing (*I farted in class*) shames rather than
            # disgusts (the shame rule below)
            ("distaste", (d < 0) & tag("disgust") & (agency != 2)),
            ("fear-prospect", (d < 0) & prospective),
            ("relief", neg_bad & (whose == 1)),  # a feared outcome of one's own, disconfirmed
            ("disappointment", neg_good & ~withheld),
            ("hope", (d > 0) & prospective),
            # a danger to oneself, or to anyone (nobody else named: "outbreak spreads",
            # "militants threaten attacks"): fear; to a named other, the rules below
            ("threat", (d < 0) & tag("threat") & (whose != 2)),
            ("reproach-moral", (d < 0) & (agency == 1) & (norm < 0) & tag("moral")),
            # an irrevocable loss of one's own (*my wife left me*, *he abandoned me*) is
            # grief, whoever caused it (Lazarus 1991: sadness's theme; anger's is the offense)
            ("anger", (d < 0) & (agency == 1) & (norm < 0) & ~(tag("loss") & (whose == 1))),
            ("shame", (d < 0) & (agency == 2) & ((norm < 0) & tag("exposure") | tag("disgust"))),
            ("remorse", (d < 0) & (agency == 2) & ((norm < 0) | withheld)),
            ("self-failure", (d < 0) & (agency == 2)),
            ("pity", (d < 0) & (whose == 2)),
            ("grief", (d < 0) & tag("loss")),
            ("distress", d < 0),
            ("gratitude", (d > 0) & (agency == 1) & (whose == 1) & fp_after),
            ("pride", (d > 0) & (agency == 2) & (tag("achievement") | (norm > 0))),
            ("happy-for", (d > 0) & (whose == 2)),
            ("joy", d > 0),
            ("anxiety-pending", pending & (d == 0) | pending & ~negated & (np.abs(d) < 0.3)),
            # news of a state of affairs, disclosed or discovered (*report reveals*, *study
            # finds*): surprising by its novelty (Scherer's novelty check), whatever its valence
            ("novelty", tag("novel") & ~prospective & ~negated),
        ]
        names = [r.name for r in RULES]
        # an outcome still pending (exam, diagnosis) is anxious, not yet good or bad
        weak_pending = pending & (np.abs(d) < 0.3)
        conds = [(name, c if name in ("fear-prospect", "anxiety-pending") else c & ~weak_pending)
                 for name, c in conds]
        relevant = np.abs(des0) >= PROSPECT_MIN
        conds[1] = ("fear-prospect", conds[1][1] & relevant)
        conds[4] = ("hope", conds[4][1] & relevant)
        rule = np.full(n, -1, dtype=np.int64)
        for name, cond in conds:
            rule = np.where((rule < 0) & cond, names.index(name), rule)
        # the object of an event that went wrong ("forgot her birthday", "missed the party")
        # is what was lost, not a second event; after one's own lapse, anywhere in its
        # sentence ("I forgot about my friend's birthday", "ate the cake for her birthday")
        governed = np.zeros(n, dtype=bool)
        if n > 1:
            lapse = (agency[:-1] == 2) & (norm[:-1] < 0)
            governed[1:] = ((doc[1:] == doc[:-1]) & (s[:-1] >= np.where(lapse, ss[1:], cs[1:]))
                            & (d[:-1] < 0) & (d[1:] > 0) & (source[:-1] == 0))
        # a blameworthy act whose doer the grammar names, a repulsive thing, or a danger to
        # oneself is appraised at a lower desirability than an event of unnamed agency
        cued = (((norm < 0) & (fp_subj | other_subj | passive | by_after)) | tag("disgust")
                | withheld
                | (tag("threat") & (whose == 1)))
        p_unexp = np.concatenate([[0], np.cumsum(self.unexpected(batch.key[sub]))])
        said_unexpected = ((p_unexp[se] - p_unexp[ss]) > 0) if n else np.zeros(0, dtype=bool)
        floor = np.where(cued, CUED_MIN, EVENT_MIN)
        # a valence word stands in for an event only as the cause of a feeling: in a clause a
        # causal link opens (*when*, *because*, *after*) whose subject the grammar names
        linked = ((cs > ss) & ((flags[np.maximum(cs - 1, 0)] & CAUSE) != 0)
                  & (fp_subj | other_subj | passive)) if n else np.zeros(0, dtype=bool)
        # a bad thing that did not happen to someone else is nobody's relief (OCC: relief is a
        # fear for oneself disconfirmed): no emotion, rather than joy for them
        rule = np.where(hypothetical | governed | neg_bad & (whose != 1)
                        | (np.abs(des0) < floor) & (source == 0) & ~pending
                        & ~tag("novel")
                        | (source == 1) & ~linked, -1, rule)
        # an exclaimed negation is the speaker's protest at another's act: OCC's anger
        # where nothing else of its document is appraised
        appraised = np.zeros(n_docs, dtype=bool)
        appraised[doc[(rule >= 0) & (source != 2)]] = True
        rule = np.where(source == 2, np.where(appraised[doc], -1, names.index("anger")), rule)
        # a feeling word read as the act it names needs its doer named: another (subject,
        # passive, *by*) or oneself as the subject of the verb, no feeling verb before it (*I
        # felt insulted*); otherwise it is the feeling, and keeps its precedence
        if n:
            p_feel = np.concatenate([[0], np.cumsum(np.isin(batch.key[sub], self.feel_keys))])
            felt = (p_feel[s] - p_feel[cs]) > 0
            named = ((agency == 1) & (other_subj & ~passive | passive & by_after)
                     | (agency == 2) & fp_subj & ~passive & ~aux_before)
            as_feeling = act_word & (felt | ~named | hypothetical)
            lex_doc[doc[as_feeling]] = True
            rule = np.where(as_feeling, -1, rule)
            # a phrase holding a feeling word that gives no emotion leaves the word its feeling
            lex_doc[doc[holds_word & (rule < 0)]] = True
        act_doc = np.zeros(n_docs, dtype=bool)
        act_doc[doc[(act_word | holds_word) & (rule >= 0)]] = True
        strength = APPRAISAL_WEIGHT * weight * (0.5 + 0.5 * np.abs(d))
        strength = np.where(lex_doc[doc], strength * PRECEDENCE, strength) if n else strength
        sudden = tag("sudden") & (d < 0) & ~prospective
        # novelty (Scherer's first check): an appraised, actual event in a sentence that calls
        # it unexpected (*suddenly*, *record*, *for the first time*) also surprises
        unexpected = said_unexpected & (rule >= 0) & ~prospective
        p_unsure = prefix(UNSURE)
        unsure = (p_unsure[se] - p_unsure[ss]) > 0
        glob = lambda local: sub[local] if m else local  # noqa: E731
        return AppraisalBatch(self, batch, doc, gs, ge, entry, source, des0, d, agency, whose,
                              prospective, negated, norm, tags, rule, strength, sudden,
                              unexpected, unsure,
                              glob(cs), glob(np.maximum(ce - 1, 0)) + 1, glob(ss),
                              glob(np.maximum(se - 1, 0)) + 1, lex_doc, act_doc)


@dataclass
class AppraisalBatch:
    """Every appraised event of a batch as arrays (sorted by document, then token)."""

    appraiser: Appraiser
    batch: object
    doc: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    entry: np.ndarray          # event lexicon row, -1 for a valence word
    source: np.ndarray         # 0 event term, 1 valence word, 2 an exclaimed negation
    desirability: np.ndarray   # the profile's
    pleasant: np.ndarray       # after negation
    agency: np.ndarray         # 0 circumstance, 1 other, 2 self
    whose: np.ndarray          # 0 nobody named, 1 oneself, 2 another
    prospective: np.ndarray
    negated: np.ndarray
    norm: np.ndarray
    tags: np.ndarray
    rule: np.ndarray           # index into occ.RULES, -1 none
    strength: np.ndarray
    sudden: np.ndarray         # a sudden kind of event (tag sudden)
    unexpected: np.ndarray     # said to be unexpected (a cue in its sentence)
    unsure: np.ndarray         # its sentence says how things stand is not known
    clause_start: np.ndarray
    clause_end: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    lex_doc: np.ndarray
    act_doc: np.ndarray        # a feeling word of the document was read as the act it names

    def __len__(self) -> int:
        return len(self.doc)

    def evidence(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(doc, concept, weight)`` entries of the appraised emotions (rolled up by the
        caller like emotion-word evidence)."""
        a = self.appraiser
        fired = self.rule >= 0
        docs, concepts, weights = [], [], []
        for j in range(2):
            c = np.where(fired, a.rule_concepts[np.maximum(self.rule, 0), j], -1)
            w = a.rule_weights[np.maximum(self.rule, 0), j] * self.strength
            ok = c >= 0
            docs.append(self.doc[ok])
            concepts.append(c[ok])
            weights.append(w[ok])
        beside = self.surprise_rule()
        weight_of = np.array([r.emits[0][2] for r in SURPRISE_RULES])
        surprise = np.where(beside >= 0, weight_of[np.maximum(beside, 0)], 0.0)
        ok = surprise > 0
        docs.append(self.doc[ok])
        concepts.append(np.full(int(ok.sum()), a.surprise, dtype=np.int64))
        weights.append(surprise[ok] * self.strength[ok])
        return np.concatenate(docs), np.concatenate(concepts), np.concatenate(weights)

    def surprise_rule(self) -> np.ndarray:
        """Per event, the surprise rule beside its cascade rule: an index into
        ``occ.SURPRISE_RULES`` (0 a sudden kind of event, 1 said to be unexpected, which wins),
        -1 none."""
        return np.where(self.unexpected, 1, np.where(self.sudden, 0, -1))

    def outcome_pending(self) -> np.ndarray:
        """Per event, whether its outcome is still to come (certainty *prospective*): a
        prospect (*will*, *might*, *tomorrow*), or a danger present now whose harm is not yet
        done (rules *threat* and *anxiety-pending*: OCC's fear is prospect-based, and Smith &
        Ellsworth 1985 find fear the emotion of least certainty), or its sentence says how
        things stand is not known (*not knowing*, *whether*, *waiting*)."""
        return self.prospective | self.unsure | np.isin(self.rule, _PENDING_RULES)

    def docs(self) -> np.ndarray:
        """The documents with appraisal evidence."""
        return np.unique(self.doc[(self.rule >= 0) & (self.strength > 0)])

    def _range(self, d: int) -> range:
        lo, hi = np.searchsorted(self.doc, [d, d + 1])
        return range(int(lo), int(hi))

    # -- per document, on read ---------------------------------------------------------------
    def events(self, d: int, text: str) -> list[dict]:
        """The appraised events of document ``d``: term, offsets, profile, appraisal, rule,
        emotions (the trace: event term → profile → rule → emotion)."""
        a, b = self.appraiser, self.batch
        out = []
        agencies = ("circumstance", "other", "self")
        whose = ("unspecified", "self", "other")
        beside = self.surprise_rule()
        pending = self.outcome_pending()
        for i in self._range(d):
            s, e = int(self.tok_start[i]), int(self.tok_end[i])
            start, end = int(b.start[s]), int(b.end[e - 1])
            r = int(self.rule[i])
            entry = int(self.entry[i])
            row = a.rows[entry] if entry >= 0 else None
            out.append({
                "start": start, "end": end, "text": text[start:end],
                "term": row.term if row else text[start:end].lower(),
                "anchor": row.anchor if row else _STAND_INS[int(self.source[i])][0],
                "source": row.source if row else _STAND_INS[int(self.source[i])][1],
                "profile": ({"desirability": row.desirability, "agency": row.agency,
                             "norm": row.norm, "tags": row.tags} if row else
                            {"desirability": round(float(self.desirability[i]), 4)}),
                "appraisal": {"pleasantness": round(float(self.pleasant[i]), 4),
                              "agency": agencies[int(self.agency[i])],
                              "whose": whose[int(self.whose[i])],
                              "certainty": "prospective" if pending[i] else "actual",
                              "negated": bool(self.negated[i])},
                "rule": RULES[r].name if r >= 0 else None,
                "occ": RULES[r].occ if r >= 0 else None,
                "condition": RULES[r].condition if r >= 0 else None,
                "emotions": ([{"concept": label, "tier": tier,
                               "weight": round(float(w * self.strength[i]), 4)}
                              for label, tier, w in RULES[r].emits[:2]] if r >= 0 else []),
                "surprise": ({"rule": SURPRISE_RULES[beside[i]].name,
                              "condition": SURPRISE_RULES[beside[i]].condition,
                              "weight": round(float(SURPRISE_RULES[beside[i]].emits[0][2]
                                                    * self.strength[i]), 4)}
                             if beside[i] >= 0 else None),
                "strength": round(float(self.strength[i]), 4),
                "precedence": bool(self.lex_doc[d]),
            })
        # what the document's emotion words keep beside the events (merge_scores)
        speaks = any(e["weight"] > 0 for ev in out for e in ev["emotions"]) \
            or any(ev["surprise"] and ev["surprise"]["weight"] > 0 for ev in out)
        speaks = speaks and not self.lex_doc[d]
        keep = float(self.word_yield(np.array([d]))[0]) if speaks else 1.0
        for ev in out:
            ev["words_keep"] = keep
        return out

    def word_yield(self, docs: np.ndarray) -> np.ndarray:
        """Per document, the share of its emotion words' scores (other than attitudes) kept
        beside its appraised events when no feeling word takes precedence: :data:`ACT_YIELD`
        where a word was read as the act it names, else :data:`EVALUATIVE_YIELD`."""
        return np.where(self.act_doc[docs], ACT_YIELD, EVALUATIVE_YIELD)

    def appraisal(self, d: int) -> dict:
        """Document ``d``'s appraisal: each dimension's value and score (the strength-weighted
        share of its events that agree), or {} without events."""
        rng = self._range(d)
        if not len(rng):
            return {}
        sl = slice(rng.start, rng.stop)
        w = self.strength[sl] * (self.rule[sl] >= 0) + 1e-9
        total = float(w.sum())

        def pick(values, labels):
            scores = {lab: float(w[values == k].sum()) / total for k, lab in enumerate(labels)}
            best = max(scores, key=lambda k: scores[k])
            return {"value": best, "score": round(scores[best], 4)}

        pleasant = float((self.pleasant[sl] * w).sum() / total)
        out = {"pleasantness": {"value": "pleasant" if pleasant > 0 else "unpleasant"
                                if pleasant < 0 else "neutral", "score": round(pleasant, 4)},
               "agency": pick(self.agency[sl], ("circumstance", "other", "self")),
               "certainty": pick(self.outcome_pending()[sl].astype(np.int64),
                                 ("actual", "prospective")),
               "control": pick((self.agency[sl] == 2).astype(np.int64), ("low", "high")),
               "relevance": {"value": "high" if float(np.abs(self.pleasant[sl]).max()) >= 0.5
                             else "low", "score": round(float(np.abs(self.pleasant[sl]).max()), 4)},
               "suddenness": pick((self.sudden[sl] | self.unexpected[sl]
                                   | ((self.tags[sl] & TAG_BITS["novel"]) != 0)).astype(np.int64),
                                  ("gradual", "sudden"))}
        out["norm"] = pick(((self.norm[sl] < 0) & (self.agency[sl] > 0)
                            & (self.pleasant[sl] < 0)).astype(np.int64), ("compatible", "violated"))
        out["whose"] = pick(self.whose[sl], ("unspecified", "self", "other"))
        return out

    def causes(self, d: int, text: str, spans=()) -> list[dict]:
        """Cause spans of document ``d``: each appraised event's clause (cue: the causal link
        that opens it, else the event term), and for each emotion word the clause a causal
        link after it (*because*, *that*, *of* ...) or a *so* before it attaches."""
        a, b = self.appraiser, self.batch
        table = a.table
        out: dict = {}
        lo, hi = int(b.doc_ptr[d]), int(b.doc_ptr[d + 1])
        doc_flags = a.flags(b.key[lo:hi], b.lemma[lo:hi])

        class _Flags:  # global token index -> this document's cue bits
            def __getitem__(self, t):
                return int(doc_flags[t - lo])

        flags = _Flags()

        def add(t0, t1, emotion, cue, score, kind):
            if t1 <= t0:
                return
            start, end = int(b.start[t0]), int(b.end[t1 - 1])
            key = (start, end, emotion)
            if key not in out or out[key]["score"] < score:
                out[key] = {"start": start, "end": end, "text": text[start:end],
                            "emotion": emotion, "cue": cue, "score": round(float(score), 4),
                            "kind": kind}

        for i in self._range(d):
            r = int(self.rule[i])
            if r < 0:
                continue
            cs, ce = int(self.clause_start[i]), int(self.clause_end[i])
            label, tier, _ = RULES[r].emits[0]
            opener = cs - 1
            if opener >= int(self.sent_start[i]) and flags[opener] & CAUSE:
                cue = text[int(b.start[opener]):int(b.end[opener])]
            else:
                s, e = int(self.tok_start[i]), int(self.tok_end[i])
                cue = text[int(b.start[s]):int(b.end[e - 1])]
            add(cs, ce, _primary(table, label, tier), cue, self.strength[i], "event")
        if spans:
            starts = b.start[lo:hi]
            bound = BOUND | CAUSE | BACK
            for span in spans:
                t_end = lo + int(np.searchsorted(starts, span.end))  # first token after it
                t_first = lo + int(np.searchsorted(starts, span.start))
                emotion = _primary(table, span.concept, span.tier)
                # forward: a causal link or a preposition of cause within two tokens
                for t in range(t_end, min(t_end + 3, hi)):
                    f = int(flags[t])
                    word = text[int(b.start[t]):int(b.end[t])].lower()
                    if f & CAUSE or word in _CAUSE_PREPOSITIONS:
                        u = t + 1
                        while u < hi and not (flags[u] & (BOUND | BACK)) and not (
                                b.flags[u] & 4):
                            u += 1
                        obj = (text[int(b.start[t + 1]):int(b.end[u - 1])].lower()
                               if u > t + 1 else "")
                        if obj.strip(" .,!?;:") not in _IDIOM_OBJECTS:
                            add(t + 1, u, emotion, word, span.score, "link")
                        break
                    if f & (BOUND | BACK):
                        break
                # backward: "X, so I was sad" / "that's why I am sad"
                for t in range(t_first - 1, max(t_first - 4, lo - 1), -1):
                    f = int(flags[t])
                    if f & BACK and t < t_first - 1 and (t == lo or flags[t - 1] & BOUND
                                                          or b.flags[t] & 4):
                        u = t - 1
                        while u > lo and (flags[u] & BOUND):
                            u -= 1
                        v = u
                        while v > lo and not (flags[v - 1] & bound) and not (b.flags[v] & 4):
                            v -= 1
                        add(v, u + 1, emotion, text[int(b.start[t]):int(b.end[t])].lower(),
                            span.score, "link")
                        break
                    if f & BOUND:
                        break
        return sorted(out.values(), key=lambda c: (c["start"], c["end"], c["emotion"]))


#: what stands in for an event term (``AppraisalBatch.source`` 1, 2): anchor and source
_STAND_INS = {1: ("valence word", "valence.tsv"), 2: ("exclaimed negation", "grammar")}
_CAUSE_PREPOSITIONS = frozenset(("of", "about", "at", "with", "for", "over", "by", "to"))
#: what follows such a preposition in an adverbial idiom, not a cause ("not happy at all",
#: "sad at first", "angry at least once", "happiest of all")
_IDIOM_OBJECTS = frozenset(("all", "first", "last", "least", "most", "once", "times", "length",
                            "large", "best", "worst", "heart", "ease", "peace", "home"))


#: the rules whose event is a danger present now, its harm still to come
_PENDING_RULES = np.array([i for i, r in enumerate(RULES) if r.name in ("threat",
                                                                       "anxiety-pending")])


def _primary(table, label: str, tier: int) -> str:
    i = table.index(label, tier)
    chain = table.ancestors(i)
    return table.labels[chain[-1]] if chain else label


def for_annotator(annotator, spec=None) -> "Appraiser | None":
    """The appraiser an :class:`~tone.annotator.Annotator` uses: ``None`` the shipped event
    lexicon (cached on disk), ``False`` none, or an :class:`Appraiser`."""
    if spec is False:
        return None
    if isinstance(spec, Appraiser):
        return spec
    tokenize = None
    if getattr(annotator, "tokenizer", "fast") == "spacy":
        from ..text import spacy_tokenize as tokenize
    if getattr(annotator, "_ontology", None) is None and tokenize is None:
        from .._resources import data_dir
        from ..cache import cached

        inputs = sorted(data_dir("ontology").glob("*.ttl"))
        inputs += [data_dir("lexicons") / "en" / name for name in
                   ("events.tsv", "events_review.tsv", "modifiers.tsv")]
        inputs += [__file__, __file__.replace("__init__.py", "occ.py")]  # rules: occ.py
        return cached("appraisal", inputs, lambda: Appraiser(annotator.table))
    return Appraiser(annotator.table, tokenize=tokenize)


def merge_scores(table, appraised: AppraisalBatch, row: np.ndarray, scores: tuple):
    """Add the appraised emotions to a batch's CSR scores (:func:`tone.scoring.reason.sparse_scores`).

    Documents without emotion words but with appraisal evidence get new rows after the
    existing ones (so existing rows, and the inference results indexed by them, keep their
    numbers). Evidence adds: score = 1 - (1 - words)(1 - appraisal), i.e. the two evidence sums
    add before the saturating ``1 - exp(-x)`` of the roll-up; a document whose words are only
    evaluative (:data:`EVALUATIVE`) or attitudes (:data:`ATTITUDE_PRIMARIES`) first scales the
    evaluative words' scores by :data:`EVALUATIVE_YIELD`. Returns ``(row, scores)``."""
    from ..scoring.reason import _sum_by_key, sparse_scores

    adoc, acon, aw = appraised.evidence()
    keep = aw > 0
    adoc, acon, aw = adoc[keep], acon[keep], aw[keep]
    if not len(adoc):
        return row, scores
    ptr, col, val = scores
    n_old = len(ptr) - 1
    judged = np.unique(adoc[(row[adoc] >= 0) & ~appraised.lex_doc[adoc]])
    if len(judged):  # evaluative words or attitudes only, and an appraised event
        factor = np.ones(n_old)
        factor[row[judged]] = appraised.word_yield(judged)
        factor = np.where(appraised.appraiser.attitude(col), 1.0,
                          np.repeat(factor, np.diff(ptr)))
        val = np.asarray(val) * factor.astype(np.asarray(val).dtype)
    row = row.copy()
    new_docs = np.unique(adoc[row[adoc] < 0])
    row[new_docs] = n_old + np.arange(len(new_docs))
    n_rows = n_old + len(new_docs)
    aptr, acol, aval = sparse_scores(table, row[adoc], acon, aw, n_rows)
    n_c = len(table)
    keys = np.concatenate([np.repeat(np.arange(n_old, dtype=np.int64), np.diff(ptr)) * n_c
                           + col, np.repeat(np.arange(n_rows, dtype=np.int64),
                                            np.diff(aptr)) * n_c + acol])
    logs = np.log1p(-np.minimum(np.concatenate([np.asarray(val, np.float64),
                                                 np.asarray(aval, np.float64)]), 1 - 1e-12))
    keys, total = _sum_by_key(keys, logs)
    values = 1.0 - np.exp(total)
    new_ptr = np.searchsorted(keys // n_c, np.arange(n_rows + 1)).astype(np.int64)
    return row, (new_ptr, keys % n_c, values.astype(np.asarray(val).dtype if len(val)
                                                      else np.float64))
