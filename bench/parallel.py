"""tone annotate --processes N (and --dask local:N): the speed-up on a ≥ 10 MB input.

Usage (from the repository root; tone's dependencies must be importable by ``--python``):

    python bench/parallel.py                      # 10 MB, N = 1, 2, 3 repetitions
    python bench/parallel.py --mb 36 --reps 5 --dask

The input is the Gutenberg lines of the shared data (see bench/README.md), repeated until it
holds ``--mb`` MB of text, as JSONL. Each run is ``python -m tone annotate -q [--processes N]
IN -o OUT`` in its own process, pinned with ``taskset`` to the first N cores (N = 1: core 0
only), with Numba at one thread. Reported per N: the median wall time, the parent's own CPU
(reading, batching, writing: the serial part) and the workers' CPU, the speed-up over N = 1,
and whether the output is byte-identical to N = 1's. The expected curve for more cores is a
projection from CPU times: a worker's start-up (measured on the bundled example), the
workers' per-document work at N = 2 spread over N workers, and the parent's own work, which
overlaps theirs. Writes bench/RESULTS-parallel.md (``--no-write``: not).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import REPO, THREAD_ENV, TONE_SRC, long_docs, machine, versions  # noqa: E402

# Runs the CLI in this process and reports the parent's and the workers' CPU separately.
RUN = r"""
import resource, runpy, sys
if __name__ == "__main__":
    sys.argv = ["tone"] + sys.argv[1:]
    try:
        runpy.run_module("tone", run_name="__main__")
    except SystemExit as stop:
        if stop.code:
            raise
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print("@@CPU", me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, file=sys.stderr)
"""


def make_input(folder: Path, mb: float) -> tuple[Path, int]:
    docs, out, size, n = long_docs(False), [], 0, 0
    while size < mb * 1e6:
        for text in docs:
            out.append(json.dumps({"id": n, "text": text}, ensure_ascii=False))
            size += len(text.encode())
            n += 1
            if size >= mb * 1e6:
                break
    path = folder / "input.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path, size


def run_once(python: str, args: list[str], cores: int, script: Path) -> tuple[float, float, float]:
    env = dict(os.environ, **THREAD_ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TONE_SRC), env.get("PYTHONPATH")]))
    cpus = ",".join(str(c) for c in range(cores))
    started = time.perf_counter()
    proc = subprocess.run(["taskset", "-c", cpus, python, str(script), "annotate", "-q", *args],
                          env=env, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"tone annotate {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    line = next(x for x in proc.stderr.splitlines() if x.startswith("@@CPU"))
    parent, workers = map(float, line.split()[1:])
    return wall, parent, workers


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="input size in MB of text")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--max-n", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--dask", action="store_true", help="also --dask local:N (needs tone[dask])")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tone-parallel-") as tmp:
        folder = Path(tmp)
        script = folder / "run.py"
        script.write_text(RUN)
        source, size = make_input(folder, args.mb)
        run_once(args.python, ["--example", "-o", os.devnull], 1, script)  # warm the caches
        startup = statistics.median(  # CPU of a worker that annotates (almost) nothing
            run_once(args.python, ["--processes", "2", "--example", "-o", os.devnull], 2,
                     script)[2] / 2 for _ in range(args.reps))
        reference = None
        setups = [(f"--processes {n}", n, [] if n == 1 else ["--processes", str(n)])
                  for n in range(1, args.max_n + 1)]
        if args.dask:
            setups += [(f"--dask local:{n}", n, ["--dask", f"local:{n}"])
                       for n in range(2, args.max_n + 1)]
        for label, n, extra in setups:
            out = folder / f"out-{len(rows)}.jsonl"
            runs = [run_once(args.python, [*extra, str(source), "-o", str(out)], n, script)
                    for _ in range(args.reps)]
            walls = [r[0] for r in runs]
            same = None
            if reference is None:
                reference = digest(out)
            else:
                same = digest(out) == reference
            rows.append({"setup": label, "cores": n, "wall": statistics.median(walls),
                         "walls": walls, "parent_cpu": statistics.median(r[1] for r in runs),
                         "worker_cpu": statistics.median(r[2] for r in runs), "same": same})
    base = rows[0]["wall"]
    load_after = os.getloadavg()[0]
    lines = [f"# tone annotate in parallel — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             "", f"Input: {size / 1e6:.1f} MB of Gutenberg lines as JSONL; "
             f"`python bench/parallel.py --mb {args.mb:g} --reps {args.reps}"
             f"{' --dask' if args.dask else ''}`.",
             f"Machine: {machine()['cpu']}, {os.cpu_count()} cores; load average before "
             f"{load_before[0]:.2f}, after {load_after:.2f}"
             + (" (above the core count: every figure is depressed and noisy)"
                if max(load_before[0], load_after) > os.cpu_count() else "")
             + ". Versions: "
             + ", ".join(f"{k} {v}" for k, v in versions().items()
                         if k in ("tone", "python", "numba", "numpy")) + ".", "",
             "| setup | cores (taskset) | median wall s | MB/s | speed-up vs 1 | parent CPU s |"
             " workers' CPU s | output = 1 process |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['setup']} | {r['cores']} | {r['wall']:.2f} | "
                     f"{size / 1e6 / r['wall']:.2f} | {base / r['wall']:.2f}× | "
                     f"{r['parent_cpu']:.2f} | {r['worker_cpu']:.2f} | "
                     f"{'–' if r['same'] is None else ('yes' if r['same'] else 'NO')} |")
    two = next((r for r in rows if r["setup"] == "--processes 2"), None)
    if two is not None:
        # CPU model: a worker's start-up s (measured on the bundled example), the workers'
        # per-document work V = W2 - 2s, and the parent's own work P2, which overlaps them
        one_cpu = rows[0]["parent_cpu"] + rows[0]["worker_cpu"]
        start, work = startup, max(two["worker_cpu"] - 2 * startup, 0.0)
        curve = ", ".join(f"N={n}: {one_cpu / max(two['parent_cpu'], start + work / n):.2f}×"
                          for n in (2, 4, 8, 16))
        lines += ["", f"Expected curve, from CPU times (one process {one_cpu:.2f} s; per worker "
                  f"start-up {start:.2f} s; workers' per-document work {work:.2f} s; parent "
                  f"{two['parent_cpu']:.2f} s, overlapping them), assuming one uncontended core "
                  f"per worker: {curve}. A projection from this run, not a measurement."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        (REPO / "bench" / "RESULTS-parallel.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
