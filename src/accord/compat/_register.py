"""Registering compatibility rules: :func:`rule` builds a detector's record in the one
rule catalogue (:mod:`accord.core.rules`) and keeps the detector beside it; shared
migration hints and the helpers every detector uses to report a hit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.compat._site import (
    Detector,
    Hit,
    Site,
)
from accord.compat._types import Direction
from accord.core import pointer as _pointer
from accord.core import rules as _catalogue
from accord.core.rules import Bump, Kind, Reported, RuleSpec, Severity
from accord.core.schema import Schema

# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    """A compatibility rule: its record in the one catalogue and its detector.

    The facts (directions, bump, kind, example, mirror, migration hint, ...) live in
    :attr:`spec` (a :class:`accord.core.rules.RuleSpec`, family ``compat``); the
    properties below read them.
    """

    spec: RuleSpec
    detect: Detector = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def description(self) -> str:
        return self.spec.summary

    @property
    def details(self) -> str:
        return self.spec.details

    @property
    def breaks(self) -> tuple[Direction, ...]:
        return self.spec.breaks

    @property
    def bump(self) -> Bump:
        return self.spec.bump or "minor"

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    @property
    def example(self) -> tuple[Schema, Schema]:
        return self.spec.example or (True, True)

    @property
    def mirror(self) -> str | None:
        return self.spec.mirror

    @property
    def waiver(self) -> str | None:
        return self.spec.waiver

    @property
    def kind(self) -> Kind | None:
        return self.spec.kind

    @property
    def hint(self) -> str | None:
        return self.spec.hint

    @property
    def declared(self) -> bool:
        return self.spec.declared

    @property
    def fallback(self) -> bool:
        return self.spec.fallback

    @property
    def reported(self) -> Reported:
        return self.spec.reported

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``accord rules --format json``."""
        return self.spec.to_json()


registered: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    breaks: tuple[Direction, ...],
    example: tuple[Schema, Schema],
    kind: Kind | None = None,
    mirror: str | None = None,
    waiver: str | None = None,
    bump: Bump = "minor",
    severity: Severity = "error",
    hint: str | None = None,
    declared: bool = False,
    fallback: bool = False,
    reported: Reported = "always",
    policy: str | None = None,
    declares_undeclared: bool = False,
) -> Callable[[Detector], Detector]:
    """Register the decorated detector as rule ``rule_id`` (ids are never reused).

    The record goes into the one catalogue (:mod:`accord.core.rules`); the keyword
    arguments are its fields (see :class:`accord.core.rules.RuleSpec`), the docstring's
    first paragraph its summary and the rest its details.
    """

    def register(detect: Detector) -> Detector:
        doc = (detect.__doc__ or "").strip()
        # The first paragraph is the one-sentence description (it may wrap).
        first, _, rest = doc.partition("\n\n")
        first = " ".join(line.strip() for line in first.splitlines())
        spec = _catalogue.register(
            RuleSpec(
                family="compat",
                id=rule_id,
                summary=first.strip(),
                details=" ".join(line.strip() for line in rest.strip().splitlines()),
                severity=severity,
                overridable=True,
                kind=kind,
                breaks=breaks,
                bump=bump,
                example=example,
                mirror=mirror,
                waiver=waiver,
                hint=hint,
                declared=declared,
                fallback=fallback,
                reported=reported,
                policy=policy,
                declares_undeclared=declares_undeclared,
            )
        )
        registered[rule_id] = Rule(spec, detect)
        return detect

    return register


# Migration hints shared by several rules. A hint addressed to writers asks them to
# comply with a tighter schema (the change breaks backward); one addressed to readers
# asks them to accept more (it breaks forward); tests/compat/test_rule_meta.py checks it.
TIGHTER_HINT = "writers: keep values within the new, tighter bound"
WIDER_HINT = "readers: accept values within the new, wider bound"
SEND_HINT = "writers: always send this field; readers on the old version ignore it"
TYPE_HINT = "check producers and parsers against the new type"
PATTERN_HINT = "check values against the new pattern"
FORMAT_HINT = "check values against the new format"
EXTRA_KEYS_HINT = "check which extra keys are now accepted or refused"


def keyword_hit(site: Site, rule_id: str, message: str, keyword: str, **kw: Any) -> Hit:
    """A hit on ``keyword``: schema path into NEW if NEW has it, else into OLD."""
    in_new = site.new.first(keyword) is not None
    return Hit(
        rule=rule_id,
        message=message,
        schema_path=site.new.where(keyword) if in_new else site.old.where(keyword),
        instance_path=site.instance_path,
        in_old=not in_new,
        **kw,
    )


def child_pointer(path: str, key: str) -> str:
    return _pointer.join(path, key)
