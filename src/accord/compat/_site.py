"""What a compatibility rule sees: JSON values under JSON Schema equality, one side of an
instance location (:class:`View`), both sides (:class:`Site`) and what a rule reports
(:class:`Hit`).

A location is viewed as its *conjuncts* (:class:`View`): the schema itself, its
``allOf`` members and its ``$ref`` targets, so moving a subschema into ``$defs`` or
splitting an object across ``allOf`` does not look like a change. A two-branch
``anyOf``/``oneOf`` whose other branch is ``{"type": "null"}`` (how Pydantic writes
``Optional``) is read as its non-null branch plus ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from accord.compat._types import Direction
from accord.core import memo as _memo
from accord.core import pointer as _pointer
from accord.core.memo import canonical_text
from accord.core.schema import Schema
from accord.core.values import equality_key

BOTH: tuple[Direction, ...] = ("backward", "forward")
BACKWARD: tuple[Direction, ...] = ("backward",)
FORWARD: tuple[Direction, ...] = ("forward",)
NEITHER: tuple[Direction, ...] = ()

# Keywords that never change the set of valid payloads (docs/design.md "Required bump").
ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "readOnly", "writeOnly"})

DELETE: Any = object()  # marker in a PatchOp: remove the keyword


# ----------------------------------------------------------------------------- values


canon = equality_key  # the rules' name for the one JSON equality key


_PLAIN = (str, int, type(None))


def same_text(a: Any, b: Any) -> bool:
    """``canonical_text(a) == canonical_text(b)``, decided by walking both values.

    Neither text is built (nor memoised: a wide schema has more subschemas than the
    memo keeps). Shared subtrees compare by identity; values ``json.dumps`` writes by
    ``default=str`` (not JSON) fall back to the texts themselves.
    """
    if a is b:
        return True
    if isinstance(a, dict):
        if not isinstance(b, dict):
            return False  # an object's text is never another value's
        if len(a) != len(b):
            return not _str_keys(a, b) and _texts_equal(a, b)
        for key, value in a.items():
            if type(key) is not str:
                return _texts_equal(a, b)
            other = b.get(key, _ABSENT)
            if other is _ABSENT:
                return not _str_keys(b) and _texts_equal(a, b)
            if value is other:
                continue
            kind = type(value)
            if (kind is str or kind is int) and type(other) is kind:
                if value != other:
                    return False
            elif not same_text(value, other):
                return False
        return True
    # Tuples, not ``list | tuple``: a union is built afresh at every call (a hot walk).
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)):
            return False  # an array's text is never another value's
        if (
            isinstance(a, list)
            and isinstance(b, list)
            and _EQUAL_AS_TEXT.issuperset(map(type, a))
            and _EQUAL_AS_TEXT.issuperset(map(type, b))
        ):
            # Items whose texts are equal exactly when they are (an ``enum`` of
            # strings): the arrays' texts are equal exactly when they are, which C
            # decides without a call per item.
            return list.__eq__(a, b) is True
        return len(a) == len(b) and all(same_text(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(b, (dict, list, tuple)):
        return False
    ta, tb = type(a), type(b)
    if ta in _PLAIN and tb in _PLAIN:
        return ta is tb and bool(a == b)
    if ta is float and tb is float:
        return repr(a) == repr(b)  # 0.0 and -0.0 differ; nan is written as NaN
    if ta is bool and tb is bool:
        return False  # not the same object: one is True, the other False
    return _texts_equal(a, b)


_ABSENT: Any = object()


def _str_keys(*objects: dict[Any, Any]) -> bool:
    # One C pass an object (two wide ``properties`` of different sizes meet here).
    return all(_STR.issuperset(map(type, o)) for o in objects)


_STR = frozenset({str})

# The exact types whose values have equal texts exactly when they are equal (``==``):
# not bool (``True == 1``), nor float (``1.0 == 1``, ``0.0 == -0.0``, NaN), nor any
# subclass (its text may come from ``default=str``).
_EQUAL_AS_TEXT = frozenset({str, int, type(None)})


def _texts_equal(a: Any, b: Any) -> bool:
    return _memo.write_canonical(a) == _memo.write_canonical(b)


def show(value: Any, limit: int = 60) -> str:
    """Compact JSON for messages, truncated to ``limit`` characters."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve_local(root: Schema, ref: str) -> tuple[str, Schema] | None:
    """The pointer and subschema a same-document ``$ref`` designates, if it resolves."""
    pointer = _pointer.fragment(ref)
    if pointer is None:
        return None
    tokens = _pointer.split(pointer)
    found, node = _pointer.lookup(root, tokens)
    if found and isinstance(node, bool | dict):
        return _pointer.from_parts(tokens), node
    return None


