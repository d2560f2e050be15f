"""Message envelopes: stamping, validator lookup, unknown versions, upcasting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _dist_helpers import make_registry

from accord.distribution.envelope import (
    Upcasters,
    dataschema_of,
    stamp,
    upcast,
    upcast_data,
    validator_for_message,
)
from accord.errors import ContractNotFound, ContractViolation, UsageError, VersionNotFound
from accord.registry.runtime import clear_caches


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    clear_caches()
    return make_registry(tmp_path / "contracts")


def event(data: Any, **attrs: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "e1",
        "source": "/orders",
        "type": "order",
        "data": data,
        **attrs,
    }


# -- stamping --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "key", "expected"),
    [
        pytest.param(event({}), "dataschema", "accord://shop.order@1.1.0", id="structured"),
        pytest.param(
            {"content-type": "application/json"},
            "ce-dataschema",
            "accord://shop.order@1.1.0",
            id="http-headers",
        ),
        pytest.param({}, "ce-dataschema", "accord://shop.order@1.1.0", id="empty-headers"),
        pytest.param(
            {"ce_id": "1", "ce_type": "order"},
            "ce_dataschema",
            "accord://shop.order@1.1.0",
            id="kafka-prefix",
        ),
        pytest.param(
            {"CE-DataSchema": "accord://old.one@1.0.0"},
            "ce-dataschema",
            "accord://shop.order@1.1.0",
            id="replaces-case-insensitively",
        ),
    ],
)
def test_stamp_mappings(message: dict[str, Any], key: str, expected: str) -> None:
    out = stamp(message, "shop.order@1.1.0")
    assert out is message
    assert message[key] == expected
    assert sum(1 for k in message if k.lower() == key) == 1
    assert dataschema_of(message) == expected


def test_stamp_header_pairs_keeps_bytes() -> None:
    headers: list[tuple[str, Any]] = [("ce_id", b"1"), ("ce_dataschema", b"accord://x.y@1.0.0")]
    stamp(headers, "shop.order@2.0.0")
    assert headers == [("ce_id", b"1"), ("ce_dataschema", b"accord://shop.order@2.0.0")]
    assert dataschema_of(headers) == "accord://shop.order@2.0.0"


def test_stamp_resolves_a_range_against_the_registry(registry: Path) -> None:
    message = stamp(event({}), "shop.order@^1", registry=registry)
    assert message["dataschema"] == "accord://shop.order@1.1.0"


@pytest.mark.parametrize(
    "message",
    [
        pytest.param({"id": 1, "amount": 2}, id="bare-payload"),
        pytest.param([1, 2], id="list-of-numbers"),
        pytest.param("text", id="string"),
    ],
)
def test_stamp_refuses_what_is_not_a_message(message: Any) -> None:
    with pytest.raises(UsageError) as info:
        stamp(message, "shop.order@1.0.0")
    assert info.value.code == "envelope-not-a-message"


# -- lookup ----------------------------------------------------------------------------


def test_validator_for_message_picks_the_stamped_version(registry: Path) -> None:
    v10 = validator_for_message(stamp(event({}), "shop.order@1.0.0"), registry=registry)
    v11 = validator_for_message({"ce-dataschema": "accord://shop.order@1.1.0"}, registry=registry)
    payload = {"id": 1, "amount": 2.5, "note": "gift"}
    assert v11.is_valid(payload)
    assert not v10.is_valid(payload)  # 1.0.0 is closed: no "note"
    assert v10.ref == "shop.order@1.0.0"


def test_newer_version_than_the_registry_knows_names_both(registry: Path) -> None:
    message = {"ce-dataschema": b"accord://shop.order@3.1.0"}
    with pytest.raises(VersionNotFound) as info:
        validator_for_message(message, registry=registry)
    assert info.value.code == "message-version-newer"
    assert "shop.order@3.1.0" in info.value.message
    assert "(3.0.0;" in info.value.message


def test_missing_older_version_is_version_not_found(registry: Path) -> None:
    with pytest.raises(VersionNotFound) as info:
        validator_for_message({"ce-dataschema": "accord://shop.order@1.0.5"}, registry=registry)
    assert info.value.code == "version-not-found"
    assert "1.0.0, 1.1.0, 2.0.0, 3.0.0" in info.value.message


@pytest.mark.parametrize(
    ("message", "code"),
    [
        pytest.param(event({}), "message-no-dataschema", id="unstamped"),
        pytest.param(
            {"ce-dataschema": "https://example.com/s.json"},
            "message-foreign-dataschema",
            id="foreign-uri",
        ),
        pytest.param(
            {"ce-dataschema": "accord://shop.order@1.0.0#/$defs/x"},
            "message-foreign-dataschema",
            id="fragment",
        ),
    ],
)
def test_bad_stamps(registry: Path, message: Any, code: str) -> None:
    with pytest.raises(UsageError) as info:
        validator_for_message(message, registry=registry)
    assert info.value.code == code


def test_unknown_contract(registry: Path) -> None:
    with pytest.raises(ContractNotFound):
        validator_for_message({"ce-dataschema": "accord://shop.refund@1.0.0"}, registry=registry)


# -- upcasting -------------------------------------------------------------------------


@pytest.fixture
def upcasters() -> Upcasters:
    casts = Upcasters()

    @casts.upcaster("shop.order", from_major=1)
    def to_v2(data: dict[str, Any]) -> dict[str, Any]:
        amount = data.pop("amount")
        data.pop("note", None)
        return {**data, "amount_cents": round(amount * 100)}

    @casts.upcaster("shop.order", from_major=2)
    def to_v3(data: dict[str, Any]) -> dict[str, Any]:
        return {"id": data["id"], "total": {"cents": data["amount_cents"], "currency": "EUR"}}

    return casts


def test_upcast_chains_across_majors(registry: Path, upcasters: Upcasters) -> None:
    old = stamp(event({"id": 7, "amount": 12.5, "note": "x"}), "shop.order@1.1.0")
    new = upcast(old, registry=registry, upcasters=upcasters)
    assert new["data"] == {"id": 7, "total": {"cents": 1250, "currency": "EUR"}}
    assert new["dataschema"] == "accord://shop.order@3.0.0"
    # the input is untouched, and the result is valid under what it is stamped with
    assert old["data"] == {"id": 7, "amount": 12.5, "note": "x"}
    assert validator_for_message(new, registry=registry).is_valid(new["data"])


def test_upcast_to_a_named_major(registry: Path, upcasters: Upcasters) -> None:
    data, ref = upcast_data(
        {"id": 1, "amount": 1},
        "shop.order@1.0.0",
        to_major=2,
        registry=registry,
        upcasters=upcasters,
    )
    assert (data, ref) == ({"id": 1, "amount_cents": 100}, "shop.order@2.0.0")


def test_upcast_of_the_current_major_is_unchanged(registry: Path, upcasters: Upcasters) -> None:
    current = stamp(event({"id": 1, "total": {"cents": 1, "currency": "EUR"}}), "shop.order@3.0.0")
    assert upcast(current, registry=registry, upcasters=upcasters) == current


def test_missing_upcaster_names_the_step(registry: Path) -> None:
    casts = Upcasters()
    casts.register("shop.order", 1, lambda d: d)
    with pytest.raises(UsageError) as info:
        upcast(
            stamp(event({"id": 1, "amount": 1}), "shop.order@1.0.0"),
            registry=registry,
            upcasters=casts,
        )
    assert info.value.code == "upcaster-missing"
    assert "major 2 to 3" in info.value.message


def test_a_wrong_upcaster_is_caught_by_validation(registry: Path) -> None:
    casts = Upcasters()
    casts.register("shop.order", 1, lambda d: d)  # forgets to convert amount
    with pytest.raises(ContractViolation):
        upcast_data(
            {"id": 1, "amount": 1},
            "shop.order@1.0.0",
            to_major=2,
            registry=registry,
            upcasters=casts,
        )


def test_a_payload_invalid_under_its_stamped_version_is_refused_before_upcasting(
    registry: Path, upcasters: Upcasters
) -> None:
    # 1.0.0 closes its properties: "note" is not a 1.0.0 payload, whatever the upcasters
    # make of it (to_v2 drops it, so the result alone would pass under 3.0.0).
    calls: list[Any] = []
    casts = Upcasters()
    casts.register(
        "shop.order", 1, lambda d: calls.append(d) or upcasters.chain("shop.order", 1, 2)[0](d)
    )
    casts.register("shop.order", 2, upcasters.chain("shop.order", 2, 3)[0])
    lying = stamp(event({"id": 1, "amount": 1, "note": "x"}), "shop.order@1.0.0")
    with pytest.raises(ContractViolation) as info:
        upcast(lying, registry=registry, upcasters=casts)
    assert info.value.ref == "shop.order@1.0.0"
    assert calls == []  # no upcaster ran on it
    # the same payload stamped with the version that has "note" upcasts
    honest = stamp(event({"id": 1, "amount": 1, "note": "x"}), "shop.order@1.1.0")
    assert upcast(honest, registry=registry, upcasters=casts)["data"]["total"]["cents"] == 100
    # validate=False checks neither side, as documented
    data, _ = upcast_data(
        {"id": 1, "amount": 1, "note": "x"},
        "shop.order@1.0.0",
        registry=registry,
        upcasters=casts,
        validate=False,
    )
    assert data["id"] == 1


def test_a_payload_of_the_target_major_is_checked_against_its_own_version(
    registry: Path, upcasters: Upcasters
) -> None:
    # stamped 1.0.0, read as major 1 (latest 1.1.0, which allows "note"): no upcaster
    # runs, and the payload is still not what 1.0.0 says
    with pytest.raises(ContractViolation) as info:
        upcast_data(
            {"id": 1, "amount": 1, "note": "x"},
            "shop.order@1.0.0",
            to_major=1,
            registry=registry,
            upcasters=upcasters,
        )
    assert info.value.ref == "shop.order@1.0.0"


def test_upcast_refuses_a_version_newer_than_the_registry(
    registry: Path, upcasters: Upcasters
) -> None:
    with pytest.raises(VersionNotFound) as info:
        upcast(stamp(event({"id": 1}), "shop.order@4.0.0"), registry=registry, upcasters=upcasters)
    assert info.value.code == "message-version-newer"


def test_upcaster_registration_is_checked() -> None:
    casts = Upcasters()
    casts.register("shop.order", 1, str)
    casts.register("shop.order", 1, str)  # the same function again (module re-import) is fine
    with pytest.raises(UsageError) as info:
        casts.register("shop.order", 1, repr)
    assert info.value.code == "upcaster-duplicate"
    with pytest.raises(UsageError) as info:
        casts.register("shop.order", -1, repr)
    assert info.value.code == "upcaster-bad-major"
    with pytest.raises(UsageError) as info:
        casts.register("shop.order@1.0.0", 1, repr)
    assert info.value.code == "upcaster-bad-contract"


def test_the_default_decorator_registers_into_the_process_registry() -> None:
    from accord.distribution.envelope import UPCASTERS, upcaster

    @upcaster("tests.distribution-only", from_major=5)
    def step(data: Any) -> Any:
        return data

    assert UPCASTERS.chain("tests.distribution-only", 5, 6) == [step]
