"""Turn a bundled schema into the input the generator sees, safely.

Three jobs, in one walk over schema positions (never over data such as ``enum``,
``const`` or the names under ``properties``):

1. **Refuse** keys that make datamodel-code-generator import or execute something
   (``customTypePath``, ``customBasePath``, ``x-python-type``, ``x-python-import``, the
   other ``x-python-*``/``x-datamodel-*``/``x-is-*``/``x-enum-*`` extensions): code
   ``codegen-unsafe-key``. A ``$ref`` that is not a local JSON pointer resolving inside
   the bundle is refused too (``codegen-dangling-ref``): the generator would otherwise
   type it ``Any`` or try to fetch it.
2. **Keep** only the keywords the generated model enforces exactly as the reference
   validator does (shape, ``required``, bounds, lengths, ``enum``/``const``,
   ``$ref``, the combinators, and ``pattern`` when it is in a portable subset).
   Annotations (``title``, ``description``, ``default``, ``examples``, unknown
   keywords, ...) are dropped: they change nothing the validator decides, and they are
   the text an attacker would craft. A kept keyword the generator would read apart
   from the reference (a bound beside no ``type``, a bound a float cannot hold, an
   ``enum``/``const`` Python equality blurs) is dropped or listed too (``loosen``).
3. **Record** every validation keyword dropped, as a *gap*: dropping a keyword only
   loosens the model (keywords are conjunctive), and each gap is listed in the
   generated module's docstring, where the contract validator is named as the judge.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from accord.codegen._idents import field_attr, version_ident
from accord.core import pointer as _pointer
from accord.errors import SchemaError

__all__ = ["Prepared", "prepare", "walk_properties"]

_UNSAFE_KEYS = frozenset({"customTypePath", "customBasePath", "javaType"})
_UNSAFE_PREFIXES = ("x-python", "x-datamodel", "x-is-", "x-enum", "x-pydantic")

_SUBSCHEMA = ("additionalProperties", "items")
_SUBSCHEMA_MAPS = ("properties", "$defs")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_CHOICES = frozenset({"anyOf", "oneOf"})
_VALUES = (
    "type", "required", "enum", "const", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "$ref",
)  # fmt: skip
_ROOT_ONLY = ("$schema",)
# Validation keywords the model does not check (or not exactly as the reference does).
_GAP_KEYWORDS = frozenset(
    {
        "format", "pattern", "patternProperties", "propertyNames", "minProperties",
        "maxProperties", "dependentRequired", "dependentSchemas", "uniqueItems",
        "contains", "minContains", "maxContains", "multipleOf", "not", "if", "then",
        "else", "unevaluatedItems", "unevaluatedProperties", "prefixItems",
        "$dynamicRef", "$recursiveRef",
    }
)  # fmt: skip
# Keywords whose subschemas are walked for unsafe keys even though they are dropped.
_DROPPED_SUBSCHEMA = (
    "propertyNames", "contains", "not", "if", "then", "else", "unevaluatedItems",
    "unevaluatedProperties", "contentSchema",
)  # fmt: skip
_DROPPED_MAPS = ("patternProperties", "dependentSchemas", "definitions")
_DROPPED_LISTS = ("prefixItems",)
# The same keywords in the orders the walks visit them, built once, not once per node.
_SCAN_SINGLE = (*_SUBSCHEMA, *_DROPPED_SUBSCHEMA)
_SCAN_MAPS = (*_SUBSCHEMA_MAPS, *_DROPPED_MAPS)
_SCAN_LISTS = (*_SUBSCHEMA_LISTS, *_DROPPED_LISTS)
_DROPPED = (*_DROPPED_SUBSCHEMA, *_DROPPED_MAPS, *_DROPPED_LISTS)
_DROPPED_SET = frozenset(_DROPPED)
_ROOT_VALUES = (*_ROOT_ONLY, *_VALUES)
# Beside these, object and array keywords without a type are left as they are.
_UNTYPED_KEPT = frozenset({"$ref", "enum", "const", *_SUBSCHEMA_LISTS})
# Every JSON type ("number" holds "integer"), in the order the generator's union takes.
_EVERY_TYPE = ("object", "array", "string", "number", "boolean", "null")
_REF_MERGED = ("$ref", "merged with the keywords beside it into one model")
# What may stand beside a kept "$ref" without the generator merging anything into it.
_REF_SIBLINGS_KEPT = frozenset({"$ref", "$defs", *_ROOT_ONLY})

# A pattern is kept only when pydantic's engine (Rust ``regex``) and the reference read
# it alike: ASCII literals, escaped syntax characters, plain character classes of those,
# anchors, ``(...)``/``(?:...)`` groups, alternation and quantifiers on an atom. ``.``,
# ``\d``/``\w``/``\s``/``\b`` (Unicode-aware in Rust), look-arounds and
# back-references are left to the validator. So is everything Rust reads as syntax where
# ECMA-262 reads text: a ``[`` inside a class (``[[:digit:]]`` is a POSIX class to Rust,
# the characters ``[:digit`` then ``]`` to ECMA-262), ``&&``/``--``/``~~`` in a class
# (set operations), other ``(?`` groups (flags, named groups), a quantifier on a
# quantifier or an anchor, a ``{`` or ``}`` that is not a quantifier, escapes of other
# characters (``\<`` is a word boundary to Rust). Counts above 1000 are left out too,
# also as a product through nested groups, and a pattern repeating more than 100,000
# atoms in all; so is a class range whose end comes before its start: Rust may refuse to
# compile them (the model would fail to build, the package at import).
_LITERALS = frozenset(string.ascii_letters + string.digits + " ,:!#%&'<=>@_`~\"/;-")
_ESCAPABLE = frozenset("^$\\.*+?()[]{}|/-")
_CLASS_LITERALS = (_LITERALS | frozenset("^$|()*+?{}.")) - frozenset("-&~")
_QUANTIFIER = re.compile(r"[*+?]|\{([0-9]{1,4})(,([0-9]{0,4}))?\}")
_MAX_COUNT = 1000
_MAX_TOTAL = 100 * _MAX_COUNT


def _class_atom(pattern: str, i: int) -> tuple[str, int] | None:
    """The character a class item at ``i`` stands for and the index after it, or None."""
    char = pattern[i]
    if char == "\\" and i + 1 < len(pattern) and pattern[i + 1] in _ESCAPABLE:
        return pattern[i + 1], i + 2
    if char in _CLASS_LITERALS:
        return char, i + 1
    if char in "-&~" and not pattern.startswith(char * 2, i):
        return char, i + 1  # doubled, Rust reads a set operation
    return None


def _class_end(pattern: str, start: int) -> int | None:
    """The index after the ``]`` closing the class opened at ``start``, or None when the
    class holds anything outside the portable subset (or a range Rust refuses to compile,
    its end before its start: ``[z-a]``)."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    first = i
    low = None  # the item before, while it may start a range
    while i < len(pattern):
        if pattern[i] == "]" and i > first:
            return i + 1
        if low is not None and pattern[i] == "-" and not pattern.startswith("-]", i):
            high = _class_atom(pattern, i + 1) if i + 1 < len(pattern) else None
            if high is None or high[0] < low:
                return None
            i, low = high[1], None
            continue
        item = _class_atom(pattern, i)
        if item is None:
            return None
        low, i = item
    return None


