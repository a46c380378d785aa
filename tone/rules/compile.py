"""Compile parsed rule files into flat numpy tables for the kernel.

Word classes become *cue patterns* (token-key sequences, the longest first), reached through
an open-addressing hash table over the first token's uint64 key. Rules become parameter
arrays; ``on`` concept sets become a boolean matrix ``member[n_rules, n_concepts]``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from tone.errors import ToneError
from tone.ruleslang import ConceptResolver, nearest
from tone.ruleslang.grammar import (IDIOM_WEIGHT_RANGE, KINDS, RANGES, WEIGHT_RANGE, ClassDef,
                                    ClassRef, Idiom, Rule, RuleFile, SetDef, WordList,
                                    describe_range, in_range)

from .codes import ACTION_CODES, KIND_CODES, MAX_RULES, QUESTION, TERMINAL, RuleTables

__all__ = ["CompiledRules", "compile_rules", "MAX_RULES"]

#: Built-in classes the kernel reads for sentence structure (when they exist).
STRUCTURE_CLASSES = ("clause_end", "sentence_end", "exclaim", "question")
DEFAULT_STOPS = ("clause_end", "contrast_before", "contrast_after")

#: Defaults per kind (window, factor/f1, else/f2, cap, gain, decay, max).
DEFAULTS: dict[str, dict[str, Any]] = {
    "negate": {"window": 3, "action": "flip", "to": None, "factor": None, "else": 0.26},
    "scale": {"window": 3, "gain": 1.0, "decay": 0.05, "cap": 4.0},
    "dampen": {"window": 8},
    "contrast": {"before": 0.5, "after": 1.5},
    "concede": {"window": 16, "clause": 0.5, "rest": 1.5},
    "question": {},
    "exclaim": {"max": 4},
    "caps": {},
    "elongated": {},
    "repeat": {"max": 3},
    "frame": {"window": 3, "rest": 1.0},
}


@dataclass
class CompiledRules:
    """Everything the kernel needs (``tables``, one :class:`~tone.rules.codes.RuleTables`),
    plus names for explanations: each rule, its file, the cue patterns' texts."""

    names: list[str]
    rules: list[Rule]
    paths: list[str | None]
    tables: RuleTables
    pat_terms: list[str]
    n_slots: int
    classes: dict[str, list[tuple[str, float]]] = field(repr=False, default_factory=dict)
    #: ``(phrase, concept index, weight, idiom name)`` of every ``idiom`` statement, in order
    idioms: list[tuple[str, int, float, str]] = field(default_factory=list)


def flip_targets(parent: np.ndarray, opposite: np.ndarray) -> np.ndarray:
    """For each concept, the opposite of itself or of its nearest ancestor that has one (-1).

    >>> flip_targets(np.array([-1, 0, 1, -1]), np.array([3, -1, -1, 0])).tolist()
    [3, 3, 3, 0]
    """
    n = len(parent)
    out = np.full(n, -1, dtype=np.int32)
    for c in range(n):
        x, steps = c, 0
        while 0 <= x < n and steps <= n:
            if opposite[x] >= 0:
                out[c] = opposite[x]
                break
            x = parent[x]
            steps += 1
    return out


