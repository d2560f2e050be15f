"""ContractMiddleware and a request body sent compressed.

A gzip request body to a route with a request contract was refused 422 "not valid JSON:
invalid UTF-8" (the compressed bytes parsed as JSON): right to refuse, wrong to say why.
It is now a 415 naming the encoding, before the body is read; an ``identity`` encoding
is no encoding, and the app is never called with a body accord did not check.
"""

# No ``from __future__ import annotations``: FastAPI reads route annotations.
import asyncio
import gzip
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from _registry_builders import DRAFT_2020_12, publish
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware

SCHEMA = {"$schema": DRAFT_2020_12, "type": "array", "items": {"type": "integer"}}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, list[bytes]]:
    root = tmp_path_factory.mktemp("contracts")
    publish(root, "shop.list", {"1.0.0": SCHEMA})
    clear_caches()
    seen: list[bytes] = []
    app = FastAPI()
    app.add_middleware(
        ContractMiddleware, routes={"POST /items": {"request": "shop.list@1.0.0"}}, registry=root
    )

    @app.post("/items")
    async def items(request: Request) -> dict[str, Any]:
        seen.append(await request.body())
        return {}

    return app, seen


def _post(app: FastAPI, body: bytes, encoding: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if encoding is not None:
        headers["content-encoding"] = encoding

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post("/items", content=body, headers=headers)

    return asyncio.run(go())


@pytest.mark.parametrize("encoding", ["gzip", "GZip", "deflate", "br", "gzip, identity"])
def test_a_compressed_request_body_is_415_naming_the_encoding(
    service: tuple[FastAPI, list[bytes]], encoding: str
) -> None:
    app, seen = service
    seen.clear()
    response = _post(app, gzip.compress(b"[1, 2]"), encoding)
    assert response.status_code == 415, response.text
    detail = str(response.json()["detail"])
    assert encoding.split(",", maxsplit=1)[0].lower() in detail
    assert "Content-Encoding" in detail
    assert seen == []


@pytest.mark.parametrize("encoding", [None, "identity"])
def test_an_uncompressed_body_is_checked_as_before(
    service: tuple[FastAPI, list[bytes]], encoding: str | None
) -> None:
    app, seen = service
    seen.clear()
    assert _post(app, b"[1, 2]", encoding).status_code == 200
    assert seen == [b"[1, 2]"]
    assert _post(app, b'["x"]', encoding).status_code == 422
