"""accord's matchers agree with pact-rust (the real verifier, via pact-python's FFI).

Each case is a matching rule, the value a provider sends, and pact-rust's verdict as
observed with pact-python 4.2 (pact_ffi 0.5.12); the same table is run through accord's
:func:`check_fields` and through the real verifier against a provider on 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _pact_rust import one_body_pact, pact_rust_accepts

from accord.consumers import check_fields

_TS = "yyyy-MM-dd'T'HH:mm:ssXXX"

# (id, accord matcher, Pact rule, value, pact-rust accepts)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], Any, bool]] = [
    ("boolean-true", {"match": "boolean"}, {"match": "boolean"}, False, True),
    ("boolean-string-true", {"match": "boolean"}, {"match": "boolean"}, "true", True),
    ("boolean-string-false", {"match": "boolean"}, {"match": "boolean"}, "false", True),
    ("boolean-string-yes", {"match": "boolean"}, {"match": "boolean"}, "yes", False),
    ("boolean-1", {"match": "boolean"}, {"match": "boolean"}, 1, False),
    (
        "date-leap-day",
        {"match": "date", "format": "yyyy-MM-dd"},
        {"match": "date", "format": "yyyy-MM-dd"},
        "2024-02-29",
        True,
    ),
    (
        "date-feb-30",
        {"match": "date", "format": "yyyy-MM-dd"},
        {"match": "date", "format": "yyyy-MM-dd"},
        "2024-02-30",
        False,
    ),
    (
        "date-no-leap-day",
        {"match": "date", "format": "yyyy-MM-dd"},
        {"match": "date", "format": "yyyy-MM-dd"},
        "2023-02-29",
        False,
    ),
    (
        "date-april-31",
        {"match": "date", "format": "dd/MM/yyyy"},
        {"match": "date", "format": "dd/MM/yyyy"},
        "31/04/2024",
        False,
    ),
    (
        "datetime-feb-30",
        {"match": "datetime", "format": _TS},
        {"match": "timestamp", "format": _TS},
        "2024-02-30T00:00:00Z",
        False,
    ),
    ("date-default-feb-30", {"match": "date"}, {"match": "date"}, "2024-02-30", False),
]


@pytest.mark.parametrize(
    ("matcher", "value", "accepts"),
    [(c[1], c[3], c[4]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_accord_agrees_with_pact_rust(matcher: dict[str, Any], value: Any, accepts: bool) -> None:
    assert (check_fields([{"path": "$.v", **matcher}], {"v": value}, role="reads") == []) is accepts


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("rule", "value", "accepts"),
    [(c[2], c[3], c[4]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_the_table_is_pact_rusts_behaviour(
    tmp_path: Path, rule: dict[str, Any], value: Any, accepts: bool
) -> None:
    example = True if rule["match"] == "boolean" else "2024-01-31"
    if rule["match"] == "timestamp":
        example = "2024-01-31T00:00:00Z"
    if rule["match"] == "date" and rule.get("format") == "dd/MM/yyyy":
        example = "31/01/2024"
    rules = {"$.v": {"combine": "AND", "matchers": [rule]}}
    (tmp_path / "c-p.json").write_text(json.dumps(one_body_pact(rules, {"v": example})))
    assert pact_rust_accepts(tmp_path / "c-p.json", "p", {"v": value}) is accepts
