"""The registry problem catalogue: every lint rule id with its one-line description,
which rules ``[lint.rules]`` in ``accord.toml`` may override, and applying those
overrides. The loader (:mod:`accord.registry.model`) and ``accord lint``
(:mod:`accord.gate.lint`) share this one table, so the loader never imports lint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

from accord.core import pointer as _pointer
from accord.errors import Problem
from accord.registry.config import RegistrySettings

_RULES: dict[str, tuple[str, bool]] = {
    # id: (one-line description, overridable)
    "config-invalid-value": (
        "A TOML key has a value of the wrong type or outside its choices.",
        False,
    ),
    "config-missing-key": (
        "A required TOML key is missing (contract.toml owner, kind; rule reason).",
        False,
    ),
    "config-unknown-key": ("A TOML file has a key accord does not know.", False),
    "contract-toml-missing": ("A contract directory has no contract.toml.", False),
    "contract-rule-unknown": (
        "A [rules.<id>] table in contract.toml names no compatibility rule (`accord rules`).",
        False,
    ),
    "example-invalid": ("A payload under examples/<version>/valid/ fails its version.", True),
    "example-unexpectedly-valid": (
        "A payload under examples/<version>/invalid/ passes its version.",
        True,
    ),
    "file-not-found": ("A file disappeared while the registry was read.", False),
    "file-unexpected": ("A file or directory that has no place in the registry layout.", True),
    "file-unreadable": ("A file or directory cannot be read.", False),
    "format-unknown": (
        "A schema uses a `format` JSON Schema 2020-12 does not define (an annotation only).",
        True,
    ),
    "json-bom": ("A JSON file starts with a UTF-8 byte order mark.", False),
    "json-conflict-markers": ("A JSON or TOML file contains git conflict markers.", False),
    "json-duplicate-key": ("A JSON object repeats a key.", False),
    "json-empty": ("A JSON file is empty.", False),
    "json-invalid-utf8": ("A JSON or TOML file is not valid UTF-8.", False),
    "json-lone-surrogate": ("A JSON string contains an unpaired UTF-16 surrogate escape.", False),
    "json-malformed": ("A JSON file does not parse.", False),
    "json-nan": ("A JSON file contains NaN or Infinity.", False),
    "json-too-deep": ("A JSON document nests deeper than max-depth.", False),
    "json-too-large": ("A file is larger than max-file-bytes.", False),
    "lock-digest-mismatch": ("A published version file changed after it was locked.", False),
    "lock-duplicate": ("accord.lock has two lines for one version.", False),
    "lock-malformed": ("An accord.lock line is not `<contract> <version> sha256:<hex>`.", False),
    "lock-missing-file": ("accord.lock names a version whose file is missing.", False),
    "lock-unsorted": ("accord.lock lines are not sorted.", True),
    "name-collision": ("Two names differ only in `-`/`_` or case.", False),
    "name-invalid": ("A namespace or contract name breaks the name grammar.", False),
    "name-reserved": ("A name is a Windows device name.", False),
    "namespace-reserved": ("A namespace is one of the reserved directories.", False),
    "path-special-file": ("A FIFO, socket or device file is inside the registry.", False),
    "path-symlink": ("A symlink is inside the registry.", False),
    "publish-leftover": (
        "A temp file left by an interrupted `accord publish` (the next publish removes it).",
        True,
    ),
    "ref-escapes-root": ("A relative `$ref` leaves the registry root.", False),
    "ref-range-not-allowed": (
        "An accord:// `$ref` names a range instead of an exact version.",
        False,
    ),
    "ref-remote": ("A `$ref` points outside the registry (http, file, ...).", False),
    "ref-unresolvable": ("A `$ref` does not resolve inside the registry.", False),
    "registry-not-found": ("The registry root does not exist or is not a directory.", False),
    "schema-defs-conflict": (
        "A draft-07 schema defines one name in both definitions and $defs.",
        False,
    ),
    "schema-dialect-unsupported": (
        "A schema declares a `$schema` other than 2020-12 or draft-07.",
        False,
    ),
    "schema-metaschema": ("A schema is invalid under its metaschema.", False),
    "schema-ref-cycle": ("A `$ref` cycle that consumes no input.", False),
    "schema-ref-siblings-ignored": (
        "Keywords beside a draft-07 `$ref`, which draft-07 ignores.",
        True,
    ),
    "schema-ref-target-ignored": (
        "A draft-07 `$ref` points into a sibling of another `$ref`.",
        False,
    ),
    "schema-regex-invalid": ("A `pattern` is not a valid ECMA-262 regular expression.", False),
    "schema-regex-nonportable": ("A `pattern` uses regex syntax engines disagree on.", True),
    "schema-root-not-object": ("A version file's root is not an object schema.", False),
    "schema-too-complex": ("A schema is over its max-items or max-nodes budget.", False),
    "schema-unknown-keyword": ("A schema uses a keyword its dialect does not define.", True),
    "toml-malformed": ("A TOML file does not parse.", False),
    "version-file-invalid": ("A `*.schema.json` name is not a SemVer 2.0.0 version.", False),
    "version-unpublished": (
        "A version file has no accord.lock line: a draft no range or latest selects.",
        True,
    ),
    "yanked-version-missing": ("contract.toml yanks a version that has no file.", True),
}

LINT_RULES: Mapping[str, str] = MappingProxyType(
    {rule: description for rule, (description, _) in sorted(_RULES.items())}
)
"""Every lint rule id -> its one-line description."""

OVERRIDABLE: frozenset[str] = frozenset(rule for rule, (_, ok) in _RULES.items() if ok)
"""Rule ids ``[lint.rules.<id>]`` may switch off or down to a warning."""


def check_overrides(settings: RegistrySettings) -> list[Problem]:
    """Problems with ``[lint.rules]``: unknown ids and rules that cannot be overridden."""
    problems: list[Problem] = []
    for rule in settings.lint_rules:
        pointer = _pointer.from_parts(["lint", "rules", rule])
        if rule not in _RULES:
            problems.append(
                Problem(
                    "config-unknown-key",
                    f"no lint rule {rule!r} (see `accord rules` for the ids)",
                    file=settings.file,
                    pointer=pointer,
                )
            )
        elif rule not in OVERRIDABLE:
            problems.append(
                Problem(
                    "config-invalid-value",
                    f"lint rule {rule!r} cannot be overridden: without it accord cannot read "
                    "the registry safely",
                    file=settings.file,
                    pointer=pointer,
                )
            )
    return problems


def apply_overrides(problems: list[Problem], settings: RegistrySettings) -> list[Problem]:
    """Drop or downgrade problems as ``[lint.rules]`` asks (overridable rules only)."""
    out: list[Problem] = []
    for problem in problems:
        override = settings.lint_rules.get(problem.code)
        if override is None or problem.code not in OVERRIDABLE:
            out.append(problem)
        elif override.severity != "off":
            out.append(dataclasses.replace(problem, severity=override.severity))
    return out
