"""``tone vocab build|review|stats|vad``: thin face over :mod:`tone.vocab`."""
from __future__ import annotations

import json

import click

from . import ToneGroup, cli


@cli.group(cls=ToneGroup)
def vocab() -> None:
    """Build, review and measure the emotion lexicon."""


@vocab.command("build")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder with curated.tsv/review.tsv receiving lexicon.tsv (default: shipped).")
@click.option("--parrott", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--vader-emoji", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--provider", metavar="NAME", default=None,
              help="Embedding provider for term-concept similarity (glove, minilm); "
                   'needs pip install "tone[neural]".')
def vocab_build(out_dir, parrott, vader_emoji, provider) -> None:
    """Rebuild the lexicon from seeds, WordNet 3.0 (NLTK_DATA), curated and review files."""
    from .. import vocab as v

    options = {}
    if provider:
        from ..providers import build_similarity

        options["similarity"] = build_similarity(provider, parrott)
    result = v.build(out_dir, parrott=parrott, vader_emoji=vader_emoji, **options)
    click.echo(json.dumps(result.counts()))


@vocab.command("review")
@click.option("--dir", "lexicon_dir", type=click.Path(file_okay=False), default=None)
@click.option("--concept", default=None)
@click.option("--tier", type=int, default=None)
@click.option("--limit", type=int, default=20, show_default=True)
def vocab_review(lexicon_dir, concept, tier, limit) -> None:
    """List unreviewed rows by concept, most ambiguous first."""
    from .. import vocab as v

    click.echo(v.review(lexicon_dir, concept=concept, tier=tier, limit=limit))


@vocab.command("stats")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), default=None)
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False), default=None,
              help="One document per line, or a GoEmotions TSV, for coverage.")
def vocab_stats(lexicon, corpus) -> None:
    """Per-concept counts, ambiguity, overlap and coverage (JSON)."""
    from .. import vocab as v

    click.echo(json.dumps(v.stats(lexicon, corpus=corpus), indent=1, ensure_ascii=False))


@vocab.command("vad")
@click.option("--out", type=click.Path(dir_okay=False), default=None)
@click.option("--user-vad", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A VAD lexicon in NRC VAD format overriding concept values.")
def vocab_vad(out, user_vad) -> None:
    """Write concept VAD (anchors spread over the hierarchy and WordNet similarity)."""
    from ..vocab.vad import build_vad

    values = build_vad(out, user_vad=user_vad)
    click.echo(f"{len(values)} concepts")
