"""A regex matcher has one meaning, whatever the length of the text it is matched on.

regress (ECMA-262 without the ``u`` flag) reads an escape of a letter ECMA-262 does not
define as the letter itself: ``\\z`` is ``z``, ``\\p{L}`` is ``p{L}``. Texts over 1000
characters (and backtracking-prone patterns) are matched by the reference's engine,
which, as Pact's verifiers, reads ``\\z`` as the end of the text and ``\\p{L}`` as a
letter. Before, ``[a-z]+\\Z`` (a Ruby or Java anchor in a Pact file) passed ``"abcZ"``
and failed ``"abc"``, a long ``\\p{L}+`` text passed where a short one failed; such a
regex is now refused where it is read (``expectation-bad-regex``), and so is one the
reference's engine cannot compile (Annex B's octal escapes, lone braces, a ``-`` beside
a class escape in a class), which matched short texts only.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers import regex
from accord.consumers._model import validate
from accord.consumers._pact import import_pact
from accord.errors import AccordError, DocumentError

ENGINES_DISAGREE = [r"\Aabc\z", r"[a-z]+\Z", r"\p{L}+", r"\P{L}", r"\h+", r"a\Qb.c\E", r"\x{41}"]
ECMA = [r"\d{3}-\w+\s\.", r"\u0041\x41\cJ", r"(a)\1", r"a\-b\/c", r"\\z", r"[\]]", r"[\w.-]+"]


def _pact(pattern: str) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "interactions": [
            {
                "description": "get user",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": 200,
                    "body": {"name": "abc"},
                    "matchingRules": {
                        "body": {"$.name": {"matchers": [{"match": "regex", "regex": pattern}]}}
                    },
                },
            }
        ],
    }


@pytest.mark.parametrize("pattern", ENGINES_DISAGREE)
def test_an_escape_ecma_reads_as_a_letter_is_refused_at_import(pattern: str) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(_pact(pattern), file="pacts/web-users.json")
    assert info.value.code == "expectation-bad-regex"
    assert info.value.pointer == "/interactions/0/response/body/fields/0"


@pytest.mark.parametrize("pattern", ENGINES_DISAGREE)
def test_an_escape_ecma_reads_as_a_letter_is_refused_by_the_builder(pattern: str) -> None:
    with pytest.raises(AccordError) as info:
        regex(pattern, "abc")
    assert info.value.code == "expectation-bad-regex"


@pytest.mark.parametrize("pattern", ECMA)
def test_ecma_escapes_still_load(pattern: str) -> None:
    validate(import_pact(_pact(pattern)))


# ECMA-262's Annex B reads these as literals (an octal escape, a brace, a dash in a
# class; a named backreference is ECMA-262's own), the reference's engine cannot compile
# them: a text over 1000 characters never matched, a short one did.
ANNEX_B = [
    r"\0",
    r"\1",
    r"[\b]",
    r"{id}",
    r"[\w-.]+",
    r"x{,2}",
    r"[a-\d]",
    r"\c1",
    r"(?<y>a)\k<y>",
]


@pytest.mark.parametrize("pattern", ANNEX_B)
def test_a_pattern_the_reference_cannot_read_is_refused(pattern: str) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(_pact(pattern), file="pacts/web-users.json")
    assert info.value.code == "expectation-bad-regex"
    with pytest.raises(AccordError) as built:
        regex(pattern, "x")
    assert built.value.code == "expectation-bad-regex"
