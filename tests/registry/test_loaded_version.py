"""The loader builds each ``ContractVersion`` by setting its slots (``_loaded_version``),
not through the generated ``__init__``: what it builds must be exactly what
``__init__`` builds, slot for slot, whatever the document is (a plain one is frozen, a
marker is kept as it is)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.core.frozen import FrozenDict
from accord.registry import model
from accord.registry.model import ContractVersion
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
