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
    asyncio.run(app(scope, receive, send))
    return sent
