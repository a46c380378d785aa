"""``tone annotate`` and ``tone explain``.

``tone annotate`` is a thin face over :mod:`tone.io`: read documents (streamed), annotate them
in batches (optionally in worker processes or on a Dask cluster), write one record per input
document, in input order. ``-o FILE`` is written by :func:`tone.io.output.open_output`:
atomically (a temporary file in the same directory, renamed over FILE only when the run
succeeds; Ctrl-C, SIGTERM, an input or output error leave no partial file; a symbolic link's
target is written and the link kept), or straight through for a device or FIFO
(``-o /dev/null``). An output that cannot be written (permission, read-only file system, no such
directory, disk full) is a one-line error naming it, exit status 2.
"""
from __future__ import annotations

import os
import signal
import sys
import time

import click

from ..batching import BATCH_SIZE
from ..errors import UsageError
from . import cli

def example_path() -> str:
    """The bundled example (``tone annotate --example``): lines from public-domain books
    (``tone/io/example.txt``; sources in ``tone/io/EXAMPLE_SOURCES.md``)."""
    from pathlib import Path

    from .. import io as tone_io

    return str(Path(tone_io.__file__).resolve().parent / "example.txt")


class _Progress:
    """A one-line progress display on stderr (documents, share of input bytes, docs/s)."""

    def __init__(self, enabled: bool, total_bytes: int | None) -> None:
        self.enabled, self.total = enabled, total_bytes
        self.start = self.last = time.perf_counter()
        self.docs = self.bytes = 0

    def update(self, nbytes: int) -> None:
        self.docs += 1
        self.bytes += nbytes
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.5:
            return
        self.last = now
        rate = _rate(self.docs, now - self.start)
        if self.total:
            share = min(1.0, self.bytes / self.total)
            bar = "#" * int(share * 30)
            line = f"[{bar:<30}] {share:4.0%} {self.docs:,} docs{rate}"
        else:
            line = f"{self.docs:,} docs{rate}"
        click.echo("\r" + line, err=True, nl=False)

    def close(self) -> None:
        if self.enabled:
            click.echo("\r\033[K", err=True, nl=False)


def _rate(docs: int, seconds: float) -> str:
    """``", 1,234 docs/s"`` with as many digits as the rate needs, or ``""`` when the run was
    too short (or empty) for a rate to mean anything (never "0 docs/s")."""
    if docs < 1 or seconds < 0.1:
        return ""
    rate = docs / seconds
    return f", {rate:,.0f} docs/s" if rate >= 100 else f", {rate:.3g} docs/s"


def summary(docs: int, seconds: float, skipped: int) -> str:
    """The line that ends a run, e.g. ``tone: 7 documents in 0.01 s, 0 skipped``.

    >>> summary(7, 0.012, 0)
    'tone: 7 documents in 0.01 s, 0 skipped'
    >>> summary(1, 0.5, 1)
    'tone: 1 document in 0.50 s (2 docs/s), 1 skipped'
    >>> summary(120_000, 12.34, 3)
    'tone: 120,000 documents in 12.3 s (9,724 docs/s), 3 skipped'
    """
    rate = _rate(docs, seconds)
    took = f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    return (f"tone: {docs:,} document{'' if docs == 1 else 's'} in {took}"
            + (f" ({rate[2:]})" if rate else "") + f", {skipped:,} skipped")


def _looks_like_text(name: str) -> bool:
    """Whether a FILES argument that does not exist was meant as text to annotate."""
    return any(c.isspace() for c in name) or (
        not os.path.splitext(name)[1] and os.sep not in name and "/" not in name)


def _no_such_file(name: str) -> UsageError:
    if not _looks_like_text(name):
        return UsageError(f"no such file: {name}")
    import shlex

    return UsageError(f"no such file: {name!r}. FILES are paths; to annotate a text, pipe it in "
                      f"(echo {shlex.quote(name)} | tone annotate) or see how it scores "
                      f"(tone explain {shlex.quote(name)})")


def _input_size(files) -> int | None:
    total = 0
    for name in files:
        if name == "-" or not os.path.isfile(name):
            return None
        total += os.path.getsize(name)
    return total or None


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@cli.command("annotate")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(["jsonl", "tsv", "emotionml", "jsonld",
              "turtle", "facs-json", "facs-csv", "hints"]), default="jsonl", show_default=True,
              help="Output format (facs-json, facs-csv: the facial-expression track of timed "
              "input; hints: an emotion hint for a language model).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (written atomically; a device or FIFO is written through); "
              "default stdout.")
@click.option("--input-format", type=click.Choice(["lines", "file", "jsonl", "csv", "tsv", "srt",
                                                   "vtt"]),
              default=None, help="Input format [default: from the file name; lines].")
@click.option("--doc-per-file", is_flag=True, help="Each file is one document.")
@click.option("--text-field", default=None, help="JSONL: the text field [text].")
@click.option("--id-field", default=None, help="JSONL: the id field [line number].")
@click.option("--text-column", default=None, help="CSV/TSV: the text column [text].")
@click.option("--id-column", default=None, help="CSV/TSV: the id column [row number].")
@click.option("--errors", type=click.Choice(["strict", "replace", "skip"]), default="strict",
              show_default=True, help="Undecodable bytes and malformed rows: stop, replace "
              "(U+FFFD) or skip (the record carries an error).")
