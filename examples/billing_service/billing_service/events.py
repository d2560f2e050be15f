"""What billing reads from orders.order-placed: a tolerant reader.

It declares only the fields billing uses and ignores the rest (Pydantic's default
``extra="ignore"``), so new optional fields in the contract never break it. The startup
check proves it accepts every order-placed event a producer on the contract may emit.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from billing_models.common.money.v1_0_0 import Money


class OrderToBill(BaseModel):
    order_id: UUID
    total: Money
