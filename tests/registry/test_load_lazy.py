"""``Registry.load`` lists old published versions without reading them and reads and
checks one on first use; with ``check_all`` it checks every version and keeps only the
checked bytes of old versions that need no other document, parsed on first use. What
it refuses (at load or at first use), what it returns and what a version's document,
bundle and validator are stay exactly those of a full load."""

from __future__ import annotations

import json
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_07, DRAFT_2020_12, add_contract, lock_line, write
from accord.core.frozen import is_frozen
from accord.errors import InvalidReference, RegistryError, VersionNotFound
from accord.registry import model as registry_module
from accord.registry.model import (
    _RAW_SLOT,
    ContractVersion,
    Registry,
    _build,
    _deferred,
    _stored_document,
    _Written,
)

MONEY: dict[str, Any] = {
    "$schema": DRAFT_2020_12,
    "$defs": {"cents": {"type": "integer"}},
    "type": "object",
    "properties": {"amount": {"$ref": "#/$defs/cents"}},
}


def _money(minimum: int) -> dict[str, Any]:
    document = json.loads(json.dumps(MONEY))
    document["$defs"]["cents"]["minimum"] = minimum
    return document


def _lock(root: Path, *pairs: tuple[str, str]) -> None:
    lines = sorted(lock_line(root, c, v) for c, v in pairs)
    write(root / "accord.lock", "".join(f"{line}\n" for line in lines))


def _unparsed(version: ContractVersion) -> bool:
    return type(_stored_document(version)).__name__ == "_Unparsed"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    add_contract(
        tmp_path,
        "common.money",
        {"1.0.0": _money(0), "1.1.0": _money(1), "1.2.0": _money(2), "1.3.0": _money(3)},
    )
    order = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {"cents": {"$ref": "accord://common.money@1.0.0#/$defs/cents"}},
    }
    add_contract(tmp_path, "orders.placed", {"1.0.0": order, "2.0.0": {**order, "required": []}})
    old = {"$schema": DRAFT_07, "definitions": {"a": {"type": "string"}}, "$ref": "#/definitions/a"}
    add_contract(tmp_path, "legacy.thing", {"1.0.0": old, "1.1.0": {"type": "object"}})
    _lock(
        tmp_path,
        *[("common.money", v) for v in ("1.0.0", "1.1.0", "1.2.0")],  # 1.3.0: a draft
        ("orders.placed", "1.0.0"),
        ("orders.placed", "2.0.0"),
        ("legacy.thing", "1.0.0"),
        ("legacy.thing", "1.1.0"),
    )
    return tmp_path


def test_old_self_contained_versions_keep_only_their_bytes(root: Path) -> None:
    registry = Registry.load(root, check_all=True)
    unparsed = {v.ref for v in registry.versions() if _unparsed(v)}
    # Latest releases too (1.2.0, legacy.thing@1.1.0); 1.3.0 is a draft (not locked:
    # checked in full, kept); 1.0.0 is parsed again: orders.placed refers into it.
    # orders.placed's versions refer to another document, legacy.thing@1.0.0 is draft-07.
    assert unparsed == {"common.money@1.1.0", "common.money@1.2.0", "legacy.thing@1.1.0"}


def test_old_published_versions_are_only_listed(root: Path) -> None:
    registry = Registry.load(root)
    listed = {v.ref for v in registry.versions() if _deferred(v) is not None}
    # Read: each latest release, the draft common.money@1.3.0 (no lock line), and
    # common.money@1.0.0, which the latest orders.placed refers to.
    assert listed == {"common.money@1.1.0", "orders.placed@1.0.0", "legacy.thing@1.0.0"}
    assert [str(v.version) for v in registry.contract("common.money").versions] == [
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "1.3.0",
    ]


