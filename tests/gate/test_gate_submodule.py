"""``check --against`` when the base commit holds the registry as a git submodule.

A submodule's files are not in the superproject's tree: ``git ls-tree`` of the base
shows one commit entry where the registry is. A pull request that vendors the registry
(the submodule replaced by its files) and edits a published version, relocked, was
compared with nothing and passed. The gate now says it could not read the base
(``registry-base-unreadable``, an error an ignore entry with a real reason can approve).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from _gate_helpers import commit_all, git, init_repo, run_cli

from accord.gate.check import check

EXAMPLE = Path(__file__).resolve().parents[2] / "contracts"
EDITED = "users/user-registered/1.0.0.schema.json"


def _relock_edited(root: Path) -> None:
    path = root / EDITED
    document = json.loads(path.read_text())
    document["properties"].pop(next(iter(document["properties"])))
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    old = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(raw)
    lock = root / "accord.lock"
    lock.write_text(lock.read_text().replace(old, "sha256:" + hashlib.sha256(raw).hexdigest()))


@pytest.fixture
def vendored(tmp_path: Path) -> Path:
    """A superproject whose base (main) has the registry as a submodule at ``contracts``,
    and a branch that replaced the submodule by the same files."""
    upstream = tmp_path / "registry"
    init_repo(upstream)
    shutil.copytree(EXAMPLE, upstream, dirs_exist_ok=True)
    commit_all(upstream, "registry")
    repo = tmp_path / "repo"
    init_repo(repo)
    git(
        repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(upstream),
        "contracts",
    )
    commit_all(repo, "registry as a submodule")
    git(repo, "checkout", "-q", "-b", "vendor")
    git(repo, "rm", "-q", "--cached", "contracts")
    (repo / "contracts" / ".git").unlink()
    (repo / ".gitmodules").unlink()
    commit_all(repo, "vendor the registry")
    return repo / "contracts"


def test_a_base_holding_the_registry_as_a_submodule_is_a_finding(vendored: Path) -> None:
    _relock_edited(vendored)
    commit_all(vendored.parent, "edit a published version")
    report = check(vendored, against="main")
    assert [f.rule for f in report.active] == ["registry-base-unreadable"]
    assert report.exit_code() == 1
    (finding,) = report.active
    assert "submodule" in finding.message
    assert finding.file is None


def test_the_cli_fails_and_an_ignore_entry_with_a_reason_approves_it(
    vendored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["check", "--against", "main", "--registry", str(vendored)], capsys)
    assert code == 1, out
    assert "registry-base-unreadable" in out
    report = check(vendored, against="main")
    (finding,) = report.active
    ignore = tmp_path / "ignore.toml"
    ignore.write_text(
        f'[[ignore]]\nfingerprint = "{finding.fingerprint}"\n'
        'reason = "vendoring the registry submodule, reviewed in #42"\n'
    )
    argv = ["check", "--against", "main", "--registry", str(vendored), "--ignore-file", str(ignore)]
    assert run_cli(argv, capsys)[0] == 0


def test_a_registry_in_the_base_tree_is_still_compared(vendored: Path) -> None:
    """Once the vendoring is on the base, an edit is reported as every edit is."""
    git(vendored.parent, "checkout", "-q", "main")
    git(vendored.parent, "merge", "-q", "--ff-only", "vendor")
    git(vendored.parent, "checkout", "-q", "-b", "edit")
    _relock_edited(vendored)
    commit_all(vendored.parent, "edit a published version")
    report = check(vendored, against="main")
    assert [f.rule for f in report.active] == ["version-reused"]


@pytest.fixture
def submoduled(tmp_path: Path) -> Path:
    """A superproject whose base (main) holds the registry's files at ``contracts``, and
    a branch that replaced them by a submodule of another repository whose own ``main``
    holds the same registry with a published version edited and relocked."""
    repo = tmp_path / "repo"
    init_repo(repo)
    shutil.copytree(EXAMPLE, repo / "contracts")
    commit_all(repo, "registry")
    other = tmp_path / "other"
    init_repo(other)
    shutil.copytree(EXAMPLE, other, dirs_exist_ok=True)
    _relock_edited(other)
    commit_all(other, "the registry with 1.0.0 edited")
    git(repo, "checkout", "-q", "-b", "pr")
    git(repo, "rm", "-rq", "contracts")
    commit_all(repo, "drop the registry's files")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other), "contracts")
    commit_all(repo, "the registry as a submodule")
    return repo / "contracts"


def test_a_registry_in_a_submodule_is_a_finding(
    submoduled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--against main` was resolved in the submodule's own repository (whose history
    the change chooses), so a change replacing the registry by a submodule holding an
    edited published version passed ("0 checked"); it is now `registry-in-submodule`."""
    report = check(submoduled, against="main")
    assert [f.rule for f in report.active] == ["registry-in-submodule"]
    (finding,) = report.active
    assert "submodule" in finding.message
    assert str(submoduled.parent) in finding.message
    code, out, _ = run_cli(["check", "--against", "main", "--registry", str(submoduled)], capsys)
    assert code == 1, out
    assert "registry-in-submodule" in out
