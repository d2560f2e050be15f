"""The compatibility layer: rules, change reports, modes and bumps.

``diff(old, new)`` compares two schemas (dicts, ``old_path=`` files or ``old_ref=``
registry references) and
returns a :class:`Report`; ``check_version(registry, id, version)`` checks a registry
version against its predecessors under the contract's mode. The compatibility rules
are :data:`RULES` (each a detector and its record in the one rule catalogue,
:mod:`accord.core.rules`, which also holds the lint and gate rules; ``accord rules``
lists them all and ``docs/rules.md`` is generated from it).

Layer: may import :mod:`accord.registry`, :mod:`accord.payloads`,
:mod:`accord.validation`, :mod:`accord.core` and the kernel modules; nothing above.
"""

from __future__ import annotations

from accord.compat._diff import check_version, classify, diff
from accord.compat._report import (
    FORMAT_VERSION,
    MODES,
    Change,
    DirectionResult,
    Report,
    render_markdown,
    render_text,
    required_directions,
)
from accord.compat._rules import RULES, Rule, render_rules_markdown, rule_for
from accord.compat._types import (
    DEFAULT_MAX_STEPS,
    Comparison,
    Removal,
    Verdict,
    Witness,
)

__all__ = [
    "DEFAULT_MAX_STEPS",
    "FORMAT_VERSION",
    "MODES",
    "RULES",
    "Change",
    "Comparison",
    "DirectionResult",
    "Removal",
    "Report",
    "Rule",
    "Verdict",
    "Witness",
    "check_version",
    "classify",
    "diff",
    "render_markdown",
    "render_rules_markdown",
    "render_text",
    "required_directions",
    "rule_for",
]
