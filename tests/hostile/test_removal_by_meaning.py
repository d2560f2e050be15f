"""The removal policy reads what a property's schema means, not how it is spelt.

``"b": false`` made removing ``b`` breaking in both directions, but ``"b": {"not": {}}``
and ``"b": {"type": "string", "enum": [1]}`` (which no value satisfies either, so NEW
writers can no longer send ``b``) were reported forward compatible: the verdict changed
with the spelling of the same schema.
"""

from __future__ import annotations

from typing import Any

import pytest

import accord

DRAFT = "https://json-schema.org/draft/2020-12/schema"
OLD = {
    "$schema": DRAFT,
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
}
NOTHING = {
    "false": False,
    "not-anything": {"not": {}},
    "enum-of-another-type": {"type": "string", "enum": [1]},
    "empty-range": {"type": "integer", "minimum": 2, "maximum": 1},
    "all-of-false": {"allOf": [{"type": "string"}, False]},
    "ref-to-nothing": {"$ref": "#/$defs/never"},
}


def _new(b: Any) -> dict[str, Any]:
    return {
        **OLD,
        "properties": {"a": {"type": "string"}, "b": b},
        "$defs": {"never": {"not": {}}},
    }


@pytest.mark.parametrize("b", list(NOTHING.values()), ids=list(NOTHING))
def test_a_property_no_value_satisfies_is_removed_in_both_directions(b: Any) -> None:
    report = accord.diff(OLD, _new(b))
    assert (report.backward, report.forward) == (False, False)
    assert "property-removed" in {c.rule for c in report.changes}


@pytest.mark.parametrize("nested", [False, True])
def test_the_same_holds_below_the_root(nested: bool) -> None:
    def wrap(schema: dict[str, Any]) -> dict[str, Any]:
        inner = {k: v for k, v in schema.items() if k not in ("$schema", "$defs")}
        return {"$schema": DRAFT, "type": "array", "items": inner}

    old, new = OLD, {**OLD, "properties": {"a": {"type": "string"}, "b": {"not": {}}}}
    if nested:
        old, new = wrap(old), wrap(new)
    report = accord.diff(old, new)
    assert (report.backward, report.forward) == (False, False)


def test_a_satisfiable_change_is_not_a_removal() -> None:
    report = accord.diff(OLD, _new({"type": "string", "maxLength": 3}))
    assert (report.backward, report.forward) == (False, True)
    assert "property-removed" not in {c.rule for c in report.changes}


def _plain_schemas(n: int) -> list[dict[str, Any]]:
    """Random schemas of the keywords the plain test reads, with their edge values."""
    import random

    from accord.compat._closure import _PLAIN

    rng = random.Random(1203)
    values: dict[str, list[Any]] = {
        "type": [
            "string",
            "integer",
            "number",
            "object",
            "array",
            "null",
            "boolean",
            ["integer", "string"],
            ["array"],
        ],
        "format": ["date", "email", "uuid", "ipv4", "date-time", "duration", "regex"],
        "minLength": [0, 1, 12, 40],
        "maxLength": [0, 1, 3, 12],
        "minimum": [-1, 0, 1.5, 10],
        "maximum": [-1, 0, 1.5, 10],
        "exclusiveMinimum": [0, 1.5],
        "exclusiveMaximum": [0, 1.5],
        "multipleOf": [0.5, 3, 7],
        "properties": [{"a": False}, {"a": {"not": {}}}],
        "patternProperties": [{".": False}],
        "additionalProperties": [False],
        "propertyNames": [False],
        "unevaluatedProperties": [False],
        "dependentSchemas": [{"a": False}],
        "dependentRequired": [{"a": ["b"]}],
        "maxProperties": [0],
        "items": [False],
        "prefixItems": [[False]],
        "unevaluatedItems": [False],
        "maxItems": [0],
        "uniqueItems": [True],
    }
    keys = sorted(_PLAIN & values.keys() - {"type"})
    return [
        {
            "type": rng.choice(values["type"]),
            **{k: rng.choice(values[k]) for k in rng.sample(keys, rng.randint(1, 4))},
        }
        for _ in range(n)
    ]


