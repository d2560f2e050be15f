"""The ``__repr__``, ``__eq__`` and ``__hash__`` that ``@dataclass`` generates, built from
field names without compiling source text.

``@dataclass`` writes each method it adds as source text and ``exec``-compiles it at
every import, about 0.1-0.2 ms a method: a service pays that for every class on its boot
path before it loads anything. A class on that path takes these methods from here and
passes ``repr=False`` / ``eq=False`` to the decorator (its ``__init__``, when written out
too, is plain code in the class). Everything else stays the decorator's: fields,
``frozen``, ``slots``, ``__match_args__``, and what ``dataclasses.fields``, ``replace``
and ``asdict`` read. tests/test_written_dataclass_methods.py compares each such class
with the class ``@dataclass`` makes from the same body and fields.

Example::

    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Pair:
        a: int
        b: int = field(compare=False)

        __repr__ = generated_repr("a", "b")
        __eq__, __hash__ = generated_eq_and_hash("a")
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any


def generated_repr(*names: str) -> Callable[[Any], str]:
    """``__repr__`` as ``@dataclass`` generates it for the fields ``names`` (those with
    ``repr=True``, in field order): ``Name(a=1, b='x')`` with the class's qualified name,
    and ``...`` for an instance met again while its own repr is being built."""

    def __repr__(self: Any) -> str:  # noqa: N807 - it becomes a class's __repr__
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    # reprlib's guard is dataclasses' own: keyed by (id, thread), answering "...".
    return recursive_repr()(__repr__)


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple ``(obj.a, obj.b, ...)`` of ``names``, always a tuple: equality of tuples
    holds for an element that is the same object even where ``==`` would not (a NaN)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def generated_eq_and_hash(
    *names: str,
) -> tuple[Callable[[Any, Any], bool], Callable[[Any], int]]:
    """``__eq__`` and ``__hash__`` as ``@dataclass(eq=True, frozen=True)`` generates them
    for the fields ``names`` (those with ``compare=True`` and no ``hash=False``, in field
    order): equal when ``other`` is of the very same class and the field tuples are
    equal, ``NotImplemented`` for any other class; the hash of the field tuple."""
    values = _values(names)

    def __eq__(self: Any, other: Any) -> bool:  # noqa: N807 - a class's __eq__
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:  # noqa: N807 - a class's __hash__
        return hash(values(self))

    return __eq__, __hash__


def generated_methods(
    *names: str,
) -> tuple[Callable[[Any], str], Callable[[Any, Any], bool], Callable[[Any], int]]:
    """``__repr__``, ``__eq__`` and ``__hash__`` over the same fields ``names``: a class
    whose every field is in its repr and its comparisons (the common case)."""
    return (generated_repr(*names), *generated_eq_and_hash(*names))
