"""A Pact rule for one item of an array accord checks item by item as its first
(``$.items[*]``) is refused, never dropped.

Under a rule that reaches an array's items (a ``type`` rule, ``notEmpty``, bounds),
accord checks every item with the example's first item and the rules for ``[*]`` or
``[0]``. A rule for another index (``$.items[1].id``, written by pact-js for
``like([...])`` holding matchers) was never read: the item it names was checked with
the first item's rules instead (a regex for item 1 dropped, the pact's own example
refused, another value for item 1 passed).
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._pact import import_pact
from accord.errors import DocumentError


def _pact(rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "interactions": [
            {
                "description": "list users",
                "request": {"method": "GET", "path": "/users"},
                "response": {
                    "status": 200,
                    "body": {"items": [{"id": "A1"}, {"id": "b-2"}]},
                    "matchingRules": {"body": rules},
                },
            }
        ],
    }


TYPE = {"matchers": [{"match": "type"}]}
UPPER = {"matchers": [{"match": "regex", "regex": "[A-Z][0-9]"}]}
LOWER = {"matchers": [{"match": "regex", "regex": "[a-z]-[0-9]"}]}


@pytest.mark.parametrize(
    "rules",
    [
        {"$.items": TYPE, "$.items[0].id": UPPER, "$.items[1].id": LOWER},
        {"$.items": TYPE, "$.items[1].id": LOWER},
        {"$.items": TYPE, "$.items[5].id": LOWER},
        {"$.items": {"matchers": [{"match": "type", "min": 1}]}, "$['items'][1]['id']": LOWER},
    ],
    ids=["first-and-second", "second-only", "past-the-example", "bracket-notation"],
)
def test_a_rule_for_one_item_past_the_first_is_refused(rules: dict[str, Any]) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(_pact(rules), file="pacts/web-users.json")
    assert info.value.code == "pact-unsupported-rule"
    assert info.value.file == "pacts/web-users.json"


@pytest.mark.parametrize(
    "rules",
    [
        {"$.items": TYPE, "$.items[*].id": UPPER},
        {"$.items": TYPE, "$.items[0].id": UPPER},
        {"$.items[1].id": LOWER},  # no type rule: each item is read by its index
    ],
    ids=["every-item", "first-item", "by-index"],
)
def test_rules_accord_reads_still_import(rules: dict[str, Any]) -> None:
    import_pact(_pact(rules))
