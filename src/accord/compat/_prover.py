"""The inclusion prover: sound proofs that every payload of SUB is valid under SUP.

The writer side is expanded into a disjunction of clauses (``anyOf``/``oneOf``
branches, ``if``/``then``/``else``), each clause a conjunction of atoms whose keywords
are merged into per-type facets over the partition null / boolean / integer /
non-integer number / string / array / object. The reader side is decomposed by its
applicators (``allOf`` must all hold, ``anyOf`` needs one covering branch per type,
``oneOf`` additionally needs the other branches disjoint, ``not`` needs disjointness)
down to its own keywords, which are compared facet by facet. Object and array
children recurse through :meth:`Prover.incl`, which memoises by node sets and assumes
a pair that is already in progress (coinduction: sound for finite instances by
induction on depth). Results that leaned on an outer assumption are not cached, so a
provisional "holds" never leaks into another context.

Writer-side keywords are read where their meaning is exact: ``not allOf``/``not
anyOf``/``not`` of a multi-keyword schema become alternatives of simpler negations,
``dependentSchemas`` the ``if``/``then`` it means, ``unevaluatedItems``/
``unevaluatedProperties`` the ``items``/``additionalProperties`` they mean when what is
evaluated beside them is the same for every instance (:func:`static_evaluated`).
Anything left out only widens the writer. A union of reader branches may cover the
writer together (``oneOf``: when they are pairwise disjoint within it).

Anything the prover cannot establish is a :class:`Gap` (a reason and the instance
path where it arose); only the refuter may turn a gap into "not included".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, TypeGuard

from accord.compat._nodes import (
    ALL_TYPES,
    ANNOTATIONS,
    Ctx,
    Node,
    Unsupported,
    _utf8,
    num,
    same_ref_free,
    strict_equal,
    type_of,
    value_key,
)
from accord.core.vocabulary import (
    ARRAY_KEYWORDS,
    NUMBER_KEYWORDS,
    OBJECT_KEYWORDS,
    STRING_KEYWORDS,
    TYPE_KEYWORDS,
    item_subschemas,
)
from accord.validation.formats import FORMATS

# The formats 2020-12 defines are asserted (docs/design.md); unknown ones are annotations.
ASSERTED_FORMATS = FORMATS

__all__ = ["Gap", "Prover", "regex_search"]

MAX_CLAUSES = 256
# The keywords each instance type reads (the tests list what the engine models).
NUM_KW = NUMBER_KEYWORDS
STR_KW = STRING_KEYWORDS
ARR_KW = ARRAY_KEYWORDS
OBJ_KW = OBJECT_KEYWORDS
_KW_BY_TYPE = TYPE_KEYWORDS
MAX_DEPENDENT = 4
MAX_UNION = 8  # branches a union is split over (each pair is compared for oneOf)
_COMBINATORS = frozenset(
    {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "$dynamicRef"}
)


# Keywords whose meaning depends on each other (in one schema object): a schema is the
# conjunction of its keywords, these groups counting as one keyword each.
_READ_TOGETHER: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "properties",
            "patternProperties",
            "additionalProperties",
            "unevaluatedProperties",
            "dependentSchemas",
        }
    ),
    frozenset(
        {"prefixItems", "items", "unevaluatedItems", "contains", "minContains", "maxContains"}
    ),
    frozenset({"if", "then", "else"}),
)

# Keywords that apply subschemas in place: their annotations reach ``unevaluated*``.
_IN_PLACE = frozenset(
    {"allOf", "anyOf", "oneOf", "if", "then", "else", "$ref", "$dynamicRef", "dependentSchemas"}
)


def rest_keyword(s: dict[str, Any], keyword: str) -> str | None:
    """The keyword that constrains the items (keys) no other keyword of ``s`` evaluates.

    ``items`` (``additionalProperties``) when present; ``unevaluatedItems``
    (``unevaluatedProperties``) when it means exactly the same: no in-place applicator
    beside it (whose annotations it would see) and nothing else evaluating items
    (``contains``). Else None.
    """
    plain = "items" if keyword == "items" else "additionalProperties"
    if plain in s:
        return plain
    other = "unevaluatedItems" if plain == "items" else "unevaluatedProperties"
    if other not in s or not _IN_PLACE.isdisjoint(s):
        return None
    if other == "unevaluatedItems" and "contains" in s:
        return None
    return other


_CONDITIONAL = frozenset(
    {"anyOf", "oneOf", "if", "then", "else", "dependentSchemas", "$dynamicRef"}
)


def static_evaluated(
    ctx: Ctx, node: Node, keyword: str, *, maybe: bool = False
) -> tuple[dict[str, None], dict[str, None], int] | None:
    """What ``node`` and the subschemas always applied with it (``$ref``, ``allOf``)
    evaluate, for its ``unevaluatedProperties`` or ``unevaluatedItems`` (``keyword``):
    property names, ``patternProperties`` patterns and the prefix length. None when that
    depends on the instance (a conditional applicator beside them) or everything is
    evaluated anyway (``additionalProperties``, ``items``, ``contains``, a nested
    ``unevaluated*``).

    ``maybe`` (the writer's side): count what a conditional subschema (``anyOf``,
    ``oneOf``, ``if``/``then``/``else``, ``dependentSchemas``) may evaluate as evaluated.
    ``unevaluated*`` then constrains fewer keys than it does, which only widens a writer.
    Names and patterns come in document order: a search over them that may stop early
    (or raise on a pattern it cannot read) does the same work under every hash seed.
    """
    everything = (
        {"additionalProperties", "unevaluatedProperties"}
        if keyword == "unevaluatedProperties"
        else {"items", "contains", "unevaluatedItems"}
    )
    keys: dict[str, None] = {}
    patterns: dict[str, None] = {}
    prefix = 0
    for n in ctx.applicable([node]) if maybe else ctx.unconditional([node]):
        sub = n.schema
        if not isinstance(sub, dict):
            if sub is False and not maybe:
                return None
            continue
        conditional = [k for k in _CONDITIONAL.intersection(sub) if sub[k] != {}]
        if conditional and (not maybe or "$dynamicRef" in conditional):
            return None  # (an empty dependentSchemas applies nothing)
        if n is not node and keyword in sub:
            return None
        if not everything.isdisjoint(k for k in sub if k != keyword):
            return None
        if isinstance(sub.get("properties"), dict):
            keys.update(dict.fromkeys(sub["properties"]))
        if isinstance(sub.get("patternProperties"), dict):
            patterns.update(dict.fromkeys(sub["patternProperties"]))
        if isinstance(sub.get("prefixItems"), list):
            prefix = max(prefix, len(sub["prefixItems"]))
    return keys, patterns, prefix


def writer_rest(ctx: Ctx, a: Node) -> tuple[Node, dict[str, None]] | None:
    """The subschema of ``a`` that a key gets when ``a`` neither names it nor matches it
    with one of the returned patterns (``additionalProperties``, or an
    ``unevaluatedProperties`` that means it), or None."""
    s = a.schema
    rest = rest_keyword(s, "additionalProperties")
    if rest is not None:
        return ctx.child(a, rest), dict.fromkeys(s.get("patternProperties") or {})
    if "unevaluatedProperties" in s:
        ev = static_evaluated(ctx, a, "unevaluatedProperties", maybe=True)
        if ev is not None:
            return ctx.child(a, "unevaluatedProperties"), ev[1]
    return None


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> Any:
    import regress

    return regress.Regex(pattern)


def regex_search(pattern: str, text: str) -> bool:
    """ECMA-262 unanchored search, as ``pattern`` means in JSON Schema."""
    try:
        return _regex(pattern).find(text) is not None
    except Exception as exc:  # regress raises its own error type for bad patterns
        raise Unsupported(f"unsupported pattern {pattern!r}") from exc


@dataclass(frozen=True, slots=True)
class Gap:
    """Why a proof failed, and where (instance path tokens from the root)."""

    reason: str
    path: tuple[str | int, ...] = ()
    hints: tuple[Any, ...] = ()


def _types_of(schema: dict[str, Any]) -> set[str] | None:
    t = schema.get("type")
    if t is None:
        return None
    names = [t] if isinstance(t, str) else list(t) if isinstance(t, list) else []
    out: set[str] = set()
    for name in names:
        if name == "number":
            out |= {"integer", "number"}
        elif name in ALL_TYPES:
            out.add(name)
    return out


def _flcm(values: Sequence[Fraction]) -> Fraction | None:
    if not values:
        return None
    num_l, den_g = values[0].numerator, values[0].denominator
    for v in values[1:]:
        num_l = num_l * v.numerator // math.gcd(num_l, v.numerator)
        den_g = math.gcd(den_g, v.denominator)
    return Fraction(num_l, den_g)


_EXACT_INTS = 2**53  # every integer up to this is a float; past it, most are not


def _is_number(value: Any) -> TypeGuard[int | float | Decimal]:
    # A tuple, not ``int | float | Decimal``: that union is built afresh at every call.
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def schema_number(value: int | float | Decimal) -> Fraction:
    """The number a schema's bound or divisor denotes to the reference validator.

    Raises:
        Unsupported: where the reference reads it two ways. It compares an integer
            payload with a float by the float's binary value (``maximum: 1e23`` refuses
            ``10**23``: the float is 99999999999999991611392) and an exact payload (a
            ``Decimal``) with the float as written; below 2**53 no integer lies between
            the two readings (such an integer would be a float, the float itself). A
            bound kept as a ``Decimal`` (``1e400``, or a number no float holds) is not
            read either: how the reference compares it with each kind of payload is not
            modelled (it was ignored, a missing bound: ``maximum: 1e400`` looked like
            no bound at all).
    """
    if isinstance(value, Decimal):
        raise Unsupported(f"the bound {value}: no float holds it, and the reference reads it apart")
    exact = num(value)
    if isinstance(value, float) and abs(value) >= _EXACT_INTS and Fraction(value) != exact:
        raise Unsupported(
            f"the bound {value!r}: the reference compares integers with the float's binary "
            f"value ({int(value)}), other numbers with {value!r} as written"
        )
    return exact


@dataclass(slots=True)
class NumRange:
    lo: Fraction | None = None
    lo_x: bool = False
    hi: Fraction | None = None
    hi_x: bool = False
    mults: list[Fraction] = field(default_factory=list)

    def copy(self) -> NumRange:
        return NumRange(self.lo, self.lo_x, self.hi, self.hi_x, list(self.mults))

    def add_lo(self, v: Fraction, x: bool) -> None:
        if self.lo is None or v > self.lo or (v == self.lo and x):
            self.lo, self.lo_x = v, x

    def add_hi(self, v: Fraction, x: bool) -> None:
        if self.hi is None or v < self.hi or (v == self.hi and x):
            self.hi, self.hi_x = v, x

    def apply(self, s: dict[str, Any]) -> None:
        for kw, lo, x in (
            ("minimum", True, False),
            ("exclusiveMinimum", True, True),
            ("maximum", False, False),
            ("exclusiveMaximum", False, True),
        ):
            v = s.get(kw)
            if _is_number(v):
                (self.add_lo if lo else self.add_hi)(schema_number(v), x)
        m = s.get("multipleOf")
        if _is_number(m) and m > 0:
            self.mults.append(schema_number(m))

    def int_bounds(self) -> tuple[int | None, int | None]:
        a = b = None
        if self.lo is not None:
            a = math.ceil(self.lo)
            if self.lo_x and a == self.lo:
                a += 1
        if self.hi is not None:
            b = math.floor(self.hi)
            if self.hi_x and b == self.hi:
                b -= 1
        return a, b

    def empty(self, part: str) -> bool:
        if part == "integer":
            a, b = self.int_bounds()
            if a is not None and b is not None and a > b:
                return True
            step = _flcm([*self.mults, Fraction(1)]) if self.mults else None
            if step is not None and a is not None and b is not None:
                first = math.ceil(Fraction(a) / step) * step
                return first > b
            return False
        if self.lo is not None and self.hi is not None:
            if self.lo > self.hi:
                return True
            if self.lo == self.hi and (self.lo_x or self.hi_x or self.lo.denominator == 1):
                return True
        step = _flcm(self.mults)
        return step is not None and step.denominator == 1


_STRING_ATOM: dict[str, Any] = {"type": "string"}

# The keywords :meth:`Facets.key_nodes` reads: an atom with none of them imposes
# nothing on any key's value.
_KEY_KEYWORDS = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
    }
)


class _KeyAtom:
    """What :meth:`Facets.key_nodes` reads of one atom, read once per clause."""

    __slots__ = (
        "members",
        "names",
        "names_node",
        "node",
        "pats",
        "props",
        "rest",
        "unevaluated",
    )

    def __init__(self, node: Node) -> None:
        s = node.schema
        self.node = node
        props = s.get("properties")
        self.props: dict[str, Any] | None = props if isinstance(props, dict) else None
        pats = s.get("patternProperties")
        self.pats: dict[str, Any] | None = pats if isinstance(pats, dict) else None
        self.rest = rest_keyword(s, "additionalProperties")
        self.unevaluated = "unevaluatedProperties" in s
        self.names = "propertyNames" in s
        self.names_node: Node | None = None  # interned on first use, as before
        # ``ctx.string_enum_check(names_node)`` once known: None before the first check,
        # False when propertyNames is not an enum of strings.
        self.members: tuple[int, frozenset[str]] | bool | None = None


class Facets:
    """The merged constraints of one clause (a conjunction of atoms)."""

    def __init__(
        self,
        prover: Prover,
        atoms: Sequence[Node],
        negs: Sequence[Node],
        restrict: frozenset[str] | None = None,
    ) -> None:
        self.prover = prover
        ctx = prover.ctx
        # Merging reads every atom and negation: a clause grown along a recursive
        # ``$ref`` (one more atom per hop) costs its size, so the budget counts it.
        ctx.step(len(atoms) + len(negs))
        self.atoms = list(atoms)
        self.atom_keys = frozenset(a.key for a in self.atoms)
        self.negs = list(negs)
        self.restrict = restrict
        types = set(ALL_TYPES if restrict is None else restrict)
        values: list[Any] | None = None
        self.num = {"integer": NumRange(), "number": NumRange()}
        self.min_len = 0
        self.max_len: int | None = None
        self.patterns: list[str] = []
        self.neg_patterns: list[str] = []  # from ``not: {"pattern": ...}``
        self.formats: set[str] = set()
        self.min_items = 0
        self.max_items: int | None = None
        self.unique = False
        self.required: set[str] = set()
        self.absent: set[str] = set()
        self.min_props = 0
        self.max_props: int | None = None
        self.excluded: list[Any] = []
        self.dicts: list[Node] = []
        for a in self.atoms:
            s = a.schema
            if s is False:
                types.clear()
                continue
            if not isinstance(s, dict):
                continue
            self.dicts.append(a)
            ts = _types_of(s)
            if ts is not None:
                types &= ts
            if "const" in s:
                values = [s["const"]] if values is None else values
            if isinstance(s.get("enum"), list):
                values = list(s["enum"]) if values is None else values
            if not NUMBER_KEYWORDS.isdisjoint(s):  # all ``apply`` reads (most atoms: none)
                self.num["integer"].apply(s)
                self.num["number"].apply(s)
            self._apply_scalar(s)
            if s.get("unevaluatedItems") is False and rest_keyword(s, "items") is None:
                ev = static_evaluated(ctx, a, "unevaluatedItems", maybe=True)
                if ev is not None:
                    self.max_items = ev[2] if self.max_items is None else min(self.max_items, ev[2])
        self.types = types
        self._close_required()
        for n in self.negs:
            self._apply_neg(n, depth=0)
        if self.min_len == 0 and any(v == "" for v in self.excluded):
            self.min_len = 1  # "" is the only string of length 0
        if values is None:
            values = self._enumerate()
        if values is not None:
            seen: dict[Hashable, list[Any]] = {}
            kept = []
            for v in values:
                k = value_key(v)
                # JSON equality calls 1e24 and 10**24 one value; the reference tells
                # them apart (an integer against the float's binary value, as Python's
                # == does: strict_equal), so both are checked. 1 and 1.0 stay one.
                if type_of(v) not in self.types or any(strict_equal(v, u) for u in seen.get(k, ())):
                    continue
                seen.setdefault(k, []).append(v)
                if ctx.valid_all(self.dicts, v) and not any(ctx.valid(n, v) for n in self.negs):
                    kept.append(v)
            values = kept
        self.values = values
        self._key_cache: dict[str, list[Node] | None] = {}
        self._key_dicts: list[_KeyAtom] | None = None
        self._pn: tuple[set[str], list[str] | None, bool] | None = None

    # -- construction ----------------------------------------------------------------
    def _apply_scalar(self, s: dict[str, Any]) -> None:
        v = s.get("minLength")
        if isinstance(v, int) and not isinstance(v, bool):
            self.min_len = max(self.min_len, v)
        v = s.get("maxLength")
        if isinstance(v, int) and not isinstance(v, bool):
            self.max_len = v if self.max_len is None else min(self.max_len, v)
        if isinstance(s.get("pattern"), str):
            self.patterns.append(s["pattern"])
        if isinstance(s.get("format"), str) and s["format"] in ASSERTED_FORMATS:
            self.formats.add(s["format"])
        v = s.get("minItems")
        if isinstance(v, int) and not isinstance(v, bool):
            self.min_items = max(self.min_items, v)
        v = s.get("maxItems")
        if isinstance(v, int) and not isinstance(v, bool):
            self.max_items = v if self.max_items is None else min(self.max_items, v)
        rest = rest_keyword(s, "items")
        if rest is not None and s[rest] is False:
            pre = s.get("prefixItems")
            n = len(pre) if isinstance(pre, list) else 0
            self.max_items = n if self.max_items is None else min(self.max_items, n)
        if s.get("uniqueItems") is True:
            self.unique = True
        if isinstance(s.get("required"), list):
            self.required.update(k for k in s["required"] if isinstance(k, str))
        v = s.get("minProperties")
        if isinstance(v, int) and not isinstance(v, bool):
            self.min_props = max(self.min_props, v)
        v = s.get("maxProperties")
        if isinstance(v, int) and not isinstance(v, bool):
            self.max_props = v if self.max_props is None else min(self.max_props, v)
        pn = s.get("propertyNames")
        if pn is False or (isinstance(pn, dict) and "string" not in (_types_of(pn) or {"string"})):
            self.max_props = 0  # no key name is valid: only the empty object is

    def _close_required(self) -> None:
        """Add the keys ``dependentRequired`` makes required, given the required ones."""
        deps = [
            a.schema["dependentRequired"]
            for a in self.dicts
            if isinstance(a.schema.get("dependentRequired"), dict)
        ]
        changed = bool(deps)
        while changed:
            changed = False
            for table in deps:
                for k, names in table.items():
                    if k in self.required and isinstance(names, list):
                        more = {v for v in names if isinstance(v, str)} - self.required
                        if more:
                            self.required |= more
                            changed = True

    def _apply_neg(self, n: Node, depth: int) -> None:
        s = n.schema
        if s is True:
            self.types.clear()
            return
        if s is False or not isinstance(s, dict):
            return
        keys = {
            k
            for k in s
            if k in _COMBINATORS
            or k in {"type", "const", "enum"}
            or any(k in kws for kws in _KW_BY_TYPE.values())
        }
        if keys == {"$ref"} and depth < 20:
            self._apply_neg(self.prover.ctx.resolve(n), depth + 1)
            return
        if keys & _COMBINATORS:
            return  # too complex to complement: dropping it over-approximates
        if "const" in keys or "enum" in keys:
            if keys <= {"const", "enum"}:
                self.excluded.extend([s["const"]] if "const" in s else s.get("enum") or [])
            return
        nt = _types_of(s)
        for t in sorted(self.types):
            if nt is not None and t not in nt:
                continue
            rel = [k for k in keys if k in _KW_BY_TYPE[t]]
            if not rel:
                self.types.discard(t)
            elif len(rel) == 1:
                self._complement(t, rel[0], s[rel[0]])

    def _complement(self, t: str, kw: str, v: Any) -> None:
        if isinstance(v, bool):
            return
        if t in ("integer", "number") and _is_number(v):
            r = self.num[t]
            if kw == "minimum":
                r.add_hi(schema_number(v), True)
            elif kw == "exclusiveMinimum":
                r.add_hi(schema_number(v), False)
            elif kw == "maximum":
                r.add_lo(schema_number(v), True)
            elif kw == "exclusiveMaximum":
                r.add_lo(schema_number(v), False)
        elif isinstance(v, int):
            if kw == "minLength":
                self.max_len = v - 1 if self.max_len is None else min(self.max_len, v - 1)
            elif kw == "maxLength":
                self.min_len = max(self.min_len, v + 1)
            elif kw == "minItems":
                self.max_items = v - 1 if self.max_items is None else min(self.max_items, v - 1)
            elif kw == "maxItems":
                self.min_items = max(self.min_items, v + 1)
            elif kw == "minProperties":
                self.max_props = v - 1 if self.max_props is None else min(self.max_props, v - 1)
            elif kw == "maxProperties":
                self.min_props = max(self.min_props, v + 1)
        elif kw == "required" and isinstance(v, list) and len(v) == 1 and isinstance(v[0], str):
            self.absent.add(v[0])
        elif kw == "pattern" and isinstance(v, str):
            self.neg_patterns.append(v)

    def _enumerate(self) -> list[Any] | None:
        out: list[Any] = []
        for t in sorted(self.types):  # a set of names: its own order hangs on the hash seed
            if self.part_empty(t, shallow=True):
                continue
            if t == "null":
                out.append(None)
            elif t == "boolean":
                out.extend([False, True])
            elif t == "integer":
                a, b = self.num["integer"].int_bounds()
                if a is None or b is None or b - a > 32:
                    return None
                out.extend(range(a, b + 1))
            elif t == "string" and self.max_len == 0:
                out.append("")
            else:
                return None
        return out

    def restricted(self, t: str) -> Facets:
        return Facets(self.prover, self.atoms, self.negs, frozenset({t}) & frozenset(self.types))

    def with_atoms(self, atoms: Sequence[Node], negs: Sequence[Node] = ()) -> Facets:
        return Facets(
            self.prover,
            [*self.atoms, *atoms],
            [*self.negs, *negs],
            frozenset(self.types),
        )

    # -- objects ---------------------------------------------------------------------
    def key_nodes(self, k: str) -> list[Node] | None:
        """The schemas this clause imposes on the value of key ``k``; None if forbidden."""
        cache = self._key_cache
        if k in cache:
            return cache[k]
        ctx = self.prover.ctx
        found: list[Node] = []
        out: list[Node] | None = found
        if k in self.absent or self.max_props == 0:
            out = None
        else:
            if self._key_dicts is None:
                self._key_dicts = [
                    _KeyAtom(a) for a in self.dicts if not _KEY_KEYWORDS.isdisjoint(a.schema)
                ]
            nodes = ctx.nodes
            for atom in self._key_dicts:
                a = atom.node
                # properties and patternProperties as the kernel applies them
                # (``key_subschemas``, inlined: this runs for every key of every object
                # compared); the rest (additionalProperties, or unevaluatedProperties
                # where it stands for it) is the engine's own reading.
                props = atom.props
                named = props is not None and k in props
                matched = [p for p in atom.pats if regex_search(p, k)] if atom.pats else ()
                if named:
                    # ``ctx.child(a, "properties", k)``, inlined.
                    value = props[k]  # type: ignore[index]  # named: props is a dict
                    key = (
                        (-1, int(value)) if value is True or value is False else (a.doc, id(value))
                    )
                    hit = nodes.get(key)
                    if hit is None:
                        hit = nodes[key] = Node(a.doc, value, None, key, a, ("properties", k))
                    found.append(hit)
                if matched:
                    found.extend(ctx.child(a, "patternProperties", p) for p in matched)
                rest = atom.rest
                if not (named or matched) and rest is not None:
                    found.append(ctx.child(a, rest))
                elif rest is None and atom.unevaluated:
                    ev = static_evaluated(ctx, a, "unevaluatedProperties", maybe=True)
                    if (
                        ev is not None
                        and k not in ev[0]
                        and not any(regex_search(p, k) for p in ev[1])
                    ):
                        found.append(ctx.child(a, "unevaluatedProperties"))
                if atom.names:
                    if atom.names_node is None:
                        atom.names_node = ctx.child(a, "propertyNames")
                    members = atom.members
                    if isinstance(members, tuple) and type(k) is str and (k.isascii() or _utf8(k)):
                        # ``ctx.valid(atom.names_node, k)`` on an enum of strings (the
                        # writer closure's propertyNames, asked once per key), inlined.
                        ctx.step(members[0])
                        ok = k in members[1]
                    else:
                        ok = ctx.valid(atom.names_node, k)
                        if members is None:
                            atom.members = ctx.string_enum_check(atom.names_node) or False
                    if not ok:
                        out = None
                        break
            if out is not None:
                for n in found:
                    if n.schema is False:
                        out = None
                        break
        cache[k] = out
        return out

    def known_keys(self) -> Any:
        """The keys whose :meth:`key_nodes` is already computed (a keys view)."""
        return self._key_cache.keys()

    def allowed_count(self, keys: Iterable[str], names: set[str] | None) -> int:
        """How many of ``keys`` (all known) are allowed, and among ``names`` when given."""
        cache = self._key_cache
        return sum(1 for k in keys if cache[k] is not None and (names is None or k in names))

    def pn_names(self) -> tuple[set[str], list[str] | None, bool]:
        """Key names listed by ``propertyNames``, its patterns, and whether keys are finite.

        Computed once per clause (the atoms do not change); callers only read it.
        """
        if self._pn is None:
            self._pn = self._pn_names()
        return self._pn

    def _pn_names(self) -> tuple[set[str], list[str] | None, bool]:
        names: set[str] = set()
        patterns: list[str] | None = None
        finite = False
        for a in self.dicts:
            pn = a.schema.get("propertyNames")
            if not isinstance(pn, dict):
                continue
            got = _pn_parts(pn)
            if got is None:
                continue
            ns, ps = got
            names |= ns
            if not ps:
                finite = True
            else:
                patterns = (patterns or []) + ps
        return names, patterns, finite

    def other_keys_possible(self) -> bool:
        if self.max_props == 0:
            return False
        for a in self.dicts:
            s = a.schema
            rest = rest_keyword(s, "additionalProperties")
            if rest is not None and s[rest] is False and not s.get("patternProperties"):
                return False
            if rest is None and s.get("unevaluatedProperties") is False:
                ev = static_evaluated(self.prover.ctx, a, "unevaluatedProperties", maybe=True)
                if ev is not None and not ev[1]:
                    return False
        return not self.pn_names()[2]

    # -- emptiness -------------------------------------------------------------------
    def part_empty(self, t: str, shallow: bool = False) -> bool:
        if t not in self.types:
            return True
        if t in ("integer", "number"):
            return self.num[t].empty(t)
        if t == "string":
            if self.max_len is not None and self.min_len > self.max_len:
                return True
            if not self.shaped():
                return False
            return self.string_example(self.min_len, self.max_len) is None

        if t == "array":
            return self.max_items is not None and self.min_items > self.max_items
        if t == "object":
            if self.max_props is not None and self.min_props > self.max_props:
                return True
            if self.required & self.absent:
                return True
            if self.max_props is not None and len(self.required) > self.max_props:
                return True
            if shallow:
                return False
            for k in sorted(self.required):
                nodes = self.key_nodes(k)
                if nodes is None:
                    return True
                if self.prover.depth_budget > 0 and self.prover.nodes_empty(nodes):
                    return True
            return False
        return False

    def shaped(self) -> bool:
        """Whether a pattern or a format constrains the writer's strings beyond lengths."""
        return bool(self.patterns or self.formats or self.neg_patterns)

    def string_example(
        self,
        min_len: int,
        max_len: int | None,
        readers: tuple[str, ...] = (),
        fmts: tuple[str, ...] = (),
        *,
        writer_lower: bool = False,
    ) -> str | Unsupported | None:
        """The shortest writer string (within the lengths) outside every one of the
        reader's patterns and the lower languages of its formats, ``None`` if there is
        none, or the reason the automata cannot tell (see :func:`_string_search`).
        ``writer_lower`` reads the writer's formats by their lower languages: no proof
        then, but a string more likely valid for the refuter."""
        if max_len is not None and min_len > max_len:
            return None
        found, cost = _string_search(
            tuple(self.patterns),
            frozenset(self.formats),
            tuple(self.neg_patterns),
            min_len,
            max_len,
            readers,
            fmts,
            writer_lower,
        )
        # Automaton states count as engine steps (charged on cache hits too, so a
        # verdict never depends on what an earlier comparison computed).
        self.prover.ctx.step(cost)
        return found

    def string_hints(
        self,
        min_len: int,
        max_len: int | None,
        readers: tuple[str, ...] = (),
        fmts: tuple[str, ...] = (),
    ) -> tuple[Any, ...]:
        """Candidate witnesses for the refuter: a writer string outside the readers, read
        with the writer's formats' lower languages (likely valid) and upper ones."""
        out: list[Any] = []
        for lower in (True, False) if self.formats else (False,):
            got = self.string_example(min_len, max_len, readers, fmts, writer_lower=lower)
            if isinstance(got, str) and got not in out:
                out.append(got)
        return tuple(out)

    def empty(self) -> bool:
        if self.values is not None:
            return not self.values
        return all(self.part_empty(t) for t in sorted(self.types))


