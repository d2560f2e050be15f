"""A ``HEAD`` request is checked as the ``GET`` route that answers it.

Starlette's ``Route`` adds ``HEAD`` to a route declaring ``GET`` and runs the GET
handler for it. ``ContractMiddleware`` looked up ``HEAD /path``, found no key and passed
the request on unchecked: a body the ``GET /path`` contract refuses reached the handler
(its side effects ran; only the answer's body was dropped). Now the GET route's request
contract applies; a HEAD answer has no content, so no response contract is checked.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from _registry_builders import DRAFT_2020_12, add_contract
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware


@pytest.fixture
def app(tmp_path: Path) -> tuple[Starlette, list[bytes]]:
    root = tmp_path / "contracts"
    add_contract(root, "shop.q", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "integer"}})
    add_contract(root, "shop.out", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "object"}})
    clear_caches()
    seen: list[bytes] = []

    async def handler(request: Request) -> Response:
        seen.append(await request.body())
        return JSONResponse({"ok": 1})

    star = Starlette(routes=[Route("/q", handler, methods=["GET"])])
    star.add_middleware(
        ContractMiddleware,
        routes={"GET /q": {"request": "shop.q@1.0.0", "response": "shop.out@1.0.0"}},
        registry=root,
    )
    return star, seen


def _drive(app: Starlette, method: str, body: bytes) -> int:
    sent: list[Any] = []
    incoming = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/q",
        "raw_path": b"/q",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "server": ("test", 80),
        "client": ("test", 1234),
    }
    asyncio.run(app(scope, receive, send))
    status: int = sent[0]["status"]
    return status


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_body_the_get_contract_refuses_never_reaches_the_handler(
    app: tuple[Starlette, list[bytes]], method: str
) -> None:
    star, seen = app
    assert _drive(star, method, b'"not an int"') == 422
    assert seen == []


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_valid_body_is_answered(app: tuple[Starlette, list[bytes]], method: str) -> None:
    star, seen = app
    assert _drive(star, method, b"1") == 200
    assert seen == [b"1"]
