"""Compatibility rules on a location's types and values: ``type`` changes, nullability,
``enum`` and ``const``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from accord.compat._register import (
    TYPE_HINT,
    keyword_hit,
    rule,
)
from accord.compat._site import (
    BACKWARD,
    BOTH,
    DELETE,
    FORWARD,
    Hit,
    PatchOp,
    Site,
    View,
    show,
)

# -- types --------------------------------------------------------------------------------


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    return narrow <= wide


def _show_types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    shown = set(types)
    if "number" in shown:
        shown.discard("integer")
    return "|".join(sorted(shown)) or "nothing"


def _type_change(site: Site) -> tuple[str, str] | None:
    """``(rule, message)`` for the change of non-null types, if any."""
    old, new = site.old.types(), site.new.types()
    if old == new or site.old.types(branches=False) == site.new.types(branches=False):
        # A difference only in branch types is reported by the branch rules.
        return None
    if old is not None and new is not None:
        old, new = old - {"null"}, new - {"null"}
        if old == new:
            return None
        if _covers(new, old):
            rule_id = "type-widened"
        elif _covers(old, new):
            rule_id = "type-narrowed"
        else:
            rule_id = "type-changed"
    elif old is None:
        rule_id = "type-narrowed"
    else:
        rule_id = "type-widened"
    return rule_id, f"type {_show_types(old)} -> {_show_types(new)}"


def _type_rule(site: Site, rule_id: str) -> Iterator[Hit]:
    change = _type_change(site)
    if change is not None and change[0] == rule_id:
        yield keyword_hit(site, rule_id, change[1], "type", patch=site.set_ops("type"))


@rule(
    "type-changed",
    hint=TYPE_HINT,
    breaks=BOTH,
    waiver="type-changed is its own mirror: neither type set covers the other.",
    example=({"type": "string"}, {"type": "number"}),
)
def type_changed(site: Site) -> Iterable[Hit]:
    """The allowed types changed so that neither set covers the other.

    Breaks both directions (``null`` is reported separately as nullable-added/removed).
    """
    return _type_rule(site, "type-changed")


@rule(
    "type-narrowed",
    hint=TYPE_HINT,
    breaks=BACKWARD,
    mirror="type-widened",
    example=({"type": "number"}, {"type": "integer"}),
)
def type_narrowed(site: Site) -> Iterable[Hit]:
    """Fewer JSON types are allowed (or a type restriction was added).

    Breaks backward: old payloads of the dropped types are rejected.
    """
    return _type_rule(site, "type-narrowed")


@rule(
    "type-widened",
    hint=TYPE_HINT,
    breaks=FORWARD,
    mirror="type-narrowed",
    example=({"type": "integer"}, {"type": "number"}),
)
def type_widened(site: Site) -> Iterable[Hit]:
    """More JSON types are allowed (or a type restriction was lifted).

    Breaks forward: old readers reject the new types.
    """
    return _type_rule(site, "type-widened")


def _nullable(site: Site, *, added: bool) -> Iterator[Hit]:
    old, new = site.old.types(), site.new.types()
    if old is None or new is None:
        return
    if ("null" in new and "null" not in old) if added else ("null" in old and "null" not in new):
        word = "now" if added else "no longer"
        rule_id = "nullable-added" if added else "nullable-removed"
        yield keyword_hit(site, rule_id, f"value is {word} nullable", "type")


@rule(
    "nullable-added",
    breaks=FORWARD,
    mirror="nullable-removed",
    example=({"type": "string"}, {"type": ["string", "null"]}),
)
def nullable_added(site: Site) -> Iterable[Hit]:
    """``null`` became an allowed value (``type`` or an ``Optional`` wrapper).

    Breaks forward: old readers reject ``null``.
    """
    return _nullable(site, added=True)


@rule(
    "nullable-removed",
    breaks=BACKWARD,
    mirror="nullable-added",
    example=({"type": ["string", "null"]}, {"type": "string"}),
)
def nullable_removed(site: Site) -> Iterable[Hit]:
    """``null`` is no longer an allowed value.

    Breaks backward: old payloads holding ``null`` are rejected.
    """
    return _nullable(site, added=False)


# -- enum and const -----------------------------------------------------------------------


def _enum_ops(site: Site) -> tuple[PatchOp, ...] | None:
    return site.set_ops("enum", "const")


@rule(
    "enum-added",
    breaks=BACKWARD,
    mirror="enum-removed",
    example=({"type": "string"}, {"type": "string", "enum": ["a", "b"]}),
)
def enum_added(site: Site) -> Iterable[Hit]:
    """The value became restricted to a list (``enum`` or ``const`` added).

    Breaks backward: old payloads outside the list are rejected.
    """
    old, new = site.old.enum(), site.new.enum()
    if old is None and new is not None:
        keyword = "enum" if site.new.first("enum") else "const"
        yield keyword_hit(
            site,
            "enum-added",
            f"value restricted to {show(list(new.values()))}",
            keyword,
            patch=_enum_ops(site),
        )


@rule(
    "enum-removed",
    breaks=FORWARD,
    mirror="enum-added",
    example=({"type": "string", "enum": ["a", "b"]}, {"type": "string"}),
)
def enum_removed(site: Site) -> Iterable[Hit]:
    """The restriction to a list of values (``enum`` or ``const``) was lifted.

    Breaks forward: new payloads may carry values old readers reject.
    """
    old, new = site.old.enum(), site.new.enum()
    if old is not None and new is None:
        keyword = "enum" if site.old.first("enum") else "const"
        yield keyword_hit(
            site,
            "enum-removed",
            f"value no longer restricted to {show(list(old.values()))}",
            keyword,
            patch=_enum_ops(site),
        )


def _both_enums(site: Site) -> tuple[dict[Any, Any], dict[Any, Any]] | None:
    old, new = site.old.enum(), site.new.enum()
    if old is None or new is None or (len(old) == 1 and len(new) == 1):
        return None
    return old, new


def _enum_keyword(view: View) -> str:
    return "enum" if view.first("enum") else "const"


@rule(
    "enum-value-added",
    hint="readers: handle the new value (or a default branch)",
    breaks=FORWARD,
    mirror="enum-value-removed",
    example=({"enum": ["a", "b"]}, {"enum": ["a", "b", "c"]}),
)
def enum_value_added(site: Site) -> Iterable[Hit]:
    """A value was added to an ``enum``.

    Breaks forward: old readers reject the new value.
    """
    pair = _both_enums(site)
    if pair is None:
        return
    old, new = pair
    for key, value in new.items():
        if key not in old:
            ops = _one_value_ops(site, [*old.values(), value])
            yield keyword_hit(
                site,
                "enum-value-added",
                f"enum value {show(value)} added",
                _enum_keyword(site.new),
                patch=ops,
            )


@rule(
    "enum-value-removed",
    hint="writers: stop sending this value; readers: it no longer arrives",
    breaks=BACKWARD,
    mirror="enum-value-added",
    example=({"enum": ["a", "b", "c"]}, {"enum": ["a", "b"]}),
)
def enum_value_removed(site: Site) -> Iterable[Hit]:
    """A value was removed from an ``enum``.

    Breaks backward: old payloads holding it are rejected.
    """
    pair = _both_enums(site)
    if pair is None:
        return
    old, new = pair
    for key, value in old.items():
        if key not in new:
            ops = _one_value_ops(site, [v for k, v in old.items() if k != key])
            yield Hit(
                rule="enum-value-removed",
                message=f"enum value {show(value)} removed",
                schema_path=site.old.where(_enum_keyword(site.old)),
                instance_path=site.instance_path,
                in_old=True,
                patch=ops,
            )


def _one_value_ops(site: Site, values: list[Any]) -> tuple[PatchOp, ...] | None:
    if not site.old.parts:
        return None
    ops: list[PatchOp] = [(p, k, DELETE) for k in ("enum", "const") for p, _ in site.old.values(k)]
    ops.append((site.old.parts[0][0], "enum", values))
    return tuple(ops)


@rule(
    "const-changed",
    breaks=BOTH,
    waiver="const-changed is its own mirror.",
    example=({"const": "v1"}, {"const": "v2"}),
)
def const_changed(site: Site) -> Iterable[Hit]:
    """The single allowed value changed (``const``, or a one-value ``enum``).

    Breaks both directions.
    """
    old, new = site.old.enum(), site.new.enum()
    if old is not None and new is not None and len(old) == 1 and len(new) == 1 and old != new:
        yield keyword_hit(
            site,
            "const-changed",
            f"constant {show(next(iter(old.values())))} -> {show(next(iter(new.values())))}",
            _enum_keyword(site.new),
            patch=_enum_ops(site),
        )
