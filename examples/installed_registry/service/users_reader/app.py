"""Boot: find the registry, prove the model, validate a payload; print what was used.

``python -m users_reader.app`` prints one JSON line (the demo and its test read it).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

import accord
from accord.registry.discovery import registry_source


class User(BaseModel):
    """What this service reads of users.user (it ignores the rest)."""

    id: int
    name: str
    email: str


def boot() -> dict[str, Any]:
    """The startup check: fail fast, before taking traffic, naming the registry used."""
    source = registry_source()
    conformance = accord.require("users.user@^1", model=User, role="consumer")
    validator = accord.validator("users.user@^1")
    return {
        "registry": source.to_json(),
        "contract": str(conformance.version),
        "valid": validator.is_valid({"id": 1, "name": "Ada", "email": "ada@example.com"}),
        "invalid": validator.is_valid({"id": 0, "name": "", "email": "ada@example.com"}),
    }


if __name__ == "__main__":
    print(json.dumps(boot(), sort_keys=True))
