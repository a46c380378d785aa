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


class DataFileError(ToneError):
    """A data file (lexicon, rules, corpus) is malformed; the message names file:line:col."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        self.message, self.path, self.line, self.col = message, path, line, col
        where = ":".join(str(part) for part in (path, line, col) if part is not None)
        super().__init__(f"{where}: {message}" if where else message)


class RuleSyntaxError(DataFileError):
    """A rule file does not follow the rule grammar (see rules/README.md)."""


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
