"""The accord pytest plugin (entry point ``pytest11``: ``accord = "accord.testing.plugin"``).

Fixtures:

- ``accord_registry``: the registry (``--accord-registry``, the ``accord_registry`` ini
  option, else ``[tool.accord] registry`` / ``./contracts`` from the rootdir), loaded
  once per session;
- ``accord_validator``: in a test marked ``@pytest.mark.accord_contract("ref")`` the
  cached :class:`~accord.validation.validator.Validator` for that contract; otherwise a factory,
  ``accord_validator("orders.order-placed@^1")``;
- ``accord_examples``: in a marked test, deterministic valid example payloads of the
  contract; otherwise a factory with :func:`accord.examples`'s arguments;
- ``accord_expectation``: a factory of consumer expectations, each merged into the
  registry's ``consumers/`` when the test passes (never when it fails, nor when one of
  its HTTP interactions went unexercised or a message unconsumed); one file per
  consumer-provider pair, a changed interaction refused unless ``--accord-replace-expectations``.

This module imports only pytest at import time: a suite that does not use the fixtures
pays nothing for the plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from accord.testing._expectations import (  # noqa: F401 - fixtures of this plugin
    accord_expectation,
    configured_registry,
)
from accord.testing._provider import (  # noqa: F401 - fixtures of this plugin
    accord_message_producers,
    accord_provider_states,
    accord_verify,
)

if TYPE_CHECKING:
    from accord.registry.model import Registry

MARKER = "accord_contract"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("accord", "accord contract registry")
    group.addoption(
        "--accord-registry",
        dest="accord_registry",
        default=None,
        help="registry directory for the accord fixtures (default: [tool.accord] registry)",
    )
    group.addoption(
        "--accord-replace-expectations",
        dest="accord_replace_expectations",
        action="store_true",
        default=False,
        help="let accord_expectation replace a recorded interaction (same description "
        "and provider states) whose content changed, instead of failing",
    )
    parser.addini(
        "accord_registry",
        help="registry directory for the accord fixtures, relative to the rootdir",
        default=None,
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item (``rep_call``) so fixtures can tell at
    teardown whether the test passed: an expectation is recorded only then."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(ref): the contract (namespace.name@range) the accord_validator and "
        "accord_examples fixtures of this test are bound to",
    )


@pytest.fixture(scope="session")
def accord_registry(pytestconfig: pytest.Config) -> Registry:
    """The registry the accord fixtures use, loaded once per session."""
    from accord.registry.runtime import _registry_for

    location = configured_registry(pytestconfig)
    if location is None:
        from accord.registry.discovery import resolve_registry

        location, _source = resolve_registry(None, cwd=pytestconfig.rootpath)
    return _registry_for(location)


def _marked_ref(request: pytest.FixtureRequest) -> str | None:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return None
    # A keyword (invalid=True, n=5) was ignored without a word: the test then ran on
    # valid examples while its author believed it tested invalid ones.
    if marker.kwargs or len(marker.args) != 1 or not isinstance(marker.args[0], str):
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER} takes one contract reference and nothing else, e.g. "
            f'@pytest.mark.{MARKER}("orders.order-placed@^1"); for invalid examples or '
            'another count, call the fixture: accord_examples("ref", 5, invalid=True)'
        )
    return marker.args[0]


@pytest.fixture
def accord_validator(request: pytest.FixtureRequest, accord_registry: Registry) -> Any:
    """The marked contract's validator, or a factory ``(ref) -> Validator``."""
    from accord.registry.runtime import validator

    ref = _marked_ref(request)
    if ref is not None:
        return validator(ref, registry=accord_registry)

    def make(ref: str) -> Any:
        return validator(ref, registry=accord_registry)

    return make


@pytest.fixture
def accord_examples(request: pytest.FixtureRequest, accord_registry: Registry) -> Any:
    """The marked contract's valid examples (10, seed 0), or :func:`accord.examples`
    bound to the session's registry."""
    from accord.testing._helpers import examples

    ref = _marked_ref(request)
    if ref is not None:
        return examples(ref, registry=accord_registry)

    def make(ref: str, n: int = 10, *, seed: int = 0, invalid: bool = False) -> list[Any]:
        return examples(ref, n, seed=seed, invalid=invalid, registry=accord_registry)

    factory: Callable[..., list[Any]] = make
    return factory
