"""``tone deps infer``: thin face over :mod:`tone.deps`."""
from __future__ import annotations

from collections import Counter

import click

from . import ToneGroup, cli


@cli.group(cls=ToneGroup)
def deps() -> None:
    """Infer emotion dependencies (isOppositeOf, isComposedOf, plusLeadsTo)."""


@deps.command("infer")
@click.option("--meld", type=click.Path(exists=True, dir_okay=False), default=None,
              help="MELD train_sent_emo.csv (default: ../shared/data/meld).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Turtle output (default: ontology/dependencies-inferred.ttl).")
def deps_infer(meld, out) -> None:
    """Infer links with method and score, check them with networkx, write Turtle."""
    from .. import deps as d

    links = d.infer(meld)
    d.write(links, out)
    click.echo(", ".join(f"{k}: {n}" for k, n in sorted(Counter(l.relation for l in links).items())))