def _portable_pattern(pattern: str) -> bool:
    """Whether ``pattern`` is in the subset Rust ``regex`` and the reference agree on."""
    # The repetitions an atom stands for, multiplied through nested groups: Rust's
    # compiled size grows with their product, past its limit the model fails to build
    # ("(a{1000}){1000}"), so the product is held to _MAX_COUNT like a single count, and
    # the sum over the pattern to _MAX_TOTAL.
    total = 0
    weights = [1]  # per open group: the largest weight of an atom in it
    weight = 1  # of the previous atom
    quantifiable = False  # the previous token is an atom a quantifier may follow
    i = 0
    while i < len(pattern):
        char = pattern[i]
        quantifier = _QUANTIFIER.match(pattern, i)
        if quantifier is not None:
            low, _, high = quantifier.groups()
            counts = [int(n) for n in (low, high) if n]
            if not quantifiable or any(n > _MAX_COUNT for n in counts):
                return False
            if len(counts) == 2 and counts[0] > counts[1]:
                return False
            weight *= max(counts, default=1)
            total += weight
            if weight > _MAX_COUNT or total > _MAX_TOTAL:
                return False
            weights[-1] = max(weights[-1], weight)
            i = quantifier.end()
            if pattern.startswith("?", i):
                i += 1  # lazy
            quantifiable = False
            continue
        weight = 1
        if char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return False
            i, quantifiable = end, True
        elif char == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1] not in _ESCAPABLE:
                return False
            i, quantifiable = i + 2, True
        elif char == "(":
            weights.append(1)
            i += 3 if pattern.startswith("(?:", i) else 1
            if pattern.startswith("?", i):
                return False  # a flag, named or look-around group
            quantifiable = False
        elif char == ")":
            if len(weights) == 1:
                return False
            weight = weights.pop()
            weights[-1] = max(weights[-1], weight)
            i, quantifiable = i + 1, True
        elif char in "^$|":
            i, quantifiable = i + 1, False
        elif char in _LITERALS:
            i, quantifiable = i + 1, True
        else:
            return False  # ., {, }, ], a non-ASCII character, ...
    return len(weights) == 1


