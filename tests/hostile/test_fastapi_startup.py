"""ContractMiddleware fails the app's startup, not the first request (and never
silently), on a route key that matches no route or a contract that does not exist."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from _asgi import lifespan_startup
from accord.errors import ContractNotFound, UsageError
from accord.service.fastapi import ContractMiddleware

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
MONEY = "common.money@^1"


def _app(routes: dict[str, Any]) -> FastAPI:
    app = FastAPI()
    app.add_middleware(ContractMiddleware, routes=routes, registry=CONTRACTS)

    @app.get("/items/{sku}")
    def item(sku: str) -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    return app


def test_a_route_key_matching_no_route_fails_startup_with_did_you_mean() -> None:
    sent = lifespan_startup(_app({"GET /itemz/{sku}": {"response": MONEY}}))
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "'GET /itemz/{sku}' matches no route" in sent[0]["message"]
    assert "did you mean 'GET /items/{sku}'?" in sent[0]["message"]


def test_a_route_key_matching_no_route_fails_requests_without_a_lifespan() -> None:
    app = _app({"GET /itemz/{sku}": {"response": MONEY}})

    async def go() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await client.get("/items/A-1")

    with pytest.raises(UsageError, match="matches no route"):
        asyncio.run(go())


def test_an_unknown_contract_fails_startup_not_the_first_request() -> None:
    sent = lifespan_startup(_app({"GET /items/{sku}": {"response": "common.mony@^1"}}))
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "no contract 'common.mony'" in sent[0]["message"]
    assert "did you mean common.money" in sent[0]["message"]


def test_a_good_configuration_starts() -> None:
    sent = lifespan_startup(_app({"GET /items/{sku}": {"response": MONEY}}))
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_wrapped_directly_an_unknown_contract_fails_at_construction() -> None:
    with pytest.raises(KeyError, match=r"did you mean common\.money"):
        ContractMiddleware(FastAPI(), routes={"GET /x": "common.mony@^1"}, registry=CONTRACTS)


def test_a_failed_startup_ends_the_lifespan_with_its_error() -> None:
    # After lifespan.startup.failed a server sends no lifespan.shutdown: Starlette's
    # TestClient waits for the app's lifespan to end and re-raises its error, uvicorn
    # exits. The lifespan used to wait for a shutdown forever, so a test hung silently.
    app = _app({"GET /items/{sku}": {"response": "common.mony@^1"}})
    sent: list[dict[str, Any]] = []
    startup = [{"type": "lifespan.startup"}]

    async def receive() -> dict[str, Any]:
        if startup:
            return startup.pop()
        await asyncio.Event().wait()  # no shutdown ever comes
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    async def run() -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        await asyncio.wait_for(app(scope, receive, send), timeout=10)

    with pytest.raises(ContractNotFound, match=r"did you mean common\.money"):
        asyncio.run(run())
    assert [m["type"] for m in sent] == ["lifespan.startup.failed"]
