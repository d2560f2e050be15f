"""Records are never read through a symlinked directory.

``load_records`` globbed ``verifications/*/*.json`` and ``load_environment`` read
``environments/<env>.toml``, each refusing a symlinked *file* only: a symlinked
``verifications``, ``verifications/<provider>`` or ``environments`` directory was
followed, so ``can-i-deploy`` and the gate believed records from wherever it pointed
(outside the registry). The registry's other readers refuse links on the way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.consumers._records import load_records
from accord.errors import AccordError
from accord.provider._deploy import load_environment

RECORD = {
    "format_version": 1,
    "provider": "users",
    "provider_version": "1.0.0",
    "verified_at": "2024-05-01T12:00:00Z",
    "results": [{"consumer": "billing", "digest": "sha256:x", "success": True}],
}


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "users").mkdir(parents=True)
    (outside / "users" / "1.0.0.json").write_text(json.dumps(RECORD))
    (outside / "production.toml").write_text(
        'format_version = 1\n[services.users]\ndeployed = ["1.0.0"]\n'
    )
    return outside


@pytest.mark.parametrize("linked", ["verifications", "verifications/users"])
def test_records_are_not_read_through_a_linked_directory(tmp_path: Path, linked: str) -> None:
    outside = _outside(tmp_path)
    root = tmp_path / "contracts"
    (root / "verifications").mkdir(parents=True)
    if linked == "verifications":
        (root / "verifications").rmdir()
        (root / "verifications").symlink_to(outside, target_is_directory=True)
    else:
        (root / linked).symlink_to(outside / "users", target_is_directory=True)
    for provider in (None, "users"):
        with pytest.raises(AccordError) as info:
            load_records(root, provider)
        assert info.value.code == "path-symlink"
        assert info.value.file == linked


def test_an_environment_is_not_read_through_a_linked_directory(tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    root = tmp_path / "contracts"
    root.mkdir()
    (root / "environments").symlink_to(outside, target_is_directory=True)
    with pytest.raises(AccordError) as info:
        load_environment(root, "production")
    assert info.value.code == "path-symlink"


def test_plain_records_are_read(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    (root / "verifications" / "users").mkdir(parents=True)
    (root / "verifications" / "users" / "1.0.0.json").write_text(json.dumps(RECORD))
    assert [r["provider_version"] for r in load_records(root)] == ["1.0.0"]
