"""Reading ``accord.toml``, ``contract.toml`` and ``[tool.accord]`` strictly.

Every key is checked: an unknown key is ``config-unknown-key``, a missing required one
``config-missing-key`` and a bad value ``config-invalid-value``, each raised as a
:class:`~accord.errors.ConfigError` naming the file and a pointer-like key path
(``/rules/pattern-changed/severity``). Unparsable TOML is ``toml-malformed`` with the
line and column tomllib reports; a git conflict marker is ``json-conflict-markers`` (the
same code lint uses for JSON files), found before the TOML parser gives a vaguer error.

``accord.toml`` (registry root, optional)::

    mode = "full"                  # default compatibility mode of every contract
    max-file-bytes = 1048576       # size cap of every JSON document read (at most 16 MiB)
    max-depth = 64                 # nesting cap of every JSON document read (at most 100)
    max-items = 1000               # entries in one object or array of a schema (<= 10000)
    max-nodes = 20000              # a schema's objects and arrays, $refs followed (<= 200000)

    [lint.rules.schema-unknown-keyword]
    severity = "warning"           # "error" | "warning" | "off"
    reason = "vendor keywords used by the payments team"

    [deprecation]
    require-deprecation-before-removal = true

``contract.toml`` keys are the table in docs/design.md. ``[tool.accord]`` in a project's
``pyproject.toml`` holds tool settings only (``registry``, ``format``,
``codegen-package``, ``codegen-output``, ``manifest``); it may not carry a contract's
keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeVar, cast, get_args

from accord._dataclass_methods import FACTORY, frozen_dataclass, generated_methods
from accord.core import pointer as _pointer
from accord.core.jsondoc import read_regular
from accord.core.reasons import is_placeholder_reason
from accord.errors import AccordError, ConfigError, InvalidVersion, Problem
from accord.validation.budget import (
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_NODES,
    MAX_ITEMS_BOUND,
    MAX_NODES_BOUND,
    SchemaLimits,
)
from accord.versions import Version

_T = TypeVar("_T")

Mode = Literal[
    "backward",
    "forward",
    "full",
    "none",
    "backward-transitive",
    "forward-transitive",
    "full-transitive",
]
Kind = Literal["event", "request", "response", "record"]
Status = Literal["draft", "stable", "deprecated", "retired"]
RuleSeverity = Literal["error", "warning", "off"]

MODES: tuple[Mode, ...] = get_args(Mode)
KINDS: tuple[Kind, ...] = ("event", "request", "response", "record")
STATUSES: tuple[Status, ...] = ("draft", "stable", "deprecated", "retired")
RULE_SEVERITIES: tuple[RuleSeverity, ...] = ("error", "warning", "off")

DEFAULT_MODE: Mode = "full"
DEFAULT_MAX_FILE_BYTES = 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# Upper bounds of the caps: what every command really survives. Schema checks recurse
# (the metaschema check takes about 8 frames per nesting level), so nesting beyond 100
# levels would hit Python's default recursion limit of 1000; tests run every command
# at exactly this depth.
MAX_DEPTH_BOUND = 100
MAX_FILE_BYTES_BOUND = 16 * 1024 * 1024
# TOML files are small; a cap keeps a hostile file from being read whole.
_MAX_TOML_BYTES = 1024 * 1024

# Only [lint.rules] and malformed TOML use these: strings that re compiles (and caches) on
# first use, so loading a registry does not compile them.
_RULE_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"
_CONFLICT = r"^(<<<<<<< |=======$|>>>>>>> )"
# A line of the TOML most contract.toml and accord.toml files are written in, read
# without tomllib (importing it costs a service's boot about as much as everything else
# in this module): blank, or a bare key set to a basic string with no escape, a one-line
# array of such strings or a decimal integer, then an optional comment. The classes are
# TOML's own: a basic string or comment holds any character but the ASCII controls (tab
# is allowed), '"' and, in a string, '\'.
_PLAIN_STRING = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_PLAIN_LINE = (
    r"[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*("
    + _PLAIN_STRING
    + r"|\[[ \t]*(?:"
    + _PLAIN_STRING
    + r"[ \t]*,[ \t]*)*(?:"
    + _PLAIN_STRING
    + r"[ \t]*)?\]"
    + r"|0|[1-9][0-9]*)[ \t]*)?(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
)


@cache
def _plain_line() -> re.Pattern[str]:
    """:data:`_PLAIN_LINE` compiled, on first use: a start that reads the load snapshot
    (accord.registry.snapshot) reads no TOML at all."""
    return re.compile(_PLAIN_LINE)


_CONTRACT_KEYS = frozenset(
    {"owner", "provider", "kind", "mode", "status", "description", "tags", "yanked", "rules"}
)
_TOOL_KEYS = frozenset(
    {
        "registry",
        "format",
        "codegen-package",
        "codegen-output",
        "manifest",
        "fail-on",
        "against",
        "ignore-file",
        "ignore",
        "service",
        "pact",
        "cache-dir",
    }
)
_TOOL_FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")
_FAIL_ON = ("error", "warning", "info")


def _empty_rules() -> Mapping[str, RuleOverride]:
    return MappingProxyType({})


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class RuleOverride:
    """A rule's severity changed for one contract or the whole registry, with the reason.

    Attributes:
        rule: The rule id (``pattern-changed``, ``schema-unknown-keyword``).
        severity: ``error``, ``warning`` or ``off``.
        reason: Why; required so overrides are reviewed like code.
    """

    rule: str
    severity: RuleSeverity
    reason: str

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods("rule", "severity", "reason")

    def __init__(self, rule: str, severity: RuleSeverity, reason: str) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "reason", reason)


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class RegistrySettings:
    """Registry-wide settings from ``accord.toml`` (all defaults when it is absent).

    Attributes:
        mode: Default compatibility mode of contracts that do not set one.
        lint_rules: ``[lint.rules.<id>]`` overrides, by rule id.
        max_file_bytes: Size cap of every JSON document read from the registry.
        max_depth: Nesting cap of every JSON document read from the registry.
        limits: ``max-items`` and ``max-nodes``: the complexity budget of every schema
            (see :mod:`accord.validation.budget`).
        require_deprecation_before_removal: ``[deprecation]`` policy: a contract must be
            ``deprecated`` before it is ``retired`` or removed.
        file: The ``accord.toml`` these came from, if any.
    """

    mode: Mode = DEFAULT_MODE
    lint_rules: Mapping[str, RuleOverride] = field(default_factory=_empty_rules)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    limits: SchemaLimits = field(default_factory=SchemaLimits)
    require_deprecation_before_removal: bool = True
    file: str | None = None

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(
        "mode",
        "lint_rules",
        "max_file_bytes",
        "max_depth",
        "limits",
        "require_deprecation_before_removal",
        "file",
    )

    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        mode: Mode = DEFAULT_MODE,
        lint_rules: Mapping[str, RuleOverride] = FACTORY,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_depth: int = DEFAULT_MAX_DEPTH,
        limits: SchemaLimits = FACTORY,
        require_deprecation_before_removal: bool = True,
        file: str | None = None,
    ) -> None:
        object.__setattr__(self, "mode", mode)
        object.__setattr__(
            self, "lint_rules", _empty_rules() if lint_rules is FACTORY else lint_rules
        )
        object.__setattr__(self, "max_file_bytes", max_file_bytes)
        object.__setattr__(self, "max_depth", max_depth)
        object.__setattr__(self, "limits", SchemaLimits() if limits is FACTORY else limits)
        object.__setattr__(
            self, "require_deprecation_before_removal", require_deprecation_before_removal
        )
        object.__setattr__(self, "file", file)


def _no_yanked() -> Mapping[Version, str]:
    return MappingProxyType({})


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ContractMeta:
    """A contract's ``contract.toml``.

    Attributes:
        owner: Owning team.
        kind: ``event``, ``request``, ``response`` or ``record``.
        mode: Compatibility mode (the registry default when the file sets none).
        status: ``draft``, ``stable``, ``deprecated`` or ``retired``.
        provider: The service producing this payload, if named.
        description: Free text.
        tags: Free labels, in file order.
        yanked: Yanked version -> reason.
        rules: ``[rules.<id>]`` overrides of compatibility rules, by rule id.
    """

    owner: str
    kind: Kind
    mode: Mode = DEFAULT_MODE
    status: Status = "stable"
    provider: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    yanked: Mapping[Version, str] = field(default_factory=_no_yanked)
    rules: Mapping[str, RuleOverride] = field(default_factory=_empty_rules)

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(
        "owner", "kind", "mode", "status", "provider", "description", "tags", "yanked", "rules"
    )

    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        owner: str,
        kind: Kind,
        mode: Mode = DEFAULT_MODE,
        status: Status = "stable",
        provider: str | None = None,
        description: str | None = None,
        tags: tuple[str, ...] = (),
        yanked: Mapping[Version, str] = FACTORY,
        rules: Mapping[str, RuleOverride] = FACTORY,
    ) -> None:
        object.__setattr__(self, "owner", owner)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "provider", provider)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "yanked", _no_yanked() if yanked is FACTORY else yanked)
        object.__setattr__(self, "rules", _empty_rules() if rules is FACTORY else rules)


# ToolConfig's fields, in order: all of them are in its repr, eq and hash.
_TOOL_CONFIG_FIELDS = (
    "registry",
    "format",
    "codegen_package",
    "codegen_output",
    "manifest",
    "fail_on",
    "against",
    "ignore_file",
    "ignore",
    "service",
    "pact",
    "cache_dir",
    "source",
)


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class ToolConfig:
    """``[tool.accord]`` of the nearest ``pyproject.toml`` that has one.

    Attributes:
        registry: The registry root (resolved against the pyproject's directory).
        format: Default output format of the CLI.
        codegen_package: Python package generated models are written to.
        codegen_output: Directory generated models are written to.
        manifest: The service manifest (what the service produces and consumes).
        fail_on: ``accord check --fail-on`` default (``error``, ``warning``, ``info``).
        against: ``accord check --against`` default (a git ref).
        ignore_file: ``accord check --ignore-file`` default.
        ignore: Approved findings inline (``[[tool.accord.ignore]]``: fingerprint, reason);
            validated by the gate, which knows their shape.
        service: ``[tool.accord.service]``, the service manifest, validated by
            ``accord.check_service``.
        pact: ``[tool.accord.pact]``, the Pact import mapping, validated by the importer.
        cache_dir: The disk cache of ``check`` and ``codegen`` (:mod:`accord.core.cache`;
            ``ACCORD_CACHE_DIR`` takes precedence).
        source: The ``pyproject.toml`` read, or ``None`` when none was found.
    """

    registry: Path | None = None
    format: str | None = None
    codegen_package: str | None = None
    codegen_output: Path | None = None
    manifest: Path | None = None
    fail_on: str | None = None
    against: str | None = None
    ignore_file: Path | None = None
    ignore: tuple[Any, ...] = ()
    service: Mapping[str, Any] | None = None
    pact: Mapping[str, Any] | None = None
    cache_dir: Path | None = None
    source: Path | None = None

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods(*_TOOL_CONFIG_FIELDS)

    def __init__(  # noqa: PLR0917 - the generated __init__'s positional parameters
        self,
        registry: Path | None = None,
        format: str | None = None,
        codegen_package: str | None = None,
        codegen_output: Path | None = None,
        manifest: Path | None = None,
        fail_on: str | None = None,
        against: str | None = None,
        ignore_file: Path | None = None,
        ignore: tuple[Any, ...] = (),
        service: Mapping[str, Any] | None = None,
        pact: Mapping[str, Any] | None = None,
        cache_dir: Path | None = None,
        source: Path | None = None,
    ) -> None:
        object.__setattr__(self, "registry", registry)
        object.__setattr__(self, "format", format)
        object.__setattr__(self, "codegen_package", codegen_package)
        object.__setattr__(self, "codegen_output", codegen_output)
        object.__setattr__(self, "manifest", manifest)
        object.__setattr__(self, "fail_on", fail_on)
        object.__setattr__(self, "against", against)
        object.__setattr__(self, "ignore_file", ignore_file)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "pact", pact)
        object.__setattr__(self, "cache_dir", cache_dir)
        object.__setattr__(self, "source", source)


# -- reading ---------------------------------------------------------------------------


def read_toml(
    path: Path, *, display: str | None = None, seen: Callable[[bytes], object] | None = None
) -> dict[str, Any]:
    """Read a TOML file strictly: regular file, UTF-8, no conflict markers; ``seen`` is
    handed the bytes read, before they are parsed.

    Raises:
        ConfigError: ``path-symlink``, ``path-special-file``, ``file-not-found``,
            ``file-unreadable``, ``json-too-large``, ``json-invalid-utf8``,
            ``json-conflict-markers`` or ``toml-malformed``.
    """
    name = display or str(path)
    data = read_regular(
        path, display=name, max_bytes=_MAX_TOML_BYTES, error=ConfigError, cap_hint=""
    )
    if seen is not None:
        seen(data)
    return loads_toml(data, file=name)


def loads_toml(data: bytes | str, *, file: str | None = None) -> dict[str, Any]:
    """Parse TOML text, turning every failure into a :class:`ConfigError`."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"invalid UTF-8 at byte {exc.start}: TOML files must be UTF-8",
                code="json-invalid-utf8",
                file=file,
            ) from None
    else:
        text = data
    marker = re.search(_CONFLICT, text, re.MULTILINE)
    if marker is not None:
        marker_line = text.count("\n", 0, marker.start()) + 1
        raise ConfigError(
            "git conflict marker found: resolve the merge conflict first",
            code="json-conflict-markers",
            file=file,
            line=marker_line,
            column=1,
        )
    plain = _plain_toml(text)
    if plain is not None:
        return plain
    import tomllib  # the boot path's files are plain: only other TOML pays for it

    try:
        return tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per nested array or inline table: a few thousand levels
        # fit in the size cap.
        raise ConfigError(
            "malformed TOML: arrays or inline tables nested too deeply",
            code="toml-malformed",
            file=file,
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = re.search(_TOML_POSITION, message)
        line: int | None = int(position.group(1)) if position else None
        column: int | None = int(position.group(2)) if position else None
        if position is None and "(at end of document)" in message:
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
        reason = re.sub(_TOML_POSITION, "", message).replace("(at end of document)", "").strip()
        raise ConfigError(
            f"malformed TOML: {reason}",
            code="toml-malformed",
            file=file,
            line=line,
            column=column,
        ) from None


def _plain_toml(text: str) -> dict[str, Any] | None:
    """The table ``tomllib.loads(text)`` returns, when every line of ``text`` is a
    :data:`_PLAIN_LINE` and no key repeats; else ``None``, and tomllib parses it (and
    words any error). Such a line means in TOML what it means here: a string holds its
    characters as written (there is no escape to decode), an array is the list of its
    strings, an integer its decimal value. A carriage return is no plain line's: CRLF
    files go to tomllib. tests/registry/test_config.py holds this to tomllib."""
    table: dict[str, Any] = {}
    plain_line = _plain_line().fullmatch
    for line in text.split("\n"):
        match = plain_line(line)
        if match is None:
            return None
        key, value = match.groups()
        if key is None:  # blank or a comment
            continue
        if key in table:
            return None  # tomllib's error
        if value[0] == '"':
            table[key] = value[1:-1]
        elif value[0] == "[":
            # No string holds a '"': the text between the quotes is the strings.
            table[key] = value.split('"')[1::2]
        else:
            table[key] = int(value)
    return table


# -- validation helpers ----------------------------------------------------------------


class _Keys:
    """Checks one TOML table: pops known keys, then refuses what is left."""

    def __init__(self, table: Mapping[str, Any], *, file: str | None, path: tuple[str, ...]):
        self._table = dict(table)
        self._file = file
        self._path = path

    def pointer(self, *keys: str) -> str:
        return _pointer.from_parts([*self._path, *keys])

    def error(self, code: str, message: str, *keys: str) -> ConfigError:
        return ConfigError(message, code=code, file=self._file, pointer=self.pointer(*keys))

    def take(self, key: str) -> Any:
        return self._table.pop(key, None)

    def required(self, key: str) -> Any:
        if key not in self._table:
            raise self.error("config-missing-key", f"required key {key!r} is missing", key)
        return self._table.pop(key)

    def string(self, key: str, *, required: bool = False) -> str | None:
        value = self.required(key) if required else self.take(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error("config-invalid-value", f"{key!r} must be a non-empty string", key)
        return value

    def service(self, key: str) -> str | None:
        """A service's name (``provider``): the name ``accord verify --provider``,
        verification records and deployment records use, so a name they cannot carry
        (a path, spaces, capitals) would tie a contract to no service at all."""
        value = self.string(key)
        if value is None:
            return None
        from accord.errors import InvalidReference
        from accord.registry.names import validate_name

        try:
            validate_name(value, what=key)
        except InvalidReference as exc:
            raise self.error(
                "config-invalid-value",
                f"{exc.message}; {key!r} names the service that produces the payload, as "
                "`accord verify --provider` and its records do",
                key,
            ) from None
        return value

    def path(self, key: str) -> str | None:
        """A non-empty string naming a file or directory: no NUL, which TOML can spell
        (``"\\u0000"``) and no path can hold (it was a ``ValueError`` at first use)."""
        value = self.string(key)
        if value is not None and "\x00" in value:
            raise self.error("config-invalid-value", f"{key!r} holds a NUL character", key)
        return value

    def choice(self, key: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.required(key) if required else self.take(key)
        if value is None:
            return None
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            raise self.error(
                "config-invalid-value", f"{key!r} is {value!r}; expected one of {allowed}", key
            )
        return cast(str, value)

    def positive_int(self, key: str, *, at_most: int | None = None) -> int | None:
        value = self.take(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error("config-invalid-value", f"{key!r} must be a positive integer", key)
        if at_most is not None and value > at_most:
            raise self.error(
                "config-invalid-value",
                f"{key!r} is {value}, over its upper bound of {at_most} "
                "(beyond it accord cannot honour the cap safely)",
                key,
            )
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.take(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error("config-invalid-value", f"{key!r} must be true or false", key)
        return value

    def table(self, key: str) -> dict[str, Any] | None:
        value = self.take(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error("config-invalid-value", f"{key!r} must be a table", key)
        return value

    def done(self, *, hint: str = "") -> None:
        for error in self.unknown(hint=hint):
            raise error

    def unknown(self, *, hint: str = "") -> list[ConfigError]:
        """An error for each key left (none was known)."""
        return [
            self.error("config-unknown-key", f"unknown key {key!r}{hint}", key)
            for key in sorted(self._table)
        ]


def _rule_overrides(
    table: Mapping[str, Any], *, file: str | None, path: tuple[str, ...]
) -> Mapping[str, RuleOverride]:
    rules: dict[str, RuleOverride] = {}
    for rule_id in sorted(table):
        where = (*path, rule_id)
        if not re.match(_RULE_ID, rule_id):
            raise ConfigError(
                f"rule id {rule_id!r} is not kebab-case",
                code="config-invalid-value",
                file=file,
                pointer=_pointer.from_parts(where),
            )
        body = table[rule_id]
        if not isinstance(body, dict):
            raise ConfigError(
                f"[{'.'.join(where)}] must be a table with severity and reason",
                code="config-invalid-value",
                file=file,
                pointer=_pointer.from_parts(where),
            )
        keys = _Keys(body, file=file, path=where)
        severity = keys.choice("severity", RULE_SEVERITIES, required=True)
        reason = keys.string("reason", required=True)
        keys.done()
        assert severity is not None
        assert reason is not None
        if is_placeholder_reason(reason):  # as an ignore entry's: an override must say why
            raise keys.error(
                "config-invalid-value",
                f"[{'.'.join(where)}] reason {reason!r} is a placeholder: say why this rule "
                f"is {severity} here (who decided, where it was reviewed)",
                "reason",
            )
        rules[rule_id] = RuleOverride(
            rule=rule_id, severity=cast(RuleSeverity, severity), reason=reason
        )
    return MappingProxyType(rules)


# -- accord.toml -----------------------------------------------------------------------


def parse_registry_settings(
    data: Mapping[str, Any], *, file: str | None = None
) -> RegistrySettings:
    """Validate a parsed ``accord.toml``.

    Raises:
        ConfigError: on unknown keys or bad values.
    """
    keys = _Keys(data, file=file, path=())
    mode = keys.choice("mode", MODES) or DEFAULT_MODE
    max_bytes = (
        keys.positive_int("max-file-bytes", at_most=MAX_FILE_BYTES_BOUND) or DEFAULT_MAX_FILE_BYTES
    )
    max_depth = keys.positive_int("max-depth", at_most=MAX_DEPTH_BOUND) or DEFAULT_MAX_DEPTH
    max_items = keys.positive_int("max-items", at_most=MAX_ITEMS_BOUND) or DEFAULT_MAX_ITEMS
    max_nodes = keys.positive_int("max-nodes", at_most=MAX_NODES_BOUND) or DEFAULT_MAX_NODES
    lint_rules: Mapping[str, RuleOverride] = MappingProxyType({})
    lint = keys.table("lint")
    if lint is not None:
        lint_keys = _Keys(lint, file=file, path=("lint",))
        rules = lint_keys.table("rules")
        lint_keys.done()
        if rules is not None:
            lint_rules = _rule_overrides(rules, file=file, path=("lint", "rules"))
    require_deprecation = True
    deprecation = keys.table("deprecation")
    if deprecation is not None:
        dep_keys = _Keys(deprecation, file=file, path=("deprecation",))
        value = dep_keys.boolean("require-deprecation-before-removal")
        dep_keys.done()
        if value is not None:
            require_deprecation = value
    keys.done()
    return RegistrySettings(
        mode=cast(Mode, mode),
        lint_rules=lint_rules,
        max_file_bytes=max_bytes,
        max_depth=max_depth,
        limits=SchemaLimits(max_items=max_items, max_nodes=max_nodes),
        require_deprecation_before_removal=require_deprecation,
        file=file,
    )


def load_registry_settings(root: Path) -> RegistrySettings:
    """``<root>/accord.toml``, or the defaults when the file does not exist."""
    path = root / "accord.toml"
    if not path.exists() and not path.is_symlink():
        return RegistrySettings()
    return parse_registry_settings(read_toml(path, display="accord.toml"), file="accord.toml")


# -- contract.toml ---------------------------------------------------------------------


def parse_contract_meta(
    data: Mapping[str, Any], *, file: str | None = None, default_mode: Mode = DEFAULT_MODE
) -> ContractMeta:
    """Validate a parsed ``contract.toml``.

    Args:
        data: The parsed TOML table.
        file: Name used in errors.
        default_mode: The registry's default mode (``accord.toml``), used when the file
            sets none.

    Raises:
        ConfigError: on missing required keys, unknown keys or bad values (the first;
            :func:`contract_meta_problems` lists every one).
    """
    meta, errors = _contract_meta(data, file=file, default_mode=default_mode)
    if errors:
        raise errors[0]
    assert meta is not None
    return meta


def _contract_meta(
    data: Mapping[str, Any], *, file: str | None, default_mode: Mode, lenient: bool = False
) -> tuple[ContractMeta | None, list[ConfigError]]:
    """The contract metadata (``None`` when anything is wrong) and every error in it:
    each key is checked on its own, so one typo does not hide the next. ``lenient``:
    the metadata anyway, from the keys that are sound (:func:`_stated_meta`)."""
    errors: list[ConfigError] = []
    keys = _Keys(data, file=file, path=())

    def attempt(check: Callable[[], _T]) -> _T | None:
        try:
            return check()
        except ConfigError as exc:
            errors.append(exc)
            return None

    owner = attempt(lambda: keys.string("owner", required=True))
    kind = attempt(lambda: keys.choice("kind", KINDS, required=True))
    mode = attempt(lambda: keys.choice("mode", MODES)) or default_mode
    status = attempt(lambda: keys.choice("status", STATUSES)) or "stable"
    provider = attempt(lambda: keys.service("provider"))
    description = keys.take("description")
    if description is not None and not isinstance(description, str):
        errors.append(
            keys.error("config-invalid-value", "'description' must be a string", "description")
        )
    tags_value = keys.take("tags")
    tags: tuple[str, ...] = ()
    if tags_value is not None:
        if not isinstance(tags_value, list) or not all(
            isinstance(t, str) and t for t in tags_value
        ):
            errors.append(
                keys.error(
                    "config-invalid-value", "'tags' must be a list of non-empty strings", "tags"
                )
            )
        else:
            tags = tuple(tags_value)
    yanked: dict[Version, str] = {}
    yanked_table = attempt(lambda: keys.table("yanked")) or {}
    for text in sorted(yanked_table):
        reason = yanked_table[text]
        try:
            version = Version.parse(text)
        except (InvalidVersion, ValueError):
            errors.append(
                keys.error(
                    "config-invalid-value", f"yanked key {text!r} is not a version", "yanked", text
                )
            )
            continue
        if lenient:  # its reason refused or not: the version is yanked
            yanked[version] = reason if isinstance(reason, str) else ""
        if not isinstance(reason, str) or not reason.strip():
            errors.append(
                keys.error(
                    "config-invalid-value",
                    f"yanked {text} needs a reason (a non-empty string)",
                    "yanked",
                    text,
                )
            )
            continue
        if is_placeholder_reason(reason):  # a yank changes what ranges serve: say why
            errors.append(
                keys.error(
                    "config-invalid-value",
                    f"yanked {text} reason {reason!r} is a placeholder: say why it was yanked "
                    "(consumers read it)",
                    "yanked",
                    text,
                )
            )
            continue
        yanked.setdefault(version, reason)
    rules_table = attempt(lambda: keys.table("rules")) or {}
    rules: dict[str, RuleOverride] = {}
    for rule_id in sorted(rules_table):
        try:
            rules.update(
                _rule_overrides({rule_id: rules_table[rule_id]}, file=file, path=("rules",))
            )
        except ConfigError as exc:
            errors.append(exc)
            body = rules_table[rule_id]
            severity = body.get("severity") if isinstance(body, dict) else None
            if lenient and severity in RULE_SEVERITIES:  # its reason refused: it still weighs
                reason = body.get("reason")
                rules[rule_id] = RuleOverride(
                    rule=rule_id,
                    severity=cast(RuleSeverity, severity),
                    reason=reason if isinstance(reason, str) else "",
                )
    errors.extend(
        keys.unknown(hint=f"; contract.toml keys are {', '.join(sorted(_CONTRACT_KEYS))}")
    )
    if not lenient and (errors or owner is None or kind is None):
        return None, errors
    meta = ContractMeta(
        owner=owner or "",
        kind=cast(Kind, kind or "record"),
        mode=cast(Mode, mode),
        status=cast(Status, status),
        provider=provider,
        description=description,
        tags=tags,
        yanked=MappingProxyType(yanked),
        rules=MappingProxyType(rules),
    )
    return meta, errors


def load_contract_meta(
    path: Path, *, display: str | None = None, default_mode: Mode = DEFAULT_MODE
) -> ContractMeta:
    """Read and validate one ``contract.toml``."""
    name = display or str(path)
    return parse_contract_meta(read_toml(path, display=name), file=name, default_mode=default_mode)


def contract_meta_problems(
    path: str | Path,
    *,
    display: str | None = None,
    default_mode: Mode = DEFAULT_MODE,
    seen: Callable[[bytes], object] | None = None,
    listed: bool = False,
) -> tuple[ContractMeta | None, list[Problem]]:
    """Read one ``contract.toml`` and report *every* problem in it (lint and the
    loader), not only the first; the metadata is ``None`` when there is any. ``seen``:
    handed the file's bytes (:func:`read_toml`). ``listed``: this run's listing showed
    a regular file there (:func:`~accord.core.jsondoc.read_regular`)."""
    name = display or str(path)
    try:
        raw = read_regular(
            path,
            display=name,
            max_bytes=_MAX_TOML_BYTES,
            error=ConfigError,
            cap_hint="",
            listed=listed,
        )
    except AccordError as exc:
        return None, [exc.problem()]
    if seen is not None:
        seen(raw)
    meta = _sound_meta(raw, default_mode)
    if meta is not None:
        return meta, []
    try:  # every problem, named in this file
        data = loads_toml(raw, file=name)
    except AccordError as exc:
        return None, [exc.problem()]
    meta, errors = _contract_meta(data, file=name, default_mode=default_mode)
    return meta, [e.problem() for e in errors]


@lru_cache(maxsize=256)
def _sound_meta(raw: bytes, default_mode: Mode) -> ContractMeta | None:
    """The metadata a ``contract.toml`` with these bytes states, or ``None`` when it has
    any problem. A pure function of the bytes (the file's name only appears in problems),
    and ``ContractMeta`` is immutable: contracts whose files are the same (one team's
    ``owner`` and ``kind``) share one, parsed once."""
    try:
        data = loads_toml(raw)
    except AccordError:
        return None
    meta, errors = _contract_meta(data, file=None, default_mode=default_mode)
    return None if errors else meta


def _stated_meta(raw: bytes, default_mode: Mode) -> ContractMeta:
    """What a ``contract.toml`` with these bytes states, each key read on its own: a key
    refused (a placeholder reason, an unknown key) leaves the others standing, and a
    missing ``owner`` or ``kind`` reads as empty. The gate reads a base commit's file
    with it: one today's accord refuses (an older one accepted it) still states the mode,
    status and rules the base held the contract to. One that is not TOML (not UTF-8,
    malformed, nested past the parser) states the defaults: ``default_mode``, stable, no
    override (what a contract stating nothing is held to)."""
    meta = _sound_meta(raw, default_mode)
    if meta is not None:
        return meta
    try:
        data = loads_toml(raw)
    except AccordError:
        data = {}
    meta = _contract_meta(data, file=None, default_mode=default_mode, lenient=True)[0]
    assert meta is not None  # lenient: always some metadata
    return meta


_POLICY_KEY = "require-deprecation-before-removal"


def _stated_settings(raw: bytes) -> tuple[Mode, bool]:
    """The default mode and the removal policy an ``accord.toml`` with these bytes
    states, each read on its own as :func:`_stated_meta` reads a ``contract.toml`` (a
    value refused reads as the default); the defaults (mode full, the policy on) when it
    is not TOML."""
    try:
        data = loads_toml(raw)
    except AccordError:
        return DEFAULT_MODE, True
    try:
        settings = parse_registry_settings(data)
    except AccordError:
        mode = data.get("mode")
        table = data.get("deprecation")
        policy = table.get(_POLICY_KEY) if isinstance(table, dict) else None
        return (
            cast(Mode, mode) if mode in MODES else DEFAULT_MODE,
            policy if isinstance(policy, bool) else True,
        )
    return settings.mode, settings.require_deprecation_before_removal


# -- [tool.accord] ---------------------------------------------------------------------


def parse_tool_config(
    data: Mapping[str, Any], *, base: Path, source: Path | None = None
) -> ToolConfig:
    """Validate a ``[tool.accord]`` table; paths resolve against ``base``."""
    file = str(source) if source else None
    keys = _Keys(data, file=file, path=("tool", "accord"))
    for key in sorted(set(data) & _CONTRACT_KEYS):
        raise keys.error(
            "config-unknown-key",
            f"{key!r} is a contract key: set it in the contract's contract.toml, "
            "not in [tool.accord]",
            key,
        )
    registry = keys.path("registry")
    output_format = keys.choice("format", _TOOL_FORMATS)
    package = keys.string("codegen-package")
    output = keys.path("codegen-output")
    manifest = keys.path("manifest")
    fail_on = keys.choice("fail-on", _FAIL_ON)
    against = keys.string("against")
    ignore_file = keys.path("ignore-file")
    ignore = keys.take("ignore")
    if ignore is not None and not isinstance(ignore, list):
        raise keys.error(
            "config-invalid-value",
            "'ignore' must be an array of tables ([[tool.accord.ignore]])",
            "ignore",
        )
    service = keys.table("service")
    pact = keys.table("pact")
    cache = keys.path("cache-dir")
    keys.done(hint=f"; [tool.accord] keys are {', '.join(sorted(_TOOL_KEYS))}")
    return ToolConfig(
        registry=base / registry if registry else None,
        format=output_format,
        codegen_package=package,
        codegen_output=base / output if output else None,
        manifest=base / manifest if manifest else None,
        fail_on=fail_on,
        against=against,
        ignore_file=base / ignore_file if ignore_file else None,
        ignore=tuple(ignore or ()),
        service=MappingProxyType(dict(service)) if service is not None else None,
        pact=MappingProxyType(dict(pact)) if pact is not None else None,
        cache_dir=base / cache if cache else None,
        source=source,
    )


def find_project_config(start: Path) -> ToolConfig:
    """``[tool.accord]`` of the nearest ``pyproject.toml`` at or above ``start`` that has one.

    Like ruff, a ``pyproject.toml`` without a ``[tool.accord]`` table is passed over.
    Returns an empty :class:`ToolConfig` (``source=None``) when none is found.

    Raises:
        ConfigError: when the table found is invalid, or the file is malformed TOML.
    """
    here = start.resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if not candidate.is_file():
            continue
        data = read_toml(candidate, display=str(candidate))
        tool = data.get("tool", {})
        table = tool.get("accord") if isinstance(tool, dict) else None
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigError(
                "[tool.accord] must be a table",
                code="config-invalid-value",
                file=str(candidate),
                pointer="/tool/accord",
            )
        return parse_tool_config(table, base=directory, source=candidate)
    return ToolConfig()
