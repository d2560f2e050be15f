"""Contract semantics as schema transforms: the writer closure and the removal policy.

Both walk instance locations. At a location, the *applicable* subschemas are the ones
docs/design.md lists (the schema itself, ``allOf``, ``anyOf``/``oneOf`` branches, ``$ref``
targets, ``if``/``then``/``else``, ``dependentSchemas``); the location's declared keys
are the names in their ``properties`` and ``required`` plus the keys matching their
``patternProperties``. Locations are memoised by the set of applicable subschemas, so
recursive schemas produce finitely many generated definitions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.compat._nodes import (
    BudgetExhausted,
    Ctx,
    Node,
    Unsupported,
    may_contain,
    mentions,
    strict_equal,
)
from accord.compat._prover import Prover, regex_search
from accord.compat._types import Removal
from accord.core import pointer as _pointer
from accord.core.memo import IdentityMemo
from accord.core.schema import Schema
from accord.core.vocabulary import item_subschemas, key_subschemas

__all__ = ["location_children", "removals", "writer_closure"]

_UNEVALUATED = frozenset({"unevaluatedProperties", "unevaluatedItems"})


_STRUCTURAL = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "required",
        "items",
        "prefixItems",
        "unevaluatedItems",
        "allOf",
        "anyOf",
        "oneOf",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "$ref",
        "$dynamicRef",
    }
)
# The removal walk also enters ``contains``: its element is a struct location for the
# removal policy (``_push_values``), below a property as at the root. The closure does
# not (DESIGN's applicable subschemas leave ``contains`` out), so it keeps _STRUCTURAL.
_REMOVAL_STRUCTURAL = _STRUCTURAL | {"contains"}


def is_leaf(schema: Any, structural: frozenset[str] = _STRUCTURAL) -> bool:
    """A schema with no instance children and no applicators (closure and removals skip it).

    ``structural``: the keywords that make a schema not a leaf (the removal walk passes
    ``_REMOVAL_STRUCTURAL``).
    """
    return not isinstance(schema, dict) or structural.isdisjoint(schema)


def _dicts(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if isinstance(n.schema, dict)]


def location_children(ctx: Ctx, nodes: list[Node], key: str) -> list[Node]:
    """The subschemas the (applicable) ``nodes`` impose on the value of ``key``."""
    return [
        ctx.child(n, *path)
        for n in _dicts(nodes)
        for path in key_subschemas(n.schema, key, regex_search)
    ]


def _at(schema: Any, path: tuple[str | int, ...]) -> Any:
    for token in path:
        schema = schema[token]
    return schema


def _item_children(ctx: Ctx, nodes: list[Node], i: int | None) -> list[Node]:
    return [ctx.child(n, *path) for n in _dicts(nodes) for path in item_subschemas(n.schema, i)]


def _prefix_len(nodes: list[Node]) -> int:
    """The longest ``prefixItems`` among ``nodes``."""
    lens = [
        len(n.schema["prefixItems"])
        for n in _dicts(nodes)
        if isinstance(n.schema.get("prefixItems"), list)
    ]
    return max(lens, default=0)


def _has_patterns(dicts: list[Node]) -> bool:
    return any(isinstance(n.schema.get("patternProperties"), dict) for n in dicts)


def _unpatterned_leaf(
    dicts: list[Node], key: str, structural: frozenset[str] = _STRUCTURAL
) -> bool:
    """Whether every subschema the object schemas ``dicts`` (none with
    ``patternProperties``) impose on the value of ``key`` is a leaf: a key's subschema
    is then ``properties[key]``, else ``additionalProperties`` (``key_subschemas``), so
    a key costs a lookup per schema (most properties of a wide object are leaves).

    The walks ask :func:`_non_leaf_keys` for every key at once; this is its key-by-key
    definition (tests hold the two equal)."""
    for n in dicts:
        s = n.schema
        props = s.get("properties")
        if isinstance(props, dict) and key in props:
            value = props[key]
        elif "additionalProperties" in s:
            value = s["additionalProperties"]
        else:
            continue
        if isinstance(value, dict) and not structural.isdisjoint(value):
            return False
    return True


def _non_leaf_keys(
    dicts: list[Node], names: Iterable[str], structural: frozenset[str] = _STRUCTURAL
) -> set[str]:
    """The keys among ``names`` that are not :func:`_unpatterned_leaf` for ``dicts``
    (and maybe others, never asked), each object schema read once: a wide object's
    keys then cost one set lookup each instead of a call.

    A key is not a leaf where some schema's ``properties`` holds it with a non-leaf
    subschema, or where some schema does not name it and has a non-leaf
    ``additionalProperties``: what :func:`_unpatterned_leaf` finds key by key.
    """
    out: set[str] = set()
    for n in dicts:
        s = n.schema
        props = s.get("properties")
        if not isinstance(props, dict):
            props = {}
        out.update(
            k for k, v in props.items() if isinstance(v, dict) and not structural.isdisjoint(v)
        )
        if "additionalProperties" in s:
            rest = s["additionalProperties"]
            if isinstance(rest, dict) and not structural.isdisjoint(rest):
                out.update(k for k in names if k not in props)
    return out


def _shared_pattern(pattern: str, loc: _Location, dicts: list[Node]) -> bool:
    """Whether a value under ``pattern`` at ``loc`` may also be under another subschema.

    The closure constrains such values by ``patternProperties: {pattern: ...}``, which
    also reaches a named key matching the pattern (its value is under ``properties``
    too), a key matching a second pattern (unless the two are disjoint), and a key
    that an object schema of ``dicts`` (the location's) without this pattern covers by
    a schema-valued ``additionalProperties`` or ``unevaluatedProperties``. The value's
    location is then more than the pattern's, and the pattern's alone (fewer declared
    keys) would forbid keys the writer may emit there. Such a pattern's values are left
    unconstrained by the closure: a looser writer, never a wrong "holds" (a named key's
    own constraint, under ``properties``, stays exact).
    """
    if any(regex_search(pattern, k) for k in loc.names):
        return True
    if any(_patterns_meet(pattern, q) for q in loc.patterns if q != pattern):
        return True
    return any(
        isinstance(n.schema.get(kw), dict)
        and pattern not in (n.schema.get("patternProperties") or {})
        for n in dicts
        for kw in ("additionalProperties", "unevaluatedProperties")
    )


def _patterns_meet(p: str, q: str) -> bool:
    """Whether some key may match both patterns (True unless the automata show none)."""
    from accord.validation.regular import NotRegular, Undecided, compile_pattern, search

    try:
        found, _cost = search([compile_pattern(p), compile_pattern(q)])
    except (NotRegular, Undecided):
        return True
    return found is not None


@dataclass
class _Location:
    names: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    is_map: bool = True
    props: dict[str, str] = field(default_factory=dict)  # key -> def name
    pattern_children: dict[str, str] = field(default_factory=dict)
    addl_child: str | None = None
    prefix_children: list[str] = field(default_factory=list)
    items_child: str | None = None


def _declared(nodes: list[Node]) -> tuple[list[str], list[str], bool]:
    names: dict[str, None] = {}
    patterns: dict[str, None] = {}
    opened = False
    for n in _dicts(nodes):
        s = n.schema
        if isinstance(s.get("properties"), dict):
            names.update(dict.fromkeys(s["properties"]))
        if isinstance(s.get("required"), list):
            names.update(dict.fromkeys(k for k in s["required"] if isinstance(k, str)))
        if isinstance(s.get("patternProperties"), dict):
            patterns.update(dict.fromkeys(s["patternProperties"]))
        for kw in ("additionalProperties", "unevaluatedProperties"):
            if kw in s and s[kw] is not False:
                opened = True
    is_map = opened or (not names and not patterns)
    return list(names), list(patterns), is_map


class _ClosureBuilder:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.locations: dict[frozenset[tuple[int, int]], str] = {}
        self.built: dict[str, _Location] = {}

    def _leaf(self) -> str:
        if "leaf" not in self.built:
            self.built["leaf"] = _Location()
        return "leaf"

    def key_location(self, dicts: list[Node], key: str) -> str:
        """``location(location_children(ctx, dicts, key))`` (``dicts``: the applicable
        object schemas), without interning a node for a leaf (most properties of a wide
        object are)."""
        paths = [(n, path) for n in dicts for path in key_subschemas(n.schema, key, regex_search)]
        if all(is_leaf(_at(n.schema, path)) for n, path in paths):
            return self._leaf()
        return self.location([self.ctx.child(n, *path) for n, path in paths])

    def location(self, nodes: list[Node]) -> str:
        ctx = self.ctx
        if all(is_leaf(n.schema) for n in nodes):
            return self._leaf()
        app = ctx.applicable(nodes)
        key = frozenset(n.key for n in app)
        name = self.locations.get(key)
        if name is not None:
            return name
        name = str(len(self.locations))
        self.locations[key] = name
        loc = _Location()
        self.built[name] = loc
        loc.names, loc.patterns, loc.is_map = _declared(app)
        dicts = _dicts(app)
        if _has_patterns(dicts):
            for k in loc.names:
                loc.props[k] = self.key_location(dicts, k)
        else:
            # ``key_location`` for each key, a leaf found without key_subschemas.
            props = loc.props
            non_leaf = _non_leaf_keys(dicts, loc.names)
            for k in loc.names:
                props[k] = self.key_location(dicts, k) if k in non_leaf else "leaf"
            if "leaf" in props.values():
                self._leaf()
        for p in loc.patterns:
            if _shared_pattern(p, loc, dicts):
                loc.pattern_children[p] = self._leaf()
                continue
            kids = [
                ctx.child(n, "patternProperties", p)
                for n in _dicts(app)
                if isinstance(n.schema.get("patternProperties"), dict)
                and p in n.schema["patternProperties"]
            ]
            loc.pattern_children[p] = self.location(kids)
        addl = [
            ctx.child(n, kw)
            for n in _dicts(app)
            for kw in ("additionalProperties", "unevaluatedProperties")
            if isinstance(n.schema.get(kw), dict)
        ]
        if addl:
            loc.addl_child = self.location(addl)
        loc.prefix_children = [
            self.location(_item_children(ctx, app, i)) for i in range(_prefix_len(app))
        ]
        tail = _item_children(ctx, app, None)
        if tail:
            loc.items_child = self.location(tail)
        return name

    def nontrivial(self) -> set[str]:
        live = {name for name, loc in self.built.items() if not loc.is_map}
        changed = True
        while changed:
            changed = False
            for name, loc in self.built.items():
                if name in live:
                    continue
                kids = [
                    *loc.props.values(),
                    *loc.pattern_children.values(),
                    *loc.prefix_children,
                    *([loc.addl_child] if loc.addl_child else []),
                    *([loc.items_child] if loc.items_child else []),
                ]
                if any(k in live for k in kids):
                    live.add(name)
                    changed = True
        return live


_closures: IdentityMemo[Schema] = IdentityMemo(64)


def writer_closure(schema: Schema) -> Schema:
    """The schema of what a writer may emit under contract semantics (docs/design.md).

    The result accepts exactly the payloads valid under ``schema`` that carry, at every
    struct location, only declared keys. It is ``schema`` itself with one more ``allOf``
    conjunct referencing generated ``$defs`` (``accord-closure-N``); recursion is
    expressed by references between generated definitions.

    Memoised on the schema's identity (documents are never mutated once built), so the
    diff's root comparison, its witness checks and its local questions share one
    closure (and one compiled validator) per document. The result must not be mutated.
    """
    if isinstance(schema, bool):
        return schema
    return _closures(schema, _writer_closure)


def _leaves_only(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` is a leaf (:func:`is_leaf`), or its only structural keyword is
    an ``allOf`` of leaves (the local questions of a diff: ``{"allOf": [property]}``).

    Then its one location declares no key and is a map (its applicable subschemas are
    the schema and those leaves: no ``properties``, ``required`` or
    ``patternProperties`` among them, and no child location either), so the closure
    built below has no live location and returns ``dict(schema)``, with nothing to
    resolve or match on the way (no ``$ref``, no pattern): what is returned here.
    """
    if is_leaf(schema):
        return True
    members = schema.get("allOf")
    return (
        isinstance(members, list)
        and _STRUCTURAL.intersection(schema) == {"allOf"}
        and all(is_leaf(m) for m in members)
    )


def _writer_closure(schema: dict[str, Any]) -> Schema:
    if _leaves_only(schema):
        return dict(schema)  # what the builder below finds, without building it
    ctx = Ctx(max_steps=10**9)
    root = ctx.add_doc(schema)
    builder = _ClosureBuilder(ctx)
    top = builder.location([root])
    live = builder.nontrivial()
    if top not in live:
        return dict(schema)
    wrap = may_contain(schema, _UNEVALUATED) and mentions(schema, _UNEVALUATED)
    got = schema.get("$defs")
    existing: dict[str, Any] = got if isinstance(got, dict) else {}
    prefix = "accord-closure-"
    while any(k.startswith(prefix) for k in existing):
        prefix = "x" + prefix

    def ref(name: str | None) -> Any:
        if name is None or name not in live:
            return True
        return {"$ref": "#/$defs/" + _pointer.escape(prefix + name)}

    defs: dict[str, Any] = {}
    for name in sorted(live, key=lambda x: (len(x), x)):
        loc = builder.built[name]
        body: dict[str, Any] = {}
        if not loc.is_map:
            names: list[Any] = sorted(loc.names)
            if loc.patterns:
                body["propertyNames"] = {
                    "anyOf": [{"enum": names}, *({"pattern": p} for p in loc.patterns)]
                }
            else:
                body["propertyNames"] = {"enum": names}
        # A leaf location is never live (a map, naming nothing): ``ref`` gives True.
        props = {k: True if v == "leaf" else ref(v) for k, v in loc.props.items()}
        pats = {p: ref(v) for p, v in loc.pattern_children.items()}
        addl = ref(loc.addl_child)
        if addl is not True:
            body["properties"] = props
            body["patternProperties"] = pats
            body["additionalProperties"] = addl
        else:
            if any(v is not True for v in props.values()):
                body["properties"] = {k: v for k, v in props.items() if v is not True}
            if any(v is not True for v in pats.values()):
                body["patternProperties"] = {k: v for k, v in pats.items() if v is not True}
        prefix_refs = [ref(c) for c in loc.prefix_children]
        items = ref(loc.items_child)
        # With an "items" constraint the prefix stays, even all True: without it, this
        # conjunct's "items" would reach the prefix positions (a map there, say).
        if any(v is not True for v in prefix_refs) or (prefix_refs and items is not True):
            body["prefixItems"] = prefix_refs
        if items is not True:
            body["items"] = items
        defs[prefix + name] = {"not": {"not": body}} if wrap else body
    # Shallow: subschemas are shared with the input, which is never modified.
    out = dict(schema)
    out["$defs"] = {**existing, **defs}
    got_all = out.get("allOf")
    all_of: list[Any] = got_all if isinstance(got_all, list) else []
    out["allOf"] = [*all_of, ref(top)]
    return out


# -- the removal policy ------------------------------------------------------------------


def _forbidden(ctx: Ctx, uncond: list[Node], key: str) -> str | None:
    """Why ``key`` can never appear under the always-applying ``uncond`` nodes (their
    object schemas: ``_dicts`` of them, which the caller takes once per location)."""
    for n in uncond:
        s = n.schema
        props = s.get("properties")
        hit = False
        if isinstance(props, dict) and key in props:
            hit = True
            if props[key] is False:
                return "forbidden by false"
        pats = s.get("patternProperties")
        if isinstance(pats, dict):
            for p, v in pats.items():
                if regex_search(p, key):
                    hit = True
                    if v is False:
                        return "forbidden by false"
        if not hit and s.get("additionalProperties") is False:
            return "forbidden by additionalProperties: false"
        if "propertyNames" in s and not ctx.valid(ctx.child(n, "propertyNames"), key):
            return "rejected by propertyNames"
    return None


# Steps one proof that a key's schema admits no value may take (a count, so the answer
# never depends on the machine); past it the key is not called removed by meaning.
_EMPTY_STEPS = 2_000
# Steps all of one comparison's such proofs may take together, so a schema padded with
# keys cannot make the check slow; past it keys are judged by their spelling alone, as
# before these proofs existed.
_EMPTY_TOTAL = 200_000


@dataclass
class _Allowance:
    remaining: int = _EMPTY_TOTAL


def _proves_empty(ctx: Ctx, prover: Prover, subs: list[Node], allowance: _Allowance) -> bool:
    """Whether the engine proves that no value is valid under all of ``subs``, within
    ``_EMPTY_STEPS`` and what is left of ``allowance`` (else False: not proven)."""
    if allowance.remaining <= 0:
        return False
    saved, start = ctx.max_steps, ctx.steps
    ctx.max_steps = start + min(_EMPTY_STEPS, allowance.remaining)
    try:
        return prover.incl(subs, ctx.synthetic(False)) is None
    except (BudgetExhausted, Unsupported):
        return False
    finally:
        allowance.remaining -= ctx.steps - start
        ctx.max_steps = saved


# Keywords that never make a schema empty on their own: annotations, what an empty
# object or array satisfies, and one bound of a string or a number.
_ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "examples", "default", "deprecated"}
    | {"readOnly", "writeOnly", "contentMediaType", "contentEncoding"}
)
_EMPTY_CONTAINERS_SATISFY = frozenset(
    {"properties", "patternProperties", "additionalProperties", "propertyNames"}
    | {"unevaluatedProperties", "dependentSchemas", "dependentRequired", "maxProperties"}
    | {"items", "prefixItems", "unevaluatedItems", "maxItems", "uniqueItems"}
)
_STRING_BOUNDS = frozenset({"minLength", "maxLength", "format"})
_NUMBER_BOUNDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
_PLAIN = _ANNOTATIONS | _EMPTY_CONTAINERS_SATISFY | _STRING_BOUNDS | _NUMBER_BOUNDS | {"type"}
_ENUM_ALONE = _ANNOTATIONS | {"enum"}
_CONST_ALONE = _ANNOTATIONS | {"const"}


