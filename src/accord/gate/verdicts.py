"""Per-pair diff verdicts of ``accord check``, kept in the disk cache (:mod:`accord.core.cache`).

A verdict is the :class:`~accord.compat.Report` of one (older, newer) version pair under
one mode, with the contract's rule overrides, before consumers are named (that is read
fresh on every run). Its key holds everything the report is a function of:

- each side's *identity*: ``raw <sha256 of the file's bytes>`` when the file refers to
  no other file (no ``$ref`` but local ``#...`` ones, and no ``\\u`` escape that could
  spell one), else ``bundle <sha256 of the bundled document>`` (the files it embeds);
- the mode, the contract's ``[rules.<id>]`` overrides, the registry settings
  (``accord.toml``: caps and policies);
- the environment (accord's version and source digest, jsonschema-rs's version, the
  rule catalogue).

A whole run of the gate is kept too (``accord.gate.check``): the ``GateReport`` of
``check()``, keyed by the digest of every file under the registry root
(:func:`accord.core.cache.tree_digest`), the base commit of ``--against``, every option
and the environment; a re-run on an unchanged registry then reads one entry instead of
loading and checking every version.

A report is stored only when it reads back equal to itself (JSON cannot hold it
otherwise: such a verdict is just recomputed), and a stored body that does not decode
to a report is a miss. Nothing here can turn a damaged file into a verdict. Consumer
impacts are never encoded, so a whole run whose changes name a consumer (any status) is
recomputed every time: a missed cache, not a stale one (``accord check``'s printed output
is still kept, under the same run key, which reads every expectation and record file).

Layer: gate.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from accord.core.cache import MAX_TREE_FILE, read_tree_digest
from accord.core.jsondoc import sorted_dumps

if TYPE_CHECKING:
    from accord.compat import Change, DirectionResult, Report, Witness
    from accord.core.cache import ContentCache
    from accord.registry.model import ContractVersion, Registry

T = TypeVar("T")

__all__ = [
    "BUMPS",
    "KIND",
    "change_from_json",
    "choice",
    "decode",
    "encode",
    "load",
    "load_entry",
    "pair_key",
    "report_from_json",
    "store",
    "store_entry",
    "text",
    "tree_digest",
]

KIND = "diff-verdict"


def identity(registry: Registry, version: ContractVersion) -> str:
    """What a version's bundle is a function of (:func:`accord.core.cache.source_identity`)."""
    from accord.core.cache import source_identity

    return source_identity(version.raw, version.digest, lambda: registry.bundle(version))


def pair_key(
    registry: Registry, old: ContractVersion, new: ContractVersion, mode: str, rules: str
) -> str:
    from accord.core.cache import make_key

    return make_key(
        KIND,
        old.ref,
        new.ref,
        identity(registry, old),
        identity(registry, new),
        mode,
        rules,
        repr(registry.settings),
    )


def encode(report: Report) -> bytes | None:
    """The JSON form of ``report``, or ``None`` when it would not read back equal."""
    if any(change.consumers for change in report.changes):
        return None
    body = stored_report(report)
    try:
        data = sorted_dumps(body).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return None
    return data if decode(data) == report else None


def decode(data: bytes) -> Report | None:
    """The report stored in ``data``, or ``None`` when it is not one."""
    try:
        return report_from_stored(json.loads(data))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def stored_report(report: Report) -> dict[str, Any]:
    """``report`` as stored: its JSON form, its sides, and the per-direction results the
    engine recorded (``to_json`` also shows the ones it derives; reading those back
    would build a different report)."""
    return {
        "report": report.to_json(),
        "old": report.old,
        "new": report.new,
        "recorded": {
            "report": [_result_json(r) for r in report.directions],
            "changes": [[_result_json(r) for r in c.directions] for c in report.changes],
        },
    }


def report_from_stored(body: Any) -> Report:
    """The report :func:`stored_report` stored (raises on anything else)."""
    import dataclasses

    report = report_from_json(body["report"], old=text(body["old"]), new=text(body["new"]))
    recorded = body["recorded"]
    changes = recorded["changes"]
    if len(changes) != len(report.changes):
        raise ValueError("one list of results per change")
    return dataclasses.replace(
        report,
        directions=tuple(_result_from_json(r) for r in recorded["report"]),
        changes=tuple(
            dataclasses.replace(c, directions=tuple(_result_from_json(r) for r in rs))
            for c, rs in zip(report.changes, changes, strict=True)
        ),
    )