def test_what_the_plain_test_calls_satisfiable_has_a_value_the_reference_accepts() -> None:
    # The shortcut skips the engine's proof only where a value exists: the engine finds
    # one (a witness accepted by the reference) for every schema it lets through.
    from accord.compat._closure import _plainly_satisfiable
    from accord.compat._engine import includes
    from accord.validation.reference import is_valid

    passed = 0
    for schema in _plain_schemas(400):
        if not _plainly_satisfiable(schema):
            continue
        passed += 1
        verdict = includes({"$schema": DRAFT, **schema}, False)
        assert verdict.holds is False, schema
        assert verdict.has_witness  # the witness may be null itself
        assert is_valid({"$schema": DRAFT, **schema}, verdict.witness), schema
    assert passed > 100


def test_the_plain_test_counts_the_bounds_as_the_set_intersections_do() -> None:
    # The bounds are counted key by key (a wide object asks for every key): the same
    # answer as the intersections with the bound sets, on random plain schemas and on
    # the ones with two bounds of a kind.
    from accord.compat import _closure

    def by_sets(schema: Any) -> bool:
        keys = schema.keys()
        if not keys <= _closure._PLAIN:
            return _closure._plainly_satisfiable(schema)  # the enum/const branch, unchanged
        kind = schema.get("type", "null")
        if type(kind) is not str and not (isinstance(kind, list) and kind):
            return False
        return len(keys & _closure._STRING_BOUNDS) <= 1 and len(keys & _closure._NUMBER_BOUNDS) <= 1

    schemas = _plain_schemas(400)
    schemas += [
        {"minLength": 1, "maxLength": 2},
        {"type": "string", "maxLength": 2, "format": "email"},
        {"minimum": 0, "maximum": 1, "title": "t"},
        {"type": "number", "multipleOf": 2, "exclusiveMaximum": 3},
        {"maxLength": 1, "maximum": 1},
        {"type": ["string", "null"], "minLength": 0, "exclusiveMinimum": 0},
        {"type": [], "maxLength": 1},
        {},
    ]
    answers = [_closure._plainly_satisfiable(s) for s in schemas]
    assert answers == [by_sets(s) for s in schemas]
    assert True in answers
    assert False in answers


OBJECT_FORBIDS_B = {
    "not-required": {"not": {"required": ["b"]}},
    "max-properties": {"required": ["a"], "maxProperties": 1},
    "one-of-twice": {"oneOf": [{"required": ["b"]}, {"required": ["b"]}]},
    "if-then-else": {"if": {"required": ["b"]}, "then": False},
    "any-of-without-b": {"anyOf": [{"not": {"required": ["b"]}}, {"properties": {"b": False}}]},
}


@pytest.mark.parametrize("forbids", list(OBJECT_FORBIDS_B.values()), ids=list(OBJECT_FORBIDS_B))
def test_a_key_its_object_forbids_is_removed_in_both_directions(forbids: Any) -> None:
    # b stays in "properties" while the object's own keywords forbid sending it: a
    # removal the gate must not call a compatible minor change.
    report = accord.diff(OLD, {**OLD, **forbids})
    assert (report.backward, report.forward) == (False, False)
    assert "property-removed" in {c.rule for c in report.changes}


def test_a_key_its_object_still_allows_is_not_removed() -> None:
    allows = {"anyOf": [{"required": ["a"]}, {"required": ["b"]}], "maxProperties": 2}
    report = accord.diff(OLD, {**OLD, **allows})
    assert "property-removed" not in {c.rule for c in report.changes}


def test_an_enum_or_const_alone_is_plainly_satisfiable_and_nothing_beside_it() -> None:
    from accord.compat._closure import _plainly_satisfiable
    from accord.compat._engine import includes
    from accord.validation.reference import is_valid

    alone = [
        {"enum": ["a", "b", "c"]},
        {"enum": [None], "title": "t"},
        {"enum": [{"x": [1]}], "description": "d"},
        {"const": 0},
        {"const": None, "examples": [None]},
        {"const": {"a": []}},
    ]
    for schema in alone:
        assert _plainly_satisfiable(schema), schema
        verdict = includes({"$schema": DRAFT, **schema}, False)
        assert verdict.holds is False, schema
        assert verdict.has_witness, schema
        assert is_valid({"$schema": DRAFT, **schema}, verdict.witness), schema
    # beside a type, a bound or another enum it may be empty: the engine decides
    for schema in [
        {"enum": []},
        {"enum": [1], "type": "string"},
        {"const": 1, "maximum": 0},
        {"enum": [1], "const": 2},
        {"enum": "a"},
    ]:
        assert not _plainly_satisfiable(schema), schema
