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

A frozen class that also writes ``__init__`` (``init=False``) takes
:func:`frozen_dataclass` in place of ``dataclass``: its ``__setattr__`` and
``__delattr__``, compiled from text for every frozen class, are closures here.

Example::

    @dataclass(frozen=True, slots=True, repr=False, eq=False)
    class Pair:
        a: int
        b: int = field(compare=False)

        __repr__ = generated_repr("a", "b")
        __eq__, __hash__ = generated_eq_and_hash("a")
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any

__all__ = [
    "FACTORY",
    "frozen_dataclass",
    "generated_eq_and_hash",
    "generated_methods",
    "generated_repr",
]

# The default ``@dataclass`` gives the ``__init__`` parameter of a field with a
# ``default_factory`` (``<factory>`` in its signature): a written ``__init__`` takes the
# same object, and calls the field's factory when it is passed.
FACTORY: Any = dataclasses._HAS_DEFAULT_FACTORY  # type: ignore[attr-defined]


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


def _frozen_setattr_delattr(
    cls: type[Any], names: frozenset[str]
) -> tuple[Callable[[Any, str, Any], None], Callable[[Any, str], None]]:
    """``__setattr__`` and ``__delattr__`` as ``@dataclass(frozen=True)`` generates them
    for ``cls`` (the class it was handed) and its fields ``names``: a field's name, or
    any name on an instance of ``cls`` itself, raises ``FrozenInstanceError``; any other
    goes to the class after ``cls`` in the instance's MRO. With ``slots=True`` the
    decorator returns a new class, and ``cls`` (as in the generated code) is the one it
    was handed: ``super()`` then refuses an instance of the new class with a
    ``TypeError`` for a name that is no field, as the generated code's does."""

    def __setattr__(self: Any, name: str, value: Any) -> None:  # noqa: N807 - a class's
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:  # noqa: N807 - a class's
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _field_values(self: Any) -> list[Any]:
    """``__getstate__`` of a frozen class with slots, as ``@dataclass`` sets it (pickle
    and copy read it): the fields' values, in order."""
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _set_field_values(self: Any, state: list[Any]) -> None:
    """``__setstate__`` of a frozen class with slots, as ``@dataclass`` sets it."""
    for f, value in zip(dataclasses.fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)


if TYPE_CHECKING:
    # The type checker reads it as dataclasses' own decorator, flags and all: frozen
    # fields, the written __init__, dataclasses.replace and fields are checked as before.
    from dataclasses import dataclass as frozen_dataclass
else:

    def frozen_dataclass(
        *, frozen: bool, init: bool, eq: bool, **flags: Any
    ) -> Callable[[type], type]:
        """``@dataclass(frozen=True, init=False, eq=False, **flags)`` whose
        ``__setattr__``/``__delattr__`` (and, with slots, ``__getstate__``/
        ``__setstate__``) are built above instead of compiled from text. The decorator
        runs with ``frozen=False`` and then gives the class what ``frozen=True`` would:
        the four methods and ``__dataclass_params__.frozen``. ``frozen=True`` changes
        nothing else when ``init`` and ``eq`` are off (the ``__init__`` it would write
        and the ``__hash__`` it would add are the only other places it is read), hence
        the three flags are required."""
        if not frozen or init or eq:
            raise TypeError("frozen_dataclass takes frozen=True, init=False and eq=False")

        def wrap(cls: type) -> type:
            own = dict(vars(cls))  # before the decorator (with slots, a new class)
            for name in ("__setattr__", "__delattr__"):
                if name in own:  # the decorator's own refusal, when frozen
                    raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            made = dataclasses.dataclass(init=False, eq=False, **flags)(cls)
            names = frozenset(f.name for f in dataclasses.fields(made))
            for method in _frozen_setattr_delattr(cls, names):
                method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
                setattr(made, method.__name__, method)
            if flags.get("slots"):  # pickling needs these; a class's own are kept
                made.__getstate__ = own.get("__getstate__", _field_values)
                made.__setstate__ = own.get("__setstate__", _set_field_values)
            made.__dataclass_params__.frozen = True
            return made

        return wrap
