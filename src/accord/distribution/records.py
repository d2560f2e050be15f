"""Records from CI: commit verification and deployment records to a git branch.

Records (``verifications/<provider>/<version>.json``, ``environments/...``) are written
by many pipelines, often at the same moment. They live on a branch of their own in the
registry repository (``accord-records`` by default), so they never conflict with
contract changes on ``main`` and never need a pull request.

The writer uses git plumbing only, so it never touches a working tree or the real index
(it works in a bare repository too)::

    hash-object -w        each record's bytes -> blob
    read-tree / update-index --cacheinfo / write-tree
                          the branch tip's tree plus the records, in a private index file
    commit-tree           a commit whose parent is the tip it was built on
    update-ref            (local) compare-and-swap of refs/heads/<branch>
    push                  (``push=True``) <commit>:refs/heads/<branch>, fast-forward only

**Conflicts.** With ``push=True`` each attempt fetches the remote branch into a private
ref, rebuilds the commit on that tip and pushes it. If another pipeline pushed first,
the push is rejected as non-fast-forward; the writer waits a random, growing delay
(full jitter, capped) and starts over on the new tip: both records land, neither
pipeline rewrites the other's commit. Attempts are bounded (``max_attempts``).
Without ``push``, the local branch is moved with a compare-and-swap ``update-ref``, so
two writers in one clone also both land.

Writing a record whose bytes are already on the branch makes no commit (idempotent
re-runs of a pipeline).

Example::

    write_records("path/to/registry-repo",
                  {"verifications/orders/1.4.0.json": record},
                  message="verify orders 1.4.0", push=True)
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from accord.errors import AccordError, UsageError
from accord.gate.git import NO_NETWORK_ARGS, NO_NETWORK_ENV, not_fetched

__all__ = [
    "DEFAULT_BRANCH",
    "RECORD_DIRS",
    "RecordsResult",
    "check_record",
    "collect_records",
    "git_record_writer",
    "read_records",
    "write_records",
]

DEFAULT_BRANCH = "accord-records"
RECORD_DIRS = ("verifications", "environments")
_ZERO = "0" * 40
# Rejections another writer causes: worth a fresh attempt on the new tip.
_RETRYABLE = (
    "non-fast-forward",
    "fetch first",
    "rejected",
    "cannot lock ref",
    "failed to update ref",
    "stale info",
    "but expected",
)


@dataclass(frozen=True, slots=True)
class RecordsResult:
    """What a write did.

    Attributes:
        branch: The records branch.
        commit: The commit that holds the records (the existing tip when nothing changed).
        paths: The record paths written, sorted.
        changed: Whether a new commit was made.
        pushed: Whether it was pushed to the remote.
        attempts: How many attempts it took (1 without a conflict).
    """

    branch: str
    commit: str | None
    paths: tuple[str, ...]
    changed: bool
    pushed: bool
    attempts: int

    def to_json(self) -> dict[str, Any]:
        """The JSON form of ``accord records push --format json``."""
        return {
            "branch": self.branch,
            "commit": self.commit,
            "paths": list(self.paths),
            "changed": self.changed,
            "pushed": self.pushed,
            "attempts": self.attempts,
        }


# The git commands that reach a remote, run only when the caller asked for it.
_NETWORK_COMMANDS = frozenset({"fetch", "push", "ls-remote"})


class _GitFailed(Exception):
    def __init__(self, args: list[str], code: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args)} failed ({code}): {stderr.strip()}")
        self.stderr = stderr

    @property
    def retryable(self) -> bool:
        text = self.stderr.lower()
        return any(marker in text for marker in _RETRYABLE)


class _Git:
    def __init__(self, repo: Path, env: Mapping[str, str]) -> None:
        self.repo = repo
        self.env = dict(env)

    def run(
        self,
        *args: str,
        stdin: bytes | None = None,
        extra_env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> str:
        return (
            self.run_bytes(*args, stdin=stdin, extra_env=extra_env, check=check)
            .decode(errors="replace")
            .strip()
        )

    def run_bytes(
        self,
        *args: str,
        stdin: bytes | None = None,
        extra_env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> bytes:
        env = self.env if extra_env is None else {**self.env, **extra_env}
        # Only the fetch and push the caller asked for reach a remote: every other call
        # reads the local repository, and in a partial clone git would fetch a missing
        # blob from the promisor remote (accord never fetches behind the user's back).
        offline = args[0] not in _NETWORK_COMMANDS
        if offline:
            env = {**env, **NO_NETWORK_ENV}
        # The only place this module builds a git argv: callers put user-supplied
        # remotes and refs after "--" (or validate them with _check_remote/_check_branch).
        proc = subprocess.run(  # noqa: S603 - fixed git argv, no shell
            ["git", *(NO_NETWORK_ARGS if offline else ()), "-C", str(self.repo), *args],  # noqa: S607 - git from PATH, like every git tool
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
        if check and proc.returncode != 0:
            stderr = proc.stderr.decode(errors="replace")
            if offline and "promisor remote" in stderr:
                raise not_fetched(stderr.strip().splitlines()[-1])
            raise _GitFailed(list(args), proc.returncode, stderr)
        return proc.stdout

    def rev(self, ref: str) -> str | None:
        out = self.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False
        )
        return out or None


def _clean_path(path: str) -> str:
    pure = PurePosixPath(path.replace("\\", "/"))
    if (
        not path
        or "//" in path.replace("\\", "/")
        or path.endswith("/")
        or pure.is_absolute()
        or any(part in {"", ".", ".."} for part in pure.parts)
        or any(part.startswith(".git") for part in pure.parts)
        or "\n" in path
        or "\0" in path
    ):
        raise UsageError(
            f"record path {path!r} must be a relative path inside the records branch "
            "(no '..', no absolute path, no .git)",
            code="record-bad-path",
        )
    return pure.as_posix()


def _check_remote(remote: str) -> str:
    """``remote`` as a remote name or URL; refuses what git would read as an option."""
    if not remote or remote.startswith("-") or any(c in remote for c in "\0\n\r"):
        raise UsageError(
            f"{remote!r} is not a git remote (a remote name or URL, not starting with '-')",
            code="records-bad-remote",
        )
    return remote


def _check_branch(git: _Git, branch: str) -> str:
    """``refs/heads/<branch>``, checked with ``git check-ref-format``."""
    local_ref = f"refs/heads/{branch}"
    bad = not branch or branch.startswith("-") or any(c in branch for c in "\0\n\r")
    if not bad:
        try:
            git.run("check-ref-format", local_ref)
        except (_GitFailed, OSError):
            bad = True
    if bad:
        raise UsageError(f"{branch!r} is not a valid branch name", code="records-bad-branch")
    return local_ref


def _as_bytes(data: bytes | str | Mapping[str, Any] | list[Any]) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode()
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _git_env(author: tuple[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    # A remote is a name or a URL, never a command: no ext::/fd:: transports.
    env.setdefault("GIT_ALLOW_PROTOCOL", "file:git:http:https:ssh")
    env.pop("GIT_INDEX_FILE", None)
    name, email = author or (
        os.environ.get("GIT_AUTHOR_NAME", "accord records"),
        os.environ.get("GIT_AUTHOR_EMAIL", "accord-records@localhost"),
    )
    for role in ("AUTHOR", "COMMITTER"):
        env.setdefault(f"GIT_{role}_NAME", name)
        env.setdefault(f"GIT_{role}_EMAIL", email)
        if author is not None:
            env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = author
    return env


def _build_tree(git: _Git, tip: str | None, blobs: Mapping[str, str]) -> str:
    """The tip's tree with ``blobs`` (path -> blob id) laid over it, via a private index."""
    with tempfile.TemporaryDirectory(prefix="accord-records-") as tmp:
        index_env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if tip is None:
            git.run("read-tree", "--empty", extra_env=index_env)
        else:
            git.run("read-tree", tip, extra_env=index_env)
        info = "".join(f"100644 {blob}\t{path}\n" for path, blob in sorted(blobs.items()))
        git.run("update-index", "--add", "--index-info", stdin=info.encode(), extra_env=index_env)
        return git.run("write-tree", extra_env=index_env)


