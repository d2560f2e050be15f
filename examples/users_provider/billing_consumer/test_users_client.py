"""billing's consumer test: it exercises the real client against accord's in-process stub
and, when it passes, writes the expectation ``contracts/consumers/billing/users.json``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from accord.consumers import integer, string
from billing_consumer.client import UsersClient


def test_billing_reads_id_name_and_email(accord_expectation: Callable[..., Any]) -> None:
    e = accord_expectation(
        "billing", version="1.4.0", branch="main", name="users", provider="users-service"
    )
    (
        e.upon_receiving("get user 123")
        .given("user 123 exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200,
            contract="users.user@^1",
            body={"id": integer(123), "name": string("Ada"), "email": string("ada@example.com")},
        )
    )
    client = UsersClient(httpx.Client(transport=e.transport(), base_url="http://users"))
    customer = client.customer(123)
    assert (customer.name, customer.email) == ("Ada", "ada@example.com")
