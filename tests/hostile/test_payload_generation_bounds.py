"""``accord.testing.examples`` / ``mutations`` on hostile schemas: every valid example is
valid and every mutation invalid by the contract's own validator, or the call raises
``examples-none``; always quickly, at bounded size, without a traceback.

Before: ``maxLength: 1000000000`` made a 1 GB string (the call never returned), a
``maxItems``/``maxProperties``/``maxContains`` of a million made each mutation that
long; a drawn pattern with nested quantifiers (``^(a*)*$`` under ``minLength``) made
strings of millions of characters and regress backtracked on them for minutes; a bound
past the float range (``exclusiveMinimum: 10**400``) raised ``OverflowError``; and a
draft-07 contract asserting ``contentEncoding`` got the examples of a 2020-12 contract
with the same normalised form (generated earlier), which its validator refuses.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_07, DRAFT_2020_12, publish
from accord.errors import SchemaError
from accord.payloads.regex import MAX_WITNESS_SIZE, matching_strings, search
from accord.registry.runtime import clear_caches, validator
from accord.testing import examples, mutations

REF = "shop.thing@1.0.0"


def _registry(tmp_path: Path, schema: Any, dialect: str = DRAFT_2020_12) -> Path:
    root = tmp_path / "contracts"
    publish(root, "shop.thing", {"1.0.0": {"$schema": dialect, **schema}})
    clear_caches()
    return root


def _largest(value: Any) -> int:
    """The longest string, array or object anywhere in ``value``."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max([len(value), *(_largest(v) for v in value)])
    if isinstance(value, dict):
        return max(
            [len(value), *(_largest(k) for k in value), *(_largest(v) for v in value.values())]
        )
    return 0


def _judged(root: Path, seconds: float = 20.0) -> tuple[list[Any], list[Any]]:
    """Valid examples and mutation payloads (``[]`` for ``examples-none``), each checked
    by the contract's validator, within ``seconds`` for both calls."""
    check = validator(REF, registry=root)
    start = time.monotonic()
    found: list[list[Any]] = []
    for invalid in (False, True):
        try:
            found.append(examples(REF, 10, invalid=invalid, registry=root))
        except SchemaError as exc:
            found.append([])
            codes = [exc.code]
        else:
            codes = ["examples-none"]
        assert codes == ["examples-none"]
    assert time.monotonic() - start < seconds
    valid, broken = found
    assert [v for v in valid if not check.is_valid(v)] == []
    assert [b for b in broken if check.is_valid(b)] == []
    return valid, broken


@pytest.mark.timeout(120)
@pytest.mark.parametrize("bound", [10**6, 10**9])
@pytest.mark.parametrize(
    "keyword",
    [
        {"type": "string", "maxLength": None},
        {"type": "array", "maxItems": None},
        {"type": "object", "maxProperties": None},
        {"type": "array", "contains": {"const": 1}, "maxContains": None},
    ],
    ids=["maxLength", "maxItems", "maxProperties", "maxContains"],
)
def test_a_huge_upper_bound_is_not_materialised(
    tmp_path: Path, bound: int, keyword: dict[str, Any]
) -> None:
    schema = {k: (bound if v is None else v) for k, v in keyword.items()}
    root = _registry(tmp_path, {"type": "object", "properties": {"a": schema}})
    valid, broken = _judged(root)
    assert valid
    assert broken  # the type, at least
    assert max(_largest(v) for v in [*valid, *broken]) <= MAX_WITNESS_SIZE


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("pattern", "low"), [("^(a*)*$", 3000), ("^((a*)*)*$", 3000), ("^(x+x+)+y$", 100)]
)
def test_nested_quantifiers_are_drawn_at_bounded_size(
    tmp_path: Path, pattern: str, low: int
) -> None:
    strings = matching_strings(pattern, random.Random(0), minimal=False, min_len=low)
    assert all(len(s) <= 3 * MAX_WITNESS_SIZE for s in strings)
    root = _registry(tmp_path, {"type": "string", "minLength": low, "pattern": pattern})
    valid, _broken = _judged(root, seconds=60)
    assert valid


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("pattern", "text"),
    [("^(a|aa)*$", "a" * 60 + "b"), ("^(a*)*$", "a" * 40 + "!"), ("(x+x+)+y", "x" * 50)],
)
def test_the_generators_search_cannot_backtrack_catastrophically(pattern: str, text: str) -> None:
    assert search(pattern, text) is False
    assert search(pattern, text[:-1] + ("y" if "y" in pattern else "")) is True


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "number", "exclusiveMinimum": 10**400},
        {"type": "number", "minimum": 10**400, "multipleOf": 0.5},
        {"type": "number", "maximum": -(10**400)},
        {"type": "number", "exclusiveMaximum": 10**400, "minimum": 10**400 - 1},
        {"type": "number", "multipleOf": 3, "maximum": 10**400},
        {"type": "number", "exclusiveMinimum": 1.7976931348623157e308},
    ],
    ids=["exclusive-min", "min-grid", "max", "exclusive-max", "grid-max", "float-max"],
)
def test_bounds_past_the_float_range_are_no_traceback(tmp_path: Path, schema: Any) -> None:
    _judged(_registry(tmp_path, schema))


