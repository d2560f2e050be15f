"""Runtime validators: a fast yes/no, and every error with its path when the answer is no.

One engine decides and explains (docs/design.md, *Validators*): **jsonschema-rs**, the
semantic reference (formats asserted, offline), compiled once per schema.
:meth:`Validator.is_valid` *is* its ``is_valid``, and the errors of an invalid payload are
its ``iter_errors`` (instance path, evaluation path, keyword, message), ranked by
:func:`best_match` (python-jsonschema's relevance heuristic, on the reference's errors).
python-jsonschema is only the pure-Python backend a caller may ask for
(``backend="python"``, with accord's format checkers and ECMA-262 ``pattern`` hooks, where a
probe shows it agrees) and the test oracle; it never explains.

Work is bounded whatever the payload (a service validates what strangers send):
payloads nesting deeper than ``max_depth`` are refused before any backend sees them
(an iterative check; native validators recurse), explanations list at most
``max_errors`` errors with a count of the rest, and the reference's ``iter_errors``
(eager: it builds every error before returning the first) is asked only when the
payload's size times the schema's keyword count is within a budget; beyond it the
reference's lazy ``validate`` names the first error and the rest are "or more".

Nothing is fetched: schemas must be self-contained (``Registry.bundle``), and every
backend's resolver refuses every retrieval (:mod:`accord.validation.offline`).

Example::

    v = Validator({"type": "object", "required": ["id"]}, ref="orders.order-placed@1.0.0")
    v.is_valid({"id": 1})        # True, in microseconds
    v.validate({})               # raises ContractViolation listing every error
"""

from __future__ import annotations

import _thread
import enum
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from accord.core import pointer as _pointer
from accord.core.jsondoc import (
    DEFAULT_MAX_DEPTH,
    MISS,
    deeper_than,
    fast_or_miss,
    loads,
    more_nodes_than,
    prepare_fast_path,
    unreadable_number,
)
from accord.core.values import equality_key as _equality_key
from accord.core.values import json_type as _json_type
from accord.errors import (
    AccordError,
    ContractViolation,
    DocumentError,
    RefError,
    SchemaError,
    UsageError,
    ValidationIssue,
    new_validation_issue,
)
from accord.validation.offline import not_json_schema_error, py_validator, py_validator_class
from accord.validation.patterns import _reference_validator, _search

if TYPE_CHECKING:
    from accord.validation.dialect import Declared

__all__ = ["DEFAULT_MAX_ERRORS", "Validator", "best_match", "explain_backend"]

_BACKEND = "jsonschema-rs"

DEFAULT_MAX_ERRORS = 50
"""Errors listed by :meth:`Validator.validate` and :meth:`Validator.errors` by default."""

# Messages quote the failing value; a huge value is cut so errors stay small.
_MAX_MESSAGE = 300
# The reference's iter_errors is eager: it builds every error (message, paths, a copy
# of the failing value, anyOf/oneOf branch errors) before returning the first, at
# 10-40 us each. A payload can fail at most every keyword of the schema at each of its
# values, so iter_errors is asked only when values x schema keywords is within this
# budget (a count, so what is explained never depends on the machine's speed): under
# 0.1 s in the worst cases measured (every item failing a type, an anyOf of 8 or a
# oneOf of 3 branches), with anyOf/oneOf branches weighing more (see ``_measure``).
# Beyond it, the reference's ``validate`` names the first error: it stops there, but an
# anyOf/oneOf error carries every error of its branches (a root anyOf over 20,000 items:
# 0.7 s), so a schema with either keyword gets one issue without a location instead.
_EXPLAIN_UNITS = 10_000
_BRANCH_WEIGHT = 20


