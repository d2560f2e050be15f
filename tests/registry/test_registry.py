"""The registry loader: lookup, collected problems, immutability, discovery, the lock,
$ref resolution inside the root and bundling."""

# ruff: noqa: E501  (case tables keep one case per line)
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema

from _registry_builders import DRAFT_07, add_contract, lock_line, snapshot, write
from accord.core import jsondoc as _jsondoc
from accord.errors import (
    ContractNotFound,
    InvalidReference,
    LockError,
    RefError,
    RegistryError,
    VersionNotFound,
)
from accord.registry.config import RegistrySettings
from accord.registry.model import (
    Contract,
    ContractVersion,
    Registry,
    lock_text,
    read_lock,
    write_lock,
)
from accord.validation import reference as _reference
from accord.versions import Version

OBJ: dict[str, Any] = {"type": "object"}


def codes(error: RegistryError) -> list[tuple[str, str | None, str]]:
    return sorted((p.code, p.file, p.pointer) for p in error.problems)


def load_problems(root: Path) -> list[tuple[str, str | None, str]]:
    with pytest.raises(RegistryError) as info:
        Registry.load(root)
    return codes(info.value)


# -- lookup ----------------------------------------------------------------------------


@pytest.fixture
def history(tmp_path: Path) -> Path:
    versions = ["0.9.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0-rc.1", "2.0.0-beta.1"]
    add_contract(
        tmp_path,
        "orders.order-placed",
        dict.fromkeys(versions, OBJ),
        toml='owner = "a"\nkind = "event"\n[yanked]\n"1.2.0" = "wrong enum"\n',
    )
    return tmp_path


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        pytest.param("orders.order-placed", "1.1.0", id="latest-skips-yanked-and-pre"),
        pytest.param("orders.order-placed@^1", "1.1.0", id="caret-skips-yanked"),
        pytest.param("orders.order-placed@~1.0", "1.0.0", id="tilde"),
        pytest.param("orders.order-placed@>=0.9.0,<1", "0.9.0", id="comparators"),
        pytest.param("orders.order-placed@^0.9", "0.9.0", id="caret-zero"),
        pytest.param("orders.order-placed@1.2.0", "1.2.0", id="exact-pin-to-yanked-works"),
        pytest.param("orders.order-placed@1.3.0-rc.1", "1.3.0-rc.1", id="exact-pre"),
        pytest.param("orders.order-placed@^1.3.0-rc.1", "1.3.0-rc.1", id="range-naming-pre"),
        pytest.param("orders.order-placed@^2.0.0-beta.0", "2.0.0-beta.1", id="pre-same-triple"),
        pytest.param("accord://orders.order-placed@1.0.0", "1.0.0", id="uri"),
    ],
)
def test_get(history: Path, ref: str, expected: str) -> None:
    found = Registry.load(history).get(ref)
    assert str(found.version) == expected
    assert found.contract_id == "orders.order-placed"


@pytest.mark.parametrize(
    ("ref", "error", "fragment"),
    [
        pytest.param("orders.order-shipped@^1", ContractNotFound, "order-placed", id="contract-close-match"),
        pytest.param("orders.order-placed@^3", VersionNotFound, "1.2.0 (yanked)", id="no-match-lists-available"),
        pytest.param("orders.order-placed@1.0.1", VersionNotFound, "available: 0.9.0, 1.0.0", id="exact-missing"),
        pytest.param("orders.order-placed@>=1.2.0,<1.3.0", VersionNotFound, "1.2.0 (yanked)", id="only-yanked-matches"),
        pytest.param("orders.order-placed@^2", VersionNotFound, "2.0.0-beta.1", id="pre-not-matched-by-plain-range"),
        pytest.param("orders", InvalidReference, "namespace", id="bad-ref"),
    ],
)  # fmt: skip
def test_get_errors(history: Path, ref: str, error: type[Exception], fragment: str) -> None:
    registry = Registry.load(history)
    with pytest.raises(error) as info:
        registry.get(ref)
    assert fragment in str(info.value)
    if not isinstance(info.value, InvalidReference):
        assert info.value.ref == ref  # type: ignore[attr-defined]


