"""The shared specification cases (``../shared/cases/compat.json``) under both semantics.

A graded ``true`` must be *proven*; a graded ``false`` must not be reported compatible
(and, where the case lists witnesses for that direction, the engine must refute it with
a witness of its own); an ungraded ``null`` (regex inclusion) accepts anything but a
``true`` that the case's witnesses contradict. Every witness the engine returns is
re-checked with the reference validator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _cases import check_listed_witnesses

from accord.compat._engine import compare, writer_closure
from accord.validation.reference import is_valid

DATA = Path(__file__).parent / "data" / "compat.json"
SHARED = Path(__file__).parents[2] / ".." / "shared" / "cases" / "compat.json"
CASES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["cases"]


def _normalized(schema: Any) -> Any:
    from accord.validation.dialect import normalize

    return normalize(schema)


def test_vendored_copy_is_the_recorded_one() -> None:
    """The copy in tests/ is the spec as last synced (its digest is recorded beside it)."""
    import hashlib

    recorded = DATA.with_name("compat.json.sha256").read_text(encoding="utf-8").strip()
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == recorded


# Beside ../shared (the developers' machines and CI) the copy must equal the spec; a
# user's clone has no ../shared and nothing to compare with, so the test is not defined
# there (rather than skipped).
if SHARED.exists():

    def test_copy_matches_shared_spec() -> None:
        assert DATA.read_bytes() == SHARED.read_bytes(), (
            "tests/compat/data/compat.json is out of sync with ../shared/cases/compat.json: "
            "copy it and update compat.json.sha256"
        )


def test_case_ids_are_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) == 77


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_listed_witnesses_behave_as_stated(case: dict[str, Any]) -> None:
    old, new = _normalized(case["old"]), _normalized(case["new"])
    check_listed_witnesses(old, new, case["witnesses"])


@pytest.mark.parametrize("semantics", ["set", "contract"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_verdicts(case: dict[str, Any], semantics: str) -> None:
    old, new = _normalized(case["old"]), _normalized(case["new"])
    result = compare(old, new, semantics=semantics)  # type: ignore[arg-type]
    expected = case[semantics]
    listed = {"backward": case["witnesses"]["old_only"], "forward": case["witnesses"]["new_only"]}
    for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
        verdict = getattr(result, direction)
        want = expected[direction]
        if want is True:
            assert verdict.holds is True, f"{direction}: not proven: {verdict.reason}"
        elif want is False:
            assert verdict.holds is not True, f"{direction}: wrongly proven compatible"
            if listed[direction] and semantics == "set":
                assert verdict.holds is False, f"{direction}: no witness: {verdict.reason}"
                assert verdict.has_witness
        else:
            closed = writer_closure(writer) if semantics == "contract" else writer
            breaks = [p for p in listed[direction] if is_valid(closed, p)]
            assert not (verdict.holds is True and breaks), f"{direction}: proven despite {breaks}"
        if verdict.has_witness:
            closed = writer_closure(writer) if semantics == "contract" else writer
            assert is_valid(closed, verdict.witness)
            assert is_valid(writer, verdict.witness)
            assert not is_valid(reader, verdict.witness)


def test_every_set_break_with_listed_witnesses_is_refuted_by_a_witness() -> None:
    """Aim: every direction the spec refutes with a payload, the engine refutes too."""
    missing = []
    for case in CASES:
        old, new = _normalized(case["old"]), _normalized(case["new"])
        for semantics in ("set", "contract"):
            result = compare(old, new, semantics=semantics)  # type: ignore[arg-type]
            for direction, listed in (
                ("backward", case["witnesses"]["old_only"]),
                ("forward", case["witnesses"]["new_only"]),
            ):
                verdict = getattr(result, direction)
                if case[semantics][direction] is False and listed and not verdict.has_witness:
                    if "property removed" in verdict.reason:
                        continue
                    missing.append((case["id"], semantics, direction, verdict.reason))
    assert missing == []
