"""Writing records under the registry, safely with concurrent writers.

Two operations make the whole writer interface (a git-backed writer can swap in with
the same two functions):

- :func:`write_record` replaces a file atomically (unique temp file in the same
  directory, ``fsync``, ``os.replace``): a reader sees the old or the new bytes,
  never a torn file;
- :func:`update_record` reads, changes and writes a file under an exclusive lock
  (``<file>.lock``, :mod:`accord.core.filelock`: released by the operating system when
  its holder exits, so a crashed writer leaves nothing to break), so two writers merging
  into the same file never lose each other's changes, across threads and processes.

:func:`record_verification` merges a verification run into
``verifications/<provider>/<provider-version>.json`` (the format is defined in
:mod:`accord.consumers._records`): results are keyed by consumer, expectation file and
digest (which covers the consumer's version and branch). A newer result replaces only
the older result of the same key (the same expectation re-verified); results of other
consumer versions or contents accumulate, so re-recording a provider version never
drops what it was verified against before.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from accord.provider._errors import ProviderError

__all__ = ["locked", "record_verification", "update_record", "write_record"]

_ALLOWED_TOP = ("verifications", "environments")


def _target(root: str | Path, relpath: str) -> Path:
    root = Path(root)
    pure = PurePosixPath(relpath)
    if (
        pure.is_absolute()
        or not pure.parts
        or pure.parts[0] not in _ALLOWED_TOP
        or any(p in ("..", ".", "") or p.startswith(".") for p in pure.parts)
        or "\\" in relpath
    ):
        raise ProviderError(
            f"refusing to write record {relpath!r}: records live under "
            f"{' or '.join(_ALLOWED_TOP)}/ with plain names",
            code="record-bad-name",
        )
    _refuse_symlinks(root, pure.parts)
    path = root.joinpath(*pure.parts)
    if path.parent.is_dir():
        # The names as stored: on a case-insensitive file system `1.0.0-rc.json` would
        # open (and replace) an existing `1.0.0-RC.json`.
        from accord.consumers._records import check_case_twins

        parent = PurePosixPath(*pure.parts[:-1])
        check_case_twins(
            [pure.as_posix()], against=[str(parent / n) for n in os.listdir(path.parent)]
        )
    return path


def _refuse_symlinks(root: Path, parts: tuple[str, ...]) -> None:
    """Refuse a symlink at any name of ``parts`` below ``root`` (a directory on the way
    or the record itself): it can point anywhere, and the registry refuses it anyway.

    Raises:
        ProviderError: ``path-symlink``, naming the link.
    """
    current = root
    for depth, part in enumerate(parts, start=1):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return  # nothing exists below a missing name
        if stat.S_ISLNK(mode):
            where = "/".join(parts[:depth])
            raise ProviderError(
                f"refusing to write record {'/'.join(parts)!r}: {where} is a symlink "
                "(symlinks are not allowed in a registry: they can point outside it)",
                code="path-symlink",
                file=where,
            )


def write_record(root: str | Path, relpath: str, data: bytes) -> Path:
    """Atomically replace ``<root>/<relpath>`` with ``data``; returns the path."""
    from accord.core.jsondoc import atomic_write

    path = _target(root, relpath)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
    return path


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """Hold ``<path>.lock`` exclusively for the duration of the block
    (:mod:`accord.core.filelock`: a crashed writer holds nothing).

    Raises:
        ProviderError: ``record-lock-timeout`` when the lock is not free in time.
    """
    from accord.core.filelock import exclusive

    lock = path.with_name(path.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)

    def busy(holder: int | None) -> ProviderError:
        return ProviderError(
            f"{lock} has been held for over {timeout:g}s"
            + (f" by process {holder}" if holder else "")
            + ": another accord is writing this record",
            code="record-lock-timeout",
        )

    def refused(code: str, reason: str) -> ProviderError:
        return ProviderError(f"{lock}: {reason}", code=code, file=str(lock))

    with exclusive(lock, timeout=timeout, busy=busy, refused=refused):
        yield


def update_record(
    root: str | Path,
    relpath: str,
    update: Callable[[bytes | None], bytes],
    *,
    timeout: float = 30.0,
) -> Path:
    """Read ``<root>/<relpath>`` (``None`` if absent), write ``update(old)``, under a lock."""
    from accord.core.jsondoc import atomic_write, read_regular

    path = _target(root, relpath)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path, timeout=timeout):
        try:
            # a regular file only: a directory in its place is refused, not a crash
            old: bytes | None = read_regular(
                path, display=relpath, max_bytes=None, error=ProviderError
            )
        except ProviderError as exc:
            if exc.code != "file-not-found":
                raise
            old = None
        new = update(old)
        if new != old:
            atomic_write(path, new)
    return path


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def merge_verification(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """``new`` merged into ``old``: results keyed by (consumer, expectation, digest)."""
    if old is None:
        merged = dict(new)
        merged["results"] = sorted(new["results"], key=_result_key)
        return merged
    results = {_result_key(r): r for r in old.get("results", [])}
    for r in new["results"]:
        results[_result_key(r)] = r
    merged = {**old, **{k: v for k, v in new.items() if k != "results"}}
    merged["verified_at"] = max(str(old.get("verified_at", "")), str(new["verified_at"]))
    merged["results"] = [results[k] for k in sorted(results)]
    return merged


def _result_key(result: dict[str, Any]) -> tuple[str, str, str]:
    return (
        str(result.get("consumer")),
        str(result.get("expectation", result.get("digest"))),
        str(result.get("digest")),
    )


def record_verification(root: str | Path, record: dict[str, Any]) -> Path:
    """Merge ``record`` into ``verifications/<provider>/<provider-version>.json``.

    Its ``verified_at`` times are UTC, written ``YYYY-MM-DDTHH:MM:SSZ`` (as
    ``accord verify --record`` writes them); readers compare them as text.

    Raises:
        DocumentError: ``record`` or the existing record is not valid (``record-invalid``;
            nothing is written).
        ProviderError: ``record-lock-timeout``.
    """
    from accord.consumers._records import _check, record_path
    from accord.core.jsondoc import loads

    root = Path(root)
    path = record_path(root, record["provider"], record["provider_version"])
    relpath = path.relative_to(root).as_posix()
    _check(record, relpath)

    def update(old: bytes | None) -> bytes:
        previous = _check(loads(old, file=relpath), relpath) if old is not None else None
        return _dump(merge_verification(previous, record))

    return update_record(root, relpath, update)
