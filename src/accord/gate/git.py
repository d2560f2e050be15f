"""Reading registry trees straight from git, without a second checkout.

``accord check --against REF`` compares the working tree with another commit. Checking
that commit out (a worktree, a temp clone) is slow on big repositories and racy in CI;
git can answer everything needed directly:

- ``git merge-base REF HEAD``: the commit the branch started from;
- ``git ls-tree -r -z <commit> -- <registry>``: every file's path and blob id;
- ``git cat-file --batch``: the bytes of the few blobs that are needed.

Working-tree files are compared by *blob id* (``sha1("blob <size>\\0" + bytes)``), so
unchanged files are recognised without reading anything from git. Every failure is a
:class:`~accord.errors.UsageError` (exit 2) with a stable code and a hint.
"""

from __future__ import annotations

import contextvars
import difflib
import hashlib
import os
import string
import subprocess
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from accord.errors import UsageError

__all__ = [
    "NO_NETWORK_ARGS",
    "NO_NETWORK_ENV",
    "GitTree",
    "WorktreeState",
    "blob_id",
    "is_shallow",
    "merge_base",
    "not_fetched",
    "read_tree",
    "remembered",
    "repo_root",
    "rev_parse",
    "session",
    "submodule_at",
    "worktree_state",
]

T = TypeVar("T")

# The answers of one session (None: no session open, every question goes to git).
_ANSWERS: contextvars.ContextVar[dict[Hashable, object] | None] = contextvars.ContextVar(
    "accord_git_answers", default=None
)


@contextmanager
def session() -> Iterator[None]:
    """Within it, each question about the repository (its top level, the commit of a ref,
    a merge-base, the state of the work tree) is asked of git once: one ``accord check
    --against`` run asked git 29 times, each a process. Only answers are kept (a failure
    is asked again, and raises again); a nested session shares the open one.
    """
    if _ANSWERS.get() is not None:
        yield
        return
    token = _ANSWERS.set({})
    try:
        yield
    finally:
        _ANSWERS.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its answer of earlier in the open :func:`session`."""
    answers = _ANSWERS.get()
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]  # type: ignore[return-value]


SHALLOW_HINT = (
    "the clone is shallow and does not contain the merge-base: fetch the full history "
    "(actions/checkout: `fetch-depth: 0`; elsewhere: `git fetch --unshallow`)"
)


def _git(repo: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    """Run ``git -C repo args``; raise UsageError with git's own message on failure."""
    env = dict(os.environ)
    # Never prompt, never page, never read the user's replace refs or grafts.
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_NO_REPLACE_OBJECTS": "1"})
    env.update(NO_NETWORK_ENV)
    try:
        # The executable is git from PATH and every argument is a list item: no shell.
        done = subprocess.run(  # noqa: S603
            ["git", *NO_NETWORK_ARGS, *_FULL_STAT_ARGS, "-C", str(repo), *args],  # noqa: S607
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed or not on PATH: --against needs git", code="git-not-found"
        ) from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        if "promisor remote" in message:
            raise not_fetched(message.splitlines()[-1])
        raise UsageError(f"git {args[0]} failed: {message}", code="git-failed")
    return done.stdout


# A partial clone (``--filter=blob:none``) fetches a missing object from its promisor
# remote when asked for it; accord never reaches the network at run time. Lazy fetching
# is off (GIT_NO_LAZY_FETCH: git >= 2.44, and 2.39.4+/2.43.4+ security releases) and, for
# any git that ignores it, every transport is refused, so the fetch it starts fails.
NO_NETWORK_ENV = MappingProxyType(
    {"GIT_NO_LAZY_FETCH": "1", "GIT_PROTOCOL_FROM_USER": "0", "GIT_TERMINAL_PROMPT": "0"}
)
NO_NETWORK_ARGS = ("-c", "protocol.allow=never")

