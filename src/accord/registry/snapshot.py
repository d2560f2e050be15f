"""The load snapshot: :meth:`Registry.load` of an unchanged registry without reading it.

A service loads the same registry on every start. What a load builds from it (the
contracts, their metadata, the lock, and each version as the load left it: the latest
release as its checked bytes, older published versions listed for their first use) is a
function of the files it read, the directories it listed and accord's own code. After a
load that found nothing to report, that state is written to one signed file in accord's
cache directory together with the identity of every one of those inputs: for each
directory and file read, its type, device, inode, size, modification time and change
time (what ``git status`` trusts before it hashes a file).

The next load of the same root takes the snapshot only when every input still has that
identity, so nothing under the root was written, replaced, added or removed since (any
entry created, removed or renamed changes its directory's times; any write changes the
file's). A file's change time cannot be set back by its owner, and a snapshot is only
written when every input is older than the load by :data:`_SETTLED_NS` (a write in the
same clock tick as the load's read would otherwise keep the file's times): an input
changed after the load reads has later times than the snapshot recorded. Versions the
load left unread are not inputs (their directory is): their first use reads and checks
them exactly as after a load from the files.

Trust: the file is signed with this machine's secret (:mod:`accord.core.cachedir`, never
in a git work tree) and unpickled only when the signature holds, so a snapshot a
repository brings, or one edited in place, is never read. Anything unexpected (no
secret, a missing, foreign, truncated or stale snapshot, one past :data:`_MAX_BYTES`
(not read), an error while writing) means the load reads the files, as it does without
one; ``ACCORD_LOAD_SNAPSHOT=0`` turns snapshots off.

The file's name is a digest of what a load's result depends on besides its inputs:
the root, accord's version and installation, the interpreter, the integer digit limit
and the release of each library whose checks decide what a load accepts
(:data:`accord.core.cachedir.CHECKING_LIBRARIES`, read from their ``.dist-info`` names
in one pass over ``sys.path``): after an upgrade of one, the files are read and checked
again.

This module reads and writes the file; :mod:`accord.registry.model` says what a
registry's state is (``_snapshot_state``) and builds one from it (``_restore_snapshot``).

Layer: registry.
"""

from __future__ import annotations

import copyreg
import io
import marshal
import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from accord._version import __version__
from accord.core.cachedir import MAC_BYTES as _MAC_BYTES

__all__ = ["SNAPSHOT_ENV", "enabled", "inputs_under", "read", "started", "write"]

SNAPSHOT_ENV = "ACCORD_LOAD_SNAPSHOT"
_MAGIC = b"accord-load-snapshot 1\n"
# A snapshot is read whole and unpickled: a larger file is not read (a miss). Generous:
# 1,000 contracts snapshot to a few megabytes.
_MAX_BYTES = 1 << 30
# An input changed less than this before the load started may share its times with a
# later write (a coarse file-system clock ticks every few milliseconds; some file
# systems keep whole seconds): the load then writes no snapshot.
_SETTLED_NS = 2_000_000_000


def started() -> int:
    """The wall-clock time a load starts, in the file system's unit (nanoseconds)."""
    return time.time_ns()


def enabled() -> bool:
    """Whether loads read and write snapshots (``ACCORD_LOAD_SNAPSHOT=0``: never)."""
    return os.environ.get(SNAPSHOT_ENV, "1") != "0"


def _place(root: Path) -> tuple[Path, bytes] | None:
    """The snapshot file of ``root`` (resolved) and the secret that signs it, or
    ``None`` when there is no secret (no snapshot then)."""
    from accord.core import cachedir

    directory = cachedir.cache_dir()
    secret = cachedir.signing_secret(directory)
    if secret is None:
        return None
    from _sha256 import sha256  # type: ignore[import-not-found]  # builtin, no OpenSSL

    # What a load's result depends on besides its inputs: accord's version, installation
    # (two of one version would take turns otherwise) and build (every commit between two
    # releases has one version: cachedir.accord_build), the interpreter, how many digits
    # an integer may have (a schema's longer number is refused), and the release of each
    # library whose checks decide what a load accepts.
    key = (
        str(root),
        __version__,
        os.path.dirname(os.path.abspath(__file__)),
        cachedir.accord_build(),
        sys.version,
        str(sys.get_int_max_str_digits()),
        *(
            f"{name}={version}"
            for name, version in zip(
                cachedir.CHECKING_LIBRARIES,
                cachedir.installed_versions(cachedir.CHECKING_LIBRARIES),
                strict=True,
            )
        ),
    )
    name = sha256("\0".join(key).encode("utf-8", "surrogatepass")).hexdigest()
    return directory / "snapshots" / f"{name}.bin", secret


def _mac(secret: bytes, body: bytes | memoryview) -> bytes:
    from accord.core.cachedir import mac

    return mac(secret, body)


def _identity(path: str) -> tuple[int, ...] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_mode, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# -- reading ----------------------------------------------------------------------------


