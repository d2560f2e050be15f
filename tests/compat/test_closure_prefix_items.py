"""The writer closure keeps ``items`` off the ``prefixItems`` positions.

An array whose ``prefixItems`` entries declare no key (a map there, docs/design.md)
and whose ``items`` declare some: the closure left the (unconstraining) prefix out of
its generated conjunct, so that conjunct's ``items`` reached position 0 as well, and a
writer on OLD could emit at position 0 only the keys ``items`` declares. ``diff`` then
called a narrowing of position 0 compatible (minor) while OLD's writers emit
``[{"v": 1}]`` and NEW refuses it.
"""

from __future__ import annotations

from typing import Any

from accord.compat import diff
from accord.compat._engine import writer_closure
from accord.validation.reference import is_valid

_ITEM: dict[str, Any] = {"type": "object", "properties": {"c": {}}}
OLD: dict[str, Any] = {"type": "array", "prefixItems": [{"type": "object"}], "items": _ITEM}
NEW: dict[str, Any] = {
    "type": "array",
    "prefixItems": [{"type": "object", "properties": {"v": {"type": "string"}}}],
    "items": _ITEM,
}


def test_a_map_in_the_prefix_stays_a_map() -> None:
    closure = writer_closure(OLD)
    assert is_valid(closure, [{"v": 1}])
    assert is_valid(closure, [{"v": 1}, {"c": 1}])
    assert not is_valid(closure, [{"v": 1}, {"v": 1}])  # past the prefix, items' struct


def test_narrowing_the_prefix_breaks_backward() -> None:
    assert not is_valid(NEW, [{"v": 1}])
    report = diff(OLD, NEW)
    assert report.backward is False
    assert report.required_bump == "major"
