"""``tone dialogue``: conversations in, one record per turn out (:mod:`tone.dialogue`).

``tone dialogue FILE`` is ``tone dialogue annotate FILE``; ``tone dialogue fit`` estimates the
transition tables from a labelled corpus; ``tone dialogue explain`` shows how one turn got its
scores, naming the earlier turn that moved them.
"""
from __future__ import annotations

import os
import sys
import time

import click

from ..errors import UsageError
from . import cli


class _DefaultAnnotate(click.Group):
    """A group whose first argument, when not a subcommand, is a FILE for ``annotate``."""

    def parse_args(self, ctx, args):
        if not args and not sys.stdin.isatty():  # `cat chats.jsonl | tone dialogue`
            args = ["annotate"]
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["annotate", *args]  # a FILE, "-" (stdin) or an option of annotate
        return super().parse_args(ctx, args)


@cli.group("dialogue", cls=_DefaultAnnotate)
def dialogue_group() -> None:
    """Conversations: one record per turn with inertia and contagion (tone dialogue FILE),
    transition tables fitted from a labelled corpus (fit), a turn's trace (explain)."""


_input_options = [
    click.option("--input-format", type=click.Choice(["jsonl", "csv", "tsv", "eou"]),
                 default=None, help="Input format [default: from the file name; .txt: eou "
                 "(DailyDialog); stdin: jsonl]."),
    click.option("--dialogue-column", default=None, help="CSV/TSV: the dialogue id column(s), "
                 "comma-separated [Dialogue_ID, dialogue, or Season,Episode,Scene_ID]."),
    click.option("--speaker-column", default=None, help="CSV/TSV: the speaker column [Speaker]."),
    click.option("--text-column", default=None, help="CSV/TSV: the text column [Utterance, text]."),
    click.option("--errors", type=click.Choice(["strict", "replace", "skip"]), default="strict",
                 show_default=True, help="Undecodable bytes and malformed conversations: stop, "
                 "replace (U+FFFD) or skip (the conversation's record carries an error)."),
]
_context_options = [
    click.option("--scheme", "scheme_name", default=None, metavar="NAME",
                 help="Mix the context in this mapped scheme's categories (meld, ekman, "
                      "feeling-wheel, ...) instead of tone's primaries; jsonl records carry "
                      "the mixed scores under \"scheme\"."),
    click.option("--tables", "tables_path", type=click.Path(exists=True, dir_okay=False),
                 default=None, help="Transition tables from tone dialogue fit (Turtle) "
                 "[default: the ontology's]."),
    click.option("--alpha", type=click.FloatRange(0), default=None,
                 help="Weight of the context beside a turn's own evidence [1.0]."),
    click.option("--beta", type=click.FloatRange(0), default=None,
                 help="Weight of the context for a turn without evidence [0]."),
    click.option("--contagion", type=click.FloatRange(0), default=None,
                 help="Weight of the other speakers' turns beside the speaker's own previous "
                      "turn [0: inertia only; 1: EmotionIC's inertia and contagion]."),
]


def _apply(options):
    def wrap(f):
        for option in reversed(options):
            f = option(f)
        return f
    return wrap


def _dialogue(scheme_name, tables_path, alpha, beta, contagion, annotator=None):
    from ..dialogue.context import ALPHA, BETA, CONTAGION
    from ..dialogue.records import Dialogue
    from ..dialogue.tables import PRIMARY, load

    tables = None
    if tables_path is not None:
        tables = load(scheme_name or PRIMARY, path=tables_path,
                      table=None if annotator is None else annotator.table)
    return Dialogue(annotator, scheme_name, tables, ALPHA if alpha is None else alpha,
                    BETA if beta is None else beta,
                    CONTAGION if contagion is None else contagion)


def _read(files, input_format, errors, dialogue_column, speaker_column, text_column,
          label_column=None):
    from ..dialogue.readers import read_conversations

    for name in files:
        if name != "-" and not os.path.exists(name):
            raise UsageError(f"no such file: {name}")
    return read_conversations(files, fmt=input_format, errors=errors,
                              dialogue_column=dialogue_column, speaker_column=speaker_column,
                              text_column=text_column, label_column=label_column)


@dialogue_group.command("annotate")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@_apply(_input_options)
@_apply(_context_options)
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "tsv", "emotionml", "jsonld",
              "turtle"]), default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (written atomically); default stdout.")
@click.option("--tier", type=click.IntRange(1, 3), default=1, show_default=True,
              help="The tier whose categories tsv, emotionml, jsonld and turtle list.")
@click.option("--explain", "with_trace", is_flag=True,
              help="jsonl: each span's rule trace and each turn's context trace.")