def explain_backend() -> str:
    """Which backend does what, in one paragraph (for ``accord doctor`` and docs)."""
    return (
        "is_valid: jsonschema-rs (Draft 2020-12, formats asserted, offline), the semantic "
        "reference. validate/errors: jsonschema-rs decides and explains (iter_errors: "
        "instance path, schema path, keyword, message; best match by python-jsonschema's "
        "relevance heuristic). No $ref is fetched. "
        f"Bounded: at most max_errors errors listed (default {DEFAULT_MAX_ERRORS}), the "
        f"rest counted; payloads over {_EXPLAIN_UNITS} values x schema keywords get the "
        "first error only; payloads deeper than max_depth refused; backtracking-prone "
        "patterns matched by jsonschema-rs's capped engine."
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
        "_combinators",
        "_decide",
        "_known_paths",
        "_lock",
        "_python",
        "_reference",
        "_weight",
        "backend",
        "depth_checked",
        "max_depth",
        "max_errors",
        "ref",
        "schema",
    )

    def __init__(
        self,
        schema: Any,
        *,
        ref: str = "<schema>",
        backend: str = "auto",
        max_errors: int = DEFAULT_MAX_ERRORS,
        max_depth: int = DEFAULT_MAX_DEPTH,
        _source: tuple[str, Sequence[str], bool] | None = None,
        _later: Callable[[], Any] | None = None,
        _recurses: bool = True,
    ) -> None:
        # ``_source`` (the registry's, for a version that is its own bundle): the JSON
        # text ``schema`` was parsed from, which jsonschema-rs reads to the same values
        # (Registry: ``own_source``), every string ``$ref`` value in its objects
        # (there is no ``$dynamicRef``/``$recursiveRef`` in it) and whether a pattern in
        # it may need the backtracking cap (:func:`~accord.validation.patterns.may_backtrack`).
        # The reference then compiles the text (no plain copy of the frozen document),
        # capped only where a pattern could read the cap, and :func:`may_recurse` needs
        # no walk for the ``$ref`` targets.
        # ``_later`` (the registry's ``own_text``, with ``_source`` and ``_recurses``):
        # ``schema`` is not built yet; ``_later()`` builds it, on the first read of
        # :attr:`schema`. The registry proved from ``_source``'s text that it is a plain
        # 2020-12 document, its own bundle, so nothing below needs it: the reference
        # compiles the text, and ``_recurses`` is :func:`may_recurse` of the text's value.
        # A document whose declared dialect asserts what 2020-12 cannot say is decided
        # by the reference in that dialect (dialect.Declared); else, normalised.
        # A registry's validator (``_later``) reads no dialect: its import (and the
        # recursion walk's) is paid by the first validator built from a document.
        declared = None
        if _later is None:
            from accord.validation.dialect import declared_form, detect_dialect, normalize

            declared = declared_form(schema)
        if _later is not None:
            if _source is None or backend not in ("auto", "rs"):
                raise UsageError("a schema built later needs its text and jsonschema-rs")
            schema = _Later(_later)
        elif declared is not None:
            if declared.refused is not None:
                raise declared.refused
            schema = declared
            _source = None
        elif detect_dialect(schema) != "2020-12":
            schema = normalize(schema)
            _source = None
        for name, value in (("max_errors", max_errors), ("max_depth", max_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{name} must be a positive integer, not {value!r}", code="usage")
        self.ref = ref
        self.schema = schema
        self.backend = _BACKEND
        self.max_errors = max_errors
        self.max_depth = max_depth
        try:
            self._reference = _compiled(schema, declared, _source)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
            raise _compile_error(str(exc), ref) from None
        except AccordError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:  # "Unsupported type: 'bytes'"
            raise not_json_schema_error(
                self.schema, exc, file=None if ref == "<schema>" else ref
            ) from None
        self._decide: Callable[[Any], bool] = self._reference.is_valid
        self._python: Any = None
        self._weight = 0  # the schema's keyword count, measured on the first explanation
        self._combinators = True  # whether it holds anyOf/oneOf (measured alike)
        self._lock = _thread.allocate_lock()  # threading.Lock, without importing threading
        self._known_paths: dict[tuple[str | int, ...], tuple[str, str]] = {}
        if backend not in ("auto", "rs"):
            # Another backend decides only where accord.validation.backends proves it agrees with
            # the reference; the reference stays compiled and explains.
            from accord.validation import backends as _backends

            choice = _backends.choose_backend(schema, backend, ref=ref)
            self.backend = choice.label
            if choice.name == "fast":
                decide = _backends.compile_fast(schema, ref=ref)
            else:
                decide = self._python_validator().is_valid
            self._decide = _read_as_json_first(decide)
        # The depth walk costs as much as jsonschema-rs's own check on a typical payload,
        # so it runs only where depth can hurt: a schema that recurses (a payload may
        # drive the native validator as deep as it nests) or a pure-Python backend.
        # Otherwise the schema itself bounds how deep any backend looks into a payload.
        if _later is not None:
            self.depth_checked = _recurses
        else:
            from accord.validation.recursion import may_recurse

            self.depth_checked = self.backend != _BACKEND or may_recurse(
                schema, refs=None if _source is None else _source[1]
            )
        # Imports are paid at construction, never by the first payload after boot.
        prepare_fast_path()

    def is_valid(self, payload: Any) -> bool:
        """Whether ``payload`` is valid: the deciding backend's own answer (``False`` for
        a value jsonschema-rs cannot read as JSON), behind an iterative depth check where
        ``depth_checked``."""
        # A method, not a bound method kept on the instance: that is a reference cycle
        # (instance -> method -> instance), and every validator, with the schema it
        # holds, would then wait for the cyclic collector instead of going with its
        # last reference (tests/validation/test_validator_gc.py).
        # Every backend recurses natively: a payload nested too deep (or a cycle) is
        # refused by an iterative check first, never handed over (fail closed).
        if (
            self.depth_checked
            and isinstance(payload, _CONTAINERS)
            and deeper_than(payload, self.max_depth)
        ):
            return False
        # jsonschema-rs raises ValueError on a Python value no JSON text parses to (a
        # non-string key, a set, bytes): not a JSON value, so not a valid payload. It
        # reads NaN, the infinities and an integer too long to write as no number or 0,
        # and a string with a lone surrogate only where a keyword reads it: "valid"
        # holds only for a payload without one (unreadable_number); "invalid" needs no
        # such proof.
        try:
            return self._decide(payload) and unreadable_number(payload) is None
        except ValueError:
            return False

    def _not_json(self, payload: Any, exc: ValueError) -> DocumentError:
        """The error for a payload the reference could not read as a JSON value: one
        nesting past ``max_depth`` (or a cycle), or a value no JSON text parses to."""
        if isinstance(payload, _CONTAINERS) and deeper_than(payload, self.max_depth):
            return self._too_deep()
        return DocumentError(
            f"{self.ref}: the payload is not a JSON value ({str(exc)[:100]})",
            code="payload-not-json",
        )

    def __repr__(self) -> str:
        return f"Validator(ref={self.ref!r}, backend={self.backend!r})"

    def validate(self, payload: Any) -> None:
        """Return if ``payload`` is valid; otherwise raise with its errors.

        Raises:
            ContractViolation: ``errors`` lists the first ``max_errors`` issues
                (:class:`ValidationIssue`), ``best_match`` the one to show first,
                ``omitted`` how many more were found (``omitted_lower_bound``: and
                perhaps more, the explanation stopped counting).
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``;
                ``payload-not-json``, a value no JSON text parses to (NaN or an
                infinity, float or Decimal, a string holding an unpaired surrogate,
                anywhere in the payload; a non-string key, a set, bytes or another
                object where a keyword of the contract reads it: under the default
                backend one that no keyword reaches is not read), which ``is_valid``
                calls invalid;
                ``payload-number-too-long``, an integer longer than Python's digit
                limit (``sys.get_int_max_str_digits()``), invalid too.
        """
        violation = self.violation(payload)
        if violation is not None:
            raise violation

    def violation(self, payload: Any) -> ContractViolation | None:
        """``None`` if ``payload`` is valid, else the :class:`ContractViolation` to raise.

        Raises:
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``.
        """
        if self.depth_checked:
            self._refuse_if_too_deep(payload)
        if self._decided(payload):
            return None
        return self._explain(payload)

    def validate_json(
        self, data: bytes | str | bytearray | memoryview, *, file: str | None = None
    ) -> Any:
        """Parse ``data`` strictly, validate it, and return the parsed payload.

        Duplicate keys, ``NaN`` and bad UTF-8 are refused before validation; integers
        stay exact at any size, and a decimal no float holds exactly (``1e-400``) is
        returned as a ``Decimal`` and validated as written. A ``bytearray`` or
        ``memoryview`` is read as its bytes.

        Raises:
            DocumentError: the text is not strict JSON (``json-duplicate-key``, ...);
                ``payload-not-json`` under ``backend="python"``/``"fast"`` for a number
                no float holds (those backends cannot judge it; the default can).
            ContractViolation: the payload is not valid.
            UsageError: ``data`` is neither text nor bytes (a parsed value: use
                :meth:`validate`).
        """
        # A number no float holds (1e-400, 1.0000000000000000001) stays a Decimal, which
        # the reference reads exactly: as a float it would be judged as the number it
        # rounds to (1e-400 passed {"type": "integer", "maximum": 0}).
        payload = fast_or_miss(data, None, self.max_depth, exact_numbers=True)
        if payload is MISS:
            payload = loads(
                data, file=file, max_bytes=None, max_depth=self.max_depth, exact_numbers=True
            )
        # Parsed text holds no NaN nor integer too long to write (both parsers refuse
        # them): the answer needs no unreadable_number. The python and fast backends
        # cannot read a number kept as a Decimal: refused as validate refuses it.
        try:
            valid = self._decide(payload)
        except ValueError as exc:
            raise self._not_json(payload, exc) from None
        if not valid:
            raise self._explain(payload)
        return payload

    def errors(self, payload: Any) -> list[ValidationIssue]:
        """The first ``max_errors`` validation errors of ``payload`` (empty when valid).

        Raises:
            DocumentError: ``json-too-deep``, the payload nests deeper than ``max_depth``.
        """
        # The issues alone: no best match to rank, no exception to build.
        if self.depth_checked:
            self._refuse_if_too_deep(payload)
        if self._decided(payload):
            return []
        return self._listed(payload)[1]

    def _refuse_if_too_deep(self, payload: Any) -> None:
        if isinstance(payload, _CONTAINERS) and deeper_than(payload, self.max_depth):
            raise self._too_deep()

    def _too_deep(self) -> DocumentError:
        return DocumentError(
            f"{self.ref}: the payload nests deeper than {self.max_depth} levels",
            code="json-too-deep",
        )

    def _decided(self, payload: Any) -> bool:
        """The deciding backend's answer; a payload the reference cannot read as a JSON
        value is refused (:meth:`_not_json`), never answered."""
        # Either answer might read NaN or an integer too long to write as no number or 0
        # (the reference), or fail to write it in a message (python-jsonschema): refused
        # first.
        unreadable = unreadable_number(payload)
        if unreadable is not None:
            code, what = unreadable
            raise DocumentError(f"{self.ref}: the payload holds {what}", code=code)
        try:
            return self._decide(payload)
        except ValueError as exc:
            raise self._not_json(payload, exc) from None

    def _explain(self, payload: Any) -> ContractViolation:
        """The errors of a payload the deciding backend rejected, at bounded cost
        (:meth:`_listed`), the best match first."""
        errors, issues, omitted, bounded = self._listed(payload)
        best = issues[0]
        if errors:
            # The best match among the listed errors, by the keywords just read; from an
            # anyOf/oneOf, best_match may go on into its branches' errors (not listed).
            at = _tied(errors, self.schema, largest=True, issues=issues)[0]
            best = issues[at]
            if best.keyword in _WEAK:
                found = _best_in_branches(errors[at], self.schema)
                if found is not errors[at]:
                    best = _issue(found)
        return ContractViolation(
            self.ref, issues, best_match=best, omitted=omitted, omitted_lower_bound=bounded
        )

    def _listed(self, payload: Any) -> tuple[Sequence[Any], list[ValidationIssue], int, bool]:
        """The reference's errors listed for a payload the deciding backend rejected,
        their issues, how many more were found, and whether counting stopped.

        Within the budget (:data:`_EXPLAIN_UNITS`), every error of the reference's
        ``iter_errors``: the first ``max_errors`` listed, the rest counted exactly.
        Beyond it, the first error of its ``validate`` and "or more" (for a schema
        without anyOf/oneOf; with them, one issue saying the payload is too large to
        explain). Should the reference find nothing (a deciding backend other than the
        reference disagrees with it), one issue (and no error) says the payload is
        invalid: the decider's verdict stands.
        """
        weight = self._weight or self._measure()
        errors: Sequence[Any]
        omitted = 0
        bounded = more_nodes_than(payload, _EXPLAIN_UNITS // weight)
        if not bounded:
            try:
                errors = list(self._reference.iter_errors(payload))
            except ValueError as exc:
                raise self._not_json(payload, exc) from None
            if len(errors) > self.max_errors:
                omitted = len(errors) - self.max_errors
                errors = errors[: self.max_errors]
        elif not self._combinators:
            try:
                self._reference.validate(payload)
                errors = ()
            except jsonschema_rs.ValidationError as exc:
                errors = (exc,)
            except ValueError as exc:
                raise self._not_json(payload, exc) from None
        else:
            errors = ()
        if not errors:
            why = (
                f" (too large to explain: over {_EXPLAIN_UNITS // weight} values)"
                if bounded
                else ""
            )
            issue = ValidationIssue(
                instance_path="",
                schema_path="",
                keyword="",
                message=f"the payload is not valid under {self.ref}{why}",
            )
            return errors, [issue], 0, bounded
        known = self._known_paths
        return errors, [_issue(e, known) for e in errors], omitted, bounded

    def _measure(self) -> int:
        """The schema's weight: its keyword count (every object member, data included:
        an upper bound on the errors one payload value can raise), each keyword under an
        anyOf/oneOf counted :data:`_BRANCH_WEIGHT` times (a branch error costs that much
        more to build: the error carries its branches' errors)."""
        count = 1
        combinators = False
        stack: list[tuple[Any, int]] = [(self.schema, 1)] if isinstance(self.schema, dict) else []
        while stack:
            node, factor = stack.pop()
            if isinstance(node, dict):
                count += factor * len(node)
                for key, value in node.items():
                    if isinstance(value, dict | list):
                        heavy = key in _WEAK
                        combinators = combinators or heavy
                        stack.append((value, factor * _BRANCH_WEIGHT if heavy else factor))
            else:
                stack.extend((v, factor) for v in node if isinstance(v, dict | list))
        self._combinators = combinators
        self._weight = min(count, _EXPLAIN_UNITS)
        return self._weight

    def _python_validator(self) -> Any:
        """python-jsonschema for ``backend="python"`` (built once, on first use)."""
        python = self._python
        if python is None:
            with self._lock:
                if self._python is None:
                    from accord.validation.formats import format_checker

                    self._python = py_validator(
                        _python_class(), self.schema, format_checker=format_checker()
                    )
                python = self._python
        return python


# --- best match: python-jsonschema's relevance heuristic on the reference's errors ----

_WEAK = frozenset({"anyOf", "oneOf"})


def _keyword(error: Any) -> str:
    """The failing keyword: the last name on the error's evaluation path, or
    ``falseSchema`` (the reference's name) where a ``false`` subschema that is not a
    keyword's own value refused the value (``/properties/a``, ``/anyOf/0``)."""
    path = error.evaluation_path
    if not error.message.startswith(_FALSE_SCHEMA):
        if path and type(path[-1]) is str:
            return path[-1]  # the common case
    elif path and (isinstance(path[-1], int) or (len(path) > 1 and path[-2] in _NAMED_SUBSCHEMAS)):
        return "falseSchema"
    return next((t for t in reversed(path) if isinstance(t, str)), "")


_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_FALSE_SCHEMA = "False schema does not allow "


def best_match(errors: Sequence[Any], schema: Any) -> Any:
    """The error to show first among the reference's ``errors`` for ``schema``.

    python-jsonschema's ``best_match``, on jsonschema-rs errors: the shallowest error in
    the payload (the most is wrong there), preferring one not from ``anyOf``/``oneOf``
    and one whose schema's ``type`` the value matches; then, while the pick is an
    ``anyOf``/``oneOf``, the deepest, most relevant error among its branches' errors,
    unless two tie (no branch stands out). ``None`` for no errors.
    """
    if not errors:
        return None
    best = errors[_tied(errors, schema, largest=True)[0]]
    return _best_in_branches(best, schema)


# python-jsonschema's relevance key, (-depth, path, not weak, not matching type), is
# applied stage by stage: a later stage is computed only among errors still tied.


def _tied(
    errors: Sequence[Any],
    schema: Any,
    *,
    largest: bool,
    issues: Sequence[ValidationIssue] | None = None,
) -> list[int]:
    """The indexes of the ``errors`` ranking first (``largest`` or smallest), in order
    (``issues``: theirs, if built already, for their keywords)."""
    if len(errors) < 2:
        return list(range(len(errors)))
    pick = max if largest else min
    # Paths are lists of str | int tokens: two paths first differ at tokens that index
    # the same value, so the comparison never meets a str and an int.
    keys: list[Any] = [(-len(e.instance_path), e.instance_path) for e in errors]
    target = pick(keys)
    if keys.count(target) == 1:
        return [keys.index(target)]
    found = [i for i, k in enumerate(keys) if k == target]
    keys = [
        (_keyword(errors[i]) if issues is None else issues[i].keyword) not in _WEAK for i in found
    ]
    target = pick(keys)
    found = [i for i, k in zip(found, keys, strict=True) if k == target]
    if len(found) < 2:
        return found
    keys = [not _matches_type(errors[i], schema) for i in found]
    target = pick(keys)
    return [i for i, k in zip(found, keys, strict=True) if k == target]


def _best_in_branches(best: Any, schema: Any) -> Any:
    """From an ``anyOf``/``oneOf`` error, down into its branches' errors while one of
    them stands out (the deepest, most relevant); ``best`` itself otherwise."""
    while _keyword(best) in _WEAK:
        branches = getattr(best.kind, "context", None) or ()
        context = [e for branch in branches for e in branch]
        first = _tied(context, schema, largest=False)
        if len(first) != 1:  # no branch error at all, or two that rank alike
            return best
        best = context[first[0]]
    return best


def _matches_type(error: Any, schema: Any) -> bool:
    """Whether the failing value has a ``type`` its schema object allows."""
    node = schema
    for token in list(error.schema_path)[:-1]:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return False
    expected = node.get("type") if isinstance(node, dict) else None
    if expected is None:
        return False
    names = [expected] if isinstance(expected, str) else expected
    if not isinstance(names, list):
        return False
    try:
        actual = _json_type(error.instance)
    except TypeError:
        return False
    allowed = {n for n in names if isinstance(n, str)}
    return actual in allowed or (actual == "integer" and "number" in allowed)


class _Later:
    """What :attr:`Validator.schema` holds until its first read: how to build it."""

    __slots__ = ("build",)

    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = build


_SCHEMA_SLOT = Validator.__dict__["schema"]


class _Schema:
    """The ``schema`` attribute: its slot, built on first read when pending (_Later).
    Concurrent first reads may both build it; the registry hands both the same object."""

    def __get__(self, validator: Validator | None, owner: Any = None) -> Any:
        if validator is None:
            return self
        value = _SCHEMA_SLOT.__get__(validator, owner)
        if type(value) is _Later:
            value = value.build()
            _SCHEMA_SLOT.__set__(validator, value)
        return value

    def __set__(self, validator: Validator, value: Any) -> None:
        _SCHEMA_SLOT.__set__(validator, value)


setattr(Validator, "schema", _Schema())  # noqa: B010


def _compiled(
    schema: Any, declared: Declared | None, source: tuple[str, Sequence[str], bool] | None
) -> Any:
    """The reference compiled for ``schema``: in its declared dialect (``declared``), or
    from its own JSON text (``source``), capped only if a pattern could read the cap, or
    from the document."""
    if declared is not None:
        return _reference_validator(declared.declared, declared.dialect, validate_formats=True)
    if source is not None:
        return _reference_validator(source[0], capped=source[2], validate_formats=True)
    return _reference_validator(schema, validate_formats=True)


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


def _read_as_json_first(decide: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``decide`` (another backend's ``is_valid``) behind a check that the payload is a
    value jsonschema-rs reads as JSON, handed over as the reference reads it.

    python-jsonschema and fastjsonschema take any Python value (``{1: 2}`` as an object,
    a ``str`` subclass past ``maxLength``) where the reference raises ``ValueError``,
    which the validator calls invalid (``payload-not-json``) whichever backend decides.
    The whole payload is checked (the reference reads only what its keywords reach), so
    this refuses at least what it refuses. And where the reference reads a value as
    another JSON value than its Python type says (a ``tuple`` is an array, an enum
    member is its value), the backend is given that JSON value (:func:`_plain`):
    python-jsonschema reads a tuple as no array at all."""

    def read_then_decide(payload: Any) -> bool:
        reason, converts = _json_reading(payload)
        if reason is not None:
            raise ValueError(reason)
        return decide(_plain(payload) if converts else payload)

    return read_then_decide


_JSON_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


def _json_reading(value: Any) -> tuple[str | None, bool]:
    """Why jsonschema-rs would not read ``value`` as JSON (a key that is no ``str`` or
    ``str`` enum, a value of another type than its own: exact scalars, enums by value,
    dicts, lists and exact tuples; a tuple subclass is refused), or ``None``; and
    whether it holds a tuple or an enum member, which the reference reads as another
    type (:func:`_plain`). Iterative: the caller has bounded the depth."""
    converts = False
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in _JSON_SCALAR_TYPES:
            continue
        if isinstance(node, enum.Enum):
            converts = True
            stack.append(node.value)
        elif isinstance(node, dict):
            for key in node:
                if type(key) is str:
                    continue
                if not (isinstance(key, str) and isinstance(key, enum.Enum)):
                    return f"a dict key of type {type(key).__name__}", converts
                converts = True
            stack.extend(node.values())
        elif isinstance(node, list) or kind is tuple:
            converts = converts or kind is tuple
            stack.extend(node)
        elif kind is Decimal:
            # Parsed text keeps a number no float holds (1e-400) as a Decimal: this
            # backend would judge the float it rounds to, the reference reads it exactly.
            return (
                "a number no float holds exactly (a Decimal: the default backend, "
                "jsonschema-rs, validates it as written)"
            ), converts
        else:
            return f"a value of type {kind.__name__}", converts
    return None, converts


def _json_value(value: Any) -> Any:
    """An enum member's value, as the reference reads it (an enum of enums too)."""
    while isinstance(value, enum.Enum):
        value = value.value
    return value


def _plain(value: Any) -> Any:
    """A copy of ``value`` (one :func:`_json_reading` accepts) that is the JSON value
    jsonschema-rs reads it as: every tuple a list, every enum member (and enum key) its
    value, every dict and list plain. Iterative: the caller has bounded the depth."""
    root = _json_value(value)
    out = _empty_like(root)
    stack = [(root, out)]
    while stack:
        source, copy = stack.pop()
        if isinstance(source, dict):
            for key, raw in source.items():
                item = _json_value(raw)
                copy[_json_value(key)] = child = _empty_like(item)
                if child is not item:
                    stack.append((item, child))
        elif isinstance(source, list | tuple):
            for raw in source:
                item = _json_value(raw)
                copy.append(child := _empty_like(item))
                if child is not item:
                    stack.append((item, child))
    return out


def _empty_like(value: Any) -> Any:
    """A new empty dict or list for a container (filled by :func:`_plain`), else the
    scalar itself."""
    if isinstance(value, dict):
        return {}
    if isinstance(value, list | tuple):
        return []
    return value


_CONTAINERS = (dict, list, tuple)


def _short(message: str) -> str:
    if len(message) <= _MAX_MESSAGE:
        return message
    return f"{message[: _MAX_MESSAGE - 30]}... ({len(message)} characters)"


def _issue(
    error: Any, known: dict[tuple[str | int, ...], tuple[str, str]] | None = None
) -> ValidationIssue:
    """A reference error as an issue: the schema path is the evaluation path (it keeps
    the ``$ref`` it went through, so it names where the keyword was reached).

    ``known``: the schema paths and keywords of evaluation paths met before (a
    validator's; they depend on the schema alone, except ``falseSchema``'s).
    """
    message = error.message
    path = error.evaluation_path
    if known is None or message.startswith(_FALSE_SCHEMA):
        schema_path, keyword = _pointer_of(path), _keyword(error)
    else:
        key = tuple(path)
        found = known.get(key)
        if found is None:
            found = (_pointer_of(path), _keyword(error))
            if len(known) < _KNOWN_PATHS:
                known[key] = found
        schema_path, keyword = found
    return new_validation_issue(
        _pointer_of(error.instance_path),
        schema_path,
        keyword,
        message if len(message) <= _MAX_MESSAGE else _short(message),
    )


# Evaluation paths remembered per validator: a schema has a bounded number of keyword
# locations, but one that recurses reaches them along ever longer paths.
_KNOWN_PATHS = 4096


def _pointer_of(tokens: list[str | int]) -> str:
    """:func:`accord.core.pointer.from_parts`, without escaping when no token needs it."""
    count = len(tokens)
    # One format call writes the whole path: "{}" writes a str token as itself and an
    # int as str() does (the reference's tokens are exactly str and int).
    text = (_SLASHES[count] if count < len(_SLASHES) else "/{}" * count).format(*tokens)
    if "~" in text or text.count("/") != count:
        return _pointer.from_parts(tokens)
    return text


_SLASHES = tuple("/{}" * count for count in range(32))


# --- the pure-Python backend: python-jsonschema with ECMA-262 patterns -----------------


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

    Past 2**53 the two readings part: jsonschema-rs reads a float (and an integer beside
    a float divisor) by its binary value, and a ``Decimal`` by its own conversions
    (``1e23`` is no multiple of ``5`` there, ``1.8e-389`` a multiple of ``1e400``). Such
    a number is decided by the reference itself (a differential test across magnitudes
    holds the two together: tests/hostile/test_python_backend_multiple_of.py).
    """
    if isinstance(value, int) and isinstance(divisor, int):
        return divisor != 0 and value % divisor == 0
    if not (_read_alike(value) and _read_alike(divisor)):
        from accord.validation.reference import is_valid as reference_is_valid

        return reference_is_valid({"multipleOf": divisor}, value)
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


# Below this magnitude every integer is a float exactly: an int or float payload and
# divisor are read alike by the decimal reading here and the reference's binary one.
_EXACT_FLOATS = 2**53


def _read_alike(number: Any) -> bool:
    """Whether ``number`` is one the reference reads as its shortest decimal spelling:
    a plain int or a finite float under 2**53 in magnitude (not a ``Decimal``)."""
    return type(number) in (int, float) and -_EXACT_FLOATS < number < _EXACT_FLOATS


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


@lru_cache(maxsize=1)
def _python_class() -> Any:
    """python-jsonschema reaching the reference's verdicts: ECMA-262 patterns (regress,
    or the reference's engine where regress could backtrack), exact ``multipleOf``,
    linear ``uniqueItems``; formats come from :func:`accord.validation.formats.format_checker`."""
    from jsonschema.validators import extend

    base = py_validator_class("2020-12")
    keywords = {
        "multipleOf": _multiple_of,
        "uniqueItems": _unique_items,
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        "unevaluatedProperties": _unevaluated_properties,
    }
    return extend(base, keywords)
