"""The HTTP API: POST /orders places an order and returns the orders.order-placed event.

accord's middleware validates the response bodies of the listed routes against the
registry's contracts: every request in tests; in production set ACCORD_SAMPLE_RATE
(e.g. 0.01) and ACCORD_LOG_ONLY=1 to only log violations.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from accord.service.fastapi import ContractMiddleware
from orders_models.common.money.v1_0_0 import Money
from orders_service.events import Customer, LineItem, OrderPlaced

REGISTRY = Path(__file__).resolve().parents[3] / "contracts"
ORDER_PLACED = "orders.order-placed@^1.2"

app = FastAPI(title="orders-service")
app.add_middleware(
    ContractMiddleware,
    routes={
        "POST /orders": {"response": {201: ORDER_PLACED}},
        "POST /orders/replay": {"request": ORDER_PLACED, "response": ORDER_PLACED},
    },
    registry=REGISTRY,
    sample_rate=float(os.environ.get("ACCORD_SAMPLE_RATE", "1.0")),
    log_only=os.environ.get("ACCORD_LOG_ONLY") == "1",
)

EMITTED: list[dict[str, Any]] = []  # stands in for the message broker


class PlaceOrder(BaseModel):
    customer: Customer
    line_items: list[LineItem] = Field(min_length=1)


@app.post("/orders", status_code=201)
def place_order(order: PlaceOrder) -> dict[str, Any]:
    total = sum(Decimal(item.unit_price.amount) * item.quantity for item in order.line_items)
    event = OrderPlaced(
        order_id=uuid.uuid4(),
        placed_at=datetime.now(UTC),
        customer=order.customer,
        line_items=order.line_items,
        total=Money(amount=f"{total:.2f}", currency=order.line_items[0].unit_price.currency),
    )
    payload = event.model_dump(mode="json", by_alias=True, exclude_none=True)
    EMITTED.append(payload)
    return payload


@app.post("/orders/replay", status_code=200)
def replay(event: dict[str, Any], drop: str | None = None) -> dict[str, Any]:
    """Re-emit a stored event (``?drop=field`` simulates a buggy handler)."""
    if drop:
        event.pop(drop, None)
    EMITTED.append(event)
    return event