def _plainly_satisfiable(schema: Any) -> bool:
    """Whether some value obviously satisfies ``schema`` (so no proof is needed): ``true``,
    a non-empty ``enum`` or a ``const`` with nothing but annotations beside it (its
    member, its value), or keywords of :data:`_PLAIN` only with a type named (or none),
    where at most one string bound and one number bound hold. A value of its first type
    then does: an empty object or array satisfies every container keyword here, ``null`` and
    booleans only their type, a string or a number one bound (every format names some
    string)."""
    if schema is True:
        return True
    if type(schema) is not dict:
        return False
    keys = schema.keys()
    if not keys <= _PLAIN:
        # {"enum": [...]} or {"const": v} alone (annotations aside): a member, or v, does
        enum = schema.get("enum")
        return (type(enum) is list and bool(enum) and keys <= _ENUM_ALONE) or (
            "const" in keys and keys <= _CONST_ALONE
        )
    kind = schema.get("type", "null")
    if type(kind) is not str and not (isinstance(kind, list) and kind):
        return False
    # ``len(keys & _STRING_BOUNDS) <= 1 and len(keys & _NUMBER_BOUNDS) <= 1``, counted
    # over the few keys: each ``&`` builds a set, which costs more than the loop (asked
    # for every key of a wide object).
    strings = numbers = 0
    for key in keys:
        if key in _STRING_BOUNDS:
            strings += 1
        elif key in _NUMBER_BOUNDS:
            numbers += 1
    return strings <= 1 and numbers <= 1


