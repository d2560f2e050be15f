"""Dialect detection, draft-07 normalisation and schema-level checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accord.core import jsondoc as _jsondoc
from accord.errors import SchemaError
from accord.validation.dialect import (
    DIALECT_2020_12,
    DIALECT_DRAFT_07,
    SUPPORTED_KEYWORDS,
    check_schema,
    classify_ref,
    detect_dialect,
    nonportable_regex_features,
    normalize,
    normalize_with_map,
)
from accord.validation.reference import is_valid

D7 = DIALECT_DRAFT_07


# --- detection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        pytest.param({}, "2020-12", id="absent"),
        pytest.param(True, "2020-12", id="boolean"),
        pytest.param({"$schema": DIALECT_2020_12}, "2020-12", id="2020-12"),
        pytest.param({"$schema": DIALECT_2020_12 + "#"}, "2020-12", id="2020-12-hash"),
        pytest.param(
            {"$schema": "http://json-schema.org/draft/2020-12/schema"}, "2020-12", id="2020-http"
        ),
        pytest.param({"$schema": D7}, "draft-07", id="draft-07"),
        pytest.param(
            {"$schema": "http://json-schema.org/draft-07/schema"}, "draft-07", id="07-no-hash"
        ),
        pytest.param(
            {"$schema": "https://json-schema.org/draft-07/schema#"}, "draft-07", id="07-https"
        ),
    ],
)
def test_detect_dialect(schema: Any, expected: str) -> None:
    assert detect_dialect(schema) == expected


@pytest.mark.parametrize(
    "uri",
    [
        "http://json-schema.org/draft-03/schema#",
        "https://json-schema.org/draft/2021-01/schema",
        "https://example.com/my-dialect",
        42,
    ],
)
def test_other_dialects_are_refused(uri: Any) -> None:
    with pytest.raises(SchemaError) as info:
        detect_dialect({"$schema": uri}, file="a.schema.json")
    assert info.value.code == "schema-dialect-unsupported"
    assert info.value.file == "a.schema.json"
    assert info.value.pointer == "/$schema"


# --- normalisation -----------------------------------------------------------------

NORMALISATION = [
    pytest.param(
        {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False},
        {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
        id="tuple-items-and-additionalItems",
    ),
    pytest.param(
        {"items": [{"type": "string"}]},
        {"prefixItems": [{"type": "string"}]},
        id="tuple-items-open",
    ),
    pytest.param(
        {"items": {"type": "string"}, "additionalItems": False},
        {"items": {"type": "string"}},
        id="additionalItems-ignored-without-tuple",
    ),
    pytest.param(
        {
            "definitions": {"id": {"type": "integer"}},
            "properties": {"a": {"$ref": "#/definitions/id"}},
        },
        {"$defs": {"id": {"type": "integer"}}, "properties": {"a": {"$ref": "#/$defs/id"}}},
        id="definitions-and-refs",
    ),
    pytest.param(
        {"definitions": {"a b": {"type": "null"}}, "$ref": "#/definitions/a%20b"},
        {"$defs": {"a b": {"type": "null"}}, "$ref": "#/$defs/a%20b"},
        id="percent-encoded-ref",
    ),
    pytest.param(
        {"$ref": "#/definitions/s", "type": "integer", "title": "t", "definitions": {"s": {}}},
        {"$ref": "#/$defs/s", "$defs": {"s": {}}},
        id="ref-siblings-dropped-definitions-kept",
    ),
    pytest.param(
        {"dependencies": {"a": ["b"], "c": {"required": ["d"]}, "e": True}},
        {
            "dependentRequired": {"a": ["b"]},
            "dependentSchemas": {"c": {"required": ["d"]}, "e": True},
        },
        id="dependencies-split",
    ),
    pytest.param(
        {
            "properties": {
                "items": {"type": "array", "items": [{"type": "string"}]},
                "definitions": {"type": "string"},
                "dependencies": {"type": "object"},
            }
        },
        {
            "properties": {
                "items": {"type": "array", "prefixItems": [{"type": "string"}]},
                "definitions": {"type": "string"},
                "dependencies": {"type": "object"},
            }
        },
        id="properties-named-like-keywords",
    ),
    pytest.param(
        {"enum": [{"items": [1], "definitions": {}}], "default": {"$ref": "#/x", "a": 1}},
        {"enum": [{"items": [1], "definitions": {}}], "default": {"$ref": "#/x", "a": 1}},
        id="data-values-untouched",
    ),
    pytest.param(
        {
            "definitions": {
                "t": {"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}
            },
            "allOf": [
                {"$ref": "#/definitions/t/items/0"},
                {"$ref": "#/definitions/t/additionalItems"},
            ],
        },
        {
            "$defs": {"t": {"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}},
            "allOf": [{"$ref": "#/$defs/t/prefixItems/0"}, {"$ref": "#/$defs/t/items"}],
        },
        id="refs-follow-moved-subschemas",
    ),
    pytest.param(
        {"definitions": {"a": {"$id": "#thing", "type": "string"}}, "$ref": "#thing"},
        {"$defs": {"a": {"$anchor": "thing", "type": "string"}}, "$ref": "#thing"},
        id="plain-name-id-becomes-anchor",
    ),
]


@pytest.mark.parametrize(("draft07", "expected"), NORMALISATION)
def test_normalize_draft07(draft07: dict[str, Any], expected: dict[str, Any]) -> None:
    schema = {"$schema": D7, **draft07}
    before = copy.deepcopy(schema)
    assert normalize(schema) == {"$schema": DIALECT_2020_12, **expected}
    assert schema == before, "normalize must not mutate its input"


def test_normalize_2020_12_is_a_copy() -> None:
    schema = {"properties": {"a": {"type": "string"}}}
    out = normalize(schema)
    assert out == schema
    assert out is not schema
    assert out["properties"] is not schema["properties"]


def test_normalize_map_points_back_to_old_locations() -> None:
    _, mapping = normalize_with_map(
        {"$schema": D7, "definitions": {"t": {"items": [{}], "additionalItems": {}}}}
    )
    assert mapping["/$defs/t/prefixItems/0"] == "/definitions/t/items/0"
    assert mapping["/$defs/t/items"] == "/definitions/t/additionalItems"


def test_ref_into_ignored_sibling_is_refused() -> None:
    schema = {
        "$schema": D7,
        "definitions": {"s": {}},
        "properties": {
            "a": {"$ref": "#/definitions/s", "properties": {"b": {"type": "string"}}},
            "c": {"$ref": "#/properties/a/properties/b"},
        },
    }
    with pytest.raises(SchemaError) as info:
        normalize(schema, file="x.json")
    assert info.value.code == "schema-ref-target-ignored"
    assert info.value.pointer == "/properties/c/$ref"


@pytest.mark.parametrize(
    ("draft07", "payloads"),
    [
        pytest.param(
            {"items": [{"type": "string"}], "additionalItems": {"type": "integer"}},
            [["a"], ["a", 1], [1], ["a", "b"], []],
            id="tuple",
        ),
        pytest.param(
            {"$ref": "#/definitions/s", "maxLength": 1, "definitions": {"s": {"type": "string"}}},
            ["abc", 1, ""],
            id="ref-siblings",
        ),
        pytest.param(
            {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
            [{"a": 1}, {"a": 1, "b": 2}, {"c": 1}, {"c": 1, "d": 1}, {}],
            id="dependencies",
        ),
    ],
)
def test_normalized_meaning_matches_draft07(draft07: dict[str, Any], payloads: list[Any]) -> None:
    import jsonschema_rs

    original = jsonschema_rs.Draft7Validator({"$schema": D7, **draft07}, offline=True)
    converted = normalize({"$schema": D7, **draft07})
    for payload in payloads:
        assert is_valid(converted, payload) == original.is_valid(payload), payload


# --- check_schema ------------------------------------------------------------------

CHECKS = [
    pytest.param({"type": "strin"}, "schema-metaschema", "/type", id="metaschema-type"),
    pytest.param(
        {"properties": {"a": {"minLength": -1}}},
        "schema-metaschema",
        "/properties/a/minLength",
        id="metaschema-nested",
    ),
    pytest.param(
        {"$schema": D7, "properties": {"a": {"required": "x"}}},
        "schema-metaschema",
        "/properties/a/required",
        id="metaschema-draft07",
    ),
    pytest.param({"requird": ["a"]}, "schema-unknown-keyword", "/requird", id="unknown-requird"),
    pytest.param(
        {"properties": {"a": {"type": "string", "minLenght": 3}}},
        "schema-unknown-keyword",
        "/properties/a/minLenght",
        id="unknown-nested",
    ),
    pytest.param(
        {"$schema": D7, "prefixItems": [{}]},
        "schema-unknown-keyword",
        "/prefixItems",
        id="unknown-2020-keyword-in-draft07",
    ),
    pytest.param({"pattern": "(abc"}, "schema-regex-invalid", "/pattern", id="regex-invalid"),
    pytest.param(
        {"patternProperties": {"[a-": {}}},
        "schema-regex-invalid",
        "/patternProperties/[a-",
        id="regex-invalid-key",
    ),
    pytest.param(
        {"pattern": "^(?=a)"}, "schema-regex-nonportable", "/pattern", id="regex-lookahead"
    ),
    pytest.param(
        {"patternProperties": {"^\\p{L}+$": {}}},
        "schema-regex-nonportable",
        "/patternProperties/^\\p{L}+$",
        id="regex-property-key",
    ),
    pytest.param(
        {"properties": {"a": {"$ref": "https://example.com/s.json"}}},
        "ref-remote",
        "/properties/a/$ref",
        id="ref-remote-https",
    ),
    pytest.param({"$ref": "urn:example:thing"}, "ref-remote", "/$ref", id="ref-remote-urn"),
    pytest.param({"$dynamicRef": "file:///etc/x"}, "ref-remote", "/$dynamicRef", id="dyn-remote"),
    pytest.param({"$ref": "#"}, "schema-ref-cycle", "/$ref", id="ref-cycle-root"),
    pytest.param(
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}},
        "schema-ref-cycle",
        "/$defs/b/allOf/0/$ref",
        id="ref-cycle-defs",
    ),
    pytest.param(
        {"$defs": {"a": {"not": {"$ref": "#/$defs/a"}}}},
        "schema-ref-cycle",
        "/$defs/a/not/$ref",
        id="ref-cycle-not",
    ),
    pytest.param(
        {"$defs": {"a": {"$anchor": "A", "if": {"$ref": "#A"}}}},
        "schema-ref-cycle",
        "/$defs/a/if/$ref",
        id="ref-cycle-anchor",
    ),
    pytest.param({"format": "colour"}, "format-unknown", "/format", id="format-unknown"),
    pytest.param(
        {"$schema": D7, "$ref": "#/definitions/a", "type": "string", "definitions": {"a": {}}},
        "schema-ref-siblings-ignored",
        "",
        id="draft07-ref-siblings",
    ),
]


@pytest.mark.parametrize(("schema", "code", "pointer"), CHECKS)
def test_check_schema_codes(schema: Any, code: str, pointer: str, tmp_path: Path) -> None:
    path = tmp_path / "1.0.0.schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    loaded = _jsondoc.load_path(path, display="orders/x/1.0.0.schema.json")
    problems = check_schema(loaded, file="orders/x/1.0.0.schema.json")
    hits = [p for p in problems if p.code == code]
    assert hits, problems
    assert {p.pointer for p in hits} == {pointer}
    assert all(p.file == "orders/x/1.0.0.schema.json" for p in problems)
    expected_severity = (
        "warning" if code in ("format-unknown", "schema-ref-siblings-ignored") else "error"
    )
    assert all(p.severity == expected_severity for p in hits)


def test_check_schema_dialect_problem() -> None:
    problems = check_schema({"$schema": "http://json-schema.org/draft-03/schema#"}, file="f")
    assert [(p.code, p.pointer, p.file) for p in problems] == [
        ("schema-dialect-unsupported", "/$schema", "f")
    ]


@pytest.mark.parametrize(
    ("schema", "require", "codes"),
    [
        pytest.param(True, True, ["schema-root-not-object"], id="bool-root-registry"),
        pytest.param(False, False, [], id="bool-root-diff"),
        pytest.param([], False, ["schema-root-not-object"], id="array-root"),
    ],
)
def test_root_must_be_object(schema: Any, require: bool, codes: list[str]) -> None:
    problems = check_schema(schema, file="f", require_object_root=require)
    assert [p.code for p in problems] == codes


def test_check_schema_prefixes_pointer() -> None:
    problems = check_schema({"minLenght": 1}, file="f", pointer="/$defs/x")
    assert [p.pointer for p in problems] == ["/$defs/x/minLenght"]


def test_unknown_keyword_suggests_closest() -> None:
    (problem,) = check_schema({"minLenght": 1})
    assert "'minLength'" in problem.message


def test_clean_schema_has_no_problems() -> None:
    schema = {
        "$schema": DIALECT_2020_12,
        "type": "object",
        "x-owner": "team-a",
        "properties": {
            # property names that look like keywords or typos are not keywords
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            "requird": {"type": "boolean"},
            "pattern": {"type": "string", "pattern": "^[a-z]+\\d*$"},
        },
        "enum": [{"minLenght": 1, "$ref": "https://example.com"}],
        "default": {"$ref": "#"},
        "examples": [{"pattern": "("}],
        "$defs": {"item": {"type": "string", "format": "uuid"}},
    }
    assert check_schema(schema, file="f") == []


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param(
            {"$defs": {"node": {"properties": {"next": {"$ref": "#/$defs/node"}}}}},
            id="linked-list",
        ),
        pytest.param(
            {"type": "array", "items": {"$ref": "#"}},
            id="nested-arrays",
        ),
        pytest.param(
            {"anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#"}}]},
            id="json-tree-through-anyOf-then-items",
        ),
        pytest.param(
            {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"type": "string"}}},
            id="ref-chain",
        ),
    ],
)
def test_legitimate_recursion_is_not_a_cycle(schema: dict[str, Any]) -> None:
    assert [p for p in check_schema(schema) if p.code == "schema-ref-cycle"] == []


def test_keyword_tables() -> None:
    assert "unevaluatedProperties" in SUPPORTED_KEYWORDS["2020-12"]
    assert "dependencies" not in SUPPORTED_KEYWORDS["2020-12"]
    assert "dependencies" in SUPPORTED_KEYWORDS["draft-07"]
    assert "prefixItems" not in SUPPORTED_KEYWORDS["draft-07"]


# --- regex portability -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("(?=a)", ["lookahead (?="], id="lookahead"),
        pytest.param("a(?!b)", ["negative lookahead (?!"], id="neg-lookahead"),
        pytest.param("(?<=a)b", ["lookbehind (?<="], id="lookbehind"),
        pytest.param("(?<!a)b", ["negative lookbehind (?<!"], id="neg-lookbehind"),
        pytest.param("(a)\\1", ["backreference \\1"], id="backref"),
        pytest.param("(?<n>a)\\k<n>", ["named backreference \\k<n>"], id="named-backref"),
        pytest.param("\\p{Lu}", ["Unicode property escape \\p{Lu}"], id="property"),
        pytest.param("[\\P{L}]", ["Unicode property escape \\P{L}"], id="property-in-class"),
        pytest.param("\\(?=", [], id="escaped-paren"),
        pytest.param("[(?=]", [], id="in-class"),
        pytest.param("[\\]](?:x)", [], id="escaped-bracket-then-group"),
        pytest.param("\\\\1", [], id="escaped-backslash-then-digit"),
        pytest.param("[\\1]", [], id="digit-escape-in-class"),
        pytest.param("(?:a)(?<name>b)", [], id="non-capturing-and-named-groups"),
        pytest.param("^\\d{3}-\\w+$", [], id="plain"),
    ],
)
def test_nonportable_regex_features(pattern: str, expected: list[str]) -> None:
    assert nonportable_regex_features(pattern) == expected


# --- refs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        ("#/$defs/a", "local"),
        ("#", "local"),
        ("#anchor", "local"),
        ("", "local"),
        ("accord://common.money@1.0.0", "accord"),
        ("ACCORD://common.money@1.0.0#/$defs/a", "accord"),
        ("../money/1.0.0.schema.json", "relative"),
        ("money.json#/$defs/x", "relative"),
        ("https://example.com/s.json", "remote"),
        ("http://example.com/s.json", "remote"),
        ("file:///etc/passwd", "remote"),
        ("urn:uuid:1234", "remote"),
        ("//example.com/s.json", "remote"),
    ],
)
def test_classify_ref(ref: str, kind: str) -> None:
    assert classify_ref(ref) == kind


def test_openapi_discriminator_is_an_annotation_not_a_typo() -> None:
    schema = {
        "oneOf": [{"$ref": "#/$defs/cat"}, {"$ref": "#/$defs/dog"}],
        "discriminator": {"propertyName": "kind"},
        "$defs": {
            "cat": {"properties": {"kind": {"const": "cat"}}},
            "dog": {"properties": {"kind": {"const": "dog"}}},
        },
    }
    assert check_schema(schema) == []
    assert [p.code for p in check_schema({"discriminatr": {}})] == ["schema-unknown-keyword"]


# --- the metaschema check: jsonschema-rs decides, python-jsonschema explains -----------

_METASCHEMA_EDGES = [
    {"minLength": 1.0},
    {"minLength": 1.5},
    {"minLength": -1},
    {"minLength": 10**30},
    {"minLength": True},
    {"type": ["string", "string"]},
    {"type": "any"},
    {"type": []},
    {"required": []},
    {"required": ["a", "a"]},
    {"enum": []},
    {"enum": [1, True]},
    {"exclusiveMinimum": True, "minimum": 1},
    {"items": [{}]},
    {"items": True},
    {"multipleOf": 0},
    {"$ref": 1},
    {"$id": "#foo"},
    {"$anchor": "1a"},
    {"$dynamicAnchor": "1"},
    {"$recursiveAnchor": "x"},
    {"$vocabulary": {"x": 1}},
    {"pattern": "["},
    {"properties": {"a": 1}},
    {"properties": {"a": {"$schema": "x"}}},
    {"$defs": {"a": {"type": "x"}}},
    {"definitions": {"a": {"type": "x"}}},
    {"dependencies": {"a": ["b", "b"]}},
    {"dependentRequired": {"a": ["b", "b"]}},
    {"additionalItems": 1},
    {"allOf": []},
    {"anyOf": [1]},
    {"prefixItems": []},
    {"minContains": -1},
    {"unevaluatedProperties": 1},
    {"format": 1},
    {"deprecated": "yes"},
    {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "strin"}}}},
]


@pytest.mark.parametrize("dialect", ["2020-12", "2019-09", "draft-07", "draft-06", "draft-04"])
@pytest.mark.parametrize("schema", _METASCHEMA_EDGES, ids=lambda s: json.dumps(s)[:40])
def test_metaschema_fast_path_accepts_only_what_python_jsonschema_accepts(
    schema: dict[str, Any], dialect: Any
) -> None:
    # jsonschema-rs's yes skips python-jsonschema's walk: it must never say yes where
    # python-jsonschema (whose messages accord reports) finds a violation.
    from accord.validation.dialect import _metaschema_accepts
    from accord.validation.offline import py_validator, py_validator_class

    cls = py_validator_class(dialect)
    expected = py_validator(cls, cls.META_SCHEMA).is_valid(schema)
    assert _metaschema_accepts(schema, dialect) == expected


def test_metaschema_check_of_a_valid_schema_skips_python_jsonschema(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.validation import offline

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-jsonschema ran on a valid schema")

    monkeypatch.setattr(offline, "py_validator", fail)
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {}}}}
    assert check_schema(schema) == []
    with pytest.raises(AssertionError, match="python-jsonschema ran"):
        check_schema({"type": "strin"})


@pytest.mark.parametrize("dialect", ["2020-12", "2019-09", "draft-07", "draft-06", "draft-04"])
def test_the_fast_metaschema_is_python_jsonschemas(dialect: Any) -> None:
    from accord.validation.dialect import _metaschema_document
    from accord.validation.offline import py_validator_class

    assert _metaschema_document(dialect) == py_validator_class(dialect).META_SCHEMA


def test_a_valid_schema_is_checked_without_importing_python_jsonschema() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from accord.validation.dialect import check_schema\n"
        "assert check_schema({'type': 'object', 'properties': {'a': {'type': 'string'}}}) == []\n"
        "print('jsonschema' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
