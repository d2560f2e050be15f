"""A verification record is the record of the provider version its path names.

``verifications/users-service/backup.json``, a copy of ``2.0.0.json`` kept from before
2.0.0 was re-verified and failed, also claimed ``provider_version: "2.0.0"``; records
were keyed by what they claim and the last file read won, so ``can-i-deploy
users-service 2.0.0`` answered "verified" from the stale copy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.provider import record_deployment, record_verification

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


def _verify(root: Path, success: bool) -> Path:
    from accord.consumers._model import load

    ef = load(root / "consumers" / "billing" / "users.json", root=root)
    return record_verification(
        root,
        {
            "format_version": 1,
            "provider": "users-service",
            "provider_version": "2.0.0",
            "verified_at": "2024-05-01T12:00:00Z" if success else "2024-06-01T12:00:00Z",
            "results": [
                {
                    "consumer": "billing",
                    "expectation": ef.file,
                    "digest": ef.digest,
                    "consumer_version": "1.4.0",
                    "success": success,
                    "interactions": [],
                }
            ],
        },
    )


def _deploy(root: Path) -> list[str]:
    return ["can-i-deploy", "users-service", "2.0.0", "--to", "production", "--registry", str(root)]


def test_a_stale_copy_cannot_answer_for_a_failed_record(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    record = _verify(registry_root, True)
    stale = record.read_bytes()
    record.unlink()
    _verify(registry_root, False)  # re-verified: it fails now
    assert main(_deploy(registry_root)) == 1
    capsys.readouterr()
    (record.parent / "backup.json").write_bytes(stale)
    assert main(_deploy(registry_root)) == 2
    err = capsys.readouterr().err
    assert "record-invalid" in err
    assert "verifications/users-service/backup.json" in err


@pytest.mark.parametrize(
    ("key", "value"), [("provider_version", "2.0.1"), ("provider", "orders-service")]
)
def test_a_record_naming_another_version_or_provider_is_refused(
    registry_root: Path, capsys: pytest.CaptureFixture[str], key: str, value: str
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    record = _verify(registry_root, True)
    doc = json.loads(record.read_text())
    doc[key] = value
    record.write_text(json.dumps(doc))
    assert main(_deploy(registry_root)) == 2
    err = capsys.readouterr().err
    assert "record-invalid" in err
    assert f"/{key}" in err