def test_contract_and_iteration(history: Path) -> None:
    add_contract(history, "billing.invoice", {"1.0.0": OBJ})
    registry = Registry.load(history)
    assert list(registry.contracts) == ["billing.invoice", "orders.order-placed"]
    assert [c.id for c in registry] == ["billing.invoice", "orders.order-placed"]
    assert len(registry) == 2
    assert "billing.invoice" in registry
    contract = registry.contract("orders.order-placed")
    assert [str(v.version) for v in contract.versions] == [
        "0.9.0",
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "1.3.0-rc.1",
        "2.0.0-beta.1",
    ]
    assert contract.yanked == {Version.parse("1.2.0")}
    assert contract.version("1.2.0").yanked == "wrong enum"
    assert next(v.ref for v in registry.versions()) == "billing.invoice@1.0.0"
    with pytest.raises(ContractNotFound):
        registry.contract("billing.nope")


def test_version_fields(tmp_path: Path) -> None:
    add_contract(tmp_path, "common.money", {"1.0.0": '{"type": "object"}'})
    version = Registry.load(tmp_path).get("common.money@1.0.0")
    assert version.raw == b'{"type": "object"}'
    assert version.document == {"type": "object"}
    assert version.file == "common/money/1.0.0.schema.json"
    assert version.path == (tmp_path / "common/money/1.0.0.schema.json").resolve()
    assert version.uri == "accord://common.money@1.0.0"
    assert version.ref == "common.money@1.0.0"
    assert version.digest == (
        "sha256:" + __import__("hashlib").sha256(b'{"type": "object"}').hexdigest()
    )


# -- collected problems ----------------------------------------------------------------


