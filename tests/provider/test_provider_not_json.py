"""A provider that answers a JSON interaction with something else (an HTML error page,
an empty body) is the provider's failure, and the report shows what it answered.

The report used to say "consumer expected something the contract never promised" (the
consumer blamed) with only "$: the body is missing or not JSON" to go on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _provider_support import user_exists_states

from accord.provider import HttpTarget, parse_base_url, verify_provider
from accord.registry.model import Registry

HTML = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    + b"<p>upstream unavailable</p>" * 40
    + b"</body></html>"
)

Answer = tuple[int, str, bytes]


@pytest.fixture
def raw_server(
    wsgi_server: Callable[[Callable[..., Any]], str],
) -> Callable[[Answer], str]:
    """A loopback server answering every request with one fixed status, type and body."""

    def start(answer: Answer) -> str:
        status, content_type, body = answer

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            start_response(f"{status} Whatever", [("Content-Type", content_type)])
            return [body]

        return wsgi_server(app)

    return start


def _verify(root: Path, base: str) -> Any:
    target = HttpTarget(parse_base_url(base))
    try:
        report = verify_provider(
            Registry.load(root), "users-service", target=target, states=user_exists_states()
        )
    finally:
        target.close()
    [result] = report.results
    return result


ANSWERS = {
    "html-200": (200, "text/html; charset=utf-8", HTML),
    "html-500": (500, "text/html; charset=utf-8", HTML),
    "plain-200": (200, "text/plain", b"OK"),
    "empty-200": (200, "application/json", b""),
    "truncated-json-200": (200, "application/json", b'{"id": 123, "na'),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_a_body_that_is_not_json_is_the_providers_failure(
    registry_root: Path, raw_server: Callable[[Answer], str], answer: Answer
) -> None:
    status, content_type, body = answer
    result = _verify(registry_root, raw_server(answer))
    assert result.verdict == "mismatch"
    text = result.message()
    assert "provider did not answer as the consumer expects" in text
    assert "never promised" not in text
    # The provider's answer is named: status, content type and how its body starts.
    assert str(status) in text
    assert content_type in text
    if body:
        assert repr(body[:20].decode())[1:-1] in text
        assert f"{len(body)} bytes" in text
    else:
        assert "no body" in text
    # Truncated: an error page is not copied into the report whole.
    assert len(text) < 600
    for mismatch in result.to_json()["mismatches"]:
        assert not mismatch["path"].startswith("$")
