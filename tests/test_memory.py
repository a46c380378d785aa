"""tone.memory: TF-IDF against a dense oracle, the five strategies against brute-force
definitions (property tests), k bounds, ties, exclusion, given vectors and embedders."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tone.errors import UsageError
from tone.memory import STRATEGIES, Memory, TfidfIndex, emotion_directions, rank
from tone.memory.tfidf import tokens

TEXTS = ["We won the cup and everyone cheered!", "I lost my keys again, so annoying.",
         "The cup is on the shelf.", "We lost the final and I cried all night.",
         "My dog died and I miss him.", "What a lovely surprise party!", "", "the the the"]


@pytest.fixture(scope="module")
def memory():
    return Memory(TEXTS)


def _dense_tfidf(texts):
    """A plain-Python TF-IDF (scikit-learn's defaults) as a dense matrix: the oracle."""
    vocab = sorted({t for text in texts for t in tokens(text)})
    n = len(texts)
    df = Counter(t for text in texts for t in set(tokens(text)))
    idf = {t: math.log((1 + n) / (1 + df[t])) + 1 for t in vocab}

    def vec(text):
        counts = Counter(t for t in tokens(text) if t in idf)
        v = np.array([counts[t] * idf[t] for t in vocab])
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    return np.array([vec(t) for t in texts]).reshape(n, len(vocab)), vec


_texts = st.lists(st.lists(st.sampled_from(["cat", "dog", "sat", "the", "a", "ran", "Sad",
                                            "happy", "x", "éclair"]), max_size=8).map(" ".join),
                  max_size=12)


@settings(max_examples=80, deadline=None)
@given(_texts, st.lists(st.sampled_from(["cat", "dog", "sad", "zebra", "the"]), max_size=4))
def test_tfidf_dot_products_equal_the_dense_oracle(texts, query):
    index = TfidfIndex(texts)
    matrix, vec = _dense_tfidf(texts)
    q = " ".join(query)
    expected = matrix @ vec(q) if len(texts) else np.zeros(0)
    assert np.allclose(index.dot(index.vector(q)), expected)
    assert np.allclose(index.norms, np.linalg.norm(matrix, axis=1) if len(texts) else [])


def _brute(semantic, emotion, k, strategy, exclude=()):
    """The strategies as written in the issue, with the documented tie-breaks."""
    items = [i for i in range(len(semantic)) if i not in set(exclude)]
    sem, emo = list(semantic), list(emotion)
    if strategy == "semantic":
        return sorted(items, key=lambda i: (sem[i], i))[:k]
    if strategy == "combination-add":
        return sorted(items, key=lambda i: (sem[i] + emo[i], sem[i], i))[:k]
    if strategy == "combination-multiply":
        return sorted(items, key=lambda i: (sem[i] * emo[i], sem[i], i))[:k]
    if strategy == "sequential-semantic":
        pool = sorted(items, key=lambda i: (sem[i], i))[:2 * k]
        return sorted(pool, key=lambda i: (emo[i], sem[i], i))[:k]
    pool = sorted(items, key=lambda i: (emo[i], sem[i], i))[:2 * k]
    return sorted(pool, key=lambda i: (sem[i], i))[:k]


# few distinct values, so that ties are frequent
_distances = st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5]), min_size=0, max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from(STRATEGIES), st.integers(0, 35))
def test_rank_equals_the_brute_force_definition(data, strategy, k):
    semantic = data.draw(_distances)
    emotion = data.draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 1.0]),
                                 min_size=len(semantic), max_size=len(semantic)))
    exclude = data.draw(st.lists(st.integers(0, max(len(semantic) - 1, 0)), max_size=3))
    chosen, _ = rank(np.array(semantic, dtype=float), np.array(emotion, dtype=float), k,
                     strategy, exclude=exclude or None)
    assert chosen.tolist() == _brute(semantic, emotion, k, strategy, exclude)
    assert len(chosen) == min(k, len(set(range(len(semantic))) - set(exclude)))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_retrieve_k_bounds_and_hits(memory, strategy):
    hits = memory.retrieve("we won the final cup", k=3, strategy=strategy)
    assert len(hits) == 3 and len({h.index for h in hits}) == 3
    assert all(memory.texts[h.index] == h.text for h in hits)
    assert len(memory.retrieve("cup", k=100, strategy=strategy)) == len(TEXTS)
    assert memory.retrieve("cup", k=0, strategy=strategy) == []
    left_out = memory.retrieve("cup", k=100, strategy=strategy, exclude=[0, 2])
    assert {h.index for h in left_out} == set(range(len(TEXTS))) - {0, 2}


