"""An optional property added where OLD's writers may already send that key is never
answered on the key alone: the backward break is reported with a witness carrying it.

``accord.diff`` answers the backward question of an added optional property without the
engine only where OLD's writers can never send the key (docs/security.md, "an optional
property added, key-local"). Each OLD here lets a writer send ``e`` as an integer in a
way a shortcut reading only the object's own ``properties`` would miss.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.compat import diff
from accord.validation.reference import is_valid

_BASE: dict[str, Any] = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
}

_WRITERS_MAY_SEND_E: dict[str, dict[str, Any]] = {
    "additionalProperties": {**_BASE, "additionalProperties": {"type": "integer"}},
    "patternProperties": {**_BASE, "patternProperties": {"^e$": {"type": "integer"}}},
    "required names it": {**_BASE, "required": ["e"]},
    "an anyOf branch declares it": {
        **_BASE,
        "anyOf": [{"properties": {"e": {"type": "integer"}}}, {"required": ["a"]}],
    },
    "an allOf member declares it": {**_BASE, "allOf": [{"properties": {"e": {"type": "integer"}}}]},
    "a $ref target declares it": {
        **_BASE,
        "$defs": {"more": {"properties": {"e": {"type": "integer"}}}},
        "$ref": "#/$defs/more",
    },
    "dependentSchemas declares it": {
        **_BASE,
        "dependentSchemas": {"a": {"properties": {"e": {"type": "integer"}}}},
    },
    "unevaluatedProperties": {**_BASE, "unevaluatedProperties": {"type": "integer"}},
}


@pytest.mark.parametrize("old", list(_WRITERS_MAY_SEND_E.values()), ids=list(_WRITERS_MAY_SEND_E))
def test_an_added_key_old_writers_may_send_breaks_backward_with_a_witness(old: Any) -> None:
    new = {**old, "properties": {**old["properties"], "e": {"type": "string"}}}
    report = diff(old_schema=old, new_schema=new)
    # Reported as an added property, or (where another schema of OLD names it) as that
    # declaration narrowed: either way at /e, breaking backward.
    at_e = [c for c in report.changes if c.instance_path == "/e"]
    assert len(at_e) == 1
    assert "backward" in at_e[0].breaks
    witness = at_e[0].direction("backward").witness
    assert witness is not None
    assert "e" in witness.payload
    assert is_valid(old, witness.payload)
    assert not is_valid(new, witness.payload)
    assert report.backward is False
