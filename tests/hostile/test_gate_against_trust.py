"""``accord check --against``: only a file the base commit holds byte for byte, and had
locked, is loaded the cheap way; anything else is checked in full and refused.

The gate keeps only the bytes of an unchanged, self-contained version (parsed when a
diff first reads it). An edit to a published file, even re-locked in the working
``accord.lock``, makes its bytes differ from the base: it gets every check again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from accord.errors import RegistryError
from accord.gate.check import check
from accord.registry import model as registry_module

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "$defs": {"id": {"type": "integer"}},
    "properties": {"id": {"$ref": "#/$defs/id"}},
    "required": ["id"],
}


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env, check=True)


def _write(root: Path, contract: str, version: str, document: Any, *, lock: bool = True) -> None:
    namespace, name = contract.split(".")
    folder = root / namespace / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contract.toml").write_text('owner = "team"\nkind = "event"\n', encoding="utf-8")
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    (folder / f"{version}.schema.json").write_bytes(raw)
    if lock:
        _relock(root, contract, version, "sha256:" + hashlib.sha256(raw).hexdigest())


def _relock(root: Path, contract: str, version: str, digest: str) -> None:
    path = root / "accord.lock"
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [x for x in lines if not x.startswith(f"{contract} {version} ")]
    lines.append(f"{contract} {version} {digest}")
    path.write_text("".join(f"{x}\n" for x in sorted(lines)))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "commit.gpgsign", "false")
    root = repo / "contracts"
    for i in range(3):
        _write(root, f"orders.c{i}", "1.0.0", SCHEMA)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return root


def _fully_checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose $refs the load resolved (every file but those kept as bytes)."""
    seen: list[str] = []
    real = registry_module._check_refs

    def spy(index: Any, version: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(version.file)
        return real(index, version, *args, **kwargs)

    monkeypatch.setattr(registry_module, "_check_refs", spy)
    return seen


def test_an_edited_published_version_relocked_is_checked_in_full_and_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _fully_checked(monkeypatch)
    bad = {**SCHEMA, "properties": {"id": {"type": "integr"}}}
    _write(root, "orders.c1", "1.0.0", bad)  # edited, and its lock line rewritten to match
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "schema-metaschema"
    assert "orders/c1/1.0.0.schema.json" in seen


def test_an_edited_published_version_with_a_dangling_ref_is_refused(root: Path) -> None:
    dangling = {**SCHEMA, "properties": {"id": {"$ref": "#/$defs/missing"}}}
    _write(root, "orders.c2", "1.0.0", dangling)
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert "orders/c2/1.0.0.schema.json" in str(info.value)


def test_a_file_equal_to_the_base_but_not_to_the_working_lock_is_reported(root: Path) -> None:
    _relock(root, "orders.c0", "1.0.0", "sha256:" + "0" * 64)
    report = check(root, against="main", tip=True)
    assert [(f.rule, f.contract) for f in report.active] == [("lock-digest-mismatch", "orders.c0")]
    assert report.exit_code() == 1


def test_a_file_the_base_locked_but_did_not_hold_is_checked_in_full(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base commit's lock names bytes its own file does not have: the working file
    # matches that lock line, yet it is not the base's file, so nothing vouches for it.
    repo = root.parent
    other = {**SCHEMA, "description": "the bytes the base locked"}
    raw = (json.dumps(other, indent=2, sort_keys=True) + "\n").encode()
    _relock(root, "orders.c1", "1.0.0", "sha256:" + hashlib.sha256(raw).hexdigest())
    _git(repo, "commit", "-q", "-am", "a base whose lock disagrees with its file")
    (root / "orders" / "c1" / "1.0.0.schema.json").write_bytes(raw)
    seen = _fully_checked(monkeypatch)
    report = check(root, against="main", tip=True)
    assert "orders/c1/1.0.0.schema.json" in seen
    assert "orders/c0/1.0.0.schema.json" not in seen
    assert report.exit_code() == 0


def test_a_ref_into_a_deleted_version_is_still_refused(root: Path) -> None:
    # An unchanged file whose $ref leaves it is never kept as bytes: its refs are
    # resolved against today's registry, as before.
    repo = root.parent
    _write(
        root,
        "orders.c3",
        "1.0.0",
        {**SCHEMA, "properties": {"id": {"$ref": "accord://orders.c0@1.0.0#/$defs/id"}}},
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a contract referring to another")
    (root / "orders" / "c0" / "1.0.0.schema.json").unlink()
    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert "orders/c3/1.0.0.schema.json" in str(info.value)
