"""The diff's key-local answers are never given where a key-local reading would be wrong.

``accord.diff`` answers some questions without asking the engine about the whole objects
(docs/security.md): an added optional property's backward question where OLD's writers
can never send the key, and a direction between two objects that differ only in their
keys' schemas, key by key. Each input here would fool a shortcut reading less than those
conditions: the break is still reported, with a witness the reference validator checks.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff
from accord.validation.reference import is_valid

_BASE: dict[str, Any] = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
}

_WRITERS_MAY_SEND_E: dict[str, dict[str, Any]] = {
    "additionalProperties": {**_BASE, "additionalProperties": {"type": "integer"}},
    "patternProperties": {**_BASE, "patternProperties": {"^e$": {"type": "integer"}}},
    "required names it": {**_BASE, "required": ["e"]},
    "an anyOf branch declares it": {
        **_BASE,
        "anyOf": [{"properties": {"e": {"type": "integer"}}}, {"required": ["a"]}],
    },
    "an allOf member declares it": {**_BASE, "allOf": [{"properties": {"e": {"type": "integer"}}}]},
    "a $ref target declares it": {
        **_BASE,
        "$defs": {"more": {"properties": {"e": {"type": "integer"}}}},
        "$ref": "#/$defs/more",
    },
    "dependentSchemas declares it": {
        **_BASE,
        "dependentSchemas": {"a": {"properties": {"e": {"type": "integer"}}}},
    },
    "unevaluatedProperties": {**_BASE, "unevaluatedProperties": {"type": "integer"}},
}


@pytest.mark.parametrize("old", list(_WRITERS_MAY_SEND_E.values()), ids=list(_WRITERS_MAY_SEND_E))
def test_an_added_key_old_writers_may_send_breaks_backward_with_a_witness(old: Any) -> None:
    new = {**old, "properties": {**old["properties"], "e": {"type": "string"}}}
    report = diff(old_schema=old, new_schema=new)
    # Reported as an added property, or (where another schema of OLD names it) as that
    # declaration narrowed: either way at /e, breaking backward. (Where that schema
    # applies to NEW too, an integer and a string at once, no NEW writer can send e:
    # the removal policy's own change at /e is reported beside it, status policy.)
    at_e = [c for c in report.changes if c.instance_path == "/e" and c.status != "policy"]
    assert len(at_e) == 1
    assert "backward" in at_e[0].breaks
    witness = at_e[0].direction("backward").witness
    assert witness is not None
    assert "e" in witness.payload
    assert is_valid(old, witness.payload)
    assert not is_valid(new, witness.payload)
    assert report.backward is False


_OBJECT: dict[str, Any] = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
    "required": ["a"],
}

# (OLD, NEW): forward (NEW's writers within OLD) holds for every key's own schema, and
# breaks through what the objects say beside their keys' schemas.
_BROKEN_BESIDE_THE_KEYS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "OLD requires a key NEW's writers may omit": (
        {**_OBJECT, "required": ["a", "b"]},
        _OBJECT,
    ),
    "OLD closed, NEW declares one more key": (
        {**_OBJECT, "additionalProperties": False},
        {
            **_OBJECT,
            "additionalProperties": False,
            "properties": {**_OBJECT["properties"], "c": {"type": "string"}},
        },
    ),
    "OLD bounds the key count": (
        {**_OBJECT, "maxProperties": 1},
        _OBJECT,
    ),
    "OLD's patternProperties": (
        {**_OBJECT, "patternProperties": {"^b$": {"minimum": 5}}},
        _OBJECT,
    ),
    "OLD's dependentRequired": (
        {**_OBJECT, "dependentRequired": {"b": ["c"]}},
        _OBJECT,
    ),
    "OLD's propertyNames": (
        {**_OBJECT, "propertyNames": {"maxLength": 0}},
        _OBJECT,
    ),
    "NEW's writers may send any key": (
        _OBJECT,
        {**_OBJECT, "properties": {"a": {"type": "string"}}, "additionalProperties": True},
    ),
}


@pytest.mark.parametrize(
    ("old", "new"), list(_BROKEN_BESIDE_THE_KEYS.values()), ids=list(_BROKEN_BESIDE_THE_KEYS)
)
def test_a_direction_broken_beside_the_keys_schemas_is_refuted(old: Any, new: Any) -> None:
    """``accord.diff`` proves a direction key by key only between objects that differ in
    nothing but their keys' schemas (docs/security.md, "a direction, key by key"): each
    pair here keeps every key's schema and still breaks forward, with a witness."""
    report = diff(old_schema=old, new_schema=new, mode="forward")
    assert report.forward is False
    result = report.direction("forward")
    assert result.status == "refuted"
    assert result.witness is not None
    assert is_valid(new, result.witness.payload)
    assert not is_valid(old, result.witness.payload)
