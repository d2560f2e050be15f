"""A diff of two valid schemas is a report, never an exception.

Found by a differential fuzz of ``diff``: a change inside a
recursive definition whose patch removes the very place a nested location sits, and a
removed key's witness under ``prefixItems`` (an instance path through an array index),
both raised from inside the report's witness search instead of reporting.
"""

from __future__ import annotations

from typing import Any

import pytest
from _cases import check_witnesses_separate

from accord.compat import diff

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
    check_witnesses_separate(report, old, new, semantics)
