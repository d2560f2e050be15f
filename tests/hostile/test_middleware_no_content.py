"""A response whose status has no content (204, 205; 304 and 1xx are no 2xx) is never
checked as a JSON body.

``"response": ref`` names the contract of every 2xx JSON response; a ``DELETE`` answered
``204 No Content`` (FastAPI's ``status_code=204``, which keeps its JSON media type) was
checked as an empty document and replaced by a 500 on every call. A contract keyed by
such a status could never pass: it is refused at startup.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from accord.errors import UsageError
from accord.service.fastapi import ContractMiddleware

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
MONEY = "common.money@^1"


def _app(response: Any) -> FastAPI:
    app = FastAPI()

    @app.delete("/items/{sku}", status_code=204)
    def delete(sku: str) -> None:
        return None

    @app.put("/items/{sku}")
    def put(sku: str) -> dict[str, Any]:
        return {"amount": 5}

    app.add_middleware(
        ContractMiddleware,
        routes={
            "DELETE /items/{sku}": {"response": response},
            "PUT /items/{sku}": {"response": response},
        },
        registry=CONTRACTS,
    )
    return app


def _call(app: FastAPI, method: str, path: str) -> int:
    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.request(method, path)).status_code

    return asyncio.run(go())


def test_a_no_content_answer_is_not_checked_as_a_body() -> None:
    app = _app(MONEY)
    assert _call(app, "DELETE", "/items/a") == 204
    assert _call(app, "PUT", "/items/a") == 500  # a 2xx with a body is still checked


@pytest.mark.parametrize("status", [101, 204, 205, 304])
def test_a_contract_for_a_status_without_content_is_refused(status: int) -> None:
    with pytest.raises(UsageError, match=str(status)) as caught:
        ContractMiddleware(
            FastAPI(), routes={"GET /x": {"response": {status: MONEY}}}, registry=CONTRACTS
        )
    assert caught.value.code == "usage"
