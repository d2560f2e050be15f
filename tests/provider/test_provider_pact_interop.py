"""accord's Pact export verified by the real pact-python verifier (pact-rust, through the
FFI) and by ``accord verify`` against the same FastAPI provider on 127.0.0.1 (uvicorn),
with provider states set through the provider's own state-change endpoint: a good
provider passes in both, a broken one (``name`` renamed ``username``) fails in both."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from _provider_support import Users
from fastapi import FastAPI, Request
from fastapi.responses import Response

from accord.cli import main
from accord.provider import HttpTarget, StateChangeUrl, parse_base_url, verify_provider
from accord.registry import Registry


def _users_service(users: Users) -> FastAPI:
    app = FastAPI()

    @app.post("/_pact/state")
    async def state(request: Request) -> dict[str, Any]:
        body = await request.json()
        params = body.get("params") or {}
        if body.get("action", "setup") == "setup" and "id" in params:
            i = int(params["id"])
            users.rows[i] = {"id": i, "name": "Ada", "email": "ada@example.com"}
        elif body.get("action") == "teardown":
            users.rows.clear()
        return {}

    @app.get("/users/{i}")
    def get(i: int) -> Response:
        status, payload = users.answer(f"/users/{i}")
        return Response(payload, status_code=status, media_type="application/json")

    return app


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port, in a thread; stop it after."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before it started serving"
        assert time.monotonic() < deadline, "uvicorn did not start within 20 s"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("broken", [False, True], ids=["good", "broken"])
def test_the_real_verifier_and_accord_agree_on_accords_export(
    registry_root: Path, tmp_path: Path, broken: bool
) -> None:
    from pact import Verifier

    out = tmp_path / "pacts"
    assert main(["pact", "export", "--out", str(out), "--registry", str(registry_root)]) == 0
    pact_file = out / "billing-users-service.json"
    assert json.loads(pact_file.read_text())["interactions"][0]["providerStates"] == [
        {"name": "user exists", "params": {"id": 123}}
    ]
    users = Users(rename=broken)
    with _serve(_users_service(users)) as base:
        verifier = (
            Verifier("users-service", host="127.0.0.1")
            .add_transport(url=base)
            .add_source(pact_file)
            .state_handler(f"{base}/_pact/state", teardown=True, body=True)
        )
        pact_rust_passed = True
        try:
            verifier.verify()
        except RuntimeError:
            pact_rust_passed = False
        target = HttpTarget(parse_base_url(base))
        states = StateChangeUrl(parse_base_url(f"{base}/_pact/state", what="--state-change-url"))
        try:
            report = verify_provider(
                Registry.load(registry_root), "users-service", target=target, states=states
            )
        finally:
            target.close()
            states.close()
    assert pact_rust_passed is not broken
    assert report.ok is not broken, report.render_text()
    assert users.seen == ["/users/123", "/users/123"]  # each verifier made its request
    if broken:
        assert "$.name" in report.render_text()
        failure = verifier.results["errors"][0]["mismatch"]["mismatches"]
        assert any(m["path"] == "$.name" or "name" in m["mismatch"] for m in failure)


def _keys(node: Any, prefix: str = "") -> set[str]:
    """Every key path of a record (``results[].interactions[].success``)."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(prefix + key)
            out |= _keys(value, prefix + key + ("[]." if isinstance(value, list) else "."))
    elif isinstance(node, list):
        for item in node:
            out |= _keys(item, prefix)
    return out


def test_docs_broker_maps_every_field_of_a_real_verification_record(registry_root: Path) -> None:
    """docs/broker.md's table of record fields vs the Pact Broker's is complete: every
    key a real record holds is named there (a new field must be mapped, or said to
    have no broker counterpart)."""
    from accord.provider import StateRegistry
    from accord.provider._verify import now_rfc3339

    users = Users()
    states = StateRegistry()

    @states.state("user exists")
    def create(id: int) -> None:
        users.rows[id] = {"id": id, "name": "Ada", "email": "ada@example.com"}

    with _serve(_users_service(users)) as base:
        target = HttpTarget(parse_base_url(base))
        try:
            report = verify_provider(
                Registry.load(registry_root),
                "users-service",
                target=target,
                states=states,
                provider_version="2.0.0",
                provider_branch="main",
            )
        finally:
            target.close()
    record = report.to_record(now_rfc3339())
    docs = (Path(__file__).resolve().parents[2] / "docs/broker.md").read_text()
    table = docs.split("## 2.", 1)[1].split("A script", 1)[0]
    leaves = {k.rsplit(".", 1)[-1].removesuffix("[]") for k in _keys(record)}
    leaves -= {"format_version"}  # accord's file format, not a verification fact
    named = {w for code in re.findall(r"`([^`]*)`", table) for w in re.findall(r"\w+", code)}
    missing = sorted(leaves - named)
    assert missing == []