# What the generator makes of a kept keyword, where that is looser or stricter than the
# reference (each measured on datamodel-code-generator 0.89 and pydantic 2). A loose
# reading is listed as a gap; a strict one (the model refusing a valid payload) is not
# given to the generator at all, so the model only loosens.
# - A bound or length beside no single ``type`` it applies to: the generator types the
#   value ``Any`` (``{"maximum": 5}`` accepted 6).
_APPLIES_TO = {
    "minLength": "string",
    "maxLength": "string",
    "pattern": "string",
    "minItems": "array",
    "maxItems": "array",
    "minimum": "number",
    "maximum": "number",
    "exclusiveMinimum": "number",
    "exclusiveMaximum": "number",
}
# - A numeric bound a float cannot hold exactly: the model compares with the rounded
#   float (``maximum: 10**30`` accepted 10**30 + 1).
_FLOAT_EXACT = 2**53


def _typed_for(schema: Mapping[str, Any], keyword: str) -> bool:
    """Whether ``schema``'s ``type`` is the one ``keyword`` constrains."""
    wanted = _APPLIES_TO[keyword]
    kind = schema.get("type")
    if isinstance(kind, list) and len(kind) == 2 and "null" in kind:
        kind = kind[0] if kind[1] == "null" else kind[1]  # ["integer", "null"] is Optional
    return kind == wanted or (wanted == "number" and kind == "integer")


