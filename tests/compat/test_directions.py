"""Status and witness per direction (issue 15, point 7).

Every change and the report itself carry, for backward and forward, a status of their
own (``proven``, ``refuted`` with a witness, ``policy`` with its name, ``unproven`` with
the reason). A direction is never called broken on another direction's witness: a
``refuted`` direction's witness is accepted by that direction's writer and rejected by
its reader under the reference validator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.compat import Change, Report, diff, render_markdown, render_text
from accord.compat._engine import writer_closure
from accord.validation.dialect import normalize
from accord.validation.reference import is_valid

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "compat.json").read_text(encoding="utf-8")
)["cases"]

_WRITER = {"backward": "old", "forward": "new"}


def _check_direction_witness(old: Any, new: Any, semantics: str, direction: str, w: Any) -> None:
    sides = {"old": normalize(old), "new": normalize(new)}
    writer_side = _WRITER[direction]
    reader_side = "new" if writer_side == "old" else "old"
    assert (w.accepted_by, w.rejected_by) == (writer_side, reader_side)
    writer = sides[writer_side]
    if semantics == "contract":
        writer = writer_closure(writer)
    assert is_valid(writer, w.payload)
    assert not is_valid(sides[reader_side], w.payload)


def _check_report(old: Any, new: Any, semantics: str, report: Report) -> None:
    for direction in ("backward", "forward"):
        root = report.direction(direction)  # type: ignore[arg-type]
        holds = getattr(report, direction)
        assert (root.status == "proven") is holds
        if root.status == "refuted":
            assert root.witness is not None
            _check_direction_witness(old, new, semantics, direction, root.witness)
        if root.status == "policy":
            assert root.policy == "removal"
        if root.status == "unproven":
            assert root.reason
    for change in report.changes:
        for direction in ("backward", "forward"):
            result = change.direction(direction)  # type: ignore[arg-type]
            assert (result.status != "proven") is (direction in change.breaks)
            if result.status == "refuted":
                assert result.witness is not None
                _check_direction_witness(old, new, semantics, direction, result.witness)
            elif result.status == "policy":
                assert result.policy == "removal"
                assert change.status == "policy"
                if result.witness is not None:
                    _check_direction_witness(old, new, semantics, direction, result.witness)
            elif result.status == "unproven":
                assert result.reason
                assert result.witness is None
                assert change.status == "unproven"
        if change.status == "proven":
            assert all(change.direction(d).status == "refuted" for d in change.breaks)


# Wider than ^[a-z]{3}$, in a way the engine cannot prove (\b is not modelled).
WIDER = r"^[a-z]{1,5}\b"


def test_a_widened_pattern_is_not_called_broken_backward_on_the_forward_witness() -> None:
    """``^[a-z]{3}$`` -> ``^[a-z]{1,5}\\b``: "a" refutes forward only; backward (which
    holds) has no witness, so it is unproven, never ``proven`` broken. (The reference
    reads ``\\b`` Unicode-aware, so the regular-language engine leaves the reader's side
    open; ``^[a-z]{1,5}$`` it now proves.)"""
    old, new = {"pattern": "^[a-z]{3}$"}, {"pattern": WIDER}
    report = diff(old, new)
    (change,) = report.changes
    assert change.status != "proven"
    assert change.direction("backward").status == "unproven"
    assert change.direction("backward").witness is None
    assert change.direction("forward").status == "refuted"
    assert report.direction("backward").status == "unproven"
    assert report.direction("forward").status == "refuted"
    _check_report(old, new, "contract", report)
    data = report.to_json()
    assert data["directions"]["backward"]["status"] == "unproven"
    assert data["directions"]["forward"]["witness"]["accepted_by"] == "new"
    assert data["changes"][0]["directions"]["backward"]["witness"] is None


def test_each_broken_direction_carries_its_own_witness() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    new = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    report = diff(old, new)
    for direction, accepted in (("backward", "old"), ("forward", "new")):
        root = report.direction(direction)  # type: ignore[arg-type]
        assert root.status == "refuted"
        assert root.witness is not None
        assert root.witness.accepted_by == accepted
        assert any(
            c.direction(direction).status == "refuted"  # type: ignore[arg-type]
            for c in report.changes
        )
    _check_report(old, new, "contract", report)


def test_a_removal_is_policy_by_name() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}}}
    report = diff(old, new)
    removed = [c for c in report.changes if c.rule == "property-removed"]
    assert removed
    for direction in ("backward", "forward"):
        assert removed[0].direction(direction).status == "policy"  # type: ignore[arg-type]
        assert removed[0].direction(direction).policy == "removal"  # type: ignore[arg-type]
        assert report.direction(direction).policy == "removal"  # type: ignore[arg-type]
    _check_report(old, new, "contract", report)


def test_renderers_show_the_witness_of_each_direction() -> None:
    report = diff({"pattern": "^[a-z]{3}$"}, {"pattern": WIDER})
    text = render_text(report)
    assert "backward unproven" in text
    assert 'forward refuted, witness "a" (accepted by new, rejected by old)' in text
    assert "backward: no (unproven), forward: no (refuted)" in text
    markdown = render_markdown(report)
    assert 'forward: `"a"` (new only)' in markdown
    assert "backward: unproven" in markdown


def test_a_hand_built_change_derives_its_directions() -> None:
    change = Change("x", "error", "proven", "", "", ("forward",), "m")
    assert change.direction("backward").status == "proven"
    assert change.direction("forward").status == "unproven"


@pytest.mark.parametrize("semantics", ["set", "contract"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_shared_cases_directions_rest_on_their_own_witness(
    case: dict[str, Any], semantics: str
) -> None:
    report = diff(case["old"], case["new"], semantics=semantics)  # type: ignore[arg-type]
    _check_report(case["old"], case["new"], semantics, report)
    for direction in ("backward", "forward"):
        want = case[semantics][direction]
        if want is True:
            assert report.direction(direction).status == "proven"  # type: ignore[arg-type]
        if (
            want is False
            and semantics == "set"
            and case["witnesses"]["old_only" if direction == "backward" else "new_only"]
        ):
            assert report.direction(direction).status == "refuted"  # type: ignore[arg-type]


def test_a_transitive_check_carries_the_earlier_versions_direction(tmp_path: Path) -> None:
    from _registry_builders import add_contract
    from accord.compat import check_version
    from accord.registry.model import Registry

    versions = {
        "1.0.0": {"enum": ["a", "c"]},
        "1.1.0": {"enum": ["a"]},  # slipped through: incompatible with 1.0.0
        "1.2.0": {"enum": ["a", "b"]},
    }
    toml = 'owner = "team-a"\nkind = "event"\nmode = "backward-transitive"\n'
    add_contract(tmp_path, "shop.thing", versions, toml=toml)
    report = check_version(Registry.load(tmp_path), "shop.thing", "1.2.0")
    backward = report.direction("backward")
    assert not report.backward
    assert backward.status == "refuted"
    assert backward.reason.startswith("against 1.0.0")
    assert backward.witness is not None
    assert backward.witness.payload == "c"
    assert report.to_json()["directions"]["backward"]["status"] == "refuted"


@pytest.mark.parametrize("closed", [False, True])
def test_a_removal_shows_only_a_witness_carrying_the_removed_key(closed: bool) -> None:
    """Removing ``b`` while ``a`` changes type: the witnesses about ``a`` belong to
    ``type-changed``, not to the removal; a closed NEW refutes ``{"b": ...}`` itself."""
    old = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    new: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "integer"}}}
    if closed:
        new["additionalProperties"] = False
    report = diff(old, new)
    (removed,) = [c for c in report.changes if c.rule == "property-removed"]
    for direction in ("backward", "forward"):
        result = removed.direction(direction)  # type: ignore[arg-type]
        assert result.status == "policy"
        if result.witness is not None:
            assert "b" in result.witness.payload
    assert (removed.direction("backward").witness is not None) is closed
