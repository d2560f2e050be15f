"""A produced message's ``dataschema`` must be what consumers can use: an
``accord://ns.name@X.Y.Z`` URI inside the range the consumer reads.

The verifier read the stamp with ``registry.get``, which takes any reference: a stamp
``orders.order-placed@^2`` or a bare ``orders.order-placed`` picked 2.0.0, the message
was validated against 2.0.0 only, and the range check (which needs an exact version)
was skipped, so a message valid only under 2.0.0 passed for a consumer reading ``^1``.
A stamp ``accord://...@^2`` or a foreign URI stopped the whole run with an error instead
of failing the interaction. ``accord.lookup`` (the consumer's side) refuses all of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.consumers import Expectation, string
from accord.provider import MessageRegistry, Produced, verify_provider
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import ORDER_SCHEMA, registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

# Valid under 2.0.0 (total a string) and under no 1.x version.
BODY = b'{"order_id": "o-9", "total": "12.50"}'


@pytest.fixture
def orders(registry_root: Path) -> Path:
    v2 = json.loads(json.dumps(ORDER_SCHEMA))
    v2["properties"]["total"] = {"type": "string"}
    (registry_root / "orders" / "order-placed" / "2.0.0.schema.json").write_text(json.dumps(v2))
    e = Expectation("billing", version="1.4.0", name="orders")
    e.message("an order.placed event", "orders.order-placed@^1", {"order_id": string("o-1")})
    e.write(registry_root)
    return registry_root


def _verify(root: Path, stamp: str) -> object:
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: Produced(BODY, {"dataschema": stamp}))
    report = verify_provider(Registry.load(root), "orders-service", producers=producers)
    [result] = report.results
    return result


STAMPS = [
    "orders.order-placed@^2",
    "orders.order-placed@2.0.0",
    "orders.order-placed",
    "accord://orders.order-placed@^2",
    "accord://orders.order-placed",
    "accord://orders.order-placed@2.0.0#/properties",
    "https://schemas.example.com/orders/order-placed.json",
    "accord://orders.order-placed@2.0.0",
]


@pytest.mark.parametrize("stamp", STAMPS)
def test_a_stamp_consumers_cannot_use_fails_the_interaction(orders: Path, stamp: str) -> None:
    result = _verify(orders, stamp)
    assert not result.success  # type: ignore[attr-defined]
    assert result.verdict == "contract-violation"  # type: ignore[attr-defined]
    assert any(stamp in e for e in result.contract_errors)  # type: ignore[attr-defined]


def test_a_stamp_in_range_still_passes(orders: Path) -> None:
    producers = MessageRegistry()
    good = Produced(
        b'{"order_id": "o-9", "total": 12}', {"dataschema": "accord://orders.order-placed@1.0.0"}
    )
    producers.register("an order.placed event", lambda: good)
    report = verify_provider(Registry.load(orders), "orders-service", producers=producers)
    assert report.ok, report.render_text()
