"""What every file of cases in the shared case format checks the same way."""

from __future__ import annotations

from typing import Any

from accord.compat._engine import writer_closure
from accord.validation.reference import is_valid


def check_listed_witnesses(old: Any, new: Any, witnesses: dict[str, list[Any]]) -> None:
    """Each listed payload is accepted and rejected as its list says, under the
    reference validator (``old_only``, ``new_only``, ``both``)."""
    for listed, expected in (
        ("old_only", (True, False)),
        ("new_only", (False, True)),
        ("both", (True, True)),
    ):
        for payload in witnesses[listed]:
            assert (is_valid(old, payload), is_valid(new, payload)) == expected, (listed, payload)


def check_witnesses_separate(report: Any, old: Any, new: Any, semantics: str) -> None:
    """Every change's witness is accepted by the side it names (for contract semantics,
    that side's writer closure) and refused by the other, under the reference."""
    sides = {"old": old, "new": new}
    for change in report.changes:
        witness = change.witness
        if witness is None:
            continue
        accepting = sides[witness.accepted_by]
        if semantics == "contract":
            accepting = writer_closure(accepting)
        assert is_valid(accepting, witness.payload), change
        assert not is_valid(sides[witness.rejected_by], witness.payload), change
