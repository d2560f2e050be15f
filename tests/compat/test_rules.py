"""The rule case table: (old, new, semantics) -> the exact set of rule ids and verdicts.

Every rule in the catalogue appears in at least one case (checked by
``test_rule_meta.py``); a case asserts the exact set of rules reported, not mere
presence, and both directions.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from accord.compat import diff


class Case(NamedTuple):
    id: str
    old: Any
    new: Any
    semantics: tuple[str, ...]
    rules: set[str]
    backward: bool
    forward: bool


def case(
    case_id: str,
    old: Any,
    new: Any,
    semantics: tuple[str, ...],
    rules: set[str],
    backward: bool,
    forward: bool,
) -> Case:
    return Case(case_id, old, new, semantics, rules, backward, forward)


BOTH_SEMANTICS = ("contract", "set")

CASES: list[Case] = [
    case(
        "prop-added-optional-open-contract",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}},
        ("contract",),
        {"property-added-optional"},
        True,
        True,
    ),
    case(
        "prop-added-optional-open-set",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}},
        ("set",),
        {"property-added-optional"},
        False,
        True,
    ),
    case(
        "prop-added-optional-closed",
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
            "additionalProperties": False,
        },
        BOTH_SEMANTICS,
        {"property-added-optional"},
        True,
        False,
    ),
    case(
        "prop-added-required",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "email": {"type": "string"}},
            "required": ["email"],
        },
        BOTH_SEMANTICS,
        {"property-added-required"},
        False,
        True,
    ),
    case(
        "prop-removed-open-contract",
        {"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        ("contract",),
        {"property-removed"},
        False,
        False,
    ),
    case(
        "prop-removed-open-set",
        {"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        ("set",),
        {"property-removed"},
        True,
        False,
    ),
    case(
        "prop-removed-covered-by-map",
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "n": {"type": "integer"}},
            "additionalProperties": {"type": "integer"},
        },
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": {"type": "integer"},
        },
        BOTH_SEMANTICS,
        {"property-removed"},
        True,
        True,
    ),
    case(
        "prop-removed-nested-contract",
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"x": {"type": "string"}, "y": {"type": "string"}},
                }
            },
        },
        {
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"x": {"type": "string"}}}},
        },
        ("contract",),
        {"property-removed"},
        False,
        False,
    ),
    case(
        "prop-removed-nested-set",
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"x": {"type": "string"}, "y": {"type": "string"}},
                }
            },
        },
        {
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"x": {"type": "string"}}}},
        },
        ("set",),
        {"property-removed"},
        True,
        False,
    ),
    case(
        "required-added",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        BOTH_SEMANTICS,
        {"required-added"},
        False,
        True,
    ),
    case(
        "required-removed",
        {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        BOTH_SEMANTICS,
        {"required-removed"},
        True,
        False,
    ),
    case(
        "type-changed",
        {"type": "string"},
        {"type": "number"},
        BOTH_SEMANTICS,
        {"type-changed"},
        False,
        False,
    ),
    case(
        "type-narrowed",
        {"type": "number"},
        {"type": "integer"},
        BOTH_SEMANTICS,
        {"type-narrowed"},
        False,
        True,
    ),
    case(
        "type-narrowed-added",
        {"maxLength": 3},
        {"type": "string", "maxLength": 3},
        BOTH_SEMANTICS,
        {"type-narrowed"},
        False,
        True,
    ),
    case(
        "type-widened",
        {"type": "integer"},
        {"type": "number"},
        BOTH_SEMANTICS,
        {"type-widened"},
        True,
        False,
    ),
    case(
        "type-widened-in-items",
        {"type": "array", "items": {"type": "integer"}},
        {"type": "array", "items": {"type": "number"}},
        BOTH_SEMANTICS,
        {"type-widened"},
        True,
        False,
    ),
    case(
        "nullable-added",
        {"type": "string"},
        {"type": ["string", "null"]},
        BOTH_SEMANTICS,
        {"nullable-added"},
        True,
        False,
    ),
    case(
        "nullable-added-optional-wrapper",
        {"type": "string"},
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        BOTH_SEMANTICS,
        {"nullable-added"},
        True,
        False,
    ),
    case(
        "nullable-removed",
        {"type": ["string", "null"]},
        {"type": "string"},
        BOTH_SEMANTICS,
        {"nullable-removed"},
        False,
        True,
    ),
    case(
        "enum-added",
        {"type": "string"},
        {"type": "string", "enum": ["a", "b"]},
        BOTH_SEMANTICS,
        {"enum-added"},
        False,
        True,
    ),
    case(
        "enum-removed",
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string"},
        BOTH_SEMANTICS,
        {"enum-removed"},
        True,
        False,
    ),
    case(
        "enum-value-added",
        {"enum": ["a", "b"]},
        {"enum": ["a", "b", "c"]},
        BOTH_SEMANTICS,
        {"enum-value-added"},
        True,
        False,
    ),
    case(
        "enum-value-removed",
        {"enum": ["a", "b", "c"]},
        {"enum": ["a", "b"]},
        BOTH_SEMANTICS,
        {"enum-value-removed"},
        False,
        True,
    ),
    case(
        "enum-value-removed-unreachable",
        {"type": "string", "enum": ["a", 1]},
        {"type": "string", "enum": ["a"]},
        BOTH_SEMANTICS,
        {"enum-value-removed"},
        True,
        True,
    ),
    case(
        "enum-reordered",
        {"enum": ["a", "b"]},
        {"enum": ["b", "a"]},
        BOTH_SEMANTICS,
        set(),
        True,
        True,
    ),
    case("const-as-enum", {"const": "x"}, {"enum": ["x"]}, BOTH_SEMANTICS, set(), True, True),
    case(
        "const-changed",
        {"const": "v1"},
        {"const": "v2"},
        BOTH_SEMANTICS,
        {"const-changed"},
        False,
        False,
    ),
    case(
        "minimum-increased",
        {"type": "number", "minimum": 0},
        {"type": "number", "minimum": 1},
        BOTH_SEMANTICS,
        {"minimum-increased"},
        False,
        True,
    ),
    case(
        "minimum-exclusive-equivalent",
        {"type": "integer", "minimum": 1},
        {"type": "integer", "exclusiveMinimum": 0},
        BOTH_SEMANTICS,
        set(),
        True,
        True,
    ),
    case(
        "minimum-decreased",
        {"type": "number", "exclusiveMinimum": 1},
        {"type": "number", "minimum": 1},
        BOTH_SEMANTICS,
        {"minimum-decreased"},
        True,
        False,
    ),
    case(
        "maximum-decreased",
        {"type": "number", "maximum": 20},
        {"type": "number", "maximum": 10},
        BOTH_SEMANTICS,
        {"maximum-decreased"},
        False,
        True,
    ),
    case(
        "maximum-increased",
        {"type": "number", "maximum": 10},
        {"type": "number"},
        BOTH_SEMANTICS,
        {"maximum-increased"},
        True,
        False,
    ),
    case(
        "max-length-decreased",
        {"type": "string", "maxLength": 10},
        {"type": "string", "maxLength": 3},
        BOTH_SEMANTICS,
        {"max-length-decreased"},
        False,
        True,
    ),
    case(
        "max-length-increased",
        {"type": "string", "maxLength": 3},
        {"type": "string", "maxLength": 10},
        BOTH_SEMANTICS,
        {"max-length-increased"},
        True,
        False,
    ),
    case(
        "min-length-increased",
        {"type": "string"},
        {"type": "string", "minLength": 1},
        BOTH_SEMANTICS,
        {"min-length-increased"},
        False,
        True,
    ),
    case(
        "min-length-decreased",
        {"type": "string", "minLength": 2},
        {"type": "string"},
        BOTH_SEMANTICS,
        {"min-length-decreased"},
        True,
        False,
    ),
    case(
        "max-items-decreased",
        {"type": "array", "maxItems": 10},
        {"type": "array", "maxItems": 3},
        BOTH_SEMANTICS,
        {"max-items-decreased"},
        False,
        True,
    ),
    case(
        "max-items-increased",
        {"type": "array", "maxItems": 3},
        {"type": "array", "maxItems": 10},
        BOTH_SEMANTICS,
        {"max-items-increased"},
        True,
        False,
    ),
    case(
        "min-items-increased",
        {"type": "array"},
        {"type": "array", "minItems": 1},
        BOTH_SEMANTICS,
        {"min-items-increased"},
        False,
        True,
    ),
    case(
        "min-items-decreased",
        {"type": "array", "minItems": 2},
        {"type": "array"},
        BOTH_SEMANTICS,
        {"min-items-decreased"},
        True,
        False,
    ),
    case(
        "max-properties-decreased",
        {"type": "object", "maxProperties": 10},
        {"type": "object", "maxProperties": 3},
        BOTH_SEMANTICS,
        {"max-properties-decreased"},
        False,
        True,
    ),
    case(
        "max-properties-increased",
        {"type": "object", "maxProperties": 3},
        {"type": "object"},
        BOTH_SEMANTICS,
        {"max-properties-increased"},
        True,
        False,
    ),
    case(
        "min-properties-increased",
        {"type": "object"},
        {"type": "object", "minProperties": 1},
        BOTH_SEMANTICS,
        {"min-properties-increased"},
        False,
        True,
    ),
    case(
        "min-properties-decreased",
        {"type": "object", "minProperties": 2},
        {"type": "object", "minProperties": 1},
        BOTH_SEMANTICS,
        {"min-properties-decreased"},
        True,
        False,
    ),
    case(
        "multiple-of-refined",
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 4},
        BOTH_SEMANTICS,
        {"multiple-of-changed"},
        False,
        True,
    ),
    case(
        "multiple-of-coarsened",
        {"type": "integer", "multipleOf": 4},
        {"type": "integer", "multipleOf": 2},
        BOTH_SEMANTICS,
        {"multiple-of-changed"},
        True,
        False,
    ),
    case(
        "pattern-changed",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[0-9]+$"},
        BOTH_SEMANTICS,
        {"pattern-changed"},
        False,
        False,
    ),
    case(
        "pattern-added",
        {"type": "string"},
        {"type": "string", "pattern": "^[a-z]+$"},
        BOTH_SEMANTICS,
        {"pattern-added"},
        False,
        True,
    ),
    case(
        "pattern-removed",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string"},
        BOTH_SEMANTICS,
        {"pattern-removed"},
        True,
        False,
    ),
    case(
        "format-added",
        {"type": "string"},
        {"type": "string", "format": "email"},
        BOTH_SEMANTICS,
        {"format-added"},
        False,
        True,
    ),
    case(
        "format-removed",
        {"type": "string", "format": "date"},
        {"type": "string"},
        BOTH_SEMANTICS,
        {"format-removed"},
        True,
        False,
    ),
    case(
        "format-changed",
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        BOTH_SEMANTICS,
        {"format-changed"},
        False,
        False,
    ),
    case(
        "object-closed-contract",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": False,
        },
        ("contract",),
        {"object-closed"},
        True,
        True,
    ),
    case(
        "object-closed-set",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": False,
        },
        ("set",),
        {"object-closed"},
        False,
        True,
    ),
    case(
        "object-closed-unevaluated-contract",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "unevaluatedProperties": False,
        },
        ("contract",),
        {"object-closed"},
        True,
        True,
    ),
    case(
        "object-closed-unevaluated-set",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "unevaluatedProperties": False,
        },
        ("set",),
        {"object-closed"},
        False,
        True,
    ),
    case(
        "object-opened-contract",
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": False,
        },
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        ("contract",),
        {"object-opened"},
        True,
        True,
    ),
    case(
        "object-opened-set",
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}},
            "additionalProperties": False,
        },
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        ("set",),
        {"object-opened"},
        True,
        False,
    ),
    case(
        "addl-narrowed",
        {"type": "object"},
        {"type": "object", "additionalProperties": {"type": "string"}},
        BOTH_SEMANTICS,
        {"additional-properties-narrowed"},
        False,
        True,
    ),
    case(
        "addl-widened",
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object"},
        BOTH_SEMANTICS,
        {"additional-properties-widened"},
        True,
        False,
    ),
    case(
        "addl-schema-narrowed",
        {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
        {"type": "object", "additionalProperties": {"type": "string"}},
        BOTH_SEMANTICS,
        {"type-narrowed"},
        False,
        True,
    ),
    case(
        "pattern-properties-added",
        {"type": "object"},
        {"type": "object", "patternProperties": {"^x_": {"type": "integer"}}},
        BOTH_SEMANTICS,
        {"pattern-properties-changed"},
        False,
        True,
    ),
    case(
        "pattern-properties-schema-widened",
        {"type": "object", "patternProperties": {"^x_": {"type": "integer"}}},
        {"type": "object", "patternProperties": {"^x_": {"type": "number"}}},
        BOTH_SEMANTICS,
        {"type-widened"},
        True,
        False,
    ),
    case(
        "pattern-properties-removed",
        {"type": "object", "patternProperties": {"^x_": {"type": "integer"}}},
        {"type": "object"},
        BOTH_SEMANTICS,
        {"pattern-properties-changed"},
        True,
        False,
    ),
    case(
        "property-names-added",
        {"type": "object"},
        {"type": "object", "propertyNames": {"maxLength": 3}},
        BOTH_SEMANTICS,
        {"property-names-changed"},
        False,
        True,
    ),
    case(
        "dependent-required-added",
        {"type": "object"},
        {"type": "object", "dependentRequired": {"card": ["billing"]}},
        BOTH_SEMANTICS,
        {"dependent-required-added"},
        False,
        True,
    ),
    case(
        "dependent-required-removed",
        {"type": "object", "dependentRequired": {"card": ["billing"]}},
        {"type": "object"},
        BOTH_SEMANTICS,
        {"dependent-required-removed"},
        True,
        False,
    ),
    case(
        "items-narrowed",
        {"type": "array"},
        {"type": "array", "items": {"type": "integer"}},
        BOTH_SEMANTICS,
        {"items-narrowed"},
        False,
        True,
    ),
    case(
        "items-widened",
        {"type": "array", "items": {"type": "integer"}},
        {"type": "array"},
        BOTH_SEMANTICS,
        {"items-widened"},
        True,
        False,
    ),
    case(
        "items-changed-closed",
        {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        BOTH_SEMANTICS,
        {"items-changed"},
        False,
        True,
    ),
    case(
        "prefix-items-extended-closed",
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
        BOTH_SEMANTICS,
        {"prefix-items-extended"},
        True,
        False,
    ),
    case(
        "prefix-items-extended-open",
        {"type": "array", "prefixItems": [{"type": "string"}]},
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        BOTH_SEMANTICS,
        {"prefix-items-extended"},
        False,
        True,
    ),
    case(
        "prefix-items-shortened",
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        {"type": "array", "prefixItems": [{"type": "string"}]},
        BOTH_SEMANTICS,
        {"prefix-items-shortened"},
        True,
        False,
    ),
    case(
        "unique-items-added",
        {"type": "array", "items": {"type": "integer"}},
        {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
        BOTH_SEMANTICS,
        {"unique-items-added"},
        False,
        True,
    ),
    case(
        "unique-items-removed",
        {"type": "array", "uniqueItems": True},
        {"type": "array"},
        BOTH_SEMANTICS,
        {"unique-items-removed"},
        True,
        False,
    ),
    case(
        "contains-min-added",
        {"type": "array", "contains": {"type": "string"}},
        {"type": "array", "contains": {"type": "string"}, "minContains": 2},
        BOTH_SEMANTICS,
        {"contains-changed"},
        False,
        True,
    ),
    case(
        "oneof-branch-added",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        BOTH_SEMANTICS,
        {"oneof-branch-added"},
        True,
        False,
    ),
    case(
        "oneof-branch-added-overlapping",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]},
        BOTH_SEMANTICS,
        {"oneof-branch-added", "oneof-branch-overlap"},
        False,
        False,
    ),
    case(
        "oneof-branch-removed",
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        BOTH_SEMANTICS,
        {"oneof-branch-removed"},
        False,
        True,
    ),
    case(
        "oneof-branch-relaxed-overlap",
        {"oneOf": [{"type": "string"}, {"maxLength": 5}]},
        {"oneOf": [{"type": "string"}, {"maxLength": 10}]},
        BOTH_SEMANTICS,
        {"max-length-increased", "oneof-branch-overlap"},
        False,
        True,
    ),
    case(
        "anyof-branch-added",
        {"anyOf": [{"type": "string"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        BOTH_SEMANTICS,
        {"anyof-branch-added"},
        True,
        False,
    ),
    case(
        "anyof-branch-removed",
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        {"anyOf": [{"type": "string"}]},
        BOTH_SEMANTICS,
        {"anyof-branch-removed"},
        False,
        True,
    ),
    case(
        "anyof-reordered",
        {"anyOf": [{"type": "array"}, {"type": "string"}]},
        {"anyOf": [{"type": "string"}, {"type": "array"}]},
        BOTH_SEMANTICS,
        set(),
        True,
        True,
    ),
    case(
        "anyof-union-from-type",
        {"type": "string"},
        {"anyOf": [{"type": "string"}, {"type": "number"}]},
        BOTH_SEMANTICS,
        {"type-widened", "anyof-branch-added"},
        True,
        False,
    ),
    case(
        "oneof-to-anyof-overlapping",
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        {"anyOf": [{"type": "integer"}, {"type": "number"}]},
        BOTH_SEMANTICS,
        {"combinator-changed"},
        True,
        False,
    ),
    case(
        "oneof-to-anyof-disjoint",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        BOTH_SEMANTICS,
        {"combinator-changed"},
        True,
        True,
    ),
    case(
        "allof-conjunct-added",
        {"allOf": [{"type": "object"}]},
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
        BOTH_SEMANTICS,
        {"allof-conjunct-added"},
        False,
        True,
    ),
    case(
        "allof-conjunct-removed",
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
        {"allOf": [{"type": "object"}]},
        BOTH_SEMANTICS,
        {"allof-conjunct-removed"},
        True,
        False,
    ),
    case(
        "allof-required-conjunct",
        {"allOf": [{"type": "object", "properties": {"id": {"type": "integer"}}}]},
        {
            "allOf": [
                {"type": "object", "properties": {"id": {"type": "integer"}}},
                {"required": ["id"]},
            ]
        },
        BOTH_SEMANTICS,
        {"required-added"},
        False,
        True,
    ),
    case(
        "allof-split",
        {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
            "required": ["a"],
        },
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer"}}},
            ]
        },
        BOTH_SEMANTICS,
        {"ref-refactored"},
        True,
        True,
    ),
    case(
        "not-widened",
        {"not": {"type": "string"}},
        {"not": {"type": ["string", "null"]}},
        BOTH_SEMANTICS,
        {"not-changed"},
        False,
        True,
    ),
    case(
        "conditional-added",
        {"type": "object"},
        {
            "type": "object",
            "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
            "then": {"required": ["a_id"]},
        },
        BOTH_SEMANTICS,
        {"conditional-changed"},
        False,
        True,
    ),
    case(
        "description-changed",
        {"type": "string", "description": "old", "title": "T"},
        {"type": "string", "description": "new", "title": "U"},
        BOTH_SEMANTICS,
        {"description-changed"},
        True,
        True,
    ),
    case(
        "examples-changed",
        {"type": "string"},
        {"type": "string", "examples": ["x"], "$comment": "c"},
        BOTH_SEMANTICS,
        {"description-changed", "examples-changed"},
        True,
        True,
    ),
    case(
        "access-mode-changed",
        {"type": "string"},
        {"type": "string", "readOnly": True},
        BOTH_SEMANTICS,
        {"access-mode-changed"},
        True,
        True,
    ),
    case(
        "default-changed",
        {"type": "integer", "default": 0},
        {"type": "integer", "default": 10},
        BOTH_SEMANTICS,
        {"default-changed"},
        True,
        True,
    ),
    case(
        "deprecated-changed",
        {"type": "string"},
        {"type": "string", "deprecated": True},
        BOTH_SEMANTICS,
        {"deprecated-changed"},
        True,
        True,
    ),
    case(
        "ref-extracted",
        {"type": "object", "properties": {"role": {"enum": ["user", "admin"]}}},
        {
            "type": "object",
            "properties": {"role": {"$ref": "#/$defs/Role"}},
            "$defs": {"Role": {"enum": ["user", "admin"]}},
        },
        BOTH_SEMANTICS,
        {"ref-refactored"},
        True,
        True,
    ),
    case(
        "ref-target-changed",
        {
            "type": "object",
            "properties": {"role": {"$ref": "#/$defs/Role"}},
            "$defs": {"Role": {"enum": ["user", "admin"]}},
        },
        {
            "type": "object",
            "properties": {"role": {"$ref": "#/$defs/Role"}},
            "$defs": {"Role": {"enum": ["user", "admin", "owner"]}},
        },
        BOTH_SEMANTICS,
        {"enum-value-added"},
        True,
        False,
    ),
    case(
        "recursive-leaf-widened",
        {
            "$defs": {
                "N": {
                    "type": "object",
                    "properties": {
                        "v": {"type": "string"},
                        "kids": {"type": "array", "items": {"$ref": "#/$defs/N"}},
                    },
                }
            },
            "$ref": "#/$defs/N",
        },
        {
            "$defs": {
                "N": {
                    "type": "object",
                    "properties": {
                        "v": {"type": ["string", "null"]},
                        "kids": {"type": "array", "items": {"$ref": "#/$defs/N"}},
                    },
                }
            },
            "$ref": "#/$defs/N",
        },
        BOTH_SEMANTICS,
        {"nullable-added"},
        True,
        False,
    ),
    case("schema-narrowed-false", True, False, BOTH_SEMANTICS, {"schema-narrowed"}, False, True),
    case("schema-widened-true", False, True, BOTH_SEMANTICS, {"schema-widened"}, True, False),
    case(
        "property-forbidden-by-false-contract",
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}, "b": False}},
        ("contract",),
        {"schema-narrowed", "property-removed"},
        False,
        False,
    ),
    case(
        "property-forbidden-by-false-set",
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
        {"type": "object", "properties": {"a": {"type": "string"}, "b": False}},
        ("set",),
        {"schema-narrowed"},
        False,
        True,
    ),
    case(
        "identical",
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        {"type": "object", "properties": {"id": {"type": "integer"}}},
        BOTH_SEMANTICS,
        set(),
        True,
        True,
    ),
]

PARAMS = [pytest.param(c, s, id=f"{c.id}[{s}]") for c in CASES for s in c.semantics]


@pytest.mark.parametrize(("case", "semantics"), PARAMS)
def test_rule_case(case: Case, semantics: str) -> None:
    report = diff(case.old, case.new, semantics=semantics)  # type: ignore[arg-type]
    assert {c.rule for c in report.changes} == case.rules
    assert (report.backward, report.forward) == (case.backward, case.forward)
    # Consistency with the root verdict: no change claims a direction that holds, and
    # every broken direction is explained by some change.
    holds = {"backward": report.backward, "forward": report.forward}
    for change in report.changes:
        assert not any(holds[d] for d in change.breaks), change
    for direction, ok in holds.items():
        if not ok:
            assert any(direction in c.breaks for c in report.changes), direction


def test_identical_documents_report_nothing() -> None:
    report = diff({"type": "string"}, {"type": "string"})
    assert report.changes == ()
    assert report.required_bump == "none"


def test_nested_change_has_instance_and_schema_paths() -> None:
    old = {"type": "object", "properties": {"a": {"type": "array", "items": {"maxLength": 5}}}}
    new = {"type": "object", "properties": {"a": {"type": "array", "items": {"maxLength": 3}}}}
    (change,) = diff(old, new).changes
    assert change.rule == "max-length-decreased"
    assert change.instance_path == "/a/*"
    assert change.schema_path == "/properties/a/items/maxLength"
    assert change.breaks == ("backward",)
    assert change.witness is not None
    assert (change.witness.accepted_by, change.witness.rejected_by) == ("old", "new")
    assert isinstance(change.witness.payload["a"][0], str)
    assert len(change.witness.payload["a"][0]) > 3


def test_removal_points_into_old() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}}}
    (change,) = diff(old, new).changes
    assert (change.rule, change.status, change.schema_path, change.instance_path) == (
        "property-removed",
        "policy",
        "/properties/b",
        "/b",
    )
    assert change.breaks == ("backward", "forward")


def test_equivalent_regex_rewrite_is_a_patch() -> None:
    # ECMA-262 (and the reference) read \\d as [0-9]: the same language, proven.
    old = {"type": "string", "pattern": "^[0-9]+$"}
    new = {"type": "string", "pattern": "^\\d+$"}
    report = diff(old, new)
    assert report.compatible
    assert report.required_bump == "patch"


def test_unproven_regex_change_is_reported_breaking() -> None:
    old = {"type": "string", "pattern": "^([0-9])\\1$"}
    new = {"type": "string", "pattern": "^(\\d)\\1$"}
    report = diff(old, new)
    assert not report.compatible
    (change,) = report.changes
    assert change.rule == "pattern-changed"
    if change.witness is None:
        assert change.status == "unproven"
        assert "unproven" in change.message


def test_type_switch_reports_only_the_type_change() -> None:
    # Keywords of a type one side rules out are not compared: the type change says it
    # all (this once also crashed witness shrinking: /a of an object vs an array).
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "array", "items": {"type": "string"}, "minItems": 1}
    report = diff(old, new)
    assert [c.rule for c in report.changes] == ["type-changed"]
    assert report.changes[0].breaks == ("backward", "forward")


def test_added_property_with_a_ref_is_judged_alone() -> None:
    """An optional property whose schema is a ``$ref`` into NEW's ``$defs`` is judged on
    its own (the definition is carried into OLD), not blamed for another change that
    breaks the same object (regression: it used to inherit the root's witness)."""
    from accord.compat import diff

    old = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
    new = {
        "$defs": {"address": {"type": "object", "properties": {"city": {"type": "string"}}}},
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string"},
            "address": {"$ref": "#/$defs/address"},
        },
        "required": ["id", "status"],
    }
    report = diff(old, new, mode="backward")
    by_rule = {c.rule: c for c in report.changes}
    assert by_rule["property-added-required"].breaks == ("backward",)
    assert by_rule["property-added-optional"].breaks == ()
    assert not report.compatible
