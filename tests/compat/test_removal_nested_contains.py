"""The removal policy reaches a ``contains`` struct below a property.

``contains`` is a struct location for the removal policy (test_removal_locations.py
checks it at the root). Below a property whose schema has no other structural keyword
the removal walk took the property's schema for a leaf and never looked inside, so
removing a key from that struct went unreported: ``diff`` said both directions held and
asked for a ``minor`` bump (found by redteam7).
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff


def _line(*keys: str) -> dict[str, Any]:
    return {"type": "object", "properties": {k: {} for k in keys}}


def _under(path: str, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` below the property (``o``), additionalProperties (``*``) or items (``[]``)."""
    if path == "o":
        return {"type": "object", "properties": {"o": value}}
    if path == "*":
        return {"type": "object", "additionalProperties": value}
    return {"type": "array", "items": value}


@pytest.mark.parametrize(
    ("where", "instance_path"),
    [("o", "/o/*/sku"), ("*", "/*/*/sku"), ("[]", "/*/*/sku")],
)
def test_key_removed_from_a_contains_struct_below_a_value(where: str, instance_path: str) -> None:
    old = _under(where, {"type": "array", "contains": _line("sku", "qty")})
    new = _under(where, {"type": "array", "contains": _line("qty")})
    report = diff(old, new, mode="forward")
    assert (report.backward, report.forward, report.compatible) == (False, False, False)
    assert report.required_bump == "major"
    removed = [c for c in report.changes if c.rule == "property-removed"]
    assert [(c.status, c.instance_path) for c in removed] == [("policy", instance_path)]
    # The sets are equal: the break is the removal policy, not inclusion.
    plain = diff(old, new, semantics="set")
    assert (plain.backward, plain.forward) == (True, True)


def test_key_kept_in_a_contains_struct_below_a_property_is_not_removed() -> None:
    old = _under("o", {"type": "array", "contains": _line("sku", "qty")})
    new = _under("o", {"type": "array", "contains": _line("sku", "qty", "note")})
    report = diff(old, new)
    assert (report.backward, report.forward) == (True, True)
    assert not [c for c in report.changes if c.rule == "property-removed"]
