"""The ``accord_expectation`` pytest fixture: build an expectation, stub, write at teardown.

Example::

    def test_billing_reads_user(accord_expectation):
        e = accord_expectation("billing")
        (e.upon_receiving("get user 123").given("user 123 exists", id=123)
          .with_request("GET", "/users/123")
          .will_respond_with(200, contract="users.user@^1",
                             body={"id": integer(123), "name": string("Ada")}))
        client = httpx.Client(transport=e.transport(), base_url="http://users")
        assert client.get("/users/123").json()["name"] == "Ada"

At the end of a passing test each expectation is written to
``<registry>/consumers/<consumer>/<name>.json`` (the registry from ``ACCORD_REGISTRY``,
else ``[tool.accord] registry``, else ``./contracts``). Writes are canonical (sorted
keys) and atomic (temp file + rename), and skipped when the bytes are already there,
so parallel xdist workers writing the same expectation cannot tear or churn it. Give
two tests' expectations different ``name=`` values; the same name with different
content is a conflict the last writer wins.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._builder import Expectation

__all__ = ["accord_expectation", "expectations_root"]


def expectations_root(start: Path) -> Path:
    """The registry root expectations are written to."""
    env = os.environ.get("ACCORD_REGISTRY")
    if env:
        return Path(env)
    from accord._config import find_project_config

    tool = find_project_config(start)
    return tool.registry if tool.registry is not None else start / "contracts"


@pytest.fixture
def accord_expectation(request: pytest.FixtureRequest) -> Iterator[Callable[..., Expectation]]:
    """A factory of :class:`~accord.consumers.Expectation`; each is written at teardown."""
    made: list[Expectation] = []

    def factory(consumer: str, **kwargs: Any) -> Expectation:
        expectation = Expectation(consumer, **kwargs)
        made.append(expectation)
        return expectation

    yield factory
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        return  # never record what a failing test declared
    root = expectations_root(Path(str(request.config.rootpath)))
    for expectation in made:
        expectation.write(root)