def _admits_no_value(  # noqa: PLR0917 - private, one caller
    ctx: Ctx,
    prover: Prover,
    dicts_n: list[Node],
    dicts_o: list[Node],
    key: str,
    allowance: _Allowance,
) -> bool:
    """Whether the schemas NEW always applies to ``key``'s value admit no value at all
    (``{"not": {}}``, ``{"type": "string", "enum": [1]}``): then no NEW writer sends the
    key, as with ``false``. Proven by the engine (``incl`` of their conjunction in
    ``false``) within ``_EMPTY_STEPS``; not asked for a schema plainly satisfiable, nor
    for one spelt as OLD spells it without a ``$ref`` (empty now, it was empty then)."""
    if len(dicts_n) == 1:
        # The common case first (one object schema naming the key, no patterns): what
        # key_subschemas finds, read directly.
        schema = dicts_n[0].schema
        props = schema.get("properties")
        if (
            "patternProperties" not in schema
            and type(props) is dict
            and _plainly_satisfiable(props.get(key, False))
        ):
            return False
    paths_n = [(x, path) for x in dicts_n for path in key_subschemas(x.schema, key, regex_search)]
    if not paths_n or all(_plainly_satisfiable(_at(x.schema, path)) for x, path in paths_n):
        return False
    kids_n = [ctx.child(x, *path) for x, path in paths_n]
    olds = [
        _at(x.schema, path) for x in dicts_o for path in key_subschemas(x.schema, key, regex_search)
    ]
    if all(
        ctx.is_ref_free(kid) and any(strict_equal(kid.schema, o) for o in olds) for kid in kids_n
    ):
        return False
    return _proves_empty(ctx, prover, kids_n, allowance)


