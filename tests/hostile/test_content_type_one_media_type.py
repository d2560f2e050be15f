"""A ``Content-Type`` is one media type (RFC 9110), or it does not say JSON.

Before, every reader took the text before the first ``;`` as the media type, so
``application/json; charset=utf-8, text/html`` (a list, which browsers read as its last
type) passed provider verification as JSON, as did junk after the parameters and a
``charset=utf-16`` (clients honouring it read UTF-8 bytes as other text); a stated
``Content-Type: application/json`` passed against the same list; two Content-Type
headers (a singleton field) passed when the first said JSON; ``ContractMiddleware`` let
a response typed ``text/html, application/json`` out unchecked (not JSON to it, JSON to
a browser); ``pact import`` read a body typed with a list as JSON.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, add_contract
from accord.consumers import Expectation, integer
from accord.consumers._pact import import_pact
from accord.errors import DocumentError
from accord.provider import app_target, verify_provider
from accord.registry.model import Registry
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root, user_exists_states

__all__ = ["registry_root"]

BODY = b'{"id": 123, "name": "Ada", "email": "a@example.com"}'


def _app(*content_types: str) -> Callable[..., list[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", c) for c in content_types])
        return [BODY]

    return app


def _verify(root: Path, *content_types: str) -> Any:
    target = app_target(_app(*content_types))
    try:
        return verify_provider(
            Registry.load(root), "users-service", target=target, states=user_exists_states()
        )
    finally:
        target.close()


REFUSED = [
    ("application/json; charset=utf-8, text/html",),
    ("application/json, text/html",),
    ("application/json; charset=utf-8 junk",),
    ('application/json; charset="utf-8',),
    ("application/json; charset=utf-8; charset=utf-16",),
    ("application/json;charset=utf-16",),
    ("application/json; charset=iso-8859-1",),
    ("application/jsonp",),
    ("application/json-seq",),
    ("application/json", "text/html"),
    ("application/json", "application/json"),
]


@pytest.mark.parametrize("content_types", REFUSED, ids=" + ".join)
def test_anything_but_one_json_media_type_in_utf_8_fails(
    registry_root: Path, content_types: tuple[str, ...]
) -> None:
    report = _verify(registry_root, *content_types)
    assert not report.ok
    [result] = report.results
    assert result.verdict == "mismatch"
    assert any(m.path == "header Content-Type" for m in result.mismatches), result.message()


@pytest.mark.parametrize(
    "content_type",
    [
        'application/json ; charset="utf-8"',
        "APPLICATION/JSON",
        "application/json; charset=UTF-8",
        "application/problem+json",
        "application/json;",
        "application/json;;charset=utf-8",
    ],
)
def test_one_json_media_type_passes(registry_root: Path, content_type: str) -> None:
    report = _verify(registry_root, content_type)
    assert report.ok, report.render_text()


def _stating(root: Path, content_type: str) -> None:
    e = Expectation("billing", version="1.4.0", name="users")
    (
        e.upon_receiving("get user 123")
        .given("user exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200,
            headers={"Content-Type": content_type},
            contract="users.user@^1",
            body={"id": integer(123)},
        )
    )
    e.write(root, replace=True)


@pytest.mark.parametrize(
    "answered",
    [
        ("application/json; charset=utf-8, text/html",),
        ("application/json, text/html",),
        ("application/json", "text/html"),
        ("application/json; charset=utf-8 junk",),
        ("application/json; charset=utf-16",),
    ],
    ids=" + ".join,
)
def test_a_stated_content_type_is_not_met_by_a_list(
    registry_root: Path, answered: tuple[str, ...]
) -> None:
    _stating(registry_root, "application/json")
    assert not _verify(registry_root, *answered).ok


@pytest.mark.parametrize(
    ("stated", "answered"),
    [
        ("application/json", 'APPLICATION/JSON ; charset="utf-8"'),
        ("application/json; charset=utf-8", "application/json;charset=UTF-8"),
        ("text/plain", "text/plain"),
    ],
)
def test_a_stated_content_type_is_met_by_its_own_spellings(
    registry_root: Path, stated: str, answered: str
) -> None:
    _stating(registry_root, stated)
    report = _verify(registry_root, answered)
    assert report.ok, report.render_text()


def test_a_stated_charset_must_be_answered(registry_root: Path) -> None:
    _stating(registry_root, "application/json; charset=utf-8")
    assert not _verify(registry_root, "application/json").ok


# -- ContractMiddleware --------------------------------------------------------------


def _respond(tmp_path: Path, content_type: bytes) -> list[Any]:
    root = tmp_path / "contracts"
    schema = {"$schema": DRAFT_2020_12, "type": "object", "required": ["qty"]}
    add_contract(root, "shop.qty", {"1.0.0": schema})
    clear_caches()

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", content_type)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    middleware = ContractMiddleware(
        inner, routes={"GET /qty": {"response": "shop.qty@1.0.0"}}, registry=root
    )
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/qty", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    return sent


@pytest.mark.parametrize(
    "content_type",
    [
        b"text/html, application/json",
        b"text/plain; charset=utf-8, application/json",
        b"text/plain junk",
        b'text/plain; a="open',
        b"application/json",
        b"APPLICATION/PROBLEM+JSON; charset=utf-8",
    ],
)
def test_the_middleware_checks_a_response_unless_it_is_one_other_media_type(
    tmp_path: Path, content_type: bytes
) -> None:
    sent = _respond(tmp_path, content_type)
    assert sent[0]["status"] == 500


@pytest.mark.parametrize("content_type", [b"text/html", b"text/plain; charset=utf-8"])
def test_the_middleware_passes_one_other_media_type(tmp_path: Path, content_type: bytes) -> None:
    sent = _respond(tmp_path, content_type)
    assert sent[0]["status"] == 200


# -- pact import ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/json, text/html", "application/json; charset=utf-8 junk"]
)
def test_pact_import_refuses_a_body_typed_with_no_one_media_type(
    tmp_path: Path, content_type: str
) -> None:
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
                    "headers": {"Content-Type": content_type},
                    "body": {"id": 1},
                },
            }
        ],
    }
    with pytest.raises(DocumentError) as info:
        import_pact(pact)
    assert info.value.code == "pact-unsupported-body"


def test_pact_import_refuses_two_content_type_headers_of_a_body(tmp_path: Path) -> None:
    """``Content-Type`` and ``content-type`` in one headers table: the first was read."""
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
                    "headers": {"Content-Type": "application/json", "content-type": "text/xml"},
                    "body": {"id": 1},
                },
            }
        ],
    }
    with pytest.raises(DocumentError) as info:
        import_pact(pact)
    assert info.value.code == "pact-unsupported-body"


def _respond_valid(tmp_path: Path, content_type: bytes) -> list[Any]:
    root = tmp_path / "contracts"
    schema = {"$schema": DRAFT_2020_12, "type": "object", "properties": {"name": {"enum": ["é"]}}}
    add_contract(root, "shop.name", {"1.0.0": schema})
    clear_caches()

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", content_type)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": '{"name": "é"}'.encode()})

    middleware = ContractMiddleware(
        inner, routes={"GET /name": {"response": "shop.name@1.0.0"}}, registry=root
    )
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/name", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    return sent


@pytest.mark.parametrize(
    "content_type", [b"application/json; charset=iso-8859-1", b"application/json;charset=utf-16"]
)
def test_the_middleware_refuses_a_json_response_in_another_charset(
    tmp_path: Path, content_type: bytes
) -> None:
    """Checked as UTF-8, read by clients honouring the charset as other text (requests'
    ``json()`` reads ``é`` written in UTF-8 as ``Ã©`` under ISO-8859-1)."""
    sent = _respond_valid(tmp_path, content_type)
    assert sent[0]["status"] == 500
    assert b"charset" in sent[1]["body"]


@pytest.mark.parametrize(
    "content_type",
    [b"application/json", b"application/json; charset=UTF-8", b'application/json; charset="utf-8"'],
)
def test_the_middleware_passes_a_json_response_in_utf_8(
    tmp_path: Path, content_type: bytes
) -> None:
    sent = _respond_valid(tmp_path, content_type)
    assert sent[0]["status"] == 200