def _sleep(attempt: int, base: float, cap: float) -> None:
    # Full jitter (AWS architecture blog): spreads writers that collided apart.
    time.sleep(random.uniform(0, min(cap, base * (2**attempt))))  # noqa: S311 - not crypto


def write_records(
    repo: str | os.PathLike[str],
    records: Mapping[str, bytes | str | Mapping[str, Any] | list[Any]],
    *,
    message: str,
    branch: str = DEFAULT_BRANCH,
    remote: str = "origin",
    push: bool = False,
    max_attempts: int = 8,
    backoff: float = 0.05,
    max_backoff: float = 2.0,
    author: tuple[str, str] | None = None,
) -> RecordsResult:
    """Commit ``records`` to ``branch`` of the repository at ``repo`` (and push them).

    Args:
        repo: A git repository (a clone, or a bare repository); its working tree and
            index are never touched.
        records: Record path on the branch -> bytes, text, or a JSON value (written as
            sorted, 2-space-indented JSON with a newline).
        message: The commit message.
        branch: The records branch.
        remote: The remote pushed to (``push=True``).
        push: Fetch the remote branch, commit on its tip and push; retry on conflict.
        max_attempts: Attempts before giving up.
        backoff: Base delay of the jittered exponential backoff, in seconds.
        max_backoff: Cap of one delay.
        author: ``(name, email)`` of the commit (default: ``GIT_AUTHOR_*`` or
            ``accord records``).

    Returns:
        A :class:`RecordsResult`.

    Raises:
        UsageError: ``record-bad-path``, ``records-not-a-repo``, ``records-no-records``.
        AccordError: ``records-conflict`` when every attempt lost a race,
            ``records-git-failed`` when git fails otherwise (its message is included).
    """
    if not records:
        raise UsageError("no records to write", code="records-no-records")
    if max_attempts < 1:
        raise UsageError("max_attempts must be at least 1", code="records-bad-attempts")
    paths = {_clean_path(path): _as_bytes(data) for path, data in records.items()}
    if push:
        _check_remote(remote)
    git = _Git(Path(repo), _git_env(author))
    try:
        git.run("rev-parse", "--git-dir")
    except (_GitFailed, OSError) as exc:
        raise UsageError(
            f"{repo} is not a git repository: {exc}", code="records-not-a-repo"
        ) from None
    local_ref = _check_branch(git, branch)

    blobs = {
        path: git.run("hash-object", "-w", "--stdin", stdin=data) for path, data in paths.items()
    }
    last: _GitFailed | None = None
    for attempt in range(1, max_attempts + 1):
        scratch = f"refs/accord/fetch/{uuid.uuid4().hex}"
        try:
            tip = _fetch(git, remote, branch, scratch) if push else git.rev(local_ref)
            _refuse_unreadable(git, tip, paths, branch)
            tree = _build_tree(git, tip, blobs)
            if tip is not None and git.run("rev-parse", f"{tip}^{{tree}}") == tree:
                return RecordsResult(branch, tip, tuple(sorted(paths)), False, False, attempt)
            parents = ["-p", tip] if tip is not None else []
            commit = git.run("commit-tree", tree, *parents, "-m", message)
            if push:
                git.run("push", "--quiet", "--", remote, f"{commit}:{local_ref}")
                # Best effort: keep the local branch and tracking ref on what was pushed.
                git.run("update-ref", f"refs/remotes/{remote}/{branch}", commit, check=False)
                git.run("update-ref", local_ref, commit, check=False)
            else:
                git.run("update-ref", local_ref, commit, tip or _ZERO)
            return RecordsResult(branch, commit, tuple(sorted(paths)), True, push, attempt)
        except _GitFailed as exc:
            if not exc.retryable:
                raise AccordError(str(exc), code="records-git-failed") from None
            last = exc
        finally:
            git.run("update-ref", "-d", scratch, check=False)
        if attempt < max_attempts:
            _sleep(attempt, backoff, max_backoff)
    raise AccordError(
        f"records not written to {branch} after {max_attempts} attempts: other writers kept "
        f"winning the race ({last})",
        code="records-conflict",
    )