@lru_cache(maxsize=4096)
def _string_search(  # noqa: PLR0917 - a cached pure function of its key
    patterns: tuple[str, ...],
    formats: frozenset[str],
    neg_patterns: tuple[str, ...],
    min_len: int,
    max_len: int | None,
    readers: tuple[str, ...],
    fmts: tuple[str, ...],
    writer_lower: bool = False,
) -> tuple[str | Unsupported | None, int]:
    """The shortest string a writer may send that the reader rejects, on automata.

    The writer's strings: its patterns, the upper languages of its formats, minus its
    negated patterns, within the lengths. Patterns the automata cannot read and formats
    without a language are dropped, which over-approximates the writer (sound). The
    reader: the union of its ``readers`` patterns (searches) and the lower languages of
    its ``fmts``; none means plain emptiness. Returns the string, ``None`` when there
    is none (a proof), or an :class:`Unsupported` saying why the automata cannot tell;
    and the search's cost in automaton states.
    """
    from accord.validation.regular import (
        DEFAULT_BUDGET,
        NotRegular,
        Undecided,
        compile_pattern,
        format_language,
        search,
    )

    positive: list[Any] = []
    negative: list[Any] = []
    for group, out in ((patterns, positive), (neg_patterns, negative)):
        for p in group:
            try:
                out.append(compile_pattern(p))
            except NotRegular:
                continue
    for name in sorted(formats):
        lang = format_language(name, upper=not writer_lower)
        if lang is not None:
            positive.append(lang)
    try:
        negative.extend(compile_pattern(p) for p in readers)
        for fmt in fmts:
            lang = format_language(fmt, upper=False)
            if lang is None:
                return Unsupported(f"format {fmt!r} has no regular language"), 0
            negative.append(lang)
        return search(positive, negative, min_len=min_len, max_len=max_len)
    except NotRegular as exc:
        return Unsupported(str(exc)), 0
    except Undecided as exc:
        return Unsupported(str(exc)), DEFAULT_BUDGET


