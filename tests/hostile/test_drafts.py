"""Drafts are never releases: a version file without an accord.lock line (written by
hand, or left by a killed publish) is never picked by a range, ``latest`` or a
validator, ``list`` shows it, ``lint`` flags it, and the next publish repairs what a
killed one left. ``publish --version`` below the first release is refused;
``publish --dry-run`` writes nothing; a major bump says why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.cli import main
from accord.errors import UsageError, VersionNotFound
from accord.gate import publish as _publish
from accord.gate.lint import lint
from accord.registry import runtime as _runtime
from accord.registry.model import Registry, read_lock

CID = "catalog.item"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
V1: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "properties": {"sku": {"type": "string"}, "name": {"type": "string"}},
    "required": ["sku"],
}
# The hand-written draft: a new required field (a breaking change).
V1_1 = {**V1, "properties": {**V1["properties"], "price": {"type": "integer"}}}
V1_1["required"] = ["sku", "price"]
VALID = {"sku": "a-1", "name": "pen"}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """catalog.item with 1.0.0 published and 1.1.0 written by hand (no lock line)."""
    registry = tmp_path / "contracts"
    directory = registry / "catalog" / "item"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "record"\n')
    assert _publish.publish(registry, CID, V1).status == "published"
    (directory / "1.1.0.schema.json").write_text(json.dumps(V1_1, indent=2))
    _runtime.clear_caches()
    return registry


def test_a_range_and_latest_skip_the_draft(root: Path) -> None:
    registry = Registry.load(root)
    assert str(registry.get(f"{CID}@^1").version) == "1.0.0"
    assert str(registry.get(CID).version) == "1.0.0"
    assert str(registry.contract(CID).latest().version) == "1.0.0"  # type: ignore[union-attr]
    assert registry.contract(CID).drafts == {accord.Version.parse("1.1.0")}
    assert accord.validator(f"{CID}@^1", registry=root).is_valid(VALID)


def test_only_an_exact_pin_reaches_the_draft_and_it_warns(root: Path) -> None:
    with pytest.warns(UserWarning, match=r"catalog.item@1.1.0 is a draft"):
        pinned = accord.validator(f"{CID}@1.1.0", registry=root)
    assert not pinned.is_valid(VALID)


def test_a_range_matching_only_drafts_names_them(root: Path) -> None:
    with pytest.raises(VersionNotFound, match=r"1.1.0 \(draft: not in accord.lock\)"):
        Registry.load(root).get(f"{CID}@>=1.1.0,<2")


def test_lint_flags_the_draft(root: Path) -> None:
    report = lint(root)
    found = [(p.code, p.severity, p.file) for p in report.problems]
    assert found == [("version-unpublished", "warning", "catalog/item/1.1.0.schema.json")]


def test_list_shows_the_draft(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--registry", str(root), "--format", "json"]) == 0
    (contract,) = json.loads(capsys.readouterr().out)["contracts"]
    assert contract["latest"] == "1.0.0"
    assert [(v["version"], v["draft"]) for v in contract["versions"]] == [
        ("1.0.0", False),
        ("1.1.0", True),
    ]
    assert main(["list", "--registry", str(root)]) == 0
    assert "1.1.0 (draft: not in accord.lock)" in capsys.readouterr().out


def test_completing_a_draft_still_runs_the_gate(root: Path) -> None:
    """Publishing the hand-written file as 1.1.0 must not skip the compatibility check."""
    before = snapshot(root)
    result = _publish.publish(root, CID, V1_1, version="1.1.0")
    assert (result.status, result.required_bump) == ("refused", "major")
    assert snapshot(root) == before
    assert [str(v) for _, v in read_lock(root)] == ["1.0.0"]


def test_a_compatible_draft_is_completed_after_its_check(root: Path) -> None:
    compatible = {**V1, "properties": {**V1["properties"], "note": {"type": "string"}}}
    (root / "catalog" / "item" / "1.1.0.schema.json").write_text(json.dumps(compatible))
    result = _publish.publish(root, CID, compatible)
    assert (result.status, str(result.version), result.required_bump) == (
        "completed",
        "1.1.0",
        "minor",
    )
    assert [str(v) for _, v in read_lock(root)] == ["1.0.0", "1.1.0"]
    assert not Registry.load(root).contract(CID).drafts


def test_another_document_over_a_draft_names_the_draft(root: Path) -> None:
    other = {**V1, "properties": {**V1["properties"], "colour": {"type": "string"}}}
    result = _publish.publish(root, CID, other)
    assert result.status == "conflict"
    assert "without an accord.lock line" in result.message


_PUBLISH = """
import json, sys
from accord.gate import publish as _publish; from accord.registry import runtime as _runtime
_publish.publish(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
"""


def _killed_at(root: Path, step: str, document: Any) -> None:
    env = {**os.environ, "ACCORD_TEST_FAILPOINT": step}
    done = subprocess.run(
        [sys.executable, "-c", _PUBLISH, str(root), CID, json.dumps(document)],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == -9, done.stderr  # really killed


def test_a_killed_publish_is_a_draft_until_the_next_publish(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "catalog" / "item").mkdir(parents=True)
    (root / "catalog" / "item" / "contract.toml").write_text('owner = "t"\nkind = "record"\n')
    _publish.publish(root, CID, V1)
    compatible = {**V1, "properties": {**V1["properties"], "note": {"type": "string"}}}
    _killed_at(root, "after-version-file", compatible)
    assert str(Registry.load(root).get(f"{CID}@^1").version) == "1.0.0"
    assert [p.code for p in lint(root).problems] == ["version-unpublished"]
    assert _publish.publish(root, CID, compatible).status == "completed"
    assert [p.code for p in lint(root).problems] == []


def test_the_next_publish_removes_temp_files_a_killed_one_left(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    directory = root / "catalog" / "item"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "t"\nkind = "record"\n')
    _publish.publish(root, CID, V1)
    compatible = {**V1, "properties": {**V1["properties"], "note": {"type": "string"}}}
    _killed_at(root, "after-temp-file", compatible)
    (root / ".accord.lock.abcd1234.tmp").write_text("half a lock")  # a killed lock write
    other = root / "catalog" / "other"
    other.mkdir()
    (other / "contract.toml").write_text('owner = "t"\nkind = "record"\n')
    (other / ".1.0.0.schema.json.zz99_abc.tmp").write_text("{")  # another contract's
    (other / ".keep.me.tmp").write_text("not ours")  # not a temp name accord writes
    leftovers = sorted(p.file for p in lint(root).problems if p.code == "publish-leftover")
    assert len(leftovers) == 3, leftovers
    assert leftovers[0] == ".accord.lock.abcd1234.tmp"
    assert leftovers[1].startswith("catalog/item/.1.1.0.schema.json.")
    assert leftovers[2] == "catalog/other/.1.0.0.schema.json.zz99_abc.tmp"
    assert _publish.publish(root, CID, compatible).status == "published"
    assert [p.name for p in directory.iterdir() if p.name.startswith(".")] == []
    assert [p.name for p in other.iterdir() if p.name.startswith(".")] == [".keep.me.tmp"]
    assert not (root / ".accord.lock.abcd1234.tmp").exists()
    assert lint(root).problems == ()


# -- versions below the first release --------------------------------------------------


def test_publish_below_the_first_release_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(root)
    with pytest.raises(UsageError, match=r"0.9.0 is below 1.0.0, its first published") as exc:
        _publish.publish(root, CID, V1_1, version="0.9.0")
    assert exc.value.code == "version-not-increasing"
    schema = root.parent / "s.json"
    schema.write_text(json.dumps(V1_1))
    argv = ["publish", CID, "--schema", str(schema), "--version", "0.9.0", "--registry", str(root)]
    assert main(argv) == 2
    assert "first published version" in capsys.readouterr().err
    assert snapshot(root) == before


def test_a_backport_into_an_existing_major_line_stays_allowed(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "catalog" / "item").mkdir(parents=True)
    (root / "catalog" / "item" / "contract.toml").write_text('owner = "t"\nkind = "record"\n')
    _publish.publish(root, CID, V1)
    assert _publish.publish(root, CID, V1_1, version="2.0.0").status == "published"
    patched = {**V1, "description": "backport"}
    result = _publish.publish(root, CID, patched, version="1.0.1")
    assert (result.status, str(result.previous)) == ("published", "1.0.0")


# -- dry run and why a bump is major ---------------------------------------------------

CLOSED = {**V1, "additionalProperties": False}
CLOSED_PLUS = {**CLOSED, "properties": {**V1["properties"], "colour": {"type": "string"}}}


def _closed_registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    (root / "catalog" / "item").mkdir(parents=True)
    (root / "catalog" / "item" / "contract.toml").write_text('owner = "t"\nkind = "record"\n')
    _publish.publish(root, CID, CLOSED)
    return root


def test_dry_run_writes_nothing_and_says_what_it_would_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _closed_registry(tmp_path)
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps(CLOSED_PLUS))
    before = snapshot(root)
    argv = ["publish", CID, "--schema", str(schema), "--registry", str(root), "--dry-run"]
    assert main([*argv, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["dry_run"], out["status"], out["version"]) == (True, "published", "2.0.0")
    assert main(argv) == 0
    assert "would publish catalog.item 2.0.0" in capsys.readouterr().out
    assert snapshot(root) == before


def test_an_optional_field_on_a_closed_object_says_why_it_is_major(tmp_path: Path) -> None:
    root = _closed_registry(tmp_path)
    result = _publish.publish(root, CID, CLOSED_PLUS)
    assert (result.status, str(result.version)) == ("published", "2.0.0")
    (why,) = result.reasons
    assert why.startswith("major: property-added-optional at /colour")
    assert "breaks forward, which mode full requires" in why
    assert '"colour"' in why
    assert "accepted by new and rejected by old" in why