# ----------------------------------------------------------------------------- views

_NULL = {"type": "null"}


def _nullable_wrap(schema: dict[str, Any]) -> tuple[str, int] | None:
    """``("anyOf", 0)`` when ``schema`` is ``anyOf: [X, {"type": "null"}]`` (X at 0)."""
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if isinstance(branches, list) and len(branches) == 2:
            strip = [
                {k: v for k, v in b.items() if k not in ANNOTATIONS} if isinstance(b, dict) else b
                for b in branches
            ]
            if strip[1] == _NULL and strip[0] != _NULL:
                return keyword, 0
            if strip[0] == _NULL and strip[1] != _NULL:
                return keyword, 1
    return None


def type_set(value: Any) -> frozenset[str] | None:
    if isinstance(value, str):
        names = {value}
    elif isinstance(value, list):
        names = {v for v in value if isinstance(v, str)}
    else:
        return None
    if "number" in names:
        names.add("integer")
    return frozenset(names)


class View:
    """One side of an instance location: its conjuncts and their facets.

    Attributes:
        root: The whole document (``$ref`` targets are looked up in it).
        entries: The ``(pointer, schema)`` pairs that apply at this location, as the
            walker found them (used to rebuild the location for the engine).
        parts: Every object conjunct after following ``$ref`` and ``allOf``.
        is_false: Some conjunct is the ``false`` schema.
        refs: The ``$ref`` targets followed, in order.
        nullable: A ``[X, {"type": "null"}]`` wrapper was read as ``X`` plus ``null``.
        allof_sizes: Number of ``allOf`` members met (refactor detection).
    """

    def __init__(self, root: Schema, entries: Sequence[tuple[str, Schema]]) -> None:
        self.root = root
        self.entries = tuple(entries)
        self.parts: list[tuple[str, dict[str, Any]]] = []
        self.is_false = False
        self.refs: list[str] = []
        self.nullable = False
        self.unwrapped: set[tuple[str, str]] = set()
        self.allof_sizes: list[int] = []
        self._properties: dict[str, list[tuple[str, Schema]]] | None = None
        self._values: dict[str, list[tuple[str, Any]]] = {}
        self._types: dict[bool, frozenset[str] | None] = {}
        seen: set[str] = set()
        for pointer, schema in entries:
            self._add(pointer, schema, seen)

    def _add(self, pointer: str, schema: Schema, seen: set[str]) -> None:
        if schema is False:
            self.is_false = True
            return
        if not isinstance(schema, dict) or pointer in seen:
            return
        seen.add(pointer)
        self.parts.append((pointer, schema))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = resolve_local(self.root, ref)
            if target is not None:
                self.refs.append(target[0])
                self._add(target[0], target[1], seen)
        members = schema.get("allOf")
        if isinstance(members, list):
            self.allof_sizes.append(len(members))
            for i, member in enumerate(members):
                self._add(_pointer.join(pointer, "allOf", i), member, seen)
        wrap = _nullable_wrap(schema)
        if wrap is not None:
            keyword, index = wrap
            self.nullable = True
            self.unwrapped.add((pointer, keyword))
            self._add(_pointer.join(pointer, keyword, index), schema[keyword][index], seen)

    # -- generic access -----------------------------------------------------------------

    @property
    def pointer(self) -> str:
        """Where this location is written (its first entry)."""
        return self.entries[0][0] if self.entries else ""

    def values(self, keyword: str) -> list[tuple[str, Any]]:
        """``(pointer of the conjunct, value)`` for every conjunct that has ``keyword``.

        Built once per view and keyword (the rules ask a site hundreds of times). The
        result is shared: callers must not mutate it.
        """
        found = self._values.get(keyword)
        if found is None:
            # A loop, not a comprehension: most views have one part, and most keywords
            # asked are missed once (a comprehension is a function made per call).
            found = self._values[keyword] = []
            for p, s in self.parts:
                if keyword in s:
                    found.append((p, s[keyword]))
        return found

    def first(self, keyword: str) -> tuple[str, Any] | None:
        found = self.values(keyword)
        return found[0] if found else None

    def where(self, keyword: str) -> str:
        """Pointer to ``keyword`` in the first conjunct having it (else the location)."""
        found = self.first(keyword)
        return _pointer.join(found[0], keyword) if found else self.pointer

    # -- facets -------------------------------------------------------------------------

    def types(self, *, branches: bool = True) -> frozenset[str] | None:
        """Allowed JSON types (``integer`` implied by ``number``); ``None``: unconstrained.

        With ``branches``, an ``anyOf``/``oneOf`` whose branches all state a type
        contributes the union of those types. Found once per view and flag (the walker
        and the type rules ask each site several times; a view does not change).
        """
        if branches in self._types:
            return self._types[branches]
        found = self._types[branches] = self._find_types(branches=branches)
        return found

    def _find_types(self, *, branches: bool) -> frozenset[str] | None:
        result: frozenset[str] | None = None
        for _, value in self.values("type"):
            names = type_set(value)
            if names is not None:
                result = names if result is None else result & names
        for pointer, schema in self.parts if branches else ():
            if "type" in schema:
                continue
            for keyword in ("anyOf", "oneOf"):
                members = schema.get(keyword)
                if (pointer, keyword) in self.unwrapped or not isinstance(members, list):
                    continue
                union: set[str] = set()
                for branch in members:
                    names = type_set(branch.get("type")) if isinstance(branch, dict) else None
                    if names is None:
                        break
                    union |= names
                else:
                    result = frozenset(union) if result is None else result & union
        if self.nullable and result is not None:
            result = result | {"null"}
        return result

    def enum(self) -> dict[Any, Any] | None:
        """The allowed values (canonical key -> value), when ``enum``/``const`` restrict."""
        result: dict[Any, Any] | None = None
        for keyword in ("const", "enum"):
            for _, value in self.values(keyword):
                values = [value] if keyword == "const" else value
                if not isinstance(values, list):
                    continue
                here = {canon(v): v for v in values}
                result = here if result is None else {k: v for k, v in result.items() if k in here}
        if result is not None and self.nullable:
            result = {**result, canon(None): None}
        return result

    def int_facet(self, keyword: str, *, upper: bool) -> int | None:
        """Tightest of an integer facet over the conjuncts (``maxLength``: the minimum)."""
        found = [int(v) for _, v in self.values(keyword) if isinstance(v, (int, float, Decimal))]
        found = [v for v in found if not isinstance(v, bool)]
        if not found:
            return None
        return min(found) if upper else max(found)

    def integer_only(self) -> bool:
        kinds = self.types()
        return kinds is not None and kinds - {"null"} == {"integer"}

    def bound(self, *, upper: bool) -> tuple[Fraction, bool] | None:
        """The tightest numeric bound as ``(value, exclusive)``; integers made inclusive."""
        inclusive, exclusive = (
            ("maximum", "exclusiveMaximum")
            if upper
            else (
                "minimum",
                "exclusiveMinimum",
            )
        )
        best: tuple[Fraction, bool] | None = None
        for keyword, excl in ((inclusive, False), (exclusive, True)):
            for _, value in self.values(keyword):
                if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                    continue
                candidate = (Fraction(value), excl)
                if best is None or bound_tighter(candidate, best, upper=upper):
                    best = candidate
        if best is not None and self.integer_only():
            value, excl = best
            if upper:
                whole = Fraction(value.__floor__())
                best = (whole - 1 if excl and whole == value else whole, False)
            else:
                whole = Fraction(value.__ceil__())
                best = (whole + 1 if excl and whole == value else whole, False)
        return best

    def strings(self, keyword: str) -> list[str]:
        return [v for _, v in self.values(keyword) if isinstance(v, str)]

    def properties(self) -> dict[str, list[tuple[str, Schema]]]:
        """Property name -> every ``(pointer, subschema)`` declaring it.

        Built once per view (many rules ask; a wide object has many pointers to build).
        The result is shared: callers must not mutate it.
        """
        if self._properties is not None:
            return self._properties
        out: dict[str, list[tuple[str, Schema]]] = {}
        for pointer, value in self.values("properties"):
            if isinstance(value, dict):
                base = pointer + "/properties/"  # _pointer.join(pointer, "properties", name)
                for name, sub in value.items():
                    # ``_pointer.escape``'s common case inline (a wide object's names).
                    token = (
                        name
                        if type(name) is str and "~" not in name and "/" not in name
                        else _pointer.escape(name)
                    )
                    out.setdefault(name, []).append((base + token, sub))
        self._properties = out
        return out

    def required(self) -> set[str]:
        return {n for _, v in self.values("required") if isinstance(v, list) for n in v}

    def pattern_properties(self) -> dict[str, list[tuple[str, Schema]]]:
        out: dict[str, list[tuple[str, Schema]]] = {}
        for pointer, value in self.values("patternProperties"):
            if isinstance(value, dict):
                for pattern, sub in value.items():
                    out.setdefault(pattern, []).append(
                        (_pointer.join(pointer, "patternProperties", pattern), sub)
                    )
        return out

    def closed(self) -> bool:
        """Some conjunct sets ``additionalProperties`` or ``unevaluatedProperties`` false."""
        return any(
            v is False
            for keyword in ("additionalProperties", "unevaluatedProperties")
            for _, v in self.values(keyword)
        )

    def combinators(self) -> list[tuple[str, str, list[Schema]]]:
        """``(keyword, pointer, branches)`` for every ``anyOf``/``oneOf`` not unwrapped."""
        out: list[tuple[str, str, list[Schema]]] = []
        for pointer, schema in self.parts:
            for keyword in ("anyOf", "oneOf"):
                branches = schema.get(keyword)
                if isinstance(branches, list) and (pointer, keyword) not in self.unwrapped:
                    out.append((keyword, pointer, branches))
        return out

    def keyword_text(self, *keywords: str) -> str:
        """Canonical text of every value of ``keywords`` (for "did it change at all")."""
        # One line per value: canonical JSON never contains a raw newline or tab, so the
        # text is as injective as the canonical text of the ``[[k, v], ...]`` list, and
        # each value's text is memoised on the (never mutated) subschema.
        return "\n".join(f"{k}\t{canonical_text(v)}" for k in keywords for _, v in self.values(k))


