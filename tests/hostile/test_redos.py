"""Regexes from schemas and consumer matchers run in bounded time.

Before: ``^(a+)+$`` against 28 ``a``s and ``!`` took 12.5 s in the explaining backend
(26 s under ``patternProperties``), and a consumer ``regex`` matcher ``(a+)+`` 51 s in
``verify --provider``. Patterns that could backtrack catastrophically (and long texts)
now go to the reference's engine (linear, or fancy-regex with a backtracking cap): each
test checks that engine was used, so a regression fails instead of only slowing down.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import accord
from _registry_builders import DRAFT_2020_12, publish
from accord.consumers import check_fields
from accord.errors import ContractViolation
from accord.registry.model import Registry, own_source
from accord.registry.runtime import clear_caches
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


# A registry validator compiled from its document's own JSON text leaves the reference's
# backtracking cap unset when no pattern could read it (patterns.may_backtrack). These
# patterns run on fancy-regex's backtracking engine, and the payload needs more than the
# cap's 100,000 steps (fewer than the engine's own default): capped, it is refused.
CAPPED = [
    "^(?:(a|a)+(?!y)x|a+y)$",  # negative lookahead
    "^(?:(a|a)+(?=x)x|a+y)$",  # lookahead
    "^(?:(a|a)+(?<=b)x|a+y)$",  # lookbehind
    "^(?:(a|a)+\\1x|a+y)$",  # backreference
]
NEEDS_STEPS = "a" * 16 + "y"


def _own_text_validator(tmp_path: Path, document: dict[str, Any]) -> Validator:
    # Published (the lock vouches for the bytes): lint refuses such patterns in a new
    # version, but one the lock vouches for loads unchecked.
    document = {"$schema": DRAFT_2020_12, **document}
    publish(tmp_path, "ns.c", {"1.0.0": json.dumps(document, sort_keys=True)})
    registry = Registry.load(tmp_path)
    version = registry.get("ns.c@1.0.0")
    assert own_source(version, registry.bundle(version)) is not None  # the text path
    return accord.validator("ns.c@1.0.0", registry=registry)


@pytest.mark.parametrize("pattern", CAPPED)
def test_backtracking_patterns_keep_the_cap_when_compiled_from_text(
    tmp_path: Path, pattern: str
) -> None:
    clear_caches()
    validator = _own_text_validator(tmp_path, {"type": "string", "pattern": pattern})
    assert not validator.is_valid(NEEDS_STEPS)
    assert not Validator({"type": "string", "pattern": pattern}).is_valid(NEEDS_STEPS)


@pytest.mark.parametrize(
    "document",
    [
        {"patternProperties": {CAPPED[0]: {"type": "integer"}}, "additionalProperties": False},
        {"propertyNames": {"pattern": CAPPED[0]}},
    ],
    ids=["patternProperties", "propertyNames"],
)
def test_property_name_patterns_keep_the_cap_when_compiled_from_text(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    clear_caches()
    validator = _own_text_validator(tmp_path, document)
    assert not validator.is_valid({NEEDS_STEPS: 1})


# The premise of leaving the cap unset: a pattern without backtracking syntax is matched
# whole by the linear engine, capped or not. These would need far more than the cap's
# steps on a backtracking engine; if the reference ever ran them on one, the capped
# validator would refuse the payload and this test would fail.
LINEAR = [
    "^(?:(a|a)+x|a+y)$",
    "^(?:(\\w|a)+x|a+y)$",
    "^(?:(?:\\d|[a-z])+x|a+y)$",
    "^(?:(a|a)+?x|a+y)$",
]


@pytest.mark.parametrize("pattern", LINEAR)
def test_patterns_without_backtracking_syntax_never_reach_the_cap(
    tmp_path: Path, pattern: str
) -> None:
    clear_caches()
    document = {"type": "string", "pattern": pattern}
    assert not patterns.may_backtrack(json.dumps(document).encode())
    payload = "a" * 24 + "y"
    assert Validator(document).is_valid(payload)  # capped
    assert _own_text_validator(tmp_path, document).is_valid(payload)  # not capped
