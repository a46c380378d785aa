"""Peer benchmark of tone: throughput, peak RSS and JIT warm-up against peer matchers/analysers.

Run from the repository root with the *bench* venv (see bench/README.md)::

    python bench/peers.py            # full run (writes bench/RESULTS.md)
    python bench/peers.py --quick    # ~1 MB of Gutenberg, 5k short texts, 1 repetition

Every measurement runs in its own subprocess (``python bench/peers.py --worker NAME``),
pinned to one core, with NUMBA/OMP/MKL/OpenBLAS threads set to 1; the worker reports its
timings as JSON and the parent reads the child's peak RSS from ``os.wait4``. Throughput
numbers exclude one-time setup (loading the library, compiling the lexicon, JIT): each worker
runs a small warm-up first; set-up and warm-up cost is measured separately (``warmup`` rows).

Corpora (never shipped; regenerate from the shared data):
  * long: ``$TONE_SHARED_DATA/gutenberg/*.txt`` (or ``../shared/data`` next to the repo),
    concatenated in file-name order, one document per non-empty line (the files have no
    blank lines: one sentence-like line each);
  * short: ``$TONE_SHARED_DATA/goemotions/original/{train,dev,test}.tsv``, first column.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The tone source tree under test (a repo checkout: tone/, lexicons/, ...). Default: this repo;
# ``--tone-src DIR`` (e.g. a ``git archive`` snapshot of a commit) for a stable, named version.
TONE_SRC = Path(os.environ.get("TONE_BENCH_SRC") or REPO)
#: repetitions of the rows that take well under a second (tokenizer, match kernel)
FAST_REPS = 15
THREAD_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1"}


# --------------------------------------------------------------------------- corpora
def shared_data() -> Path:
    env = os.environ.get("TONE_SHARED_DATA")
    cands = [Path(env)] if env else []
    cands.append(REPO.parent / "shared" / "data")
    for c in cands:
        if (c / "gutenberg").is_dir() and (c / "goemotions" / "original").is_dir():
            return c
    sys.exit("bench/peers.py: shared corpora not found; looked for gutenberg/ and "
             "goemotions/original/ under " + ", ".join(map(str, cands))
             + ". Set TONE_SHARED_DATA to the folder that holds them.")


def long_docs(quick: bool) -> list[str]:
    """Gutenberg books, concatenated in file-name order, one document per line.

    The shared copies (NLTK's Gutenberg selection) hold one sentence-like line per line and no
    blank lines, so lines are the paragraph-like unit."""
    files = sorted((shared_data() / "gutenberg").glob("*.txt"))
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    docs = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if quick:
        out, size = [], 0
        for d in docs:
            out.append(d)
            size += len(d)
            if size >= 1_000_000:
                break
        docs = out
    return docs


def short_docs(quick: bool) -> list[str]:
    """GoEmotions texts (train + dev + test, first column)."""
    out = []
    for split in ("train", "dev", "test"):
        path = shared_data() / "goemotions" / "original" / f"{split}.tsv"
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                out.append(line.rstrip("\n").split("\t", 1)[0])
    return out[:5000] if quick else out


def lexicon_terms() -> list[str]:
    """The shipped lexicon's terms, lowercased and deduplicated (what the peers match)."""
    from tone.lexicon.rows import read_lexicon

    rows = read_lexicon(TONE_SRC / "lexicons" / "en" / "lexicon.tsv")
    return sorted({r.term.lower() for r in rows if r.term.strip() and r.status != "rejected"})


def nbytes(docs) -> int:
    return sum(len(d.encode("utf-8", "surrogatepass")) for d in docs)


# --------------------------------------------------------------------------- workers
_CPU_TIMES: list[float] = []


def _time_reps(fn, reps: int) -> tuple[list[float], object]:
    """Wall times of ``reps`` runs; the process CPU times go to _CPU_TIMES alongside."""
    times, out = [], None
    for _ in range(reps):
        out = None
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        _CPU_TIMES.append(time.process_time() - c0)
    return times, out


def _batches(docs):
    """The corpus in batches of tone's default size (what ``pipe`` uses)."""
    from tone.batching import BATCH_SIZE

    return [docs[i:i + BATCH_SIZE] for i in range(0, len(docs), BATCH_SIZE)]


def w_baseline(docs, reps):
    """Python + corpus in memory, nothing else: the RSS floor of every row."""
    return [0.0] * reps, {}


def _tone_read(docs, reps, read):
    """``list(Annotator().pipe(docs))``, results kept, and ``read(result)`` of every result
    (an Annotation builds its fields when first read)."""
    import tone

    ann = tone.Annotator()
    list(ann.pipe(docs[:500]))  # warm-up (JIT, caches)

    def run():
        res = list(ann.pipe(docs))  # the default batch size, as a user gets it
        for r in res:
            read(r)
        return res

    times, res = _time_reps(run, reps)
    return times, {"n_docs_out": len(res), "n_spans": sum(len(r.spans) for r in res),
                   "docs_with_emotion": sum(1 for r in res if r.top)}


def w_tone_e2e(docs, reps):
    return _tone_read(docs, reps, lambda r: r.top)


def w_tone_primary(docs, reps):  # what a VADER or NRCLex user reads: the label and the scores
    return _tone_read(docs, reps, lambda r: (r.top, r.primary))


def w_tone_to_dict(docs, reps):
    return _tone_read(docs, reps, lambda r: r.to_dict())


def w_tone_kernels(docs, reps):
    import tone
    from tone.lexicon.match import match
    from tone.text import tokenize

    ann = tone.Annotator()
    lex, rules = ann.lexicon, ann.rules
    chunks = _batches(docs)

    def run():
        n_tok = n_match = 0
        for chunk in chunks:
            b = tokenize(chunk)
            m = match(lex, b)
            rules.apply(b, m)
            n_tok += len(b)
            n_match += len(m)
        return n_tok, n_match

    run_small = _batches(docs[:2000])
    for chunk in run_small:
        b = tokenize(chunk)
        rules.apply(b, match(lex, b))
    times, (n_tok, n_match) = _time_reps(run, reps)
    return times, {"n_tokens": n_tok, "n_matches": n_match}


def w_tone_tokenize(docs, reps):
    from tone.text import tokenize

    chunks = _batches(docs)
    tokenize(docs[:100])
    times, n = _time_reps(lambda: sum(len(tokenize(c)) for c in chunks), max(reps, FAST_REPS))
    return times, {"n_tokens": n}


def w_tone_match(docs, reps):
    import tone
    from tone.lexicon.match import match
    from tone.text import tokenize

    ann = tone.Annotator()
    lex = ann.lexicon
    batches = [tokenize(c) for c in _batches(docs)]
    match(lex, batches[0])
    n_tok = sum(len(b) for b in batches)
    # a run takes ~0.04 s: one scheduler hiccup moves it by a third, so take more of them
    times, n_match = _time_reps(lambda: sum(len(match(lex, b)) for b in batches),
                                max(reps, FAST_REPS))
    return times, {"n_tokens": n_tok, "n_matches": n_match}


def w_flashtext(docs, reps):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=False)
    for t in lexicon_terms():
        kp.add_keyword(t)

    def run():
        n = 0
        for d in docs:
            n += len(kp.extract_keywords(d.lower(), span_info=True))
        return n

    times, n = _time_reps(run, reps)
    return times, {"n_matches": n}