class _Compiler(ConceptResolver):
    """The concept resolver of the rule language plus the word classes of text rules."""

    def __init__(self, classes, table, ontology, tokenize, problems=None):
        super().__init__(table, ontology, problems)
        self.classes = {k: list(v) for k, v in classes.items()}
        self.tokenize = tokenize

    # word classes --------------------------------------------------------------------------
    def words(self, rf, words: WordList) -> list[tuple[str, float]]:
        """The ``(term, weight)`` items of a word list, each weight checked against its range."""
        out = []
        for i, (term, weight) in enumerate(words.items):
            if weight is None:
                weight = 1.0
            elif not in_range(weight, WEIGHT_RANGE):
                self.fail(rf, describe_range("a word weight", WEIGHT_RANGE), words.weight_loc(i))
                weight = 1.0
            out.append((term.lower(), float(weight)))
        return out

    def class_def(self, rf, st: ClassDef):
        items = self.words(rf, st.words)
        if st.op == "=":
            if st.name in self.classes:
                self.fail(rf, f"word class {st.name!r} already exists (use '+=' to extend it)",
                          st.loc)
                return
            self.classes[st.name] = items
        else:
            if st.name not in self.classes:
                self.fail_name(rf, f"unknown word class {st.name!r} (use '=' to define it)",
                               st.loc, name=st.name, what="word class", known=self.named())
                return
            self.classes[st.name].extend(items)

    def named(self) -> list[str]:
        """The word classes with a name (not the anonymous lists of rules), sorted."""
        return sorted(k for k in self.classes if "." not in k)

    def unknown_class(self, rf, name: str, loc: int) -> None:
        known = self.named()
        hint = "" if nearest(name, known) else f" (known: {', '.join(known)})"
        self.fail_name(rf, f"unknown word class {name!r}{hint}", loc, name=name,
                       what="word class", known=known)

    def cue_classes(self, rf, rule: Rule, option: str, anon_prefix: str) -> list[str]:
        out = []
        for i, cue in enumerate(rule.option(option, ())):
            if isinstance(cue, ClassRef):
                if cue.name not in self.classes:
                    self.unknown_class(rf, cue.name, cue.loc)
                    continue
                out.append(cue.name)
            else:
                name = f"{anon_prefix}.{option}{i}"
                self.classes[name] = self.words(rf, cue)
                out.append(name)
        return out


def _checked_options(c: _Compiler, rf, rule: Rule) -> dict[str, Any]:
    """The rule's options over its kind's defaults, every number checked against
    :data:`~tone.rules.grammar.RANGES`. An out-of-range value is reported and replaced by the
    default (or the nearest bound), so collecting problems never builds tables from it."""
    opts = {**DEFAULTS[rule.kind], **dict(rule.options)}
    for name in sorted(RANGES, key=rule.option_loc):  # report in file order
        bounds, value = RANGES[name], opts.get(name)
        if value is None or in_range(value, bounds):
            continue
        integer = name in ("window", "max")
        c.fail(rf, f"rule {rule.name!r}: {describe_range(name, bounds, integer)}",
               rule.option_loc(name))
        fallback = DEFAULTS[rule.kind].get(name)
        if fallback is None:
            fallback = bounds[0]
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and math.isfinite(value):
                fallback = min(max(value, bounds[0]), bounds[1])
        opts[name] = int(fallback) if integer else float(fallback)
    return opts