def test_every_problem_is_collected(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": "{", "1.1.0": '{"a": 1, "a": 2}'})
    add_contract(tmp_path, "orders.b", {"1.0.0": OBJ}, toml='kind = "event"\n')
    add_contract(tmp_path, "orders.c", {"1.0.0": {"$ref": "https://example.com/x.json"}})
    write(tmp_path / "accord.toml", "mode = 3\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path)
    assert codes(info.value) == [
        ("config-invalid-value", "accord.toml", "/mode"),
        ("config-missing-key", "orders/b/contract.toml", "/owner"),
        ("json-duplicate-key", "orders/a/1.1.0.schema.json", ""),
        ("json-malformed", "orders/a/1.0.0.schema.json", ""),
        ("ref-remote", "orders/c/1.0.0.schema.json", "/$ref"),
    ]
    assert info.value.root == str(tmp_path)
    assert "5 problems" in str(info.value)


def test_warnings_stay_on_the_registry(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": {"type": "string", "format": "shoe-size"}})
    registry = Registry.load(tmp_path)
    assert [(p.code, p.severity) for p in registry.problems] == [("format-unknown", "warning")]


def test_lint_override_downgrades_at_load(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": {"type": "object", "x_kafka": 1}})
    assert load_problems(tmp_path) == [
        ("schema-unknown-keyword", "orders/a/1.0.0.schema.json", "/x_kafka")
    ]
    write(
        tmp_path / "accord.toml",
        '[lint.rules.schema-unknown-keyword]\nseverity = "warning"\nreason = "vendor"\n',
    )
    registry = Registry.load(tmp_path)
    assert [(p.code, p.severity) for p in registry.problems] == [
        ("schema-unknown-keyword", "warning")
    ]


def test_missing_root(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path / "nope")
    assert info.value.code == "registry-not-found"


def test_reserved_dirs_are_not_namespaces(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ})
    for reserved in ("consumers", "verifications", "environments"):
        write(tmp_path / reserved / "svc" / "x.json", "{}")
    assert list(Registry.load(tmp_path).contracts) == ["orders.a"]


def test_contract_mode_default_from_accord_toml(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ})
    write(tmp_path / "accord.toml", 'mode = "backward"\n')
    assert Registry.load(tmp_path).contract("orders.a").meta.mode == "backward"


def test_size_and_depth_caps_come_from_settings(tmp_path: Path) -> None:
    deep: dict[str, Any] = {"type": "object"}
    for _ in range(5):
        deep = {"type": "object", "properties": {"a": deep}}
    add_contract(tmp_path, "orders.a", {"1.0.0": deep})
    Registry.load(tmp_path)
    write(tmp_path / "accord.toml", "max-depth = 4\n")
    assert load_problems(tmp_path) == [("json-too-deep", "orders/a/1.0.0.schema.json", "")]
    write(tmp_path / "accord.toml", "max-file-bytes = 20\n")
    assert load_problems(tmp_path) == [("json-too-large", "orders/a/1.0.0.schema.json", "")]


# -- immutability ----------------------------------------------------------------------


def test_registry_is_immutable(history: Path) -> None:
    registry = Registry.load(history)
    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.root = Path("/")  # type: ignore[misc]
    with pytest.raises(TypeError):
        registry.contracts["x.y"] = None  # type: ignore[index]
    contract = registry.contract("orders.order-placed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        contract.versions = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        contract.versions[0].yanked = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        registry.lock[("a.b", Version.parse("1.0.0"))] = "x"  # type: ignore[index]


def test_with_methods_return_new_registries(history: Path) -> None:
    registry = Registry.load(history)
    contract = registry.contract("orders.order-placed")
    renamed = dataclasses.replace(contract, id="orders.renamed", name="renamed")
    bigger = registry.with_contract(renamed)
    assert bigger is not registry
    assert list(bigger.contracts) == ["orders.order-placed", "orders.renamed"]
    assert list(registry.contracts) == ["orders.order-placed"]
    smaller = bigger.without_contract("orders.order-placed")
    assert list(smaller.contracts) == ["orders.renamed"]
    assert list(bigger.contracts) == ["orders.order-placed", "orders.renamed"]
    other = registry.with_settings(RegistrySettings(mode="none"))
    assert other.settings.mode == "none"
    assert registry.settings.mode == "full"
    locked = registry.with_lock({("orders.order-placed", Version.parse("1.0.0")): "sha256:00"})
    assert registry.published(contract.version("1.0.0")) is False
    assert locked.published(contract.version("1.0.0")) is True


# -- discovery -------------------------------------------------------------------------


def test_discover_explicit_path(history: Path) -> None:
    assert list(Registry.discover(history).contracts) == ["orders.order-placed"]


def test_discover_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_contract(tmp_path / "schemas", "orders.a", {"1.0.0": OBJ})
    write(tmp_path / "pyproject.toml", '[tool.accord]\nregistry = "schemas"\n')
    work = tmp_path / "src" / "pkg"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    registry = Registry.discover()
    assert registry.root == (tmp_path / "schemas").resolve()
    assert list(registry.contracts) == ["orders.a"]


def test_discover_defaults_to_contracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_contract(tmp_path / "contracts", "orders.a", {"1.0.0": OBJ})
    monkeypatch.chdir(tmp_path)
    assert Registry.discover().root == (tmp_path / "contracts").resolve()


# -- accord.lock -----------------------------------------------------------------------


def test_lock_round_trip_and_published(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ, "1.10.0": OBJ, "1.2.0": OBJ})
    lines = [lock_line(tmp_path, "orders.a", v) for v in ("1.0.0", "1.10.0")]
    write(tmp_path / "accord.lock", "\n".join(sorted(lines)) + "\n")
    registry = Registry.load(tmp_path)
    contract = registry.contract("orders.a")
    assert registry.published(contract.version("1.0.0"))
    assert registry.published(contract.version("1.10.0"))
    assert not registry.published(contract.version("1.2.0"))
    assert read_lock(tmp_path) == {
        ("orders.a", Version.parse("1.0.0")): contract.version("1.0.0").digest,
        ("orders.a", Version.parse("1.10.0")): contract.version("1.10.0").digest,
    }


def test_no_lock_is_fine(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ})
    assert dict(Registry.load(tmp_path).lock) == {}
    assert read_lock(tmp_path) == {}


def test_lock_digest_mismatch(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ})
    write(tmp_path / "accord.lock", lock_line(tmp_path, "orders.a", "1.0.0") + "\n")
    write(tmp_path / "orders/a/1.0.0.schema.json", '{"type": "string"}')
    assert load_problems(tmp_path) == [("lock-digest-mismatch", "orders/a/1.0.0.schema.json", "")]


def test_lock_missing_file(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": OBJ})
    write(tmp_path / "accord.lock", f"orders.a 1.1.0 sha256:{'0' * 64}\n")
    with pytest.raises(RegistryError) as info:
        Registry.load(tmp_path)
    [problem] = info.value.problems
    assert (problem.code, problem.file, problem.line) == ("lock-missing-file", "accord.lock", 1)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        pytest.param(f"orders.a 1.0.0 sha256:{'0' * 63}\n", "lock-malformed", 1, id="short-digest"),
        pytest.param(f"orders.a v1.0.0 sha256:{'0' * 64}\n", "lock-malformed", 1, id="bad-version"),
        pytest.param(f"orders.a 1.0.0 md5:{'0' * 64}\n", "lock-malformed", 1, id="bad-algo"),
        pytest.param(f"orders.a 1.0.0  sha256:{'0' * 64}\n", "lock-malformed", 1, id="two-spaces"),
        pytest.param(f"orders.a 1.0.0 sha256:{'0' * 64}\n\n", "lock-malformed", 2, id="blank-line"),
        pytest.param(f"orders.a 1.0.0 sha256:{'0' * 64}\norders.a 1.0.0 sha256:{'1' * 64}\n", "lock-duplicate", 2, id="duplicate"),
    ],
)  # fmt: skip
def test_read_lock_errors(tmp_path: Path, text: str, code: str, line: int) -> None:
    write(tmp_path / "accord.lock", text)
    with pytest.raises(LockError) as info:
        read_lock(tmp_path)
    assert (info.value.code, info.value.line, info.value.file) == (code, line, "accord.lock")


