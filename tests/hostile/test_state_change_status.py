"""A state-change URL sets the state up only when it answers 2xx.

accord took every status under 400 as a state set up: a provider whose state-change
endpoint redirected (``302`` to a login page, ``307`` to a moved route, ``304``) had set
nothing up, yet the interaction was replayed and could be recorded verified.
pact_verifier fails a state change whose answer is not a success (``status().is_success()``, after
the redirects reqwest follows; accord follows none). Now only 2xx sets a state up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from test_state_change_bodies import Respond, state_change_urls

from accord.provider._replay import StateChangeUrl
from accord.provider._states import StateFailed


@pytest.fixture
def answering() -> Iterator[Callable[[int], StateChangeUrl]]:
    def with_status(status: int) -> Respond:
        def respond(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", "/login")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        return respond

    with state_change_urls() as start:
        yield lambda status: start(with_status(status))


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
