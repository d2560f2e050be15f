"""The one exception hierarchy of accord.

Every failure accord raises on bad input is an :class:`AccordError` carrying a stable
``code``, the ``file`` and JSON ``pointer`` at fault and a message a person can act on.
Each class also subclasses the builtin it specialises, so ``except ValueError`` keeps
working for callers that do not know accord.

::

    AccordError(Exception)                     code: accord-error
    ├── InvalidVersion(AccordError, ValueError)        invalid-version
    ├── InvalidRange(AccordError, ValueError)          invalid-range
    ├── InvalidReference(AccordError, ValueError)      invalid-reference
    ├── ContractNotFound(AccordError, KeyError)        contract-not-found
    ├── VersionNotFound(AccordError, LookupError)      version-not-found
    ├── DocumentError(AccordError, ValueError)         invalid-document
    │   (malformed JSON, duplicate keys, NaN, bad UTF-8, too big, too deep, ...)
    ├── SchemaError(AccordError, ValueError)           invalid-schema
    │   └── RefError(SchemaError)                      ref-unresolvable, ref-remote, ...
    ├── ConfigError(AccordError, ValueError)           invalid-config
    ├── RegistryError(AccordError, ValueError)         registry-invalid
    │   (carries every problem found while loading, as ``problems``)
    ├── LockError(AccordError, ValueError)             lock-mismatch
    ├── UsageError(AccordError, ValueError)            usage
    ├── ProviderError(AccordError, ValueError)         provider-error, provider-state-missing,
    │   (provider verification and deployment records)  interaction-unsafe-path, ...
    ├── ContractMismatch(AccordError, ValueError)      contract-mismatch, contract-unproven,
    │   (startup check failed; findings, mismatches)   contract-unresolved, generated-code-stale,
    │                                                  generated-code-edited
    ├── CodegenError(AccordError, ValueError)          codegen-failed, codegen-unsafe-output,
    │                                                  codegen-unavailable, codegen-unstable-name
    ├── ContractViolation(AccordError, ValueError)     contract-violation
    │   (a payload failed validation; carries every error)
    └── IncompatibleChange(AccordError, ValueError)    incompatible-change
        (``Report.raise_for_incompatible()``)

Codes are stable: tools and tests match on ``code``, never on message text. A
``Problem`` is the data form of one error (used by lint, which collects many).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from accord._dataclass_methods import frozen_dataclass, generated_methods

Severity = Literal["error", "warning"]


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class Problem:
    """One problem found in the registry, as data.

    Attributes:
        code: Stable kebab-case id, e.g. ``json-duplicate-key``.
        message: What is wrong and what to do about it.
        file: Path of the offending file, relative to the registry root when inside it.
        pointer: JSON pointer inside the file ("" for the whole document).
        line: 1-based line, when known (malformed JSON).
        column: 1-based column, when known.
        severity: ``error`` or ``warning`` (lint rules may be downgraded).
    """

    code: str
    message: str
    file: str | None = None
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(
        "code", "message", "file", "pointer", "line", "column", "severity"
    )

    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        code: str,
        message: str,
        file: str | None = None,
        pointer: str = "",
        line: int | None = None,
        column: int | None = None,
        severity: Severity = "error",
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "pointer", pointer)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "column", column)
        object.__setattr__(self, "severity", severity)

    def location(self) -> str:
        """``file:line:col#pointer`` as far as it is known (control characters escaped)."""
        from accord.core.text import escape_control

        where = escape_control(self.file) if self.file else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f"#{escape_control(self.pointer)}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.code}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``--format json``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class AccordError(Exception):
    """Base of every error accord raises on bad input.

    Attributes:
        code: Stable kebab-case id of the failure.
        file: The file at fault, if any.
        pointer: JSON pointer inside ``file`` ("" when the whole file is at fault).
        ref: The contract reference involved, if any.
    """

    default_code = "accord-error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        file: str | None = None,
        pointer: str = "",
        ref: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.file = file
        self.pointer = pointer
        self.ref = ref
        self.line = line
        self.column = column

    def problem(self) -> Problem:
        """This error as a :class:`Problem` record."""
        return Problem(
            code=self.code,
            message=self.message,
            file=self.file,
            pointer=self.pointer,
            line=self.line,
            column=self.column,
        )

    def __str__(self) -> str:
        prefix = self.problem().location() if (self.file or self.pointer) else ""
        return f"{prefix}: {self.message}" if prefix else self.message


class InvalidVersion(AccordError, ValueError):
    """A string is not a SemVer 2.0.0 version accord accepts."""

    default_code = "invalid-version"


class InvalidRange(AccordError, ValueError):
    """A version range does not parse."""

    default_code = "invalid-range"


class InvalidReference(AccordError, ValueError):
    """A contract reference (``ns.name@range``) does not parse."""

    default_code = "invalid-reference"


