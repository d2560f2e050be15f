"""The compatibility rules: their detectors, each registered against its record.

A rule names one kind of schema change (``max-length-decreased``,
``property-added-required``). Each is a small pure function registered once with the
:func:`rule` decorator, which builds its record in the one rule catalogue
(:class:`accord.core.rules.RuleSpec`, family ``compat``): a stable kebab-case id (never
reused, unique across families), a one-sentence description (its docstring's first
line), the directions it can break, the bump it requires when it breaks no direction
the mode requires, its default severity, the JSON type whose keywords it compares, an
example ``(old, new)`` pair, its mirror rule (or a written waiver) and its migration
hint. :data:`RULES` maps each id to its record and detector.

Rules only *detect*: given one instance location seen from both sides (a
:class:`Site`), a rule yields :class:`Hit` records. Whether a hit really breaks a
direction, and the witness proving it, are decided by ``_diff`` with the semantic
engine, so a rule never has to reason about meaning: it names what changed.

A location is viewed as its *conjuncts* (:class:`View`): the schema itself, its
``allOf`` members and its ``$ref`` targets, so moving a subschema into ``$defs`` or
splitting an object across ``allOf`` does not look like a change. A two-branch
``anyOf``/``oneOf`` whose other branch is ``{"type": "null"}`` (how Pydantic writes
``Optional``) is read as its non-null branch plus ``null``.

The detectors live by topic, in registration (catalogue) order: :mod:`._rules_properties`,
:mod:`._rules_types`, :mod:`._rules_numbers`, :mod:`._rules_strings`,
:mod:`._rules_objects`, :mod:`._rules_arrays`, :mod:`._rules_combinators`,
:mod:`._rules_annotations`; what they see is in :mod:`._site` and how they register in
:mod:`._register`. This module imports them in that order and is the one place the rest of
the engine imports rules from.
"""

from __future__ import annotations

from collections.abc import Mapping

# isort: off
# Registration order is catalogue order (docs, `accord rules`, the walker): keep it.
from accord.compat import _rules_properties  # noqa: F401 - registers its rules
from accord.compat import _rules_types  # noqa: F401 - registers its rules
from accord.compat import _rules_numbers  # noqa: F401 - registers its rules
from accord.compat import _rules_strings  # noqa: F401 - registers its rules
from accord.compat import _rules_objects  # noqa: F401 - registers its rules
from accord.compat import _rules_arrays  # noqa: F401 - registers its rules
from accord.compat import _rules_combinators  # noqa: F401 - registers its rules
from accord.compat import _rules_annotations  # noqa: F401 - registers its rules

# isort: on
from accord.compat._register import Rule, registered, rule
from accord.compat._rules_combinators import combinator_groups, match_branches
from accord.compat._site import (
    ANNOTATIONS,
    BACKWARD,
    BOTH,
    DELETE,
    FORWARD,
    NEITHER,
    Hit,
    PatchOp,
    Site,
    View,
    canon,
    resolve_local,
    show,
)
from accord.core import rules as _catalogue
from accord.core.memo import canonical_text

__all__ = [
    "ANNOTATIONS",
    "BACKWARD",
    "BOTH",
    "DELETE",
    "FALLBACK_RULES",
    "FORWARD",
    "NEITHER",
    "RULES",
    "Hit",
    "PatchOp",
    "Rule",
    "Site",
    "View",
    "canon",
    "canonical_text",
    "combinator_groups",
    "match_branches",
    "render_rules_markdown",
    "resolve_local",
    "rule",
    "rule_for",
    "show",
]

RULES: Mapping[str, Rule] = registered
"""Every rule, by id, in catalogue order."""

FALLBACK_RULES = frozenset(r.id for r in RULES.values() if r.fallback)
"""Rules the walker emits when no more specific rule explains the engine's finding."""


def rule_for(rule_id: str) -> Rule:
    """The rule ``rule_id``.

    Raises:
        KeyError: unknown id.
    """
    return RULES[rule_id]


def render_rules_markdown() -> str:
    """The whole rule catalogue, every family, as Markdown (``docs/rules.md``)."""
    return _catalogue.render_markdown()
