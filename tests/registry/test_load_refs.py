"""Loading resolves every ``$ref`` at a schema position and nothing else: a ``$ref``
key inside a ``const``/``enum``/``examples`` value is data, whether or not it would
resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.errors import RegistryError
from accord.registry.model import Registry

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _root(tmp_path: Path, document: dict[str, Any]) -> Path:
    root = tmp_path / "contracts"
    directory = root / "ns" / "thing"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    (directory / "1.0.0.schema.json").write_text(json.dumps({"$schema": DRAFT, **document}))
    return root


@pytest.mark.parametrize(
    "document",
    [
        {"const": {"$ref": "https://example.com/remote.json"}},
        {"enum": [{"$ref": "#/nowhere"}]},
        {"examples": [{"$ref": "accord://ns.missing@1.0.0"}], "type": "object"},
        {"properties": {"a": {"const": {"$ref": "../../../escape.json"}}}},
    ],
    ids=["const-remote", "enum-dangling", "examples-missing", "nested-const-escape"],
)
def test_a_ref_key_in_data_is_not_a_reference(tmp_path: Path, document: dict[str, Any]) -> None:
    registry = Registry.load(_root(tmp_path, document))
    assert [p.code for p in registry.problems] == []


@pytest.mark.parametrize(
    ("document", "code", "pointer"),
    [
        (
            {"const": {"$ref": "#/x"}, "properties": {"a": {"$ref": "#/nowhere"}}},
            "ref-unresolvable",
            "/properties/a/$ref",
        ),
        ({"allOf": [{"$ref": "https://example.com/x.json"}]}, "ref-remote", "/allOf/0/$ref"),
        ({"items": {"$ref": "../../../escape.json"}}, "ref-escapes-root", "/items/$ref"),
        (
            {"$defs": {"a": {"$ref": "accord://ns.thing@^1"}}},
            "ref-range-not-allowed",
            "/$defs/a/$ref",
        ),
    ],
    ids=["dangling-beside-data", "remote", "escape", "range"],
)
def test_a_ref_at_a_schema_position_must_resolve(
    tmp_path: Path, document: dict[str, Any], code: str, pointer: str
) -> None:
    with pytest.raises(RegistryError) as caught:
        Registry.load(_root(tmp_path, document))
    found = [(p.code, p.pointer) for p in caught.value.problems if p.severity == "error"]
    assert found == [(code, pointer)]
