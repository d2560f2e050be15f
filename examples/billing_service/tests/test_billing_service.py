"""billing-service tests: every example order-placed event is billed conformingly."""

from __future__ import annotations

import pytest

import accord
from accord.testing import assert_conforms
from billing_service.handler import handle_order_placed


def test_the_service_conforms_to_its_manifest():
    accord.check_service()


@pytest.mark.accord_contract("orders.order-placed@^1.2")
def test_bills_every_example_order(accord_examples):
    assert len(accord_examples) == 10
    for event in accord_examples:
        assert_conforms(handle_order_placed(event), "payments.payment-captured@^1")


def test_invalid_events_are_rejected_at_the_edge(accord_examples, accord_validator):
    # The handler reads with a tolerant model; the contract validator guards the edge.
    check = accord_validator("orders.order-placed@^1.2")
    invalid = accord_examples("orders.order-placed@^1.2", 5, invalid=True)
    assert invalid
    assert not any(check.is_valid(event) for event in invalid)
