"""``assert_conforms(model_instance, ref)`` checks what the service really sends.

It dumped models with ``exclude_none=True`` only, while FastAPI's default response keeps
nulls: a model whose responses carry ``"note": null`` where the contract allows no null
passed the test. By default both serialisations must now conform; ``exclude_none=True``
or ``False`` checks the one the producer uses (as ``require()`` takes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from _registry_builders import DRAFT_2020_12, publish
from accord.registry.runtime import clear_caches
from accord.testing import assert_conforms


class Order(BaseModel):
    id: int
    note: str | None = None


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    optional_note = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
        "required": ["id"],
    }
    nullable_required_note = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {"id": {"type": "integer"}, "note": {"type": ["string", "null"]}},
        "required": ["id", "note"],
    }
    publish(root, "shop.optional", {"1.0.0": optional_note})
    publish(root, "shop.nullable", {"1.0.0": nullable_required_note})
    clear_caches()
    return root


def test_a_forbidden_null_fails_by_default(registry: Path) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_conforms(Order(id=1), "shop.optional@1.0.0", registry=registry)
    assert "$.note" in str(caught.value)
    assert "exclude_none=False" in str(caught.value)


def test_a_missing_required_field_fails_by_default(registry: Path) -> None:
    with pytest.raises(AssertionError) as caught:
        assert_conforms(Order(id=1), "shop.nullable@1.0.0", registry=registry)
    assert "exclude_none=True" in str(caught.value)


def test_the_producer_s_serialisation_can_be_named(registry: Path) -> None:
    assert_conforms(Order(id=1), "shop.optional@1.0.0", registry=registry, exclude_none=True)
    assert_conforms(Order(id=1), "shop.nullable@1.0.0", registry=registry, exclude_none=False)
    with pytest.raises(AssertionError):
        assert_conforms(Order(id=1), "shop.optional@1.0.0", registry=registry, exclude_none=False)
    with pytest.raises(AssertionError):
        assert_conforms(Order(id=1), "shop.nullable@1.0.0", registry=registry, exclude_none=True)


def test_a_model_without_nones_passes_by_default(registry: Path) -> None:
    assert_conforms(Order(id=1, note="x"), "shop.optional@1.0.0", registry=registry)
    assert_conforms(Order(id=1, note="x"), "shop.nullable@1.0.0", registry=registry)


def test_a_plain_payload_is_checked_as_it_is(registry: Path) -> None:
    with pytest.raises(AssertionError):
        assert_conforms({"id": 1, "note": None}, "shop.optional@1.0.0", registry=registry)
    with pytest.raises(AssertionError):
        assert_conforms(
            {"id": 1, "note": None}, "shop.optional@1.0.0", registry=registry, exclude_none=True
        )


@pytest.mark.parametrize("value", ["yes", 1, 0])
def test_exclude_none_is_a_boolean_or_none(registry: Path, value: object) -> None:
    from accord.errors import UsageError

    with pytest.raises(UsageError):
        assert_conforms(
            Order(id=1, note="x"), "shop.optional@1.0.0", registry=registry, exclude_none=value
        )
