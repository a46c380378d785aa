"""Emotional memory (tone.memory): does retrieving by emotion too keep the retrieved memories'
emotion? And how fast is a query over 100,000 items?

Run from the repository root::

    python bench/memory_retrieval.py                      # both corpora, dev and test halves
    python bench/memory_retrieval.py --corpus empatheticdialogues --split dev
    OMP_NUM_THREADS=1 python bench/memory_retrieval.py --latency-only   # the 100k timing, one core
    python bench/memory_retrieval.py --vectors minilm     # MiniLM vectors (pip install "tone[neural]")

**Consistency.** A corpus half (tone.evaluate_corpora's hash split of the validation part:
EmpatheticDialogues situations with their 32 labels, DailyDialog utterances with their 7
classes) is the memory and the queries: each text asks for its 10 nearest *other* texts
(leave-one-out). Per strategy: *consistency@10*, the share of retrieved texts whose gold emotion
equals the query's (mean over queries), and *overlap*, the share of the 10 that semantic-only
retrieval also returns. For DailyDialog, where 87–89% of utterances carry no emotion, the
consistency of the queries that have one is given too. Semantic vectors: TF-IDF over the half
(MiniLM with ``--vectors minilm``); emotion vectors: tone's scores in each ``--scheme``
(``tone.memory.emotion_directions``: blended with a neutral axis by the evidence's intensity;
with ``--no-neutral``, no direction without emotion and cosines scaled by the intensities). The row ``combination-add, z`` is ``combination-add`` with ``scale="z"`` (both
distances standardised per query before the sum); the others are the paper's strategies.

**Latency.** 100,000 texts (DailyDialog train utterances, then EmpatheticDialogues train
situations) in one TF-IDF memory; 200 queries (texts of the validation parts) per strategy,
each a full ``Memory.retrieve`` (query annotation, TF-IDF vector, both distances, ranking);
median and 95th percentile of the wall time, and the median CPU time (this process's, all
threads) in milliseconds. The machine's load average is printed: on a shared machine the wall
time includes waiting for a core, the CPU time does not. Run it with ``OMP_NUM_THREADS=1``
(one core): on a busy machine a multi-threaded BLAS matrix-vector product waits for both
cores and the wall time doubles. The same with 384-dimensional float32 vectors
given by the caller (random unit vectors: the size of MiniLM's, the cost does not depend on
their values).

Data: ``$TONE_SHARED_DATA`` or ``../shared/data``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tone.annotator import Annotator
from tone.evaluate import shared_data_dir
from tone.evaluate_corpora import read_corpus
from tone.memory import STRATEGIES, Memory, rank

K = 10
#: (row name, strategy, scale): the paper's strategies, then combination-add on z-scores
ROWS = [(s, s, "raw") for s in STRATEGIES] + [("combination-add, z", "combination-add", "z")]


def consistency(name: str, split: str, vectors: str, scheme: str, packs=(),
                neutral: bool = True) -> dict:
    data = read_corpus(name, split, shared_data_dir())
    texts, gold = data.texts, [labels[0] for labels in data.labels]
    started = time.perf_counter()
    annotator = Annotator(packs=list(packs)) if packs else None
    memory = Memory(texts, embed=None if vectors == "tfidf" else vectors, scheme=scheme,
                    annotator=annotator, neutral=neutral)
    built = time.perf_counter() - started
    gold_arr = np.array(gold)
    sums = {row: [0.0, 0.0, 0.0] for row, _, _ in ROWS}  # consistency, overlap, emo-consistency
    emotional = 0
    for i, text in enumerate(texts):
        semantic, emotion = memory.distances(text)
        found = {row: rank(semantic, emotion, K, s, exclude=i, scale=scale)[0]
                 for row, s, scale in ROWS}
        has_emotion = gold[i] != "neutral"
        emotional += has_emotion
        base = set(found["semantic"].tolist())
        for s, idx in found.items():
            same = float(np.mean(gold_arr[idx] == gold[i])) if len(idx) else 0.0
            sums[s][0] += same
            sums[s][1] += len(base & set(idx.tolist())) / K
            if has_emotion:
                sums[s][2] += same
    n = len(texts)
    return {"corpus": name, "split": split, "n": n, "emotional": emotional, "build_s": built,
            "rows": {s: (v[0] / n, v[1] / n, v[2] / emotional if emotional else None)
                     for s, v in sums.items()}}


def latency(data_dir: Path, n_items: int = 100_000, n_queries: int = 200) -> dict:
    texts = read_corpus("dailydialog", "train", data_dir).texts
    texts += read_corpus("empatheticdialogues", "train", data_dir).texts
    texts = texts[:n_items]
    queries = read_corpus("empatheticdialogues", "dev", data_dir).texts[:n_queries // 2]
    queries += read_corpus("dailydialog", "dev", data_dir).texts[:n_queries - len(queries)]
    started = time.perf_counter()
    memory = Memory(texts)
    build = time.perf_counter() - started
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((len(texts), 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    dense = Memory(texts, vectors=vecs)
    qvecs = rng.standard_normal((len(queries), 384)).astype(np.float32)
    out = {"items": len(texts), "build_s": build, "rows": {}, "load": os.getloadavg()[0]}
    for label, mem, qv in (("tf-idf", memory, None), ("384-d vectors", dense, qvecs)):
        for row, s, scale in ROWS:
            times, cpu = [], []
            for j, q in enumerate(queries):
                t0, c0 = time.perf_counter(), time.process_time()
                mem.retrieve(q, K, s, vector=None if qv is None else qv[j], scale=scale)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            times.sort()
            out["rows"][(label, row)] = (statistics.median(times),
                                       times[int(0.95 * (len(times) - 1))],
                                       statistics.median(cpu))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["empatheticdialogues", "dailydialog"], nargs="*",
                        default=["empatheticdialogues", "dailydialog"])
    parser.add_argument("--split", choices=["dev", "test"], nargs="*", default=["dev", "test"])
    parser.add_argument("--vectors", default="tfidf", help="tfidf, or a provider name (minilm)")
    parser.add_argument("--scheme", nargs="*", default=["plutchik", "tone"],
                        help="emotion vectors: a mapped scheme, or tone (all its concepts)")
    parser.add_argument("--pack", action="append", default=[], metavar="NAME|PATH",
                        help="a domain pack for the annotator of the emotion vectors "
                             "(e.g. one built by `tone packs build empathetic-train`)")
    parser.add_argument("--no-neutral", dest="neutral", action="store_false",
                        help="texts without emotion get no direction (Memory(neutral=False))")
    parser.add_argument("--latency-only", action="store_true")
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args(argv)
    if not args.latency_only:
        for name in args.corpus:
            for split in args.split:
                for scheme in args.scheme:
                    report(consistency(name, split, args.vectors, scheme, args.pack,
                                       args.neutral),
                           args.vectors, scheme + "".join(f" + pack {p}" for p in args.pack)
                           + ("" if args.neutral else " (no neutral axis)"))
    if not args.no_latency:
        r = latency(shared_data_dir())
        print(f"\nLatency: {r['items']:,} items (memory built in {r['build_s']:.0f} s), "
              f"{K} results, one query at a time; load average {r['load']:.1f} on "
              f"{os.cpu_count()} cores at the end\n")
        print("| semantic vectors | strategy | median ms | p95 ms | median CPU ms |")
        print("|---|---|---|---|---|")
        for (label, s), (med, p95, cpu) in r["rows"].items():
            print(f"| {label} | {s} | {med:.2f} | {p95:.2f} | {cpu:.2f} |")


def report(r: dict, vectors: str, scheme: str) -> None:
    print(f"\n{r['corpus']} {r['split']} half: {r['n']} texts as memory and queries "
          f"(k={K}, leave-one-out; {vectors} vectors, {scheme} emotion vectors; "
          f"memory built in {r['build_s']:.1f} s)\n")
    extra = r["corpus"] == "dailydialog"
    print("| strategy | consistency@10 | Δ vs semantic | overlap with semantic |"
          + (" consistency@10, queries with an emotion |" if extra else ""))
    print("|---|---|---|---|" + ("---|" if extra else ""))
    base = r["rows"]["semantic"][0]
    for s, (c, o, ce) in r["rows"].items():
        print(f"| {s} | {c:.3f} | {c - base:+.3f} | {o:.2f} |"
              + (f" {ce:.3f} |" if extra else ""))


if __name__ == "__main__":
    main()