def bound_tighter(a: tuple[Fraction, bool], b: tuple[Fraction, bool], *, upper: bool) -> bool:
    """Whether bound ``a`` admits strictly fewer numbers than ``b``."""
    if a[0] != b[0]:
        return a[0] < b[0] if upper else a[0] > b[0]
    return a[1] and not b[1]


# ----------------------------------------------------------------------------- hits


PatchOp = tuple[str, str, Any]  # (pointer of an OLD conjunct, keyword, new value | DELETE)


@dataclass(frozen=True, slots=True)
class Hit:
    """One detected change, before the engine decides what it breaks.

    Attributes:
        rule: The rule id.
        message: What changed, in words.
        schema_path: Pointer into NEW (into OLD when ``in_old``).
        instance_path: Pointer into the payload (``*``: any array item or map key).
        in_old: ``schema_path`` points into OLD (the thing was removed).
        patch: Edits that apply only this change to OLD, so the engine can judge it
            alone; ``None`` when it cannot be isolated (then the whole location counts).
        key: The property name, for property rules (matched against removals).
    """

    rule: str
    message: str
    schema_path: str
    instance_path: str
    in_old: bool = False
    patch: tuple[PatchOp, ...] | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """One instance location seen from both sides.

    ``monotone`` is false under ``oneOf`` branches, where loosening a branch can
    reject payloads (they start matching two branches), so a rule's usual directions
    do not bound what a change there breaks.
    """

    old: View
    new: View
    instance_path: str
    monotone: bool = True
    anchor: Site | None = None  # the site of the whole instance location (for the engine)

    @property
    def location(self) -> Site:
        """The site of the whole instance location this site is part of."""
        return self.anchor or self

    def changed(self, *keywords: str) -> bool:
        return self.old.keyword_text(*keywords) != self.new.keyword_text(*keywords)

    def set_ops(self, *keywords: str) -> tuple[PatchOp, ...] | None:
        """Edits turning OLD's ``keywords`` into NEW's: ``None`` if NEW's values hold refs."""
        ops: list[PatchOp] = []
        for keyword in keywords:
            new_values = [v for _, v in self.new.values(keyword)]
            if "$ref" in canonical_text(new_values):
                return None
            holders = [p for p, _ in self.old.values(keyword)]
            target = holders[0] if holders else (self.old.parts[0][0] if self.old.parts else None)
            if target is None:
                return None
            ops.extend((pointer, keyword, DELETE) for pointer in holders if pointer != target)
            if not new_values:
                ops.append((target, keyword, DELETE))
            elif len(new_values) == 1:
                ops.append((target, keyword, new_values[0]))
            else:
                return None
        return tuple(ops)


Detector = Callable[[Site], Iterable[Hit]]