def test_every_duplicate_lock_line_names_the_first_line_of_its_key() -> None:
    from accord.registry.model import _parse_lock

    line = f"orders.a 1.0.0 sha256:{'0' * 64}\n"
    lines, problems = _parse_lock(line * 3 + f"orders.b 1.0.0 sha256:{'0' * 64}\n")
    assert [(x.contract_id, x.line) for x in lines] == [("orders.a", 1), ("orders.b", 4)]
    assert [(p.code, p.line) for p in problems] == [("lock-duplicate", 2), ("lock-duplicate", 3)]
    assert "(lines 1 and 2)" in problems[0].message
    assert "(lines 1 and 3)" in problems[1].message


def test_write_lock_sorted_atomic_and_guarded(tmp_path: Path) -> None:
    entries = {
        ("orders.b", Version.parse("1.0.0")): "sha256:" + "b" * 64,
        ("orders.a", Version.parse("1.2.0")): "sha256:" + "2" * 64,
        ("orders.a", Version.parse("1.10.0")): "sha256:" + "1" * 64,
    }
    write_lock(tmp_path, entries)
    text = (tmp_path / "accord.lock").read_text()
    assert text.splitlines() == sorted(text.splitlines())
    assert text == lock_text(entries)
    assert read_lock(tmp_path) == entries
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accord.lock"]  # guard removed
    # A lock file a crashed writer left behind holds nothing (the lock is the OS's flock,
    # released with its process): the next writer proceeds and removes it.
    write(tmp_path / "accord.lock.lck", "12345\n")
    write_lock(tmp_path, {})
    assert read_lock(tmp_path) == {}
    assert not (tmp_path / "accord.lock.lck").exists()