def _patterns_within(
    patterns: Iterable[str], cover: Sequence[str], step: Callable[[int], None]
) -> bool:
    """Whether every string ``patterns`` match is matched by one of ``cover`` (the same
    text, or decided on automata whose states are charged to ``step``; ``False`` when
    the automata cannot tell)."""
    from accord.validation.regular import NotRegular, compile_pattern

    rest = [q for q in patterns if q not in cover]
    if not rest:
        return True
    try:
        covering = []
        for p in cover:
            try:
                covering.append(compile_pattern(p))
            except NotRegular:
                continue  # dropping a covering pattern under-approximates the cover: sound
        return all(_charged(step, [compile_pattern(q)], covering) is None for q in rest)
    except NotRegular:
        return False


def _charged(step: Callable[[int], None], positive: list[Any], negative: list[Any]) -> Any:
    """:func:`accord.validation.regular.find`, its states charged to the step budget;
    raises ``NotRegular`` where the search cannot tell (over its own budget too)."""
    from accord.validation.regular import DEFAULT_BUDGET, NotRegular, Undecided, search

    try:
        found, cost = search(positive, negative)
    except Undecided as exc:
        step(DEFAULT_BUDGET)
        raise NotRegular(str(exc)) from exc
    step(cost)
    return found


def _pn_parts(pn: dict[str, Any]) -> tuple[set[str], list[str]] | None:
    """Split a ``propertyNames`` schema made of enums, consts and patterns."""
    names: set[str] = set()
    patterns: list[str] = []
    branches = pn["anyOf"] if set(pn) == {"anyOf"} and isinstance(pn["anyOf"], list) else [pn]
    for b in branches:
        if not isinstance(b, dict):
            return None
        if set(b) == {"enum"} and isinstance(b["enum"], list):
            names.update(v for v in b["enum"] if isinstance(v, str))
        elif set(b) == {"const"}:
            if isinstance(b["const"], str):
                names.add(b["const"])
        elif set(b) == {"pattern"} and isinstance(b["pattern"], str):
            patterns.append(b["pattern"])
        else:
            return None
    return names, patterns


