"""Compatibility rules on an object's declared properties: added (optional or required),
removed, and ``required`` changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote

from accord.compat._register import (
    SEND_HINT,
    child_pointer,
    keyword_hit,
    rule,
)
from accord.compat._site import (
    BACKWARD,
    BOTH,
    FORWARD,
    Hit,
    PatchOp,
    Site,
    resolve_local,
)
from accord.core import pointer as _pointer
from accord.core.memo import canonical_text
from accord.core.schema import Schema

# -- objects: properties ------------------------------------------------------------------

OBJECT_EXAMPLE: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "integer"}}}


def _local_refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` string in ``node`` (not inside ``enum``/``const``/... values)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("enum", "const", "default", "examples"):
                yield from _local_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _local_refs(value)


def carry_defs(value: Any, old_root: Schema, new_root: Schema) -> list[PatchOp] | None:
    """Edits that make the ``$defs`` of NEW that ``value`` refers to available in OLD.

    A change copied from NEW into OLD (to judge it alone) may hold ``#/$defs/x`` refs
    into NEW. Definitions OLD lacks are copied over; one OLD already has identically
    stays; ``None`` when a ref points elsewhere or OLD has a *different* ``x`` (the
    change then cannot be isolated).
    """
    if not isinstance(old_root, dict) or not isinstance(new_root, dict):
        return None
    new_defs = new_root.get("$defs")
    old_defs = old_root.get("$defs")
    new_defs = new_defs if isinstance(new_defs, dict) else {}
    old_defs = old_defs if isinstance(old_defs, dict) else {}
    needed: dict[str, Any] = {}
    seen: set[str] = set()
    stack = [value]
    while stack:
        for ref in _local_refs(stack.pop()):
            if not ref.startswith("#/$defs/"):
                return None
            name = _pointer.unescape(unquote(ref[len("#/$defs/") :]).split("/")[0])
            if name in seen:
                continue
            seen.add(name)
            if name not in new_defs:
                return None
            if name in old_defs:
                if canonical_text(old_defs[name]) != canonical_text(new_defs[name]):
                    return None
                continue
            needed[name] = new_defs[name]
            stack.append(new_defs[name])
    if not needed:
        return []
    return [("", "$defs", {**old_defs, **needed})]


def _added_properties(site: Site, *, required: bool) -> Iterator[Hit]:
    old_props, new_props = site.old.properties(), site.new.properties()
    new_required = site.new.required()
    added = [name for name in new_props if name not in old_props]  # in NEW's order
    for name in added:
        if (name in new_required) != required:
            continue
        entries = new_props[name]
        sub = entries[0][1]
        ops: list[PatchOp] | None = None
        carried = (
            carry_defs(sub, site.old.root, site.new.root) if "$ref" in canonical_text(sub) else []
        )
        if carried is not None and site.old.parts:
            holder = site.old.first("properties")
            target = holder[0] if holder else site.old.parts[0][0]
            props = dict(holder[1]) if holder and isinstance(holder[1], dict) else {}
            props[name] = sub
            ops = [(target, "properties", props)]
            if required:
                req = site.old.first("required")
                rtarget = req[0] if req else target
                names = list(req[1]) if req and isinstance(req[1], list) else []
                ops.append((rtarget, "required", [*names, name]))
            # definitions first: an edit inside OLD's $defs must land in the merged ones
            ops[:0] = carried
        kind = "required" if required else "optional"
        yield Hit(
            rule=f"property-added-{kind}",
            message=f"{kind} property {name!r} added",
            schema_path=entries[0][0],
            instance_path=child_pointer(site.instance_path, name),
            patch=tuple(ops) if ops is not None else None,
            key=name,
        )


@rule(
    "property-added-optional",
    kind="object",
    declared=True,
    breaks=BOTH,
    mirror="property-removed",
    example=(
        OBJECT_EXAMPLE,
        {
            **OBJECT_EXAMPLE,
            "properties": {**OBJECT_EXAMPLE["properties"], "note": {"type": "string"}},
        },
    ),
)
def property_added_optional(site: Site) -> Iterable[Hit]:
    """An optional property was declared.

    Harmless under contract semantics on an open struct; breaks forward on a closed
    object (old readers reject the key), and under set semantics breaks backward when
    old payloads could carry the key with another type.
    """
    return _added_properties(site, required=False)


@rule(
    "property-added-required",
    kind="object",
    hint="writers: always send this field",
    declared=True,
    breaks=BOTH,
    mirror="property-removed",
    example=(
        OBJECT_EXAMPLE,
        {
            **OBJECT_EXAMPLE,
            "properties": {**OBJECT_EXAMPLE["properties"], "email": {"type": "string"}},
            "required": ["email"],
        },
    ),
)
def property_added_required(site: Site) -> Iterable[Hit]:
    """A required property was declared.

    Breaks backward: payloads written before lack it. A ``default`` does not help:
    validation does not apply defaults.
    """
    return _added_properties(site, required=True)


@rule(
    "property-removed",
    kind="object",
    hint="readers: stop relying on this field; writers: stop sending it",
    declared=True,
    policy="removal",
    breaks=BOTH,
    mirror="property-added-optional",
    example=(
        {
            **OBJECT_EXAMPLE,
            "properties": {**OBJECT_EXAMPLE["properties"], "note": {"type": "string"}},
        },
        OBJECT_EXAMPLE,
    ),
)
def property_removed(site: Site) -> Iterable[Hit]:
    """A declared property was removed.

    Under contract semantics a key named in OLD that writers on NEW can no longer emit
    is breaking in both directions (status ``policy``), even where set inclusion
    holds; a key still covered by ``patternProperties`` or a map schema is not removed.
    The rule is the same at every struct location: the root, property and map values,
    array elements (``items``, ``prefixItems``, ``contains``), through ``$ref`` and
    the combinators.
    """
    new_props = site.new.properties()
    for name, entries in site.old.properties().items():
        if name in new_props:
            continue
        ops: list[PatchOp] = []
        for pointer, _ in site.old.values("properties"):
            value = _get(site.old.root, pointer, "properties")
            if isinstance(value, dict) and name in value:
                ops.append((pointer, "properties", {k: v for k, v in value.items() if k != name}))
        for pointer, value in site.old.values("required"):
            if isinstance(value, list) and name in value and name not in site.new.required():
                ops.append((pointer, "required", [n for n in value if n != name]))
        yield Hit(
            rule="property-removed",
            message=f"property {name!r} removed",
            schema_path=entries[0][0],
            instance_path=child_pointer(site.instance_path, name),
            in_old=True,
            patch=tuple(ops),
            key=name,
        )


def _get(root: Schema, pointer: str, keyword: str) -> Any:
    found = resolve_local(root, "#" + pointer)
    if found is None or not isinstance(found[1], dict):
        return None
    return found[1].get(keyword)


def _required_ops(site: Site, name: str, *, add: bool) -> tuple[PatchOp, ...] | None:
    holders = site.old.values("required")
    if add:
        if not site.old.parts:
            return None
        target = holders[0][0] if holders else site.old.parts[0][0]
        names = list(holders[0][1]) if holders and isinstance(holders[0][1], list) else []
        return ((target, "required", [*names, name]),)
    return tuple(
        (p, "required", [n for n in v if n != name])
        for p, v in holders
        if isinstance(v, list) and name in v
    )


@rule(
    "required-added",
    kind="object",
    declares_undeclared=True,
    hint=SEND_HINT,
    breaks=BACKWARD,
    mirror="required-removed",
    example=(OBJECT_EXAMPLE, {**OBJECT_EXAMPLE, "required": ["id"]}),
)
def required_added(site: Site) -> Iterable[Hit]:
    """An existing (or undeclared) property became required.

    Breaks backward: payloads written before may omit it.
    """
    old_req, new_props, old_props = (
        site.old.required(),
        site.new.properties(),
        site.old.properties(),
    )
    for name in sorted(site.new.required() - old_req):
        if name in new_props and name not in old_props:
            continue  # reported as property-added-required
        yield keyword_hit(
            site,
            "required-added",
            f"property {name!r} is now required",
            "required",
            patch=_required_ops(site, name, add=True),
            key=name,
        )


@rule(
    "required-removed",
    kind="object",
    declares_undeclared=True,
    breaks=FORWARD,
    mirror="required-added",
    example=({**OBJECT_EXAMPLE, "required": ["id"]}, OBJECT_EXAMPLE),
)
def required_removed(site: Site) -> Iterable[Hit]:
    """A required property became optional.

    Breaks forward: new writers may omit it and old readers require it.
    """
    new_req, new_props, old_props = (
        site.new.required(),
        site.new.properties(),
        site.old.properties(),
    )
    for name in sorted(site.old.required() - new_req):
        if name in old_props and name not in new_props:
            continue  # reported as property-removed
        yield Hit(
            rule="required-removed",
            message=f"property {name!r} is no longer required",
            schema_path=site.old.where("required"),
            instance_path=site.instance_path,
            in_old=True,
            patch=_required_ops(site, name, add=False),
            key=name,
        )
