"""How long a new user waits: `tone annotate --example` in a fresh venv, cold and warm.

Usage (from the repository root):

    python3 bench/startup.py                 # this checkout, 3 warm runs
    python3 bench/startup.py --unbundled     # also an install built with TONE_BUILD_KERNELS=0

Steps, each timed: ``python3 -m venv V`` and ``V/bin/pip install SRC`` (pip fetches tone's
dependencies from its index or cache, as a user's would; building the wheel compiles the
kernels into it, see setup.py); then ``V/bin/tone annotate --example -o /dev/null`` with
``XDG_CACHE_HOME`` and ``NUMBA_CACHE_DIR`` pointed at new empty folders (cold: nothing cached
for this user), then ``--warm`` more times with the same folders (warm; median). The library's
first call (``import tone; tone.annotate(...)``) is timed warm too. Wall and CPU (user + sys
of the child) are reported; on a loaded machine CPU is the steadier figure. Each row says which
kernels ran: compiled ahead of time (``tone/_aot``, see tone/aot.py; Numba not imported) or
njit. The install with kernels is also run with ``TONE_AOT=0`` (its njit kernels, loaded from
the bundle), cold and warm with new empty caches. Writes bench/RESULTS-startup.md, keeping
the hand-written section that starts "Notes (" below the table
(``--no-write``: not).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import REPO, machine  # noqa: E402

LIBRARY = "import tone; tone.annotate('What a joy, but I am so afraid of tomorrow.')"
KERNELS = ("import sys; from tone import aot; " + LIBRARY
           + "; print('ahead of time' if aot.loaded() else 'njit', 'numba' in sys.modules)")


def timed(argv: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "NUMBA_CACHE_DIR",
                         "TONE_JIT_CACHE_DIR", "TONE_CACHE_DIR", "TONE_AOT")}


def install(src: Path, work: Path, build_kernels: bool) -> tuple[Path, dict]:
    """A new venv with tone installed from *src*; (venv, row with its venv and pip times)."""
    venv = work / ("venv" if build_kernels else "venv-unbundled")
    env = clean_env()
    if not build_kernels:
        env["TONE_BUILD_KERNELS"] = "0"
    row = {"install": "wheel with kernels" if build_kernels else "TONE_BUILD_KERNELS=0"}
    row["venv"] = timed(["python3", "-m", "venv", str(venv)], env)
    row["pip"] = timed([str(venv / "bin" / "pip"), "install", "-q", str(src)], env)
    return venv, row


def run(venv: Path, work: Path, warm: int, row: dict, **extra: str) -> dict:
    """Cold, warm and library-warm times of *venv* with new empty caches (and *extra* env)."""
    caches = {"XDG_CACHE_HOME": tempfile.mkdtemp(dir=work), "NUMBA_CACHE_DIR":
              tempfile.mkdtemp(dir=work)}
    run_env = dict(clean_env(), **caches, **extra)
    cli = [str(venv / "bin" / "tone"), "annotate", "--example", "-q", "-o", os.devnull]
    row["cold"] = timed(cli, run_env)
    warm_runs = [timed(cli, run_env) for _ in range(warm)]
    row["warm"] = (statistics.median(w for w, _ in warm_runs),
                   statistics.median(c for _, c in warm_runs))
    # python -c imports from its working directory first: not the checkout's tone, the venv's
    lib = [timed([str(venv / "bin" / "python"), "-c", LIBRARY], run_env, cwd=work)
           for _ in range(warm)]
    row["library warm"] = (statistics.median(w for w, _ in lib),
                           statistics.median(c for _, c in lib))
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", KERNELS], env=run_env,
                           cwd=work, capture_output=True, text=True, check=True)
    kernels, numba = probe.stdout.rsplit(maxsplit=1)  # "ahead of time False"
    row["kernels"] = kernels + (", numba imported" if numba == "True" else ", no numba")
    return row


NOTES = "Notes ("  # a hand-written notes section of the results file survives a rerun


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=REPO, help="what to pip install")
    ap.add_argument("--warm", type=int, default=3)
    ap.add_argument("--unbundled", action="store_true",
                    help="also an install without kernels in the wheel (compiles on first use)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tone-startup-") as tmp:
        work = Path(tmp)
        venv, row = install(args.src, work, True)
        rows = [run(venv, work, args.warm, row),
                run(venv, work, args.warm, {"install": "wheel with kernels, TONE_AOT=0"},
                    TONE_AOT="0")]
        if args.unbundled:
            venv, row = install(args.src, work, False)
            rows.append(run(venv, work, args.warm, row))
    cols = ("venv", "pip", "cold", "warm", "library warm")
    lines = [f"# tone start-up in a fresh venv — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             "", f"`python3 bench/startup.py{' --unbundled' if args.unbundled else ''}` on "
             f"{machine()['cpu']}, {os.cpu_count()} cores; load average before "
             f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}. Seconds, wall / CPU. "
             "cold = first `tone annotate --example` with empty XDG_CACHE_HOME and "
             f"NUMBA_CACHE_DIR; warm = median of {args.warm} more; library warm = `{LIBRARY}`.",
             "", "| install | " + " | ".join(cols) + " | kernels |",
             "|---" * (len(cols) + 2) + "|"]
    for row in rows:
        lines.append(f"| {row['install']} | " + " | ".join(
            f"{row[c][0]:.2f} / {row[c][1]:.2f}" if c in row else "(same)" for c in cols)
            + f" | {row['kernels']} |")
    lines += ["", "Targets (issue 16): cold ≤ 5 s, warm ≤ 0.5 s."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        results = REPO / "bench" / "RESULTS-startup.md"
        notes = results.read_text(encoding="utf-8").partition(NOTES)[2] if results.exists() else ""
        results.write_text(text + (f"\n{NOTES}{notes}" if notes else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
