"""Decide that a generated package is up to date without loading the registry.

A run that leaves the package up to date (it wrote it, or ``--check`` found nothing
stale) keeps in the cache, under the registry root, the output directory and the
package (plus what every key holds: accord's version and source digest, and here the
generator pin, its options and the installed fastjsonschema version), two things: the
digest of the registry's whole tree, read *before* that run loaded it (every name, kind
and byte under the root), and the sha256 of every file of the package. A later run whose
tree digest and package files are all the same would load, bundle, render and write
exactly what is there: it is answered from those digests, importing nothing heavy (no
generator, no pydantic, no validator backend).

Anything else takes the full path, which decides as it always did: a changed, added or
removed file or directory anywhere under the root, a symlink or special file there, a
hand-edited, deleted or added generated file, another accord, generator pin, option set
or fastjsonschema, a missing or damaged entry, no cache (``--no-cache``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.codegen._fast import FAST_GENERATOR, FAST_OPTIONS, fast_generator_version
from accord.codegen._render import GENERATOR, GENERATOR_VERSION, OPTIONS_KEY
from accord.core.cache import read_tree_digest
from accord.core.jsondoc import canonical_dumps

if TYPE_CHECKING:
    from accord.core.cache import ContentCache

__all__ = ["KIND", "package_files", "recorded", "remember", "tree_inputs"]

KIND = "codegen-noop"


def tree_inputs(root: Path) -> str | None:
    """SHA-256 of the registry tree at ``root``: every directory and file name (sorted)
    and every file's bytes; ``.git`` at the root is left out, as the registry's own walk
    leaves it. ``None`` when the tree holds a symlink or a special file (the full load
    reports those), a file over 16 MiB, or cannot be read whole."""
    return read_tree_digest(root, b"accord-codegen-tree 1\0", strict=True)


def _key(root: Path, out_dir: Path, package: str) -> str:
    from accord.core.cache import make_key

    return make_key(
        KIND,
        os.fsdecode(root.resolve()),
        os.fsdecode(out_dir.resolve()),
        package,
        f"{GENERATOR} {GENERATOR_VERSION}",
        OPTIONS_KEY,
        f"{FAST_GENERATOR} {fast_generator_version()}",
        canonical_dumps(FAST_OPTIONS),
    )


def package_files(out_dir: Path, package: str) -> set[str]:
    """Every file (and symlink) under ``out_dir / package``, relative to ``out_dir``,
    ``__pycache__`` left out; no link is followed. A file accord does not write there (a
    module added by hand, an extension module Python imports before the ``.py`` beside
    it) is importable from the package, so the package is not up to date. (One
    ``scandir`` per directory and string paths: the no-op run pays this walk, ~0.6 ms for
    a package of 400 files, against ~4.5 ms through ``os.walk`` and ``Path``.)"""
    cut = len(os.path.join(out_dir, ""))
    found: set[str] = set()
    pending = [os.path.join(out_dir, package)]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:  # gone, or not a directory: nothing there to import
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):  # a link is listed, not walked
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                else:
                    found.add(entry.path[cut:].replace(os.sep, "/"))
    return found


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def recorded(
    cache: ContentCache | None, root: Path, out_dir: Path, package: str, inputs: str | None
) -> tuple[str, ...] | None:
    """The package's files (relative to ``out_dir``, sorted) when a run with the same
    tree digest ``inputs`` left them exactly as they are now, else ``None``."""
    if cache is None or inputs is None:
        return None
    kept = cache.get(KIND, _key(root, out_dir, package))
    try:
        value: Any = json.loads(kept) if kept is not None else None
        files = value["files"] if value["inputs"] == inputs else None
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(files, dict) or not files:
        return None
    for rel, digest in files.items():
        if not isinstance(rel, str) or not isinstance(digest, str):
            return None
        if not rel.startswith(package + "/") or ".." in rel.split("/"):
            return None
        try:
            data = (out_dir / rel).read_bytes()
        except OSError:
            return None
        if _sha(data) != digest:
            return None
    if package_files(out_dir, package) != set(files):
        return None
    return tuple(sorted(files))


def remember(
    cache: ContentCache | None,
    root: Path,
    out_dir: Path,
    package: str,
    *,
    inputs: str | None,
    files: Mapping[str, bytes],
) -> None:
    """Keep ``inputs`` (the tree digest read before the registry was loaded) and the
    digest of every file of the up-to-date package."""
    if cache is None or inputs is None:
        return
    body = {"inputs": inputs, "files": {rel: _sha(data) for rel, data in sorted(files.items())}}
    cache.put(KIND, _key(root, out_dir, package), json.dumps(body, sort_keys=True).encode())