def w_ahocorasick(docs, reps):
    import ahocorasick

    A = ahocorasick.Automaton()
    for t in lexicon_terms():
        A.add_word(t, len(t))
    A.make_automaton()

    def run():
        # All occurrences, kept only where both ends fall on a word boundary (a term that starts
        # or ends with a word character must not touch another word character).
        n = 0
        for d in docs:
            low = d.lower()
            size = len(low)
            for end, length in A.iter(low):
                start = end - length + 1
                if start > 0 and low[start].isalnum() and low[start - 1].isalnum():
                    continue
                if end + 1 < size and low[end].isalnum() and low[end + 1].isalnum():
                    continue
                n += 1
        return n

    times, n = _time_reps(run, reps)
    return times, {"n_matches": n}


def w_spacy(docs, reps):
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    pm = PhraseMatcher(nlp.vocab, attr="LOWER")
    pm.add("EMO", list(nlp.tokenizer.pipe(lexicon_terms())))
    for doc in nlp.pipe(docs[:200]):
        pm(doc)

    def run():
        n = 0
        for doc in nlp.pipe(docs):
            n += len(pm(doc))
        return n

    times, n = _time_reps(run, reps)
    return times, {"n_matches": n}


def _offline_nltk() -> str:
    """TextBlob (hence NRCLex.load_raw_text) needs NLTK's punkt_tab and wordnet data. WordNet
    3.0 is in the shared data (NLTK layout); punkt_tab cannot be downloaded here, so sentence
    splitting uses NLTK's untrained PunktSentenceTokenizer (same algorithm, default
    parameters). Everything else is NRCLex's and TextBlob's own code."""
    import nltk
    import nltk.tokenize
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    wn_root = str(shared_data() / "wordnet")
    if wn_root not in nltk.data.path:
        nltk.data.path.insert(0, wn_root)
    try:
        nltk.data.find("tokenizers/punkt_tab/english/")
        return "nltk punkt_tab found: unmodified"
    except LookupError:
        pst = PunktSentenceTokenizer()
        nltk.tokenize._get_punkt_tokenizer = lambda language="english": pst
        return "punkt_tab missing: untrained PunktSentenceTokenizer; WordNet from shared data"


