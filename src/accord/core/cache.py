"""The content-addressed disk cache: what ``accord check`` and ``accord codegen`` reuse.

Every entry is keyed by a SHA-256 of everything its value is a function of: the content
digests of its inputs (schema bytes, or the bundled document where a schema refers to
another file), and the *environment*: accord's version and a digest of its own source
files (so an edited checkout never reuses a verdict of other code), the release of each
library whose checks decide what accord accepts (jsonschema-rs checks every witness,
regress every pattern: :data:`accord.core.cachedir.CHECKING_LIBRARIES`) and the rule
catalogue. Equal
keys mean equal values, so one directory is safely shared by every branch, worktree and
registry of a machine, and deleting it (or any file in it) only costs time.

Where it lives (the first that applies): ``--no-cache`` (none); ``ACCORD_CACHE_DIR``;
``[tool.accord] cache-dir``; ``$XDG_CACHE_HOME/accord``; ``~/.cache/accord``. A directory
inside a git work tree (by its path or where its symlinks lead) is never used: its files
could come with the change under review.

Entries are written atomically (a temp file in the same directory, then a rename) and
carry their key and a signature of key and body (a keyed BLAKE2b under this machine's
secret, :func:`accord.core.cachedir.signing_secret`: a regular ``0600`` file this user
owns in the directory): a truncated, garbage, misplaced or forged file (another user's
in a shared ``/tmp/accord``, one signed under another secret) is a miss (and is
rewritten by the run that recomputes it), never a value. Without a secret (the
directory unwritable, or its secret another user's) nothing is read or written.
Reading or writing the cache never fails a command: it only means no reuse. Whoever
can write the secret can sign: on CI, do not restore a cache directory from a job of
code you do not trust (a fork's).

Layer: kernel.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord._version import __version__
from accord.core.cachedir import (
    CACHE_ENV,
    cache_dir,
    in_work_tree,
    installed_versions,
    mac,
    read_entry,
    signing_secret,
)

__all__ = [
    "CACHE_ENV",
    "ContentCache",
    "cache_dir",
    "environment",
    "in_work_tree",
    "installed_version",
    "make_key",
    "open_cache",
    "read_tree_digest",
    "source_identity",
]

# The on-disk layout; bump when the entry format changes (old entries become misses).
LAYOUT = "v1"
# 2: the header holds a keyed BLAKE2b of the key and body under this machine's secret
# (format 1 held a SHA-256 of the body anyone could compute: a miss now).
_MAGIC = b"accord-cache 2 "
_KEY = re.compile(r"[0-9a-f]{64}")
_KIND = re.compile(r"[a-z][a-z0-9-]{0,31}")


@functools.cache
def _source_digest() -> str:
    """SHA-256 over accord's own ``.py`` files (path and bytes), read once per process."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def installed_version(distribution: str) -> str | None:
    """The version of an installed distribution (``jsonschema_rs``, ``fastjsonschema``:
    its normalised name), or ``None``; read once per process, without importing it.

    The distribution's metadata directory names its version: reading that name costs a
    directory listing per ``sys.path`` entry, importlib.metadata (or the package) ~50 ms
    (:func:`accord.core.cachedir.installed_versions`).
    """
    return installed_versions((distribution,))[0]


@functools.cache
def _catalogue_digest() -> str:
    """SHA-256 of the files that define the rule catalogue (``core/rules.py`` and the
    compatibility rules, ``compat/_rules*.py``): read, not imported, so a key is the same
    whatever this process has imported."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in [package / "core" / "rules.py", *sorted(package.glob("compat/_rules*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment() -> tuple[str, ...]:
    """What every key includes: accord's version and source digest, the release of each
    library whose checks decide what accord accepts (the reference validator,
    jsonschema-rs, among them: :data:`accord.core.cachedir.CHECKING_LIBRARIES`) and the
    rule catalogue's digest."""
    from accord.core import cachedir

    names = cachedir.CHECKING_LIBRARIES
    return (
        f"accord {__version__}",
        f"source {_source_digest()}",
        *(
            f"{name} {version or 'none'}"
            for name, version in zip(names, cachedir.installed_versions(names), strict=True)
        ),
        f"rules {_catalogue_digest()}",
    )


# `"$ref": "<not #>` (or $dynamicRef, $recursiveRef): a reference to another file,
# found in the bytes, before any JSON decoding.
_EXTERNAL_REF = re.compile(rb'"\$[A-Za-z]*[Rr]ef"\s*:\s*"(?!#)')


def source_identity(raw: bytes, digest: str, bundled: Callable[[], Any]) -> str:
    """What a registry version's bundle is a function of, for a key: ``raw <digest>``
    when the file refers to no other file (no ``$ref`` but local ``#...`` ones, and no
    ``\\u`` escape that could spell one), else ``bundle <sha256 of the canonical bundled
    document>`` (``bundled()`` builds it: the files it embeds are in it)."""
    if b"\\u" not in raw and not _EXTERNAL_REF.search(raw):
        return f"raw {digest}"
    from accord.core.jsondoc import canonical_dumps

    text = canonical_dumps(bundled()).encode("utf-8", "surrogatepass")
    return f"bundle sha256:{hashlib.sha256(text).hexdigest()}"