def test_semantic_retrieval_is_the_brute_force_l2_ranking(memory):
    matrix, vec = _dense_tfidf(TEXTS)
    query = "the cup final"
    expected = np.linalg.norm(matrix - vec(query), axis=1)
    semantic, emotion = memory.distances(query)
    assert np.allclose(semantic, expected)
    assert [h.index for h in memory.retrieve(query, 5, "semantic")] == \
        sorted(range(len(TEXTS)), key=lambda i: (round(expected[i], 9), i))[:5]
    assert np.all((emotion >= 0) & (emotion <= 1 + 1e-9))


def test_emotion_vectors_and_distance(memory):
    assert memory.emotions.shape == (len(TEXTS), 8) and memory.intensity.shape == (len(TEXTS),)
    assert memory.emotions[6].sum() == 0 and memory.intensity[6] == 0  # "": no emotion
    joy = memory.labels.index("joy")
    assert memory.emotions[0, joy] > 0 and memory.intensity[0] > 0
    _, emotion = memory.distances("I am so happy, we won!")
    assert emotion[0] < emotion[4]  # the joyful memory is nearer in emotion than the grief
    assert emotion[6] == pytest.approx(1.0)  # a clear joy vs no emotion: unrelated
    # an emotionless query is nearest the emotionless items (the neutral axis) ...
    _, calm = memory.distances("")
    assert calm[6] == pytest.approx(0.0, abs=1e-6) and calm[0] == pytest.approx(1.0)
    # ... or, without the neutral axis, has no direction: every item at emotion distance 1
    no_axis = Memory(TEXTS, neutral=False)
    assert np.allclose(no_axis.distances("")[1], 1.0)
    assert no_axis.distances("I am so happy, we won!")[1][6] == pytest.approx(1.0)


def test_weak_evidence_moves_the_emotion_distance_towards_unknown():
    from tone.memory import FULL_CONFIDENCE

    scores = np.array([[0.0, 2.0], [0.0, 0.1], [1.0, 1.0], [0.0, 0.0]])
    intensity = np.array([1.0, FULL_CONFIDENCE / 4, 1.0, 0.0])
    rows = emotion_directions(scores, intensity, neutral=False)
    assert np.allclose(np.linalg.norm(rows, axis=1), [1.0, 0.25, 1.0, 0.0])
    similarity = rows @ rows[0]
    assert similarity[1] == pytest.approx(0.25)  # same direction, a quarter of the evidence
    assert similarity[2] == pytest.approx(np.sqrt(0.5)) and similarity[3] == 0.0
    blended = emotion_directions(scores, intensity)  # with the neutral axis: unit rows
    assert blended.shape == (4, 3) and np.allclose(np.linalg.norm(blended, axis=1), 1.0)
    assert blended[3].tolist() == [0.0, 0.0, 1.0] and blended[0].tolist() == [0.0, 1.0, 0.0]
    # the weak row lies between its emotion and neutral: cosine 0.25 : 0.75 before scaling
    assert blended[1] @ blended[0] == pytest.approx(0.25 / np.hypot(0.25, 0.75))
    assert blended[1] @ blended[3] == pytest.approx(0.75 / np.hypot(0.25, 0.75))
    # every memory's distances stay in [0, 1] and a clear feeling is its own nearest
    for neutral in (True, False):
        mem = Memory(["I am furious!", "a bit annoying maybe", "so furious, I am furious"],
                     neutral=neutral)
        _, emotion = mem.distances("I am furious!")
        assert np.all((emotion >= 0) & (emotion <= 1))
        assert emotion[0] == pytest.approx(0.0, abs=1e-6)


def test_z_scaled_addition_standardises_both_distances():
    semantic, emotion = np.array([1.30, 1.40, 1.41, 1.41]), np.array([0.5, 0.0, 0.9, 0.1])
    raw, raw_score = rank(semantic, emotion, 4, "combination-add")
    assert np.allclose(raw_score, semantic + emotion)
    z, z_score = rank(semantic, emotion, 4, "combination-add", scale="z")
    expected = ((semantic - semantic.mean()) / semantic.std()
                + (emotion - emotion.mean()) / emotion.std())
    assert np.allclose(z_score, expected)
    assert z.tolist() == sorted(range(4), key=lambda i: expected[i])
    assert raw.tolist() != z.tolist()  # the raw sum lets the wider emotion spread decide
    # the statistics are over the items that may be returned
    _, left_out = rank(semantic, emotion, 2, "combination-add", exclude=[3], scale="z")
    pool = [0, 1, 2]
    assert np.allclose(left_out[pool], ((semantic[pool] - semantic[pool].mean())
                                        / semantic[pool].std()
                                        + (emotion[pool] - emotion[pool].mean())
                                        / emotion[pool].std()))
    # equal distances (spread 0) do not divide by zero
    assert rank(np.ones(3), emotion[:3], 1, "combination-add", scale="z")[0].tolist() == [1]


def test_emotion_strategies_prefer_the_congruent_memory(memory):
    """Equal words, different feelings: semantic ranking cannot tell them apart."""
    mem = Memory(["the final was great, what a joy", "the final was awful, I am so sad"])
    assert mem.retrieve("the final", 1, "semantic")[0].index == 0  # tie -> insertion order
    for strategy in STRATEGIES[1:]:
        assert mem.retrieve("I am so sad about the final", 1, strategy)[0].index == 1


