"""The verification records a registry's ``verifications/`` holds are capped as a
records branch is (``MAX_RECORDS`` files, ``MAX_RECORDS_BYTES`` in all), one check.

``can-i-deploy`` (and every reader of ``load_records``) read every record into memory,
however many there were: only ``records pull`` refused a branch past the cap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import accord.consumers._records as records
from accord.cli import main
from accord.consumers._records import load_records
from accord.errors import DocumentError
from accord.provider import record_deployment

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


def _write(root: Path, provider: str, version: str, padding: str = "") -> None:
    record = {
        "format_version": 1,
        "provider": provider,
        "provider_version": version,
        "verified_at": "2026-01-01T00:00:00Z",
        "results": [],
        "note": padding,
    }
    path = root / "verifications" / provider / f"{version}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")


def test_more_records_than_the_cap_are_refused_before_any_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        _write(tmp_path, "users", f"1.{n}.0")
    (tmp_path / "verifications" / "users" / "1.2.0.json").write_text("not json")
    monkeypatch.setattr(records, "MAX_RECORDS", 2)
    with pytest.raises(DocumentError) as caught:
        load_records(tmp_path)
    assert caught.value.code == "records-too-many"  # not the unread malformed record
    assert caught.value.file == "verifications"
    assert "3 records" in str(caught.value)


def test_more_record_bytes_than_the_cap_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "users", "1.0.0", "x" * 200)
    _write(tmp_path, "users", "1.1.0", "x" * 200)
    monkeypatch.setattr(records, "MAX_RECORDS_BYTES", 500)
    with pytest.raises(DocumentError) as caught:
        load_records(tmp_path)
    assert caught.value.code == "records-too-large"
    assert load_records(tmp_path, "orders") == []  # another provider's are not counted


def test_can_i_deploy_over_the_cap_is_exit_2_naming_the_directory(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    for n in range(3):
        _write(registry_root, "users", f"1.{n}.0")
    monkeypatch.setattr(records, "MAX_RECORDS", 2)
    argv = ["can-i-deploy", "billing", "1.4.0", "--to", "production"]
    assert main([*argv, "--registry", str(registry_root)]) == 2
    err = capsys.readouterr().err
    assert "records-too-many" in err
    assert "verifications" in err
    assert "internal error" not in err
