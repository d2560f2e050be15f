"""What a Pact export cannot state inside a combining matcher is said, not dropped.

``each_key``/``each_value`` and ``all_of`` kept only the sub-matchers Pact can state,
and an ``array_contains`` variant's own notes went to a list nobody read: an
``each_value`` of a non-string enum was exported as ``eachValue`` with no rules, an
``all_of(integer, enum)`` as ``integer`` alone, an optional field of a variant as
required of nobody, each with nothing in ``metadata.accord.not_stated`` (so no
``warning[pact-not-stated]``) while the real verifier checked less than accord's own.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._pact import export_pact

ENUM = {"match": "enum", "values": [1, 2]}


def _doc(field: dict[str, Any]) -> dict[str, Any]:
    body = {"contract": None, "example": {"m": {"k": 1}, "xs": [{"a": 1}]}, "fields": [field]}
    return {
        "format_version": 1,
        "consumer": {"name": "billing"},
        "provider": "users-service",
        "interactions": [
            {
                "type": "http",
                "description": "d",
                "request": {"method": "GET", "path": "/x"},
                "response": {"status": 200, "body": body},
            }
        ],
    }


CASES = {
    "each-value-enum": {"path": "$.m", "match": "each_value", "matchers": [ENUM]},
    "each-value-union": {
        "path": "$.m",
        "match": "each_value",
        "matchers": [{"match": "one_of", "matchers": [{"match": "integer"}, {"match": "null"}]}],
    },
    "all-of-enum": {"path": "$.m.k", "match": "all_of", "matchers": [{"match": "integer"}, ENUM]},
    "variant-enum": {
        "path": "$.xs",
        "match": "array_contains",
        "variants": [{"fields": [{"path": "$.a", **ENUM}]}],
    },
    "variant-optional": {
        "path": "$.xs",
        "match": "array_contains",
        "variants": [{"fields": [{"path": "$.a", "match": "integer", "optional": True}]}],
    },
}


@pytest.mark.parametrize("field", CASES.values(), ids=CASES.keys())
def test_a_sub_matcher_pact_cannot_state_is_listed(field: dict[str, Any]) -> None:
    for spec in ("v4", "v3"):
        notes = export_pact(_doc(field), spec=spec)["metadata"]["accord"].get("not_stated", [])
        assert any(n["note"].startswith(field["path"]) for n in notes), (spec, notes)


def test_what_pact_states_adds_no_note() -> None:
    field = {"path": "$.m", "match": "each_value", "matchers": [{"match": "integer"}]}
    assert "not_stated" not in export_pact(_doc(field))["metadata"]["accord"]
