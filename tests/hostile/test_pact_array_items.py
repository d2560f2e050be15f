"""Every item of an array under a Pact rule is checked, not only the example's items.

The Pact verifiers compare an answered array longer than the example item by item,
each item past the example against its first item (pact-rust pads the expected list
with it). accord reads the example's first item as ``$.items[*]`` under a single
``type`` rule with ``min``/``max``; under any other rule that cascades to the items
(``notEmpty``, or bounds combined with ``AND``/``OR``) it read them by index
(``$.items[0].id``), so an item past the example's length was never checked: a provider
answering ``[{"id": 1}, {"name": "x"}]`` passed where the Pact verifier fails it.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._matchers import check_fields
from accord.consumers._pact import import_pact

RULES = {
    "type-min-max": {"matchers": [{"match": "type", "min": 1, "max": 5}]},
    "type-min-and-type-max": {
        "combine": "AND",
        "matchers": [{"match": "type", "min": 1}, {"match": "type", "max": 5}],
    },
    "type-min-or-type-max": {
        "combine": "OR",
        "matchers": [{"match": "type", "min": 1}, {"match": "type", "max": 0}],
    },
    "not-empty": {"matchers": [{"match": "notEmpty"}]},
}


def _fields(rule: dict[str, Any]) -> list[dict[str, Any]]:
    pact = {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "interactions": [
            {
                "description": "list users",
                "request": {"method": "GET", "path": "/users"},
                "response": {
                    "status": 200,
                    "body": {"items": [{"id": 1}]},
                    "matchingRules": {"body": {"$.items": rule}},
                },
            }
        ],
    }
    (interaction,) = import_pact(pact)["interactions"]
    fields: list[dict[str, Any]] = interaction["response"]["body"]["fields"]
    return fields


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
@pytest.mark.parametrize(
    "items",
    [[{"id": 1}, {"name": "x"}], [{"id": 1}, {"id": "two"}], [{"id": 1}, 2]],
    ids=["key-missing", "wrong-type", "not-an-object"],
)
def test_an_item_past_the_example_is_checked(rule: dict[str, Any], items: list[Any]) -> None:
    assert check_fields(_fields(rule), {"items": items}, role="reads") != []


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_items_like_the_example_pass(rule: dict[str, Any]) -> None:
    body = {"items": [{"id": 1}, {"id": 2}, {"id": 3, "extra": True}]}
    assert check_fields(_fields(rule), body, role="reads") == []
