"""Deterministic payload generation: valid payloads, and payloads that break one constraint.

Used by the compatibility engine to find witnesses, by ``accord.examples`` and the
hypothesis strategies for test fixtures, and by the differential tests of validator
backends. Everything is drawn from one ``_rng(seed)``: the same schema, ``n``
and ``seed`` give the same payloads in every process.

How it works: at each instance location the keywords of every applicable subschema
(``$ref`` targets, ``allOf`` members, one chosen ``anyOf``/``oneOf`` branch, the chosen
``if`` outcome) are merged into one view; a value is drawn from the view (types, enum,
bounds, lengths, ``pattern`` via a small ECMA-262 tree generator, ``format`` samples,
items, properties) and checked against every subschema with a jsonschema-rs validator
compiled for that location, retrying a bounded number of times. Whole payloads are
checked with the reference validator before they are returned.
"""

from __future__ import annotations

import copy
import json
import math
import random
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urldefrag, urljoin

from accord.core import pointer as _pointer
from accord.core.frozen import thaw
from accord.core.schema import Schema
from accord.core.values import equality_key as canon
from accord.core.values import json_type, number
from accord.core.vocabulary import (
    ARRAY_KEYWORDS,
    NUMBER_KEYWORDS,
    OBJECT_KEYWORDS,
    STRING_KEYWORDS,
    key_subschemas,
)
from accord.errors import SchemaError
from accord.payloads.examples import FORMAT_SAMPLES
from accord.payloads.regex import (
    MAX_WITNESS_SIZE,
    matching_strings,
    search,
)
from accord.validation.dialect import Declared
from accord.validation.offline import rs_validator
from accord.validation.reference import reference_validator

if TYPE_CHECKING:  # hypothesis is a test dependency: imported at run time only when used
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "Mutation",
    "invalid_payloads",
    "minimal_payload",
    "payload_strategy",
    "valid_payloads",
]

# -- schema documents and views ----------------------------------------------------------

_TYPE_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")
_INF = 10**9
_ATTEMPTS = 6  # tries per location before giving up there
_BUDGET = 4000  # emitted values per payload: generation always terminates
_BIG = 2**64
_FLOAT_MAX = Fraction(sys.float_info.max)
_ROOT_URI = "urn:accord:generate"


class _Fail(Exception):
    """No value found at this location (within the attempts and budget)."""


class _OutOfBudget(_Fail):
    """The payload's budget is spent: a failure that says nothing about the location."""


def _dump_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _to_json_number(value: Fraction) -> int | float | None:
    """``value`` as Python's JSON number: an int when integral, else a float (``None``
    past the float range, where a fraction has no JSON value accord could hand out)."""
    if value.denominator == 1:
        return int(value)
    return float(value) if _in_float_range(value) else None


def _in_float_range(value: Fraction) -> bool:
    # A bound such as 10**400 is a JSON number; float() of it raises OverflowError.
    return abs(value) <= _FLOAT_MAX


