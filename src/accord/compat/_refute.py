"""The refuter: a concrete payload valid under SUB and rejected by SUP, or nothing.

Candidates are built per instance location from the keywords of *both* sides (bounds
and the values just beyond them, enum members, lengths, formats, strings made from
patterns, one value of every type), ordered so that values valid under the writer's
local schemas and rejected by the reader's come first, then embedded into whole
payloads. The proof's gap (the instance path where it failed) is tried first. Only
the reference validator on the two root documents decides; nothing here is trusted.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from accord.compat._closure import _item_children, location_children
from accord.compat._nodes import Ctx, Node, num, value_key
from accord.compat._prover import Gap, Prover
from accord.core.vocabulary import OBJECT_KEYWORDS
from accord.payloads.examples import FORMAT_SAMPLES, pattern_examples

__all__ = ["Refuter"]

_MAX_DEPTH = 6
_MISSING: Any = object()  # "no value found"; JSON null is a value
_UNSET: Any = object()  # "not computed yet" in a memo whose values may be _MISSING
_POOL_CAP = 48
_BASE_SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    1.5,
    "",
    "a",
    "abc",
    "not valid!",
    [],
    {},
]


def _lazy(make: Callable[[], Iterable[Any]]) -> Iterator[Any]:
    yield from make()


def _as_json_number(f: Any) -> Any:
    if f.denominator == 1:
        return int(f)
    return float(f)


_STRUCTURED = frozenset({"object", "array"})


def _structured_only(sub: list[Node]) -> bool:
    """Some node's ``type`` admits only objects and arrays (no scalar can be valid)."""
    for n in sub:
        s = n.schema
        if not isinstance(s, dict):
            continue
        t = s.get("type")
        if isinstance(t, str) and t in _STRUCTURED:
            return True
        if isinstance(t, list) and t and all(isinstance(x, str) and x in _STRUCTURED for x in t):
            return True
    return False


def _rest_nodes(ctx: Ctx, nodes: list[Node]) -> list[Node]:
    """The ``additionalProperties``/``unevaluatedProperties`` subschemas of ``nodes``
    (candidate values for an undeclared key; the reference decides)."""
    out: list[Node] = []
    for n in nodes:
        if isinstance(n.schema, dict):
            out.extend(
                ctx.child(n, kw)
                for kw in ("additionalProperties", "unevaluatedProperties")
                if kw in n.schema
            )
    return out


