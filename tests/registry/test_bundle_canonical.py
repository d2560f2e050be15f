"""A bundle's deterministic key order: one sorted freeze gives what the canonical JSON
round trip gives, and documents it cannot copy exactly still take the round trip."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.core import jsondoc
from accord.core.frozen import is_frozen
from accord.registry.model import Registry, _own_bundle, _sorted_frozen

ROOT = Path(__file__).resolve().parents[2]


def _round_trip(document: Any) -> Any:
    return jsondoc.loads(jsondoc.sorted_dumps(document), max_bytes=None, max_depth=None)


def _order(value: Any) -> Any:
    """Key order at every level, as nested lists."""
    if isinstance(value, dict):
        return [(k, _order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_order(v) for v in value]
    return repr(value)


def test_sorted_freeze_is_the_round_trip_on_every_example_bundle() -> None:
    registry = Registry.load(ROOT / "contracts")
    for version in registry.versions():
        for document in (version.document, registry.bundle(version)):
            copy = _sorted_frozen(document)
            assert copy == _round_trip(document)
            assert _order(copy) == _order(_round_trip(document))
            assert is_frozen(copy)


@pytest.mark.parametrize(
    "document",
    [
        {"maximum": Decimal("1E+400")},
        {"a": [1, {"b": float("inf")}]},
    ],
    ids=["decimal", "infinity"],
)
def test_values_a_round_trip_would_change_are_left_to_it(document: Any) -> None:
    assert _sorted_frozen(document) is None


def test_keys_come_out_sorted_at_every_level() -> None:
    document = json.loads('{"z": {"y": 1, "b": [{"d": 1, "c": 2}]}, "a": true}')
    assert _order(_sorted_frozen(document)) == _order(_round_trip(document))
    assert list(_sorted_frozen(document)) == ["a", "z"]


def _registry(tmp_path: Path, documents: dict[str, Any], *, sort: bool = True) -> Registry:
    root = tmp_path / "contracts"
    for name, document in documents.items():
        directory = root / "ns" / name
        directory.mkdir(parents=True)
        (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
        (directory / "1.0.0.schema.json").write_text(json.dumps(document, sort_keys=sort))
    return Registry.load(root)


_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_UNSORTED = {"type": "object", "$schema": _DRAFT, "$comment": "keys written unsorted"}
_MONEY = {"properties": {"amount": {"type": "string"}}, "type": "object"}


@pytest.mark.parametrize(
    ("document", "own"),
    [
        (
            {"$schema": _DRAFT, "properties": {"a": {"$ref": "#/$defs/m"}}, "$defs": {"m": _MONEY}},
            True,
        ),
        ({"$schema": _DRAFT, "type": "object", "const": {"$id": "x"}}, False),
        ({"$schema": _DRAFT, "type": "object", "$id": "urn:x"}, False),
        (_UNSORTED, False),
        (
            {
                "$schema": _DRAFT,
                "properties": {"a": {"$ref": "#/%24defs/m"}},
                "$defs": {"m": _MONEY},
            },
            False,
        ),
        ({"$schema": _DRAFT, "properties": {"a": {"$ref": "accord://ns.other@1.0.0"}}}, False),
        ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}, False),
    ],
    ids=[
        "sorted-local-refs",
        "id-in-const",
        "id",
        "unsorted",
        "encoded-ref",
        "external",
        "draft-07",
    ],
)
def test_a_document_is_its_own_bundle_only_when_bundling_changes_nothing(
    tmp_path: Path, document: dict[str, Any], own: bool
) -> None:
    other = {"$schema": _DRAFT, "type": "string"}
    registry = _registry(tmp_path, {"main": document, "other": other}, sort=document != _UNSORTED)
    version = registry.get("ns.main@1.0.0")
    bundle = registry.bundle(version)
    assert (bundle is version.document) is own
    # The same answer from the loader's hint and from a walk of the document.
    assert (version._canonical_refs is not None) is (
        document is not _UNSORTED and "$id" not in json.dumps(document)
    )
    object.__setattr__(version, "_canonical_refs", None)
    assert _own_bundle(registry._index(), version) is own
    slow = _sorted_frozen(json.loads(json.dumps(bundle)))
    assert _order(bundle) == _order(slow)
    assert is_frozen(bundle)
