"""A Pact body accord cannot read as JSON is refused at import, never turned into a
JSON string.

accord reads and verifies JSON bodies. Before, an XML, plain-text or base64-encoded
body (a v4 ``contentType``/``encoded``, or a v2/v3 ``Content-Type`` header, or a
message's ``contentType``) was imported as a JSON string pinned by equality, and its
matching rules (``$.user.id['#text']`` for XML) were dropped without a word: the
expectation checked something else than the pact (a provider answering the JSON string
``"<user>…</user>"`` passed; a real XML answer never could).
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._pact import import_pact
from accord.errors import DocumentError

XML = "<user><id>1</id></user>"
XML_RULES = {"body": {"$.user.id['#text']": {"matchers": [{"match": "integer"}]}}}


def _http(response: dict[str, Any], spec: str = "3.0.0") -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": spec}},
        "interactions": [
            {
                "description": "get user",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {"status": 200, **response},
            }
        ],
    }


def _message(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
        "messages": [{"description": "user created", **message}],
    }


REFUSED = {
    "v3-xml-header": (
        _http(
            {
                "headers": {"Content-Type": "application/xml"},
                "body": XML,
                "matchingRules": XML_RULES,
            }
        ),
        "/interactions/0/response/body",
    ),
    "v3-text-header-lower-case": (
        _http({"headers": {"content-type": "text/plain; charset=utf-8"}, "body": "hello"}),
        "/interactions/0/response/body",
    ),
    "v4-xml-content-type": (
        _http(
            {
                "body": {"content": XML, "contentType": "application/xml", "encoded": False},
                "matchingRules": XML_RULES,
            },
            "4.0",
        ),
        "/interactions/0/response/body",
    ),
    "v4-base64": (
        _http(
            {
                "body": {
                    "content": "iVBORw0KGgo=",
                    "contentType": "image/png",
                    "encoded": "base64",
                },
            },
            "4.0",
        ),
        "/interactions/0/response/body",
    ),
    "v4-base64-json": (
        _http(
            {
                "body": {
                    "content": "eyJpZCI6MX0=",
                    "contentType": "application/json",
                    "encoded": "base64",
                },
            },
            "4.0",
        ),
        "/interactions/0/response/body",
    ),
    "message-text": (
        _message({"contents": "hello", "metaData": {"contentType": "text/plain"}}),
        "/messages/0/contents",
    ),
}


@pytest.mark.parametrize(("pact", "pointer"), REFUSED.values(), ids=REFUSED.keys())
def test_a_body_that_is_not_json_is_refused(pact: dict[str, Any], pointer: str) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(pact, file="pacts/web-users.json")
    assert info.value.code == "pact-unsupported-body"
    assert info.value.pointer == pointer
    assert info.value.file == "pacts/web-users.json"


ACCEPTED = {
    "v3-json": _http({"headers": {"Content-Type": "application/json"}, "body": {"id": 1}}),
    "v3-hal-json-list-header": _http(
        {"headers": {"Content-Type": ["application/hal+json;charset=UTF-8"]}, "body": {"id": 1}}
    ),
    "v3-no-content-type": _http({"body": {"id": 1}}),
    "v4-json": _http(
        {"body": {"content": {"id": 1}, "contentType": "application/json", "encoded": False}},
        "4.0",
    ),
    "v4-encoded-json": _http(
        {"body": {"content": '{"id": 1}', "contentType": "application/json", "encoded": "JSON"}},
        "4.0",
    ),
    "message-json": _message(
        {"contents": {"id": 1}, "metaData": {"contentType": "application/json"}}
    ),
}


@pytest.mark.parametrize("pact", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_json_bodies_still_import(pact: dict[str, Any]) -> None:
    import_pact(pact)