def make_key(kind: str, *parts: str) -> str:
    """The key of a ``kind`` entry computed from ``parts`` in the current environment."""
    text = "\0".join((LAYOUT, kind, *environment(), *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class ContentCache:
    """One cache directory.

    Attributes:
        directory: Where entries live (``<directory>/v1/<kind>/<ab>/<key>``).
        hits, misses, rejected, written: Counts for this process (``rejected``: files
            present but refused as corrupt, truncated or misplaced).
    """

    directory: Path
    hits: int = 0
    misses: int = 0
    rejected: int = 0
    written: int = 0
    _broken: bool = field(default=False, repr=False)
    # The entry directories this instance made or found: each is made once, not
    # attempted again (a failing mkdir and a stat) for every entry written into it.
    _made: set[Path] = field(default_factory=set, repr=False, compare=False)

    def _path(self, kind: str, key: str) -> Path:
        if not _KIND.fullmatch(kind) or not _KEY.fullmatch(key):
            raise ValueError(f"bad cache kind or key: {kind!r} {key!r}")
        return self.directory / LAYOUT / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The body stored under ``key``, or ``None`` (absent, unreadable or corrupt)."""
        path = self._path(kind, key)
        secret = self._secret()
        data = None
        if secret is not None:
            try:
                data = read_entry(path)
            except OSError:
                data = None
        if secret is None or data is None:
            self.misses += 1
            return None
        head, newline, body = data.partition(b"\n")
        expected = _MAGIC + f"{key} {_mac(secret, key, body)}".encode()
        if not newline or head != expected:
            self.rejected += 1
            self.misses += 1
            return None
        self.hits += 1
        return body

    def put(self, kind: str, key: str, body: bytes) -> None:
        """Store ``body`` under ``key`` (atomically; silently nothing when the directory
        cannot be written)."""
        secret = self._secret()
        if self._broken or secret is None:
            return
        path = self._path(kind, key)
        data = _MAGIC + f"{key} {_mac(secret, key, body)}\n".encode() + body
        try:
            try:
                self._write(path, data)
            except FileNotFoundError:
                # Its directory was removed since this instance made it: make it again.
                self._made.discard(path.parent)
                self._write(path, data)
        except OSError:
            self._broken = True  # read-only or full: stop trying for this run
            return
        self.written += 1

    def _secret(self) -> bytes | None:
        """This machine's signing secret for the directory (:func:`signing_secret`), or
        ``None``: then nothing is read or written. A key is a digest anyone can compute
        and a shared directory (``ACCORD_CACHE_DIR=/tmp/accord``) may hold entries another
        user wrote: only entries signed with a secret only this user can read are
        believed (a forged "compatible" verdict would pass a breaking change)."""
        return signing_secret(self.directory)

    def _write(self, path: Path, data: bytes) -> None:
        """Write ``data`` to a temp file beside ``path`` with plain ``os.write`` (no
        buffered file object: its ``fstat``, ``isatty`` and ``lseek`` for one write),
        then rename it over ``path``.

        No fsync: an entry lost in a crash is recomputed, a torn one fails its checksum;
        the rename still makes a reader see the old file or the whole new one.
        """
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def _mac(secret: bytes, key: str, body: bytes) -> str:
    """The entry's signature: :func:`accord.core.cachedir.mac` of its key and body."""
    return mac(secret, key.encode("ascii"), b"\n", body).hex()


def open_cache(configured: Path | None = None, *, enabled: bool = True) -> ContentCache | None:
    """The cache of this run, or ``None`` when disabled (``--no-cache``) or when the
    directory lies inside a git work tree: files there can arrive with the change under
    review (a pull request could commit forged entries that carry valid keys), so such
    a directory is never read."""
    if not enabled:
        return None
    directory = cache_dir(configured)
    return None if in_work_tree(directory) else ContentCache(directory)


# A tree digest reads every file: past this size it gives up (the loader refuses such
# files anyway, and an entry keyed on the whole tree is not worth reading them).
MAX_TREE_FILE = 16 * 1024 * 1024


def read_tree_digest(root: Path, salt: bytes, *, strict: bool) -> str | None:
    """SHA-256 of the tree at ``root`` by reading it: every directory and file name
    (sorted) and every file's bytes. ``None`` when a file is over :data:`MAX_TREE_FILE`
    or the tree cannot be read whole.

    ``strict`` (codegen's no-op: whatever it cannot vouch for takes the full path): a
    symlink or special file anywhere gives ``None``, and only the root's ``.git`` is left
    out, as the registry's own walk leaves it. Otherwise a symlink counts by its target
    (not followed), a special file by its name, and every ``.git`` is left out.
    """
    digest = hashlib.sha256(salt)
    stack = [(str(root), b"")]
    try:
        while stack:
            directory, rel = stack.pop()
            subdirs = []
            for entry in sorted(os.scandir(directory), key=lambda e: e.name):
                name = rel + b"/" + os.fsencode(entry.name)
                if entry.is_symlink():
                    if strict:
                        return None
                    digest.update(b"\0L" + name + b"\0" + os.fsencode(os.readlink(entry.path)))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name != ".git" or (strict and rel != b""):
                        digest.update(b"\0D" + name)
                        subdirs.append((entry.path, name))
                elif entry.is_file(follow_symlinks=False):
                    if entry.stat(follow_symlinks=False).st_size > MAX_TREE_FILE:
                        return None
                    with open(entry.path, "rb") as handle:
                        body = handle.read()
                    digest.update(b"\0F" + name + b"\0" + str(len(body)).encode() + b"\0")
                    digest.update(body)
                elif strict:
                    return None
                else:
                    digest.update(b"\0S" + name)
            stack.extend(reversed(subdirs))
    except OSError:
        return None
    return digest.hexdigest()
