"""A diff of two valid schemas is a report, never an exception.

Found by a differential fuzz of ``diff``: a change inside a
recursive definition whose patch removes the very place a nested location sits, and a
removed key's witness under ``prefixItems`` (an instance path through an array index),
both raised from inside the report's witness search instead of reporting.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff
from accord.compat._engine import writer_closure
from accord.validation.reference import is_valid

_R = {"$ref": "#/$defs/r"}

CASES = [
    pytest.param(
        {"$defs": {"r": {"properties": {"next": _R}}}, "anyOf": [_R]},
        {"$defs": {"r": {"properties": {"next": {}, "v": {"type": "array"}}}}, "anyOf": [_R]},
        id="recursive-definition-patched-at-its-own-location",
    ),
    pytest.param(
        {"prefixItems": [{"required": ["a"]}]},
        {"prefixItems": [{"type": "object", "maxProperties": 0}]},
        id="key-witness-under-prefix-items",
    ),
]


@pytest.mark.parametrize("semantics", ["contract", "set"])
@pytest.mark.parametrize(("old", "new"), CASES)
def test_diff_reports(old: Any, new: Any, semantics: str) -> None:
    report = diff(old, new, semantics=semantics)  # type: ignore[arg-type]
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