def _refuse_unreadable(git: _Git, tip: str | None, paths: Mapping[str, bytes], branch: str) -> None:
    """Refuse what would leave the branch unreadable by ``records pull``: a record whose
    path equals one on the branch (or another written) but for case (one file on a
    case-insensitive file system, where pull would write one over the other), or more
    records or bytes than pull reads (:func:`accord.consumers._records.check_records_cap`).
    """
    from accord.consumers._records import check_case_twins, check_records_cap

    listed = b"" if tip is None else git.run_bytes("ls-tree", "-r", "-z", "-l", tip)
    sizes: dict[str, int] = {}
    for entry in filter(None, listed.split(b"\0")):
        meta, _, raw = entry.partition(b"\t")
        size = meta.split()[-1]
        sizes[raw.decode("utf-8", "surrogateescape")] = int(size) if size.isdigit() else 0
    names = list(sizes)
    check_case_twins([path for path in paths if path not in sizes], against=names)
    sizes.update((path, len(data)) for path, data in paths.items())
    check_records_cap(
        len(sizes),
        sum(sizes.values()),
        where=f"records branch {branch!r} with these records",
        hint="nothing written (remove records that no longer matter from the branch)",
        error=UsageError,
    )


def _fetch(git: _Git, remote: str, branch: str, scratch: str) -> str | None:
    """The remote branch's tip (fetched into a private ref), or ``None`` if it is new."""
    # ls-remote first: fetching a branch that does not exist yet is an error.
    try:
        listed = git.run("ls-remote", "--heads", "--", remote, f"refs/heads/{branch}")
    except _GitFailed as exc:
        if exc.retryable:
            raise
        raise AccordError(
            f"cannot reach remote {remote!r}: add it (`git remote add {remote} URL`), name "
            "another remote or a URL (`--remote`, `site --records-remote`), or stay local "
            "(`records pull --local` and `site --records-local` read the local branch, "
            f"`records push --no-push` commits to it); {exc}",
            code="records-git-failed",
        ) from None
    if not listed:
        return None
    git.run("fetch", "--quiet", "--no-tags", "--", remote, f"+refs/heads/{branch}:{scratch}")
    return git.rev(scratch)