def w_nrclex(docs, reps):
    from nrclex import NRCLex

    note = _offline_nltk()

    def run():
        out = []
        for d in docs:
            n = NRCLex()
            n.load_raw_text(d)
            out.append(n.affect_frequencies)
        return out

    run_docs = docs
    docs = docs[:50]
    run()
    docs = run_docs
    times, res = _time_reps(run, reps)
    return times, {"note": note, "docs_with_emotion": sum(1 for r in res if any(r.values()))}


def w_vader(docs, reps):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    for d in docs[:50]:
        sia.polarity_scores(d)
    times, res = _time_reps(lambda: [sia.polarity_scores(d) for d in docs], reps)
    return times, {"docs_nonneutral": sum(1 for r in res if r["compound"] != 0)}


WORKERS = {
    # name: (corpus, function, label)
    "baseline_long": ("long", w_baseline, "baseline (python + corpus only)"),
    "tone_e2e_long": ("long", w_tone_e2e, "tone end to end (`pipe`, results kept, `top` read)"),
    "tone_kernels_long": ("long", w_tone_kernels, "tone kernels (tokenize+match+rules)"),
    "tone_tokenize_long": ("long", w_tone_tokenize, "tone tokenize only"),
    "tone_match_long": ("long", w_tone_match, "tone match kernel only (pre-tokenized)"),
    "flashtext_long": ("long", w_flashtext, "flashtext KeywordProcessor"),
    "ahocorasick_long": ("long", w_ahocorasick, "pyahocorasick + word-boundary check"),
    "spacy_long": ("long", w_spacy, "spaCy blank('en') + PhraseMatcher(LOWER)"),
    "baseline_short": ("short", w_baseline, "baseline (python + corpus only)"),
    "tone_e2e_short": ("short", w_tone_e2e, "tone end to end (`pipe`, results kept, `top` read)"),
    "tone_primary_short": ("short", w_tone_primary,
                           "tone end to end, `top` and `primary` read"),
    "tone_to_dict_short": ("short", w_tone_to_dict, "tone end to end, `to_dict()` of each"),
    "tone_kernels_short": ("short", w_tone_kernels, "tone kernels (tokenize+match+rules)"),
    "nrclex_short": ("short", w_nrclex, "NRCLex `load_raw_text` + `affect_frequencies`"),
    "vader_short": ("short", w_vader, "VADER `polarity_scores`"),
}


