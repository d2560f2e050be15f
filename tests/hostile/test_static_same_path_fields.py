"""Two fields at one path: static verification and the concrete check agree on null.

The concrete check (provider verification, the stub) holds every field at a location:
``nullable`` on one of them does not excuse a ``null`` the other rejects. The JSON
Schema translation made the whole location nullable when any field there was, so
``verify --static`` proved a provider that may send ``null`` (``type: [string, null]``)
which the concrete check, and so ``verify --provider``, then refused.
"""

from __future__ import annotations

from typing import Any

from accord.consumers._matchers import check_fields
from accord.consumers._static import verify_body

PROVIDER: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"name": {"type": ["string", "null"], "pattern": "^[A-Z][a-z]*$"}},
    "required": ["name"],
}
FIELDS = [
    {"path": "$.name", "match": "string", "nullable": True},
    {"path": "$.name", "match": "regex", "regex": "[A-Z].*"},
]


def test_null_fails_the_concrete_check() -> None:
    assert check_fields(FIELDS, {"name": None}, role="reads")


def test_static_verification_is_not_proven_and_names_null() -> None:
    outcome = verify_body(PROVIDER, FIELDS, "reads")
    assert outcome.verdict == "refuted", outcome
    assert outcome.witness == {"name": None}


def test_every_field_nullable_still_proves_null() -> None:
    fields = [{**f, "nullable": True} for f in FIELDS]
    provider = {**PROVIDER, "properties": {"name": {"type": ["null"]}}}
    assert verify_body(provider, fields, "reads").verdict == "proven"
    assert not check_fields(fields, {"name": None}, role="reads")
