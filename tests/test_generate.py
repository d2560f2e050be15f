"""Tests for the payload generator (``accord._generate``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from accord._generate import (
    FORMAT_SAMPLES,
    Mutation,
    invalid_payloads,
    minimal_payload,
    payload_strategy,
    valid_payloads,
)
from accord._reference import is_valid
from accord.errors import SchemaError

ROOT = Path(__file__).resolve().parents[1]

TREE = {
    "$defs": {
        "Node": {
            "type": "object",
            "properties": {
                "value": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
            },
            "required": ["value"],
        }
    },
    "$ref": "#/$defs/Node",
}

MUTUAL = {
    "$defs": {
        "A": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "b": {"$ref": "#/$defs/B"}},
            "required": ["id", "b"],
        },
        "B": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {"a": {"$ref": "#/$defs/A"}},
                    "required": ["a"],
                    "additionalProperties": False,
                },
            ]
        },
    },
    "$ref": "#/$defs/A",
}

FORMATS = {
    "type": "object",
    "properties": {name: {"type": "string", "format": name} for name in FORMAT_SAMPLES},
    "required": sorted(FORMAT_SAMPLES),
}

ORDER = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "sku": {"type": "string", "pattern": r"^[A-Z]{3}-\d{4}$"},
        "email": {"type": "string", "pattern": r"^\S+@\S+$"},
        "status": {"enum": ["placed", "paid", "shipped"]},
        "total": {"type": "number", "multipleOf": 0.01, "minimum": 0},
        "note": {"type": ["string", "null"], "maxLength": 20},
    },
    "required": ["id", "sku", "status"],
    "additionalProperties": False,
}

# Every keyword family, with a readable id.
SCHEMAS: dict[str, Any] = {
    "true": True,
    "empty": {},
    "null": {"type": "null"},
    "boolean": {"type": "boolean"},
    "integer-bounds": {"type": "integer", "minimum": -3, "maximum": 7},
    "integer-exclusive": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
    "integer-fractional-bound": {"type": "integer", "minimum": 0.5, "maximum": 3.5},
    "number-exclusive": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "number-multiple-fraction": {"type": "number", "multipleOf": 0.01},
    "integer-multiple": {"type": "integer", "multipleOf": 7, "minimum": 10},
    "integer-unbounded": {"type": "integer"},
    "big-int-enum": {"enum": [9007199254740993, 2**70, -(2**65)]},
    "const-object": {"const": {"a": [1, 2]}},
    "mixed-enum": {"enum": ["a", 1, None, True, [1], {"k": "v"}]},
    "string-lengths": {"type": "string", "minLength": 2, "maxLength": 5},
    "string-long": {"type": "string", "minLength": 40},
    "pattern-sku": {"type": "string", "pattern": r"^[A-Z]{3}-\d{4}$"},
    "pattern-email-ish": {"type": "string", "pattern": r"^\S+@\S+$"},
    "pattern-ident": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    "pattern-unanchored": {"type": "string", "pattern": "ab+c"},
    "pattern-alternation": {"type": "string", "pattern": "^(red|green|blue)(-(dark|light))?$"},
    "pattern-lengths": {
        "type": "string",
        "pattern": "^[a-z]+$",
        "minLength": 8,
        "maxLength": 10,
    },
    "pattern-escapes": {"type": "string", "pattern": r"^\w+\.\d{2,3}\s?[^\s]$"},
    "pattern-backref": {"type": "string", "pattern": r"^(\d)x\1$"},
    "formats": FORMATS,
    "format-email-long": {"type": "string", "format": "email", "minLength": 30},
    "nullable": {"type": ["string", "null"]},
    "untyped-number-keywords": {"minimum": 0, "maxLength": 3},
    "array-items": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3},
    "array-unique": {
        "type": "array",
        "items": {"enum": [1, 2, 3]},
        "minItems": 3,
        "uniqueItems": True,
    },
    "prefix-items-closed": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer"}],
        "items": False,
    },
    "prefix-items-open": {
        "type": "array",
        "prefixItems": [{"const": "head"}],
        "items": {"type": "boolean"},
    },
    "contains": {
        "type": "array",
        "items": {"type": ["string", "integer"]},
        "contains": {"type": "string"},
        "minContains": 2,
        "maxContains": 3,
    },
    "object-optional": {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a"],
    },
    "object-closed": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": False,
    },
    "object-map": {"type": "object", "additionalProperties": {"type": "integer"}},
    "object-additional-true": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "additionalProperties": True,
    },
    "pattern-properties": {
        "type": "object",
        "patternProperties": {"^x_": {"type": "integer"}},
        "additionalProperties": False,
        "minProperties": 1,
    },
    "property-names": {
        "type": "object",
        "propertyNames": {"pattern": "^[a-z]+$", "maxLength": 5},
        "minProperties": 2,
    },
    "min-max-properties": {
        "type": "object",
        "properties": {k: {"type": "integer"} for k in "abcde"},
        "minProperties": 2,
        "maxProperties": 3,
    },
    "dependent-required": {
        "type": "object",
        "properties": {"card": {"type": "string"}, "billing": {"type": "string"}},
        "dependentRequired": {"card": ["billing"]},
    },
    "dependent-schemas": {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "dependentSchemas": {
            "kind": {"properties": {"size": {"type": "integer"}}, "required": ["size"]}
        },
    },
    "unevaluated-properties": {
        "allOf": [
            {"properties": {"a": {"type": "string"}}},
            {"properties": {"b": {"type": "integer"}}},
        ],
        "unevaluatedProperties": False,
    },
    "all-of-merge": {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"a": {"maxLength": 3}, "b": {"type": "integer"}}},
            {"required": ["b"]},
        ]
    },
    "any-of": {"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer", "minimum": 5}]},
    "one-of-overlap": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    "one-of-objects": {
        "oneOf": [
            {"type": "object", "properties": {"kind": {"const": "a"}}, "required": ["kind"]},
            {"type": "object", "properties": {"kind": {"const": "b"}}, "required": ["kind"]},
        ]
    },
    "not": {"not": {"type": ["string", "null"]}},
    "not-enum": {"type": "string", "enum": ["a", "b", "c"], "not": {"const": "b"}},
    "if-then-else": {
        "type": "object",
        "properties": {"kind": {"enum": ["a", "b"]}, "a_id": {"type": "integer"}},
        "required": ["kind"],
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["a_id"]},
        "else": {"not": {"required": ["a_id"]}},
    },
    "ref-with-siblings": {
        "$defs": {"S": {"type": "string"}},
        "properties": {"s": {"$ref": "#/$defs/S", "maxLength": 2}},
        "required": ["s"],
    },
    "ref-pointer-into-properties": {
        "type": "object",
        "properties": {
            "a": {"type": "string", "minLength": 3},
            "b": {"$ref": "#/properties/a"},
        },
        "required": ["a", "b"],
    },
    "ref-anchor": {
        "$defs": {"S": {"$anchor": "short", "type": "string", "maxLength": 1}},
        "items": {"$ref": "#short"},
        "type": "array",
        "minItems": 1,
    },
    "recursive-tree": TREE,
    "mutual-recursion": MUTUAL,
    "order": ORDER,
}


def _ids(table: dict[str, Any]) -> list[str]:
    return list(table)


@pytest.mark.parametrize("name", _ids(SCHEMAS))
def test_valid_payloads_are_valid_and_distinct(name: str) -> None:
    schema = SCHEMAS[name]
    payloads = valid_payloads(schema, n=20)
    assert payloads, f"no payload for {name}"
    for payload in payloads:
        assert is_valid(schema, payload), payload
    keys = [json.dumps(p, sort_keys=True) for p in payloads]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("name", _ids(SCHEMAS))
def test_mutations_are_invalid(name: str) -> None:
    schema = SCHEMAS[name]
    mutations = invalid_payloads(schema, n=20)
    if schema is True or schema == {}:
        assert mutations == []
        return
    assert mutations, f"no mutation for {name}"
    for mutation in mutations:
        assert isinstance(mutation, Mutation)
        assert not is_valid(schema, mutation.payload), mutation
        assert mutation.schema_path.endswith("/" + mutation.keyword)


@pytest.mark.parametrize("name", _ids(SCHEMAS))
def test_deterministic(name: str) -> None:
    schema = SCHEMAS[name]
    assert valid_payloads(schema, n=10, seed=3) == valid_payloads(schema, n=10, seed=3)
    assert invalid_payloads(schema, n=10, seed=3) == invalid_payloads(schema, n=10, seed=3)


@pytest.mark.parametrize("name", _ids(SCHEMAS))
def test_minimal_payload_is_first(name: str) -> None:
    schema = SCHEMAS[name]
    assert minimal_payload(schema) == valid_payloads(schema, n=1)[0]