def _unevaluated_admit_nothing(  # noqa: PLR0917 - private, one caller
    ctx: Ctx,
    prover: Prover,
    app_n: list[Node],
    dicts_n: list[Node],
    key: str,
    allowance: _Allowance,
) -> bool:
    """Whether ``key``, which no schema NEW applies here names, matches by a pattern or
    covers by ``additionalProperties`` (so none evaluates it), falls under an
    ``unevaluatedProperties`` schema of an always-applying one (``dicts_n``) that
    admits no value: then no NEW writer sends it, as with ``false``."""
    unevaluated = [
        ctx.child(x, "unevaluatedProperties")
        for x in dicts_n
        if "unevaluatedProperties" in x.schema
    ]
    if not unevaluated:
        return False
    for x in _dicts(app_n):
        s = x.schema
        if "additionalProperties" in s:
            return False
        pats = s.get("patternProperties")
        if isinstance(pats, dict) and any(regex_search(p, key) for p in pats):
            return False
    return _proves_empty(ctx, prover, unevaluated, allowance)


# Object keywords that can forbid a key without naming it false: at a location none of
# NEW's applicable schemas uses, no proof is asked.
_KEY_FORBIDDING = frozenset(
    {"not", "maxProperties", "oneOf", "anyOf", "if", "dependentSchemas", "dependentRequired"}
)


