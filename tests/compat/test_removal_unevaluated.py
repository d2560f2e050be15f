"""A key an ``unevaluatedProperties`` schema no value satisfies now covers is removed.

docs/design.md: a key named in OLD that a writer on NEW can no longer emit (forbidden by
``false``, ``additionalProperties: false`` or a covering map schema) is breaking in both
directions. ``additionalProperties: {"not": {}}`` and ``unevaluatedProperties: false``
were removals; ``unevaluatedProperties: {"not": {}}`` (or any schema admitting no
value) was not, and ``diff --mode forward`` called dropping the property compatible.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff

OLD: dict[str, Any] = {"type": "object", "properties": {"a": {}, "b": {}}}


@pytest.mark.parametrize(
    "covering",
    [
        {"not": {}},
        {"type": "string", "minLength": 2, "maxLength": 1},
        {"allOf": [{"type": "string"}, {"type": "integer"}]},
    ],
)
def test_an_unevaluated_schema_admitting_no_value_removes_the_key(covering: Any) -> None:
    new = {"type": "object", "properties": {"b": {}}, "unevaluatedProperties": covering}
    report = diff(OLD, new, mode="forward")
    assert report.forward is False
    assert report.compatible is False
    removed = [c for c in report.changes if c.rule == "property-removed"]
    assert removed
    assert set(removed[0].breaks) == {"backward", "forward"}


def test_an_unevaluated_schema_admitting_values_keeps_the_key() -> None:
    # A map schema the key's values can satisfy: writers on NEW still send "a".
    new = {"type": "object", "properties": {"b": {}}, "unevaluatedProperties": {"type": "string"}}
    report = diff(OLD, new, mode="forward")
    assert report.forward is True
