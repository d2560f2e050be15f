"""Every regex an expectation holds is checked when it is read, wherever it is.

Before, only the matchers of body fields (and their ``one_of``/``all_of``/``each_*``
sub-matchers) were compiled at load: a regex in a header, query or path matcher, or in
a field of an ``array_contains`` variant, was imported and written as it was, and
``verify --provider`` (or the stub) raised regress's own error from inside the check
(``(?i)`` from a pact-jvm file: an internal error with a traceback, exit 3).
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._model import validate
from accord.consumers._pact import import_pact
from accord.errors import DocumentError

BAD = "(?i)ab"  # Java's inline flag: no ECMA-262 pattern


def _doc(response: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": 1,
        "consumer": {"name": "web"},
        "provider": "users",
        "interactions": [
            {
                "type": "http",
                "description": "get user",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {"status": 200, **response},
            }
        ],
    }


REGEX = {"match": "regex", "regex": BAD}
PLACES = {
    "header": (
        {"headers": {"X-Id": "ab"}, "matchers": {"header": {"X-Id": [REGEX]}}},
        "/interactions/0/response/matchers/header/X-Id/0",
    ),
    "query": (
        {"matchers": {"query": {"q": [REGEX]}}},
        "/interactions/0/response/matchers/query/q/0",
    ),
    "path": ({"matchers": {"path": [REGEX]}}, "/interactions/0/response/matchers/path/0"),
    "array-contains-variant": (
        {
            "body": {
                "contract": None,
                "example": {"tags": ["ab"]},
                "fields": [
                    {
                        "path": "$.tags",
                        "match": "array_contains",
                        "variants": [
                            {"index": 0, "fields": [{"path": "$", **REGEX}]},
                        ],
                    }
                ],
            }
        },
        "/interactions/0/response/body/fields/0",
    ),
}


@pytest.mark.parametrize(("response", "pointer"), PLACES.values(), ids=PLACES.keys())
def test_a_bad_regex_anywhere_is_refused_at_load(response: dict[str, Any], pointer: str) -> None:
    with pytest.raises(DocumentError) as info:
        validate(_doc(response), file="consumers/web/users.json")
    assert info.value.code == "expectation-bad-regex"
    assert info.value.pointer == pointer
    assert info.value.file == "consumers/web/users.json"


def test_a_pact_header_regex_that_is_not_ecma_is_refused_at_import() -> None:
    pact = {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "interactions": [
            {
                "description": "get user",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": 200,
                    "headers": {"X-Id": "ab"},
                    "matchingRules": {"header": {"X-Id": {"matchers": [REGEX]}}},
                },
            }
        ],
    }
    with pytest.raises(DocumentError) as info:
        import_pact(pact, file="pacts/web-users.json")
    assert info.value.code == "expectation-bad-regex"
    assert info.value.pointer == "/interactions/0/response/matchers/header/X-Id/0"


def test_good_regexes_in_every_place_load() -> None:
    good = {"match": "regex", "regex": "[a-z]+"}
    validate(_doc({"headers": {"X-Id": "ab"}, "matchers": {"header": {"X-Id": [good]}}}))
    validate(_doc({"matchers": {"query": {"q": [good]}, "path": [good]}}))
