"""The loopback HTTP stub (``Expectation.serve()``): as strict as Pact's mock server,
reached over a real socket by any client library, and bounded (no thread or port
outlives it)."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from accord.consumers import Expectation, integer, like, string
from accord.consumers._stub import StubServer
from accord.errors import UsageError


def _users() -> Expectation:
    e = Expectation("billing", provider="users-service")
    (
        e.upon_receiving("get user 123")
        .given("user 123 exists")
        .with_request("GET", "/users/123", query={"fields": "name"}, headers={"X-Api-Key": "k"})
        .will_respond_with(200, body={"id": integer(123), "name": string("Ada")})
    )
    (
        e.upon_receiving("create a user")
        .with_request("POST", "/users", body={"name": like("Bob")})
        .will_respond_with(201, body={"id": integer(7)})
    )
    return e


def _stub_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("accord-stub")]


def test_any_client_gets_the_expected_responses_over_a_real_socket() -> None:
    e = _users()
    with e.serve() as stub:
        assert stub.base_url == f"http://127.0.0.1:{stub.port}"
        assert stub.port != 0
        # httpx over its real network transport
        got = httpx.get(f"{stub.base_url}/users/123?fields=name", headers={"x-api-key": "k"})
        assert got.status_code == 200
        assert got.json() == {"id": 123, "name": "Ada"}
        assert got.headers["content-type"] == "application/json"
        # the standard library's client
        request = urllib.request.Request(
            f"{stub.base_url}/users",
            data=json.dumps({"name": "Eve"}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 201
            assert json.loads(answer.read()) == {"id": 7}
    assert e.problems() == []


def _fetch(url: str, **kwargs: Any) -> httpx.Response:
    return httpx.get(url, timeout=5, **kwargs)


def _unmet(e: Expectation, action: Callable[[StubServer], None], **serve: Any) -> str:
    """Run ``action`` against a served stub; leaving the block must raise ``expectation-unmet``."""

    def run() -> None:
        with e.serve(**serve) as stub:
            action(stub)

    with pytest.raises(UsageError) as info:
        run()
    assert info.value.code == "expectation-unmet"
    return str(info.value)


def test_a_missing_expected_header_is_a_mismatch_named_in_the_answer_and_at_exit() -> None:
    def action(stub: StubServer) -> None:
        got = _fetch(f"{stub.base_url}/users/123?fields=name")  # no X-Api-Key
        assert got.status_code == 500
        candidates = {c["interaction"]: c["mismatches"] for c in got.json()["candidates"]}
        assert candidates["get user 123"] == ["header X-Api-Key is missing"]
        assert httpx.post(f"{stub.base_url}/users", json={"name": "Eve"}).status_code == 201

    message = _unmet(_users(), action)
    assert "header X-Api-Key is missing" in message
    assert "interaction 'get user 123' was never exercised" in message


@pytest.mark.parametrize(
    ("path", "kwargs", "why"),
    [
        (
            "/users/123?fields=id",
            {"headers": {"X-Api-Key": "k"}},
            "query fields=['id'] != ['name']",
        ),
        ("/users/123?fields=name", {"headers": {"X-Api-Key": "other"}}, "header X-Api-Key"),
        ("/users/124?fields=name", {"headers": {"X-Api-Key": "k"}}, "path /users/124"),
    ],
    ids=["query", "header-value", "path"],
)
def test_query_header_value_and_path_are_checked(
    path: str, kwargs: dict[str, Any], why: str
) -> None:
    def action(stub: StubServer) -> None:
        got = _fetch(stub.base_url + path, **kwargs)
        assert got.status_code == 500
        assert why in json.dumps(got.json())

    assert "unexpected request GET" in _unmet(_users(), action)


def test_a_request_body_failing_the_matchers_is_a_mismatch() -> None:
    def action(stub: StubServer) -> None:
        assert httpx.post(f"{stub.base_url}/users", json={"name": 5}).status_code == 500

    assert "unexpected request POST /users" in _unmet(_users(), action)


def test_an_unexercised_interaction_fails_at_exit() -> None:
    def action(stub: StubServer) -> None:
        assert httpx.post(f"{stub.base_url}/users", json={"name": "Eve"}).status_code == 201

    message = _unmet(_users(), action)
    assert message.count("was never exercised") == 1
    assert "'get user 123'" in message


def test_an_exception_in_the_block_is_not_masked() -> None:
    e = _users()
    with pytest.raises(KeyError), e.serve():
        raise KeyError("the test's own failure")


def test_an_over_size_body_is_refused_and_kept_as_a_problem() -> None:
    def action(stub: StubServer) -> None:
        got = httpx.post(f"{stub.base_url}/users", json={"name": "x" * 640})
        assert got.status_code == 413

    assert "over the stub's 64" in _unmet(_users(), action, max_body=64)


def test_close_frees_the_port_and_joins_every_thread_even_with_a_silent_client() -> None:
    before = _stub_threads()
    e = _users()
    stub = e.serve(timeout=30)  # far longer than the test: close() must not wait for it
    silent = socket.create_connection(("127.0.0.1", stub.port), timeout=5)
    try:
        assert httpx.get(f"{stub.base_url}/nothing").status_code == 500
        assert len(_stub_threads()) >= len(before) + 1
        stub.close()
        stub.close()  # idempotent
        assert _stub_threads() == before
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", stub.port), 1).close()
    finally:
        silent.close()


def test_head_and_two_servers_for_one_expectation() -> None:
    e = Expectation("billing", provider="users-service")
    e.upon_receiving("head").with_request("HEAD", "/ping").will_respond_with(204)
    e.upon_receiving("get").with_request("GET", "/ping").will_respond_with(200, body={"a": 1})
    with e.serve() as one, e.serve() as two:
        assert one.port != two.port
        assert httpx.head(f"{one.base_url}/ping").status_code == 204
        assert httpx.get(f"{two.base_url}/ping").json() == {"a": 1}
    assert e.problems() == []


def _orders() -> Expectation:
    e = Expectation("billing", provider="orders-service")
    e.message("order placed", "orders.order-placed@^1", {"order_id": string("o-1")})
    e.message("order cancelled", "orders.order-cancelled@^1", {"order_id": string("o-2")})
    return e


def test_a_message_never_consumed_is_a_problem_like_an_unexercised_interaction() -> None:
    e = _orders()
    seen: list[tuple[Any, dict[str, Any]]] = []
    assert e.consume("order placed", lambda body, meta: seen.append((body, meta))) is None
    assert seen == [({"order_id": "o-1"}, {"contract": "orders.order-placed@^1"})]
    problems = e.problems()
    assert len(problems) == 1
    assert "message 'order cancelled' was never consumed" in problems[0]
    with pytest.raises(UsageError) as info:
        e.raise_for_problems()
    assert info.value.code == "expectation-unmet"
    assert e.example_message("order cancelled") == {"order_id": "o-2"}
    assert e.problems() == []


def test_consuming_an_unknown_message_names_the_closest() -> None:
    with pytest.raises(UsageError) as info:
        _orders().consume("order place", lambda body, meta: None)
    assert info.value.code == "expectation-unknown-message"
    assert "did you mean 'order placed'" in str(info.value)


def test_the_http_stub_exit_does_not_judge_messages() -> None:
    e = _orders()
    e.upon_receiving("ping").with_request("GET", "/ping").will_respond_with(204)
    with e.serve() as stub:
        assert httpx.get(f"{stub.base_url}/ping").status_code == 204
    assert len(e.problems()) == 2
    assert e.problems(messages=False) == []


@pytest.mark.parametrize("port", ["taken", 70000], ids=["in-use", "not-a-port"])
def test_a_port_it_cannot_listen_on_is_a_usage_error(port: Any) -> None:
    e = _users()
    with e.serve() as held:
        with pytest.raises(UsageError) as info:
            e.serve(port=held.port if port == "taken" else port)
        assert info.value.code == "stub-port-unavailable"
        assert httpx.get(f"{held.base_url}/users/123?fields=name", headers={"X-Api-Key": "k"})
        assert httpx.post(f"{held.base_url}/users", json={"name": "Eve"}).status_code == 201
