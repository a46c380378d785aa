"""One writer at a time per knowledge-graph store: an advisory lock file that names its holder.

A process that opens a store for writing holds ``tone-kg.lock`` in the store folder with
``fcntl.flock`` (exclusive, taken without blocking) and writes its pid, host, command line and
start time into it, so a second writer can say who is in the way. The kernel releases a
``flock`` when the holder closes the file or dies, so a lock file left behind by a killed
process never blocks anyone: only a live holder does. The file itself stays in the folder
(emptied on release); deleting it while another process waits on it would let two writers in.

Readers (``read_only=True``: ``tone sparql --store``, ``tone serve``, ``tone kg info``) take no
lock and are never blocked: an rdflib store is read from its last complete ``graph.nq``
(writers replace it atomically); an Oxigraph store is opened in Oxigraph's read-only mode, which
sees the database as it is at that moment (pyoxigraph calls a read-only open during a write
undefined behaviour: tone retries an open that fails while a writer is active, then names the
writer in a one-line error). :func:`active_writer` tells a reader who is writing, without
touching the lock.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     with StoreLock(folder) as first:
...         try:
...             StoreLock(folder).acquire()
...         except StoreLocked as err:
...             held = err.holder["pid"] == first.holder["pid"]
...     again = StoreLock(folder).acquire()    # released: free again
...     again.release()
>>> held
True
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import ToneError

__all__ = ["LOCK_FILE", "StoreLock", "StoreLocked", "StoreIOError", "active_writer",
           "describe_holder"]

LOCK_FILE = "tone-kg.lock"


class StoreLocked(ToneError):
    """Another process has the store open for writing."""

    def __init__(self, message: str, holder: dict) -> None:
        super().__init__(message)
        self.holder = holder


class StoreIOError(ToneError):
    """The store could not be read or written (permissions, disk full, ...)."""


def active_writer(folder) -> dict | None:
    """The holder note of a live writer of the store ``folder`` (this host), or None.

    Reads the note only (taking even a shared lock could make a writer's attempt fail): a
    note whose pid is gone is stale, an emptied note means no writer."""
    holder = StoreLock(folder).read_holder(retries=1)
    pid = holder.get("pid")
    if not isinstance(pid, int) or holder.get("host") not in (None, socket.gethostname()):
        return holder if pid else None  # another host: cannot tell, assume alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:  # alive, another user's
        pass
    return holder


def describe_holder(holder: dict | None) -> str:
    """``pid 123 (tone kg build a.jsonl --store kg) since 2024-05-01T10:00:00+02:00``."""
    return _holder_text(holder or {})


def _holder_text(holder: dict) -> str:
    if not holder.get("pid"):
        return "another process"
    where = f" on {holder['host']}" if holder.get("host") not in (None, socket.gethostname()) \
        else ""
    text = f"pid {holder['pid']}{where}"
    if holder.get("command"):
        text += f" ({holder['command']})"
    if holder.get("since"):
        text += f" since {holder['since']}"
    return text


def _lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without blocking; False when someone else holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


class StoreLock:
    """The writer's lock of the store folder ``folder`` (which must exist).

    Parameters
    ----------
    folder : path
    wait : bool or float
        False (default): fail at once with :class:`StoreLocked` when another writer holds the
        store; True: wait as long as it takes; a number: wait at most that many seconds.
    on_wait : callable, optional
        Called once with the holder's description when the lock is busy and we wait.
    """

    def __init__(self, folder, wait: bool | float = False,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self.wait = wait
        self.on_wait = on_wait
        self.fd: int | None = None
        self.holder: dict = {}

    def read_holder(self, retries: int = 20) -> dict:
        """The holder recorded in the lock file ({} when empty or unreadable)."""
        for _ in range(retries):  # a new holder may not have written its name yet
            try:
                text = self.path.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return {}
            if text:
                try:
                    holder = json.loads(text)
                except ValueError:
                    return {}
                return holder if isinstance(holder, dict) else {}
            time.sleep(0.01)
        return {}

    def acquire(self) -> "StoreLock":
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise StoreIOError(f"{self.folder}: cannot open the store for writing "
                               f"({err.strerror or err}); check the folder's permissions"
                               ) from None
        try:
            deadline = None
            if self.wait is not True and self.wait:
                deadline = time.monotonic() + float(self.wait)
            told = False
            delay = 0.05
            while not _lock(fd):
                holder = self.read_holder()
                if not self.wait or (deadline is not None and time.monotonic() >= deadline):
                    waited = (f" after waiting {float(self.wait):g} s"
                              if self.wait and self.wait is not True else "")
                    raise StoreLocked(
                        f"{self.folder}: the store is being written by {_holder_text(holder)}"
                        f"{waited}; wait for it to finish, or pass --wait", holder)
                if not told and self.on_wait is not None:
                    self.on_wait(f"{self.folder}: waiting for {_holder_text(holder)} to finish "
                                 "writing the store")
                    told = True
                pause = delay if deadline is None else min(delay,
                                                           max(0.0, deadline - time.monotonic()))
                time.sleep(pause)
                delay = min(delay * 1.5, 0.5)
            self.holder = {"pid": os.getpid(), "host": socket.gethostname(),
                           "command": _command(),
                           "since": datetime.now(timezone.utc).astimezone().isoformat(
                               timespec="seconds")}
            try:  # best effort: the lock holds even when its note cannot be written
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, (json.dumps(self.holder) + "\n").encode("utf-8"))
            except OSError:
                pass
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return self

    def release(self) -> None:
        """Empty the lock file and release the lock (idempotent)."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> "StoreLock":
        return self.acquire() if self.fd is None else self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self) -> None:
        if getattr(self, "fd", None) is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass


def _command(limit: int = 200) -> str:
    """This process's command line, shortened (``tone kg build a.jsonl --store kg``)."""
    argv = list(sys.argv) or ["python"]
    name = os.path.basename(argv[0])
    if name in ("__main__.py", "-c", "-m", ""):
        name = "python"
    text = " ".join([name, *argv[1:]])
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit - 1] + "…"
