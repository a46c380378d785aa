"""``tone rules check``."""
from __future__ import annotations

import sys

import click

from . import ToneGroup, cli


@cli.group(cls=ToneGroup)
def rules() -> None:
    """Check rule files."""


@rules.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def rules_check(paths) -> None:
    """Validate rule FILES: grammar, word classes and concepts; each problem as file:line:col."""
    from .. import rules as rules_module
    from ..ontology import Ontology

    onto = Ontology()
    failed = False
    for path in paths:
        problems = rules_module.check(path, table=onto.table(), ontology=onto)
        for problem in problems:
            click.echo(str(problem), err=True)
        failed = failed or bool(problems)
        if not problems:
            click.echo(f"{path}: ok")
    if failed:
        sys.exit(1)
