"""Unit and property tests of tone.text (the Numba tokenizer)."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tone.text as tt
from tone.text import (
    CAPS,
    ELONGATED,
    EMAIL,
    EMOJI,
    EMOTICON,
    HASHTAG,
    MENTION,
    NUM,
    PUNCT,
    SENT_START,
    URL,
    WORD,
    token_key,
    tokenize,
)


def toks(text: str) -> list[str]:
    return tokenize([text]).doc_tokens(0)


def kinds(text: str) -> list[int]:
    return tokenize([text]).kind.tolist()


def test_import_is_light():
    code = "import sys, tone.text; print('numba' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("don't", ["do", "n't"]),
        ("Don't", ["Do", "n't"]),
        ("I'm", ["I", "'m"]),
        ("can't", ["ca", "n't"]),
        ("won't", ["wo", "n't"]),
        ("you're", ["you", "'re"]),
        ("we've", ["we", "'ve"]),
        ("he'll", ["he", "'ll"]),
        ("she'd", ["she", "'d"]),
        ("it's", ["it", "'s"]),
        ("let's", ["let", "'s"]),
        ("John's", ["John", "'s"]),
        ("don’t", ["do", "n’t"]),
        ("John’s", ["John", "’s"]),
        ("wow!!!", ["wow", "!", "!", "!"]),
        ("well-known", ["well", "-", "known"]),
        ("wait...", ["wait", "..."]),
        ("3.5 1,000", ["3.5", "1,000"]),
        ("$5", ["$", "5"]),
        ("10km", ["10", "km"]),
        ("5pm", ["5", "pm"]),
        ("Mr. Smith", ["Mr.", "Smith"]),
        ("e.g. the U.S.", ["e.g.", "the", "U.S."]),
        ('"Hello," she said.', ['"', "Hello", ",", '"', "she", "said", "."]),
        ("(see above)", ["(", "see", "above", ")"]),
    ],
)
def test_segmentation_like_spacy(text, expected):
    assert toks(text) == expected


def test_urls_emails_mentions_hashtags():
    b = tokenize(["see https://example.com/a?b=1, mail me@example.org @ann_b #SoHappy!"])
    assert b.doc_tokens(0) == [
        "see", "https://example.com/a?b=1", ",", "mail", "me@example.org", "@ann_b", "#SoHappy", "!",
    ]
    assert b.kind.tolist() == [WORD, URL, PUNCT, WORD, EMAIL, MENTION, HASHTAG, PUNCT]
    assert kinds("www.google.com") == [URL]


@pytest.mark.parametrize(
    "emoji",
    [
        "👨\u200d👩\u200d👧\u200d👦",  # ZWJ family
        "👍🏽",  # skin tone
        "🤦\u200d♂️",  # ZWJ + variation selector
        "❤️",  # variation selector
        "🇺🇸",  # flag (regional indicator pair)
        "1️⃣",  # keycap
        "#️⃣",
        "🏳️\u200d🌈",
        "😀",
    ],
)
def test_emoji_sequences_are_one_token(emoji):
    b = tokenize(["I " + emoji + " it" + emoji])
    if emoji.endswith("\u20e3"):
        # a keycap glued to a word stays with it, as in spaCy
        assert b.doc_tokens(0)[:2] == ["I", emoji] and b.kind[1] == EMOJI
        return
    assert b.doc_tokens(0) == ["I", emoji, "it", emoji]
    assert b.kind.tolist() == [WORD, EMOJI, WORD, EMOJI]


def test_two_flags():
    assert toks("🇺🇸🇫🇷") == ["🇺🇸", "🇫🇷"]


@pytest.mark.parametrize(
    "emo",
    [":)", ":-(", ":'(", "<3", ":D", "xD", ";)", ":P", "^_^", "-_-", "T_T", "o_O", ">:(", ":/", "XD", "</3"],
)
def test_emoticons(emo):
    b = tokenize(["so sad " + emo + " really"])
    assert b.doc_tokens(0) == ["so", "sad", emo, "really"]
    assert b.kind[2] == EMOTICON


def test_emoticon_glued_to_word():
    assert toks("lol:)") == ["lol", ":)"]


def test_at_least_80_emoticons():
    from tone.text._tables import emoticons

    assert len(emoticons()) >= 80


def test_flags_caps_elongated():
    b = tokenize(["WHY is it SOOOO goooood I OK"])
    f = dict(zip(b.doc_tokens(0), b.flags.tolist()))
    assert f["WHY"] & CAPS and not f["WHY"] & ELONGATED
    assert f["SOOOO"] & CAPS and f["SOOOO"] & ELONGATED
    assert f["goooood"] & ELONGATED and not f["goooood"] & CAPS
    assert not f["I"] & CAPS and not f["is"] & (CAPS | ELONGATED)
    assert f["OK"] & CAPS


def test_keys_and_squeezing():
    b = tokenize(["Soooo HAPPYYYY cooool cool"])
    assert b.key.tolist() == [token_key(s) for s in ("soooo", "happyyyy", "cooool", "cool")]
    assert b.squeezed1[0] == token_key("so")
    assert b.squeezed1[1] == token_key("happy")
    assert b.squeezed[2] == token_key("cool")
    assert b.squeezed[3] == b.key[3] == b.squeezed1[3]
    assert b.lower(1) == "happyyyy"


def _squeeze(text: str, keep: int) -> str:
    """Runs of three or more equal characters cut to ``keep``."""
    return re.sub(r"(.)\1{2,}", lambda m: m.group(1) * keep, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aAbBoOy1éÉß.", min_size=1, max_size=12), min_size=1,
                max_size=20))
def test_squeezed_keys_collapse_runs_of_three(words):
    # letters and digits go through the fast path; "é", "ß" and "." through the general one
    b = tokenize([" ".join(words)])
    for i in range(len(b)):
        low = b.lower(i)
        assert b.key[i] == token_key(low)
        assert b.squeezed[i] == token_key(_squeeze(low, 2)), low
        assert b.squeezed1[i] == token_key(_squeeze(low, 1)), low


def test_lemma():
    b = tokenize(["The children were happier", "zzqx"])
    lem = dict(zip(b.doc_tokens(0), b.lemma[:4].tolist()))
    assert lem["children"] == token_key("child")
    assert lem["were"] == token_key("be")
    assert lem["happier"] == token_key("happy")
    assert b.lemma[4] == b.key[4]


def test_sentences():
    b = tokenize(['Mr. Smith left. He said "Hi!" Then he went... Why? No way\n\nnew para', "", "one"])
    starts = [b.surface(i) for i in range(len(b)) if b.flags[i] & SENT_START]
    assert starts == ["Mr.", "He", "Then", "Why", "No", "new", "one"]
    assert b.sentences(1) == []
    first, stop = b.sentences(0)[0]
    assert [b.surface(i) for i in range(first, stop)] == ["Mr.", "Smith", "left", "."]
    assert b.sent_ptr[-1] == len(b)


def test_offsets_non_bmp_and_surrogates():
    text = "😀 a\U00010400b \ud800 x𝒳y 😀"
    b = tokenize([text])
    for s, e in b.doc_spans(0):
        assert text[s:e]
    assert "".join(b.doc_tokens(0)) == text.replace(" ", "")


def test_empty_and_whitespace_docs():
    b = tokenize(["", "   \n\t ", "a", "\u00a0"])
    assert b.n_docs == 4 and len(b) == 1
    assert b.doc_ptr.tolist() == [0, 0, 0, 1, 1]
    assert tokenize([]).n_docs == 0


def test_rejects_a_bare_string():
    with pytest.raises(TypeError):
        tokenize("a text")


def test_one_megabyte_document():
    text = ("It's a truly wonderful day :) Isn't it? " * 26000)[:1_000_000]
    b = tokenize([text])
    assert len(b) > 200_000
    assert b.end[-1] <= len(text)
    assert b.doc_tokens(0)[:5] == ["It", "'s", "a", "truly", "wonderful"]


def test_one_long_chunk():
    text = "x" * 100_000 + "!!!"
    assert toks(text) == ["x" * 100_000, "!", "!", "!"]


def test_buffers_grow_mid_batch():
    # one-character tokens (more tokens than a quarter of the characters) and a chunk longer
    # than the scratch stack, after other tokens of the same document: the kernel grows its
    # arrays and resumes; every document must come out as when tokenized alone
    texts = ["a b c d e f g , . ; !" * 300, "word " * 50 + "y" * 500 + ", z", "", "Dont, stop!"]
    b = tokenize(texts)
    for d, text in enumerate(texts):
        one = tokenize([text])
        assert b.doc_tokens(d) == one.doc_tokens(0)
        lo, hi = int(b.doc_ptr[d]), int(b.doc_ptr[d + 1])
        for name in ("kind", "flags", "key", "squeezed", "squeezed1", "lemma"):
            assert getattr(b, name)[lo:hi].tolist() == getattr(one, name).tolist()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, world!", ["Hello", ",", "world", "!"]),
        ("dont, Im! cannot?", ["do", "nt", ",", "I", "m", "!", "can", "not", "?"]),
        ("C$ US$5 A$", ["C$", "US$", "5", "A$"]),
        ('wow" yes) ok: no;', ["wow", '"', "yes", ")", "ok", ":", "no", ";"]),
        ("xD, XD! soooo,", ["xD", ",", "XD", "!", "soooo", ","]),
    ],
)
def test_fast_path_words_with_one_suffix(text, expected):
    assert toks(text) == expected


def test_token_keys_vectorized():
    words = ["Happy", "ÉTÉ", "😀", "\ud800", ""]
    assert tt.token_keys(words).tolist() == [token_key(w) for w in words]


def test_spacy_mode_same_structure():
    b = tt.spacy_tokenize(["I don't know #tag :)", ""])
    assert b.doc_tokens(0) == ["I", "do", "n't", "know", "#", "tag", ":)"]
    assert b.kind[-1] == EMOTICON and b.n_docs == 2
    assert b.key[1] == token_key("do")


# ---------------------------------------------------------------------------
# properties

any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=80)
tricky = st.text(
    alphabet=st.sampled_from(
        list("aA1 .,!?'’\"-#@:;()/<>=$%^_*+~\n\t…") + ["\ud800", "\udfff", "😀", "🏽", "\u200d", "\ufe0f", "🇺", "⃣", "é", "ß", "İ"]
    ),
    max_size=60,
)


def check_batch(texts):
    b = tokenize(texts)
    assert b.n_docs == len(texts)
    for d, text in enumerate(texts):
        spans = b.doc_spans(d)
        prev = 0
        covered = [0] * len(text)
        for s, e in spans:
            assert prev <= s < e <= len(text)
            assert text[s:e].strip() or not text[s:e].isspace()
            assert not text[s:e].isspace()
            prev = e
            for i in range(s, e):
                covered[i] += 1
        for i, ch in enumerate(text):
            assert covered[i] == (0 if ch.isspace() else 1), (text, i)
        a = int(b.doc_ptr[d])
        for j, (s, e) in enumerate(spans):
            assert int(b.key[a + j]) == token_key(text[s:e])
    return b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text, max_size=5))
def test_property_arbitrary_unicode(texts):
    check_batch(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(tricky, max_size=5))
def test_property_tricky_alphabet(texts):
    check_batch(texts)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from("ab "), max_size=20), max_size=4))
def test_property_surrogates(texts):
    check_batch(texts)


def test_arrays_dtypes():
    b = tokenize(["a b"])
    assert b.start.dtype == b.end.dtype == b.doc_ptr.dtype == np.int64
    assert b.kind.dtype == b.flags.dtype == np.uint8
    assert b.key.dtype == b.squeezed.dtype == b.squeezed1.dtype == b.lemma.dtype == np.uint64


def test_docstring_examples_run():
    import doctest

    res = doctest.testmod(tt, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 5


def test_typographic_apostrophe_keys_as_ascii():
    """U+2019 (the apostrophe of typeset and phone-keyboard text) keys as ``'``: contractions,
    rule cues and phrases written with ``'`` match text written with ``’``; surfaces keep it."""
    from tone.text import token_key, tokenize

    assert token_key("n’t") == token_key("n't") and token_key("I’M") == token_key("i'm")
    batch = tokenize(["I can’t wait"])
    assert batch.doc_tokens(0) == ["I", "ca", "n’t", "wait"]
    assert int(batch.key[2]) == token_key("n't")
    assert token_key("‘") != token_key("'")  # the opening quotation mark is not folded
