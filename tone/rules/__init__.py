"""The rule engine: a small language for negation, intensity, contrast, modality and emphasis,
compiled to numpy tables and applied to lexicon matches by one Numba kernel per batch.

The language is described (BNF, semantics, examples) in ``rules/README.md``; the shipped rules
are ``rules/en/*.rules`` and the word classes ``lexicons/en/modifiers.tsv``.

>>> from tone.ontology import Ontology
>>> from tone.text import tokenize, token_key
>>> from tone.rules._standin import make_matches   # a one-word matcher for examples
>>> onto = Ontology()
>>> table = onto.table()
>>> rules = load(table=table, ontology=onto)
>>> batch = tokenize(["She is not happy.", "She is very happy!", "She is happy."])
>>> joy = table.index("happiness")
>>> matches = make_matches(batch, {"happy": (joy, 1.0)}, key=token_key)
>>> fx = rules.apply(batch, matches)
>>> [table.labels[c] for c in fx.concept]
['sadness', 'happiness', 'happiness']
>>> [round(float(w), 3) for w in fx.weight]
[0.74, 1.429, 1.0]
>>> fx.explain(0)
[('negation_flip', 2, 0.74)]
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from tone.errors import DataFileError, RuleSyntaxError, ToneError
from tone.ruleslang import RuleFile, default_rule_paths, parse_file, parse_text

__all__ = ["load", "check", "check_files", "RuleSet", "RuleEffects", "parse_text", "parse_file",
           "default_rule_paths"]


def _token_constants() -> list[int]:
    """Flag bits and kind codes of ``tone.text`` (the stand-in's values until it exists)."""
    from . import _standin as st

    try:
        import tone.text as tt  # noqa: F401
    except ImportError:
        tt = None
    names = ["CAPS", "ELONGATED", "SENT_START", "WORD", "EMOJI", "EMOTICON", "HASHTAG"]
    out = []
    for name in names:
        value = getattr(tt, name, None) if tt is not None else None
        if value is None:
            value = getattr(st, name)
        out.append(int(value))
    return out


def _default_tokenize() -> Callable:
    try:
        from tone.text import tokenize
    except ImportError as err:
        raise ToneError("tone.text is not available to tokenize the rule cues; "
                        "pass tokenize= to tone.rules.load") from err
    return tokenize


@dataclass
class RuleEffects:
    """What the rules did to each match (arrays aligned with the matches).

    ``concept`` (after flips), ``weight`` (after all factors, finite and >= 0), ``negated``,
    ``fired`` (bit ``r`` set when rule ``r`` fired), and the fired rules in CSR form:
    for match ``i``, ``fire_rule[fire_ptr[i]:fire_ptr[i+1]]`` are rule indices, ``fire_cue``
    the cue token (global token index, -1 when the rule has none) and ``fire_factor`` the
    factor it applied. ``names`` names the rules.
    """

    concept: np.ndarray
    weight: np.ndarray
    negated: np.ndarray
    fired: np.ndarray
    fire_ptr: np.ndarray
    fire_rule: np.ndarray
    fire_cue: np.ndarray
    fire_factor: np.ndarray
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.concept)

    def rules_of(self, i: int) -> list[str]:
        """Names of the rules that fired on match ``i``, in rule order."""
        return [self.names[r] for r in self.fire_rule[self.fire_ptr[i]:self.fire_ptr[i + 1]]]

    def explain(self, i: int) -> list[tuple[str, int, float]]:
        """``(rule name, cue token, factor)`` for each rule that fired on match ``i``."""
        lo, hi = self.fire_ptr[i], self.fire_ptr[i + 1]
        return [(self.names[r], int(c), round(float(f), 6)) for r, c, f in
                zip(self.fire_rule[lo:hi], self.fire_cue[lo:hi], self.fire_factor[lo:hi])]


