"""Test helpers importable without pytest: assertions and example payloads.

``assert_conforms(payload, ref)`` fails listing every validation error with its path;
``assert_compatible(old, new)`` fails with the compatibility report; ``examples(ref)``
returns deterministic payloads generated from a contract (valid ones, or ones that
break exactly one constraint each) and ``strategy(ref)`` the same as a hypothesis
strategy.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from accord.compat import Report
    from accord.payloads.generate import Mutation
    from accord.registry.model import Registry

__all__ = [
    "MAX_EXAMPLES",
    "assert_compatible",
    "assert_conforms",
    "examples",
    "mutations",
    "strategy",
]


def _bundle(ref: str, registry: Registry | str | os.PathLike[str] | None) -> dict[str, Any]:
    from accord.registry.runtime import _registry_for

    reg = _registry_for(registry)
    return reg.bundle(reg.get(ref))


#: The most payloads :func:`examples` and :func:`mutations` draw in one call: each is
#: generated and checked with the reference validator, so ``n=10**9`` ran for hours.
MAX_EXAMPLES = 10_000


def _check_count(n: object, seed: object) -> None:
    """``n`` is an int from 0 to :data:`MAX_EXAMPLES` and ``seed`` an int: a negative or
    non-int count gave no payloads (a parametrised test that then runs nothing passes)
    or a TypeError, a huge one a call that ran for hours."""
    from accord.errors import UsageError

    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise UsageError(f"n must be a non-negative integer, not {n!r}", code="usage")
    if n > MAX_EXAMPLES:
        raise UsageError(
            f"n must be at most {MAX_EXAMPLES} (accord.testing.MAX_EXAMPLES), not {n}: "
            "each payload is generated and checked; draw more with several seeds",
            code="usage",
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f"seed must be an integer, not {seed!r}", code="usage")


def _check_flag(invalid: object) -> None:
    """``invalid`` is a bool: ``invalid="no"`` was truthy and gave mutations where valid
    payloads were asked for."""
    if not isinstance(invalid, bool):
        from accord.errors import UsageError

        raise UsageError(f"invalid must be True or False, not {invalid!r}", code="usage")


def _as_payloads(payload: Any, exclude_none: bool | None) -> list[tuple[Any, str]]:
    """What to check, each with how it was dumped (for the message): a Pydantic model
    instance as the service would emit it (both ways when ``exclude_none`` is ``None``),
    anything else as it is."""
    dump = getattr(payload, "model_dump", None)
    if not callable(dump) or isinstance(payload, type):
        return [(payload, "")]
    ways = [True, False] if exclude_none is None else [exclude_none]
    return [
        (
            dump(mode="json", by_alias=True, exclude_none=way),
            f" (dumped with exclude_none={way})",
        )
        for way in ways
    ]


def assert_conforms(
    payload: Any,
    ref: str,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    exclude_none: bool | None = None,
) -> None:
    """Fail unless ``payload`` is valid under the version ``ref`` selects.

    Args:
        payload: A JSON value (checked as it is), or a Pydantic model instance (checked
            as ``model_dump(mode="json", by_alias=True, exclude_none=...)``).
        ref: ``namespace.name@version`` or a range.
        registry: A registry or its directory (default: discovery).
        exclude_none: How the producer serialises a model, as ``require()`` takes it:
            ``True`` (``None`` fields left out) or ``False`` (kept as ``null``, FastAPI's
            default). The default, ``None``, checks both dumps and fails if either does
            not conform: neither one alone is the stricter (a kept ``null`` can break an
            optional non-null field, a left-out one a required field), so a test that
            names no serialisation cannot pass for a model whose real output fails.

    Raises:
        AssertionError: listing every error as ``$.path: message [keyword at
            schema path]``; ``errors`` holds the :class:`~accord.errors.ValidationIssue`
            list.

    Example:
        >>> assert_conforms({"amount": "1.00", "currency": "EUR"}, "common.money@^1")
    """
    from accord.registry.model import registry_or_root_argument
    from accord.registry.runtime import validator

    registry = registry_or_root_argument(registry)

    if exclude_none is not None and not isinstance(exclude_none, bool):
        from accord.errors import UsageError

        raise UsageError(
            f"exclude_none must be True, False or None, not {exclude_none!r}", code="usage"
        )
    check = validator(ref, registry=registry)
    for value, dumped in _as_payloads(payload, exclude_none):
        _fail_unless_valid(check, value, dumped)


def _fail_unless_valid(check: Any, value: Any, dumped: str) -> None:
    issues = check.errors(value)
    if not issues:
        return
    from accord.core.text import plural

    lines = [f"payload{dumped} does not conform to {check.ref} ({plural(len(issues), 'error')}):"]
    lines += [
        f"  {issue.json_path}: {issue.message} [{issue.keyword} at {issue.schema_path}]"
        for issue in issues
    ]
    error = AssertionError("\n".join(lines))
    error.errors = issues  # type: ignore[attr-defined]
    raise error


def assert_compatible(
    old: Any,
    new: Any,
    *,
    mode: str | None = None,
    semantics: str = "contract",
    registry: Registry | str | os.PathLike[str] | None = None,
) -> Report:
    """Fail unless ``new`` is compatible with ``old`` under ``mode``.

    Args:
        old: A schema (dict), a schema file path, or a registry reference.
        new: The same forms.
        mode: ``backward``, ``forward``, ``full`` (default for plain schemas; a
            contract's own mode for registry references), ``none`` or ``*-transitive``.
        semantics: ``contract`` (default) or ``set``.
        registry: Resolves references (default: discovery, when a reference is given).

    Returns:
        The :class:`~accord.compat.Report` (for further assertions).

    Raises:
        AssertionError: with the report as text, one line per change.
    """
    from accord.compat import classify, diff, render_text
    from accord.registry.model import registry_or_root_argument
    from accord.registry.runtime import _registry_for

    registry = registry_or_root_argument(registry)

    # A str here is read as the command line reads OLD and NEW (an existing file, else
    # a reference), and handed to diff() explicitly.
    sides = {f"{which}_{classify(value)}": value for which, value in (("old", old), ("new", new))}
    needs_registry = registry is not None or any(key.endswith("_ref") for key in sides)
    reg = _registry_for(registry) if needs_registry else None
    report = diff(**sides, mode=mode, semantics=semantics, registry=reg)  # type: ignore[arg-type]
    if not report.compatible:
        raise AssertionError(render_text(report))
    return report


def examples(
    ref: str,
    n: int = 10,
    *,
    seed: int = 0,
    invalid: bool = False,
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[Any]:
    """Deterministic example payloads for the version ``ref`` selects.

    Valid ones are drawn by accord's payload generator (the engine's): the same
    ``ref``, ``n`` and ``seed`` give the same payloads everywhere, covering optional
    fields, enum values, formats and array bounds. With ``invalid=True`` each payload
    breaks exactly one constraint (see :func:`mutations` for which one). Fewer than
    ``n`` when fewer distinct ones exist; none raises ``SchemaError`` (``examples-none``),
    so a loop over them cannot pass having checked nothing.

    Raises:
        UsageError: ``usage``: ``n`` is not an int from 0 to :data:`MAX_EXAMPLES`
            (10,000), ``seed`` not an int or ``invalid`` not a bool.

    Example:
        >>> for payload in accord.examples("orders.order-placed@^1", n=5):  # doctest: +SKIP
        ...     handle(payload)
    """
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)
    _check_count(n, seed)
    _check_flag(invalid)

    if invalid:
        return [m.payload for m in mutations(ref, n, seed=seed, registry=registry)]
    from accord.payloads.generate import valid_payloads

    return _some(valid_payloads(_bundle(ref, registry), n=n, seed=seed), n, ref, "valid")


def mutations(
    ref: str,
    n: int = 10,
    *,
    seed: int = 0,
    registry: Registry | str | os.PathLike[str] | None = None,
) -> list[Mutation]:
    """Payloads that break exactly one constraint each, with the keyword and paths
    (none raises ``SchemaError``, ``examples-none``: the contract accepts everything).
    ``n`` at most :data:`MAX_EXAMPLES` (10,000), as for :func:`examples`."""
    from accord.payloads.generate import invalid_payloads
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)
    _check_count(n, seed)
    bundle = _bundle(ref, registry)
    found = invalid_payloads(bundle, n=n, seed=seed)
    if n > 0 and not found:
        from accord.payloads.generate import valid_payloads

        # A mutation breaks one constraint of a valid payload: a contract accepting no
        # value has none to break either.
        return _some(found, n, ref, "valid" if not valid_payloads(bundle, n=1) else "invalid")
    return found


def _some(found: list[Any], n: int, ref: str, kind: str) -> list[Any]:
    """``found``, unless payloads were asked for and none exist: a test looping over
    an empty list (``for event in accord_examples``) would pass having checked nothing.
    Fewer than ``n`` is normal (a ``const`` has one valid payload)."""
    if n > 0 and not found:
        from accord.errors import SchemaError

        why = "accepts no value" if kind == "valid" else "accepts every value"
        raise SchemaError(
            f"no payload for {ref}: the contract {why}, or accord's generator "
            "found none; a test looping over none would check nothing",
            code="examples-none",
        )
    return found


def strategy(
    ref: str,
    *,
    invalid: bool = False,
    registry: Registry | str | os.PathLike[str] | None = None,
) -> SearchStrategy[Any]:
    """A hypothesis strategy of payloads for ``ref`` (valid, or breaking one constraint).
    It takes no count: how many are drawn is hypothesis's ``max_examples``.

    Example:
        >>> @given(accord.testing.strategy("orders.order-placed@^1"))  # doctest: +SKIP
        ... def test_handler_accepts(payload): ...
    """
    from accord.payloads.generate import payload_strategy
    from accord.registry.model import registry_or_root_argument

    registry = registry_or_root_argument(registry)
    _check_flag(invalid)
    return payload_strategy(_bundle(ref, registry), invalid=invalid)