def collect_records(root: str | os.PathLike[str]) -> dict[str, bytes]:
    """Every record file under ``root``'s record directories (``verifications/``,
    ``environments/``), relative path -> bytes, sorted.

    What ``accord records push`` sends: a pipeline writes records locally (``accord
    verify`` does), then pushes them to the records branch in one commit.
    """
    base = Path(root)
    found: dict[str, bytes] = {}
    for directory in RECORD_DIRS:
        top = base / directory
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.startswith("."):
                continue
            found[path.relative_to(base).as_posix()] = path.read_bytes()
    return found


def _not_a_record(path: str, why: str) -> UsageError:
    return UsageError(
        f"records branch holds {path!r}, which is not a record: {why}",
        code="records-not-a-record",
        file=path,
    )


def check_record(path: str, data: bytes) -> None:
    """Refuse anything but a well-formed record at a record path.

    The records branch needs no review, so what ``records pull`` copies into the
    registry is limited to exactly two shapes, each parsed as what it claims to be:

    - ``verifications/<provider>/<version>.json``: a verification record whose
      ``provider`` and ``provider_version`` are the ones its path names;
    - ``environments/<environment>.toml``: a deployment record.

    Raises:
        UsageError: ``records-not-a-record`` naming the path (and why).
    """
    from accord.consumers._records import VERIFICATIONS_DIR, _check, is_version_label
    from accord.core.jsondoc import DEFAULT_MAX_BYTES, loads
    from accord.errors import DocumentError
    from accord.provider._deploy import ENVIRONMENTS_DIR, _parse
    from accord.provider._errors import ProviderError
    from accord.registry.names import is_valid_name

    def refuse(why: str) -> UsageError:
        return _not_a_record(path, why)

    parts = path.split("/")
    if len(data) > DEFAULT_MAX_BYTES:
        raise refuse(f"larger than {DEFAULT_MAX_BYTES} bytes")
    try:
        if (
            len(parts) == 3
            and parts[0] == VERIFICATIONS_DIR
            and is_valid_name(parts[1], what="provider")
            and parts[2].endswith(".json")
            and is_version_label(parts[2][: -len(".json")])
        ):
            doc = _check(loads(data, file=path), path)
            if (doc["provider"], doc["provider_version"]) != (parts[1], parts[2][:-5]):
                raise refuse("its provider and provider_version are not the ones its path names")
            return
        if (
            len(parts) == 2
            and parts[0] == ENVIRONMENTS_DIR
            and parts[1].endswith(".toml")
            and is_valid_name(parts[1][: -len(".toml")], what="environment")
        ):
            _parse(data, parts[1][: -len(".toml")], path)
            return
    except (DocumentError, ProviderError, UnicodeDecodeError) as exc:
        raise refuse(str(exc)) from None
    raise refuse(
        "records are verifications/<provider>/<version>.json and "
        "environments/<environment>.toml only"
    )


def _check_targets(into: Path, paths: list[str]) -> None:
    """Refuse before any write when a record cannot land as a plain file under ``into``."""
    for rel in paths:
        at = into
        for n, part in enumerate(rel.split("/")):
            at = at / part
            last = n == len(rel.split("/")) - 1
            if at.is_symlink() or (at.exists() and (at.is_dir() if last else not at.is_dir())):
                raise UsageError(
                    f"record {rel!r} collides with {at} (a "
                    f"{'symlink' if at.is_symlink() else 'directory' if last else 'file'} "
                    "there): nothing written",
                    code="records-collision",
                    file=str(at),
                )


