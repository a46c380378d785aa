"""The artefact cache keeps only the most recently used entries of each kind."""
from __future__ import annotations

import os

from tone import cache


def _entry(tmp_path, kind: str, item: str):
    return tmp_path / f"{kind}-{cache._key(kind, [item])}.pickle"


def test_old_entries_are_pruned_and_used_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path))
    items = [f"input {i}" for i in range(cache.KEEP)]
    for age, item in enumerate(items):  # input 0 is the oldest entry
        cache.cached("demo", [item], lambda item=item: item)
        os.utime(_entry(tmp_path, "demo", item), (1_000_000 + age, 1_000_000 + age))
    assert cache.cached("demo", [items[0]], lambda: "rebuilt") == items[0]  # a hit, refreshed
    cache.cached("demo", ["a new input"], lambda: "new")
    cache.cached("other", ["x"], lambda: "x")
    assert len(list(tmp_path.glob("demo-*.pickle"))) == cache.KEEP
    assert _entry(tmp_path, "demo", items[0]).exists()  # used recently
    assert not _entry(tmp_path, "demo", items[1]).exists()  # now the least recently used
    assert _entry(tmp_path, "other", "x").exists()


def test_a_cold_default_annotator_fills_every_cache_entry(tmp_path, monkeypatch):
    """The first run (which compiles the lexicon and so loads the ontology) also stores the
    inference rules and the appraiser: the second run loads everything and compiles nothing."""
    from tone import Annotator

    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path))
    Annotator()
    kinds = {path.name.split("-")[0] for path in tmp_path.glob("*.pickle")}
    assert {"annotator", "inference", "appraisal"} <= kinds


def test_a_slow_build_says_why_once(tmp_path, monkeypatch, caplog):
    import time

    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "NOTICE_AFTER", 0.05)
    monkeypatch.setattr(cache, "_noticed", type(cache._noticed)())
    caplog.set_level("WARNING", logger="tone")

    def slow():
        time.sleep(0.3)
        return "built"

    assert cache.cached("demo", ["slow"], slow) == "built"
    assert cache.cached("demo", ["quick"], lambda: "quick") == "quick"
    cache.cached("demo", ["slow again"], slow)
    notices = [r.getMessage() for r in caplog.records if "first run only" in r.getMessage()]
    assert len(notices) == 1 and str(tmp_path) in notices[0]
    assert cache.cached("demo", ["slow"], slow) == "built"  # from the cache: no build
