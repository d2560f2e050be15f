"""Provider verification: in-process ASGI and WSGI, a real loopback server, provider
states (params, teardown, generators, state-change URL), hostile paths, messages."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from _provider_support import Users, fastapi_app, write_doc, wsgi_app
from fastapi import FastAPI, Request
from fastapi.responses import Response

from accord.cli import main
from accord.consumers import Expectation, integer, string
from accord.errors import AccordError
from accord.provider import (
    HttpTarget,
    MessageRegistry,
    Produced,
    ProviderError,
    StateChangeUrl,
    StateRegistry,
    app_target,
    parse_base_url,
    verify_provider,
)
from accord.registry.model import Registry


def user_states(users: Users, log: list[str] | None = None) -> StateRegistry:
    states = StateRegistry()

    @states.state("user exists")
    def user_exists(id: int) -> Iterator[dict[str, Any]]:
        users.rows[id] = {"id": id, "name": "Ada", "email": "ada@example.com"}
        if log is not None:
            log.append(f"setup {id}")
        yield {"id": id}
        users.rows.pop(id, None)
        if log is not None:
            log.append(f"teardown {id}")

    return states


FLAVOURS = {
    "asgi-fastapi": fastapi_app,
    "wsgi-stdlib": wsgi_app,
}


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
@pytest.mark.parametrize(
    ("users", "verdict"),
    [
        pytest.param(Users(), "passed", id="honours"),
        pytest.param(Users(rename=True), "contract-violation", id="renamed-name"),
        pytest.param(Users(extra={"nickname": "ada"}), "passed", id="extra-field-ok"),
        pytest.param(Users(extra={"email": "not an email"}), "contract-violation", id="bad-email"),
    ],
)
def test_in_process_verification(
    registry_root: Path, flavour: str, users: Users, verdict: str
) -> None:
    users.rows.clear()
    target = app_target(FLAVOURS[flavour](users))
    try:
        report = verify_provider(
            Registry.load(registry_root), "users-service", target=target, states=user_states(users)
        )
    finally:
        target.close()
    [result] = report.results
    assert result.verdict == verdict
    assert report.ok is (verdict == "passed")
    assert users.rows == {}  # teardown ran
    if verdict == "passed":
        assert result.contract_version == "users.user@1.0.0"


def test_failure_names_the_field_the_consumer_and_the_fault(registry_root: Path) -> None:
    users = Users(rename=True)
    target = app_target(fastapi_app(users))
    report = verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=user_states(users)
    )
    target.close()
    text = report.results[0].message()
    assert "billing: get user 123: provider deviated from the contract users.user@^1" in text
    assert "$.name: is missing (billing reads $.name as string, required)" in text
    # the reference's wording (it explains errors): JSON quotes around the name
    assert '"name" is a required property' in text


def test_consumer_expected_more_than_the_contract_promises(registry_root: Path) -> None:
    e = Expectation("crm", version="2.0.0", name="users")
    (
        e.upon_receiving("get user with nickname")
        .given("user exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200, contract="users.user@^1", body={"id": integer(1), "nickname": string("x")}
        )
    )
    e.write(registry_root)
    users = Users()
    target = app_target(wsgi_app(users))
    report = verify_provider(
        Registry.load(registry_root),
        "users-service",
        target=target,
        states=user_states(users),
        consumer="crm",
    )
    target.close()
    [result] = report.results
    assert result.verdict == "not-promised"
    assert "consumer expected something the contract never promised" in result.message()
    assert "$.nickname: is missing" in result.message()


def test_status_mismatch(registry_root: Path) -> None:
    users = Users()
    states = StateRegistry()
    states.register("user exists", lambda id: None)  # creates nothing: 404
    target = app_target(fastapi_app(users))
    report = verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=states
    )
    target.close()
    [result] = report.results
    assert result.verdict == "mismatch"
    assert "status: expected 200, got 404" in result.message()


def test_over_http_against_a_real_loopback_server(
    registry_root: Path, http_server: Callable[[Users], str]
) -> None:
    good, bad = Users(), Users(rename=True)
    for users, ok in ((good, True), (bad, False)):
        target = HttpTarget(parse_base_url(http_server(users)))
        report = verify_provider(
            Registry.load(registry_root), "users-service", target=target, states=user_states(users)
        )
        target.close()
        assert report.ok is ok
        assert users.seen == ["/users/123"]


def test_base_path_is_kept(registry_root: Path, http_server: Callable[[Users], str]) -> None:
    users = Users()
    base = http_server(users) + "/api/v1/"
    target = HttpTarget(parse_base_url(base))
    verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=user_states(users)
    )
    target.close()
    assert users.seen == ["/api/v1/users/123"]


HOSTILE = {
    "absolute-url": "http://evil.example/users/1",
    "scheme-relative": "//evil.example/users/1",
    "dot-dot": "/users/../admin",
    "encoded-dot-dot": "/users/%2e%2e/admin",
    "double-encoded": "/users/%252e%252E/admin",
    "crlf": "/users/1\r\nHost: evil.example",
    "encoded-slash": "/users%2f..%2fadmin",
    "backslash": "/users\\..\\admin",
    "nul": "/users/%00",
    "query-in-path": "/users/1?admin=1",
    "no-leading-slash": "users/1",
}


@pytest.mark.parametrize("path", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_paths_are_refused_before_any_request(
    registry_root: Path, path: str, http_server: Callable[[Users], str]
) -> None:
    doc = (
        Expectation("mallory", version="1.0.0", name="users")
        .upon_receiving("benign")
        .with_request("GET", "/users/123")
        .will_respond_with(200)
        .to_json()
    )
    bad = json.loads(json.dumps(doc["interactions"][0]))
    bad["description"] = "hostile"
    bad["request"]["path"] = path
    doc["interactions"].append(bad)
    # The expectation schema itself refuses some of these; write it raw, as a tampered
    # file would be.
    (registry_root / "consumers" / "mallory").mkdir(parents=True)
    (registry_root / "consumers" / "mallory" / "users.json").write_text(
        json.dumps({**doc, "provider": "users-service"}), encoding="utf-8"
    )
    users = Users()
    target = HttpTarget(parse_base_url(http_server(users)))

    def run() -> None:
        verify_provider(
            Registry.load(registry_root), "users-service", target=target, states=user_states(users)
        )

    try:
        with pytest.raises(AccordError) as info:
            run()
    finally:
        target.close()
    # A path without a leading '/' is already refused by the expectation format.
    want = "expectation-invalid" if not path.startswith("/") else "interaction-unsafe-path"
    assert info.value.code == want
    assert info.value.file == "consumers/mallory/users.json"
    assert users.seen == []  # nothing reached the server, not even the benign interaction


def test_hostile_value_from_a_state_handler_is_refused(
    registry_root: Path, http_server: Callable[[Users], str]
) -> None:
    doc = billing_with_generator(registry_root)
    assert doc
    users = Users()
    states = StateRegistry()
    states.register("user exists", lambda id: {"id": "../../admin"})
    target = HttpTarget(parse_base_url(http_server(users)))
    report = verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=states
    )
    target.close()
    [result] = report.results
    assert result.verdict == "error"
    assert "refusing interaction path" in result.error
    assert users.seen == []


def billing_with_generator(root: Path) -> dict[str, Any]:
    """billing's expectation with a ProviderState path generator (``/users/${id}``)."""
    from _provider_support import billing_expectation

    doc = billing_expectation().to_json()
    doc["interactions"][0]["request"]["generators"] = {
        "path": {"type": "ProviderState", "expression": "/users/${id}"}
    }
    write_doc(root, "billing", "users", doc)
    return doc