# -- $ref resolution -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        pytest.param("../../../outside.schema.json", "ref-escapes-root", id="dotdot-escape"),
        pytest.param("/etc/passwd", "ref-escapes-root", id="absolute-path"),
        pytest.param("../../../../../../etc/passwd#/x", "ref-escapes-root", id="deep-escape"),
        pytest.param("accord://common.money@^1", "ref-range-not-allowed", id="range"),
        pytest.param("accord://common.money", "ref-range-not-allowed", id="no-version"),
        pytest.param("accord://common.money@2.0.0", "ref-unresolvable", id="missing-version"),
        pytest.param("accord://common.nope@1.0.0", "ref-unresolvable", id="missing-contract"),
        pytest.param("../../common/money/1.0.0.schema.json#/$defs/nope", "ref-unresolvable", id="missing-pointer"),
        pytest.param("../../common/money/9.0.0.schema.json", "ref-unresolvable", id="missing-file"),
        pytest.param("../../common/money/contract.toml", "ref-unresolvable", id="non-registry-file"),
        pytest.param("../../README.md", "ref-unresolvable", id="root-readme"),
        pytest.param("#/$defs/missing", "ref-unresolvable", id="local-missing"),
        pytest.param("#nowhere", "ref-unresolvable", id="local-anchor-missing"),
        pytest.param("http://127.0.0.1:1/x.json", "ref-remote", id="http"),
        pytest.param("file:///etc/passwd", "ref-remote", id="file-scheme"),
        pytest.param("//example.com/x.json", "ref-remote", id="network-path"),
    ],
)  # fmt: skip
def test_bad_refs_are_refused(tmp_path: Path, ref: str, code: str) -> None:
    add_contract(tmp_path, "common.money", {"1.0.0": {"type": "object", "$defs": {"a": {}}}})
    write(tmp_path / "outside.schema.json", "{}")
    write(tmp_path / "README.md", "registry")
    schema = {"type": "object", "properties": {"x": {"$ref": ref}}}
    add_contract(tmp_path, "orders.a", {"1.0.0": schema})
    assert load_problems(tmp_path) == [(code, "orders/a/1.0.0.schema.json", "/properties/x/$ref")]


def test_cross_document_no_input_cycle(tmp_path: Path) -> None:
    add_contract(tmp_path, "common.a", {"1.0.0": {"allOf": [{"$ref": "accord://common.b@1.0.0"}]}})
    add_contract(tmp_path, "common.b", {"1.0.0": {"$ref": "../a/1.0.0.schema.json"}})
    problems = load_problems(tmp_path)
    assert [p[0] for p in problems] == ["schema-ref-cycle"]
    assert problems[0][1:] in {
        ("common/a/1.0.0.schema.json", "/allOf/0/$ref"),
        ("common/b/1.0.0.schema.json", "/$ref"),
    }


def test_recursion_through_properties_is_not_a_cycle(tmp_path: Path) -> None:
    add_contract(
        tmp_path,
        "common.a",
        {"1.0.0": {"type": "object", "properties": {"b": {"$ref": "accord://common.b@1.0.0"}}}},
    )
    add_contract(
        tmp_path,
        "common.b",
        {"1.0.0": {"type": "object", "properties": {"a": {"$ref": "../a/1.0.0.schema.json"}}}},
    )
    assert Registry.load(tmp_path).problems == ()


# -- bundling --------------------------------------------------------------------------

MONEY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.com/money.json",
    "$defs": {
        "amount": {"type": "integer", "minimum": 0},
        "code": {"$anchor": "currency", "enum": ["EUR", "USD"]},
    },
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {"amount": {"$ref": "#/$defs/amount"}, "currency": {"$ref": "#currency"}},
}
TREE = {
    "type": "object",
    "properties": {
        "label": {"$ref": "#/$defs/leaf"},
        "orders": {
            "type": "array",
            "items": {"$ref": "accord://orders.order-placed@1.0.0#/$defs/node"},
        },
    },
    "$defs": {"leaf": {"type": "string", "maxLength": 5}},
}
ORDER = {
    "type": "object",
    "required": ["total", "tree"],
    "properties": {
        "total": {"$ref": "accord://common.money@1.0.0"},
        "fee": {"$ref": "../../common/money/1.0.0.schema.json#/$defs/amount"},
        "currency": {"$ref": "../../common/money/1.0.0.schema.json#currency"},
        "tree": {"$ref": "#/$defs/node"},
        "forest": {"$ref": "accord://common.tree@1.0.0"},
        "odd key": {"$ref": "#/$defs/we~1ird~0key%20x"},
    },
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                "tag": {"$ref": "accord://common.tree@1.0.0#/$defs/leaf"},
                "self": {"$ref": "1.0.0.schema.json#/$defs/node"},
            },
        },
        "we/ird~key x": {"type": "boolean"},
    },
}


@pytest.fixture
def refs_registry(tmp_path: Path) -> Path:
    add_contract(tmp_path, "common.money", {"1.0.0": MONEY})
    add_contract(tmp_path, "common.tree", {"1.0.0": TREE})
    add_contract(tmp_path, "orders.order-placed", {"1.0.0": ORDER})
    return tmp_path


