"""Resource budgets of schema documents: refuse a schema before it costs minutes of CPU.

Two counts bound every command's work on a schema (lint, diff, codegen, validate):

- ``max-items``: entries in any one JSON object or array of the document, so the
  length of ``allOf``/``anyOf``/``oneOf``/``prefixItems``/``enum``/``required`` and the
  number of ``properties`` (or ``$defs``) are all capped by one rule;
- ``max-nodes``: objects and arrays reached from the root with every local ``$ref``
  followed, so a small document whose shared ``$defs`` fan out (a 12-way ``anyOf``
  referencing the next 12-way level, eight levels deep: 12^8 paths in 3 KB) counts
  every path a validator walks, not its few distinct nodes.

Over either cap the document is refused with ``schema-too-complex``, naming the file and
the pointer of the offending container (or ``$ref``). The counts are computed without
recursion and stop as soon as a cap is passed, so checking is linear in the document's
distinct nodes whatever it expands to.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from sys import intern
from typing import Any

from accord._dataclass_methods import frozen_dataclass, generated_methods
from accord.core import pointer as _pointer
from accord.core.frozen import FrozenDict, FrozenList
from accord.core.jsondoc import _msgspec_writers
from accord.errors import SchemaError

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "DEFAULT_MAX_NODES",
    "MAX_ITEMS_BOUND",
    "MAX_NODES_BOUND",
    "SchemaLimits",
    "check_limits",
    "expanded_size",
    "freeze_within_limits",
    "refs_within_limits",
    "thaw_within_limits",
]

DEFAULT_MAX_ITEMS = 1000
DEFAULT_MAX_NODES = 20_000
# The highest values accord.toml may set: beyond them single commands take minutes.
MAX_ITEMS_BOUND = 10_000
MAX_NODES_BOUND = 200_000


@frozen_dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
class SchemaLimits:
    """The ``accord.toml`` budgets a schema document must stay within.

    Attributes:
        max_items: Entries in any one object or array of the document.
        max_nodes: Objects and arrays reached with every local ``$ref`` followed.
    """

    max_items: int = DEFAULT_MAX_ITEMS
    max_nodes: int = DEFAULT_MAX_NODES

    # What @dataclass generates, not compiled at import: accord._dataclass_methods.
    __repr__, __eq__, __hash__ = generated_methods("max_items", "max_nodes")

    def __init__(
        self, max_items: int = DEFAULT_MAX_ITEMS, max_nodes: int = DEFAULT_MAX_NODES
    ) -> None:
        object.__setattr__(self, "max_items", max_items)
        object.__setattr__(self, "max_nodes", max_nodes)


def _too_complex(message: str, *, file: str | None, pointer: str) -> SchemaError:
    return SchemaError(
        f"{message} (raise it in accord.toml if this is intended)",
        code="schema-too-complex",
        file=file,
        pointer=pointer,
    )


def _scan(document: Any, max_items: int, max_nodes: int | None = None) -> tuple[bool, int, bool]:
    """Whether any container holds more than ``max_items`` (no pointers built: the
    common answer at load is no, for every schema of a registry), how many containers
    the walk met (one per path: :func:`expanded_size` when no ``$ref`` is followed) and
    whether any object holds a string ``$ref``. The count and the flag are partial when
    a wide container stops the walk, or once the count passes ``max_nodes``: a Python
    object handed to ``diff`` may share a container many times over, or hold itself
    (one per path, it has too many paths or infinitely many; the walk would not end)."""
    stack = [document] if isinstance(document, dict | list) else []
    containers = 0
    refs = False
    cap = sys.maxsize if max_nodes is None else max_nodes
    while stack:
        value = stack.pop()
        if len(value) > max_items:
            return True, containers, refs
        containers += 1
        if containers > cap:
            break
        if isinstance(value, dict):
            refs = refs or type(value.get("$ref")) is str
            items: Any = value.values()
        else:
            items = value
        # Most containers of a schema hold only plain scalars: one C pass says so.
        if not _SCALARS.issuperset(map(type, items)):
            stack.extend([v for v in items if isinstance(v, dict | list)])
    return False, containers, refs


def _wide(document: Any, max_items: int) -> tuple[str, int] | None:
    """The pointer and size of the first container with more than ``max_items``."""
    if not _scan(document, max_items)[0]:
        return None
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            if len(value) > max_items:
                return where, len(value)
            stack.extend(
                (v, _pointer.join(where, k)) for k, v in value.items() if isinstance(v, dict | list)
            )
        elif isinstance(value, list):
            if len(value) > max_items:
                return where, len(value)
            stack.extend(
                (v, _pointer.join(where, i))
                for i, v in enumerate(value)
                if isinstance(v, dict | list)
            )
    return None


def _target(root: Any, ref: str) -> Any:
    """The container a local ``$ref`` points to, or ``None`` (anything else counts 1)."""
    pointer = _pointer.fragment(ref)
    if pointer is None:
        return None  # anchors: rare, and bundles rewrite references to pointers
    _, value = _pointer.lookup(root, pointer)
    return value if isinstance(value, dict | list) else None


def _children(value: Any, root: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                target = _target(root, item)
                if target is not None:
                    yield target
            elif isinstance(item, (dict, list)):
                yield item
    else:
        for item in value:
            if isinstance(item, (dict, list)):
                yield item


def _scalar_arrays_size(schema: Any, cap: int) -> int | None:
    """What :func:`expanded_size` finds for an object whose only containers are arrays of
    plain scalars (an ``enum`` leaf, the writer closure's ``propertyNames``) and which
    has no string ``$ref``, without its walk; None for any other value.

    The walk counts the object and each array (an array of scalars yields nothing),
    in order, and checks the cap where it does: a first-met array after its own count
    of 1, an array met again (counted again, from its memo) on the object's running
    count; the object's own total is returned unchecked.
    """
    if not isinstance(schema, dict) or isinstance(schema.get("$ref"), str):
        return None
    count = 1
    met: set[int] = set()
    for value in schema.values():
        if isinstance(value, list) and _SCALARS.issuperset(map(type, value)):
            count += 1
            if id(value) in met:
                if count > cap:
                    return cap + 1
            else:
                met.add(id(value))
                if cap < 1:  # its own count of 1 over the cap
                    return cap + 1
        elif isinstance(value, dict | list):
            return None
    return count


def expanded_size(schema: Any, *, root: Any = None, cap: int) -> int:
    """Objects and arrays reached from ``schema`` with every local ``$ref`` followed.

    Shared subschemas count once per path (a validator walks each path); a ``$ref``
    back to a container being expanded counts 1 (recursion follows the instance, which
    is finite). Stops early: the result is ``cap + 1`` as soon as the count passes
    ``cap``. ``root`` is the document ``$ref`` pointers resolve in (``schema`` itself
    by default).
    """
    if not isinstance(schema, (dict, list)):  # a tuple: a union is built per call
        return 0
    values = schema.values() if isinstance(schema, dict) else schema
    if _SCALARS.issuperset(map(type, values)) and (
        isinstance(schema, list) or type(schema.get("$ref")) is not str
    ):
        return 1  # no container and no $ref inside (most leaves): the walk below counts 1
    size = _scalar_arrays_size(schema, cap)
    if size is not None:
        return size  # what the walk below finds, without it
    document = schema if root is None else root
    memo: dict[int, int] = {}
    on_path: set[int] = set()
    frames: list[list[Any]] = [[schema, _children(schema, document), 1]]
    on_path.add(id(schema))
    while frames:
        frame = frames[-1]
        child = next(frame[1], None)
        if child is None:
            frames.pop()
            on_path.discard(id(frame[0]))
            memo[id(frame[0])] = frame[2]
            if not frames:
                return int(frame[2])
            frames[-1][2] += frame[2]
        else:
            key = id(child)
            if key in memo:
                frame[2] += memo[key]
            elif key in on_path:
                frame[2] += 1
            else:
                on_path.add(key)
                frames.append([child, _children(child, document), 1])
                continue
        if frame[2] > cap:
            return cap + 1
    return 0  # pragma: no cover - the root frame always returns


def check_limits(
    document: Any, limits: SchemaLimits | None = None, *, file: str | None = None
) -> None:
    """Refuse ``document`` when it is over ``limits`` (the defaults when ``None``).

    Raises:
        SchemaError: ``schema-too-complex``, naming the file and the pointer of the
            widest offending container (``max-items``) or the root (``max-nodes``).
    """
    limits = limits or SchemaLimits()
    any_wide, containers, refs = _scan(document, limits.max_items, limits.max_nodes)
    wide = _wide(document, limits.max_items) if any_wide else None
    if wide is not None:
        where, size = wide
        raise _too_complex(
            f"{size} entries in one object or array, over the cap of {limits.max_items} "
            "(max-items)",
            file=file,
            pointer=where,
        )
    # Without a string ``$ref`` nothing is followed: the expanded size is the count of
    # the walk above (shared containers once per path, as ``expanded_size`` counts).
    # Over the cap already, it stays over with every ``$ref`` followed (each adds paths):
    # refused without following them (a container holding itself counts no further).
    if refs and containers <= limits.max_nodes:
        containers = expanded_size(document, cap=limits.max_nodes)
    if containers > limits.max_nodes:
        raise _too_complex(
            f"more than {limits.max_nodes} objects and arrays with every $ref followed "
            "(max-nodes; shared $defs count once per path that reaches them)",
            file=file,
            pointer="",
        )


_SCALARS = frozenset({str, int, float, bool, type(None)})
_NUMBERS = frozenset({int, float, bool, type(None)})


def thaw_within_limits(
    document: Any, limits: SchemaLimits | None = None, *, file: str | None = None
) -> Any:
    """:func:`check_limits`, and for a document without ``$ref`` or cycle
    :func:`~accord.core.frozen.thaw` too, in one walk: the plain copy thaw would make,
    or None when the caller must make it.

    The walk copies as it counts, and gives up (None, after :func:`check_limits` on the
    document, which raises for anything over the limits) at the first string ``$ref``
    (its target's paths count), the first container over ``max-items``, past
    ``max-nodes`` containers, at a container holding itself, or at Python's recursion
    limit. A container met again (shared: a Python document may reuse one ``enum``
    list) is copied once, as thaw keeps sharing, and counted once per path with all
    it holds, as :func:`check_limits` counts. Otherwise the count is what
    :func:`check_limits` counts (nothing followed) and the copy is thaw's (a fresh
    ``dict``/``list`` for each container, every other value as it is).

    Raises:
        SchemaError: exactly what :func:`check_limits` raises for ``document``.
    """
    limits = limits or SchemaLimits()
    if isinstance(document, dict | list):
        state = _Thawing(limits)
        try:
            return _thaw_counted(document, state)
        except (_NotATree, RecursionError):
            pass
    check_limits(document, limits, file=file)
    return None


class _NotATree(Exception):
    """:func:`_thaw_counted` met what only the separate walks decide."""


class _Thawing:
    """What :func:`_thaw_counted` has met (module level: no self-referencing closure)."""

    __slots__ = ("containers", "done", "max_items", "max_nodes")

    def __init__(self, limits: SchemaLimits) -> None:
        self.max_items = limits.max_items
        self.max_nodes = limits.max_nodes
        self.containers = 0
        # id -> (copy, containers counted under it, itself included), or None while it
        # is being copied. The document keeps every container alive: ids stay theirs.
        self.done: dict[int, tuple[Any, int] | None] = {}


def _thaw_counted(node: Any, state: _Thawing) -> Any:
    """``thaw``'s copy of the container ``node``, counted once per path."""
    done = state.done
    key = id(node)
    found = done.get(key, _ABSENT)
    if found is not _ABSENT:
        if found is None:
            raise _NotATree  # it holds itself: infinitely many paths
        state.containers += found[1]
        if state.containers > state.max_nodes:
            raise _NotATree
        return found[0]
    if len(node) > state.max_items:
        raise _NotATree
    before = state.containers
    state.containers = before + 1
    if before >= state.max_nodes:
        raise _NotATree
    copied: Any
    if isinstance(node, dict):
        if type(node.get("$ref")) is str:
            raise _NotATree
        # A C copy first; only values that are not plain scalars are looked at (most
        # objects of a schema hold none: the copy is all the work), as thaw does.
        copied = dict(node)
        if not _SCALARS.issuperset(map(type, copied.values())):
            done[key] = None  # being copied: met again below, it holds itself
            for k, v in copied.items():
                kind = type(v)
                if (
                    (kind is dict or kind is list)
                    and id(v) not in done
                    and _SCALARS.issuperset(map(type, v.values() if kind is dict else v))
                ):
                    # A leaf met first here (most properties of a wide object): what
                    # the call below does for it, without the call. Each give-up of
                    # the call is one here; which one comes first does not matter
                    # (all end the walk the same way).
                    if (
                        len(v) > state.max_items
                        or state.containers >= state.max_nodes
                        or (kind is dict and type(v.get("$ref")) is str)
                    ):
                        raise _NotATree
                    state.containers += 1
                    leaf = dict(v) if kind is dict else list(v)
                    done[id(v)] = (leaf, 1)
                    copied[k] = leaf
                elif isinstance(v, (dict, list)):  # a tuple: ``dict | list`` is built per call
                    copied[k] = _thaw_counted(v, state)
    elif _SCALARS.issuperset(map(type, node)):
        copied = list(node)
    else:
        done[key] = None
        copied = [_thaw_counted(v, state) if isinstance(v, dict | list) else v for v in node]
    done[key] = (copied, state.containers - before)
    return copied


_ABSENT: Any = object()


# Fills a FrozenDict while it is built (its own __setitem__ refuses).
_set = dict.__setitem__


def freeze_within_limits(
    document: Any,
    limits: SchemaLimits | None = None,
    *,
    file: str | None = None,
    keys_sorted: bool = False,
) -> tuple[Any, list[str], bool]:
    """:func:`check_limits` then :func:`~accord.core.frozen.freeze`, in one walk: the
    frozen document, the value of every string ``$ref`` in any of its objects
    (anywhere, ``const`` values too: the caller decides what they are), and whether it
    is *canonical*: every object's keys sorted, no ``$id`` key anywhere and only plain
    JSON values (a registry document that is already its own bundle).

    For a document just parsed from JSON: a tree (nothing shared, no cycle) nested no
    deeper than the parser allows. Its strings are interned: schemas repeat the same
    few values (``"string"``, formats, patterns, enum members) across thousands of
    documents, and a registry holds them once. Objects and arrays are counted as they
    are frozen; each ``$ref`` target's count is added by a short walk of that target,
    and only a document with a target that holds a ``$ref`` itself is expanded in full
    (:func:`expanded_size`).

    ``keys_sorted``: the caller has proven every object's keys sorted (the registry
    loader, from a file whose bytes are the document written back with sorted keys),
    so they are not encoded again to tell.

    Raises:
        SchemaError: exactly what :func:`check_limits` raises for ``document``.
    """
    limits = limits or SchemaLimits()
    state = _Freezing(limits.max_items)
    frozen = _freeze(document, state)
    refs, containers, wide, canonical = state.refs, state.containers, state.wide, state.canonical
    canonical = canonical and (keys_sorted or _keys_sorted(document))
    cap = limits.max_nodes
    if not wide:
        growth = _ref_growth(frozen, refs)
        size = expanded_size(frozen, cap=cap) if growth is None else containers + growth
    if wide or size > cap:
        check_limits(frozen, limits, file=file)  # raises, naming the pointer
    return frozen, refs, canonical


class _Freezing:
    """What :func:`_freeze` finds on its way (a module-level walk, not a closure: a
    closure that calls itself is a reference cycle only the cyclic collector frees)."""

    __slots__ = ("canonical", "containers", "max_items", "refs", "wide")

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.refs: list[str] = []
        self.containers = 0
        self.wide = False
        self.canonical = True


def _freeze(node: Any, state: _Freezing) -> Any:
    if isinstance(node, dict):
        state.containers += 1
        if len(node) > state.max_items:
            state.wide = True
        ref = node.get("$ref")
        if type(ref) is str:
            state.refs.append(ref)
        if state.canonical and "$id" in node:  # key order: _keys_sorted, once
            state.canonical = False
        # A C copy, then only strings (interned) and containers are replaced.
        frozen = FrozenDict(node)
        for k, v in node.items():
            kind = type(v)
            if kind is str:
                _set(frozen, k, intern(v))
            elif kind not in _NUMBERS:
                _set(frozen, k, _freeze(v, state))
        return frozen
    if isinstance(node, list):
        state.containers += 1
        if len(node) > state.max_items:
            state.wide = True
        return FrozenList(
            [
                v if type(v) in _NUMBERS else intern(v) if type(v) is str else _freeze(v, state)
                for v in node
            ]
        )
    # Floats from a JSON parse are finite (beyond float range, loads keeps a Decimal).
    if type(node) not in _SCALARS:
        state.canonical = False
    return node


def _keys_sorted(document: Any) -> bool:
    """Whether every object of a tree of plain JSON values has its keys sorted.

    Decided by two C encodings instead of a sort per object: the JSON text of a tree
    with each object's keys sorted equals its text as it is exactly when they are
    already sorted (a text reads back to one list of entries per object, so two orders
    of distinct keys give two texts; msgspec sorts keys by code point, as ``sorted``
    does). A tree msgspec cannot write (a lone surrogate) is walked instead.
    """
    as_is, sorted_keys, _format = _msgspec_writers()
    try:
        return bool(as_is(document) == sorted_keys(document))
    except (TypeError, ValueError, OverflowError):
        return _keys_sorted_walk(document)


def _keys_sorted_walk(document: Any) -> bool:
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if list(node) != sorted(node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


def _ref_growth(document: Any, refs: list[str]) -> int | None:
    """What following every ``$ref`` of a tree adds to its count of objects and arrays
    (:func:`expanded_size` minus the tree's own count), or ``None`` when a target holds
    a ``$ref`` itself (then only :func:`expanded_size` can tell)."""
    sizes: dict[str, int | None] = {}  # ref -> containers under its target
    grown = 0
    for ref in refs:
        if ref not in sizes:
            target = _target(document, ref)
            sizes[ref] = 0 if target is None else _size_without_refs(target)
        size = sizes[ref]
        if size is None:
            return None
        grown += size
    return grown


def _size_without_refs(node: Any) -> int | None:
    """Objects and arrays in a tree, or ``None`` when one of its objects has a string
    ``$ref``."""
    count = 0
    stack = [node]
    while stack:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                return None
            stack.extend([v for v in value.values() if isinstance(v, dict | list)])
        else:
            stack.extend([v for v in value if isinstance(v, dict | list)])
    return count


# A "$ref" key and its string value in JSON text. Only an escape can make what it finds
# differ from the parsed document's "$ref" values: a key spelled with \u escapes (never
# found), or a value with an escape (found as written, not decoded); both are ruled out
# before it is trusted. What an escaped quote inside a string can add is a value that
# is no "$ref" at all, which only makes every check that uses the list stricter (an
# unresolvable extra value sends the loader to its exact walk, an extra target only
# raises a count that is an upper bound anyway).
_REF_VALUE = rb'"\$ref"\s*:\s*"([^"]*)"'  # compiled (and cached) by re on first use


def refs_within_limits(
    raw: bytes, document: Any, limits: SchemaLimits | None = None, *, file: str | None = None
) -> list[str]:
    """:func:`check_limits` for ``document``, parsed from ``raw``, and the value of
    every string ``$ref`` in its objects (what :func:`freeze_within_limits` lists, or
    more), without walking the document when its bytes settle both.

    Raises:
        SchemaError: exactly what :func:`check_limits` raises for ``document``.
    """
    return refs_and_growth_within_limits(raw, document, limits, file=file)[0]


def refs_and_growth_within_limits(
    raw: bytes, document: Any, limits: SchemaLimits | None = None, *, file: str | None = None
) -> tuple[list[str], int | None]:
    """:func:`refs_within_limits`, and what following every ``$ref`` adds to the
    document's count of objects and arrays when it was measured on the way and no
    ``$ref`` target holds a ``$ref`` itself (:func:`_ref_growth`), else ``None``.

    The bytes bound the counts from above: an object or array of ``n`` entries has
    ``n - 1`` commas, and every object or array opens with a ``{`` or ``[`` (strings may
    hold more of either, never fewer). Only a document the bounds do not clear is
    counted exactly.

    Raises:
        SchemaError: exactly what :func:`check_limits` raises for ``document``.
    """
    limits = limits or SchemaLimits()
    found = re.findall(_REF_VALUE, raw)
    if not isinstance(document, dict | list) or b"\\u" in raw or any(b"\\" in v for v in found):
        return freeze_within_limits(document, limits, file=file)[1], None
    refs = [value.decode("utf-8") for value in found]
    if _entries_bound(raw) > limits.max_items and raw.count(b",") >= limits.max_items:
        check_limits(document, limits, file=file)
        return refs, None
    growth = _ref_growth(document, refs)
    if growth is None or (
        _containers_bound(raw) + growth > limits.max_nodes
        and raw.count(b"{") + raw.count(b"[") + growth > limits.max_nodes
    ):
        check_limits(document, limits, file=file)
    return refs, growth


# Bounds from a JSON text's length alone, looser than its counts of brackets and
# commas and free to compute (a count reads the whole text; three of them were a tenth
# of a registry load's check of a latest release):
# - an object or array of n entries takes n - 1 commas, n values of a byte or more
#   and its two brackets, so 2n + 1 bytes at least: n <= (len - 1) // 2;
# - each object or array has its own two brackets, bytes no other one holds: there
#   are at most len // 2 of them.
# Only when a length bound does not clear its cap is the count taken.


def _entries_bound(raw: bytes) -> int:
    """The most entries any one object or array of the JSON text ``raw`` can hold."""
    return (len(raw) - 1) // 2


def _containers_bound(raw: bytes) -> int:
    """The most objects and arrays the JSON text ``raw`` can hold."""
    return len(raw) // 2