def test_states_params_teardown_and_generated_path(registry_root: Path) -> None:
    billing_with_generator(registry_root)
    users = Users()
    log: list[str] = []
    states = StateRegistry()

    @states.state("user exists")
    def create(id: int) -> Iterator[dict[str, Any]]:
        users.rows[777] = {"id": 777, "name": "Bo", "email": "bo@example.com"}
        log.append(f"setup id={id}")
        yield {"id": 777}  # the handler created another id: the generator uses it
        users.rows.pop(777)
        log.append("teardown")

    target = app_target(fastapi_app(users))
    report = verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=states
    )
    target.close()
    assert report.ok, report.render_text()
    assert users.seen == ["/users/777"]
    assert log == ["setup id=123", "teardown"]


def test_missing_state_handler_is_a_clear_error(registry_root: Path) -> None:
    users = Users()
    target = app_target(fastapi_app(users))
    with pytest.raises(ProviderError) as info:
        verify_provider(
            Registry.load(registry_root), "users-service", target=target, states=StateRegistry()
        )
    target.close()
    assert info.value.code == "provider-state-missing"
    assert "'user exists'" in info.value.message
    assert users.seen == []


def test_handler_needing_an_unsupplied_param(registry_root: Path) -> None:
    states = StateRegistry()
    states.register("user exists", lambda id, tenant: None)
    target = app_target(fastapi_app(Users()))
    with pytest.raises(ProviderError) as info:
        verify_provider(Registry.load(registry_root), "users-service", target=target, states=states)
    target.close()
    assert info.value.code == "provider-state-params"
    assert "'tenant'" in info.value.message


