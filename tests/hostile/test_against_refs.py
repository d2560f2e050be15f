"""``check --against`` values that do not name one commit are refused, never skipped.

An empty ``--against`` (``--against "$BASE_REF"`` with the variable unset) used to run
the registry alone and pass, so published versions could be edited unseen.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "gate"))
from _gate_helpers import commit_all, init_repo, make_contract, run_cli, schema

from accord.errors import UsageError
from accord.gate import publish as _publish
from accord.gate.check import check

CID = "orders.placed"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    make_contract(root, CID)
    _publish.publish(root, CID, schema())
    commit_all(repo, "publish 1.0.0")
    return root


@pytest.mark.parametrize("ref", ["", " "], ids=["empty", "blank"])
def test_an_empty_against_is_bad_input(root: Path, ref: str, capsys: Any) -> None:
    code, out, err = run_cli(
        ["check", "--no-cache", "--registry", str(root), "--against", ref], capsys
    )
    assert (code, out) == (2, "")
    assert "git-unknown-ref" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "ref",
    ["main..HEAD", "HEAD...main", "^HEAD", "a\0b", 5, None],
    ids=["range", "symmetric-range", "negation", "nul", "int", "none"],
)
def test_a_ref_that_is_not_one_commit_is_unknown(root: Path, ref: Any) -> None:
    from accord.gate import git as _git

    with pytest.raises(UsageError) as caught:
        _git.rev_parse(root.parent, ref)
    assert caught.value.code == "git-unknown-ref"


@pytest.mark.parametrize("ref", ["main..HEAD", "^HEAD", "a\0b", 5], ids=str)
def test_check_refuses_a_ref_that_is_not_one_commit(root: Path, ref: Any) -> None:
    for tip in (False, True):
        with pytest.raises(UsageError) as caught:
            check(root, against=ref, tip=tip)
        assert caught.value.code == "git-unknown-ref"


@pytest.mark.parametrize("where", ["missing-dir", "directory", "full-disk"])
def test_an_unwritable_markdown_summary_is_bad_input(
    root: Path, tmp_path: Path, where: str, capsys: Any
) -> None:
    path = {
        "missing-dir": tmp_path / "no" / "summary.md",
        "directory": tmp_path,
        "full-disk": Path("/dev/full"),
    }[where]
    argv = ["check", "--no-cache", "--registry", str(root), "--markdown-summary", str(path)]
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert "out-not-writable" in err
    assert "internal error" not in err
    assert not (tmp_path / "no").exists()


def test_a_writable_markdown_summary_is_appended(root: Path, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "summary.md"
    path.write_text("before\n")
    argv = ["check", "--no-cache", "--registry", str(root), "--markdown-summary", str(path)]
    code, out, _err = run_cli(argv, capsys)
    assert code == 0
    assert "passed" in out
    written = path.read_text()
    assert written.startswith("before\n")
    assert len(written) > len("before\n")


def test_a_repository_without_a_commit_says_so(tmp_path: Path, capsys: Any) -> None:
    # `accord init` in a fresh `git init`, then the README's `check --against origin/main`:
    # the error named 'HEAD' and said to fetch, which leaves a new user stuck.
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    make_contract(root, CID)
    code, out, err = run_cli(
        ["check", "--no-cache", "--registry", str(root), "--against", "origin/main"], capsys
    )
    assert (code, out) == (2, "")
    assert "git-unknown-ref" in err
    assert "has no commit yet" in err
    assert "commit the registry" in err


@pytest.mark.parametrize(
    ("ref", "hint"),
    [
        ("mian", "did you mean 'main'?"),
        ("origin/release", "`git fetch origin release`"),
        (":/no such message", "`git fetch origin main`"),
    ],
    ids=["typo", "remote-branch", "message-search"],
)
def test_an_unknown_ref_gets_a_hint_that_fits_it(
    root: Path, ref: str, hint: str, capsys: Any
) -> None:
    # A typo of a local branch was told to `git fetch origin main`, and origin/release
    # to fetch main too: the hint names the branch meant, or the fetch of the ref given.
    code, out, err = run_cli(
        ["check", "--no-cache", "--registry", str(root), "--against", ref], capsys
    )
    assert (code, out) == (2, "")
    assert "git-unknown-ref" in err
    assert hint in err


def _relocked_edit(root: Path) -> None:
    """1.0.0 edited (integer -> string) and its lock line rewritten to match."""
    import hashlib

    path = root / "orders" / "placed" / "1.0.0.schema.json"
    old = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text().replace('"integer"', '"string"'))
    new = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    lock = root / "accord.lock"
    lock.write_text(lock.read_text().replace(old, new))


@pytest.mark.parametrize("shadow", ["refs/tags/main", "refs/origin/main"], ids=["tag", "refs"])
def test_a_ref_another_ref_shadows_is_refused(root: Path, shadow: str, capsys: Any) -> None:
    """git reads `main` as `refs/tags/main` before `refs/heads/main` (and `origin/main` as
    `refs/origin/main` or `refs/tags/origin/main` before the remote branch): a tag named
    like the base branch, pointing at a commit holding an edited published version
    relocked, made `--against main` compare the change with that commit, and it passed.
    A name two refs answer, at different commits, is refused (exit 2) naming both."""
    from _gate_helpers import git

    repo = root.parent
    git(repo, "checkout", "-q", "-b", "pr")
    _relocked_edit(root)
    commit_all(repo, "edit 1.0.0, relocked")
    ref = shadow.removeprefix("refs/tags/").removeprefix("refs/")
    if ref == "origin/main":
        git(repo, "update-ref", "refs/remotes/origin/main", "main")
    git(repo, "update-ref", shadow, "HEAD")
    argv = ["check", "--no-cache", "--registry", str(root), "--against", ref]
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, ""), out
    assert "git-ambiguous-ref" in err
    assert shadow in err
    # one commit under both names is no ambiguity
    git(repo, "update-ref", shadow, "refs/heads/main")
    code, out, err = run_cli(argv, capsys)
    assert code == 1, err  # the relocked edit, seen against the real base
    assert "error[version-reused]" in out