def read_records(
    repo: str | os.PathLike[str],
    into: str | os.PathLike[str],
    *,
    branch: str = DEFAULT_BRANCH,
    remote: str | None = "origin",
) -> tuple[str, ...]:
    """Copy the records branch's records into directory ``into`` (atomic writes).

    ``remote`` given: the branch is fetched from it first (so the gate sees the records
    every pipeline pushed); ``None``: the local branch. Every file on the branch must
    be a record (:func:`check_record`); the whole set is checked before anything is
    written, so a refused pull writes nothing. Returns the paths written.

    Raises:
        UsageError: ``records-no-branch`` when the branch does not exist,
            ``records-not-a-record`` for a file that is not a record,
            ``records-collision`` when a record would replace a directory or symlink,
            ``records-bad-remote`` / ``records-bad-branch``, ``records-too-many``
            when the branch holds more than 100,000 files (before any is read),
            ``records-too-large`` when they hold more than 1 GiB in all
            (:func:`accord.consumers._records.check_records_cap`).
    """
    from accord.consumers._records import check_case_twins, check_records_cap
    from accord.core.jsondoc import DEFAULT_MAX_BYTES, atomic_write

    if remote is not None:
        _check_remote(remote)
    git = _Git(Path(repo), _git_env(None))
    scratch = f"refs/accord/fetch/{uuid.uuid4().hex}"
    try:
        local_ref = _check_branch(git, branch)
        tip = _fetch(git, remote, branch, scratch) if remote else git.rev(local_ref)
        if tip is None:
            raise UsageError(
                f"records branch {branch!r} does not exist: `accord records push` creates it",
                code="records-no-branch",
            )
        listing = git.run_bytes("ls-tree", "-r", "-z", "-l", "--full-tree", tip)
        entries = [entry for entry in listing.split(b"\0") if entry]
        hint = "nothing written (remove records that no longer matter from the branch)"
        where = f"records branch {branch!r}"
        check_records_cap(len(entries), 0, where=where, hint=hint, error=UsageError)
        wanted: dict[str, str] = {}
        total = 0
        for entry in entries:
            meta, _, raw = entry.partition(b"\t")
            path = raw.decode("utf-8", "replace")
            mode, kind, blob, size = meta.decode("ascii", "replace").split()
            if kind != "blob" or mode not in {"100644", "100755"}:
                raise _not_a_record(path, "not a regular file")
            if int(size) > DEFAULT_MAX_BYTES:
                raise _not_a_record(path, f"larger than {DEFAULT_MAX_BYTES} bytes")
            wanted[_clean_path(path)] = blob
            total += int(size)
        check_records_cap(len(entries), total, where=where, hint=hint, error=UsageError)
        contents = {rel: git.run_bytes("cat-file", "blob", blob) for rel, blob in wanted.items()}
        for rel, data in contents.items():
            check_record(rel, data)
        check_case_twins(contents)
        _check_targets(Path(into), sorted(contents))
        for rel in sorted(contents):
            target = Path(into) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, contents[rel])
        return tuple(sorted(contents))
    except _GitFailed as exc:
        raise AccordError(str(exc), code="records-git-failed") from None
    finally:
        git.run("update-ref", "-d", scratch, check=False)


def git_record_writer(
    repo: str | os.PathLike[str],
    *,
    branch: str = DEFAULT_BRANCH,
    remote: str = "origin",
    push: bool = False,
    message: str = "accord: record",
) -> Callable[[Path, str, Any], Path]:
    """A drop-in for a local ``write_record(root, relpath, data)`` that commits instead.

    The returned function writes the record locally under ``root`` (so the run's own
    report sees it) with :func:`accord.provider.write_record`, whose rules it keeps
    (only under ``verifications/`` or ``environments/``, plain names, no symlink on the
    way), and commits it to the records branch (pushing when asked).
    """
    from accord.provider import write_record as write_locally

    def write_record(root: Path, relpath: str, data: Any) -> Path:
        rel = _clean_path(relpath)
        payload = _as_bytes(data)
        target = write_locally(Path(root), rel, payload)
        write_records(
            repo,
            {rel: payload},
            message=f"{message}: {rel}",
            branch=branch,
            remote=remote,
            push=push,
        )
        return target

    return write_record
