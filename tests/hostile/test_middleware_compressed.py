"""ContractMiddleware reads a response compressed inside it (GZipMiddleware added first).

Before: every such response, valid or not, was replaced by a 500 saying "not valid
JSON: invalid UTF-8 at byte 1": the gzip bytes were parsed as JSON.
"""

# No ``from __future__ import annotations``: FastAPI reads route annotations.
import asyncio
import gzip
import zlib
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from starlette.middleware.gzip import GZipMiddleware

from _registry_builders import DRAFT_2020_12, publish
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware

SCHEMA = {"$schema": DRAFT_2020_12, "type": "array", "items": {"type": "integer", "maximum": 5}}
PATHS = ["/good", "/bad", "/bomb", "/brotli", "/deflate", "/trailing"]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    root = tmp_path_factory.mktemp("contracts")
    publish(root, "shop.list", {"1.0.0": SCHEMA})
    clear_caches()
    app = FastAPI()
    app.add_middleware(GZipMiddleware, minimum_size=10)  # inside ContractMiddleware
    app.add_middleware(
        ContractMiddleware,
        routes={f"GET {p}": {"response": "shop.list@1.0.0"} for p in PATHS},
        registry=root,
        max_body=10_000,
    )

    @app.get("/good")
    def good() -> list[int]:
        return [1] * 100

    @app.get("/bad")
    def bad() -> list[int]:
        return [9] * 100

    def encoded(data: bytes, encoding: str) -> Response:
        headers = {"content-encoding": encoding}
        return Response(content=data, media_type="application/json", headers=headers)

    @app.get("/bomb")
    def bomb() -> Response:  # 12 KB of JSON in a few dozen bytes: over max_body
        return encoded(gzip.compress(b"[" + b"1," * 6_000 + b"1]"), "gzip")

    @app.get("/brotli")
    def brotli() -> Response:
        return encoded(b"\x0b\x02\x80[1]\x03", "br")

    @app.get("/deflate")
    def deflate() -> Response:
        return encoded(zlib.compress(b"[1, 2]"), "deflate")

    @app.get("/trailing")
    def trailing() -> Response:  # a second gzip member the check would not have read
        return encoded(gzip.compress(b"[1]") + gzip.compress(b"[9]"), "gzip")

    return app


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers={"accept-encoding": "gzip"})

    return asyncio.run(go())


def _messages(response: httpx.Response) -> list[Any]:
    return [item["msg"] for item in response.json()["detail"]]


def test_a_valid_compressed_response_passes_compressed(service: FastAPI) -> None:
    response = _get(service, "/good")
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.json() == [1] * 100


def test_an_invalid_compressed_response_is_judged_on_its_content(service: FastAPI) -> None:
    response = _get(service, "/bad")
    assert response.status_code == 500
    assert "9 is greater than the maximum of 5" in _messages(response)[0]


def test_a_deflate_response_is_read(service: FastAPI) -> None:
    response = _get(service, "/deflate")
    assert (response.status_code, response.json()) == (200, [1, 2])


def test_a_response_inflating_past_max_body_is_refused(service: FastAPI) -> None:
    response = _get(service, "/bomb")
    assert response.status_code == 500
    assert "larger than 10000 bytes" in _messages(response)[0]


@pytest.mark.parametrize(("path", "words"), [("/brotli", "'br'"), ("/trailing", "trailing")])
def test_a_body_it_cannot_read_whole_is_refused_saying_why(
    service: FastAPI, path: str, words: str
) -> None:
    response = _get(service, path)
    assert response.status_code == 500
    assert words in _messages(response)[0]
