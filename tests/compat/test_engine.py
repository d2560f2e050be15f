"""The semantic engine: proofs, witnesses, writer closure, removals, recursion, budget."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compat._engine import compare, includes, removals, writer_closure
from accord.compat._types import DEFAULT_MAX_STEPS
from accord.validation.reference import is_valid

# (id, sub, sup, expected holds under set semantics: True proven, False refuted, None unproven)
INCLUSION: list[tuple[str, Any, Any, bool | None]] = [
    # types and the integer/number partition
    ("int-in-number", {"type": "integer"}, {"type": "number"}, True),
    ("number-not-in-int", {"type": "number"}, {"type": "integer"}, False),
    ("int-multiple-of-1", {"type": "number", "multipleOf": 1}, {"type": "integer"}, True),
    ("untyped-in-typed", {"minimum": 0}, {"type": "number"}, False),
    ("false-in-anything", False, {"type": "string"}, True),
    ("anything-in-true", {"type": "string"}, True, True),
    ("true-not-in-false", True, False, False),
    ("nullable-widening", {"type": "string"}, {"type": ["string", "null"]}, True),
    # numbers
    ("max-widened", {"maximum": 10}, {"maximum": 20}, True),
    ("max-narrowed", {"type": "number", "maximum": 20}, {"maximum": 10}, False),
    ("excl-vs-incl-int", {"type": "integer", "exclusiveMaximum": 5}, {"maximum": 4}, True),
    ("excl-vs-incl-real", {"type": "number", "exclusiveMaximum": 5}, {"maximum": 4}, False),
    ("fractional-int-bound", {"type": "integer", "minimum": 0.5}, {"minimum": 1}, True),
    ("multiple-4-in-2", {"type": "integer", "multipleOf": 4}, {"multipleOf": 2}, True),
    ("multiple-2-not-in-4", {"type": "integer", "multipleOf": 2}, {"multipleOf": 4}, False),
    ("multiple-frac", {"type": "number", "multipleOf": 0.5}, {"multipleOf": 0.25}, True),
    ("multiple-frac-not", {"type": "number", "multipleOf": 0.25}, {"multipleOf": 0.5}, False),
    ("int-range-enum", {"type": "integer", "minimum": 1, "maximum": 3}, {"enum": [1, 2, 3]}, True),
    # finite sets
    ("enum-subset", {"enum": ["a", "b"]}, {"enum": ["b", "a", "c"]}, True),
    ("enum-superset", {"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}, False),
    ("enum-math-equal", {"enum": [1, 2.0]}, {"enum": [1.0, 2]}, True),
    ("big-int-enum", {"enum": [9007199254740993]}, {"const": 9007199254740992}, False),
    ("big-int-enum-same", {"enum": [9007199254740993]}, {"const": 9007199254740993}, True),
    ("bool-type-in-enum", {"type": "boolean"}, {"enum": [True, False]}, True),
    ("true-not-1", {"const": True}, {"const": 1}, False),
    ("enum-vs-type", {"enum": ["a", 1]}, {"type": "string"}, False),
    # strings
    ("maxlength-widened", {"type": "string", "maxLength": 3}, {"maxLength": 5}, True),
    ("minlength-added", {"type": "string"}, {"type": "string", "minLength": 1}, False),
    ("same-pattern", {"type": "string", "pattern": "^a"}, {"pattern": "^a"}, True),
    ("pattern-dropped", {"type": "string", "pattern": "^a"}, {"type": "string"}, True),
    (
        "pattern-widened",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"pattern": "^[a-z0-9]+$"},
        True,
    ),
    (
        "pattern-narrowed",
        {"type": "string", "pattern": "^[a-z0-9]+$"},
        {"pattern": "^[a-z]+$"},
        False,
    ),
    # Lookaround is not a regular construct this engine reads: undecided, never proven.
    (
        "pattern-lookahead",
        {"type": "string", "pattern": "^[a-z]+$"},
        {"pattern": "^(?=[a-z])[a-z0-9]+$"},
        None,
    ),
    ("pattern-added", {"type": "string"}, {"pattern": "^[a-z]+$"}, False),
    ("format-kept", {"type": "string", "format": "date"}, {"format": "date"}, True),
    ("format-added", {"type": "string"}, {"format": "date"}, False),
    ("unknown-format", {"type": "string"}, {"format": "x-custom"}, True),
    # arrays
    (
        "items-widened",
        {"type": "array", "items": {"type": "integer"}},
        {"items": {"type": "number"}},
        True,
    ),
    (
        "items-narrowed",
        {"type": "array", "items": {"type": "number"}},
        {"items": {"type": "integer"}},
        False,
    ),
    ("unique-added", {"type": "array"}, {"uniqueItems": True}, False),
    ("unique-kept", {"type": "array", "uniqueItems": True}, {"uniqueItems": True}, True),
    ("unique-short", {"type": "array", "maxItems": 1}, {"uniqueItems": True}, True),
    ("max-items", {"type": "array", "maxItems": 3}, {"maxItems": 2}, False),
    (
        "tuple-closed",
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        {"type": "array", "maxItems": 1},
        True,
    ),
    (
        "contains-kept",
        {"type": "array", "contains": {"const": 1}},
        {"contains": {"type": "integer"}},
        True,
    ),
    ("contains-added", {"type": "array"}, {"contains": {"type": "integer"}}, False),
    (
        "min-contains-raised",
        {"type": "array", "contains": {"type": "string"}},
        {"contains": {"type": "string"}, "minContains": 2},
        False,
    ),
    (
        "max-contains",
        {"type": "array", "maxItems": 2},
        {"contains": {"type": "string"}, "minContains": 0, "maxContains": 2},
        True,
    ),
    # objects
    ("required-kept", {"type": "object", "required": ["a"]}, {"required": ["a"]}, True),
    ("required-added", {"type": "object"}, {"required": ["a"]}, False),
    (
        "addl-false-extra",
        {"type": "object", "properties": {"a": {}}},
        {"properties": {"a": {}}, "additionalProperties": False},
        False,
    ),
    (
        "pattern-props-both",
        {
            "type": "object",
            "patternProperties": {"^x": {"type": "integer"}},
            "additionalProperties": False,
        },
        {"patternProperties": {"^x": {"type": "number"}}, "additionalProperties": False},
        True,
    ),
    ("property-names-added", {"type": "object"}, {"propertyNames": {"maxLength": 3}}, False),
    (
        "property-names-kept",
        {"type": "object", "propertyNames": {"maxLength": 2}},
        {"propertyNames": {"maxLength": 3}},
        True,
    ),
    ("min-props", {"type": "object", "required": ["a", "b"]}, {"minProperties": 2}, True),
    ("max-props", {"type": "object"}, {"maxProperties": 2}, False),
    (
        "dependent-required-added",
        {"type": "object"},
        {"dependentRequired": {"a": ["b"]}},
        False,
    ),
    (
        "dependent-required-kept",
        {"type": "object", "dependentRequired": {"a": ["b"]}},
        {"dependentRequired": {"a": ["b"]}},
        True,
    ),
    (
        "dependent-schemas-added",
        {"type": "object"},
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        False,
    ),
    (
        "dependent-schemas-satisfied",
        {"type": "object", "required": ["b"]},
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        True,
    ),
    (
        "unevaluated-sees-allof",
        {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
        {"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False},
        True,
    ),
    (
        "unevaluated-rejects",
        {"type": "object"},
        {"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False},
        False,
    ),
    # not
    ("not-contravariant", {"not": {"type": ["string", "null"]}}, {"not": {"type": "string"}}, True),
    ("not-widened", {"not": {"type": "string"}}, {"not": {"type": ["string", "null"]}}, False),
    ("not-const", {"type": "string", "not": {"const": "x"}}, {"type": "string"}, True),
    ("into-not-const", {"enum": ["a", "b"]}, {"not": {"const": "x"}}, True),
    # if/then/else
    (
        "if-then-proven",
        {"type": "object", "properties": {"k": {"const": "a"}}, "required": ["k", "id"]},
        {
            "if": {"properties": {"k": {"const": "a"}}, "required": ["k"]},
            "then": {"required": ["id"]},
        },
        True,
    ),
    (
        "if-vacuous",
        {"type": "object"},
        {"if": {"properties": {"k": {"const": "a"}}}, "then": {"required": ["id"]}},
        False,
    ),
    (
        "if-else",
        {"type": "integer", "minimum": 10},
        {"if": {"minimum": 5}, "then": {"minimum": 3}, "else": False},
        True,
    ),
    # oneOf both ways
    (
        "oneof-disjoint",
        {"type": "string"},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        True,
    ),
    (
        "oneof-overlap",
        {"type": "integer"},
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        False,
    ),
    (
        "oneof-discriminated",
        {"type": "object", "properties": {"kind": {"const": "a"}}, "required": ["kind"]},
        {
            "oneOf": [
                {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
                {"properties": {"kind": {"const": "b"}}, "required": ["kind"]},
            ]
        },
        True,
    ),
    (
        "oneof-as-writer-exact",
        {"oneOf": [{"type": "string"}, {"maxLength": 10}]},
        {"oneOf": [{"type": "string"}, {"maxLength": 5}]},
        True,
    ),
    (
        "anyof-into-types",
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"type": ["null", "string"]},
        True,
    ),
    (
        "anyof-missing-branch",
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"type": "string"},
        False,
    ),
    # references
    (
        "ref-pointer",
        {"properties": {"a": {"type": "integer"}, "b": {"$ref": "#/properties/a"}}},
        {"properties": {"b": {"type": "number"}}},
        True,
    ),
    (
        "ref-siblings-apply",
        {"$defs": {"S": {"type": "string"}}, "$ref": "#/$defs/S", "maxLength": 3},
        {"type": "string", "maxLength": 3},
        True,
    ),
]


def _assert_witness(verdict: Any, sub: Any, sup: Any) -> None:
    if verdict.has_witness:
        assert is_valid(sub, verdict.witness)
        assert not is_valid(sup, verdict.witness)


@pytest.mark.parametrize(
    ("sub", "sup", "expected"), [c[1:] for c in INCLUSION], ids=[c[0] for c in INCLUSION]
)
def test_inclusion_table(sub: Any, sup: Any, expected: bool | None) -> None:
    before = (json.dumps(sub), json.dumps(sup))
    verdict = includes(sub, sup)
    assert verdict.holds is expected, verdict.reason
    if expected is False:
        assert verdict.has_witness
    _assert_witness(verdict, sub, sup)
    assert (json.dumps(sub), json.dumps(sup)) == before  # inputs never mutated


def test_unproven_regex_names_both_patterns_and_the_construct() -> None:
    verdict = includes(
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^(?=[a-z])[a-z0-9]+$"},
    )
    assert verdict.holds is None
    assert "regex inclusion" in verdict.reason
    assert "^[a-z]+$" in verdict.reason
    assert "^(?=[a-z])[a-z0-9]+$" in verdict.reason
    assert "lookaround" in verdict.reason


def test_regex_inclusion_is_decided_on_automata() -> None:
    widened = ({"type": "string", "pattern": "^[a-z]+$"}, {"pattern": "^[a-z0-9]+$"})
    assert includes(*widened).holds is True
    back = includes(widened[1] | {"type": "string"}, widened[0])
    assert back.holds is False
    assert back.witness == "0"
    # A writer pattern the automata cannot read is dropped (over-approximation): sound.
    assert includes({"type": "string", "pattern": "(a)\\1"}, {"pattern": "a"}).holds is not True
    assert includes({"type": "string", "pattern": "^(a)\\1$"}, {"type": "string"}).holds is True
    # Emptiness: a writer whose pattern and lengths exclude each other has no strings.
    empty = {"type": "string", "pattern": "^[a-z]{2}$", "minLength": 3}
    assert includes(empty, False).holds is True


def test_pattern_properties_and_property_names_are_compared_as_languages() -> None:
    def obj(p: str) -> dict[str, Any]:
        return {
            "type": "object",
            "patternProperties": {p: {"type": "integer"}},
            "additionalProperties": False,
        }

    assert includes(obj("^[a-z]+$"), obj("^[a-z0-9]+$"), semantics="set").holds is True
    back = includes(obj("^[a-z0-9]+$"), obj("^[a-z]+$"), semantics="set")
    assert back.holds is False
    names = [{"type": "object", "propertyNames": {"pattern": p}} for p in ("^a", "a")]
    assert includes(names[0], names[1], semantics="set").holds is True
    assert includes(names[1], names[0], semantics="set").holds is False


# -- writer closure and contract semantics -----------------------------------------------


CLOSURE: list[tuple[str, Any, list[Any], list[Any]]] = [
    ("struct", {"type": "object", "properties": {"a": {}}}, [{}, {"a": 1}], [{"b": 1}]),
    ("required-only", {"type": "object", "required": ["id"]}, [{"id": 1}], [{"id": 1, "x": 2}]),
    ("map-empty", {"type": "object"}, [{"x": 1}], []),
    (
        "map-by-addl-true",
        {"type": "object", "properties": {"a": {}}, "additionalProperties": True},
        [{"x": 1}],
        [],
    ),
    (
        "pattern-declared",
        {"type": "object", "patternProperties": {"^x_": {}}},
        [{"x_a": 1}],
        [{"y": 1}],
    ),
    (
        "allof-and-anyof-keys",
        {
            "allOf": [{"properties": {"a": {}}}],
            "anyOf": [{"properties": {"b": {}}}, {"required": ["c"]}],
        },
        [{"a": 1, "b": 2, "c": 3}],
        [{"a": 1, "c": 3, "d": 4}],
    ),
    (
        "nested-struct",
        {"type": "object", "properties": {"o": {"type": "object", "properties": {"x": {}}}}},
        [{"o": {"x": 1}}],
        [{"o": {"y": 1}}],
    ),
    (
        "array-of-structs",
        {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
        [[{"x": 1}]],
        [[{"x": 1}, {"y": 1}]],
    ),
    (
        "recursive",
        {
            "type": "object",
            "properties": {"v": {}, "kids": {"type": "array", "items": {"$ref": "#"}}},
        },
        [{"kids": [{"v": 1, "kids": []}]}],
        [{"kids": [{"kids": [{"w": 1}]}]}],
    ),
    (
        "unevaluated-kept-meaning",
        {
            "anyOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {}}}],
            "unevaluatedProperties": False,
        },
        [{"b": 1}],
        [{"a": 1, "b": 1, "z": 1}],
    ),
]


@pytest.mark.parametrize(
    ("schema", "accepted", "rejected"), [c[1:] for c in CLOSURE], ids=[c[0] for c in CLOSURE]
)
def test_writer_closure(schema: Any, accepted: list[Any], rejected: list[Any]) -> None:
    before = json.dumps(schema)
    closed = writer_closure(schema)
    assert json.dumps(schema) == before
    for payload in accepted:
        assert is_valid(schema, payload)
        assert is_valid(closed, payload), payload
    for payload in rejected:
        assert not is_valid(closed, payload), payload


def test_writer_closure_of_booleans() -> None:
    assert writer_closure(True) is True
    assert writer_closure(False) is False


def test_closure_never_accepts_more_than_the_schema() -> None:
    schema = {"anyOf": [{"properties": {"a": {"type": "string"}}}], "unevaluatedProperties": False}
    closed = writer_closure(schema)
    for payload in ({"a": 1}, {"a": "x"}, {"b": 1}, 3):
        assert not is_valid(closed, payload) or is_valid(schema, payload)


REMOVALS: list[tuple[str, Any, Any, list[tuple[str, str, str]]]] = [
    (
        "gone-from-struct",
        {"properties": {"a": {}, "b": {}}},
        {"properties": {"a": {}}},
        [("", "b", "gone from struct")],
    ),
    ("kept", {"properties": {"a": {}}}, {"properties": {"a": {"type": "string"}}}, []),
    ("new-is-map", {"required": ["id"]}, {}, []),
    (
        "forbidden-by-false",
        {"properties": {"b": {}}},
        {"properties": {"b": False}},
        [("", "b", "forbidden by false")],
    ),
    (
        "forbidden-by-addl-false",
        {"allOf": [{"properties": {"a": {}}}]},
        {"allOf": [{"properties": {"a": {}}}], "additionalProperties": False},
        [("", "a", "forbidden by additionalProperties: false")],
    ),
    (
        "covered-by-pattern",
        {"properties": {"x_a": {}}, "patternProperties": {"^x_": {}}},
        {"patternProperties": {"^x_": {}}},
        [],
    ),
    (
        "nested",
        {"properties": {"o": {"properties": {"x": {}, "y": {}}}}},
        {"properties": {"o": {"properties": {"x": {}}}}},
        [("/o", "y", "gone from struct")],
    ),
    (
        "in-array-items",
        {"items": {"properties": {"x": {}, "y": {}}}},
        {"items": {"properties": {"x": {}}}},
        [("/*", "y", "gone from struct")],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in REMOVALS], ids=[c[0] for c in REMOVALS]
)
def test_removals(old: Any, new: Any, expected: list[tuple[str, str, str]]) -> None:
    got = [(r.instance_path, r.key, r.reason) for r in removals(old, new)]
    assert got == expected


def test_removal_breaks_both_directions_under_contract_only() -> None:
    old = {"type": "object", "properties": {"a": {}, "b": {}}}
    new = {"type": "object", "properties": {"a": {}}}
    contract = compare(old, new)
    assert contract.backward.holds is False
    assert contract.forward.holds is False
    assert "property removed" in contract.backward.reason
    assert [r.key for r in contract.removals] == ["b"]
    plain = compare(old, new, semantics="set")
    assert plain.backward.holds is True
    assert plain.removals == ()


def test_contract_includes_uses_the_closure() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    assert includes(old, new, semantics="set").holds is False
    assert includes(old, new, semantics="contract").holds is True


# -- recursion and the step budget ------------------------------------------------------

TREE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#"}},
    },
}


def _mutual(id_type: str) -> dict[str, Any]:
    return {
        "$defs": {
            "A": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "b": {"$ref": "#/$defs/B"}},
            },
            "B": {
                "type": "object",
                "properties": {"id": {"type": id_type}, "a": {"$ref": "#/$defs/A"}},
            },
        },
        "$ref": "#/$defs/A",
    }


def _oneof12(v_type_of_7: str = "integer") -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for i in range(12):
        defs[f"T{i}"] = {
            "type": "object",
            "properties": {
                "kind": {"const": f"k{i}"},
                "v": {"type": v_type_of_7 if i == 7 else "integer"},
                "next": {"$ref": "#/$defs/U"},
            },
            "required": ["kind"],
        }
    defs["U"] = {"oneOf": [{"$ref": f"#/$defs/T{i}"} for i in range(12)]}
    return {"$defs": defs, "$ref": "#/$defs/U"}


def _wide(n: int, changed: tuple[int, ...] = ()) -> dict[str, Any]:
    props: dict[str, Any] = {f"p{i}": {"type": "string", "maxLength": 10} for i in range(n)}
    for i in changed:
        props[f"p{i}"] = {"type": "integer"}
    return {"type": "object", "properties": props, "required": [f"p{i}" for i in range(0, n, 7)]}


def test_recursive_tree_sees_change_at_depth() -> None:
    widened = copy.deepcopy(TREE)
    widened["properties"]["value"] = {"type": ["string", "null"]}
    result = compare(TREE, widened, semantics="set")
    assert result.backward.holds is True
    assert result.forward.holds is False
    assert result.steps < DEFAULT_MAX_STEPS


def test_mutual_recursion() -> None:
    result = compare(_mutual("number"), _mutual("integer"), semantics="set")
    assert result.backward.holds is False
    _assert_witness(result.backward, _mutual("number"), _mutual("integer"))
    assert result.forward.holds is True
    assert compare(_mutual("number"), _mutual("number")).backward.holds is True


def test_twelve_way_recursive_oneof() -> None:
    same = compare(_oneof12(), _oneof12(), semantics="set")
    assert same.backward.holds is True
    assert same.forward.holds is True
    assert same.steps < DEFAULT_MAX_STEPS
    changed = compare(_oneof12(), _oneof12("number"), semantics="set")
    assert changed.backward.holds is True
    assert changed.forward.holds is False
    _assert_witness(changed.forward, _oneof12("number"), _oneof12())
    assert changed.steps < DEFAULT_MAX_STEPS


def test_five_thousand_properties_within_budget() -> None:
    a = _wide(5000)
    b = copy.deepcopy(a)
    b["properties"]["p1"] = {"type": "string", "maxLength": 20}
    result = compare(a, b, semantics="contract")
    assert result.backward.holds is True
    assert result.forward.holds is False
    assert result.steps < DEFAULT_MAX_STEPS


def test_steps_grow_linearly_with_width() -> None:
    small = compare(_wide(100), _wide(100, (1,)), semantics="set").steps
    large = compare(_wide(1000), _wide(1000, (1,)), semantics="set").steps
    assert large < 15 * small


def test_budget_exhaustion_is_unproven() -> None:
    verdict = includes(_wide(200), _wide(200, (3,)), max_steps=50)
    assert verdict.holds is None
    assert "step budget" in verdict.reason
    tight = includes(_oneof12(), _oneof12(), max_steps=10)
    assert tight.holds is None
    assert tight.reason == "step budget exhausted"


def test_budget_is_deterministic() -> None:
    first = compare(_oneof12(), _oneof12("number"), semantics="set")
    second = compare(_oneof12(), _oneof12("number"), semantics="set")
    assert first == second


# -- properties -------------------------------------------------------------------------

_leaf = st.sampled_from(
    [
        {"type": "string"},
        {"type": "integer", "minimum": 0},
        {"type": "number", "maximum": 10},
        {"type": "boolean"},
        {"type": "null"},
        {"enum": ["a", "b", 1]},
        {"type": "string", "maxLength": 3},
        {"type": "integer", "multipleOf": 2},
        {"type": "array", "items": {"type": "integer"}},
        {"type": "array", "uniqueItems": True},
        {},
    ]
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.builds(
            lambda props, req, closed: {
                "type": "object",
                "properties": props,
                "required": sorted(set(req) & set(props)),
                **({"additionalProperties": False} if closed else {}),
            },
            st.dictionaries(keys, children, max_size=3),
            st.lists(keys, max_size=2),
            st.booleans(),
        ),
        st.builds(lambda xs: {"anyOf": xs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda xs: {"oneOf": xs}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda x: {"type": "array", "items": x}, children),
        st.builds(lambda x: {"not": x}, children),
    )


schemas = st.recursive(_leaf, _extend, max_leaves=6)

_PROBES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    1.5,
    11,
    "",
    "a",
    "abcd",
    [],
    [1],
    [1, 1],
    [1.5],
    {},
    {"a": 1},
    {"a": "x", "b": None},
    {"b": [1, 2]},
    {"c": {"a": 1}},
    {"a": {}, "b": "a", "c": 2},
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(schemas)
def test_compare_with_itself_holds(schema: Any) -> None:
    # The same meaning written differently: moved under $defs and wrapped in allOf, so
    # the identical-document shortcut does not apply and the prover does the work.
    moved = {"$defs": {"S": copy.deepcopy(schema)}, "allOf": [{"$ref": "#/$defs/S"}]}
    for semantics in ("set", "contract"):
        assert compare(schema, copy.deepcopy(schema), semantics=semantics).backward.holds  # type: ignore[arg-type]
        result = compare(schema, moved, semantics=semantics)  # type: ignore[arg-type]
        assert result.backward.holds is True, result.backward.reason
        assert result.forward.holds is True, result.forward.reason


@settings(max_examples=100, deadline=None, derandomize=True)
@given(schemas, schemas)
def test_soundness_oracle(sub: Any, sup: Any) -> None:
    verdict = includes(sub, sup)
    if verdict.holds is True:
        for payload in _PROBES:
            if is_valid(sub, payload):
                assert is_valid(sup, payload), payload
    _assert_witness(verdict, sub, sup)
    closed_verdict = includes(sub, sup, semantics="contract")
    closed = writer_closure(sub)
    if closed_verdict.holds is True:
        for payload in _PROBES:
            if is_valid(closed, payload):
                assert is_valid(sup, payload), payload
    _assert_witness(closed_verdict, closed, sup)


def test_percent_encoded_ref_fragments_resolve() -> None:
    """A JSON pointer in a ``$ref`` fragment is percent-encoded (RFC 6901 section 6)."""
    pattern_ref = {
        "type": "object",
        "patternProperties": {"^x_": {"type": "integer"}},
        "properties": {"a": {"$ref": "#/patternProperties/%5Ex_"}},
    }
    wider = {
        "type": "object",
        "patternProperties": {"^x_": {"type": "integer"}},
        "properties": {"a": {"type": "number"}},
    }
    assert includes(pattern_ref, wider).holds is True
    back = includes(wider, pattern_ref)
    assert back.holds is False
    assert is_valid(wider, back.witness)
    assert not is_valid(pattern_ref, back.witness)


def test_unmodellable_writer_fails_closed_as_unproven() -> None:
    non_local = {"type": "object", "properties": {"a": {"$ref": "other.json#/x"}}}
    result = compare(non_local, {"type": "object"})
    assert (result.backward.holds, result.forward.holds) == (None, None)
    assert "non-local $ref" in result.backward.reason
    verdict = includes(non_local, {"type": "object"}, semantics="contract")
    assert verdict.holds is None
