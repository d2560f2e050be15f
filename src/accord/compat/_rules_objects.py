"""Compatibility rules on an object's shape: closed or open, ``additionalProperties``,
``patternProperties``, ``propertyNames`` and ``dependentRequired``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.compat._register import (
    EXTRA_KEYS_HINT,
    PATTERN_HINT,
    SEND_HINT,
    child_pointer,
    keyword_hit,
    rule,
)
from accord.compat._rules_properties import (
    OBJECT_EXAMPLE,
)
from accord.compat._site import (
    BACKWARD,
    BOTH,
    FORWARD,
    Hit,
    Site,
    View,
    show,
)

# -- objects: shape -----------------------------------------------------------------------


@rule(
    "object-closed",
    kind="object",
    breaks=BOTH,
    mirror="object-opened",
    example=(OBJECT_EXAMPLE, {**OBJECT_EXAMPLE, "additionalProperties": False}),
)
def object_closed(site: Site) -> Iterable[Hit]:
    """The object was closed (``additionalProperties`` or ``unevaluatedProperties`` false).

    Harmless under contract semantics for a struct (writers only emit declared keys);
    breaks backward under set semantics, and removes keys a map allowed.
    """
    if site.new.closed() and not site.old.closed():
        keyword = (
            "additionalProperties"
            if any(v is False for _, v in site.new.values("additionalProperties"))
            else "unevaluatedProperties"
        )
        yield keyword_hit(
            site,
            "object-closed",
            "object no longer accepts undeclared keys",
            keyword,
            patch=site.set_ops(keyword),
        )


@rule(
    "object-opened",
    kind="object",
    breaks=FORWARD,
    mirror="object-closed",
    example=(
        {**OBJECT_EXAMPLE, "additionalProperties": False},
        {**OBJECT_EXAMPLE, "additionalProperties": True},
    ),
)
def object_opened(site: Site) -> Iterable[Hit]:
    """A closed object now accepts undeclared keys.

    Breaks forward: new writers may send keys old readers reject.
    """
    if site.old.closed() and not site.new.closed():
        keyword = (
            "additionalProperties"
            if any(v is False for _, v in site.old.values("additionalProperties"))
            else "unevaluatedProperties"
        )
        yield Hit(
            rule="object-opened",
            message="object now accepts undeclared keys",
            schema_path=site.new.where(keyword)
            if site.new.first(keyword)
            else site.old.where(keyword),
            instance_path=site.instance_path,
            in_old=site.new.first(keyword) is None,
            patch=site.set_ops(keyword),
        )


def _addl(view: View) -> Any:
    found = view.first("additionalProperties")
    return None if found is None else found[1]


@rule(
    "additional-properties-narrowed",
    kind="object",
    hint=EXTRA_KEYS_HINT,
    breaks=BACKWARD,
    mirror="additional-properties-widened",
    example=({"type": "object"}, {"type": "object", "additionalProperties": {"type": "string"}}),
)
def additional_properties_narrowed(site: Site) -> Iterable[Hit]:
    """Undeclared keys, previously unconstrained, must now match a schema.

    Breaks backward (under contract semantics only where the object is a map).
    """
    old, new = _addl(site.old), _addl(site.new)
    if old in (None, True) and isinstance(new, dict):
        yield keyword_hit(
            site,
            "additional-properties-narrowed",
            f"additionalProperties now {show(new)}",
            "additionalProperties",
            patch=site.set_ops("additionalProperties"),
        )


@rule(
    "additional-properties-widened",
    kind="object",
    hint=EXTRA_KEYS_HINT,
    breaks=FORWARD,
    mirror="additional-properties-narrowed",
    example=({"type": "object", "additionalProperties": {"type": "string"}}, {"type": "object"}),
)
def additional_properties_widened(site: Site) -> Iterable[Hit]:
    """The schema for undeclared keys was removed (they are unconstrained).

    Breaks forward.
    """
    old, new = _addl(site.old), _addl(site.new)
    if isinstance(old, dict) and new in (None, True):
        yield Hit(
            rule="additional-properties-widened",
            message=f"additionalProperties {show(old)} removed",
            schema_path=site.old.where("additionalProperties"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("additionalProperties"),
        )


@rule(
    "pattern-properties-changed",
    kind="object",
    hint=PATTERN_HINT,
    declared=True,
    breaks=BOTH,
    waiver="pattern-properties-changed covers additions and removals of a pattern.",
    example=(
        {"type": "object"},
        {"type": "object", "patternProperties": {"^x_": {"type": "integer"}}},
    ),
)
def pattern_properties_changed(site: Site) -> Iterable[Hit]:
    """A ``patternProperties`` entry was added or removed.

    A new pattern constrains matching keys (breaks backward); a removed one frees them
    (breaks forward). Entries present on both sides are compared like properties.
    """
    old, new = site.old.pattern_properties(), site.new.pattern_properties()
    for pattern, entries in new.items():
        if pattern not in old:
            yield Hit(
                "pattern-properties-changed",
                f"patternProperties {show(pattern)} added",
                entries[0][0],
                child_pointer(site.instance_path, "*"),
            )
    for pattern, entries in old.items():
        if pattern not in new:
            yield Hit(
                "pattern-properties-changed",
                f"patternProperties {show(pattern)} removed",
                entries[0][0],
                child_pointer(site.instance_path, "*"),
                in_old=True,
            )


@rule(
    "property-names-changed",
    kind="object",
    breaks=BOTH,
    waiver="property-names-changed covers additions, removals and edits.",
    example=({"type": "object"}, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}),
)
def property_names_changed(site: Site) -> Iterable[Hit]:
    """``propertyNames`` was added, removed or changed.

    Constraining key names breaks backward; relaxing them breaks forward.
    """
    if site.changed("propertyNames"):
        yield keyword_hit(
            site,
            "property-names-changed",
            "propertyNames changed",
            "propertyNames",
            patch=site.set_ops("propertyNames"),
        )


def _dependent_pairs(view: View) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for _, value in view.values("dependentRequired"):
        if isinstance(value, dict):
            for key, deps in value.items():
                if isinstance(deps, list):
                    out.update((key, d) for d in deps if isinstance(d, str))
    return out


@rule(
    "dependent-required-added",
    kind="object",
    hint=SEND_HINT,
    breaks=BACKWARD,
    mirror="dependent-required-removed",
    example=({"type": "object"}, {"type": "object", "dependentRequired": {"card": ["billing"]}}),
)
def dependent_required_added(site: Site) -> Iterable[Hit]:
    """A ``dependentRequired`` dependency was added (key A now requires key B).

    Breaks backward.
    """
    old, new = _dependent_pairs(site.old), _dependent_pairs(site.new)
    for key, dep in sorted(new - old):
        yield keyword_hit(
            site,
            "dependent-required-added",
            f"{key!r} now requires {dep!r}",
            "dependentRequired",
            patch=site.set_ops("dependentRequired") if len(new - old) == 1 and old <= new else None,
        )


@rule(
    "dependent-required-removed",
    kind="object",
    breaks=FORWARD,
    mirror="dependent-required-added",
    example=({"type": "object", "dependentRequired": {"card": ["billing"]}}, {"type": "object"}),
)
def dependent_required_removed(site: Site) -> Iterable[Hit]:
    """A ``dependentRequired`` dependency was removed.

    Breaks forward.
    """
    old, new = _dependent_pairs(site.old), _dependent_pairs(site.new)
    for key, dep in sorted(old - new):
        yield Hit(
            rule="dependent-required-removed",
            message=f"{key!r} no longer requires {dep!r}",
            schema_path=site.old.where("dependentRequired"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("dependentRequired") if len(old - new) == 1 and new <= old else None,
        )
