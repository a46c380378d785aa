#!/bin/sh
# Export a committed tone version (default HEAD) to a directory, for
# `python bench/peers.py --tone-src DIR`: other people's uncommitted edits in the
# working tree then do not leak into the numbers, and RESULTS.md names the commit.
#   sh bench/snapshot.sh [REV] [DIR]
set -e
rev=${1:-HEAD}
sha=$(git rev-parse --short "$rev")
dir=${2:-/tmp/tone-bench-src-$sha}
rm -rf "$dir" && mkdir -p "$dir"
git archive "$rev" | tar -x -C "$dir"
echo "commit $sha ($(git log -1 --format=%cs "$rev"), git archive snapshot)" > "$dir/BENCH_SOURCE"
echo "$dir"
