"""A change inside a shared ``$defs`` entry names every consumer reading it, through
whichever ``$ref`` it reads it.

The engine reports a change once, at one instance path (``/billing/zip`` for
``$defs/Address/properties/zip`` reached from ``billing``, ``shipping`` and ``tags``).
Impact analysis matched consumers by that path alone, so a verified consumer reading
``$.shipping.zip`` was "does not read it" and ``check --consumers-only`` passed.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import locked_version, record_verified
from accord.consumers import Expectation, string
from accord.gate.check import check

CID = "users.user"
ADDRESS = {
    "type": "object",
    "properties": {"zip": {"type": "string"}, "street": {"type": "string"}},
    "required": ["zip", "street"],
}
V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {"Address": ADDRESS},
    "properties": {
        "billing": {"$ref": "#/$defs/Address"},
        "shipping": {"$ref": "#/$defs/Address"},
        "moves": {"type": "array", "items": {"$ref": "#/$defs/Address"}},
    },
    "required": ["billing", "shipping", "moves"],
}
ZIP_AN_INTEGER = copy.deepcopy(V1)
ZIP_AN_INTEGER["$defs"]["Address"]["properties"]["zip"] = {"type": "integer"}


def _registry(tmp_path: Path, path: str) -> Path:
    root = tmp_path / "contracts"
    (root / "users" / "user").mkdir(parents=True)
    (root / "users" / "user" / "contract.toml").write_text(
        'owner = "team"\nkind = "response"\nprovider = "users-service"\n', encoding="utf-8"
    )
    locked_version(root, CID, "1.0.0", V1)
    locked_version(root, CID, "1.1.0", ZIP_AN_INTEGER)
    Expectation("ship", name="users").reads(f"{CID}@^1").field(path, string("x")).write(root)
    record_verified(root)
    return root


@pytest.mark.parametrize("path", ["$.billing.zip", "$.shipping.zip", "$.moves[*].zip"])
def test_every_consumer_of_the_definition_is_named(tmp_path: Path, path: str) -> None:
    report = check(_registry(tmp_path, path), consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert "breaks ship" in messages


def test_a_consumer_of_another_field_of_the_definition_still_holds(tmp_path: Path) -> None:
    report = check(_registry(tmp_path, "$.shipping.street"), consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 0, messages
