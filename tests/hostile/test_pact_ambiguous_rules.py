"""Two different matching rules equally specific for one location are refused.

``$.id`` and ``$['id']`` name one location, and so do ``$.*.b`` and ``$.a.*`` for
``$.a.b``, equally specifically. Pact's verifiers pick one of such rules in no stated
order; accord took the first one written, so a Pact file whose ``$['id']`` held a regex
beside a ``$.id`` type rule imported as a type match: the regex was dropped, and every
provider sending any string passed.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from accord.consumers._pact import import_pact
from accord.errors import DocumentError

PACT: dict[str, Any] = {
    "consumer": {"name": "web"},
    "provider": {"name": "users"},
    "interactions": [
        {
            "description": "get user",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {
                "status": 200,
                "body": {"id": "1", "a": {"b": "x"}},
                "matchingRules": {"body": {}},
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "3.0.0"}},
}
TYPE = {"matchers": [{"match": "type"}]}
DIGITS = {"matchers": [{"match": "regex", "regex": "\\d+"}]}


def _with(rules: dict[str, Any]) -> dict[str, Any]:
    pact = copy.deepcopy(PACT)
    pact["interactions"][0]["response"]["matchingRules"]["body"] = rules
    return pact


def _fields(pact: dict[str, Any]) -> list[dict[str, Any]]:
    return import_pact(pact, file="p.json")["interactions"][0]["response"]["body"]["fields"]


@pytest.mark.parametrize(
    "rules",
    [
        {"$.id": TYPE, "$['id']": DIGITS},
        {"$['id']": DIGITS, "$.id": TYPE},
        {"$.*.b": TYPE, "$.a.*": DIGITS},
    ],
    ids=["dot-then-bracket", "bracket-then-dot", "star-either-side"],
)
def test_equally_specific_rules_that_differ_are_refused(rules: dict[str, Any]) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(_with(rules), file="p.json")
    assert info.value.code == "pact-ambiguous-rule"
    assert info.value.file == "p.json"


def test_one_rule_spelt_twice_is_the_rule() -> None:
    fields = _fields(_with({"$.id": DIGITS, "$['id']": DIGITS}))
    assert {"path": "$.id", "match": "regex", "regex": "\\d+"} in [
        {k: f[k] for k in ("path", "match", "regex") if k in f} for f in fields
    ]


def test_a_more_specific_rule_still_wins() -> None:
    fields = _fields(_with({"$.*": TYPE, "$.id": DIGITS}))
    [by_id] = [f for f in fields if f["path"] == "$.id"]
    assert by_id["match"] == "regex"