# `git status` vouches for a tracked file by its stat data; a user's core.checkStat =
# minimal or core.trustctime = false has it compare mtime and size alone, so an edit
# keeping both (restored by `touch -d`, rsync -t, a tar extract) is clean to git and a
# whole-run cache entry keyed on git's index would answer for the bytes before it.
_FULL_STAT_ARGS = ("-c", "core.checkStat=default", "-c", "core.trustctime=true")

NOT_FETCHED_HINT = (
    "this is a partial clone (--filter) and accord never fetches: fetch the objects "
    "yourself (`git fetch --refetch --no-filter origin`, or a full clone)"
)


def not_fetched(detail: str) -> UsageError:
    """The error for an object a partial clone does not hold (``detail``: git's words)."""
    return UsageError(
        f"a git object accord needs is not in the repository ({detail}): {NOT_FETCHED_HINT}",
        code="git-object-not-fetched",
    )


def repo_root(path: Path) -> Path:
    """The top level of the git work tree containing ``path``.

    Raises:
        UsageError: ``git-not-a-repository``.
    """
    directory = path if path.is_dir() else path.parent
    try:
        out = remembered(
            ("top", os.path.abspath(directory)),
            lambda: _git(directory, "rev-parse", "--show-toplevel"),
        )
    except UsageError as exc:
        if exc.code == "git-not-found":
            raise
        raise UsageError(
            f"{path} is not inside a git repository: --against compares with a git ref",
            code="git-not-a-repository",
            file=str(path),
        ) from None
    return Path(out.decode("utf-8").strip()).resolve()


def rev_parse(repo: Path, ref: str) -> str:
    """The commit id ``ref`` names.

    Raises:
        UsageError: ``git-unknown-ref`` (with a shallow-clone hint when it applies).
    """
    if not isinstance(ref, str) or ref.startswith("-") or "\0" in ref:
        raise UsageError(f"{ref!r} is not a git ref", code="git-unknown-ref")
    out = remembered(
        ("commit", str(repo), ref),
        lambda: _git(
            repo,
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{ref}^{{commit}}",
            check=False,
        ),
    )
    commit = out.decode("ascii", "replace").strip()
    # A range (a..b, ^a) prints other things than one object id: none names a commit.
    if not commit or commit.strip(string.hexdigits):
        raise UsageError(
            f"git ref {ref!r} does not name a commit{_unknown_ref_hint(repo, ref)}",
            code="git-unknown-ref",
        )
    _refuse_shadowed(repo, ref)
    return commit


# Where git looks a short name up, in its order (gitrevisions(7)): a ref earlier in this
# list shadows a later one of the same name.
_REF_PLACES = (
    "refs/{}",
    "refs/tags/{}",
    "refs/heads/{}",
    "refs/remotes/{}",
    "refs/remotes/{}/HEAD",
)


def _refuse_shadowed(repo: Path, ref: str) -> None:
    """Refuse a name two refs answer at different commits: git silently takes the first
    (a tag ``main`` before the branch, ``refs/tags/origin/main`` before the remote
    branch), so whoever may push a tag but not the base branch chose the base.

    Raises:
        UsageError: ``git-ambiguous-ref``, naming each ref and where it points.
    """
    import re

    name = re.split(r"[~^:]|@\{", ref, maxsplit=1)[0]
    if not name or name == "@" or name.startswith("refs/"):
        return
    places = [place.format(name) for place in _REF_PLACES]
    out = remembered(
        ("refs", str(repo), name),
        lambda: _git(
            repo,
            "for-each-ref",
            "--format=%(refname)%00%(objectname)%00%(*objectname)",
            "--end-of-options",
            *places,
            check=False,
        ),
    )
    found: dict[str, str] = {}
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        refname, _, ids = line.partition("\0")
        direct, _, peeled = ids.partition("\0")
        if refname in places:
            found[refname] = peeled or direct
    if len(set(found.values())) > 1:
        listed = ", ".join(f"{r} ({found[r][:12]})" for r in places if r in found)
        raise UsageError(
            f"git ref {name!r} names several refs at different commits: {listed}; git "
            "would take the first without a word: name the one meant in full (e.g. "
            f"--against {next(r for r in reversed(places) if r in found)})",
            code="git-ambiguous-ref",
        )


