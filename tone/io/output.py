"""Output files for the command line: written atomically when that is safe, through otherwise.

:func:`open_output` (and :class:`AtomicOutput`, the same as a class) gives a UTF-8 text stream for
``-o PATH`` and decides how to write it:

* a regular file, or a path that does not exist yet: a temporary file next to it, renamed over
  it only when the run succeeds (Ctrl-C, SIGTERM, an input or output error leave no partial file
  and the old content, if any, intact). An existing file keeps its permission bits.
* a symbolic link: resolved, and the **target** is written atomically as above; the link stays a
  link.
* anything else that exists — a device such as ``/dev/null`` or ``/dev/stdout``, a FIFO — is
  opened and written through (renaming over it would replace the device by a regular file).
* ``-``: standard output (never closed).

Every ``OSError`` while opening, writing, syncing or renaming becomes an :class:`OutputError`
(one line, naming the path and the cause; exit status 2 on the command line, like any path the
command cannot use), and the temporary file is removed. A broken pipe on standard output stays a
``BrokenPipeError`` (``tone annotate | head`` is not an error).

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> target = os.path.join(folder, "out.txt")
>>> with open_output(target) as out:
...     _ = out.write("done\\n")
>>> open(target).read()
'done\\n'
>>> try:
...     with open_output(target) as out:
...         _ = out.write("partial")
...         raise KeyboardInterrupt
... except KeyboardInterrupt:
...     pass
>>> open(target).read(), sorted(os.listdir(folder))
('done\\n', ['out.txt'])
>>> os.symlink(target, os.path.join(folder, "link.txt"))
>>> with open_output(os.path.join(folder, "link.txt")) as out:
...     _ = out.write("via the link\\n")
>>> os.path.islink(os.path.join(folder, "link.txt")), open(target).read()
(True, 'via the link\\n')
>>> try:
...     open_output(os.path.join(folder, "missing", "x.txt")).__enter__()
... except OutputError as err:
...     print(str(err).replace(folder, "DIR"))
cannot write DIR/missing/x.txt: No such file or directory
"""
from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile

from ..errors import UsageError

__all__ = ["open_output", "AtomicOutput", "OutputError", "write_text"]

_os_write = os.write  # (tests replace it to simulate a full disk)


class OutputError(UsageError):
    """The output could not be written (permission, read-only file system, missing directory,
    disk full, ...); the message names the path and the cause."""

    def __init__(self, path: str, err: OSError | str) -> None:
        cause = err if isinstance(err, str) else (err.strerror or str(err))
        self.path, self.cause = path, cause
        super().__init__(f"cannot write {path}: {cause}")


class _GuardedRaw(io.RawIOBase):
    """A raw binary sink that turns an ``OSError`` from ``write`` into an :class:`OutputError`.

    ``fd`` is written with ``os.write``; else ``target`` (a binary stream, e.g. stdout's
    buffer) with ``target.write`` and flushed with ``target.flush``."""

    def __init__(self, name: str, fd: int | None = None, target=None) -> None:
        super().__init__()
        self.name, self.fd, self.target = name, fd, target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        try:
            if self.fd is not None:
                return _os_write(self.fd, data)
            self.target.write(bytes(data))
            return len(data)
        except (BrokenPipeError, BlockingIOError):
            raise
        except OSError as err:
            raise OutputError(self.name, err) from None

    def flush(self) -> None:
        super().flush()
        if self.target is not None and not self.closed:
            try:
                self.target.flush()
            except BrokenPipeError:
                raise
            except OSError as err:
                raise OutputError(self.name, err) from None

    def fileno(self) -> int:
        if self.fd is not None:
            return self.fd
        return self.target.fileno()

    def close(self) -> None:
        if not self.closed:
            try:
                super().close()
            finally:
                if self.fd is not None:
                    fd, self.fd = self.fd, None
                    os.close(fd)


def _text(raw: _GuardedRaw, encoding: str, newline: str | None) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=1 << 16), encoding=encoding,
                            newline=newline)


