"""Driving an ASGI app's lifespan in tests as a server does."""

from __future__ import annotations

import asyncio
from typing import Any


def lifespan_startup(app: Any) -> list[dict[str, Any]]:
    """Drive the ASGI lifespan as a server does (startup, then shutdown); the messages
    the app sent."""
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    try:
        asyncio.run(app(scope, receive, send))
    except Exception:
        # An app that reported lifespan.startup.failed may end its lifespan with the
        # error; uvicorn then only logs the message it sent.
        if not any(m["type"] == "lifespan.startup.failed" for m in sent):
            raise
    return sent