@click.option("--level", type=click.Choice(["doc", "sentence", "span"]), default="doc",
              show_default=True)
@click.option("--tier", type=click.IntRange(1, 3), default=1, show_default=True,
              help="The tier whose categories tsv, emotionml, jsonld and turtle list.")
@click.option("--explain", "with_trace", is_flag=True, help="Add each span's rule trace (jsonl).")
@click.option("--no-text", is_flag=True, help="Leave the document text out of the records.")
@click.option("--batch-size", type=click.IntRange(1), default=BATCH_SIZE, show_default=True)
@click.option("--processes", type=click.IntRange(1), default=1, show_default=True,
              help="Worker processes (order preserved).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS|local:N",
              help="Run the batches on a Dask cluster (needs tone[dask]).")
@click.option("--tokenizer", type=click.Choice(["fast", "spacy"]), default="fast",
              show_default=True)
@click.option("--no-rules", is_flag=True, help="Lexicon evidence only.")
@click.option("--lexicon", "lexicon_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Use this lexicon instead of the shipped one: LIWC .dic, NRC "
              "EmoLex or Emotion Intensity, tone's TSV, or term<TAB>concept TSV (also in "
              "--processes and --dask workers).")
@click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
              help="A domain pack (repeatable; tone packs list): its lexicon, rules and "
                   "tokens join, its scheme is the default --scheme and its first format "
                   "the default -f.")
@click.option("--base-iri", default="urn:tone:doc:", show_default=True,
              help="Document IRIs (emotionml, jsonld, turtle): BASE + document number.")
@click.option("--scheme", "scheme_name", default=None, metavar="NAME",
              help="Also score each record in another taxonomy (plutchik, ekman, "
                   "goemotions, meld, sentiment, ...; see ontology/README.md, Mappings): "
                   "jsonl adds them to the record, emotionml writes them as the categories "
                   "(W3C big6 for ekman), jsonld and turtle as onyx:Emotion nodes.")
@click.option("--jsonld-shape", type=click.Choice(["flat", "senpy"]), default="flat",
              show_default=True, help="jsonld: one flat @graph, or Senpy's nested "
              "Results/entries/emotions shape (the same triples).")
