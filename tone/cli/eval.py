"""``tone eval``: measure tone on a benchmark or on any labelled file."""
from __future__ import annotations

import json

import click

from ..errors import UsageError
from . import cli


@cli.command("eval")
@click.argument("file", required=False, type=click.Path())
@click.option("--dataset", type=click.Choice(["goemotions", "goemotions-ekman", "meld",
                                              "emobank", "goodnewseveryone", "enisear",
                                              "reman", "dailydialog", "emorynlp",
                                              "empatheticdialogues"]),
              help="A benchmark from the shared data folder.")
@click.option("--suite", type=click.Choice(["dev", "test"]),
              help="The eight-corpus development suite on this split: one table of main "
                   "metric, coverage and precision when firing, and the suite score.")
@click.option("--split", type=click.Choice(["train", "dev", "test"]), default="test",
              show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Only the first N documents.")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Benchmark data folder (default: $TONE_SHARED_DATA or ../shared/data).")
@click.option("--format", "fmt", type=click.Choice(["tsv", "csv", "jsonl"]),
              help="Format of FILE (generic reader).")
@click.option("--text", "text_col", default="text", show_default=True,
              help="Text column or key of FILE (a 1-based number: headerless file).")
@click.option("--label", "label_col", help="Single-label column or key of FILE.")
@click.option("--labels", "labels_col",
              help="Multi-label column or key of FILE (comma-separated, or a JSON list).")
@click.option("--label-names", type=click.Path(dir_okay=False),
              help="File of label names, one per line, for integer label ids.")
