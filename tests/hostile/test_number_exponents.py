"""A number whose exponent no ``Decimal`` holds is refused as bad input, not a crash.

``1e-4001234567890123456789`` and ``1e9999999999999999999`` are valid JSON numbers, but
their exponents are past what Python's ``decimal`` module can represent
(±999999999999999999): ``Decimal(text)`` raised ``decimal.InvalidOperation``, which no
reader caught. Any sender could make ``validate_json`` and ``ContractMiddleware`` fail
with a traceback (a 500), and such a number in a registry file or a payload file made
``accord validate``/``lint``/``diff`` exit 3. Refused now as ``json-number-out-of-range``.
"""

# No ``from __future__ import annotations``: FastAPI reads the route's annotations.
import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from accord.cli import main
from accord.core.jsondoc import loads, loads_fast
from accord.errors import DocumentError
from accord.service.fastapi import ContractMiddleware
from accord.validation.validator import Validator

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
TEXTS = [
    b'{"amount": 1e-4001234567890123456789}',
    b"[1e9999999999999999999]",
    b"-1E+1000000000000000000",
    b'{"a": [0.5e-99999999999999999999999]}',
]


@pytest.mark.parametrize("text", TEXTS, ids=repr)
@pytest.mark.parametrize("exact", [True, False])
def test_the_loaders_refuse_an_exponent_no_decimal_holds(text: bytes, exact: bool) -> None:
    if not exact and b"e-" in text.lower():
        # read as a float, a tiny number is 0.0: only a Decimal cannot hold it
        assert loads(text, max_bytes=None) == loads_fast(text, max_bytes=None)
        return
    for load in (loads, loads_fast):
        with pytest.raises(DocumentError) as caught:
            load(text, max_bytes=None, exact_numbers=exact)
        assert caught.value.code == "json-number-out-of-range"


@pytest.mark.parametrize("backend", ["auto", "python", "fast"])
@pytest.mark.parametrize("text", TEXTS, ids=repr)
def test_validate_json_refuses_it(text: bytes, backend: str) -> None:
    with pytest.raises(DocumentError) as caught:
        Validator({}, backend=backend).validate_json(text)
    assert caught.value.code == "json-number-out-of-range"


def test_the_middleware_answers_422() -> None:
    app = FastAPI()
    app.add_middleware(
        ContractMiddleware, routes={"POST /x": "common.money@^1"}, registry=CONTRACTS
    )

    @app.post("/x")
    def endpoint(payload: dict[str, Any]) -> int:
        return 1

    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.post(
                "/x", content=TEXTS[0], headers={"content-type": "application/json"}
            )
            return answer.status_code

    assert asyncio.run(go()) == 422


def test_cli_validate_and_diff_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = tmp_path / "payload.json"
    payload.write_bytes(TEXTS[1])
    assert main(["validate", "common.money@^1", str(payload), "--registry", str(CONTRACTS)]) == 2
    schema = tmp_path / "schema.json"
    schema.write_bytes(b'{"type": "number", "maximum": 1e9999999999999999999}')
    assert main(["diff", str(schema), str(schema)]) == 2
    assert "json-number-out-of-range" in capsys.readouterr().err
