"""ContractMiddleware's ``routes`` argument: a shape it cannot read is a ``UsageError``
(failing startup under ``app.add_middleware``), never a ``ValueError``/``TypeError``
traceback, and never a contract that is silently never checked (a status key no
response can have, such as ``True`` read as status 1)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from _asgi import lifespan_startup
from accord.errors import UsageError
from accord.service.fastapi import ContractMiddleware, RouteContract

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
MONEY = "common.money@^1"

BAD_ROUTES = {
    "status-2xx": {"GET /items/{sku}": {"response": {"2xx": MONEY}}},
    "status-true": {"GET /items/{sku}": {"response": {True: MONEY}}},
    "status-float": {"GET /items/{sku}": {"response": {200.5: MONEY}}},
    "status-99": {"GET /items/{sku}": {"response": {99: MONEY}}},
    "status-600": {"GET /items/{sku}": {"response": {600: MONEY}}},
    "status-none": {"GET /items/{sku}": {"response": {None: MONEY}}},
    "status-fullwidth-digits": {"GET /items/{sku}": {"response": {"\uff12\uff10\uff10": MONEY}}},
    "response-int": {"GET /items/{sku}": {"response": 5}},
    "response-list": {"GET /items/{sku}": {"response": [MONEY]}},
    "route-none": {"GET /items/{sku}": None},
    "route-list": {"GET /items/{sku}": [MONEY]},
    "route-contract-status-true": {"GET /items/{sku}": RouteContract(response={True: MONEY})},
    "key-int": {5: MONEY},
    # one status twice (an int and its digits): the later silently replaced the earlier
    "status-twice": {"GET /items/{sku}": {"response": {200: MONEY, "200": "common.error@^1"}}},
    "status-twice-spaced": {"GET /items/{sku}": {"response": {"201": MONEY, " 201": MONEY}}},
}


@pytest.mark.parametrize("routes", list(BAD_ROUTES.values()), ids=list(BAD_ROUTES))
def test_a_routes_shape_it_cannot_read_is_a_usage_error(routes: dict[Any, Any]) -> None:
    with pytest.raises(UsageError) as caught:
        ContractMiddleware(FastAPI(), routes=routes, registry=CONTRACTS)
    assert caught.value.code == "usage"


@pytest.mark.parametrize("routes", list(BAD_ROUTES.values()), ids=list(BAD_ROUTES))
def test_a_routes_shape_it_cannot_read_fails_startup(routes: dict[Any, Any]) -> None:
    app = FastAPI()
    app.add_middleware(ContractMiddleware, routes=routes, registry=CONTRACTS)

    @app.get("/items/{sku}")
    def item(sku: str) -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    sent = lifespan_startup(app)
    assert sent[0]["type"] == "lifespan.startup.failed"


@pytest.mark.parametrize("routes", [None, [("GET /x", MONEY)], "GET /x"])
def test_routes_that_are_no_mapping_are_a_usage_error(routes: Any) -> None:
    with pytest.raises(UsageError, match="routes"):
        ContractMiddleware(FastAPI(), routes=routes, registry=CONTRACTS)


@pytest.mark.parametrize("status", [200, "201", " 202 "])
def test_status_codes_as_numbers_or_digit_strings_are_read(status: Any) -> None:
    middleware = ContractMiddleware(
        FastAPI(), routes={"GET /x": {"response": {status: MONEY}}}, registry=CONTRACTS
    )
    (compiled,) = middleware._routes.values()
    assert compiled.spec.response_ref(int(status)) == MONEY


def _mounted(routes: dict[str, Any]) -> FastAPI:
    """An app serving its orders from a sub-app mounted at ``/api``."""
    sub = FastAPI()

    @sub.post("/orders/{order_id}")
    def amend(order_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    @sub.post("/orders")
    def place(payload: dict[str, Any]) -> dict[str, Any]:
        return {"amount": "1.00", "currency": "EUR"}

    app = FastAPI()
    app.mount("/api", sub)
    app.add_middleware(ContractMiddleware, routes=routes, registry=CONTRACTS)
    return app


def _post(app: FastAPI, path: str, payload: Any) -> int:
    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.post(path, json=payload)).status_code

    return asyncio.run(go())


@pytest.mark.parametrize("template", ["/api/orders", "/api/orders/{order_id}"])
def test_a_route_of_a_mounted_app_is_checked(template: str) -> None:
    app = _mounted({f"POST {template}": {"request": MONEY}})
    path = template.replace("{order_id}", "A-1")
    assert _post(app, path, {"amount": 1}) == 422
    assert _post(app, path, {"amount": "1.00", "currency": "EUR"}) == 200


def test_a_key_under_a_mount_matching_no_route_of_the_mounted_app_fails_startup() -> None:
    sent = lifespan_startup(_mounted({"POST /api/order/{order_id}": {"request": MONEY}}))
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "did you mean 'POST /api/orders/{order_id}'" in sent[0]["message"]


def _legacy(key: str) -> FastAPI:
    """An app mounting a plain ASGI app (no router to match templates against)."""

    async def legacy(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("never called")

    app = FastAPI()
    app.mount("/legacy", legacy)
    app.add_middleware(ContractMiddleware, routes={key: {"request": MONEY}}, registry=CONTRACTS)
    return app


def test_a_template_under_an_app_without_routes_fails_startup() -> None:
    # Only an exact path can be checked there: a template would never match.
    assert (
        lifespan_startup(_legacy("POST /legacy/orders/{id}"))[0]["type"]
        == "lifespan.startup.failed"
    )
    assert (
        lifespan_startup(_legacy("POST /legacy/orders"))[0]["type"] == "lifespan.startup.complete"
    )


def _shadowed() -> tuple[FastAPI, list[str]]:
    """An app whose ``/items/{sku}`` is declared before ``/items/special``: Starlette
    sends ``POST /items/special`` to the first (the second is never reached)."""
    app = FastAPI()
    handled: list[str] = []

    @app.post("/items/{sku}")
    def by_sku(sku: str, payload: dict[str, Any]) -> dict[str, Any]:
        handled.append("by_sku")
        return {"type": "t", "title": "not money", "status": 400}

    @app.post("/items/special")
    def special(payload: dict[str, Any]) -> dict[str, Any]:
        handled.append("special")
        return {"type": "t", "title": "t", "status": 400}

    app.add_middleware(
        ContractMiddleware,
        routes={
            "POST /items/{sku}": {"request": MONEY, "response": MONEY},
            "POST /items/special": {"request": "common.error@^1", "response": "common.error@^1"},
        },
        registry=CONTRACTS,
    )
    return app, handled


def test_a_path_is_checked_by_the_route_starlette_dispatches_it_to() -> None:
    # Before, the path's own key was taken first: /items/special was checked against the
    # shadowed route's contracts (an error body passed) and handled by /items/{sku}.
    app, handled = _shadowed()
    error = {"type": "t", "title": "t", "status": 400}
    assert _post(app, "/items/special", error) == 422
    assert handled == []
    assert _post(app, "/items/special", {"amount": "1.00", "currency": "EUR"}) == 500
    assert handled == ["by_sku"]  # its response is no money: refused, not sent


@pytest.mark.parametrize(
    "second", ["post /items/{sku}", "POST /items/{sku} ", " POST /items/{sku}"]
)
def test_two_keys_naming_one_route_are_refused(second: str) -> None:
    # Before, the second replaced the first: its request contract was never checked.
    routes = {"POST /items/{sku}": {"request": MONEY}, second: {"response": MONEY}}
    with pytest.raises(UsageError, match=re.escape("POST /items/{sku}")) as caught:
        ContractMiddleware(FastAPI(), routes=routes, registry=CONTRACTS)
    assert caught.value.code == "usage"