def _forbids_key(
    ctx: Ctx, prover: Prover, uncond_n: list[Node], key: str, allowance: _Allowance
) -> bool:
    """Whether no value NEW always applies here (``uncond_n``, a conjunction) has
    ``key``: ``{"not": {"required": [key]}}``, ``maxProperties`` below the other
    required keys, an ``if``/``then: false`` on it. Proven by the engine (``incl`` of
    the conjunction with ``required: [key]`` in ``false``) within ``_EMPTY_STEPS``."""
    present = ctx.synthetic({"required": [key]})
    return _proves_empty(ctx, prover, [*uncond_n, present], allowance)


def _admits_objects(uncond: list[Node]) -> bool:
    for n in uncond:
        s = n.schema
        if s is False:
            return False
        if isinstance(s, dict):
            t = s.get("type")
            if isinstance(t, str) and t != "object":
                return False
            if isinstance(t, list) and "object" not in t:
                return False
    return True


def _values(ctx: Ctx, nodes: list[Node], keyword: str, *tokens: str) -> list[Node]:
    """The ``keyword`` subschemas (at ``tokens`` inside it) of ``nodes`` that are schemas."""
    out: list[Node] = []
    for n in _dicts(nodes):
        got: Any = n.schema.get(keyword)
        for t in tokens:
            got = got.get(t) if isinstance(got, dict) else None
        if isinstance(got, dict | bool):
            out.append(ctx.child(n, keyword, *tokens))
    return out


