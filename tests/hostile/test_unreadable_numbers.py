"""A number jsonschema-rs does not read as itself is refused, never decided.

An integer too long to write in decimal:

jsonschema-rs reads a Python ``int`` beyond 64 bits through its decimal text; past
Python's digit limit (``sys.get_int_max_str_digits()``, 4,300 by default) that text
cannot be made, and jsonschema-rs then reads the integer as 0: ``10**5000`` passed
``{"maximum": 10}`` and ``{"const": 0}``. A payload parsed from JSON text never holds
one (the parsers refuse such a number), but a service validating values it built or
decoded itself (CBOR bignums, arithmetic) could hand one over. accord refuses it
(``is_valid`` False, ``payload-number-too-long`` from ``validate``/``errors``), with
every backend, so the answer never depends on which one decides.

NaN and the infinities likewise: JSON has none, jsonschema-rs reads them as no number
(``float("inf")`` passed ``{"maximum": 10}``), and Python's ``json.loads`` makes them from
``NaN``/``Infinity`` by default. They are ``payload-not-json``.
"""

from __future__ import annotations

import enum
import math
import struct
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest.mock import ANY

import pytest

from accord.core import jsondoc
from accord.errors import ContractViolation, DocumentError
from accord.validation.validator import Validator

HUGE = 10**5000  # 5,001 digits: over the default limit of 4,300

SCHEMAS: dict[str, dict[str, Any]] = {
    "maximum": {"maximum": 10},
    "const": {"const": 0},
    "enum": {"enum": [0, "x"]},
    "multipleOf": {"multipleOf": 3},
    "if-number-then": {"if": {"type": "number"}, "then": {"maximum": 0}},
    "integer": {"type": "integer"},
}
PAYLOADS: dict[str, Any] = {
    "top-level": HUGE,
    "negative": -HUGE,
    "in-an-array": [1, HUGE],
    "in-an-object": {"a": {"b": [HUGE]}},
}
BACKENDS = ["auto", "python", "fast"]


