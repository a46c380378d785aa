"""Every docstring example in the package runs (the modules' examples are documentation)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tone

# Modules whose import needs an optional extra that may be absent.
OPTIONAL = {"tone.integrations.dask": "dask", "tone.integrations.frame": "pandas", "tone.kg.server": "pyoxigraph"}


def _modules() -> list[str]:
    names = ["tone"]
    for info in pkgutil.walk_packages(tone.__path__, "tone."):
        if not info.name.rsplit(".", 1)[-1].startswith("__"):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name, monkeypatch, tmp_path):
    if name in OPTIONAL:
        pytest.importorskip(OPTIONAL[name])
    monkeypatch.setenv("TONE_CACHE_DIR", str(tmp_path / "cache"))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
