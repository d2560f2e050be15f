"""Fuzz: hostile payloads and schemas never escape as anything but AccordError, and the
work done is bounded (errors listed, their messages, the 422 body), never timed.

Examples are bounded by the ``ci`` hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.jsondoc import deeper_than, unreadable_number
from accord.errors import AccordError, ContractViolation, DocumentError
from accord.service.fastapi import _check
from accord.validation.validator import Validator

MAX_ERRORS = 3
MAX_DEPTH = 12

PATTERNS = ["^(a+)+$", "(a|aa)*b", "^[a-z]+$", "a*a*b", "(x)\\1", "^\\d{2,}$", "é\\b"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1E+400"), Decimal("-1E+400"), 10**400, 1e308, 5e-324]),
    st.text(alphabet="ab!é\n", max_size=30),
    st.sampled_from(["a" * 26 + "!", "x" * 1200]),
)


def _repeat(item: Any, n: int) -> list[Any]:
    return [item] * n


payloads = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(alphabet="ab!", max_size=30), inner, max_size=4),
        st.builds(_repeat, inner, st.integers(0, 60)),
    ),
    max_leaves=20,
)


def _deep(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


hostile_payloads = st.one_of(payloads, st.builds(_deep, payloads, st.integers(0, 40)))

keywords: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(["string", "integer", "number", "array", "object", "null"]),
    "maximum": st.sampled_from([5, 0.5, 1e308]),
    "minimum": st.sampled_from([0, -1.5]),
    "multipleOf": st.sampled_from([3, 0.5, 0.01, 1e-300, 7.5]),
    "pattern": st.sampled_from(PATTERNS),
    "minLength": st.integers(0, 3),
    "maxItems": st.integers(0, 3),
    "uniqueItems": st.booleans(),
    "required": st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
    "enum": st.lists(scalars, min_size=1, max_size=3),
}


def _schema(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    applicators: dict[str, st.SearchStrategy[Any]] = {
        "items": children,
        "anyOf": st.lists(children, min_size=1, max_size=2),
        "oneOf": st.lists(children, min_size=1, max_size=2),
        "not": children,
        "properties": st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2),
        "patternProperties": st.dictionaries(st.sampled_from(PATTERNS), children, max_size=2),
        "additionalProperties": children,
        "unevaluatedProperties": children,
    }
    return st.fixed_dictionaries({}, optional={**keywords, **applicators})


leaf_schemas = st.one_of(
    st.booleans(),
    st.fixed_dictionaries({}, optional=keywords),
    st.just({"$ref": "#"}),
)
schemas = st.recursive(leaf_schemas, _schema, max_leaves=6).filter(lambda s: isinstance(s, dict))


def _bounded(violation: ContractViolation | None) -> None:
    if violation is None:
        return
    assert 1 <= len(violation.errors) <= MAX_ERRORS
    # The errors past the first MAX_ERRORS are counted, not listed: a count only where
    # the list is full.
    assert violation.omitted >= 0
    assert violation.omitted == 0 or len(violation.errors) == MAX_ERRORS
    for issue in violation.errors:
        assert len(issue.message) <= 300


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(schema=schemas, payload=hostile_payloads)
def test_every_entry_point_is_bounded_and_fails_closed(schema: Any, payload: Any) -> None:
    try:
        v = Validator(schema, max_errors=MAX_ERRORS, max_depth=MAX_DEPTH)
    except AccordError:
        return  # a schema the reference refuses to compile: a clean SchemaError
    valid = v.is_valid(payload)
    assert isinstance(valid, bool)
    if deeper_than(payload, MAX_DEPTH) and v.depth_checked:
        assert not valid
        with pytest.raises(DocumentError, match="deeper than"):
            v.violation(payload)
    elif unreadable_number(payload) is not None:
        # NaN, an infinity, an integer past the digit limit, a lone surrogate: no JSON
        # value, refused by name (never explained), and invalid.
        assert not valid
        with pytest.raises(DocumentError) as refused:
            v.violation(payload)
        assert refused.value.code in ("payload-not-json", "payload-number-too-long")
    else:
        violation = v.violation(payload)
        assert (violation is None) is valid
        _bounded(violation)
        errors = v.errors(payload)
        assert len(errors) <= MAX_ERRORS
        assert (errors == []) is valid
    try:
        v.validate(payload)
    except ContractViolation as exc:
        _bounded(exc)
    except AccordError:
        pass
    try:
        text = json.dumps(payload, default=str)
    except (ValueError, TypeError):
        return
    try:
        v.validate_json(text)
    except ContractViolation as exc:
        _bounded(exc)
    except AccordError:
        pass
    _payload, problem = _check(v, text.encode(), where="body")
    if problem is not None:
        assert 1 <= len(problem["detail"]) <= MAX_ERRORS
        assert len(json.dumps(problem)) < 4_000
