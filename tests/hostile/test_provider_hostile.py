"""Provider verification with hostile expectations and a hostile state-change URL.

Overlong UTF-8 in a path used to crash the run (exit 3); out-of-range generator
parameters used to crash it or stall it for minutes; the state-change URL read the whole
answer before checking its size, and its timeout was per read, so a slow drip ran on.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.consumers import Expectation
from accord.errors import AccordError
from accord.provider import (
    HttpTarget,
    ProviderError,
    StateChangeUrl,
    StateRegistry,
    parse_base_url,
    verify_provider,
)
from accord.provider._replay import Limits, ReplayError, check_path
from accord.provider._states import StateFailed
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import Users, http_server, registry_root, wsgi_server  # fixtures

__all__ = ["http_server", "registry_root", "wsgi_server"]


def _hostile(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """mallory's expectation: a benign interaction, then one ``change`` makes hostile,
    written raw (as a tampered file would be)."""
    doc = (
        Expectation("mallory", version="1.0.0", name="users")
        .upon_receiving("benign")
        .with_request("GET", "/users/123")
        .will_respond_with(200)
        .to_json()
    )
    bad = json.loads(json.dumps(doc["interactions"][0]))
    bad["description"] = "hostile"
    change(bad)
    doc["interactions"].append(bad)
    (root / "consumers" / "mallory").mkdir(parents=True)
    (root / "consumers" / "mallory" / "users.json").write_text(
        json.dumps({**doc, "provider": "users-service"}), encoding="utf-8"
    )


def _verify(root: Path, users: Users, base: str) -> None:
    target = HttpTarget(parse_base_url(base))
    try:
        verify_provider(Registry.load(root), "users-service", target=target, states=StateRegistry())
    finally:
        target.close()


OVERLONG = ["/%c0%ae%c0%ae/x", "/%c0%af", "/%e0%80%ae%e0%80%ae/x", "/users/%ff", "/%ed%a0%80"]


@pytest.mark.parametrize("path", OVERLONG)
def test_invalid_utf8_escapes_are_unsafe(path: str) -> None:
    with pytest.raises(ProviderError) as info:
        check_path(path)
    assert info.value.code == "interaction-unsafe-path"


@pytest.mark.parametrize("path", OVERLONG[:2])
def test_overlong_path_exits_2_before_any_request(
    registry_root: Path,
    http_server: Callable[[Users], str],
    capsys: pytest.CaptureFixture[str],
    path: str,
) -> None:
    _hostile(registry_root, lambda i: i["request"].update(path=path))
    users = Users()
    base = http_server(users)
    argv = ["verify", "--provider", "users-service", "--base-url", base]
    assert main([*argv, "--registry", str(registry_root)]) == 2
    assert "interaction-unsafe-path" in capsys.readouterr().err
    assert users.seen == []


@pytest.mark.parametrize(
    ("generator", "names"),
    [
        pytest.param(
            {"type": "RandomInt", "min": 5, "max": 1}, "min <= max", id="int-min-over-max"
        ),
        pytest.param({"type": "RandomInt", "min": "a"}, "integers", id="int-not-a-number"),
        pytest.param({"type": "RandomInt", "max": 2**70}, "2**63", id="int-huge"),
        pytest.param({"type": "RandomDecimal", "digits": 0}, "digits", id="decimal-0"),
        pytest.param({"type": "RandomDecimal", "digits": 100000}, "digits", id="decimal-1e5"),
        pytest.param({"type": "RandomHexadecimal", "digits": 4097}, "digits", id="hex-over-cap"),
        pytest.param({"type": "RandomString", "size": 4097}, "size", id="string-over-cap"),
        pytest.param({"type": "RandomString", "size": -1}, "size", id="string-negative"),
        pytest.param({"type": "RandomString", "size": True}, "size", id="string-bool"),
    ],
)
def test_bad_generator_parameters_exit_2_before_any_request(
    registry_root: Path, http_server: Callable[[Users], str], generator: Any, names: str
) -> None:
    _hostile(registry_root, lambda i: i["request"].update(generators={"query": {"q": generator}}))
    users = Users()
    base = http_server(users)
    with pytest.raises(AccordError) as info:
        _verify(registry_root, users, base)
    assert info.value.code == "interaction-bad-generator"
    assert "hostile" in info.value.message  # the interaction
    assert "query q" in info.value.message  # the generator's place
    assert generator["type"] in info.value.message
    assert names in info.value.message
    assert info.value.pointer.endswith("/request/generators/query/q")
    assert users.seen == []


# -- a hostile state-change URL ---------------------------------------------------------

CAP = 1024 * 1024


class _Hostile(BaseHTTPRequestHandler):
    mode = "big"
    finished: threading.Event

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            if self.mode == "big":  # 2 MiB against a 1 MiB cap
                self.send_response(200)
                self.send_header("Content-Length", str(2 * CAP))
                self.end_headers()
                for _ in range(32):
                    self.wfile.write(b" " * (2 * CAP // 32))
            elif self.mode == "drip-body":  # one byte every 0.1 s, 3 s in all
                self.send_response(200)
                self.send_header("Content-Length", "30")
                self.end_headers()
                self._drip(b"{}" + b" " * 28)
            else:  # the status line and headers themselves, a byte at a time
                self._drip(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"x" * 10)
                self.wfile.write(b"\r\n\r\n{}")
        except OSError:
            pass  # the client gave up: what the test wants
        finally:
            self.finished.set()

    def _drip(self, data: bytes) -> None:
        for n in range(min(len(data), 30)):
            self.wfile.write(data[n : n + 1])
            self.wfile.flush()
            time.sleep(0.1)

    def log_message(self, format: str, *args: Any) -> None:
        pass


FINISHED: dict[str, threading.Event] = {}


@pytest.fixture
def hostile_url() -> Iterator[Callable[[str], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(mode: str) -> str:
        FINISHED[mode] = threading.Event()
        handler = type("Handler", (_Hostile,), {"mode": mode, "finished": FINISHED[mode]})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return f"http://127.0.0.1:{server.server_port}/_pact/state"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("mode", "limits", "why"),
    [
        pytest.param("big", Limits(timeout=5, max_response_bytes=CAP), "larger than", id="big"),
        pytest.param("drip-body", Limits(timeout=1), "1 s", id="drip-body"),
        pytest.param("drip-headers", Limits(timeout=1), "1 s", id="drip-headers"),
    ],
)
def test_state_change_url_is_bounded(
    hostile_url: Callable[[str], str], mode: str, limits: Limits, why: str
) -> None:
    runner = StateChangeUrl(parse_base_url(hostile_url(mode), what="--state-change-url"), limits)
    try:
        with pytest.raises(StateFailed) as info:
            runner.setup("user exists", {"id": 1})
        # a total deadline: given up while the server is still dripping (it drips 3 s)
        assert mode == "big" or not FINISHED[mode].is_set()
    finally:
        runner.close()
    assert why in str(info.value)


@pytest.mark.parametrize("mode", ["drip-body", "drip-headers"])
def test_provider_requests_have_a_total_deadline(
    hostile_url: Callable[[str], str], mode: str
) -> None:
    from accord.provider._replay import Request

    base = hostile_url(mode).removesuffix("/_pact/state")
    target = HttpTarget(parse_base_url(base), Limits(timeout=1))
    try:
        with pytest.raises(ReplayError, match="1 s"):
            target.send(Request("POST", "/x", body=b"{}"))
        assert not FINISHED[mode].is_set()  # given up while the server still drips
    finally:
        target.close()
