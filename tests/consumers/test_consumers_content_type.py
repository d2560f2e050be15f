"""A Pact ``contentType`` rule on a JSON value: accord cannot check it, so it refuses.

pact-rust decides ``contentType`` by sniffing the MIME type of the value's bytes (as
observed with pact-python 4.2, pact_ffi 0.5.12: under ``application/json`` it accepts
``"{\\"a\\": 1} x"`` and ``5`` but not ``"[1]"``; under ``text/plain`` every scalar and
object but no array; under ``image/png`` nothing). accord reads JSON values and has no
such sniffer: a rule it cannot check never passes (it accepted every value before, so a
provider sending ``"hello"`` under ``image/png`` was verified).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _pact_rust import one_body_pact, pact_rust_accepts

from accord.consumers import check_fields

# (content type, value the provider sends): every one refused by pact-rust.
PACT_RUST_REFUSES: list[tuple[str, Any]] = [
    ("image/png", "hello"),
    ("image/png", {"a": 1}),
    ("application/octet-stream", 5),
    ("application/json", "hello"),
    ("text/plain", [1]),
]
# ... and some pact-rust accepts, by its sniffing: accord refuses these too (documented
# in docs/consumers.md, "Where accord and pact-rust differ").
PACT_RUST_ACCEPTS: list[tuple[str, Any]] = [
    ("text/plain", "hello"),
    ("application/json", {"a": 1}),
]


def _fields(content_type: str) -> list[dict[str, Any]]:
    return [{"path": "$.v", "match": "content_type", "value": content_type}]


@pytest.mark.parametrize(("content_type", "value"), PACT_RUST_REFUSES + PACT_RUST_ACCEPTS)
@pytest.mark.parametrize("role", ["reads", "writes"])
def test_a_content_type_rule_is_never_satisfied(content_type: str, value: Any, role: str) -> None:
    problems = check_fields(_fields(content_type), {"v": value}, role=role)
    assert [p.path for p in problems] == ["$.v"]
    assert "contentType" in problems[0].message
    assert content_type in problems[0].message


def test_an_imported_rule_fails_verification() -> None:
    """Imported from a Pact file, the rule fails the provider's verification."""
    from accord.consumers._pact import import_pact

    rules = {
        "$.v": {"combine": "AND", "matchers": [{"match": "contentType", "value": "image/png"}]}
    }
    imported = import_pact(one_body_pact(rules, {"v": "hello"}))
    fields = [f for i in imported["interactions"] for f in i["response"]["body"]["fields"]]
    assert [f["match"] for f in fields] == ["content_type"]
    assert check_fields(fields, {"v": "hello"}, role="reads")


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("content_type", "value", "accepts"),
    [(*c, False) for c in PACT_RUST_REFUSES] + [(*c, True) for c in PACT_RUST_ACCEPTS],
)
def test_the_tables_are_pact_rusts_behaviour(
    tmp_path: Path, content_type: str, value: Any, accepts: bool
) -> None:
    rules = {
        "$.v": {"combine": "AND", "matchers": [{"match": "contentType", "value": content_type}]}
    }
    (tmp_path / "c-p.json").write_text(json.dumps(one_body_pact(rules, {"v": "hello"})))
    assert pact_rust_accepts(tmp_path / "c-p.json", "p", {"v": value}) is accepts
