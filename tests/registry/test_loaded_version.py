"""The loader builds each ``ContractVersion`` by setting its slots (``_loaded_version``),
not through the generated ``__init__``: what it builds must be exactly what
``__init__`` builds, slot for slot, whatever the document is (a plain one is frozen, a
marker is kept as it is)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import add_contract
from accord.core.frozen import FrozenDict
from accord.registry import model
from accord.registry.model import ContractVersion, Registry
from accord.versions import Version

# Each field's own slot (three fields read theirs through a descriptor of their own).
SLOTS = {
    **{name: ContractVersion.__dict__[name] for name in ContractVersion.__slots__},
    "path": model._PATH_SLOT,
    "raw": model._RAW_SLOT,
    "document": model._DOCUMENT_SLOT,
}


def _slots(version: ContractVersion) -> dict[str, Any]:
    """What each slot holds: every one must be set (an unset slot raises here)."""
    return {name: slot.__get__(version, ContractVersion) for name, slot in SLOTS.items()}


def _documents() -> list[Any]:
    unparsed = object.__new__(model._Unparsed)
    deferred = object.__new__(model._Deferred)
    return [{"type": "object", "a": [1, {"b": None}]}, unparsed, deferred]


@pytest.mark.parametrize("document", _documents(), ids=["plain", "unparsed", "deferred"])
@pytest.mark.parametrize("yanked", [None, "broken"])
def test_loaded_version_is_what_init_builds(document: Any, yanked: str | None) -> None:
    version = Version.parse("1.2.3-rc.1")
    raw = b'{"type": "object"}'
    built = ContractVersion(
        contract_id="orders.c0",
        version=version,
        path=Path("/r/orders/c0/1.2.3-rc.1.schema.json"),
        file="orders/c0/1.2.3-rc.1.schema.json",
        raw=raw,
        document=document,
        yanked=yanked,
    )
    object.__setattr__(built, "_digest", "sha256:" + "0" * 64)
    loaded = model._loaded_version(
        "orders.c0",
        version,
        "/r/orders/c0/1.2.3-rc.1.schema.json",
        "orders/c0/1.2.3-rc.1.schema.json",
        raw,
        document=document,
        yanked=yanked,
        digest="sha256:" + "0" * 64,
    )
    assert type(loaded) is ContractVersion
    assert _slots(loaded) == _slots(built)
    if type(document) is dict:
        assert type(_slots(loaded)["document"]) is FrozenDict
    else:
        assert _slots(loaded)["document"] is document


def test_a_ref_kept_at_load_is_the_one_ref_computes() -> None:
    version = Version.parse("1.2.3-rc.1")
    built = ContractVersion(
        contract_id="orders.c0",
        version=version,
        path=Path("/r/orders/c0/1.2.3-rc.1.schema.json"),
        file="orders/c0/1.2.3-rc.1.schema.json",
        raw=b"{}",
        document={},
    )
    assert built.ref == "orders.c0@1.2.3-rc.1"  # computed, and kept in its slot
    loaded = model._loaded_version(
        "orders.c0",
        version,
        "/r/orders/c0/1.2.3-rc.1.schema.json",
        "orders/c0/1.2.3-rc.1.schema.json",
        b"{}",
        document={},
        yanked=None,
        digest=None,
        ref="orders.c0@1.2.3-rc.1",
    )
    assert _slots(loaded) == _slots(built)


def test_the_loader_spells_each_ref_as_the_version_spells_itself(tmp_path: Path) -> None:
    # The loader takes a version's ref from its file name, which it only accepts when
    # the name is the version's own spelling (_canonical_version).
    names = ["0.1.0", "1.0.0-rc.1", "1.0.0-alpha.beta.10", "1.0.0", "10.20.30"]
    add_contract(tmp_path, "ns.c", {name: {"type": "object"} for name in names})
    registry = Registry.load(tmp_path)
    versions = list(registry.versions())
    assert len(versions) == len(names)
    for loaded in versions:
        kept = model.ContractVersion.__dict__["_ref"].__get__(loaded, ContractVersion)
        assert kept == f"{loaded.contract_id}@{loaded.version}"
