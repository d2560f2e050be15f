"""The consumer stub reads a request body as strictly as every JSON document accord
reads: duplicate keys, NaN and Infinity do not match an interaction.

It used Python's ``json.loads``, which keeps the last of two equal keys (other parsers
keep the first: the provider may read ``"x"`` where the stub read ``1``) and accepts
``NaN``/``Infinity`` (no JSON parser on the provider's side does), so a consumer test
passed and recorded its interaction while the client sent a body the provider cannot
read as the consumer meant.
"""

from __future__ import annotations

import httpx
import pytest

from accord.consumers import Expectation, decimal, integer


def _stub() -> Expectation:
    e = Expectation("billing", provider="orders-service")
    (
        e.upon_receiving("create order")
        .with_request("POST", "/orders", body={"id": integer(1), "total": decimal(1.5)})
        .will_respond_with(201)
    )
    return e


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "x", "id": 1, "total": 1.5}',
        b'{"id": 1, "total": NaN}',
        b'{"id": 1, "total": Infinity}',
        b'\xef\xbb\xbf{"id": 1, "total": 1.5}',
    ],
    ids=["duplicate-key", "nan", "infinity", "bom"],
)
def test_a_body_no_strict_reader_takes_matches_nothing(body: bytes) -> None:
    e = _stub()
    client = httpx.Client(transport=e.transport(), base_url="http://orders")
    answer = client.post("/orders", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 500
    assert any("not JSON" in p for p in e.problems())


def test_a_strict_body_still_matches() -> None:
    e = _stub()
    client = httpx.Client(transport=e.transport(), base_url="http://orders")
    assert client.post("/orders", json={"id": 1, "total": 1.5}).status_code == 201
    assert e.problems() == []
