"""The compatibility rules: their detectors, each registered against its record.

A rule names one kind of schema change (``max-length-decreased``,
``property-added-required``). Each is a small pure function registered once with the
:func:`rule` decorator, which builds its record in the one rule catalogue
(:class:`accord.core.rules.RuleSpec`, family ``compat``): a stable kebab-case id (never
reused, unique across families), a one-sentence description (its docstring's first
line), the directions it can break, the bump it requires when it breaks no direction
the mode requires, its default severity, the JSON type whose keywords it compares, an
example ``(old, new)`` pair, its mirror rule (or a written waiver) and its migration
hint. :data:`RULES` maps each id to its record and detector.

Rules only *detect*: given one instance location seen from both sides (a
:class:`Site`), a rule yields :class:`Hit` records. Whether a hit really breaks a
direction, and the witness proving it, are decided by ``_diff`` with the semantic
engine, so a rule never has to reason about meaning: it names what changed.

A location is viewed as its *conjuncts* (:class:`View`): the schema itself, its
``allOf`` members and its ``$ref`` targets, so moving a subschema into ``$defs`` or
splitting an object across ``allOf`` does not look like a change. A two-branch
``anyOf``/``oneOf`` whose other branch is ``{"type": "null"}`` (how Pydantic writes
``Optional``) is read as its non-null branch plus ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import unquote

from accord.compat._types import Direction
from accord.core import pointer as _pointer
from accord.core import rules as _catalogue
from accord.core.memo import IdentityMemo
from accord.core.rules import Bump, Kind, RuleSpec, Severity
from accord.core.schema import Schema

BOTH: tuple[Direction, ...] = ("backward", "forward")
BACKWARD: tuple[Direction, ...] = ("backward",)
FORWARD: tuple[Direction, ...] = ("forward",)
NEITHER: tuple[Direction, ...] = ()

# Keywords that never change the set of valid payloads (DESIGN.md "Required bump").
ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "readOnly", "writeOnly"})

DELETE: Any = object()  # marker in a PatchOp: remove the keyword


# ----------------------------------------------------------------------------- values


def canon(value: Any) -> Any:
    """A hashable key for a JSON value under JSON Schema equality.

    Numbers compare mathematically (``1 == 1.0``, big integers exact), booleans are not
    numbers, objects ignore key order.
    """
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float | Decimal):
        return ("n", Fraction(value))
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, list):
        return ("a", tuple(canon(v) for v in value))
    if isinstance(value, dict):
        return ("o", tuple(sorted((k, canon(v)) for k, v in value.items())))
    return ("?", repr(value))


def _canonical_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


_canonical_memo: IdentityMemo[str] = IdentityMemo(1024)


def canonical_text(value: Any) -> str:
    """Canonical JSON text (sorted keys, no spacing) used for structural equality.

    Memoised on the value's identity: documents are not mutated once built.
    """
    return _canonical_memo(value, _canonical_text)


def show(value: Any, limit: int = 60) -> str:
    """Compact JSON for messages, truncated to ``limit`` characters."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve_local(root: Schema, ref: str) -> tuple[str, Schema] | None:
    """The pointer and subschema a same-document ``$ref`` designates, if it resolves."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    node: Any = root
    try:
        tokens = _pointer.split(unquote(ref[1:]))
        for token in tokens:
            if isinstance(node, dict):
                node = node[token]
            elif isinstance(node, list):
                node = node[int(token)]
            else:
                return None
    except (KeyError, IndexError, ValueError):
        return None
    if isinstance(node, bool | dict):
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


def _type_set(value: Any) -> frozenset[str] | None:
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
        """``(pointer of the conjunct, value)`` for every conjunct that has ``keyword``."""
        return [(p, s[keyword]) for p, s in self.parts if keyword in s]

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
        contributes the union of those types.
        """
        result: frozenset[str] | None = None
        for _, value in self.values("type"):
            names = _type_set(value)
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
                    names = _type_set(branch.get("type")) if isinstance(branch, dict) else None
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
        found = [int(v) for _, v in self.values(keyword) if isinstance(v, int | float | Decimal)]
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
                if best is None or _tighter(candidate, best, upper=upper):
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
                for name, sub in value.items():
                    out.setdefault(name, []).append(
                        (_pointer.join(pointer, "properties", name), sub)
                    )
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


def _tighter(a: tuple[Fraction, bool], b: tuple[Fraction, bool], *, upper: bool) -> bool:
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


# ----------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    """A compatibility rule: its record in the one catalogue and its detector.

    The facts (directions, bump, kind, example, mirror, migration hint, ...) live in
    :attr:`spec` (a :class:`accord.core.rules.RuleSpec`, family ``compat``); the
    properties below read them.
    """

    spec: RuleSpec
    detect: Detector = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def description(self) -> str:
        return self.spec.summary

    @property
    def details(self) -> str:
        return self.spec.details

    @property
    def breaks(self) -> tuple[Direction, ...]:
        return self.spec.breaks

    @property
    def bump(self) -> Bump:
        return self.spec.bump or "minor"

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    @property
    def example(self) -> tuple[Schema, Schema]:
        return self.spec.example or (True, True)

    @property
    def mirror(self) -> str | None:
        return self.spec.mirror

    @property
    def waiver(self) -> str | None:
        return self.spec.waiver

    @property
    def kind(self) -> Kind | None:
        return self.spec.kind

    @property
    def hint(self) -> str | None:
        return self.spec.hint

    @property
    def declared(self) -> bool:
        return self.spec.declared

    @property
    def fallback(self) -> bool:
        return self.spec.fallback

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``accord rules --format json``."""
        return self.spec.to_json()


