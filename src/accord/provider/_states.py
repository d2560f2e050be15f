"""Provider states: named Python handlers that put the provider in the state an
interaction needs.

Example::

    import accord

    @accord.provider_state("user 123 exists")
    def user_exists(id: int):
        USERS[id] = {"id": id, "name": "Ada", "email": "ada@example.com"}
        yield {"id": id}          # values for the interaction's ProviderState generators
        USERS.pop(id, None)       # teardown, after the interaction was replayed

A handler is called with the state's ``params`` as keyword arguments (only the ones its
signature names, unless it takes ``**kwargs``; a parameter without a default that the
state does not supply is an error). It may return ``None`` or a dict of values; a
generator handler yields that once, and its code after ``yield`` is its teardown.

Handlers are found by name in a :class:`StateRegistry` filled by importing the
provider's modules (``--app module:app``, ``--states module``): nothing from contract
text is ever evaluated. The decorator registers into :data:`DEFAULT_STATES`; a test
suite may build its own registry (``StateRegistry().state(...)``) to close over fixtures.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from accord.provider._errors import ProviderError

__all__ = [
    "DEFAULT_STATES",
    "StateFailed",
    "StateRegistry",
    "StateRunner",
    "provider_state",
    "run_states",
]

F = TypeVar("F", bound=Callable[..., Any])

Teardown = Callable[[], None]


class StateFailed(Exception):
    """A state handler raised or returned something unusable (fails one interaction)."""


class StateRunner(Protocol):
    """Sets one state up; returns the values it created and its teardown (or ``None``)."""

    def setup(self, name: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], Teardown | None]:
        """Put the provider in state ``name``."""
        ...

    def missing(self, names: Sequence[str]) -> list[str]:
        """The state names this runner cannot set up."""
        ...


def _same_function(a: Callable[..., Any], b: Callable[..., Any]) -> bool:
    # A module imported twice (tests, reloads) re-registers an equal handler.
    return getattr(a, "__module__", None) == getattr(b, "__module__", None) and getattr(
        a, "__qualname__", None
    ) == getattr(b, "__qualname__", None)


@dataclass
class StateRegistry:
    """Provider-state handlers by state name (see the module docstring)."""

    handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def state(self, name: str) -> Callable[[F], F]:
        """Decorator: register the decorated function as the handler of state ``name``."""

        def register(func: F) -> F:
            self.register(name, func)
            return func

        return register

    def register(self, name: str, func: Callable[..., Any]) -> None:
        """Register ``func`` for state ``name``.

        Raises:
            ProviderError: ``provider-state-duplicate`` when another function already
                handles ``name``.
        """
        if not isinstance(name, str) or not name:
            raise ProviderError("a provider state needs a non-empty name", code="usage")
        known = self.handlers.get(name)
        if known is not None and known is not func and not _same_function(known, func):
            raise ProviderError(
                f"provider state {name!r} is handled twice: by {_describe(known)} and "
                f"by {_describe(func)}",
                code="provider-state-duplicate",
            )
        self.handlers[name] = func

    def names(self) -> list[str]:
        """Every registered state name, sorted."""
        return sorted(self.handlers)

    def missing(self, names: Sequence[str]) -> list[str]:
        """The names no handler is registered for."""
        return [n for n in names if n not in self.handlers]

    def setup(self, name: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], Teardown | None]:
        """Call the handler of ``name`` with ``params``.

        Raises:
            ProviderError: ``provider-state-missing`` (no handler) or
                ``provider-state-params`` (a required parameter is not supplied).
            StateFailed: the handler raised or returned something other than a dict.
        """
        func = self.handlers.get(name)
        if func is None:
            raise ProviderError(
                f"no handler for provider state {name!r}: register one with "
                f'@accord.provider_state("{name}") in the module given to --app or --states'
                + (
                    f" (known states: {', '.join(map(repr, self.names()))})"
                    if self.handlers
                    else ""
                ),
                code="provider-state-missing",
            )
        kwargs = _arguments(func, name, params)
        try:
            result = func(**kwargs)
        except Exception as exc:
            raise StateFailed(f"provider state {name!r} failed: {_exc(exc)}") from exc
        if inspect.isgenerator(result):
            return _start_generator(name, result)
        return _values(name, result), None


def _describe(func: Callable[..., Any]) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


def _exc(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _arguments(func: Callable[..., Any], name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return dict(params)
    accepted = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return dict(params)
    kwargs = {k: v for k, v in params.items() if k in accepted}
    for pname, p in accepted.items():
        if (
            p.default is inspect.Parameter.empty
            and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
            and pname not in kwargs
        ):
            raise ProviderError(
                f"provider state {name!r}: its handler {_describe(func)} needs parameter "
                f"{pname!r}, which the interaction's state does not supply "
                f"(params: {sorted(params) or 'none'})",
                code="provider-state-params",
            )
    return kwargs


def _values(name: str, result: Any) -> dict[str, Any]:
    if result is None:
        return {}
    if isinstance(result, Mapping):
        return {str(k): v for k, v in result.items()}
    raise StateFailed(
        f"provider state {name!r} returned {type(result).__name__}; a handler returns "
        "None or a dict of values for the interaction's generators"
    )


def _start_generator(name: str, gen: Any) -> tuple[dict[str, Any], Teardown | None]:
    try:
        first = next(gen)
    except StopIteration as stop:
        return _values(name, stop.value), None
    except Exception as exc:
        raise StateFailed(f"provider state {name!r} failed: {_exc(exc)}") from exc
    values = _values(name, first)

    def teardown() -> None:
        try:
            next(gen)
        except StopIteration:
            return
        except Exception as exc:
            raise StateFailed(f"provider state {name!r} teardown failed: {_exc(exc)}") from exc
        gen.close()
        raise StateFailed(f"provider state {name!r} yields more than once")

    return values, teardown


#: The registry :func:`provider_state` registers into.
DEFAULT_STATES = StateRegistry()


def provider_state(name: str) -> Callable[[F], F]:
    """Register a provider-state handler (see :mod:`accord.provider`).

    Example:
        >>> import accord
        >>> @accord.provider_state("no users")  # doctest: +SKIP
        ... def no_users() -> None:
        ...     USERS.clear()
    """
    return DEFAULT_STATES.state(name)


@contextmanager
def run_states(
    runner: StateRunner, states: Sequence[Mapping[str, Any]], problems: list[str]
) -> Iterator[dict[str, Any]]:
    """Set every state up in order, yield their merged values, tear down in reverse.

    A teardown failure is appended to ``problems`` (the interaction then fails); a
    setup failure raises :class:`StateFailed` after tearing down what was set up.
    """
    teardowns: list[Teardown] = []
    values: dict[str, Any] = {}
    try:
        for state in states:
            params = state.get("params") or {}
            created, teardown = runner.setup(str(state["name"]), params)
            if teardown is not None:
                teardowns.append(teardown)
            # Params are values too: Pact fills ``${id}`` from them when no handler
            # returns one.
            for key, value in params.items():
                values.setdefault(str(key), value)
            values.update(created)
        yield values
    finally:
        for teardown in reversed(teardowns):
            try:
                teardown()
            except StateFailed as exc:
                problems.append(str(exc))
