"""A message stamped with a draft is refused; one stamped with a yanked version warns.

A draft (a version file with no ``accord.lock`` line: hand-written, or left by a killed
publish) is no release: no range, bare id or latest selects it, and only a caller's own
exact pin reaches it, with a warning. A stamp is the producer's pin, not the consumer's:
before, ``validator_for_message`` of a message stamped with a draft validated it against
the draft (under pytest's ``-W error`` the draft's warning was the only sign), and
``upcast`` took a draft as the latest release to upcast to (and stamped the result with
it). A yanked stamp was validated without a word, though the yank says its version
should not be relied on (``ContractMiddleware`` and ``require()`` note such pins).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.distribution.envelope import (
    Upcasters,
    stamp,
    upcast,
    upcast_data,
    validator_for_message,
)
from accord.errors import VersionNotFound
from accord.registry.runtime import clear_caches

CID = "shop.order"


def _schema(required: list[str]) -> dict[str, Any]:
    return {"$schema": DRAFT_2020_12, "type": "object", "required": required}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """1.0.0 and 2.0.0 published, 1.0.1 published then yanked, 1.1.0 and 3.0.0 drafts."""
    root = tmp_path / "contracts"
    folder = publish(
        root,
        CID,
        {"1.0.0": _schema(["id"]), "1.0.1": _schema(["id"]), "2.0.0": _schema(["key"])},
    )
    toml = folder / "contract.toml"
    toml.write_text(toml.read_text() + '\n[yanked]\n"1.0.1" = "sent ids as strings"\n')
    (folder / "1.1.0.schema.json").write_text(json.dumps(_schema([])))
    (folder / "3.0.0.schema.json").write_text(json.dumps(_schema(["other"])))
    clear_caches()
    return root


def _event(version: str, data: Any) -> dict[str, Any]:
    return stamp({"specversion": "1.0", "data": data}, f"{CID}@{version}")


def test_a_draft_stamp_is_refused(registry: Path) -> None:
    with pytest.raises(VersionNotFound) as info:
        validator_for_message(_event("1.1.0", {}), registry=registry)
    assert info.value.code == "message-version-draft"
    assert "1.1.0" in info.value.message
    assert "draft" in info.value.message


def test_a_draft_stamp_is_read_when_the_caller_asks(registry: Path) -> None:
    with pytest.warns(UserWarning, match="draft"):
        check = validator_for_message(_event("1.1.0", {}), registry=registry, allow_draft=True)
    assert check.ref == f"{CID}@1.1.0"


def test_a_yanked_stamp_warns_with_the_reason(registry: Path) -> None:
    with pytest.warns(UserWarning, match="yanked.*sent ids as strings"):
        check = validator_for_message(_event("1.0.1", {"id": 1}), registry=registry)
    assert check.ref == f"{CID}@1.0.1"


def test_a_release_stamp_is_read_without_a_word(registry: Path) -> None:
    assert validator_for_message(_event("1.0.0", {}), registry=registry).ref == f"{CID}@1.0.0"


def _upcasters() -> Upcasters:
    upcasters = Upcasters()
    upcasters.register(CID, 1, lambda d: {"key": d["id"]})
    upcasters.register(CID, 2, lambda d: {"other": d["key"]})
    return upcasters


def test_upcast_never_targets_a_draft(registry: Path) -> None:
    result = upcast(_event("1.0.0", {"id": 1}), registry=registry, upcasters=_upcasters())
    assert result["dataschema"] == f"accord://{CID}@2.0.0"
    assert result["data"] == {"key": 1}


def test_upcast_refuses_a_draft_stamp(registry: Path) -> None:
    with pytest.raises(VersionNotFound) as info:
        upcast(_event("1.1.0", {"id": 1}), registry=registry, upcasters=_upcasters())
    assert info.value.code == "message-version-draft"
    with pytest.raises(VersionNotFound):
        upcast_data({"id": 1}, f"{CID}@1.1.0", registry=registry, upcasters=_upcasters())


def test_upcast_of_a_yanked_stamp_warns(registry: Path) -> None:
    with pytest.warns(UserWarning, match="yanked"):
        upcast(_event("1.0.1", {"id": 1}), registry=registry, upcasters=_upcasters())