class Refuter:
    """Searches for a witness; deterministic, bounded by the context's step budget."""

    def __init__(self, ctx: Ctx, prover: Prover, sub: Node, sup: Node, max_tries: int) -> None:
        from accord.validation.reference import reference_validator

        self.ctx = ctx
        self.prover = prover
        self.sub = sub
        self.sup = sup
        self.sub_v = reference_validator(ctx.docs[sub.doc])
        self.sup_v = reference_validator(ctx.docs[sup.doc])
        self.tries = 0
        self.max_tries = max_tries
        self.pools: dict[tuple[Any, ...], list[Any]] = {}
        self.seen: set[Hashable] = set()
        self.quick: dict[frozenset[tuple[int, int]], Any] = {}
        # _scan_first results (pure in their key, like pools)
        self.firsts: dict[tuple[Any, ...], Any] = {}

    # -- driver ----------------------------------------------------------------------
    def find(
        self, gap: Gap | None, extra: Callable[[], Iterable[Any]] | None = None
    ) -> tuple[bool, Any]:
        sources: list[Iterator[Any]] = []
        if gap is not None and gap.path:
            sources.append(self.along(gap.path, gap.hints))
        elif gap is not None:
            sources.append(iter(gap.hints))
        sources.append(self.values([self.sub], [self.sup], 0))
        if extra is not None:
            sources.append(_lazy(extra))
        for source in sources:
            for v in source:
                if self.check(v):
                    return True, v
                if self.tries >= self.max_tries:
                    return False, None
        return False, None

    def check(self, v: Any) -> bool:
        key = value_key(v)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.tries += 1
        self.ctx.step()
        return bool(self.sub_v.is_valid(v)) and not bool(self.sup_v.is_valid(v))

    # -- targeted search along the gap's path ------------------------------------------
    def along(self, path: tuple[str | int, ...], hints: tuple[Any, ...]) -> Iterator[Any]:
        yield from self._along([self.sub], [self.sup], path, hints, 0)

    def _along(
        self,
        sub: list[Node],
        sup: list[Node],
        path: tuple[str | int, ...],
        hints: tuple[Any, ...],
        depth: int,
    ) -> Iterator[Any]:
        if not path:
            yield from hints
            yield from self.values(sub, sup, depth)
            return
        token, rest = path[0], path[1:]
        for atoms in self._clauses(sub):
            sup_u = self.ctx.unconditional(sup)
            if isinstance(token, str) and token != "*":  # noqa: S105 - "*" is the items token
                base = self._base(atoms, sup_u, depth)
                kid_sub = location_children(self.ctx, atoms, token)
                kid_sup = location_children(self.ctx, sup_u, token)
                for inner in self._along(kid_sub, kid_sup, rest, hints, depth + 1):
                    yield {**base, token: inner}
            else:
                i = token if isinstance(token, int) else None
                kid_sub = _item_children(self.ctx, atoms, i)
                kid_sup = _item_children(self.ctx, sup_u, i)
                fill = self._first_valid(kid_sub, kid_sup, depth + 1)
                n = i if i is not None else 0
                for inner in self._along(kid_sub, kid_sup, rest, hints, depth + 1):
                    prefix = [
                        self._known(_item_children(self.ctx, atoms, j), depth + 1) for j in range(n)
                    ]
                    yield [*prefix, inner]
                    if fill is not _MISSING:
                        yield [*prefix, inner, fill]

    # -- generic candidates ----------------------------------------------------------
    def _clauses(self, nodes: list[Node]) -> list[list[Node]]:
        clauses = self.prover.dnf(nodes) or []
        out: list[list[Node]] = []
        for atoms, _ in clauses[:6]:
            if any(a.schema is False for a in atoms):
                continue
            out.append(atoms)
        return out or [list(nodes)]

    def _known(self, sub: list[Node], depth: int) -> Any:
        v = self._first_valid(sub, [], depth)
        return None if v is _MISSING else v

    def _first_valid(self, sub: list[Node], sup: list[Node], depth: int) -> Any:
        if not sup:
            quick = self._quick(sub)
            if quick is not _MISSING:
                return quick
            key: tuple[Any, ...] = (frozenset(n.key for n in sub), frozenset(), depth)
            if key not in self.pools:
                found = self.firsts.get(key, _UNSET)
                if found is _UNSET:
                    found = self.firsts[key] = self._scan_first(sub, depth)
                return found
        pool = self.pool(sub, sup, depth)
        for v in pool:
            if self.ctx.valid_all(sub, v):
                return v
        return pool[0] if pool else _MISSING

    def _quick(self, sub: list[Node]) -> Any:
        """A cheap valid value for plain leaf schemas (filling required keys)."""
        key = frozenset(n.key for n in sub)
        if key in self.quick:
            return self.quick[key]
        tries: list[Any] = []
        for n in sub:
            s = n.schema
            if isinstance(s, dict):
                if "const" in s:
                    tries.append(s["const"])
                if isinstance(s.get("enum"), list) and s["enum"]:
                    tries.append(s["enum"][0])
                v = s.get("minLength")
                if isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 1000:
                    tries.append("a" * v)
                for kw in ("minimum", "maximum"):
                    v = s.get(kw)
                    if isinstance(v, int) and not isinstance(v, bool):
                        tries.append(v)
                for fmt in [s.get("format")]:
                    if isinstance(fmt, str):
                        tries.extend(FORMAT_SAMPLES.get(fmt, []))
        tries.extend(["", 0, 1, None, True, 1.5, "a", [], {}])
        found: Any = _MISSING
        for v in tries:
            if self.ctx.valid_all(sub, v):
                found = v
                break
        self.quick[key] = found
        return found

    def _scan_first(self, sub: list[Node], depth: int) -> Any:
        """What ``pool(sub, [], depth)`` would offer first, without building the pool.

        With no reader every candidate sorts as "valid under both" or "invalid", in
        candidate order, so the pool's first valid value is the first valid candidate
        (else the first candidate). A pool is a pure function of its key (nested pools
        are always one level deeper, so no recursion guard is ever hit), which makes
        stopping early give the same value as building the pool.
        """
        seen: set[Hashable] = set()
        first: Any = _MISSING
        candidates = self._raw(sub, [], depth)
        if _structured_only(sub):
            # Every non-container candidate fails some node's "type": skip them without
            # asking the validator (same first valid value, in the same order). The
            # fallback stays the very first candidate, as in the pool.
            hints = [n for n in self.ctx.applicable(sub) if isinstance(n.schema, dict)]
            scalars = self._scalars(hints)
            first = scalars[0]
            candidates = itertools.chain(
                (v for v in scalars if isinstance(v, dict | list)), self._structured(sub, depth)
            )
        for v in candidates:
            k = value_key(v)
            if k in seen:
                continue
            seen.add(k)
            if self.ctx.valid_all(sub, v):
                return v
            if first is _MISSING:
                first = v
        return first

    def _structured(self, sub: list[Node], depth: int) -> Iterator[Any]:
        if depth < _MAX_DEPTH:
            yield from self._arrays(sub, [], depth)
            yield from self._objects(sub, [], depth)

    def _raw(self, sub: list[Node], sup: list[Node], depth: int) -> Iterator[Any]:
        """Candidate values for a location, in pool order before sorting (lazy)."""
        hints = [n for n in self.ctx.applicable([*sub, *sup]) if isinstance(n.schema, dict)]
        # The bounds under a `not` matter as much as the others (``not {minLength: 3}``
        # against ``not {minLength: 2}`` is refuted by a string of length 2).
        negated = [self.ctx.child(n, "not") for n in hints if "not" in n.schema]
        hints += [n for n in self.ctx.applicable(negated) if isinstance(n.schema, dict)]
        yield from self._scalars(hints)
        if depth < _MAX_DEPTH:
            yield from self._arrays(sub, sup, depth)
            yield from self._objects(sub, sup, depth)

    def values(self, sub: list[Node], sup: list[Node], depth: int) -> Iterator[Any]:
        """The values of :meth:`pool`, in its order, built only as far as they are read.

        The pool puts first the candidates valid under ``sub`` and rejected by ``sup``,
        in candidate order: those can be handed out as they are found (most searches
        stop at the first); the rest follows once every candidate is sorted.
        """
        key = (frozenset(n.key for n in sub), frozenset(n.key for n in sup), depth)
        hit = self.pools.get(key)
        if hit is not None:
            yield from hit
            return
        ctx = self.ctx
        cap = _POOL_CAP * 2
        sup_u = ctx.unconditional(sup)
        seen: set[Hashable] = set()
        first: list[Any] = []
        second: list[Any] = []
        third: list[Any] = []
        for v in self._raw(sub, sup, depth):
            k = value_key(v)
            if k in seen:
                continue
            seen.add(k)
            if ctx.valid_all(sub, v):
                if ctx.valid_all(sup_u, v):
                    second.append(v)
                else:
                    first.append(v)
                    if len(first) <= cap:
                        yield v
            else:
                third.append(v)
        pool = (first + second + third)[:cap]
        self.pools.setdefault(key, pool)
        yield from pool[len(first) :]

    def pool(self, sub: list[Node], sup: list[Node], depth: int) -> list[Any]:
        key = (frozenset(n.key for n in sub), frozenset(n.key for n in sup), depth)
        hit = self.pools.get(key)
        if hit is not None:
            return hit
        self.pools[key] = []  # recursion guard
        ctx = self.ctx
        raw = list(self._raw(sub, sup, depth))
        seen: set[Hashable] = set()
        first: list[Any] = []
        second: list[Any] = []
        third: list[Any] = []
        sup_u = ctx.unconditional(sup)
        for v in raw:
            k = value_key(v)
            if k in seen:
                continue
            seen.add(k)
            if ctx.valid_all(sub, v):
                (second if ctx.valid_all(sup_u, v) else first).append(v)
            else:
                third.append(v)
        pool = (first + second + third)[: _POOL_CAP * 2]
        self.pools[key] = pool
        return pool

    def _scalars(self, hints: list[Node]) -> list[Any]:
        out: list[Any] = []
        lens: set[int] = set()
        for n in hints:
            s = n.schema
            if "const" in s:
                out.append(s["const"])
            if isinstance(s.get("enum"), list):
                out.extend(s["enum"])
            for v in (
                [s.get("const"), *(s.get("enum") or [])]
                if isinstance(s.get("enum"), (list, type(None)))
                else []
            ):
                if isinstance(v, int) and not isinstance(v, bool):
                    out.extend([v + 1, v - 1])
            for kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                v = s.get(kw)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    f = num(v)
                    out.extend(_as_json_number(f + d) for d in (0, 1, -1))
                    out.extend([float(f + num(0.5)), float(f - num(0.5))])
            m = s.get("multipleOf")
            if isinstance(m, (int, float)) and not isinstance(m, bool) and m > 0:
                f = num(m)
                out.extend(_as_json_number(f * k) for k in (1, 2, 3, 5))
                out.append(_as_json_number(f / 2))
            for kw in ("minLength", "maxLength"):
                v = s.get(kw)
                if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10_000:
                    lens.update({max(v - 1, 0), v, v + 1})
            fmt = s.get("format")
            if isinstance(fmt, str):
                out.extend(FORMAT_SAMPLES.get(fmt, []))
            p = s.get("pattern")
            if isinstance(p, str):
                out.extend(pattern_examples(p))
            pn = s.get("propertyNames")
            if isinstance(pn, dict) and isinstance(pn.get("pattern"), str):
                out.extend(pattern_examples(pn["pattern"]))
        out.extend(
            "abcdefghijklmnopqrstuvwxyz"[: min(n, 26)] if n <= 26 else "a" * n for n in sorted(lens)
        )
        out.extend(_BASE_SCALARS)
        out.extend([2.0, 7, 4, 8, 1.25, "abcdefgh", 9007199254740993])
        return out

    def _arrays(self, sub: list[Node], sup: list[Node], depth: int) -> Iterator[Any]:
        ctx = self.ctx
        hints = [n for n in ctx.applicable([*sub, *sup]) if isinstance(n.schema, dict)]
        if not any(
            k in n.schema
            for n in hints
            for k in ("items", "prefixItems", "contains", "minItems", "maxItems", "uniqueItems")
        ) and not any(
            n.schema.get("type") == "array"
            or (isinstance(n.schema.get("type"), list) and "array" in n.schema["type"])
            for n in hints
        ):
            return
        sup_u = ctx.unconditional(sup)
        for atoms in self._clauses(sub):
            plen = max(
                [
                    len(a.schema.get("prefixItems") or [])
                    for a in atoms
                    if isinstance(a.schema, dict)
                ]
                + [0]
            )
            # Built as late as the candidates need them: a caller may stop early.
            firsts = [
                self._first_valid(_item_children(ctx, atoms, i), [], depth + 1)
                for i in range(plen + 1)
            ]
            prefix = [None if v is _MISSING else v for v in firsts[:plen]]
            tail_first = firsts[plen]
            yield []
            yield prefix
            if tail_first is not _MISSING:
                yield [*prefix, tail_first]
                yield [*prefix, tail_first, tail_first]
            kids = [
                self.pool(_item_children(ctx, atoms, i), _item_children(ctx, sup_u, i), depth + 1)
                for i in range(plen + 1)
            ]
            tail_pool = kids[plen]
            for i in range(plen):
                for v in kids[i][:6]:
                    yield [*prefix[:i], v, *prefix[i + 1 :]]
                    yield [*prefix[:i], v]
            for v in tail_pool[:8]:
                yield [*prefix, v]
                if tail_first is not _MISSING:
                    yield [*prefix, tail_first, v]
            lens = {0, 1, 2}
            for n in hints:
                for kw in ("minItems", "maxItems", "minContains", "maxContains"):
                    v = n.schema.get(kw)
                    if isinstance(v, int) and not isinstance(v, bool) and v < 64:
                        lens.update({max(v - 1, 0), v, v + 1})
            if tail_first is not _MISSING:
                for n_len in sorted(lens):
                    yield [*prefix, *[tail_first] * max(n_len - plen, 0)][: max(n_len, plen)]
                    distinct = [
                        v
                        for v in tail_pool
                        if self.ctx.valid_all(_item_children(ctx, atoms, None), v)
                    ]
                    if len(distinct) >= n_len:
                        yield [*prefix, *distinct[:n_len]]

    def _base(self, atoms: list[Node], sup_u: list[Node], depth: int) -> dict[str, Any]:
        required: list[str] = []
        for a in atoms:
            if isinstance(a.schema, dict) and isinstance(a.schema.get("required"), list):
                required.extend(k for k in a.schema["required"] if isinstance(k, str))
        base: dict[str, Any] = {}
        for k in dict.fromkeys(required):
            v = self._first_valid(location_children(self.ctx, atoms, k), [], depth + 1)
            base[k] = None if v is _MISSING else v
        return base

    def _objects(self, sub: list[Node], sup: list[Node], depth: int) -> Iterator[Any]:
        ctx = self.ctx
        hints = [n for n in ctx.applicable([*sub, *sup]) if isinstance(n.schema, dict)]
        if not any(k in n.schema for n in hints for k in OBJECT_KEYWORDS) and not any(
            n.schema.get("type") == "object"
            or (isinstance(n.schema.get("type"), list) and "object" in n.schema["type"])
            for n in hints
        ):
            return
        sup_u = ctx.unconditional(sup)
        named: dict[str, None] = {}
        for n in hints:
            s = n.schema
            if isinstance(s.get("properties"), dict):
                named.update(dict.fromkeys(s["properties"]))
            if isinstance(s.get("required"), list):
                named.update(dict.fromkeys(k for k in s["required"] if isinstance(k, str)))
            if isinstance(s.get("dependentRequired"), dict):
                for k, deps in s["dependentRequired"].items():
                    named[k] = None
                    if isinstance(deps, list):
                        named.update(dict.fromkeys(d for d in deps if isinstance(d, str)))
            if isinstance(s.get("dependentSchemas"), dict):
                named.update(dict.fromkeys(s["dependentSchemas"]))
            if isinstance(s.get("patternProperties"), dict):
                for p in s["patternProperties"]:
                    for ex in pattern_examples(p)[:2]:
                        named[ex] = None
        keys = list(named)
        if len(keys) > 40:
            keys = self._interesting(keys, sub, sup_u)
        for atoms in self._clauses(sub):
            base = self._base(atoms, sup_u, depth)
            yield base
            full = dict(base)
            for k in keys:
                kid = location_children(ctx, atoms, k)
                if k not in full and kid:
                    v = self._first_valid(kid, [], depth + 1)
                    full[k] = None if v is _MISSING else v
            yield full
            for k in keys:
                kid_sub = location_children(ctx, atoms, k)
                kid_sup = location_children(ctx, sup_u, k)
                pool = self.pool(kid_sub, kid_sup, depth + 1)
                for v in pool[:6]:
                    yield {**base, k: v}
                    yield {**full, k: v}
                if k in base:
                    yield {kk: vv for kk, vv in base.items() if kk != k}
            for size in self._crowd_sizes(hints):
                crowd = dict(base)
                for i in range(size):
                    if len(crowd) >= size:
                        break
                    crowd.setdefault(f"z{i}", 1)
                yield crowd
            for extra in ("z", "A1"):
                yield from ({**base, extra: v} for v in (1, "s", None))
            # An undeclared key with the values that separate what each side allows for
            # keys it does not name (additionalProperties / unevaluatedProperties).
            rest = self.pool(_rest_nodes(ctx, atoms), _rest_nodes(ctx, sup_u), depth + 1)
            yield from ({**base, "z": v} for v in rest[:6])

    @staticmethod
    def _crowd_sizes(hints: list[Node]) -> list[int]:
        """Object sizes worth trying: the widest first (as before), then each side of
        every ``maxProperties``/``minProperties`` bound (a widened ``maxProperties`` 5 ->
        10 is refuted by 6 keys, not 11)."""
        bounds: set[int] = set()
        for n in hints:
            for kw in ("maxProperties", "minProperties"):
                v = n.schema.get(kw)
                if isinstance(v, int) and not isinstance(v, bool) and v < 64:
                    bounds.update({max(v - 1, 0), v, v + 1})
        widest = max([3, *(b - 1 for b in bounds)]) + 1
        return [widest, *sorted(bounds - {widest})]

    def _interesting(self, keys: list[str], sub: list[Node], sup_u: list[Node]) -> list[str]:
        """Keys whose schemas differ between the sides (large objects only)."""
        ctx = self.ctx
        sub_u = ctx.unconditional(sub)
        picked = []
        for k in keys:
            a = [json.dumps(n.schema, sort_keys=True) for n in location_children(ctx, sub_u, k)]
            b = [json.dumps(n.schema, sort_keys=True) for n in location_children(ctx, sup_u, k)]
            if a != b:
                picked.append(k)
        return picked[:40]
