"""Concept sets of the rule language, resolved against the ontology's concept table.

One resolver serves every engine, so ``joy``, ``tier 3 label joy``, ``under fear``,
``tier 2``, ``all``, ``sparql "..."``, ``@set`` and ``| - &`` mean the same in text rules,
inference rules and any engine to come. Unknown names are
:class:`~tone.errors.RuleNameError`\\ s with the nearest known name as a suggestion.

>>> from tone.ontology import Ontology
>>> from tone.ruleslang import parse_text
>>> onto = Ontology()
>>> r = ConceptResolver(onto.table(), onto)
>>> rf = parse_text("set warm = under joy - tier 1;")
>>> mask = r.define(rf, rf.statements[0])
>>> int(mask.sum()) > 0, bool(mask[onto.table().index("joy", 1)])
(True, False)
>>> problems = []
>>> r = ConceptResolver(onto.table(), onto, problems=problems)
>>> rf = parse_text("set x = under joyy;")
>>> _ = r.define(rf, rf.statements[0])
>>> print(str(problems[0]).splitlines()[0])
1:15: unknown concept label 'joyy' (did you mean joy?)
"""
from __future__ import annotations

import numpy as np

from tone.errors import ConceptNotFound, ToneError

from .grammar import (
    TIER_RANGE,
    AllConcepts,
    BinOp,
    Label,
    RuleFile,
    SetDef,
    SetRef,
    Sparql,
    Tier,
    Under,
    describe_range,
    in_range,
)
from .suggest import nearest

__all__ = ["ConceptResolver", "descendants_mask"]


def descendants_mask(parent: np.ndarray, root: int) -> np.ndarray:
    """Boolean mask of ``root`` and every concept below it (``parent``: -1 at the top).

    >>> descendants_mask(np.array([-1, 0, 1, -1]), 0).tolist()
    [True, True, True, False]
    """
    n = len(parent)
    mask = np.zeros(n, dtype=bool)
    for c in range(n):
        x, steps = c, 0
        while 0 <= x < n and steps <= n:
            if x == root:
                mask[c] = True
                break
            x = parent[x]
            steps += 1
    return mask


