"""``accord.validator(ref)``: cached validators for registry versions and ranges.

A service builds its validators at boot and uses them on every request, from many
threads. This module keeps one loaded :class:`~accord.registry.model.Registry` per root and
one :class:`~accord.validation.validator.Validator` per (root, resolved version), so asking twice
costs a dictionary lookup and both callers share one compiled validator.

A range (``orders.order-placed@^1``) is resolved once, when first asked for, to the
highest matching non-yanked, published version (a draft, a file without an
``accord.lock`` line, is reached only by an exact pin, with a warning); the answer is
then cached with the validator. A registry object passed in explicitly is used as it
is (it is immutable) and cached by identity.

Example::

    import accord

    v = accord.validator("orders.order-placed@^1")
    v.is_valid(payload)          # microseconds, jsonschema-rs
    v.validate(payload)          # raises ContractViolation with every error
"""

from __future__ import annotations

import _thread
import functools
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import UsageError
from accord.registry.model import Registry, own_source, own_text, registry_or_root_argument
from accord.registry.names import ContractRef

if TYPE_CHECKING:
    from accord.validation.validator import Validator

__all__ = ["clear_caches", "validator"]

_lock = _thread.RLock()  # threading.RLock()'s type, without importing threading at boot
_registries: dict[Path, Registry] = {}


@functools.cache
def _validation() -> tuple[type[Validator], int]:
    """``Validator`` and ``DEFAULT_MAX_ERRORS``, imported on first use (jsonschema-rs
    with them): once, not by every call (four imports in a function cost ~6 us, more
    than a cached validator's lookup)."""
    from accord.validation.validator import DEFAULT_MAX_ERRORS, Validator

    return Validator, DEFAULT_MAX_ERRORS


def _registry_for(registry: Registry | str | os.PathLike[str] | None) -> Registry:
    registry = registry_or_root_argument(registry)
    if isinstance(registry, Registry):
        return registry
    # Discovery order (accord.registry.discovery): the argument, ACCORD_REGISTRY,
    # [tool.accord] registry, an installed registry package, ./contracts. Roots are
    # resolved, so two spellings of one directory share one loaded registry.
    from accord.registry.discovery import resolve_registry

    root, _source = resolve_registry(registry)
    with _lock:
        hit = _registries.get(root)
        if hit is None:
            hit = Registry.load(root)
            _registries[root] = hit
        return hit


def validator(
    ref: str,
    *,
    registry: Registry | str | os.PathLike[str] | None = None,
    backend: str = "auto",
    max_errors: int | None = None,
) -> Validator:
    """A cached, thread-safe validator for a published version or a range.

    Args:
        ref: ``namespace.name@version`` or ``namespace.name@range`` (``@^1.2``,
            ``@~1.2``, ``@>=1.1.0,<2``); without ``@``, the latest release.
        registry: A :class:`~accord.registry.model.Registry`, the path of a registry
            directory, or ``"pkg:NAME"`` (an installed registry package). Default:
            discovery (``ACCORD_REGISTRY``, ``[tool.accord] registry``, an installed
            registry package, ``./contracts``).
        backend: ``auto`` (jsonschema-rs, the reference), ``rs``, ``python`` or
            ``fast`` (fastjsonschema); see ``accord validate --explain-backend REF``.
        max_errors: Errors listed at most by ``validate``/``errors`` (default
            :data:`~accord.validation.validator.DEFAULT_MAX_ERRORS`, 50); the rest are counted.
            Payloads nesting deeper than the registry's ``max-depth`` are refused.

    Returns:
        A :class:`~accord.validation.validator.Validator` with ``is_valid``, ``validate`` and
        ``validate_json``, shared by every caller asking for the same version.

    Raises:
        ContractNotFound: no such contract.
        VersionNotFound: nothing (non-yanked) matches the range.
        RegistryError: the registry does not load.
        UsageError: ``backend-ineligible`` when ``backend`` cannot decide exactly as
            the reference for this contract (the message names the keyword).
    """
    validator_class, default_max_errors = _validation()
    registry = registry_or_root_argument(registry)

    if not isinstance(ref, str | ContractRef):
        ContractRef.parse(ref)  # InvalidReference: not text (and not a cache key)
    if not isinstance(backend, str):
        raise UsageError(
            f"unknown backend {backend!r}: choose auto, rs, python or fast",
            code="backend-unknown",
        )
    # Before the cache is asked: True and 1.0 equal 1 as keys, and would be answered
    # with the validator of cap 1 that Validator itself refuses to build.
    if max_errors is not None and (
        isinstance(max_errors, bool) or not isinstance(max_errors, int) or max_errors < 1
    ):
        raise UsageError(f"max_errors must be a positive integer, not {max_errors!r}", code="usage")
    reg = _registry_for(registry)
    cap = default_max_errors if max_errors is None else max_errors
    # Validators live in the registry's own memo: a registry is immutable, so what was
    # resolved and compiled for it stays true for as long as the object exists.
    memo = reg._memo
    # "auto" and "rs" are the same validator; other backends are cached apart.
    tag = (() if backend in ("auto", "rs") else (backend,)) + (
        () if cap == default_max_errors else (cap,)
    )
    key = ("validator", ref, *tag)
    with _lock:
        hit = memo.get(key)
    if isinstance(hit, validator_class):
        return hit
    version = reg.get(ref)
    if version.draft:
        # Only an exact pin reaches a draft (ranges and latest skip it).
        warnings.warn(
            f"{version.ref} is a draft: its file has no accord.lock line (never published, "
            "or a publish was interrupted); publish it before relying on it",
            UserWarning,
            stacklevel=2,
        )
    exact_key = ("validator", version.ref, *tag)
    with _lock:
        hit = memo.get(exact_key)
        own = own_text(version) if hit is None and backend in ("auto", "rs") else None
        if hit is None:
            common: dict[str, Any] = {
                "ref": version.ref,
                "backend": backend,
                "max_errors": cap,
                "max_depth": reg.settings.max_depth,
            }
            if own is not None:
                # Its bundle is its document, not built yet: the validator compiles the
                # file's text and builds the document only if something reads its schema.
                hit = validator_class(
                    None,
                    **common,
                    _source=own[0],
                    _later=functools.partial(getattr, version, "document"),
                    _recurses=own[1],
                )
            else:
                bundle = reg.bundle(version)
                hit = validator_class(bundle, **common, _source=own_source(version, bundle))
            memo[exact_key] = hit
        memo[key] = hit
    return hit


def clear_caches() -> None:
    """Forget every cached registry and validator (tests; a reloaded registry)."""
    with _lock:
        _registries.clear()
