"""``accord records pull`` copies records only, all or nothing (fail closed).

The records branch needs no review, so anything on it is hostile input: a file that is
not a well-formed record at a record path is refused (exit 2, path named) and nothing
at all is written; git never reads a remote or branch as an option.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from accord.cli import main
from accord.distribution.records import read_records, write_records
from accord.errors import UsageError

BRANCH = "accord-records"


def record(provider: str = "users", version: str = "1.0.0") -> bytes:
    doc = {
        "format_version": 1,
        "provider": provider,
        "provider_version": version,
        "verified_at": "2026-01-01T00:00:00Z",
        "results": [{"consumer": "web", "digest": "sha256:00", "success": True}],
    }
    return (json.dumps(doc) + "\n").encode()


ENV = b'format_version = 1\n\n[services.users]\ndeployed = ["1.0.0"]\nreleased = []\n'
GOOD = {"verifications/users/1.0.0.json": record(), "environments/production.toml": ENV}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    return path


def branch(repo: Path, files: dict[str, bytes]) -> None:
    """Put ``files`` on the records branch (the writer lays any relative path)."""
    write_records(repo, files, message="crafted", author=("t", "t@t"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    (root / "users" / "user").mkdir(parents=True)
    (root / "users" / "user" / "1.0.0.schema.json").write_text('{"type": "object"}\n')
    (root / "accord.lock").write_text("users.user 1.0.0 sha256:aa\n")
    return root


def pull(repo: Path, into: Path, *extra: str) -> int:
    return main(["records", "pull", "--repo", str(repo), "--into", str(into), "--local", *extra])


def test_valid_records_are_pulled(repo: Path, registry: Path) -> None:
    branch(repo, GOOD)
    assert read_records(repo, registry, remote=None) == tuple(sorted(GOOD))
    assert (registry / "environments" / "production.toml").read_bytes() == ENV


def test_crafted_branch_rewrites_nothing(
    repo: Path, registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(
        repo,
        {
            **GOOD,
            "users/user/1.0.0.schema.json": b'{"type": "string"}\n',
            "accord.lock": b"",
            "conftest.py": b"import os\n",
        },
    )
    before = snapshot(registry)
    assert pull(repo, registry) == 2
    err = capsys.readouterr().err
    assert "accord.lock" in err
    assert "Traceback" not in err
    # nothing written: not the hostile files, not even the valid records
    assert snapshot(registry) == before


@pytest.mark.parametrize(
    ("path", "data"),
    [
        pytest.param("releases/users.json", b"{}", id="unknown-dir"),
        pytest.param("verifications/users/1.0.0.txt", record(), id="wrong-suffix"),
        pytest.param("verifications/users/x/1.0.0.json", record(), id="too-deep"),
        pytest.param("verifications/1.0.0.json", record(), id="too-shallow"),
        # (not "Users": a case twin of users/, which the writer refuses)
        pytest.param("verifications/Orders/1.0.0.json", record("Orders"), id="bad-provider"),
        pytest.param("verifications/users/-1.json", record(version="-1"), id="bad-version"),
        pytest.param("verifications/users/1.0.0.json", b"{not json", id="not-json"),
        pytest.param("verifications/users/1.0.0.json", b"{}", id="not-a-record"),
        pytest.param("verifications/users/2.0.0.json", record(), id="path-disagrees"),
        pytest.param("verifications/users/1.0.0.json", record("orders"), id="other-provider"),
        pytest.param("environments/production.json", b"{}", id="env-json"),
        pytest.param("environments/production.toml", b"format_version = [", id="env-not-toml"),
        pytest.param("environments/production.toml", b"format_version = 1\nx = 1\n", id="env-key"),
        pytest.param("environments/Prod.toml", ENV, id="env-bad-name"),
        pytest.param(
            "environments/production.toml",
            b'format_version = 1\n[services."../x"]\ndeployed = []\n',
            id="env-bad-service",
        ),
        pytest.param("environments/production.toml", b"\xff", id="env-not-utf8"),
        pytest.param(
            "verifications/users/1.0.0.json", b" " * (1024 * 1024 + 1) + b"{}", id="too-big"
        ),
    ],
)
def test_anything_but_a_record_is_refused(
    repo: Path, tmp_path: Path, path: str, data: bytes
) -> None:
    others = {k: v for k, v in GOOD.items() if k != path}
    branch(repo, {**others, path: data})
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(UsageError) as info:
        read_records(repo, into, remote=None)
    assert info.value.code == "records-not-a-record"
    assert path in str(info.value)
    assert snapshot(into) == {}


def test_symlink_entry_is_refused(repo: Path, tmp_path: Path) -> None:
    # a tree entry with mode 120000 (symlink) at a record path
    blob = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "--stdin"],
            input=b"/etc/passwd",
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    env = {**os.environ, "GIT_INDEX_FILE": str(tmp_path / "index")}
    info = f"120000 {blob}\tenvironments/production.toml\n".encode()
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "update-index", "--add", "--index-info"], input=info, env=env, check=True)
    tree = subprocess.run(
        [*git, "write-tree"], env=env, capture_output=True, check=True
    ).stdout.decode()
    commit = subprocess.run(
        [*git, "-c", "user.name=t", "-c", "user.email=t@t", "commit-tree", tree.strip(), "-m", "x"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    subprocess.run([*git, "update-ref", f"refs/heads/{BRANCH}", commit.strip()], check=True)
    with pytest.raises(UsageError) as exc:
        read_records(repo, tmp_path / "into", remote=None)
    assert exc.value.code == "records-not-a-record"


@pytest.mark.parametrize(
    "obstacle",
    [
        pytest.param("dir-at-file", id="directory-where-the-record-goes"),
        pytest.param("file-at-dir", id="file-where-a-directory-goes"),
        pytest.param("symlink-dir", id="symlinked-directory"),
    ],
)
def test_collision_exits_2_before_any_write(
    repo: Path, tmp_path: Path, obstacle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    branch(repo, GOOD)
    into = tmp_path / "into"
    into.mkdir()
    if obstacle == "dir-at-file":
        (into / "verifications" / "users" / "1.0.0.json").mkdir(parents=True)
    elif obstacle == "file-at-dir":
        (into / "verifications").write_text("x")
    else:
        (tmp_path / "elsewhere").mkdir()
        (into / "verifications").symlink_to(tmp_path / "elsewhere")
    before = snapshot(into)
    assert pull(repo, into) == 2
    assert "collides" in capsys.readouterr().err
    assert snapshot(into) == before
    assert not (into / "environments").exists()
    if obstacle == "symlink-dir":
        assert not list((tmp_path / "elsewhere").rglob("*"))


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--remote", "--upload-pack=touch {marker};"], id="remote-option"),
        pytest.param(["--remote", "-oProxyCommand=touch {marker}"], id="remote-dash"),
        pytest.param(["--branch", "--upload-pack=touch {marker}", "--local"], id="branch-option"),
        pytest.param(["--branch", "a..b", "--local"], id="branch-bad-ref"),
        pytest.param(["--remote", "ext::sh -c touch% {marker}"], id="ext-transport"),
    ],
)
@pytest.mark.parametrize("command", ["pull", "push"])
def test_options_are_never_read_from_remote_or_branch(
    repo: Path, registry: Path, tmp_path: Path, args: list[str], command: str
) -> None:
    marker = tmp_path / "pwned"
    (registry / "verifications" / "users").mkdir(parents=True)
    (registry / "verifications" / "users" / "1.0.0.json").write_bytes(record())
    argv = [a.format(marker=marker) for a in args]
    if command == "push" and "--local" in argv:
        argv.remove("--local")
    place = ["--into", str(registry)] if command == "pull" else ["--registry", str(registry)]
    code = main(["records", command, "--repo", str(repo), *place, *argv])
    assert code == 2
    assert not marker.exists()


def test_push_refuses_what_pull_would_refuse(repo: Path, registry: Path) -> None:
    (registry / "verifications" / "users").mkdir(parents=True)
    (registry / "verifications" / "users" / "1.0.0.json").write_bytes(b"{}")
    argv = ["records", "push", "--repo", str(repo), "--registry", str(registry), "--no-push"]
    assert main(argv) == 2
    listed = subprocess.run(
        ["git", "-C", str(repo), "branch", "--list", BRANCH], capture_output=True, check=True
    )
    assert listed.stdout == b""