def test_failing_teardown_fails_the_interaction(registry_root: Path) -> None:
    users = Users()
    states = StateRegistry()

    @states.state("user exists")
    def create(id: int) -> Iterator[None]:
        users.rows[id] = {"id": id, "name": "Ada", "email": "ada@example.com"}
        yield
        raise RuntimeError("db gone")

    target = app_target(fastapi_app(users))
    report = verify_provider(
        Registry.load(registry_root), "users-service", target=target, states=states
    )
    target.close()
    assert report.results[0].verdict == "error"
    assert "teardown failed: RuntimeError: db gone" in report.results[0].error


@pytest.mark.timeout(60)  # a real uvicorn server in a thread: never hang the suite
def test_state_change_url(registry_root: Path, http_server: Callable[[Users], str]) -> None:
    """Pact's protocol: the provider sets its own states from a POST."""
    users = Users()
    posts: list[dict[str, Any]] = []
    app = FastAPI()

    @app.post("/_pact/state")
    async def change(request: Request) -> dict[str, Any]:
        body = await request.json()
        posts.append(body)
        if body["action"] == "setup":
            i = body["params"]["id"]
            users.rows[i] = {"id": i, "name": "Ada", "email": "ada@example.com"}
        else:
            users.rows.clear()
        return {"id": body["params"]["id"]}

    @app.get("/users/{i}")
    def get(i: int) -> Response:
        status, body = users.answer(f"/users/{i}")
        return Response(body, status_code=status, media_type="application/json")

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before it started serving"
        assert time.monotonic() < deadline, "uvicorn did not start within 20 s"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    target = HttpTarget(parse_base_url(base))
    runner = StateChangeUrl(parse_base_url(base + "/_pact/state", what="--state-change-url"))
    try:
        report = verify_provider(
            Registry.load(registry_root), "users-service", target=target, states=runner
        )
    finally:
        target.close()
        runner.close()
        server.should_exit = True
        thread.join(5)
    assert report.ok, report.render_text()
    assert posts == [
        {"state": "user exists", "params": {"id": 123}, "action": "setup"},
        {"state": "user exists", "params": {"id": 123}, "action": "teardown"},
    ]


# -- messages --------------------------------------------------------------------------


def order_expectation(root: Path) -> None:
    e = Expectation("billing", version="1.4.0", name="orders")
    e.message(
        "an order.placed event",
        "orders.order-placed@^1",
        {"order_id": string("o-1"), "total": integer(12)},
    )
    e.write(root)


@pytest.mark.parametrize(
    ("produced", "verdict"),
    [
        pytest.param(b'{"order_id": "o-9", "total": 30}', "passed", id="bytes"),
        pytest.param({"order_id": "o-9", "total": 30}, "passed", id="dict"),
        pytest.param(
            Produced(
                b'{"order_id": "o-9", "total": 30}',
                {"dataschema": "accord://orders.order-placed@1.0.0"},
            ),
            "passed",
            id="dataschema",
        ),
        pytest.param({"order_id": "o-9", "total": 30.5}, "not-promised", id="decimal-total"),
        pytest.param({"order_id": "o-9", "total": -1}, "contract-violation", id="negative"),
        pytest.param({"order_id": "o-9"}, "contract-violation", id="no-total"),
    ],
)
def test_message_verification(registry_root: Path, produced: Any, verdict: str) -> None:
    order_expectation(registry_root)
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: produced)
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    [result] = report.results
    assert result.kind == "message"
    assert result.verdict == verdict, result.message()


