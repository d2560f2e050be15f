"""The one inter-process file lock: ``accord.lock.lck`` for publishers, ``<record>.lock``
for verification and deployment records.

The lock is an advisory ``flock`` on the lock file, so the operating system releases it
the moment its holder exits, however it exits: a publish killed with SIGKILL leaves no
lock behind that someone must delete by hand, and no guess about whether a holder is
"stale" (by age or by pid) can break the lock of a writer that is still running. The
holder's pid is written into the file for the message a waiter prints.

The file is removed when the lock is released. A waiter that locked a file which was
removed and re-created meanwhile (its inode is no longer the one at the path) lets go and
tries again, so two processes never both believe they hold the lock.

Where ``fcntl`` does not exist (Windows), the lock falls back to creating the file with
``O_EXCL``; a holder that crashed there leaves the file, and a waiter is told its pid.

Layer: core; imports nothing from accord (the caller's ``busy`` builds its own error).
"""

from __future__ import annotations

import errno
import os
import random
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["exclusive", "holder"]


def holder(path: Path) -> int | None:
    """The pid written into the lock file ``path`` (``None`` if unreadable)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def exclusive(
    path: Path,
    *,
    timeout: float,
    busy: Callable[[int | None], Exception],
    refused: Callable[[str, str], Exception],
) -> Iterator[None]:
    """Hold the lock file ``path`` for the duration of the block.

    Args:
        path: The lock file (created if needed; its directory must exist).
        timeout: Seconds to wait for another holder.
        busy: Builds the error raised after ``timeout``, from the holder's pid.
        refused: Builds the error raised, from a code and a reason, when ``path`` is a
            symlink (``path-symlink``) or not a regular file (``path-special-file``):
            a lock file a repository brings is never followed, truncated or removed.
    """
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        fd = _try_lock(path, refused)
        if fd is not None:
            break
        if time.monotonic() > deadline:
            raise busy(holder(path))
        time.sleep(delay * (0.5 + random.random()))  # noqa: S311 - jitter, not crypto
        delay = min(delay * 2, 0.05)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        # Unlink while still holding the lock: a waiter that then locks the old inode
        # sees it is no longer at the path and tries again.
        with suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


# Never through a symlink at the lock's name, never blocking on a FIFO there.
_FLAGS = os.O_CREAT | os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK


def _try_lock(path: Path, refused: Callable[[str, str], Exception]) -> int | None:
    """A descriptor holding the lock on the file at ``path``, or ``None`` if busy."""
    if fcntl is None:  # pragma: no cover - Windows
        try:
            return os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:
            return None
    try:
        fd = os.open(path, _FLAGS, 0o644)
    except OSError as exc:
        if os.path.islink(path):  # ELOOP, or EMLINK on some BSDs
            raise refused("path-symlink", "the lock file is a symlink: delete it") from None
        if exc.errno in (errno.EISDIR, errno.ENXIO):  # a directory, a socket
            raise refused("path-special-file", "the lock file is not a regular file") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise refused("path-special-file", "the lock file is not a regular file: delete it")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    try:
        current = os.stat(path)
    except FileNotFoundError:
        current = None
    if current is None or current.st_ino != os.fstat(fd).st_ino:
        os.close(fd)  # the holder removed it as we opened it: take the new file
        return None
    return fd
