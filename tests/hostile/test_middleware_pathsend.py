"""ContractMiddleware does not let a checked response's body bypass it.

Before: an app answering a checked route with ``http.response.start`` (JSON) and then
an ``http.response.pathsend`` (the ASGI extension servers such as granian offer for
files) had its start held back and the pathsend passed on alone: the body went out
unchecked and the response had no start.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware

START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json")],
}


def _drive(tmp_path: Path, answer: list[dict[str, Any]], **options: Any) -> list[Any]:
    root = tmp_path / "contracts"
    publish(root, "shop.count", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "integer"}})
    clear_caches()

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        for message in answer:
            await send(message)

    middleware = ContractMiddleware(
        inner, routes={"GET /count": {"response": "shop.count@1.0.0"}}, registry=root, **options
    )
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/count", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_pathsend_body_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('"not a number"')
    sent = _drive(tmp_path, [START, {"type": "http.response.pathsend", "path": str(bad)}])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 500
    assert b"http.response.pathsend" in sent[1]["body"]


def test_log_only_passes_it_on_after_its_start(tmp_path: Path) -> None:
    pathsend = {"type": "http.response.pathsend", "path": "/nowhere"}
    sent = _drive(tmp_path, [START, pathsend], log_only=True)
    assert sent == [START, pathsend]


@pytest.mark.parametrize("trailers", [True, False])
def test_trailers_after_a_checked_body_pass(tmp_path: Path, trailers: bool) -> None:
    body = {"type": "http.response.body", "body": b"3", "more_body": False}
    tail = [{"type": "http.response.trailers", "headers": []}] if trailers else []
    sent = _drive(tmp_path, [START, body, *tail])
    assert [m["type"] for m in sent] == [
        "http.response.start",
        "http.response.body",
        *(["http.response.trailers"] if trailers else []),
    ]
    assert sent[0]["status"] == 200
