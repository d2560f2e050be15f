"""A verification record's times are the UTC form accord writes, or it is refused.

Readers pick the latest of several results by comparing ``verified_at`` as text, which
is chronological only for one fixed-width form. A hand-written ``+02:00`` time sorted
after a later ``Z`` one: a passing result at 12:00 UTC written as ``14:00:00+02:00``
answered for the failing re-verification at 13:00 UTC, and ``can-i-deploy`` said yes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.errors import DocumentError
from accord.provider import record_deployment, record_verification

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


def _result(root: Path, success: bool, when: str) -> dict[str, Any]:
    from accord.consumers._model import load

    ef = load(root / "consumers" / "billing" / "users.json", root=root)
    return {
        "consumer": "billing",
        "expectation": ef.file,
        "digest": ef.digest,
        "consumer_version": "1.4.0",
        "success": success,
        "verified_at": when,
        "interactions": [],
    }


def _record(root: Path, results: list[dict[str, Any]], when: str) -> dict[str, Any]:
    return {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": "2.0.0",
        "verified_at": when,
        "results": results,
    }


def _write(root: Path, doc: dict[str, Any]) -> None:
    path = root / "verifications" / "users-service" / "2.0.0.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")


def _deploy(root: Path) -> list[str]:
    return ["can-i-deploy", "users-service", "2.0.0", "--to", "production", "--registry", str(root)]


def test_utc_times_pick_the_latest_result(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    passed = _result(registry_root, True, "2024-06-01T12:00:00Z")
    failed = _result(registry_root, False, "2024-06-01T13:00:00Z")
    _write(registry_root, _record(registry_root, [passed, failed], "2024-06-01T13:00:00Z"))
    assert main(_deploy(registry_root)) == 1


def test_an_offset_time_is_refused(registry_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    passed = _result(registry_root, True, "2024-06-01T14:00:00+02:00")  # 12:00 UTC
    failed = _result(registry_root, False, "2024-06-01T13:00:00Z")
    _write(registry_root, _record(registry_root, [passed, failed], "2024-06-01T13:00:00Z"))
    assert main(_deploy(registry_root)) == 2
    err = capsys.readouterr().err
    assert "record-invalid" in err
    assert "/results/0/verified_at" in err


@pytest.mark.parametrize(
    "when",
    [
        "yesterday",
        "",
        "2024-06-01T12:00:00+00:00",
        "2024-06-01T12:00:00.5Z",  # "." sorts before "Z": earlier than 12:00:00Z as text
        "2024-06-01 12:00:00Z",
        "2024-06-01t12:00:00z",
        "2024-13-01T12:00:00Z",
        "2024-02-30T12:00:00Z",
        "2024-06-01T24:00:00Z",
        "+2024-06-01T12:00:00Z",
        "\uff12\uff10\uff12\uff14-06-01T12:00:00Z",  # full-width digits
    ],
)
def test_a_record_time_accord_does_not_write_is_refused(
    registry_root: Path, capsys: pytest.CaptureFixture[str], when: str
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    ok = _result(registry_root, True, "2024-06-01T12:00:00Z")
    _write(registry_root, _record(registry_root, [ok], when))
    assert main(_deploy(registry_root)) == 2
    err = capsys.readouterr().err
    assert "record-invalid" in err
    assert "/verified_at" in err


def test_record_verification_refuses_an_offset_time(registry_root: Path) -> None:
    ok = _result(registry_root, True, "2024-06-01T12:00:00Z")
    with pytest.raises(DocumentError) as info:
        record_verification(
            registry_root, _record(registry_root, [ok], "2024-06-01T14:00:00+02:00")
        )
    assert info.value.code == "record-invalid"
    assert info.value.pointer == "/verified_at"
    assert not (registry_root / "verifications").exists()


def test_a_result_without_a_time_is_still_read(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Records written before results carried their own time have none: still valid.
    record_deployment(registry_root, "billing", "1.4.0", "production")
    ok = _result(registry_root, True, "2024-06-01T12:00:00Z")
    del ok["verified_at"]
    _write(registry_root, _record(registry_root, [ok], "2024-06-01T12:00:00Z"))
    assert main(_deploy(registry_root)) == 0
