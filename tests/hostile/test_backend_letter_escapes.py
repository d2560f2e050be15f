"""A pattern escaping a letter ECMA-262 does not define is decided by the reference only.

regress (what the python backend matches patterns with, for texts up to 1000
characters) reads ``\\A`` as the letter ``A``, as ECMA-262 without the ``u`` flag says;
the reference (jsonschema-rs) reads it as the start of the text. The python backend's
probe did not meet a string showing it, so ``backend="python"`` was accepted for
``^\\Aabc`` and called ``"Aabc"`` valid and ``"abc"`` invalid: the reference's opposite.
"""

from __future__ import annotations

import pytest

from accord.errors import UsageError
from accord.validation.backends import python_refusals
from accord.validation.patterns import undefined_letter_escape
from accord.validation.validator import Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def test_the_python_backend_is_refused_where_the_reference_reads_an_escape_otherwise() -> None:
    schema = {"$schema": DIALECT, "type": "string", "pattern": "^\\Aabc"}
    reference = Validator(schema)
    assert reference.is_valid("abc")
    assert not reference.is_valid("Aabc")
    with pytest.raises(UsageError) as info:
        Validator(schema, backend="python")
    assert info.value.code == "backend-ineligible"
    assert "\\A" in str(info.value)


@pytest.mark.parametrize(
    ("pattern", "escape"),
    [
        ("^\\Aabc", "\\A"),
        ("abc\\z", "\\z"),
        ("abc\\Z", "\\Z"),
        ("\\p{L}+", "\\p"),
        ("\\h", "\\h"),
        ("[\\A-Z]", "\\A"),
        ("\\Qa.b\\E", "\\Q"),
        ("\\x{41}", "\\x"),
        ("\\k<n>", "\\k"),  # no named group: an identity escape
        ("\\d\\w\\s\\D\\W\\S\\f\\n\\r\\t\\v\\b\\B", None),
        ("\\cJ\\x41\\u0041", None),
        ("(?<n>a)\\k<n>", None),
        ("\\\\A", None),  # an escaped backslash, then the letter
        ("\\.\\-\\1\\é", None),  # punctuation, a backreference, a non-ASCII letter
    ],
)
def test_undefined_letter_escapes(pattern: str, escape: str | None) -> None:
    assert undefined_letter_escape(pattern) == escape
    reasons = [r.reason for r in python_refusals({"pattern": pattern})]
    assert any("not an ECMA-262 escape" in r for r in reasons) is (escape is not None)
