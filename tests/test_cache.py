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
