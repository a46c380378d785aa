"""Ontology-driven inference over annotations: the second rule engine.

After the text rules have adjusted the lexicon evidence, ``infer`` rules (same rule files,
same grammar family: see ``rules/README.md``) reason with the ontology's relations:

* ``compose``: the parts of an ``isComposedOf`` concept present -> evidence for the composite;
* ``oppose``: evidence for both sides of an ``isOppositeOf`` pair in one clause is resolved by a
  declared policy (``mixed``, ``net``, ``stronger``);
* ``hierarchy``: a top-down prior from the document's scores for its sentences;
* ``transition``: in a dialogue, A's emotion plus B's reply raises the ``plusLeadsTo`` result in
  A's next turn.

Opposition runs over the matches of each clause; the rest is forward chaining over the
per-document evidence matrix by a Numba kernel (bounded rounds, no self-support). Every inferred
score names its rule and premises (:meth:`Inference.items`).

>>> from tone.ontology import Ontology
>>> onto = Ontology()
>>> rules = load(paths=[], ontology=onto, text="infer dyads: compose gain 1;")
>>> import numpy as np
>>> table = onto.table()
>>> e = np.zeros((1, len(table)))
>>> e[0, table.index("fear", 1)] = 1.0
>>> e[0, table.index("sadness", 1)] = 1.0
>>> out = rules.chain(e)
>>> round(float(out.evidence[0, table.index("despair")]), 3)
0.632
>>> [(i["concept"], i["rule"], [p["concept"] for p in i["premises"]])
...  for i in out.items(0, table)]
[('despair', 'dyads', ['fear', 'sadness'])]
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from pathlib import Path
from typing import Iterable

import numpy as np

from tone.errors import DataFileError, RuleSyntaxError, ToneError, UsageError

from .codes import SRC_DIALOGUE

__all__ = ["load", "check", "check_files", "InferenceRules", "ChainResult", "Inference", "default_inference",
           "dialogue_context", "for_annotator", "GROUPS"]

#: Rule kinds; each is also a group name for :meth:`InferenceRules.select`.
GROUPS = ("compose", "oppose", "hierarchy", "transition")
DEFAULT_ROUNDS = 3


def _files(paths, text):
    from tone.ruleslang import default_rule_paths, parse_file, parse_text

    files = [parse_file(p) for p in (default_rule_paths() if paths is None else paths)]
    if text is not None:
        files.append(parse_text(text))
    return files


def load(paths: Iterable[str | Path] | None = None, table=None, ontology=None, *,
         text: str | None = None, rounds: int = DEFAULT_ROUNDS) -> "InferenceRules":
    """Parse and compile the ``infer`` statements of rule files (default: ``rules/en/*.rules``).

    ``text`` adds rule text after the files.

    Raises :class:`~tone.errors.RuleSyntaxError` at ``file:line:col`` for a malformed file or
    a bad value, :class:`~tone.errors.RuleNameError` (a ``RuleSyntaxError``, with a
    suggestion) for an unknown concept, set or relation. Other statements (``rule``,
    ``idiom``...) are the text-rule engine's and are not checked here.
    """
    from .compile import compile_inference

    if ontology is None:
        from tone.ontology import Ontology

        ontology = Ontology()
    if table is None:
        table = ontology.table()
    compiled = compile_inference(_files(paths, text), table, ontology)
    return InferenceRules(compiled, rounds=rounds)


def check(path: str | Path, ontology=None) -> list[ToneError]:
    """Every located problem of the ``infer`` statements of one rule file ([] when fine);
    :func:`tone.ruleslang.check` (``tone rules check``) runs every engine. Problems are
    returned, not raised."""
    try:
        files = _files([path], None)
    except (RuleSyntaxError, DataFileError) as err:
        return [err]
    if ontology is None:
        from tone.ontology import Ontology

        ontology = Ontology()
    return check_files(files, ontology.table(), ontology)


def check_files(files: list, table, ontology=None, problems: list | None = None) -> list:
    """The inference engine's checker (see :mod:`tone.ruleslang.engines`): compile the
    ``infer`` statements (and the ``set`` statements they use) of parsed ``files`` and append
    every problem to ``problems`` (a new list when None), which is returned. Never raises for
    a problem of the files."""
    from .compile import compile_inference

    problems = [] if problems is None else problems
    if ontology is None:
        from tone.ontology import Ontology

        ontology = Ontology()
    compile_inference(files, table, ontology, problems=problems)
    return problems


def default_inference(ontology_loader=None) -> "InferenceRules":
    """The shipped inference rules, compiled once and cached on disk (the key includes every
    rule file, ontology file and lexicon table, so new links, VAD values or rules are picked
    up)."""
    from tone._resources import data_dir
    from tone.cache import cached

    inputs = sorted(data_dir("ontology").glob("*.ttl"))
    inputs += sorted(data_dir("ontology").glob("mappings/*.ttl"))
    inputs += sorted(data_dir("lexicons").glob("en/*.tsv"))
    inputs += sorted(data_dir("rules").glob("en/*.rules"))

    def build():
        onto = ontology_loader() if ontology_loader is not None else None
        return load(ontology=onto)

    return cached("inference", inputs, build)


@dataclass
class ChainResult:
    """The forward-chaining result over units (documents or turns).

    ``evidence`` is observed + prior + inferred; ``contrib[u, d]`` the evidence derivation ``d``
    added to unit ``u``; ``premise_scores[u, d, i]`` the score of its premise ``i``;
    ``prior[u]`` the hierarchy prior added; ``rounds[u]`` the rounds the fixed point took.
    """

    evidence: np.ndarray
    contrib: np.ndarray
    premise_scores: np.ndarray
    rounds: np.ndarray
    rules: "InferenceRules"
    observed: np.ndarray

    def items(self, u: int, table, scores: np.ndarray | None = None) -> list[dict]:
        """The inferred items of unit ``u``: concept, tier, score (the concept's final score),
        evidence added, rule, kind and premises (concept, tier, score)."""
        c = self.rules._c
        out = []
        row = self.contrib[u]
        for d in np.nonzero(row > 0)[0]:
            t = int(c.d_target[d])
            r = int(c.d_rule[d])
            prem = []
            for i in range(int(c.d_nprem[d])):
                p = int(c.d_prem[d, i])
                prem.append({"concept": table.labels[p], "tier": int(table.tiers[p]),
                             "score": round(float(self.premise_scores[u, d, i]), 4)})
            if c.d_src[d] == SRC_DIALOGUE:
                prem[0]["turn"] = "previous turn of the same speaker"
                prem[1]["turn"] = "the reply in between"
            score = (float(scores[t]) if scores is not None
                     else 1.0 - float(np.exp(-self.evidence[u, t])))
            out.append({"concept": table.labels[t], "tier": int(table.tiers[t]),
                        "score": round(score, 4), "evidence": round(float(row[d]), 4),
                        "rule": c.names[r], "kind": c.kinds[r], "premises": prem})
        prior = self.evidence[u] - self.observed[u] - _inferred_at(c, row, len(table))
        for t in np.nonzero(prior > 1e-9)[0]:
            r = next((i for i, k in enumerate(c.kinds) if k == "hierarchy"
                      and self.rules._c.r_enabled[i] and c.r_member[i, t]), None)
            out.append({"concept": table.labels[t], "tier": int(table.tiers[t]),
                        "score": round(float(scores[t]) if scores is not None else 0.0, 4),
                        "evidence": round(float(prior[t]), 4),
                        "rule": c.names[r] if r is not None else "hierarchy", "kind": "hierarchy",
                        "premises": [{"concept": table.labels[t], "tier": int(table.tiers[t]),
                                      "context": "document"}]})
        return out


def _inferred_at(c, row, n_c):
    out = np.zeros(n_c)
    np.add.at(out, c.d_target, row)
    return out


class Inference:
    """What inference did to one batch, over its *rows* (the documents with evidence, or every
    turn of a dialogue): final match weights, the opposition records and the chain result.

    ``oppositions`` are the opposition records, or (``mixed`` policy only, which changes no
    weight) a function computing them on first read. Traces are built only when read:
    :meth:`items` gives a row's inferred items and :meth:`steps` a match's opposition steps;
    :meth:`scores` gives every row's final scores as CSR arrays, computed densely only for the
    rows the chain changed."""

    def __init__(self, rules: "InferenceRules", table, weight, row, concept, n_rows: int,
                 chain: "ChainResult | None", oppositions: "list | partial",
                 chain_rows: np.ndarray | None = None) -> None:
        self.rules, self.table = rules, table
        self.weight, self.row, self.concept, self.n_rows = weight, row, concept, n_rows
        self.oppositions = oppositions
        self.chain = None
        self._busy_pos = np.full(n_rows, -1, dtype=np.int64)
        if chain is not None:  # keep the rows the chain changed, drop the rest
            busy = np.flatnonzero((chain.contrib > 0).any(axis=1)
                                  | (np.abs(chain.evidence - chain.observed) > 1e-9).any(axis=1))
            self.busy = busy if chain_rows is None else chain_rows[busy]
            self._busy_pos[self.busy] = np.arange(len(busy))
            self.chain = ChainResult(chain.evidence[busy], chain.contrib[busy],
                                     chain.premise_scores[busy], chain.rounds[busy],
                                     chain.rules, chain.observed[busy])
        self._traces = None

    def scores(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Final concept scores of every row, as :func:`tone.scoring.reason.sparse_scores`' CSR arrays:
        the observed evidence (after opposition) plus transition and hierarchy evidence, rolled
        up; then each composite's own score adds its inferred evidence *without* rolling it up
        (its parts already count for their primaries, so a dyad never double-counts nor
        invents a primary)."""
        from tone.scoring.reason import sparse_scores

        if self.chain is None or not len(self.busy):
            return sparse_scores(self.table, self.row, self.concept, self.weight, self.n_rows)
        c = self.rules._c
        compose = self.rules.compose_mask
        direct = np.zeros_like(self.chain.evidence)
        if compose.any():
            np.add.at(direct.T, c.d_target[compose], self.chain.contrib[:, compose].T)
        # the changed rows' evidence replaces their matches; composites' own evidence is direct
        rolled = self.chain.evidence - direct
        r, col = np.nonzero(rolled)
        dr, dcol = np.nonzero(direct)
        keep = self._busy_pos[self.row] < 0
        return sparse_scores(
            self.table, np.concatenate([self.row[keep], self.busy[r]]),
            np.concatenate([self.concept[keep], col]),
            np.concatenate([self.weight[keep].astype(np.float64), rolled[r, col]]), self.n_rows,
            direct=(self.busy[dr], dcol, direct[dr, dcol]))

    def _trace(self) -> tuple[dict, dict]:
        """Opposition items by row and opposition steps by match, built on first read."""
        if self._traces is not None:
            return self._traces
        if callable(self.oppositions):  # deferred: weights were not to change
            self.oppositions = self.oppositions()[1]
        c, table = self.rules._c, self.table
        labels, tiers = table.labels, table.tiers
        by_row: dict = {}
        steps: dict = {}
        for scope, idx, unit, records in self.oppositions:
            for m0, k, a_ev, b_ev, a_f, b_f in zip(*records):
                k = idx[k]
                r, a, b = int(c.pair_rule[k]), int(c.pair_a[k]), int(c.pair_b[k])
                by_row.setdefault(int(self.row[m0]), []).append({
                    "concept": labels[a], "tier": int(tiers[a]),
                    "opposite": labels[b], "opposite_tier": int(tiers[b]),
                    "rule": c.names[r], "kind": "oppose", "policy": c.policies[r],
                    "scope": scope,
                    "premises": [{"concept": labels[a], "tier": int(tiers[a]),
                                  "score": round(1 - float(np.exp(-a_ev)), 4),
                                  "factor": round(float(a_f), 4)},
                                 {"concept": labels[b], "tier": int(tiers[b]),
                                  "score": round(1 - float(np.exp(-b_ev)), 4),
                                  "factor": round(float(b_f), 4)}]})
                u = unit[m0]
                m = m0
                while m < len(unit) and unit[m] == u:
                    cc = int(self.concept[m])
                    if c.anc[cc, a] != c.anc[cc, b]:
                        f, other = (a_f, b) if c.anc[cc, a] else (b_f, a)
                        steps.setdefault(m, []).append((c.names[r], labels[other],
                                                        round(float(f), 4)))
                    m += 1
        self._traces = (by_row, steps)
        return self._traces

    def items(self, r: int, table, scores=None) -> list[dict]:
        """Row ``r``'s inferred items (opposition first, then the chain's conclusions);
        ``scores`` (the row's dense final scores) gives each conclusion's score."""
        out = list(self._trace()[0].get(r, ()))
        pos = int(self._busy_pos[r])
        if self.chain is not None and pos >= 0:
            out.extend(self.chain.items(pos, table, scores))
        return out

    def steps(self, i: int) -> list[tuple[str, str, float]]:
        """``(rule, other side's label, factor)`` for match ``i`` (opposition only)."""
        if not self.oppositions:
            return []
        return self._trace()[1].get(int(i), [])


class InferenceRules:
    """Compiled inference rules. Build with :func:`load`; run with :meth:`run` or :meth:`chain`."""

    def __init__(self, compiled, rounds: int = DEFAULT_ROUNDS) -> None:
        self._c = compiled
        self.rounds = int(rounds)
        self._clause_keys = None
        #: which derivation rows come from compose rules (their evidence is not rolled up)
        self.compose_mask = np.array([compiled.kinds[r] == "compose" for r in compiled.d_rule],
                                     dtype=bool)

    @property
    def names(self) -> list[str]:
        return list(self._c.names)

    def enabled(self) -> list[str]:
        """Names of the rules that are on."""
        return [n for n, on in zip(self._c.names, self._c.r_enabled) if on]

    def describe(self, name: str) -> str:
        """Where a rule is defined, and its text."""
        return self._c.sources[self._c.names.index(name)]

    def select(self, on: Iterable[str] | None = None, off: Iterable[str] | None = None,
               only: Iterable[str] | None = None) -> "InferenceRules":
        """A copy with rules switched on or off by name or group (kind: compose, oppose,
        hierarchy, transition); ``only`` turns everything else off."""
        c = copy.copy(self._c)
        enabled = c.r_enabled.copy()

        def hits(keys):
            keys = list(keys)
            unknown = [k for k in keys if k not in c.names and k not in GROUPS and k != "all"]
            if unknown:
                raise UsageError(f"unknown inference rule or group {unknown[0]!r} (rules: "
                                 f"{', '.join(c.names)}; groups: {', '.join(GROUPS)})")
            keys = set(keys)
            return np.array([bool(keys & {"all", n, kind}) for n, kind in zip(c.names, c.kinds)],
                            dtype=bool)

        if only is not None:
            enabled = hits(only)
        if on is not None:
            enabled = enabled | hits(on)
        if off is not None:
            enabled = enabled & ~hits(off)
        c.r_enabled = enabled
        out = InferenceRules(c, self.rounds)
        out._clause_keys = self._clause_keys
        return out

    def __len__(self) -> int:
        return len(self._c.names)

    # -- kernels ------------------------------------------------------------------------
    def chain(self, evidence: np.ndarray, ctx_a=None, ctx_b=None, ctx_doc=None, context=None,
              rounds: int | None = None) -> ChainResult:
        """Forward chaining over ``evidence[n_units, n_concepts]``.

        ``ctx_a``/``ctx_b`` (dialogue): for each unit, the index of the speaker's previous turn
        and of the reply in between (-1: none); ``ctx_doc``/``context``: the row of ``context``
        that is the unit's document-level context (hierarchy priors)."""
        from .loader import get_kernels

        c = self._c
        ev = np.ascontiguousarray(evidence, dtype=np.float64)
        if ev.ndim != 2 or ev.shape[1] != len(c.parent):
            raise UsageError(f"evidence must be [n_units, {len(c.parent)}]")
        n_u = ev.shape[0]
        none = np.full(n_u, -1, dtype=np.int64)

        def idx(x):
            return none if x is None else np.ascontiguousarray(x, dtype=np.int64)

        ctx = (np.zeros((1, ev.shape[1])) if context is None
               else np.ascontiguousarray(context, dtype=np.float64))
        chain, _ = get_kernels()
        total, contrib, prem, used = chain(
            ev, idx(ctx_a), idx(ctx_b), idx(ctx_doc), ctx, c.order, c.parent, c.anc, c.vad,
            c.r_kind, c.r_gain, c.r_min, c.r_combine, c.r_enabled, c.r_member,
            c.p_ptr, c.p_op, c.p_arg, c.p_cmp, c.p_val, c.cond_sets,
            c.d_rule, c.d_target, c.d_prem, c.d_nprem, c.d_src,
            self.rounds if rounds is None else int(rounds))
        return ChainResult(total, contrib, prem, used, self, np.maximum(np.nan_to_num(ev), 0.0))

    def _clause_break_keys(self) -> np.ndarray:
        if self._clause_keys is None:
            from tone.rules.modifiers import read_modifiers
            from tone.text import tokenize

            classes = read_modifiers()
            terms = [t for cls in ("clause_end", "contrast_before", "contrast_after")
                     for t, _ in classes.get(cls, [])]
            batch = tokenize(terms)
            keys = [int(batch.key[batch.doc_ptr[i]]) for i in range(len(terms))
                    if batch.doc_ptr[i + 1] - batch.doc_ptr[i] == 1]
            self._clause_keys = np.unique(np.array(keys, dtype=np.uint64))
        return self._clause_keys

    def units(self, batch, doc, tok_start, scope: str) -> np.ndarray:
        """The unit (clause, sentence or document id) of each match; ascending with tokens."""
        if scope == "doc":
            return np.asarray(doc, dtype=np.int64)
        sent = np.zeros(len(batch.key), dtype=np.int64)
        sent_ptr = np.asarray(batch.sent_ptr)
        if len(sent_ptr) > 1:
            sent[sent_ptr[:-1][sent_ptr[:-1] < len(sent)]] = 1
        doc_ptr = np.asarray(batch.doc_ptr)
        sent[doc_ptr[:-1][doc_ptr[:-1] < len(sent)]] = 1
        if scope == "clause":
            sent |= np.isin(np.asarray(batch.key, dtype=np.uint64), self._clause_break_keys())
        ids = np.cumsum(sent)
        return ids[np.asarray(tok_start, dtype=np.int64)] if len(ids) else np.zeros(0, np.int64)

    def run(self, table, batch, matches, concept, weight, row: np.ndarray, n_rows: int,
            dialogue: tuple | None = None) -> Inference:
        """Opposition over the matches, then forward chaining over the rows' evidence.

        ``row[i]`` is the row (document or turn) of match ``i``, ``n_rows`` their number;
        ``dialogue`` the per-row context of :func:`dialogue_context`."""
        from tone.scoring.reason import evidence_matrix

        from .codes import POLICY_MIXED

        c = self._c
        weight = np.asarray(weight, dtype=np.float32)
        concept = np.asarray(concept, dtype=np.int64)
        row = np.asarray(row, dtype=np.int64)
        oppositions: list | partial = []
        on = c.r_enabled[c.pair_rule] if len(c.pair_rule) else np.zeros(0, bool)
        if on.any() and len(concept) >= 2:
            tokens = SimpleNamespace(key=batch.key, sent_ptr=batch.sent_ptr,
                                     doc_ptr=batch.doc_ptr)  # what units() reads, not more
            oppose = partial(self._oppose, tokens, matches.doc, matches.tok_start, concept,
                             weight)
            if (c.r_policy[c.pair_rule[on]] == POLICY_MIXED).all():
                oppositions = oppose  # weights stay: only the trace needs it, when read
            else:
                weight, oppositions = oppose()
        chain = rows = None
        if len(c.d_rule) and c.r_enabled[c.d_rule].any():
            if dialogue is not None:  # every turn: transitions need no evidence of its own
                chain = self.chain(evidence_matrix(table, row, concept, weight, n_rows),
                                   *dialogue)
            else:
                rows = self._candidates(table, row, concept, weight, n_rows)
                local = np.full(n_rows, -1, dtype=np.int64)
                local[rows] = np.arange(len(rows))
                pick = local[row] >= 0
                chain = self.chain(evidence_matrix(table, local[row][pick], concept[pick],
                                                   weight[pick], len(rows)))
        return Inference(self, table, weight, row, concept, n_rows, chain, oppositions, rows)

    def _oppose(self, tokens, doc, tok_start, concept, weight) -> tuple[np.ndarray, list]:
        """Opposition over the matches of each unit: the new weights and the records
        ``(scope, pair indices, unit of each match, kernel records)``."""
        from .loader import get_kernels

        c = self._c
        _, kernel = get_kernels()
        on = c.r_enabled[c.pair_rule]
        w = weight.astype(np.float64)
        oppositions = []
        for scope in dict.fromkeys(c.scopes[r] for r in c.pair_rule[on]):
            sel = np.array([c.scopes[r] == scope for r in c.pair_rule]) & on
            unit = self.units(tokens, doc, tok_start, scope)
            w, *records = kernel(unit, concept, w, c.anc, c.pair_a[sel], c.pair_b[sel],
                                 c.pair_rule[sel], c.r_policy, c.r_min, c.r_enabled)
            if len(records[0]):
                oppositions.append((scope, np.nonzero(sel)[0], unit, records))
        return w.astype(np.float32), oppositions

    def _candidates(self, table, row, concept, weight, n_rows: int) -> np.ndarray:
        """The rows where some enabled derivation has evidence for every premise: the only
        rows where forward chaining can conclude anything (without dialogue context)."""
        from tone.scoring.reason import lineage

        c = self._c
        present = np.zeros((n_rows, len(table)), dtype=bool)
        chains = lineage(table)[concept[weight > 0]]
        rows = np.broadcast_to(row[weight > 0][:, None], chains.shape)
        present[rows[chains >= 0], chains[chains >= 0]] = True
        usable = c.r_enabled[c.d_rule] & (c.d_src == 0)
        ok = np.ones((n_rows, int(usable.sum())), dtype=bool)
        prem, nprem = c.d_prem[usable], c.d_nprem[usable]
        for i in range(prem.shape[1]):
            ok &= present[:, np.maximum(prem[:, i], 0)] | (i >= nprem)[None, :]
        return np.flatnonzero(ok.any(axis=1))


def dialogue_context(speakers: list) -> tuple[np.ndarray, np.ndarray]:
    """For each turn, the speaker's previous turn and the other speaker's reply in between
    (-1 when there is none).

    >>> dialogue_context(["A", "B", "A", "A", "B"])
    (array([-1, -1,  0, -1,  1]), array([-1, -1,  1, -1,  3]))
    """
    n = len(speakers)
    prev = np.full(n, -1, dtype=np.int64)
    reply = np.full(n, -1, dtype=np.int64)
    for t in range(n):
        # the previous turn of the same speaker, with at least one other speaker's turn after it
        k = t - 1
        last_other = -1
        while k >= 0 and speakers[k] != speakers[t]:
            if last_other < 0:
                last_other = k
            k -= 1
        if k >= 0 and last_other >= 0:
            prev[t], reply[t] = k, last_other
    return prev, reply


def for_annotator(annotator, spec=None) -> "InferenceRules | None":
    """The inference rules an :class:`~tone.annotator.Annotator` uses.

    ``spec``: ``None`` the shipped rules as shipped (rules with ``enabled false`` off),
    ``False`` no inference, ``True`` every shipped rule on, a list of rule names or groups
    (``compose``, ``oppose``, ``hierarchy``, ``transition``) to turn on (and nothing else), or
    an :class:`InferenceRules`.
    """
    if spec is False:
        return None
    if isinstance(spec, InferenceRules):
        return spec
    if getattr(annotator, "_ontology", None) is None:
        rules = default_inference()
    else:
        rules = load(ontology=annotator.ontology, table=annotator.table)
    if spec is None:
        return rules
    if spec is True:
        return rules.select(only=["all"])
    if isinstance(spec, str):
        spec = [part for part in spec.split(",") if part]
    return rules.select(only=list(spec))
