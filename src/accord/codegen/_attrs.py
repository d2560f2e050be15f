"""Which Python attribute each JSON field gets, and whether a new version moves one.

Attributes come from :func:`~accord.codegen._idents.field_attr`, which looks at the
field's own name only, so adding ``a-b`` beside ``a_b`` never renames ``a_b`` (the
generator's own de-duplication would). :func:`attribute_moves` is the check that
this holds between two versions, for the compatibility report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.codegen._idents import field_attr
from accord.codegen._prepare import walk_properties

__all__ = ["AttributeMove", "attribute_map", "attribute_moves"]


@dataclass(frozen=True, slots=True)
class AttributeMove:
    """One Python attribute that names a different JSON field in the new version.

    Attributes:
        parent: JSON pointer of the object schema declaring the field.
        attr: The Python attribute, or ``None`` when the field itself changed attribute.
        old: JSON pointer of the field in the old version (``None``: none had ``attr``).
        new: JSON pointer of the field in the new version.
    """

    parent: str
    attr: str | None
    old: str | None
    new: str | None


def attribute_map(bundled_schema: Mapping[str, Any]) -> dict[str, str]:
    """Map each declared property (JSON pointer of its schema) to its Python attribute.

    >>> attribute_map({"properties": {"a-b": {}, "class": {}}})
    {'/properties/a-b': 'a_b__612d62', '/properties/class': 'class_'}
    """
    return {pointer: field_attr(name) for pointer, name in walk_properties(bundled_schema)}


def _parent(pointer: str) -> str:
    return pointer.rpartition("/properties/")[0]


def attribute_moves(old_map: Mapping[str, str], new_map: Mapping[str, str]) -> list[AttributeMove]:
    """Attributes that silently moved to another JSON field, or fields whose attribute changed.

    Args:
        old_map: :func:`attribute_map` of the old version.
        new_map: :func:`attribute_map` of the new version.

    Returns:
        Every move, sorted: an attribute of the same object bound to a different field,
        and a field kept at the same pointer whose attribute differs.
    """
    moves: set[AttributeMove] = set()
    old_by_attr = {(_parent(p), a): p for p, a in old_map.items()}
    for pointer, attr in new_map.items():
        previous = old_by_attr.get((_parent(pointer), attr))
        if previous is not None and previous != pointer:
            moves.add(AttributeMove(_parent(pointer), attr, previous, pointer))
        if pointer in old_map and old_map[pointer] != attr:
            moves.add(AttributeMove(_parent(pointer), None, pointer, pointer))
    return sorted(moves, key=lambda m: (m.parent, m.attr or "", m.old or "", m.new or ""))