def _object_typed(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema``'s ``type`` is ``object`` (or ``object`` and ``null``)."""
    kind = schema.get("type")
    return kind == "object" or (
        isinstance(kind, list) and kind in (["object", "null"], ["null", "object"])
    )


def _merges(schema: Mapping[str, Any]) -> bool:
    """Whether the generator may merge ``schema`` with another object's properties: it
    holds a ``$ref`` or an ``allOf`` (always merged into one model), or an
    ``anyOf``/``oneOf`` branch with properties or a ``$ref`` of its own."""
    return (
        "$ref" in schema
        or "allOf" in schema
        or any(
            isinstance(branch, dict) and (branch.get("properties") or "$ref" in branch)
            for key in _SUBSCHEMA_LISTS
            if isinstance(schema.get(key), list)
            for branch in schema[key]
        )
    )


_OBJECT_KEYWORDS = ("properties", "required", "additionalProperties")


def _kinds(schemas: tuple[Any, ...]) -> frozenset[str] | None:
    """The JSON types the ``type`` keywords of ``schemas`` all allow (``number`` allows
    ``integer``), or None when none of them has a ``type`` (or one cannot be read)."""
    kinds: frozenset[str] | None = None
    for schema in schemas:
        kind = schema.get("type") if isinstance(schema, Mapping) else None
        named = [kind] if isinstance(kind, str) else kind
        if not isinstance(named, list) or not all(isinstance(k, str) for k in named):
            continue
        allowed = frozenset(named) | ({"integer"} if "number" in named else frozenset())
        kinds = allowed if kinds is None else kinds & allowed
    return kinds


def _json_kind(value: Any) -> frozenset[str]:
    """The JSON types ``value`` has (an integral number is an integer and a number)."""
    if value is None:
        return frozenset({"null"})
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if isinstance(value, int | float | Decimal):  # the loader keeps some numbers Decimal
        if isinstance(value, float):
            integral = math.isfinite(value) and value.is_integer()
        elif isinstance(value, Decimal):
            integral = value.is_finite() and value == value.to_integral_value()
        else:
            integral = True
        return frozenset({"integer", "number"} if integral else {"number"})
    if isinstance(value, str):
        return frozenset({"string"})
    return frozenset({"array"}) if isinstance(value, list) else frozenset({"object"})


def _several(schema: Mapping[str, Any]) -> bool:
    """Whether ``schema``'s ``type`` lists two or more types but ``null`` (the generator
    then types an object's other keys ``Any``: {"type": ["object", "array"]} with
    ``additionalProperties: {"type": "string"}`` accepted ``{"a": -1}``)."""
    kind = schema.get("type")
    return isinstance(kind, list) and sum(k != "null" for k in kind) > 1


def _within(branch: dict[str, Any], kinds: frozenset[str] | None) -> dict[str, Any] | None:
    """An ``anyOf``/``oneOf`` branch whose own ``type`` keeps to ``kinds`` (its parents'
    types), or None when no value of those types has its type (the branch never counts).

    The generator takes a branch's type over its parent's (``{"type": "number", "oneOf":
    [{"type": "array"}]}`` accepted ``[]``); the reference requires both.
    """
    own = branch.get("type")
    named = [own] if isinstance(own, str) else own
    if kinds is None or not isinstance(named, list) or not all(isinstance(k, str) for k in named):
        return branch
    within = []
    for kind in named:
        if kind in kinds:
            within.append(kind)
        elif kind == "number" and "integer" in kinds:
            within.append("integer")
    if not within:
        return None
    if within != named:
        branch = {**branch, "type": within[0] if len(within) == 1 else within}
    return branch


def _nullable_list(kind: list[Any]) -> bool:
    """Whether the ``type`` list ``kind`` holds ``null`` and another type."""
    return "null" in kind and any(k != "null" for k in kind)


def _exact_bound(value: Any) -> bool:
    """Whether the model compares ``value`` as the reference does: a number field reads
    an integer payload as the float it rounds to, so from 2**53 on (an integer or a
    float bound) a payload past the bound may round onto it (``2**53 + 1`` passed
    ``maximum: 2**53``, ``-(10**20) - 1`` passed ``minimum: -1e20``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False  # a Decimal the loader kept exact, or not a number
    return abs(value) < _FLOAT_EXACT


def _literal_gap(values: Any) -> str | None:
    """Why pydantic's ``Literal`` does not read these ``enum``/``const`` values as the
    reference does, or None. ``Literal`` compares with Python equality, so ``true``
    equals ``1`` and ``false`` equals ``0`` (``const: 1`` accepted ``true``); an array or
    object becomes a typed container (``const: [1, 2]`` accepted ``[1, 2, 3]``)."""
    flat = values if isinstance(values, list) else []
    if any(isinstance(v, list | dict) for v in flat):
        return "array or object values"
    booleans = any(isinstance(v, bool) for v in flat)
    zero_one = any(
        not isinstance(v, bool) and isinstance(v, int | float) and v in (0, 1) for v in flat
    )
    reasons = []
    if booleans or zero_one:
        reasons.append("true/false against 1/0")
    if any(isinstance(v, float) for v in flat):
        # The generator types a float value as any float (enum [0.5, 2] accepted 3.7
        # beside "type": "integer").
        reasons.append("floating-point values")
    return " and ".join(reasons) or None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A schema ready for the generator.

    Attributes:
        schema: The pruned schema (a fresh document).
        gaps: Sorted ``(keyword, detail)`` pairs the model does not check.
        aliases: JSON field name -> Python attribute, for every field whose attribute
            is not its JSON name (the generator's ``aliases`` option).
    """

    schema: dict[str, Any]
    gaps: tuple[tuple[str, str], ...]
    aliases: dict[str, str]


def _resolves(document: Any, ref: str) -> bool:
    pointer = _pointer.fragment(ref)
    if pointer is None:
        return False  # an anchor or another document: bundles rewrite every $ref to a pointer
    found, node = _pointer.lookup(document, pointer)
    return found and isinstance(node, (dict, bool))


# Where a walk is, as a chain ``(parent, token)`` (the root is ``None``), rendered as a
# JSON pointer only for an error or a ``$ref`` to resolve: most nodes never need theirs,
# and building every pointer string was a fifth of prepare's time.
_At = tuple[Any, str | int] | None


def _pointer_of(at: _At) -> str:
    """The JSON pointer of ``at``: ``_pointer.from_parts`` of its tokens, root first."""
    tokens: list[str | int] = []
    while at is not None:
        at, token = at
        tokens.append(token)
    return _pointer.from_parts(reversed(tokens))


class _Walker:
    def __init__(self, root: Any, file: str | None) -> None:
        self.root = root
        self.file = file
        self.gaps: set[tuple[str, str]] = set()
        self.refs: list[tuple[str, _At]] = []
        self.names: set[str] = set()
        self.merged_refs: list[Any] = []  # $ref targets the generator merges with more

    def unsafe(self, key: str, at: _At) -> SchemaError:
        return SchemaError(
            f"schema keyword {key!r} would make the code generator import or run "
            "arbitrary code; remove it (accord generates plain models only)",
            code="codegen-unsafe-key",
            file=self.file,
            pointer=_pointer_of((at, key)),
        )

    def check_keys(self, schema: Mapping[str, Any], at: _At) -> None:
        for key in schema:
            if key in _UNSAFE_KEYS or key.startswith(_UNSAFE_PREFIXES):
                raise self.unsafe(key, at)

    def scan(self, schema: Any, at: _At) -> None:
        """Only look for unsafe keys (in subschemas that are dropped)."""
        if not isinstance(schema, dict):
            return
        self.check_keys(schema, at)
        for key in _SCAN_SINGLE:
            if key in schema:
                self.scan(schema[key], (at, key))
        for key in _SCAN_MAPS:
            if isinstance(schema.get(key), dict):
                for name, sub in schema[key].items():
                    self.scan(sub, ((at, key), name))
        for key in _SCAN_LISTS:
            if isinstance(schema.get(key), list):
                for i, sub in enumerate(schema[key]):
                    self.scan(sub, ((at, key), i))

    def prune(
        self,
        schema: Any,
        at: _At,
        *,
        root: bool = False,
        parents: tuple[Any, ...] = (),
        near: bool = False,
    ) -> Any:
        """The schema the generator gets for ``schema`` (``parents``: the schemas whose
        ``anyOf``/``oneOf`` ``schema`` is a branch of, outermost first; the generator
        merges their object keywords into the branch's model; ``near``: ``schema`` is a
        branch the generator may merge with properties of its parent or siblings)."""
        if isinstance(schema, bool):
            # (the pointer ending in "/additionalProperties": escaped tokens hold no "/")
            if schema is False and (at is None or at[1] != "additionalProperties"):
                self.gaps.add(("false", "a false subschema (nothing is valid there)"))
            return schema
        if not isinstance(schema, dict):
            return schema
        self.check_keys(schema, at)
        # most nodes hold no dropped keyword: one set intersection says so
        for key in _DROPPED if not _DROPPED_SET.isdisjoint(schema) else ():
            if key in schema:
                if key in _DROPPED_MAPS and isinstance(schema[key], dict):
                    for name, sub in schema[key].items():
                        self.scan(sub, ((at, key), name))
                elif key in _DROPPED_LISTS and isinstance(schema[key], list):
                    for i, sub in enumerate(schema[key]):
                        self.scan(sub, ((at, key), i))
                else:
                    self.scan(schema[key], (at, key))
        out: dict[str, Any] = {}
        for key in _ROOT_VALUES if root else _VALUES:
            if key in schema:
                out[key] = schema[key]
        self.loosen(schema, out)
        if "$ref" in out:
            self.refs.append((out["$ref"], (at, "$ref")))
        for key in sorted(_GAP_KEYWORDS & schema.keys()):
            if key == "pattern" and self.portable(schema[key]) and _typed_for(schema, key):
                out[key] = schema[key]
                continue
            detail = str(schema[key]) if key == "format" else ""
            if key == "format" and not re.fullmatch(r"[a-z0-9-]{1,40}", detail):
                detail = "(custom)"
            self.gaps.add((key, detail))
        merged = near or bool(schema.get("properties")) or _merges(schema) or _several(schema)
        if "$ref" in out and (merged or not _REF_SIBLINGS_KEPT.issuperset(out)):
            self.merged_refs.append(out["$ref"])
        for key in _SUBSCHEMA:
            if key not in schema:
                continue
            if key == "additionalProperties" and "patternProperties" in schema:
                # would reject keys the dropped patternProperties allows
                if schema[key] is not True:
                    self.scan(schema[key], (at, key))
                    self.gaps.add((key, "beside patternProperties"))
                continue
            if key == "additionalProperties" and isinstance(schema[key], dict) and merged:
                # Beside properties the generator types other keys by assigning the
                # class's __annotations__ (refused by the allow-list, so codegen failed
                # for the whole registry): they are accepted as they come instead. So
                # wherever the generator may merge this object with properties: a branch,
                # beside a $ref or combinators (and a $ref target, see prepare()).
                out[key] = True
                self.scan(schema[key], (at, key))
                self.gaps.add((key, "the schema of keys not in properties"))
                continue
            if key == "items" and "prefixItems" in schema:
                self.gaps.add(("items", "after prefixItems"))
                continue
            out[key] = self.prune(schema[key], (at, key))
        for key in _SUBSCHEMA_MAPS:
            value = schema.get(key)
            if isinstance(value, dict):
                if key == "properties":
                    self.names.update(value)
                out[key] = {name: self.prune(sub, ((at, key), name)) for name, sub in value.items()}
        for key in _SUBSCHEMA_LISTS:
            value = schema.get(key)
            if isinstance(value, list):
                kept = []
                nothing: list[int] = []  # choice branches no value of the type fits
                for i, sub in enumerate(value):
                    if key == "allOf" and isinstance(sub, dict) and sub.keys() & _CHOICES:
                        # The generator merges allOf branches by inheritance and reads a
                        # branch's anyOf/oneOf as one mandatory choice ({"v": {}} was
                        # refused where its first branch accepts anything): left out.
                        self.scan(sub, ((at, key), i))
                        self.gaps.add(("allOf", "a branch choosing with anyOf/oneOf"))
                        continue
                    inner = (*parents, schema) if key in _CHOICES else ()
                    near = (
                        bool(schema.get("properties"))
                        or _merges(schema)
                        or any(parent.get("properties") for parent in parents)
                    )
                    branch = self.prune(sub, ((at, key), i), parents=inner, near=near)
                    if key in _CHOICES and isinstance(branch, dict):
                        branch = _within(branch, _kinds(inner))
                        if branch is None:
                            nothing.append(i)
                            continue
                    kept.append(branch)
                if nothing and not kept:
                    self.gaps.add((key, "no branch admits a value of the type beside it"))
                if kept:  # an allOf whose every branch was left out constrains nothing
                    out[key] = kept
        if isinstance(out.get("required"), list):
            self.names.update(name for name in out["required"] if isinstance(name, str))
            self.require(schema, out, parents)
        if "oneOf" in out:
            self.gaps.add(("oneOf", "exactly-one (the model accepts any branch)"))
        if _CHOICES & out.keys() and ("enum" in out or "const" in out):
            # The generator keeps the values and drops the choice (const "abcdef" beside
            # anyOf [{"maxLength": 3}, ...] accepted "abcdef"), adding None to them when a
            # branch admits null (enum ["a"] beside anyOf [string, null] accepted null).
            for key in sorted(_CHOICES & out.keys()):
                self.gaps.add((key, "beside enum/const (only the values are checked)"))
            values = out["enum"] if "enum" in out else [out["const"]]
            if not isinstance(values, list) or None not in values:
                key = "enum" if "enum" in out else "const"
                self.gaps.add((key, "beside anyOf/oneOf (null accepted too)"))
        if "type" not in out and not (
            at is not None and at[0] is not None and at[0][1] in _SUBSCHEMA_LISTS
        ):
            self.untyped(out)
        kinds = _kinds((*parents, schema))
        values = out["enum"] if "enum" in out else [out["const"]] if "const" in out else None
        if isinstance(values, list):  # the values hold these types only
            held = frozenset().union(*(_json_kind(value) for value in values))
            kinds = held if kinds is None else kinds & held
        for key in () if kinds is None else _OBJECT_KEYWORDS if "object" not in kinds else ():
            # The generator builds a model from object keywords whatever the type or the
            # values say ({"type": "integer", "properties": ...} accepted objects; items
            # beside an enum of strings failed with a TypeError); beside a type or values
            # without objects they mean nothing: dropped, exact.
            out.pop(key, None)
        if kinds is not None and "array" not in kinds:
            out.pop("items", None)
        if out.get("additionalProperties") is False and not out.get("properties"):
            self.closed_empty(out, at, root=root)
        if "$ref" in out and not _REF_SIBLINGS_KEPT.issuperset(out):
            # The generator merges the referenced schema and the keywords beside it into
            # one model, as it merges allOf branches: a sibling "type" replaced the
            # referenced one, and a closed object on either side did not reach the other.
            self.gaps.add(_REF_MERGED)
        return out

    def loosen(self, schema: Mapping[str, Any], out: dict[str, Any]) -> None:
        """Drop from ``out`` (or list as a gap) what the generator reads apart from the
        reference (see :data:`_APPLIES_TO`)."""
        for key in _APPLIES_TO.keys() & out.keys():
            if not _typed_for(schema, key):
                del out[key]
                self.gaps.add((key, "beside no single type it applies to"))
            elif _APPLIES_TO[key] == "number" and not _exact_bound(out[key]):
                del out[key]
                self.gaps.add((key, "a bound a float cannot hold exactly"))
        for key in ("const", "enum"):
            values = out.get(key) if key == "enum" else [out.get(key)]
            if key in out and (why := _literal_gap(values)) is not None:
                if why == "array or object values" or "floating-point" in why:
                    # a typed container would refuse 1.0 for 1; a float value is typed as
                    # any float, which also loses the schema's own "type": "integer"
                    del out[key]
                self.gaps.add((key, why))
        kinds = _kinds((schema,))
        for key in ("enum", "const"):
            values = out.get(key) if key == "enum" else [out.get(key)]
            if kinds is None or key not in out or not isinstance(values, list):
                continue
            # The generator keeps the values and drops the type ({"type": "array",
            # "const": false} accepted false): values of another type are not valid.
            kept = [value for value in values if _json_kind(value) & kinds]
            if key == "enum" and kept and len(kept) < len(values):
                out["enum"] = kept
            elif len(kept) < len(values):
                self.gaps.add(("type", f"beside {key} values of another type"))
        kind = out.get("type")
        if "$ref" in out and isinstance(kind, list) and sum(k != "null" for k in kind) > 1:
            # Merged with a constrained target, the generator spells a type union with
            # constr(...) calls, refused by the allow-list (codegen failed for the whole
            # registry): the types beside the $ref are left to the validator.
            del out["type"]
            self.gaps.add(_REF_MERGED)
        values = out.get("enum")
        if (
            isinstance(values, list)
            and None not in values
            and isinstance(kind, list)
            and _nullable_list(kind)
        ):
            # The generator adds None to the values where the type admits null
            # (["string", "null"] with enum ["a"] accepted null); the values hold none,
            # so null goes from the type: the same values are valid.
            out["type"] = [k for k in kind if k != "null"]
        if "allOf" in schema:
            # The generator merges the branches into one model: a bound or a closed
            # object in one branch does not always reach the others.
            self.gaps.add(("allOf", "branches merged into one model"))

    def require(
        self, schema: Mapping[str, Any], out: dict[str, Any], parents: tuple[Any, ...]
    ) -> None:
        """Declare each name ``required`` lists and no property beside it declares, as a
        property of its own (``true``), or list the gap.

        The generator checks ``required`` only for the fields it generates:
        ``{"type": "object", "required": ["a"]}`` accepted ``{}``, and so did an
        ``anyOf`` branch ``{"required": ["c"]}``. A field ``true`` is exact where other
        keys are accepted as they come; beside a closed or typed map of other keys it
        would accept what the reference refuses, and on a schema without an object
        ``type`` it would make the model refuse every non-object: listed instead.
        """
        if "$ref" in out:
            return  # merged with the referenced schema (listed as $ref)
        scopes = (*parents, schema)  # a branch's model holds its parents' properties too
        declared = {
            name
            for scope in scopes
            if isinstance(scope.get("properties"), dict)
            for name in scope["properties"]
        }
        missing = [n for n in out["required"] if isinstance(n, str) and n not in declared]
        if not missing:
            return
        objects = any("properties" in scope or _object_typed(scope) for scope in scopes)
        if objects and all(scope.get("additionalProperties", True) is True for scope in scopes):
            props = out.get("properties")
            out["properties"] = {
                **(props if isinstance(props, dict) else {}),
                **dict.fromkeys(missing, True),
            }
        else:
            self.gaps.add(("required", "a name no property beside it declares"))

    def untyped(self, out: dict[str, Any]) -> None:
        """Keep object and array keywords beside no ``type`` to the values they apply to.

        The generator reads ``properties`` or ``items`` without a ``type`` as an object
        model or a list (``5`` was refused, valid for the reference), and
        ``additionalProperties`` without ``properties`` as ``Any`` (``{"z": 1}`` passed
        ``additionalProperties: false``). Given every JSON type it makes the union the
        reference means; ``additionalProperties`` without ``properties`` is listed.
        Beside what the generator merges (``$ref``, combinators) or a value list, and in
        a branch (which takes its parent's type), it is left as it was.
        """
        if not _UNTYPED_KEPT.isdisjoint(out):
            return
        if out.get("additionalProperties", True) is not True and "properties" not in out:
            del out["additionalProperties"]
            self.gaps.add(("additionalProperties", "beside no object type or properties"))
        if "properties" in out or "items" in out:
            out["type"] = list(_EVERY_TYPE)

    def closed_empty(self, out: dict[str, Any], at: _At, *, root: bool) -> None:
        """Keep ``additionalProperties: false`` beside no properties where the model holds
        the object empty, or drop and list it.

        The generator types such an object ``dict[str, Any]``: held empty
        (``max_length=0``) as a property's own type, a model refusing other keys at the
        root or under ``$defs``, but in ``items``, a branch or a ``type`` list any keys
        passed (``{"a": 1}`` in ``{"type": "array", "items": {"type": "object",
        "additionalProperties": false}}``)."""
        named = at is not None and at[0] is not None and at[0][1] in _SUBSCHEMA_MAPS
        if out.get("type") == "object" and (root or named):
            return
        del out["additionalProperties"]
        self.gaps.add(("additionalProperties", "false beside no properties (any key accepted)"))
        if at is not None and at[0] is not None and at[0][1] in _SUBSCHEMA_LISTS:
            # the reference reports the choice (or allOf) as failing, not the branch's key
            self.gaps.add((at[0][1], "a branch closed with no properties (any key accepted)"))

    @staticmethod
    def portable(pattern: Any) -> bool:
        return isinstance(pattern, str) and _portable_pattern(pattern)


def prepare(
    bundle: Mapping[str, Any], *, file: str | None = None, root_class: str | None = None
) -> Prepared:
    """Check and prune a bundled schema for the generator (``root_class``: the name the
    root model must have, which no ``$defs`` entry may take, see :func:`_rename_defs`).

    Raises:
        SchemaError: ``codegen-unsafe-key`` or ``codegen-dangling-ref``, with the pointer
            into the bundled document.
    """
    walker = _Walker(bundle, file)
    pruned = walker.prune(dict(bundle), None, root=True)
    for ref, at in walker.refs:
        if not isinstance(ref, str) or not _resolves(bundle, ref):
            raise SchemaError(
                f"$ref {ref!r} does not resolve inside the bundled schema; a model would "
                "silently type it Any, so accord refuses to generate one",
                code="codegen-dangling-ref",
                file=file,
                pointer=_pointer_of(at),
            )
        if not _resolves(pruned, ref):
            raise SchemaError(
                f"$ref {ref!r} points into a keyword generated models cannot check",
                code="codegen-dangling-ref",
                file=file,
                pointer=_pointer_of(at),
            )
    for ref in walker.merged_refs:
        # A target the generator merges with the keywords beside its $ref: a schema for
        # its other keys would be typed through __annotations__ (see prune).
        pointer = _pointer.fragment(ref) if isinstance(ref, str) else None
        found, target = _pointer.lookup(pruned, pointer) if pointer is not None else (False, None)
        if (
            found
            and isinstance(target, dict)
            and isinstance(target.get("additionalProperties"), dict)
        ):
            target["additionalProperties"] = True
            walker.gaps.add(("additionalProperties", "the schema of keys not in properties"))
    _rename_defs(pruned, root_class)
    attrs = {name: field_attr(name) for name in sorted(walker.names)}  # once per name
    aliases = {name: attr for name, attr in attrs.items() if attr != name}
    return Prepared(schema=pruned, gaps=tuple(sorted(walker.gaps)), aliases=aliases)


_SIMPLE_DEF = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,80}")
_EMBEDDED = re.compile(r"accord~([a-z0-9-]+)\.([a-z0-9-]+)@(.+)")