def _at_every_level(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` applied to the value and to everything inside it."""
    every = {"$ref": "#/$defs/all"}
    return {"$defs": {"all": {**schema, "items": every, "additionalProperties": every}}, **every}


@pytest.fixture
def digit_limit() -> Iterator[None]:
    before = sys.get_int_max_str_digits()
    try:
        yield
    finally:
        sys.set_int_max_str_digits(before)


# fastjsonschema is refused multipleOf outright (backend-unsafe: it divides floats).
CHOICES = [
    (name, backend)
    for name in SCHEMAS
    for backend in BACKENDS
    if (name, backend) != ("multipleOf", "fast")
]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize(("schema", "backend"), CHOICES, ids=[f"{n}-{b}" for n, b in CHOICES])
def test_an_integer_past_the_digit_limit_is_refused(
    schema: str, backend: str, payload: Any
) -> None:
    validator = Validator(_at_every_level(SCHEMAS[schema]), backend=backend)
    assert validator.is_valid(payload) is False
    for explain in (validator.validate, validator.errors):
        with pytest.raises(DocumentError) as caught:
            explain(payload)
        assert caught.value.code == "payload-number-too-long"
        assert "4300" in str(caught.value) or "4,300" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_long_integer_under_the_limit_is_read_exactly(backend: str) -> None:
    long = 10**4000  # 4,001 digits: jsonschema-rs reads it through its text
    assert Validator({"type": "integer"}, backend=backend).is_valid(long)
    assert not Validator({"maximum": 10}, backend=backend).is_valid(long)
    with pytest.raises(ContractViolation):
        Validator({"const": 0}, backend=backend).validate(long)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.usefixtures("digit_limit")
def test_with_the_limit_lifted_the_integer_is_read_exactly(backend: str) -> None:
    # The service lifted Python's limit: the reference reads the text, nothing to refuse.
    sys.set_int_max_str_digits(0)
    assert Validator({"type": "integer"}, backend=backend).is_valid(HUGE)
    assert not Validator({"maximum": 10}, backend=backend).is_valid(HUGE)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.usefixtures("digit_limit")
def test_a_lowered_limit_is_read_at_the_call(backend: str) -> None:
    validator = Validator({"maximum": 10**700}, backend=backend)
    assert validator.is_valid(10**600)
    sys.set_int_max_str_digits(640)
    assert not validator.is_valid(10**650)  # 651 digits: past the limit set since
    assert validator.is_valid(10**600)


def test_the_walk_without_msgspec_proof_gives_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The proof that msgspec writes every integer through Python's limited conversion is
    # probed; where it does not hold, the walk alone decides, and decides alike.
    monkeypatch.setattr(jsondoc, "_packer", None)
    monkeypatch.setattr(jsondoc, "_ENCODER_PROVEN", {sys.get_int_max_str_digits(): False})
    for payload in PAYLOADS.values():
        assert jsondoc.unreadable_number(payload) is not None
    for payload in NON_FINITE.values():
        assert jsondoc.unreadable_number(payload) is not None
    assert jsondoc.unreadable_number({"a": [1, -(2**200), 10**4000, 1.5, "x", None]}) is None


def test_the_probe_holds_on_the_installed_msgspec() -> None:
    # If a msgspec release wrote long integers itself, every check would take the walk:
    # correct, but slower; this pins that the installed one takes the fast proof.
    assert jsondoc._encoder_proves(sys.get_int_max_str_digits()) is True
    assert jsondoc._encoder_proves(0) is True
    jsondoc.prepare_fast_path()
    assert jsondoc._packer is not None  # the MessagePack proof, tried first


def test_the_json_proof_alone_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the MessagePack probe fails, the JSON encoder's proof decides, alike.
    monkeypatch.setattr(jsondoc, "_packer", None)
    for payload in [*PAYLOADS.values(), *NON_FINITE.values(), *UNSEEN_NON_FINITE.values()]:
        assert jsondoc.unreadable_number(payload) is not None
    for payload in FINITE:
        assert jsondoc.unreadable_number(payload) is None


def _writes(*, nan: bytes | None = None, refuses_past_64_bits: bool = True) -> Any:
    """A MessagePack encode_into like msgspec's, but for one thing it does otherwise."""
    import msgspec

    real = msgspec.msgpack.Encoder(decimal_format="number").encode_into

    def encode_into(value: Any, buffer: bytearray) -> None:
        real(value, buffer)
        if nan is not None:
            buffer[:] = buffer.replace(b"\xcb" + struct.pack(">d", math.nan), nan)

    if refuses_past_64_bits:
        return encode_into

    def writes_long(value: Any, buffer: bytearray) -> None:
        try:
            encode_into(value, buffer)
        except OverflowError:
            buffer[:] = b"\xc0"

    return writes_long


@pytest.mark.parametrize(
    "pack_into",
    [
        _writes(nan=b"\xc0"),  # NaN as nil, as the JSON encoder writes null
        _writes(nan=b"\xca" + struct.pack(">f", math.nan)),  # NaN as a float32
        _writes(refuses_past_64_bits=False),
    ],
    ids=["nan-as-nil", "nan-as-float32", "long-integers-written"],
)
def test_a_packer_proving_less_is_not_used(pack_into: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsondoc, "_packer", None)
    jsondoc._probe_packer(pack_into)
    assert jsondoc._packer is None
    jsondoc._probe_packer(_writes())  # the real one, for contrast
    assert jsondoc._packer is not None


# Non-finite floats the probe never wrote: other NaN bit patterns, deep inside, beside
# finite floats, in an enum's value, in a tuple.
class _Reading(enum.Enum):
    NAN = math.nan


UNSEEN_NON_FINITE: dict[str, Any] = {
    "nan-with-a-payload": struct.unpack(">d", b"\x7f\xf0\x00\x00\x00\x00\x00\x01")[0],
    "negative-quiet-nan": struct.unpack(">d", b"\xff\xf8\x00\x00\x00\x00\x00\x2a")[0],
    "among-finite-floats": [0.5, 1e308, -2.25, {"x": [5e-324, -math.inf]}, 3.0],
    "an-enum-value": {"a": _Reading.NAN},
    "in-a-tuple": (1.5, (2.5, math.nan)),
}
# Finite numbers whose bytes hold the pattern the proof looks for: the walk decides.
FINITE = [
    [0.5, 1e308, -2.25, {"x": [5e-324, 2**63]}, 3.0],
    0xCB7FF0,  # written 0xce 00 cb 7f f0
    [struct.unpack(">d", b"\x40\x00\x00\x00\xcb\x7f\xf0\x00")[0]],  # inside a float
    {"\u02c0": 2**64 - 1, "k": -(2**63)},  # 0xcb starting a character
]


@pytest.mark.parametrize("payload", UNSEEN_NON_FINITE.values(), ids=UNSEEN_NON_FINITE.keys())
def test_every_non_finite_float_is_found(payload: Any) -> None:
    assert jsondoc.unreadable_number(payload) == ("payload-not-json", ANY)
    assert Validator({"maximum": 10}).is_valid(payload) is False


@pytest.mark.parametrize("payload", FINITE)
def test_finite_numbers_that_look_like_the_pattern_are_readable(payload: Any) -> None:
    assert jsondoc.unreadable_number(payload) is None


@pytest.mark.usefixtures("digit_limit")
def test_every_64_bit_integer_is_within_the_lowest_digit_limit() -> None:
    # The proof relies on it: what the packer writes is at most 20 digits long.
    sys.set_int_max_str_digits(sys.int_info.str_digits_check_threshold)
    assert jsondoc.unreadable_number([2**64 - 1, -(2**63)]) is None
    too_long = 10**sys.int_info.str_digits_check_threshold
    assert jsondoc.unreadable_number([2**64 - 1, too_long]) == ("payload-number-too-long", ANY)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_long_integer_is_found(payload: Any) -> None:
    assert jsondoc.unreadable_number(payload) == ("payload-number-too-long", ANY)
    # beside a null, which the encoder's proof leaves to the walk
    assert jsondoc.unreadable_number([None, payload]) == ("payload-number-too-long", ANY)
    assert jsondoc.unreadable_number({"a": [1, 2**100, -(10**4299), None]}) is None


NON_FINITE: dict[str, Any] = {
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "in-an-object": {"a": [1.5, {"b": math.inf}]},
    "beside-a-null": [None, {"a": math.nan}],
}
NON_FINITE_SCHEMAS: dict[str, dict[str, Any]] = {
    "maximum": {"maximum": 10},
    "minimum": {"minimum": 0},
    "not-a-number": {"not": {"type": "number"}},
    "exclusiveMaximum": {"exclusiveMaximum": 0},
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("payload", NON_FINITE.values(), ids=NON_FINITE.keys())
@pytest.mark.parametrize("schema", NON_FINITE_SCHEMAS.values(), ids=NON_FINITE_SCHEMAS.keys())
def test_nan_and_the_infinities_are_not_json(
    schema: dict[str, Any], payload: Any, backend: str
) -> None:
    validator = Validator(_at_every_level(schema), backend=backend)
    assert validator.is_valid(payload) is False
    for explain in (validator.validate, validator.errors):
        with pytest.raises(DocumentError) as caught:
            explain(payload)
        assert caught.value.code == "payload-not-json"
        assert "NaN or Infinity" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_payload_with_nulls_and_finite_numbers_is_decided(backend: str) -> None:
    # A null makes the walk decide; it finds nothing to refuse.
    validator = Validator({"maximum": 10}, backend=backend)
    assert validator.is_valid([None, 1.5, 3, {"a": None}])
    assert Validator(_at_every_level({"maximum": 10}), backend=backend).errors([None, 11]) != []


# A Decimal NaN or infinity: jsonschema-rs reads it as no number too (Decimal("NaN")
# passed {"maximum": 10}). Parsed text never holds one; a service's own values may.
NON_FINITE_DECIMALS: dict[str, Any] = {
    "nan": Decimal("NaN"),
    "negative-nan": Decimal("-NaN"),
    "signalling-nan": Decimal("sNaN"),
    "infinity": Decimal("Infinity"),
    "in-an-object": {"a": [Decimal("1.5"), {"b": Decimal("-Infinity")}]},
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("payload", NON_FINITE_DECIMALS.values(), ids=NON_FINITE_DECIMALS.keys())
def test_a_decimal_nan_or_infinity_is_not_json(payload: Any, backend: str) -> None:
    validator = Validator(_at_every_level({"maximum": 10}), backend=backend)
    assert validator.is_valid(payload) is False
    for explain in (validator.validate, validator.errors):
        with pytest.raises(DocumentError) as caught:
            explain(payload)
        assert caught.value.code == "payload-not-json"


@pytest.mark.parametrize("payload", NON_FINITE_DECIMALS.values(), ids=NON_FINITE_DECIMALS.keys())
@pytest.mark.parametrize("proof", ["messagepack", "json", "walk"])
def test_every_proof_finds_a_decimal_nan_or_infinity(
    payload: Any, proof: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    jsondoc.prepare_fast_path()
    if proof != "messagepack":
        monkeypatch.setattr(jsondoc, "_packer", None)
    if proof == "walk":
        monkeypatch.setattr(jsondoc, "_ENCODER_PROVEN", {sys.get_int_max_str_digits(): False})
    assert jsondoc.unreadable_number(payload) == ("payload-not-json", ANY)
    # finite ones, however large or small, are read as written
    finite = [Decimal("1e-400"), Decimal("1E+400"), Decimal("-0"), {"k": Decimal("2.5")}]
    assert jsondoc.unreadable_number(finite) is None
