"""Records on a git branch: plumbing only, concurrent writers with push and retry."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest

from accord.cli import main
from accord.distribution.records import (
    RecordsResult,
    collect_records,
    read_records,
    write_records,
)
from accord.errors import AccordError, UsageError

BRANCH = "accord-records"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    bare = tmp_path / "registry.git"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    seed = tmp_path / "seed"
    git("init", "-q", "-b", "main", str(seed), cwd=tmp_path)
    (seed / "README.md").write_text("registry\n")
    git("add", "README.md", cwd=seed)
    git("commit", "-q", "-m", "init", cwd=seed)
    git("push", "-q", str(bare), "main", cwd=seed)
    return bare


def clone(origin: Path, path: Path) -> Path:
    git("clone", "-q", str(origin), str(path), cwd=origin.parent)
    return path


def branch_files(repo: Path) -> dict[str, str]:
    listing = git("ls-tree", "-r", "--name-only", BRANCH, cwd=repo).splitlines()
    return {name: git("show", f"{BRANCH}:{name}", cwd=repo) for name in listing}


def test_concurrent_writers_both_land(origin: Path, tmp_path: Path) -> None:
    clones = [clone(origin, tmp_path / f"ci-{i}") for i in range(2)]
    results: list[RecordsResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def pipeline(repo: Path, name: str) -> None:
        try:
            start.wait()
            results.extend(
                write_records(
                    repo,
                    {f"verifications/{name}/{n}.json": {"provider": name, "n": n}},
                    message=f"verify {name} {n}",
                    push=True,
                    backoff=0.01,
                    max_attempts=20,
                )
                for n in range(4)
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    # two clones, and two writers sharing one clone
    threads = [
        threading.Thread(target=pipeline, args=(repo, name))
        for repo, name in [
            (clones[0], "orders"),
            (clones[1], "billing"),
            (clones[0], "users"),
            (clones[1], "payments"),
        ]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 16
    assert all(r.pushed and r.changed for r in results)
    files = branch_files(origin)
    assert sorted(files) == sorted(
        f"verifications/{name}/{n}.json"
        for name in ("orders", "billing", "users", "payments")
        for n in range(4)
    )
    assert json.loads(files["verifications/users/3.json"]) == {"n": 3, "provider": "users"}
    # one linear history: every record is its own commit, nobody's commit was rewritten
    assert git("rev-list", "--count", BRANCH, cwd=origin) == "16"
    assert git("rev-list", "--merges", "--count", BRANCH, cwd=origin) == "0"


def test_working_tree_and_index_are_untouched(origin: Path, tmp_path: Path) -> None:
    repo = clone(origin, tmp_path / "ci")
    (repo / "wip.txt").write_text("uncommitted\n")
    git("add", "wip.txt", cwd=repo)
    status = git("status", "--porcelain", cwd=repo)
    head = git("rev-parse", "HEAD", cwd=repo)
    write_records(
        repo, {"environments/prod/orders.json": {"version": "1.4.0"}}, message="deploy", push=True
    )
    assert git("status", "--porcelain", cwd=repo) == status
    assert git("rev-parse", "HEAD", cwd=repo) == head
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=repo) == "main"
    assert not (repo / "environments").exists()


def test_rewriting_the_same_bytes_makes_no_commit(origin: Path, tmp_path: Path) -> None:
    repo = clone(origin, tmp_path / "ci")
    record = {"verifications/orders/1.json": {"ok": True}}
    first = write_records(repo, record, message="one", push=True)
    again = write_records(repo, record, message="two", push=True)
    assert first.changed
    assert not again.changed
    assert again.commit == first.commit
    assert git("rev-list", "--count", BRANCH, cwd=origin) == "1"


def test_local_commits_without_push_keep_history(tmp_path: Path) -> None:
    repo = tmp_path / "bare.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    a = write_records(repo, {"verifications/a.json": b"a\n"}, message="a")
    b = write_records(repo, {"verifications/b.json": "b\n"}, message="b")
    assert (a.pushed, b.pushed) == (False, False)
    assert git("rev-parse", f"{BRANCH}^", cwd=repo) == a.commit
    assert branch_files(repo) == {"verifications/a.json": "a", "verifications/b.json": "b"}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("../escape.json", id="parent"),
        pytest.param("/abs.json", id="absolute"),
        pytest.param(".git/config", id="git-dir"),
        pytest.param("a//b.json", id="empty-part"),
        pytest.param("", id="empty"),
    ],
)
def test_bad_record_paths_are_refused(tmp_path: Path, path: str) -> None:
    git("init", "-q", "--bare", str(tmp_path / "r.git"), cwd=tmp_path)
    with pytest.raises(UsageError) as info:
        write_records(tmp_path / "r.git", {path: b"x"}, message="x")
    assert info.value.code == "record-bad-path"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        write_records(tmp_path, {"verifications/a.json": b"x"}, message="x")
    assert info.value.code == "records-not-a-repo"


def test_a_repository_without_the_remote_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A new repository has no `origin`: git's own words ("'origin' does not appear to be
    # a git repository") left the user guessing; the error names the ways out.
    git("init", "-q", "-b", "main", str(tmp_path), cwd=tmp_path)
    (tmp_path / "contracts").mkdir()
    code = main(["records", "pull", "--repo", str(tmp_path), "--registry", "contracts"])
    err = capsys.readouterr().err
    assert code == 2
    assert "records-git-failed" in err
    assert "git remote add origin URL" in err
    assert "--remote" in err
    assert "--local" in err
    assert "--no-push" in err
    assert "Traceback" not in err
    # --local on a repository no push has reached yet: say what makes the branch.
    code = main(["records", "pull", "--local", "--repo", str(tmp_path), "--registry", "contracts"])
    err = capsys.readouterr().err
    assert code == 2
    assert "records-no-branch" in err
    assert "accord records push" in err


def test_cli_push_then_pull(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(origin, tmp_path / "ci")
    registry = tmp_path / "contracts"
    (registry / "verifications" / "orders").mkdir(parents=True)
    verified = {
        "format_version": 1,
        "provider": "orders",
        "provider_version": "1.4.0",
        "verified_at": "2026-01-01T00:00:00Z",
        "results": [],
    }
    (registry / "verifications" / "orders" / "1.4.0.json").write_text(json.dumps(verified))
    (registry / "environments").mkdir()
    env = 'format_version = 1\n\n[services.orders]\ndeployed = ["1.4.0"]\n'
    (registry / "environments" / "prod.toml").write_text(env)
    (registry / "orders").mkdir()  # contracts are not records
    assert sorted(collect_records(registry)) == [
        "environments/prod.toml",
        "verifications/orders/1.4.0.json",
    ]
    code = main(
        ["records", "push", "--repo", str(repo), "--registry", str(registry), "--format", "json"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["pushed"]
    assert result["changed"]
    assert sorted(branch_files(origin)) == [
        "environments/prod.toml",
        "verifications/orders/1.4.0.json",
    ]

    fresh = tmp_path / "gate"
    other = clone(origin, tmp_path / "other")
    assert read_records(other, fresh) == (
        "environments/prod.toml",
        "verifications/orders/1.4.0.json",
    )
    assert (fresh / "environments" / "prod.toml").read_text() == env


def test_a_partial_clone_missing_record_blobs_is_an_error_not_a_fetch(
    origin: Path, tmp_path: Path
) -> None:
    """In a ``--filter=blob:none`` clone the records' blobs are fetched lazily from the
    promisor remote when read: reading the local branch reached the network. Now lazy
    fetching is off for every git call but the explicit fetch and push, and a missing
    blob is a clear error telling the user to fetch it (the test failed before: git
    fetched the blob and the read went on)."""
    seed = clone(origin, tmp_path / "seed-records")
    write_records(seed, {"verifications/orders/1.json": b"{}\n"}, message="one", push=True)
    git("config", "uploadpack.allowFilter", "true", cwd=origin)
    partial = tmp_path / "partial"
    git("clone", "-q", "--filter=blob:none", origin.as_uri(), str(partial), cwd=tmp_path)
    git("branch", BRANCH, f"origin/{BRANCH}", cwd=partial)
    blob = git("rev-parse", f"{BRANCH}:verifications/orders/1.json", cwd=partial)
    with pytest.raises(AccordError) as caught:
        read_records(partial, tmp_path / "into", remote=None)
    assert caught.value.code == "git-object-not-fetched"
    assert "git fetch --refetch --no-filter" in str(caught.value)
    missing = subprocess.run(
        ["git", "cat-file", "-e", blob],
        cwd=partial,
        env={"GIT_NO_LAZY_FETCH": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert missing.returncode != 0, "accord fetched a record's blob from the promisor remote"
    assert not (tmp_path / "into").exists()


def test_a_branch_over_the_record_cap_is_refused_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every record on the branch was read into memory, however many there were (each
    # under the byte cap): a branch of millions of blobs was read whole before a check.
    import accord.consumers._records as records

    repo = tmp_path / "bare.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    write_records(repo, {f"verifications/p/{n}.json": b"{}\n" for n in range(4)}, message="4")
    monkeypatch.setattr(records, "MAX_RECORDS", 3)
    with pytest.raises(UsageError) as caught:
        read_records(repo, tmp_path / "into", remote=None)
    assert caught.value.code == "records-too-many"
    assert "4 records" in str(caught.value)
    assert not (tmp_path / "into").exists()


def test_push_refuses_to_grow_a_branch_past_the_record_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Push applied no cap: a branch grew past what pull reads, and every pull was refused.
    import accord.consumers._records as records

    repo = tmp_path / "bare.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    first = write_records(
        repo, {f"verifications/p/{n}.json": b"{}\n" for n in range(3)}, message="3"
    )
    monkeypatch.setattr(records, "MAX_RECORDS", 3)
    # Rewriting a record already there does not grow the branch.
    write_records(repo, {"verifications/p/0.json": b"{ }\n"}, message="same path")
    with pytest.raises(UsageError) as caught:
        write_records(repo, {"verifications/p/3.json": b"{}\n"}, message="4th")
    assert caught.value.code == "records-too-many"
    assert "4 records" in str(caught.value)
    assert "more than the 3 accord reads" in str(caught.value)
    assert git("rev-parse", BRANCH, cwd=repo) != first.commit  # the rewrite landed
    assert "verifications/p/3.json" not in git("ls-tree", "-r", "--name-only", BRANCH, cwd=repo)


def test_push_refuses_to_grow_a_branch_past_the_byte_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accord.consumers._records as records

    repo = tmp_path / "bare.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    write_records(repo, {"verifications/p/1.json": b"x" * 60}, message="1")
    monkeypatch.setattr(records, "MAX_RECORDS_BYTES", 100)
    with pytest.raises(UsageError) as caught:
        write_records(repo, {"verifications/p/2.json": b"x" * 60}, message="2")
    assert caught.value.code == "records-too-large"
    assert "120 bytes" in str(caught.value)


def test_cli_push_over_the_cap_is_exit_2_and_names_it(
    origin: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import accord.consumers._records as records

    repo = clone(origin, tmp_path / "ci")
    registry = tmp_path / "contracts"
    for version in ("1.0.0", "1.1.0"):
        (registry / "verifications" / "orders").mkdir(parents=True, exist_ok=True)
        record = {
            "format_version": 1,
            "provider": "orders",
            "provider_version": version,
            "verified_at": "2026-01-01T00:00:00Z",
            "results": [],
        }
        (registry / "verifications" / "orders" / f"{version}.json").write_text(json.dumps(record))
    monkeypatch.setattr(records, "MAX_RECORDS", 1)
    code = main(["records", "push", "--repo", str(repo), "--registry", str(registry)])
    err = capsys.readouterr().err
    assert code == 2
    assert "records-too-many" in err
    assert "more than the 1 accord reads" in err
    assert git("branch", "--list", BRANCH, cwd=origin) == ""


def test_pull_refuses_a_branch_over_the_byte_cap_before_reading_a_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the count was capped: 100,000 records near the 1 MiB file cap were all read.
    import accord.consumers._records as records
    import accord.distribution.records as records_module

    repo = tmp_path / "bare.git"
    git("init", "-q", "--bare", str(repo), cwd=tmp_path)
    write_records(repo, {f"verifications/p/{n}.json": b"x" * 40 for n in range(3)}, message="3")
    monkeypatch.setattr(records, "MAX_RECORDS_BYTES", 100)
    real = records_module._Git.run_bytes

    def no_blob_reads(self: object, *args: str, **kwargs: object) -> bytes:
        assert args[0] != "cat-file", "a blob was read before the byte cap"
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(records_module._Git, "run_bytes", no_blob_reads)
    with pytest.raises(UsageError) as caught:
        read_records(repo, tmp_path / "into", remote=None)
    assert caught.value.code == "records-too-large"
    assert "120 bytes" in str(caught.value)
    assert not (tmp_path / "into").exists()