def test_a_declared_dialect_is_not_confused_with_its_normalised_form(tmp_path: Path) -> None:
    """The generator's document cache was keyed on the normalised form only."""
    root = tmp_path / "contracts"
    body = {"type": "string", "contentEncoding": "base64"}
    publish(root, "shop.new", {"1.0.0": {"$schema": DRAFT_2020_12, **body}})
    publish(root, "shop.old", {"1.0.0": {"$schema": DRAFT_07, **body}})
    clear_caches()
    for ref in ("shop.new@1.0.0", "shop.old@1.0.0", "shop.new@1.0.0"):
        check = validator(ref, registry=root)
        valid = examples(ref, 10, registry=root)
        assert [v for v in valid if not check.is_valid(v)] == []
        broken = [m.payload for m in mutations(ref, 10, registry=root)]
        assert [b for b in broken if check.is_valid(b)] == []
    # the 2020-12 contract still gets strings that are no base64
    assert any(not v.isascii() for v in examples("shop.new@1.0.0", 10, registry=root))


# Shapes probed before the fixes above: they held (valid, invalid, or examples-none,
# quickly); kept so that they keep holding.
HELD = [
    {"type": "string", "pattern": "^(a|aa)*b$"},
    {"type": "string", "minLength": 10**9},
    {"type": "array", "minItems": 10**6},
    {"type": "object", "minProperties": 10**6},
    {"type": "array", "items": {"enum": [1, 2]}, "uniqueItems": True, "minItems": 3},
    {"type": "array", "uniqueItems": True, "items": {"enum": [1, 1.0, True]}, "minItems": 2},
    {"not": {}},
    {"allOf": [{"type": "string"}, {"type": "integer"}]},
    {"type": "number", "multipleOf": 1e-308, "minimum": 0.5},
    {"type": "string", "format": "date-time", "minLength": 40},
    {"type": "string", "format": "email", "maxLength": 5},
    {"type": "object", "propertyNames": {"maxLength": 0}, "minProperties": 2},
    {"type": "object", "propertyNames": {"enum": ["a", "b"]}, "minProperties": 3},
    {
        "type": "object",
        "dependentSchemas": {"a": {"required": ["b"]}, "b": {"required": ["a"]}},
        "minProperties": 1,
    },
    {"type": "array", "contains": {"type": "integer"}, "maxContains": 1, "minItems": 3},
    {"type": "array", "contains": {"const": 1}, "minContains": 3, "uniqueItems": True},
    {
        "$defs": {"b": {"properties": {"x": {"type": "integer"}}, "required": ["x"]}},
        "type": "object",
        "allOf": [{"$ref": "#/$defs/b"}],
        "properties": {"y": {"type": "string"}},
        "unevaluatedProperties": False,
    },
    {
        "$defs": {
            "n": {"type": "object", "properties": {"c": {"$ref": "#/$defs/n"}}, "required": ["c"]}
        },
        "$ref": "#/$defs/n",
    },
    {"type": "object", "required": ["a"], "not": {"required": ["a"]}},
    {"type": "integer", "minimum": 0, "maximum": 0, "not": {"const": 0}},
]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("schema", HELD, ids=[json.dumps(s)[:40] for s in HELD])
def test_hostile_shapes_give_judged_payloads_or_examples_none(tmp_path: Path, schema: Any) -> None:
    _judged(_registry(tmp_path, schema))
