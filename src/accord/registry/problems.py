"""The registry problems: every lint rule id with its one-line description, which rules
``[lint.rules]`` in ``accord.toml`` may override, and applying those overrides. The
records live in the one rule catalogue (:mod:`accord.core.rules`); the loader
(:mod:`accord.registry.model`) and ``accord lint`` (:mod:`accord.gate.lint`) read them
from there, so the loader never imports lint.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from accord.core import pointer as _pointer
from accord.errors import Problem
from accord.registry.config import RegistrySettings

if TYPE_CHECKING:
    LINT_RULES: Mapping[str, str]
    """Every lint rule id -> its one-line description (from :data:`accord.core.rules.CATALOGUE`)."""

    OVERRIDABLE: frozenset[str]
    """Rule ids ``[lint.rules.<id>]`` may switch off or down to a warning."""


@functools.cache
def _catalogue() -> tuple[Mapping[str, str], frozenset[str]]:
    """``LINT_RULES`` and ``OVERRIDABLE``, read from the rule catalogue on first use: a
    registry without ``[lint.rules]`` loads without importing the catalogue."""
    from accord.core.rules import rules

    lint = sorted(rules("lint"), key=lambda r: r.id)
    summaries = MappingProxyType({r.id: r.summary for r in lint})
    return summaries, frozenset(r.id for r in lint if r.overridable)


def __getattr__(name: str) -> Any:
    if name == "LINT_RULES":
        return _catalogue()[0]
    if name == "OVERRIDABLE":
        return _catalogue()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_overrides(settings: RegistrySettings) -> list[Problem]:
    """Problems with ``[lint.rules]``: unknown ids and rules that cannot be overridden."""
    problems: list[Problem] = []
    for rule in settings.lint_rules:
        lint_rules, overridable = _catalogue()
        pointer = _pointer.from_parts(["lint", "rules", rule])
        if rule not in lint_rules:
            problems.append(
                Problem(
                    "config-unknown-key",
                    f"no lint rule {rule!r} (see `accord rules` for the ids)",
                    file=settings.file,
                    pointer=pointer,
                )
            )
        elif rule not in overridable:
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
        if override is None or problem.code not in _catalogue()[1]:
            out.append(problem)
        elif override.severity != "off":
            out.append(dataclasses.replace(problem, severity=override.severity))
    return out
