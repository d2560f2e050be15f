"""A request body over ``max_body`` is refused however the server hands it over.

``ContractMiddleware`` compared the size with the cap only while more body was to come:
a body delivered whole in one ``http.request`` message (as Mangum does on AWS Lambda,
or any server that buffers the request) was parsed and checked at any size, and reached
the app, where ``max_body`` promises a 413.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from accord.service.fastapi import ContractMiddleware

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
PROBLEM = {"type": "t", "title": "t", "status": 400}


def _call(body: bytes, *, log_only: bool, split: bool) -> tuple[int, list[bytes]]:
    app = FastAPI()
    seen: list[bytes] = []

    @app.post("/x")
    async def x(payload: dict[str, Any]) -> int:
        seen.append(json.dumps(payload).encode())
        return 1

    middleware = ContractMiddleware(
        app,
        routes={"POST /x": "common.error@^1"},
        registry=CONTRACTS,
        max_body=1000,
        log_only=log_only,
    )
    chunks = [body[:10], body[10:]] if split else [body]
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "headers": [(b"content-type", b"application/json")],
        "query_string": b"",
        "app": app,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "server": ("t", 80),
        "root_path": "",
    }
    asyncio.run(middleware(scope, receive, send))
    (status,) = [m["status"] for m in sent if m["type"] == "http.response.start"]
    return status, seen


@pytest.mark.parametrize("split", [False, True], ids=["one-message", "two-messages"])
def test_a_body_over_the_cap_is_413(split: bool) -> None:
    body = json.dumps({**PROBLEM, "detail": "x" * 5000}).encode()
    assert _call(body, log_only=False, split=split) == (413, [])


@pytest.mark.parametrize("split", [False, True], ids=["one-message", "two-messages"])
def test_log_only_passes_it_on_whole(split: bool) -> None:
    body = json.dumps({**PROBLEM, "detail": "x" * 5000}).encode()
    status, seen = _call(body, log_only=True, split=split)
    assert status == 200
    assert json.loads(seen[0]) == json.loads(body)


def test_a_body_within_the_cap_is_checked_as_before() -> None:
    assert _call(json.dumps(PROBLEM).encode(), log_only=False, split=False)[0] == 200
    assert _call(b'{"type": 1}', log_only=False, split=False)[0] == 422
