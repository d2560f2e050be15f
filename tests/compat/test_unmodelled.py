"""The engine decides only what it models; invalid input is refused, not answered.

- every keyword the reference validator (jsonschema-rs, 2020-12) applies is either
  modelled by the engine or listed in ``UNMODELLED`` (probed, not assumed);
- an unmodelled keyword in either schema of a pair never yields "compatible": the
  direction is unproven (naming the keyword) or refuted with a witness;
- ``accord.diff`` models ``dependencies`` (the reference asserts it in 2020-12 too) as
  ``dependentRequired``/``dependentSchemas``, and calls a draft-07 content keyword
  unproven (jsonschema-rs asserts them in draft-07);
- a schema the reference refuses to compile under its declared or default dialect is
  refused: ``schema-invalid``, exit 2, with the reference's message and the pointer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import accord
from accord.cli import main
from accord.compat._engine import UNMODELLED, compare, includes
from accord.compat._prover import ARR_KW, ASSERTED_FORMATS, NUM_KW, OBJ_KW, STR_KW
from accord.validation.dialect import fold_dependencies, normalize
from accord.validation.reference import is_valid

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# --- (a) the keywords the reference applies, probed --------------------------------------

_POOL: list[Any] = [
    None,
    True,
    0,
    1,
    1.5,
    "",
    "a",
    "!!!",
    "YQ==",
    [],
    [1],
    ["x", 1],
    [1, 1],
    {},
    {"a": 1},
    {"a": 1, "b": 2},
    {"b": "x"},
]
_STRING = {"type": "string"}
# One schema per keyword (2020-12 vocabularies, draft-07 and older legacy keywords) whose
# value would reject something in _POOL if the reference applied the keyword.
_PROBES: dict[str, dict[str, Any]] = {
    "type": {"type": "string"},
    "const": {"const": 1},
    "enum": {"enum": [1]},
    "multipleOf": {"multipleOf": 2},
    "maximum": {"maximum": 0},
    "exclusiveMaximum": {"exclusiveMaximum": 0},
    "minimum": {"minimum": 2},
    "exclusiveMinimum": {"exclusiveMinimum": 2},
    "maxLength": {"maxLength": 0},
    "minLength": {"minLength": 2},
    "pattern": {"pattern": "^$"},
    "format": {"format": "email"},
    "maxItems": {"maxItems": 0},
    "minItems": {"minItems": 2},
    "uniqueItems": {"uniqueItems": True},
    "contains": {"contains": _STRING},
    "maxContains": {"contains": {"type": "integer"}, "maxContains": 0},
    "minContains": {"contains": {"type": "integer"}, "minContains": 2},
    "maxProperties": {"maxProperties": 0},
    "minProperties": {"minProperties": 2},
    "required": {"required": ["a"]},
    "dependentRequired": {"dependentRequired": {"a": ["b"]}},
    "dependentSchemas": {"dependentSchemas": {"a": False}},
    "prefixItems": {"prefixItems": [_STRING]},
    "items": {"items": _STRING},
    "additionalProperties": {"additionalProperties": False},
    "properties": {"properties": {"a": _STRING}},
    "patternProperties": {"patternProperties": {"^a": _STRING}},
    "propertyNames": {"propertyNames": {"maxLength": 0}},
    "unevaluatedItems": {"unevaluatedItems": False},
    "unevaluatedProperties": {"unevaluatedProperties": False},
    "allOf": {"allOf": [_STRING]},
    "anyOf": {"anyOf": [_STRING]},
    "oneOf": {"oneOf": [_STRING]},
    "not": {"not": _STRING},
    "if": {"if": _STRING, "then": False},
    "$ref": {"$ref": "#/$defs/x", "$defs": {"x": False}},
    "$dynamicRef": {"$dynamicRef": "#/$defs/x", "$defs": {"x": False}},
    "contentEncoding": {"contentEncoding": "base64"},
    "contentMediaType": {"contentMediaType": "application/json"},
    "contentSchema": {"contentMediaType": "application/json", "contentSchema": False},
    "deprecated": {"deprecated": True},
    "readOnly": {"readOnly": True},
    "writeOnly": {"writeOnly": True},
    "definitions": {"definitions": {"x": False}},
    "dependencies": {"dependencies": {"a": ["b"]}},
    "additionalItems": {"additionalItems": False},
    "$recursiveRef": {"$recursiveRef": "#"},
    "divisibleBy": {"divisibleBy": 2},
    "disallow": {"disallow": "string"},
    "extends": {"extends": _STRING},
    "requires": {"requires": "a"},
    "nullable": {"nullable": False},
    "discriminator": {"discriminator": {"propertyName": "a"}},
}
_MODELLED = (
    NUM_KW
    | STR_KW
    | ARR_KW
    | OBJ_KW
    | {"type", "const", "enum", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref"}
)


def _applied_by_reference(keyword: str) -> bool:
    return any(not is_valid(_PROBES[keyword], value) for value in _POOL)


def test_every_keyword_the_reference_applies_is_modelled_or_unmodelled() -> None:
    applied = {k for k in _PROBES if _applied_by_reference(k)}
    assert applied - _MODELLED == set(UNMODELLED)
    assert UNMODELLED.isdisjoint(_MODELLED)
    # ... and the engine models nothing the reference ignores ("then"/"else" are probed
    # through "if").
    assert _MODELLED - applied == {"then", "else"}


_FORMAT_CANDIDATES = sorted(
    ASSERTED_FORMATS
    | {"int32", "int64", "float", "double", "byte", "binary", "password", "phone", "color"}
    | {"ip", "host-name", "ip-address", "utc-millisec", "uint8", "style", "unknown"}
)
_FORMAT_POOL = ["", "a", "!!!", "::", "1", "x y", "\\", "[", "{", "%", "/a", "1/2", 1.5, -1]


def test_the_engine_asserts_exactly_the_formats_the_reference_asserts() -> None:
    asserted = {
        f for f in _FORMAT_CANDIDATES if any(not is_valid({"format": f}, v) for v in _FORMAT_POOL)
    }
    assert asserted == set(ASSERTED_FORMATS)


# --- (a) unmodelled keywords are never compatible (shared case format) -------------------

CASES: list[dict[str, Any]] = [
    {
        "id": "dependencies-array-added",
        "old": {"type": "object"},
        "new": {"type": "object", "dependencies": {"a": ["b"]}},
        "witnesses": {"old_only": [{"a": 1}], "new_only": []},
    },
    {
        "id": "dependencies-schema-added",
        "old": {"type": "object"},
        "new": {"type": "object", "dependencies": {"a": {"required": ["b"]}}},
        "witnesses": {"old_only": [{"a": 1}], "new_only": []},
    },
    {
        "id": "dependencies-nested-added",
        "old": {"type": "object", "properties": {"p": {"type": "object"}}},
        "new": {
            "type": "object",
            "properties": {"p": {"type": "object", "dependencies": {"a": ["b"]}}},
        },
        "witnesses": {"old_only": [{"p": {"a": 1}}], "new_only": []},
    },
    {
        "id": "dependencies-inside-not-removed",
        "old": {"not": {"type": "object", "dependencies": {"a": ["b"]}}},
        "new": {"not": {"type": "object"}},
        "witnesses": {"old_only": [{"a": 1}], "new_only": []},
    },
    {
        "id": "dynamic-ref-added",
        "old": {"type": "object"},
        "new": {"$dynamicRef": "#/$defs/x", "$defs": {"x": {"type": "object", "required": ["a"]}}},
        "witnesses": {"old_only": [{}], "new_only": []},
    },
]


@pytest.mark.parametrize("semantics", ["set", "contract"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_unmodelled_keyword_is_never_compatible(case: dict[str, Any], semantics: str) -> None:
    old, new = normalize(case["old"]), normalize(case["new"])
    for payload in case["witnesses"]["old_only"]:
        assert is_valid(old, payload)
        assert not is_valid(new, payload)
    result = compare(old, new, semantics=semantics)  # type: ignore[arg-type]
    assert result.backward.holds is not True
    if result.backward.holds is None:
        assert "does not model" in result.backward.reason
        assert any(k in result.backward.reason for k in UNMODELLED)
    verdict = includes(old, new, semantics=semantics)  # type: ignore[arg-type]
    assert verdict.holds is not True


def test_unmodelled_keyword_unchanged_is_decided_by_identity() -> None:
    schema = {"type": "object", "dependencies": {"a": ["b"]}}
    result = compare(schema, json.loads(json.dumps(schema)))
    assert result.backward.holds is True
    assert result.forward.holds is True


@pytest.mark.parametrize("case", CASES[:3], ids=[c["id"] for c in CASES[:3]])
def test_diff_models_dependencies(case: dict[str, Any]) -> None:
    """``accord.diff`` folds ``dependencies``: backward refuted with a witness, forward
    proven (a dependency added only narrows)."""
    report = accord.diff(old_schema=case["old"], new_schema=case["new"])
    assert report.compatible is False
    assert report.backward is False
    assert report.forward is True
    assert report.required_bump == "major"
    witnesses = [c.witness for c in report.changes if c.witness is not None]
    assert witnesses
    for change in report.changes:
        if change.witness is not None:
            assert is_valid(case["old"], change.witness.payload)
            assert not is_valid(case["new"], change.witness.payload)


def test_fold_dependencies_keeps_the_reference_meaning() -> None:
    schema = {
        "properties": {"dependencies": {"dependencies": {"x": ["y"]}}},
        "dependencies": {"a": ["b"], "z": {"required": ["q"]}},
        "dependentRequired": {"a": ["c"]},
        "dependentSchemas": {"z": {"required": ["r"]}},
    }
    before = json.dumps(schema, sort_keys=True)
    folded = fold_dependencies(schema)
    assert json.dumps(schema, sort_keys=True) == before  # not mutated
    assert "dependencies" not in folded
    assert folded["properties"]["dependencies"] == {"dependentRequired": {"x": ["y"]}}
    for payload in (
        {"a": 1},
        {"a": 1, "b": 1},
        {"a": 1, "c": 1},
        {"a": 1, "b": 1, "c": 1},
        {"z": 1, "q": 1},
        {"z": 1, "r": 1},
        {"z": 1, "q": 1, "r": 1},
        {"dependencies": {"x": 1}},
        {"dependencies": {"x": 1, "y": 1}},
    ):
        assert is_valid(folded, payload) == is_valid(schema, payload), payload


@pytest.mark.parametrize("keyword", ["contentEncoding", "contentMediaType"])
def test_diff_draft_07_content_keyword_is_not_compatible(keyword: str) -> None:
    value = "base64" if keyword == "contentEncoding" else "application/json"
    old = {"$schema": DRAFT_07, "type": "string"}
    new = {**old, keyword: value}
    assert not jsonschema_rs.Draft7Validator(new).is_valid("!!!")
    report = accord.diff(old_schema=old, new_schema=new)
    assert report.compatible is False
    assert report.backward is False
    assert any(keyword in c.message and c.status == "unproven" for c in report.changes)


def test_diff_2020_12_content_keyword_is_an_annotation() -> None:
    old = {"type": "string"}
    new = {"type": "string", "contentEncoding": "base64"}
    assert is_valid(new, "!!!")
    report = accord.diff(old_schema=old, new_schema=new)
    assert report.compatible is True


# --- (b) invalid input is refused --------------------------------------------------------

INVALID = [
    pytest.param(
        {"type": "number", "minimum": 5, "maximum": 20, "exclusiveMinimum": True},
        "/exclusiveMinimum",
        id="boolean-exclusiveMinimum",
    ),
    pytest.param(
        {"type": "array", "items": [{"type": "string"}]}, "/items", id="array-items-2020-12"
    ),
    pytest.param(
        {"properties": {"a": {"exclusiveMaximum": False}}},
        "/properties/a/exclusiveMaximum",
        id="nested-boolean-exclusiveMaximum",
    ),
    pytest.param(
        {"$schema": DRAFT_07, "exclusiveMinimum": True},
        "/exclusiveMinimum",
        id="draft-07-boolean-exclusiveMinimum",
    ),
]


@pytest.mark.parametrize(("schema", "pointer"), INVALID)
@pytest.mark.parametrize("side", ["old", "new"])
def test_diff_refuses_what_the_reference_does_not_compile(
    schema: dict[str, Any], pointer: str, side: str
) -> None:
    valid = {"type": "number", "minimum": 5, "maximum": 20}
    sides = {"old_schema": valid, "new_schema": valid, f"{side}_schema": schema}
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.meta.validate(schema)
    with pytest.raises(accord.SchemaError) as caught:
        accord.diff(**sides)
    assert caught.value.code == "schema-invalid"
    assert caught.value.pointer == pointer
    assert "is not of type" in str(caught.value) or "is not of types" in str(caught.value)


@pytest.mark.parametrize(("schema", "pointer"), INVALID)
def test_cli_diff_refuses_with_exit_2(
    schema: dict[str, Any], pointer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    new = tmp_path / "new.json"
    old.write_text(json.dumps({"type": "number", "minimum": 5, "maximum": 20}), encoding="utf-8")
    new.write_text(json.dumps(schema), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 2
    err = capsys.readouterr().err
    assert pointer in err
    assert "Traceback" not in err


def test_valid_draft_07_tuple_items_is_still_compared() -> None:
    old = {"$schema": DRAFT_07, "type": "array", "items": [{"type": "string"}]}
    new = {"$schema": DRAFT_07, "type": "array", "items": [{"type": "string"}], "maxItems": 3}
    report = accord.diff(old_schema=old, new_schema=new)
    assert report.backward is False
    assert report.forward is True


# --- property: never compatible when a payload of OLD fails NEW under the reference -------

_LEAF = st.sampled_from([{}, {"type": "string"}, {"type": "integer"}, {"required": ["b"]}])
_NAMES = st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True)
_DEPS = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.one_of(_NAMES, _LEAF, st.booleans()), max_size=2
)


def _object(deps: dict[str, Any], required: list[str], dynamic: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if deps:
        schema["dependencies"] = deps
    if required:
        schema["required"] = required
    if dynamic:
        return {"$dynamicRef": "#/$defs/x", "$defs": {"x": schema}}
    return schema


_SCHEMAS = st.builds(_object, _DEPS, _NAMES, st.booleans())
_PAYLOADS = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from([1, "x"]), max_size=3),
    min_size=1,
    max_size=6,
)


@given(old=_SCHEMAS, new=_SCHEMAS, payloads=_PAYLOADS)
def test_never_compatible_when_a_payload_of_old_fails_new(
    old: dict[str, Any], new: dict[str, Any], payloads: list[dict[str, Any]]
) -> None:
    breaks = [p for p in payloads if is_valid(old, p) and not is_valid(new, p)]
    if not breaks:
        return
    assert compare(old, new, semantics="set").backward.holds is not True
    report = accord.diff(old_schema=old, new_schema=new, semantics="set")
    assert report.backward is False
    assert report.compatible is False
