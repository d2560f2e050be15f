"""A schema given as a Python value that holds no JSON value (bytes, a set, a key that is
not a string, a str subclass jsonschema-rs refuses) is a SchemaError naming where, from
``accord.diff`` and from ``Validator``: both raised a bare ``ValueError`` from
jsonschema-rs ("Unsupported type: 'bytes'")."""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff
from accord.errors import SchemaError
from accord.validation.validator import Validator


class _Text(str):
    pass


CASES: list[tuple[str, dict[Any, Any], str]] = [
    ("bytes", {"title": b"x"}, "/title"),
    ("int-key", {1: "x"}, ""),
    ("str-subclass", {"properties": {"a": {"type": _Text("string")}}}, "/properties/a/type"),
    ("set-in-allOf", {"allOf": [{"title": {1, 2}}]}, "/allOf/0/title"),
    ("object", {"description": object()}, "/description"),
]


@pytest.mark.parametrize(("schema", "pointer"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_diff_refuses_a_schema_holding_no_json_value(schema: dict[Any, Any], pointer: str) -> None:
    for old, new in ((schema, {}), ({}, schema)):
        with pytest.raises(SchemaError) as caught:
            diff(old, new)
        assert caught.value.code == "schema-not-json"
        assert caught.value.pointer == pointer
        assert "JSON" in str(caught.value)


@pytest.mark.parametrize(("schema", "pointer"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validator_refuses_a_schema_holding_no_json_value(
    schema: dict[Any, Any], pointer: str
) -> None:
    with pytest.raises(SchemaError) as caught:
        Validator(schema)
    assert caught.value.code == "schema-not-json"
    assert caught.value.pointer == pointer


def test_frozen_registry_documents_are_json() -> None:
    """accord's own frozen containers are JSON objects and arrays, not refused."""
    from accord.core.frozen import freeze

    schema = freeze({"type": "object", "required": ["a"], "properties": {"a": {}}})
    assert Validator(schema).is_valid({"a": 1})
    assert diff(schema, schema).compatible
