"""Invariants of the example registry in ``contracts/`` (used by demos and other tests)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from accord.core import jsondoc as _jsondoc
from accord.gate.lint import lint
from accord.registry.model import Registry
from accord.validation import reference as _reference

ROOT = Path(__file__).resolve().parents[2] / "contracts"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
RESERVED = {"consumers", "verifications", "environments"}
NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
CONTRACT_KEYS = {"owner", "provider", "kind", "mode", "status", "description", "tags", "yanked"}
KINDS = {"event", "request", "response", "record"}
MODES = {
    "backward",
    "forward",
    "full",
    "backward-transitive",
    "forward-transitive",
    "full-transitive",
    "none",
}

CONTRACT_DIRS = sorted(
    p.parent for p in ROOT.glob("*/*/contract.toml") if p.parent.parent.name not in RESERVED
)
VERSION_FILES = sorted(ROOT.glob("*/*/*.schema.json"))
EXAMPLE_FILES = sorted(ROOT.glob("*/*/examples/*/*/*.json"))


def _contract_id(directory: Path) -> str:
    return f"{directory.parent.name}.{directory.name}"


def _version_of(path: Path) -> str:
    return path.name.removesuffix(".schema.json")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_registry_has_enough_variety() -> None:
    namespaces = {d.parent.name for d in CONTRACT_DIRS}
    assert len(CONTRACT_DIRS) >= 6
    assert len(namespaces) >= 3
    assert len(VERSION_FILES) >= 10


@pytest.mark.parametrize("directory", CONTRACT_DIRS, ids=_contract_id)
def test_contract_toml_is_well_formed(directory: Path) -> None:
    meta = tomllib.loads((directory / "contract.toml").read_text(encoding="utf-8"))
    assert NAME.match(directory.parent.name)
    assert NAME.match(directory.name)
    assert set(meta) <= CONTRACT_KEYS, set(meta) - CONTRACT_KEYS
    assert isinstance(meta["owner"], str)
    assert meta["owner"]
    assert meta["kind"] in KINDS
    assert meta.get("mode", "full") in MODES
    assert all(isinstance(tag, str) for tag in meta.get("tags", []))
    assert list(directory.glob("*.schema.json")), "a contract without versions"


@pytest.mark.parametrize("path", VERSION_FILES, ids=_rel)
def test_version_file_is_canonical_2020_12(path: Path) -> None:
    assert SEMVER.match(_version_of(path))
    doc = _jsondoc.load_path(path)
    assert doc["$schema"] == DIALECT
    assert doc["type"] == "object"
    assert doc["title"]
    assert doc["description"]
    assert path.read_bytes() == _jsondoc.canonical_dumps(doc).encode("utf-8")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_rel)
def test_example_is_strict_canonical_json(path: Path) -> None:
    kind = path.parent.name
    version = path.parent.parent.name
    assert kind in {"valid", "invalid"}
    assert (path.parents[3] / f"{version}.schema.json").is_file(), "example for a missing version"
    doc = _jsondoc.load_path(path)
    assert path.read_bytes() == _jsondoc.canonical_dumps(doc).encode("utf-8")


def _lock() -> list[str]:
    return (ROOT / "accord.lock").read_text(encoding="utf-8").splitlines()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_lock_is_sorted_and_lists_every_version_with_its_digest() -> None:
    lines = _lock()
    assert lines == sorted(lines)
    expected = sorted(
        f"{_contract_id(p.parent)} {_version_of(p)} sha256:{_sha256(p)}" for p in VERSION_FILES
    )
    assert lines == expected


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


@pytest.mark.parametrize("path", VERSION_FILES, ids=_rel)
def test_refs_stay_inside_the_registry(path: Path) -> None:
    published = {" ".join(line.split()[:2]) for line in _lock()}
    for ref in _refs(_jsondoc.load_path(path)):
        if ref.startswith("#"):
            continue
        assert ref.startswith("accord://"), ref
        contract, _, version = ref.removeprefix("accord://").partition("@")
        assert f"{contract} {version}" in published, ref


def test_orders_history_has_minor_steps_and_one_major() -> None:
    versions = sorted(
        (
            tuple(int(x) for x in _version_of(p).split("."))
            for p in VERSION_FILES
            if "order-placed" in str(p)
        ),
    )
    assert versions == [(1, 0, 0), (1, 1, 0), (1, 2, 0), (2, 0, 0)]
    old = _jsondoc.load_path(ROOT / "orders/order-placed/1.2.0.schema.json")
    new = _jsondoc.load_path(ROOT / "orders/order-placed/2.0.0.schema.json")
    assert "name" in old["$defs"]["customer"]["properties"]
    assert "name" not in new["$defs"]["customer"]["properties"]


# --- through the library: the registry loads, lints clean, and the examples hold ---------


def test_registry_loads_cleanly() -> None:
    registry = Registry.load(ROOT)
    assert registry.problems == ()
    assert set(registry.contracts) == {_contract_id(d) for d in CONTRACT_DIRS}


def test_registry_lints_clean() -> None:
    report = lint(ROOT)
    assert [str(p) for p in report.problems] == []
    assert report.ok


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_rel)
def test_examples_agree_with_their_schema(path: Path) -> None:
    registry = Registry.load(ROOT)
    contract = _contract_id(path.parents[3])
    schema = registry.bundle(f"{contract}@{path.parent.parent.name}")
    expected = path.parent.name == "valid"
    assert _reference.is_valid(schema, _jsondoc.load_path(path)) is expected
