"""From a stream of :class:`~tone.io.readers.Document` to a stream of annotations, in order.

:func:`annotate_documents` batches documents (by count and by characters, so memory stays
bounded), annotates each batch with one kernel call, optionally in worker processes, and yields
``(document, annotation)`` pairs in input order — ``annotation`` is None for a document that
could not be read (its ``error`` says why). A document whose text is a
:class:`~tone.io.readers.LongText` is annotated in pieces cut at sentence (else whitespace)
boundaries; the evidence of the pieces adds up as for one document, spans keep offsets
into the whole text, and spans and sentences are spooled to disk (:class:`Spool`), so a 200 MB
line needs no more memory than a 1 MB one. Rules do not look across a cut (a cut falls at a
sentence end whenever one is within the last half of a piece).

>>> from tone.io.readers import Document
>>> from tone.annotator import Annotator
>>> docs = [Document(1, "What a joy!"), Document(2, "", error="bad bytes")]
>>> [(d.id, a.top if a else d.error) for d, a in annotate_documents(docs, Annotator())]
[(1, ['joy']), (2, 'bad bytes')]
"""
from __future__ import annotations

import math
import os
import pickle
import sys
import tempfile
from collections import deque
from typing import Iterable, Iterator

from ..batching import BATCH_CHARS, BATCH_SIZE
from ..errors import UsageError
from .readers import Document, LongText
from .writers import Rendered

__all__ = ["annotate_documents", "annotate_long", "split_pieces", "Spool", "LEVELS",
           "PIECE_CHARS", "BATCH_CHARS"]

LEVELS = ("doc", "sentence", "span")
PIECE_CHARS = 1 << 20  #: characters per piece of a long document


