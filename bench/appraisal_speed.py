"""Annotation time with and without the appraisal layer, on the Gutenberg lines (issue 15:
"annotation stays within 25% of its time before this issue").

Each tree (a checkout of tone) runs in its own subprocess, pinned to one core with
``taskset -c CORE`` when taskset exists, with ``PYTHONPATH`` set to that tree; the trees run in
alternation, ``--rounds`` times, and each run reports the minimum of ``--reps`` timed passes of
``list(Annotator().pipe(lines))`` plus ``r.top`` of every result, after one warm-up pass. The
report is each tree's minimum over rounds and the ratio to the first tree.

    python bench/appraisal_speed.py BEFORE_TREE AFTER_TREE [--rounds 3 --reps 3]

e.g. ``git archive 5d0ce1d~1 | tar -x -C /tmp/before`` for the tree before the appraisal layer.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, sys, time
from pathlib import Path
folder, reps = Path(sys.argv[1]), int(sys.argv[2])
lines = [l for p in sorted(folder.glob("*.txt"))
         for l in p.read_text(encoding="utf-8", errors="replace").splitlines() if l.strip()]
from tone.annotator import Annotator
ann = Annotator()
def once():
    t = time.perf_counter()
    for r in ann.pipe(lines):
        r.top
    return time.perf_counter() - t
once()
print(json.dumps({"n": len(lines), "best": min(once() for _ in range(reps))}))
"""


def run(tree: Path, data: Path, reps: int, core: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", _CHILD, str(data), str(reps)]
    if core and shutil.which("taskset"):
        cmd = ["taskset", "-c", core, *cmd]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("TONE_SHARED_DATA", "../shared/data"))
                        / "gutenberg")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--core", default="1")
    args = parser.parse_args(argv)
    best: dict[Path, float] = {}
    for r in range(args.rounds):
        for tree in args.trees:
            got = run(tree, args.data, args.reps, args.core)
            best[tree] = min(best.get(tree, got["best"]), got["best"])
            print(f"round {r + 1}  {tree}  {got['best']:.3f} s  ({got['n']} lines)", flush=True)
    base = best[args.trees[0]]
    for tree in args.trees:
        print(f"{tree}: best {best[tree]:.3f} s, ratio {best[tree] / base:.3f}")


if __name__ == "__main__":
    main()