def stored_change(change: Change) -> dict[str, Any]:
    """One change as stored (its JSON form and its recorded per-direction results)."""
    return {"change": change.to_json(), "recorded": [_result_json(r) for r in change.directions]}


def change_from_stored(shape: Any) -> Change:
    """The change :func:`stored_change` stored (raises on anything else)."""
    import dataclasses

    return dataclasses.replace(
        change_from_json(shape["change"]),
        directions=tuple(_result_from_json(r) for r in shape["recorded"]),
    )


def _result_json(result: DirectionResult) -> dict[str, Any]:
    return {"direction": result.direction, **result.to_json()}


def _result_from_json(shape: Any) -> DirectionResult:
    from accord.compat import DirectionResult

    return DirectionResult(
        direction=choice(shape["direction"], ("backward", "forward")),
        status=choice(shape["status"], ("proven", "refuted", "policy", "unproven")),
        witness=_witness_from_json(shape["witness"]),
        policy=None if shape["policy"] is None else text(shape["policy"]),
        reason=text(shape["reason"]),
    )


def _witness_from_json(shape: Any) -> Witness | None:
    from accord.compat import Witness

    if shape is None:
        return None
    return Witness(
        payload=shape["payload"],
        accepted_by=choice(shape["accepted_by"], ("old", "new")),
        rejected_by=choice(shape["rejected_by"], ("old", "new")),
    )


def change_from_json(c: Any) -> Change:
    from accord.compat import Change

    if c["severity"] not in ("error", "warning", "info"):
        raise ValueError("not a severity")
    if c["status"] not in ("proven", "unproven", "policy"):
        raise ValueError("not a status")
    if c["consumers"]:
        raise ValueError("consumers are never stored")
    return Change(
        rule=text(c["rule"]),
        severity=c["severity"],
        status=c["status"],
        schema_path=text(c["schema_path"]),
        instance_path=text(c["instance_path"]),
        breaks=tuple(choice(b, ("backward", "forward")) for b in c["breaks"]),
        message=text(c["message"]),
        witness=_witness_from_json(c["witness"]),
    )


def report_from_json(shape: Any, *, old: str, new: str) -> Report:
    from accord.compat import Report

    return Report(
        mode=text(shape["mode"]),
        semantics=choice(shape["semantics"], ("contract", "set")),
        compatible=flag(shape["compatible"]),
        backward=flag(shape["backward"]),
        forward=flag(shape["forward"]),
        required_bump=choice(shape["required_bump"], BUMPS),
        changes=tuple(change_from_json(c) for c in shape["changes"]),
        old=old,
        new=new,
        format_version=shape["format_version"],
    )