class Spool:
    """An append-only list kept in a temporary file (pickled items), iterable many times.

    >>> s = Spool()
    >>> s.append({"a": 1}); s.append([2])
    >>> len(s), list(s), list(s)
    (2, [{'a': 1}, [2]], [{'a': 1}, [2]])
    >>> s.close()
    """

    def __init__(self) -> None:
        handle = tempfile.NamedTemporaryFile("wb", prefix="tone-spool-", delete=False)
        self._handle, self.path, self._n = handle, handle.name, 0

    def append(self, item) -> None:
        pickle.dump(item, self._handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._n += 1

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __iter__(self):
        self._handle.flush()
        with open(self.path, "rb") as handle:
            for _ in range(self._n):
                yield pickle.load(handle)

    def close(self) -> None:
        try:
            self._handle.close()
            os.unlink(self.path)
        except OSError:
            pass

    def __del__(self) -> None:
        self.close()

    def __reduce__(self):  # sent to another process: as a plain list
        return (list, (list(self),))


def _cut(buf: str, size: int) -> int:
    lo = size // 2
    best = max(buf.rfind(p, lo, size) for p in (". ", "! ", "? ", "\n", "\u3002"))
    if best >= 0:
        return best + 1
    best = max(buf.rfind(p, lo, size) for p in (" ", "\t"))
    return best + 1 if best >= 0 else size


def split_pieces(chunks: Iterable[str], size: int = PIECE_CHARS) -> Iterator[str]:
    """Re-cut a stream of text chunks into pieces of at most ``size`` characters, ending at a
    sentence end or whitespace when one lies in the second half of the piece.

    >>> list(split_pieces(["One. Two", " three. Four five six"], size=12))
    ['One. Two ', 'three. Four ', 'five six']
    >>> "".join(split_pieces(["x" * 30], size=8)) == "x" * 30
    True
    """
    buf = ""
    for chunk in chunks:
        buf += chunk
        while len(buf) >= size:
            cut = _cut(buf, size)
            yield buf[:cut]
            buf = buf[cut:]
    if buf:
        yield buf


def annotate_long(annotator, doc_id, text, level: str = "doc", piece_chars: int = PIECE_CHARS):
    """Annotate a long text (``str`` or :class:`LongText`) piece by piece.

    Only the Annotator's public output is used. Evidence adds up across pieces and a score is
    ``1 - exp(-evidence)`` (see :mod:`tone.scoring.reason`), so a concept's merged score is
    ``1 - prod(1 - piece score)``; VAD is the mean of the pieces' VAD weighted by their span
    scores; intensity and top follow from the merged primaries. Spans (and, at sentence level,
    sentences) keep offsets into the whole text and are spooled to disk."""
    from ..scoring.reason import top_labels

    log_rest: dict[int, dict[str, float]] = {1: {}, 2: {}, 3: {}}
    vad_sum, vad_weight = [0.0, 0.0, 0.0], 0.0
    spans, sentences = Spool(), (Spool() if level == "sentence" else None)
    chunks = text.chunks(piece_chars) if isinstance(text, LongText) else [text]
    base = 0
    n_sent = 0
    for piece in split_pieces(chunks, piece_chars):
        ann = next(iter(annotator.pipe([piece], batch_size=1, ids=[doc_id], level=level
                                       if level == "sentence" else "doc")))
        for tier, scores in ((1, ann.primary), (2, ann.secondary), (3, ann.tertiary)):
            for label, score in scores.items():
                rest = max(1.0 - float(score), 1e-300)
                log_rest[tier][label] = log_rest[tier].get(label, 0.0) + math.log(rest)
        weight = sum(float(sp.score) for sp in ann.spans)
        if weight > 0:
            vad_weight += weight
            for k, key in enumerate(("valence", "arousal", "dominance")):
                vad_sum[k] += weight * float(ann.vad[key])
        shifted = set()
        for span in ann.spans:
            span.start, span.end = span.start + base, span.end + base
            shifted.add(id(span))
            spans.append(span)
        if sentences is not None:
            for sent in ann.sentences or ():
                sent.id, sent._start = n_sent, sent._start + base
                n_sent += 1
                for span in sent.spans:
                    if id(span) not in shifted:
                        span.start, span.end = span.start + base, span.end + base
                sentences.append(sent)
        base += len(piece)
    merged = {tier: {label: round(1.0 - math.exp(value), 4) for label, value in scores.items()}
              for tier, scores in log_rest.items()}
    primary = merged[1]
    template = next(iter(annotator.pipe([""], batch_size=1, ids=[doc_id])))
    vad = {key: round(vad_sum[k] / vad_weight, 4) if vad_weight else template.vad[key]
           for k, key in enumerate(("valence", "arousal", "dominance"))}  # no evidence: neutral
    for name, value in (("id", doc_id), ("text", text), ("primary", primary),
                        ("secondary", {k: v for k, v in merged[2].items() if v > 0}),
                        ("tertiary", {k: v for k, v in merged[3].items() if v > 0}),
                        ("top", top_labels(primary)), ("vad", vad),
                        ("intensity", max(primary.values(), default=0.0)), ("spans", spans),
                        ("sentences", sentences)):
        setattr(template, name, value)
    return template


# -- worker processes ---------------------------------------------------------------------
_WORKER: dict = {}


def _init_worker(kwargs: dict) -> None:
    import signal

    os.environ["NUMBA_NUM_THREADS"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from ..annotator import Annotator

    _WORKER["annotator"] = Annotator(**kwargs)


def _rendered(texts: list, ids: list, annotations: list, render) -> list:
    """The annotations as they are, or (``render = (format, writer options)``) their output
    texts, rendered here by a record-local writer (:class:`~tone.io.writers.Renderer`)."""
    if render is None:
        return annotations
    from .writers import Renderer

    key = repr(render)
    renderer = _WORKER.get(key)
    if renderer is None:
        renderer = _WORKER[key] = Renderer(render[0], **render[1])
    return [renderer(Document(i, t), a) for t, i, a in zip(texts, ids, annotations)]


def _work(texts: list, ids: list, level: str, render=None) -> list:
    return _rendered(texts, ids, list(_WORKER["annotator"].pipe(
        texts, batch_size=max(1, len(texts)), ids=ids, level=level)), render)


def worker_annotator(kwargs: dict):
    """The Annotator of this worker process for ``kwargs``: built on first use, then reused
    (Numba pinned to one thread: the parallelism is across processes)."""
    key = repr(sorted(kwargs.items()))
    annotator = _WORKER.get(key)
    if annotator is None:
        os.environ["NUMBA_NUM_THREADS"] = "1"
        from ..annotator import Annotator

        annotator = _WORKER[key] = Annotator(**kwargs)
        numba = sys.modules.get("numba")  # None with the kernels of tone.aot (the variable
        if numba is not None:  # above covers a later import)
            try:
                numba.set_num_threads(1)
            except Exception:  # pragma: no cover - numba without threading layer
                pass
    return annotator


def work_with(kwargs: dict, texts: list, ids: list, level: str, render=None) -> list:
    """Annotate one batch in a worker (for any executor: a process pool, a Dask client)."""
    return _rendered(texts, ids, list(worker_annotator(kwargs).pipe(
        texts, batch_size=max(1, len(texts)), ids=ids, level=level)), render)


def _batches(docs: Iterable[Document], batch_size: int, batch_chars: int):
    """Group documents: ``("batch", [docs])`` or ``("long", doc)`` in input order."""
    batch: list[Document] = []
    chars = 0
    for doc in docs:
        if isinstance(doc.text, LongText) or len(doc.text) > PIECE_CHARS * 2:
            if batch:
                yield "batch", batch
                batch, chars = [], 0
            yield "long", doc
            continue
        batch.append(doc)
        chars += len(doc.text)
        if len(batch) >= batch_size or chars >= batch_chars:
            yield "batch", batch
            batch, chars = [], 0
    if batch:
        yield "batch", batch


def _split(batch: list[Document]):
    good = [d for d in batch if d.error is None]
    return [d.text for d in good], [d.id for d in good]


def _pairs(batch: list[Document], results: list, rendered: bool = False):
    it = iter(map(Rendered, results) if rendered else results)
    for doc in batch:
        yield doc, (None if doc.error is not None else next(it))


def annotate_documents(docs: Iterable[Document], annotator=None, *, level: str = "doc",
                       batch_size: int = BATCH_SIZE, batch_chars: int = BATCH_CHARS,
                       processes: int = 1, annotator_kwargs: dict | None = None,
                       piece_chars: int = PIECE_CHARS, executor=None,
                       render: tuple[str, dict] | None = None
                       ) -> Iterator[tuple[Document, object]]:
    """Yield ``(document, annotation or None)`` for every document, in input order.

    Parameters
    ----------
    docs : iterable of Document
    annotator : Annotator, optional
        Used in this process; built from ``annotator_kwargs`` when needed and not given.
    level : ``doc``, ``sentence`` (adds ``.sentences``) or ``span`` (same as doc: every
        annotation carries its spans; writers decide what a row is)
    batch_size, batch_chars : a batch closes at this many documents or characters
    processes : worker processes (each builds its own Annotator once, Numba pinned to one
        thread); results come back in input order
    executor : optional object with ``submit(fn, *args)`` returning a future (``.result()``),
        e.g. :class:`tone.integrations.dask.DaskExecutor`; batches run there, built once per worker
    render : optional ``(format, writer options)`` of a record-local writer (``jsonl``,
        ``tsv``): with worker processes or an executor, each document's output is rendered in
        the worker and comes back as a :class:`~tone.io.writers.Rendered` text in place of the
        annotation (a writer writes it as it is), so the parent only copies text; ignored in
        a single process
    """
    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}; expected one of {LEVELS}")
    if batch_size < 1 or processes < 1:
        raise UsageError("batch size and processes must be at least 1")
    kwargs = dict(annotator_kwargs or {})
    pipe_level = "sentence" if level == "sentence" else "doc"
    state = {"annotator": annotator}

    def local():
        if state["annotator"] is None:
            from ..annotator import Annotator

            state["annotator"] = Annotator(**kwargs)
        return state["annotator"]

    def run_long(doc: Document):
        return annotate_long(local(), doc.id, doc.text, pipe_level, piece_chars)

    if processes == 1 and executor is None:
        for kind, item in _batches(docs, batch_size, batch_chars):
            if kind == "long":
                yield item, (None if item.error is not None else run_long(item))
                continue
            texts, ids = _split(item)
            results = list(local().pipe(texts, batch_size=max(1, len(texts)), ids=ids,
                                        level=pipe_level)) if texts else []
            yield from _pairs(item, results)
        return

    if executor is not None:
        pool, owned = executor, False
        window = 2 * max(processes, int(getattr(executor, "workers", 1) or 1))

        def submit(texts, ids):
            return pool.submit(work_with, kwargs, texts, ids, pipe_level, render)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool, owned, window = ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(kwargs,)), True, 2 * processes

        def submit(texts, ids):
            return pool.submit(_work, texts, ids, pipe_level, render)
    rendered = render is not None
    pending: deque = deque()
    try:
        for kind, item in _batches(docs, batch_size, batch_chars):
            if kind == "long":
                while pending:
                    batch, future = pending.popleft()
                    yield from _pairs(batch, future.result(), rendered)
                yield item, (None if item.error is not None else run_long(item))
                continue
            texts, ids = _split(item)
            pending.append((item, submit(texts, ids)))
            while len(pending) > window:
                batch, future = pending.popleft()
                yield from _pairs(batch, future.result(), rendered)
        while pending:
            batch, future = pending.popleft()
            yield from _pairs(batch, future.result(), rendered)
    finally:
        for _, future in pending:
            future.cancel()
        if owned:
            pool.shutdown(wait=True, cancel_futures=True)
