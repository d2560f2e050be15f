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

from accord.errors import ContractViolation, DocumentError
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


# Sequences: jsonschema-rs reads a ``tuple`` (exactly) as an array, and an enum member as
# its value; python-jsonschema reads neither as an array, fastjsonschema reads a tuple
# subclass as one where the reference refuses it. Every backend must answer as the
# reference does on the same value, and a tuple as the list with the same items.
class _Pair(tuple[int, int]):
    __slots__ = ()


class _Shape(enum.Enum):
    PAIR = (1, 2)
    ROW = [1, 2]  # noqa: RUF012 - an enum member's value, not a class attribute


SEQUENCE_SCHEMAS = {
    "array-of-arrays": {
        "type": "array",
        "items": {"type": "array", "items": {"type": "integer"}},
        "minItems": 1,
        "uniqueItems": True,
    },
    "object-of-arrays": {
        "type": "object",
        "properties": {
            "pair": {"type": "array", "minItems": 2, "maxItems": 2},
            "rows": {"type": "array", "items": {"type": "array"}},
            "fixed": {"const": [1, 2]},
            "choice": {"enum": [[1, 2], [3]]},
        },
        "additionalProperties": {"type": ["array", "object"]},
    },
    "contains": {"type": "array", "contains": {"const": [1, 2]}},
}
SEQUENCES: dict[str, Any] = {
    "list": [[1, 2], [3]],
    "tuple": ([1, 2], [3]),
    "tuple-of-tuples": ((1, 2), (3,)),
    "list-of-tuples": [(1, 2), (3,)],
    "empty-tuple": (),
    "duplicate-tuples": ((1, 2), (1, 2)),
    "tuple-vs-list-duplicates": [(1, 2), [1, 2]],
    "object-tuples": {"pair": (1, 2), "rows": ((1,), [2]), "fixed": (1, 2), "choice": (3,)},
    "object-nested-tuple": {"extra": ((1,),), "more": {"inner": (1, 2)}},
    "object-short-tuple": {"pair": (1,)},
    "object-list": {"pair": [1, 2], "rows": [[1], [2]], "fixed": [1, 2], "choice": [3]},
    "enum-of-tuple": [_Shape.PAIR],
    "object-enum": {"pair": _Shape.PAIR, "fixed": _Shape.ROW},
    "tuple-subclass": [_Pair((1, 2))],
    "object-tuple-subclass": {"pair": _Pair((1, 2))},
}


def _as_lists(value: Any) -> Any:
    """``value`` with every exact tuple a list (what the reference reads it as)."""
    if type(value) is tuple or type(value) is list:
        return [_as_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("backend", ["auto", "python", "fast"])
@pytest.mark.parametrize("schema", SEQUENCE_SCHEMAS.values(), ids=SEQUENCE_SCHEMAS.keys())
@pytest.mark.parametrize("payload", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_every_backend_reads_sequences_as_the_reference_does(
    backend: str, schema: dict[str, Any], payload: Any
) -> None:
    reference = Validator(schema)
    validator = Validator(schema, backend=backend)
    expected = reference.is_valid(payload)
    assert validator.is_valid(payload) is expected
    if expected:
        validator.validate(payload)  # no error: the explaining side agrees
    else:
        with pytest.raises((ContractViolation, DocumentError)):
            validator.validate(payload)


@pytest.mark.parametrize("schema", SEQUENCE_SCHEMAS.values(), ids=SEQUENCE_SCHEMAS.keys())
@pytest.mark.parametrize(
    "payload",
    [v for k, v in SEQUENCES.items() if "enum" not in k and "subclass" not in k],
    ids=[k for k in SEQUENCES if "enum" not in k and "subclass" not in k],
)
def test_the_reference_reads_a_tuple_as_the_list_of_its_items(
    schema: dict[str, Any], payload: Any
) -> None:
    # The premise of the table above, checked against the installed jsonschema-rs.
    reference = Validator(schema)
    assert reference.is_valid(payload) is reference.is_valid(_as_lists(payload))


def test_the_reference_refuses_a_tuple_subclass() -> None:
    # The premise for "tuple-subclass": refused (payload-not-json), not read as an array.
    with pytest.raises(DocumentError) as caught:
        Validator({"type": "array"}).validate(_Pair((1, 2)))
    assert caught.value.code == "payload-not-json"


@pytest.mark.parametrize("backend", ["python", "fast"])
@pytest.mark.parametrize("text", [b'{"k": 1e-400}', b'{"k": [1.0000000000000000001]}'], ids=repr)
def test_validate_json_refuses_what_the_backend_cannot_read_with_a_document_error(
    backend: str, text: bytes
) -> None:
    # The text keeps a number no float holds as a Decimal, which these backends cannot
    # judge: validate_json raised a bare ValueError (a traceback in a service), where
    # validate says payload-not-json.
    validator = Validator(SCHEMA, backend=backend)
    with pytest.raises(DocumentError) as caught:
        validator.validate_json(text)
    assert caught.value.code == "payload-not-json"
    assert validator.validate_json(b'{"k": 1.5}') == {"k": 1.5}