@click.option("--tau", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="facs-json, facs-csv: the smoothing time constant [0.3; 0 = none].")
@click.option("--example", is_flag=True, help="Annotate the bundled example file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
def annotate_command(files, fmt, output, input_format, doc_per_file, text_field, id_field,
                     text_column, id_column, errors, level, tier, with_trace, no_text,
                     batch_size, processes, dask_address, tokenizer, no_rules, lexicon_path,
                     packs, base_iri, scheme_name, jsonld_shape, tau, example, quiet) -> None:
    """Annotate documents from FILES (or stdin) with emotions; one record per document.

    \b
    Input: one document per line (default); --doc-per-file; JSONL (.jsonl, or --text-field);
    CSV/TSV (.csv/.tsv, or --text-column); subtitles, one document per cue (.srt/.vtt);
    .gz files are decompressed.
    Output: jsonl (default), tsv, emotionml, jsonld, turtle, to stdout or -o FILE; for timed
    input (subtitles, JSONL with start/end) facs-json, facs-csv: per cue the emotions, facial
    action units and ARKit blendshapes.
    Exit status: 0 ok, 1 bad input, 2 usage error or unwritable output, 130 interrupted.
    """
    from ..io import annotate_documents, make_writer, read_documents
    from ..io.writers import RECORD_LOCAL
    from ..io.output import open_output

    if example:
        if files:
            raise UsageError("--example takes no FILES")
        files = (example_path(),)
    files = files or ("-",)
    if doc_per_file:
        if input_format not in (None, "file"):
            raise UsageError("--doc-per-file conflicts with --input-format " + input_format)
        input_format = "file"
    if input_format is None and (text_field or id_field):
        input_format = "jsonl"
    if input_format is None and (text_column or id_column) and all(
            f == "-" or f.endswith((".gz", ".txt")) for f in files):
        input_format = "csv"
    if dask_address and processes > 1:
        raise UsageError("--dask and --processes are alternatives; pass one")
    loaded = ()
    if packs:  # a bad pack fails now; its default scheme and format apply unless given
        from ..packs import load_packs, pack_formats, pack_scheme

        loaded = load_packs(packs)
        context = click.get_current_context()
        formats = pack_formats(loaded)
        if formats and context.get_parameter_source("fmt").name == "DEFAULT":
            fmt = _pack_format(context, formats[0])
        default_scheme = pack_scheme(loaded)
        if scheme_name is None and fmt in ("jsonl", "emotionml", "jsonld", "turtle") and \
                not (fmt == "jsonl" and level == "span"):
            scheme_name = default_scheme
    if scheme_name is not None:
        from ..scoring.schemes import get_scheme

        onto = None
        if any(pack.mappings for pack in loaded):  # a pack may map a scheme of its own
            from ..ontology import Ontology
            from ..packs.graph import add_pack_mappings

            onto = Ontology()
            add_pack_mappings(onto, loaded)
        get_scheme(scheme_name, onto)  # an unknown name fails now, listing the known ones
        if fmt not in ("jsonl", "emotionml", "jsonld", "turtle", "facs-json", "facs-csv"):
            raise UsageError(f"--scheme is not supported by -f {fmt}; use jsonl, emotionml, "
                             "jsonld or turtle")
        if fmt == "jsonl" and level == "span":
            raise UsageError("--scheme scores documents and sentences; jsonl --level span "
                             "writes spans: use --level doc or sentence")
    if jsonld_shape != "flat" and fmt != "jsonld":
        raise UsageError("--jsonld-shape applies to -f jsonld")
    if tau is not None and not fmt.startswith("facs-"):
        raise UsageError("--tau applies to -f facs-json and facs-csv")
    for name in files:
        if name != "-" and not os.path.exists(name):
            raise _no_such_file(name)
    if "-" in files and not quiet and sys.stdin.isatty():  # else a silent wait for input
        click.echo("tone: reading documents from the terminal, one per line; end with Ctrl-D "
                   "(or give FILES, pipe them in, or try --example)", err=True)

    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    annotator_kwargs = {"tokenizer": tokenizer, "rules": False if no_rules else None}
    if lexicon_path is not None:  # an absolute path: workers may run elsewhere
        annotator_kwargs["lexicon"] = os.path.abspath(lexicon_path)
    if loaded:
        annotator_kwargs["packs"] = [str(pack.folder) for pack in loaded]
    progress = _Progress(not quiet and sys.stderr.isatty(), _input_size(files))
    skipped = 0
    started = time.perf_counter()
    executor = None
    try:
        if dask_address:
            from ..integrations.dask import DaskExecutor

            executor = DaskExecutor(dask_address)
        annotator = None
        if lexicon_path is not None:  # a bad lexicon file fails here, not in a worker
            from ..annotator import Annotator

            annotator = Annotator(**annotator_kwargs)
        docs = read_documents(files, fmt=input_format, errors=errors,
                              text_field=text_field or "text", id_field=id_field,
                              text_column=text_column, id_column=id_column)
        options = dict(level=level, tier=tier, explain=with_trace, text=not no_text,
                       base_iri=base_iri, scheme=scheme_name)
        if fmt == "jsonld":
            options["jsonld_shape"] = jsonld_shape
        if tau is not None:
            options["tau"] = tau
        # workers render jsonl/tsv records themselves: the parent only writes their text
        render = (fmt, options) if fmt in RECORD_LOCAL else None
        pairs = annotate_documents(docs, annotator, level=level, batch_size=batch_size,
                                   processes=processes, annotator_kwargs=annotator_kwargs,
                                   executor=executor, render=render)
        with open_output(output) as stream:
            skipped = _write(pairs, make_writer(fmt, stream, **options), progress)
    except KeyboardInterrupt:
        progress.close()
        click.echo("tone: interrupted; no output file written" if output != "-" else
                   "tone: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `tone annotate ... | head`
        sys.stderr.close()
        sys.exit(0)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if executor is not None:
            executor.close()
    progress.close()
    if not quiet:
        click.echo(summary(progress.docs, time.perf_counter() - started, skipped), err=True)


def _pack_format(context, name: str) -> str:
    """A pack's default output format, if this ``tone annotate`` has a writer for it."""
    choices = next(param.type.choices for param in context.command.params
                   if param.name == "fmt")
    if name not in choices:
        raise UsageError(f"a pack makes -f {name} the default, but tone annotate has no such "
                         f"format ({', '.join(choices)}); pass -f")
    return name


def _write(pairs, writer, progress) -> int:
    skipped = 0
    writer.begin()
    for doc, ann in pairs:
        writer.write(doc, ann)
        skipped += ann is None
        progress.update(doc.nbytes)
    writer.end()
    return skipped


@cli.command("explain")
@click.argument("text")
@click.option("--tokenizer", type=click.Choice(["fast", "spacy"]), default="fast",
              show_default=True)
@click.option("--scheme", help="Also show the scores and top in a mapped taxonomy (ekman, "
                               "plutchik, ...), with the valence prior when it applies.")
@click.option("--always", is_flag=True, help="Every document has an emotion (see tone eval).")
@click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
              help="A domain pack (repeatable); its scheme is the default --scheme.")
def explain_command(text: str, tokenizer: str, scheme: str | None, always: bool,
                    packs) -> None:
    """Show how TEXT gets its emotions: spans, lexicon rows, rules and scores."""
    from ..annotator import Annotator
    from ..scoring.explain import explain

    annotator = Annotator(tokenizer=tokenizer, always=always, packs=packs)
    click.echo(explain(annotator.annotate(text), annotator.ontology,
                       scheme=scheme or annotator.scheme))