_MAP_VALUES = ("additionalProperties", "unevaluatedProperties")
_Work = deque[tuple[list[Node], list[Node], str]]


def _named(nodes: list[Node]) -> dict[str, tuple[str, bool]]:
    """The keys ``nodes`` name (``properties``, ``required``), each with where it is named:
    the schema's pointer and whether under ``properties`` (see :func:`_named_at`)."""
    named: dict[str, tuple[str, bool]] = {}
    for x in _dicts(nodes):
        s = x.schema
        base = x.ptr if x.ptr is not None else ""
        if isinstance(s.get("properties"), dict):
            for k in s["properties"]:
                named.setdefault(k, (base, True))
        if isinstance(s.get("required"), list):
            for k in s["required"]:
                if isinstance(k, str):
                    named.setdefault(k, (base, False))
    return named


def _named_at(key: str, where: tuple[str, bool]) -> str:
    """The pointer where :func:`_named` found ``key`` named (built only when reported)."""
    base, in_properties = where
    if in_properties:
        return _pointer.join(base, "properties", key)
    return _pointer.join(base, "required")


def _push_values(ctx: Ctx, app_o: list[Node], app_n: list[Node], where: str, work: _Work) -> None:
    """Queue OLD's map values and array elements, each with what NEW imposes there.

    Map values: ``additionalProperties``, ``unevaluatedProperties``,
    ``patternProperties``; array elements: each ``prefixItems`` entry, ``items``,
    ``contains``. So the removal policy holds at every struct location.
    """
    addl_n = [v for kw in _MAP_VALUES for v in _values(ctx, app_n, kw)]
    old_addl = [v for kw in _MAP_VALUES for v in _values(ctx, app_o, kw)]
    if old_addl:
        work.append((old_addl, addl_n, _pointer.join(where, "*")))
    patterns: dict[str, None] = {}
    for x in _dicts(app_o):
        if isinstance(x.schema.get("patternProperties"), dict):
            patterns.update(dict.fromkeys(x.schema["patternProperties"]))
    for p in patterns:
        same_n = _values(ctx, app_n, "patternProperties", p)
        work.append(
            (
                _values(ctx, app_o, "patternProperties", p),
                same_n or addl_n,
                _pointer.join(where, "*"),
            )
        )
    for i in range(_prefix_len(app_o)):
        work.append(
            (_item_children(ctx, app_o, i), _item_children(ctx, app_n, i), _pointer.join(where, i))
        )
    tail_n = _item_children(ctx, app_n, None)
    tail_o = _item_children(ctx, app_o, None)
    if tail_o:
        work.append((tail_o, tail_n, _pointer.join(where, "*")))
    contains_o = _values(ctx, app_o, "contains")
    if contains_o:
        # The element matching NEW's ``contains`` is under NEW's ``items`` as well.
        contains_n = [*tail_n, *_values(ctx, app_n, "contains")]
        work.append((contains_o, contains_n, _pointer.join(where, "*")))


