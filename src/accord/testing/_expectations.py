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

At the end of a passing test each expectation is merged into
``<registry>/consumers/<consumer>/<name>.json`` (``name`` defaults to the provider's
name, else the consumer's; the registry is the one every accord fixture uses,
``--accord-registry`` or the ``accord_registry`` ini option, else ``ACCORD_REGISTRY``,
else ``[tool.accord] registry``, else ``./contracts``; never an installed package,
``pkg:NAME``: ``expectation-registry-package``). As with a Pact file, one
consumer-provider pair is one file that accumulates interactions: two tests for the same
pair (a get-user test and a 404 test) both land in it, keyed by description and provider
states. The same key with different content fails the test's teardown
(``expectation-conflict``) and writes nothing, unless ``--accord-replace-expectations``
is given (then a recorded interaction is replaced; two tests of one run still may not
disagree). Writes are canonical, atomic and made under a lock on the directory, so
parallel xdist workers cannot tear the file or lose each other's interactions.

Like Pact's mock server, the teardown also fails (and writes nothing) when an HTTP
interaction was never exercised through the stub, the stub received a request no
interaction matches, or a declared message was never consumed (``e.consume(description,
handler)`` calls your handler with its example, as pact-python's ``verify(handler)``;
``e.example_message(description)`` hands you the example). The stub is in process
(``e.transport()``, ``e.asgi_app()``) or a real HTTP server on 127.0.0.1 for any client
library (``with e.serve() as stub:`` then ``stub.base_url``); a server still running at
teardown is stopped there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._builder import Expectation
from accord.consumers._model import interaction_key
from accord.errors import AccordError, UsageError

__all__ = ["accord_expectation", "configured_registry", "expectations_root"]


_WRITTEN = pytest.StashKey[set[tuple[Path, tuple[str, str]]]]()


def configured_registry(config: pytest.Config) -> Path | None:
    """The registry ``--accord-registry`` (relative to where pytest started) or the
    ``accord_registry`` ini option (relative to the rootdir) names, for every accord
    fixture; ``None`` when neither is set."""
    from accord.registry.discovery import PACKAGE_PREFIX

    option = config.getoption("accord_registry", default=None)
    if option:
        if str(option).strip().startswith(PACKAGE_PREFIX):
            return Path(option)  # an installed package, named
        return Path(config.invocation_params.dir) / str(option)
    ini = config.getini("accord_registry")
    if ini:
        return config.rootpath / str(ini)
    return None


def expectations_root(start: Path) -> Path:
    """The registry root expectations are written to when the pytest options name none."""
    env = os.environ.get("ACCORD_REGISTRY")
    if env:
        return Path(env)
    from accord.registry.config import find_project_config

    tool = find_project_config(start)
    return tool.registry if tool.registry is not None else start / "contracts"


def _write_root(config: pytest.Config) -> Path:
    """The registry directory expectations are written to.

    Raises:
        UsageError: ``expectation-registry-package`` when it is named ``pkg:NAME``.
    """
    from accord.registry.discovery import PACKAGE_PREFIX

    # The registry the other fixtures read (--accord-registry) is the one written to:
    # before, the option was not read here, so validators came from it while the file
    # went under <rootdir>/contracts, a directory made for it.
    root = configured_registry(config) or expectations_root(Path(str(config.rootpath)))
    if str(root).strip().startswith(PACKAGE_PREFIX):
        # An installed package is never written to; the text is no directory either
        # (it made ./pkg:NAME/consumers/...).
        raise UsageError(
            f"the registry {str(root).strip()!r} is an installed registry package: "
            "expectations are written into a registry directory; name one with "
            "--accord-registry or ACCORD_REGISTRY",
            code="expectation-registry-package",
        )
    # A relative path is where pytest started: at teardown the test may have moved the
    # working directory (monkeypatch.chdir, torn down after this fixture), and the
    # file went under a directory of that name made there.
    return Path(config.invocation_params.dir) / root


@pytest.fixture
def accord_expectation(request: pytest.FixtureRequest) -> Iterator[Callable[..., Expectation]]:
    """A factory of :class:`~accord.consumers.Expectation`; each is written at teardown."""
    made: list[Expectation] = []

    def factory(consumer: str, **kwargs: Any) -> Expectation:
        expectation = Expectation(consumer, **kwargs)
        made.append(expectation)
        return expectation

    yield factory
    for expectation in made:  # a stub server the test left running stops here
        expectation.close()
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.passed:
        # never record what a test that did not pass declared: failed, skipped after
        # using the stub, or an expected failure (reported as skipped, not failed)
        return
    problems = [f"{e.consumer}: {p}" for e in made for p in e.problems()]
    if problems:
        # pytrace=False: the reason, not this fixture's source, as accord_verify fails
        pytest.fail("accord expectation not recorded:\n  " + "\n  ".join(problems), pytrace=False)
    try:
        root = _write_root(request.config)
    except AccordError as exc:
        message = f"accord expectation not recorded: error[{exc.code}]: {exc}"
        raise pytest.fail.Exception(message, pytrace=False) from None
    replace = bool(request.config.getoption("accord_replace_expectations", default=False))
    written = request.config.stash.setdefault(_WRITTEN, set())
    for expectation in made:
        target = expectation.path_in(root)
        keys = {interaction_key(i) for i in expectation.to_json().get("interactions", [])}

        def allowed(key: tuple[str, str], target: Path = target) -> bool:
            # an interaction recorded by an earlier run may be replaced when asked;
            # one recorded by another test of this run never is
            return replace and (target, key) not in written

        try:
            expectation.write(root, replace=allowed)
        except AccordError as exc:
            message = f"accord expectation not recorded: error[{exc.code}]: {exc}"
            raise pytest.fail.Exception(message, pytrace=False) from None
        written.update((target, key) for key in keys)
