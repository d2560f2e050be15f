"""JSON values as JSON Schema reads them: the type of a value, the number it denotes and
one equality key. Every module that asks these questions asks them here.

One number reading everywhere: an ``int`` is itself; a ``float`` denotes the decimal its
shortest text (``repr``) writes, as :mod:`accord.core.jsondoc` reads JSON numbers (``0.1``
is 1/10, ``1e23`` is 10**23, never the binary neighbour); a ``Decimal`` (jsondoc keeps
``1e400`` and other numbers no float holds as one) is its exact value. ``bool`` is never a
number.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fractions import Fraction

__all__ = ["equality_key", "json_equal", "json_type", "number"]


def json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value, the seven disjoint parts of 2020-12's ``type``.

    ``integer`` for every integral number (``1.0`` and ``1e400`` too), ``number`` for the
    others; ``null``, ``boolean``, ``string``, ``array``, ``object``.

    Raises:
        TypeError: for a value that is not JSON.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "integer" if _integral(value) else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def _integral(value: float | Decimal) -> bool:
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer()
    return value.is_finite() and value == value.to_integral_value()


def number(value: int | float | Decimal) -> Fraction:
    """The exact number a JSON number denotes (``number(0.1) == Fraction(1, 10)``).

    Raises:
        ValueError: for a non-finite float or Decimal (not JSON).
    """
    # Imported here: a service's boot (validators) never asks for exact numbers, the
    # diff engine does (and has it loaded by then: the import is a dict lookup).
    from fractions import Fraction

    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


# Values whose own equality and hash already are JSON equality: they key themselves.
_SELF_KEYED = frozenset({str, int, type(None)})


def equality_key(value: Any) -> Hashable:
    """A hashable key, equal for two values exactly when JSON Schema calls them equal.

    Numbers compare by the number they denote (``1 == 1.0``, ``-0.0 == 0``, ``1e23 ==
    10**23``, ``Decimal("1e400") == 10**400``), ``true`` is not ``1``, objects compare by
    their key sets and values (key order aside), arrays item by item in order.
    """
    kind = type(value)
    if kind in _SELF_KEYED:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return ("boolean", value)
    if kind is float:
        # Decimal(repr) is the number the float denotes; Python's numeric tower makes it
        # equal (and hash equal) to the int or Decimal with the same value.
        return Decimal(repr(value))
    if isinstance(value, dict):
        if {*map(type, value.values())} <= _SELF_KEYED:  # the common case, in C
            return ("object", frozenset(value.items()))
        return ("object", frozenset([(k, equality_key(v)) for k, v in value.items()]))
    if isinstance(value, list | tuple):
        if {*map(type, value)} <= _SELF_KEYED:
            return ("array", tuple(value))
        return ("array", tuple([equality_key(v) for v in value]))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return ("boolean", bool(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return Decimal(repr(float(value)))
    return ("?", repr(value))


def json_equal(a: Any, b: Any) -> bool:
    """JSON Schema equality of two JSON values (see :func:`equality_key`)."""
    return equality_key(a) == equality_key(b)