class ContractNotFound(AccordError, KeyError):
    """No contract with this id exists in the registry."""

    default_code = "contract-not-found"

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return AccordError.__str__(self)


class VersionNotFound(AccordError, LookupError):
    """The contract exists but no (non-yanked) version matches."""

    default_code = "version-not-found"


class DocumentError(AccordError, ValueError):
    """A JSON or TOML document cannot be read safely."""

    default_code = "invalid-document"


class SchemaError(AccordError, ValueError):
    """A JSON Schema is invalid or uses something accord refuses."""

    default_code = "invalid-schema"


class RefError(SchemaError):
    """A ``$ref`` cannot be resolved inside the registry."""

    default_code = "ref-unresolvable"


class ConfigError(AccordError, ValueError):
    """``accord.toml``, ``contract.toml`` or ``[tool.accord]`` is invalid."""

    default_code = "invalid-config"


class RegistryError(AccordError, ValueError):
    """Loading the registry found problems; ``problems`` lists every one."""

    default_code = "registry-invalid"

    def __init__(self, problems: list[Problem], *, root: str | None = None) -> None:
        from accord.core.text import plural

        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else (problems[0] if problems else None)
        summary = f"{plural(len(errors), 'problem')} in registry"
        if root:
            summary += f" {root}"
        if first is not None:
            summary += f"; first: {first}"
        super().__init__(
            summary,
            code=first.code if first else None,
            file=first.file if first else None,
            pointer=first.pointer if first else "",
        )
        self.problems = problems
        self.root = root


class LockError(AccordError, ValueError):
    """``accord.lock`` and the version files disagree."""

    default_code = "lock-mismatch"


class UsageError(AccordError, ValueError):
    """The command line or an API call was used wrongly."""

    default_code = "usage"


class CodegenError(AccordError, ValueError):
    """Code generation failed: the generator is missing or produced code accord refuses.

    Codes: ``codegen-unsafe-output`` (the AST allow-list refused the output),
    ``codegen-unavailable`` (datamodel-code-generator is not installed or not the pinned
    version), ``codegen-unstable-name`` (an attribute is not the one ``field_attr``
    promises), ``codegen-failed`` (the generator raised).
    """

    default_code = "codegen-failed"


_to_json_path: Callable[[str], str] | None = None


def _import_to_json_path() -> Callable[[str], str]:
    # accord.core imports this module, so its pointer helper is imported on first use,
    # and kept: every ContractViolation message names a JSONPath (an import statement
    # on that path costs as much as the conversion).
    global _to_json_path  # noqa: PLW0603 - imported once, on first use
    from accord.core.pointer import pointer_to_json_path

    _to_json_path = pointer_to_json_path
    return pointer_to_json_path


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ValidationIssue:
    """One validation error, shaped like jsonschema's.

    Attributes:
        instance_path: JSON pointer into the payload.
        schema_path: JSON pointer into the schema.
        keyword: The failing keyword (``required``, ``type``, ...).
        message: Human-readable message.
    """

    instance_path: str
    schema_path: str
    keyword: str
    message: str

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(
        "instance_path", "schema_path", "keyword", "message"
    )

    def __init__(self, instance_path: str, schema_path: str, keyword: str, message: str) -> None:
        object.__setattr__(self, "instance_path", instance_path)
        object.__setattr__(self, "schema_path", schema_path)
        object.__setattr__(self, "keyword", keyword)
        object.__setattr__(self, "message", message)

    @property
    def json_path(self) -> str:
        """The instance path as a JSONPath (``$.items[0].sku``)."""
        return (_to_json_path or _import_to_json_path())(self.instance_path)

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``--format json``."""
        return {
            "instance_path": self.instance_path,
            "json_path": self.json_path,
            "schema_path": self.schema_path,
            "keyword": self.keyword,
            "message": self.message,
        }


def _slot_setters() -> Callable[[str, str, str, str], ValidationIssue]:
    """A builder of :class:`ValidationIssue` that fills its slots through their own
    descriptors: the frozen dataclass's ``__init__`` sets each field with
    ``object.__setattr__`` (a method-wrapper call and a type lookup by name per field),
    half the cost of an explanation's issue. The object is the same: the class, every
    field (the builder sets exactly the dataclass's fields, in order:
    tests/core/test_errors.py), and the frozen class's refusal to change one."""
    new = object.__new__
    slots = ValidationIssue.__dict__
    set_instance_path = slots["instance_path"].__set__
    set_schema_path = slots["schema_path"].__set__
    set_keyword = slots["keyword"].__set__
    set_message = slots["message"].__set__

    def build(instance_path: str, schema_path: str, keyword: str, message: str) -> ValidationIssue:
        issue: ValidationIssue = new(ValidationIssue)
        set_instance_path(issue, instance_path)
        set_schema_path(issue, schema_path)
        set_keyword(issue, keyword)
        set_message(issue, message)
        return issue

    return build


