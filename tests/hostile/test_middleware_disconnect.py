"""ContractMiddleware does not hand a request cut short by a disconnect to the app.

Before: a client that sent ``1`` (more to come) and hung up had ``1`` checked as the
whole body against ``{"type": "integer"}`` and the app was called with ``b"1"`` and
``more_body: False``: a truncated body was passed on as a complete, valid one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from _registry_builders import DRAFT_2020_12, add_contract
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware


def _drive(tmp_path: Path, incoming: list[dict[str, Any]]) -> tuple[list[bytes], list[Any]]:
    root = tmp_path / "contracts"
    add_contract(root, "shop.count", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "integer"}})
    clear_caches()
    seen: list[bytes] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        seen.append(message.get("body", b"") if not message.get("more_body") else b"partial")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    middleware = ContractMiddleware(
        inner, routes={"POST /count": "shop.count@1.0.0"}, registry=root
    )
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/count", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    return seen, sent


def test_a_body_cut_by_a_disconnect_is_not_passed_on(tmp_path: Path) -> None:
    seen, sent = _drive(
        tmp_path,
        [{"type": "http.request", "body": b"1", "more_body": True}, {"type": "http.disconnect"}],
    )
    assert seen == []
    assert sent == []


def test_a_whole_body_is_still_passed_on(tmp_path: Path) -> None:
    seen, _sent = _drive(
        tmp_path,
        [
            {"type": "http.request", "body": b"1", "more_body": True},
            {"type": "http.request", "body": b"2", "more_body": False},
        ],
    )
    assert seen == [b"12"]
