"""ContractMiddleware and body() under hostile bodies: small 422s, bounded work.

Before: a 400 KB array of 9s against ``items: {maximum: 5}`` stalled the event loop
14.5 s and answered with a 37 MB 422; a 28-byte body against ``^(a+)+$`` stalled 7.2 s.
"""

# No ``from __future__ import annotations``: FastAPI reads the route's Annotated
# dependency, which names a local, when the route is declared.
import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from _registry_builders import DRAFT_2020_12, add_contract
from accord.registry.runtime import clear_caches
from accord.service.fastapi import ContractMiddleware, body
from accord.validation.validator import DEFAULT_MAX_ERRORS

SCHEMAS = {
    "hostile.small-numbers": {"type": "array", "items": {"maximum": 5}},
    "hostile.letters": {
        "type": "object",
        "properties": {"word": {"type": "string", "pattern": "^(a+)+$"}},
        "patternProperties": {"^(b+)+$": {"type": "integer"}},
    },
    "hostile.tree": {"type": "array", "items": {"$ref": "#"}},
}


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contracts")
    for contract, schema in SCHEMAS.items():
        add_contract(root, contract, {"1.0.0": {"$schema": DRAFT_2020_12, **schema}})
    clear_caches()
    return root


def _app(registry: Path, **options: Any) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        ContractMiddleware,
        routes={
            "POST /numbers": "hostile.small-numbers@1.0.0",
            "POST /letters": "hostile.letters@1.0.0",
            "POST /tree": "hostile.tree@1.0.0",
            "GET /big": {"response": "hostile.small-numbers@1.0.0"},
        },
        registry=registry,
        **options,
    )

    @app.post("/numbers")
    def numbers(payload: list[Any]) -> int:
        return len(payload)

    @app.post("/letters")
    def letters(payload: dict[str, Any]) -> int:
        return len(payload)

    @app.post("/tree")
    def tree(payload: list[Any]) -> int:
        return len(payload)

    @app.get("/big")
    def big() -> list[int]:
        return [1] * 1000

    @app.post("/dep")
    def dependency(
        payload: Annotated[
            list[Any], Depends(body("hostile.small-numbers@1.0.0", registry=registry))
        ],
    ) -> int:
        return len(payload)

    @app.post("/small-dep")
    def small_dependency(
        payload: Annotated[
            list[Any],
            Depends(body("hostile.small-numbers@1.0.0", registry=registry, max_body=100)),
        ],
    ) -> int:
        return len(payload)

    return app


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(go())


def _post(app: FastAPI, path: str, content: bytes) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                path, content=content, headers={"content-type": "application/json"}
            )

    return asyncio.run(go())


@pytest.mark.parametrize("path", ["/numbers", "/dep"])
def test_many_errors_get_a_small_422(registry: Path, path: str) -> None:
    # 60 KB, 20,000 errors: over the explanation budget (values x schema keywords), so
    # the reference names the first error and stops (building all 20,000 would take
    # it seconds); the rest are "or more".
    data = json.dumps([9] * 20_000).encode()
    response = _post(_app(registry), path, data)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert len(detail) == 1
    assert detail[0]["loc"] == ["body", "0"]
    assert len(response.content) < 20_000
    if path == "/numbers":
        assert response.json()["omitted_lower_bound"] is True


@pytest.mark.parametrize("path", ["/numbers", "/dep"])
def test_errors_within_the_budget_are_capped_and_counted(registry: Path, path: str) -> None:
    data = json.dumps([9] * 500).encode()  # 500 errors, within the explanation budget
    response = _post(_app(registry), path, data)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert len(detail) == DEFAULT_MAX_ERRORS
    assert detail[0]["loc"] == ["body", "0"]
    if path == "/numbers":
        assert response.json()["omitted"] == 500 - DEFAULT_MAX_ERRORS
        assert response.json()["omitted_lower_bound"] is False


def test_a_valid_body_still_passes(registry: Path) -> None:
    response = _post(_app(registry), "/numbers", b"[1, 2, 3]")
    assert (response.status_code, response.json()) == (200, 3)


def test_a_catastrophic_pattern_is_answered(registry: Path) -> None:
    body_ = json.dumps({"word": "a" * 28 + "!", "b" * 28 + "!": "x"}).encode()
    response = _post(_app(registry), "/letters", body_)
    assert response.status_code == 422
    assert [d["keyword"] for d in response.json()["detail"]] == ["pattern"]
    ok = _post(_app(registry), "/letters", json.dumps({"word": "aaa", "bbb": 1}).encode())
    assert ok.status_code == 200


def test_a_deep_body_is_refused_before_validation(registry: Path) -> None:
    data = b"[" * 5_000 + b"]" * 5_000
    response = _post(_app(registry), "/tree", data)
    assert response.status_code == 422
    assert "deeper than" in response.json()["detail"][0]["msg"]
    assert len(response.content) < 1_000


def test_a_huge_value_in_a_message_is_cut(registry: Path) -> None:
    data = json.dumps({"word": "a" * 100_000 + "!"}).encode()
    response = _post(_app(registry), "/letters", data)
    assert response.status_code == 422
    assert len(response.content) < 2_000


def test_a_body_over_the_cap_is_refused_not_passed_unchecked(registry: Path) -> None:
    # Before: a body over the middleware's cap reached the app without any check.
    data = json.dumps([9] * 1000).encode()
    response = _post(_app(registry, max_body=1000), "/numbers", data)
    assert response.status_code == 413
    assert "larger than 1000 bytes" in response.json()["detail"][0]["msg"]
    small = _post(_app(registry, max_body=1000), "/numbers", b"[1, 2]")
    assert (small.status_code, small.json()) == (200, 2)


def test_log_only_passes_an_oversized_body_on(registry: Path) -> None:
    data = json.dumps([1] * 1000).encode()
    response = _post(_app(registry, max_body=1000, log_only=True), "/numbers", data)
    assert (response.status_code, response.json()) == (200, 1000)


def test_the_body_dependency_refuses_an_oversized_body_while_reading(registry: Path) -> None:
    response = _post(_app(registry), "/small-dep", json.dumps([1] * 100).encode())
    assert response.status_code == 413
    ok = _post(_app(registry), "/small-dep", b"[1, 2, 3]")
    assert (ok.status_code, ok.json()) == (200, 3)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_max_body_must_be_a_positive_integer(registry: Path, bad: Any) -> None:
    from accord.errors import UsageError

    with pytest.raises(UsageError):
        ContractMiddleware(
            _app(registry),
            routes={"POST /x": "hostile.tree@1.0.0"},
            registry=registry,
            max_body=bad,
        )


def test_a_response_over_the_cap_is_not_buffered_past_it(registry: Path) -> None:
    refused = _get(_app(registry, max_body=1000), "/big")
    assert refused.status_code == 500
    assert refused.json()["error"] == "response too large to check"
    passed = _get(_app(registry, max_body=1000, log_only=True), "/big")
    assert (passed.status_code, len(passed.json())) == (200, 1000)
    checked = _get(_app(registry), "/big")
    assert (checked.status_code, len(checked.json())) == (200, 1000)