def _fraction(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return number(value)


def _lcm(a: Fraction, b: Fraction) -> Fraction:
    num = a.numerator * b.numerator // math.gcd(a.numerator, b.numerator)
    return Fraction(num, math.gcd(a.denominator, b.denominator))


@dataclass
class _ObjPart:
    """The object keywords of one conjunct (``additionalProperties`` is per schema object)."""

    ptr: str
    props: dict[str, str]
    patterns: list[tuple[str, str]]
    additional: str | None
    closed: bool


@dataclass
class _ArrPart:
    ptr: str
    prefix: list[str]
    items: str | None
    closed: bool


@dataclass
class _View:
    """The keyword sets of every conjunct at one location, merged."""

    false: bool = False
    types: set[str] | None = None
    enum: list[Any] | None = None
    hints: set[str] = field(default_factory=set)
    lo: Fraction | None = None
    lo_excl: bool = False
    hi: Fraction | None = None
    hi_excl: bool = False
    multiples: list[Fraction] = field(default_factory=list)
    min_len: int = 0
    max_len: int | None = None
    patterns: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    min_items: int = 0
    max_items: int | None = None
    unique: bool = False
    arrays: list[_ArrPart] = field(default_factory=list)
    contains: list[tuple[str, int, int | None]] = field(default_factory=list)
    objects: list[_ObjPart] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    min_props: int = 0
    max_props: int | None = None
    names: list[str] = field(default_factory=list)
    dep_required: dict[str, list[str]] = field(default_factory=dict)
    dep_schemas: dict[str, list[str]] = field(default_factory=dict)
    not_types: set[str] = field(default_factory=set)
    not_values: list[Any] = field(default_factory=list)
    closed_unevaluated: bool = False
    forbidden: set[str] = field(default_factory=set)

    def restrict_types(self, types: set[str]) -> None:
        if "number" in types:
            types = types | {"integer"}
        self.types = types if self.types is None else self.types & types

    def restrict_enum(self, values: list[Any]) -> None:
        if self.enum is None:
            self.enum = list(values)
            return
        keys = {canon(v) for v in values}
        self.enum = [v for v in self.enum if canon(v) in keys]

    def lower(self, value: Fraction, exclusive: bool) -> None:
        if self.lo is None or value > self.lo or (value == self.lo and exclusive):
            self.lo, self.lo_excl = value, exclusive

    def upper(self, value: Fraction, exclusive: bool) -> None:
        if self.hi is None or value < self.hi or (value == self.hi and exclusive):
            self.hi, self.hi_excl = value, exclusive


class _Document:
    """A schema document: pointer resolution, local validators, cost estimates (cached)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        try:
            self.root = reference_validator(schema)
        except Exception as exc:  # jsonschema-rs raises its own exception types
            raise SchemaError(
                f"schema cannot be compiled by the reference validator: {exc}",
                code="invalid-schema",
            ) from exc
        self._nodes: dict[str, Any] = {}
        self._validators: dict[str, Any] = {"": self.root}
        self._registry: Any = None
        self._costs: dict[tuple[str, int], int] = {}
        self._anchors: dict[tuple[str, str], str] = {}
        self._resources: dict[str, str] = {}
        self._refs: dict[str, str | None] = {}
        self._base = ""
        self._indexed = False
        # (the fixed candidates, their set): hashing Fractions again per draw is slow
        self.numbers: dict[tuple[Any, ...], tuple[list[Fraction], frozenset[Fraction]]] = {}
        self.lock = threading.RLock()

    def node(self, ptr: str) -> Any:
        hit = self._nodes.get(ptr, self)
        if hit is not self:
            return hit
        found, cur = _pointer.lookup(self.schema, ptr)
        if not found:
            cur = True
        self._nodes[ptr] = cur
        return cur

    def ref_target(self, ref: Any) -> str | None:
        """The pointer a ``$ref`` lands on, when it stays in this document."""
        if not isinstance(ref, str):
            return None
        hit = self._refs.get(ref, self)
        if hit is not self:
            return hit  # type: ignore[return-value]
        self.index()
        uri, fragment = urldefrag(urljoin(self._base, ref))
        start = self._resources.get(uri)
        target: str | None = None
        if start is not None:
            fragment = unquote(fragment)
            if fragment == "" or fragment.startswith("/"):
                target = start + fragment
            else:
                target = self._anchors.get((uri, fragment))
        self._refs[ref] = target
        return target

    def index(self) -> None:
        """Find every schema resource (``$id``) and anchor, with absolute URIs."""
        if self._indexed:
            return
        self._indexed = True
        root_id = self.schema.get("$id") if isinstance(self.schema, dict) else None
        self._base = urldefrag(root_id)[0] if isinstance(root_id, str) else ""
        self._resources[self._base] = ""

        def walk(node: Any, ptr: str, base: str) -> None:
            if isinstance(node, dict):
                own = node.get("$id")
                if isinstance(own, str) and ptr:
                    base = urldefrag(urljoin(base, own))[0]
                    self._resources.setdefault(base, ptr)
                for key in ("$anchor", "$dynamicAnchor"):
                    if isinstance(node.get(key), str):
                        self._anchors.setdefault((base, node[key]), ptr)
                for key, value in node.items():
                    if key not in ("enum", "const", "default", "examples"):
                        walk(value, _pointer.join(ptr, key), base)
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, _pointer.join(ptr, i), base)

        walk(self.schema, "", self._base)

    def validator(self, ptr: str) -> Any:
        hit = self._validators.get(ptr)
        if hit is not None or ptr in self._validators:
            return hit
        import jsonschema_rs

        validator: Any = None
        try:
            if self._registry is None:
                self._registry = jsonschema_rs.Registry([(_ROOT_URI, thaw(self.schema))])
            wrapper = {"$ref": _ROOT_URI + "#" + quote(ptr, safe="/~-._!$&'()*+,;=:@")}
            validator = rs_validator(
                wrapper,
                registry=self._registry,
                validate_formats=True,
                ignore_unknown_formats=True,
            )
        except Exception:  # noqa: BLE001 - local checks are an optimisation only
            validator = None
        self._validators[ptr] = validator
        return validator

    def valid_at(self, ptr: str, value: Any) -> bool:
        node = self.node(ptr)
        if node is True or node == {}:
            return True
        if node is False:
            return False
        validator = self.validator(ptr)
        return True if validator is None else bool(validator.is_valid(value))

    def begin(self) -> None:
        """Start a public call afresh: costs found while a cycle was being computed
        depend on which pointer was asked first, so keeping them across calls would make
        the output depend on call history, not only on (schema, n, seed)."""
        self._costs.clear()

    def cost(self, ptr: str, budget: int = 4) -> int:
        """A rough size of the smallest instance (``_INF`` when none is known)."""
        key = (ptr, budget)
        hit = self._costs.get(key)
        if hit is not None:
            return hit
        self._costs[key] = _INF  # cycles cost infinity while they are being computed
        result = self._cost(ptr, budget)
        self._costs[key] = result
        return result

    def _cost(self, ptr: str, budget: int) -> int:
        node = self.node(ptr)
        if node is True:
            return 1
        if not isinstance(node, dict):
            return _INF
        total = 1
        if "$ref" in node:
            target = self.ref_target(node["$ref"])
            if target is not None:
                total = max(total, self.cost(target, budget - 1) if budget > 0 else _INF)
        for i in range(len(node.get("allOf", []) or [])):
            total = max(total, self.cost(_pointer.join(ptr, "allOf", i), budget))
        for kw in ("anyOf", "oneOf"):
            branches = node.get(kw)
            if isinstance(branches, list) and branches:
                best = min(
                    self.cost(_pointer.join(ptr, kw, i), budget) for i in range(len(branches))
                )
                total = max(total, best)
        types = node.get("type")
        type_set = {types} if isinstance(types, str) else set(types or [])
        scalar = type_set - {"object", "array"}
        if "enum" in node or "const" in node or scalar:
            return total
        if "object" in type_set or (not type_set and OBJECT_KEYWORDS & node.keys()):
            props = node.get("properties") or {}
            for name in node.get("required") or []:
                if name in props:
                    sub = self.cost(_pointer.join(ptr, "properties", name), budget)
                    total = min(_INF, total + sub)
        elif "array" in type_set or (not type_set and ARRAY_KEYWORDS & node.keys()):
            need = int(node.get("minItems", 0) or 0)
            if need and "items" in node:
                sub = self.cost(_pointer.join(ptr, "items"), budget)
                total = min(_INF, total + need * sub)
        return total


_doc_lock = threading.Lock()
_doc_cache: dict[str, _Document] = {}
_DOC_CACHE_MAX = 256


def _document(schema: Schema) -> _Document:
    key = json.dumps(schema, sort_keys=True, default=str)
    if isinstance(schema, Declared):
        # Decided in its declared dialect: the same 2020-12 form written as a 2020-12
        # document is another document (draft-07 asserts `contentEncoding`, 2020-12 not).
        key = json.dumps([key, schema.dialect, schema.declared], sort_keys=True, default=str)
    with _doc_lock:
        hit = _doc_cache.get(key)
    if hit is not None:
        return hit
    doc = _Document(schema)
    with _doc_lock:
        if len(_doc_cache) >= _DOC_CACHE_MAX:
            _doc_cache.clear()
        _doc_cache[key] = doc
    return doc


def _fixed_numbers(view: _View, step: Fraction | None) -> list[Fraction]:
    lo, hi = view.lo, view.hi
    raw: list[Fraction] = []
    if step is not None:
        # Lowest and highest multiples in range, and a few around zero.
        if lo is not None:
            k = math.ceil(lo / step)
            raw += [k * step, (k + 1) * step, (k + 2) * step]
        if hi is not None:
            k = math.floor(hi / step)
            raw += [k * step, (k - 1) * step]
        raw += [b * step for b in (0, 1, -1, 2, 7, -3, 100, 12345)]
        if lo is None or hi is None:
            big = math.ceil(Fraction(_BIG + 1) / step) * step
            raw += [big, -big]
        return raw
    raw += [Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2), Fraction(-5, 4)]
    raw += [Fraction(42), Fraction(3141, 1000), Fraction(-1000)]
    raw += [Fraction(_BIG + 1), Fraction(-_BIG - 1)]
    for bound, excl, sign in ((lo, view.lo_excl, 1), (hi, view.hi_excl, -1)):
        if bound is None:
            continue
        raw += [bound, bound + sign, bound + sign * Fraction(1, 2)]
        if excl and _in_float_range(bound):
            after = math.nextafter(float(bound), sign * math.inf)
            if math.isfinite(after):
                raw.append(Fraction(after))
        raw.append(bound + sign * 1000)
    if lo is not None and hi is not None:
        raw.append((lo + hi) / 2)
    return raw


def _filter_numbers(
    view: _View, step: Fraction | None, integer: bool, raw: list[Fraction]
) -> list[Fraction]:
    lo, hi = view.lo, view.hi
    out: list[Fraction] = []
    seen: set[Fraction] = set()
    for value in raw:
        if value in seen:
            continue
        seen.add(value)
        if value.denominator != 1 and (integer or not _in_float_range(value)):
            continue
        if lo is not None and (value < lo or (value == lo and view.lo_excl)):
            continue
        if hi is not None and (value > hi or (value == hi and view.hi_excl)):
            continue
        if step is not None and (value / step).denominator != 1:
            continue
        out.append(value)
    return out


# Values that break each format (the first one the reference rejects is used).
FORMAT_BREAKERS: dict[str, tuple[str, ...]] = {
    "date-time": ("2024-13-45T99:99:99Z", "not-a-date-time"),
    "date": ("2024-02-30", "not-a-date"),
    "time": ("25:61:00Z", "not-a-time"),
    "duration": ("P", "1D", "not-a-duration"),
    "email": ("not-an-email", "@"),
    "idn-email": ("not-an-email", "@"),
    "hostname": ("-bad-.example", "a..b", "bad host"),
    "idn-hostname": ("-bad-.example", "a..b", "bad host"),
    "ipv4": ("256.1.1.1", "1.2.3", "not-an-ip"),
    "ipv6": ("12345::", "1:2:3", "not-an-ip"),
    "uri": ("not a uri", "relative/path", "//no-scheme"),
    "uri-reference": ("\\\\bad uri", "bad uri with spaces"),
    "iri": ("not an iri", "relative/path"),
    "iri-reference": ("\\\\bad iri", "bad iri with spaces"),
    "uuid": ("not-a-uuid", "123e4567-e89b-12d3-a456-42661417400z"),
    "uri-template": ("{unclosed", "}"),
    "json-pointer": ("a/b", "/~2"),
    "relative-json-pointer": ("/a", "-1", "a"),
    "regex": ("(", "[a-", "*"),
}

# Stretch a format value to a minimum length while keeping it valid.
_FORMAT_PADDERS: dict[str, Callable[[int], str]] = {
    "email": lambda k: "a" * max(1, min(k - 12, 64)) + "@example.com",
    "idn-email": lambda k: "a" * max(1, min(k - 12, 64)) + "@example.com",
    "hostname": lambda k: ".".join(["a" * 60] * (k // 61) + ["a" * max(1, k % 61)]),
    "idn-hostname": lambda k: ".".join(["a" * 60] * (k // 61) + ["a" * max(1, k % 61)]),
    "uri": lambda k: "https://example.com/" + "a" * max(0, k - 20),
    "iri": lambda k: "https://example.com/" + "a" * max(0, k - 20),
    "uri-reference": lambda k: "a" * k,
    "iri-reference": lambda k: "a" * k,
    "uri-template": lambda k: "a" * k,
    "json-pointer": lambda k: "/" + "a" * max(0, k - 1),
    "relative-json-pointer": lambda k: "0/" + "a" * max(0, k - 2),
    "regex": lambda k: "a" * k,
}

_PLAIN_TEXT = ("x", "hello", "ünïcödé", "日本語", "a b", "😀x", "0", "Z_9")
_ANY_VALUES: tuple[Any, ...] = (0, "x", True, None, 1.5, [], {}, "ünï", -7, False)


class _Generator:
    """Draws payloads for one schema document with one random stream."""

    def __init__(self, doc: _Document, rng: random.Random, max_depth: int) -> None:
        self.doc = doc
        self.rng = rng
        self.max_depth = max_depth
        self.counters: dict[tuple[str, str], int] = {}
        self.failures: dict[tuple[tuple[str, ...], int], int] = {}
        self.budget = _BUDGET

    # -- driving -------------------------------------------------------------------

    def payload(self, mode: str) -> Any:
        self.budget = _BUDGET
        return self.gen([""], 0, mode)

    def turn(self, key: tuple[str, str], size: int) -> int:
        """Round-robin index for choice point ``key``: covers every option in turn."""
        count = self.counters.get(key, 0)
        self.counters[key] = count + 1
        return count % size if size else 0

    def gen(self, ptrs: list[str], depth: int, mode: str) -> Any:
        """A value valid under every schema in ``ptrs`` (raises ``_Fail``)."""
        if depth > self.max_depth + 4:
            raise _Fail
        if depth >= self.max_depth or (mode == "max" and depth >= max(2, self.max_depth // 2)):
            mode = "min"
        # A nested location that failed four times at this depth and never succeeded is
        # given up at once: without this, an unsatisfiable leaf costs attempts ** depth.
        key = (tuple(ptrs), depth)
        if depth > 0 and self.failures.get(key, 0) >= 4:
            raise _Fail
        for attempt in range(_ATTEMPTS):
            self.budget -= 1
            if self.budget <= 0:
                raise _OutOfBudget
            view = self.collect(ptrs, mode, attempt)
            if view.false:
                continue
            try:
                value = self.emit(view, depth, mode, attempt, ptrs)
            except _OutOfBudget:
                raise
            except _Fail:
                continue
            if all(self.doc.valid_at(p, value) for p in ptrs):
                self.failures[key] = -(10**9)  # it can succeed: never give it up
                return value
        self.failures[key] = self.failures.get(key, 0) + 1
        raise _Fail

    # -- merging the keywords of every conjunct ---------------------------------------

    def collect(self, ptrs: list[str], mode: str, attempt: int) -> _View:
        view = _View()
        seen: set[str] = set()
        for ptr in ptrs:
            self._collect(ptr, view, mode, attempt, seen)
        return view

    def _collect(self, ptr: str, view: _View, mode: str, attempt: int, seen: set[str]) -> None:
        if ptr in seen:
            return
        seen.add(ptr)
        node = self.doc.node(ptr)
        if node is False:
            view.false = True
            return
        if not isinstance(node, dict):
            return
        self._keywords(node, ptr, view)
        if "$ref" in node:
            target = self.doc.ref_target(node["$ref"])
            if target is not None:
                self._collect(target, view, mode, attempt, seen)
        all_of = node.get("allOf")
        if isinstance(all_of, list):
            for i in range(len(all_of)):
                self._collect(_pointer.join(ptr, "allOf", i), view, mode, attempt, seen)
        for kw in ("anyOf", "oneOf"):
            branches = node.get(kw)
            if isinstance(branches, list) and branches:
                index = self.branch(ptr, kw, len(branches), mode, attempt)
                self._collect(_pointer.join(ptr, kw, index), view, mode, attempt, seen)
        if "if" in node and ("then" in node or "else" in node):
            if attempt > 0:
                pick = ("then", "else")[self.rng.randrange(2)]
            elif mode == "random":
                pick = ("then", "else")[self.turn((ptr, "if"), 2)]
            else:
                pick = "then" if mode == "max" else "else"
            if pick == "then":
                self._collect(_pointer.join(ptr, "if"), view, mode, attempt, seen)
                self._collect(_pointer.join(ptr, "then"), view, mode, attempt, seen)
            elif pick == "else" and "else" in node:
                self._collect(_pointer.join(ptr, "else"), view, mode, attempt, seen)
        negated = node.get("not")
        if isinstance(negated, dict):
            types = negated.get("type")
            if isinstance(types, str | list) and len(negated) == 1:
                view.not_types |= {types} if isinstance(types, str) else set(types)
            if isinstance(negated.get("required"), list) and len(negated) == 1:
                view.forbidden.update(k for k in negated["required"] if isinstance(k, str))
            if "const" in negated:
                view.not_values.append(negated["const"])
            if isinstance(negated.get("enum"), list):
                view.not_values.extend(negated["enum"])

    def branch(self, ptr: str, kw: str, size: int, mode: str, attempt: int) -> int:
        if mode == "random" or attempt > 1:
            # Half the time in turn (every branch gets covered), half at random (variety).
            if attempt == 0 and self.rng.random() < 0.5:
                return self.turn((ptr, kw), size)
            return self.rng.randrange(size)
        costs = [self.doc.cost(_pointer.join(ptr, kw, i)) for i in range(size)]
        order = sorted(range(size), key=lambda i: (costs[i], i))
        if mode == "max":
            finite = [i for i in order if costs[i] < _INF] or order
            order = list(reversed(finite))
        return order[attempt % len(order)]

    def _keywords(self, node: dict[str, Any], ptr: str, view: _View) -> None:
        keys = node.keys()
        if "type" in node:
            types = node["type"]
            view.restrict_types({types} if isinstance(types, str) else set(types))
        if "enum" in node and isinstance(node["enum"], list):
            view.restrict_enum(node["enum"])
        if "const" in node:
            view.restrict_enum([node["const"]])
        if OBJECT_KEYWORDS & keys:
            view.hints.add("object")
            self._object_keywords(node, ptr, view)
        if ARRAY_KEYWORDS & keys:
            view.hints.add("array")
            self._array_keywords(node, ptr, view)
        if STRING_KEYWORDS & keys:
            view.hints.add("string")
            if isinstance(node.get("minLength"), int):
                view.min_len = max(view.min_len, node["minLength"])
            if isinstance(node.get("maxLength"), int):
                cap = node["maxLength"]
                view.max_len = cap if view.max_len is None else min(view.max_len, cap)
            if isinstance(node.get("pattern"), str):
                view.patterns.append(node["pattern"])
            if isinstance(node.get("format"), str):
                view.formats.append(node["format"])
        if NUMBER_KEYWORDS & keys:
            view.hints.add("number")
            for kw, excl in (("minimum", False), ("exclusiveMinimum", True)):
                bound = _fraction(node.get(kw))
                if bound is not None:
                    view.lower(bound, excl)
            for kw, excl in (("maximum", False), ("exclusiveMaximum", True)):
                bound = _fraction(node.get(kw))
                if bound is not None:
                    view.upper(bound, excl)
            step = _fraction(node.get("multipleOf"))
            if step is not None and step > 0:
                view.multiples.append(step)

    def _object_keywords(self, node: dict[str, Any], ptr: str, view: _View) -> None:
        raw_props = node.get("properties")
        props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
        pattern_props = node.get("patternProperties")
        patterns = (
            [(p, _pointer.join(ptr, "patternProperties", p)) for p in pattern_props]
            if isinstance(pattern_props, dict)
            else []
        )
        additional = node.get("additionalProperties")
        view.objects.append(
            _ObjPart(
                ptr=ptr,
                props={name: _pointer.join(ptr, "properties", name) for name in props},
                patterns=patterns,
                additional=None
                if additional is None
                else _pointer.join(ptr, "additionalProperties"),
                closed=additional is False,
            )
        )
        for name in node.get("required") or []:
            if isinstance(name, str) and name not in view.required:
                view.required.append(name)
        if isinstance(node.get("minProperties"), int):
            view.min_props = max(view.min_props, node["minProperties"])
        if isinstance(node.get("maxProperties"), int):
            cap = node["maxProperties"]
            view.max_props = cap if view.max_props is None else min(view.max_props, cap)
        if "propertyNames" in node:
            view.names.append(_pointer.join(ptr, "propertyNames"))
        for key, deps in (node.get("dependentRequired") or {}).items():
            view.dep_required.setdefault(key, []).extend(d for d in deps if isinstance(d, str))
        for key in node.get("dependentSchemas") or {}:
            view.dep_schemas.setdefault(key, []).append(_pointer.join(ptr, "dependentSchemas", key))
        if node.get("unevaluatedProperties") is False:
            view.closed_unevaluated = True

    def _array_keywords(self, node: dict[str, Any], ptr: str, view: _View) -> None:
        raw_prefix = node.get("prefixItems")
        prefix: list[Any] = raw_prefix if isinstance(raw_prefix, list) else []
        items = node.get("items")
        view.arrays.append(
            _ArrPart(
                ptr=ptr,
                prefix=[_pointer.join(ptr, "prefixItems", i) for i in range(len(prefix))],
                items=None if items is None else _pointer.join(ptr, "items"),
                closed=items is False,
            )
        )
        if isinstance(node.get("minItems"), int):
            view.min_items = max(view.min_items, node["minItems"])
        if isinstance(node.get("maxItems"), int):
            cap = node["maxItems"]
            view.max_items = cap if view.max_items is None else min(view.max_items, cap)
        if node.get("uniqueItems") is True:
            view.unique = True
        if "contains" in node:
            low = node.get("minContains", 1)
            high = node.get("maxContains")
            view.contains.append(
                (
                    _pointer.join(ptr, "contains"),
                    low if isinstance(low, int) else 1,
                    high if isinstance(high, int) else None,
                )
            )

    # -- emitting one value -----------------------------------------------------------

    def allowed_types(self, view: _View) -> list[str]:
        if view.types is not None:
            types = set(view.types)
        elif view.enum is not None:
            types = {json_type(v) for v in view.enum} | {"number"}
        elif view.hints:
            types = set(view.hints) | ({"integer"} if "number" in view.hints else set())
        else:
            types = set(_TYPE_ORDER)
        types -= view.not_types
        if "number" in view.not_types:
            types.discard("integer")
        return [t for t in _TYPE_ORDER if t in types]

    def emit(self, view: _View, depth: int, mode: str, attempt: int, ptrs: list[str]) -> Any:
        key = ptrs[0] if ptrs else ""
        if view.enum is not None:
            excluded = {canon(v) for v in view.not_values}
            values = [v for v in view.enum if canon(v) not in excluded]
            if not values:
                raise _Fail
            if mode == "min":
                index = attempt % len(values)
            elif mode == "max":
                index = (len(values) - 1 - attempt) % len(values)
            elif attempt == 0:
                index = self.turn((key, "enum"), len(values))
            else:
                index = self.rng.randrange(len(values))
            return copy.deepcopy(values[index])
        types = self.allowed_types(view)
        if view.types is None and view.hints and mode == "random" and self.rng.random() < 0.3:
            # Keywords of one type say nothing about the others: `{"maxLength": 3}` also
            # accepts 5 and null, and witnesses often live there.
            types = [t for t in self.allowed_types(_View()) if t not in types] or types
        if not types:
            raise _Fail
        if mode == "min":
            kind = types[attempt % len(types)]
        elif mode == "max":
            kind = types[-1 - attempt % len(types)]
        else:
            kind = types[self.turn((key, "type"), len(types))]
        if view.types is None and not view.hints and view.enum is None and mode == "random":
            # An unconstrained location: any small JSON value will do.
            value = _ANY_VALUES[self.turn((key, "any"), len(_ANY_VALUES))]
            if json_type(value) in types and canon(value) not in {
                canon(v) for v in view.not_values
            }:
                return copy.deepcopy(value)
        if kind == "null":
            return None
        if kind == "boolean":
            if mode == "min":
                return attempt % 2 == 1
            return mode == "max" if mode != "random" else bool(self.turn((key, "bool"), 2))
        if kind in ("integer", "number"):
            return self.number(view, mode, attempt, integer=kind == "integer", key=key)
        if kind == "string":
            return self.string(view, mode, attempt)
        if kind == "array":
            return self.array(view, depth, mode, attempt)
        return self.object(view, depth, mode, attempt)

    # -- numbers ----------------------------------------------------------------------

    def number(self, view: _View, mode: str, attempt: int, *, integer: bool, key: str) -> Any:
        step: Fraction | None = None
        for m in view.multiples:
            step = m if step is None else _lcm(step, m)
        if integer:
            step = Fraction(1) if step is None else _lcm(step, Fraction(1))
        candidates = self.number_candidates(view, step, integer=integer)
        if not candidates:
            raise _Fail
        if mode == "min":
            ordered = sorted(candidates, key=lambda v: (abs(v), v < 0, v))
            value = ordered[attempt % len(ordered)]
        elif mode == "max":
            ordered = sorted(candidates, key=lambda v: (-abs(v), v))
            value = ordered[attempt % len(ordered)]
        else:
            value = candidates[self.turn((key, "number"), len(candidates))]
            if attempt > 0:
                value = candidates[self.rng.randrange(len(candidates))]
        as_float = not integer and step is None and mode == "random"
        if as_float and self.rng.random() < 0.3 and _in_float_range(value):
            return float(value)
        found = _to_json_number(value)
        if found is None:
            raise _Fail  # the candidates are in the float range: never reached
        return found

    def number_candidates(
        self, view: _View, step: Fraction | None, *, integer: bool
    ) -> list[Fraction]:
        """Interesting values in range: bounds, just inside them, zero, big and fractional."""
        key = (view.lo, view.lo_excl, view.hi, view.hi_excl, step, integer)
        hit = self.doc.numbers.get(key)
        if hit is None:
            fixed = _filter_numbers(view, step, integer, _fixed_numbers(view, step))
            hit = self.doc.numbers[key] = (fixed, frozenset(fixed))
        fixed, known = hit
        lo, hi = view.lo, view.hi
        raw: list[Fraction] = []
        if step is not None:
            k_lo = math.ceil(lo / step) if lo is not None else -(10**4)
            k_hi = math.floor(hi / step) if hi is not None else 10**4
            if k_lo <= k_hi:
                if lo is not None and hi is None:
                    k_hi = k_lo + 10**4
                if hi is not None and lo is None:
                    k_lo = k_hi - 10**4
                raw.append(self.rng.randint(k_lo, k_hi) * step)
        else:
            raw += [Fraction(self.rng.randint(-100_000, 100_000), 100)]
            raw += [Fraction(self.rng.randint(-(10**6), 10**6), self.rng.choice((1, 8, 1000)))]
            if lo is not None and hi is not None:
                raw.append(lo + (hi - lo) * Fraction(self.rng.randint(1, 99), 100))
        extra = [v for v in _filter_numbers(view, step, integer, raw) if v not in known]
        return fixed + extra

    # -- strings ----------------------------------------------------------------------

    def string(self, view: _View, mode: str, attempt: int) -> str:
        low, high = view.min_len, view.max_len
        if (high is not None and high < low) or low > MAX_WITNESS_SIZE:
            raise _Fail
        candidates: list[str] = []
        formats = [f for f in view.formats if f in FORMAT_SAMPLES]
        if formats:
            fmt = formats[0]
            candidates += [s for s in FORMAT_SAMPLES[fmt] if self._length_ok(s, low, high)]
            padder = _FORMAT_PADDERS.get(fmt)
            if padder is not None and low > 0:
                candidates.append(padder(low))
        elif view.patterns:
            minimal = mode == "min" and attempt == 0
            pattern = view.patterns[attempt % len(view.patterns)]
            candidates += matching_strings(
                pattern, self.rng, minimal=minimal, min_len=low, max_len=high
            )
        else:
            candidates += self.plain_strings(low, high, mode)
        candidates = [
            s
            for s in candidates
            if self._length_ok(s, low, high) and all(_search_ok(p, s) for p in view.patterns)
        ]
        excluded = {canon(v) for v in view.not_values}
        candidates = [s for s in candidates if ("s", s) not in excluded]
        if not candidates:
            raise _Fail
        if mode == "min":
            candidates.sort(key=len)
            return candidates[attempt % len(candidates)]
        if mode == "max":
            candidates.sort(key=len, reverse=True)
            return candidates[attempt % len(candidates)]
        return candidates[self.rng.randrange(len(candidates))]

    @staticmethod
    def _length_ok(text: str, low: int, high: int | None) -> bool:
        return len(text) >= low and (high is None or len(text) <= high)

    def plain_strings(self, low: int, high: int | None, mode: str) -> list[str]:
        if mode == "min":
            return ["a" * low] if low else [""]
        top = high if high is not None else max(low, 12)
        # A length bound is drawn at, not materialised past MAX_WITNESS_SIZE: `maxLength:
        # 1000000000` made a 1 GB string (and a hang) at every such location.
        top = min(top, max(low, MAX_WITNESS_SIZE))
        out = ["x" * low, "x" * top] if mode == "max" else []
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- éü日😀"
        if mode == "random" and self.rng.random() < 0.5:
            fitting = [text for text in _PLAIN_TEXT if self._length_ok(text, low, high)]
            if fitting:
                return [fitting[self.rng.randrange(len(fitting))]]
        targets = (low, top, self.rng.randint(low, max(low, min(top, low + 16))))
        size = targets[self.rng.randrange(3)]
        out.append("".join(self.rng.choices(alphabet, k=size)))
        return out

    # -- arrays -----------------------------------------------------------------------

    def item_ptrs(self, view: _View, index: int) -> list[str]:
        ptrs: list[str] = []
        for part in view.arrays:
            if index < len(part.prefix):
                ptrs.append(part.prefix[index])
            elif part.items is not None:
                ptrs.append(part.items)
        return ptrs

    def array(self, view: _View, depth: int, mode: str, attempt: int) -> list[Any]:
        low, high = view.min_items, view.max_items
        for part in view.arrays:
            if part.closed:
                high = len(part.prefix) if high is None else min(high, len(part.prefix))
        need = max((c[1] for c in view.contains), default=0)
        if max(low, need) > MAX_WITNESS_SIZE:
            raise _Fail
        prefix_len = max((len(p.prefix) for p in view.arrays), default=0)
        base = max(low, need)
        if mode == "min":
            length = base
        elif mode == "max":
            length = max(base, prefix_len + 1, 2)
        else:
            length = self.rng.randint(base, max(base, prefix_len) + 3)
            if depth >= self.max_depth - 2:
                length = base
        if high is not None:
            length = min(length, high)
        if length < base:
            raise _Fail
        positions = list(range(length))
        if mode == "random":
            self.rng.shuffle(positions)
        holders = set(positions[:need])
        seeking = [c[0] for c in view.contains if c[1] > 0]
        limited = [c[0] for c in view.contains if c[2] is not None]
        out: list[Any] = []
        seen: set[Any] = set()
        for index in range(length):
            ptrs = self.item_ptrs(view, index)
            if index in holders:
                ptrs = ptrs + seeking
            value: Any = None
            for retry in range(4):
                item_mode = mode if retry == 0 else "random"
                value = self.gen(ptrs, depth + 1, item_mode)
                if view.unique and canon(value) in seen:
                    continue
                if index not in holders and any(self.doc.valid_at(c, value) for c in limited):
                    continue
                break
            else:
                raise _Fail
            seen.add(canon(value))
            out.append(value)
        return out

    # -- objects ----------------------------------------------------------------------

    def prop_ptrs(self, view: _View, name: str) -> list[str]:
        ptrs: list[str] = []
        for part in view.objects:
            matched = [p for pat, p in part.patterns if _search_ok(pat, name)]
            if name in part.props:
                ptrs.append(part.props[name])
            ptrs += matched
            if name not in part.props and not matched and part.additional is not None:
                ptrs.append(part.additional)
        return ptrs

    def object(self, view: _View, depth: int, mode: str, attempt: int) -> dict[str, Any]:
        if view.min_props > MAX_WITNESS_SIZE:
            raise _Fail
        applied: set[str] = set()
        keys: list[str] = []
        names: list[str] = []
        chosen: dict[str, bool] = {}
        for _ in range(6):  # dependentSchemas may declare more keys: run to a fixed point
            names = list(dict.fromkeys(n for part in view.objects for n in part.props))
            for name in names:
                if name not in chosen:
                    if mode == "min" or name in view.required or name in view.forbidden:
                        chosen[name] = False
                    elif mode == "max":
                        chosen[name] = True
                    else:
                        chosen[name] = self.rng.random() < 0.5
            required = set(view.required)
            keys = list(view.required) + [n for n in names if chosen[n] and n not in required]
            for key in list(keys):
                keys += [d for d in view.dep_required.get(key, []) if d not in keys]
            pending = [p for k in keys for p in view.dep_schemas.get(k, []) if p not in applied]
            if not pending:
                break
            for ptr in pending:
                applied.add(ptr)
                self._collect(ptr, view, mode, attempt, set())
        must = set(view.required)
        for key in list(keys):
            must |= set(view.dep_required.get(key, []))
        declared_only = bool(names) or bool(view.required)
        open_map = any(
            (part.additional is not None and not part.closed) or part.patterns
            for part in view.objects
        )
        extras = 0
        if (open_map or not declared_only) and mode != "min" and not view.closed_unevaluated:
            extras = 1 if mode == "max" else self.rng.randint(0, 2)
        for name in names:
            if len(keys) >= view.min_props:
                break
            if name not in keys:
                keys.append(name)
        extras = max(extras, view.min_props - len(keys))
        if view.max_props is not None:
            extras = min(extras, max(0, view.max_props - len(keys)))
            while len(keys) > view.max_props:
                optional = [k for k in keys if k not in must]
                if not optional:
                    raise _Fail
                keys.remove(optional[-1])
        out: dict[str, Any] = {}
        for key in keys:
            try:
                out[key] = self.gen(self.prop_ptrs(view, key), depth + 1, mode)
            except _Fail:
                if key in must:
                    raise
        for _ in range(extras * 3):
            if extras <= 0:
                break
            extra = self.extra_name(view, depth, out)
            if extra is None or extra in out:
                continue
            try:
                out[extra] = self.gen(self.prop_ptrs(view, extra), depth + 1, "random")
            except _Fail:
                continue
            extras -= 1
        return out

    def extra_name(self, view: _View, depth: int, taken: dict[str, Any]) -> str | None:
        patterns = [pat for part in view.objects for pat, _ in part.patterns]
        if patterns and (self.rng.random() < 0.7 or all(p.closed for p in view.objects)):
            pattern = patterns[self.rng.randrange(len(patterns))]
            found = matching_strings(pattern, self.rng, minimal=False, min_len=1)
            return found[0] if found else None
        if view.names:
            try:
                name = self.gen(view.names, depth + 1, "random")
            except _Fail:
                return None
            return name if isinstance(name, str) else None
        pool = ("extra", "meta", "x-custom", "key1", "ünï", "note")
        for offset in range(len(pool)):
            name = pool[(self.turn(("", "extra-name"), len(pool)) + offset) % len(pool)]
            if name not in taken:
                return name
        return None


def _search_ok(pattern: str, text: str) -> bool:
    found = search(pattern, text)
    return True if found is None else found


# -- public API ---------------------------------------------------------------------------

_NOTHING = object()  # a draw that found nothing (filtered out of the strategy)


@dataclass(frozen=True)
class Mutation:
    """A payload that breaks exactly one constraint of a schema.

    Attributes:
        payload: The invalid payload (a valid payload with one thing broken).
        keyword: The constraint broken (``required``, ``maxLength``, ``type``, ...).
        instance_path: JSON pointer into ``payload`` where it breaks.
        schema_path: JSON pointer into the schema of the broken keyword.
    """

    payload: Any
    keyword: str
    instance_path: str
    schema_path: str


def _rng(seed: int) -> random.Random:
    """The one random stream of a call: reproducible test data, not secrets."""
    return random.Random(seed)  # noqa: S311


def _payloads(doc: _Document, seed: int, max_depth: int, n: int) -> Iterator[Any]:
    """Valid, distinct payloads: the minimal one, a maximal one, then varied ones."""
    gen = _Generator(doc, _rng(seed), max_depth)
    seen: set[str] = set()
    misses = 0
    index = 0
    while misses < 2 * n + 10 and len(seen) < n:
        if not seen and misses >= 10:
            break  # ten tries and not one valid payload: give up
        mode = "min" if index == 0 else "max" if index == 1 else "random"
        index += 1
        try:
            value = gen.payload(mode)
        except (_Fail, RecursionError):
            misses += 1
            continue
        key = _dump_key(value)
        if key in seen or not doc.root.is_valid(value):
            misses += 1
            continue
        seen.add(key)
        yield value


def valid_payloads(schema: Schema, *, n: int = 20, seed: int = 0, max_depth: int = 8) -> list[Any]:
    """Up to ``n`` distinct payloads valid under ``schema``, deterministically.

    The first is the minimal payload (required keys only, shortest values), the second a
    maximal one (every optional key present), the rest varied: optional keys present and
    absent, every ``enum`` value and ``anyOf``/``oneOf`` branch in turn, boundary numbers,
    strings at their length bounds, ``pattern`` matches and ``format`` samples. Every
    payload is checked with the reference validator; fewer than ``n`` come back when no
    more can be found (never an invalid one).

    Args:
        schema: A self-contained JSON Schema 2020-12 document (local ``$ref`` only).
        n: How many payloads at most.
        seed: Seed of the one random stream used: same inputs, same payloads.
        max_depth: Nesting depth beyond which recursion is cut short.

    Raises:
        SchemaError: The reference validator cannot compile the schema.

    Example:
        >>> valid_payloads({"type": "integer", "minimum": 3}, n=2)
        [3, 18446744073709551617]
    """
    doc = _document(schema)
    with doc.lock:
        doc.begin()
        out: list[Any] = []
        for value in _payloads(doc, seed, max_depth, n):
            out.append(value)
            if len(out) >= n:
                break
        return out


def minimal_payload(schema: Schema) -> Any:
    """The smallest valid payload found: required keys only, shortest values.

    Raises:
        SchemaError: ``schema-unsatisfiable`` when no valid payload is found (the schema
            may accept nothing, or nothing this generator can build).
    """
    doc = _document(schema)
    with doc.lock:
        doc.begin()
        gen = _Generator(doc, _rng(0), 8)
        for mode in ("min", "min", "random", "random", "max"):
            try:
                value = gen.payload(mode)
            except (_Fail, RecursionError):
                continue
            if doc.root.is_valid(value):
                return value
        for value in _payloads(doc, 0, 8, 4):
            return value
    raise SchemaError(
        "no valid payload found: the schema may accept nothing",
        code="schema-unsatisfiable",
    )


def payload_strategy(schema: Schema, *, invalid: bool = False) -> SearchStrategy[Any]:
    """A hypothesis ``SearchStrategy`` of payloads valid (or, with ``invalid``, invalid)
    under ``schema``.

    Each example is drawn from a seed, so examples shrink towards seed 0 (the minimal
    payload, or the first mutation). Invalid examples are plain payloads; use
    :func:`invalid_payloads` to learn which constraint each one breaks. Needs hypothesis,
    a test dependency imported only here.
    """
    from hypothesis import strategies as st

    doc = _document(schema)

    def draw_valid(seed: int) -> Any:
        with doc.lock:
            doc.begin()
            gen = _Generator(doc, _rng(seed), 8)
            mode = "min" if seed == 0 else "max" if seed == 1 else "random"
            for _ in range(8):
                try:
                    value = gen.payload(mode)
                except (_Fail, RecursionError):
                    mode = "random"
                    continue
                if doc.root.is_valid(value):
                    return value
                mode = "random"
        return _NOTHING

    pools: dict[int, list[Mutation]] = {}

    def draw_invalid(seed: int) -> Any:
        # 64 pools of 16 mutations: seed 0 shrinks to the first mutation of seed 0.
        pool = pools.get(seed % 64)
        if pool is None:
            pool = pools[seed % 64] = invalid_payloads(schema, n=16, seed=seed % 64)
        return pool[(seed // 64) % len(pool)].payload if pool else _NOTHING

    seeds = st.integers(min_value=0, max_value=2**32 - 1)
    drawn = seeds.map(draw_invalid if invalid else draw_valid)
    return drawn.filter(lambda value: value is not _NOTHING)


def invalid_payloads(schema: Schema, *, n: int = 20, seed: int = 0) -> list[Mutation]:
    """Up to ``n`` payloads that each break one constraint of ``schema``.

    Each starts from a valid payload (see :func:`valid_payloads`) and breaks one keyword
    at one location: a required key removed, a bound crossed, a wrong type, a value out
    of the ``enum``, an undeclared key added to a closed object, and so on. Every payload
    is checked invalid with the reference validator; mutations the reference reports as a
    single error come first, and the first ``n`` cover as many distinct keywords and
    locations as there are.

    Raises:
        SchemaError: The reference validator cannot compile the schema.
    """
    doc = _document(schema)
    with doc.lock:
        doc.begin()
        rng = _rng(seed)
        bases = list(_payloads(doc, seed, 8, 4))
        groups: dict[tuple[str, str], list[tuple[int, Mutation]]] = {}
        seen: set[str] = set()
        budget = max(200, 40 * n)
        for base in bases:
            for keyword, schema_path, tokens, replacement in _mutations(doc, base, rng):
                budget -= 1
                if budget <= 0:
                    break
                payload = _replace(base, tokens, replacement)
                key = _dump_key([payload, keyword, schema_path])
                if key in seen:
                    continue
                seen.add(key)
                if doc.root.is_valid(payload):
                    continue
                errors = sum(1 for _ in doc.root.iter_errors(payload))
                mutation = Mutation(payload, keyword, _pointer.from_parts(tokens), schema_path)
                groups.setdefault((keyword, schema_path), []).append((errors, mutation))
        out: list[Mutation] = []
        ranked = [sorted(found, key=lambda item: item[0] > 1) for found in groups.values()]
        depth = 0
        while len(out) < n and any(depth < len(r) for r in ranked):
            layer = [r[depth] for r in ranked if depth < len(r)]
            layer.sort(key=lambda item: item[0] > 1)
            out += [m for _, m in layer[: n - len(out)]]
            depth += 1
        return out


# -- mutations ----------------------------------------------------------------------------


def _replace(base: Any, tokens: list[str | int], replacement: Any) -> Any:
    if not tokens:
        return replacement
    out = copy.deepcopy(base)
    cur = out
    for token in tokens[:-1]:
        cur = cur[token]
    cur[tokens[-1]] = replacement
    return out


_Site = tuple[str, str, list[str | int], Any]


def _applicable(doc: _Document, ptrs: list[str], value: Any) -> list[tuple[str, dict[str, Any]]]:
    """The schema objects that apply to ``value``: ``$ref``, ``allOf``, the one matching
    ``anyOf``/``oneOf`` branch, the ``if`` outcome, ``dependentSchemas`` of present keys."""
    out: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()

    def visit(ptr: str) -> None:
        if ptr in seen:
            return
        seen.add(ptr)
        node = doc.node(ptr)
        if not isinstance(node, dict):
            return
        out.append((ptr, node))
        if "$ref" in node:
            target = doc.ref_target(node["$ref"])
            if target is not None:
                visit(target)
        for i in range(len(node.get("allOf") or [])):
            visit(_pointer.join(ptr, "allOf", i))
        for kw in ("anyOf", "oneOf"):
            branches = node.get(kw)
            if isinstance(branches, list):
                paths = [_pointer.join(ptr, kw, i) for i in range(len(branches))]
                matching = [p for p in paths if doc.valid_at(p, value)]
                if len(matching) == 1:
                    visit(matching[0])
        if "if" in node:
            outcome = "then" if doc.valid_at(_pointer.join(ptr, "if"), value) else "else"
            if outcome in node:
                visit(_pointer.join(ptr, outcome))
        if isinstance(value, dict) and isinstance(node.get("dependentSchemas"), dict):
            for key in node["dependentSchemas"]:
                if key in value:
                    visit(_pointer.join(ptr, "dependentSchemas", key))

    for ptr in ptrs:
        visit(ptr)
    return out


_WRONG_TYPE: tuple[Any, ...] = (None, True, 0, 1.5, "x", [], {})


def _mutations(doc: _Document, base: Any, rng: random.Random) -> Iterator[_Site]:
    """Every one-constraint break found in ``base``, location by location."""
    stack: list[tuple[list[str], Any, list[str | int]]] = [([""], base, [])]
    while stack:
        ptrs, value, tokens = stack.pop(0)
        nodes = _applicable(doc, ptrs, value)
        for ptr, node in nodes:
            for keyword, replacement in _breaks(doc, ptr, node, value, rng):
                yield keyword, _pointer.join(ptr, keyword), tokens, replacement
        if isinstance(value, dict):
            for key, child in value.items():
                child_ptrs: list[str] = []
                for ptr, node in nodes:
                    child_ptrs += _property_ptrs(ptr, node, key)
                stack.append((child_ptrs, child, [*tokens, key]))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                child_ptrs = []
                for ptr, node in nodes:
                    prefix = node.get("prefixItems")
                    if isinstance(prefix, list) and index < len(prefix):
                        child_ptrs.append(_pointer.join(ptr, "prefixItems", index))
                    elif "items" in node:
                        child_ptrs.append(_pointer.join(ptr, "items"))
                stack.append((child_ptrs, child, [*tokens, index]))


def _property_ptrs(ptr: str, node: dict[str, Any], key: str) -> list[str]:
    return [_pointer.join(ptr, *path) for path in key_subschemas(node, key, _search_ok)]


def _rotate(items: list[Any], rng: random.Random) -> list[Any]:
    if not items:
        return items
    k = rng.randrange(len(items))
    return items[k:] + items[:k]


def _breaks(
    doc: _Document, ptr: str, node: dict[str, Any], value: Any, rng: random.Random
) -> Iterator[tuple[str, Any]]:
    """(keyword, replacement value) pairs that break one keyword of ``node`` at ``value``."""
    kind = json_type(value)
    if "type" in node:
        allowed = {node["type"]} if isinstance(node["type"], str) else set(node["type"])
        if "number" in allowed:
            allowed.add("integer")
        wrong = [c for c in _WRONG_TYPE if json_type(c) not in allowed]
        if wrong:
            yield "type", _rotate(wrong, rng)[0]
    for keyword in ("enum", "const"):
        if keyword not in node:
            continue
        members = node["enum"] if keyword == "enum" else [node["const"]]
        if not isinstance(members, list):
            continue
        taken = {canon(m) for m in members}
        for candidate in _near_values(value, members):
            if canon(candidate) not in taken:
                yield keyword, candidate
                break
    if "not" in node:
        negated = _pointer.join(ptr, "not")
        for candidate in (*_WRONG_TYPE, "a", -1, [None], {"a": None}):
            if doc.valid_at(negated, candidate):
                yield "not", candidate
                break
    if isinstance(value, str):
        yield from _string_breaks(node, value)
    if kind in ("integer", "number"):
        yield from _number_breaks(node, value)
    if isinstance(value, dict):
        yield from _object_breaks(doc, ptr, node, value)
    if isinstance(value, list):
        yield from _array_breaks(doc, ptr, node, value)


def _near_values(value: Any, members: list[Any]) -> list[Any]:
    if isinstance(value, bool):
        return [not value, None]
    if isinstance(value, int | float):
        numbers = [m for m in members if isinstance(m, int | float) and not isinstance(m, bool)]
        top = max(numbers, key=Fraction) if numbers else value
        near = (_to_json_number(Fraction(top) + 1), _to_json_number(Fraction(value) + 1))
        return [v for v in near if v is not None]
    if isinstance(value, str):
        return [value + "_x", "__accord_not_in_enum__", ""]
    if isinstance(value, list):
        return [[*value, None], []]
    if isinstance(value, dict):
        return [{**value, "__accord__": 1}, {}]
    return ["__accord_not_in_enum__", 0]


def _string_breaks(node: dict[str, Any], value: str) -> Iterator[tuple[str, Any]]:
    low = node.get("minLength")
    if isinstance(low, int) and low > 0:
        yield "minLength", value[: low - 1]
    high = node.get("maxLength")
    if isinstance(high, int) and high < MAX_WITNESS_SIZE:
        pad = value[-1:] or "a"
        yield "maxLength", value + pad * (high + 1 - len(value))
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        size = max(len(value), low if isinstance(low, int) else 0, 1)
        candidates = [
            "!" * size,
            " " * size,
            "~" * size,
            "0" * size,
            "a" * size,
            "A" * size,
            "",
            value[::-1],
            "\n",
        ]
        for candidate in candidates:
            if search(pattern, candidate) is False:
                yield "pattern", candidate
                break
    fmt = node.get("format")
    if isinstance(fmt, str) and fmt in FORMAT_BREAKERS:
        for candidate in FORMAT_BREAKERS[fmt]:
            yield "format", candidate


def _number_breaks(node: dict[str, Any], value: Any) -> Iterator[tuple[str, Any]]:
    """Values just across each bound (kept on the ``multipleOf`` grid when there is one),
    and values off the grid (kept integral when they can be)."""
    integral = isinstance(value, int) or node.get("type") == "integer"
    grid = _fraction(node.get("multipleOf"))
    if grid is not None and grid <= 0:
        grid = None
    unit = Fraction(1) if integral else Fraction(1, 2)
    if grid is not None:
        unit = _lcm(unit, grid) if integral else grid
    for keyword, sign, exclusive in (
        ("minimum", -1, False),
        ("exclusiveMinimum", -1, True),
        ("maximum", 1, False),
        ("exclusiveMaximum", 1, True),
    ):
        bound = _fraction(node.get(keyword))
        if bound is None:
            continue
        # The nearest grid point across the bound (or on it, when the bound is exclusive).
        k = bound / unit
        if sign < 0:
            index = math.floor(k) if exclusive else math.ceil(k) - 1
        else:
            index = math.ceil(k) if exclusive else math.floor(k) + 1
        for across in (index * unit, bound if exclusive else None):
            found = None if across is None else _to_json_number(across)
            if found is not None:
                yield keyword, found
    if grid is not None:
        current = Fraction(value) if not isinstance(value, float) else Fraction(str(value))
        for delta in (Fraction(1), grid / 2, grid + grid / 2):
            candidate = current + delta
            found = _to_json_number(candidate)
            if (candidate / grid).denominator != 1 and found is not None:
                yield "multipleOf", found


def _object_breaks(
    doc: _Document, ptr: str, node: dict[str, Any], value: dict[str, Any]
) -> Iterator[tuple[str, Any]]:
    required = [r for r in node.get("required") or [] if r in value]
    for name in required:
        yield "required", {k: v for k, v in value.items() if k != name}
    raw_props = node.get("properties")
    props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
    patterns = node.get("patternProperties")
    pattern_list = list(patterns) if isinstance(patterns, dict) else []

    def undeclared(name: str) -> bool:
        return (
            name not in props
            and name not in value
            and not any(_search_ok(p, name) for p in pattern_list)
        )

    stranger = next((n for n in ("__unexpected__", "zzz_extra", "X", "0") if undeclared(n)), None)
    additional = node.get("additionalProperties")
    if stranger is not None:
        if additional is False:
            yield "additionalProperties", {**value, stranger: None}
        elif isinstance(additional, dict):
            addl = _pointer.join(ptr, "additionalProperties")
            for bad in _WRONG_TYPE:
                if not doc.valid_at(addl, bad):
                    yield "additionalProperties", {**value, stranger: bad}
                    break
        if node.get("unevaluatedProperties") is False:
            yield "unevaluatedProperties", {**value, stranger: None}
    if "propertyNames" in node:
        names_ptr = _pointer.join(ptr, "propertyNames")
        for name in ("", "0", "Invalid Name!", "A" * 300, "-", "ü"):
            if name not in value and not doc.valid_at(names_ptr, name):
                filler = next(iter(value.values()), None)
                yield "propertyNames", {**value, name: copy.deepcopy(filler)}
                break
    low = node.get("minProperties")
    if isinstance(low, int) and low > 0 and len(value) >= low:
        keep = dict(list(value.items())[: low - 1])
        yield "minProperties", keep
    high = node.get("maxProperties")
    if isinstance(high, int) and high < MAX_WITNESS_SIZE:
        grown = dict(value)
        filler = next(iter(value.values()), None)
        index = 0
        while len(grown) <= high:
            name = f"extra_{index}"
            index += 1
            if name not in grown:
                grown[name] = copy.deepcopy(filler)
        yield "maxProperties", grown
    dependent = node.get("dependentRequired")
    if isinstance(dependent, dict):
        for key, deps in dependent.items():
            if key in value:
                for dep in deps:
                    if dep in value:
                        yield "dependentRequired", {k: v for k, v in value.items() if k != dep}
                        break


def _array_breaks(
    doc: _Document, ptr: str, node: dict[str, Any], value: list[Any]
) -> Iterator[tuple[str, Any]]:
    low = node.get("minItems")
    if isinstance(low, int) and low > 0:
        yield "minItems", value[: low - 1]
    high = node.get("maxItems")
    if isinstance(high, int) and high < MAX_WITNESS_SIZE:
        filler = value[-1] if value else None
        yield "maxItems", value + [copy.deepcopy(filler) for _ in range(high + 1 - len(value))]
    if node.get("uniqueItems") is True and value:
        yield "uniqueItems", [*value, copy.deepcopy(value[0])]
    prefix = node.get("prefixItems")
    if node.get("items") is False:
        size = len(prefix) if isinstance(prefix, list) else 0
        if len(value) >= size:
            yield "items", [*value, None]
    elif isinstance(node.get("items"), dict):
        items_ptr = _pointer.join(ptr, "items")
        start = len(prefix) if isinstance(prefix, list) else 0
        for bad in _WRONG_TYPE:
            if not doc.valid_at(items_ptr, bad):
                yield "items", [*value, *([None] * max(0, start - len(value))), bad]
                break
    if "contains" in node:
        contains_ptr = _pointer.join(ptr, "contains")
        matching = [v for v in value if doc.valid_at(contains_ptr, v)]
        others = [v for v in value if not doc.valid_at(contains_ptr, v)]
        low_c = node.get("minContains", 1)
        if isinstance(low_c, int) and low_c > 0:
            yield "contains", others + matching[: low_c - 1]
        high_c = node.get("maxContains")
        if isinstance(high_c, int) and high_c < MAX_WITNESS_SIZE and matching:
            extra = [copy.deepcopy(matching[0]) for _ in range(high_c + 1 - len(matching))]
            yield "maxContains", value + extra
