"""A string holding an unpaired surrogate is no JSON value: refused, never decided.

Python's ``json.loads`` makes one from ``"\\ud800"``; accord's parsers refuse that text
(``json-lone-surrogate``), and jsonschema-rs cannot read such a string (it raises, which
accord calls ``payload-not-json``) but only where a keyword reads it: under
``{"properties": {"name": {"type": "string"}}}`` it said ``{"name": "a\\ud800"}`` was
valid, and the python and fast backends said so even for the bare string under
``{"type": "string"}``. A service then failed on the value later (it cannot be written as
UTF-8). Every backend now refuses it: ``is_valid`` False, ``payload-not-json`` from
``validate``/``errors``.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

import pytest

from accord.core import jsondoc
from accord.errors import DocumentError
from accord.validation.validator import Validator


class _Name(enum.StrEnum):
    BROKEN = "x\udfff"


LONE: dict[str, Any] = {
    "bare-string": "a\ud800",
    "low-half": "\udc00",
    "pair-reversed": "\ude00\ud83d",
    "property-value": {"name": "a\ud800"},
    "property-name": {"\udc00": "x"},
    "array-item": {"tags": ["ok", "b\udbff"]},
    "deep": {"a": [{"b": ({"c": "\ud800"},)}]},
    "str-enum-value": {"name": _Name.BROKEN},
}
SCHEMAS: dict[str, Any] = {
    "type-string": {"type": ["string", "object"]},
    "typed-properties": {
        "type": ["object", "string"],
        "properties": {"name": {"type": "string"}, "tags": {"type": "array"}},
    },
    "anything": {},
}
BACKENDS = ["auto", "python", "fast"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("schema", SCHEMAS.values(), ids=SCHEMAS.keys())
@pytest.mark.parametrize("payload", LONE.values(), ids=LONE.keys())
def test_a_lone_surrogate_is_not_json(payload: Any, schema: Any, backend: str) -> None:
    validator = Validator(schema, backend=backend)
    assert validator.is_valid(payload) is False
    for explain in (validator.validate, validator.errors):
        with pytest.raises(DocumentError) as caught:
            explain(payload)
        assert caught.value.code == "payload-not-json"
        assert "surrogate" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_characters_outside_the_bmp_are_read_as_before(backend: str) -> None:
    validator = Validator({"maxLength": 1}, backend=backend)
    assert validator.is_valid("\U0001f600")
    assert validator.is_valid({"\U0001f600": ["\ufffd", "\U0010ffff"]})
    assert not validator.is_valid("\U0001f600\U0001f600")


@pytest.mark.parametrize("payload", LONE.values(), ids=LONE.keys())
@pytest.mark.parametrize("proof", ["messagepack", "json", "walk"])
def test_every_proof_finds_a_lone_surrogate(
    payload: Any, proof: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    jsondoc.prepare_fast_path()
    if proof != "messagepack":
        monkeypatch.setattr(jsondoc, "_packer", None)
    if proof == "walk":
        monkeypatch.setattr(jsondoc, "_ENCODER_PROVEN", {sys.get_int_max_str_digits(): False})
    found = jsondoc.unreadable_number(payload)
    assert found is not None
    assert found[0] == "payload-not-json"
    assert jsondoc.unreadable_number(["\U0001f600", {"\u00e9": "\ufffd"}]) is None


def test_a_packer_writing_surrogates_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import msgspec

    real = msgspec.msgpack.Encoder(decimal_format="number").encode_into

    def surrogates_written(value: Any, buffer: bytearray) -> None:
        try:
            real(value, buffer)
        except UnicodeEncodeError:
            buffer[:] = b"\xa1?"

    monkeypatch.setattr(jsondoc, "_packer", None)
    jsondoc._probe_packer(surrogates_written)
    assert jsondoc._packer is None
    jsondoc._probe_packer(real)
    assert jsondoc._packer is not None
