"""``tone packs``: the domain packs (:mod:`tone.packs`)."""
from __future__ import annotations

import json

import click

from . import cli


@cli.group("packs")
def packs_group() -> None:
    """Domain packs: lexicon overlays, rules, tokens and a default scheme for a domain."""


@packs_group.command("list")
def list_command() -> None:
    """The shipped packs: name, default scheme and title."""
    from ..packs import load_pack, shipped_packs

    for name in shipped_packs():
        pack = load_pack(name)
        click.echo(f"{pack.name}\t{pack.scheme or '-'}\t{pack.title}")


@packs_group.command("show")
@click.argument("pack")
@click.option("--json", "as_json", is_flag=True, help="The manifest as JSON.")
def show_command(pack: str, as_json: bool) -> None:
    """One pack (a shipped name or a folder): its manifest, files and row counts."""
    from ..packs import load_pack

    loaded = load_pack(pack)
    info = loaded.to_dict()
    info["lexicon rows"] = len(loaded.lexicon_rows())
    info["valence rows"] = len(loaded.valence_rows())
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    for key, value in info.items():
        if isinstance(value, list):
            value = "\n  ".join([""] + [str(v) for v in value])
        click.echo(f"{key}: {value}")


@packs_group.command("build")
@click.argument("kind", type=click.Choice(["empathetic-train"]))
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Benchmark data folder (default: $TONE_SHARED_DATA or ../shared/data).")
def build_command(kind: str, out: str, data_dir: str | None) -> None:
    """Build a user pack from data that may not ship with tone.

    empathetic-train: the empathetic pack plus the words typical of each label in your copy
    of the EmpatheticDialogues train split (CC BY-NC 4.0); needs WordNet (NLTK_DATA).

    \b
    tone packs build empathetic-train my-empathetic
    tone eval --dataset empatheticdialogues --split dev --pack ./my-empathetic
    """
    from ..evaluate import shared_data_dir
    from ..packs.empathetic_vocab import build_train_pack

    counts = build_train_pack(shared_data_dir(data_dir) / "empatheticdialogues", out)
    click.echo(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