BUMPS = ("none", "patch", "minor", "major")


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def choice(value: Any, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise ValueError(f"not one of {allowed}")
    return value


def load_entry(
    cache: ContentCache, kind: str, key: str, read: Callable[[bytes], T | None]
) -> T | None:
    """The value stored under ``kind``/``key``, or ``None`` (absent, or ``read`` does
    not take it: counted as rejected)."""
    data = cache.get(kind, key)
    if data is None:
        return None
    value = read(data)
    if value is None:
        cache.rejected += 1
    return value


def store_entry(
    cache: ContentCache, kind: str, key: str, write: Callable[[T], bytes | None], value: T
) -> None:
    """Keep ``value`` under ``kind``/``key`` when ``write`` can store it (it reads back equal)."""
    data = write(value)
    if data is not None:
        cache.put(kind, key, data)


def load(cache: ContentCache, key: str) -> Report | None:
    """The verdict stored under ``key``, or ``None`` (absent or not a report)."""
    return load_entry(cache, KIND, key, decode)


def store(cache: ContentCache, key: str, report: Report) -> None:
    """Keep ``report`` under ``key`` when it reads back equal."""
    store_entry(cache, KIND, key, encode, report)


# -- the digest of a whole registry tree ---------------------------------------------


def _read_digest(root: Path) -> str | None:
    """:func:`tree_digest` by reading every file."""
    return read_tree_digest(root, b"read\0", strict=False)


def tree_digest(root: Path) -> str | None:
    """SHA-256 of everything under ``root``: every name, its kind, a file's content, a
    symlink's target (not followed); ``.git`` directories are left out. Two trees with
    the same digest load identically. ``None`` when a file is over 16 MiB or the tree
    cannot be read whole.

    In a git work tree the content of every file git tracks unchanged is its blob id
    (git's index already holds it, and ``git status`` re-reads whatever it cannot vouch
    for by its stat data); only the tracked paths git reports as changed are read, and
    every entry the walk of the tree finds that git does not track (untracked, ignored,
    special files, which ``git status`` does not even list), plus the list of
    directories (git does not track empty ones). The walk replaces git's own untracked
    scan, which walked the same tree again (half of ``git status``'s time at 5,000
    contracts). Anything git cannot vouch for (assume-unchanged or skip-worktree
    entries, conflicts, submodules) falls back to reading every file.

    Within a :func:`accord.gate.git.session` the tree is digested once (``accord check``
    keys its output and its run on the same digest).
    """
    from accord.gate import git

    return git.remembered(("tree", os.path.abspath(root)), lambda: _tree_digest(root))


def _tree_digest(root: Path) -> str | None:
    from accord.gate import git

    state = git.worktree_state(root)
    if state is None:
        return _read_digest(root)
    walked = _walk(root, state.tracked)
    if walked is None:
        return None
    directories, untracked, listed = walked
    digest = hashlib.sha256(b"git\0" + state.index)
    for rel in sorted({*state.changed, *untracked}):
        if rel.endswith("/"):
            return _read_digest(root)  # a whole directory reported: read it all
        entry = _entry_digest(root / rel)
        if entry is None:
            return None
        digest.update(b"\0C" + os.fsencode(rel) + b"\0" + entry)
    for rel in sorted(directories):
        digest.update(b"\0D" + os.fsencode(rel))
    # The registry load of the same run lists these directories again: it takes them
    # from here (the tree digested is then the tree loaded).
    git.remembered((LISTING, os.fspath(Path(root).resolve())), lambda: listed)
    return digest.hexdigest()


def _walk(
    root: Path, tracked: frozenset[str]
) -> tuple[list[str], list[str], dict[str, list[os.DirEntry[str]]]] | None:
    """Every directory under ``root`` (``.git`` left out), every other entry git does
    not track (untracked, ignored, special files: paths relative to ``root``,
    ``/``-separated) and the listing of each directory; ``None`` when one cannot be
    listed."""
    top = os.fspath(Path(root).resolve())
    stack = [(top, "")]  # a directory's path, and its path from the root with a "/"
    directories: list[str] = []
    untracked: list[str] = []
    listed: dict[str, list[os.DirEntry[str]]] = {}
    try:
        while stack:
            here, lead = stack.pop()
            listed[here] = entries = sorted(os.scandir(here), key=_NAME)
            for entry in entries:
                rel = lead + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != ".git":
                        directories.append(rel)
                        stack.append((entry.path, rel + "/"))
                elif rel not in tracked:
                    untracked.append(rel)
    except OSError:
        return None
    return directories, untracked, listed


# A listing's sort key, without a Python call per entry (5,000 directories, 20,000 entries).
_NAME = operator.attrgetter("name")


def _entry_digest(path: Path) -> bytes | None:
    """What the tree digest holds of one path git cannot vouch for: a link's target, a
    file's bytes, that a special file or nothing is there; ``None`` when it cannot be
    read or a file is over the cap."""
    try:
        if path.is_symlink():
            return b"L" + os.fsencode(os.readlink(path))
        if path.is_file():
            if path.stat().st_size > MAX_TREE_FILE:
                return None
            return b"F" + path.read_bytes()
        return b"S" if path.exists() else b"gone"
    except OSError:
        return None


# The key of a tree digest's directory listing in the git session (with the root's path).
LISTING = "listing"
