"""``accord.diff(ref, file)`` finds the registry the way ``accord.validator`` and
``accord.testing.assert_compatible`` do, instead of raising CLI advice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import accord
from accord.errors import UsageError
from accord.gate import publish as _publish

V1 = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}


def test_diff_of_a_reference_discovers_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text('owner = "t"\nkind = "event"\n')
    _publish.publish(root, "orders.placed", V1)
    new = tmp_path / "new.json"
    new.write_text(json.dumps({**V1, "required": ["id", "email"]}))
    monkeypatch.chdir(tmp_path)  # ./contracts, as a new user's project has it
    monkeypatch.delenv("ACCORD_REGISTRY", raising=False)
    report = accord.diff(old_ref="orders.placed@1.0.0", new_path=new)
    assert (report.backward, report.required_bump) == (False, "major")
    monkeypatch.setenv("ACCORD_REGISTRY", str(root))
    monkeypatch.chdir(tmp_path.parent)
    assert accord.diff(old_ref="orders.placed@^1", new_path=new).required_bump == "major"


def test_no_registry_anywhere_is_a_usage_error_naming_the_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_REGISTRY", raising=False)
    with pytest.raises(UsageError, match="no registry was found") as caught:
        accord.diff(old_ref="orders.placed@1.0.0", new_schema={"type": "object"})
    assert "registry=" in caught.value.message
