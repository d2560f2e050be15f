"""The consumer stub refuses a query parameter the interaction does not expect, as
Pact's mock server does ("Unexpected query parameter").

Provider verification replays the recorded request only: a parameter the consumer
sends but the expectation leaves out is never shown to the provider. Before, the stub
compared only the expected parameters, so a consumer sending ``?id=1&expand=all``
passed its test against an interaction recording ``?id=1`` (or no query at all), and
the provider was verified for a request the consumer never sends.
"""

from __future__ import annotations

import httpx
import pytest

from accord.consumers import Expectation, string


def _stub(query: dict[str, str] | None) -> Expectation:
    e = Expectation("billing", provider="users-service", name="users")
    (
        e.upon_receiving("find users")
        .with_request("GET", "/users", query=query)
        .will_respond_with(200, body={"name": string("Ada")})
    )
    return e


@pytest.mark.parametrize(
    ("expected", "sent"),
    [
        ({"id": "1"}, "id=1&expand=all"),
        (None, "expand=all"),
        ({"id": "1"}, "id=1&id=2"),
    ],
    ids=["extra-parameter", "no-query-expected", "repeated-parameter"],
)
def test_an_unexpected_query_parameter_matches_no_interaction(
    expected: dict[str, str] | None, sent: str
) -> None:
    e = _stub(expected)
    client = httpx.Client(transport=e.transport(), base_url="http://users")
    assert client.get(f"/users?{sent}").status_code == 500
    problems = e.problems()
    assert any("unexpected request" in p for p in problems), problems


@pytest.mark.parametrize(
    ("expected", "sent"), [({"id": "1"}, "id=1"), (None, "")], ids=["as-expected", "none"]
)
def test_the_expected_query_still_matches(expected: dict[str, str] | None, sent: str) -> None:
    e = _stub(expected)
    client = httpx.Client(transport=e.transport(), base_url="http://users")
    assert client.get(f"/users?{sent}" if sent else "/users").status_code == 200
    assert e.problems() == []