def test_given_vectors_and_embedder():
    vectors = np.eye(4, dtype=np.float32)
    mem = Memory(["a", "b", "c", "d"], vectors=vectors)
    hits = mem.retrieve("anything", 2, "semantic", vector=[0, 0, 1, 0])
    assert [h.index for h in hits] == [2, 0] and hits[0].semantic == 0
    assert hits[1].semantic == pytest.approx(math.sqrt(2))
    with pytest.raises(UsageError, match="pass the query's vector"):
        mem.retrieve("anything", 2, "semantic")
    with pytest.raises(UsageError, match="3 dimensions"):
        mem.add(["e"], vectors=np.ones((1, 3)))
    mem.add(["e"], vectors=np.ones((1, 4)))
    assert len(mem) == 5 and mem.emotions.shape[0] == 5

    calls = []

    def embed(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts])

    embedded = Memory(["aa", "aaaa"], embed=embed)
    # "aaa" embeds as (3, 1): at distance 1 from both items, the tie goes to the older one
    assert [h.index for h in embedded.retrieve("aaa", 2, "semantic")] == [0, 1]
    assert embedded.retrieve("aaaa", 1, "semantic")[0].index == 1
    assert calls[0] == ["aa", "aaaa"] and calls[-1] == ["aaaa"]


def test_tfidf_memory_grows(memory):
    mem = Memory(TEXTS[:3])
    mem.add(TEXTS[3:])
    assert np.allclose(mem.distances("lost keys")[0], memory.distances("lost keys")[0])
    assert np.allclose(mem.emotions, memory.emotions)


@pytest.mark.parametrize("call, message", [
    (lambda m: m.retrieve("x", -1, "semantic"), "k must be a whole number"),
    (lambda m: m.retrieve("x", 2.5, "semantic"), "k must be a whole number"),
    (lambda m: m.retrieve("x", 2, "nearest"), "unknown strategy 'nearest'"),
    (lambda m: m.retrieve("x", 2, "combination-add", scale="rank"), "unknown scale 'rank'"),
    (lambda m: m.retrieve(42, 2, "semantic"), "must be a text"),
    (lambda m: m.retrieve("x", 2, "semantic", vector=[1.0]), "uses TF-IDF vectors"),
    (lambda m: m.add(["x"], vectors=[[1.0]]), "uses TF-IDF vectors"),
    (lambda m: Memory(["x", 3]), "memory item 1 is a int"),
    (lambda m: Memory(["x"]).add(["y", None]), "memory item 2 is a NoneType"),
    (lambda m: Memory(["x"], vectors=np.ones((2, 3))), r"shape \(number of texts, dim\)"),
    (lambda m: Memory(["x"], scheme="astrology"), "astrology"),
    (lambda m: Memory(["x"], embed=42), "embed must be"),
    (lambda m: Memory(["x"], neutral="no"), "neutral must be True or False"),
    (lambda m: m.retrieve("x", 2, "sequential-emotion", scale="z"), "combination-add only"),
    (lambda m: m.retrieve("x", 2, "semantic", exclude=[-1]), r"item indices \(>= 0\)"),
    (lambda m: emotion_directions(np.ones((1, 2)), [0.5], full=0), "must be > 0"),
    (lambda m: emotion_directions(np.ones((1, 2)), [0.5, 0.3]), r"intensity \[n\]"),
    (lambda m: emotion_directions(np.ones(2), [0.5]), r"scores must be \[n, categories\]"),
])
def test_bad_input_is_a_usage_error(memory, call, message):
    with pytest.raises(UsageError, match=message):
        call(memory)


def test_empty_memory_and_tone_scheme():
    empty = Memory()
    assert len(empty) == 0
    assert all(empty.retrieve("hello", 3, s) == [] for s in STRATEGIES)
    fine = Memory(TEXTS[:2], scheme="tone")
    assert fine.emotions.shape == (2, 166) and "none" not in fine.labels
    assert "joy@1" in fine.labels


def test_neural_provider_stays_optional():
    """Naming a provider loads it lazily; without the extra the error names the extra."""
    import importlib.util

    from tone.errors import MissingExtra

    if importlib.util.find_spec("sentence_transformers") is not None:
        pytest.skip("the neural extra is installed")
    with pytest.raises(MissingExtra, match=r'pip install "tone\[neural\]"'):
        Memory(["a"], embed="minilm")


def test_z_scale_with_every_item_excluded_is_empty_and_quiet():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice"
        chosen, score = rank(np.array([0.5, 0.1]), np.array([0.0, 0.8]), 2, "combination-add",
                             exclude=[0, 1], scale="z")
    assert chosen.tolist() == [] and np.isfinite(score).all()