_registry: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    breaks: tuple[Direction, ...],
    example: tuple[Schema, Schema],
    kind: Kind | None = None,
    mirror: str | None = None,
    waiver: str | None = None,
    bump: Bump = "minor",
    severity: Severity = "error",
    hint: str | None = None,
    declared: bool = False,
    fallback: bool = False,
) -> Callable[[Detector], Detector]:
    """Register the decorated detector as rule ``rule_id`` (ids are never reused).

    The record goes into the one catalogue (:mod:`accord.core.rules`); the keyword
    arguments are its fields (see :class:`accord.core.rules.RuleSpec`), the docstring's
    first paragraph its summary and the rest its details.
    """

    def register(detect: Detector) -> Detector:
        doc = (detect.__doc__ or "").strip()
        # The first paragraph is the one-sentence description (it may wrap).
        first, _, rest = doc.partition("\n\n")
        first = " ".join(line.strip() for line in first.splitlines())
        spec = _catalogue.register(
            RuleSpec(
                family="compat",
                id=rule_id,
                summary=first.strip(),
                details=" ".join(line.strip() for line in rest.strip().splitlines()),
                severity=severity,
                overridable=True,
                kind=kind,
                breaks=breaks,
                bump=bump,
                example=example,
                mirror=mirror,
                waiver=waiver,
                hint=hint,
                declared=declared,
                fallback=fallback,
            )
        )
        _registry[rule_id] = Rule(spec, detect)
        return detect

    return register


# Migration hints shared by several rules. A hint addressed to writers asks them to
# comply with a tighter schema (the change breaks backward); one addressed to readers
# asks them to accept more (it breaks forward); tests/compat/test_rule_meta.py checks it.
_TIGHTER = "writers: keep values within the new, tighter bound"
_WIDER = "readers: accept values within the new, wider bound"
_SEND_HINT = "writers: always send this field; readers on the old version ignore it"
_TYPE_HINT = "check producers and parsers against the new type"
_PATTERN_HINT = "check values against the new pattern"
_FORMAT_HINT = "check values against the new format"
_EXTRA_KEYS_HINT = "check which extra keys are now accepted or refused"


def _hit(site: Site, rule_id: str, message: str, keyword: str, **kw: Any) -> Hit:
    """A hit on ``keyword``: schema path into NEW if NEW has it, else into OLD."""
    in_new = site.new.first(keyword) is not None
    return Hit(
        rule=rule_id,
        message=message,
        schema_path=site.new.where(keyword) if in_new else site.old.where(keyword),
        instance_path=site.instance_path,
        in_old=not in_new,
        **kw,
    )


def _child(path: str, key: str) -> str:
    return _pointer.join(path, key)


# -- objects: properties ------------------------------------------------------------------

_OBJ: dict[str, Any] = {"type": "object", "properties": {"id": {"type": "integer"}}}


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
    for name, entries in new_props.items():
        if name in old_props or (name in new_required) != required:
            continue
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
            instance_path=_child(site.instance_path, name),
            patch=tuple(ops) if ops is not None else None,
            key=name,
        )


