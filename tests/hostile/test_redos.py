"""Regexes from schemas and consumer matchers run in bounded time.

Before: ``^(a+)+$`` against 28 ``a``s and ``!`` took 12.5 s in the explaining backend
(26 s under ``patternProperties``), and a consumer ``regex`` matcher ``(a+)+`` 51 s in
``verify --provider``. Patterns that could backtrack catastrophically (and long texts)
now go to the reference's engine (linear, or fancy-regex with a backtracking cap): each
test checks that engine was used, so a regression fails instead of only slowing down.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers import check_fields
from accord.errors import ContractViolation
from accord.validation import patterns
from accord.validation.patterns import backtracks, needs_linear_engine, search
from accord.validation.validator import Validator

EVIL = "^(a+)+$"
# 24 letters: a regression costs about a second, not a hang, and fails the engine check.
ATTACK = "a" * 24 + "!"


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [
        ("^(a+)+$", True),
        ("(a|aa)*b", True),
        ("(a*)*", True),
        ("^(\\d+)+x", True),
        ("(x+x+)+y", True),
        ("a*a*b", True),  # polynomial on a miss
        ("^[a-z]+-[0-9]+$", True),  # two unbounded quantifiers: conservative
        ("(a)\\1", True),  # backreference
        ("(?<x>a)\\k<x>", True),
        ("^[A-Z]{3}-\\d{4}$", False),
        ("^(?:abc)+$", False),  # a group without a quantifier or "|" inside
        ("^(ab|cd)$", False),
        ("[(+*)]+", False),  # inside a class, these are literals
        ("\\(a+\\)+", True),  # escaped parentheses: a+ and )+ are two quantifiers
        ("^\\d+$", False),
        ("", False),
    ],
)
def test_backtracks(pattern: str, risky: bool) -> None:
    assert backtracks(pattern) is risky


def test_long_texts_go_to_the_linear_engine() -> None:
    assert not needs_linear_engine("^a", "a" * 1000)
    assert needs_linear_engine("^a", "a" * 1001)


def _engine_calls() -> int:
    return patterns._reference_matcher.cache_info().hits + (
        patterns._reference_matcher.cache_info().misses
    )


def test_search_agrees_and_uses_the_linear_engine() -> None:
    before = _engine_calls()
    assert search(EVIL, "a" * 24)
    assert not search(EVIL, ATTACK)
    assert search("b", "a" * 5000 + "b")
    assert _engine_calls() - before == 3


# The reference explains (its own regex engine, linear or capped): no backtracking
# matcher of accord's runs while explaining.


def test_pattern_keyword_is_explained_in_bounded_time() -> None:
    before = _engine_calls()
    with pytest.raises(ContractViolation) as info:
        Validator({"pattern": EVIL}).validate(ATTACK)
    assert [e.keyword for e in info.value.errors] == ["pattern"]
    assert _engine_calls() == before


def test_pattern_properties_are_explained_in_bounded_time() -> None:
    schema = {"patternProperties": {EVIL: {"type": "integer"}}, "additionalProperties": False}
    before = _engine_calls()
    with pytest.raises(ContractViolation) as info:
        Validator(schema).validate({ATTACK: 1, "aaa": "x"})
    assert {(e.instance_path, e.keyword) for e in info.value.errors} == {
        ("/aaa", "type"),
        ("", "additionalProperties"),
    }
    assert _engine_calls() == before


def test_consumer_regex_matcher_is_bounded() -> None:
    fields: list[dict[str, Any]] = [{"path": "$.v", "match": "regex", "regex": "(a+)+"}]
    before = _engine_calls()
    assert check_fields(fields, {"v": "a" * 24}, role="reads") == []
    [mismatch] = check_fields(fields, {"v": ATTACK}, role="reads")
    assert mismatch.path == "$.v"
    assert _engine_calls() - before == 2
