"""The notice that Numba is compiling: once, only for compilations longer than the threshold."""
from __future__ import annotations

import logging
import time

import pytest

from tone import compile_notice


@pytest.fixture
def listener(monkeypatch):
    monkeypatch.setattr(compile_notice, "NOTICE_AFTER", 0.05)
    notice = compile_notice.install()
    monkeypatch.setattr(notice, "said", False)
    return notice


def _compile(seconds: float, nested: bool = False) -> None:
    from numba.core import event

    with event.trigger_event("numba:compile"):
        if nested:
            with event.trigger_event("numba:compile"):
                time.sleep(seconds)
        time.sleep(seconds)


def _notices(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage() == compile_notice.MESSAGE]


def test_a_long_compilation_is_announced_once(listener, caplog):
    with caplog.at_level(logging.WARNING, logger="tone"):
        _compile(0.3, nested=True)
        _compile(0.3)
    assert len(_notices(caplog)) == 1


def test_a_short_compilation_is_silent(listener, caplog):
    with caplog.at_level(logging.WARNING, logger="tone"):
        for _ in range(5):
            _compile(0.0, nested=True)
        time.sleep(0.2)  # a timer left running would fire now
    assert _notices(caplog) == []
    assert listener.depth == 0 and listener.timer is None
