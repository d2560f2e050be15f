"""Where accord keeps what it reuses between runs, and the secret that signs it.

Both the content cache (:mod:`accord.core.cache`: verdicts, codegen) and the signed
entries a process trusts without re-deriving them (the startup checks' disk cache, the
registry load snapshot) live in one directory per machine: ``ACCORD_CACHE_DIR``, else
``[tool.accord] cache-dir``, else ``$XDG_CACHE_HOME/accord``, else ``~/.cache/accord``.
A directory inside a git work tree is never trusted: its files could arrive with the
change under review.

Kept apart from :mod:`accord.core.cache` so that a service's boot path (which reads a
signed snapshot) imports neither ``hashlib`` nor ``tempfile``.

Layer: kernel.
"""

from __future__ import annotations

import _thread
import functools
import os
import stat
from pathlib import Path

__all__ = [
    "CACHE_ENV",
    "CHECKING_LIBRARIES",
    "accord_build",
    "build_of",
    "cache_dir",
    "in_work_tree",
    "installed_versions",
    "machine_secret",
    "read_entry",
    "signing_secret",
]

CACHE_ENV = "ACCORD_CACHE_DIR"

# The distributions whose checks decide what accord accepts, so what it keeps is what
# their releases passed (:func:`installed_versions`; in every cache key and the load
# snapshot's): jsonschema-rs (metaschema, the reference validator, witnesses), regress
# (pattern validity), python-jsonschema with its metaschemas and referencing (what
# jsonschema-rs refuses is decided there), msgspec (the parser).
CHECKING_LIBRARIES = (
    "jsonschema_rs",
    "regress",
    "jsonschema",
    "jsonschema_specifications",
    "referencing",
    "msgspec",
)

# The secret that signs this machine's trusted entries: 32 random bytes in a file of
# accord's own cache directory (never inside a git work tree), made on first use.
MAC_BYTES = 32  # the length of a signature (:func:`mac`)
_SECRET_FILE = "signing-secret"  # noqa: S105 - a file name, not a secret
_SECRET_BYTES = 32


