"""``accord import-openapi`` is all-or-nothing.

Every component is checked (schema, name, owner, the gate's verdict) before anything is
written: one bad component means no contract directory, no ``contract.toml``, no
version file and no lock line for any of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _openapi(tmp_path: Path, schemas: dict[str, Any]) -> Path:
    path = tmp_path / "api.json"
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    path.write_text(json.dumps(doc))
    return path


def _import(root: Path, source: Path, *extra: str) -> int:
    return main(
        ["import-openapi", str(source), "--namespace", "shop", "--registry", str(root), *extra]
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = tmp_path / "contracts"
    registry.mkdir()
    return registry


def test_one_invalid_component_writes_nothing(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _openapi(
        tmp_path,
        {
            "Alpha": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Beta": {"type": "object", "properties": {"b": {"type": "strin"}}},
        },
    )
    before = _tree(root)
    assert _import(root, source, "--owner", "team-a") == 2
    err = capsys.readouterr().err
    assert "nothing was published" in err
    assert "Beta" in err
    assert _tree(root) == before
    assert not list(root.iterdir())


def test_missing_owner_for_a_later_component_writes_nothing(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _openapi(tmp_path, {"Alpha": {"type": "object"}})
    assert _import(root, source, "--owner", "team-a") == 0
    # Alpha changes (it would be published first), Gamma is new and needs --owner.
    changed = {"type": "object", "properties": {"a": {"type": "string"}}}
    source = _openapi(tmp_path, {"Alpha": changed, "Gamma": {"type": "object"}})
    before = _tree(root)
    assert _import(root, source) == 2
    assert "--owner" in capsys.readouterr().err
    assert _tree(root) == before


FIRST = {
    "Alpha": {"type": "object", "properties": {"a": {"type": "string"}}},
    "Beta": {"type": "object", "properties": {"b": {"type": "string"}}},
}


def test_a_refused_component_publishes_none(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(root, _openapi(tmp_path, FIRST), "--owner", "team-a") == 0
    # Alpha gains a property (publishable), Beta's contract is retired (refused).
    toml = root / "shop" / "beta" / "contract.toml"
    toml.write_text(toml.read_text() + 'status = "retired"\n')
    before = _tree(root)
    second = {
        "Alpha": {"type": "object", "properties": {"a": {"type": "string"}, "c": {}}},
        "Beta": {"type": "object", "properties": {"b": {"type": "integer"}}},
        "Delta": {"type": "object"},
    }
    code = _import(root, _openapi(tmp_path, second), "--owner", "team-a")
    assert code == 2
    assert "retired" in capsys.readouterr().err
    assert _tree(root) == before


def test_a_gate_refusal_publishes_none(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(root, _openapi(tmp_path, FIRST), "--owner", "team-a") == 0
    before = _tree(root)
    # Alpha gains a property (publishable); Beta removes one that was never deprecated.
    second = {
        "Alpha": {"type": "object", "properties": {"a": {"type": "string"}, "c": {}}},
        "Beta": {"type": "object", "properties": {}},
        "Delta": {"type": "object"},
    }
    capsys.readouterr()
    code = _import(root, _openapi(tmp_path, second), "--owner", "team-a", "--format", "json")
    assert code == 1
    imported = {r["component"]: r for r in json.loads(capsys.readouterr().out)["imported"]}
    assert {c: r["status"] for c, r in imported.items()} == dict.fromkeys(second, "refused")
    assert "all of its components or none" in imported["Alpha"]["message"]
    assert _tree(root) == before
