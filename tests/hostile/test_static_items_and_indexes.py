"""An array read both item by item (``$.a[0]``) and as every item (``$.a[*]``).

The concrete check (provider verification, the stub) holds ``[*]``'s fields at every
item, the indexed ones too. The JSON Schema translation put the indexed fields in
``prefixItems`` and ``[*]``'s in ``items``, which JSON Schema applies only past the
prefix, so ``verify --static`` proved a provider whose first item breaks ``[*]``'s
fields (``1.5`` where every item is an integer), which ``verify --provider`` then
refused. As ``.*`` already covered the named keys, ``[*]`` now covers the indexes.
"""

from __future__ import annotations

from typing import Any

from accord.consumers._matchers import check_fields, translate
from accord.consumers._static import verify_body
from accord.validation.reference import is_valid

PROVIDER: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "a": {
            "type": "array",
            "minItems": 1,
            "prefixItems": [{"type": "number"}],
            "items": {"type": "integer"},
        }
    },
    "required": ["a"],
}
FIELDS = [
    {"path": "$.a[0]", "match": "like", "example": 1},
    {"path": "$.a[*]", "match": "integer"},
]


def test_the_first_item_fails_the_concrete_check() -> None:
    assert check_fields(FIELDS, {"a": [1.5]}, role="reads")


def test_static_verification_is_not_proven() -> None:
    outcome = verify_body(PROVIDER, FIELDS, "reads")
    assert outcome.verdict == "refuted", outcome
    assert outcome.witness is not None
    assert check_fields(FIELDS, outcome.witness, role="reads")


def test_the_translation_agrees_with_the_concrete_check() -> None:
    fields = [
        {"path": "$.a[*]", "match": "null"},
        {"path": "$.a[0]", "match": "any", "nullable": True},
    ]
    schema = translate(fields, role="reads").schema
    for payload in ({"a": [1]}, {"a": [None, 1]}, {"a": [None, None]}, {"a": []}):
        assert is_valid(schema, payload) == (not check_fields(fields, payload, role="reads")), (
            payload
        )


def test_an_array_every_item_of_which_is_an_integer_is_still_proven() -> None:
    array = {"type": "array", "minItems": 1, "items": {"type": "integer"}}
    provider = {**PROVIDER, "properties": {"a": array}}
    assert verify_body(provider, FIELDS, "reads").verdict == "proven"