@rule(
    "property-added-optional",
    kind="object",
    declared=True,
    breaks=BOTH,
    mirror="property-removed",
    example=(_OBJ, {**_OBJ, "properties": {**_OBJ["properties"], "note": {"type": "string"}}}),
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
        _OBJ,
        {
            **_OBJ,
            "properties": {**_OBJ["properties"], "email": {"type": "string"}},
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
    breaks=BOTH,
    mirror="property-added-optional",
    example=({**_OBJ, "properties": {**_OBJ["properties"], "note": {"type": "string"}}}, _OBJ),
)
def property_removed(site: Site) -> Iterable[Hit]:
    """A declared property was removed.

    Under contract semantics a key named in OLD that writers on NEW can no longer emit
    is breaking in both directions (status ``policy``), even where set inclusion
    holds; a key still covered by ``patternProperties`` or a map schema is not removed.
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
            instance_path=_child(site.instance_path, name),
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
    hint=_SEND_HINT,
    breaks=BACKWARD,
    mirror="required-removed",
    example=(_OBJ, {**_OBJ, "required": ["id"]}),
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
        yield _hit(
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
    breaks=FORWARD,
    mirror="required-added",
    example=({**_OBJ, "required": ["id"]}, _OBJ),
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
        yield _hit(site, rule_id, change[1], "type", patch=site.set_ops("type"))


@rule(
    "type-changed",
    hint=_TYPE_HINT,
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
    hint=_TYPE_HINT,
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
    hint=_TYPE_HINT,
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
        yield _hit(site, rule_id, f"value is {word} nullable", "type")


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
        yield _hit(
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
        yield _hit(
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
            yield _hit(
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
        yield _hit(
            site,
            "const-changed",
            f"constant {show(next(iter(old.values())))} -> {show(next(iter(new.values())))}",
            _enum_keyword(site.new),
            patch=_enum_ops(site),
        )


# -- numbers and lengths ------------------------------------------------------------------


def _fmt_bound(bound: tuple[Fraction, bool] | None, *, upper: bool) -> str:
    if bound is None:
        return "none"
    value, excl = bound
    number = str(value.numerator) if value.denominator == 1 else str(float(value))
    return ("<" if upper else ">") + ("" if excl else "=") + " " + number


def _bound_rule(site: Site, *, upper: bool, tighter: bool) -> Iterator[Hit]:
    old, new = site.old.bound(upper=upper), site.new.bound(upper=upper)
    if old == new:
        return
    if new is None:
        got_tighter = False
    elif old is None:
        got_tighter = True
    else:
        got_tighter = _tighter(new, old, upper=upper)
    if got_tighter != tighter:
        return
    name = "maximum" if upper else "minimum"
    direction = (
        ("decreased" if upper else "increased")
        if tighter
        else ("increased" if upper else "decreased")
    )
    keywords = ("maximum", "exclusiveMaximum") if upper else ("minimum", "exclusiveMinimum")
    keyword = (
        keywords[0]
        if (site.new.first(keywords[0]) or not site.new.first(keywords[1]))
        else keywords[1]
    )
    yield _hit(
        site,
        f"{name}-{direction}",
        f"{name} {_fmt_bound(old, upper=upper)} -> {_fmt_bound(new, upper=upper)}",
        keyword,
        patch=site.set_ops(*keywords),
    )


@rule(
    "minimum-increased",
    kind="number",
    hint=_TIGHTER,
    breaks=BACKWARD,
    mirror="minimum-decreased",
    example=({"type": "number", "minimum": 0}, {"type": "number", "minimum": 1}),
)
def minimum_increased(site: Site) -> Iterable[Hit]:
    """The lower numeric bound was raised or added (``minimum``/``exclusiveMinimum``).

    Breaks backward. On integers, ``minimum: 1`` and ``exclusiveMinimum: 0`` are equal.
    """
    return _bound_rule(site, upper=False, tighter=True)


@rule(
    "minimum-decreased",
    kind="number",
    hint=_WIDER,
    breaks=FORWARD,
    mirror="minimum-increased",
    example=({"type": "number", "minimum": 1}, {"type": "number", "minimum": 0}),
)
def minimum_decreased(site: Site) -> Iterable[Hit]:
    """The lower numeric bound was lowered or removed.

    Breaks forward.
    """
    return _bound_rule(site, upper=False, tighter=False)


@rule(
    "maximum-decreased",
    kind="number",
    hint=_TIGHTER,
    breaks=BACKWARD,
    mirror="maximum-increased",
    example=({"type": "number", "maximum": 20}, {"type": "number", "maximum": 10}),
)
def maximum_decreased(site: Site) -> Iterable[Hit]:
    """The upper numeric bound was lowered or added (``maximum``/``exclusiveMaximum``).

    Breaks backward.
    """
    return _bound_rule(site, upper=True, tighter=True)


@rule(
    "maximum-increased",
    kind="number",
    hint=_WIDER,
    breaks=FORWARD,
    mirror="maximum-decreased",
    example=({"type": "number", "maximum": 10}, {"type": "number", "maximum": 20}),
)
def maximum_increased(site: Site) -> Iterable[Hit]:
    """The upper numeric bound was raised or removed.

    Breaks forward.
    """
    return _bound_rule(site, upper=True, tighter=False)


def _int_rule(
    site: Site, keyword: str, rule_id: str, *, upper: bool, tighter: bool
) -> Iterator[Hit]:
    old = site.old.int_facet(keyword, upper=upper)
    new = site.new.int_facet(keyword, upper=upper)
    if upper:
        old_v = float("inf") if old is None else old
        new_v = float("inf") if new is None else new
        got_tighter = new_v < old_v
    else:
        old_v, new_v = old or 0, new or 0
        got_tighter = new_v > old_v
    if old_v == new_v or got_tighter != tighter:
        return
    yield _hit(
        site,
        rule_id,
        f"{keyword} {'none' if old is None else old} -> {'none' if new is None else new}",
        keyword,
        patch=site.set_ops(keyword),
    )


def _int_pair(keyword: str, stem: str, kind: Kind, example_values: tuple[int, int]) -> None:
    """Register ``<stem>-increased`` and ``<stem>-decreased`` for an integer facet."""
    upper = keyword.startswith("max")
    narrow_word, wide_word = ("decreased", "increased") if upper else ("increased", "decreased")
    lo, hi = example_values
    base = {"type": kind}
    narrow_ex = (
        ({**base, keyword: hi}, {**base, keyword: lo})
        if upper
        else ({**base, keyword: lo}, {**base, keyword: hi})
    )
    wide_ex = (narrow_ex[1], narrow_ex[0])
    bound = "upper" if upper else "lower"
    for word, tighter, example, breaks in (
        (narrow_word, True, narrow_ex, BACKWARD),
        (wide_word, False, wide_ex, FORWARD),
    ):
        rule_id = f"{stem}-{word}"
        other = f"{stem}-{wide_word if tighter else narrow_word}"

        def detect(site: Site, _r: str = rule_id, _t: bool = tighter) -> Iterable[Hit]:
            return _int_rule(site, keyword, _r, upper=upper, tighter=_t)

        verb = (
            "tightened (lowered, or added)"
            if (tighter and upper)
            else (
                "tightened (raised, or added)"
                if tighter
                else (
                    "loosened (raised, or removed)" if upper else "loosened (lowered, or removed)"
                )
            )
        )
        detect.__doc__ = f"The {bound} bound ``{keyword}`` was {verb}.\n\nBreaks {breaks[0]}."
        hint = _TIGHTER if tighter else _WIDER
        rule(rule_id, breaks=breaks, kind=kind, mirror=other, example=example, hint=hint)(detect)


_int_pair("maxLength", "max-length", "string", (3, 10))
_int_pair("minLength", "min-length", "string", (0, 2))
_int_pair("maxItems", "max-items", "array", (3, 10))
_int_pair("minItems", "min-items", "array", (0, 2))
_int_pair("maxProperties", "max-properties", "object", (3, 10))
_int_pair("minProperties", "min-properties", "object", (0, 2))


@rule(
    "multiple-of-changed",
    kind="number",
    breaks=BOTH,
    waiver="multiple-of-changed is its own mirror (the engine decides the directions).",
    example=({"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4}),
)
def multiple_of_changed(site: Site) -> Iterable[Hit]:
    """``multipleOf`` was added, removed or changed.

    Adding or refining breaks backward; removing or coarsening breaks forward.
    """
    old = {canon(v) for v in (v for _, v in site.old.values("multipleOf"))}
    new = {canon(v) for v in (v for _, v in site.new.values("multipleOf"))}
    if old != new:
        olds = [v for _, v in site.old.values("multipleOf")]
        news = [v for _, v in site.new.values("multipleOf")]
        yield _hit(
            site,
            "multiple-of-changed",
            f"multipleOf {show(olds)} -> {show(news)}",
            "multipleOf",
            patch=site.set_ops("multipleOf"),
        )


# -- strings ------------------------------------------------------------------------------


def _patterns(site: Site) -> tuple[list[str], list[str]]:
    old, new = site.old.strings("pattern"), site.new.strings("pattern")
    return [p for p in new if p not in old], [p for p in old if p not in new]


@rule(
    "pattern-changed",
    kind="string",
    hint=_PATTERN_HINT,
    breaks=BOTH,
    waiver="pattern-changed is its own mirror.",
    example=(
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-z0-9]+$"},
    ),
)
def pattern_changed(site: Site) -> Iterable[Hit]:
    """The ``pattern`` was replaced by another regular expression.

    Regex inclusion is undecidable in general: unless a payload separates the two, the
    change is reported ``unproven``.
    """
    added, removed = _patterns(site)
    if len(added) == 1 and len(removed) == 1:
        yield _hit(
            site,
            "pattern-changed",
            f"pattern {show(removed[0])} -> {show(added[0])}",
            "pattern",
            patch=site.set_ops("pattern"),
        )


@rule(
    "pattern-added",
    kind="string",
    hint=_PATTERN_HINT,
    breaks=BACKWARD,
    mirror="pattern-removed",
    example=({"type": "string"}, {"type": "string", "pattern": "^[a-z]+$"}),
)
def pattern_added(site: Site) -> Iterable[Hit]:
    """A ``pattern`` was added.

    Breaks backward: old strings not matching it are rejected.
    """
    added, removed = _patterns(site)
    if not (len(added) == 1 and len(removed) == 1):
        for pattern in added:
            yield _hit(
                site,
                "pattern-added",
                f"pattern {show(pattern)} added",
                "pattern",
                patch=site.set_ops("pattern") if len(added) == 1 and not removed else None,
            )


@rule(
    "pattern-removed",
    kind="string",
    hint=_PATTERN_HINT,
    breaks=FORWARD,
    mirror="pattern-added",
    example=({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string"}),
)
def pattern_removed(site: Site) -> Iterable[Hit]:
    """A ``pattern`` was removed.

    Breaks forward: new strings may not match it.
    """
    added, removed = _patterns(site)
    if not (len(added) == 1 and len(removed) == 1):
        for pattern in removed:
            yield Hit(
                rule="pattern-removed",
                message=f"pattern {show(pattern)} removed",
                schema_path=site.old.where("pattern"),
                instance_path=site.instance_path,
                in_old=True,
                patch=site.set_ops("pattern") if len(removed) == 1 and not added else None,
            )


def _format_rule(site: Site, rule_id: str) -> Iterator[Hit]:
    old, new = site.old.strings("format"), site.new.strings("format")
    if old == new:
        return
    if old and new:
        found = "format-changed"
    elif new:
        found = "format-added"
    else:
        found = "format-removed"
    if found == rule_id:
        yield _hit(
            site,
            rule_id,
            f"format {show(old or None)} -> {show(new or None)}",
            "format",
            patch=site.set_ops("format"),
        )


@rule(
    "format-added",
    kind="string",
    hint=_FORMAT_HINT,
    breaks=BACKWARD,
    mirror="format-removed",
    example=({"type": "string"}, {"type": "string", "format": "email"}),
)
def format_added(site: Site) -> Iterable[Hit]:
    """A ``format`` was added (accord asserts every 2020-12 format).

    Breaks backward; an unknown format is an annotation and breaks nothing.
    """
    return _format_rule(site, "format-added")


@rule(
    "format-removed",
    kind="string",
    hint=_FORMAT_HINT,
    breaks=FORWARD,
    mirror="format-added",
    example=({"type": "string", "format": "email"}, {"type": "string"}),
)
def format_removed(site: Site) -> Iterable[Hit]:
    """A ``format`` was removed.

    Breaks forward.
    """
    return _format_rule(site, "format-removed")


@rule(
    "format-changed",
    kind="string",
    hint=_FORMAT_HINT,
    breaks=BOTH,
    waiver="format-changed is its own mirror.",
    example=({"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}),
)
def format_changed(site: Site) -> Iterable[Hit]:
    """The ``format`` changed to another one.

    Usually breaks both directions.
    """
    return _format_rule(site, "format-changed")


# -- objects: shape -----------------------------------------------------------------------


@rule(
    "object-closed",
    kind="object",
    breaks=BOTH,
    mirror="object-opened",
    example=(_OBJ, {**_OBJ, "additionalProperties": False}),
)
def object_closed(site: Site) -> Iterable[Hit]:
    """The object was closed (``additionalProperties`` or ``unevaluatedProperties`` false).

    Harmless under contract semantics for a struct (writers only emit declared keys);
    breaks backward under set semantics, and removes keys a map allowed.
    """
    if site.new.closed() and not site.old.closed():
        keyword = (
            "additionalProperties"
            if any(v is False for _, v in site.new.values("additionalProperties"))
            else "unevaluatedProperties"
        )
        yield _hit(
            site,
            "object-closed",
            "object no longer accepts undeclared keys",
            keyword,
            patch=site.set_ops(keyword),
        )


@rule(
    "object-opened",
    kind="object",
    breaks=FORWARD,
    mirror="object-closed",
    example=({**_OBJ, "additionalProperties": False}, {**_OBJ, "additionalProperties": True}),
)
def object_opened(site: Site) -> Iterable[Hit]:
    """A closed object now accepts undeclared keys.

    Breaks forward: new writers may send keys old readers reject.
    """
    if site.old.closed() and not site.new.closed():
        keyword = (
            "additionalProperties"
            if any(v is False for _, v in site.old.values("additionalProperties"))
            else "unevaluatedProperties"
        )
        yield Hit(
            rule="object-opened",
            message="object now accepts undeclared keys",
            schema_path=site.new.where(keyword)
            if site.new.first(keyword)
            else site.old.where(keyword),
            instance_path=site.instance_path,
            in_old=site.new.first(keyword) is None,
            patch=site.set_ops(keyword),
        )


def _addl(view: View) -> Any:
    found = view.first("additionalProperties")
    return None if found is None else found[1]


@rule(
    "additional-properties-narrowed",
    kind="object",
    hint=_EXTRA_KEYS_HINT,
    breaks=BACKWARD,
    mirror="additional-properties-widened",
    example=({"type": "object"}, {"type": "object", "additionalProperties": {"type": "string"}}),
)
def additional_properties_narrowed(site: Site) -> Iterable[Hit]:
    """Undeclared keys, previously unconstrained, must now match a schema.

    Breaks backward (under contract semantics only where the object is a map).
    """
    old, new = _addl(site.old), _addl(site.new)
    if old in (None, True) and isinstance(new, dict):
        yield _hit(
            site,
            "additional-properties-narrowed",
            f"additionalProperties now {show(new)}",
            "additionalProperties",
            patch=site.set_ops("additionalProperties"),
        )


@rule(
    "additional-properties-widened",
    kind="object",
    hint=_EXTRA_KEYS_HINT,
    breaks=FORWARD,
    mirror="additional-properties-narrowed",
    example=({"type": "object", "additionalProperties": {"type": "string"}}, {"type": "object"}),
)
def additional_properties_widened(site: Site) -> Iterable[Hit]:
    """The schema for undeclared keys was removed (they are unconstrained).

    Breaks forward.
    """
    old, new = _addl(site.old), _addl(site.new)
    if isinstance(old, dict) and new in (None, True):
        yield Hit(
            rule="additional-properties-widened",
            message=f"additionalProperties {show(old)} removed",
            schema_path=site.old.where("additionalProperties"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("additionalProperties"),
        )


@rule(
    "pattern-properties-changed",
    kind="object",
    hint=_PATTERN_HINT,
    declared=True,
    breaks=BOTH,
    waiver="pattern-properties-changed covers additions and removals of a pattern.",
    example=(
        {"type": "object"},
        {"type": "object", "patternProperties": {"^x_": {"type": "integer"}}},
    ),
)
def pattern_properties_changed(site: Site) -> Iterable[Hit]:
    """A ``patternProperties`` entry was added or removed.

    A new pattern constrains matching keys (breaks backward); a removed one frees them
    (breaks forward). Entries present on both sides are compared like properties.
    """
    old, new = site.old.pattern_properties(), site.new.pattern_properties()
    for pattern, entries in new.items():
        if pattern not in old:
            yield Hit(
                "pattern-properties-changed",
                f"patternProperties {show(pattern)} added",
                entries[0][0],
                _child(site.instance_path, "*"),
            )
    for pattern, entries in old.items():
        if pattern not in new:
            yield Hit(
                "pattern-properties-changed",
                f"patternProperties {show(pattern)} removed",
                entries[0][0],
                _child(site.instance_path, "*"),
                in_old=True,
            )


@rule(
    "property-names-changed",
    kind="object",
    breaks=BOTH,
    waiver="property-names-changed covers additions, removals and edits.",
    example=({"type": "object"}, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}),
)
def property_names_changed(site: Site) -> Iterable[Hit]:
    """``propertyNames`` was added, removed or changed.

    Constraining key names breaks backward; relaxing them breaks forward.
    """
    if site.changed("propertyNames"):
        yield _hit(
            site,
            "property-names-changed",
            "propertyNames changed",
            "propertyNames",
            patch=site.set_ops("propertyNames"),
        )


def _dependent_pairs(view: View) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for _, value in view.values("dependentRequired"):
        if isinstance(value, dict):
            for key, deps in value.items():
                if isinstance(deps, list):
                    out.update((key, d) for d in deps if isinstance(d, str))
    return out


@rule(
    "dependent-required-added",
    kind="object",
    hint=_SEND_HINT,
    breaks=BACKWARD,
    mirror="dependent-required-removed",
    example=({"type": "object"}, {"type": "object", "dependentRequired": {"card": ["billing"]}}),
)
def dependent_required_added(site: Site) -> Iterable[Hit]:
    """A ``dependentRequired`` dependency was added (key A now requires key B).

    Breaks backward.
    """
    old, new = _dependent_pairs(site.old), _dependent_pairs(site.new)
    for key, dep in sorted(new - old):
        yield _hit(
            site,
            "dependent-required-added",
            f"{key!r} now requires {dep!r}",
            "dependentRequired",
            patch=site.set_ops("dependentRequired") if len(new - old) == 1 and old <= new else None,
        )


@rule(
    "dependent-required-removed",
    kind="object",
    breaks=FORWARD,
    mirror="dependent-required-added",
    example=({"type": "object", "dependentRequired": {"card": ["billing"]}}, {"type": "object"}),
)
def dependent_required_removed(site: Site) -> Iterable[Hit]:
    """A ``dependentRequired`` dependency was removed.

    Breaks forward.
    """
    old, new = _dependent_pairs(site.old), _dependent_pairs(site.new)
    for key, dep in sorted(old - new):
        yield Hit(
            rule="dependent-required-removed",
            message=f"{key!r} no longer requires {dep!r}",
            schema_path=site.old.where("dependentRequired"),
            instance_path=site.instance_path,
            in_old=True,
            patch=site.set_ops("dependentRequired") if len(old - new) == 1 and new <= old else None,
        )


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
        yield _hit(
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
        yield _hit(
            site,
            "items-changed",
            f"items {show(old)} -> {show(new)}",
            "items",
            patch=site.set_ops("items"),
        )
    if site.changed("unevaluatedItems"):
        yield _hit(
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
        yield _hit(
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
        yield _hit(
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
        yield _hit(
            site, "contains-changed", f"{keyword} changed", keyword, patch=site.set_ops(*keywords)
        )


# -- combinators --------------------------------------------------------------------------


def _strip(schema: Schema) -> Any:
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if k not in ANNOTATIONS}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def _branch_key(schema: Schema) -> str:
    return canonical_text(_strip(schema))


def _branch_types(schema: Schema) -> Any:
    return _type_set(schema.get("type")) if isinstance(schema, dict) else None


def match_branches(
    old: Sequence[Schema], new: Sequence[Schema]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair combinator branches: equal ones first, then by type, then by position.

    Returns ``(pairs, old_only, new_only)`` with indices into ``old`` and ``new``.
    """
    pairs: list[tuple[int, int]] = []
    free_old, free_new = list(range(len(old))), list(range(len(new)))
    for test in (
        lambda i, j: _branch_key(old[i]) == _branch_key(new[j]),
        lambda i, j: (
            _branch_types(old[i]) is not None and _branch_types(old[i]) == _branch_types(new[j])
        ),
    ):
        for i in list(free_old):
            for j in free_new:
                if test(i, j):
                    pairs.append((i, j))
                    free_old.remove(i)
                    free_new.remove(j)
                    break
    if len(free_old) == len(free_new):
        pairs.extend(zip(free_old, free_new, strict=True))
        free_old, free_new = [], []
    return sorted(pairs), free_old, free_new


def combinator_groups(
    site: Site,
) -> list[tuple[tuple[str, str, list[Schema]] | None, tuple[str, str, list[Schema]] | None]]:
    """Pair OLD's and NEW's ``anyOf``/``oneOf`` groups by position."""
    old, new = site.old.combinators(), site.new.combinators()
    out: list[tuple[tuple[str, str, list[Schema]] | None, tuple[str, str, list[Schema]] | None]] = [
        (old[i] if i < len(old) else None, new[i] if i < len(new) else None)
        for i in range(max(len(old), len(new)))
    ]
    return out


def _location_key(view: View) -> str:
    """Canonical text of the location as one branch (for wholesale-added groups)."""
    merged: dict[str, Any] = {}
    for _, schema in view.parts:
        merged.update({k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")})
    return _branch_key(merged)


def _branch_hits(site: Site, keyword: str, *, added: bool) -> Iterator[Hit]:
    kind = "oneof" if keyword == "oneOf" else "anyof"
    rule_id = f"{kind}-branch-{'added' if added else 'removed'}"
    for old_group, new_group in combinator_groups(site):
        old_branches = old_group[2] if old_group else []
        new_branches = new_group[2] if new_group else []
        if added and (new_group is None or new_group[0] != keyword):
            continue
        if not added and (old_group is None or old_group[0] != keyword):
            continue
        if old_group is None or new_group is None:
            # A whole group appeared or vanished: a branch equal to the other side's
            # location is the old shape, not an addition.
            other = _location_key(site.old if added else site.new)
            group = new_group if added else old_group
            assert group is not None
            for i, branch in enumerate(group[2]):
                if _branch_key(branch) != other:
                    yield Hit(
                        rule_id,
                        f"{keyword} branch {i} {'added' if added else 'removed'}",
                        _pointer.join(group[1], keyword, i),
                        site.instance_path,
                        in_old=not added,
                    )
            continue
        _, old_only, new_only = match_branches(old_branches, new_branches)
        group = new_group if added else old_group
        for i in new_only if added else old_only:
            yield Hit(
                rule_id,
                f"{keyword} branch {i} ({show(group[2][i], 40)}) {'added' if added else 'removed'}",
                _pointer.join(group[1], keyword, i),
                site.instance_path,
                in_old=not added,
                patch=(
                    ((old_group[1], old_group[0], new_branches),)
                    if "$ref" not in canonical_text(new_branches) and old_group[0] == new_group[0]
                    else None
                ),
            )


@rule(
    "oneof-branch-added",
    breaks=BOTH,
    mirror="oneof-branch-removed",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
    ),
)
def oneof_branch_added(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` branch was added.

    Breaks forward (new payloads of that branch); if it overlaps another branch, payloads
    matching both become invalid (see oneof-branch-overlap).
    """
    return _branch_hits(site, "oneOf", added=True)


@rule(
    "oneof-branch-removed",
    breaks=BOTH,
    mirror="oneof-branch-added",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    ),
)
def oneof_branch_removed(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` branch was removed.

    Breaks backward (old payloads of that branch); removing an overlapping branch can
    make payloads valid that were not.
    """
    return _branch_hits(site, "oneOf", added=False)


@rule(
    "oneof-branch-overlap",
    breaks=BOTH,
    waiver="oneof-branch-overlap has no reverse rule: a removed overlap is reported as the "
    "branch change that removed it.",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]},
    ),
)
def oneof_branch_overlap(site: Site) -> Iterable[Hit]:
    """Two ``oneOf`` branches of NEW can match the same payload where OLD's could not.

    A payload matching both is invalid under ``oneOf``: values that were valid become
    invalid. The walker confirms the overlap with the engine; this detector proposes
    pairs involving an added or changed branch.
    """
    for old_group, new_group in combinator_groups(site):
        if new_group is None or new_group[0] != "oneOf":
            continue
        new_branches = new_group[2]
        if old_group is not None:
            pairs, _, new_only = match_branches(old_group[2], new_branches)
            changed = set(new_only) | {
                j for i, j in pairs if _branch_key(old_group[2][i]) != _branch_key(new_branches[j])
            }
        else:
            changed = set(range(len(new_branches)))
        for j in sorted(changed):
            for k in range(len(new_branches)):
                if k == j or (k in changed and k < j):
                    continue
                a, b = sorted((j, k))
                yield Hit(
                    "oneof-branch-overlap",
                    f"oneOf branches {a} and {b} may overlap",
                    _pointer.join(new_group[1], "oneOf", a),
                    site.instance_path,
                    key=f"{a},{b}",
                )


@rule(
    "anyof-branch-added",
    breaks=FORWARD,
    mirror="anyof-branch-removed",
    example=({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
)
def anyof_branch_added(site: Site) -> Iterable[Hit]:
    """An ``anyOf`` branch was added.

    Breaks forward: new payloads of that branch are rejected by old readers.
    """
    return _branch_hits(site, "anyOf", added=True)


@rule(
    "anyof-branch-removed",
    breaks=BACKWARD,
    mirror="anyof-branch-added",
    example=({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"anyOf": [{"type": "string"}]}),
)
def anyof_branch_removed(site: Site) -> Iterable[Hit]:
    """An ``anyOf`` branch was removed.

    Breaks backward: old payloads only that branch accepted are rejected.
    """
    return _branch_hits(site, "anyOf", added=False)


@rule(
    "combinator-changed",
    breaks=BOTH,
    waiver="combinator-changed is its own mirror (oneOf <-> anyOf).",
    example=(
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        {"anyOf": [{"type": "integer"}, {"type": "number"}]},
    ),
)
def combinator_changed(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` became an ``anyOf`` or the reverse.

    ``oneOf`` -> ``anyOf`` admits payloads matching several branches (breaks forward);
    the reverse rejects them (breaks backward). Disjoint branches make it a no-op.
    """
    for old_group, new_group in combinator_groups(site):
        if old_group and new_group and old_group[0] != new_group[0]:
            ops = None
            if "$ref" not in canonical_text(new_group[2]):
                ops = (
                    (old_group[1], old_group[0], DELETE),
                    (old_group[1], new_group[0], new_group[2]),
                )
            yield Hit(
                "combinator-changed",
                f"{old_group[0]} -> {new_group[0]}",
                _pointer.join(new_group[1], new_group[0]),
                site.instance_path,
                patch=ops,
            )


@rule(
    "allof-conjunct-added",
    fallback=True,
    breaks=BACKWARD,
    mirror="allof-conjunct-removed",
    example=(
        {"allOf": [{"type": "object"}]},
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
    ),
)
def allof_conjunct_added(site: Site) -> Iterable[Hit]:
    """An ``allOf`` member was added and no more specific rule explains the change.

    Breaks backward: one more constraint to satisfy. (Members are read as facets of the
    location, so ``required`` in a new member is reported as required-added.)
    """
    return ()  # emitted by the walker as a fallback (it needs the engine's verdict)


@rule(
    "allof-conjunct-removed",
    fallback=True,
    breaks=FORWARD,
    mirror="allof-conjunct-added",
    example=(
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
        {"allOf": [{"type": "object"}]},
    ),
)
def allof_conjunct_removed(site: Site) -> Iterable[Hit]:
    """An ``allOf`` member was removed and no more specific rule explains the change.

    Breaks forward: one constraint fewer.
    """
    return ()  # emitted by the walker as a fallback


@rule(
    "not-changed",
    breaks=BOTH,
    waiver="not-changed covers additions, removals and edits of `not`.",
    example=({"not": {"type": "string"}}, {"not": {"type": ["string", "null"]}}),
)
def not_changed(site: Site) -> Iterable[Hit]:
    """The ``not`` operand was added, removed or changed.

    Widening the operand narrows the schema (breaks backward) and the reverse.
    """
    if site.changed("not"):
        yield _hit(site, "not-changed", "not changed", "not", patch=site.set_ops("not"))


@rule(
    "conditional-changed",
    breaks=BOTH,
    waiver="conditional-changed covers additions, removals and edits.",
    example=(
        {"type": "object"},
        {
            "type": "object",
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"required": ["a_id"]},
        },
    ),
)
def conditional_changed(site: Site) -> Iterable[Hit]:
    """A conditional (``if``/``then``/``else`` or ``dependentSchemas``) changed.

    The engine decides the directions.
    """
    for keywords in (("if", "then", "else"), ("dependentSchemas",)):
        if site.changed(*keywords):
            keyword = next(
                k for k in keywords if site.old.keyword_text(k) != site.new.keyword_text(k)
            )
            yield _hit(
                site,
                "conditional-changed",
                f"{'/'.join(keywords)} changed",
                keyword,
                patch=site.set_ops(*keywords),
            )


# -- annotations and refactors --------------------------------------------------------------


def _annotation(site: Site, rule_id: str, keywords: tuple[str, ...]) -> Iterator[Hit]:
    # Only the location's own conjuncts: a description inside a shared $defs target is
    # reported where that target is written.
    for keyword in keywords:
        if site.old.keyword_text(keyword) != site.new.keyword_text(keyword):
            old, new = site.old.first(keyword), site.new.first(keyword)
            text = f"{keyword} {'changed' if old and new else 'added' if new else 'removed'}"
            yield _hit(site, rule_id, text, keyword)


@rule(
    "description-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="description-changed covers additions, removals and edits.",
    example=({"type": "string", "description": "old"}, {"type": "string", "description": "new"}),
)
def description_changed(site: Site) -> Iterable[Hit]:
    """Documentation changed: ``title``, ``description`` or ``$comment``.

    Annotations never change the valid sets: a patch.
    """
    return _annotation(site, "description-changed", ("title", "description", "$comment"))


@rule(
    "examples-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="examples-changed covers additions, removals and edits.",
    example=({"type": "string"}, {"type": "string", "examples": ["x"]}),
)
def examples_changed(site: Site) -> Iterable[Hit]:
    """``examples`` changed.

    Annotations never change the valid sets: a patch.
    """
    return _annotation(site, "examples-changed", ("examples",))


@rule(
    "access-mode-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="access-mode-changed covers additions, removals and edits.",
    example=({"type": "string"}, {"type": "string", "readOnly": True}),
)
def access_mode_changed(site: Site) -> Iterable[Hit]:
    """``readOnly`` or ``writeOnly`` changed.

    They are annotations in JSON Schema 2020-12 and validators ignore them: a patch.
    """
    return _annotation(site, "access-mode-changed", ("readOnly", "writeOnly"))


@rule(
    "default-changed",
    declared=True,
    breaks=NEITHER,
    severity="info",
    waiver="default-changed covers additions, removals and edits.",
    example=({"type": "integer", "default": 0}, {"type": "integer", "default": 10}),
)
def default_changed(site: Site) -> Iterable[Hit]:
    """The ``default`` value was added, removed or changed.

    Validation ignores defaults, but readers that fill them in behave differently: a
    minor bump.
    """
    return _annotation(site, "default-changed", ("default",))


@rule(
    "deprecated-changed",
    declared=True,
    breaks=NEITHER,
    severity="info",
    waiver="deprecated-changed covers both flips.",
    example=({"type": "string"}, {"type": "string", "deprecated": True}),
)
def deprecated_changed(site: Site) -> Iterable[Hit]:
    """The ``deprecated`` flag changed.

    Deprecating is a signal to consumers: a minor bump.
    """
    return _annotation(site, "deprecated-changed", ("deprecated",))


@rule(
    "ref-refactored",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="ref-refactored is symmetric: extraction and inlining are the same rule.",
    example=(
        {"type": "object", "properties": {"role": {"enum": ["user", "admin"]}}},
        {
            "type": "object",
            "properties": {"role": {"$ref": "#/$defs/Role"}},
            "$defs": {"Role": {"enum": ["user", "admin"]}},
        },
    ),
)
def ref_refactored(site: Site) -> Iterable[Hit]:
    """A subschema was moved behind a ``$ref``, inlined, or split across ``allOf``, with
    the same meaning.

    Reported only when the engine proves both sides equal there: a patch.
    """
    old_shape = (site.old.refs, site.old.allof_sizes)
    new_shape = (site.new.refs, site.new.allof_sizes)
    if old_shape != new_shape:
        keyword = "$ref" if site.new.refs or site.old.refs else "allOf"
        yield _hit(site, "ref-refactored", f"{keyword} structure changed (same meaning)", keyword)


@rule(
    "schema-narrowed",
    fallback=True,
    breaks=BACKWARD,
    mirror="schema-widened",
    example=(True, False),
)
def schema_narrowed(site: Site) -> Iterable[Hit]:
    """The schema accepts fewer payloads, in a way no more specific rule describes.

    The generic fallback: the engine refuted backward (witness attached) and no other
    rule explains it, e.g. ``true`` -> ``false``.
    """
    if site.new.is_false and not site.old.is_false:
        yield Hit(
            "schema-narrowed",
            "schema became false (rejects everything)",
            site.new.pointer,
            site.instance_path,
        )


@rule(
    "schema-widened",
    fallback=True,
    breaks=FORWARD,
    mirror="schema-narrowed",
    example=(False, True),
)
def schema_widened(site: Site) -> Iterable[Hit]:
    """The schema accepts more payloads, in a way no more specific rule describes.

    The generic fallback for a refuted forward direction.
    """
    if site.old.is_false and not site.new.is_false:
        yield Hit(
            "schema-widened", "schema is no longer false", site.new.pointer, site.instance_path
        )


RULES: Mapping[str, Rule] = _registry
"""Every rule, by id, in catalogue order."""

FALLBACK_RULES = frozenset(r.id for r in RULES.values() if r.fallback)
"""Rules the walker emits when no more specific rule explains the engine's finding."""


def rule_for(rule_id: str) -> Rule:
    """The rule ``rule_id``.

    Raises:
        KeyError: unknown id.
    """
    return RULES[rule_id]


def render_rules_markdown() -> str:
    """The whole rule catalogue, every family, as Markdown (``docs/rules.md``)."""
    return _catalogue.render_markdown()