def pin(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:
            pass


def worker_main(name: str, quick: bool, reps: int, cpu: int) -> None:
    pin(cpu)
    corpus, fn, _ = WORKERS[name]
    docs = long_docs(quick) if corpus == "long" else short_docs(quick)
    times, extra = fn(docs, reps)
    out = {"name": name, "times": times, "cpu_times": _CPU_TIMES or [0.0] * len(times),
           "n_docs": len(docs), "n_bytes": nbytes(docs),
           "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, **extra}
    print("@@RESULT " + json.dumps(out), flush=True)


WARMUP_SNIPPET = r"""
import json, os, sys, time, resource
c0 = time.process_time()
t0 = time.perf_counter()
import tone
t1 = time.perf_counter()
r = tone.annotate("I am over the moon, but not angry at all!")
t2 = time.perf_counter()
assert r.top, r
print("@@RESULT " + json.dumps({"import": t1 - t0, "first_annotate": t2 - t1, "total": t2 - t0,
                            "cpu_total": time.process_time() - c0}))
"""


# --------------------------------------------------------------------------- parent
def child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update(THREAD_ENV)
    env["TONE_BENCH_SRC"] = str(TONE_SRC)
    env["PYTHONPATH"] = str(TONE_SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("TONE_CACHE_DIR", None)
    if extra:
        env.update(extra)
    return env


def run_child(argv: list[str], env: dict, cpu: int, timeout: float = 3600,
              cwd: Path = REPO) -> tuple[dict, int, float]:
    """Run a child; return (its @@RESULT json, its peak RSS in KB, wall seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=str(cwd), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=(lambda: pin(cpu)))
    out, err = proc.communicate(timeout=timeout)  # communicate() reaps via waitpid
    wall = time.perf_counter() - t0
    result = None
    for line in out.splitlines():
        if line.startswith("@@RESULT "):
            result = json.loads(line[len("@@RESULT "):])
    if proc.returncode != 0 or result is None:
        raise RuntimeError(f"child {argv[-3:]} failed (rc={proc.returncode}):\n{err[-3000:]}")
    # Peak RSS: the child reports its own getrusage(RUSAGE_SELF).ru_maxrss (KB on Linux).
    return result, int(result.get("maxrss_self_kb", 0)), wall


def versions() -> dict:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("numba", "llvmlite", "numpy", "spacy", "flashtext", "pyahocorasick", "nrclex",
                 "textblob", "nltk", "vaderSentiment", "psutil", "rdflib"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    stamp = TONE_SRC / "BENCH_SOURCE"
    if stamp.is_file():
        out["tone"] = stamp.read_text().strip()
    else:
        try:
            rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=TONE_SRC, text=True,
                                 capture_output=True).stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "tone", "lexicons",
                                    "rules", "ontology"], cwd=TONE_SRC, text=True,
                                   capture_output=True).stdout.strip()
            out["tone"] = (rev or "?") + (" + uncommitted changes (working tree)" if dirty else "")
        except OSError:
            out["tone"] = "?"
    return out


def machine() -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "load": os.getloadavg(),
            "platform": platform.platform()}


def fmt(x, nd=1):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small corpora, 1 repetition")
    ap.add_argument("--reps", type=int, default=None, help="repetitions (default 5, quick 1)")
    ap.add_argument("--slow-reps", type=int, default=None,
                    help="repetitions of the slow peers (NRCLex, spaCy; default 3, quick 1)")
    ap.add_argument("--cpu", type=int, default=0, help="core to pin every child to (default 0)")
    ap.add_argument("--only", default="", help="comma-separated worker names (debugging)")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    ap.add_argument("--tone-src", default=None,
                    help="tone source tree to measure (default: this repo's working tree)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    global TONE_SRC
    if args.tone_src:
        TONE_SRC = Path(args.tone_src).resolve()
    if not (TONE_SRC / "tone" / "__init__.py").is_file():
        sys.exit(f"bench/peers.py: no tone package under {TONE_SRC}")
    # five runs of the rows that take a second or less: their medians swing less on a shared
    # machine; the slow peers (tens of seconds a run) keep three
    reps = args.reps or (1 if args.quick else 5)
    slow_reps = args.slow_reps or (1 if args.quick else 3)
    if args.worker:
        worker_main(args.worker, args.quick, reps, args.cpu)
        return

    shared_data()  # fail early, with a message, when the corpora are missing
    started = _dt.datetime.now(_dt.timezone.utc)
    load_before = os.getloadavg()
    names = [n for n in WORKERS if not args.only or n in args.only.split(",")]
    jit_dir = tempfile.mkdtemp(prefix="tone-bench-numba-")
    env = child_env({"NUMBA_CACHE_DIR": jit_dir})
    # compile tone's kernels once, outside the measured workers, so that their peak RSS is
    # annotation's and not the JIT compiler's (JIT warm-up has its own table below)
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                    "import tone; tone.annotate('I am not happy!')", str(TONE_SRC)],
                   env=env, check=True)
    results = {}
    for name in names:
        r = slow_reps if name in ("nrclex_short", "spacy_long") else reps
        argv = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--reps", str(r),
                "--cpu", str(args.cpu)] + (["--quick"] if args.quick else [])
        print(f"[bench] {name} ({r} reps) ...", file=sys.stderr, flush=True)
        res, rss, wall = run_child(argv, env, args.cpu)
        res["rss_mb"] = rss / 1024
        res["reps"] = len(res["times"])
        res["median_wall"] = statistics.median(res["times"])
        res["median"] = statistics.median(res["cpu_times"])
        res["wall"] = wall
        results[name] = res
        print(f"[bench]   median CPU {res['median']:.3f}s of {[round(t, 3) for t in res['cpu_times']]}"
              f", wall {[round(t, 3) for t in res['times']]}, "
              f"peak RSS {res['rss_mb']:.0f} MB, wall {wall:.1f}s", file=sys.stderr, flush=True)

    warm = {}
    if not args.only or "warmup" in args.only.split(","):
        warm_reps = 1 if args.quick else 3
        cold_runs, warm_runs = [], []
        for i in range(warm_reps):
            cache = tempfile.mkdtemp(prefix="tone-bench-cold-")
            wenv = child_env({"NUMBA_CACHE_DIR": cache})
            argv = [sys.executable, "-c", WARMUP_SNIPPET, "--", "x"]
            print(f"[bench] warm-up {i + 1}/{warm_reps}: cold cache {cache} ...", file=sys.stderr,
                  flush=True)
            # `python -c` puts its working folder first on sys.path: run it from the (empty)
            # cache folder, so that it imports the tone of --tone-src, not the repository's
            res, _, wall = run_child(argv, wenv, args.cpu, cwd=Path(cache))
            res["wall"] = wall
            cold_runs.append(res)
            res, _, wall = run_child(argv, wenv, args.cpu, cwd=Path(cache))
            res["wall"] = wall
            warm_runs.append(res)
        for label, runs in (("cold", cold_runs), ("warm", warm_runs)):
            warm[label] = {k: statistics.median(r[k] for r in runs)
                           for k in ("import", "first_annotate", "total", "cpu_total", "wall")}
            warm[label]["n"] = len(runs)

    report = render(results, warm, args, reps, slow_reps, started, load_before)
    print(report)
    if not args.no_write and not args.only:
        out = REPO / "bench" / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
        out.write_text(report, encoding="utf-8")
        print(f"[bench] wrote {out}", file=sys.stderr)
    raw = REPO / "bench" / (".last-run-quick.json" if args.quick else ".last-run.json")
    if not args.only:
        raw.write_text(json.dumps({"results": results, "warmup": warm}, indent=1))


def render(results, warm, args, reps, slow_reps, started, load_before) -> str:
    L = []
    m = machine()
    v = versions()
    cmd = "python bench/peers.py" + (" --quick" if args.quick else "") + \
        (f" --tone-src {args.tone_src}" if args.tone_src else "") + \
        (f" --reps {args.reps}" if args.reps else "") + \
        (f" --slow-reps {args.slow_reps}" if args.slow_reps else "")
    L.append("# tone peer benchmark: results\n")
    L.append(f"- date: {started:%Y-%m-%d %H:%M} UTC")
    L.append(f"- command: `{cmd}` (from the repo root, bench venv; see bench/README.md)")
    L.append(f"- machine: nproc={m['nproc']}, CPU: {m['cpu']}, {m['platform']}; every child "
             f"pinned to core {args.cpu}, NUMBA/OMP/MKL/OpenBLAS threads = 1")
    L.append(f"- load average before/after: {', '.join(f'{x:.2f}' for x in load_before)} / "
             f"{', '.join(f'{x:.2f}' for x in m['load'])} (a shared machine: other jobs ran too)")
    L.append("- versions: " + ", ".join(f"{k} {val}" for k, val in v.items()))
    L.append("- time: the median over repetitions of the worker's *CPU time* "
             "(`time.process_time`, single-threaded work pinned to one core) is the basis of every "
             "rate and ratio, because the machine is shared and its load makes wall time swing; "
             "the wall-time median is shown in brackets.")
    L.append(f"- repetitions: {reps} (median reported); NRCLex and spaCy: {slow_reps}; the "
             f"tokenizer and match-kernel rows: at least {FAST_REPS}. "
             "Each row is its own subprocess; setup and a small warm-up are excluded from "
             "throughput (see the warm-up table for that cost).")
    L.append("")

    long_ = {k: r for k, r in results.items() if k.endswith("_long")}
    short = {k: r for k, r in results.items() if k.endswith("_short")}
    n_tok_long = next((r.get("n_tokens") for k, r in long_.items() if r.get("n_tokens")), None)
    n_tok_short = next((r.get("n_tokens") for k, r in short.items() if r.get("n_tokens")), None)

    if long_:
        any_r = next(iter(long_.values()))
        L.append(f"## Long text: Gutenberg ({len(list((shared_data() / 'gutenberg').glob('*.txt')))} "
                 f"books{' (quick: first ~1 MB)' if args.quick else ''}), "
                 f"{any_r['n_docs']:,} line documents, {any_r['n_bytes'] / 1e6:.2f} MB UTF-8, "
                 f"{n_tok_long or 0:,} tone tokens\n")
        L.append("tokens/s of the peers = tone's token count / the peer's time (same text).\n")
        tone_e2e = long_.get("tone_e2e_long", {}).get("median")
        L.append("| measurement | median CPU s | (wall s) | MB/s | M tokens/s | matches | "
                 "peak RSS MB | tone e2e / this (speed) |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for k, r in long_.items():
            label = WORKERS[k][2]
            if k.startswith("baseline"):
                L.append(f"| {label} | – | – | – | – | – | {r['rss_mb']:.0f} | – |")
                continue
            med = r["median"]
            mbs = r["n_bytes"] / 1e6 / med
            tps = (n_tok_long or 0) / 1e6 / med
            ratio = med / tone_e2e if tone_e2e else None
            L.append(f"| {label} | {med:.3f} | {r['median_wall']:.3f} | {fmt(mbs)} | {fmt(tps)} | "
                     f"{format(r['n_matches'], ',') if 'n_matches' in r else (format(r['n_spans'], ',') if 'n_spans' in r else '–')} | "
                     f"{r['rss_mb']:.0f} | "
                     f"{fmt(ratio, 2)}× |")
        L.append("")
    if short:
        any_r = next(iter(short.values()))
        L.append(f"## Short texts: GoEmotions{' (quick: first 5k)' if args.quick else ''}, "
                 f"{any_r['n_docs']:,} documents, {any_r['n_bytes'] / 1e6:.2f} MB, "
                 f"{n_tok_short or 0:,} tone tokens\n")
        tone_e2e = short.get("tone_e2e_short", {}).get("median")
        L.append("| measurement | median CPU s | (wall s) | docs/s | peak RSS MB | "
                 "tone e2e / this (speed) |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for k, r in short.items():
            label = WORKERS[k][2]
            if k.startswith("baseline"):
                L.append(f"| {label} | – | – | – | {r['rss_mb']:.0f} | – |")
                continue
            med = r["median"]
            ratio = med / tone_e2e if tone_e2e else None
            L.append(f"| {label} | {med:.3f} | {r['median_wall']:.3f} | {fmt(r['n_docs'] / med)} | "
                     f"{r['rss_mb']:.0f} | "
                     f"{fmt(ratio, 2)}× |")
        if "nrclex_short" in short and short["nrclex_short"].get("note"):
            L.append(f"\nNRCLex: {short['nrclex_short']['note']}.")
        L.append("")
    if warm:
        L.append("## JIT warm-up: `import tone` + first `tone.annotate()` in a fresh process\n")
        L.append("Cold = empty `NUMBA_CACHE_DIR` (tone's table cache lives under it too); warm = "
                 "the same directory, second process. Median of "
                 f"{warm['cold']['n']} pairs. Wall includes interpreter start-up.\n")
        L.append("| cache | import s | first annotate s | import + annotate s | (its CPU s) | "
                 "process wall s |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for label in ("cold", "warm"):
            w = warm[label]
            L.append(f"| {label} | {w['import']:.3f} | {w['first_annotate']:.2f} | "
                     f"{w['total']:.2f} | {w['cpu_total']:.2f} | {w['wall']:.2f} |")
        L.append("")

    # targets
    L.append("## Targets (from the issue)\n")
    L.append("| target | measured | met? |")
    L.append("|---|---|---|")

    def row(name, measured, ok):
        L.append(f"| {name} | {measured} | {'yes' if ok else 'NO'} |")

    def med(k):
        return results.get(k, {}).get("median")

    if med("tone_e2e_long") and med("ahocorasick_long"):
        r = med("ahocorasick_long") / med("tone_e2e_long")
        r2 = med("ahocorasick_long") / med("tone_kernels_long") if med("tone_kernels_long") else None
        row("tone ≥ 2× pyahocorasick MB/s (Gutenberg)",
            f"end to end {r:.2f}×" + (f"; kernels only {r2:.2f}×" if r2 else ""), r >= 2)
    short_tone = "tone_primary_short" if med("tone_primary_short") else "tone_e2e_short"
    if med(short_tone) and med("nrclex_short"):  # issue 16: with `top` and `primary` read
        r = med("nrclex_short") / med(short_tone)
        row(f"tone ≥ 100× NRCLex docs/s (GoEmotions, {short_tone})", f"{r:.1f}×", r >= 100)
    if med(short_tone) and med("vader_short"):
        r = med("vader_short") / med(short_tone)
        row(f"tone ≥ 10× VADER docs/s (GoEmotions, {short_tone})", f"{r:.1f}×", r >= 10)
    tone_rss = [r["rss_mb"] for k, r in results.items() if k.startswith("tone_")]
    if tone_rss:
        worst = max((r["rss_mb"], k) for k, r in results.items() if k.startswith("tone_"))
        row("peak RSS ≤ 500 MB (tone rows)", f"max {worst[0]:.0f} MB ({worst[1]})", worst[0] <= 500)
    if med("tone_match_long") and n_tok_long:
        t = n_tok_long / 1e6 / med("tone_match_long")
        row("match kernel ≥ 50 M tokens/s", f"{t:.1f} M tokens/s", t >= 50)
    if warm:
        t = warm["warm"]["total"]
        row("import + first annotate, warm JIT cache ≤ 1.5 s", f"{t:.2f} s wall, "
            f"{warm['warm']['cpu_total']:.2f} s CPU (process wall {warm['warm']['wall']:.2f} s)",
            t <= 1.5)
    L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
