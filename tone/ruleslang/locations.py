"""Where something is in a rule file: character offset -> ``file:line:col`` and the source
line, and located errors built from it (formatted only when shown, see
:class:`~tone.errors.RuleSyntaxError`).

Lines are counted at ``\\n`` only (a lone ``\\r`` is whitespace, not a line break); columns
count characters from 1, a tab being one character.

>>> locate("rule a: x;\\nrule b: y;", 19)
Location(path=None, line=2, col=9, source='rule b: y;')
>>> print(error_at("unknown concept label 'joyy'", "rule a: caps factor 2 on joyy;", 25,
...                path="x.rules", suggestion="joy"))
x.rules:1:26: unknown concept label 'joyy' (did you mean joy?)
  rule a: caps factor 2 on joyy;
                           ^
"""
from __future__ import annotations

from typing import NamedTuple

from tone.errors import RuleNameError, RuleSyntaxError

__all__ = ["Location", "locate", "error_at", "name_error_at"]


class Location(NamedTuple):
    """A place in a rule file: path (or None for text), line and column (from 1), source line."""

    path: str | None
    line: int
    col: int
    source: str

    def __str__(self) -> str:
        return f"{self.path or '<text>'}:{self.line}:{self.col}"


def locate(text: str, loc: int, path: str | None = None) -> Location:
    """The :class:`Location` of character ``loc`` of ``text`` (clamped into the text)."""
    loc = max(0, min(int(loc), len(text)))
    line_start = text.rfind("\n", 0, loc) + 1
    line_end = text.find("\n", loc)
    source = text[line_start: line_end if line_end >= 0 else len(text)]
    return Location(path, text.count("\n", 0, loc) + 1, loc - line_start + 1, source)


def error_at(message: str, text: str, loc: int, path: str | None = None, *,
             suggestion: str | None = None, cls: type = RuleSyntaxError,
             **fields) -> RuleSyntaxError:
    """A located error (``cls``, default :class:`~tone.errors.RuleSyntaxError`) at character
    ``loc`` of ``text``; its fields are kept and formatted when shown."""
    where = locate(text, loc, path)
    return cls(message, path=path, line=where.line, col=where.col, source=where.source,
               suggestion=suggestion, **fields)


def name_error_at(message: str, text: str, loc: int, path: str | None = None, *,
                  name: str, what: str, suggestion: str | None = None) -> RuleNameError:
    """A located :class:`~tone.errors.RuleNameError`: ``name`` (a ``what``, e.g. ``"concept
    label"``) is not known; ``suggestion`` is the nearest known name, if any."""
    return error_at(message, text, loc, path, suggestion=suggestion, cls=RuleNameError,
                    name=name, what=what)