def read(root: Path) -> tuple[Path, Any] | None:
    """The snapshot of the registry at ``root`` (resolved) and the state it holds, or
    ``None`` when there is none this machine signed or any of its inputs changed."""
    if not enabled():
        return None
    from accord.core.cachedir import read_entry

    try:
        place = _place(root)
        if place is None:
            return None
        path, secret = place
        data = read_entry(path, limit=_MAX_BYTES)
    except OSError:
        return None
    if data is None:
        return None
    head = len(_MAGIC) + _MAC_BYTES
    if data[: len(_MAGIC)] != _MAGIC or len(data) < head + 4:
        return None
    body = memoryview(data)[head:]
    if _mac(secret, body) != data[len(_MAGIC) : head]:
        return None
    size = int.from_bytes(body[:4], "big")
    inputs = marshal.loads(body[4 : 4 + size])  # noqa: S302 - signed by this machine's secret
    for entry, identity in inputs:
        if _identity(entry) != identity:
            return None
    try:  # the C unpickler alone: the pickle module's own imports are a boot cost
        from _pickle import loads
    except ImportError:  # an interpreter without it
        from pickle import loads

    return path, loads(body[4 + size :])  # noqa: S301 - signed by this machine's secret


# -- writing ----------------------------------------------------------------------------


def write(
    root: Path,
    inputs: list[str],
    state: Any,
    reducers: Mapping[type, Callable[[Any], Any]],
    since: int,
) -> None:
    """Write the snapshot of the registry at ``root`` (resolved): ``state`` pickled with
    ``reducers`` (how each registry object is written), valid while every path of
    ``inputs`` keeps its identity. Nothing is written when an input changed less than
    :data:`_SETTLED_NS` before ``since`` (the load's :func:`started`) or is gone.
    Never fails: a snapshot not written only costs the next load its files."""
    import pickle

    if not enabled():
        return
    try:
        found: list[tuple[str, tuple[int, ...]]] = []
        for entry in inputs:
            identity = _identity(entry)
            if identity is None or max(identity[4], identity[5]) > since - _SETTLED_NS:
                return
            found.append((entry, identity))
        place = _place(root)
        if place is None:
            return
        path, secret = place
        body = _encode(found, state, reducers)
        if len(body) + len(_MAGIC) + _MAC_BYTES > _MAX_BYTES:
            return  # it would never be read
        _write(path, _MAGIC + _mac(secret, body) + body)
        _prune(path.parent, keep=path)
    except (OSError, ValueError, TypeError, AttributeError, RecursionError, pickle.PicklingError):
        return  # no snapshot: the next load reads the files


def inputs_under(root: Path, unread: set[str]) -> list[str]:
    """Every directory under ``root``, every file in them but ``unread`` (paths from the
    root, ``/``-separated: the versions a load left unread), and accord's own source
    files (a snapshot is what this code built)."""
    paths: list[str] = []
    _walk(str(root), "", unread, paths)
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    _walk(package, "", set(), paths, only=".py")
    # The parser the load read the files with: an upgrade rewrites its package directory.
    parser = getattr(sys.modules.get("msgspec"), "__file__", None)
    if parser is not None:
        paths.append(os.path.dirname(os.path.abspath(parser)))
    return paths


def _walk(
    directory: str, rel: str, unread: set[str], out: list[str], only: str | None = None
) -> None:
    out.append(directory)
    with os.scandir(directory) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = f"{rel}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if only is None or entry.name != "__pycache__":
                    _walk(entry.path, f"{name}/", unread, out, only)
            elif name not in unread and (only is None or entry.name.endswith(only)):
                out.append(entry.path)


def _encode(
    inputs: list[tuple[str, tuple[int, ...]]],
    state: Any,
    reducers: Mapping[type, Callable[[Any], Any]],
) -> bytes:
    import pickle

    listed = marshal.dumps(inputs)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table.update(reducers)
    pickler.dispatch_table = table
    pickler.dump(state)
    return len(listed).to_bytes(4, "big") + listed + buffer.getvalue()


# Snapshots kept at most (one per registry root: checkouts, worktrees, temp copies come
# and go); past it the least recently written go, a cost only to their next load.
_KEPT = 32


def _prune(directory: Path, keep: Path) -> None:
    entries = []
    for entry in os.scandir(directory):
        if entry.name.endswith(".bin") and entry.path != str(keep):
            try:
                entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
            except OSError:
                continue
    for _, stale in sorted(entries)[: max(0, len(entries) + 1 - _KEPT)]:
        try:
            os.unlink(stale)
        except OSError:
            continue


def _write(path: Path, data: bytes) -> None:
    """``data`` at ``path`` through a temp file beside it (removed if the write fails),
    readable by this user only; no fsync: a torn snapshot fails its signature."""
    from accord.core.jsondoc import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, new_mode=0o600, durable=False)
