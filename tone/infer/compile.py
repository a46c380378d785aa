"""Compile ``infer`` statements into the flat tables the inference kernels read.

Concept sets (``on``, ``score(...)``, ``any(...)``) are resolved by the rule language's
:class:`~tone.ruleslang.ConceptResolver`, so labels, ``under``, ``tier``, ``sparql`` and
``@set`` mean the same in every engine.
Relations are read from the ontology graph: ``compose`` expands to one *derivation* per
composite (target) with its parts as premises, ``transition`` to one derivation per
``tone:plusLeadsTo`` link and order of the two inputs, ``oppose`` to a list of opposite pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tone.ruleslang import ConceptResolver, nearest
from tone.ruleslang.grammar import (INFER_RANGES, SCORE_RANGE, VAD_RANGE, AnyOf, BoolOp, Infer,
                                    NotOp, Rule, RuleFile, ScoreCmp, SetDef, VadCmp,
                                    describe_range, in_range)

from . import codes as K

__all__ = ["CompiledInference", "compile_inference", "MAX_PREMISES"]

MAX_PREMISES = 4
KIND_CODE = K.KIND_CODES
DEFAULTS = {
    "compose": {"via": "isComposedOf", "gain": 1.0, "min": 0.0, "combine": "min",
                "enabled": "true"},
    "oppose": {"via": "isOppositeOf", "policy": "mixed", "scope": "clause", "min": 0.0,
               "enabled": "true"},
    "hierarchy": {"prior": 0.2, "min": 0.0, "enabled": "true"},
    "transition": {"gain": 1.0, "min": 0.0, "combine": "min", "scope": "dialogue",
                   "enabled": "true"},
}
_CMP = {"<": K.CMP_LT, "<=": K.CMP_LE, ">": K.CMP_GT, ">=": K.CMP_GE}
_COMBINE = {"min": K.COMBINE_MIN, "product": K.COMBINE_PRODUCT, "mean": K.COMBINE_MEAN}
_POLICY = {"mixed": K.POLICY_MIXED, "net": K.POLICY_NET, "stronger": K.POLICY_STRONGER}
_VAD = {"valence": 0, "arousal": 1, "dominance": 2}


@dataclass
class CompiledInference:
    """The inference tables (numpy only, picklable). Rule ``r``: ``names[r]``, ``kinds[r]``..."""

    names: list[str]
    kinds: list[str]
    sources: list[str]               # "file:line:col: statement text"
    scopes: list[str]
    policies: list[str]
    r_kind: np.ndarray
    r_gain: np.ndarray
    r_min: np.ndarray
    r_combine: np.ndarray
    r_policy: np.ndarray
    r_enabled: np.ndarray
    r_member: np.ndarray             # [n_rules, n_concepts] (hierarchy: who gets the prior)
    p_ptr: np.ndarray                # condition programs, postfix, per rule
    p_op: np.ndarray
    p_arg: np.ndarray
    p_cmp: np.ndarray
    p_val: np.ndarray
    cond_sets: np.ndarray            # [n_sets, n_concepts]
    d_rule: np.ndarray               # derivations (compose, transition)
    d_target: np.ndarray
    d_prem: np.ndarray
    d_nprem: np.ndarray
    d_src: np.ndarray
    pair_a: np.ndarray               # opposition pairs
    pair_b: np.ndarray
    pair_rule: np.ndarray
    order: np.ndarray                # concepts deepest tier first (roll-up order)
    parent: np.ndarray
    anc: np.ndarray                  # anc[c, a]: a is c or an ancestor of c
    vad: np.ndarray                  # [n_concepts, 3], NaN where unknown
    clause_terms: list[str] = field(default_factory=list)


def _relation_pairs(ontology, name: str) -> list[tuple[str, str]] | None:
    """(subject IRI, object IRI) of every triple with predicate ``tone:name``; None when the
    ontology does not know the relation at all."""
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    from tone.ontology.namespace import TONE_IRI

    pred = URIRef(TONE_IRI + name)
    pairs = [(str(s), str(o)) for s, o in ontology.graph.subject_objects(pred)]
    if pairs:
        return pairs
    declared = any(True for _ in ontology.graph.triples((pred, RDF.type, None)))
    declared = declared or (pred, RDF.type, OWL.ObjectProperty) in ontology.graph
    return [] if declared else None


def _known_relations(ontology) -> list[str]:
    from tone.ontology.namespace import TONE_IRI

    preds = {str(p) for p in ontology.graph.predicates()}
    return sorted(p[len(TONE_IRI):] for p in preds if p.startswith(TONE_IRI))


def compile_inference(files: list[RuleFile], table, ontology, problems: list | None = None,
                      classes=None) -> CompiledInference:
    """Resolve names and relations of every ``infer`` statement and build the kernel tables.

    Raises :class:`~tone.errors.RuleNameError` (unknown concept label, set or relation, with
    the nearest known name as its suggestion) and :class:`~tone.errors.RuleSyntaxError`
    (value out of range, duplicate name, a scope the kind has not, a condition nested too
    deeply), both at ``file:line:col``; with ``problems`` a list, they are appended to it
    instead. ``classes`` is accepted for symmetry with the text rules and unused."""
    from tone.scoring.vad import concept_vad

    c = ConceptResolver(table, ontology, problems)
    n_c = len(table.labels)
    parent = np.asarray(table.parent, dtype=np.int64)
    tiers = np.asarray(table.tiers)
    order = np.argsort(-tiers, kind="stable").astype(np.int64)
    anc = np.zeros((n_c, n_c), dtype=np.bool_)
    for i in range(n_c):
        anc[i, i] = True
        for a in table.ancestors(i):
            anc[i, a] = True

    names, kinds, sources, scopes, policies = [], [], [], [], []
    r_kind, r_gain, r_min, r_combine, r_policy, r_enabled, members = [], [], [], [], [], [], []
    p_ptr, p_op, p_arg, p_cmp, p_val = [0], [], [], [], []
    cond_sets: list[np.ndarray] = []
    d_rule, d_target, d_prem, d_src = [], [], [], []
    pair_a, pair_b, pair_rule = [], [], []
    text_rule_names = {st.name for rf in files for st in rf.statements if isinstance(st, Rule)}
    seen: set[str] = set()

    def index_iri(iri):
        try:
            return table.index_of_iri(iri)
        except Exception:
            return -1

    def emit(rf, e):
        if isinstance(e, BoolOp):
            emit(rf, e.left)
            emit(rf, e.right)
            p_op.append(K.OP_AND if e.op == "and" else K.OP_OR)
            p_arg.append(0), p_cmp.append(0), p_val.append(0.0)
        elif isinstance(e, NotOp):
            emit(rf, e.arg)
            p_op.append(K.OP_NOT)
            p_arg.append(0), p_cmp.append(0), p_val.append(0.0)
        elif isinstance(e, VadCmp):
            p_op.append(K.OP_VAD)
            p_arg.append(_VAD[e.dim]), p_cmp.append(_CMP[e.op])
            p_val.append(threshold(rf, e, "a VAD threshold", VAD_RANGE))
        elif isinstance(e, (ScoreCmp, AnyOf)):
            cond_sets.append(c.concepts(rf, e.concepts))
            p_op.append(K.OP_SCORE if isinstance(e, ScoreCmp) else K.OP_ANY)
            p_arg.append(len(cond_sets) - 1)
            p_cmp.append(_CMP[e.op] if isinstance(e, ScoreCmp) else 0)
            p_val.append(threshold(rf, e, "a score threshold", SCORE_RANGE)
                         if isinstance(e, ScoreCmp) else 0.0)
        else:  # pragma: no cover
            raise TypeError(f"not a condition: {e!r}")

    def threshold(rf, e, what: str, bounds) -> float:
        if in_range(e.value, bounds):
            return float(e.value)
        c.fail(rf, describe_range(what, bounds), e.loc)
        return float(bounds[0])

    def depth(e) -> int:
        if isinstance(e, BoolOp):
            return max(depth(e.left), depth(e.right) + 1)
        if isinstance(e, NotOp):
            return depth(e.arg)
        return 1

    for rf in files:
        for st in rf.statements:
            if isinstance(st, SetDef):
                if st.name not in c.sets:  # the text-rule engine reports duplicates
                    c.define(rf, st, duplicates=False)
                continue
            if not isinstance(st, Infer):
                continue
            if st.name in seen or st.name in text_rule_names:
                c.fail(rf, f"rule name {st.name!r} is used twice", st.loc)
                continue
            seen.add(st.name)
            opts = {**DEFAULTS[st.kind], **dict(st.options)}
            for key, bounds in INFER_RANGES.items():
                if key in opts and not in_range(opts[key], bounds):
                    c.fail(rf, f"infer {st.name!r}: {describe_range(key, bounds)}",
                           st.option_loc(key))
                    opts[key] = DEFAULTS[st.kind][key]  # collecting problems: go on safely
            if st.kind == "oppose" and opts["scope"] == "dialogue":
                c.fail(rf, f"infer {st.name!r}: an oppose rule's scope is clause, sentence or doc",
                       st.option_loc("scope"))
            if st.kind == "transition" and opts["scope"] not in ("dialogue", "doc"):
                c.fail(rf, f"infer {st.name!r}: a transition rule's scope is dialogue or doc",
                       st.option_loc("scope"))
            member = (c.concepts(rf, st.concepts) if st.concepts is not None
                      else np.ones(n_c, dtype=bool))
            r = len(names)
            names.append(st.name)
            kinds.append(st.kind)
            sources.append(f"{rf.location(st.loc)}: {st.to_text()}")
            scopes.append(opts.get("scope", "doc"))
            policies.append(opts.get("policy", ""))
            r_kind.append(KIND_CODE[st.kind])
            r_gain.append(float(opts.get("gain", opts.get("prior", 1.0))))
            r_min.append(float(opts["min"]))
            r_combine.append(_COMBINE[opts.get("combine", "min")])
            r_policy.append(_POLICY[opts.get("policy", "mixed")])
            r_enabled.append(opts["enabled"] == "true")
            members.append(member)
            if st.condition is not None:
                if depth(st.condition) > 60:
                    c.fail(rf, f"infer {st.name!r}: condition nested too deeply", st.loc)
                else:
                    emit(rf, st.condition)
            p_ptr.append(len(p_op))

            via = str(opts.get("via", "")).removeprefix("tone:")
            if st.kind in ("compose", "oppose"):
                pairs = _relation_pairs(ontology, via) if ontology is not None else None
                if pairs is None:
                    known = ([f"tone:{r}" for r in _known_relations(ontology)]
                             if ontology is not None else [])
                    hint = "" if nearest(f"tone:{via}", known) or not known else \
                        f" (known: {', '.join(known)})"
                    c.fail_name(rf, f"infer {st.name!r}: unknown relation 'tone:{via}'{hint}",
                                st.option_loc("via"), name=f"tone:{via}", what="relation",
                                known=known)
                    continue
            if st.kind == "compose":
                parts: dict[int, list[int]] = {}
                for s_iri, o_iri in pairs:
                    t, p = index_iri(s_iri), index_iri(o_iri)
                    if t >= 0 and p >= 0 and p != t:
                        parts.setdefault(t, [])
                        if p not in parts[t]:
                            parts[t].append(p)
                found = False
                for t in sorted(parts):
                    if not member[t]:
                        continue
                    ps = sorted(parts[t], key=lambda i: (int(tiers[i]), table.labels[i]))
                    ps = ps[:MAX_PREMISES]
                    if len(ps) < 2 and via == "isComposedOf":
                        continue  # a composite needs two parts present
                    found = True
                    d_rule.append(r), d_target.append(t), d_src.append(K.SRC_UNIT)
                    d_prem.append(ps + [-1] * (MAX_PREMISES - len(ps)))
                if not found and st.concepts is not None and member.any():
                    c.fail(rf, f"infer {st.name!r}: no concept of the 'on' set is composed of "
                               f"others through tone:{via}", st.concepts.loc)
            elif st.kind == "oppose":
                seen_pairs = set()
                for s_iri, o_iri in pairs:
                    a, b = index_iri(s_iri), index_iri(o_iri)
                    if a < 0 or b < 0 or a == b or not (member[a] and member[b]):
                        continue
                    key = (min(a, b), max(a, b))
                    if key in seen_pairs:
                        continue
                    seen_pairs.add(key)
                # general pairs first: a primary pair nets before the tertiary pairs below it
                for a, b in sorted(seen_pairs, key=lambda ab: (int(tiers[ab[0]]) + int(tiers[ab[1]]),
                                                               ab)):
                    pair_a.append(a), pair_b.append(b), pair_rule.append(r)
            elif st.kind == "transition":
                if ontology is None:
                    continue
                for tr in ontology.transitions:
                    a = index_iri(tr.inputs[0].iri)
                    b = index_iri(tr.inputs[1].iri)
                    t = index_iri(tr.result.iri)
                    if min(a, b, t) < 0 or not member[t]:
                        continue
                    src = K.SRC_DIALOGUE if opts["scope"] == "dialogue" else K.SRC_UNIT
                    orders = [(a, b), (b, a)] if src == K.SRC_DIALOGUE else [(a, b)]
                    for x, y in orders:
                        d_rule.append(r), d_target.append(t), d_src.append(src)
                        d_prem.append([x, y] + [-1] * (MAX_PREMISES - 2))

    n_r = len(names)
    prem = np.array(d_prem, dtype=np.int64).reshape(-1, MAX_PREMISES)
    vad = np.ascontiguousarray(concept_vad(table), dtype=np.float64)
    return CompiledInference(
        names, kinds, sources, scopes, policies,
        np.array(r_kind, dtype=np.int64), np.array(r_gain, dtype=np.float64),
        np.array(r_min, dtype=np.float64), np.array(r_combine, dtype=np.int64),
        np.array(r_policy, dtype=np.int64), np.array(r_enabled, dtype=np.bool_),
        (np.array(members, dtype=np.bool_).reshape(n_r, n_c)),
        np.array(p_ptr, dtype=np.int64), np.array(p_op, dtype=np.int64),
        np.array(p_arg, dtype=np.int64), np.array(p_cmp, dtype=np.int64),
        np.array(p_val, dtype=np.float64),
        (np.array(cond_sets, dtype=np.bool_).reshape(len(cond_sets), n_c)
         if cond_sets else np.zeros((1, n_c), dtype=np.bool_)),
        np.array(d_rule, dtype=np.int64), np.array(d_target, dtype=np.int64), prem,
        (prem >= 0).sum(axis=1).astype(np.int64), np.array(d_src, dtype=np.int64),
        np.array(pair_a, dtype=np.int64), np.array(pair_b, dtype=np.int64),
        np.array(pair_rule, dtype=np.int64), order, parent, anc, vad)
