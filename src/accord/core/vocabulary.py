"""JSON Schema keywords as every walker in accord reads them: where subschemas live (each
applicator's *shape*, per dialect) and which instance type each assertion constrains.

A keyword's value holds subschemas in one of three shapes: one schema (``not``), a map
of names to schemas (``properties``) or an array of schemas (``allOf``). Every other
keyword holds data, never a subschema (``enum``, ``const``, ``default``, ``examples``):
a walk that stepped into them would read data as schemas.

>>> [p for p, _ in children("properties", {"a": {}, "b": True})]
['/properties/a', '/properties/b']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from accord.core.pointer import escape

__all__ = [
    "ARRAY",
    "ARRAY_KEYWORDS",
    "MAP",
    "NUMBER_KEYWORDS",
    "OBJECT_KEYWORDS",
    "SCHEMA",
    "SHAPES",
    "STRING_KEYWORDS",
    "TYPE_KEYWORDS",
    "children",
    "item_subschemas",
    "key_subschemas",
    "keywords",
    "shapes",
]

SCHEMA = "schema"  # the value is one subschema
MAP = "map"  # the value maps names to subschemas
ARRAY = "array"  # the value is an array of subschemas

_ONE = frozenset({SCHEMA})
_MAP = frozenset({MAP})
_ARRAY = frozenset({ARRAY})

_SHAPES_2020_12: Mapping[str, frozenset[str]] = {
    **dict.fromkeys(
        (
            "additionalProperties",
            "items",
            "contains",
            "propertyNames",
            "if",
            "then",
            "else",
            "not",
            "unevaluatedItems",
            "unevaluatedProperties",
            "contentSchema",
        ),
        _ONE,
    ),
    **dict.fromkeys(("prefixItems", "allOf", "anyOf", "oneOf"), _ARRAY),
    **dict.fromkeys(("properties", "patternProperties", "dependentSchemas", "$defs"), _MAP),
}

# 2019-09: ``items`` is a schema or an array of schemas (no ``prefixItems``),
# ``additionalItems`` a schema; its metaschema keeps ``definitions`` and ``dependencies``
# (a ``dependencies`` value may also be an array of names: only schema values are walked).
_SHAPES_2019_09: Mapping[str, frozenset[str]] = {
    **{k: v for k, v in _SHAPES_2020_12.items() if k != "prefixItems"},
    "items": frozenset({SCHEMA, ARRAY}),
    "additionalItems": _ONE,
    "definitions": _MAP,
    "dependencies": _MAP,
}
# The drafts have neither dependentSchemas, the unevaluated keywords nor contentSchema:
# written in a draft document, their values are data. ``$defs`` stays reachable (widely
# written in draft-07 documents; normalisation merges it with ``definitions``).
_SHAPES_DRAFT_07: Mapping[str, frozenset[str]] = {
    k: v
    for k, v in _SHAPES_2019_09.items()
    if k not in {"dependentSchemas", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
}
# draft-06 has no if/then/else; draft-04 neither contains nor propertyNames.
_SHAPES_DRAFT_06: Mapping[str, frozenset[str]] = {
    k: v for k, v in _SHAPES_DRAFT_07.items() if k not in {"if", "then", "else"}
}
_SHAPES_DRAFT_04: Mapping[str, frozenset[str]] = {
    k: v for k, v in _SHAPES_DRAFT_06.items() if k not in {"contains", "propertyNames"}
}

SHAPES: Mapping[str, Mapping[str, frozenset[str]]] = {
    "2020-12": _SHAPES_2020_12,
    "2019-09": _SHAPES_2019_09,
    "draft-07": _SHAPES_DRAFT_07,
    "draft-06": _SHAPES_DRAFT_06,
    "draft-04": _SHAPES_DRAFT_04,
}
"""Per dialect: each applicator keyword and the shapes its value takes."""


def shapes(keyword: str, dialect: str = "2020-12") -> frozenset[str]:
    """The shapes of ``keyword``'s subschemas (empty: it holds no subschema)."""
    return SHAPES[dialect].get(keyword, frozenset())


def children(
    keyword: str, value: Any, dialect: str = "2020-12", pointer: str = ""
) -> Iterator[tuple[str, Any]]:
    """The immediate subschemas under one keyword of a schema object, with pointers.

    ``pointer`` is the schema object's own. A value of the wrong shape holds nothing
    (the metaschema check reports it); in a map, only object or boolean values are
    schemas.
    """
    kinds = SHAPES[dialect].get(keyword)
    if not kinds:
        return
    # Pointers by hand (one f-string each): this runs over every schema of a registry.
    here = f"{pointer}/{escape(keyword)}"
    if isinstance(value, list):
        if ARRAY in kinds:
            for index, item in enumerate(value):
                yield f"{here}/{index}", item
    elif isinstance(value, dict | bool) and SCHEMA in kinds:
        yield here, value
    elif isinstance(value, dict) and MAP in kinds:
        for name, item in value.items():
            if isinstance(item, dict | bool):
                yield f"{here}/{escape(name)}", item


# Assertions by the instance type they constrain: on a value of another type they are
# silently satisfied.
NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})
ARRAY_KEYWORDS = frozenset(
    {
        "items",
        "prefixItems",
        "contains",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minContains",
        "maxContains",
        "unevaluatedItems",
    }
)
OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedProperties",
    }
)
TYPE_KEYWORDS: Mapping[str, frozenset[str]] = {
    "null": frozenset(),
    "boolean": frozenset(),
    "integer": NUMBER_KEYWORDS,
    "number": NUMBER_KEYWORDS,
    "string": STRING_KEYWORDS,
    "array": ARRAY_KEYWORDS,
    "object": OBJECT_KEYWORDS,
}
"""The keywords that constrain values of each JSON Schema type."""


def keywords(shape: str, dialect: str | None = None) -> frozenset[str]:
    """The keywords whose subschemas take ``shape`` in ``dialect`` (any dialect: None)."""
    tables = SHAPES.values() if dialect is None else (SHAPES[dialect],)
    return frozenset(k for table in tables for k, kinds in table.items() if shape in kinds)


# ------------------------------------------------------------------ applicability
# Which subschemas of one schema object apply to one child of the instance. Pattern
# matching is the caller's (an ECMA-262 search: the kernel imports no regex engine).

Path = tuple[str | int, ...]


def key_subschemas(
    schema: Mapping[str, Any], key: str, search: Callable[[str, str], bool]
) -> list[Path]:
    """The subschemas of ``schema`` that apply to the value of property ``key``.

    As token paths from ``schema``: ``("properties", key)`` when it is named, one
    ``("patternProperties", p)`` per pattern ``p`` that ``search(p, key)`` finds, and
    ``("additionalProperties",)`` only when neither applies.
    """
    out: list[Path] = []
    props = schema.get("properties")
    if isinstance(props, dict) and key in props:
        out.append(("properties", key))
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        out.extend(("patternProperties", p) for p in patterns if search(p, key))
    if not out and "additionalProperties" in schema:
        out.append(("additionalProperties",))
    return out


def item_subschemas(schema: Mapping[str, Any], index: int | None) -> list[Path]:
    """The subschema of ``schema`` that applies to the array item at ``index``.

    ``("prefixItems", index)`` inside the prefix, else ``("items",)``; ``index=None``
    asks for an item past every prefix.
    """
    prefix = schema.get("prefixItems")
    if index is not None and isinstance(prefix, list) and index < len(prefix):
        return [("prefixItems", index)]
    if "items" in schema:
        return [("items",)]
    return []
