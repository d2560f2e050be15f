"""Validation work is bounded whatever the payload: errors capped, depth capped, numbers safe.

Sizes are small (a payload ten times over a cap, not megabytes): a regression shows up
as a failed count, not a hang.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest

from accord.core.jsondoc import deeper_than, more_nodes_than
from accord.errors import ContractViolation, DocumentError, UsageError
from accord.validation.recursion import may_recurse
from accord.validation.validator import (
    DEFAULT_MAX_ERRORS,
    Validator,
    is_multiple_of,
)

ARRAY_OF_SMALL = {"type": "array", "items": {"maximum": 5}}
RECURSIVE = {"type": "array", "items": {"$ref": "#"}}


def _nested(depth: int) -> list[Any]:
    root: list[Any] = []
    here = root
    for _ in range(depth - 1):
        inner: list[Any] = []
        here.append(inner)
        here = inner
    return root


# --- errors are capped: first N listed, the rest counted -------------------------------


def test_errors_are_capped_at_the_default() -> None:
    payload = [9] * (DEFAULT_MAX_ERRORS * 10)
    found = Validator(ARRAY_OF_SMALL).errors(payload)
    assert len(found) == DEFAULT_MAX_ERRORS == 50
    assert found[0].instance_path == "/0"


def test_validate_lists_the_first_n_and_counts_the_rest() -> None:
    with pytest.raises(ContractViolation) as info:
        Validator(ARRAY_OF_SMALL, max_errors=3).validate([9] * 5)
    assert [e.instance_path for e in info.value.errors] == ["/0", "/1", "/2"]
    assert (info.value.omitted, info.value.omitted_lower_bound) == (2, False)
    assert "(+2 not listed)" in info.value.message


def test_the_rest_is_counted_exactly_within_the_budget() -> None:
    # The reference builds every error anyway (its iter_errors is eager): within the
    # budget the rest is counted exactly.
    with pytest.raises(ContractViolation) as info:
        Validator(ARRAY_OF_SMALL, max_errors=3).validate([9] * 1000)
    assert len(info.value.errors) == 3
    assert (info.value.omitted, info.value.omitted_lower_bound) == (997, False)
    assert "(+997 not listed)" in info.value.message


def test_many_errors_over_the_budget_name_the_first_only() -> None:
    # 200,000 errors: iter_errors would build every one (seconds) before the first is
    # returned. Over the budget (values x schema keywords) the reference's validate,
    # which stops at the first error, names it; the rest are "or more".
    with pytest.raises(ContractViolation) as info:
        Validator(ARRAY_OF_SMALL).validate([9] * 200_000)
    [issue] = info.value.errors
    assert (issue.instance_path, issue.keyword) == ("/0", "maximum")
    assert (info.value.omitted, info.value.omitted_lower_bound) == (0, True)
    assert "or more not listed" in info.value.message


def test_many_errors_under_an_applicator_are_not_built() -> None:
    # Under anyOf/oneOf even the first error carries every error of its branches, so a
    # payload over the budget gets one issue without a location.
    schema = {"items": {"oneOf": [{"type": "string"}, {"type": "object"}]}}
    with pytest.raises(ContractViolation) as info:
        Validator(schema).validate(list(range(200_000)))
    [issue] = info.value.errors
    assert issue.instance_path == ""
    assert "too large to explain" in issue.message
    assert info.value.omitted_lower_bound


def test_validate_json_caps_errors() -> None:
    with pytest.raises(ContractViolation) as info:
        Validator(ARRAY_OF_SMALL, max_errors=5).validate_json(json.dumps([9] * 500))
    assert len(info.value.errors) == 5


def test_an_applicator_over_a_big_array_is_not_explained_past_the_budget() -> None:
    # anyOf makes the reference build every error of each branch (20,000 here, 0.7 s
    # even for its first error alone): over the budget, one issue says it is invalid.
    schema = {"anyOf": [ARRAY_OF_SMALL, {"type": "string"}]}
    with pytest.raises(ContractViolation) as info:
        Validator(schema).validate([9] * 20_000)
    assert len(info.value.errors) == 1
    assert info.value.omitted_lower_bound
    assert "too large to explain" in info.value.errors[0].message


def test_messages_quoting_a_huge_value_are_cut() -> None:
    found = Validator({"type": "string"}).errors(list(range(10_000)))
    assert len(found) == 1
    assert len(found[0].message) <= 300
    assert found[0].keyword == "type"


@pytest.mark.parametrize("bad", [0, -1, True, 2.5, "50"])
def test_caps_must_be_positive_integers(bad: Any) -> None:
    with pytest.raises(UsageError):
        Validator({}, max_errors=bad)
    with pytest.raises(UsageError):
        Validator({}, max_depth=bad)


# --- depth is capped on every entry point, Python objects included ----------------------


def test_is_valid_refuses_a_deep_python_list_without_recursing() -> None:
    # 50,000 deep segfaulted jsonschema-rs (exit 139); 5,000 is enough to prove the
    # cap (python-jsonschema's RecursionError starts near 1,000).
    assert Validator(RECURSIVE).is_valid(_nested(5_000)) is False


@pytest.mark.parametrize("method", ["validate", "errors"])
def test_validate_and_errors_refuse_a_deep_python_list(method: str) -> None:
    with pytest.raises(DocumentError) as info:
        getattr(Validator(RECURSIVE), method)(_nested(5_000))
    assert info.value.code == "json-too-deep"


def test_depth_cap_is_configurable_and_exact() -> None:
    v = Validator(RECURSIVE, max_depth=10)
    assert v.is_valid(_nested(10))
    assert v.errors(_nested(10)) == []
    assert not v.is_valid(_nested(11))
    with pytest.raises(DocumentError):
        v.validate(_nested(11))


def test_validate_json_uses_the_validators_depth_cap() -> None:
    v = Validator(RECURSIVE, max_depth=10)
    assert v.validate_json("[" * 10 + "]" * 10) == _nested(10)
    with pytest.raises(DocumentError) as info:
        v.validate_json("[" * 11 + "]" * 11)
    assert info.value.code == "json-too-deep"


def test_a_cycle_is_refused_not_followed() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    v = Validator(RECURSIVE)
    assert v.is_valid(cycle) is False
    with pytest.raises(DocumentError):
        v.validate(cycle)


def test_deep_inside_a_dict_and_a_tuple_counts() -> None:
    payload: Any = {"a": (_nested(70),)}
    assert deeper_than(payload, 64)
    assert not deeper_than({"a": [[1, "x"], {"b": None}]}, 3)
    assert deeper_than({"a": [[1, "x"], {"b": []}]}, 3)


def test_more_nodes_than() -> None:
    assert not more_nodes_than([1, 2, 3], 4)
    assert more_nodes_than([1, 2, 3, 4], 4)
    assert more_nodes_than({"a": [[1], [2]]}, 4)
    assert not more_nodes_than("x", 1)


class _Opaque:
    """No JSON container: a payload may hold one where its schema never looks."""

    def __init__(self, size: int) -> None:
        self.inside = list(range(size))


@pytest.mark.parametrize(
    ("payload", "limit", "expected"),
    [
        # only dicts, lists and tuples are followed: the opaque object is one value,
        # whatever it holds (a first count over every object's insides passes the
        # limit here, and must not be the answer)
        ([_Opaque(1000)], 2, False),
        ([_Opaque(1000)], 1, True),
        ({"a": (_Opaque(1000), [1, 2])}, 6, False),
        ({"a": (_Opaque(1000), [1, 2])}, 5, True),
        # a dict subclass is followed as a dict (its keys count too: gc hands them out)
        (OrderedDict(a=[1, 2, 3], b={"c": Decimal("1.5")}), 9, False),
        (OrderedDict(a=[1, 2, 3], b={"c": Decimal("1.5")}), 8, True),
        ([2**80, 1.5, None, True, "x" * 100], 6, False),
        ([2**80, 1.5, None, True, "x" * 100], 5, True),
    ],
)
def test_more_nodes_than_counts_json_values_only(payload: Any, limit: int, expected: bool) -> None:
    assert more_nodes_than(payload, limit) is expected


# --- multipleOf never raises ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "divisor", "expected"),
    [
        (Decimal("1E+400"), 3, False),
        (Decimal("3E+400"), 3, True),
        (Decimal("1E+400"), 0.5, True),
        (Decimal("1E+400000"), 7, False),
        (Decimal("1E-400"), 0.01, False),
        (float("inf"), 3, True),  # as the reference decides (measured): it does not reject
        (float("nan"), 3, True),
        (19.01, 0.01, True),
        (1e22, 3, False),
        (0, 0.5, True),
        (10**400, 3, False),
        (3 * 10**400, 3, True),
    ],
    ids=str,
)
def test_multiple_of_is_exact_and_total(value: Any, divisor: Any, expected: bool) -> None:
    assert is_multiple_of(value, divisor) is expected


def test_a_number_beyond_float_range_is_a_violation_not_a_crash() -> None:
    v = Validator({"properties": {"n": {"multipleOf": 3}}})
    with pytest.raises(ContractViolation) as info:
        v.validate_json('{"n": 1e400}')
    assert info.value.errors[0].keyword == "multipleOf"
    # A Python infinity is no JSON value (tests/hostile/test_unreadable_numbers.py).
    with pytest.raises(DocumentError) as refused:
        v.errors({"n": float("inf")})
    assert refused.value.code == "payload-not-json"


# --- accord.validator(): the cap per call, the depth from accord.toml -------------------


def test_runtime_validator_takes_max_errors_and_the_registrys_max_depth(tmp_path: Any) -> None:
    from _registry_builders import DRAFT_2020_12, add_contract, write
    from accord.registry.runtime import clear_caches, validator

    add_contract(tmp_path, "hostile.tree", {"1.0.0": {"$schema": DRAFT_2020_12, **RECURSIVE}})
    write(tmp_path / "accord.toml", "max-depth = 8\n")
    clear_caches()
    v = validator("hostile.tree@^1", registry=tmp_path)
    assert (v.max_depth, v.max_errors) == (8, DEFAULT_MAX_ERRORS)
    assert v.is_valid(_nested(8))
    assert not v.is_valid(_nested(9))
    few = validator("hostile.tree@^1", registry=tmp_path, max_errors=2)
    assert few.max_errors == 2
    assert few is not v
    assert validator("hostile.tree@^1", registry=tmp_path, max_errors=2) is few
    assert len(few.errors([1, 2, 3, 4])) == 2


@pytest.mark.parametrize("cap", [True, 1.0, "2", 0, -1])
def test_runtime_validator_refuses_a_cap_that_is_no_positive_int_even_when_cached(
    tmp_path: Any, cap: Any
) -> None:
    # True == 1 and 1.0 == 1 as cache keys: after a validator with cap 1 was built, a
    # wrong cap was answered from the cache instead of refused (a fresh registry refused).
    from _registry_builders import DRAFT_2020_12, add_contract
    from accord.errors import UsageError
    from accord.registry.runtime import clear_caches, validator

    add_contract(tmp_path, "hostile.tree", {"1.0.0": {"$schema": DRAFT_2020_12, **RECURSIVE}})
    clear_caches()
    validator("hostile.tree@^1", registry=tmp_path, max_errors=1)
    validator("hostile.tree@^1", registry=tmp_path, max_errors=2)
    with pytest.raises(UsageError) as info:
        validator("hostile.tree@^1", registry=tmp_path, max_errors=cap)
    assert "max_errors must be a positive integer" in str(info.value)


# --- uniqueItems is linear in the explaining backend ------------------------------------


@pytest.mark.parametrize(
    ("items", "unique"),
    [
        ([1, 1.0], False),
        ([True, 1], True),
        ([0, False], True),
        ([None, None], False),
        ([{"a": [1]}, {"a": [1.0]}], False),
        ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
        ([[1], [True]], True),
        ([Decimal("1E+400"), 10**400], False),
        (["1", 1], True),
    ],
    ids=str,
)
def test_unique_items_agrees_with_the_reference(items: list[Any], unique: bool) -> None:
    v = Validator({"uniqueItems": True})
    assert (v.errors(items) == []) is unique


def test_unique_items_on_many_objects_is_explained() -> None:
    # Pairwise comparison took 90 s on 4,000 objects; 1,000 stays small either way.
    payload = [{"a": i} for i in range(1000)] + [{"a": 0}]
    [issue] = Validator({"uniqueItems": True}).errors(payload)
    assert issue.keyword == "uniqueItems"
    assert len(issue.message) <= 300


def test_a_small_payload_under_an_applicator_gets_the_references_errors() -> None:
    schema = {"anyOf": [ARRAY_OF_SMALL, {"type": "string"}]}
    with pytest.raises(ContractViolation) as info:
        Validator(schema).validate([9] * 3)
    [issue] = info.value.errors
    assert (issue.keyword, issue.schema_path) == ("anyOf", "/anyOf")
    assert len(issue.message) <= 300
    assert not info.value.omitted_lower_bound
    # best match: the deepest error among the branches', as python-jsonschema picks it
    best = info.value.best_match
    assert best is not None
    assert (best.instance_path, best.schema_path) == ("/0", "/anyOf/0/items/maximum")


def test_cli_validate_reports_1e400_as_invalid_not_an_internal_error(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: decimal.InvalidOperation escaped, exit 3.
    from _registry_builders import DRAFT_2020_12, add_contract, write
    from accord.cli import main

    schema = {"$schema": DRAFT_2020_12, "properties": {"n": {"multipleOf": 3}}}
    add_contract(tmp_path / "contracts", "hostile.numbers", {"1.0.0": schema})
    big = write(tmp_path / "big.json", '{"n": 1e400}')
    fine = write(tmp_path / "fine.json", '{"n": 3e400}')
    registry = str(tmp_path / "contracts")
    assert main(["validate", "hostile.numbers@1.0.0", str(big), "--registry", registry]) == 1
    assert "multiple" in capsys.readouterr().out
    assert main(["validate", "hostile.numbers@1.0.0", str(fine), "--registry", registry]) == 0


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [[[]]],
        {"a": {"b": [1, "x", None, True, 1.5, Decimal("1E+400")]}},
        {"a": ([[]],)},
        [OrderedDict(a=[[1]])],
        [[1], {"k": [[[]]]}, "s"],
        {1: [[2]]},
    ],
    ids=repr,
)
def test_the_fast_and_portable_depth_walks_agree(value: Any) -> None:
    from accord.core.jsondoc import _deeper_than_slowly

    for limit in range(1, 6):
        assert deeper_than(value, limit) is _deeper_than_slowly(value, limit), limit


@pytest.mark.parametrize(
    ("backend", "schema"),
    [
        ("rs", RECURSIVE),
        ("python", {"type": "array"}),
        ("fast", {"type": "array"}),
    ],
)
def test_every_backend_is_behind_the_depth_check(backend: str, schema: Any) -> None:
    # jsonschema-rs is behind it wherever the schema recurses; the pure-Python backends
    # always are (they recurse as deep as the payload on any schema).
    v = Validator(schema, backend=backend)
    assert v.depth_checked
    assert v.is_valid(_nested(3))
    assert v.is_valid(_nested(5_000)) is False
    with pytest.raises(DocumentError):
        v.errors(_nested(5_000))


@pytest.mark.parametrize(
    ("schema", "recurses"),
    [
        ({"type": "array"}, False),
        ({"$defs": {"m": {"type": "string"}}, "items": {"$ref": "#/$defs/m"}}, False),
        (RECURSIVE, True),
        ({"$defs": {"n": {"properties": {"c": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"}, True),
        ({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"items": {"$ref": "#/$defs/a"}}}}, True),
        ({"$dynamicAnchor": "meta", "items": {"$dynamicRef": "#meta"}}, True),
    ],
    ids=["plain", "ref-to-leaf", "self", "via-defs", "two-step-cycle", "dynamic"],
)
def test_only_recursive_schemas_need_the_depth_walk_in_rs(schema: Any, recurses: bool) -> None:
    assert may_recurse(schema) is recurses
    assert Validator(schema).depth_checked is recurses


def test_a_non_recursive_schema_bounds_how_deep_rs_looks() -> None:
    # Without the depth walk on the hot path, a payload nested 50,000 deep (which
    # crashed jsonschema-rs under a recursive schema) is judged by the schema, in a
    # child process so that a crash would fail this test instead of the run.
    code = (
        "from accord.validation import Validator\n"
        "x = []\nhere = x\n"
        "for _ in range(50_000):\n    nxt = []\n    here.append(nxt)\n    here = nxt\n"
        "v = Validator({'type': 'array', 'items': {'type': 'array'}})\n"
        "assert not v.depth_checked\n"
        "print(v.is_valid(x), v.errors(x) == [])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


# --- a Python value that is no JSON value is refused, never a backend's ValueError -----

OBJECT_SCHEMA = {"type": "object", "properties": {"a": {"type": "integer"}}}


def _cycle() -> list[Any]:
    cycle: list[Any] = []
    cycle.append(cycle)
    return cycle


@pytest.mark.parametrize(
    ("payload", "backend"),
    [
        pytest.param(payload, backend, id=f"{backend}-{name}")
        for backend in ("auto", "python")
        for name, payload in [
            ("set", {1, 2}),
            ("bytes", b"x"),
            ("object", object()),
            ("in-list", [object()]),
        ]
    ]
    + [
        pytest.param(payload, "auto", id=f"auto-{name}")
        for name, payload in [
            ("int-key", {1: 2}),
            ("none-key", {None: 1}),
            ("tuple-key", {(1, 2): 1}),
            ("nested-bool-key", {"a": {True: 1}}),
        ]
    ],
)
def test_a_value_that_is_not_json_is_refused_as_a_document_error(
    payload: Any, backend: str
) -> None:
    v = Validator(OBJECT_SCHEMA, backend=backend)
    assert v.is_valid(payload) is False
    for method in ("validate", "errors"):
        with pytest.raises(DocumentError) as info:
            getattr(v, method)(payload)
        assert info.value.code == "payload-not-json"


@pytest.mark.parametrize("payload", [_cycle(), _nested(5_000)], ids=["cycle", "deep"])
def test_a_non_recursive_schema_refuses_a_deep_or_cyclic_value_it_explains(payload: Any) -> None:
    # is_valid needs no walk (the schema bounds how deep jsonschema-rs looks), but the
    # explanation quotes the value: it used to raise ValueError("Recursion limit reached").
    v = Validator(OBJECT_SCHEMA)
    assert not v.depth_checked
    assert v.is_valid(payload) is False
    for method in ("validate", "errors"):
        with pytest.raises(DocumentError) as info:
            getattr(v, method)(payload)
        assert info.value.code == "json-too-deep"
