"""``check --against`` in a partial clone (``git clone --filter=blob:none``).

Such a clone lacks the blobs of the base's files, and git fetches a missing blob from
the promisor remote when asked for it: the gate's ``git cat-file`` reached the network
at run time. accord never fetches: every git call it makes has lazy fetching and every
transport disabled, and a blob that is not in the clone is a clear error (exit 2)
telling the user to fetch it, never a silent pass.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from _gate_helpers import commit_all, git, init_repo, run_cli

from accord.errors import UsageError
from accord.gate.check import check

EXAMPLE = Path(__file__).resolve().parents[2] / "contracts"
EDITED = "users/user-registered/1.0.0.schema.json"


@pytest.fixture
def partial(tmp_path: Path) -> tuple[Path, str]:
    """A blob-less clone of a registry whose last commit edited (and relocked) a
    published version, and the blob id of that file on the base (not in the clone)."""
    upstream = tmp_path / "upstream"
    _registry_then_relocked_edit(upstream)
    git(upstream, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--filter=blob:none", upstream.as_uri(), str(clone))
    missing = git(clone, "rev-parse", f"HEAD~1:contracts/{EDITED}")
    assert not _present(clone, missing)
    return clone, missing


def _registry_then_relocked_edit(repo: Path) -> None:
    """A repository committing the example registry, then an edit of a published
    version with its accord.lock line rewritten to match."""
    init_repo(repo)
    shutil.copytree(EXAMPLE, repo / "contracts")
    commit_all(repo, "registry")
    path = repo / "contracts" / EDITED
    document = json.loads(path.read_text())
    document["properties"].pop(next(iter(document["properties"])))
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    old = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(raw)
    lock = repo / "contracts" / "accord.lock"
    lock.write_text(lock.read_text().replace(old, "sha256:" + hashlib.sha256(raw).hexdigest()))
    commit_all(repo, "edit (and relock) a published version")


def _present(repo: Path, oid: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", oid],
        env={"GIT_NO_LAZY_FETCH": "1", "PATH": "/usr/bin:/bin", "HOME": str(repo)},
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_a_blob_missing_from_a_partial_clone_is_an_error_not_a_fetch(
    partial: tuple[Path, str],
) -> None:
    clone, missing = partial
    with pytest.raises(UsageError) as caught:
        check(clone / "contracts", against="HEAD~1")
    assert caught.value.code == "git-object-not-fetched"
    assert "git fetch --refetch --no-filter" in str(caught.value)
    assert not _present(clone, missing), "accord fetched a blob from the promisor remote"


def test_the_cli_exits_2_with_the_hint(
    partial: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    clone, missing = partial
    argv = ["check", "--against", "HEAD~1", "--registry", str(clone / "contracts")]
    code, out, err = run_cli(argv, capsys)
    assert code == 2, out + err
    assert "partial clone" in err
    assert "Traceback" not in err
    assert not _present(clone, missing)


def test_once_fetched_the_edit_is_reported(partial: tuple[Path, str]) -> None:
    clone, _ = partial
    git(clone, "fetch", "-q", "--refetch", "--no-filter", "origin")
    report = check(clone / "contracts", against="HEAD~1")
    assert "version-reused" in [f.rule for f in report.active]


def test_a_blob_missing_from_a_full_clone_is_a_corrupt_repository(tmp_path: Path) -> None:
    """Not a partial clone (no promisor remote): a base blob deleted from the object
    store (here the base's accord.lock) is ``git-failed`` naming the object, never a
    pass nor the fetch hint."""
    repo = tmp_path / "repo"
    _registry_then_relocked_edit(repo)
    base_blob = git(repo, "rev-parse", "HEAD~1:contracts/accord.lock")
    (repo / ".git" / "objects" / base_blob[:2] / base_blob[2:]).unlink()
    assert not _present(repo, base_blob)
    with pytest.raises(UsageError) as caught:
        check(repo / "contracts", against="HEAD~1")
    assert caught.value.code == "git-failed"
    assert base_blob in str(caught.value)
    assert "fetch" not in str(caught.value)
