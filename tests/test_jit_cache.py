"""Compiled kernels are cached once per user and machine, whatever the install location, and
an install starts from the kernels compiled when its package was built (``tone/_jit/``)."""
from __future__ import annotations

import os
import pickle
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
    """A copy of the tone package at another location, as a second virtual environment has
    (without the kernels an installed package was built with: each test makes its own)."""
    shutil.copytree(Path(tone.__file__).parent, where / "tone",
                    ignore=shutil.ignore_patterns("__pycache__", "data", "_jit"))
    return where


def _run(site: Path, cache: Path | None, numba_cache: Path | None = None) -> tuple[int, int]:
    """(cache hits, compilations) of one kernel call in a new process."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMBA_CACHE_DIR", "TONE_JIT_CACHE_DIR")}
    env["PYTHONPATH"] = str(site)
    if cache is not None:
        env["TONE_JIT_CACHE_DIR"] = str(cache)
    if numba_cache is not None:
        env["NUMBA_CACHE_DIR"] = str(numba_cache)
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


def _bundle(site: Path) -> Path:
    """Compile into the package's bundle, as setup.py does when the package is built."""
    bundle = site / "tone" / "_jit"
    assert _run(site, bundle) == (0, 1)
    return bundle


def test_an_install_loads_the_kernels_its_package_was_built_with(tmp_path):
    site = _install(tmp_path / "venv")
    bundle = _bundle(site)
    before = sorted(p.name for p in bundle.rglob("*"))
    cache = tmp_path / "empty-user-cache"
    assert _run(site, cache) == (1, 0)           # loaded from the bundle, nothing compiled
    assert sorted(p.name for p in bundle.rglob("*")) == before   # the bundle is only read
    assert {p.name for p in cache.rglob("*.nb?")} == {p.name for p in bundle.rglob("*.nb?")}
    assert _run(site, cache) == (1, 0)


def test_numba_cache_dir_holds_tones_kernels_and_is_seeded_too(tmp_path):
    site = _install(tmp_path / "venv")
    _bundle(site)
    numba_cache = tmp_path / "numba"
    assert _run(site, None, numba_cache) == (1, 0)
    assert any((numba_cache / "tone" / tone.__version__).rglob("*.nbi"))


def test_a_bundle_of_other_code_is_not_loaded(tmp_path):
    site = _install(tmp_path / "venv")
    _bundle(site)
    kernel = site / "tone" / "lexicon" / "_kernel.py"
    kernel.write_text(kernel.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    cache = tmp_path / "user-cache"
    assert _run(site, cache) == (0, 1)           # stale bundle: compiled, not loaded
    assert _run(site, cache) == (1, 0)           # and cached for the next run


def test_an_entry_for_another_cpu_is_compiled_again(tmp_path):
    site = _install(tmp_path / "venv")
    bundle = _bundle(site)
    for index in bundle.rglob("*.nbi"):          # as if built on another machine
        with open(index, "rb") as handle:
            version = pickle.load(handle)
            stamp, overloads = pickle.loads(handle.read())
        moved = {(sig, ("x86_64-unknown-linux-gnu", "other-cpu", ""), code): data
                 for (sig, _, code), data in overloads.items()}
        index.write_bytes(pickle.dumps(version, protocol=-1)
                          + pickle.dumps((stamp, moved), protocol=-1))
    assert _run(site, tmp_path / "user-cache") == (0, 1)


def test_an_unwritable_cache_still_runs(tmp_path):
    site = _install(tmp_path / "venv")
    _bundle(site)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    assert sum(_run(site, blocked / "jit")) == 1   # Numba's own locators take over
