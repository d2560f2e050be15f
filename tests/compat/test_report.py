"""The report: docs/design.md's JSON shape, raise_for_incompatible, bumps, modes, overrides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import add_contract, write
from accord.compat import Change, Report, check_version, diff
from accord.errors import IncompatibleChange, UsageError
from accord.registry.model import Registry
from accord.validation.reference import is_valid

OBJ: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "integer"}}}
WITH_EMAIL: dict[str, Any] = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "email": {"type": "string"}},
    "required": ["email"],
}

# -- JSON shape ---------------------------------------------------------------------------


def test_json_shape_is_exactly_designs() -> None:
    report = diff(OBJ, WITH_EMAIL)
    data = report.to_json()
    assert list(data) == [
        "format_version",
        "mode",
        "semantics",
        "compatible",
        "backward",
        "forward",
        "required_bump",
        "changes",
        "directions",
    ]
    assert data["format_version"] == 1
    assert (data["mode"], data["semantics"]) == ("full", "contract")
    assert (data["compatible"], data["backward"], data["forward"]) == (False, False, True)
    assert data["required_bump"] == "major"
    (change,) = data["changes"]
    assert list(change) == [
        "rule",
        "severity",
        "status",
        "schema_path",
        "instance_path",
        "breaks",
        "message",
        "witness",
        "consumers",
        "directions",
    ]
    assert change["rule"] == "property-added-required"
    assert change["severity"] == "error"
    assert change["status"] == "proven"
    assert change["schema_path"] == "/properties/email"
    assert change["instance_path"] == "/email"
    assert change["breaks"] == ["backward"]
    assert isinstance(change["message"], str)
    assert change["message"]
    assert change["consumers"] == []
    witness = change["witness"]
    assert list(witness) == ["payload", "accepted_by", "rejected_by"]
    assert (witness["accepted_by"], witness["rejected_by"]) == ("old", "new")
    assert is_valid(OBJ, witness["payload"])
    assert not is_valid(WITH_EMAIL, witness["payload"])
    json.dumps(data)  # serialisable as is


def test_json_of_a_harmless_change_has_null_witness() -> None:
    data = diff({"type": "string"}, {"type": "string", "description": "d"}).to_json()
    (change,) = data["changes"]
    assert change["witness"] is None
    assert change["breaks"] == []
    assert change["severity"] == "info"


def test_report_and_change_are_frozen() -> None:
    report = diff(OBJ, WITH_EMAIL)
    with pytest.raises(AttributeError):
        report.compatible = True  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.changes[0].rule = "x"  # type: ignore[misc]
    assert isinstance(report, Report)
    assert isinstance(report.changes[0], Change)


# -- raise_for_incompatible ---------------------------------------------------------------


def test_raise_for_incompatible_raises_with_the_report() -> None:
    report = diff(OBJ, WITH_EMAIL)
    with pytest.raises(IncompatibleChange) as info:
        report.raise_for_incompatible()
    assert info.value.report is report
    assert info.value.code == "incompatible-change"
    assert "property-added-required" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_raise_for_incompatible_is_silent_when_compatible() -> None:
    diff(OBJ, {**OBJ, "description": "x"}).raise_for_incompatible()


# -- required bump ------------------------------------------------------------------------

REF_OLD = {"type": "object", "properties": {"role": {"enum": ["user", "admin"]}}}
REF_NEW = {
    "type": "object",
    "properties": {"role": {"$ref": "#/$defs/Role"}},
    "$defs": {"Role": {"enum": ["user", "admin"]}},
}

BUMPS = [
    pytest.param(OBJ, OBJ, "full", "none", id="identical"),
    pytest.param(OBJ, {**OBJ, "title": "T", "description": "d"}, "full", "patch", id="annotations"),
    pytest.param(
        OBJ,
        {**OBJ, "examples": [{"id": 1}], "$comment": "c"},
        "full",
        "patch",
        id="examples-and-comment",
    ),
    pytest.param(OBJ, {**OBJ, "readOnly": True}, "full", "patch", id="read-only-is-an-annotation"),
    pytest.param(REF_OLD, REF_NEW, "full", "patch", id="ref-extraction"),
    pytest.param({"const": "x"}, {"enum": ["x"]}, "full", "patch", id="const-as-enum"),
    pytest.param(
        {"type": "integer", "minimum": 1},
        {"type": "integer", "exclusiveMinimum": 0},
        "full",
        "patch",
        id="equivalent-bounds",
    ),
    pytest.param(
        {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"properties": {"b": {"type": "integer"}}},
            ]
        },
        "full",
        "patch",
        id="allof-split",
    ),
    pytest.param(
        OBJ,
        {**OBJ, "properties": {**OBJ["properties"], "n": {"type": "string"}}},
        "full",
        "minor",
        id="optional-property-added",
    ),
    pytest.param(
        {"type": "integer", "default": 0},
        {"type": "integer", "default": 1},
        "full",
        "minor",
        id="default-changed",
    ),
    pytest.param(
        {"type": "string"},
        {"type": "string", "deprecated": True},
        "full",
        "minor",
        id="deprecated-flag",
    ),
    pytest.param(
        OBJ,
        {**OBJ, "additionalProperties": False},
        "full",
        "minor",
        id="closed-struct-valid-sets-changed",
    ),
    pytest.param(
        {"enum": ["a"]}, {"enum": ["a", "b"]}, "backward", "minor", id="widening-under-backward"
    ),
    pytest.param({"enum": ["a"]}, {"enum": ["a", "b"]}, "full", "major", id="widening-under-full"),
    pytest.param(
        {**OBJ, "properties": {**OBJ["properties"], "n": {"type": "string"}}},
        OBJ,
        "full",
        "major",
        id="removal",
    ),
    pytest.param(
        {**OBJ, "properties": {**OBJ["properties"], "n": {"type": "string"}}},
        OBJ,
        "none",
        "minor",
        id="removal-under-none",
    ),
]


@pytest.mark.parametrize(("old", "new", "mode", "bump"), BUMPS)
def test_required_bump(old: Any, new: Any, mode: str, bump: str) -> None:
    assert diff(old, new, mode=mode).required_bump == bump


def test_formatting_only_difference_is_bump_none(tmp_path: Path) -> None:
    a = write(tmp_path / "a.json", json.dumps(OBJ))
    b = write(tmp_path / "b.json", json.dumps(dict(reversed(OBJ.items())), indent=4))
    report = diff(old_path=a, new_path=b)
    assert report.required_bump == "none"
    assert report.changes == ()


def test_draft07_normalisation_is_patch_not_none() -> None:
    old = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "array",
        "items": [{"type": "string"}],
        "additionalItems": False,
    }
    new = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "array",
        "prefixItems": [{"type": "string"}],
        "items": False,
    }
    report = diff(old, new)
    assert (report.compatible, report.required_bump) == (True, "patch")


# -- modes --------------------------------------------------------------------------------

ADDED = ({"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]})  # breaks forward only


@pytest.mark.parametrize(
    ("mode", "compatible", "severity"),
    [
        ("full", False, "error"),
        ("backward", True, "warning"),
        ("forward", False, "error"),
        ("none", True, "warning"),
        ("backward-transitive", True, "warning"),
        ("forward-transitive", False, "error"),
        ("full-transitive", False, "error"),
    ],
)
def test_modes(mode: str, compatible: bool, severity: str) -> None:
    report = diff(*ADDED, mode=mode)
    assert report.mode == mode
    assert report.compatible is compatible
    # Both directions are always reported, whatever the mode.
    assert (report.backward, report.forward) == (True, False)
    (change,) = report.changes
    assert change.severity == severity


def test_none_mode_is_always_compatible() -> None:
    assert diff({"type": "string"}, {"type": "number"}, mode="none").compatible


def test_unknown_mode_and_semantics_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        diff(True, False, mode="sideways")
    with pytest.raises(UsageError):
        diff(True, False, semantics="fuzzy")  # type: ignore[arg-type]


def test_set_and_contract_semantics_differ_on_open_objects() -> None:
    new = {**OBJ, "properties": {**OBJ["properties"], "n": {"type": "string"}}}
    assert diff(OBJ, new, semantics="contract").compatible
    report = diff(OBJ, new, semantics="set")
    assert report.semantics == "set"
    assert not report.backward
    (change,) = report.changes
    assert change.witness is not None
    assert "n" in change.witness.payload
    assert not isinstance(change.witness.payload["n"], str)


# -- registry: versions, transitive modes, overrides ----------------------------------------


def _toml(mode: str = "full", rules: str = "") -> str:
    return f'owner = "team-a"\nkind = "event"\nmode = "{mode}"\n{rules}'


def _registry(
    tmp_path: Path, versions: dict[str, Any], *, mode: str = "full", rules: str = ""
) -> Registry:
    add_contract(tmp_path, "shop.thing", versions, toml=_toml(mode, rules))
    return Registry.load(tmp_path)


STRING = {"type": "string"}
NUMBER = {"type": "number"}


@pytest.mark.parametrize(
    ("versions", "checked", "bump"),
    [
        pytest.param({"1.0.0": STRING, "1.1.0": NUMBER}, "1.1.0", "major", id="1.x-breaking"),
        pytest.param({"0.3.0": STRING, "0.4.0": NUMBER}, "0.4.0", "minor", id="0.y.z-breaking"),
        pytest.param(
            {"0.3.0": OBJ, "0.3.1": {**OBJ, "description": "d"}}, "0.3.1", "patch", id="0.y.z-patch"
        ),
        pytest.param(
            {"0.0.3": OBJ, "0.0.4": {**OBJ, "required": ["id"]}},
            "0.0.4",
            "patch",
            id="0.0.z-breaking",
        ),
        pytest.param({"1.0.0": STRING}, "1.0.0", "none", id="first-version"),
    ],
)
def test_check_version_maps_bumps_below_1(
    tmp_path: Path, versions: dict[str, Any], checked: str, bump: str
) -> None:
    registry = _registry(tmp_path, versions)
    assert check_version(registry, "shop.thing", checked).required_bump == bump


def test_check_version_skips_yanked_and_prereleases(tmp_path: Path) -> None:
    registry = _registry(
        tmp_path,
        {"1.0.0": STRING, "1.1.0": NUMBER, "1.2.0-rc.1": {}, "1.2.0": STRING},
        rules='[yanked]\n"1.1.0" = "broke consumers"\n',
    )
    report = check_version(registry, "shop.thing", "1.2.0")
    assert report.old == "shop.thing@1.0.0"
    assert report.required_bump == "none"


def test_transitive_mode_checks_every_earlier_version(tmp_path: Path) -> None:
    versions = {
        "1.0.0": {"enum": ["a", "c"]},
        "1.1.0": {"enum": ["a"]},  # slipped through: incompatible with 1.0.0
        "1.2.0": {"enum": ["a", "b"]},
    }
    plain = check_version(
        _registry(tmp_path / "p", versions, mode="backward"), "shop.thing", "1.2.0"
    )
    assert plain.compatible
    transitive = check_version(
        _registry(tmp_path / "t", versions, mode="backward-transitive"), "shop.thing", "1.2.0"
    )
    assert not transitive.compatible
    assert not transitive.backward
    assert transitive.required_bump == "major"
    assert any(c.message.startswith("against 1.0.0: ") for c in transitive.changes)


def test_registry_refs_use_the_contract_mode(tmp_path: Path) -> None:
    registry = _registry(tmp_path, {"1.0.0": ADDED[0], "1.1.0": ADDED[1]}, mode="backward")
    report = diff(old_ref="shop.thing@1.0.0", new_ref="shop.thing@1.1.0", registry=registry)
    assert (report.mode, report.compatible, report.required_bump) == ("backward", True, "minor")
    assert (report.old, report.new) == ("shop.thing@1.0.0", "shop.thing@1.1.0")
    assert not diff(
        old_ref="shop.thing@1.0.0", new_ref="shop.thing@1.1.0", registry=registry, mode="full"
    ).compatible


@pytest.mark.parametrize(
    ("severity", "compatible", "remaining"),
    [("warning", True, ["warning"]), ("off", True, []), ("error", False, ["error"])],
)
def test_rule_overrides(
    tmp_path: Path, severity: str, compatible: bool, remaining: list[str]
) -> None:
    rules = f'[rules.enum-value-added]\nseverity = "{severity}"\nreason = "readers ignore it"\n'
    registry = _registry(tmp_path, {"1.0.0": ADDED[0], "1.1.0": ADDED[1]}, rules=rules)
    report = diff(old_ref="shop.thing@1.0.0", new_ref="shop.thing@1.1.0", registry=registry)
    assert report.compatible is compatible
    assert [c.severity for c in report.changes] == remaining
    assert report.forward is False  # the truth is unchanged by an override
    assert report.required_bump == ("minor" if compatible else "major")


def test_reference_without_registry_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing to discover (no ACCORD_REGISTRY, no pyproject, no ./contracts): the error
    # names the registry= argument. Where a registry is found, it is used (test_diff_discovery).
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_REGISTRY", raising=False)
    with pytest.raises(UsageError, match="registry"):
        diff(old_ref="shop.thing@1.0.0", new_ref="shop.thing@1.1.0")
