"""Bounds the reference validator reads apart from their written value.

accord reads a schema's number as the number it writes (``1e23`` is 10**23). The
reference validator (jsonschema-rs) compares an integer payload with a float bound by
the float's binary value (``1e23`` is 99999999999999991611392 there), and a payload
kept exact (a ``Decimal``: ``1e401``) with the bound as written. Where the two readings
differ (a float past 2**53 that no float holds exactly) the engine cannot say which
payloads a bound admits, and a bound kept as a ``Decimal`` (``1e400``) was not read at
all: ``diff`` called adding ``maximum: 1e400`` a patch (same meaning), and ``maximum:
1e23`` vs ``maximum: 10**23`` a patch, while a payload separates the sides. Such a
comparison is now unproven, never "holds".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accord.compat import diff
from accord.compat._engine import includes
from accord.core.jsondoc import loads
from accord.validation.reference import is_valid

CASES = [
    pytest.param(
        {"type": "integer", "maximum": 1e23},
        {"type": "integer", "maximum": 10**23},
        10**23,
        id="float-maximum-past-2-53",
    ),
    pytest.param(
        {"type": "integer", "minimum": 10**23},
        {"type": "integer", "minimum": 1e23},
        10**23 - 1,
        id="float-minimum-past-2-53",
    ),
    pytest.param(
        {"type": "number", "multipleOf": 1e200},
        {"type": "number", "multipleOf": 2.5},
        -3e200,
        id="float-multiple-past-2-53",
    ),
    pytest.param(
        {"type": "number"},
        loads('{"type": "number", "maximum": 1e400}'),
        Decimal("1e401"),
        id="decimal-maximum",
    ),
    pytest.param(
        {"type": "number"},
        loads('{"type": "number", "exclusiveMinimum": -1e400}'),
        Decimal("-1e401"),
        id="decimal-exclusive-minimum",
    ),
]


@pytest.mark.parametrize(("old", "new", "payload"), CASES)
def test_a_separating_payload_means_no_direction_holds(old: Any, new: Any, payload: Any) -> None:
    valid_old, valid_new = is_valid(old, payload), is_valid(new, payload)
    assert valid_old != valid_new
    report = diff(old, new, semantics="set")
    if valid_old:
        assert report.backward is False
    else:
        assert report.forward is False
    assert report.required_bump == "major"


def test_an_exact_float_bound_is_still_proven() -> None:
    # 1e22 is 2**22 * 5**22: the float holds it exactly, both readings agree.
    assert includes(
        {"type": "integer", "maximum": 10**22}, {"type": "integer", "maximum": 1e22}
    ).holds
    assert (
        includes({"type": "number", "maximum": 0.5}, {"type": "number", "maximum": 1e300}).holds
        is None
    )
    assert includes({"type": "number", "maximum": 0.1}, {"type": "number", "maximum": 0.2}).holds


def test_enum_values_the_reference_tells_apart_are_each_checked() -> None:
    # accord's JSON equality calls 1e24 and 10**24 one value; the reference compares the
    # integer with the float's binary value and tells them apart, so each is checked.
    old, new = {"enum": [1e24, 10**24]}, {"const": 1e24}
    assert is_valid(old, 10**24)
    assert not is_valid(new, 10**24)
    report = diff(old, new, semantics="set")
    assert report.backward is False
    assert report.required_bump == "major"
