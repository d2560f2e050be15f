"""Schema nodes for the compatibility engine: resolution, expansion and exact checks.

A *node* is one subschema of one document, interned by identity so that memo tables
and coinduction can key on it. Every exact statement about a concrete value (is this
enum member valid here?) is answered by the reference validator on the node, compiled
once per node, so the engine never re-implements validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, unquote

from accord.core import pointer as _pointer
from accord.core import vocabulary as _vocabulary
from accord.core.memo import IdentityMemo, canonical_text
from accord.core.values import equality_key as value_key
from accord.core.values import json_equal
from accord.core.values import json_type as type_of
from accord.core.values import number as num
from accord.validation.budget import expanded_size
from accord.validation.reference import reference_validator

__all__ = [
    "ALL_TYPES",
    "BudgetExhausted",
    "Ctx",
    "Node",
    "json_equal",
    "num",
    "same_ref_free",
    "type_of",
    "value_key",
]

# "number" means the non-integer numbers: the seven parts are pairwise disjoint.
ALL_TYPES: frozenset[str] = frozenset(
    {"null", "boolean", "integer", "number", "string", "array", "object"}
)

ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$schema",
        "$id",
        "$anchor",
        "$defs",
        "definitions",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    }
)
_APPLICATORS = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref")


class BudgetExhausted(Exception):
    """Raised when the step budget is spent; the verdict becomes unproven."""


class Unsupported(Exception):
    """A schema feature the engine does not model (for example a non-local ``$ref``)."""


class Node:
    """One subschema of one document, with its JSON pointer."""

    __slots__ = ("_ptr", "doc", "key", "parent", "schema", "tokens")

    def __init__(  # noqa: PLR0917 - built in one place, by Ctx.node
        self,
        doc: int,
        schema: Any,
        ptr: str | None,
        key: tuple[int, int],
        parent: Node | None = None,
        tokens: tuple[str | int, ...] = (),
    ) -> None:
        self.doc = doc
        self.schema = schema
        self._ptr = ptr
        self.key = key
        self.parent = parent
        self.tokens = tokens

    @property
    def ptr(self) -> str | None:
        """The JSON pointer of this subschema in its document (built on first use)."""
        if self._ptr is None and self.parent is not None:
            base = self.parent.ptr
            if base is not None:
                self._ptr = _pointer.join(base, *self.tokens)
        return self._ptr

    def __repr__(self) -> str:
        return f"Node({self.doc}, {self.ptr!r})"

    def get(self, keyword: str, default: Any = None) -> Any:
        if isinstance(self.schema, dict):
            return self.schema.get(keyword, default)
        return default


def has_ref(schema: Any) -> bool:
    """Whether any object inside ``schema`` has a ``$ref`` or ``$dynamicRef`` key."""
    return may_contain(schema, _REF_KEYS) and _has_ref(schema)


_REF_KEYS = ("$ref", "$dynamicRef")


def _has_ref(schema: Any) -> bool:
    stack = [schema]
    push, pop = stack.append, stack.pop
    while stack:
        v = pop()
        if isinstance(v, dict):
            if "$ref" in v or "$dynamicRef" in v:
                return True
            for x in v.values():
                if isinstance(x, (dict, list)):  # a tuple: ``dict | list`` is built per call
                    push(x)
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, dict | list):
                    push(x)
    return False


# The keys whole-document walks look for (``$ref``, the unmodelled keywords, the
# ``unevaluated*`` the writer closure wraps for).
_WATCHED = frozenset(
    {"$ref", "$dynamicRef", "dependencies", "unevaluatedProperties", "unevaluatedItems"}
)
_SMALL = 4  # a container this small is looked into, its children looked up


def _watched_in(value: Any) -> frozenset[str]:
    """The :data:`_WATCHED` names in ``value``'s JSON text (all of them if it has no text).

    The canonical text first: the diff has written it for its inputs already (memoised),
    and the reference validator's key for a writer closure is that text too. Which
    quoted names a text holds does not depend on key order or spacing: a quote followed
    by ``$ref`` and a quote lies within one string, written the same either way. A
    document without one (keys of mixed types do not sort) is read as written.
    """
    try:
        text = canonical_text(value)
    except (TypeError, ValueError, RecursionError):
        try:
            text = json.dumps(value, default=str)
        except (TypeError, ValueError, RecursionError):
            return _WATCHED
    return frozenset(k for k in _WATCHED if f'"{k}"' in text)


# What a document may contain, by identity (documents are never mutated once built): one
# C serialisation answers "is this key anywhere?" for several whole-document walks.
_watched: IdentityMemo[frozenset[str]] = IdentityMemo(256)


def may_contain(schema: Any, keys: Iterable[str]) -> bool:
    """False only when no object anywhere in ``schema`` has one of ``keys`` as a key.

    A cheap, exact filter before a walk: a key is written as its quoted name (no JSON
    escape applies to these ASCII names), so a name missing from the text is nowhere
    (a string value spelling it only costs the walk). A small wrapper (``{"allOf":
    [doc]}``) is looked into, so the documents it wraps are serialised once.
    """
    wanted = frozenset(keys)
    watched = wanted <= _WATCHED
    stack = [schema]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if len(v) <= _SMALL:
                if not wanted.isdisjoint(v):
                    return True
                stack.extend(x for x in v.values() if isinstance(x, (dict, list)))
                continue
        elif isinstance(v, list):
            if len(v) <= _SMALL:
                stack.extend(x for x in v if isinstance(x, (dict, list)))
                continue
        else:
            continue  # a scalar holds no object
        if not watched or not wanted.isdisjoint(_watched(v, _watched_in)):
            return True
    return False


_UNSET: Any = object()


def _string_enum(schema: Any) -> frozenset[str] | None:
    """The members of ``{"enum": [...]}`` when it is that alone and lists only strings."""
    if not isinstance(schema, dict) or schema.keys() != {"enum"}:
        return None
    members = schema["enum"]
    if (
        not isinstance(members, list)
        or not members
        or not all(type(m) is str and (m.isascii() or _utf8(m)) for m in members)
    ):
        return None  # the reference decides (or refuses) anything else
    return frozenset(members)


def _utf8(text: str) -> bool:
    """Whether ``text`` crosses to the reference as is (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Schema nodes one step pays for when the reference validator runs: ordinary schemas
# cost one step per check, as before; an exploding one costs its size.
_COST_SCALE = 100


class Ctx:
    """Documents, interned nodes, compiled validators and the step budget."""

    def __init__(self, max_steps: int) -> None:
        self.docs: list[Any] = []
        self.nodes: dict[tuple[int, int], Node] = {}
        self.keep: list[Any] = []  # synthetic schemas stay alive so id() keys stay unique
        self.validators: dict[tuple[int, int], Any] = {}
        self.ref_free: dict[tuple[int, int], bool] = {}
        self.costs: dict[tuple[int, int], int] = {}
        self.steps = 0
        self.max_steps = max_steps
        self.anchors: dict[int, dict[str, Node]] = {}
        self.doc_ref_free: dict[int, bool] = {}
        self.string_enums: dict[tuple[int, int], frozenset[str] | None] = {}

    # -- budget --------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise BudgetExhausted

    # -- nodes ---------------------------------------------------------------------
    def add_doc(self, root: Any) -> Node:
        self.docs.append(root)
        idx = len(self.docs) - 1
        return self.node(idx, root, "")

    def node(
        self,
        doc: int,
        schema: Any,
        ptr: str | None,
        parent: Node | None = None,
        tokens: tuple[str | int, ...] = (),
    ) -> Node:
        key = (doc, id(schema)) if not isinstance(schema, bool) else (-1, int(schema))
        hit = self.nodes.get(key)
        if hit is None:
            hit = Node(doc, schema, ptr, key, parent, tokens)
            self.nodes[key] = hit
        return hit

    def synthetic(self, schema: Any) -> Node:
        """A node for a schema the engine made up (no ``$ref`` inside)."""
        self.keep.append(schema)
        return self.node(-2, schema, None)

    def child(self, parent: Node, *tokens: str | int) -> Node:
        value = parent.schema
        for t in tokens:
            value = value[t]
        # ``node()`` inlined: this runs for every key of every object compared.
        key = (-1, int(value)) if value is True or value is False else (parent.doc, id(value))
        hit = self.nodes.get(key)
        if hit is None:
            hit = Node(parent.doc, value, None, key, parent, tokens)
            self.nodes[key] = hit
        return hit

    def resolve(self, node: Node) -> Node:
        """The target of ``node``'s ``$ref`` (local refs only)."""
        ref = node.schema["$ref"]
        if not isinstance(ref, str) or node.doc < 0:
            raise Unsupported(f"unsupported $ref {ref!r}")
        root = self.docs[node.doc]
        base, _, fragment = ref.partition("#")
        # A fragment is a URI fragment: a JSON pointer in it is percent-encoded
        # ("#/patternProperties/%5Ex_" names the key "^x_").
        fragment = unquote(fragment)
        if base and not (isinstance(root, dict) and base == root.get("$id")):
            raise Unsupported(f"non-local $ref {ref!r}")
        if fragment and not fragment.startswith("/"):
            target = self._anchor(node.doc, fragment)
            if target is None:
                raise Unsupported(f"unknown anchor in $ref {ref!r}")
            return target
        found, value = _pointer.lookup(root, fragment)
        if not found:
            raise Unsupported(f"unresolvable $ref {ref!r}")
        return self.node(node.doc, value, fragment)

    def _anchor(self, doc: int, name: str) -> Node | None:
        table = self.anchors.get(doc)
        if table is None:
            table = {}

            def walk(value: Any, ptr: str) -> None:
                if isinstance(value, dict):
                    anchor = value.get("$anchor")
                    if isinstance(anchor, str):
                        table[anchor] = self.node(doc, value, ptr)
                    for k, v in value.items():
                        if k not in ("enum", "const", "examples", "default"):
                            walk(v, _pointer.join(ptr, k))
                elif isinstance(value, list):
                    for i, v in enumerate(value):
                        walk(v, _pointer.join(ptr, i))

            walk(self.docs[doc], "")
            self.anchors[doc] = table
        return table.get(name)

    # -- expansion -----------------------------------------------------------------
    def unconditional(self, nodes: Iterable[Node]) -> list[Node]:
        """``nodes`` plus everything that always applies with them ($ref, allOf)."""
        out: list[Node] = []
        seen: set[tuple[int, int]] = set()
        stack = list(nodes)
        while stack:
            n = stack.pop()
            if n.key in seen:
                continue
            seen.add(n.key)
            out.append(n)
            s = n.schema
            if isinstance(s, dict):
                if "$ref" in s:
                    stack.append(self.resolve(n))
                for i, _ in enumerate(
                    s.get("allOf", ()) if isinstance(s.get("allOf"), list) else ()
                ):
                    stack.append(self.child(n, "allOf", i))
        return out

    def applicable(self, nodes: Iterable[Node]) -> list[Node]:
        """Every subschema that may apply at the same instance location (docs/design.md)."""
        out: list[Node] = []
        seen: set[tuple[int, int]] = set()
        stack = list(nodes)
        while stack:
            n = stack.pop()
            if n.key in seen:
                continue
            seen.add(n.key)
            out.append(n)
            s = n.schema
            if not isinstance(s, dict):
                continue
            if "$ref" in s:
                stack.append(self.resolve(n))
            for kw in ("allOf", "anyOf", "oneOf"):
                branches = s.get(kw)
                if isinstance(branches, list):
                    stack.extend(self.child(n, kw, i) for i in range(len(branches)))
            stack.extend(self.child(n, kw) for kw in ("if", "then", "else") if kw in s)
            deps = s.get("dependentSchemas")
            if isinstance(deps, dict):
                stack.extend(self.child(n, "dependentSchemas", k) for k in deps)
        return out

    # -- exact checks --------------------------------------------------------------
    def valid(self, node: Node, value: Any) -> bool:
        """Whether ``value`` is valid under ``node`` (reference validator).

        Charged by the schema's size with every ``$ref`` followed: the validator walks
        every path through shared ``$defs``, so a small DAG (12-way ``anyOf`` levels
        referencing each other) costs its expanded size, and spends the budget instead
        of minutes of CPU.
        """
        s = node.schema
        if isinstance(s, bool):
            self.step()
            return s
        cost = self.costs.get(node.key)
        if cost is None:
            root = self.docs[node.doc] if node.doc >= 0 else s
            cost = expanded_size(s, root=root, cap=self.max_steps * _COST_SCALE)
            self.costs[node.key] = cost
        self.step(1 + cost // _COST_SCALE)
        if type(value) is str and (value.isascii() or _utf8(value)):
            # A string against an enum of strings (the writer closure's propertyNames,
            # asked once per key): membership is what the reference decides.
            names = self.string_enums.get(node.key, _UNSET)
            if names is _UNSET:
                names = self.string_enums[node.key] = _string_enum(s)
            if names is not None:
                return value in names
        validator = self.validators.get(node.key)
        if validator is None:
            validator = self._compile(node)
            self.validators[node.key] = validator
        return bool(validator.is_valid(value))

    def string_enum_check(self, node: Node) -> tuple[int, frozenset[str]] | None:
        """What :meth:`valid` charges for ``node`` and the strings it admits, once a call
        has found ``node`` to be an enum of strings (else None): a string ``v`` (ASCII or
        encodable as UTF-8) is then valid exactly when it is a member, for that charge."""
        names = self.string_enums.get(node.key)
        cost = self.costs.get(node.key)
        if names is None or cost is None or isinstance(node.schema, bool):
            return None
        return 1 + cost // _COST_SCALE, names

    def _compile(self, node: Node) -> Any:
        s = node.schema
        # ``_has_ref`` before ``ptr``: a node's pointer is built on first use, and most
        # schemas compiled (leaves of a wide object) never need it.
        if node.doc < 0 or not _has_ref(s) or node.ptr == "":
            return reference_validator(s)
        root = self.docs[node.doc]
        root_id = root.get("$id") if isinstance(root.get("$id"), str) else None
        if root_id is None:
            root_id = "urn:accord:root"
            root = {**root, "$id": root_id}
        assert node.ptr is not None
        base = root_id.partition("#")[0]
        wrapper = {
            "$id": "urn:accord:wrapper",
            "$defs": {"root": root},
            "$ref": base + "#" + quote(node.ptr, safe="/~!$&'()*+,;=:@-._"),
        }
        return reference_validator(wrapper)

    def is_ref_free(self, node: Node) -> bool:
        return self.ref_free_in(node.doc, node.schema)

    def doc_is_ref_free(self, doc: int) -> bool:
        """Whether document ``doc`` (not a synthetic schema) holds no ``$ref``/``$dynamicRef``."""
        if doc < 0:
            return False
        free = self.doc_ref_free.get(doc)
        if free is None:
            free = self.doc_ref_free[doc] = not has_ref(self.docs[doc])
        return free

    def ref_free_in(self, doc: int, schema: Any) -> bool:
        """Whether ``schema``, a subschema of document ``doc`` (so alive as long as this
        context), holds no ``$ref``/``$dynamicRef``."""
        if self.doc_is_ref_free(doc):
            return True  # every subschema of a document without a reference is without one
        # Keyed by the schema object: documents of one context share subschemas (a
        # diff's local questions do), and every node keeps its schema alive.
        key = (0, id(schema))
        hit = self.ref_free.get(key)
        if hit is None:
            hit = not _has_ref(schema)
            self.ref_free[key] = hit
        return hit

    def canonical(self, node: Node) -> Node:
        """Follow references that are a schema's only keyword (they change nothing)."""
        hops = 0
        while (
            isinstance(node.schema, dict)
            and "$ref" in node.schema
            and all(k == "$ref" or k in ANNOTATIONS for k in node.schema)
            and hops < 64
        ):
            node = self.resolve(node)
            hops += 1
        return node

    def valid_all(self, nodes: Iterable[Node], value: Any) -> bool:
        return all(self.valid(n, value) for n in nodes)


def iter_children(schema: Any) -> Iterator[Any]:
    """Direct subschemas of a schema (for structural scans)."""
    if not isinstance(schema, dict):
        return
    for kw, v in schema.items():
        for _, child in _vocabulary.children(kw, v):
            yield child


def mentions(schema: Any, keywords: frozenset[str]) -> bool:
    """Whether any subschema of ``schema`` uses one of ``keywords``."""
    if isinstance(schema, dict):
        if any(k in schema for k in keywords):
            return True
        return any(mentions(c, keywords) for c in iter_children(schema))
    return False


APPLICATOR_KEYWORDS = frozenset(_APPLICATORS)


def strict_equal(a: Any, b: Any) -> bool:
    """Structural equality of JSON values where ``true`` is not ``1``."""
    if a is b:
        return True  # shared subschemas (documents are never mutated once built)
    if type(a) is not type(b):
        if isinstance(a, bool) or isinstance(b, bool):
            return False
        if isinstance(a, int | float) and isinstance(b, int | float):
            return bool(a == b)
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def same_ref_free(a: Any, b: Any) -> bool:
    """``strict_equal(a, b)`` and neither holds a ``$ref``/``$dynamicRef`` key, in one walk."""
    if a is b:
        return not _has_ref(a)
    if type(a) is not type(b):
        return strict_equal(a, b)  # scalars of different types; containers never equal
    if isinstance(a, dict):
        if "$ref" in a or "$dynamicRef" in a or a.keys() != b.keys():
            return False
        return _same_ref_free_values(a.values(), [b[k] for k in a])
    if isinstance(a, list):
        return len(a) == len(b) and _same_ref_free_values(a, b)
    return bool(a == b)


def _same_ref_free_values(a: Iterable[Any], b: Iterable[Any]) -> bool:
    """``same_ref_free`` of each pair, in order, as many as ``a`` has (``b``: as many)."""
    for v, w in zip(a, b):  # noqa: B905 - the callers give equally many
        kind = type(v)
        if kind is type(w) and (kind is str or kind is int):
            # What the call below answers for two strings or two ints (most keyword
            # values of a wide schema), without the call.
            if v != w:
                return False
        elif not same_ref_free(v, w):
            return False
    return True