class RuleSet:
    """Compiled rules. Build with :func:`load`; apply with :meth:`apply`."""

    def __init__(self, compiled, files: list[RuleFile], table) -> None:
        self._c = compiled
        self.files = files
        self.table = table
        self._consts = None

    @property
    def names(self) -> list[str]:
        """Rule names in application order (bit ``r`` of ``RuleEffects.fired`` is ``names[r]``)."""
        return list(self._c.names)

    def __len__(self) -> int:
        return len(self._c.names)

    @property
    def idioms(self) -> list[tuple[str, str, int, float, str]]:
        """``(phrase, concept label, tier, weight, idiom name)`` of the ``idiom`` statements:
        lexicon terms the rule files add (the Annotator compiles them with the lexicon)."""
        t = self.table
        return [(term, t.labels[c], int(t.tiers[c]), w, name)
                for term, c, w, name in getattr(self._c, "idioms", [])]

    def lexicon_rows(self) -> list:
        """The idioms as :class:`~tone.lexicon.rows.LexiconRow` (kind ``phrase``, source
        ``rules:<idiom name>``, status ``accepted``)."""
        from tone.lexicon.rows import LexiconRow

        return [LexiconRow(term, label, tier, float(w), kind="phrase" if " " in term else "word",
                           source=f"rules:{name}", score=float(w), status="accepted")
                for term, label, tier, w, name in self.idioms]

    def describe(self, rule_index: int) -> str:
        """The rule's source text and where it was defined.

        >>> from tone.ontology import Ontology
        >>> rs = load(paths=[], table=Ontology().table(), text='rule shout: caps factor 1.489;')
        >>> print(rs.describe(0))
        shout (<text>:1:1): rule shout: caps factor 1.489;
        """
        rule = self._c.rules[rule_index]
        path = self._c.paths[rule_index] or "<text>"
        rf = next((f for f in self.files if rule in f.statements), None)
        line = col = 1
        if rf is not None and rule.loc >= 0:
            line, col = rf.location(rule.loc)[1:3]
        return f"{rule.name} ({path}:{line}:{col}): {rule.to_text()}"

    def apply(self, batch, matches) -> RuleEffects:
        """Apply every rule to a batch of tokens and its lexicon matches in one kernel call."""
        return self.apply_each(batch, [matches])[0]

    def apply_each(self, batch, match_sets: list) -> list[RuleEffects]:
        """Apply every rule to several sets of matches over the same tokens (e.g. emotion
        words and valence words) in one kernel call: the cues and sentences are found once,
        and each set is ruled as if it were alone."""
        from .loader import get_kernel

        if self._consts is None:
            self._consts = _token_constants()
        c = self._c
        n_tok = len(batch.key)
        consts = np.array(self._consts + [c.n_slots], dtype=np.int64)

        def arr(obj, name, dtype):
            return np.ascontiguousarray(np.asarray(getattr(obj, name)), dtype=dtype)

        key = arr(batch, "key", np.uint64)
        sq = getattr(batch, "squeezed", None)
        sq1 = getattr(batch, "squeezed1", None)
        sq = key if sq is None else np.ascontiguousarray(sq, dtype=np.uint64)
        sq1 = key if sq1 is None else np.ascontiguousarray(sq1, dtype=np.uint64)
        flags = arr(batch, "flags", np.uint8)
        kind = np.asarray(batch.kind)
        # the tokenizer's uint8 kinds go in as they are (no per-token copy); others as int64
        kind = np.ascontiguousarray(kind, dtype=np.uint8 if kind.dtype == np.uint8 else np.int64)
        doc_ptr = arr(batch, "doc_ptr", np.int64)
        if not (len(sq) == len(sq1) == len(flags) == len(kind) == n_tok):
            raise ToneError("token arrays of the batch differ in length")
        fields = {"doc": np.int64, "tok_start": np.int64, "tok_end": np.int64,
                  "concept": np.int64, "weight": np.float32}
        columns = {name: [] for name in fields}
        for matches in match_sets:
            for name, dtype in fields.items():
                columns[name].append(arr(matches, name, dtype))
            if len({len(columns[name][-1]) for name in fields}) != 1:
                raise ToneError("match arrays differ in length")
        m_doc, m_start, m_end, m_concept, m_weight = (
            np.concatenate(columns[name]) if columns[name] else np.zeros(0, dtype)
            for name, dtype in fields.items())
        # where each set begins: the kernel starts afresh there
        set_ptr = np.cumsum([0] + [len(col) for col in columns["doc"]]).astype(np.int64)
        out = get_kernel()(
            doc_ptr, key, sq, sq1, flags, kind, m_doc, m_start, m_end, m_concept, m_weight,
            set_ptr, c.tables, consts, 64.0)
        return [self._effects([x[lo:hi] for x in out]) for lo, hi in zip(set_ptr, set_ptr[1:])]

    def _effects(self, out) -> RuleEffects:
        """The kernel's per-match arrays as :class:`RuleEffects` (fired rules in CSR form)."""
        c = self._c
        concept, weight, negated, fired, cue, fac = out
        some = np.flatnonzero(fired)  # most matches: no rule fired
        rows, cols = np.nonzero((fired[some, None] >> np.arange(len(c.names), dtype=np.uint64))
                                & np.uint64(1)) if len(c.names) else (np.zeros(0, int),) * 2
        rows = some[rows]
        ptr = np.zeros(len(concept) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(concept)), out=ptr[1:])
        return RuleEffects(concept.astype(np.int32), weight.astype(np.float32), negated, fired,
                           ptr, cols.astype(np.int32), cue[rows, cols].astype(np.int32),
                           fac[rows, cols].astype(np.float32), tuple(c.names))