def _plain_declarations(dicts_n: list[Node]) -> dict[str, Any] | None:
    """NEW's ``properties`` at a location whose object schemas NEW always applies are
    one schema without ``patternProperties`` or ``propertyNames`` (else None).

    ``removals`` asks this only where OLD's schemas have no ``patternProperties`` and no
    applicable schema of NEW uses a keyword of :data:`_KEY_FORBIDDING`. There, a key of
    OLD that this schema declares with a plainly satisfiable schema
    (:func:`_plainly_satisfiable`, so neither absent nor ``false``), and whose OLD
    subschemas are leaves (:func:`_unpatterned_leaf`), is neither removed nor walked
    into, as the per-key checks find one by one: ``_forbidden`` meets the key in
    ``properties`` (not ``false``), no pattern and no ``propertyNames``; the key is among
    the names NEW declares (``_declared`` reads every applicable schema, the
    unconditional ones among them), so it is not gone from the struct;
    ``_admits_no_value`` answers False on its first test; ``_forbids_key`` is not asked
    (nothing risky); and the leaf is skipped. No step or allowance is spent on the way.
    A wide object's keys cost one lookup each instead of four calls.
    """
    if len(dicts_n) != 1:
        return None
    schema = dicts_n[0].schema
    props = schema.get("properties")
    if type(props) is not dict or "patternProperties" in schema or "propertyNames" in schema:
        return None
    return props