def _unknown_ref_hint(repo: Path, ref: str) -> str:
    """What to do about a ref that names no commit: a fresh ``git init`` has no commit
    at all (not even ``HEAD``), so fetching would not help there; a ref close to a
    branch or tag is most likely a typo of it; ``remote/branch`` is fetched as such."""
    if is_shallow(repo):
        return f"; {SHALLOW_HINT}"
    head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    if not head.strip():
        return (
            f"; the repository at {repo} has no commit yet: commit the registry first"
            " (`git add` and `git commit`), then compare with a branch that has it"
        )
    listed = _git(
        repo,
        "for-each-ref",
        "--format=%(refname:short)",
        "refs/heads",
        "refs/remotes",
        "refs/tags",
        check=False,
    )
    close = difflib.get_close_matches(ref, listed.decode("utf-8", "replace").split(), n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    remote, slash, branch = ref.partition("/")
    # Only a name git could call a remote (`:/text` searches commit messages).
    if (
        slash
        and remote
        and branch
        and remote.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        return f" (fetch it first, e.g. `git fetch {remote} {branch}`)"
    return " (fetch it first, e.g. `git fetch origin main`)"


def superproject(repo: Path) -> Path | None:
    """The work tree of the superproject when ``repo`` is a submodule's, else ``None``."""
    out = remembered(
        ("superproject", str(repo)),
        lambda: _git(repo, "rev-parse", "--show-superproject-working-tree", check=False),
    )
    text = out.decode("utf-8", "surrogateescape").strip()
    return Path(text) if text else None


def is_shallow(repo: Path) -> bool:
    """Whether the repository is a shallow clone."""
    out = _git(repo, "rev-parse", "--is-shallow-repository", check=False)
    return out.decode("ascii", "replace").strip() == "true"


def merge_base(repo: Path, ref: str, head: str = "HEAD") -> str:
    """The best common ancestor of ``ref`` and ``head``.

    A branch that started before ``main`` published ``1.3.0`` is compared with the
    commit it started from, so ``1.3.0`` does not look deleted.

    Raises:
        UsageError: ``git-unknown-ref``, or ``git-no-merge-base`` (with the
            ``fetch-depth: 0`` hint on a shallow clone).
    """
    ours = rev_parse(repo, head)
    theirs = rev_parse(repo, ref)
    out = remembered(
        ("merge-base", str(repo), theirs, ours),
        lambda: _git(repo, "merge-base", theirs, ours, check=False),
    )
    base = out.decode("ascii", "replace").strip()
    if not base:
        if is_shallow(repo):
            raise UsageError(
                f"no merge-base between {ref} and {head}: {SHALLOW_HINT}",
                code="git-no-merge-base",
            )
        raise UsageError(
            f"{ref} and {head} have no common history: compare with --against-tip instead",
            code="git-no-merge-base",
        )
    return base


def blob_id(data: bytes, *, length: int = 40) -> str:
    """The git blob id of ``data`` (SHA-1, or SHA-256 for ``length`` 64 repositories)."""
    # The header is hashed first and the bytes after it, not joined to them: a join
    # copies every version file of the registry once more.
    digest = (hashlib.sha256 if length == 64 else hashlib.sha1)(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class GitTree:
    """The files under one directory of one commit, read lazily.

    Attributes:
        repo: Top level of the work tree.
        commit: The commit id.
        prefix: The directory inside the repository (``/``-separated, ``""`` for the top).
        blobs: Path relative to ``prefix`` -> blob id, for every regular file.
    """

    repo: Path
    commit: str
    prefix: str
    blobs: Mapping[str, str]
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def read(self, paths: Iterable[str]) -> dict[str, bytes]:
        """The bytes of ``paths`` (relative to :attr:`prefix`), in one ``cat-file`` call.

        Raises:
            KeyError: a path is not in the tree.
        """
        wanted = [p for p in dict.fromkeys(paths) if p not in self._cache]
        ids = [self.blobs[p] for p in wanted]
        if ids:
            contents = _cat_blobs(self.repo, ids)
            for path, oid in zip(wanted, ids, strict=True):
                self._cache[path] = contents[oid]
        return {p: self._cache[p] for p in paths}

    def read_one(self, path: str) -> bytes | None:
        """The bytes of one file, or ``None`` when the tree has no such file."""
        if path not in self.blobs:
            return None
        return self.read([path])[path]


def read_tree(repo: Path, commit: str, prefix: str) -> GitTree:
    """List every regular file under ``prefix`` in ``commit`` (``git ls-tree -r -z``)."""
    spec = prefix.rstrip("/")
    # An empty pathspec after "--" lists the whole tree.
    out = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *([spec] if spec else []))
    blobs: dict[str, str] = {}
    lead = f"{spec}/" if spec else ""
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split(" ")
        # Symlinks (120000) and submodules are not registry files; the loader refuses
        # symlinks on disk, so a tree holding one is reported as a deleted file.
        if kind != "blob" or mode == "120000":
            continue
        path = raw_path.decode("utf-8", "surrogateescape")
        if lead and not path.startswith(lead):
            continue
        blobs[path[len(lead) :]] = oid
    return GitTree(repo=repo, commit=commit, prefix=spec, blobs=MappingProxyType(blobs))


def submodule_at(repo: Path, commit: str, paths: Iterable[str]) -> str | None:
    """The first of ``paths`` that is a submodule (a gitlink) in ``commit``, or ``None``
    (``git ls-tree`` lists each named path's own entry)."""
    wanted = [p for p in paths if p]
    if not wanted:
        return None
    out = _git(repo, "ls-tree", "-z", "--full-tree", commit, "--", *wanted)
    links = set()
    for record in out.split(b"\0"):
        meta, _, raw_path = record.partition(b"\t")
        if meta.split(b" ")[0] == b"160000":
            links.add(raw_path.decode("utf-8", "surrogateescape"))
    return next((p for p in wanted if p in links), None)


def _is_partial(repo: Path) -> bool:
    """Whether ``repo`` is a partial clone (it names a promisor remote)."""
    out = _git(
        repo,
        "config",
        "--get-regexp",
        r"^(remote\..*\.promisor|extensions\.partialclone)$",
        check=False,
    )
    return bool(out.strip())


def _cat_blobs(repo: Path, ids: list[str]) -> dict[str, bytes]:
    """Read blobs through one ``git cat-file --batch`` process."""
    unique = list(dict.fromkeys(ids))
    out = _git(repo, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in unique).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for oid in unique:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii").split(" ")
        if len(header) != 3:  # "<oid> missing"
            if _is_partial(repo):
                raise not_fetched(f"object {oid}")
            raise UsageError(f"git object {oid} is missing from the repository", code="git-failed")
        size = int(header[2])
        contents[oid] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1  # content, then a newline
    return contents


def relative_prefix(repo: Path, directory: Path) -> str:
    """``directory`` relative to the work tree top, ``/``-separated (``""`` at the top).

    Raises:
        UsageError: ``git-outside-repository`` when it is not under ``repo``.
    """
    try:
        rel = directory.resolve().relative_to(repo)
    except ValueError:
        raise UsageError(
            f"{directory} is not inside the git repository {repo}",
            code="git-outside-repository",
            file=str(directory),
        ) from None
    text = rel.as_posix()
    return "" if text == "." else text


def given_prefix(repo: Path, directory: Path) -> str | None:
    """``directory`` relative to the work tree top as written, links inside the work
    tree not followed (``None`` when no ancestor of it is the top)."""
    path = Path(os.path.abspath(directory))
    for n in range(len(path.parts), 0, -1):
        try:
            top = Path(*path.parts[:n]).resolve() == repo
        except OSError:
            return None
        if top:
            return "/".join(path.parts[n:])
    return None


def resolve_in_tree(repo: Path, commit: str, path: str) -> str | None:
    """Where ``path`` leads in ``commit``'s tree, its symlinks followed as the tree holds
    them (``None``: it leads nowhere in the tree, out of it, or through 40 links)."""
    parts = [p for p in path.split("/") if p]
    done: list[str] = []
    hops = 40
    while parts:
        part = parts.pop(0)
        if part == ".":
            continue
        if part == "..":
            if not done:
                return None
            done.pop()
            continue
        here = "/".join([*done, part])
        out = _git(repo, "ls-tree", "-z", "--full-tree", commit, "--", here, check=False)
        meta, _, raw_path = out.split(b"\0")[0].partition(b"\t")
        if raw_path.decode("utf-8", "surrogateescape") != here:
            return None
        mode, _kind, oid = meta.decode("ascii").split(" ")
        if mode == "120000":
            hops -= 1
            target = _cat_blobs(repo, [oid])[oid].decode("utf-8", "surrogateescape")
            if hops < 0 or target.startswith("/"):
                return None
            parts = [*target.split("/"), *parts]
            continue
        done.append(part)
    return "/".join(done)


@dataclass(frozen=True)
class WorktreeState:
    """What git knows of the files under a directory without reading them.

    Attributes:
        index: The index entries (``git ls-files -s -v -z``: tag, mode, blob id, stage,
            path), every one tagged ``H`` (cached, nothing hidden from ``git status``).
        tracked: The path of every index entry, relative to the directory.
        changed: The tracked paths whose working-tree state differs from the index
            (modified, deleted, type changed) or whose index entry differs from
            ``HEAD``, relative to the directory, sorted.
    """

    index: bytes
    tracked: frozenset[str]
    changed: list[str]


def worktree_state(directory: Path) -> WorktreeState | None:
    """What git knows of the files under ``directory`` (:class:`WorktreeState`), from
    ``git ls-files`` and ``git status`` without its untracked scan: git vouches only for
    the files it tracks, and lists no special file (FIFO, socket, device) anyway, so the
    caller reads every file it finds outside :attr:`WorktreeState.tracked` itself.
    ``None`` when git cannot vouch for the rest: not a repository, an entry marked
    assume-unchanged or skip-worktree, a conflict, a submodule, or any git failure.
    """
    try:
        top = repo_root(directory)
        prefix = relative_prefix(top, directory)
        index = _git(directory, "ls-files", "-s", "-v", "-z", "--", ".")
        records = [record for record in index.split(b"\0") if record]
        # Only "H" (cached) entries: assume-unchanged, skip-worktree and unmerged ones
        # make status untrustworthy, and a submodule (160000) is another repository.
        if any(not r.startswith(b"H ") or r.startswith(b"H 160000 ") for r in records):
            return None
        status = _git(
            directory,
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=no",
            "--no-renames",
            "--",
            ".",
        )
    except (UsageError, OSError):
        return None
    tracked = frozenset(r.partition(b"\t")[2].decode("utf-8", "surrogateescape") for r in records)
    lead = f"{prefix}/" if prefix else ""
    changed: list[str] = []
    for record in status.split(b"\0"):
        if not record:
            continue
        path = record[3:].decode("utf-8", "surrogateescape")  # "XY <path>", from the top
        if not path.startswith(lead):
            return None
        changed.append(path[len(lead) :])
    return WorktreeState(index=index, tracked=tracked, changed=sorted(changed))
