"""Say so when Numba compiles tone's kernels for longer than two seconds.

The first annotation on a machine compiles the kernels (about a minute); later runs load them
from Numba's cache. So that this wait is never silent, every kernel module calls :func:`install`,
which listens to Numba's ``numba:compile`` events (loading from the cache raises none; the cache
is shared by every install, see :mod:`tone.jit_cache`): when a
compilation is still running after :data:`NOTICE_AFTER` seconds, one ``WARNING`` record goes to
the ``tone`` logger, once per process. The command line prints it on stderr; a library user sees
it through their logging configuration (or Python's last-resort handler on stderr).

>>> install() is install()   # one listener, however many modules ask
True
"""
from __future__ import annotations

import functools
import logging
import threading

__all__ = ["install", "NOTICE_AFTER", "MESSAGE"]

log = logging.getLogger("tone")

NOTICE_AFTER = 2.0
MESSAGE = ("compiling tone's kernels for this machine (first run only, about a minute; "
           "they are cached for later runs)")


@functools.lru_cache(maxsize=1)
def install():
    """Register the notice with Numba's event system (once); returns the listener."""
    from numba.core import event

    class _Notice(event.Listener):
        def __init__(self) -> None:
            self.depth, self.timer, self.said = 0, None, False
            self.lock = threading.Lock()

        def on_start(self, ev) -> None:
            with self.lock:
                self.depth += 1
                if self.depth == 1 and not self.said:
                    self.timer = threading.Timer(NOTICE_AFTER, self._say)
                    self.timer.daemon = True
                    self.timer.start()

        def on_end(self, ev) -> None:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.timer is not None:
                    self.timer.cancel()
                    self.timer = None

        def _say(self) -> None:
            with self.lock:
                if self.said or self.depth == 0:
                    return
                self.said = True
            log.warning(MESSAGE)

    listener = _Notice()
    event.register("numba:compile", listener)
    from .jit_cache import install as share_the_cache

    share_the_cache()  # the kernels' cache, shared by every install (tone.jit_cache)
    return listener