class ConceptResolver:
    """Resolve concept expressions (AST of :mod:`tone.ruleslang.grammar`) to boolean masks
    over the concepts of ``table``; ``ontology`` answers ``sparql`` sets.

    With ``problems`` a list, every error is appended to it and resolution goes on (an unknown
    name resolves to the empty set); otherwise the first error is raised. Named sets
    (``set NAME = ...;``) live in :attr:`sets`, shared by whoever uses the resolver.
    """

    def __init__(self, table, ontology=None, problems: list | None = None) -> None:
        self.table = table
        self.ontology = ontology
        self.problems = problems
        self.sets: dict[str, np.ndarray] = {}

    # reporting --------------------------------------------------------------------------
    def report(self, err: ToneError) -> None:
        """Raise ``err``, or append it to :attr:`problems` when collecting."""
        if self.problems is None:
            raise err
        self.problems.append(err)

    def fail(self, rf: RuleFile, message: str, loc: int, suggestion: str | None = None) -> None:
        """Report a :class:`~tone.errors.RuleSyntaxError` at character ``loc`` of ``rf``."""
        self.report(rf.error(message, loc, suggestion))

    def fail_name(self, rf: RuleFile, message: str, loc: int, *, name: str, what: str,
                  known=()) -> None:
        """Report a :class:`~tone.errors.RuleNameError`: ``name`` is not a known ``what``;
        the nearest of ``known`` is its suggestion."""
        self.report(rf.name_error(message, loc, name=name, what=what,
                                  suggestion=nearest(name, known)))

    # concept sets -----------------------------------------------------------------------
    def define(self, rf: RuleFile, st: SetDef, duplicates: bool = True) -> np.ndarray:
        """Resolve ``set NAME = ...;`` and remember it for ``@NAME``. A second definition of a
        name is reported when ``duplicates`` (and replaces the first either way)."""
        if duplicates and st.name in self.sets:
            self.fail(rf, f"concept set @{st.name} is defined twice", st.loc)
        self.sets[st.name] = mask = self.concepts(rf, st.expr)
        return mask

    def concepts(self, rf: RuleFile, e) -> np.ndarray:
        """The boolean mask of concept expression ``e`` (located errors refer to ``rf``).

        Raises :class:`~tone.errors.RuleNameError` (unknown label or set),
        :class:`~tone.errors.RuleSyntaxError` (tier out of range, SPARQL failure), unless
        collecting; :class:`TypeError` when ``e`` is not a concept expression."""
        n = len(self.table.labels)
        if isinstance(e, AllConcepts):
            return np.ones(n, dtype=bool)
        if isinstance(e, Tier):
            if not in_range(e.tier, TIER_RANGE):
                self.fail(rf, describe_range("tier", TIER_RANGE, integer=True), e.loc)
                return np.zeros(n, dtype=bool)
            return np.asarray(self.table.tiers) == e.tier
        if isinstance(e, Label):
            mask = np.zeros(n, dtype=bool)
            i = self.label(rf, e, general=False)
            if i >= 0:
                mask[i] = True
            return mask
        if isinstance(e, Under):
            i = self.label(rf, e.ref, general=True)
            if i < 0:
                return np.zeros(n, dtype=bool)
            return descendants_mask(np.asarray(self.table.parent), i)
        if isinstance(e, SetRef):
            if e.name not in self.sets:
                self.fail_name(rf, f"unknown concept set @{e.name} (define it with "
                                   f"'set {e.name} = ...;' before use)", e.loc,
                               name=e.name, what="concept set", known=self.sets)
                return np.zeros(n, dtype=bool)
            return self.sets[e.name]
        if isinstance(e, Sparql):
            return self._sparql(rf, e)
        if isinstance(e, BinOp):
            left, right = self.concepts(rf, e.left), self.concepts(rf, e.right)
            return {"|": left | right, "&": left & right, "-": left & ~right}[e.op]
        raise TypeError(f"not a concept expression: {e!r}")

    def label(self, rf: RuleFile, ref: Label, general: bool = False) -> int:
        """The concept index of a label reference (-1 after reporting an error). Without a
        tier: the most specific concept of that label, or with ``general`` the most general.

        Raises :class:`~tone.errors.RuleNameError` for an unknown label and
        :class:`~tone.errors.RuleSyntaxError` for a tier out of range, unless collecting."""
        if ref.tier is not None and not in_range(ref.tier, TIER_RANGE):
            self.fail(rf, describe_range("tier", TIER_RANGE, integer=True), ref.loc)
            return -1
        try:
            if ref.tier is not None:
                return int(self.table.index(ref.label, ref.tier))
            if general:  # "under L": the most general concept labelled L
                for t in (1, 2, 3):
                    try:
                        return int(self.table.index(ref.label, t))
                    except ConceptNotFound:
                        continue
            return int(self.table.index(ref.label))
        except ConceptNotFound:
            where = f" in tier {ref.tier}" if ref.tier is not None else ""
            labels, tiers = self.table.labels, np.asarray(self.table.tiers)
            known = [lb for lb, t in zip(labels, tiers) if ref.tier is None or t == ref.tier]
            self.fail_name(rf, f"unknown concept label {ref.label!r}{where}", ref.loc,
                           name=ref.label, what="concept label", known=known)
            return -1

    def _sparql(self, rf: RuleFile, e: Sparql) -> np.ndarray:
        n = len(self.table.labels)
        mask = np.zeros(n, dtype=bool)
        if self.ontology is None:
            self.fail(rf, "a sparql concept set needs an ontology (pass ontology= to load)", e.loc)
            return mask
        try:
            rows = self.ontology.query(e.query)
        except ToneError as err:
            self.fail(rf, f"SPARQL error: {err}", e.loc)
            return mask
        except Exception as err:  # rdflib parse errors are pyparsing exceptions etc.
            self.fail(rf, f"SPARQL error: {type(err).__name__}: {err}", e.loc)
            return mask
        if not isinstance(rows, list):
            self.fail(rf, "the SPARQL query must be a SELECT whose first column is concepts",
                      e.loc)
            return mask
        for row in rows:
            term = row[0] if len(row) else None
            try:
                mask[self.table.index_of_iri(str(term))] = True
            except (ConceptNotFound, KeyError, TypeError):
                self.fail(rf, f"the SPARQL query returned {str(term)!r}, which is not an "
                              f"emotion concept", e.loc)
                break
        return mask
