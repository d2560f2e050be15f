"""Provider verification as pytest tests: one test per consumer interaction.

Example (the provider's test suite)::

    import pytest
    from accord.testing import provider_cases
    from users_service.app import app

    @pytest.mark.parametrize("case", provider_cases("users-service"))
    def test_honours_consumer(case, accord_verify):
        accord_verify(case, app=app)          # or base_url="http://127.0.0.1:8000"

Each test is named after the consumer and the interaction (``billing: get user 123``)
and fails with the verification message (the field, the consumer, and whether the
provider deviated from the contract or the consumer expected more than it promises).

Provider states come from the ``accord_provider_states`` fixture: by default the
handlers registered with ``@accord.provider_state``; override it to make handlers out
of your fixtures::

    @pytest.fixture
    def accord_provider_states(db):
        states = accord.provider.StateRegistry()

        @states.state("user 123 exists")
        def _(id):
            db.insert_user(id=id, name="Ada")
            yield
            db.delete_user(id)

        return states

Message producers come from ``accord_message_producers`` in the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from accord.provider._messages import MessageRegistry
    from accord.provider._states import StateRegistry
    from accord.provider._verify import Case, InteractionResult
    from accord.registry.model import Registry

__all__ = [
    "ProviderCase",
    "accord_message_producers",
    "accord_provider_states",
    "accord_verify",
    "provider_cases",
]


@dataclass(frozen=True)
class ProviderCase:
    """One interaction to verify, with the registry it comes from."""

    case: Case
    registry: Registry

    def __post_init__(self) -> None:
        from accord.registry.model import registry_argument

        registry_argument(self.registry)

    def __str__(self) -> str:
        return self.case.id


def _registry(registry: Registry | str | os.PathLike[str] | None) -> Registry:
    """The registry as every entry point finds it (``accord.registry.discovery``): the
    argument (a directory or ``"pkg:NAME"``), ``ACCORD_REGISTRY``, ``[tool.accord]
    registry``, an installed registry package, ``./contracts``."""
    from accord.registry.model import Registry

    if isinstance(registry, Registry):
        return registry
    return Registry.discover(registry)


def _check_arguments(
    provider: object, consumer: object, selectors: object, main_branch: object
) -> None:
    """Refuse what a suite's config may hold instead of text: each was a TypeError or an
    AttributeError from deep inside, a traceback at collection.

    Raises:
        UsageError: ``usage``.
    """
    from accord.errors import UsageError

    problem = None
    if not isinstance(provider, str):
        problem = f"provider must be a service name, not {provider!r}"
    elif consumer is not None and not isinstance(consumer, str):
        problem = f"consumer must be a service name or None, not {consumer!r}"
    elif not isinstance(main_branch, str):
        problem = f"main_branch must be a branch name, not {main_branch!r}"
    elif isinstance(selectors, str) or not isinstance(selectors, Sequence):
        problem = f"selectors must be a list of selectors, not {selectors!r}"
    elif not all(isinstance(s, str) for s in selectors):
        problem = f"selectors must be text, not {list(selectors)!r}"
    if problem is not None:
        raise UsageError(problem, code="usage")


def provider_cases(
    provider: str,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    consumer: str | None = None,
    selectors: Sequence[str] = (),
    main_branch: str = "main",
) -> list[Any]:
    """``pytest.param`` per interaction consumers expect of ``provider``, with ids
    ``consumer: description`` (for ``@pytest.mark.parametrize("case", ...)``).

    The registry is ``registry`` (a directory or ``"pkg:NAME"``), else ``ACCORD_REGISTRY``,
    else ``[tool.accord] registry`` of the nearest ``pyproject.toml``, else an installed
    registry package, else ``./contracts``.
    """
    from accord.provider._errors import ProviderError
    from accord.provider._verify import select_cases, unverifiable
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)
    _check_arguments(provider, consumer, selectors, main_branch)

    reg = _registry(registry)
    cases, _, _ = select_cases(
        reg, provider, consumer=consumer, selectors=selectors, main_branch=main_branch
    )
    # As verify_provider: "0 verified" is not a pass. Here it would be an empty
    # parameter set, which pytest reports as a skip, so it is refused at collection.
    unknown = unverifiable(
        reg, provider, selectors=selectors, consumer=consumer, selected=len(cases)
    )
    if unknown:
        raise ProviderError(
            f"cannot verify what the selectors name: {'; '.join(unknown)}",
            code="provider-unverifiable",
        )
    seen: dict[str, int] = {}
    params = []
    for case in cases:
        ident = case.id
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:
            ident = f"{ident} #{seen[ident]}"
        params.append(pytest.param(ProviderCase(case, reg), id=ident))
    return params


@pytest.fixture
def accord_provider_states() -> StateRegistry:
    """The provider-state handlers verification uses (override to use your fixtures)."""
    from accord.provider._states import DEFAULT_STATES

    return DEFAULT_STATES


@pytest.fixture
def accord_message_producers() -> MessageRegistry:
    """The message producers verification uses (override to use your fixtures)."""
    from accord.provider._messages import DEFAULT_PRODUCERS

    return DEFAULT_PRODUCERS


@pytest.fixture
def accord_verify(
    accord_provider_states: StateRegistry, accord_message_producers: MessageRegistry
) -> Callable[..., InteractionResult]:
    """``accord_verify(case, *, app=None, base_url=None, allow_remote=False)``: verify
    one interaction and fail the test with the verification message."""
    from accord.provider._replay import HttpTarget, Limits, Target, app_target, parse_base_url
    from accord.provider._verify import preflight, verify_case

    def verify(
        case: ProviderCase,
        *,
        app: Any = None,
        base_url: str | None = None,
        allow_remote: bool = False,
        limits: Limits | None = None,
    ) -> InteractionResult:
        if not isinstance(case, ProviderCase):
            from accord.errors import UsageError

            raise UsageError(
                f"accord_verify takes a case from provider_cases(), not {case!r}", code="usage"
            )
        target: Target | None = None
        if app is not None:
            target = app_target(app, limits)
        elif base_url is not None:
            target = HttpTarget(parse_base_url(base_url, allow_remote=allow_remote), limits)
        try:
            preflight(
                [case.case],
                target=target,
                states=accord_provider_states,
                producers=accord_message_producers,
            )
            result = verify_case(
                case.case,
                case.registry,
                target=target,
                states=accord_provider_states,
                producers=accord_message_producers,
            )
        finally:
            if target is not None:
                target.close()
        if not result.success:
            pytest.fail(result.message(), pytrace=False)
        return result

    return verify
