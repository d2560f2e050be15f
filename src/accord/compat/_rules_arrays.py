"""Compatibility rules on arrays: ``items``, ``prefixItems``, ``uniqueItems`` and
``contains``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.compat._register import (
    keyword_hit,
    rule,
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
from accord.core.schema import Schema

# -- arrays -------------------------------------------------------------------------------


def _items(view: View) -> Any:
    found = view.first("items")
    return None if found is None else found[1]


@rule(
    "items-narrowed",
    kind="array",
    breaks=BACKWARD,
    mirror="items-widened",
    example=({"type": "array"}, {"type": "array", "items": {"type": "integer"}}),
)
def items_narrowed(site: Site) -> Iterable[Hit]:
    """Array items, previously unconstrained, must now match a schema.

    Breaks backward.
    """
    old, new = _items(site.old), _items(site.new)
    if old in (None, True) and new not in (None, True):
        yield keyword_hit(
            site, "items-narrowed", f"items now {show(new)}", "items", patch=site.set_ops("items")
        )


@rule(
    "items-widened",
    kind="array",
    breaks=FORWARD,
    mirror="items-narrowed",
    example=({"type": "array", "items": {"type": "integer"}}, {"type": "array"}),
)
def items_widened(site: Site) -> Iterable[Hit]:
    """The schema for array items was removed.

    Breaks forward.
    """
    old, new = _items(site.old), _items(site.new)
    if old not in (None, True) and new in (None, True):
        yield Hit(
            rule="items-widened",
            message=f"items {show(old)} removed",
            schema_path=site.old.where("items"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("items"),
        )


@rule(
    "items-changed",
    kind="array",
    breaks=BOTH,
    waiver="items-changed is its own mirror.",
    example=(
        {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
    ),
)
def items_changed(site: Site) -> Iterable[Hit]:
    """Items past the tuple prefix were forbidden or allowed again (``items: false``),
    or ``unevaluatedItems`` changed.

    Forbidding breaks backward, allowing breaks forward; schema-to-schema changes are
    reported by the rules inside ``items``.
    """
    old, new = _items(site.old), _items(site.new)
    if (old is False) != (new is False) and old not in (None, True) and new not in (None, True):
        yield keyword_hit(
            site,
            "items-changed",
            f"items {show(old)} -> {show(new)}",
            "items",
            patch=site.set_ops("items"),
        )
    if site.changed("unevaluatedItems"):
        yield keyword_hit(
            site,
            "items-changed",
            "unevaluatedItems changed",
            "unevaluatedItems",
            patch=site.set_ops("unevaluatedItems"),
        )


def _prefix(view: View) -> list[Schema]:
    found = view.first("prefixItems")
    return found[1] if found is not None and isinstance(found[1], list) else []


@rule(
    "prefix-items-extended",
    kind="array",
    breaks=BOTH,
    mirror="prefix-items-shortened",
    example=(
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
    ),
)
def prefix_items_extended(site: Site) -> Iterable[Hit]:
    """The tuple prefix (``prefixItems``) got longer.

    With ``items: false`` it breaks forward (old readers reject the longer tuple);
    otherwise the new position constrains what was free (breaks backward).
    """
    old, new = _prefix(site.old), _prefix(site.new)
    if len(new) > len(old):
        yield keyword_hit(
            site,
            "prefix-items-extended",
            f"tuple prefix {len(old)} -> {len(new)} items",
            "prefixItems",
            patch=site.set_ops("prefixItems"),
        )


@rule(
    "prefix-items-shortened",
    kind="array",
    breaks=BOTH,
    mirror="prefix-items-extended",
    example=(
        {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        {"type": "array", "prefixItems": [{"type": "string"}]},
    ),
)
def prefix_items_shortened(site: Site) -> Iterable[Hit]:
    """The tuple prefix (``prefixItems``) got shorter.

    The dropped positions fall under ``items``: breaks forward when that is looser,
    backward when it is stricter.
    """
    old, new = _prefix(site.old), _prefix(site.new)
    if len(new) < len(old):
        yield Hit(
            rule="prefix-items-shortened",
            message=f"tuple prefix {len(old)} -> {len(new)} items",
            schema_path=site.old.where("prefixItems"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("prefixItems"),
        )


def _unique(view: View) -> bool:
    return any(v is True for _, v in view.values("uniqueItems"))


@rule(
    "unique-items-added",
    kind="array",
    breaks=BACKWARD,
    mirror="unique-items-removed",
    example=({"type": "array"}, {"type": "array", "uniqueItems": True}),
)
def unique_items_added(site: Site) -> Iterable[Hit]:
    """Array items must now be unique.

    Breaks backward.
    """
    if _unique(site.new) and not _unique(site.old):
        yield keyword_hit(
            site,
            "unique-items-added",
            "items must now be unique",
            "uniqueItems",
            patch=site.set_ops("uniqueItems"),
        )


@rule(
    "unique-items-removed",
    kind="array",
    breaks=FORWARD,
    mirror="unique-items-added",
    example=({"type": "array", "uniqueItems": True}, {"type": "array"}),
)
def unique_items_removed(site: Site) -> Iterable[Hit]:
    """Array items need no longer be unique.

    Breaks forward.
    """
    if _unique(site.old) and not _unique(site.new):
        yield Hit(
            rule="unique-items-removed",
            message="items need no longer be unique",
            schema_path=site.old.where("uniqueItems"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("uniqueItems"),
        )


@rule(
    "contains-changed",
    kind="array",
    breaks=BOTH,
    waiver="contains-changed covers additions, removals and edits.",
    example=(
        {"type": "array", "contains": {"type": "string"}},
        {"type": "array", "contains": {"type": "string"}, "minContains": 2},
    ),
)
def contains_changed(site: Site) -> Iterable[Hit]:
    """``contains``, ``minContains`` or ``maxContains`` changed.

    Stricter containment breaks backward, looser breaks forward.
    """
    keywords = ("contains", "minContains", "maxContains")
    if site.changed(*keywords):
        keyword = next(k for k in keywords if site.old.keyword_text(k) != site.new.keyword_text(k))
        yield keyword_hit(
            site, "contains-changed", f"{keyword} changed", keyword, patch=site.set_ops(*keywords)
        )
