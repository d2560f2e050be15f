"""Runtime validators: a fast yes/no, and every error with its path when the answer is no.

Two backends share one meaning of "valid" (DESIGN.md, *Validators*):

- **jsonschema-rs** decides. It is the semantic reference (formats asserted, offline),
  compiled once per schema, and :meth:`Validator.is_valid` *is* its ``is_valid``.
- **python-jsonschema** explains. Given accord's format checkers and a ``pattern``
  hook on ``regress`` (ECMA-262, unanchored search), it reaches the reference's
  verdicts and reports errors with instance paths, schema paths and a best match.
  Should it ever find nothing wrong with a payload the reference rejects, the
  reference's own errors are reported instead, so :meth:`Validator.validate` never
  lets an invalid payload through and never rejects a valid one.

Nothing is fetched: schemas must be self-contained (``Registry.bundle``), and the
explaining backend's registry refuses every retrieval with ``RefError(ref-remote)``.

Example::

    v = Validator({"type": "object", "required": ["id"]}, ref="orders.order-placed@1.0.0")
    v.is_valid({"id": 1})        # True, in microseconds
    v.validate({})               # raises ContractViolation listing every error
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from accord import _pointer
from accord._jsondoc import DEFAULT_MAX_DEPTH, MISS, fast_or_miss, loads
from accord._offline import py_validator, py_validator_class, rs_validator
from accord.errors import ContractViolation, RefError, SchemaError, ValidationIssue

__all__ = ["Validator", "explain_backend"]

_BACKEND = "jsonschema-rs"


def explain_backend() -> str:
    """Which backend does what, in one paragraph (for ``accord doctor`` and docs)."""
    return (
        "is_valid: jsonschema-rs (Draft 2020-12, formats asserted, offline), the semantic "
        "reference. validate/errors: jsonschema-rs decides; python-jsonschema explains "
        "with accord's format checkers and an ECMA-262 pattern hook (regress), falling "
        "back to jsonschema-rs's own errors if the two ever disagree. No $ref is fetched."
    )


class Validator:
    """A compiled, thread-safe validator for one self-contained 2020-12 schema.

    Build it once (at boot) and share it: construction compiles the schema, and every
    method is safe to call from many threads at once. Draft-07 schemas are normalised
    first.

    Attributes:
        ref: The contract reference named in errors (``orders.order-placed@1.2.0``).
        schema: The (2020-12) schema validated against.
        backend: The backend deciding validity: ``"jsonschema-rs"`` unless another one
            was asked for (``backend="python"`` or ``"fast"``, see :mod:`accord._backends`).
        is_valid: ``is_valid(payload) -> bool``; the reference validator's own method,
            so the fast path costs one call.

    Raises:
        SchemaError: the schema does not compile (``schema-invalid``), or a ``$ref``
            cannot be resolved inside it (``ref-unresolvable``, ``ref-remote``).
        UsageError: ``backend-ineligible`` when the requested backend cannot decide
            exactly as the reference for this schema; ``backend-unknown``.
    """

    __slots__ = ("_explainer", "_lock", "_reference", "backend", "is_valid", "ref", "schema")

    is_valid: Callable[[Any], bool]

    def __init__(self, schema: Any, *, ref: str = "<schema>", backend: str = "auto") -> None:
        import jsonschema_rs

        from accord._dialect import detect_dialect, normalize

        if detect_dialect(schema) == "draft-07":
            schema = normalize(schema)
        self.ref = ref
        self.schema = schema
        self.backend = _BACKEND
        try:
            self._reference = rs_validator(schema, validate_formats=True)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
            raise _compile_error(str(exc), ref) from None
        self.is_valid = self._reference.is_valid
        self._explainer: Any = None
        self._lock = threading.Lock()
        if backend not in ("auto", "rs"):
            # Another backend decides only where accord._backends proves it agrees with
            # the reference; the reference stays compiled for errors and fallbacks.
            from accord import _backends

            choice = _backends.choose_backend(schema, backend, ref=ref)
            self.backend = choice.label
            if choice.name == "fast":
                self.is_valid = _backends.compile_fast(schema, ref=ref)
            else:
                self.is_valid = self._explaining_validator().is_valid

    def __repr__(self) -> str:
        return f"Validator(ref={self.ref!r}, backend={self.backend!r})"

    def validate(self, payload: Any) -> None:
        """Return if ``payload`` is valid; otherwise raise with every error.

        Raises:
            ContractViolation: ``errors`` lists every :class:`ValidationIssue`,
                ``best_match`` the one to show first.
        """
        if self.is_valid(payload):
            return
        issues, best = self._explain(payload)
        raise ContractViolation(self.ref, issues, best_match=best)

    def validate_json(self, data: bytes | str, *, file: str | None = None) -> Any:
        """Parse ``data`` strictly, validate it, and return the parsed payload.

        Duplicate keys, ``NaN`` and bad UTF-8 are refused before validation; integers
        stay exact at any size.

        Raises:
            DocumentError: the text is not strict JSON (``json-duplicate-key``, ...).
            ContractViolation: the payload is not valid.
        """
        payload = fast_or_miss(data, None, DEFAULT_MAX_DEPTH)
        if payload is MISS:
            payload = loads(data, file=file, max_bytes=None)
        if not self.is_valid(payload):
            issues, best = self._explain(payload)
            raise ContractViolation(self.ref, issues, best_match=best)
        return payload

    def errors(self, payload: Any) -> list[ValidationIssue]:
        """Every validation error of ``payload`` (empty when valid)."""
        if self.is_valid(payload):
            return []
        return self._explain(payload)[0]

    def _explain(self, payload: Any) -> tuple[list[ValidationIssue], ValidationIssue | None]:
        from jsonschema.exceptions import best_match

        found = list(self._explaining_validator().iter_errors(payload))
        if found:
            best = best_match(found)
            issues = [_issue(e) for e in found]
            return issues, _issue(best) if best is not None else None
        # The explaining backend disagrees with the reference: trust the reference.
        issues = [_reference_issue(e) for e in self._reference.iter_errors(payload)]
        return issues, issues[0] if issues else None

    def _explaining_validator(self) -> Any:
        explainer = self._explainer
        if explainer is None:
            with self._lock:
                if self._explainer is None:
                    from accord._formats import format_checker

                    self._explainer = py_validator(
                        _explaining_class(), self.schema, format_checker=format_checker()
                    )
                explainer = self._explainer
        return explainer


def _compile_error(detail: str, ref: str) -> SchemaError:
    first = detail.strip().splitlines()[0] if detail.strip() else "does not compile"
    if "retriev" in first.lower():
        return RefError(
            f"{ref}: a $ref points outside the schema and accord never fetches: {first}",
            code="ref-remote",
            ref=ref,
        )
    if "does not exist" in first or "unresolvable" in first.lower():
        return RefError(f"{ref}: {first}", code="ref-unresolvable", ref=ref)
    return SchemaError(
        f"{ref}: the schema does not compile: {first}", code="schema-invalid", ref=ref
    )


def _issue(error: Any) -> ValidationIssue:
    return ValidationIssue(
        instance_path=_pointer.from_parts(error.absolute_path),
        schema_path=_pointer.from_parts(error.absolute_schema_path),
        keyword=str(error.validator),
        message=error.message,
    )


def _reference_issue(error: Any) -> ValidationIssue:
    path = list(error.evaluation_path)
    keyword = next((t for t in reversed(path) if isinstance(t, str)), "")
    return ValidationIssue(
        instance_path=_pointer.from_parts(error.instance_path),
        schema_path=_pointer.from_parts(path),
        keyword=keyword,
        message=error.message,
    )


# --- the explaining backend: python-jsonschema with ECMA-262 patterns ------------------


def _as_reference_reads(pattern: str) -> str:
    """``pattern`` rewritten where regress (ECMA-262) and the reference read it apart.

    The reference's ``.`` is measured on the installed jsonschema-rs
    (:func:`accord._probe.dot_class`: before 0.61 it matched everything but ``\\n``;
    0.61 follows ECMA-262), and an unescaped ``.`` outside a class becomes that class.
    Its ``\\b``/``\\B`` are Unicode-aware (``é`` is a word character) and no rewrite
    reproduces them: there the explaining backend may find nothing wrong, and
    :meth:`Validator._explain` reports the reference's errors. Whether the rewrite
    really agrees is probed per pattern before this backend may *decide*
    (:func:`accord._backends.python_refusals`).
    """
    from accord._probe import dot_class

    dot = dot_class() or "."
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == ".":
            char = dot
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> Any:
    from accord._dialect import compile_pattern

    return compile_pattern(_as_reference_reads(pattern))


def _search(pattern: str, text: str) -> bool:
    return _regex(pattern).find(text) is not None


def pattern_search(pattern: str) -> Callable[[str], bool]:
    """How the explaining backend answers "does ``pattern`` match in ``text``?".

    Raises whatever regress raises for a pattern it cannot compile.
    """
    _regex(pattern)
    return lambda text: _search(pattern, text)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, pattern_properties: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in properties and not any(_search(p, key) for p in patterns)
    ]


def _additional_properties(
    validator: Any, additional: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        names = ", ".join(repr(e) for e in sorted(extras))
        if "patternProperties" in schema:
            patterns = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            verb = "does" if len(extras) == 1 else "do"
            yield ValidationError(f"{names} {verb} not match any of the regexes: {patterns}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({names} {verb} unexpected)"
            )


def _evaluated_keys(validator: Any, instance: dict[str, Any], schema: Any) -> set[str]:
    """Keys evaluated by ``schema`` at this location (for ``unevaluatedProperties``).

    python-jsonschema's own version matches ``patternProperties`` with Python ``re``.
    """
    if not isinstance(schema, dict):
        return set()
    keys: set[str] = set()
    for keyword in ("$ref", "$dynamicRef"):
        reference = schema.get(keyword)
        if reference is not None:
            resolved = validator._resolver.lookup(reference)
            keys |= _evaluated_keys(
                validator.evolve(schema=resolved.contents, _resolver=resolved.resolver),
                instance,
                resolved.contents,
            )
    properties = schema.get("properties")
    if isinstance(properties, dict):
        keys |= properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword in schema:
            sub = schema[keyword]
            keys |= {k for k, v in instance.items() if validator.evolve(schema=sub).is_valid(v)}
    for pattern in schema.get("patternProperties", {}):
        keys |= {k for k in instance if _search(pattern, k)}
    for name, sub in schema.get("dependentSchemas", {}).items():
        if name in instance:
            keys |= _evaluated_keys(validator, instance, sub)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(keyword, []):
            if validator.evolve(schema=sub).is_valid(instance):
                keys |= _evaluated_keys(validator, instance, sub)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys |= _evaluated_keys(validator, instance, schema["if"])
            keys |= _evaluated_keys(validator, instance, schema.get("then", True))
        else:
            keys |= _evaluated_keys(validator, instance, schema.get("else", True))
    return keys


def _unevaluated_properties(
    validator: Any, unevaluated: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "object"):
        return
    evaluated = _evaluated_keys(validator, instance, schema)
    bad = [
        key
        for key in instance
        if key not in evaluated and not validator.evolve(schema=unevaluated).is_valid(instance[key])
    ]
    if bad:
        names = ", ".join(repr(k) for k in sorted(bad))
        verb = "was" if len(bad) == 1 else "were"
        if unevaluated is False:
            yield ValidationError(
                f"Unevaluated properties are not allowed ({names} {verb} unexpected)"
            )
        else:
            yield ValidationError(
                "Unevaluated properties are not valid under the given schema "
                f"({names} {verb} unevaluated and invalid)"
            )


def is_multiple_of(value: int | float, divisor: int | float) -> bool:
    """``multipleOf`` as the reference decides it: exact on the numbers' shortest reprs.

    Measured against jsonschema-rs: ``19.01`` is a multiple of ``0.01`` (python-jsonschema's
    float division says no), ``1e22`` is not a multiple of ``3`` (float division says yes).
    """
    if isinstance(value, int) and isinstance(divisor, int):
        return value % divisor == 0
    import decimal

    a, b = decimal.Decimal(repr(value)), decimal.Decimal(repr(divisor))
    # Enough digits for the integer quotient (any size, big integers included) and for a
    # remainder between doubles (exponents -324..308: at most ~650 digits): exact.
    with decimal.localcontext() as context:
        context.prec = max(a.adjusted() - b.adjusted(), 0) + 700
        context.traps[decimal.InvalidOperation] = True
        return a % b == 0


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "number") and not is_multiple_of(instance, divisor):
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


def _ref(validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
    # python-jsonschema leaves "$ref" out of schema paths, which then name locations
    # that do not exist; keep it, as jsonschema-rs's evaluation paths do.
    for error in validator._validate_reference(ref=ref, instance=instance):
        error.relative_schema_path.appendleft("$ref")
        yield error


@lru_cache(maxsize=1)
def _explaining_class() -> Any:
    from jsonschema.validators import extend

    return extend(
        py_validator_class("2020-12"),
        {
            "$ref": _ref,
            "multipleOf": _multiple_of,
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
            "unevaluatedProperties": _unevaluated_properties,
        },
    )
