"""Handle an order-placed event: capture the payment, emit payment-captured."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from billing_models.payments.payment_captured.v1_0_0 import PaymentCaptured
from billing_service.events import OrderToBill


def handle_order_placed(event: dict[str, Any]) -> dict[str, Any]:
    order = OrderToBill.model_validate(event)
    captured = PaymentCaptured(
        payment_id=str(uuid.uuid4()),
        order_id=str(order.order_id),
        amount=order.total.model_dump(),  # each generated module has its own Money class
        method="card",
        captured_at=datetime.now(UTC).isoformat(),
    )
    return captured.model_dump(mode="json", by_alias=True, exclude_none=True)