class AtomicOutput:
    """``with AtomicOutput(path) as stream:`` — see the module docstring (:func:`open_output`
    is the same). ``path`` ``-`` is standard output."""

    def __init__(self, path, encoding: str = "utf-8", newline: str | None = "\n") -> None:
        self.given = os.fspath(path)
        self.encoding, self.newline = encoding, newline
        self.tmp: str | None = None
        self.stream = None
        self.mode: str | None = None  # "stdout", "through" or "atomic"

    # -- opening ------------------------------------------------------------------------
    def __enter__(self):
        if self.given == "-":
            self.mode, self.path = "stdout", "<stdout>"
            target = getattr(sys.stdout, "buffer", None)
            if target is None:  # a text-only stdout (some test runners): write text to it
                self.stream = sys.stdout
                return self.stream
            self.stream = _text(_GuardedRaw(self.path, target=target), self.encoding,
                                self.newline)
            return self.stream
        self.path = os.path.abspath(self.given)
        try:
            info = os.stat(self.path)  # follows symbolic links
        except FileNotFoundError:
            info = None
        except OSError as err:
            raise OutputError(self.path, err) from None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise OutputError(self.path, "is a directory")
        if info is not None and not stat.S_ISREG(info.st_mode):
            return self._open_through()
        return self._open_atomic(info)

    def _open_through(self):
        """A device, FIFO, ...: open and write it in place (a FIFO waits for its reader)."""
        self.mode = "through"
        try:
            fd = os.open(self.path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as err:
            raise OutputError(self.path, err) from None
        self.stream = _text(_GuardedRaw(self.path, fd=fd), self.encoding, self.newline)
        return self.stream

    def _open_atomic(self, info):
        self.mode = "atomic"
        self.final = os.path.realpath(self.path)  # a symbolic link: write its target
        directory, name = os.path.split(self.final)
        if info is not None and not os.access(self.final, os.W_OK):
            raise OutputError(self.path, os.strerror(errno.EACCES))
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=directory)
        except OSError as err:
            raise OutputError(self.path, err) from None
        self.mode_bits = (stat.S_IMODE(info.st_mode) if info is not None
                          else 0o666 & ~_umask())
        self.stream = _text(_GuardedRaw(self.path, fd=fd), self.encoding, self.newline)
        return self.stream

    # -- closing ------------------------------------------------------------------------
    def __exit__(self, kind, value, tb) -> bool:
        if self.mode == "stdout":
            if self.stream is not sys.stdout:
                try:
                    self.stream.flush()
                except Exception:
                    if kind is None:
                        raise
                finally:
                    self.stream.detach()  # never close stdout
                    self.stream = None
            return False
        if kind is None:
            try:
                self._commit()
            except BaseException:
                self._discard()
                raise
            return False
        self._discard()
        return False

    def _commit(self) -> None:
        stream = self.stream
        stream.flush()
        if self.mode == "through":
            try:
                stream.close()
            except OSError as err:
                raise OutputError(self.path, err) from None
            return
        fd = stream.buffer.raw.fd
        try:
            os.fsync(fd)
            os.chmod(self.tmp, self.mode_bits)  # mkstemp made it 0600
        except OSError as err:
            raise OutputError(self.path, err) from None
        try:
            stream.close()
            os.replace(self.tmp, self.final)
        except OSError as err:
            raise OutputError(self.path, err) from None
        self.tmp = None

    def _discard(self) -> None:
        """Close without raising (the buffered rest may fail to flush: that is moot) and remove
        the temporary file."""
        stream, self.stream = self.stream, None
        if stream is not None:
            raw = stream.buffer.raw
            try:
                stream.close()
            except Exception:  # the final flush failed: the descriptor must still go
                try:
                    raw.close()
                except Exception:
                    pass
        if self.tmp is not None:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.tmp = None


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def open_output(path, encoding: str = "utf-8", newline: str | None = "\n") -> AtomicOutput:
    """A context manager giving a text stream for ``path`` (``-``: stdout); see the module
    docstring for when it is atomic and when it writes through."""
    return AtomicOutput(path, encoding=encoding, newline=newline)


def write_text(path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` as :func:`open_output` does (atomic, or through a device)."""
    with open_output(path, encoding=encoding) as out:
        out.write(text)
