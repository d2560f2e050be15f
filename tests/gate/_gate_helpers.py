"""Helpers for the gate tests: tiny registries, real git repositories, the CLI."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _registry_builders import (  # noqa: F401  (the shared git helpers, re-exported)
    commit_all,
    git,
    init_repo,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
CONTRACT_TOML = 'owner = "team-orders"\nkind = "event"\n'
GATE_MODULES = ("accord.cli._cmd_publish", "accord.cli._cmd_check")

BASE_SCHEMA: dict[str, Any] = {
    "$schema": DRAFT,
    "type": "object",
    "properties": {"id": {"type": "integer"}, "note": {"type": "string"}},
    "required": ["id"],
}


def schema(**changes: Any) -> dict[str, Any]:
    """``BASE_SCHEMA`` with properties added (a dict) or removed (``None``)."""
    document = copy.deepcopy(BASE_SCHEMA)
    for name, value in changes.items():
        if value is None:
            document["properties"].pop(name)
        else:
            document["properties"][name] = value
    return document


def make_contract(root: Path, contract_id: str, toml: str = CONTRACT_TOML) -> Path:
    namespace, name = contract_id.split(".")
    directory = root / namespace / name
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "contract.toml").write_text(toml, encoding="utf-8")
    return directory


def version_file(root: Path, contract_id: str, version: str) -> Path:
    namespace, name = contract_id.split(".")
    return root / namespace / name / f"{version}.schema.json"


def write_unpublished(root: Path, contract_id: str, version: str, document: Any) -> Path:
    """A version file written by hand (no ``accord publish``), plus its lock line."""
    import hashlib

    path = version_file(root, contract_id, version)
    raw = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
    path.write_bytes(raw)
    lock = root / "accord.lock"
    lines = lock.read_text().splitlines() if lock.exists() else []
    lines.append(f"{contract_id} {version} sha256:{hashlib.sha256(raw).hexdigest()}")
    lock.write_text("".join(f"{line}\n" for line in sorted(lines)))
    return path


def run_cli(argv: Sequence[str], capsys: Any) -> tuple[int, str, str]:
    """Run ``accord`` in-process with the gate's command modules registered."""
    from accord import cli

    modules = tuple(cli._COMMAND_MODULES)
    missing = tuple(m for m in GATE_MODULES if m not in modules)
    cli._COMMAND_MODULES = modules + missing  # type: ignore[misc]
    try:
        code = cli.main(list(argv))
    finally:
        cli._COMMAND_MODULES = modules  # type: ignore[misc]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def text_io() -> io.StringIO:
    return io.StringIO()
