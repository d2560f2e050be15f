"""``ContractMiddleware`` and ``body()`` refuse an option of the wrong type at boot.

A service passes what its config holds: ``log_only="false"`` (text from an environment
variable) was read as true, so every violation was only logged and passed on;
``sample_rate="1"`` was a ``TypeError``; ``body(ref, max_body="1")`` was accepted and
failed every request with a ``TypeError`` (500), ``max_body=0`` refused every body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from accord.errors import UsageError
from accord.service.fastapi import ContractMiddleware, body

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
MONEY = "common.money@^1"

BAD = {
    "log_only-text": {"log_only": "false"},
    "log_only-int": {"log_only": 0},
    "sample_rate-text": {"sample_rate": "1"},
    "sample_rate-none": {"sample_rate": None},
    "sample_rate-nan": {"sample_rate": float("nan")},
    "sample_rate-bool": {"sample_rate": True},
    "max_body-text": {"max_body": "1024"},
    "rng-not-callable": {"rng": 0.5},
}


@pytest.mark.parametrize("options", BAD.values(), ids=BAD.keys())
def test_a_middleware_option_of_the_wrong_type_is_a_usage_error(options: dict[str, Any]) -> None:
    with pytest.raises(UsageError) as caught:
        ContractMiddleware(FastAPI(), routes={"POST /x": MONEY}, registry=CONTRACTS, **options)
    assert caught.value.code == "usage"
    assert next(iter(options)) in caught.value.message


@pytest.mark.parametrize("max_body", ["1024", 0, -1, True, 1.5], ids=repr)
def test_body_refuses_a_max_body_that_is_not_a_positive_int(max_body: Any) -> None:
    with pytest.raises(UsageError) as caught:
        body(MONEY, registry=CONTRACTS, max_body=max_body)
    assert caught.value.code == "usage"


def test_the_options_as_documented_are_taken() -> None:
    middleware = ContractMiddleware(
        FastAPI(),
        routes={"POST /x": MONEY},
        registry=CONTRACTS,
        log_only=True,
        sample_rate=0,
        max_body=10,
        rng=lambda: 0.5,
    )
    assert (middleware.log_only, middleware.sample_rate, middleware.max_body) == (True, 0, 10)
    assert callable(body(MONEY, registry=CONTRACTS, max_body=10))


def test_a_bad_option_fails_the_startup_of_an_app_that_adds_the_middleware() -> None:
    from _asgi import lifespan_startup

    app = FastAPI()

    @app.post("/x")
    def x(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    app.add_middleware(
        ContractMiddleware, routes={"POST /x": MONEY}, registry=CONTRACTS, log_only="no"
    )
    sent = lifespan_startup(app)
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "log_only" in sent[0]["message"]


@pytest.mark.parametrize("key", ["HEAD /x", "head /x"])
@pytest.mark.parametrize(
    "contract",
    [{"response": MONEY}, {"response": {200: MONEY}}, {"request": MONEY, "response": MONEY}],
    ids=["one", "by-status", "with-request"],
)
def test_a_response_contract_on_a_head_route_is_refused(key: str, contract: Any) -> None:
    """A HEAD response has no body (RFC 9110 9.3.2): its contract failed every answer
    (500 on the always empty body). Refused when the middleware is built."""
    with pytest.raises(UsageError) as caught:
        ContractMiddleware(FastAPI(), routes={key: contract}, registry=CONTRACTS)
    assert caught.value.code == "usage"
    assert repr(key) in caught.value.message
    assert "HEAD" in caught.value.message


@pytest.mark.parametrize("key", ["HEAD /x", "head /x"])
def test_a_request_contract_on_a_head_route_is_refused(key: str) -> None:
    """A HEAD request carries no content with defined semantics (RFC 9110 9.3.2): a
    request contract answered 422 to every HEAD (its empty body is no JSON). Refused
    when the middleware is built, as a response contract is."""
    with pytest.raises(UsageError) as caught:
        ContractMiddleware(FastAPI(), routes={key: {"request": MONEY}}, registry=CONTRACTS)
    assert caught.value.code == "usage"
    assert repr(key) in caught.value.message
    assert "request contract" in caught.value.message
