"""A provider that compresses its answers is read, within the byte cap.

httpx asks for ``gzip, deflate`` by default, and the verifier read the raw bytes: a
provider behind a gzip middleware was reported as answering "not JSON". The verifier
now asks for ``identity`` (unless the interaction names an encoding itself) and decodes
``gzip`` and ``deflate`` with the response cap applied to the decoded bytes (a small
compressed bomb is "larger than" the cap, never inflated in memory); any other encoding
is a clear error.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accord.provider import HttpTarget, parse_base_url
from accord.provider._replay import Limits, ReplayError, Request

BODY = b'{"id": 123, "name": "Ada"}'


def _encoded(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    return data


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, Any]]]:
    """A provider answering GET /<encoding>[/bomb] with its body so encoded; ``seen``
    holds the Accept-Encoding of the last request."""
    seen: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen["accept-encoding"] = self.headers.get("Accept-Encoding")
            parts = self.path.strip("/").split("/")
            data = b" " * (4 * 1024 * 1024) + BODY if parts[1:] == ["bomb"] else BODY
            payload = _encoded(parts[0], data)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if parts[0] != "none":
                self.send_header("Content-Encoding", parts[0])
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _send(base: str, path: str, limits: Limits | None = None, **request: Any) -> Any:
    target = HttpTarget(parse_base_url(base), limits)
    try:
        return target.send(Request("GET", path, **request))
    finally:
        target.close()


def test_the_verifier_asks_for_an_uncompressed_answer(server: tuple[str, dict[str, Any]]) -> None:
    base, seen = server
    assert _send(base, "/none").body == BODY
    assert seen["accept-encoding"] == "identity"


def test_an_encoding_the_interaction_names_is_sent_as_it_is(
    server: tuple[str, dict[str, Any]],
) -> None:
    base, seen = server
    response = _send(base, "/gzip", headers=(("Accept-Encoding", "gzip"),))
    assert seen["accept-encoding"] == "gzip"
    assert response.body == BODY


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_answer_is_read_decoded(
    server: tuple[str, dict[str, Any]], encoding: str
) -> None:
    response = _send(server[0], f"/{encoding}")
    assert response.body == BODY
    assert response.headers["content-encoding"] == encoding


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_bomb_is_larger_than_the_cap(
    server: tuple[str, dict[str, Any]], encoding: str
) -> None:
    limits = Limits(max_response_bytes=1024 * 1024)
    with pytest.raises(ReplayError, match="larger than 1048576 bytes"):
        _send(server[0], f"/{encoding}/bomb", limits)


def test_an_encoding_accord_does_not_read_is_a_clear_error(
    server: tuple[str, dict[str, Any]],
) -> None:
    with pytest.raises(ReplayError, match="compress"):
        _send(server[0], "/compress")
