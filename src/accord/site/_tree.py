"""A JSON Schema document as a readable tree: one node per property, item or branch.

Each node names its types, whether it is required, its constraints, description,
default and examples; children are the properties, items, additional and pattern
properties, ``$defs`` and the branches of ``allOf``/``anyOf``/``oneOf``/``not``/
``if``/``then``/``else``. ``$ref`` is shown as written (a link when it names another
contract). The walk is bounded in depth and node count, so a hostile document cannot
make a page grow without bound: past the caps a node says it is cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_NODES", "Node", "schema_tree"]

MAX_DEPTH = 24
MAX_NODES = 2000

# Keywords shown as constraints, in this order (value rendered as compact JSON).
_CONSTRAINTS = (
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minContains",
    "maxContains",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependentRequired",
    "contentMediaType",
    "contentEncoding",
    "readOnly",
    "writeOnly",
    "deprecated",
)

_BRANCHES = ("allOf", "anyOf", "oneOf")
_SINGLE = (("not", "not"), ("if", "if"), ("then", "then"), ("else", "else"))
_LIMIT_NOTE = "(cut here: the tree is too deep or too large to show; see the raw JSON)"


@dataclass
class Node:
    """One place of the schema."""

    label: str
    kind: str = ""  # "property", "item", "branch", "definition", ... (a CSS hook)
    types: str = ""
    required: bool = False
    ref: str | None = None
    ref_contract: str | None = None  # ``ns.name`` when ``ref`` names another contract
    title: str | None = None
    description: str | None = None
    constraints: list[tuple[str, str]] = field(default_factory=list)
    default: str | None = None
    examples: list[str] = field(default_factory=list)
    closed: bool = False  # additionalProperties: false
    note: str | None = None
    children: list[Node] = field(default_factory=list)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _types(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list) and all(isinstance(t, str) for t in declared):
        return " | ".join(declared)
    if "const" in schema:
        return "const"
    if "enum" in schema:
        return "enum"
    if "properties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "$ref" in schema:
        return "ref"
    if any(k in schema for k in _BRANCHES):
        return "combination"
    return "any"


def _ref_contract(ref: str) -> str | None:
    if not ref.startswith("accord://"):
        return None
    ident = ref.removeprefix("accord://").split("#", 1)[0].split("@", 1)[0]
    return ident or None


class _Walk:
    def __init__(self) -> None:
        self.count = 0

    def node(
        self, schema: Any, label: str, kind: str, depth: int, *, required: bool = False
    ) -> Node:
        self.count += 1
        if isinstance(schema, bool):
            return Node(label, kind, "any" if schema else "nothing (false)", required)
        if not isinstance(schema, dict):
            return Node(label, kind, "invalid", required, note=_compact(schema)[:200])
        out = Node(label, kind, _types(schema), required)
        ref = schema.get("$ref")
        if isinstance(ref, str):
            out.ref = ref
            out.ref_contract = _ref_contract(ref)
        if isinstance(schema.get("title"), str):
            out.title = schema["title"]
        if isinstance(schema.get("description"), str):
            out.description = schema["description"]
        out.constraints = [(k, _compact(schema[k])) for k in _CONSTRAINTS if k in schema]
        if "default" in schema:
            out.default = _compact(schema["default"])
        if isinstance(schema.get("examples"), list):
            out.examples = [_compact(e) for e in schema["examples"]]
        out.closed = schema.get("additionalProperties") is False
        if depth >= MAX_DEPTH or self.count >= MAX_NODES:
            if self._has_children(schema):
                out.note = _LIMIT_NOTE
            return out
        out.children = self._children(schema, depth)
        return out

    @staticmethod
    def _has_children(schema: dict[str, Any]) -> bool:
        keys = ("properties", "patternProperties", "items", "prefixItems", "$defs", "definitions")
        return any(k in schema for k in (*keys, *_BRANCHES, "not", "if", "additionalProperties"))

    def _children(self, schema: dict[str, Any], depth: int) -> list[Node]:
        kids: list[Node] = []
        for sub, label, kind, required in _child_schemas(schema):
            # Every kind of child counts, not only properties: the nodes made past the
            # cap by the parents on the walk's path (each up to max-items wide) grew a
            # tree to 19,000 nodes within the default caps.
            if self.count >= MAX_NODES:
                kids.append(Node("…", "note", note=_LIMIT_NOTE))
                break
            kids.append(self.node(sub, label, kind, depth + 1, required=required))
        return kids


def _child_schemas(schema: dict[str, Any]) -> Iterator[tuple[Any, str, str, bool]]:
    """``(subschema, label, kind, required)`` of each child, in the order shown (a
    required property nothing describes is the schema ``true``)."""
    required = schema.get("required")
    wanted = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            yield sub, name, "property", name in wanted
    listed = set(props) if isinstance(props, dict) else set()
    for name in sorted(wanted - listed):
        yield True, name, "property", True
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            yield sub, f"/{pattern}/", "pattern", False
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) or extra is True:
        yield extra, "(any other key)", "additional", False
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list):
        for i, sub in enumerate(prefix):
            yield sub, f"[{i}]", "item", False
    items = schema.get("items")
    if isinstance(items, (dict, bool)):
        yield items, "[further items]" if isinstance(prefix, list) else "[items]", "item", False
    elif isinstance(items, list):  # draft-07 tuple form
        for i, sub in enumerate(items):
            yield sub, f"[{i}]", "item", False
    if isinstance(schema.get("contains"), (dict, bool)):
        yield schema["contains"], "[contains]", "item", False
    for key in _BRANCHES:
        branches = schema.get(key)
        if isinstance(branches, list):
            words = {"allOf": "all of", "anyOf": "any of", "oneOf": "one of"}[key]
            for i, sub in enumerate(branches, start=1):
                yield sub, f"{words} #{i}", "branch", False
    for key, words in _SINGLE:
        if key in schema:
            yield schema[key], words, "branch", False
    for key in ("$defs", "definitions"):
        defs = schema.get(key)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                yield sub, f"{key}/{name}", "definition", False


def schema_tree(document: Any, *, label: str = "(root)") -> Node:
    """The tree of ``document`` (a registry version's document, as written)."""
    return _Walk().node(document, label, "root", 0)
