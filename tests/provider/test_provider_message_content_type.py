"""A message's content type, whatever spelling of the metadata key states it.

A consumer expecting ``contentType: application/json`` was verified against a producer
stating ``content-type: text/xml`` (or ``Content-Type``, ``content_type``): only the
consumer's own spelling was looked up, and a content type not produced under it was
taken for JSON. pact-jvm reads a message's content type from ``contentType`` or
``content-type`` in any case; now accord compares every content type the producer states.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_provider_content import _order_expectation

from accord.provider import MessageRegistry, Produced, verify_provider
from accord.registry.model import Registry

BODY = {"order_id": "o-9", "total": 30}


@pytest.mark.parametrize("key", ["content-type", "Content-Type", "content_type", "CONTENTTYPE"])
def test_another_spelling_of_the_key_is_compared(registry_root: Path, key: str) -> None:
    _order_expectation(registry_root, contentType="application/json")
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: Produced(BODY, {key: "text/xml"}))
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    assert not report.ok
    (result,) = report.results
    assert "'text/xml'" in result.message(), result.message()


@pytest.mark.parametrize("key", ["content-type", "contentType"])
def test_json_under_another_spelling_passes(registry_root: Path, key: str) -> None:
    _order_expectation(registry_root, contentType="application/json")
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: Produced(BODY, {key: "application/json"}))
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    assert report.ok, report.render_text()
