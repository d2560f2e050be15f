"""Shared pieces of the provider tests: a tiny registry, a users provider as a FastAPI
(ASGI) app, as a stdlib WSGI app and as a real loopback HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from accord.consumers import Expectation, integer, string
from accord.consumers._model import dump

USER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string", "format": "email"},
        "nickname": {"type": "string"},
    },
    "required": ["id", "name", "email"],
}

ORDER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
    },
    "required": ["order_id", "total"],
}


def add_contract(root: Path, cid: str, provider: str, schema: dict[str, Any]) -> None:
    ns, name = cid.split(".")
    d = root / ns / name
    d.mkdir(parents=True)
    (d / "contract.toml").write_text(
        f'owner = "team"\nprovider = "{provider}"\nkind = "response"\n', encoding="utf-8"
    )
    (d / "1.0.0.schema.json").write_text(json.dumps(schema), encoding="utf-8")


def billing_expectation(*, version: str = "1.4.0", branch: str = "main") -> Expectation:
    e = Expectation("billing", version=version, branch=branch, name="users")
    (
        e.upon_receiving("get user 123")
        .given("user exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200,
            contract="users.user@^1",
            body={"id": integer(123), "name": string("Ada"), "email": string("a@example.com")},
        )
    )
    return e


def write_doc(root: Path, consumer: str, name: str, doc: dict[str, Any]) -> Path:
    path = root / "consumers" / consumer / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump(doc))
    return path


def billing_verified_in_production(root: Path, **result: Any) -> None:
    """billing 1.4.0 deployed to production, and users-service 2.0.0's record verifying
    billing's ``users.json`` as it is now (``result``: more fields of that result)."""
    from accord.consumers._model import load
    from accord.provider import record_deployment, record_verification

    ef = load(root / "consumers" / "billing" / "users.json", root=root)
    record_deployment(root, "billing", "1.4.0", "production")
    record_verification(
        root,
        {
            "format_version": 1,
            "provider": "users-service",
            "provider_version": "2.0.0",
            "verified_at": "2024-05-01T12:00:00Z",
            "results": [
                {
                    "consumer": "billing",
                    "expectation": ef.file,
                    "digest": ef.digest,
                    "consumer_version": "1.4.0",
                    **result,
                    "success": True,
                }
            ],
        },
    )


@pytest.fixture
def registry_root(tmp_path: Path) -> Path:
    """users.user (users-service) and orders.order-placed (orders-service), and billing's
    expectation of ``GET /users/123``."""
    root = tmp_path / "contracts"
    root.mkdir()
    add_contract(root, "users.user", "users-service", USER_SCHEMA)
    add_contract(root, "orders.order-placed", "orders-service", ORDER_SCHEMA)
    billing_expectation().write(root)
    return root


class Users:
    """A users store shared by every flavour of the provider, and the requests it saw."""

    def __init__(self, *, rename: bool = False, extra: dict[str, Any] | None = None) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.seen: list[str] = []
        self.rename = rename
        self.extra = extra or {}

    def answer(self, path: str) -> tuple[int, bytes]:
        self.seen.append(path)
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "users" and parts[1].isdigit():
            row = self.rows.get(int(parts[1]))
            if row is None:
                return 404, b'{"detail": "no such user"}'
            body = dict(row)
            if self.rename:
                body["username"] = body.pop("name")
            body.update(self.extra)
            return 200, json.dumps(body).encode()
        return 404, b'{"detail": "not found"}'


def fastapi_app(users: Users) -> Any:
    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()

    @app.get("/{path:path}")
    def anything(path: str) -> Response:
        status, body = users.answer("/" + path)
        return Response(body, status_code=status, media_type="application/json")

    return app


def wsgi_app(users: Users) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        status, body = users.answer(environ.get("PATH_INFO", "/"))
        reason = "OK" if status == 200 else "Not Found"
        start_response(f"{status} {reason}", [("Content-Type", "application/json")])
        return [body]

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def wsgi_server() -> Iterator[Callable[[Callable[..., Any]], str]]:
    """Start a WSGI app on a loopback port (stdlib server, a thread); its base URL."""
    servers: list[WSGIServer] = []

    def start(app: Callable[..., Any]) -> str:
        server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
        servers.append(server)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server(
    wsgi_server: Callable[[Callable[..., Any]], str],
) -> Callable[[Users], str]:
    """Start ``wsgi_app(users)`` on a loopback port."""
    return lambda users: wsgi_server(wsgi_app(users))


def user_exists_states() -> Any:
    """A StateRegistry with one state, "user exists", that sets nothing up and hands the
    interaction its ``id`` back (a provider whose data is already there)."""
    from accord.provider import StateRegistry

    states = StateRegistry()

    @states.state("user exists")
    def user_exists(id: int) -> Iterator[dict[str, Any]]:
        yield {"id": id}

    return states
