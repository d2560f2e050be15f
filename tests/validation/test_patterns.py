"""Which schema texts may hold a pattern the reference matches by backtracking
(``patterns.may_backtrack``): only those keep the backtracking cap when a validator is
compiled from its document's own text (the cap itself: tests/hostile/test_redos.py)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from accord.validation.patterns import may_backtrack


def _text(pattern: str) -> bytes:
    document = {"properties": {"a": {"pattern": pattern, "type": "string"}}}
    return msgspec.json.encode(document)


@pytest.mark.parametrize(
    ("pattern", "backtracking"),
    [
        ("^[A-Z]{3}-[0-9]{4}$", False),
        ("^-?[0-9]+(\\.[0-9]{1,4})?$", False),
        ("^\\d+\\s\\w*\\S\\D\\W$", False),  # class shorthands become classes
        ("^(?:ab|cd)+x*?$", False),  # non-capturing groups, lazy quantifiers
        ("\\n\\t\\r\\f\\v\\.\\^\\$\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/\\-\\\\", False),
        ("a(?=b)", True),  # lookahead
        ("a(?!b)", True),
        ("(?<=a)b", True),  # lookbehind
        ("(?<!a)b", True),
        ("(a)\\1", True),  # backreference
        ("(?<n>a)\\k<n>", True),
        ("(?>a+)b", True),  # atomic group
        ("a++b", True),  # possessive quantifiers
        ("a*+b", True),
        ("a?+b", True),
        ("a{2}+b", True),
        ("\\bword\\b", True),  # word boundaries
        ("\\Bx", True),
        ("a\\Z", True),
        ("\\Ka", True),
        ("\\Ga", True),
        ("\\p{L}", True),  # conservative: anything not known to be plain
        ("(?i)a", True),  # flags
        ("(*FAIL)", True),  # verbs
        ("\\\\\\1", True),  # an escaped backslash, then a backreference
        ("[(?=]", True),  # conservative: in a class, still read as syntax
    ],
)
def test_backtracking_syntax_is_found_in_a_pattern_value(pattern: str, backtracking: bool) -> None:
    assert may_backtrack(_text(pattern)) is backtracking


@pytest.mark.parametrize(
    ("document", "backtracking"),
    [
        ({"type": "object"}, False),
        ({"patternProperties": {"^a$": {}}}, False),
        ({"patternProperties": {"^(?=a)": {}}}, True),  # keys are patterns
        ({"propertyNames": {"pattern": "(a)\\1"}}, True),
        ({"description": "C++ (?i)"}, True),  # conservative: any string is read
        ({"const": "\u00e9(?=a)"}, True),
        ({"const": "\u00e9a"}, False),
    ],
)
def test_every_string_is_read(document: dict[str, Any], backtracking: bool) -> None:
    assert may_backtrack(msgspec.json.encode(document)) is backtracking


def test_any_json_spelling_is_read() -> None:
    assert may_backtrack(json.dumps({"pattern": "a(?=b)"}, indent=2).encode())
    assert not may_backtrack(json.dumps({"pattern": "a(?:b)"}, indent=2).encode())
    # A \u escape could spell "(?=" or a backslash: capped.
    assert may_backtrack(b'{"pattern": "\\u0028?=a"}')
    assert may_backtrack(json.dumps({"pattern": "a\u0001"}).encode())
