"""A provider answering a JSON body under another media type does not pass.

The consumer's stub serves an expected body as ``application/json``, so that is what
the consumer's client was tested with. The verifier parsed whatever bytes came back and
never looked at their type: a JSON body under ``text/html``, ``application/xml`` or no
``Content-Type`` at all passed, though clients that dispatch on the media type
(aiohttp's ``json()``, generated SDKs) fail on it, and Pact's verifier reports a body
type mismatch. A ``Content-Type`` the expectation states is checked as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.consumers import Expectation, integer
from accord.provider import app_target, verify_provider
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root, user_exists_states

__all__ = ["registry_root"]

BODY = b'{"id": 123, "name": "Ada", "email": "a@example.com"}'


def _app(content_type: str | None) -> Callable[..., list[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", content_type)] if content_type else [])
        return [BODY]

    return app


def _verify(root: Path, content_type: str | None) -> Any:
    target = app_target(_app(content_type))
    try:
        return verify_provider(
            Registry.load(root), "users-service", target=target, states=user_exists_states()
        )
    finally:
        target.close()


@pytest.mark.parametrize(
    "content_type", ["text/html", "text/plain; charset=utf-8", "application/xml", None]
)
def test_a_json_body_under_another_media_type_fails(
    registry_root: Path, content_type: str | None
) -> None:
    report = _verify(registry_root, content_type)
    assert not report.ok
    [result] = report.results
    assert result.verdict == "mismatch"
    assert any(m.path == "header Content-Type" for m in result.mismatches), result.message()


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON; charset=utf-8", "application/problem+json"],
)
def test_json_media_types_pass(registry_root: Path, content_type: str) -> None:
    report = _verify(registry_root, content_type)
    assert report.ok, report.render_text()


def test_a_stated_content_type_is_the_one_checked(registry_root: Path) -> None:
    """A consumer that states the response's type (say ``text/plain``) gets that."""
    e = Expectation("billing", version="1.4.0", name="users")
    (
        e.upon_receiving("get user 123")
        .given("user exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200,
            headers={"Content-Type": "text/plain"},
            contract="users.user@^1",
            body={"id": integer(123)},
        )
    )
    e.write(registry_root, replace=True)
    assert _verify(registry_root, "text/plain").ok
    assert not _verify(registry_root, "application/json").ok
