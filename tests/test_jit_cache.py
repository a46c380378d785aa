"""Compiled kernels are cached once per user and machine, whatever the install location."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import tone

CALL = ("import numpy as np\n"
        "from tone.lexicon import _kernel as k\n"
        "k.vocab_filter(np.arange(1, 50, dtype=np.uint64))\n"
        "s = k.vocab_filter.stats\n"
        "print(sum(s.cache_hits.values()), sum(s.cache_misses.values()))\n")


def _install(where: Path) -> Path:
    """A copy of the tone package at another location, as a second virtual environment has."""
    shutil.copytree(Path(tone.__file__).parent, where / "tone",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    return where


def _run(site: Path, cache: Path) -> tuple[int, int]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=str(site), TONE_JIT_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", CALL], env=env, cwd=site, capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def test_a_second_install_loads_what_the_first_compiled(tmp_path):
    cache = tmp_path / "jit"
    first, second = _install(tmp_path / "venv1"), _install(tmp_path / "venv2")
    assert _run(first, cache) == (0, 1)          # compiled, and written to the shared cache
    assert any(cache.rglob("*.nbi")) and not any((first / "tone").rglob("*.nbi"))
    assert _run(second, cache) == (1, 0)         # another install: loaded, not compiled


def test_changed_code_is_compiled_again(tmp_path):
    cache = tmp_path / "jit"
    site = _install(tmp_path / "venv")
    assert _run(site, cache) == (0, 1)
    kernel = site / "tone" / "lexicon" / "_kernel.py"
    kernel.write_text(kernel.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert _run(site, cache) == (0, 1)           # a stale entry is never loaded
