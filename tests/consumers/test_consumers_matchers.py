"""Matcher semantics: Pact's meaning where it differs from JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers import check_fields
from accord.consumers._matchers import check_matcher, format_path, parse_path, translate

CASES: list[tuple[str, dict[str, Any], Any, bool]] = [
    ("regex-whole-string", {"match": "regex", "regex": "[a-z]+"}, "abc", True),
    ("regex-not-substring", {"match": "regex", "regex": "[a-z]+"}, "abc1", False),
    ("regex-number-as-text", {"match": "regex", "regex": r"\d+"}, 42, True),
    ("integer-accepts-2", {"match": "integer"}, 2, True),
    ("integer-rejects-2.0", {"match": "integer"}, 2.0, False),
    ("integer-rejects-bool", {"match": "integer"}, True, False),
    ("decimal-accepts-1.5", {"match": "decimal"}, 1.5, True),
    ("decimal-rejects-42", {"match": "decimal"}, 42, False),
    ("number-any", {"match": "number"}, 42, True),
    ("like-number-accepts-float", {"match": "like", "example": 1}, 1.5, True),
    ("like-string-rejects-number", {"match": "like", "example": "a"}, 1, False),
    ("boolean", {"match": "boolean"}, False, True),
    ("boolean-rejects-0", {"match": "boolean"}, 0, False),
    ("equals-exact", {"match": "equals", "value": "Ada"}, "Ada", True),
    ("equals-1-vs-1.0", {"match": "equals", "value": 1}, 1.0, False),
    ("enum-subset-in", {"match": "enum", "values": ["a", "b"]}, "b", True),
    ("enum-subset-out", {"match": "enum", "values": ["a", "b"]}, "c", False),
    ("date-rfc3339", {"match": "date"}, "2024-02-29", True),
    ("date-rfc3339-bad", {"match": "date"}, "2024-13-01", False),
    ("date-pact-format", {"match": "date", "format": "dd/MM/yyyy"}, "31/01/2024", True),
    ("date-pact-format-bad", {"match": "date", "format": "dd/MM/yyyy"}, "2024-01-31", False),
    (
        "datetime-pact",
        {"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss'Z'"},
        "2024-01-01T10:00:00Z",
        True,
    ),
    ("include", {"match": "include", "value": "@"}, "a@b", True),
    ("not-empty-rejects-empty", {"match": "not_empty"}, [], False),
    ("array-min", {"match": "array", "min": 2}, [1], False),
    ("array-max", {"match": "array", "max": 1}, [1, 2], False),
    (
        "each-value",
        {"match": "each_value", "matchers": [{"match": "integer"}]},
        {"a": 1, "b": "x"},
        False,
    ),
    (
        "each-key",
        {"match": "each_key", "matchers": [{"match": "regex", "regex": "[a-z]+"}]},
        {"ab": 1},
        True,
    ),
    (
        "one-of-union",
        {"match": "one_of", "matchers": [{"match": "integer"}, {"match": "null"}]},
        None,
        True,
    ),
    (
        "all-of",
        {"match": "all_of", "matchers": [{"match": "string"}, {"match": "regex", "regex": "a+"}]},
        "b",
        False,
    ),
    ("semver", {"match": "semver"}, "1.2.3-rc.1", True),
]


@pytest.mark.parametrize(
    ("matcher", "value", "ok"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_matcher_table(matcher: dict[str, Any], value: Any, ok: bool) -> None:
    fields = [{"path": "$.v", **matcher}]
    assert (check_fields(fields, {"v": value}, role="reads") == []) is ok


@pytest.mark.parametrize(
    ("field", "payload", "ok"),
    [
        ({"match": "string"}, {}, False),
        ({"match": "string", "optional": True}, {}, True),
        ({"match": "string"}, {"v": None}, False),
        ({"match": "string", "nullable": True}, {"v": None}, True),
    ],
    ids=["missing", "optional-missing", "null", "nullable-null"],
)
def test_optional_and_nullable_are_explicit(field: dict[str, Any], payload: Any, ok: bool) -> None:
    assert (check_fields([{"path": "$.v", **field}], payload, role="reads") == []) is ok


def test_extra_keys_pass_in_responses_and_fail_in_requests() -> None:
    fields = [{"path": "$.name", "match": "string"}]
    payload = {"name": "Ada", "extra": 1}
    assert check_fields(fields, payload, role="reads") == []
    [m] = check_fields(fields, payload, role="writes")
    assert m.path == "$.extra"
    assert "unexpected key" in m.message


def test_wildcard_items_apply_to_every_item() -> None:
    fields = [{"path": "$.items[*].sku", "match": "regex", "regex": "[A-Z]{3}"}]
    problems = check_fields(fields, {"items": [{"sku": "ABC"}, {"sku": "abc"}]}, role="reads")
    assert [p.path for p in problems] == ["$.items[1].sku"]


@pytest.mark.parametrize("text", ["$", "$.a.b", "$.items[*].sku", "$['odd key'][0]", "$.map.*"])
def test_paths_round_trip(text: str) -> None:
    assert format_path(parse_path(text)) == text


def test_translation_marks_inexact_matchers() -> None:
    t = translate(
        [
            {"path": "$.d", "match": "date", "format": "yyyy dd/MM/yy"},
            {"path": "$.e", "match": "date", "format": "dd/MM/yyyy"},  # exact: regular
            {"path": "$.r", "match": "regex", "regex": "a"},
        ],
        role="reads",
    )
    assert t.over == ["$.d"]
    assert t.under == ["$.r"]
    assert t.schema["required"] == ["d", "e", "r"]


@pytest.mark.parametrize("fmt", ["yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yy", "MM-dd", "HH:mm:ss"])
def test_date_format_language_is_the_matcher_exactly(fmt: str) -> None:
    """The translated pattern (shape and calendar) accepts what the matcher accepts."""
    import itertools

    from accord.consumers._matchers import date_format_calendar_regex
    from accord.validation.regular import compile_pattern

    exact = date_format_calendar_regex(fmt)
    assert exact is not None
    language = compile_pattern(f"^(?:{exact})$")
    matcher = {"match": "date", "format": fmt}
    for year, month, day in itertools.product(
        ("0000", "1900", "2000", "2023", "2024"), range(1, 13), range(27, 33)
    ):
        value = (
            fmt.replace("yyyy", year)
            .replace("yy", year[2:])
            .replace("MM", f"{month:02d}")
            .replace("dd", f"{day:02d}")
            .replace("HH", "12")
            .replace("mm", "30")
            .replace("ss", "59")
        )
        assert language.matches(value) is (check_matcher(matcher, value) is None), value
