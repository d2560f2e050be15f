"""Envelopes and upcasters say no to what they cannot read for sure.

Before: two ``ce-dataschema`` headers naming different versions were read as the last
one; ``upcast`` read a message stamped with a version the registry does not have
(``1.5.0`` beside 1.0.0, 1.1.0, 2.0.0) as if it existed; an upcaster raising
``KeyError`` escaped as that ``KeyError``; ``to_major=True`` upcast to major 1, and
``stamp(..., header=5)`` and ``upcast_data(data, 5)`` raised ``AttributeError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, add_contract
from accord.distribution.envelope import (
    Upcasters,
    stamp,
    upcast,
    upcast_data,
    validator_for_message,
)
from accord.errors import UsageError, VersionNotFound
from accord.registry.runtime import clear_caches

ONE = "accord://orders.placed@1.0.0"
TWO = "accord://orders.placed@2.0.0"


def _schema(required: str) -> dict[str, Any]:
    return {"$schema": DRAFT_2020_12, "type": "object", "required": [required]}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    versions = {"1.0.0": _schema("customer"), "1.1.0": _schema("customer")}
    add_contract(root, "orders.placed", {**versions, "2.0.0": _schema("customer_id")})
    clear_caches()
    return root


@pytest.fixture
def upcasters() -> Upcasters:
    chain = Upcasters()

    @chain.upcaster("orders.placed", from_major=1)
    def to_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"customer_id": data["customer"]["id"]}

    return chain


def _event(version: str, data: Any) -> dict[str, Any]:
    return {"specversion": "1.0", "dataschema": f"accord://orders.placed@{version}", "data": data}


@pytest.mark.parametrize(
    "message",
    [
        [("ce-dataschema", TWO), ("ce-dataschema", ONE)],
        [("ce_dataschema", TWO.encode()), ("CE-DataSchema", ONE.encode())],
        {"ce-dataschema": TWO, "ce_dataschema": ONE},
    ],
)
def test_two_different_stamps_are_refused(registry: Path, message: Any) -> None:
    with pytest.raises(UsageError) as caught:
        validator_for_message(message, registry=registry)
    assert caught.value.code == "message-ambiguous-dataschema"


def test_the_same_stamp_twice_is_read(registry: Path) -> None:
    message = [("ce-dataschema", ONE), ("ce_dataschema", ONE.encode())]
    assert validator_for_message(message, registry=registry).ref == "orders.placed@1.0.0"


@pytest.mark.parametrize("version", ["1.5.0", "1.0.1", "0.9.0"])
def test_upcast_refuses_a_version_the_registry_does_not_have(
    registry: Path, upcasters: Upcasters, version: str
) -> None:
    with pytest.raises(VersionNotFound) as caught:
        upcast(_event(version, {"customer": {"id": 1}}), registry=registry, upcasters=upcasters)
    assert caught.value.code == "version-not-found"
    assert version in caught.value.message


def test_an_upcaster_that_raises_is_an_accord_error(registry: Path, upcasters: Upcasters) -> None:
    with pytest.raises(UsageError) as caught:
        # valid under 1.0.0 (which only requires "customer"): the upcaster itself fails
        upcast(_event("1.0.0", {"customer": {}}), registry=registry, upcasters=upcasters)
    assert caught.value.code == "upcaster-failed"
    assert "to_v2" in caught.value.message
    assert "KeyError" in caught.value.message
    assert isinstance(caught.value.__cause__, KeyError)


def test_a_working_upcast_still_restamps(registry: Path, upcasters: Upcasters) -> None:
    result = upcast(
        _event("1.1.0", {"customer": {"id": 7}}), registry=registry, upcasters=upcasters
    )
    assert (result["data"], result["dataschema"]) == ({"customer_id": 7}, TWO)


@pytest.mark.parametrize("major", [True, "2", 2.0, -1])
def test_to_major_must_be_a_major(registry: Path, upcasters: Upcasters, major: Any) -> None:
    with pytest.raises(UsageError) as caught:
        upcast_data(
            {"customer": {"id": 1}},
            "orders.placed@1.0.0",
            to_major=major,
            registry=registry,
            upcasters=upcasters,
        )
    assert caught.value.code == "upcast-bad-major"


def test_upcast_data_needs_a_string_reference(registry: Path) -> None:
    with pytest.raises(UsageError):
        upcast_data({}, 5, registry=registry)  # type: ignore[arg-type]


@pytest.mark.parametrize("header", [5, "x\r\nInjected: 1", "ce dataschema", ""])
def test_stamp_refuses_a_header_name_that_is_not_a_token(registry: Path, header: Any) -> None:
    with pytest.raises(UsageError) as caught:
        stamp([("a", "b")], "orders.placed@1.0.0", registry=registry, header=header)
    assert caught.value.code == "envelope-bad-header"
