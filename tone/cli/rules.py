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
    """Validate rule FILES with every rule engine (text rules, inference...): grammar, word
    classes, concepts, sets, relations and values; each problem as file:line:col."""
    from ..ontology import Ontology
    from ..ruleslang import check

    onto = Ontology()
    table = onto.table()
    failed = False
    for path in paths:
        problems = check(path, table=table, ontology=onto)
        for problem in problems:
            click.echo(str(problem), err=True)
        failed = failed or bool(problems)
        if not problems:
            click.echo(f"{path}: ok")
    if failed:
        sys.exit(1)
