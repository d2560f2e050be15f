"""accord.service.fastapi: the contract middleware and the body dependency, over httpx ASGI."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from accord.service.fastapi import ContractMiddleware, body

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
MONEY = "common.money@^1"
GOOD = {"amount": "9.99", "currency": "EUR"}
BAD = {"amount": 9.99, "currency": "eur"}


def _call(app: Any, method: str, path: str, json: Any = None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, json=json)

    return asyncio.run(go())


def _app(**options: Any) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        ContractMiddleware,
        routes={
            "POST /prices/{sku}": {"request": MONEY, "response": {200: MONEY}},
            "GET /prices/{sku}": {"response": MONEY},
        },
        registry=CONTRACTS,
        **options,
    )

    @app.post("/prices/{sku}")
    def set_price(sku: str, price: dict[str, Any]) -> dict[str, Any]:
        return price

    @app.get("/prices/{sku}")
    def get_price(sku: str, broken: bool = False) -> dict[str, Any]:
        return BAD if broken else GOOD

    @app.post("/unchecked")
    def unchecked(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    @app.post("/dep")
    def with_dependency(
        payload: Annotated[dict[str, Any], Depends(body(MONEY, registry=CONTRACTS))],
    ) -> dict[str, Any]:
        return {"got": payload}

    return app


def test_valid_request_and_response_pass() -> None:
    response = _call(_app(), "POST", "/prices/MUG-0042", GOOD)
    assert response.status_code == 200
    assert response.json() == GOOD


def test_invalid_request_is_a_422_naming_every_error() -> None:
    response = _call(_app(), "POST", "/prices/MUG-0042", BAD)
    assert response.status_code == 422
    data = response.json()
    assert data["contract"] == "common.money@1.0.0"
    locs = sorted(tuple(e["loc"]) for e in data["detail"])
    assert locs == [("body", "amount"), ("body", "currency")]
    assert {e["type"] for e in data["detail"]} == {"contract_violation"}


def test_malformed_json_is_a_422() -> None:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                "/prices/X",
                content=b'{"a": 1, "a": 2}',
                headers={"content-type": "application/json"},
            )

    response = asyncio.run(go())
    assert response.status_code == 422
    assert "duplicate" in response.json()["detail"][0]["msg"]


def test_invalid_response_is_replaced_by_a_500() -> None:
    response = _call(_app(), "GET", "/prices/MUG-0042?broken=true")
    assert response.status_code == 500
    data = response.json()
    assert data["error"] == "response violates contract"
    assert data["contract"] == "common.money@1.0.0"
    locs = {tuple(e["loc"]) for e in data["detail"]}
    assert locs == {("response", "amount"), ("response", "currency")}


def test_log_only_passes_through_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    app = _app(log_only=True)
    with caplog.at_level(logging.WARNING, logger="accord.service.fastapi"):
        request = _call(app, "POST", "/prices/MUG-0042", BAD)
        response = _call(app, "GET", "/prices/MUG-0042?broken=true")
    assert request.status_code == 200
    assert response.status_code == 200
    assert response.json() == BAD
    messages = [r.getMessage() for r in caplog.records]
    assert any("request body violates common.money@1.0.0" in m for m in messages)
    assert any("response body violates common.money@1.0.0" in m for m in messages)


def test_sampling_skips_unsampled_requests() -> None:
    never = _app(sample_rate=0.5, rng=lambda: 0.9)
    assert _call(never, "POST", "/prices/X", BAD).status_code == 200
    always = _app(sample_rate=0.5, rng=lambda: 0.1)
    assert _call(always, "POST", "/prices/X", BAD).status_code == 422


def test_unlisted_routes_are_not_checked() -> None:
    assert _call(_app(), "POST", "/unchecked", BAD).status_code == 200


def test_body_dependency() -> None:
    app = _app()
    assert _call(app, "POST", "/dep", GOOD).json() == {"got": GOOD}
    response = _call(app, "POST", "/dep", BAD)
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs == {("body", "amount"), ("body", "currency")}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"routes": {"/prices": MONEY}}, "METHOD /path", id="bad-route-key"),
        pytest.param({"routes": {}, "sample_rate": 2.0}, "sample_rate", id="bad-sample-rate"),
        pytest.param({"routes": {"POST /x": {"body": MONEY}}}, "request", id="bad-route-spec"),
    ],
)
def test_bad_configuration_fails_at_boot(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ContractMiddleware(FastAPI(), registry=CONTRACTS, **options)


def test_unknown_contract_fails_at_boot() -> None:
    with pytest.raises(KeyError):
        ContractMiddleware(FastAPI(), routes={"POST /x": "nope.nothing@^1"}, registry=CONTRACTS)


# -- the example orders-service app -----------------------------------------------------

ORDER = {
    "customer": {"id": 7, "name": "Ada", "email": "ada@example.com"},
    "line_items": [
        {"sku": "MUG-0042", "quantity": 2, "unit_price": {"amount": "9.50", "currency": "EUR"}}
    ],
}


@pytest.fixture(scope="module")
def orders_app() -> Any:
    sys.path.insert(0, str(ROOT / "examples" / "orders_service"))
    try:
        from orders_service.app import app
    finally:
        sys.path.remove(str(ROOT / "examples" / "orders_service"))
    return app


def test_orders_service_emits_conforming_events(orders_app: Any) -> None:
    from accord.testing import assert_conforms

    response = _call(orders_app, "POST", "/orders", ORDER)
    assert response.status_code == 201, response.text
    event = response.json()
    assert_conforms(event, "orders.order-placed@^1.2", registry=CONTRACTS)
    assert event["total"] == {"amount": "19.00", "currency": "EUR"}


def test_orders_service_refuses_a_broken_replay(orders_app: Any) -> None:
    event = _call(orders_app, "POST", "/orders", ORDER).json()
    assert _call(orders_app, "POST", "/orders/replay", event).status_code == 200
    broken = _call(orders_app, "POST", "/orders/replay?drop=total", event)
    assert broken.status_code == 500
    assert broken.json()["contract"] == "orders.order-placed@1.2.0"
    bad_request = _call(orders_app, "POST", "/orders/replay", {**event, "status": "lost"})
    assert bad_request.status_code == 422
    assert bad_request.json()["detail"][0]["loc"] == ["body", "status"]
