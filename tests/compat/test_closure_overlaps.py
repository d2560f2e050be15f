"""The writer closure where several object keywords reach one key's value.

Under contract semantics (docs/design.md) the declared keys of a value's location come
from every subschema that applies to it. A key named in ``properties`` that also
matches a ``patternProperties`` pattern, a key matching two patterns, or a key matching
one node's pattern and falling under another node's ``additionalProperties`` has its
value under all of them, so a writer may emit there every key any of them declares.
The closure once constrained such a value with each pattern's location alone, an
intersection of their declared keys: the writer could emit nothing another subschema
declared, and ``diff`` said a narrowing of exactly those keys was compatible (minor).
Each case: the payload is one an OLD writer emits and NEW refuses.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff
from accord.compat._engine import writer_closure
from accord.validation.reference import is_valid

_P: dict[str, Any] = {"type": "object", "properties": {"p": {}}}
_Q: dict[str, Any] = {"type": "object", "properties": {"q": {}}}
_PQ_STRING: dict[str, Any] = {"type": "object", "properties": {"p": {}, "q": {"type": "string"}}}

CASES = [
    pytest.param(
        {"type": "object", "patternProperties": {"^a": _P}, "properties": {"ab": _Q}},
        {
            "type": "object",
            "patternProperties": {"^a": _P},
            "properties": {"ab": {"type": "object", "properties": {"q": {"type": "string"}}}},
        },
        {"ab": {"q": 1}},
        id="named-key-matching-a-pattern",
    ),
    pytest.param(
        {"type": "object", "patternProperties": {"^a": _P, "b$": _Q}},
        {"type": "object", "patternProperties": {"^a": _PQ_STRING, "b$": _Q}},
        {"ab": {"q": 1}},
        id="key-matching-two-patterns",
    ),
    pytest.param(
        {
            "type": "object",
            "allOf": [{"patternProperties": {"^a": _P}}, {"additionalProperties": _Q}],
        },
        {
            "type": "object",
            "allOf": [{"patternProperties": {"^a": _PQ_STRING}}, {"additionalProperties": _Q}],
        },
        {"ab": {"q": 1}},
        id="pattern-of-one-node-additional-of-another",
    ),
]


@pytest.mark.parametrize(("old", "new", "payload"), CASES)
def test_an_old_writers_payload_refused_by_new_breaks_backward(
    old: dict[str, Any], new: dict[str, Any], payload: Any
) -> None:
    assert is_valid(writer_closure(old), payload)
    assert not is_valid(new, payload)
    report = diff(old, new)
    assert report.backward is False
    assert report.required_bump == "major"


@pytest.mark.parametrize(("old", "new", "payload"), CASES)
def test_the_writer_emits_every_key_declared_at_the_value(
    old: dict[str, Any], new: dict[str, Any], payload: Any
) -> None:
    del new
    key = next(iter(payload))
    both = {key: {"p": 1, "q": 1}}
    assert is_valid(old, both)
    assert is_valid(writer_closure(old), both)


def test_a_pattern_alone_still_closes_its_values() -> None:
    # One pattern, no named key matching it, no other node's additionalProperties: its
    # values' location is the pattern's alone, and undeclared keys stay out.
    schema = {"type": "object", "patternProperties": {"^a": _P}, "properties": {"z": {}}}
    closure = writer_closure(schema)
    assert is_valid(closure, {"ab": {"p": 1}})
    assert not is_valid(closure, {"ab": {"r": 1}})


def test_disjoint_patterns_still_close_their_values() -> None:
    # No key matches both "^a" and "^b": each pattern's values are its alone.
    schema = {"type": "object", "patternProperties": {"^a": _P, "^b": _Q}}
    closure = writer_closure(schema)
    assert is_valid(closure, {"ax": {"p": 1}, "bx": {"q": 1}})
    assert not is_valid(closure, {"ax": {"q": 1}})
    assert not is_valid(closure, {"bx": {"p": 1}})
