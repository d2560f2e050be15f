"""``validate_json`` parses strictly on its fast path too: every text the strict loader
refuses is refused, with the strict loader's code, whatever form the sender wrote.

The fast path accepts msgspec's reading of a text when re-encoding it gives the text
back (the compact form most senders write) and otherwise by byte counts; each input
below is written both compactly (the re-encoding's own form, where one exists) and
spaced, against an open schema (so any refusal comes from the parse, not the schema)
and against a closed one (so the schema alone would not catch it either).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

import pytest

from accord.core.jsondoc import loads
from accord.errors import DocumentError
from accord.validation.validator import Validator

OPEN: dict[str, Any] = {}
# Every key a payload below uses, each with any value: a duplicate is no violation here.
CLOSED: dict[str, Any] = {
    "type": ["object", "array", "string", "number", "null"],
    "properties": dict.fromkeys(("a", "b", "k", "t", "x", "y"), True),
    "additionalProperties": False,
}

REFUSED = [
    # duplicate keys: at the root, at depth, in arrays, equal values, spelled otherwise
    (b'{"a":1,"a":1}', "json-duplicate-key"),
    (b'{"a":1,"a":2}', "json-duplicate-key"),
    (b'{"x":{"y":[{"k":1,"k":1}]}}', "json-duplicate-key"),
    (b'[{"a":1},{"b":2,"b":2}]', "json-duplicate-key"),
    (b'[[[{"k":[{"t":{"a":{}},"t":{"a":{}}}]}]]]', "json-duplicate-key"),
    (b'{"t":":","t":":"}', "json-duplicate-key"),
    (b'{"a":1,"\\u0061":1}', "json-duplicate-key"),
    (b'{"\\u0061":1,"a":1}', "json-duplicate-key"),
    (b'{"\\"":1,"\\"":1}', "json-duplicate-key"),
    (b'{"a":"\\n","a":"\\n"}', "json-duplicate-key"),
    (b'{"a":1.0,"a":1.0}', "json-duplicate-key"),
    (b'{"\xc3\xa9":1,"\xc3\xa9":1}', "json-duplicate-key"),
    # as long as its re-encoding (each 1E2 is written 100.0): only the bytes tell
    (b'{"a":1,"a":1,"b":[1E2,1E2,1E2]}', "json-duplicate-key"),
    # one level over the cap (64), in each container
    (b"[" * 65 + b"]" * 65, "json-too-deep"),
    (b'{"a":' * 65 + b"1" + b"}" * 65, "json-too-deep"),
    (b"[" * 64 + b"{}" + b"]" * 64, "json-too-deep"),
    # not UTF-8: a bad byte, an overlong form, an encoded surrogate, past U+10FFFF
    (b'["\xff"]', "json-invalid-utf8"),
    (b'["\xc0\xaf"]', "json-invalid-utf8"),
    (b'["\xed\xa0\x80"]', "json-invalid-utf8"),
    (b'["\xf4\x90\x80\x80"]', "json-invalid-utf8"),
    (b'{"\xff":1}', "json-invalid-utf8"),
    (b"\xef\xbb\xbf[1]", "json-bom"),
    # lone surrogate escapes
    (b'["\\ud800"]', "json-lone-surrogate"),
    (b'["\\udc00"]', "json-lone-surrogate"),
    (b'{"\\ud800":1}', "json-lone-surrogate"),
    # numbers JSON has not, integers past Python's digit limit, raw control characters
    (b"[NaN]", "json-nan"),
    (b"[Infinity]", "json-nan"),
    (b"[-Infinity]", "json-nan"),
    (b"[" + b"9" * 4301 + b"]", "json-malformed"),
    (b'["a\tb"]', "json-malformed"),
    (b'["a\x00b"]', "json-malformed"),
    (b"[01]", "json-malformed"),
    (b'{"a":1}x', "json-malformed"),
]


def _spaced(data: bytes) -> bytes:
    # The same document with spaces as json.dumps writes them (after a key's colon and
    # a string's comma; after every comma where no string is around): no longer its
    # re-encoding, so the byte counts decide. Good enough for these inputs only.
    if b'"' in data or data.startswith(b"\xef"):
        return data.replace(b'",', b'", ').replace(b'":', b'": ')
    return data.replace(b",", b", ")


@pytest.mark.parametrize("schema", [OPEN, CLOSED], ids=["open", "closed"])
@pytest.mark.parametrize(("data", "code"), REFUSED, ids=[repr(d)[:48] for d, _ in REFUSED])
def test_validate_json_refuses_what_the_strict_loader_refuses(
    schema: dict[str, Any], data: bytes, code: str
) -> None:
    validator = Validator(schema, max_depth=64)
    for text in (data, _spaced(data)):
        with pytest.raises(DocumentError) as strict:
            loads(text, max_bytes=None, max_depth=64)
        assert strict.value.code == code
        with pytest.raises(DocumentError) as info:
            validator.validate_json(text)
        assert info.value.code == code
        if text.isascii():
            with pytest.raises(DocumentError) as info:
                validator.validate_json(text.decode())
            assert info.value.code == code


ACCEPTED = [
    b'{"a":1,"b":{"k":[1,2.5,true,null,"x"]},"t":"2024-05-17T09:41:00+02:00"}',
    b"[" * 64 + b"]" * 64,
    b'{"a":' * 63 + b"{}" + b"}" * 63,
    b'{"a":123456789012345678901234567890,"b":-0,"k":1e400,"t":1E2}',
    b"[" + b"9" * 4300 + b"]",
    b'{"a":"\\u0061","b":"\\ud83d\\ude00","k":"\xc3\xa9\xf0\x9f\x98\x80"}',
    b'{"a":{"a":{"a":1}},"b":[{"a":1},{"a":1}]}',
]


@pytest.mark.parametrize("data", ACCEPTED, ids=[repr(d)[:48] for d in ACCEPTED])
def test_validate_json_returns_exactly_what_the_strict_loader_reads(data: bytes) -> None:
    validator = Validator(OPEN, max_depth=64)
    for text in (data, _spaced(data)):
        expected = loads(text, max_bytes=None, max_depth=64)
        value = validator.validate_json(text)
        assert value == expected
        assert _typed(value) == _typed(expected)


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value), str(value))


def test_a_big_float_stays_exact_through_validate_json() -> None:
    value = Validator(OPEN).validate_json(b'{"k":1e400}')
    assert value == {"k": Decimal("1e400")}


def test_a_lowered_digit_limit_is_honoured_on_compact_texts() -> None:
    data = json.dumps([int("7" * 1000)], separators=(",", ":")).encode()
    validator = Validator(OPEN)
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(700)
    try:
        with pytest.raises(DocumentError) as info:
            validator.validate_json(data)
        assert info.value.code == "json-malformed"
    finally:
        sys.set_int_max_str_digits(old)
    assert validator.validate_json(data) == [int("7" * 1000)]
