"""The exception tree of tone.

Every error tone raises on purpose is a :class:`ToneError`. Each message says what was wrong,
where (``file:line:col`` for rule and data files, a byte offset for undecodable input) and what
to do. The command line prints the message on one line and exits with :attr:`ToneError.exit_code`,
without a traceback.

>>> try:
...     raise DataFileError("expected 3 tab-separated columns", path="x.tsv", line=4, col=1)
... except ToneError as err:
...     print(err)
x.tsv:4:1: expected 3 tab-separated columns
"""
from __future__ import annotations

__all__ = [
    "ToneError",
    "UsageError",
    "ConceptNotFound",
    "QueryError",
    "DataFileError",
    "RuleSyntaxError",
    "RuleNameError",
    "ReasonerError",
    "MissingExtra",
]


class ToneError(Exception):
    """Base class of every error tone raises on purpose."""

    exit_code = 1


class UsageError(ToneError):
    """The caller asked for something that cannot be done as asked."""

    exit_code = 2


class ConceptNotFound(ToneError, KeyError):
    """No emotion concept has that label (in that tier)."""

    exit_code = 1

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "concept not found"


class QueryError(ToneError):
    """A SPARQL query could not be parsed or evaluated."""


def _restore(cls, state: dict) -> ToneError:
    """Rebuild a located error from its fields (pickling keeps them, not a baked string)."""
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, state.get("message", ""))
    return err


class DataFileError(ToneError):
    """A data file (lexicon, rules, corpus) is malformed; the message names file:line:col.

    The error keeps its fields (``message``, ``path``, ``line``, ``col``) and formats them
    when shown (:meth:`format_message`, ``str``), as click's exceptions do.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        self.message, self.path, self.line, self.col = message, path, line, col
        super().__init__(message)

    @property
    def where(self) -> str:
        """``path:line:col`` (the parts that are known), or ``""``."""
        return ":".join(str(part) for part in (self.path, self.line, self.col)
                        if part is not None)

    def format_message(self) -> str:
        """The one-line message: ``where: message``."""
        return f"{self.where}: {self.message}" if self.where else str(self.message)

    def __str__(self) -> str:
        return self.format_message()

    def __reduce__(self):
        return _restore, (type(self), dict(self.__dict__))


class RuleSyntaxError(DataFileError):
    """A rule file does not follow the rule grammar (see rules/README.md).

    Besides the location it keeps ``source`` (the text of the offending line, or None) and
    ``suggestion`` (a nearest known name, or None); ``str`` shows the located message, the
    suggestion, the line and a caret under the column:

    >>> print(RuleSyntaxError("unknown concept label 'joyy'", path="x.rules", line=1, col=9,
    ...                       source="rule a: joyy;", suggestion="joy"))
    x.rules:1:9: unknown concept label 'joyy' (did you mean joy?)
      rule a: joyy;
              ^
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, *, source: str | None = None,
                 suggestion: str | None = None) -> None:
        super().__init__(message, path, line, col)
        self.source, self.suggestion = source, suggestion

    def format_message(self) -> str:
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        first = super().format_message() + hint
        if self.source is None or self.col is None:
            return first
        return first + "\n" + excerpt(self.source, self.col)


class RuleNameError(RuleSyntaxError):
    """A rule file names something that does not exist: a concept label, word class, concept
    set or relation. A :class:`RuleSyntaxError` (caught as one), with ``name`` (what was
    written), ``what`` (``"concept label"``, ``"word class"``...) and a ``suggestion``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, *, source: str | None = None,
                 suggestion: str | None = None, name: str | None = None,
                 what: str | None = None) -> None:
        super().__init__(message, path, line, col, source=source, suggestion=suggestion)
        self.name, self.what = name, what


def excerpt(line: str, col: int, width: int = 120) -> str:
    """Two indented lines: ``line`` (tabs as one space, a window of ``width`` characters around
    ``col`` when longer) and a caret under column ``col`` (1-based).

    >>> print(excerpt("rule a: negate cues negatr;", 21))
      rule a: negate cues negatr;
                          ^
    """
    shown = line.expandtabs(1).replace("\r", " ")
    caret = max(col - 1, 0)
    if len(shown) > width:  # a window of the line around the column
        start = max(0, caret - width // 2)
        end = min(len(shown), start + width)
        shown = ("..." if start else "") + shown[start:end] + ("..." if end < len(shown) else "")
        caret = caret - start + (3 if start else 0)
    return f"  {shown}\n  {' ' * caret}^"


class ReasonerError(ToneError):
    """The OWL reasoner could not run (for instance, Java is missing)."""


class MissingExtra(ToneError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the optional package {module!r}; "
            f'install it with: pip install "tone[{extra}]"'
        )


def require(module: str, extra: str, purpose: str):
    """Import an optional module or raise :class:`MissingExtra` naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingExtra(module, extra, purpose) from err
