"""The engines that compile rule-file statements, and a check that runs them all.

An engine says which statement kinds (:data:`~tone.ruleslang.grammar.STATEMENTS` keywords) it
compiles and names its checker as ``"module:function"``; the checker is imported only when
used (as rdflib's plugins are), so this module imports no engine and no engine imports
another. A checker is called as ``checker(files, table, ontology, problems)``: it compiles
every statement of ``files`` it knows and appends each problem (a located
:class:`~tone.errors.ToneError`) to the list ``problems``.

A new engine plugs in with :func:`register` (its statements must be in the grammar):

>>> [(e.name, e.statements) for e in engines()]
[('rules', ('rule', 'idiom', 'class', 'set')), ('infer', ('infer', 'set'))]
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tone.errors import DataFileError, RuleSyntaxError, ToneError, UsageError

from .grammar import STATEMENTS, RuleFile, parse_file

__all__ = ["Engine", "register", "engines", "check", "check_files"]


@dataclass(frozen=True)
class Engine:
    """A rule engine: its ``name``, the statement keywords it compiles and its checker."""

    name: str
    statements: tuple[str, ...]
    checker: str

    def load_checker(self) -> Callable:
        """The checker function (its module is imported now)."""
        module, _, func = self.checker.partition(":")
        return getattr(importlib.import_module(module), func)

    def wants(self, rf: RuleFile) -> bool:
        """Whether ``rf`` has a statement this engine compiles."""
        return any(st.keyword in self.statements for st in rf.statements)


_ENGINES: dict[str, Engine] = {}


def register(engine: Engine) -> Engine:
    """Add (or replace, by name) an engine.

    Raises :class:`~tone.errors.UsageError` when it names a statement kind the grammar does
    not have."""
    unknown = [s for s in engine.statements if s not in STATEMENTS]
    if unknown:
        raise UsageError(f"engine {engine.name!r}: unknown statement kind {unknown[0]!r} "
                         f"(the grammar has: {', '.join(STATEMENTS)})")
    _ENGINES[engine.name] = engine
    return engine


def engines() -> list[Engine]:
    """The registered engines, in registration order."""
    return list(_ENGINES.values())


register(Engine("rules", ("rule", "idiom", "class", "set"), "tone.rules:check_files"))
register(Engine("infer", ("infer", "set"), "tone.infer:check_files"))


def _key(err: ToneError):
    return (getattr(err, "line", None) or 0, getattr(err, "col", None) or 0, str(err))


def check_files(files: list[RuleFile], table, ontology=None,
                only: Iterable[str] | None = None) -> list[ToneError]:
    """Every problem of parsed ``files`` found by every engine (or the engines named in
    ``only``) that compiles some statement of them: located errors, each reported once, in
    file order. Never raises for a problem of the files; an unknown engine name in ``only``
    raises :class:`~tone.errors.UsageError`."""
    chosen = engines()
    if only is not None:
        only = list(only)
        missing = [n for n in only if n not in _ENGINES]
        if missing:
            raise UsageError(f"unknown rule engine {missing[0]!r} "
                             f"(engines: {', '.join(_ENGINES)})")
        chosen = [_ENGINES[n] for n in only]
    problems: list[ToneError] = []
    for engine in chosen:
        if any(engine.wants(rf) for rf in files):
            engine.load_checker()(files, table, ontology, problems)
    seen, out = set(), []
    for err in problems:
        k = (getattr(err, "path", None), _key(err))
        if k not in seen:
            seen.add(k)
            out.append(err)
    order = {rf.path: i for i, rf in enumerate(files)}
    out.sort(key=lambda e: (order.get(getattr(e, "path", None), len(order)), _key(e)[:2]))
    return out


def check(path: str | Path, table=None, ontology=None,
          only: Iterable[str] | None = None) -> list[ToneError]:
    """Every problem of one rule file, from every engine: a syntax error (the parse stops
    there), or every name and value error of every statement, each located at
    ``file:line:col``; ``[]`` when the file is fine. ``table`` and ``ontology`` default to the
    shipped ontology. Problems are returned, not raised."""
    try:
        rf = parse_file(path)
    except (RuleSyntaxError, DataFileError) as err:
        return [err]
    if ontology is None and table is None:
        from tone.ontology import Ontology

        ontology = Ontology()
    if table is None:
        table = ontology.table()
    return check_files([rf], table, ontology, only=only)
