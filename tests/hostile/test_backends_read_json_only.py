"""The opt-in backends decide only values the reference reads as JSON.

python-jsonschema and fastjsonschema take any Python value: ``{1: 2}`` as an object, a
set or bytes as something their keywords skip, a ``str`` subclass past ``maxLength``.
The reference (jsonschema-rs) refuses to read such a value, so accord calls it invalid
(``is_valid`` False, ``payload-not-json`` from ``validate``/``errors``) whichever backend
decides: a backend choice never turns a refusal into "valid".
"""

from __future__ import annotations

import enum
from typing import Any

import pytest

from accord.errors import DocumentError
from accord.validation.validator import Validator


class _Text(str):
    pass


class _Number(int):
    pass


class _Real(float):
    pass


class _Level(enum.IntEnum):
    LOW = 1


class _Colour(enum.StrEnum):
    RED = "red"


SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": ["string", "integer", "number", "array"]},
}

NOT_JSON = {
    "int-key": {1: 2},
    "int-enum-key": {_Level.LOW: 1},
    "str-subclass-key": {_Text("k"): 1},
    "set": {"k": {1, 2}},
    "bytes": {"k": b"x"},
    "str-subclass": {"k": _Text("long text")},
    "int-subclass": {"k": _Number(3)},
    "float-subclass": {"k": _Real(1.5)},
    "object": {"k": object()},
}
READ_AS_JSON = [{"k": 1}, {"k": [1, 2]}, {_Colour.RED: 1}, {"k": 1.5}, {"k": "text"}]


@pytest.mark.parametrize("backend", ["python", "fast"])
@pytest.mark.parametrize("payload", NOT_JSON.values(), ids=NOT_JSON.keys())
def test_a_value_the_reference_cannot_read_is_invalid(backend: str, payload: Any) -> None:
    validator = Validator(SCHEMA, backend=backend)
    reference = Validator(SCHEMA)
    assert reference.is_valid(payload) is False
    assert validator.is_valid(payload) is False
    for explain in (validator.validate, validator.errors):
        with pytest.raises(DocumentError) as caught:
            explain(payload)
        assert caught.value.code == "payload-not-json"


@pytest.mark.parametrize("backend", ["python", "fast"])
@pytest.mark.parametrize("payload", READ_AS_JSON, ids=repr)
def test_a_value_the_reference_reads_is_decided_as_before(backend: str, payload: Any) -> None:
    assert Validator(SCHEMA, backend=backend).is_valid(payload) is Validator(SCHEMA).is_valid(
        payload
    )
