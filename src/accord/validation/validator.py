"""Runtime validators: a fast yes/no, and every error with its path when the answer is no.

Two backends share one meaning of "valid" (docs/design.md, *Validators*):

- **jsonschema-rs** decides. It is the semantic reference (formats asserted, offline),
  compiled once per schema, and :meth:`Validator.is_valid` *is* its ``is_valid``.
- **python-jsonschema** explains. Given accord's format checkers and a ``pattern``
  hook on ``regress`` (ECMA-262, unanchored search), it reaches the reference's
  verdicts and reports errors with instance paths, schema paths and a best match.
  Should it ever find nothing wrong with a payload the reference rejects, the
  reference's own errors are reported instead, so :meth:`Validator.validate` never
  lets an invalid payload through and never rejects a valid one.

Work is bounded whatever the payload (a service validates what strangers send):
payloads nesting deeper than ``max_depth`` are refused before any backend sees them
(an iterative check; native validators recurse), explanations list at most
``max_errors`` errors with a count of the rest, the explaining backend stops after a
step budget, and patterns that could backtrack are matched with the reference's
linear-time engine.

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
from urllib.parse import unquote

from accord.core import pointer as _pointer
from accord.core.jsondoc import (
    DEFAULT_MAX_DEPTH,
    MISS,
    deeper_than,
    fast_or_miss,
    loads,
    more_nodes_than,
)
from accord.core.values import equality_key as _equality_key
from accord.errors import (
    ContractViolation,
    DocumentError,
    RefError,
    SchemaError,
    UsageError,
    ValidationIssue,
)
from accord.validation.offline import py_validator, py_validator_class
from accord.validation.patterns import _reference_validator, _search

__all__ = ["DEFAULT_MAX_ERRORS", "Validator", "explain_backend"]

_BACKEND = "jsonschema-rs"

DEFAULT_MAX_ERRORS = 50
"""Errors listed by :meth:`Validator.validate` and :meth:`Validator.errors` by default."""

# Keyword evaluations the explaining backend may spend on one payload (a few tens of
# milliseconds): a count, so what is explained never depends on the machine's speed.
_EXPLAIN_STEPS = 5_000
# Messages quote the failing value; a huge value is cut so errors stay small.
_MAX_MESSAGE = 300
# The reference's iter_errors is eager (every error, with its message, before the
# first is returned): it explains only payloads up to this many values.
_REFERENCE_MAX_NODES = 10_000


def explain_backend() -> str:
    """Which backend does what, in one paragraph (for ``accord doctor`` and docs)."""
    return (
        "is_valid: jsonschema-rs (Draft 2020-12, formats asserted, offline), the semantic "
        "reference. validate/errors: jsonschema-rs decides; python-jsonschema explains "
        "with accord's format checkers and an ECMA-262 pattern hook (regress), falling "
        "back to jsonschema-rs's own errors if the two ever disagree. No $ref is fetched. "
        f"Bounded: at most max_errors errors listed (default {DEFAULT_MAX_ERRORS}), "
        f"{_EXPLAIN_STEPS} keyword evaluations per explanation, payloads deeper than "
        "max_depth refused, backtracking-prone patterns matched by jsonschema-rs's engine."
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
            was asked for (``backend="python"`` or ``"fast"``, see
            :mod:`accord.validation.backends`).
        is_valid: ``is_valid(payload) -> bool``; the deciding backend's own method,
            behind an iterative depth check where ``depth_checked``.
        depth_checked: Whether payloads are measured against ``max_depth`` first: for
            the python and fast backends always (they recurse as deep as the payload),
            for jsonschema-rs when the schema recurses (:func:`may_recurse`: a payload
            nested 50,000 deep crashed it). A schema that does not recurse bounds how
            deep jsonschema-rs looks, and the walk would double the cost of ``is_valid``.
        max_errors: Errors listed at most by :meth:`validate` and :meth:`errors`
            (:data:`DEFAULT_MAX_ERRORS`); the rest are counted, not listed.
        max_depth: Nesting cap of payloads (``DEFAULT_MAX_DEPTH``, the registry's
            ``max-depth``), for ``validate_json`` always and, where ``depth_checked``,
            for Python objects: deeper payloads are never handed to a backend;
            ``is_valid`` says ``False``, ``validate`` and ``errors`` raise
            ``DocumentError(json-too-deep)``.

    Raises:
        SchemaError: the schema does not compile (``schema-invalid``), or a ``$ref``
            cannot be resolved inside it (``ref-unresolvable``, ``ref-remote``).
        UsageError: ``backend-ineligible`` when the requested backend cannot decide
            exactly as the reference for this schema; ``backend-unknown``; ``usage``
            when ``max_errors`` or ``max_depth`` is not a positive integer.
    """

    __slots__ = (
        "_decide",
        "_explainer",
        "_lock",
        "_reference",
        "backend",
        "depth_checked",
        "is_valid",
        "max_depth",
        "max_errors",
        "ref",
        "schema",
    )

    is_valid: Callable[[Any], bool]

    def __init__(
        self,
        schema: Any,
        *,
        ref: str = "<schema>",
        backend: str = "auto",
        max_errors: int = DEFAULT_MAX_ERRORS,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        import jsonschema_rs

        from accord.validation.dialect import detect_dialect, normalize

        if detect_dialect(schema) == "draft-07":
            schema = normalize(schema)
        for name, value in (("max_errors", max_errors), ("max_depth", max_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{name} must be a positive integer, not {value!r}", code="usage")
        self.ref = ref
        self.schema = schema
        self.backend = _BACKEND
        self.max_errors = max_errors
        self.max_depth = max_depth
        try:
            self._reference = _reference_validator(schema, validate_formats=True)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
            raise _compile_error(str(exc), ref) from None
        self._decide: Callable[[Any], bool] = self._reference.is_valid
        self._explainer: Any = None
        self._lock = threading.Lock()
        if backend not in ("auto", "rs"):
            # Another backend decides only where accord.validation.backends proves it agrees with
            # the reference; the reference stays compiled for errors and fallbacks.
            from accord.validation import backends as _backends

            choice = _backends.choose_backend(schema, backend, ref=ref)
            self.backend = choice.label
            if choice.name == "fast":
                self._decide = _backends.compile_fast(schema, ref=ref)
            else:
                self._decide = self._explaining_validator().is_valid
        # The depth walk costs as much as jsonschema-rs's own check on a typical payload,
        # so it runs only where depth can hurt: a schema that recurses (a payload may
        # drive the native validator as deep as it nests) or a pure-Python backend.
        # Otherwise the schema itself bounds how deep any backend looks into a payload.
        self.depth_checked = self.backend != _BACKEND or may_recurse(schema)
        self.is_valid = self._bounded_is_valid if self.depth_checked else self._decide

    def _bounded_is_valid(self, payload: Any) -> bool:
        # Every backend recurses natively: a payload nested too deep (or a cycle) is
        # refused by an iterative check first, never handed over (fail closed).
        if isinstance(payload, _CONTAINERS) and deeper_than(payload, self.max_depth):
            return False
        return self._decide(payload)

    def __repr__(self) -> str:
        return f"Validator(ref={self.ref!r}, backend={self.backend!r})"

    def validate(self, payload: Any) -> None:
        """Return if ``payload`` is valid; otherwise raise with its errors.

        Raises:
            ContractViolation: ``errors`` lists the first ``max_errors`` issues
                (:class:`ValidationIssue`), ``best_match`` the one to show first,
                ``omitted`` how many more were found (``omitted_lower_bound``: and
                perhaps more, the explanation stopped counting).
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``.
        """
        violation = self.violation(payload)
        if violation is not None:
            raise violation

    def violation(self, payload: Any) -> ContractViolation | None:
        """``None`` if ``payload`` is valid, else the :class:`ContractViolation` to raise.

        Raises:
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``.
        """
        self._refuse_if_too_deep(payload)
        if self._decide(payload):
            return None
        return self._explain(payload)

    def validate_json(self, data: bytes | str, *, file: str | None = None) -> Any:
        """Parse ``data`` strictly, validate it, and return the parsed payload.

        Duplicate keys, ``NaN`` and bad UTF-8 are refused before validation; integers
        stay exact at any size.

        Raises:
            DocumentError: the text is not strict JSON (``json-duplicate-key``, ...).
            ContractViolation: the payload is not valid.
        """
        payload = fast_or_miss(data, None, self.max_depth)
        if payload is MISS:
            payload = loads(data, file=file, max_bytes=None, max_depth=self.max_depth)
        if not self._decide(payload):
            raise self._explain(payload)
        return payload

    def errors(self, payload: Any) -> list[ValidationIssue]:
        """The first ``max_errors`` validation errors of ``payload`` (empty when valid).

        Raises:
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``.
        """
        violation = self.violation(payload)
        return [] if violation is None else violation.errors

    def _refuse_if_too_deep(self, payload: Any) -> None:
        if not self.depth_checked:
            return
        if isinstance(payload, _CONTAINERS) and deeper_than(payload, self.max_depth):
            raise DocumentError(
                f"{self.ref}: the payload nests deeper than {self.max_depth} levels",
                code="json-too-deep",
            )

    def _explain(self, payload: Any) -> ContractViolation:
        """The errors of a payload the deciding backend rejected, at bounded cost.

        python-jsonschema explains within a step budget, lazily: the first
        ``max_errors`` errors are listed and up to as many more counted (beyond that,
        and when the budget runs out, the count is a lower bound).
        Whatever it cannot explain (it found nothing, or ran out of budget first), the
        reference's verdict stands, with the reference's own errors (capped alike) when
        the payload is small enough for them to be cheap, else one issue saying the
        payload is invalid.
        """
        from jsonschema.exceptions import best_match

        found: list[Any] = []
        omitted = 0
        exhausted = False
        _budget.steps = _EXPLAIN_STEPS
        try:
            for error in self._explaining_validator().iter_errors(payload):
                if len(found) < self.max_errors:
                    # Cut now: a message quoting a huge value is not kept while we go on.
                    error.message = _short(error.message)
                    found.append(error)
                elif omitted < self.max_errors:
                    omitted += 1
                else:
                    # Counted up to max_errors more: beyond that, only "or more".
                    exhausted = True
                    break
        except (_OverBudget, RecursionError):
            exhausted = True
        finally:
            _budget.steps = None
        if found:
            best = best_match(found)
            return ContractViolation(
                self.ref,
                [_issue(e) for e in found],
                best_match=_issue(best) if best is not None else None,
                omitted=omitted,
                omitted_lower_bound=exhausted,
            )
        # Nothing explained: the explaining backend ran out of budget, or disagrees with
        # the reference. Either way the reference's verdict stands, with its own errors
        # when that is cheap: its iter_errors collects every error (and its message)
        # before returning, so it is asked only about small payloads.
        issues: list[ValidationIssue] = []
        if not more_nodes_than(payload, _REFERENCE_MAX_NODES):
            for error in self._reference.iter_errors(payload):
                if len(issues) < self.max_errors:
                    issues.append(_reference_issue(error))
                else:
                    omitted += 1
        unexplained = not issues
        if unexplained:
            stopped = (
                f" (the explanation stopped after {_EXPLAIN_STEPS} steps before naming an error)"
                if exhausted
                else ""
            )
            issues.append(
                ValidationIssue(
                    instance_path="",
                    schema_path="",
                    keyword="",
                    message=f"the payload is not valid under {self.ref}{stopped}",
                )
            )
        return ContractViolation(
            self.ref,
            issues,
            best_match=issues[0],
            omitted=omitted,
            omitted_lower_bound=exhausted and unexplained,
        )

    def _explaining_validator(self) -> Any:
        explainer = self._explainer
        if explainer is None:
            with self._lock:
                if self._explainer is None:
                    from accord.validation.formats import format_checker

                    self._explainer = py_validator(
                        _explaining_class(), self.schema, format_checker=format_checker()
                    )
                explainer = self._explainer
        return explainer


def may_recurse(schema: Any) -> bool:
    """Whether a bundled schema can apply itself again deeper in a payload.

    True when a local ``$ref`` chain leads back into a subschema it started from (the
    target's subtree holds a ``$ref`` that leads back), and, conservatively, for any
    ``$dynamicRef``/``$recursiveRef``, an anchor ``$ref`` (``#name``) or a non-local one.
    """
    # Paths are tuples of tokens (a pointer string is built only for a $ref's target):
    # this runs once per validator at boot, over every node of the bundle.
    refs: list[tuple[tuple[Any, ...], tuple[str, ...]]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), schema)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append(((*where, key), value))
                elif key == "$ref" and isinstance(value, str):
                    if value != "#" and not value.startswith("#/"):
                        return True
                    target = unquote(value[1:])
                    refs.append((where, tuple(_pointer.split(target)) if target else ()))
                elif key in ("$dynamicRef", "$recursiveRef"):
                    return True
        elif isinstance(node, list):
            stack.extend(
                ((*where, i), item) for i, item in enumerate(node) if isinstance(item, dict | list)
            )

    def inside(site: tuple[Any, ...], target: tuple[str, ...]) -> bool:
        return len(site) >= len(target) and all(
            str(a) == b for a, b in zip(site, target, strict=False)
        )

    # A cycle among ref sites: from a site, its target's subtree holds the next site.
    successors = {
        i: [j for j, (site, _) in enumerate(refs) if inside(site, target)]
        for i, (_, target) in enumerate(refs)
    }
    state: dict[int, int] = {}  # 1: on the path, 2: done
    for start, first in successors.items():
        if start in state:
            continue
        path = [(start, iter(first))]
        state[start] = 1
        while path:
            node, children = path[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                return True
            elif child not in state:
                state[child] = 1
                path.append((child, iter(successors[child])))
    return False


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


_CONTAINERS = (dict, list, tuple)


def _short(message: str) -> str:
    if len(message) <= _MAX_MESSAGE:
        return message
    return f"{message[: _MAX_MESSAGE - 30]}... ({len(message)} characters)"


def _issue(error: Any) -> ValidationIssue:
    return ValidationIssue(
        instance_path=_pointer.from_parts(error.absolute_path),
        schema_path=_pointer.from_parts(error.absolute_schema_path),
        keyword=str(error.validator),
        message=_short(error.message),
    )


def _reference_issue(error: Any) -> ValidationIssue:
    path = list(error.evaluation_path)
    keyword = next((t for t in reversed(path) if isinstance(t, str)), "")
    return ValidationIssue(
        instance_path=_pointer.from_parts(error.instance_path),
        schema_path=_pointer.from_parts(path),
        keyword=keyword,
        message=_short(error.message),
    )


# --- the explaining backend: python-jsonschema with ECMA-262 patterns ------------------


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


def is_multiple_of(value: Any, divisor: Any) -> bool:
    """``multipleOf`` as the reference decides it: exact on the numbers' shortest reprs.

    Measured against jsonschema-rs: ``19.01`` is a multiple of ``0.01`` (python-jsonschema's
    float division says no), ``1e22`` is not a multiple of ``3`` (float division says yes),
    and ``inf``/``nan`` pass (it does not reject them). Numbers beyond float range
    (``1e400``, kept as :class:`~decimal.Decimal`) are exact too, in time logarithmic in
    their exponents: never an exception.
    """
    if isinstance(value, int) and isinstance(divisor, int):
        return divisor != 0 and value % divisor == 0
    import decimal

    a = value if isinstance(value, decimal.Decimal) else decimal.Decimal(repr(value))
    b = divisor if isinstance(divisor, decimal.Decimal) else decimal.Decimal(repr(divisor))
    if not a.is_finite():
        return True
    if not b.is_finite() or b.is_zero():
        return False
    if a.is_zero():
        return True
    # a = ma * 10**ea, b = mb * 10**eb, mantissas integers: a / b is an integer exactly
    # when mb divides ma * 10**(ea - eb); modular powers keep huge exponents cheap.
    ma, ea = _mantissa(a)
    mb, eb = _mantissa(b)
    if ea >= eb:
        return bool(ma * pow(10, ea - eb, mb) % mb == 0)
    shift = eb - ea
    # ma has fewer than this many digits, so ma is not a multiple of 10**shift * mb
    if shift > len(str(ma)):
        return False
    return bool(ma % (mb * 10**shift) == 0)


def _mantissa(number: Any) -> tuple[int, int]:
    _sign, digits, exponent = number.as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    return abs(mantissa), int(exponent)


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "number") and not is_multiple_of(instance, divisor):
        yield ValidationError(f"{instance!r} is not a multiple of {divisor}")


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    # python-jsonschema compares objects pairwise (4,000 objects: 90 s); hashing a
    # JSON-equality key per item is linear.
    from jsonschema.exceptions import ValidationError

    if unique and validator.is_type(instance, "array"):
        seen: set[Any] = set()
        for item in instance:
            key = _equality_key(item)
            if key in seen:
                yield ValidationError(f"{instance!r} has non-unique elements")
                return
            seen.add(key)


def _ref(validator: Any, ref: str, instance: Any, schema: Any) -> Iterator[Any]:
    # python-jsonschema leaves "$ref" out of schema paths, which then name locations
    # that do not exist; keep it, as jsonschema-rs's evaluation paths do.
    for error in validator._validate_reference(ref=ref, instance=instance):
        error.relative_schema_path.appendleft("$ref")
        yield error


class _OverBudget(Exception):
    """The explanation spent its step budget."""


class _Budget(threading.local):
    steps: int | None = None


_budget = _Budget()


def _charge() -> None:
    steps = _budget.steps
    if steps is not None:
        if steps <= 0:
            raise _OverBudget
        _budget.steps = steps - 1


def _budgeted(keyword: Callable[..., Any]) -> Callable[..., Iterator[Any]]:
    """``keyword`` charging one step per evaluation and per error it yields."""

    def charged(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
        _charge()
        for error in keyword(validator, value, instance, schema) or ():
            _charge()
            yield error

    return charged


@lru_cache(maxsize=1)
def _explaining_class() -> Any:
    from jsonschema.validators import extend

    base = py_validator_class("2020-12")
    keywords = {
        **base.VALIDATORS,
        "$ref": _ref,
        "multipleOf": _multiple_of,
        "uniqueItems": _unique_items,
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        "unevaluatedProperties": _unevaluated_properties,
    }
    return extend(base, {name: _budgeted(keyword) for name, keyword in keywords.items()})