def test_bundle_is_self_contained(refs_registry: Path) -> None:
    bundle = Registry.load(refs_registry).bundle("orders.order-placed@1.0.0")
    assert bundle["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(bundle["$defs"]) == [
        "accord~common.money@1.0.0",
        "accord~common.tree@1.0.0",
        "node",
        "we/ird~key x",
    ]
    refs = _all_refs(bundle)
    assert refs
    assert all(r.startswith("#") for r in refs), refs
    props = bundle["properties"]
    assert props["total"]["$ref"] == "#/$defs/accord~0common.money@1.0.0"
    assert props["fee"]["$ref"] == "#/$defs/accord~0common.money@1.0.0/$defs/amount"
    assert props["currency"]["$ref"] == "#/$defs/accord~0common.money@1.0.0/$defs/code"
    tree = bundle["$defs"]["accord~common.tree@1.0.0"]
    # a reference back into the root document points at the root, not a copy of it
    assert tree["properties"]["orders"]["items"]["$ref"] == "#/$defs/node"
    assert bundle["$defs"]["node"]["properties"]["self"]["$ref"] == "#/$defs/node"
    assert "$id" not in bundle["$defs"]["accord~common.money@1.0.0"]


def _all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _all_refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _all_refs(v)]
    return []


def test_bundle_is_deterministic_and_cached(refs_registry: Path) -> None:
    first = Registry.load(refs_registry)
    second = Registry.load(refs_registry)
    a = _jsondoc.canonical_dumps(first.bundle("orders.order-placed@1.0.0"))
    b = _jsondoc.canonical_dumps(second.bundle("orders.order-placed@1.0.0"))
    assert a == b
    handed_out = first.bundle("orders.order-placed@1.0.0")
    assert first.bundle("orders.order-placed@1.0.0") is handed_out  # memoised, not copied
    with pytest.raises(TypeError):
        handed_out["type"] = "string"  # callers cannot corrupt the memoised bundle
    assert first.bundle("orders.order-placed@1.0.0")["type"] == "object"
    # the documents as written are untouched by bundling
    assert first.get("orders.order-placed@1.0.0").document == ORDER


PAYLOADS: list[Any] = [
    {"total": {"amount": 1, "currency": "EUR"}, "tree": {}},
    {"total": {"amount": -1, "currency": "EUR"}, "tree": {}},
    {"total": {"amount": 1, "currency": "GBP"}, "tree": {}},
    {"total": {"amount": 1}, "tree": {}},
    {"total": {"amount": 1, "currency": "USD"}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "fee": 3},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "fee": "3"},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "currency": "EUR"},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "currency": "JPY"},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {"children": [{"tag": "ab"}]}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {"children": [{"tag": "abcdefg"}]}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {"children": [{"children": [1]}]}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {"self": {"tag": 1}}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "forest": {"label": "x"}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "forest": {"label": "xxxxxx"}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "forest": {"orders": [{}]}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "forest": {"orders": [{"tag": 1}]}},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "odd key": True},
    {"total": {"amount": 1, "currency": "USD"}, "tree": {}, "odd key": 1},
    "not an object",
]


def test_bundle_validates_like_jsonschema_over_unbundled_documents(refs_registry: Path) -> None:
    registry = Registry.load(refs_registry)
    bundle = registry.bundle("orders.order-placed@1.0.0")
    # python-jsonschema with a referencing registry over the documents as written:
    # each under its file URI (relative refs) and its accord:// URI.
    resources = []
    for version in registry.versions():
        resource = referencing.jsonschema.DRAFT202012.create_resource(version.document)
        resources.append((f"file:///registry/{version.file}", resource))
        resources.append((version.uri, resource))
    unbundled = referencing.Registry().with_resources(resources)
    root = {"$ref": "file:///registry/orders/order-placed/1.0.0.schema.json"}
    expected = jsonschema.Draft202012Validator(root, registry=unbundled)
    verdicts = [(_reference.is_valid(bundle, p), expected.is_valid(p)) for p in PAYLOADS]
    assert [a for a, _ in verdicts] == [b for _, b in verdicts]
    assert {a for a, _ in verdicts} == {True, False}  # the payloads exercise both sides
    # and python-jsonschema agrees on the bundle itself
    jsonschema.Draft202012Validator.check_schema(bundle)
    assert [jsonschema.Draft202012Validator(bundle).is_valid(p) for p in PAYLOADS] == [
        b for _, b in verdicts
    ]


