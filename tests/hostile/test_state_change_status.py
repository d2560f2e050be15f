"""A state-change URL sets the state up only when it answers 2xx.

accord took every status under 400 as a state set up: a provider whose state-change
endpoint redirected (``302`` to a login page, ``307`` to a moved route, ``304``) had set
nothing up, yet the interaction was replayed and could be recorded verified.
pact_verifier fails a state change whose answer is not a success (``status().is_success()``, after
the redirects reqwest follows; accord follows none). Now only 2xx sets a state up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accord.provider._replay import Limits, StateChangeUrl, parse_base_url
from accord.provider._states import StateFailed


@pytest.fixture
def answering() -> Iterator[Callable[[int], StateChangeUrl]]:
    servers: list[ThreadingHTTPServer] = []
    runners: list[StateChangeUrl] = []

    def start(status: int) -> StateChangeUrl:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                self.send_header("Location", "/login")
                self.send_header("Content-Length", "0")
                self.end_headers()

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

    yield start
    for runner in runners:
        runner.close()
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("status", [300, 301, 302, 303, 304, 307, 308])
def test_a_redirect_sets_no_state_up(
    answering: Callable[[int], StateChangeUrl], status: int
) -> None:
    with pytest.raises(StateFailed, match=f"answered {status} to setup of 'user exists'"):
        answering(status).setup("user exists", {"id": 1})


@pytest.mark.parametrize("status", [200, 201, 204])
def test_a_success_sets_the_state_up(
    answering: Callable[[int], StateChangeUrl], status: int
) -> None:
    values, _teardown = answering(status).setup("user exists", {"id": 1})
    assert values == {}
