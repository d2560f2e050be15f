"""Read-only JSON documents: what a :class:`~accord.registry.model.Registry` hands out.

A registry memoises what it computes from a document (bundles, normalised forms,
compiled validators, canonical text) under the document's identity, and hands the
same document to every caller. That is only sound if no caller can edit it, so
documents are *frozen*: :class:`FrozenDict` and :class:`FrozenList` are ``dict`` and
``list`` subclasses whose every mutating method raises :class:`TypeError`.

They stay ``dict`` and ``list`` on purpose: every JSON consumer accord feeds
(``json.dumps``, jsonschema-rs, python-jsonschema, fastjsonschema, ``referencing``,
datamodel-code-generator through JSON text) and every ``isinstance(x, dict)`` in the
engine accepts them unchanged, and reading costs nothing extra (``MappingProxyType``
and tuples would fail those checks). ``copy.deepcopy`` of a frozen document returns a
plain, mutable copy (what a caller that wants to edit one needs); ``copy.copy`` a
plain shallow copy whose children stay frozen.

Example:
    >>> doc = freeze({"type": "object", "required": ["id"]})
    >>> doc["type"] = "array"
    Traceback (most recent call last):
    ...
    TypeError: a frozen JSON document cannot be changed (copy.deepcopy() gives an editable copy)
"""

from __future__ import annotations

from typing import Any, NoReturn, SupportsIndex

__all__ = ["FrozenDict", "FrozenList", "freeze", "is_frozen", "thaw"]

_MESSAGE = "a frozen JSON document cannot be changed (copy.deepcopy() gives an editable copy)"


def _refuse() -> NoReturn:
    raise TypeError(_MESSAGE)


class FrozenDict(dict[str, Any]):
    """A JSON object that cannot be changed (build one with :func:`freeze`)."""

    __slots__ = ()

    def __setitem__(self, key: str, value: Any) -> NoReturn:
        _refuse()

    def __delitem__(self, key: str) -> NoReturn:
        _refuse()

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        _refuse()

    def clear(self) -> NoReturn:
        _refuse()

    def pop(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def popitem(self) -> NoReturn:
        _refuse()

    def setdefault(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return thaw(self, memo)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))


class FrozenList(list[Any]):
    """A JSON array that cannot be changed (build one with :func:`freeze`)."""

    __slots__ = ()

    def __setitem__(self, index: Any, value: Any) -> NoReturn:
        _refuse()

    def __delitem__(self, index: Any) -> NoReturn:
        _refuse()

    def __iadd__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        _refuse()

    def __imul__(self, count: SupportsIndex) -> NoReturn:
        _refuse()

    def append(self, value: Any) -> NoReturn:
        _refuse()

    def extend(self, values: Any) -> NoReturn:
        _refuse()

    def insert(self, index: SupportsIndex, value: Any) -> NoReturn:
        _refuse()

    def pop(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def remove(self, value: Any) -> NoReturn:
        _refuse()

    def reverse(self) -> NoReturn:
        _refuse()

    def sort(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    def clear(self) -> NoReturn:
        _refuse()

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return thaw(self, memo)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenList, (list(self),))


def is_frozen(value: Any) -> bool:
    """Whether ``value`` is a frozen container (scalars are immutable anyway)."""
    return isinstance(value, FrozenDict | FrozenList)


def freeze(value: Any) -> Any:
    """``value`` with every ``dict`` and ``list`` replaced by a frozen one.

    Already frozen subtrees are reused as they are (a frozen container only ever
    holds frozen ones), and a container reached twice is frozen once, so sharing is
    kept. Scalars are returned unchanged.
    """
    if not isinstance(value, dict | list) or isinstance(value, FrozenDict | FrozenList):
        return value
    return _freeze(value, {})


# The walks below are module-level functions, not closures: a closure that calls itself
# is a reference cycle (function -> cell -> function), and each call would leave its
# memo behind for the cyclic collector (tests/registry/test_load_gc.py).


def _freeze(node: Any, memo: dict[int, Any]) -> Any:
    kind = type(node)
    if kind is FrozenDict or kind is FrozenList:
        return node
    found = memo.get(id(node))
    if found is not None:
        return found
    if isinstance(node, dict):
        found = FrozenDict(
            {k: v if type(v) in _SCALARS else _freeze(v, memo) for k, v in node.items()}
        )
    elif isinstance(node, list):
        found = FrozenList([v if type(v) in _SCALARS else _freeze(v, memo) for v in node])
    else:
        return node
    memo[id(node)] = found
    return found


def thaw(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A plain, mutable deep copy of a JSON document (frozen or not); sharing is kept."""
    if not isinstance(value, (dict, list)):  # a tuple: a union is built per call
        return value  # a scalar, or JSON text
    return _thaw(value, {} if memo is None else memo)


def _thaw(node: Any, seen: dict[int, Any]) -> Any:
    found = seen.get(id(node))
    if found is not None:
        return found
    if isinstance(node, dict):
        # A C copy first; only values that are not plain scalars are walked (most
        # objects of a schema hold none: their copy is all the work).
        found = seen[id(node)] = dict(node)
        if not _SCALARS.issuperset(map(type, found.values())):
            for k, v in found.items():
                if type(v) not in _SCALARS:
                    found[k] = _thaw(v, seen)
    elif isinstance(node, list):
        if _SCALARS.issuperset(map(type, node)):
            found = seen[id(node)] = list(node)
        else:
            found = seen[id(node)] = [v if type(v) in _SCALARS else _thaw(v, seen) for v in node]
    else:
        return node
    return found


# Values a walk keeps as they are without a call (exact types: the common case, fast);
# anything else goes through the walk, which copies any dict or list, subclasses too.
_SCALARS = frozenset({str, int, float, bool, type(None)})
