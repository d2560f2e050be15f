"""A state-change URL's answer is read as strict JSON, or gives no values.

Its JSON object supplies values to the interaction's generators. It was read with
Python's ``json.loads``: 100,000 nested ``[`` (within the byte cap) raised
``RecursionError`` out of the verifier (a traceback, exit 3), ``NaN`` became a value,
and of two ``"id"`` keys the last silently won. Now accord's strict reader decides, and
what it refuses gives no values, as a body that is not JSON at all always did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accord.provider._replay import Limits, StateChangeUrl, parse_base_url

Respond = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def state_change_urls() -> Iterator[Callable[[Respond], StateChangeUrl]]:
    """Start state-change endpoints (each POST read, then answered by ``respond``) and
    the runners that call them; all closed on exit (tests/hostile/test_state_change_*)."""
    servers: list[ThreadingHTTPServer] = []
    runners: list[StateChangeUrl] = []

    def start(respond: Respond) -> StateChangeUrl:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                respond(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        url = f"http://127.0.0.1:{server.server_port}/_pact/state"
        runner = StateChangeUrl(parse_base_url(url, what="--state-change-url"), Limits(timeout=5))
        runners.append(runner)
        return runner

    try:
        yield start
    finally:
        for runner in runners:
            runner.close()
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def answering() -> Iterator[Callable[[bytes], StateChangeUrl]]:
    def with_body(body: bytes) -> Respond:
        def respond(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return respond

    with state_change_urls() as start:
        yield lambda body: start(with_body(body))


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"id": NaN}', b'{"id": 1, "id": 2}', b"OK", b""],
    ids=["deep", "nan", "duplicate-keys", "text", "empty"],
)
def test_what_strict_json_refuses_gives_no_values(
    answering: Callable[[bytes], StateChangeUrl], body: bytes
) -> None:
    values, _teardown = answering(body).setup("user exists", {"id": 1})
    assert values == {}


def test_a_json_object_gives_its_values(answering: Callable[[bytes], StateChangeUrl]) -> None:
    values, _teardown = answering(b'{"id": 7}').setup("user exists", {})
    assert values == {"id": 7}