def test_message_through_the_service_serializer(registry_root: Path) -> None:
    """A Pydantic model goes through its own JSON serializer (aliases, types)."""
    from pydantic import BaseModel, Field

    class OrderPlaced(BaseModel):
        order: str = Field(serialization_alias="order_id")
        total: int

    order_expectation(registry_root)
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: OrderPlaced(order="o-1", total=3))
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    assert report.ok, report.render_text()


def test_missing_producer(registry_root: Path) -> None:
    order_expectation(registry_root)
    with pytest.raises(ProviderError) as info:
        verify_provider(Registry.load(registry_root), "orders-service", producers=MessageRegistry())
    assert info.value.code == "message-producer-missing"


# -- the CLI ---------------------------------------------------------------------------

APP_MODULE = """
import json
from accord.provider import provider_state

ROWS = {}

@provider_state("user exists")
def user_exists(id):
    ROWS[id] = {"id": id, "name": "Ada", "email": "ada@example.com"}
    yield
    ROWS.pop(id)

def app(environ, start_response):
    i = int(environ["PATH_INFO"].rsplit("/", 1)[1])
    row = ROWS.get(i)
    start_response("200 OK" if row else "404 Not Found", [("Content-Type", "application/json")])
    return [json.dumps(row or {}).encode()]
"""


def test_cli_verify_provider_record_and_json(
    registry_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cli_users_app.py").write_text(APP_MODULE, encoding="utf-8")
    argv = [
        "verify",
        "--provider",
        "users-service",
        "--app",
        "cli_users_app:app",
        "--app-dir",
        str(tmp_path),
        "--registry",
        str(registry_root),
    ]
    assert main([*argv, "--provider-version", "1.0.0", "--record", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    assert out["record"] == "verifications/users-service/1.0.0.json"
    record = json.loads((registry_root / out["record"]).read_text())
    [result] = record["results"]
    assert (result["consumer"], result["success"], result["consumer_version"]) == (
        "billing",
        True,
        "1.4.0",
    )
    assert result["contracts"] == ["users.user@1.0.0"]
    # the static mode is unchanged, and the modes do not mix
    assert main(["verify", "--static", "--registry", str(registry_root)]) == 0
    capsys.readouterr()
    assert main(["verify", "--static", "--app", "x:y", "--registry", str(registry_root)]) == 2
    assert main(["verify", "--provider", "users-service", "--registry", str(registry_root)]) == 2
    assert main([*argv, "--record"]) == 2  # --record needs --provider-version
    err = capsys.readouterr().err
    assert "--provider-version" in err


def test_cli_verify_app_naming_a_module_says_how_to_name_the_app(
    registry_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--app cli_users_app` (the ":app" forgotten) said only "<module ...> is not an ASGI
    # or WSGI application (not callable)".
    (tmp_path / "cli_users_app.py").write_text(APP_MODULE, encoding="utf-8")
    argv = ["verify", "--provider", "users-service", "--app", "cli_users_app"]
    argv += ["--app-dir", str(tmp_path), "--registry", str(registry_root)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "provider-app-invalid" in err
    assert "'cli_users_app:app'" in err


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://10.0.0.1:8000", "provider-remote-refused"),
        ("http://example.com", "provider-remote-refused"),
        ("http://user:pw@127.0.0.1", "provider-url-invalid"),
        ("ftp://127.0.0.1", "provider-url-invalid"),
        ("http://127.0.0.1/?q=1", "provider-url-invalid"),
    ],
)
def test_base_url_rules(url: str, code: str) -> None:
    with pytest.raises(ProviderError) as info:
        parse_base_url(url)
    assert info.value.code == code


def test_remote_allowed_explicitly() -> None:
    assert str(parse_base_url("https://users.internal:8443/api", allow_remote=True)) == (
        "https://users.internal:8443/api"
    )
    assert str(parse_base_url("http://[::1]:8000")) == "http://[::1]:8000"
