"""In-process provider targets stop reading a response at the byte cap.

Before, the WSGI and ASGI targets took the whole body (httpx's ``resp.content``; its
ASGI transport buffers every chunk until the app ends) and compared its size with
``max_response_bytes`` afterwards: an app streaming without end (or a long way past
the cap) was read into memory until it stopped or the deadline came, and a gzip answer
was inflated whole. Now at most the cap plus one chunk is taken, then
``response larger than ...``, as for a provider at a base URL.
"""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accord.provider._replay import Limits, ReplayError, Request, app_target

CHUNK = 64 * 1024
CAP = 4 * CHUNK
MANY = 1000  # 64 MiB: far past the cap, without exhausting the machine before the fix


def _wsgi(pulled: list[int]) -> Callable[..., Iterator[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "application/json")])
        for _ in range(MANY):
            pulled.append(1)
            yield b" " * CHUNK

    return app


def _asgi(pulled: list[int], *, swallow: bool) -> Callable[..., Any]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for _ in range(MANY):
            pulled.append(1)
            try:
                await send({"type": "http.response.body", "body": b" " * CHUNK, "more_body": True})
            except Exception:  # a hostile app carries on whatever send says
                if not swallow:
                    raise
        await send({"type": "http.response.body", "body": b""})

    return app


def _send(app: Any) -> str:
    target = app_target(app, Limits(timeout=60, max_response_bytes=CAP))
    try:
        with pytest.raises(ReplayError) as info:
            target.send(Request("GET", "/"))
    finally:
        target.close()
    return str(info.value)


def test_a_wsgi_app_is_read_up_to_the_cap_only() -> None:
    pulled: list[int] = []
    assert f"larger than {CAP} bytes" in _send(_wsgi(pulled))
    assert len(pulled) <= CAP // CHUNK + 2


def test_an_asgi_app_is_stopped_at_the_cap() -> None:
    pulled: list[int] = []
    assert f"larger than {CAP} bytes" in _send(_asgi(pulled, swallow=False))
    assert len(pulled) <= CAP // CHUNK + 2


def test_an_asgi_app_carrying_on_past_the_cap_is_not_buffered() -> None:
    """It may go on sending (its own loop), but nothing past the cap is kept."""
    pulled: list[int] = []
    assert f"larger than {CAP} bytes" in _send(_asgi(pulled, swallow=True))


@pytest.mark.parametrize("kind", ["wsgi", "asgi"])
def test_a_gzip_bomb_from_an_app_is_not_inflated(kind: str) -> None:
    bomb = gzip.compress(b" " * (64 * CAP))
    headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")]

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", headers)
        return [bomb]

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = [(k.lower().encode(), v.encode()) for k, v in headers]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": bomb})

    tracemalloc.start()
    try:
        assert f"larger than {CAP} bytes" in _send(wsgi if kind == "wsgi" else asgi)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * CAP  # inflated whole, it is 64 * CAP


@pytest.mark.parametrize("kind", ["wsgi", "asgi"])
def test_an_answer_within_the_cap_is_read_whole_and_decoded(kind: str) -> None:
    body = b'{"ok": true}'
    headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip")]

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", headers)
        return [gzip.compress(body)]

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = [(k.lower().encode(), v.encode()) for k, v in headers]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": gzip.compress(body)})

    target = app_target(wsgi if kind == "wsgi" else asgi, Limits(max_response_bytes=CAP))
    try:
        response = target.send(Request("GET", "/"))
    finally:
        target.close()
    assert (response.status, response.body) == (200, body)
