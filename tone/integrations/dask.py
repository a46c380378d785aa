"""Dask scale-out (``pip install "tone[dask]"``): the annotator is built once per worker process,
Numba pinned to one thread there, and results come back in input order, identical to a
single-process run.

* :func:`annotate_bag` — a ``dask.bag`` of texts to a bag of annotation records (dicts);
* :func:`annotate_dataframe` — a ``dask.dataframe`` plus a text column to one with the score
  columns of :func:`tone.annotate_frame` added;
* :class:`DaskExecutor` — what ``tone annotate --dask ADDRESS|local:N`` runs its batches on.

>>> import dask.bag as db
>>> bag = db.from_sequence(["What a joy!", "I am so angry."], npartitions=2)
>>> [r["top"] for r in annotate_bag(bag, scheduler="sync").compute(scheduler="sync")]
[['joy'], ['anger']]
"""
from __future__ import annotations

import os

from ..errors import UsageError, require

__all__ = ["annotate_bag", "annotate_dataframe", "DaskExecutor"]


def _records(texts, kwargs: dict, level: str, text: bool, ids=None) -> list:
    from ..io.pipeline import worker_annotator

    texts = list(texts)
    annotator = worker_annotator(kwargs)
    return [ann.to_dict(text=text) for ann in annotator.pipe(
        texts, batch_size=max(1, len(texts)), level=level,
        ids=ids if ids is not None else range(len(texts)))]


def _count(texts) -> list[int]:
    return [sum(1 for _ in texts)]


def _numbered(texts, start: int, kwargs: dict, level: str, text: bool) -> list:
    texts = list(texts)
    return _records(texts, kwargs, level, text, ids=range(start, start + len(texts)))


def _settings(tokenizer: str, rules: bool, lexicon, packs=None) -> dict:
    """The Annotator settings sent to the workers; a lexicon file and the packs are read here
    first, so a bad file fails before any worker starts, and absolute paths travel."""
    kwargs = {"tokenizer": tokenizer, "rules": None if rules else False}
    if packs:
        from ..packs import load_packs

        kwargs["packs"] = [str(pack.folder) for pack in load_packs(packs)]
    if lexicon is not None:
        from pathlib import Path

        from ..lexicon.loaders import load_lexicon

        load_lexicon(lexicon)
        kwargs["lexicon"] = str(Path(lexicon).resolve())
    return kwargs


def annotate_bag(bag, level: str = "doc", text: bool = False, tokenizer: str = "fast",
                 rules: bool = True, scheduler=None, lexicon=None, packs=None):
    """Annotate a bag of texts; a bag of records (``Annotation.to_dict``), partition by
    partition, in order. Ids are the texts' positions in the whole bag (0, 1, ...), as in a
    single process: the partitions are counted first (one pass that computes the bag's
    partitions; :meth:`dask.bag.Bag.persist` the bag first if they are costly to compute).
    ``scheduler`` is used for that count (default: dask's); ``lexicon``: a user lexicon file
    (any format ``Annotator(lexicon=PATH)`` reads); ``packs``: domain packs (names or folders,
    :mod:`tone.packs`)."""
    require("dask.bag", "dask", "tone.dask")
    import dask.bag as db
    from dask import delayed

    kwargs = _settings(tokenizer, rules, lexicon, packs)
    counts = bag.map_partitions(_count).compute(scheduler=scheduler)
    starts = [sum(counts[:i]) for i in range(len(counts))]
    parts = [delayed(_numbered)(part, start, kwargs, level, text)
             for part, start in zip(bag.to_delayed(), starts)]
    return db.from_delayed(parts)


def _frame_partition(df, column: str, kwargs: dict):
    from .frame import annotate_frame
    from ..io.pipeline import worker_annotator

    return annotate_frame(df, column, annotator=worker_annotator(kwargs))


def annotate_dataframe(ddf, column: str, tokenizer: str = "fast", rules: bool = True,
                       lexicon=None, packs=None):
    """Add the emotion columns of :func:`tone.annotate_frame` to a Dask DataFrame (``lexicon``:
    a user lexicon file, ``packs``: domain packs, as for :func:`annotate_bag`)."""
    require("dask.dataframe", "dask", "tone.dask")
    import pandas as pd

    from .frame import columns_for

    kwargs = _settings(tokenizer, rules, lexicon, packs)
    meta = ddf._meta.copy()
    for name, dtype in columns_for():
        meta[name] = pd.Series(dtype=dtype)
    return ddf.map_partitions(_frame_partition, column, kwargs, meta=meta)


class DaskExecutor:
    """Submit annotation batches to a Dask cluster: ``ADDRESS`` (a scheduler such as
    ``tcp://host:8786``) or ``local:N`` (a local cluster of N worker processes, one thread
    each). Used by ``tone annotate --dask``."""

    def __init__(self, address: str) -> None:
        distributed = require("distributed", "dask", "tone annotate --dask")
        self._cluster = None
        if address.startswith("local:"):
            try:
                n = int(address.split(":", 1)[1])
            except ValueError:
                raise UsageError(f"--dask {address!r}: expected local:N with N a number") from None
            os.environ["NUMBA_NUM_THREADS"] = "1"  # inherited by the worker processes
            self._cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1,
                                                     processes=True, dashboard_address=None)
            self.client = distributed.Client(self._cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout="20s")
            except OSError as err:
                raise UsageError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def close(self) -> None:
        """Close the client and the local cluster; distributed's shutdown chatter (connections
        closed while workers stop, logged as errors with tracebacks) is not shown."""
        import logging

        loggers = [logging.getLogger(name) for name in ("distributed", "tornado", "asyncio")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        try:
            self.client.close()
            if self._cluster is not None:
                self._cluster.close()
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)