def removals(old: Schema, new: Schema) -> list[Removal]:
    """Keys named in OLD that a writer on NEW can no longer emit (docs/design.md policy).

    One rule at every struct location: the root, property values, map values
    (``additionalProperties``, ``patternProperties``), array elements (``items``, each
    ``prefixItems`` entry, ``contains``), through ``$ref`` and the combinators.
    """
    ctx = Ctx(max_steps=10**9)
    o = ctx.add_doc(old)
    n = ctx.add_doc(new)
    prover = Prover(ctx)
    allowance = _Allowance()
    out: list[Removal] = []
    seen: set[tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]] = set()
    reported: set[tuple[str, str]] = set()
    # Breadth first, so a location reached along several paths (recursion) is reported
    # at its shortest instance path.
    work: _Work = deque([([o], [n], "")])
    try:
        while work:
            o_nodes, n_nodes, where = work.popleft()
            app_o = ctx.applicable(o_nodes)
            app_n = ctx.applicable(n_nodes)
            memo = (frozenset(x.key for x in app_o), frozenset(x.key for x in app_n))
            if memo in seen or not _dicts(app_o):
                continue
            seen.add(memo)
            # Map values and array elements first: an array location admits no object,
            # yet its elements are struct locations all the same.
            _push_values(ctx, app_o, app_n, where, work)
            uncond_n = ctx.unconditional(n_nodes)
            if not _admits_objects(uncond_n):
                continue
            names_n, patterns_n, map_n = _declared(app_n)
            declared_n = set(names_n)
            dicts_o = _dicts(app_o)
            dicts_n = _dicts(uncond_n)
            unpatterned_o = not _has_patterns(dicts_o)
            risky_n = any(not x.schema.keys().isdisjoint(_KEY_FORBIDDING) for x in _dicts(app_n))
            plain_n = _plain_declarations(dicts_n) if unpatterned_o and not risky_n else None
            named_o = _named(app_o)
            # ``_unpatterned_leaf(dicts_o, k, _REMOVAL_STRUCTURAL)`` is ``k not in non_leaf_o``.
            non_leaf_o = (
                _non_leaf_keys(dicts_o, named_o, _REMOVAL_STRUCTURAL) if unpatterned_o else set()
            )
            for k, named_at in named_o.items():
                if (
                    plain_n is not None
                    and _plainly_satisfiable(plain_n.get(k, False))
                    and k not in non_leaf_o
                ):
                    continue  # what the checks below find for ``k`` (``_plain_declarations``)
                why = _forbidden(ctx, dicts_n, k)
                if (
                    why is None
                    and not map_n
                    and k not in declared_n
                    and not any(regex_search(p, k) for p in patterns_n)
                ):
                    why = "gone from struct"
                if why is None and _admits_no_value(ctx, prover, dicts_n, dicts_o, k, allowance):
                    why = "forbidden by a schema no value satisfies"
                if (
                    why is None
                    and k not in declared_n
                    and _unevaluated_admit_nothing(ctx, prover, app_n, dicts_n, k, allowance)
                ):
                    why = "forbidden by an unevaluatedProperties schema no value satisfies"
                if why is None and risky_n and _forbids_key(ctx, prover, uncond_n, k, allowance):
                    why = "forbidden by its object's schema"
                if why is not None:
                    if (where, k) not in reported:
                        reported.add((where, k))
                        out.append(Removal(where or "", k, _named_at(k, named_at), why))
                    continue
                # ``location_children(ctx, app_o, k)``, its nodes interned only when one
                # is not a leaf (most properties of a wide object are leaves; a leaf
                # names no key, so no Removal ever reads its node).
                if unpatterned_o and k not in non_leaf_o:
                    continue
                paths = [
                    (x, path) for x in dicts_o for path in key_subschemas(x.schema, k, regex_search)
                ]
                if all(is_leaf(_at(x.schema, path), _REMOVAL_STRUCTURAL) for x, path in paths):
                    continue
                kids_o = [ctx.child(x, *path) for x, path in paths]
                work.append((kids_o, location_children(ctx, app_n, k), _pointer.join(where, k)))
    except Unsupported:
        pass
    out.sort(key=lambda r: (r.instance_path, r.key))
    return out
