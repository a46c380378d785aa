"""``tone annotate`` and ``tone explain``."""
from __future__ import annotations

import json

import click

from ..errors import ToneError
from . import cli


def _read_documents(files: tuple[str, ...]):
    """Yield (id, text) per line of each file (``-`` or nothing: stdin). Undecodable bytes stop
    the run with the file, line and byte offset."""
    sources = files or ("-",)
    for name in sources:
        stream = click.open_file(name, "rb")
        offset = 0
        with stream:
            for number, raw in enumerate(stream, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    where = "<stdin>" if name == "-" else name
                    raise ToneError(f"{where}:{number}: byte offset {offset + err.start}: "
                                    f"invalid UTF-8 ({err.reason}); convert the file to UTF-8")
                offset += len(raw)
                label = f"{number}" if len(sources) == 1 else f"{name}:{number}"
                yield label, line.rstrip("\r\n")


@cli.command("annotate")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--level", type=click.Choice(["doc", "sentence"]), default="doc", show_default=True)
@click.option("--explain", "with_trace", is_flag=True, help="Add each span's rule trace.")
@click.option("--batch-size", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--tokenizer", type=click.Choice(["fast", "spacy"]), default="fast",
              show_default=True)
@click.option("--no-rules", is_flag=True, help="Lexicon evidence only.")
def annotate_command(files, level, with_trace, batch_size, tokenizer, no_rules) -> None:
    """Annotate text, one document per line, from FILES or stdin; JSON lines on stdout."""
    from ..annotator import Annotator

    annotator = Annotator(tokenizer=tokenizer, rules=False if no_rules else None)
    documents = list(_read_documents(files))
    results = annotator.pipe((text for _, text in documents), batch_size=batch_size,
                             ids=(doc_id for doc_id, _ in documents), level=level)
    for result in results:
        click.echo(json.dumps(result.to_dict(explain=with_trace), ensure_ascii=False))


@cli.command("explain")
@click.argument("text")
@click.option("--tokenizer", type=click.Choice(["fast", "spacy"]), default="fast",
              show_default=True)
def explain_command(text: str, tokenizer: str) -> None:
    """Show how TEXT gets its emotions: spans, lexicon rows, rules and scores."""
    from ..annotator import Annotator
    from ..explain import explain

    annotator = Annotator(tokenizer=tokenizer)
    click.echo(explain(annotator.annotate(text), annotator.ontology))