def compile_rules(files: list[RuleFile], classes: dict[str, list[tuple[str, float]]], table,
                  ontology=None, tokenize: Callable | None = None,
                  problems: list | None = None) -> CompiledRules:
    """Resolve names, check values and build the kernel tables.

    Raises :class:`~tone.errors.RuleNameError` (unknown word class, concept label or set),
    :class:`~tone.errors.RuleSyntaxError` (value out of range, duplicate name, too many
    rules), both located at ``file:line:col``; with ``problems`` a list, they are appended to it
    instead. :class:`~tone.errors.ToneError` when no ``tokenize`` is given.
    """
    c = _Compiler(classes, table, ontology, tokenize, problems)
    n_c = len(table.labels)
    rules: list[tuple[RuleFile, Rule]] = []
    seen_names: dict[str, Rule] = {}
    rule_cues, rule_stops, rule_except = [], [], []
    rule_opts: list[dict[str, Any]] = []
    members = []
    idioms: list[tuple[str, int, float, str]] = []
    for rf in files:
        for st in rf.statements:
            if isinstance(st, Idiom):
                if st.name in seen_names:
                    c.fail(rf, f"rule name {st.name!r} is used twice", st.loc)
                    continue
                seen_names[st.name] = st
                concept = c.label(rf, st.concept, general=False)
                for i, (term, weight) in enumerate(st.words.items):
                    weight = 1.0 if weight is None else weight
                    if not (in_range(weight, IDIOM_WEIGHT_RANGE) and weight > 0):
                        c.fail(rf, "an idiom's weight must be a number from 0 (excluded) to 1",
                               st.words.weight_loc(i))
                        continue
                    if not term.strip():
                        c.fail(rf, "an idiom's phrase must not be empty", st.words.loc)
                        continue
                    if concept >= 0:
                        idioms.append((" ".join(term.lower().split()), concept, float(weight),
                                       st.name))
            elif isinstance(st, ClassDef):
                c.class_def(rf, st)
            elif isinstance(st, SetDef):
                c.define(rf, st)
            elif isinstance(st, Rule):
                if st.name in seen_names:
                    c.fail(rf, f"rule name {st.name!r} is used twice", st.loc)
                    continue
                seen_names[st.name] = st
                if len(rules) == MAX_RULES:
                    c.fail(rf, f"too many rules (at most {MAX_RULES})", st.loc)
                    continue
                rules.append((rf, st))
                prefix = f"{st.name}"
                rule_cues.append(c.cue_classes(rf, st, "cues", prefix))
                if st.option("stop") is not None:
                    rule_stops.append(c.cue_classes(rf, st, "stop", prefix))
                elif "stop" in KINDS[st.kind]:
                    rule_stops.append([s for s in DEFAULT_STOPS if s in c.classes])
                else:
                    rule_stops.append([])
                rule_except.append(c.cue_classes(rf, st, "except", prefix))
                members.append(c.concepts(rf, st.concepts) if st.concepts is not None
                               else np.ones(n_c, dtype=bool))
                rule_opts.append(_checked_options(c, rf, st))

    # patterns: every class a rule uses, plus the structure classes -----------------------
    used: list[str] = []
    for names in rule_cues + rule_stops + rule_except:
        used.extend(names)
    used.extend(s for s in STRUCTURE_CLASSES if s in c.classes)
    used = list(dict.fromkeys(used))
    if c.tokenize is None:
        raise ToneError("compiling rules needs a tokenizer (tone.text.tokenize or tokenize=)")
    all_terms = sorted({t for name in used for t, _ in c.classes[name]})
    key_of: dict[str, tuple[int, ...]] = {}
    if all_terms:
        tb = c.tokenize(all_terms)
        ptr = np.asarray(tb.doc_ptr)
        keys = np.asarray(tb.key, dtype=np.uint64)
        for i, t in enumerate(all_terms):
            seq = tuple(int(k) for k in keys[ptr[i]:ptr[i + 1]])
            if seq:
                key_of[t] = seq
    pat_index: dict[tuple[int, ...], int] = {}
    pat_terms: list[str] = []
    pat_class_w: list[dict[str, float]] = []
    for name in used:
        for t, w in c.classes[name]:
            seq = key_of.get(t)
            if seq is None:
                continue
            p = pat_index.setdefault(seq, len(pat_index))
            if p == len(pat_terms):
                pat_terms.append(t)
                pat_class_w.append({})
            pat_class_w[p].setdefault(name, w)
    n_p, n_r = len(pat_index), len(rules)
    seqs = list(pat_index)
    pat_ptr = np.zeros(n_p + 1, dtype=np.int64)
    pat_ptr[1:] = np.cumsum([len(s) for s in seqs]) if n_p else []
    pat_keys = np.array([k for s in seqs for k in s], dtype=np.uint64)
    pat_rule_w = np.full((n_p, n_r), np.nan, dtype=np.float64)
    pat_stop = np.zeros((n_p, n_r), dtype=bool)
    for r in range(n_r):
        for p in range(n_p):
            cw = pat_class_w[p]
            if any(x in cw for x in rule_except[r]):
                continue
            for name in rule_cues[r]:
                if name in cw:
                    pat_rule_w[p, r] = cw[name]
                    break
            if np.isnan(pat_rule_w[p, r]) and any(x in cw for x in rule_stops[r]):
                pat_stop[p, r] = True
    pat_term = np.zeros(n_p, dtype=np.int8)
    pat_excl = np.zeros(n_p, dtype=np.float32)
    for p in range(n_p):
        cw = pat_class_w[p]
        if "sentence_end" in cw or "exclaim" in cw or "question" in cw:
            pat_term[p] |= TERMINAL
        if "question" in cw:
            pat_term[p] |= QUESTION
        if "exclaim" in cw:
            pat_excl[p] = cw["exclaim"]

    # hash table: first key -> patterns starting with it, longest first -------------------
    firsts: dict[int, list[int]] = {}
    for p, s in enumerate(seqs):
        firsts.setdefault(s[0], []).append(p)
    cap = 8
    while cap < 2 * max(1, len(firsts)):
        cap *= 2
    ht_key = np.zeros(cap, dtype=np.uint64)
    ht_used = np.zeros(cap, dtype=bool)
    ht_begin = np.zeros(cap, dtype=np.int64)
    ht_count = np.zeros(cap, dtype=np.int64)
    order: list[int] = []
    for k, ps in firsts.items():
        h = k & (cap - 1)
        while ht_used[h]:
            h = (h + 1) & (cap - 1)
        ps = sorted(ps, key=lambda p: -len(seqs[p]))
        ht_used[h], ht_key[h], ht_begin[h], ht_count[h] = True, k, len(order), len(ps)
        order.extend(ps)

    # rule parameters ---------------------------------------------------------------------
    r_kind = np.zeros(n_r, dtype=np.int64)
    r_window = np.zeros(n_r, dtype=np.int64)
    r_max = np.zeros(n_r, dtype=np.int64)
    r_action = np.zeros(n_r, dtype=np.int64)
    r_target = np.full(n_r, -1, dtype=np.int64)  # negate ... to L: the flip target (-1: opposite)
    r_slot = np.full(n_r, -1, dtype=np.int64)
    r_f1 = np.ones(n_r)
    r_f2 = np.ones(n_r)
    r_cap = np.full(n_r, 4.0)
    r_gain = np.ones(n_r)
    r_decay = np.zeros(n_r)
    n_slots = 0
    for r, (rf, st) in enumerate(rules):
        o = rule_opts[r]
        r_kind[r] = KIND_CODES[st.kind]
        r_window[r] = o.get("window", 0) or 0
        r_max[r] = o.get("max", 0) or 0
        if st.kind == "negate":
            r_action[r] = ACTION_CODES[o["action"]]
            default = {"flip": 0.74, "dampen": 0.26, "mark": 1.0}[o["action"]]
            r_f1[r] = o["factor"] if o["factor"] is not None else default
            r_f2[r] = o["else"]
            if o["to"] is not None:
                r_target[r] = c.label(rf, o["to"], general=False)
        elif st.kind in ("dampen", "question", "caps", "elongated"):
            r_f1[r] = o["factor"]
        elif st.kind == "scale":
            r_gain[r], r_decay[r], r_cap[r] = o["gain"], o["decay"], o["cap"]
        elif st.kind == "contrast":
            r_f1[r], r_f2[r] = o["before"], o["after"]
        elif st.kind == "concede":
            r_f1[r], r_f2[r] = o["clause"], o["rest"]
        elif st.kind == "frame":
            r_f1[r], r_f2[r] = o["factor"], o["rest"]
        elif st.kind in ("exclaim", "repeat"):
            r_f1[r] = o["per"]
        if st.kind in ("contrast", "concede"):
            r_slot[r] = n_slots
            n_slots += 1
    member = (np.array(members, dtype=bool).reshape(n_r, n_c) if n_r
              else np.zeros((0, n_c), dtype=bool))
    flips = flip_targets(np.asarray(table.parent), np.asarray(table.opposite))
    tables = RuleTables(
        ht_key=ht_key, ht_used=ht_used, ht_begin=ht_begin, ht_count=ht_count,
        order=np.array(order, dtype=np.int64), pat_ptr=pat_ptr, pat_keys=pat_keys,
        pat_rule_w=pat_rule_w, pat_stop=pat_stop, pat_term=pat_term, pat_excl=pat_excl,
        r_kind=r_kind, r_window=r_window, r_f1=r_f1, r_f2=r_f2, r_cap=r_cap, r_gain=r_gain,
        r_decay=r_decay, r_max=r_max, r_action=r_action, r_target=r_target, r_slot=r_slot,
        member=member, flip_target=flips)
    return CompiledRules(
        names=[st.name for _, st in rules], rules=[st for _, st in rules],
        paths=[rf.path for rf, _ in rules], tables=tables, pat_terms=pat_terms,
        n_slots=n_slots, classes=c.classes, idioms=idioms)

