"""A loaded registry is no reference cycle while it lives: what it left unread reaches
its index only weakly (``_Deferral``), so at interpreter exit the registry, its
documents and its validators go with their last reference, not at one more full pass of
the cyclic collector. A version taken from a registry that is dropped (not at exit)
still reads and checks on first use exactly as before."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, add_contract, lock_line, write
from accord.errors import RegistryError, UsageError
from accord.registry.model import Registry, _deferred
from accord.registry.runtime import validator

MONEY: dict[str, Any] = {
    "$schema": DRAFT_2020_12,
    "$defs": {"cents": {"type": "integer", "minimum": 0}},
    "type": "object",
    "properties": {"amount": {"$ref": "#/$defs/cents"}},
}
# Old versions that refer across documents: their first use resolves in the index.
ORDER: dict[str, Any] = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {"cents": {"$ref": "accord://common.money@1.0.0#/$defs/cents"}},
}
PUBLISHED = [
    ("common.money", "1.0.0"),
    ("common.money", "1.1.0"),
    ("orders.placed", "1.0.0"),
    ("orders.placed", "1.1.0"),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    add_contract(tmp_path, "common.money", {"1.0.0": MONEY, "1.1.0": {**MONEY, "title": "m"}})
    add_contract(tmp_path, "orders.placed", {"1.0.0": ORDER, "1.1.0": {**ORDER, "title": "o"}})
    lines = sorted(lock_line(tmp_path, c, v) for c, v in PUBLISHED)  # every one published
    write(tmp_path / "accord.lock", "".join(f"{line}\n" for line in lines))
    return tmp_path


@pytest.fixture
def collector_off(root: Path) -> Iterator[None]:
    enabled = gc.isenabled()
    _, old = _load_with_validators(root)  # imports and first-use caches, outside the count
    _ = old.document
    gc.disable()
    gc.collect()
    yield
    if enabled:
        gc.enable()


def _load_with_validators(root: Path) -> tuple[Registry, Any]:
    registry = Registry.load(root)
    for contract in registry:
        validator(contract.versions[-1].ref, registry=registry)
    old = registry.get("orders.placed@1.0.0")
    assert _deferred(old) is not None  # left unread by the load
    return registry, old


@pytest.mark.usefixtures("collector_off")
def test_a_registry_freed_at_exit_leaves_nothing_for_the_collector(root: Path) -> None:
    registry, old = _load_with_validators(root)
    del old
    registry.__del__(lambda: True)  # the interpreter is exiting
    del registry
    assert gc.collect() == 0


@pytest.mark.usefixtures("collector_off")
def test_a_version_outliving_its_registry_still_reads_and_checks(root: Path) -> None:
    registry, old = _load_with_validators(root)
    expected = Registry.load(root, check_all=True).get("orders.placed@1.0.0").document
    del registry
    gc.collect()
    assert old.document == expected  # resolved its $ref in the index the registry owned


class _App:
    """What a service may hold its registry in: an object in a reference cycle."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.me = self


def test_a_version_outliving_a_registry_collected_in_a_cycle_still_reads(root: Path) -> None:
    # The collector clears weak references into what it collects before any finaliser
    # runs: the registry hands its index over from its own memo, not through them.
    app = _App(Registry.load(root))
    old = app.registry.get("orders.placed@1.0.0")
    expected = Registry.load(root, check_all=True).get("orders.placed@1.0.0").document
    del app
    gc.collect()
    assert old.document == expected


def test_an_edited_version_is_refused_after_its_registry_is_dropped(root: Path) -> None:
    registry = Registry.load(root)
    old = registry.get("orders.placed@1.0.0")
    del registry
    gc.collect()
    file = root / "orders" / "placed" / "1.0.0.schema.json"
    file.write_text(file.read_text().replace("cents", "dollars"))
    with pytest.raises(RegistryError) as info:
        _ = old.document
    assert "lock-digest-mismatch" in {p.code for p in info.value.problems}


def test_a_first_use_after_its_registry_was_freed_at_exit_is_refused(root: Path) -> None:
    registry = Registry.load(root)
    old = registry.get("orders.placed@1.0.0")
    registry.__del__(lambda: True)
    del registry
    gc.collect()
    with pytest.raises(UsageError, match="freed as the interpreter exits"):
        _ = old.document


CHILD = """
import sys, accord
registry = accord.Registry.load(sys.argv[1])
kept = registry.get("orders.placed@1.0.0")
for contract in registry:
    accord.validator(contract.versions[-1].ref, registry=registry)
    accord.validator(contract.versions[-1].ref, registry=sys.argv[1])  # the runtime's cache
"""


def test_a_process_holding_registries_exits_cleanly(root: Path) -> None:
    # Registries freed at exit, after module globals may be cleared: nothing printed.
    src = str(Path(__file__).parents[2] / "src")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": src},
    )
    assert (done.returncode, done.stderr) == (0, "")
