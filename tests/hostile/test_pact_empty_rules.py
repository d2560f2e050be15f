"""A Pact matching rule with no matchers is no rule: the example is then compared by
equality, as the Pact verifier compares it.

Before: ``"$.id": {"matchers": []}`` imported as ``all_of []`` (``one_of []`` with
``"combine": "OR"``), which accepts any value: accord's provider verification passed
``{"id": 6}`` where the Pact verifier reports ``$.id -> Expected 6 (Integer) to be equal
to 5 (Integer)``.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._matchers import check_fields
from accord.consumers._pact import import_pact


def _pact(rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "interactions": [
            {
                "description": "get user",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": 200,
                    "body": {"id": 5, "name": "x", "tags": ["a", "b"]},
                    "matchingRules": {"body": rules},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _fields(rules: dict[str, Any]) -> list[dict[str, Any]]:
    (interaction,) = import_pact(_pact(rules))["interactions"]
    fields: list[dict[str, Any]] = interaction["response"]["body"]["fields"]
    return fields


@pytest.mark.parametrize("combine", ["AND", "OR"])
def test_an_empty_rule_compares_by_equality(combine: str) -> None:
    fields = _fields({"$.id": {"matchers": [], "combine": combine}, "$.name": {"matchers": []}})
    sent = {"id": 6, "name": "y", "tags": ["a", "b"]}
    assert sorted(m.path for m in check_fields(fields, sent, role="reads")) == ["$.id", "$.name"]
    assert check_fields(fields, {"id": 5, "name": "x", "tags": ["a", "b"]}, role="reads") == []


def test_an_empty_rule_under_a_type_rule_keeps_the_type_rule() -> None:
    fields = _fields({"$.tags": {"matchers": [{"match": "type"}]}, "$.tags[*]": {"matchers": []}})
    assert check_fields(fields, {"id": 5, "name": "x", "tags": ["z"]}, role="reads") == []
    assert check_fields(fields, {"id": 5, "name": "x", "tags": [1]}, role="reads") != []


@pytest.mark.parametrize("combine", ["one_of", "all_of"])
def test_an_expectation_combining_no_matchers_is_refused(combine: str) -> None:
    # union() refuses no alternative; a hand-edited file could still hold one, which
    # matched anything (and exported as the Pact rule `{"matchers": []}`: equality).
    from accord.consumers._model import validate
    from accord.errors import DocumentError

    doc = import_pact(_pact({"$.id": {"matchers": [{"match": "type"}]}}))
    doc["interactions"][0]["response"]["body"]["fields"][0] = {
        "path": "$.id",
        "match": combine,
        "matchers": [],
    }
    with pytest.raises(DocumentError) as caught:
        validate(doc, file="consumers/web/users.json")
    assert caught.value.code == "expectation-invalid"
    assert caught.value.pointer == "/interactions/0/response/body/fields/0/matchers"
