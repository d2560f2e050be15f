"""Version labels differing only in case name one record file on a case-insensitive
file system (macOS, Windows): ``verifications/p/1.0.0-RC.json`` and ``1.0.0-rc.json``.

Before, writing the record of ``1.0.0-rc`` there merged it into ``1.0.0-RC``'s file (its
results then claimed for ``1.0.0-rc``), and a reader meeting both files (a records
branch, a Linux checkout) read both, one of which a Mac or Windows checkout silently
drops. Writers now refuse to write a record whose file name equals an existing one's
but for case, and readers refuse two such files: ``record-case-clash``, nothing written.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from accord.consumers._records import load_records
from accord.distribution.records import read_records, write_records
from accord.errors import AccordError
from accord.provider import record_verification, write_record


def _record(version: str) -> dict[str, object]:
    return {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": version,
        "verified_at": "2024-05-01T12:00:00Z",
        "results": [],
    }


def _raw(version: str) -> bytes:
    return (json.dumps(_record(version), indent=2, sort_keys=True) + "\n").encode()


def _names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "verifications" / "users-service").iterdir())


def test_record_verification_refuses_a_case_twin(tmp_path: Path) -> None:
    record_verification(tmp_path, _record("1.0.0-RC"))
    before = (tmp_path / "verifications" / "users-service" / "1.0.0-RC.json").read_bytes()
    with pytest.raises(AccordError) as caught:
        record_verification(tmp_path, _record("1.0.0-rc"))
    assert caught.value.code == "record-case-clash"
    assert "1.0.0-RC.json" in str(caught.value)
    assert _names(tmp_path) == ["1.0.0-RC.json"]
    after = (tmp_path / "verifications" / "users-service" / "1.0.0-RC.json").read_bytes()
    assert after == before
    record_verification(tmp_path, _record("1.0.0-RC"))  # the same name again is fine


def test_write_record_refuses_a_case_twin(tmp_path: Path) -> None:
    write_record(tmp_path, "verifications/users-service/1.0.0-RC.json", _raw("1.0.0-RC"))
    with pytest.raises(AccordError) as caught:
        write_record(tmp_path, "verifications/users-service/1.0.0-rc.json", _raw("1.0.0-rc"))
    assert caught.value.code == "record-case-clash"
    assert _names(tmp_path) == ["1.0.0-RC.json"]


def test_load_records_refuses_two_case_twins(tmp_path: Path) -> None:
    directory = tmp_path / "verifications" / "users-service"
    directory.mkdir(parents=True)
    for version in ("1.0.0-RC", "1.0.0-rc"):
        (directory / f"{version}.json").write_bytes(_raw(version))
    with pytest.raises(AccordError) as caught:
        load_records(tmp_path)
    assert caught.value.code == "record-case-clash"
    assert "1.0.0-RC.json" in str(caught.value)
    assert "1.0.0-rc.json" in str(caught.value)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_the_records_branch_refuses_a_case_twin_and_pull_refuses_two(tmp_path: Path) -> None:
    repo = tmp_path / "repo.git"
    _git(tmp_path, "init", "-q", "--bare", str(repo))
    write_records(
        repo, {"verifications/users-service/1.0.0-RC.json": _raw("1.0.0-RC")}, message="a"
    )
    with pytest.raises(AccordError) as caught:
        write_records(
            repo, {"verifications/users-service/1.0.0-rc.json": _raw("1.0.0-rc")}, message="b"
        )
    assert caught.value.code == "record-case-clash"
    assert _git(repo, "rev-list", "--count", "accord-records") == "1"
    # a branch holding both (written by an older accord, or by hand) is not pulled
    tip = _git(repo, "rev-parse", "accord-records")
    twin = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=repo,
            input=_raw("1.0.0-rc"),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    index = tmp_path / "index"
    env = {"GIT_INDEX_FILE": str(index), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "read-tree", tip], cwd=repo, env=env, check=True)
    subprocess.run(
        [
            "git",
            "update-index",
            "--add",
            "--cacheinfo",
            f"100644,{twin},verifications/users-service/1.0.0-rc.json",
        ],
        cwd=repo,
        env=env,
        check=True,
    )
    tree = subprocess.run(
        ["git", "write-tree"], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    commit = _git(repo, "commit-tree", tree, "-p", tip, "-m", "both")
    _git(repo, "update-ref", "refs/heads/accord-records", commit)
    into = tmp_path / "into"
    with pytest.raises(AccordError) as caught:
        read_records(repo, into, remote=None)
    assert caught.value.code == "record-case-clash"
    assert not into.exists()


def test_records_and_the_registry_share_one_case_rule() -> None:
    """Records compare names as lint, check and package do (``names.case_twins``,
    ``str.casefold``): ``ß`` and ``SS`` are one name there, though ``lower()`` keeps
    them apart. A version label is ASCII; a name already on a records branch or in the
    directory need not be."""
    from accord.consumers._records import check_case_twins
    from accord.registry.names import case_twins

    twin, path = "verifications/p/1.0.0-\u00df.json", "verifications/p/1.0.0-SS.json"
    assert twin.lower() != path.lower()
    assert list(case_twins([twin, path]))  # the registry's rule
    with pytest.raises(AccordError) as caught:
        check_case_twins([path], against=[twin])
    assert caught.value.code == "record-case-clash"
    with pytest.raises(AccordError) as caught:
        check_case_twins([twin, path])
    assert caught.value.code == "record-case-clash"
    check_case_twins([path], against=[path, "verifications/p/1.0.0-S.json"])  # no twin
    check_case_twins([path], against=["verifications/p/A.json", "verifications/p/a.json"])


def test_write_record_refuses_a_casefold_twin_already_in_the_directory(tmp_path: Path) -> None:
    directory = tmp_path / "verifications" / "users-service"
    directory.mkdir(parents=True)
    (directory / "1.0.0-\u00df.json").write_bytes(b"{}")  # left there by hand
    with pytest.raises(AccordError) as caught:
        write_record(tmp_path, "verifications/users-service/1.0.0-SS.json", _raw("1.0.0-SS"))
    assert caught.value.code == "record-case-clash"
    assert _names(tmp_path) == ["1.0.0-\u00df.json"]
