"""Helpers that build tiny registries on disk for the registry, config and lint tests."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

DEFAULT_TOML = 'owner = "team-a"\nkind = "event"\n'


def write(path: Path, content: str | bytes) -> Path:
    """Write text or bytes, creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def add_contract(
    root: Path,
    contract_id: str,
    versions: dict[str, Any] | None = None,
    *,
    toml: str | None = DEFAULT_TOML,
) -> Path:
    """Create ``<root>/<ns>/<name>/`` with ``contract.toml`` and version files.

    Version values that are ``str``/``bytes`` are written as is; anything else is
    dumped as JSON.
    """
    namespace, name = contract_id.split(".")
    directory = root / namespace / name
    directory.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        write(directory / "contract.toml", toml)
    for version, document in (versions or {}).items():
        data = document if isinstance(document, str | bytes) else json.dumps(document, indent=2)
        write(directory / f"{version}.schema.json", data)
    return directory


def digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def lock_line(root: Path, contract_id: str, version: str) -> str:
    namespace, name = contract_id.split(".")
    return f"{contract_id} {version} {digest(root / namespace / name / f'{version}.schema.json')}"


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every path under ``root`` (symlinks not followed) with its kind, content and mtime."""
    out: dict[str, tuple[str, bytes | str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            st = path.lstat()
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path), st.st_mtime_ns)
            elif path.is_dir():
                out[rel] = ("dir", b"", st.st_mtime_ns)
            elif path.is_file():
                out[rel] = ("file", path.read_bytes(), st.st_mtime_ns)
            else:
                out[rel] = ("special", b"", st.st_mtime_ns)
    return out


def publish(root: Path, contract_id: str, versions: dict[str, Any]) -> Path:
    """:func:`add_contract`, then a lock line for each version (kept sorted)."""
    directory = add_contract(root, contract_id, versions)
    lock = root / "accord.lock"
    lines = lock.read_text().splitlines() if lock.exists() else []
    lines += [lock_line(root, contract_id, version) for version in versions]
    lock.write_text("".join(f"{line}\n" for line in sorted(lines)))
    return directory


def locked_version(root: Path, contract_id: str, version: str, document: Any) -> None:
    """One version file written as registry tooling writes it (indented by 2, keys
    sorted), and its lock line (the lock kept sorted): a published version."""
    folder = root.joinpath(*contract_id.split("."))
    folder.mkdir(parents=True, exist_ok=True)
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    (folder / f"{version}.schema.json").write_bytes(raw)
    lock = root / "accord.lock"
    lines = lock.read_text().splitlines() if lock.exists() else []
    lines.append(f"{contract_id} {version} sha256:{hashlib.sha256(raw).hexdigest()}")
    lock.write_text("".join(f"{line}\n" for line in sorted(lines)))


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no system or user configuration."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def record_verified(root: Path, provider: str = "users-service") -> None:
    """A verification record of ``provider`` 1.0.0 passing every expectation in the
    registry at ``root`` (a consumer verified, so no longer pending)."""
    from accord.consumers._model import discover

    results = [
        {
            "consumer": found.consumer,
            "expectation": found.file,
            "digest": found.digest,
            "content_digest": found.content_digest,
            "success": True,
        }
        for found in discover(root)
    ]
    record = {
        "format_version": 1,
        "provider": provider,
        "provider_version": "1.0.0",
        "verified_at": "2026-12-01T12:00:00Z",
        "results": results,
    }
    folder = root / "verifications" / provider
    folder.mkdir(parents=True)
    (folder / "1.0.0.json").write_text(json.dumps(record), encoding="utf-8")


def edit_keeping_stat(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same length) in ``path`` and put its mtime back: an
    edit that git's stat check under ``core.checkStat = minimal`` cannot see."""
    past = path.stat()
    raw = path.read_bytes()
    edited = raw.replace(old, new)
    assert len(edited) == len(raw)
    assert edited != raw
    path.write_bytes(edited)
    os.utime(path, ns=(past.st_atime_ns, past.st_mtime_ns))
