"""A message producer returning a dict or list holding NaN or an infinity fails its
interaction; the other interactions are still verified.

The dict went through ``json.dumps`` (which writes ``NaN``, text no JSON reader takes)
and back through ``json.loads``, and the validator then refused the payload by raising:
the whole ``verify --provider`` run stopped with ``the payload holds nan``, naming
neither the interaction nor the producer.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from accord.consumers import Expectation, decimal, string
from accord.provider import MessageRegistry, verify_provider
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("container", ["dict", "list"])
def test_a_produced_value_json_cannot_hold_fails_the_interaction(
    registry_root: Path, bad: float, container: str
) -> None:
    e = Expectation("billing", version="1.4.0", name="orders")
    e.message("bad", "orders.order-placed@^1", {"order_id": string("o-1"), "total": decimal(1.5)})
    e.message("good", "orders.order-placed@^1", {"order_id": string("o-1")})
    e.write(registry_root)
    producers = MessageRegistry()
    payload = {"order_id": "o", "total": bad}
    producers.register("bad", lambda: payload if container == "dict" else [payload])
    producers.register("good", lambda: {"order_id": "o", "total": 1.5})
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    verdicts = {r.description: r.verdict for r in report.results}
    assert verdicts == {"bad": "error", "good": "passed"}
    [failed] = [r for r in report.results if r.description == "bad"]
    assert "JSON" in failed.error