def _parse_all(paths: Iterable, text: str | None) -> list[RuleFile]:
    files = [parse_file(p) for p in paths]
    if text is not None:
        files.append(parse_text(text))
    return files


def _resolve(table, ontology):
    if table is None:
        if ontology is None:
            from tone.ontology import Ontology

            ontology = Ontology()
        table = ontology.table()
    return table, ontology


def load(paths: Iterable[str | Path] | None = None, table=None, ontology=None, *,
         modifiers: str | Path | None = None, tokenize: Callable | None = None,
         text: str | None = None) -> RuleSet:
    """Parse, check and compile rule files into a :class:`RuleSet`.

    ``paths`` defaults to the shipped ``rules/en/*.rules``; ``text`` adds rule text after them.
    ``table`` is the :class:`~tone.ontology.ConceptTable` (default: ``ontology.table()``, and the
    default ontology); ``ontology`` answers ``sparql`` concept sets. ``modifiers`` is the word
    class table (default ``lexicons/en/modifiers.tsv``); ``tokenize`` turns cue terms into token
    keys (default ``tone.text.tokenize``; it must be the tokenizer of the batches you apply to).

    Raises :class:`~tone.errors.RuleSyntaxError` at ``file:line:col`` for a malformed file or
    a value out of range, :class:`~tone.errors.RuleNameError` (a ``RuleSyntaxError``) for an
    unknown word class, concept label or set, :class:`~tone.errors.DataFileError` for a bad
    modifiers table, :class:`~tone.errors.ToneError` when no tokenizer is available.
    ``infer`` statements are left to :mod:`tone.infer`.
    """
    from .compile import compile_rules
    from .modifiers import read_modifiers

    files = _parse_all(default_rule_paths() if paths is None else paths, text)
    table, ontology = _resolve(table, ontology)
    classes = read_modifiers(modifiers)
    compiled = compile_rules(files, classes, table, ontology,
                             tokenize if tokenize is not None else _default_tokenize())
    return RuleSet(compiled, files, table)


def check(path: str | Path, table=None, ontology=None, *, modifiers: str | Path | None = None,
          tokenize: Callable | None = None) -> list[ToneError]:
    """Every problem the text-rule engine finds in one rule file, as located errors (an empty
    list when it is fine); ``infer`` statements are :func:`tone.infer.check`'s, and
    :func:`tone.ruleslang.check` (``tone rules check``) runs every engine.

    A syntax error stops the parse (one problem); name errors (word classes, concept labels,
    sets, SPARQL results) and value errors are all collected. Problems are returned, not
    raised.

    >>> import tempfile, os
    >>> from tone.ontology import Ontology
    >>> with tempfile.NamedTemporaryFile("w", suffix=".rules", delete=False) as f:
    ...     _ = f.write('rule a: negate cues negatr;\\nrule b: caps factor 2 on under joyy;\\n')
    >>> for problem in check(f.name, table=Ontology().table()):
    ...     print(str(problem).splitlines()[0].replace(f.name, "x.rules"))
    x.rules:1:21: unknown word class 'negatr' (did you mean negator?)
    x.rules:2:32: unknown concept label 'joyy' (did you mean joy?)
    >>> os.unlink(f.name)
    """
    try:
        rf = parse_file(path)
    except (RuleSyntaxError, DataFileError) as err:
        return [err]
    problems: list[ToneError] = []
    try:
        table, ontology = _resolve(table, ontology)
    except DataFileError as err:
        return [err]
    check_files([rf], table, ontology, problems, modifiers=modifiers, tokenize=tokenize)
    return problems


def check_files(files: list[RuleFile], table, ontology=None, problems: list | None = None, *,
                modifiers: str | Path | None = None,
                tokenize: Callable | None = None) -> list[ToneError]:
    """The text-rule engine's checker (see :mod:`tone.ruleslang.engines`): compile the
    ``rule``, ``idiom``, ``class`` and ``set`` statements of parsed ``files`` and append every
    problem to ``problems`` (a new list when None), which is returned. Never raises for a
    problem of the files."""
    from .compile import compile_rules
    from .modifiers import read_modifiers

    problems = [] if problems is None else problems
    try:
        classes = read_modifiers(modifiers)
    except DataFileError as err:
        problems.append(err)
        return problems
    tok = tokenize
    if tok is None:
        try:
            tok = _default_tokenize()
        except ToneError:
            from . import _standin

            tok = _standin.tokenize  # names and values do not depend on the tokenizer
    compile_rules(files, classes, table, ontology, tok, problems=problems)
    return problems
