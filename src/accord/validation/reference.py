"""The semantic reference validator: jsonschema-rs, formats asserted, offline.

Every verdict accord reports about a concrete payload (witnesses, generated examples,
``accord validate``) is decided here, so the engine, the validators and the tests all
share one meaning of "valid". Schemas given here must be self-contained (every
``$ref`` local, see ``Registry.bundle``); retrieval is disabled so nothing is ever
fetched.
"""

from __future__ import annotations

import threading
from typing import Any

from accord.core.memo import canonical_text, write_canonical
from accord.validation.dialect import Declared
from accord.validation.offline import rs_declared_validator, rs_validator

_lock = threading.Lock()
_cache: dict[str, Any] = {}
_CACHE_MAX = 4096


def _declared_key(schema: Any) -> str:
    return f"{schema.dialect}:{write_canonical(schema.declared)}"


def reference_validator(schema: Any) -> Any:
    """A compiled jsonschema-rs validator for a self-contained 2020-12 schema (cached);
    for a :class:`~accord.validation.dialect.Declared` bundle, the reference in the
    declared dialect on the document as written.

    The cache key is the schema's canonical JSON, found through the schema's identity
    first (schemas are not mutated once built), so a hot loop over one schema does not
    serialise it again and again; the memo is the one :func:`canonical_text` keeps for
    every layer, so a document the diff already wrote is not written again here.
    """
    declared = schema if isinstance(schema, Declared) else None
    if declared is not None and declared.refused is not None:
        raise declared.refused
    key = _declared_key(schema) if declared is not None else canonical_text(schema)
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    validator = (
        rs_validator(schema, validate_formats=True, ignore_unknown_formats=True)
        if declared is None
        else rs_declared_validator(
            declared.declared, declared.dialect, validate_formats=True, ignore_unknown_formats=True
        )
    )
    with _lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = validator
    return validator


def is_valid(schema: Any, instance: Any) -> bool:
    """Whether ``instance`` is valid under ``schema`` by the reference validator."""
    return bool(reference_validator(schema).is_valid(instance))


def is_valid_declared(schema: Any, instance: Any) -> bool:
    """Whether ``instance`` is valid under ``schema`` *as written*, by the reference in
    the dialect the schema declares (formats asserted as that dialect's reference does).

    accord itself validates the normalised 2020-12 form (:func:`is_valid`); the two agree
    (``tests/validation/test_dialects.py``) except where the declared dialect asserts
    what 2020-12 cannot say (draft-06/07 content keywords, where the engine claims
    nothing) and draft-04's ``1.0`` (not an integer there, an integer in accord).
    """
    from accord.validation.dialect import detect_dialect

    validator = rs_declared_validator(
        schema, detect_dialect(schema), validate_formats=True, ignore_unknown_formats=True
    )
    return bool(validator.is_valid(instance))
