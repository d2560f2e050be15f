"""Message producers: functions that build, through the service's own serializer, the
message a consumer expects for a description.

Example::

    import accord

    @accord.message_producer("an order.placed event")
    def order_placed() -> bytes:
        event = build_order_placed(sample_order())     # production code
        return serialize(event)                        # production serializer

A producer returns what the service would publish: ``bytes`` or ``str`` (JSON text,
parsed strictly), a Pydantic model (serialized with ``model_dump_json(by_alias=True)``,
which is what FastAPI and most publishers use), a dict or list (round-tripped through
``json``), or a :class:`Produced` with metadata (``dataschema:
accord://orders.order-placed@1.2.0`` names the exact contract version). Producers run
inside the interaction's provider states, like HTTP interactions.

A *synchronous* message (a ``sync-message`` interaction: a request answered by one or
more responses, Pact's synchronous messages) has a producer too, registered the same
way under the interaction's description; it receives the request's example payload as
its ``request`` argument and returns the response (a tuple of responses when the
consumer expects several)::

    @accord.message_producer("price of a sku")
    def quote(request: dict) -> bytes:
        return serialize(price_of(request["sku"]))
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from accord.provider._errors import ProviderError

__all__ = [
    "DEFAULT_PRODUCERS",
    "MessageRegistry",
    "Produced",
    "message_producer",
    "produce",
    "respond",
]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Produced:
    """A produced message: its body (as the service serializes it) and metadata."""

    body: Any
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class MessageRegistry:
    """Message producers by description."""

    producers: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def producer(self, description: str) -> Callable[[F], F]:
        """Decorator: register the decorated function for ``description``."""

        def register(func: F) -> F:
            self.register(description, func)
            return func

        return register

    def register(self, description: str, func: Callable[..., Any]) -> None:
        """Register ``func``; another function for the same description is an error."""
        known = self.producers.get(description)
        if (
            known is not None
            and known is not func
            and (known.__module__, known.__qualname__) != (func.__module__, func.__qualname__)
        ):
            raise ProviderError(
                f"message {description!r} has two producers: {known.__qualname__} and "
                f"{func.__qualname__}",
                code="message-producer-duplicate",
            )
        self.producers[description] = func

    def missing(self, descriptions: list[str]) -> list[str]:
        """The descriptions without a producer."""
        return [d for d in descriptions if d not in self.producers]

    def get(self, description: str) -> Callable[..., Any]:
        """The producer of ``description``.

        Raises:
            ProviderError: ``message-producer-missing``.
        """
        func = self.producers.get(description)
        if func is None:
            raise ProviderError(
                f"no producer for message {description!r}: register one with "
                f'@accord.message_producer("{description}") in the module given to --app '
                "or --states",
                code="message-producer-missing",
            )
        return func


#: The registry :func:`message_producer` registers into.
DEFAULT_PRODUCERS = MessageRegistry()


def message_producer(description: str) -> Callable[[F], F]:
    """Register the function that produces the message ``description``.

    Example:
        >>> import accord
        >>> @accord.message_producer("an order.placed event")  # doctest: +SKIP
        ... def order_placed() -> bytes:
        ...     return serialize(sample_event())
    """
    return DEFAULT_PRODUCERS.producer(description)


def produce(func: Callable[..., Any], values: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Call a producer and return ``(payload, metadata)`` as a consumer would decode them.

    The producer receives the provider-state values it names as keyword arguments.

    Raises:
        ValueError: the produced bytes are not strict JSON (``DocumentError``) or the
            result has a type a message cannot have (``TypeError``).
    """
    return _unpack(_call(func, values))


def respond(
    func: Callable[..., Any], values: Mapping[str, Any], request: Any, count: int
) -> list[tuple[Any, dict[str, Any]]]:
    """Call a sync-message producer with ``request`` and return its ``count`` responses
    as ``(payload, metadata)`` pairs (see :func:`produce`).

    Raises:
        ValueError: as :func:`produce`, or not ``count`` responses (``TypeError``).
    """
    result = _call(func, {**values, "request": request})
    if count == 0:
        return []
    if count == 1:
        return [_unpack(result)]
    if not isinstance(result, tuple) or len(result) != count:
        raise TypeError(
            f"the consumer expects {count} responses: return a tuple of {count} responses"
        )
    return [_unpack(r) for r in result]


def _call(func: Callable[..., Any], values: Mapping[str, Any]) -> Any:
    import inspect

    try:
        accepted = inspect.signature(func).parameters
        kwargs = {k: v for k, v in values.items() if k in accepted}
    except (TypeError, ValueError):
        kwargs = {}
    return func(**kwargs)


def _unpack(result: Any) -> tuple[Any, dict[str, Any]]:
    metadata: dict[str, Any] = {}
    if isinstance(result, Produced):
        metadata = dict(result.metadata)
        result = result.body
    return _decode(result), metadata


def _decode(result: Any) -> Any:
    from accord.core.jsondoc import loads

    # exact_numbers: a produced 1e-400 is judged as written, not as the 0.0 it rounds to.
    if isinstance(result, (bytes, bytearray, str)):
        text = bytes(result) if not isinstance(result, str) else result
        return loads(text, max_bytes=None, exact_numbers=True)
    dump_json = getattr(result, "model_dump_json", None)
    if callable(dump_json):
        return loads(dump_json(by_alias=True), max_bytes=None, exact_numbers=True)
    if isinstance(result, (dict, list)):
        # allow_nan=False: json.dumps writes NaN and Infinity, which no JSON reader takes
        # (ValueError: the interaction fails, naming the producer)
        return json.loads(json.dumps(result, allow_nan=False))
    raise TypeError(
        f"a message producer returned {type(result).__name__}; return the serialized "
        "bytes, a Pydantic model, a dict, or accord.provider.Produced(body, metadata)"
    )
