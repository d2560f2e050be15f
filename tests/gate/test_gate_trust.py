"""``accord check --against``: files unchanged since the base are not checked again.

A version file whose bytes the base commit had locked passed the gate when it landed
there; only new or edited files get the per-document schema checks (cache by content
digest). A schema problem in a new version is still found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, init_repo, make_contract, schema, write_unpublished

from accord.gate import check as gate_check
from accord.gate.check import check
from accord.registry import model as registry_module


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    for i in range(5):
        make_contract(root, f"orders.c{i}")
        write_unpublished(root, f"orders.c{i}", "1.0.0", schema())
    commit_all(repo, "base")
    return repo


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = registry_module.check_schema

    def spy(document: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(kwargs.get("file")))
        return real(document, *args, **kwargs)

    monkeypatch.setattr(registry_module, "check_schema", spy)
    return seen


def test_only_new_files_are_checked_against_the_base(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo / "contracts"
    write_unpublished(root, "orders.c3", "1.1.0", schema(extra={"type": "string"}))
    seen = _count_checks(monkeypatch)
    report = check(root, against="main", tip=True)
    assert report.exit_code() == 0
    assert [Path(f).name for f in seen] == ["1.1.0.schema.json"]

    seen.clear()
    check(root)  # the registry alone: every version is checked
    assert len(seen) == 6


def test_a_schema_problem_in_a_new_version_is_still_found(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo / "contracts"
    write_unpublished(
        root, "orders.c1", "1.1.0", {**schema(), "properties": {"id": {"type": "integr"}}}
    )
    from accord.errors import RegistryError

    with pytest.raises(RegistryError) as info:
        check(root, against="main", tip=True)
    assert info.value.code == "schema-metaschema"


def _count_ref_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = registry_module._check_refs

    def spy(index: Any, version: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(version.file)
        return real(index, version, *args, **kwargs)

    monkeypatch.setattr(registry_module, "_check_refs", spy)
    return seen


def test_unchanged_files_are_kept_as_bytes_and_read_when_diffed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo / "contracts"
    write_unpublished(root, "orders.c3", "1.1.0", schema(extra={"type": "string"}))
    parsed: list[str] = []
    real_parse = registry_module._Unparsed.parse

    def parse(self: Any, raw: bytes) -> Any:
        parsed.append(self.file)
        return real_parse(self, raw)

    monkeypatch.setattr(registry_module._Unparsed, "parse", parse)
    monkeypatch.setattr(gate_check, "_DIFF_CACHE", {})  # the diff really reads 1.0.0
    seen = _count_ref_checks(monkeypatch)
    report = check(root, against="main", tip=True)
    assert report.exit_code() == 0
    assert [Path(f).name for f in seen] == ["1.1.0.schema.json"]  # the new file only
    assert parsed == ["orders/c3/1.0.0.schema.json"]  # read once, by the one diff
    assert [(c.contract, str(c.previous)) for c in report.checks] == [("orders.c3", "1.0.0")]

    seen.clear()
    check(root)  # the registry alone: every version is loaded in full
    assert len(seen) == 6


def test_the_report_is_the_same_with_every_file_loaded_in_full(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo / "contracts"
    referring = {
        **schema(),
        "properties": {"id": {"$ref": "accord://orders.c0@1.0.0#/properties/id"}},
    }
    write_unpublished(root, "orders.c4", "1.1.0", referring)
    write_unpublished(root, "orders.c2", "1.0.1", schema(note=None))  # breaking: a patch
    monkeypatch.setattr(gate_check, "_DIFF_CACHE", {})
    seen = _count_ref_checks(monkeypatch)
    cheap = check(root, against="main", tip=True)
    assert sorted(Path(f).name for f in seen) == ["1.0.1.schema.json", "1.1.0.schema.json"]
    assert {f.rule for f in cheap.active} == {"bump-insufficient", "removal-not-deprecated"}

    monkeypatch.setattr(gate_check, "_DIFF_CACHE", {})
    monkeypatch.setattr(gate_check, "_vouched", lambda tree, ids: lambda file, raw: False)
    seen.clear()
    full = check(root, against="main", tip=True)
    assert len(seen) == 7  # nothing vouched for: every version loaded in full
    assert full == cheap
