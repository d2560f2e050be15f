"""Small registries for the distribution tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from _registry_builders import add_contract, lock_line, write

TOML = 'owner = "shop"\nkind = "event"\nmode = "none"\n'

V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "amount": {"type": "number"}},
    "required": ["id", "amount"],
    "additionalProperties": False,
}
V1_1: dict[str, Any] = {
    **V1,
    "properties": {**V1["properties"], "note": {"type": "string"}},
}
V2: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "amount_cents": {"type": "integer"}},
    "required": ["id", "amount_cents"],
    "additionalProperties": False,
}
V3: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "total": {
            "type": "object",
            "properties": {"cents": {"type": "integer"}, "currency": {"const": "EUR"}},
            "required": ["cents", "currency"],
            "additionalProperties": False,
        },
    },
    "required": ["id", "total"],
    "additionalProperties": False,
}


def make_registry(
    root: Path, *, versions: dict[str, Any] | None = None, publish: bool = True
) -> Path:
    """``shop.order`` with 1.0.0, 1.1.0, 2.0.0, 3.0.0 (all published by default)."""
    versions = versions or {"1.0.0": V1, "1.1.0": V1_1, "2.0.0": V2, "3.0.0": V3}
    add_contract(root, "shop.order", versions, toml=TOML)
    if publish:
        lines = sorted(lock_line(root, "shop.order", v) for v in versions)
        write(root / "accord.lock", "".join(line + "\n" for line in lines))
    return root
