"""Annotation time with and without the appraisal layer, on the Gutenberg lines (issue 15:
"annotation stays within 25% of its time before this issue").

Each tree (a checkout of tone) runs in its own subprocess, pinned to one core with
``taskset -c CORE`` when taskset exists, with ``PYTHONPATH`` set to that tree; the trees run in
alternation, ``--rounds`` times. A run times ``Annotator().pipe(chunk)`` plus ``r.top`` of every
result over the 66k lines in chunks of one batch (8,192 lines), in CPU time
(``time.process_time``: on a shared machine wall time mostly measures the neighbours), and
sums each chunk's minimum of ``--reps`` passes after a warm-up pass. ``--off`` also runs the
last tree with ``Annotator(appraisal=False)``. The report is each tree's minimum over rounds
and the ratio to the first tree.

    python bench/appraisal_speed.py BEFORE_TREE AFTER_TREE [--rounds 3 --reps 3 --off]

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
folder, reps, appraisal = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lines = [l for p in sorted(folder.glob("*.txt"))
         for l in p.read_text(encoding="utf-8", errors="replace").splitlines() if l.strip()]
from tone.annotator import Annotator
ann = Annotator() if appraisal == "default" else Annotator(appraisal=False)
chunks = [lines[i:i + 8192] for i in range(0, len(lines), 8192)]
def once(chunk):
    t = time.process_time()
    for r in ann.pipe(chunk):
        r.top
    return time.process_time() - t
for chunk in chunks:
    once(chunk)
print(json.dumps({"n": len(lines), "best": sum(min(once(c) for _ in range(reps)) for c in chunks)}))
"""


def run(tree: Path, data: Path, reps: int, core: str, appraisal: str = "default") -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", _CHILD, str(data), str(reps), appraisal]
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
    parser.add_argument("--off", action="store_true",
                        help="also time the last tree with the appraisal layer off")
    args = parser.parse_args(argv)
    runs = [(tree, "default") for tree in args.trees]
    if args.off:
        runs.append((args.trees[-1], "off"))
    best: dict[tuple, float] = {}
    for r in range(args.rounds):
        for tree, mode in runs:
            got = run(tree, args.data, args.reps, args.core, mode)
            best[tree, mode] = min(best.get((tree, mode), got["best"]), got["best"])
            print(f"round {r + 1}  {tree} ({mode})  {got['best']:.3f} s CPU  ({got['n']} lines)",
                  flush=True)
    base = best[runs[0]]
    for key in runs:
        print(f"{key[0]} ({key[1]}): best {best[key]:.3f} s, "
              f"ratio {best[key] / base:.3f}")


if __name__ == "__main__":
    main()
