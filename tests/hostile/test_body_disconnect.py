"""``body()``: a client that hangs up mid-body gets a clear 400, not a traceback.

Before, Starlette's ``ClientDisconnect`` escaped the dependency: the app logged
"Exception in ASGI application" with a traceback through accord's code, answered 500
and re-raised it into the server. FastAPI answers its own body parameters' read
failures with a 400 (``There was an error parsing the body``); ``body()`` does the
same, saying the body was cut short, and the endpoint never
sees what arrived (``1`` of ``12`` would pass ``type: integer``).
"""

# No ``from __future__ import annotations``: FastAPI reads route annotations.
import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI

from _registry_builders import DRAFT_2020_12, add_contract
from accord.registry.runtime import clear_caches
from accord.service.fastapi import body


def _app(tmp_path: Path, seen: list[Any]) -> FastAPI:
    root = tmp_path / "contracts"
    add_contract(root, "shop.count", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "integer"}})
    clear_caches()
    app = FastAPI()

    @app.post("/count")
    def count(payload: Annotated[Any, Depends(body("shop.count@1.0.0", registry=root))]) -> Any:
        seen.append(payload)
        return {"count": payload}

    return app


def _drive(app: FastAPI, incoming: list[dict[str, Any]]) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/count",
        "raw_path": b"/count",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
        "server": ("test", 80),
        "client": ("test", 1234),
    }
    asyncio.run(app(scope, receive, send))
    return sent


def test_a_client_hanging_up_mid_body_gets_a_400_and_the_endpoint_nothing(
    tmp_path: Path,
) -> None:
    seen: list[Any] = []
    sent = _drive(
        _app(tmp_path, seen),
        [{"type": "http.request", "body": b"1", "more_body": True}, {"type": "http.disconnect"}],
    )
    assert seen == []
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 400
    [detail] = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))["detail"]
    assert detail["keyword"] == "disconnect"
    assert "disconnected before the request body ended" in detail["msg"]


def test_a_whole_body_still_reaches_the_endpoint(tmp_path: Path) -> None:
    seen: list[Any] = []
    sent = _drive(
        _app(tmp_path, seen),
        [
            {"type": "http.request", "body": b"1", "more_body": True},
            {"type": "http.request", "body": b"2", "more_body": False},
        ],
    )
    assert seen == [12]
    assert sent[0]["status"] == 200
