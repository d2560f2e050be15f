"""``check --against`` when the registry moved between the base and the tree.

A pull request that moves the registry directory (``git mv``) finds no registry at the
new path in the base commit. Compared with nothing, every contract looked new: an edit
of a published version, relocked with the new digest, passed. The base's registry is
the one that locked the same contracts, wherever it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, git, init_repo, run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "contracts"
EDITED = "users/user-registered/1.0.0.schema.json"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    shutil.copytree(EXAMPLE, repo / "a" / "b" / "contracts")
    commit_all(repo, "registry at a/b/contracts")
    return repo


def _relock_edited(root: Path) -> None:
    """Change a published version and write its new digest into the lock (what a
    reviewer skimming a big move would not notice)."""
    path = root / EDITED
    document = json.loads(path.read_text())
    document["properties"].pop(next(iter(document["properties"])))
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    old = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(raw)
    lock = root / "accord.lock"
    lock.write_text(lock.read_text().replace(old, "sha256:" + hashlib.sha256(raw).hexdigest()))


def _check(root: Path, capsys: Any, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = run_cli(
        [
            "check",
            "--registry",
            str(root),
            "--against",
            "HEAD~1",
            "--against-tip",
            "--format",
            "json",
            *extra,
        ],
        capsys,
    )
    assert out, err
    return code, json.loads(out)["findings"]


def test_an_edit_hidden_by_a_move_is_still_reported(repo: Path, capsys: Any) -> None:
    git(repo, "mv", "a/b/contracts", "a/c")
    _relock_edited(repo / "a" / "c")
    commit_all(repo, "move and edit")
    code, findings = _check(repo / "a" / "c", capsys)
    assert code == 1
    # What the same edit reports without the move.
    assert [(f["rule"], f["file"]) for f in findings if f["severity"] == "error"] == [
        ("version-reused", f"a/c/{EDITED}")
    ]


def test_a_contract_deleted_in_a_move_is_reported(repo: Path, capsys: Any) -> None:
    git(repo, "mv", "a/b/contracts", "a/c")
    root = repo / "a" / "c"
    shutil.rmtree(root / "users" / "user-registered")
    lock = root / "accord.lock"
    kept = [x for x in lock.read_text().splitlines() if not x.startswith("users.user-registered ")]
    lock.write_text("".join(f"{line}\n" for line in kept))
    commit_all(repo, "move and delete")
    code, findings = _check(repo / "a" / "c", capsys)
    assert code == 1
    assert "contract-deleted" in {f["rule"] for f in findings}


def test_a_plain_move_passes(repo: Path, capsys: Any) -> None:
    git(repo, "mv", "a/b/contracts", "a/c")
    commit_all(repo, "move")
    code, findings = _check(repo / "a" / "c", capsys)
    assert code == 0
    assert [f for f in findings if f["severity"] == "error"] == []


def test_a_new_registry_beside_another_is_new(repo: Path, capsys: Any) -> None:
    """A second registry whose contracts no base registry locked is compared with
    nothing, as a registry added in the pull request always was."""
    other = repo / "other"
    other.mkdir()
    (other / "accord.toml").write_text((EXAMPLE / "accord.toml").read_text())
    shutil.copytree(EXAMPLE / "common", other / "shared")
    lock = "".join(
        line.replace("common.", "shared.", 1) + "\n"
        for line in (EXAMPLE / "accord.lock").read_text().splitlines()
        if line.startswith("common.")
    )
    (other / "accord.lock").write_text(lock)
    commit_all(repo, "a second registry")
    code, findings = _check(other, capsys)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0


def _replace_every_contract(root: Path) -> None:
    """Delete every published contract and publish one under a new name instead."""
    for entry in root.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
    shutil.copytree(EXAMPLE / "common" / "error", root / "fresh" / "error")
    lines = (EXAMPLE / "accord.lock").read_text().splitlines()
    line = next(x for x in lines if x.startswith("common.error "))
    (root / "accord.lock").write_text(line.replace("common.error ", "fresh.error ", 1) + "\n")


def test_a_move_that_renames_every_contract_reports_the_deletions(repo: Path, capsys: Any) -> None:
    # No contract is shared with the base, but the base's registry is gone from the
    # tree: it is the registry moved, and every contract it published was deleted.
    git(repo, "mv", "a/b/contracts", "a/c")
    _replace_every_contract(repo / "a" / "c")
    commit_all(repo, "move, delete every contract, publish another")
    code, findings = _check(repo / "a" / "c", capsys)
    assert code == 1
    deleted = {f["contract"] for f in findings if f["rule"] == "contract-deleted"}
    assert {"orders.order-placed", "common.error"} <= deleted


def test_a_new_registry_beside_one_that_stays_is_still_new(repo: Path, capsys: Any) -> None:
    # The base's registry is still in the tree: the other one is new, whatever it holds.
    other = repo / "elsewhere"
    other.mkdir()
    shutil.copy(EXAMPLE / "accord.toml", other / "accord.toml")
    _replace_every_contract(other)
    commit_all(repo, "a second, unrelated registry")
    code, findings = _check(other, capsys)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0


def test_a_symlinked_registry_path_pointed_at_another_registry_is_compared_with_the_old(
    repo: Path, capsys: Any
) -> None:
    """``contracts -> a/b/contracts`` on the base; the change points the link at another
    registry (other contracts), leaving the old one in place. The base was read where the
    link leads in the work tree: that registry is new there, so it was compared with
    nothing and passed; the base is now read where the same path led on the base, and
    every contract it published there is reported deleted."""
    link = repo / "contracts"
    link.symlink_to(Path("a") / "b" / "contracts")
    commit_all(repo, "contracts is a link to the registry")
    other = repo / "elsewhere"
    other.mkdir()
    shutil.copy(EXAMPLE / "accord.toml", other / "accord.toml")
    _replace_every_contract(other)
    link.unlink()
    link.symlink_to("elsewhere")
    commit_all(repo, "contracts now leads to another registry")
    code, findings = _check(link, capsys)
    assert code == 1
    deleted = {f["contract"] for f in findings if f["rule"] == "contract-deleted"}
    assert {"orders.order-placed", "common.error"} <= deleted
    # an unchanged link (an edit under it) is compared as before
    git(repo, "checkout", "-q", "HEAD~1")
    _relock_edited(repo / "a" / "b" / "contracts")
    commit_all(repo, "edit a published version, relocked")
    code, findings = _check(link, capsys)
    assert code == 1
    assert "version-reused" in {f["rule"] for f in findings}
