"""Shared test fixtures: the built-in ontology, and the location of ../shared/data."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path | None:
    """``../shared/data`` from the project root (or ``TONE_SHARED_DATA``), if present."""
    path = Path(os.environ.get("TONE_SHARED_DATA", ROOT.parent / "shared" / "data"))
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_data()
    if path is None:
        pytest.skip("../shared/data is absent (set TONE_SHARED_DATA to run this test)")
    return path


@pytest.fixture(scope="session")
def onto():
    from tone.ontology import Ontology

    return Ontology()


@pytest.fixture(scope="session")
def java() -> str:
    java = shutil.which("java")
    if java is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime: HermiT cannot run")
    return java or ""
