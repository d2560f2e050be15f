"""Which schema texts may hold a pattern the reference matches by backtracking
(``patterns.may_backtrack``): only those keep the backtracking cap when a validator is
compiled from its document's own text (the cap itself: tests/hostile/test_redos.py)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from accord.validation.patterns import may_backtrack


def _text(pattern: str) -> str:
    document = {"properties": {"a": {"pattern": pattern, "type": "string"}}}
    return msgspec.json.encode(document).decode()


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
        ({"patternProperties": {"^a$": {}}}, True),  # keys are patterns: always capped
        ({"properties": {"pattern": {"type": "string"}}}, False),  # a property so named
        ({"const": {"pattern": "(?=a)"}}, True),  # conservative: read as the keyword
        ({"description": 'say "pattern":"(?=a)"'}, False),  # inside a string: no key
        ({"pattern": "\u00e9(?=a)"}, True),
    ],
)
def test_what_counts_as_a_pattern(document: dict[str, Any], backtracking: bool) -> None:
    assert may_backtrack(msgspec.json.encode(document).decode()) is backtracking


def test_any_text_json_spelling_is_read() -> None:
    spaced = json.dumps({"pattern": "a(?=b)"}, indent=2)
    assert may_backtrack(spaced)
    # A \u escape could spell "pattern" or "patternProperties" in a key: capped.
    assert may_backtrack('{"patt\\u0065rn": "a"}')
    assert may_backtrack(json.dumps({"pattern": "a\u0001"}))
