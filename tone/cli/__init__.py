"""The ``tone`` command line: a thin face over the library.

Every :class:`tone.errors.ToneError` becomes one line on stderr and its exit code (1 for bad
input, 2 for usage); no traceback. Each command group lives in its own module of this package.
"""
from __future__ import annotations

import logging

import click

from ..errors import ToneError

__all__ = ["main", "cli", "ToneGroup"]


class ToneGroup(click.Group):
    """A click group that turns tone's errors into one-line messages and exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ToneError as err:
            click.echo(f"tone: error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=ToneGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tone", prog_name="tone")
def cli() -> None:
    """tone: knowledge-graph emotion analysis over a three-tier emotion ontology."""


def main() -> None:
    """Entry point of the ``tone`` console script."""
    _log_to_stderr()
    cli(prog_name="tone")


def _log_to_stderr() -> None:
    """Warnings of the ``tone`` logger (such as the kernel-compilation notice) on stderr."""
    logger = logging.getLogger("tone")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("tone: %(message)s"))
        logger.addHandler(handler)


# The command modules register themselves on ``cli`` when imported.
from . import annotate, deps, dialogue, eval, kg, ontology, packs, rules, vocab  # noqa: E402,F401
