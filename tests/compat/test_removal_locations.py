"""The removal policy is one rule at every struct location (docs/design.md, contract semantics).

A key named in OLD that a writer on NEW can no longer emit is breaking in both directions
wherever the struct sits: the root, a property value, a map value
(``additionalProperties``, ``unevaluatedProperties``, ``patternProperties``), an array
element (``items``, each ``prefixItems`` entry, ``contains``), through ``$ref`` and the
combinators. The cases use the shared case format
(``old``, ``new``, ``set`` and ``contract`` verdicts, ``witnesses``) plus the rule ids
and the instance path the report must carry. Under ``--semantics set`` the verdict is
plain inclusion, with no removal policy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.compat import diff
from accord.compat._engine import compare
from accord.validation.reference import is_valid

_LINE_OLD: dict[str, Any] = {
    "type": "object",
    "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
}
_LINE_NEW: dict[str, Any] = {"type": "object", "properties": {"qty": {"type": "integer"}}}
_CLOSED_OLD: dict[str, Any] = {**_LINE_OLD, "additionalProperties": False}
_CLOSED_NEW: dict[str, Any] = {**_LINE_NEW, "additionalProperties": False}
_LINE = {"sku": "a", "qty": 1}
_BAD_SKU = {"sku": 1}


def _case(
    cid: str,
    old: Any,
    new: Any,
    set_verdicts: tuple[bool | None, bool | None],
    rules: list[str],
    instance_path: str | None,
    witnesses: dict[str, list[Any]],
) -> dict[str, Any]:
    removed = instance_path is not None
    return {
        "id": cid,
        "old": old,
        "new": new,
        "set": {"backward": set_verdicts[0], "forward": set_verdicts[1]},
        "contract": {"backward": not removed, "forward": not removed},
        "rules": rules,
        "instance_path": instance_path,
        "witnesses": {"old_only": [], "new_only": [], "both": [], **witnesses},
    }


CASES: list[dict[str, Any]] = [
    _case(
        "items",
        {"type": "object", "properties": {"lines": {"type": "array", "items": _LINE_OLD}}},
        {"type": "object", "properties": {"lines": {"type": "array", "items": _LINE_NEW}}},
        (True, False),
        ["property-removed"],
        "/lines/*/sku",
        {"new_only": [{"lines": [_BAD_SKU]}], "both": [{"lines": [_LINE]}]},
    ),
    _case(
        "prefix-items",
        {"type": "array", "prefixItems": [{"type": "string"}, _LINE_OLD]},
        {"type": "array", "prefixItems": [{"type": "string"}, _LINE_NEW]},
        (True, False),
        ["property-removed"],
        "/1/sku",
        {"new_only": [["x", _BAD_SKU]], "both": [["x", _LINE]]},
    ),
    _case(
        "additional-properties-value",
        {"type": "object", "additionalProperties": _LINE_OLD},
        {"type": "object", "additionalProperties": _LINE_NEW},
        # Forward is false ({"k": {"sku": 1}}); the engine leaves it unproven today.
        (True, False),
        ["property-removed"],
        "/*/sku",
        {"both": [{"k": _LINE}]},
    ),
    _case(
        "pattern-properties-value",
        {"type": "object", "patternProperties": {"^l": _LINE_OLD}},
        {"type": "object", "patternProperties": {"^l": _LINE_NEW}},
        (True, False),
        ["property-removed"],
        "/*/sku",
        {"new_only": [{"l1": _BAD_SKU}], "both": [{"l1": _LINE}]},
    ),
    _case(
        "unevaluated-properties-value",
        {"type": "object", "unevaluatedProperties": _LINE_OLD},
        {"type": "object", "unevaluatedProperties": _LINE_NEW},
        # Truly (True, False); the engine leaves both unproven today, so ungraded.
        (None, None),
        ["property-removed"],
        "/*/sku",
        {"new_only": [{"k": _BAD_SKU}], "both": [{"k": _LINE}]},
    ),
    _case(
        "contains",
        {"type": "array", "contains": {**_LINE_OLD, "required": ["sku"]}},
        {"type": "array", "contains": {**_LINE_NEW, "required": ["qty"]}},
        (False, False),
        ["property-removed", "required-added"],
        "/*/sku",
        {"old_only": [[{"sku": "a"}]], "new_only": [[{"qty": 1}]], "both": [[_LINE]]},
    ),
    _case(
        "items-through-ref",
        {"$defs": {"Line": _LINE_OLD}, "type": "array", "items": {"$ref": "#/$defs/Line"}},
        {"$defs": {"Line": _LINE_NEW}, "type": "array", "items": {"$ref": "#/$defs/Line"}},
        (True, False),
        ["property-removed"],
        "/*/sku",
        {"new_only": [[_BAD_SKU]], "both": [[_LINE]]},
    ),
    _case(
        "items-anyof-branch",
        {"type": "array", "items": {"anyOf": [_LINE_OLD, {"type": "string"}]}},
        {"type": "array", "items": {"anyOf": [_LINE_NEW, {"type": "string"}]}},
        (True, False),
        ["property-removed"],
        "/*/sku",
        {"new_only": [[_BAD_SKU]], "both": [[_LINE, "x"]]},
    ),
    _case(
        "map-of-arrays",
        {"type": "object", "additionalProperties": {"type": "array", "items": _LINE_OLD}},
        {"type": "object", "additionalProperties": {"type": "array", "items": _LINE_NEW}},
        (True, False),
        ["property-removed"],
        "/*/*/sku",
        {"both": [{"k": [_LINE]}]},
    ),
    _case(
        "closed-items",
        {"type": "array", "items": _CLOSED_OLD},
        {"type": "array", "items": _CLOSED_NEW},
        (False, True),
        ["property-removed"],
        "/*/sku",
        {"old_only": [[_LINE]], "both": [[{"qty": 1}]]},
    ),
    # Still emittable: the items became a map whose values take the old sku.
    _case(
        "items-kept-by-map",
        {"type": "array", "items": _LINE_OLD},
        {"type": "array", "items": {**_LINE_NEW, "additionalProperties": {"type": "string"}}},
        (False, True),
        [],
        None,
        {"old_only": [[{"x": 1}]], "both": [[_LINE]]},
    ),
]
_IDS = [c["id"] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_listed_witnesses_behave_as_stated(case: dict[str, Any]) -> None:
    old, new, w = case["old"], case["new"], case["witnesses"]
    assert all(is_valid(old, p) and not is_valid(new, p) for p in w["old_only"])
    assert all(not is_valid(old, p) and is_valid(new, p) for p in w["new_only"])
    assert all(is_valid(old, p) and is_valid(new, p) for p in w["both"])


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_contract_verdicts_apply_the_removal_policy(case: dict[str, Any]) -> None:
    result = compare(case["old"], case["new"], semantics="contract")
    for direction in ("backward", "forward"):
        verdict = getattr(result, direction)
        if case["contract"][direction]:
            assert verdict.holds is True, f"{direction}: {verdict.reason}"
        else:
            assert verdict.holds is False, direction
    removed = [(r.instance_path, r.key) for r in result.removals]
    path = case["instance_path"]
    assert removed == ([] if path is None else [(path.rsplit("/", 1)[0], "sku")])


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_set_verdicts_are_plain_inclusion(case: dict[str, Any]) -> None:
    result = compare(case["old"], case["new"], semantics="set")
    assert result.removals == ()
    for direction, listed in (
        ("backward", case["witnesses"]["old_only"]),
        ("forward", case["witnesses"]["new_only"]),
    ):
        verdict = getattr(result, direction)
        if case["set"][direction] is None:
            assert not (verdict.holds is True and listed), direction
        elif case["set"][direction]:
            assert verdict.holds is True, f"{direction}: {verdict.reason}"
        else:
            assert verdict.holds is not True, direction
            if listed:
                assert verdict.has_witness, direction


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_report_carries_the_removal_as_policy(case: dict[str, Any]) -> None:
    report = diff(case["old"], case["new"], mode="backward")
    breaking = sorted({c.rule for c in report.changes if c.breaks})
    assert breaking == case["rules"]
    policy = [(c.rule, c.instance_path, c.breaks) for c in report.changes if c.status == "policy"]
    if case["instance_path"] is None:
        assert policy == []
        assert report.compatible
        return
    assert policy == [("property-removed", case["instance_path"], ("backward", "forward"))]
    assert not report.compatible
    assert report.required_bump == "major"


def test_set_semantics_reports_no_policy_removal() -> None:
    case = CASES[0]
    report = diff(case["old"], case["new"], mode="backward", semantics="set")
    assert report.compatible
    assert [c for c in report.changes if c.status == "policy"] == []


def test_cli_diff_mode_backward_fails_on_a_property_removed_in_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    case = CASES[0]
    (tmp_path / "old.json").write_text(json.dumps(case["old"]), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(case["new"]), encoding="utf-8")
    code = main(["diff", "old.json", "new.json", "--mode", "backward", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (data["compatible"], data["backward"], data["required_bump"]) == (False, False, "major")
    [change] = data["changes"]
    assert (change["rule"], change["instance_path"], change["status"]) == (
        "property-removed",
        "/lines/*/sku",
        "policy",
    )
    assert change["breaks"] == ["backward", "forward"]


def test_recursive_struct_reports_each_location_at_its_shortest_path() -> None:
    node_old: dict[str, Any] = {
        "type": "object",
        "properties": {
            "sku": {"type": "string"},
            "kids": {"type": "array", "items": {"$ref": "#/$defs/T"}},
            "by_name": {"type": "object", "additionalProperties": {"$ref": "#/$defs/T"}},
        },
    }
    node_new = {**node_old, "properties": dict(node_old["properties"])}
    del node_new["properties"]["sku"]
    old = {"$defs": {"T": node_old}, "$ref": "#/$defs/T"}
    new = {"$defs": {"T": node_new}, "$ref": "#/$defs/T"}
    result = compare(old, new)
    assert [(r.instance_path, r.key) for r in result.removals] == [
        ("", "sku"),
        ("/by_name/*", "sku"),
        ("/kids/*", "sku"),
    ]
    assert (result.backward.holds, result.forward.holds) == (False, False)
