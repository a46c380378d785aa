"""Shared test fixtures: the built-in ontology, the location of ../shared/data, and a local
listener that records connections (for tests that nothing reaches the network)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
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


class Listener:
    """A TCP server on 127.0.0.1 that counts every connection (and closes it): point a URL at
    ``url`` (or ``port``) and assert ``connections == 0`` to show nothing was fetched."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener():
    running = Listener()
    yield running
    running.close()
