"""Loading for use trusts versions locked with their exact bytes; nothing else does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import add_contract, lock_line, write
from accord.errors import RegistryError
from accord.gate.lint import lint
from accord.registry.model import Registry, _build

DRAFT = "https://json-schema.org/draft/2020-12/schema"
GOOD: dict[str, Any] = {"$schema": DRAFT, "type": "object"}
# Invalid under the metaschema and with an unknown keyword: two per-document problems.
BAD: dict[str, Any] = {"$schema": DRAFT, "type": "object", "minProperties": -1, "colour": 1}
PER_DOCUMENT = {"schema-metaschema", "schema-unknown-keyword"}


def _codes(problems: Any) -> set[str]:
    return {p.code for p in problems}


@pytest.fixture
def locked_bad(tmp_path: Path) -> Path:
    add_contract(tmp_path, "orders.placed", {"1.0.0": BAD, "1.1.0": GOOD})
    lines = [lock_line(tmp_path, "orders.placed", v) for v in ("1.0.0", "1.1.0")]
    write(tmp_path / "accord.lock", "".join(f"{line}\n" for line in sorted(lines)))
    return tmp_path


def test_load_trusts_a_version_locked_with_its_exact_bytes(locked_bad: Path) -> None:
    registry = Registry.load(locked_bad)
    assert str(registry.get("orders.placed@1.0.0").version) == "1.0.0"


def test_lint_and_the_gate_check_locked_versions_in_full(locked_bad: Path) -> None:
    assert _codes(lint(locked_bad).problems) >= PER_DOCUMENT
    _registry, problems = _build(locked_bad, lint=False)  # what accord check runs
    assert _codes(problems) >= PER_DOCUMENT


def test_unpublished_versions_are_checked_with_every_problem(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.placed", {"1.0.0": GOOD, "1.1.0": BAD})
    write(tmp_path / "accord.lock", lock_line(tmp_path, "orders.placed", "1.0.0") + "\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path)
    assert _codes(info.value.problems) >= PER_DOCUMENT


def test_an_edited_locked_version_is_checked_and_refused(locked_bad: Path) -> None:
    path = locked_bad / "orders" / "placed" / "1.0.0.schema.json"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(locked_bad, check_all=True)
    assert {"lock-digest-mismatch", *PER_DOCUMENT} <= _codes(info.value.problems)
    registry = Registry.load(locked_bad)  # 1.0.0 is old: read and refused on first use
    with pytest.raises(RegistryError) as used:
        registry.get("orders.placed@1.0.0").document
    assert used.value.problems == info.value.problems


def test_a_broken_lock_trusts_nothing(locked_bad: Path) -> None:
    lock = locked_bad / "accord.lock"
    lock.write_text(lock.read_text() + "not a lock line\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(locked_bad)
    assert {"lock-malformed", *PER_DOCUMENT} <= _codes(info.value.problems)


def test_trusted_load_resolves_and_bundles_like_a_full_load(tmp_path: Path) -> None:
    money = {"$schema": DRAFT, "type": "object", "$defs": {"cents": {"type": "integer"}}}
    order = {
        "$schema": DRAFT,
        "type": "object",
        "properties": {
            "total": {"$ref": "accord://common.money@1.0.0"},
            "cents": {"$ref": "accord://common.money@1.0.0#/$defs/cents"},
            "items": {"type": "array", "prefixItems": [{"$ref": "#/properties/cents"}]},
            "first": {"$ref": "#/properties/items/prefixItems/0"},
        },
    }
    add_contract(tmp_path, "common.money", {"1.0.0": money})
    add_contract(tmp_path, "orders.placed", {"1.0.0": order})
    unlocked = Registry.load(tmp_path).bundle("orders.placed@1.0.0")
    lines = [lock_line(tmp_path, c, "1.0.0") for c in ("common.money", "orders.placed")]
    write(tmp_path / "accord.lock", "".join(f"{line}\n" for line in sorted(lines)))
    assert Registry.load(tmp_path).bundle("orders.placed@1.0.0") == unlocked


def test_a_dangling_ref_is_refused_even_when_locked(tmp_path: Path) -> None:
    doc = {"$schema": DRAFT, "type": "object", "properties": {"a": {"$ref": "#/$defs/nope"}}}
    add_contract(tmp_path, "orders.placed", {"1.0.0": doc})
    write(tmp_path / "accord.lock", lock_line(tmp_path, "orders.placed", "1.0.0") + "\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path)
    assert "ref-unresolvable" in _codes(info.value.problems)