new_validation_issue = _slot_setters()
"""``ValidationIssue(instance_path, schema_path, keyword, message)``, built faster (for
the validator, which builds one per error)."""


class ContractViolation(AccordError, ValueError):
    """A payload is not valid under a contract.

    Attributes:
        errors: The errors listed (at most the validator's ``max_errors``).
        best_match: The error to show first.
        omitted: How many more errors were found and not listed.
        omitted_lower_bound: The explanation stopped counting (its work is bounded),
            so there may be more than ``omitted``.
    """

    default_code = "contract-violation"

    def __init__(
        self,
        ref: str,
        errors: list[ValidationIssue],
        *,
        best_match: ValidationIssue | None = None,
        omitted: int = 0,
        omitted_lower_bound: bool = False,
    ) -> None:
        self.errors = errors
        self.omitted = omitted
        self.omitted_lower_bound = omitted_lower_bound
        self.best_match = best_match or (errors[0] if errors else None)
        head = (
            f"{self.best_match.json_path}: {self.best_match.message}"
            if self.best_match
            else "invalid"
        )
        if not head.isprintable():
            # It quotes the payload (a key holding a newline or ESC, as sent): escaped,
            # so a service logging str(exc) writes one line of its own. (The check is
            # C code; the escape is imported only for such a message.)
            from accord.core.text import escape_control

            head = escape_control(head)
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        if omitted or omitted_lower_bound:
            more += f" (+{omitted}{' or more' if omitted_lower_bound else ''} not listed)"
        super().__init__(
            f"payload violates {ref}: {head}{more}",
            ref=ref,
            pointer=self.best_match.instance_path if self.best_match else "",
        )


class ContractMismatch(AccordError, ValueError):
    """A service's model does not conform to the contract version it requires.

    Codes: ``contract-mismatch`` (refuted: a witness payload shows it),
    ``contract-unproven`` (the engine could neither prove nor refute, ``strict=True``),
    ``contract-unresolved`` (the pinned range no longer selects a version),
    ``generated-code-stale`` (generated code's sha256 differs from the registry file),
    ``generated-code-edited`` (a generated module's sha256 differs from the one its
    package's ``_accord_manifest.json`` lists: edited after ``accord codegen``).

    Attributes:
        ref: The contract version checked (``orders.order-placed@1.2.0``), or the
            reference as written when it did not resolve.
        role: ``producer`` or ``consumer``.
        model: The model's qualified name (``orders_service.events:OrderPlaced``).
        findings: Every reason, first the one to fix first.
        mismatches: From :func:`check_service`: every failed check (this one first).
    """

    default_code = "contract-mismatch"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        ref: str | None = None,
        role: str | None = None,
        model: str | None = None,
        findings: Iterable[Any] = (),
        mismatches: Iterable[ContractMismatch] = (),
    ) -> None:
        super().__init__(message, code=code, ref=ref)
        self.role = role
        self.model = model
        self.findings: tuple[Any, ...] = tuple(findings)
        self.mismatches: tuple[ContractMismatch, ...] = tuple(mismatches) or (self,)

    @property
    def field(self) -> str | None:
        """JSONPath of the first field at fault (``$.line_items[0].quantity``)."""
        return self.findings[0].field if self.findings else None

    @property
    def rule(self) -> str | None:
        """Rule id of the first finding (a compat rule id, ``serialization-probe``, ...)."""
        return self.findings[0].rule if self.findings else None

    @property
    def witness(self) -> Any:
        """The first finding's witness payload (``None`` when it has none)."""
        return self.findings[0].witness if self.findings else None


class ProviderError(AccordError, ValueError):
    """Provider verification or a deployment record cannot proceed on this input.

    Codes: ``provider-state-missing``, ``provider-state-duplicate``,
    ``provider-state-params``, ``provider-state-failed``, ``message-producer-missing``,
    ``message-producer-duplicate``, ``interaction-unsafe-path``,
    ``interaction-unsafe-header``, ``provider-remote-refused``, ``provider-url-invalid``,
    ``provider-app-invalid``, ``record-lock-timeout``, ``environment-invalid``,
    ``record-bad-name``, ``not-deployed``, ``provider-unverifiable`` (``provider_cases``:
    selectors naming what cannot be verified); a name nothing records: ``provider-unknown``,
    ``consumer-unknown``, ``service-unknown``, ``environment-unknown``, ``version-unknown``.
    """

    default_code = "provider-error"


class IncompatibleChange(AccordError, ValueError):
    """Raised by ``Report.raise_for_incompatible()``; ``report`` holds the findings."""

    default_code = "incompatible-change"

    def __init__(self, message: str, *, report: Any = None) -> None:
        super().__init__(message)
        self.report = report
