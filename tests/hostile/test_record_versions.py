"""A verification record's provider version is a version label, as a deployment
record's is: letters, digits, ``.``, ``_``, ``+``, ``-``, starting with a letter or a
digit, at most 128 characters.

Before, ``record_path`` refused only ``/``, ``\\`` and a leading ``.``:
``accord verify --provider-version "1.0 0" --record`` (a line break, a bidi control, a
``:``, a leading ``-``) wrote ``verifications/<provider>/<that>.json``, a record
``can-i-deploy`` (which refuses such a label) can never be asked about, and a label of
300 characters stopped with the operating system's ``OSError`` (exit 3).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import DocumentError
from accord.provider import record_verification

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

BAD = ["1.0\n0", "a b", "x" * 300, "1.0.0:x", "-rf", "1.0.0\u202e", "", "..", "a/b"]


def _record(version: str) -> dict[str, object]:
    return {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": version,
        "verified_at": "2024-05-01T12:00:00Z",
        "results": [],
    }


@pytest.mark.parametrize("version", BAD)
def test_a_version_that_is_no_label_is_refused(registry_root: Path, version: str) -> None:
    with pytest.raises(DocumentError) as info:
        record_verification(registry_root, _record(version))
    assert info.value.code == "record-bad-version"
    assert not (registry_root / "verifications").exists()


@pytest.mark.parametrize("version", ["1.0\n0", "x" * 300])
def test_verify_refuses_it_before_any_request(
    registry_root: Path, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "verify",
        "--provider",
        "users-service",
        "--base-url",
        "http://127.0.0.1:9",
        "--provider-version",
        version,
        "--record",
        "--registry",
        str(registry_root),
    ]
    assert main(argv) == 2
    assert "record-bad-version" in capsys.readouterr().err
    assert not (registry_root / "verifications").exists()


@pytest.mark.parametrize("version", ["2.1.0", "2.1.0-rc.1+build.5", "0f3c2a9", "v2_1"])
def test_labels_are_recorded(registry_root: Path, version: str) -> None:
    path = record_verification(registry_root, _record(version))
    assert path == registry_root / "verifications" / "users-service" / f"{version}.json"
