"""``--backend python`` decides ``multipleOf`` as the reference does, at every size.

The python backend's exact decimal reading agreed with jsonschema-rs below 2**53 only:
past it the reference reads floats (and integers beside a float divisor) by their binary
values and ``Decimal``s by its own conversions, so ``1e23`` passed ``{"multipleOf": 5}``
under ``--backend python`` while the reference refused it (a differential fuzz found
1,910 such disagreements). Each case below disagreed before the fix.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from accord.validation.reference import is_valid as reference_is_valid
from accord.validation.validator import Validator, is_multiple_of

DISAGREED = [
    pytest.param(1e23, 5, id="float-1e23-by-5"),
    pytest.param(4.0611205974372495e24, 7, id="float-past-2**53-by-7"),
    pytest.param(1.2499594353041303e27, 2.5, id="float-past-2**53-by-float"),
    pytest.param(830000000000000000000000000, 1e23, id="int-by-float-past-2**53"),
    pytest.param(Decimal("1.768337E-389"), Decimal("1E+400"), id="decimal-tiny-by-huge"),
    pytest.param(Decimal("5050801633259425330.3840913495"), 7, id="decimal-past-2**53"),
    pytest.param(Decimal("5.29436076614E+129"), 1e23, id="decimal-huge-by-float"),
]


@pytest.mark.parametrize(("value", "divisor"), DISAGREED)
def test_python_backend_multiple_of_is_the_references(value: Any, divisor: Any) -> None:
    schema = {"multipleOf": divisor}
    expected = reference_is_valid(schema, value)
    assert is_multiple_of(value, divisor) is expected
    if not isinstance(value, Decimal):
        # (the python backend refuses a Decimal no float holds as payload-not-json)
        assert Validator(schema, backend="python").is_valid(value) is expected


def _numbers(rng: random.Random) -> Any:
    kind = rng.randrange(5)
    if kind == 0:
        return float(rng.randint(1, 10 ** rng.randint(1, 30)))
    if kind == 1:
        return rng.randint(1, 10 ** rng.randint(1, 30))
    if kind == 2:
        return rng.choice([1, -1]) * 10.0 ** rng.randint(-10, 40) * rng.randint(1, 9)
    if kind == 3:
        return round(rng.uniform(0, 1e6), rng.randint(0, 4))
    return Decimal(f"{rng.randint(1, 10 ** rng.randint(1, 30))}e{rng.randint(-420, 420)}")


DIVISORS = [5, 3, 7, 10, 0.5, 0.1, 0.01, 2.5, 1e-3, 1e20, 1e23, 2**60, 10**23]
DIVISORS += [Decimal("0.1"), Decimal("1e400"), Decimal("1e-400")]


def test_python_backend_multiple_of_agrees_with_the_reference_across_magnitudes() -> None:
    rng = random.Random(20261203)
    disagreements = []
    for _ in range(3000):
        value, divisor = _numbers(rng), rng.choice(DIVISORS)
        if is_multiple_of(value, divisor) is not reference_is_valid({"multipleOf": divisor}, value):
            disagreements.append((value, divisor))
    assert disagreements == []
