"""The rule language of tone, shared by every rule engine.

One grammar (:mod:`~tone.ruleslang.grammar`, BNF in ``rules/README.md``) parses rule files into
small AST objects; :mod:`~tone.ruleslang.concepts` resolves concept sets against the ontology;
:mod:`~tone.ruleslang.locations` turns offsets into ``file:line:col`` and located errors;
:mod:`~tone.ruleslang.suggest` finds the nearest known name for a misspelled one;
:mod:`~tone.ruleslang.engines` lists the engines that compile statements (text rules
:mod:`tone.rules`, inference :mod:`tone.infer`) and checks a file with all of them.

Engines import this package by its public names; it imports no engine (checkers are named
by ``"module:function"`` and imported when used).

>>> rf = parse_text("set warm = under joy;\\ninfer x: compose on @warm;")
>>> [st.keyword for st in rf.statements]
['set', 'infer']
"""
from __future__ import annotations

from pathlib import Path

from .concepts import ConceptResolver, descendants_mask
from .engines import Engine, check, check_files, engines, register
from .grammar import STATEMENTS, RuleFile, parse_file, parse_text
from .locations import Location, error_at, locate, name_error_at
from .suggest import nearest

__all__ = ["parse_text", "parse_file", "RuleFile", "STATEMENTS", "ConceptResolver",
           "descendants_mask", "Location", "locate", "error_at", "name_error_at", "nearest",
           "Engine", "register", "engines", "check", "check_files", "default_rule_paths"]


def default_rule_paths(lang: str = "en") -> list[Path]:
    """The shipped rule files ``rules/<lang>/*.rules``, sorted by name."""
    from tone._resources import data_dir

    return sorted((data_dir("rules") / lang).glob("*.rules"))