def test_the_walk_for_referenced_versions_skips_self_contained_ones(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A version whose every $ref stays inside it (settled at read) refers to no other
    # version: only the others are resolved to find what must be read at load.
    sources: list[str] = []
    real = registry_module._ref_target

    def spying(index: Any, source: ContractVersion, *args: Any) -> Any:
        sources.append(source.ref)
        return real(index, source, *args)

    monkeypatch.setattr(registry_module, "_ref_target", spying)
    registry = Registry.load(root)
    assert "common.money@1.2.0" not in sources  # self-contained: "#/$defs/cents"
    assert "orders.placed@2.0.0" in sources  # refers to common.money@1.0.0: read
    assert _deferred(registry.get("common.money@1.0.0")) is None


def test_a_listed_version_is_read_once_on_first_use(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = registry_module._read_version_bytes

    def counting(path: Any, *, file: str, settings: Any, **options: Any) -> bytes:
        reads.append(file)
        return real(path, file=file, settings=settings, **options)

    monkeypatch.setattr(registry_module, "_read_version_bytes", counting)
    registry = Registry.load(root)
    assert "common/money/1.1.0.schema.json" not in reads
    version = registry.get("common.money@1.1.0")
    assert version.document == _money(1)
    assert version.raw == (root / "common/money/1.1.0.schema.json").read_bytes()
    assert version.digest == registry.lock[("common.money", version.version)]
    assert reads.count("common/money/1.1.0.schema.json") == 1
    assert _deferred(version) is None
    # Held once: bytes that are the document written back are not kept twice.
    assert type(_RAW_SLOT.__get__(version, ContractVersion)) is _Written


def test_a_lazy_load_hands_out_what_a_full_load_does(root: Path) -> None:
    lazy = Registry.load(root)
    full, problems = _build(root, lint=False, trust_lock=True)
    assert problems == []
    assert lazy.problems == full.problems
    assert [v.ref for v in lazy.versions()] == [v.ref for v in full.versions()]
    for mine, theirs in zip(lazy.versions(), full.versions(), strict=True):
        assert mine == theirs
        assert mine.document == theirs.document
        assert is_frozen(mine.document)
        assert mine.document is mine.document  # parsed once, then shared
        assert lazy.bundle(mine) == full.bundle(theirs)
        assert not _unparsed(mine)


@pytest.mark.parametrize("check_all", [True, False], ids=["unparsed", "listed"])
def test_a_version_is_parsed_once_across_threads(root: Path, check_all: bool) -> None:
    version = Registry.load(root, check_all=check_all).get("common.money@1.1.0")
    assert _unparsed(version) if check_all else _deferred(version) is not None
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(version.document)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(document) for document in seen}) == 1


def test_an_unparsed_version_pickles_and_replaces(root: Path) -> None:
    version = Registry.load(root).get("common.money@1.1.0")
    copy = pickle.loads(pickle.dumps(version))
    assert copy == version
    assert copy.document == version.document
    with pytest.raises(TypeError, match="document"):
        ContractVersion(  # type: ignore[call-arg]
            contract_id=version.contract_id,
            version=version.version,
            path=version.path,
            file=version.file,
            raw=version.raw,
        )


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (
            {"$schema": DRAFT_2020_12, "properties": {"a": {"$ref": "#/$defs/nope"}}},
            "ref-unresolvable",
        ),
        (
            {"$schema": "https://example.com/my-dialect", "type": "object"},
            "schema-dialect-unsupported",
        ),
        ({"$schema": DRAFT_2020_12, "enum": list(range(1001))}, "schema-too-complex"),
        ({"$schema": DRAFT_2020_12, "$ref": "accord://common.money@1.0.0"}, None),
    ],
    ids=["dangling-local-ref", "unknown-dialect", "over-budget", "fine"],
)
def test_an_old_version_is_refused_as_a_full_load_refuses_it(
    root: Path, document: dict[str, Any], code: str | None
) -> None:
    add_contract(root, "common.money", {"0.9.0": document})
    _lock(
        root,
        *[("common.money", v) for v in ("0.9.0", "1.0.0", "1.1.0", "1.2.0")],
        ("orders.placed", "1.0.0"),
        ("orders.placed", "2.0.0"),
        ("legacy.thing", "1.0.0"),
        ("legacy.thing", "1.1.0"),
    )
    _registry, expected = _build(root, lint=False, trust_lock=True)
    registry = Registry.load(root)  # 0.9.0 is only listed
    if code is None:
        assert [p for p in expected if p.severity == "error"] == []
        Registry.load(root, check_all=True)
        assert registry.get("common.money@0.9.0").document == document
        return
    assert code in {p.code for p in expected}
    with pytest.raises(RegistryError) as caught:
        Registry.load(root, check_all=True)
    assert list(caught.value.problems) == expected
    for use in range(2):  # refused on its first use and on every later one
        with pytest.raises(RegistryError) as used:
            registry.get("common.money@0.9.0").document
        assert list(used.value.problems) == expected, use
        assert (used.value.code, used.value.file, used.value.pointer) == (
            caught.value.code,
            caught.value.file,
            caught.value.pointer,
        )
    with pytest.raises(RegistryError) as verified:
        registry.verify_all()
    assert list(verified.value.problems) == expected


