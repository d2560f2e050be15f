"""A name that is a device on Windows never becomes a file name.

Before, the version-label grammar of verification and deployment records took ``CON``,
``nul``, ``COM1``, ``LPT9`` (with or without an extension: ``con.1``, ``NUL.tar``):
``record_verification`` wrote ``verifications/<provider>/CON.json``, ``records pull``
copied such a record, and a checkout of the registry on Windows opens the console (or
the null device) for that file, so the record is lost or the checkout fails. Names
(namespaces, contracts, services, environments, expectation files) already refused them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers._records import check_version_label, is_version_label
from accord.distribution.records import check_record
from accord.errors import AccordError, DocumentError, UsageError
from accord.provider import record_verification
from accord.provider._deploy import _parse, record_deployment, record_release
from accord.provider._errors import ProviderError
from accord.registry.names import is_windows_device_name

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

DEVICES = ["CON", "con", "nul", "Nul", "PRN", "aux", "COM1", "com0", "LPT9", "lpt1"]
WITH_EXTENSIONS = ["con.1", "NUL.tar.gz", "com1.0.0", "LPT9.json", "aux.x"]
NOT_DEVICES = ["console", "com10", "lpt", "con-1", "1.con", "nul_x", "2.1.0", "v1.0", "comx"]


@pytest.mark.parametrize("name", DEVICES + WITH_EXTENSIONS)
def test_device_names_are_seen_with_or_without_an_extension(name: str) -> None:
    assert is_windows_device_name(name)
    assert not is_version_label(name)
    with pytest.raises(DocumentError) as info:
        check_version_label(name)
    assert info.value.code == "record-bad-version"
    assert "Windows device name" in info.value.message


@pytest.mark.parametrize("name", NOT_DEVICES)
def test_other_labels_are_not_devices(name: str) -> None:
    assert not is_windows_device_name(name)
    assert is_version_label(name)


def _record(version: str) -> dict[str, object]:
    return {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": version,
        "verified_at": "2024-05-01T12:00:00Z",
        "results": [],
    }


@pytest.mark.parametrize("version", ["CON", "nul.1", "COM1", "LPT9"])
def test_no_verification_record_is_written_under_a_device_name(
    registry_root: Path, version: str
) -> None:
    with pytest.raises(DocumentError) as info:
        record_verification(registry_root, _record(version))
    assert info.value.code == "record-bad-version"
    assert not (registry_root / "verifications").exists()


def test_verify_refuses_a_device_name_before_any_request(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "verify",
        "--provider",
        "users-service",
        "--base-url",
        "http://127.0.0.1:9",
        "--provider-version",
        "CON",
        "--record",
        "--registry",
        str(registry_root),
    ]
    assert main(argv) == 2
    assert "record-bad-version" in capsys.readouterr().err
    assert not (registry_root / "verifications").exists()


@pytest.mark.parametrize("record", [record_deployment, record_release])
def test_deployment_versions_are_not_device_names(registry_root: Path, record: object) -> None:
    with pytest.raises(ProviderError) as info:
        record(registry_root, "users-service", "aux", "production")  # type: ignore[operator]
    assert info.value.code == "record-bad-name"
    assert not (registry_root / "environments").exists()


def test_a_deployment_record_listing_a_device_name_is_refused() -> None:
    raw = b'[services.users-service]\ndeployed = ["COM1"]\n'
    with pytest.raises(AccordError):
        _parse(raw, "production", "environments/production.toml")


@pytest.mark.parametrize("version", ["CON", "nul.1"])
def test_records_pull_refuses_a_record_named_as_a_device(version: str) -> None:
    data = json.dumps(_record(version) | {"provider": "users"}).encode()
    with pytest.raises(UsageError) as info:
        check_record(f"verifications/users/{version}.json", data)
    assert info.value.code == "records-not-a-record"