@click.option("--scheme", help="Scheme of FILE's labels (e.g. ekman, goemotions, meld).")
@click.option("--compare", multiple=True, type=click.Choice(["nrclex"]),
              help="Score a peer on the same documents (needs it installed).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="A category needs at least this score to count as present.")
@click.option("--tokenizer", type=click.Choice(["fast", "spacy"]), default="fast",
              show_default=True)
@click.option("--no-rules", is_flag=True, help="Lexicon evidence only (same as --rules off).")
@click.option("--rules", "rules_switch", type=click.Choice(["on", "off"]), default="on",
              show_default=True, help="Text rules (negation, intensity, contrast, ...).")
@click.option("--inference", default="default", show_default=True, metavar="on|off|default|GROUPS",
              help="Inference rules over the ontology: 'default' as shipped, 'on' every rule, "
                   "'off' none, or comma-separated groups/rule names "
                   "(compose, oppose, hierarchy, transition).")
@click.option("--always", is_flag=True,
              help="Every document has an emotion: a document without evidence answers the "
                   "best category of its valence prior instead of neutral (with --suite: on "
                   "the corpora without neutral items only).")
@click.option("--dialogue", "with_dialogue", is_flag=True,
              help="Dialogue context (meld, emorynlp, dailydialog): each turn's scores get "
                   "inertia and contagion through transition tables (tone dialogue).")
@click.option("--tables", "tables_path", type=click.Path(exists=True, dir_okay=False),
              help="--dialogue: tables from tone dialogue fit [the ontology's for the scheme].")
@click.option("--alpha", type=click.FloatRange(0), default=None,
              help="--dialogue: weight of the context beside a turn's evidence [1.0].")
@click.option("--beta", type=click.FloatRange(0), default=None,
              help="--dialogue: weight of the context for a turn without evidence [0].")
@click.option("--contagion", type=click.FloatRange(0), default=None,
              help="--dialogue: weight of the other speakers' turns beside the speaker's own "
                   "previous turn [0].")
@click.option("--pack", "packs", multiple=True, metavar="NAME|PATH",
              help="A domain pack (repeatable; see tone packs list).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-per-class", is_flag=True, help="Table: summary only.")
@click.option("--predictions", type=click.Path(dir_okay=False, writable=True),
              help="Also write tone's per-document gold and prediction as JSON lines.")
def eval_command(file, dataset, suite, split, limit, data_dir, fmt, text_col, label_col, labels_col,
                 label_names, scheme, compare, min_score, tokenizer, no_rules, rules_switch,
                 inference, always, with_dialogue, tables_path, alpha, beta, contagion, packs,
                 as_json, no_per_class, predictions) -> None:
    """Measure tone on a benchmark (--dataset) or on a labelled FILE (--format, --text,
    --label/--labels, --scheme): accuracy, macro/micro-F1, per-class P/R/F1, confusion,
    coverage; Pearson r for valence/arousal/dominance on EmoBank. --suite: the development
    suite (bench/ACCURACY.md), each corpus with its main metric, and the suite score.

    \b
    tone eval --dataset goemotions-ekman --split dev --compare nrclex
    tone eval --dataset meld --split dev --rules off --inference off
    tone eval data.csv --format csv --text sentence --label emotion --scheme ekman
    tone eval --suite dev --compare nrclex
    tone eval --dataset empatheticdialogues --split dev --pack empathetic
    """
    from .. import evaluate as ev
    from ..annotator import Annotator

    if sum(x is not None for x in (file, dataset, suite)) != 1:
        raise UsageError("give one of --dataset NAME, --suite dev|test or a FILE with --format")
    inference_spec = {"default": None, "on": True, "off": False}.get(inference, inference)
    annotator = Annotator(tokenizer=tokenizer,
                          rules=False if no_rules or rules_switch == "off" else None,
                          inference=inference_spec, packs=packs)
    if suite is not None:
        from ..evaluate_suite import format_suite, run_suite

        report = run_suite(suite, compare=compare, root=data_dir, annotator=annotator,
                           limit=limit, min_score=min_score, always=always)
        click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json
                   else format_suite(report))
        return
    if dataset is not None:
        if "nrclex" in compare:
            from ..evaluate_suite import use_shared_wordnet

            use_shared_wordnet(ev.shared_data_dir(data_dir))
        data = ev.read_dataset(dataset, split, root=data_dir, limit=limit)
    else:
        if fmt is None or scheme is None:
            raise UsageError("a FILE needs --format (tsv, csv or jsonl) and --scheme")
        data = ev.read_table(file, fmt, text_col, scheme, label=label_col, labels=labels_col,
                             label_names=label_names, limit=limit)
    mixer = None
    if with_dialogue:
        from ..dialogue.context import ALPHA, BETA, CONTAGION, Mixer
        from ..dialogue.tables import load

        tables = load(data.scheme, path=tables_path, ontology=annotator.ontology)
        mixer = Mixer(tables.t_self, tables.t_other, ALPHA if alpha is None else alpha,
                      BETA if beta is None else beta,
                      CONTAGION if contagion is None else contagion)
        if predictions:
            raise UsageError("--predictions writes per-utterance predictions; it does not take "
                             "--dialogue (use tone dialogue FILE --scheme NAME for turn records)")
    elif tables_path or alpha is not None or beta is not None or contagion is not None:
        raise UsageError("--tables, --alpha, --beta and --contagion go with --dialogue")
    report = ev.evaluate(data, annotator, compare=compare, min_score=min_score, always=always,
                         dialogue=mixer)
    if predictions:
        _write_predictions(predictions, data, annotator, min_score, always)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        click.echo(ev.format_report(report, per_class=not no_per_class))


def _write_predictions(path, data, annotator, min_score, always=False) -> None:
    from ..scoring.schemes import scheme_scores

    from ..io.output import open_output

    with open_output(path) as out:
        results = annotator.pipe(data.texts)
        for i, result in enumerate(results):
            record = {"id": data.ids[i] if data.ids else i, "text": data.texts[i]}
            if data.labels is not None:
                scored = scheme_scores(result, data.scheme, annotator.ontology, min_score,
                                       always=always)
                record.update(gold=data.labels[i], top=scored.top,
                              scores={k: v for k, v in scored.scores.items() if v})
            else:
                record.update(gold_vad=data.vad[i].tolist(), vad=result.vad,
                              intensity=result.intensity)
            record["spans"] = [[s.text, s.concept, s.tier, s.score] for s in result.spans]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
