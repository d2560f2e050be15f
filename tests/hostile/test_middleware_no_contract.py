"""ContractMiddleware refuses routes that check nothing.

``routes={}``, a route mapped to ``{}``, to ``RouteContract()``, to
``{"request": None, "response": None}`` or to a response map of no status: the
middleware started and every request passed unchecked, though the configuration reads
as validating them. As a status key no response can have already was, each is a
``UsageError`` (failing startup under ``app.add_middleware``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from _asgi import lifespan_startup
from accord.errors import UsageError
from accord.service.fastapi import ContractMiddleware, RouteContract

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
MONEY = "common.money@^1"

NOTHING_CHECKED: dict[str, Any] = {
    "no-route": {},
    "route-empty-dict": {"GET /items/{sku}": {}},
    "route-contract-of-nothing": {"GET /items/{sku}": RouteContract()},
    "request-and-response-none": {"GET /items/{sku}": {"request": None, "response": None}},
    "response-of-no-status": {"GET /items/{sku}": {"response": {}}},
    "one-route-of-nothing-among-others": {
        "GET /items/{sku}": {"response": MONEY},
        "POST /items": {"response": {}},
    },
}


@pytest.mark.parametrize("routes", list(NOTHING_CHECKED.values()), ids=list(NOTHING_CHECKED))
def test_routes_that_check_nothing_are_a_usage_error(routes: dict[str, Any]) -> None:
    with pytest.raises(UsageError) as caught:
        ContractMiddleware(FastAPI(), routes=routes, registry=CONTRACTS)
    assert caught.value.code == "usage"
    assert "no contract" in str(caught.value)


@pytest.mark.parametrize("routes", list(NOTHING_CHECKED.values()), ids=list(NOTHING_CHECKED))
def test_routes_that_check_nothing_fail_startup(routes: dict[str, Any]) -> None:
    app = FastAPI()
    app.add_middleware(ContractMiddleware, routes=routes, registry=CONTRACTS)

    @app.get("/items/{sku}")
    def item(sku: str) -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    @app.post("/items")
    def add() -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    sent = lifespan_startup(app)
    assert sent[0]["type"] == "lifespan.startup.failed"


@pytest.mark.parametrize(
    "value",
    [MONEY, {"request": MONEY}, {"response": MONEY}, {"response": {200: MONEY}}],
    ids=["reference", "request", "response", "response-by-status"],
)
def test_a_route_with_a_contract_is_accepted(value: Any) -> None:
    middleware = ContractMiddleware(FastAPI(), routes={"POST /items": value}, registry=CONTRACTS)
    assert len(middleware._routes) == 1
