"""A real HTTP stub on loopback, built from an expectation (Pact's mock server).

:meth:`accord.consumers.Expectation.serve` starts one: any client library (httpx,
``urllib.request``, requests, aiohttp) talks to ``stub.base_url`` over a real socket,
and the stub answers exactly as the in-process ``transport()`` does, through
:meth:`Expectation.respond`: method, path, query, the expected headers and the body are
checked; a request no interaction matches is answered 500 with every candidate's
mismatches and kept as a problem.

Bounded: one thread per connection, each socket with a read timeout, a cap on the
request body, one request per connection (``Connection: close``); :meth:`StubServer.close`
stops accepting, shuts down the open connections and joins every thread it started, so
nothing outlives the ``with`` block and the port is released.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from accord.errors import UsageError

if TYPE_CHECKING:
    from types import TracebackType

    from accord.consumers._builder import Expectation

__all__ = ["StubServer"]

#: Seconds a connection may stay silent before the stub drops it.
DEFAULT_TIMEOUT = 5.0
#: The largest request body the stub reads (a consumer test sends small bodies).
DEFAULT_MAX_BODY = 1 << 20


class _Server(ThreadingHTTPServer):
    """Tracks its open connections so :meth:`StubServer.close` can end them at once."""

    daemon_threads = False
    block_on_close = True  # server_close() joins every connection thread

    def __init__(self, address: tuple[str, int], stub: StubServer) -> None:
        self.stub = stub
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.stub.timeout)  # a silent client is dropped

    def _answer(self) -> None:
        stub = self.server.stub
        self.close_connection = True
        split = urlsplit(self.path)
        headers = {name: ", ".join(self.headers.get_all(name) or []) for name in self.headers}
        try:
            body = self._body(stub.max_body)
        except _Refused as exc:
            stub.note(f"{self.command} {split.path}: {exc}")
            self._send(exc.status, {"content-type": "application/json"}, _error(str(exc)))
            return
        query = parse_qs(split.query, keep_blank_values=True)
        with stub.lock:
            status, out_headers, payload = stub.expectation.respond(
                self.command, unquote(split.path), query, body, headers
            )
        self._send(status, out_headers, payload)

    def _body(self, cap: int) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() not in ("", "identity"):
            # a consumer test's body is small; chunked upload is refused, not guessed at
            raise _Refused(411, "the stub needs a Content-Length (chunked bodies are refused)")
        raw = self.headers.get("content-length", "0") or "0"
        if not raw.isdigit():
            raise _Refused(400, f"bad Content-Length {raw!r}")
        length = int(raw)
        if length > cap:
            raise _Refused(413, f"request body of {length} bytes is over the stub's {cap}")
        return self.rfile.read(length)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    # http.server dispatches on these names
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a consumer test's output stays quiet; problems() reports what matters


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(message: str) -> bytes:
    return json.dumps({"error": f"accord stub: {message}"}).encode()


class StubServer:
    """A loopback HTTP server answering from one expectation; a context manager.

    Attributes:
        base_url: ``http://127.0.0.1:<port>`` (give it to your client).
        port: The port the operating system chose (``port=0``) or the one asked for.
        problems: What the server refused before a request reached the expectation
            (over-size or chunked bodies); :meth:`Expectation.problems` includes them.

    Leaving the ``with`` block closes the server and, when the block raised nothing,
    raises :class:`~accord.errors.UsageError` (``expectation-unmet``) naming every
    interaction never exercised and every request no interaction matched, as Pact's
    mock server does.
    """

    def __init__(
        self,
        expectation: Expectation,
        *,
        port: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        if timeout <= 0 or max_body < 0:
            raise UsageError("serve(): timeout must be > 0 and max_body >= 0")
        self.expectation = expectation
        self.timeout = timeout
        self.max_body = max_body
        self.lock = threading.Lock()
        self.problems: list[str] = []
        try:
            self._server = _Server(("127.0.0.1", port), self)  # loopback only, never 0.0.0.0
        except (OSError, OverflowError) as exc:  # a port in use, or not a port at all
            raise UsageError(
                f"the stub cannot listen on 127.0.0.1:{port}: {exc} (port=0 picks a free one)",
                code="stub-port-unavailable",
            ) from None
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"accord-stub-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self.closed = False

    def note(self, problem: str) -> None:
        with self.lock:
            self.problems.append(problem)

    def close(self) -> None:
        """Stop accepting, end open connections, join the threads, free the port."""
        if self.closed:
            return
        self.closed = True
        self._server.shutdown()  # serve_forever returns; no new connection is accepted
        with self._server.connections_lock:
            open_now = list(self._server.connections)
        for conn in open_now:  # a client holding a silent connection does not hold us
            with contextlib.suppress(OSError):  # it may have closed meanwhile
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()  # closes the listening socket, joins handler threads
        self._thread.join(self.timeout)

    def __enter__(self) -> StubServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
        if exc_type is None:
            # as Pact's mock server: HTTP only (messages are the fixture's to check)
            self.expectation.raise_for_problems(messages=False)
