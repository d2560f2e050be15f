"""Draft-04, draft-06, draft-07 and 2019-09 read as 2020-12 (issue 15, point 2).

Normalisation must not change what a schema accepts: the property tests compare the
reference validator (jsonschema-rs) in the *declared* dialect on the original document
with the reference in 2020-12 on the normalised one, on payloads generated from both.
The one reading accord keeps from 2020-12 everywhere: numbers are mathematical, so
``1.0`` is an integer (jsonschema-rs's draft-04 says it is not); payloads holding an
integral float are left out of the draft-04 comparison for that reason alone.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.errors import SchemaError
from accord.payloads import generate as _generate
from accord.validation import Validator
from accord.validation.dialect import (
    ASSERTED_FORMATS,
    DIALECTS,
    check_schema,
    detect_dialect,
    normalize,
)
from accord.validation.formats import FORMATS
from accord.validation.reference import is_valid

D4 = DIALECTS["draft-04"]
D6 = DIALECTS["draft-06"]
D19 = DIALECTS["2019-09"]

_RS = {
    "draft-04": jsonschema_rs.Draft4Validator,
    "draft-06": jsonschema_rs.Draft6Validator,
    "draft-07": jsonschema_rs.Draft7Validator,
    "2019-09": jsonschema_rs.Draft201909Validator,
    "2020-12": jsonschema_rs.Draft202012Validator,
}


def _declared(schema: Any) -> Any:
    """The reference validator in the dialect ``schema`` declares."""
    return _RS[detect_dialect(schema)](schema, validate_formats=True, ignore_unknown_formats=True)


@pytest.mark.parametrize(
    ("uri", "dialect"),
    [
        (D4, "draft-04"),
        ("http://json-schema.org/draft-04/schema", "draft-04"),
        (D6, "draft-06"),
        ("https://json-schema.org/draft-06/schema#", "draft-06"),
        (D19, "2019-09"),
        ("https://json-schema.org/draft/2019-09/schema#", "2019-09"),
    ],
)
def test_every_draft_is_detected(uri: str, dialect: str) -> None:
    assert detect_dialect({"$schema": uri}) == dialect


NORMALISED = [
    pytest.param(
        {"$schema": D4, "type": "number", "minimum": 5, "exclusiveMinimum": True},
        {"type": "number", "exclusiveMinimum": 5},
        id="04-exclusive-minimum-true",
    ),
    pytest.param(
        {"$schema": D4, "maximum": 5, "exclusiveMaximum": False},
        {"maximum": 5},
        id="04-exclusive-maximum-false",
    ),
    pytest.param(
        {"$schema": D4, "id": "http://example.com/x", "properties": {"id": {"id": "#item"}}},
        {"$id": "http://example.com/x", "properties": {"id": {"$anchor": "item"}}},
        id="04-id",
    ),
    pytest.param(
        {
            "$schema": D4,
            "properties": {"a": {"$ref": "#/definitions/p", "type": "string"}},
            "definitions": {"p": {"type": "integer"}},
        },
        {"properties": {"a": {"$ref": "#/$defs/p"}}, "$defs": {"p": {"type": "integer"}}},
        id="04-definitions-and-ref-siblings",
    ),
    pytest.param(
        {"$schema": D4, "items": [{"type": "string"}], "additionalItems": {"type": "integer"}},
        {"prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
        id="04-tuple-items",
    ),
    pytest.param(
        {"$schema": D4, "dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
        {"dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"required": ["d"]}}},
        id="04-dependencies",
    ),
    pytest.param(
        {"$schema": D4, "const": 1, "contains": {}, "propertyNames": {"maxLength": 1}},
        {},
        id="04-later-keywords-mean-nothing",
    ),
    pytest.param(
        {"$schema": D4, "type": "string", "format": "uuid"},
        {"type": "string", "x-format": "uuid"},
        id="04-format-not-asserted",
    ),
    pytest.param(
        {"$schema": D4, "type": "string", "format": "date-time"},
        {"type": "string", "format": "date-time"},
        id="04-format-asserted",
    ),
    pytest.param(
        {
            "$schema": D6,
            "const": 1,
            "contains": {"type": "integer"},
            "propertyNames": {"maxLength": 1},
            "examples": [1],
            "exclusiveMinimum": 0,
            "if": {"type": "string"},
        },
        {
            "const": 1,
            "contains": {"type": "integer"},
            "propertyNames": {"maxLength": 1},
            "examples": [1],
            "exclusiveMinimum": 0,
        },
        id="06-keywords-and-no-if",
    ),
    pytest.param(
        {"$schema": D6, "items": [True], "additionalItems": False, "format": "iri"},
        {"prefixItems": [True], "items": False, "x-format": "iri"},
        id="06-tuple-items-and-format",
    ),
    pytest.param(
        {
            "$schema": D19,
            "$recursiveAnchor": True,
            "type": "object",
            "properties": {"c": {"$recursiveRef": "#"}, "d": {"$ref": "#/definitions/x"}},
            "definitions": {"x": {"type": "integer"}},
            "items": [{"type": "string"}],
            "additionalItems": False,
        },
        {
            "type": "object",
            "properties": {"c": {"$ref": "#"}, "d": {"$ref": "#/$defs/x"}},
            "$defs": {"x": {"type": "integer"}},
            "prefixItems": [{"type": "string"}],
            "items": False,
        },
        id="2019-09",
    ),
    pytest.param(
        {
            "$schema": D19,
            "dependencies": {"a": ["b"], "c": {"required": ["e"]}},
            "dependentRequired": {"a": ["c"]},
            "dependentSchemas": {"c": {"required": ["d"]}},
            "$ref": "#/$defs/x",
            "$defs": {"x": {}},
            "minimum": 1,
        },
        {
            "dependentRequired": {"a": ["b", "c"]},
            "dependentSchemas": {"c": {"allOf": [{"required": ["e"]}, {"required": ["d"]}]}},
            "$ref": "#/$defs/x",
            "$defs": {"x": {}},
            "minimum": 1,
        },
        id="2019-09-dependencies-merged-ref-siblings-kept",
    ),
]


@pytest.mark.parametrize(("old", "expected"), NORMALISED)
def test_normalised_form(old: dict[str, Any], expected: dict[str, Any]) -> None:
    before = json.dumps(old)
    new = normalize(old)
    assert new == {"$schema": DIALECTS["2020-12"], **expected}
    assert json.dumps(old) == before  # never mutated


def test_recursive_ref_with_an_embedded_resource_is_refused() -> None:
    schema = {
        "$schema": D19,
        "$recursiveAnchor": True,
        "properties": {"x": {"$id": "http://example.com/x", "$recursiveRef": "#"}},
    }
    with pytest.raises(SchemaError) as info:
        normalize(schema)
    assert info.value.code == "schema-dialect-unsupported"
    assert info.value.pointer == "/properties/x/$recursiveRef"


def test_asserted_formats_are_what_the_reference_asserts() -> None:
    """The per-dialect format table, probed on the installed jsonschema-rs: for every
    2020-12 format, a string its 2020-12 checker refuses is refused in a dialect exactly
    when the table says that dialect asserts it."""
    invalid = {
        f: next(v for v in ("x", "-a-", "\\\\ x", "{", "[") if not is_valid({"format": f}, v))
        for f in FORMATS
    }
    for dialect, asserted in ASSERTED_FORMATS.items():
        expected = set(FORMATS) if asserted is None else set(asserted)
        found = {
            f
            for f, value in invalid.items()
            if not _RS[dialect]({"format": f}, validate_formats=True).is_valid(value)
        }
        assert found == expected, dialect


@pytest.mark.parametrize(
    ("schema", "code", "pointer"),
    [
        (
            {"$schema": D4, "minimum": 1, "exclusiveMinimum": 0},
            "schema-metaschema",
            "/exclusiveMinimum",
        ),
        ({"$schema": D4, "exclusiveMinimum": True}, "schema-metaschema", ""),
        ({"$schema": D4, "items": True}, "schema-metaschema", "/items"),
        ({"$schema": D6, "exclusiveMinimum": True}, "schema-metaschema", "/exclusiveMinimum"),
        ({"$schema": D6, "if": {}}, "schema-unknown-keyword", "/if"),
        ({"$schema": D4, "const": 1}, "schema-unknown-keyword", "/const"),
        ({"$schema": D19, "prefixItems": []}, "schema-unknown-keyword", "/prefixItems"),
    ],
)
def test_invalid_under_the_declared_dialect(schema: Any, code: str, pointer: str) -> None:
    errors = [(p.code, p.pointer) for p in check_schema(schema) if p.severity == "error"]
    assert (code, pointer) in errors


def test_upgrade_is_suggested_for_every_older_dialect() -> None:
    for dialect, uri in DIALECTS.items():
        codes = [p.code for p in check_schema({"$schema": uri, "type": "object"})]
        assert codes == ([] if dialect == "2020-12" else ["schema-dialect-upgrade"]), dialect


def test_validator_reads_draft_04() -> None:
    schema = {
        "$schema": D4,
        "type": "object",
        "properties": {"n": {"type": "number", "minimum": 5, "exclusiveMinimum": True}},
        "required": ["n"],
    }
    validator = Validator(schema)
    assert validator.is_valid({"n": 6})
    assert not validator.is_valid({"n": 5})
    assert [e.instance_path for e in validator.errors({"n": 5})] == ["/n"]


# --- property: normalisation keeps meaning ------------------------------------------

KEYS = st.sampled_from(["a", "b", "c"])
_NUMBER_04 = st.builds(
    lambda lo, hi, xlo, xhi: {
        "type": "number",
        "minimum": lo,
        "maximum": lo + hi,
        "exclusiveMinimum": xlo,
        "exclusiveMaximum": xhi,
    },
    st.integers(-3, 3),
    st.integers(0, 3),
    st.booleans(),
    st.booleans(),
)
_COMMON_LEAVES = [
    st.sampled_from(["string", "integer", "number", "boolean", "null", "array"]).map(
        lambda t: {"type": t}
    ),
    st.integers(0, 3).map(lambda n: {"type": "string", "maxLength": n}),
    st.sampled_from(["uuid", "date", "duration", "uri-reference", "json-pointer", "ipv4"]).map(
        lambda f: {"type": "string", "format": f}
    ),
    st.lists(st.sampled_from(["x", "y", 1, None]), min_size=1, max_size=3, unique=True).map(
        lambda values: {"enum": values}
    ),
]
LEAVES_04 = st.one_of(*_COMMON_LEAVES, _NUMBER_04)
LEAVES_06 = st.one_of(
    *_COMMON_LEAVES,
    st.integers(-2, 2).map(lambda n: {"type": "number", "exclusiveMinimum": n}),
    st.sampled_from(["x", 1, None]).map(lambda v: {"const": v}),
    st.just(True),
    st.just(False),
)


def _extend(children: st.SearchStrategy[Any], draft_06: bool) -> st.SearchStrategy[Any]:
    objects = st.builds(
        lambda props, required, closed, deps: {
            "type": "object",
            "properties": props,
            **({"required": sorted(set(required))} if required else {}),
            **({"additionalProperties": False} if closed else {}),
            **({"dependencies": deps} if deps else {}),
        },
        st.dictionaries(KEYS, children, max_size=3),
        st.lists(KEYS, max_size=2, unique=True),
        st.booleans(),
        st.dictionaries(
            KEYS,
            st.one_of(st.lists(KEYS, min_size=1, max_size=2, unique=True), children),
            max_size=2,
        ),
    )
    tuples = st.builds(
        lambda items, extra: {"type": "array", "items": items, "additionalItems": extra},
        st.lists(children, min_size=1, max_size=2),
        st.one_of(st.booleans(), children) if draft_06 else st.one_of(st.just(False), children),
    )
    arrays = st.builds(lambda item: {"type": "array", "items": item}, children)
    unions = st.lists(children, min_size=2, max_size=2).map(lambda b: {"anyOf": b})
    refs = st.builds(
        lambda target, sibling: {"$ref": "#/definitions/d", **sibling},
        children,
        st.sampled_from([{}, {"type": "string"}, {"minimum": 100}]),
    )
    more = [objects, tuples, arrays, unions, refs]
    if draft_06:
        more.append(st.builds(lambda c: {"type": "array", "contains": c}, children))
        more.append(st.builds(lambda c: {"type": "object", "propertyNames": c}, children))
    return st.one_of(*more)


def _documents(dialect: str) -> st.SearchStrategy[Any]:
    draft_06 = dialect != "draft-04"  # draft-06 and later: const, contains, booleans
    leaves = LEAVES_06 if draft_06 else LEAVES_04
    body = st.recursive(leaves, lambda c: _extend(c, draft_06), max_leaves=6)
    return st.builds(
        lambda root, definition: {
            "$schema": DIALECTS[dialect],  # type: ignore[index]
            "definitions": {"d": definition},
            "anyOf": [root],
        },
        body,
        body,
    )


def _has_integral_float(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_has_integral_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_integral_float(v) for v in value)
    return False


def _payloads(schema: Any, extra: list[Any]) -> list[Any]:
    found = list(extra)
    found += _generate.valid_payloads(schema, n=8, seed=1)
    found += [m.payload for m in _generate.invalid_payloads(schema, n=8, seed=1)]
    return found


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 105),
        st.sampled_from([0.5, -2.5, 4.5]),
        st.sampled_from(
            ["", "x", "ab", "2020-01-01", "00000000-0000-0000-0000-000000000000", "/a", "P1D"]
        ),
    ),
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(KEYS, c, max_size=3)),
    max_leaves=6,
)


@pytest.mark.parametrize("dialect", ["draft-04", "draft-06", "draft-07", "2019-09"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_normalisation_keeps_what_the_declared_dialect_accepts(dialect: str, data: Any) -> None:
    original = data.draw(_documents(dialect))
    assume(jsonschema_rs.meta.is_valid(original))
    normalised = normalize(original)
    declared = _declared(original)
    extra = data.draw(st.lists(JSON_VALUES, max_size=6))
    for payload in _payloads(normalised, extra):
        if dialect == "draft-04" and _has_integral_float(payload):
            continue  # numbers are mathematical in accord (module docstring)
        assert declared.is_valid(payload) == is_valid(normalised, payload), (
            json.dumps(original),
            json.dumps(normalised),
            json.dumps(payload),
        )


# --- a registry of draft-04 versions: load, lint, bundle, diff, codegen --------------

ORDER_V1 = {
    "$schema": D4,
    "type": "object",
    "properties": {
        "id": {"$ref": "#/definitions/id"},
        "total": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
        "lines": {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
    },
    "required": ["id"],
    "dependencies": {"total": ["lines"]},
    "definitions": {"id": {"type": "string", "maxLength": 8}},
}


def test_a_draft_04_registry_loads_lints_diffs_and_generates(tmp_path: Any) -> None:
    import sys

    from _registry_builders import publish
    from accord.codegen import generate_package
    from accord.compat import diff
    from accord.gate.lint import lint
    from accord.registry import Registry

    root = tmp_path / "contracts"
    v2 = json.loads(json.dumps(ORDER_V1))
    v2["properties"]["total"]["exclusiveMinimum"] = False  # widens: 0 is now valid
    publish(root, "orders.placed", {"1.0.0": ORDER_V1, "1.1.0": v2})
    report = lint(root)
    assert [p.code for p in report.problems] == ["schema-dialect-upgrade"] * 2
    assert report.ok
    registry = Registry.load(root)
    bundle = registry.bundle("orders.placed@1.0.0")
    assert bundle["properties"]["total"] == {"type": "number", "exclusiveMinimum": 0}
    validator = Validator(bundle)
    assert validator.is_valid({"id": "a", "total": 1, "lines": ["x"]})
    assert not validator.is_valid({"id": "a", "total": 0, "lines": ["x"]})
    assert not validator.is_valid({"id": "a", "total": 1})  # dependencies
    result = diff(
        old_ref="orders.placed@1.0.0",
        new_ref="orders.placed@1.1.0",
        registry=registry,
        semantics="set",
    )
    assert (result.backward, result.forward) == (True, False)
    out = tmp_path / "gen"
    generate_package(registry, out, package="accord_draft04_models")
    sys.path.insert(0, str(out))
    try:
        from accord_draft04_models.orders.placed import v1_0_0  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(out))
    with pytest.raises(ValueError, match="greater than 0"):
        v1_0_0.Placed.model_validate({"id": "a", "total": 0})


@pytest.mark.parametrize("dialect", ["draft-06", "draft-07"])
def test_content_keywords_keep_diff_unproven(dialect: str) -> None:
    """jsonschema-rs asserts base64 contentEncoding in draft-06 and draft-07; the
    normalised 2020-12 form cannot: removing it must not be called compatible."""
    from accord.compat import diff
    from accord.validation.reference import is_valid_declared

    uri = DIALECTS[dialect]  # type: ignore[index]
    old = {"$schema": uri, "type": "string", "contentEncoding": "base64"}
    new = {"$schema": uri, "type": "string"}
    assert is_valid_declared(new, "!!")
    assert not is_valid_declared(old, "!!")  # so forward breaks
    report = diff(old_schema=old, new_schema=new, semantics="set")
    assert report.forward is False
    assert not report.compatible
