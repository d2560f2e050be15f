"""A validator holds no reference cycle: dropped, it goes with its last reference, not
at the cyclic collector's next full pass (a service holds thousands, and so does every
registry they are cached in)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from accord.validation.validator import Validator

FLAT = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
# Recurses: its validator checks a payload's depth first (depth_checked).
TREE = {
    "$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}},
    "$ref": "#/$defs/node",
}


@pytest.fixture
def collector_off() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    yield
    if enabled:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
@pytest.mark.parametrize(
    ("schema", "backend", "depth_checked"),
    [(FLAT, "auto", False), (TREE, "auto", True), (FLAT, "python", True)],
    ids=["flat", "recursive", "python-backend"],
)
def test_a_dropped_validator_leaves_nothing_for_the_collector(
    schema: dict[str, Any], backend: str, depth_checked: bool
) -> None:
    Validator(schema, backend=backend)  # first use: lazy imports, caches
    gc.collect()
    validator = Validator(schema, backend=backend)
    assert validator.depth_checked is depth_checked
    assert validator.is_valid({"id": 1, "child": {}})
    assert not validator.is_valid({"id": "x", "child": 1})
    del validator
    assert gc.collect() == 0


@pytest.mark.parametrize("schema", [FLAT, TREE], ids=["flat", "recursive"])
def test_is_valid_refuses_what_is_nested_too_deep_and_what_is_not_json(
    schema: dict[str, Any],
) -> None:
    validator = Validator(schema, max_depth=5)
    deep: dict[str, Any] = {"id": 1}
    for _ in range(10):
        deep = {"id": 1, "child": deep}
    assert validator.is_valid(deep) is (not validator.depth_checked)
    assert validator.is_valid({"id": 1, 2: 3}) is False