@click.option("--no-text", is_flag=True, help="Leave the turn text out of the records.")
@click.option("--base-iri", default="urn:tone:doc:", show_default=True,
              help="Turn IRIs (emotionml, jsonld, turtle): BASE + dialogue#turn.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def annotate_command(files, input_format, dialogue_column, speaker_column, text_column, errors,
                     scheme_name, tables_path, alpha, beta, contagion, fmt, output, tier,
                     with_trace, no_text, base_iri, quiet) -> None:
    """Annotate the conversations of FILES (or stdin, JSONL): one record per turn, with
    ``dialogue``, ``turn``, ``speaker`` and ``context``.

    \b
    tone dialogue chats.jsonl
    tone dialogue dev_sent_emo.csv --scheme meld -f tsv -o turns.tsv
    tone dialogue dialogues_validation.txt --explain
    Exit status: 0 ok, 1 bad input, 2 usage error or unwritable output.
    """
    from ..io import make_writer
    from ..io.output import open_output
    from ..io.readers import Document
    from ..dialogue.records import pairs
    from .annotate import summary

    files = files or ("-",)
    if scheme_name is not None:
        from ..scoring.schemes import get_scheme

        get_scheme(scheme_name)
    dialogue = _dialogue(scheme_name, tables_path, alpha, beta, contagion)
    conversations = _read(files, input_format, errors, dialogue_column, speaker_column,
                          text_column)
    options = dict(tier=tier, explain=with_trace, text=not no_text, base_iri=base_iri,
                   scheme=scheme_name if fmt != "tsv" else None)
    if fmt == "tsv":
        options["lead"] = ("dialogue", "turn", "speaker")
    started, turns, skipped = time.perf_counter(), 0, 0
    try:
        with open_output(output) as stream:
            writer = make_writer(fmt, stream, **options)
            writer.begin()
            for conv, annotations in pairs(conversations, dialogue):
                if annotations is None:
                    writer.write(Document(conv.id, "", conv.error, conv.source, conv.line),
                                 None)
                    skipped += 1
                    continue
                for ann in annotations:
                    writer.write(Document(ann.id, ann.text, None, conv.source,
                                          conv.turns[ann.turn - 1].line), ann)
                    turns += 1
            writer.end()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    if not quiet:
        line = summary(turns, time.perf_counter() - started, skipped)
        click.echo(line.replace("docs/s", "turns/s").replace("document", "turn"), err=True)


@dialogue_group.command("fit")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--dataset", type=click.Choice(["meld", "emorynlp", "dailydialog"]),
              help="A labelled corpus of the shared data folder instead of FILES.")
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="train",
              show_default=True, help="--dataset: the split to fit on.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Benchmark data folder (default: $TONE_SHARED_DATA or ../shared/data).")
@click.option("--scheme", "scheme_name", default="primary", show_default=True,
              help="The scheme of the labels (FILES); --dataset: the corpus's own.")
@click.option("--label-column", default=None, help="CSV/TSV: the gold emotion column "
              "[Emotion, emotion, label]; JSONL turns carry \"emotion\".")
@_apply(_input_options)
@click.option("--smoothing", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Added to every count before the rows are normalised.")
@click.option("--source", default=None, help="dcterms:source of the tables [the input].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Turtle file to write; default stdout.")
def fit_command(files, dataset, split, data_dir, scheme_name, label_column, input_format,
                dialogue_column, speaker_column, text_column, errors, smoothing, source,
                output) -> None:
    """Estimate the self- and other-transition tables from labelled conversations and write
    them as ontology individuals (Turtle), for tone dialogue --tables.

    \b
    tone dialogue fit --dataset meld --split train -o meld-tables.ttl
    tone dialogue fit labelled.csv --scheme ekman -o tables.ttl
    """
    from ..dialogue.tables import categories, fit
    from ..io.output import open_output

    if bool(files) == bool(dataset):
        raise UsageError("give FILES or --dataset NAME")
    if dataset:
        from ..dialogue.corpora import labelled_dialogues

        scheme_name, conversations, where = labelled_dialogues(dataset, split, data_dir)
    else:
        convs = list(_read(files, input_format, errors, dialogue_column, speaker_column,
                           text_column, label_column))
        for conv in convs:  # --errors skip: name each conversation the tables leave out
            if conv.error is not None:
                click.echo(f"tone: skipped {conv.error}", err=True)
        conversations = [[(t.speaker, (t.label or "").lower()) for t in c.turns]
                         for c in convs if c.error is None]
        where = ", ".join(os.path.basename(f) for f in files)
    cats = categories(scheme_name)
    tables = fit(conversations, cats, smoothing=smoothing, scheme=scheme_name,
                 source=source or where)
    with open_output(output) as stream:
        stream.write(tables.to_turtle())


@dialogue_group.command("explain")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--dialogue", "dialogue_id", default=None,
              help="The conversation's id [the first conversation].")
@click.option("--turn", type=click.IntRange(1), required=True, help="The turn (from 1).")
@_apply(_input_options)
@_apply(_context_options)
def explain_command(file, dialogue_id, turn, input_format, dialogue_column, speaker_column,
                    text_column, errors, scheme_name, tables_path, alpha, beta,
                    contagion) -> None:
    """Show how turn TURN of a conversation in FILE got its scores: its own evidence (as tone
    explain shows it), then the earlier turns that moved them, the strongest named first."""
    from ..dialogue.explain import explain_turn
    from ..dialogue.records import pairs

    dialogue = _dialogue(scheme_name, tables_path, alpha, beta, contagion)
    for conv in _read([file], input_format, errors, dialogue_column, speaker_column,
                      text_column):
        if dialogue_id is not None and str(conv.id) != dialogue_id:
            continue
        if conv.error is not None:
            raise UsageError(conv.error)
        if turn > len(conv.turns):
            raise UsageError(f"conversation {conv.id!r} has {len(conv.turns)} turns, "
                             f"not {turn}")
        (_, annotations), = pairs([conv], dialogue)
        click.echo(explain_turn(annotations, turn, dialogue.annotator.ontology))
        return
    raise UsageError(f"no conversation {dialogue_id!r} in {file}" if dialogue_id is not None
                     else f"no conversation in {file}")
