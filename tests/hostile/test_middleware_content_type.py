"""ContractMiddleware checks a response whose Content-Type does not say it is not JSON.

Before: a route with a response contract returning ``{"qty": -5}`` with no
Content-Type, or with ``text/plain`` followed by a second ``application/json`` header,
went out unchecked (200): only the first Content-Type header was read, and a response
without one was never checked, while clients read such a body as JSON.
"""

# No ``from __future__ import annotations``: FastAPI reads route annotations.
import asyncio

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from _registry_builders import DRAFT_2020_12, add_contract
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware

QTY = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {"qty": {"type": "integer", "minimum": 1}},
    "required": ["qty"],
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    root = tmp_path_factory.mktemp("contracts")
    add_contract(root, "shop.qty", {"1.0.0": QTY})
    clear_caches()
    app = FastAPI()
    paths = ["/untyped", "/second-header", "/empty-untyped", "/text", "/typed-ok"]
    app.add_middleware(
        ContractMiddleware,
        routes={f"GET {p}": {"response": "shop.qty@1.0.0"} for p in paths},
        registry=root,
    )

    @app.get("/untyped")
    def untyped() -> Response:
        return Response(content=b'{"qty": -5}')

    @app.get("/second-header")
    def second_header() -> Response:
        response = Response(content=b'{"qty": -5}', media_type="text/plain")
        response.raw_headers.append((b"content-type", b"application/json"))
        return response

    @app.get("/empty-untyped")
    def empty_untyped() -> Response:
        return Response(status_code=204)

    @app.get("/text")
    def text() -> Response:
        return Response(content=b"qty: -5", media_type="text/plain")

    @app.get("/typed-ok")
    def typed_ok() -> Response:
        return Response(content=b'{"qty": 2}', media_type="application/json; charset=utf-8")

    return app


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(go())


@pytest.mark.parametrize("path", ["/untyped", "/second-header"])
def test_an_invalid_response_not_declared_as_other_media_is_refused(
    service: FastAPI, path: str
) -> None:
    response = _get(service, path)
    assert response.status_code == 500
    assert response.json()["contract"] == "shop.qty@1.0.0"


def test_an_empty_untyped_response_passes(service: FastAPI) -> None:
    assert _get(service, "/empty-untyped").status_code == 204


def test_a_response_declared_as_another_media_type_passes(service: FastAPI) -> None:
    response = _get(service, "/text")
    assert (response.status_code, response.text) == (200, "qty: -5")


def test_a_valid_json_response_with_a_charset_passes(service: FastAPI) -> None:
    response = _get(service, "/typed-ok")
    assert (response.status_code, response.json()) == (200, {"qty": 2})
