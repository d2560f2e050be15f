"""Tests for the payload generator (``accord.payloads.generate``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from accord.errors import SchemaError
from accord.payloads.generate import (
    FORMAT_SAMPLES,
    Mutation,
    invalid_payloads,
    minimal_payload,
    payload_strategy,
    valid_payloads,
)
from accord.validation.reference import is_valid

ROOT = Path(__file__).resolve().parents[2]

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


# -- coverage ------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize(
    ("name", "pointer"),
    [
        ("mixed-enum", ""),
        ("big-int-enum", ""),
        ("order", "/status"),
        ("if-then-else", "/kind"),
    ],
)
def test_every_enum_value_appears(name: str, pointer: str) -> None:
    schema = SCHEMAS[name]
    enum_schema = schema
    for token in [t for t in pointer.split("/") if t]:
        enum_schema = enum_schema["properties"][token]
    payloads = valid_payloads(schema, n=20)
    seen = {_canonical(p if not pointer else p.get(pointer[1:], "<absent>")) for p in payloads}
    for member in enum_schema["enum"]:
        assert _canonical(member) in seen, member


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("object-optional", "b"),
        ("order", "note"),
        ("order", "total"),
        ("dependent-required", "card"),
        ("recursive-tree", "children"),
    ],
)
def test_optional_key_present_and_absent(name: str, key: str) -> None:
    payloads = valid_payloads(SCHEMAS[name], n=20)
    assert any(key in p for p in payloads)
    assert any(key not in p for p in payloads)


def test_minimal_then_maximal() -> None:
    schema = SCHEMAS["object-optional"]
    first, second = valid_payloads(schema, n=2)
    assert first == {"a": ""}
    assert set(second) == {"a", "b"}
    assert minimal_payload(ORDER).keys() == {"id", "sku", "status"}
    assert valid_payloads(ORDER, n=2)[1].keys() == set(ORDER["properties"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("integer-bounds", [-3, 7, 0]),
        ("integer-exclusive", [1, 9]),
        ("integer-fractional-bound", [1, 3]),
        ("integer-multiple", [14, 0 + 7 * 2]),
        ("string-lengths", None),
    ],
)
def test_boundary_values(name: str, expected: list[Any] | None) -> None:
    payloads = valid_payloads(SCHEMAS[name], n=20)
    if expected is None:
        lengths = {len(p) for p in payloads}
        assert {2, 5} <= lengths
        return
    for value in expected:
        assert value in payloads


def test_big_integers_beyond_64_bits_when_allowed() -> None:
    payloads = valid_payloads({"type": "integer"}, n=20)
    assert any(isinstance(p, int) and abs(p) > 2**64 for p in payloads)
    bounded = valid_payloads({"type": "integer", "maximum": 1000}, n=20)
    assert all(p <= 1000 for p in bounded)
    assert any(p < -(2**64) for p in bounded)


def test_fractional_multiple_of() -> None:
    schema = {"type": "number", "multipleOf": 0.01, "minimum": 0, "maximum": 10}
    payloads = valid_payloads(schema, n=20)
    assert len(payloads) >= 10
    assert any(isinstance(p, float) and not p.is_integer() for p in payloads)
    assert 0 in payloads
    assert 10 in payloads


def test_exclusive_number_bounds_stay_inside() -> None:
    payloads = valid_payloads(SCHEMAS["number-exclusive"], n=20)
    assert all(0 < p < 1 for p in payloads)
    assert len(payloads) >= 5


def test_any_of_covers_every_branch() -> None:
    payloads = valid_payloads(SCHEMAS["any-of"], n=20)
    assert any(isinstance(p, str) for p in payloads)
    assert any(isinstance(p, int) for p in payloads)


def test_one_of_objects_covers_both() -> None:
    payloads = valid_payloads(SCHEMAS["one-of-objects"], n=20)
    assert {p["kind"] for p in payloads} == {"a", "b"}


def test_untyped_schema_gets_other_types_too() -> None:
    payloads = valid_payloads(SCHEMAS["untyped-number-keywords"], n=20)
    kinds = {type(p).__name__ for p in payloads}
    assert {"int", "str"} <= kinds


@pytest.mark.parametrize("fmt", sorted(FORMAT_SAMPLES))
def test_format_samples_valid(fmt: str) -> None:
    schema = {"type": "string", "format": fmt}
    for sample in FORMAT_SAMPLES[fmt]:
        assert is_valid(schema, sample), sample
    payloads = valid_payloads(schema, n=5)
    assert len(payloads) >= 2
    assert any(m.keyword == "format" for m in invalid_payloads(schema, n=20))


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{3}-\d{4}$",
        r"^\S+@\S+$",
        "^[a-z][a-z0-9_]*$",
        r"^(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?\d{3}[-. ]?\d{4}$",
        "^[^@]+@[^@]+\\.[a-z]{2,}$",
        "colou?r",
        r"^\p{L}+$",
        "^(a|bc|def){2,3}x*$",
        r"^[\w.-]+$",
        r"^\u00e9[\x41-\x43]$",
    ],
)
def test_pattern_strings_match(pattern: str) -> None:
    import regress

    schema = {"type": "string", "pattern": pattern}
    payloads = valid_payloads(schema, n=10)
    assert payloads
    for text in payloads:
        assert regress.Regex(pattern).find(text) is not None or pattern == r"^\p{L}+$"
        assert is_valid(schema, text)


def test_pattern_strings_vary() -> None:
    payloads = valid_payloads(SCHEMAS["pattern-sku"], n=20)
    assert len(payloads) == 20
    assert payloads[0] == "AAA-0000"


def test_recursion_is_depth_limited() -> None:
    def depth(node: dict[str, Any]) -> int:
        return 1 + max((depth(c) for c in node.get("children", [])), default=0)

    payloads = valid_payloads(TREE, n=20, max_depth=4)
    assert payloads[0] == {"value": ""}
    assert max(depth(p) for p in payloads) >= 2
    assert all(depth(p) <= 4 for p in payloads)


def test_mutual_recursion_terminates() -> None:
    payloads = valid_payloads(MUTUAL, n=10)
    assert payloads[0] == {"id": 0, "b": None}
    assert any(isinstance(p["b"], dict) for p in payloads)


# -- mutations -----------------------------------------------------------------------------


def test_mutations_cover_keywords_and_point_at_them() -> None:
    mutations = invalid_payloads(ORDER, n=40)
    keywords = {m.keyword for m in mutations}
    expected = {
        "type",
        "required",
        "additionalProperties",
        "enum",
        "pattern",
        "format",
        "minimum",
        "multipleOf",
        "maxLength",
    }
    assert expected <= keywords
    for mutation in mutations:
        node: Any = ORDER
        for token in mutation.schema_path.split("/")[1:]:
            node = node[token]
        target: Any = mutation.payload
        for token in [t for t in mutation.instance_path.split("/") if t]:
            target = target[int(token)] if isinstance(target, list) else target[token]


def test_mutation_breaks_one_thing() -> None:
    mutations = invalid_payloads(SCHEMAS["object-optional"], n=20)
    required = [m for m in mutations if m.keyword == "required"]
    assert required
    assert all("a" not in m.payload for m in required)
    max_length = invalid_payloads({"type": "string", "maxLength": 3}, n=20)
    too_long = [m.payload for m in max_length if m.keyword == "maxLength"]
    assert too_long
    assert all(len(text) == 4 for text in too_long)


def test_unsatisfiable() -> None:
    for schema in (False, {"type": "string", "enum": [1]}, {"allOf": [{"type": "string"}, False]}):
        assert valid_payloads(schema) == []
        assert invalid_payloads(schema) == []
        with pytest.raises(SchemaError) as info:
            minimal_payload(schema)
        assert info.value.code == "schema-unsatisfiable"


def test_uncompilable_schema_is_a_schema_error() -> None:
    with pytest.raises(SchemaError) as info:
        valid_payloads({"type": "string", "pattern": "("})
    assert info.value.code == "invalid-schema"


# -- determinism and speed -----------------------------------------------------------------

_SUBPROCESS_SCHEMAS = ["order", "formats", "recursive-tree", "property-names", "any-of"]


def _fingerprint() -> str:
    out = []
    for name in _SUBPROCESS_SCHEMAS:
        schema = SCHEMAS[name]
        out.append(valid_payloads(schema, n=15, seed=7))
        out.append([m.__dict__ for m in invalid_payloads(schema, n=15, seed=7)])
    return json.dumps(out, sort_keys=True)


def test_same_output_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    script = tmp_path / "fingerprint.py"
    script.write_text(
        "import sys\n"
        "import accord.payloads.generate\n"
        "assert 'hypothesis' not in sys.modules, 'hypothesis must be imported lazily'\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_generate import _fingerprint\n"
        "sys.stdout.write(_fingerprint())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout == _fingerprint()


def test_seed_changes_output() -> None:
    schema = SCHEMAS["order"]
    assert valid_payloads(schema, n=10, seed=1) != valid_payloads(schema, n=10, seed=2)


def test_fifty_properties_gives_valid_payloads() -> None:
    # How fast this runs is measured by `make bench` (payload generator row), never here.
    kinds = [
        {"type": "string", "maxLength": 10},
        {"type": "integer", "minimum": 0},
        {"enum": ["a", "b"]},
        {"type": "string", "format": "date-time"},
        {"type": "array", "items": {"type": "string"}},
        {"type": ["number", "null"]},
    ]
    schema = {
        "type": "object",
        "properties": {f"p{i}": kinds[i % len(kinds)] for i in range(50)},
        "required": [f"p{i}" for i in range(0, 50, 3)],
        "additionalProperties": False,
    }
    payloads = valid_payloads(schema, n=20)
    assert len(payloads) == 20
    assert all(is_valid(schema, payload) for payload in payloads)


# -- the shared compatibility cases --------------------------------------------------------


def _compat_cases_path() -> Path:
    # The vendored copy; tests/compat/test_shared_cases.py keeps it in sync with ../shared.
    candidate = ROOT / "tests" / "compat" / "data" / "compat.json"
    if candidate.exists():
        return candidate
    pytest.fail("tests/compat/data/compat.json is missing")


def _compat_schemas() -> list[Any]:
    try:
        path = _compat_cases_path()
    except pytest.fail.Exception:
        return [pytest.param(None, None, id="compat-json-missing")]
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [
        pytest.param(case[side], case, id=f"{case['id']}-{side}")
        for case in cases
        for side in ("old", "new")
    ]


def _compiles(schema: Any) -> bool:
    from accord.validation.reference import reference_validator

    try:
        reference_validator(schema)
    except Exception:  # noqa: BLE001 - jsonschema-rs raises its own types
        return False
    return True


@pytest.mark.parametrize(("schema", "case"), _compat_schemas())
def test_compat_case_schemas(schema: Any, case: dict[str, Any] | None) -> None:
    if case is None:
        _compat_cases_path()  # fails with the reason
        return
    if not _compiles(schema):
        # A draft-07 form the reference refuses until it is normalised: a SchemaError.
        with pytest.raises(SchemaError):
            valid_payloads(schema)
        return
    payloads = valid_payloads(schema, n=20)
    for payload in payloads:
        assert is_valid(schema, payload), payload
    for mutation in invalid_payloads(schema, n=20):
        assert not is_valid(schema, mutation.payload), mutation
    witnesses = case.get("witnesses", {})
    side_payloads = [*witnesses.get("both", [])]
    side_payloads += witnesses.get("old_only" if schema is case["old"] else "new_only", [])
    if any(is_valid(schema, w) for w in side_payloads):
        assert payloads, "satisfiable schema but no payload"


# -- hypothesis ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, derandomize=True)
@given(payload_strategy(ORDER))
def test_strategy_draws_valid_payloads(payload: Any) -> None:
    assert is_valid(ORDER, payload)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(payload_strategy(TREE, invalid=True))
def test_strategy_draws_invalid_payloads(payload: Any) -> None:
    assert not is_valid(TREE, payload)


def test_output_does_not_depend_on_call_history() -> None:
    """(schema, n, seed) alone decides the payloads, whatever was generated before."""
    from accord.payloads import generate as _generate

    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "value": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                    "next": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/node"}]},
                },
                "required": ["value", "next"],
            }
        },
        "$ref": "#/$defs/node",
    }
    seeds = [0, 1, 2, 3, 7]
    _generate._doc_cache.clear()
    forward = {s: valid_payloads(tree, n=5, seed=s) for s in seeds}
    _generate._doc_cache.clear()
    backward = {s: valid_payloads(tree, n=5, seed=s) for s in reversed(seeds)}
    assert forward == backward
    _generate._doc_cache.clear()
    invalid_payloads(tree, n=5, seed=9)
    assert valid_payloads(tree, n=5, seed=0) == forward[0]
