"""The events orders-service emits, as the service's own Pydantic models.

They are hand-written (the service owns its types), built from the generated money
model, and checked against the registry at boot (``python -m orders_service``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from orders_models.common.money.v1_0_0 import Money


class Customer(BaseModel):
    id: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1)]
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]


class LineItem(BaseModel):
    sku: Annotated[str, Field(pattern=r"^[A-Z]{3}-[0-9]{4,8}$")]
    quantity: int  # drifted: the contract requires >= 1
    unit_price: Money


class OrderPlaced(BaseModel):
    """orders.order-placed, as emitted by this service."""

    order_id: UUID
    placed_at: datetime  # drifted: may be naive, serialised without offset
    status: Literal["pending_payment", "confirmed"] = "pending_payment"
    customer: Customer
    line_items: Annotated[list[LineItem], Field(min_length=1)]
    total: Money