def cache_dir(configured: Path | None = None) -> Path:
    """The cache directory: ``ACCORD_CACHE_DIR``, else ``configured`` (``[tool.accord]
    cache-dir``), else ``$XDG_CACHE_HOME/accord``, else ``~/.cache/accord``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    if configured is not None:
        return configured
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "accord"
    return Path.home() / ".cache" / "accord"


def in_work_tree(directory: Path) -> bool:
    """Whether ``directory`` (or, when it does not exist yet, its nearest existing
    ancestor) lies inside a git work tree: some ancestor holds a ``.git`` entry, either
    as the path is written or where its symlinks lead (a ``cache-dir`` outside the
    checkout by name, such as ``/proc/self/cwd/x``, can be inside it by its target)."""
    written = directory.absolute()
    real = Path(os.path.realpath(written))
    return any(
        (parent / ".git").exists() for path in (written, real) for parent in (path, *path.parents)
    )


def machine_secret() -> bytes | None:
    """:func:`signing_secret` of accord's cache directory as it is now
    (``ACCORD_CACHE_DIR`` and ``XDG_CACHE_HOME`` may change within a process)."""
    return signing_secret(cache_dir())


@functools.cache
def signing_secret(directory: Path) -> bytes | None:
    """This machine's signing secret, or ``None`` when ``directory`` is inside a git work
    tree or cannot be read or written (what it would sign is then not kept).

    A cache key is a digest anyone can compute, and a configured cache directory may sit
    in a repository: a change under review could commit an entry that says whatever it
    likes. Only entries signed with a secret no repository can hold are believed.
    Created with ``O_EXCL`` by a hard link of a complete temp file, so concurrent first
    runs agree on one secret.
    """
    if in_work_tree(directory):
        return None
    path = directory / _SECRET_FILE
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temp = directory / f".{_SECRET_FILE}.{os.getpid()}.{_thread.get_ident()}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, os.urandom(_SECRET_BYTES))
        finally:
            os.close(fd)
        from accord.core.jsondoc import place_exclusive

        try:
            place_exclusive(temp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temp)
        return _read_secret(path)
    except OSError:
        return None


# A cache file is opened without following a symlink at its name and without blocking:
# a FIFO (or a link to one, or to /dev/zero) where an entry should be would otherwise
# hang, or fill memory on, every run that looks the entry up.
_ENTRY_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_entry(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes | None:
    """The bytes of the cache file ``path`` when it is a regular file (not a symlink,
    a FIFO or a device) of at most ``limit`` bytes (its size taken before it is read),
    else ``None``.

    Raises:
        OSError: it cannot be opened or read (a missing file: :class:`FileNotFoundError`).
    """
    fd = os.open(path, _ENTRY_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit):
            return None
        with open(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


@functools.cache
def installed_versions(distributions: tuple[str, ...]) -> tuple[str | None, ...]:
    """The version of each installed distribution of ``distributions`` (normalised names:
    ``jsonschema_rs``), ``None`` for one not installed; read once per process, without
    importing any of them.

    A distribution's metadata directory names its version, found where an import would
    find it (the first ``sys.path`` entry that has one): one listing of each entry for
    them all, stopping once all are found (importlib.metadata costs ~50 ms). One found
    in no listing (an egg or a zip) is asked of importlib.metadata.
    """
    import sys

    prefixes = {name + "-": index for index, name in enumerate(distributions)}
    found: list[str | None] = [None] * len(distributions)
    missing = len(distributions)
    for entry in sys.path:
        if not missing:
            break
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in [name for name in names if name.endswith(".dist-info")]:
            stem = name.removesuffix(".dist-info")
            cut = stem.find("-")
            index = prefixes.get(stem[: cut + 1]) if cut > 0 else None
            if index is not None and found[index] is None:
                found[index] = stem[cut + 1 :]
                missing -= 1
    if missing:
        from importlib import metadata

        for index, name in enumerate(distributions):
            if found[index] is None:
                try:
                    found[index] = metadata.version(name)
                except metadata.PackageNotFoundError:
                    continue
    return tuple(found)


# A RECORD past this is no installer's (accord's lists ~200 files, ~25 KiB): not read.
_RECORD_MAX_BYTES = 1 << 20


@functools.cache
def accord_build() -> str:
    """What names the accord code this process runs (:func:`build_of` of its package),
    read once per process: in every key of what is trusted without being derived again
    (the load snapshot, the startup checks' proofs) beside the version number, which
    every commit between two releases shares."""
    return build_of(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_of(package: str) -> str:
    """The build of the accord package in directory ``package``.

    Installed from a wheel, it is the SHA-256 of the installer's ``RECORD`` beside it
    (``accord-<version>.dist-info``), which lists a SHA-256 of every installed file:
    one small read. A source tree (a checkout on ``sys.path``, an editable install,
    whose RECORD lists no file of the package) is the relative path, size and
    modification time of each of its files, ``__pycache__`` aside: a walk of ~140
    files, ~0.3 ms. A commit checked out, or a file edited in place, is another build.
    """
    from _sha256 import sha256  # type: ignore[import-not-found]  # builtin, no OpenSSL

    from accord._version import __version__

    name = os.path.basename(package)
    record = os.path.join(os.path.dirname(package), f"{name}-{__version__}.dist-info", "RECORD")
    try:
        with open(record, "rb") as file:
            data = file.read(_RECORD_MAX_BYTES + 1)
    except OSError:
        data = b""
    if len(data) <= _RECORD_MAX_BYTES and f"\n{name}/__init__.py,".encode() in b"\n" + data:
        return f"record {sha256(data).hexdigest()}"
    digest = sha256()
    pending = [package]
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as entries:
            found = sorted(entries, key=lambda entry: entry.name)
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(entry.path)
                continue
            info = entry.stat()
            where = os.path.relpath(entry.path, package)
            line = f"{where}\0{info.st_size}\0{info.st_mtime_ns}\n"
            digest.update(line.encode("utf-8", "surrogateescape"))
    return f"files {digest.hexdigest()}"


def mac(secret: bytes, *chunks: bytes | memoryview) -> bytes:
    """A keyed BLAKE2b (builtin, 32 bytes) of ``chunks`` under ``secret``
    (:func:`signing_secret`): what the load snapshot and the content cache sign with."""
    from _blake2 import blake2b  # builtin, keyed: a MAC

    signature = blake2b(key=secret, digest_size=MAC_BYTES)
    for chunk in chunks:
        signature.update(chunk)
    return bytes(signature.digest())


def _read_secret(path: Path) -> bytes | None:
    """The secret in ``path``: a regular file (not through a symlink) of exactly
    :data:`_SECRET_BYTES` bytes that this user owns and no one else may read or write,
    else ``None``. A shared cache directory (``/tmp/accord``) may hold one that another
    user made first, knows and could sign with."""
    fd = os.open(path, _ENTRY_FLAGS)
    try:
        st = os.fstat(fd)
        geteuid = getattr(os, "geteuid", None)  # absent on Windows: no modes to read
        if geteuid is not None and (
            not stat.S_ISREG(st.st_mode) or st.st_uid != geteuid() or st.st_mode & 0o077
        ):
            return None
        data = os.read(fd, _SECRET_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == _SECRET_BYTES else None