def _class_key(name: str) -> str:
    """What the generator's class name for ``name`` is told apart by (at most)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _rename_defs(schema: dict[str, Any], root_class: str | None = None) -> None:
    """Give top-level ``$defs`` keys names the generator turns into clean class names.

    Bundles embed other contracts as ``accord~common.money@1.0.0``; the generator reads
    the dot as a module path and the ``~`` escapes badly. Other odd keys become
    ``D<hex>``, and so does a key the generator would name like the root model
    (``order_placed`` in ``orders.order-placed``): it gave the definition the root's
    class name and the root another, so ``MODEL`` was the definition's model. Every
    ``$ref`` into a renamed key is rewritten.
    """
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return
    reserved = _class_key(root_class) if root_class is not None else None
    renames: dict[str, str] = {}
    taken = {key for key in defs if _SIMPLE_DEF.fullmatch(key) and _class_key(key) != reserved}
    for key in defs:
        if key in taken:
            continue
        new = "D" + key.encode("utf-8", "surrogatepass").hex()
        if match := _EMBEDDED.fullmatch(key):
            namespace, name, version = match.groups()
            candidate = f"{namespace}-{name}-{version_ident(version)}"
            if (
                candidate not in taken
                and _SIMPLE_DEF.fullmatch(candidate)
                and _class_key(candidate) != reserved
            ):
                new = candidate
        taken.add(new)
        renames[key] = new
    if not renames:
        return
    schema["$defs"] = {renames.get(key, key): value for key, value in defs.items()}
    prefixes = {f"#/$defs/{_pointer.escape(old)}": f"#/$defs/{new}" for old, new in renames.items()}
    _rewrite_refs(schema, prefixes)


def _rewrite_refs(node: Any, prefixes: Mapping[str, str], *, names: bool = False) -> None:
    """Rewrite ``$ref`` values in schema positions; ``names``: ``node`` maps names to
    subschemas (a property called ``enum`` or ``const`` is a schema, not data)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not names:
            ref = unquote(ref)  # a URI fragment (the bundler writes "a b" as a%20b)
            for old, new in prefixes.items():
                if ref == old or ref.startswith(old + "/"):
                    node["$ref"] = new + ref[len(old) :]
                    break
        for key, value in node.items():
            if names or key not in ("enum", "const"):
                inner = not names and key in _SUBSCHEMA_MAPS
                _rewrite_refs(value, prefixes, names=inner)
    elif isinstance(node, list):
        for item in node:
            _rewrite_refs(item, prefixes)


def walk_properties(schema: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer to the property's schema, JSON name)`` for every declared property."""
    if not isinstance(schema, dict):
        return
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            sub_pointer = f"{pointer}/properties/{_pointer.escape(name)}"
            yield sub_pointer, name
            yield from walk_properties(sub, sub_pointer)
    for key in (*_SUBSCHEMA, *_DROPPED_SUBSCHEMA):
        if key in schema:
            yield from walk_properties(schema[key], f"{pointer}/{key}")
    for key in ("$defs", *_DROPPED_MAPS):
        if isinstance(schema.get(key), dict):
            for name, sub in schema[key].items():
                yield from walk_properties(sub, f"{pointer}/{key}/{_pointer.escape(name)}")
    for key in (*_SUBSCHEMA_LISTS, *_DROPPED_LISTS):
        if isinstance(schema.get(key), list):
            for i, sub in enumerate(schema[key]):
                yield from walk_properties(sub, f"{pointer}/{key}/{i}")
