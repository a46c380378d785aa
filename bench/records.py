"""The records of the speed work's comparison sets, to show that a faster tone gives the same
annotations: ``to_dict(explain=True)`` of every document of the first 5,000 non-empty Gutenberg
lines (the books in file-name order) and of GoEmotions ``original/dev.tsv`` (first column), one
JSON line each (``sort_keys``), and their SHA-256.

Run it on two versions and compare the digests (or ``cmp`` the files)::

    d=$(sh bench/snapshot.sh HEAD~3)
    (cd $d && PYTHONPATH=$d python -m tone.aot $d/tone)       # optional: the compiled kernels
    PYTHONPATH=$d TONE_SHARED_DATA=../shared/data python bench/records.py -o /tmp/before.jsonl
    PYTHONPATH=$PWD TONE_SHARED_DATA=../shared/data python bench/records.py -o /tmp/after.jsonl

``TONE_AOT=0`` runs the njit kernels instead of the compiled ones.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
from pathlib import Path

GUTENBERG_LINES = 5000


def comparison_sets(root: Path) -> dict[str, list[str]]:
    """``{"gutenberg": [...], "goemotions": [...]}``, the texts described above."""
    lines: list[str] = []
    for path in sorted((root / "gutenberg").glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if len(lines) >= GUTENBERG_LINES:
            break
    dev = (root / "goemotions" / "original" / "dev.tsv").read_text(encoding="utf-8")
    return {"gutenberg": lines[:GUTENBERG_LINES],
            "goemotions": [line.split("\t")[0] for line in dev.splitlines()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", help="also write the JSON lines here")
    args = parser.parse_args()
    root = Path(os.environ.get("TONE_SHARED_DATA",
                               Path(__file__).resolve().parents[2] / "shared" / "data"))
    from tone import aot
    from tone.defaults import default_annotator

    annotator = default_annotator()
    digest, count = hashlib.sha256(), 0
    with (open(args.output, "w", encoding="utf-8") if args.output
          else contextlib.nullcontext()) as out:
        for texts in comparison_sets(root).values():
            for result in annotator.pipe(texts):
                line = json.dumps(result.to_dict(explain=True), sort_keys=True,
                                  ensure_ascii=False) + "\n"
                digest.update(line.encode("utf-8", "surrogatepass"))
                count += 1
                if out:
                    out.write(line)
    print(f"{count} records, sha256 {digest.hexdigest()} "
          f"({'compiled' if aot.loaded() else 'njit'} kernels)")


if __name__ == "__main__":
    main()
