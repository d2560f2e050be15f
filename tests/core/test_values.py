"""The one reading of JSON values: their type, the number they denote, their equality."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from accord.core import jsondoc
from accord.core.values import equality_key, json_equal, json_type, number

EQUAL = [
    (1, 1.0),
    (-0.0, 0),
    (0.0, -0),
    (0.1, Decimal("0.1")),
    (1e23, 10**23),  # the float 1e23 denotes 10**23, not its binary neighbour
    (Decimal("1e400"), 10**400),
    (Decimal("1.50"), 1.5),
    ({"a": 1, "b": [1.0]}, {"b": [1], "a": 1.0}),
    ([{"x": None}], [{"x": None}]),
    ("é", "é"),
]
UNEQUAL = [
    (True, 1),
    (False, 0),
    (False, None),
    (0, None),
    ("1", 1),
    (0.1, Decimal(0.1)),  # noqa: RUF032 (on purpose: the float's binary value is not 1/10)
    ([1, 2], [2, 1]),
    ({"a": 1}, {"a": 1, "b": None}),
    ({"a": 1}, [("a", 1)]),
    ([True], [1]),
    ({"a": True}, {"a": 1}),
    ([], {}),
    ("", None),
]


@pytest.mark.parametrize(("a", "b"), EQUAL, ids=repr)
def test_equal(a: Any, b: Any) -> None:
    assert json_equal(a, b)
    assert hash(equality_key(a)) == hash(equality_key(b))


@pytest.mark.parametrize(("a", "b"), UNEQUAL, ids=repr)
def test_not_equal(a: Any, b: Any) -> None:
    assert not json_equal(a, b)


def test_keys_of_parsed_documents_read_numbers_as_jsondoc_does() -> None:
    # jsondoc keeps 1e400 as a Decimal and 0.5 as a float: both compare by value.
    doc = jsondoc.loads("[1e400, 0.5, 1.0, 10000000000000000000000000000000000]")
    assert isinstance(doc[0], Decimal)
    assert json_equal(doc, [10**400, Decimal("0.5"), 1, 10**34])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "boolean"),
        (0, "integer"),
        (1.0, "integer"),
        (-0.0, "integer"),
        (1e300, "integer"),
        (Decimal("1e400"), "integer"),
        (1.5, "number"),
        (Decimal("0.5"), "number"),
        (float("inf"), "number"),
        ("1", "string"),
        ([], "array"),
        ({}, "object"),
    ],
    ids=repr,
)
def test_json_type(value: Any, expected: str) -> None:
    assert json_type(value) == expected


def test_json_type_refuses_a_non_json_value() -> None:
    with pytest.raises(TypeError):
        json_type(object())


def test_number_is_the_decimal_a_float_writes() -> None:
    assert number(0.1) == Fraction(1, 10)
    assert number(1e23) == 10**23
    assert number(Decimal("1e400")) == 10**400
    assert number(7) == 7


# Regressions: the copies these replaced read the same values differently.


def test_explaining_backend_unique_items_reads_decimals_like_floats() -> None:
    # Its key compared Python numbers (binary floats): 0.1 != Decimal("0.1").
    from accord.validation.validator import _equality_key

    assert _equality_key(0.1) == _equality_key(Decimal("0.1"))
    assert _equality_key(True) != _equality_key(1)


def test_generator_and_rule_keys_read_floats_as_decimals() -> None:
    # Both keyed numbers by Fraction(float), the float's binary value.
    from accord.compat._site import canon as rule_key
    from accord.payloads.generate import canon as generator_key

    for key in (rule_key, generator_key):
        assert key(1e23) == key(10**23)
        assert key(0.1) == key(Decimal("0.1"))


def test_engine_keys_and_types_read_big_decimals() -> None:
    # type_of raised TypeError on a Decimal; value_key keyed it by its repr.
    from accord.compat._nodes import num, type_of, value_key

    assert type_of(Decimal("1e400")) == "integer"
    assert value_key(Decimal("1e400")) == value_key(10**400)
    assert num(Decimal("1e400")) == 10**400


def test_matcher_kind_of_a_big_decimal_is_number() -> None:
    # json_kind called every value it did not list an "object".
    from accord.consumers._matchers import json_kind

    assert json_kind(Decimal("1e400")) == "number"
    assert json_kind(2.0) == "number"


def test_generator_type_of_a_decimal() -> None:
    # json_type said "unknown" for a Decimal.
    from accord.payloads.generate import json_type as generator_type

    assert generator_type(Decimal("0.5")) == "number"


def test_frozen_documents_compare_like_plain_ones() -> None:
    from accord.core.frozen import freeze

    frozen = freeze({"a": [1, {"b": None}], "c": "x"})
    assert json_equal(frozen, {"c": "x", "a": [1.0, {"b": None}]})
    assert json_type(frozen) == "object"
    assert json_type(frozen["a"]) == "array"