class Prover:
    """Proves inclusion between node sets; see the module docstring."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.memo: dict[tuple[frozenset[tuple[int, int]], tuple[int, int]], Gap | None] = {}
        self.active: dict[tuple[frozenset[tuple[int, int]], tuple[int, int]], int] = {}
        self.low = math.inf
        self.provisional: dict[tuple[frozenset[tuple[int, int]], tuple[int, int]], int] = {}
        self.provisional_log: list[tuple[frozenset[tuple[int, int]], tuple[int, int]]] = []
        self.depth_budget = 3
        self.string_atom = ctx.synthetic(_STRING_ATOM)
        self._req_atoms: dict[str, Node] = {}
        self._present_atoms: dict[str, Node] = {}
        self._negations: dict[tuple[int, int], list[tuple[list[Node], list[Node]]] | None] = {}

    # -- entry -----------------------------------------------------------------------
    def incl(self, subs: Sequence[Node], sup: Node, path: tuple[str | int, ...] = ()) -> Gap | None:
        """``None`` when every value valid under all of ``subs`` is valid under ``sup``."""
        ctx = self.ctx
        ctx.step()
        if len(subs) == 1 and subs[0].schema is sup.schema and ctx.is_ref_free(sup):
            # The check below, before resolving: a ref-free schema resolves to itself.
            return None
        try:
            sup = ctx.canonical(sup)
            subs = [ctx.canonical(n) for n in subs]
        except Unsupported as exc:
            return Gap(str(exc), path)
        if sup.schema is True:
            return None
        if len(subs) == 1:
            # The same ref-free schema on both sides: nothing to prove.
            mine = subs[0].schema
            if mine is sup.schema:
                if ctx.is_ref_free(sup):
                    return None
            elif same_ref_free(mine, sup.schema):
                return None
        key = (frozenset(n.key for n in subs), sup.key)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            self.low = min(self.low, self.active[key])
            return None
        pending = self.provisional.get(key)
        if pending is not None:
            self.low = min(self.low, pending)
            return None
        depth = len(self.active)
        self.active[key] = depth
        saved, self.low = self.low, math.inf
        mark = len(self.provisional_log)
        try:
            result = self._incl(subs, sup, path)
        except Unsupported as exc:
            result = Gap(str(exc), path)
        finally:
            del self.active[key]
        if result is not None:
            # Whatever was provisionally proven inside may have leaned on this pair.
            self._drop_provisional(mark)
            self.memo[key] = result
        elif self.low >= depth:
            # Every assumption made inside is now confirmed: commit the provisional ones.
            for k in self.provisional_log[mark:]:
                if self.provisional.pop(k, None) is not None:
                    self.memo[k] = None
            del self.provisional_log[mark:]
            self.memo[key] = None
        else:
            self.provisional[key] = int(self.low)
            self.provisional_log.append(key)
        self.low = min(saved, self.low)
        return result

    def _drop_provisional(self, mark: int) -> None:
        for k in self.provisional_log[mark:]:
            self.provisional.pop(k, None)
        del self.provisional_log[mark:]

    def _incl(self, subs: Sequence[Node], sup: Node, path: tuple[str | int, ...]) -> Gap | None:
        if any(n.key == sup.key for n in subs):
            return None
        clauses = self.dnf(subs)
        if clauses is None:
            return Gap("too many alternatives to compare", path)
        for atoms, negs in clauses:
            f = Facets(self, atoms, negs)
            if f.empty():
                continue
            gap = self.incl_f(f, sup, path, 0)
            if gap is not None:
                return gap
        return None

    # -- expansion -------------------------------------------------------------------
    def dnf(self, nodes: Sequence[Node]) -> list[tuple[list[Node], list[Node]]] | None:
        ctx = self.ctx
        results: list[tuple[list[Node], list[Node]]] = []
        stack: list[tuple[tuple[Node, ...], tuple[Node, ...], tuple[Node, ...], frozenset[Any]]]
        stack = [((), (), tuple(nodes), frozenset())]
        while stack:
            atoms, negs, pending, seen = stack.pop()
            ctx.step()
            if not pending:
                results.append((list(atoms), list(negs)))
                if len(results) > MAX_CLAUSES:
                    return None
                continue
            n, rest = pending[0], pending[1:]
            if n.key in seen or n.schema is True:
                stack.append((atoms, negs, rest, seen))
                continue
            seen = seen | {n.key}
            s = n.schema
            if not isinstance(s, dict):
                stack.append(((*atoms, n), negs, rest, seen))
                continue
            extra: list[Node] = []
            if "$ref" in s:
                extra.append(ctx.resolve(n))
            if isinstance(s.get("allOf"), list):
                extra.extend(ctx.child(n, "allOf", i) for i in range(len(s["allOf"])))
            new_negs = negs
            groups: list[list[tuple[list[Node], list[Node]]]] = []
            if "not" in s:
                nn = ctx.child(n, "not")
                inner = nn.schema
                if isinstance(inner, dict) and set(inner) == {"not"}:
                    extra.append(ctx.child(nn, "not"))
                else:
                    alternatives = self._negated(nn)
                    if alternatives is None:
                        new_negs = (*negs, nn)
                    elif len(alternatives) == 1:
                        new_negs = (*negs, *alternatives[0][1])
                    else:
                        groups.append(alternatives)
            if isinstance(s.get("anyOf"), list):
                groups.append([([ctx.child(n, "anyOf", i)], []) for i in range(len(s["anyOf"]))])
            if isinstance(s.get("oneOf"), list):
                bs = [ctx.child(n, "oneOf", i) for i in range(len(s["oneOf"]))]
                groups.append([([b], [o for o in bs if o is not b]) for b in bs])
            if "if" in s:
                i_node = ctx.child(n, "if")
                yes = [i_node] + ([ctx.child(n, "then")] if "then" in s else [])
                no = [ctx.child(n, "else")] if "else" in s else []
                groups.append([(yes, []), (no, [i_node])])
            groups.extend(self._dependent_groups(n))
            for combo in itertools.product(*groups):
                pos = [p for choice in combo for p in choice[0]]
                neg: list[Node] = []
                for choice in combo:
                    for q in choice[1]:
                        if isinstance(q.schema, dict) and set(q.schema) == {"not"}:
                            pos.append(ctx.child(q, "not"))  # not (not X) is X
                        else:
                            neg.append(q)
                stack.append(((*atoms, n), (*new_negs, *neg), (*extra, *pos, *rest), seen))
            if len(stack) > 4 * MAX_CLAUSES:
                return None
        return results

    def _negated(self, nn: Node) -> list[tuple[list[Node], list[Node]]] | None:
        """``not X`` as alternatives of simpler negations, or None (keep ``not X`` whole).

        ``not allOf[A, B]`` is ``not A`` or ``not B``; ``not anyOf[A, B]`` is ``not A`` and
        ``not B``; a ref-free ``X`` without applicators is the conjunction of its keyword
        groups (keywords that read each other stay together), so ``not X`` is one of
        their negations. Each alternative keeps ``not X`` itself too (exact, as each
        implies it), so a reader's identical ``not X`` is still seen as disjoint.
        """
        if nn.key not in self._negations:
            self._negations[nn.key] = self._split_negation(nn)
        return self._negations[nn.key]

    def _split_negation(self, nn: Node) -> list[tuple[list[Node], list[Node]]] | None:
        ctx = self.ctx
        inner = nn.schema
        if not isinstance(inner, dict):
            return None
        keys = set(inner) - ANNOTATIONS
        if keys == {"allOf"} and isinstance(inner["allOf"], list) and inner["allOf"]:
            return [([], [nn, ctx.child(nn, "allOf", i)]) for i in range(len(inner["allOf"]))]
        if keys == {"anyOf"} and isinstance(inner["anyOf"], list):
            return [([], [nn, *(ctx.child(nn, "anyOf", i) for i in range(len(inner["anyOf"])))])]
        if keys & _COMBINATORS or not ctx.is_ref_free(nn):
            return None
        groups: dict[int, dict[str, Any]] = {}
        for k in sorted(keys):
            index = next((i for i, g in enumerate(_READ_TOGETHER) if k in g), -1)
            groups.setdefault(len(_READ_TOGETHER) + len(groups) if index < 0 else index, {})[k] = (
                inner[k]
            )
        if len(groups) < 2:
            return None
        return [([], [nn, ctx.synthetic(part)]) for _, part in sorted(groups.items())]

    def _dependent_groups(self, n: Node) -> list[list[tuple[list[Node], list[Node]]]]:
        """``dependentSchemas`` as the conditionals it means: ``{k: S}`` is exactly
        ``if {type: object, required: [k]} then S``. Up to :data:`MAX_DEPENDENT` keys
        per schema (each doubles the clauses); beyond that they are left out, which only
        widens a writer (sound) and never narrows a reader (read by :meth:`incl_f`)."""
        deps = n.schema.get("dependentSchemas")
        if not isinstance(deps, dict) or not deps or len(deps) > MAX_DEPENDENT:
            return []
        groups: list[list[tuple[list[Node], list[Node]]]] = []
        for k in deps:
            cond = self.present_atom(k)
            groups.append([([cond, self.ctx.child(n, "dependentSchemas", k)], []), ([], [cond])])
        return groups

    def present_atom(self, key: str) -> Node:
        """``{"type": "object", "required": [key]}``: an object that has ``key``."""
        hit = self._present_atoms.get(key)
        if hit is None:
            hit = self.ctx.synthetic({"type": "object", "required": [key]})
            self._present_atoms[key] = hit
        return hit

    # -- emptiness and disjointness --------------------------------------------------
    def nodes_empty(self, nodes: Sequence[Node]) -> bool:
        """Whether no value is valid under all of ``nodes`` (sound: True only if proven)."""
        if len(nodes) == 1 and isinstance(nodes[0].schema, dict):
            s = nodes[0].schema
            plain = _COMBINATORS.isdisjoint(s) and "const" not in s and "enum" not in s
            if plain and s.get("type") != []:
                return False
        self.depth_budget -= 1
        try:
            clauses = self.dnf(nodes)
            if clauses is None:
                return False
            return all(Facets(self, a, n).empty() for a, n in clauses)
        finally:
            self.depth_budget += 1

    def disjoint(self, f: Facets, node: Node) -> bool:
        ctx = self.ctx
        node = ctx.canonical(node)
        for neg in f.negs:
            n = ctx.canonical(neg)
            if n.key == node.key or (
                strict_equal(n.schema, node.schema) and ctx.is_ref_free(n) and ctx.is_ref_free(node)
            ):
                return True
        clauses = self.dnf([node])
        if clauses is None:
            return False
        return all(f.with_atoms(a, n).empty() for a, n in clauses)

    def req_atom(self, key: str) -> Node:
        hit = self._req_atoms.get(key)
        if hit is None:
            hit = self.ctx.synthetic({"required": [key]})
            self._req_atoms[key] = hit
        return hit

    # -- reader-side decomposition ---------------------------------------------------
    def incl_f(self, f: Facets, sup: Node, path: tuple[str | int, ...], hops: int) -> Gap | None:
        ctx = self.ctx
        ctx.step()
        s = sup.schema
        if s is True:
            return None
        if s is False:
            return Gap("the reader accepts nothing here", path)
        if f.values is not None:
            bad = [v for v in f.values if not ctx.valid(sup, v)]
            if bad:
                return Gap(f"value {bad[0]!r} is rejected by the reader", path, tuple(bad[:4]))
            return None
        if sup.key in f.atom_keys:
            return None
        if hops > 64:
            return Gap("reference cycle without an instance step", path)
        assert isinstance(s, dict)
        if "$ref" in s:
            gap = self.incl_f(f, ctx.resolve(sup), path, hops + 1)
            if gap is not None:
                return gap
        if isinstance(s.get("allOf"), list):
            for i in range(len(s["allOf"])):
                gap = self.incl_f(f, ctx.child(sup, "allOf", i), path, hops + 1)
                if gap is not None:
                    return gap
        for kw in ("anyOf", "oneOf"):
            if isinstance(s.get(kw), list):
                branches = [ctx.child(sup, kw, i) for i in range(len(s[kw]))]
                gap = self.union(f, branches, path, one=kw == "oneOf", hops=hops)
                if gap is not None:
                    return gap
        if "not" in s:
            nn = ctx.child(sup, "not")
            if not self.disjoint(f, nn):
                hints: tuple[Any, ...] = ()
                if "string" in f.types:
                    both = f.with_atoms([nn]).restricted("string")
                    if both.shaped():
                        hints = both.string_hints(both.min_len, both.max_len)
                return Gap("values of the writer may match the reader's `not`", path, hints)
        if "if" in s:
            gap = self.conditional(f, sup, path, hops)
            if gap is not None:
                return gap
        deps = s.get("dependentSchemas")
        if isinstance(deps, dict) and "object" in f.types and not f.part_empty("object"):
            fo = f.restricted("object")
            for k in deps:
                if fo.key_nodes(k) is None:
                    continue
                fk = fo.with_atoms([self.req_atom(k)])
                if fk.empty():
                    continue
                gap = self.incl_f(fk, ctx.child(sup, "dependentSchemas", k), (*path, k), hops + 1)
                if gap is not None:
                    return gap
        return self.atom(f, sup, path)

    def _strings_covered(self, ft: Facets, branches: list[Node], one: bool) -> bool:
        """Whether the writer's strings lie in the union of branches that each state one
        ``pattern`` or one ``format`` (and at most ``type: string``), on automata; for
        ``oneOf`` the branches must also share no writer string."""
        patterns: list[str] = []
        fmts: list[str] = []
        for b in branches:
            s = b.schema
            if not isinstance(s, dict) or s.get("type", "string") != "string":
                return False
            rest = set(s) - {"type"}
            if rest == {"pattern"} and isinstance(s["pattern"], str):
                patterns.append(s["pattern"])
            elif rest == {"format"} and s["format"] in ASSERTED_FORMATS:
                fmts.append(s["format"])
            else:
                return False
        if ft.string_example(ft.min_len, ft.max_len, tuple(patterns), tuple(fmts)) is not None:
            return False
        if one:
            return all(
                self.disjoint(ft.with_atoms([a]), b) for a, b in itertools.combinations(branches, 2)
            )
        return True

    def union(
        self, f: Facets, branches: list[Node], path: tuple[str | int, ...], *, one: bool, hops: int
    ) -> Gap | None:
        for t in sorted(f.types):
            ft = f.restricted(t)
            if ft.empty():
                continue
            covering: int | None = None  # an index: one subschema may sit in two branches
            for i, b in enumerate(branches):
                if self.incl_f(ft, b, path, hops + 1) is None:
                    covering = i
                    break
            if covering is None and t == "string" and self._strings_covered(ft, branches, one):
                continue
            if covering is None:
                if self._covered_together(ft, branches, path, one=one, hops=hops):
                    continue
                kind = "oneOf" if one else "anyOf"
                return Gap(f"no {kind} branch of the reader covers the writer's {t} values", path)
            if one:
                for i, b in enumerate(branches):
                    if i != covering and not self.disjoint(ft, b):
                        return Gap(f"{t} values may match several oneOf branches", path)
        return None

    def _covered_together(
        self, f: Facets, branches: list[Node], path: tuple[str | int, ...], *, one: bool, hops: int
    ) -> bool:
        """Whether the branches together cover ``f`` although none does alone.

        What the first branches leave (``f`` and not those branches, an over-approximation
        where a negation is too complex to apply) must be covered by a later one, or be
        empty. For ``oneOf`` the branches must also be pairwise disjoint within ``f``, so
        that each value matches exactly one.
        """
        if len(branches) > MAX_UNION:
            return False
        if one:
            for i, bi in enumerate(branches):
                clauses = self.dnf([bi])
                if clauses is None:
                    return False
                for atoms, negs in clauses:
                    part = f.with_atoms(atoms, negs)
                    if part.empty():
                        continue
                    if not all(self.disjoint(part, bj) for bj in branches[i + 1 :]):
                        return False
        rest = f
        for b in branches:
            if self.incl_f(rest, b, path, hops + 1) is None:
                return True
            rest = rest.with_atoms([], [b])
            if rest.empty():
                return True
        return False

    def conditional(
        self, f: Facets, sup: Node, path: tuple[str | int, ...], hops: int
    ) -> Gap | None:
        ctx = self.ctx
        s = sup.schema
        i_node = ctx.child(sup, "if")
        if "then" in s:
            then = ctx.child(sup, "then")
            clauses = self.dnf([i_node])
            if clauses is None:
                return Gap("`if` too complex", path)
            for a, n in clauses:
                g = f.with_atoms(a, n)
                if g.empty():
                    continue
                gap = self.incl_f(g, then, path, hops + 1)
                if gap is not None:
                    return gap
        if "else" in s:
            els = ctx.child(sup, "else")
            if self.incl_f(f, i_node, path, hops + 1) is not None:
                g = f.with_atoms([], [i_node])
                if not g.empty():
                    gap = self.incl_f(g, els, path, hops + 1)
                    if gap is not None:
                        return gap
        return None

    # -- the reader's own keywords ---------------------------------------------------
    def atom(self, f: Facets, sup: Node, path: tuple[str | int, ...]) -> Gap | None:
        s = sup.schema
        assert isinstance(s, dict)
        st = _types_of(s)
        live = [t for t in sorted(f.types) if not f.part_empty(t)]
        for t in live:
            if st is not None and t not in st:
                return Gap(f"the writer allows {t} values, the reader does not", path)
        if live and ("const" in s or "enum" in s):
            return Gap("the reader restricts values to an enum the writer does not", path)
        for t in live:
            if t in ("integer", "number"):
                gap = self._num(f, t, s, path)
            elif t == "string":
                gap = self._str(f, s, path)
            elif t == "array":
                gap = self._arr(f, sup, path)
            elif t == "object":
                gap = self._obj(f, sup, path)
            else:
                gap = None
            if gap is not None:
                return gap
        return None

    def _num(self, f: Facets, t: str, s: dict[str, Any], path: tuple[str | int, ...]) -> Gap | None:
        r = f.num[t]
        sup = NumRange()
        sup.apply(s)
        if t == "integer":
            a, b = r.int_bounds()
            c, d = sup.int_bounds()
            if c is not None and (a is None or a < c):
                return Gap("the reader's lower bound is higher", path)
            if d is not None and (b is None or b > d):
                return Gap("the reader's upper bound is lower", path)
        else:
            if sup.lo is not None and (
                r.lo is None or r.lo < sup.lo or (r.lo == sup.lo and sup.lo_x and not r.lo_x)
            ):
                return Gap("the reader's lower bound is higher", path)
            if sup.hi is not None and (
                r.hi is None or r.hi > sup.hi or (r.hi == sup.hi and sup.hi_x and not r.hi_x)
            ):
                return Gap("the reader's upper bound is lower", path)
        if sup.mults:
            step = _flcm([*r.mults, Fraction(1)] if t == "integer" else r.mults)
            for m in sup.mults:
                if step is None or (step / m).denominator != 1:
                    return Gap(f"values need not be multiples of {m}", path)
        return None

    def _str(self, f: Facets, s: dict[str, Any], path: tuple[str | int, ...]) -> Gap | None:
        v = s.get("minLength")
        if isinstance(v, int) and not isinstance(v, bool) and f.min_len < v:
            # Shorter writer strings may still be ruled out by the writer's patterns.
            hi = v - 1 if f.max_len is None else min(v - 1, f.max_len)
            if not f.shaped():
                return Gap("the reader's minLength is higher", path)
            shorter = f.string_example(f.min_len, hi)
            if shorter is not None:
                hints = f.string_hints(f.min_len, hi)
                return Gap("the reader's minLength is higher", path, hints)
        v = s.get("maxLength")
        if isinstance(v, int) and not isinstance(v, bool) and (f.max_len is None or f.max_len > v):
            if not f.shaped():
                return Gap("the reader's maxLength is lower", path)
            longer = f.string_example(max(f.min_len, v + 1), f.max_len)
            if longer is not None:
                hints = f.string_hints(max(f.min_len, v + 1), f.max_len)
                return Gap("the reader's maxLength is lower", path, hints)
        p = s.get("pattern")
        if isinstance(p, str) and p not in f.patterns:
            gap = self._language_gap(f, p, None, path)
            if gap is not None:
                return gap
        fmt = s.get("format")
        if isinstance(fmt, str) and fmt in ASSERTED_FORMATS and fmt not in f.formats:
            gap = self._language_gap(f, None, fmt, path)
            if gap is not None:
                return gap
        return None

    def _language_gap(
        self, f: Facets, pattern: str | None, fmt: str | None, path: tuple[str | int, ...]
    ) -> Gap | None:
        """Whether the writer's strings all match the reader's ``pattern`` (or lie in the
        lower language of its ``format``), decided on automata over code points.

        The writer's language is over-approximated (patterns the automata cannot read,
        formats without a regular shape and negations are dropped; a writer format is
        its upper language), the reader's under-approximated (a format is its lower
        language), so ``None`` is a proof; a string the search finds rides on the gap
        as a hint for the refuter, which checks it with the reference.
        """
        mine = ", ".join(repr(x) for x in f.patterns) or "no pattern"
        theirs = repr(pattern) if pattern is not None else f"format {fmt!r}"
        self.ctx.step()
        found = f.string_example(
            f.min_len,
            f.max_len,
            (pattern,) if pattern is not None else (),
            (fmt,) if fmt is not None else (),
        )
        if found is None:
            return None
        if isinstance(found, Unsupported):
            if pattern is None:
                return Gap(f"the reader asserts format {fmt!r}", path)
            return Gap(f"cannot decide regex inclusion: {mine} vs {theirs} ({found})", path)
        # the upper language's string may be no valid value: a lower one comes first
        hints = f.string_hints(
            f.min_len,
            f.max_len,
            (pattern,) if pattern is not None else (),
            (fmt,) if fmt is not None else (),
        )
        if pattern is None:
            return Gap(f"the reader asserts format {fmt!r}", path, hints)
        return Gap(f"the writer's strings need not match {pattern!r}", path, hints)

    # -- arrays ----------------------------------------------------------------------
    def _pos(self, f: Facets, i: int) -> list[Node]:
        ctx = self.ctx
        out: list[Node] = []
        for a in f.dicts:
            s = a.schema
            # the prefix as the kernel applies it; past it, the engine's rest reading
            prefix = [p for p in item_subschemas(s, i) if p[0] == "prefixItems"]
            rest = rest_keyword(s, "items")
            if prefix:
                out.append(ctx.child(a, *prefix[0]))
            elif rest is not None:
                out.append(ctx.child(a, rest))
            elif "unevaluatedItems" in s:
                ev = static_evaluated(ctx, a, "unevaluatedItems", maybe=True)
                if ev is not None and i >= ev[2]:
                    out.append(ctx.child(a, "unevaluatedItems"))
        return out

    def _arr(self, f: Facets, sup: Node, path: tuple[str | int, ...]) -> Gap | None:
        ctx = self.ctx
        s = sup.schema
        lo, hi = f.min_items, f.max_items
        v = s.get("minItems")
        if isinstance(v, int) and not isinstance(v, bool) and lo < v:
            return Gap("the reader's minItems is higher", path)
        v = s.get("maxItems")
        if isinstance(v, int) and not isinstance(v, bool) and (hi is None or hi > v):
            return Gap("the reader's maxItems is lower", path)
        spre = s.get("prefixItems") if isinstance(s.get("prefixItems"), list) else []
        plen = max([len(spre)] + [len(a.schema.get("prefixItems") or []) for a in f.dicts])

        def sup_at(i: int) -> Node | None:
            if i < len(spre):
                return ctx.child(sup, "prefixItems", i)
            if "items" in s:
                return ctx.child(sup, "items")
            return None

        def all_positions(target: Node, start: int = 0) -> Gap | None:
            # Every position from ``start`` on: the prefix ones, then one for the tail
            # (the writer's items beyond its prefix), even when ``start`` is past it.
            for i in range(start, max(plen, start) + 1):
                if hi is not None and i >= hi:
                    break
                gap = self.incl(self._pos(f, i), target, (*path, i if i < plen else "*"))
                if gap is not None:
                    return gap
            return None

        for i in range(plen + 1):
            if hi is not None and i >= hi:
                break
            target = sup_at(i)
            if target is None:
                continue
            gap = self.incl(self._pos(f, i), target, (*path, i if i < plen else "*"))
            if gap is not None:
                return gap
        if s.get("uniqueItems") is True and not f.unique and (hi is None or hi > 1):
            return Gap("the reader requires unique items", path)
        if "contains" in s:
            c = ctx.child(sup, "contains")
            mn = s.get("minContains", 1)
            mx = s.get("maxContains")
            if isinstance(mn, int) and mn >= 1:
                ok = False
                for a in f.dicts:
                    if "contains" in a.schema:
                        amn = a.schema.get("minContains", 1)
                        if (
                            isinstance(amn, int)
                            and amn >= mn
                            and self.incl([ctx.child(a, "contains")], c, path) is None
                        ):
                            ok = True
                            break
                if not ok and lo >= mn and all_positions(c) is None:
                    ok = True
                if not ok and lo >= mn:
                    ok = self._guaranteed_matches(f, c, lo, plen, path) >= mn
                if not ok:
                    return Gap("the reader requires matching items the writer need not have", path)
            if isinstance(mx, int) and (hi is None or hi > mx):
                return Gap("the reader's maxContains may be exceeded", path)
        if "unevaluatedItems" in s and s["unevaluatedItems"] is not True:
            u = ctx.child(sup, "unevaluatedItems")
            plain = not (set(s) & _COMBINATORS) and "items" not in s and "contains" not in s
            ev = None if plain else static_evaluated(ctx, sup, "unevaluatedItems")
            if not plain and ev is None:
                return Gap("cannot decide unevaluatedItems beside applicators", path)
            gap = all_positions(u, len(spre) if ev is None else ev[2])
            if gap is not None:
                return gap
        return None

    def _guaranteed_matches(
        self, f: Facets, c: Node, lo: int, plen: int, path: tuple[str | int, ...]
    ) -> int:
        """How many of the ``lo`` items every writer array has are proven to match ``c``
        (a ``contains`` guaranteed by prefix items)."""
        count = 0
        for i in range(min(lo, plen)):
            if self.incl(self._pos(f, i), c, (*path, i)) is None:
                count += 1
        if lo > plen and self.incl(self._pos(f, plen), c, (*path, "*")) is None:
            count += lo - plen
        return count

    # -- objects ---------------------------------------------------------------------
    def _obj(self, f: Facets, sup: Node, path: tuple[str | int, ...]) -> Gap | None:
        ctx = self.ctx
        # The object checks below scan every writer atom: charge them, so a wide allOf
        # compared against a wide allOf spends the budget, not minutes.
        ctx.step(len(f.dicts))
        s = sup.schema
        props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
        spats = s.get("patternProperties") if isinstance(s.get("patternProperties"), dict) else {}
        sreq = (
            [k for k in s.get("required", []) if isinstance(k, str)]
            if isinstance(s.get("required"), list)
            else []
        )
        for k in sreq:
            if k not in f.required:
                return Gap(f"the reader requires {k!r}, the writer may omit it", (*path, k))
        pn_names, pn_patterns, finite = f.pn_names()
        named: dict[str, None] = {}
        for a in f.dicts:
            aprops = a.schema.get("properties")
            if isinstance(aprops, dict):
                named.update(dict.fromkeys(aprops))
        named.update(dict.fromkeys(sorted(f.required)))
        named.update(dict.fromkeys(props))
        named.update(dict.fromkeys(sreq))
        named.update(dict.fromkeys(sorted(pn_names)))
        dep_req = s.get("dependentRequired") if isinstance(s.get("dependentRequired"), dict) else {}
        named.update(dict.fromkeys(dep_req))
        spn = ctx.child(sup, "propertyNames") if "propertyNames" in s else None

        def sup_nodes(k: str) -> list[Node]:
            if not spats:  # the common case, without the pattern loop
                if k in props:
                    return [ctx.child(sup, "properties", k)]
                if "additionalProperties" in s:
                    return [ctx.child(sup, "additionalProperties")]
                return []
            out: list[Node] = []
            hit = False
            if k in props:
                out.append(ctx.child(sup, "properties", k))
                hit = True
            for p in spats:
                if regex_search(p, k):
                    out.append(ctx.child(sup, "patternProperties", p))
                    hit = True
            if not hit and "additionalProperties" in s:
                out.append(ctx.child(sup, "additionalProperties"))
            return out

        # Whether the reader says anything about a key's value (else sup_nodes is empty).
        reads_values = bool(props) or bool(spats) or "additionalProperties" in s
        allowed = 0
        walked = named
        if not reads_values and spn is None and named.keys() <= f.known_keys():
            # The loop below would only count the allowed keys (every key's nodes are
            # known, so it charges nothing): an allOf wrapper around a wide object.
            if isinstance(s.get("maxProperties"), int):
                allowed = f.allowed_count(named, pn_names if finite else None)
            walked = {}
        # Whether the reader's document is without a reference (then so is each of its
        # subschemas); asked where ``ctx.ref_free_in`` first would be.
        sup_doc_free: bool | None = None
        for k in walked:
            mine = f.key_nodes(k)
            if mine is None:
                continue
            if finite and k not in pn_names:
                continue
            allowed += 1
            if spn is not None and not ctx.valid(spn, k) and not self.nodes_empty(mine):
                return Gap(f"the reader's propertyNames rejects {k!r}", (*path, k))
            if not reads_values:
                continue  # sup_nodes(k) is empty (an allOf wrapper, say)
            if not spats and len(mine) == 1 and k in props:
                # The loop below for this key (sup_nodes gives the one reader subschema
                # under properties), without interning the reader's node when the two
                # sides are the same ref-free subschema.
                value = props[k]
                if mine[0].schema is value:
                    if sup_doc_free is None:
                        sup_doc_free = ctx.doc_is_ref_free(sup.doc)
                    same = sup_doc_free or ctx.ref_free_in(sup.doc, value)
                else:
                    same = same_ref_free(mine[0].schema, value)
                if same:
                    ctx.step()
                    continue
            for target in sup_nodes(k):
                if len(mine) == 1 and (
                    (mine[0].schema is target.schema and ctx.is_ref_free(target))
                    or same_ref_free(mine[0].schema, target.schema)
                ):
                    # ``incl``'s first answer, its step charged, without the call (most
                    # keys of a wide object compare the same ref-free subschema).
                    ctx.step()
                    continue
                gap = self.incl(mine, target, (*path, k))
                if gap is not None:
                    return gap
        other = f.other_keys_possible()
        if other:
            for p in spats:
                certain: list[Node] = []
                for a in f.dicts:
                    apats = a.schema.get("patternProperties")
                    if isinstance(apats, dict) and p in apats:
                        certain.append(ctx.child(a, "patternProperties", p))
                    elif not apats and (rest := rest_keyword(a.schema, "additionalProperties")):
                        certain.append(ctx.child(a, rest))
                target = ctx.child(sup, "patternProperties", p)
                gap = self.incl(certain, target, (*path, "*"))
                if gap is not None and not any(
                    self._keys_governed(a, p, target, path) for a in f.dicts
                ):
                    return gap
            addl = s.get("additionalProperties", True)
            if addl is not True and not (
                pn_patterns is not None and _patterns_within(pn_patterns, list(spats), ctx.step)
            ):
                certain = []
                for a in f.dicts:
                    apats = a.schema.get("patternProperties") or {}
                    rest = rest_keyword(a.schema, "additionalProperties")
                    if _patterns_within(apats, list(spats), ctx.step) and rest is not None:
                        certain.append(ctx.child(a, rest))
                gap = self.incl(certain, ctx.child(sup, "additionalProperties"), (*path, "*"))
                if gap is not None:
                    return gap
            if spn is not None:
                mine_pn = [
                    ctx.child(a, "propertyNames") for a in f.dicts if "propertyNames" in a.schema
                ]
                gap = self.incl([*mine_pn, self.string_atom], spn, path)
                if gap is not None:
                    # A key the automata found outside the reader's names, under a few
                    # values, for the refuter to try as whole objects.
                    keys = [k for k in gap.hints if isinstance(k, str)]
                    values: tuple[Any, ...] = (None, 0, "", True, {}, [])
                    objects = tuple({k: v} for k in keys for v in values)
                    return Gap("the reader's propertyNames is narrower", path, objects)
        for k, deps in dep_req.items():
            if not isinstance(deps, list) or f.key_nodes(k) is None:
                continue
            mine_deps: set[str] = set()
            for a in f.dicts:
                dr = a.schema.get("dependentRequired")
                if isinstance(dr, dict) and isinstance(dr.get(k), list):
                    mine_deps.update(dr[k])
            for d in deps:
                if d not in f.required and d not in mine_deps:
                    return Gap(f"the reader requires {d!r} whenever {k!r} is present", path)
        v = s.get("minProperties")
        if isinstance(v, int) and not isinstance(v, bool) and max(f.min_props, len(f.required)) < v:
            return Gap("the reader's minProperties is higher", path)
        v = s.get("maxProperties")
        if isinstance(v, int) and not isinstance(v, bool):
            ok = f.max_props is not None and f.max_props <= v
            if not ok and not other and allowed <= v:
                ok = True
            if not ok:
                return Gap("the reader's maxProperties is lower", path)
        if "unevaluatedProperties" in s and s["unevaluatedProperties"] is not True:
            gap = self._unevaluated(f, sup, named, other, pn_patterns, path)
            if gap is not None:
                return gap
        return None

    def _keys_governed(self, a: Node, p: str, target: Node, path: tuple[str | int, ...]) -> bool:
        """Whether writer atom ``a`` alone makes every value under a key matching the
        reader's pattern ``p`` valid under ``target``: each of its patterns that can
        share a key with ``p`` is included (a key matching several gets their
        conjunction: narrower still), and keys of ``p`` none of them covers fall to its
        ``additionalProperties``, which must be included too (decided on automata)."""
        from accord.validation.regular import NotRegular, compile_pattern

        ctx = self.ctx
        apats = a.schema.get("patternProperties")
        apats = apats if isinstance(apats, dict) else {}
        try:
            reader = compile_pattern(p)
            overlapping = [
                q for q in apats if _charged(ctx.step, [reader, compile_pattern(q)], []) is not None
            ]
            cover = [compile_pattern(q) for q in overlapping]
            uncovered = _charged(ctx.step, [reader], cover) is not None
        except NotRegular:
            return False
        for q in overlapping:
            if self.incl([ctx.child(a, "patternProperties", q)], target, (*path, "*")) is not None:
                return False
        if not uncovered:
            return True
        if "additionalProperties" not in a.schema:
            return False
        addl = ctx.child(a, "additionalProperties")
        return self.incl([addl], target, (*path, "*")) is None

    def _unevaluated(  # noqa: PLR0917 - private helper of _obj
        self,
        f: Facets,
        sup: Node,
        named: dict[str, None],
        other: bool,
        pn_patterns: list[str] | None,
        path: tuple[str | int, ...],
    ) -> Gap | None:
        ctx = self.ctx
        u = ctx.child(sup, "unevaluatedProperties")
        keys: dict[str, None] = {}
        pats: dict[str, None] = {}  # in document order: ``any`` below may stop or raise
        for n in ctx.unconditional([sup]):
            ns = n.schema
            if not isinstance(ns, dict):
                continue
            if "additionalProperties" in ns:
                return None
            if isinstance(ns.get("properties"), dict):
                keys.update(dict.fromkeys(ns["properties"]))
            if isinstance(ns.get("patternProperties"), dict):
                pats.update(dict.fromkeys(ns["patternProperties"]))
        for k in named:
            mine = f.key_nodes(k)
            if mine is None or k in keys or any(regex_search(p, k) for p in pats):
                continue
            gap = self.incl(mine, u, (*path, k))
            if gap is not None:
                return gap
        covered = pn_patterns is not None and _patterns_within(pn_patterns, sorted(pats), ctx.step)
        if other and not covered and u.schema is not True:
            # A key the writer does not name and no reader pattern matches: the reader
            # leaves it unevaluated (or evaluates it in a branch: stricter is sound), and
            # the writer gives it its rest schema where no writer pattern can take it.
            certain: list[Node] = []
            for a in f.dicts:
                found = writer_rest(ctx, a)
                if found is not None and found[1].keys() <= pats.keys():
                    certain.append(found[0])
            if self.incl(certain, u, (*path, "*")) is not None:
                return Gap("cannot decide which keys the reader evaluates", path)
        return None
