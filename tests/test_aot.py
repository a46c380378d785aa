"""The kernels compiled ahead of time (tone/_aot*.so, see tone/aot.py) give the same results as
the njit kernels, run without Numba, and step aside whenever they do not fit: another argument
type, changed kernel sources, ``TONE_AOT=0``.

The tests comparing both paths skip when the extension is absent (a source checkout or an
editable install: only a package build compiles it; ``python -m tone.aot tone`` compiles it
in place).
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tone import aot

needs_aot = pytest.mark.skipif(not aot.loaded(), reason="tone/_aot is not built here "
                               "(python -m tone.aot tone builds it in place)")


@contextlib.contextmanager
def jit_only():
    """Run the block on the njit kernels, as without the extension."""
    old = os.environ.get("TONE_AOT")
    os.environ["TONE_AOT"] = "0"
    aot._compiled.cache_clear()
    aot.kernels.cache_clear()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TONE_AOT"]
        else:
            os.environ["TONE_AOT"] = old
        aot._compiled.cache_clear()
        aot.kernels.cache_clear()


def _records(texts: list[str]) -> list[str]:
    from tone.defaults import default_annotator

    return [json.dumps(r.to_dict(explain=True), sort_keys=True)
            for r in default_annotator().pipe(texts)]


def _both(texts: list[str]) -> tuple[list[str], list[str]]:
    compiled = _records(texts)
    with jit_only():
        assert not aot.loaded()
        jit = _records(texts)
    return compiled, jit


VARIED = [
    "What a joy, but I am so afraid of tomorrow.",
    "I'm NOT happy!!! :( #sad @friend http://example.com/x?y=1 3.5 kg",
    "He wasn't angry... he was sooooo disappointed 😢😡 — really.",
    "",
    "   ",
    "Ich bin traurig. C'est la vie! ¿Qué? 日本語のテキスト",
    "I can't wait to see you, though I hate that I love you.",
    "I lost my job because the company closed, and I am worried.",
    "Not bad at all; surprisingly, shockingly good.",
    "\ud800 lone surrogate and \U0001F600 emoji",
]


@needs_aot
def test_compiled_kernels_give_the_same_records_on_varied_texts():
    from tone.cli.annotate import example_path

    lines = Path(example_path()).read_text(encoding="utf-8").splitlines()
    texts = VARIED + lines[:300] + [" ".join(lines[i:i + 8]) for i in range(0, 160, 8)]
    compiled, jit = _both(texts)
    assert compiled == jit


@needs_aot
def test_compiled_kernels_give_the_same_records_on_goemotions(shared):
    path = shared / "goemotions" / "original" / "dev.tsv"
    texts = [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[:400]]
    compiled, jit = _both(texts)
    assert compiled == jit


@needs_aot
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(
    ["happy", "sad", "not", "very", "!", "but", "afraid", "joy", "#", "@", ":)", "HATE", "."])
    | st.text(max_size=6), max_size=30).map(" ".join), min_size=1, max_size=6))
def test_compiled_kernels_agree_on_any_text(texts):
    compiled, jit = _both(texts)
    assert compiled == jit


@needs_aot
def test_annotating_imports_no_numba(tmp_path):
    code = ("import sys, tone\n"
            "tone.annotate('What a joy, but I am so afraid of tomorrow.')\n"
            "from tone import aot\n"
            "print(aot.loaded(), 'numba' in sys.modules)\n")
    # `python -c` puts its working folder first on sys.path: run it where no other tone is,
    # so that it imports the tone this test process tests (the installed one, in CI)
    package_parent = str(Path(aot.__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path,
                         env=dict(os.environ, PYTHONPATH=package_parent)).stdout.split()
    assert out == ["True", "False"]


def test_tone_aot_0_means_njit():
    with jit_only():
        assert not aot.loaded()
        k = aot.kernels("tone.lexicon._kernel")
        assert not any(getattr(k, name).overloads for name in aot.ENTRIES["tone.lexicon._kernel"])
        assert k.vocab_filter(np.array([1, 2], dtype=np.uint64)).dtype == np.uint64


def test_a_stale_manifest_is_not_used(tmp_path, monkeypatch):
    manifest = {"stamp": "0" * 64, "sources": aot._kernel_sources(), "exports": {}}
    (tmp_path / "_aot.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(aot, "MANIFEST", tmp_path / "_aot.json")
    aot._compiled.cache_clear()
    try:
        assert not aot.loaded()
    finally:
        aot._compiled.cache_clear()


def test_the_stamp_covers_every_module_compiled_into_the_kernels():
    sources = aot._kernel_sources()
    for module in aot.ENTRIES:
        assert str(aot._module_file(module).relative_to(Path(aot.__file__).parent)) in sources
    assert "rules/codes.py" in sources and "text/_tables.py" in sources  # their constants
    assert "text/__init__.py" not in sources  # callers are not compiled in


def test_a_call_of_other_types_goes_to_njit():
    calls = []
    key = aot.type_key((np.zeros(2, dtype=np.uint64),))
    kernel = aot._Kernel("tone.lexicon._kernel", "vocab_filter",
                         {key: lambda *args: calls.append(args) or "compiled"})
    assert kernel(np.zeros(2, dtype=np.uint64)) == "compiled" and len(calls) == 1
    out = kernel(np.zeros(2, dtype=np.uint64)[::-1])  # another layout: njit
    assert isinstance(out, np.ndarray) and len(calls) == 1


arrays = hnp.arrays(
    dtype=st.sampled_from([np.int32, np.int64, np.uint8, np.uint64, np.float32, np.float64,
                           np.bool_]),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))


@given(arrays, st.booleans(), st.booleans())
def test_type_key_is_how_numba_types_an_argument(array, transpose, readonly):
    numba = pytest.importorskip("numba")
    if transpose:
        array = array.T
    array.flags.writeable = not readonly
    for value in (array, array[::2], (array, 3, 2.5, True), np.int32(4), np.float32(1)):
        assert aot.type_key(value) == aot._numba_type_key(numba.typeof(value))
