"""A caller cannot edit what a registry hands out, so what is memoised on a document's
identity (bundles, compiled validators, canonical text, closures) stays true of it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import accord
from _registry_builders import add_contract
from accord.compat import diff
from accord.core.frozen import is_frozen
from accord.core.memo import IdentityMemo
from accord.registry.model import ContractVersion, Registry
from accord.validation.reference import reference_validator
from accord.validation.validator import Validator
from accord.versions import Version

MONEY = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {
        "amount": {"type": "integer", "minimum": 0},
        "currency": {"enum": ["EUR", "USD"]},
    },
}
ORDER = {
    "type": "object",
    "required": ["id", "total"],
    "properties": {
        "id": {"type": "string", "pattern": "^o-[0-9]+$"},
        "total": {"$ref": "accord://common.money@1.0.0"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
GOOD = {"id": "o-1", "total": {"amount": 1, "currency": "EUR"}, "tags": ["x"]}
BAD_CURRENCY = {"id": "o-1", "total": {"amount": 1, "currency": "GBP"}}
REF = "orders.order-placed@1.0.0"


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    add_contract(tmp_path, "common.money", {"1.0.0": MONEY})
    add_contract(tmp_path, "orders.order-placed", {"1.0.0": ORDER})
    return Registry.load(tmp_path)


def _edits(doc: Any) -> list[Any]:
    """Attempted edits at the root, in a nested object and in a nested array."""
    return [
        lambda: doc.__setitem__("type", "array"),
        lambda: doc.pop("required"),
        lambda: doc["properties"].__setitem__("extra", {}),
        lambda: doc["properties"]["id"].update(pattern=".*"),
        lambda: doc["required"].append("tags"),
        doc["required"].clear,
    ]


def _attempt_every_edit(doc: Any) -> None:
    for edit in _edits(doc):
        with pytest.raises(TypeError):
            edit()


def test_loaded_documents_refuse_edits_and_bundles_see_the_original(registry: Registry) -> None:
    version = registry.get(REF)
    assert version.document == ORDER
    assert is_frozen(version.document)
    _attempt_every_edit(version.document)
    with pytest.raises(TypeError):
        registry.get("common.money@1.0.0").document["properties"]["currency"]["enum"].append("GBP")
    assert version.document == ORDER
    bundle = registry.bundle(REF)
    assert bundle["properties"]["id"] == ORDER["properties"]["id"]
    assert bundle["required"] == ["id", "total"]
    v = Validator(bundle, ref=REF)
    assert v.is_valid(GOOD)
    assert not v.is_valid(BAD_CURRENCY)


def test_bundles_are_shared_frozen_and_stay_what_was_bundled(registry: Registry) -> None:
    bundle = registry.bundle(REF)
    assert registry.bundle(REF) is bundle  # memoised: no copy per call
    assert registry.bundle(registry.get(REF)) is bundle
    before = json.dumps(bundle, sort_keys=True)
    _attempt_every_edit(bundle)
    money = bundle["$defs"]["accord~common.money@1.0.0"]
    with pytest.raises(TypeError):
        money["properties"]["currency"]["enum"].append("GBP")
    assert json.dumps(registry.bundle(REF), sort_keys=True) == before


def test_identity_memos_stay_correct_after_attempted_edits(registry: Registry) -> None:
    bundle = registry.bundle(REF)
    compiled = reference_validator(bundle)
    assert compiled.is_valid(GOOD)
    assert not compiled.is_valid(BAD_CURRENCY)
    _attempt_every_edit(bundle)
    # the memo hands back the same compiled validator, and it still matches the bundle
    assert reference_validator(bundle) is compiled
    assert reference_validator(registry.bundle(REF)) is compiled
    assert compiled.is_valid(GOOD)
    assert not compiled.is_valid(BAD_CURRENCY)
    memo: IdentityMemo[str] = IdentityMemo()
    text = memo(bundle, lambda d: json.dumps(d, sort_keys=True))
    _attempt_every_edit(bundle)
    assert memo(bundle, lambda d: "recomputed") == text == json.dumps(bundle, sort_keys=True)


def test_service_validators_and_diffs_see_the_original(registry: Registry) -> None:
    served = accord.validator(REF, registry=registry)
    assert is_frozen(served.schema)
    _attempt_every_edit(served.schema)
    assert served.is_valid(GOOD)
    assert not served.is_valid(BAD_CURRENCY)
    assert accord.validator(REF, registry=registry) is served
    report = diff(old_ref=REF, new_ref=REF, registry=registry)
    assert report.required_bump == "none"
    assert report.changes == ()
    # a frozen bundle is a schema like any other for the engine
    report = diff(served.schema, copy.deepcopy(served.schema))
    assert report.required_bump == "none"
    assert report.changes == ()


@pytest.mark.parametrize("backend", ["python", "fast"])
def test_other_backends_compile_frozen_bundles_without_editing_them(
    registry: Registry, backend: str
) -> None:
    bundle = registry.bundle(REF)
    before = json.dumps(bundle, sort_keys=True)
    # fastjsonschema rewrites $ref values in place: it must be given a copy
    v = Validator(bundle, ref=REF, backend=backend)
    assert v.is_valid(GOOD)
    assert not v.is_valid(BAD_CURRENCY)
    assert json.dumps(registry.bundle(REF), sort_keys=True) == before


def test_versions_built_outside_load_are_frozen_copies(registry: Registry) -> None:
    mine: dict[str, Any] = json.loads(json.dumps(MONEY))
    version = ContractVersion(
        contract_id="common.money",
        version=Version.parse("1.1.0"),
        path=registry.root / "common" / "money" / "1.1.0.schema.json",
        file="common/money/1.1.0.schema.json",
        raw=json.dumps(mine).encode(),
        document=mine,
    )
    assert is_frozen(version.document)
    mine["properties"]["amount"]["minimum"] = 10  # the caller's dict stays the caller's
    assert version.document["properties"]["amount"]["minimum"] == 0
    with pytest.raises(TypeError):
        version.document["required"].append("note")


def test_reports_hand_out_plain_witnesses_not_pieces_of_the_bundle(tmp_path: Path) -> None:
    old = {
        "type": "object",
        "required": ["e", "c"],
        "properties": {"e": {"enum": [{"a": [1]}, [1, {"b": 2}]]}, "c": {"const": {"x": [1]}}},
    }
    new = json.loads(json.dumps(old))
    new["properties"]["e"]["enum"] = [{"a": [1]}]
    add_contract(tmp_path, "orders.kind", {"1.0.0": old, "2.0.0": new})
    registry = Registry.load(tmp_path)
    report = diff(old_ref="orders.kind@1.0.0", new_ref="orders.kind@2.0.0", registry=registry)
    witnesses = [c.witness.payload for c in report.changes if c.witness is not None]
    assert witnesses
    for payload in witnesses:
        assert type(payload) is dict
        payload["c"]["x"].append(2)  # the caller's own copy: editing it is allowed
        assert type(payload["e"]) in (dict, list)
    assert registry.bundle("orders.kind@1.0.0")["properties"]["c"]["const"] == {"x": [1]}


def test_draft07_versions_bundle_from_frozen_normalised_forms(tmp_path: Path) -> None:
    draft07 = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "definitions": {"id": {"type": "string"}},
        "properties": {"id": {"$ref": "#/definitions/id"}},
    }
    add_contract(tmp_path, "orders.legacy", {"1.0.0": draft07})
    registry = Registry.load(tmp_path)
    bundle = registry.bundle("orders.legacy@1.0.0")
    assert bundle["properties"]["id"] == {"$ref": "#/$defs/id"}
    with pytest.raises(TypeError):
        bundle["$defs"]["id"]["type"] = "integer"
    assert registry.get("orders.legacy@1.0.0").document == draft07
    assert Validator(bundle, ref="orders.legacy@1.0.0").is_valid({"id": "x"})
