"""orders-service tests, using accord's pytest plugin (fixtures and marker)."""

from __future__ import annotations

import httpx
import pytest

import accord
from accord.testing import assert_conforms
from orders_service.app import ORDER_PLACED, app
from orders_service.events import OrderPlaced

ORDER = {
    "customer": {"id": 7, "name": "Ada", "email": "ada@example.com"},
    "line_items": [{"sku": "MUG-0042", "quantity": 2, "unit_price": {"amount": "9.50", "currency": "EUR"}}],
}


def test_the_service_conforms_to_its_manifest():
    report = accord.check_service()
    assert {c.role for c in report.checks} == {"producer", "consumer"}


@pytest.mark.accord_contract(ORDER_PLACED)
def test_emitted_event_conforms(accord_validator):
    transport = httpx.ASGITransport(app=app)

    async def call():
        async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
            return await client.post("/orders", json=ORDER)

    import asyncio

    response = asyncio.run(call())
    assert response.status_code == 201
    accord_validator.validate(response.json())
    assert_conforms(response.json(), ORDER_PLACED)


@pytest.mark.accord_contract(ORDER_PLACED)
def test_model_parses_every_example(accord_examples):
    for payload in accord_examples:
        OrderPlaced.model_validate(payload)