def test_bundle_normalises_draft_07(tmp_path: Path) -> None:
    add_contract(
        tmp_path,
        "common.address",
        {
            "1.0.0": {
                "$schema": DRAFT_07,
                "definitions": {"line": {"type": "string", "minLength": 1}},
                "type": "object",
                "required": ["lines"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "items": [{"$ref": "#/definitions/line"}],
                        "additionalItems": False,
                    }
                },
            }
        },
    )
    add_contract(
        tmp_path,
        "orders.a",
        {
            "1.0.0": {
                "type": "object",
                "properties": {
                    "to": {"$ref": "accord://common.address@1.0.0"},
                    "street": {"$ref": "accord://common.address@1.0.0#/definitions/line"},
                    "first": {
                        "$ref": "../../common/address/1.0.0.schema.json#/properties/lines/items/0"
                    },
                },
            }
        },
    )
    registry = Registry.load(tmp_path)
    bundle = registry.bundle("orders.a@1.0.0")
    embedded = bundle["$defs"]["accord~common.address@1.0.0"]
    assert "$schema" not in embedded
    assert "definitions" not in embedded
    assert embedded["properties"]["lines"]["prefixItems"] == [
        {"$ref": "#/$defs/accord~0common.address@1.0.0/$defs/line"}
    ]
    props = bundle["properties"]
    assert props["street"]["$ref"] == "#/$defs/accord~0common.address@1.0.0/$defs/line"
    assert (
        props["first"]["$ref"]
        == "#/$defs/accord~0common.address@1.0.0/properties/lines/prefixItems/0"
    )
    cases = [
        ({"to": {"lines": ["a"]}}, True),
        ({"to": {"lines": ["a", "b"]}}, False),
        ({"to": {"lines": [""]}}, False),
        ({"street": ""}, False),
        ({"street": "x"}, True),
        ({"first": ""}, False),
    ]
    assert [_reference.is_valid(bundle, p) for p, _ in cases] == [v for _, v in cases]


def test_bundle_of_a_version_without_refs_is_the_document(tmp_path: Path) -> None:
    add_contract(tmp_path, "orders.a", {"1.0.0": {"type": "object", "title": "A"}})
    assert Registry.load(tmp_path).bundle("orders.a@1.0.0") == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": "A",
    }


def test_resolve_ref_api(refs_registry: Path) -> None:
    registry = Registry.load(refs_registry)
    source = registry.get("orders.order-placed@1.0.0")
    target, pointer = registry.resolve_ref(source, "accord://common.money@1.0.0#currency")
    assert (target.ref, pointer) == ("common.money@1.0.0", "/$defs/code")
    with pytest.raises(RefError) as info:
        registry.resolve_ref(source, "https://example.com/x")
    assert info.value.code == "ref-remote"


def test_loading_writes_nothing(refs_registry: Path) -> None:
    before = snapshot(refs_registry)
    registry = Registry.load(refs_registry)
    registry.bundle("orders.order-placed@1.0.0")
    assert snapshot(refs_registry) == before


def test_contract_and_version_types(refs_registry: Path) -> None:
    registry = Registry.load(refs_registry)
    contract = registry.contract("common.money")
    assert isinstance(contract, Contract)
    assert isinstance(contract.versions[0], ContractVersion)
    assert contract.namespace == "common"
    assert contract.name == "money"
    assert contract.directory == (refs_registry / "common" / "money").resolve()
    assert contract.latest() is contract.versions[-1]
    assert json.loads(contract.versions[0].raw) == MONEY
    assert os.path.isfile(contract.versions[0].path)


def test_broken_contract_toml_does_not_cascade(tmp_path: Path) -> None:
    add_contract(tmp_path, "common.money", {"1.0.0": OBJ}, toml='owner = "a"\n')
    add_contract(tmp_path, "orders.a", {"1.0.0": {"$ref": "accord://common.money@1.0.0"}})
    write(tmp_path / "accord.lock", lock_line(tmp_path, "common.money", "1.0.0") + "\n")
    assert load_problems(tmp_path) == [
        ("config-missing-key", "common/money/contract.toml", "/kind")
    ]
