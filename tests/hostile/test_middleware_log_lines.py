"""What ContractMiddleware logs about a refused body cannot forge a log line.

The warning it logs names the request's path and the first error's message, and both
hold what the sender chose: a path decoded from ``%0A``, a property name holding a
newline, ESC or U+2028 (jsonschema-rs quotes an unexpected key as it is). Logged raw,
they started lines of the sender's choosing in the service's log (and ESC sequences
reached whoever reads it in a terminal). They are escaped as the CLI escapes such text.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from accord.service.fastapi import ContractMiddleware

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
UNSAFE = ("\n", "\r", "\x1b", "\u2028", "\u202e")


def _app(log_only: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/items/{sku}")
    def put(sku: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"type": "t"}

    app.add_middleware(
        ContractMiddleware,
        routes={"POST /items/{sku}": {"request": "common.money@^1", "response": "common.money@^1"}},
        registry=CONTRACTS,
        log_only=log_only,
    )
    return app


def _post(app: FastAPI, path: str, payload: Any) -> int:
    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.post(path, json=payload)).status_code

    return asyncio.run(go())


@pytest.mark.parametrize("log_only", [False, True])
def test_a_refused_body_is_logged_on_one_line(
    caplog: pytest.LogCaptureFixture, log_only: bool
) -> None:
    forged = "x\n2026-12-04 INFO payment accepted\r\x1b[2J\u2028\u202e"
    body = {"amount": "1.00", "currency": "EUR", forged: 1}
    with caplog.at_level(logging.WARNING, logger="accord.fastapi"):
        status = _post(_app(log_only), "/items/a%0Aforged%1B%5B2J%E2%80%A8", body)
    assert status == (200 if log_only else 422)
    lines = [r.getMessage() for r in caplog.records if r.name == "accord.fastapi"]
    assert lines
    for line in lines:
        assert not any(c in line for c in UNSAFE), repr(line)
    assert "\\u000a2026-12-04 INFO payment accepted" in lines[0]
    assert "/items/a\\u000aforged" in lines[0]


def test_a_contract_violation_reads_on_one_line() -> None:
    # A service logs str(exc); the message quotes the sender's key as it is.
    from accord.errors import ContractViolation
    from accord.validation.validator import Validator

    validator = Validator({"properties": {"a": {}}, "additionalProperties": False}, ref="t.x@1.0.0")
    with pytest.raises(ContractViolation) as caught:
        validator.validate({"k\nINFO forged\x1b[2J": 1})
    text = str(caught.value)
    assert not any(c in text for c in UNSAFE), repr(text)
    assert "k\\u000aINFO forged" in text
    assert "\n" in caught.value.errors[0].message  # the issue itself keeps the text as it is