def test_a_cycle_through_an_old_version_is_still_found(tmp_path: Path) -> None:
    a = {"$schema": DRAFT_2020_12, "$defs": {"x": {"$ref": "accord://ns.b@1.0.0#/$defs/y"}}}
    b = {"$schema": DRAFT_2020_12, "$defs": {"y": {"$ref": "accord://ns.a@1.0.0#/$defs/x"}}}
    add_contract(tmp_path, "ns.a", {"1.0.0": a, "1.1.0": {"type": "object"}})
    add_contract(tmp_path, "ns.b", {"1.0.0": b, "1.1.0": {"type": "object"}})
    _registry, expected = _build(tmp_path, lint=False, trust_lock=True)
    assert "schema-ref-cycle" in {p.code for p in expected}
    with pytest.raises(RegistryError) as caught:
        Registry.load(tmp_path)
    assert list(caught.value.problems) == expected


def test_a_cycle_through_listed_versions_is_found_on_first_use(tmp_path: Path) -> None:
    a = {"$schema": DRAFT_2020_12, "$defs": {"x": {"$ref": "accord://ns.b@1.0.0#/$defs/y"}}}
    b = {"$schema": DRAFT_2020_12, "$defs": {"y": {"$ref": "accord://ns.a@1.0.0#/$defs/x"}}}
    add_contract(tmp_path, "ns.a", {"1.0.0": a, "1.1.0": {"type": "object"}})
    add_contract(tmp_path, "ns.b", {"1.0.0": b, "1.1.0": {"type": "object"}})
    _lock(tmp_path, *[(c, v) for c in ("ns.a", "ns.b") for v in ("1.0.0", "1.1.0")])
    with pytest.raises(RegistryError) as full:
        Registry.load(tmp_path, check_all=True)
    assert "schema-ref-cycle" in {p.code for p in full.value.problems}
    for first, then in (("ns.a", "ns.b"), ("ns.b", "ns.a")):
        registry = Registry.load(tmp_path)  # both 1.0.0 only listed
        for ref in (f"{first}@1.0.0", f"{then}@1.0.0"):
            with pytest.raises(RegistryError) as used:
                registry.get(ref).document
            assert used.value.problems == full.value.problems


def test_an_exact_pin_is_the_version_a_parsed_reference_selects(root: Path) -> None:
    registry = Registry.load(root)
    for version in registry.versions():
        for spelling in (version.ref, version.uri):
            assert registry.get(spelling) is version
        contract = registry.contract(version.contract_id)
        assert registry.get(f" {version.ref}".strip()) is contract.version(version.version)
    assert registry.get("common.money@1.3.0").draft  # a draft: only an exact pin reaches it
    assert registry.get("common.money").version == registry.get("common.money@^1").version
    with pytest.raises(VersionNotFound):
        registry.get("common.money@9.9.9")
    with pytest.raises(InvalidReference):
        registry.get("Common.Money@1.0.0")
