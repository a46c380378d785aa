"""How many documents go through the kernels in one call (imports nothing heavy, so the
command line can show the defaults).

Every kernel call has a fixed cost, a few hundred numpy operations, that a batch's documents
share. Measured end to end on GoEmotions and on Gutenberg lines, batches of 1000 are 15-20%
slower than batches of 8192, and larger batches gain nothing more. A batch also closes at
:data:`BATCH_CHARS` characters, so long documents do not make it huge.

>>> list(by_chars([3, 3, 3], limit=5))
[(0, 1), (1, 2), (2, 3)]
>>> list(by_chars([1, 2, 9, 1], limit=5))
[(0, 2), (2, 3), (3, 4)]
"""
from __future__ import annotations

from typing import Iterator, Sequence

__all__ = ["BATCH_SIZE", "BATCH_CHARS", "by_chars"]

BATCH_SIZE = 8192  #: documents per batch by default
BATCH_CHARS = 4 << 20  #: at most this many characters per batch


def by_chars(lengths: Sequence[int], limit: int = BATCH_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` runs of documents (given their lengths) of at most ``limit``
    characters each; a longer document is a run of its own."""
    if sum(lengths) <= limit:
        yield 0, len(lengths)
        return
    lo, chars = 0, 0
    for i, n in enumerate(lengths):
        if i > lo and chars + n > limit:
            yield lo, i
            lo, chars = i, 0
        chars += n
    yield lo, len(lengths)
