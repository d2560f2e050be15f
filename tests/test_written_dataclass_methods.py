"""The dataclass methods accord builds without ``@dataclass`` are the ones it generates.

``@dataclass`` writes ``__init__``, ``__repr__``, ``__eq__`` and ``__hash__`` as source
text and compiles it at every import, which a service pays for every class on its boot
path. The classes below take ``__repr__``, ``__eq__`` and ``__hash__`` from
:mod:`accord._dataclass_methods` and some spell ``__init__`` out; the decorator keeps
``frozen``, ``slots``, the fields and ``__match_args__``. Those that write ``__init__``
take ``frozen_dataclass``, whose frozen ``__setattr__``/``__delattr__`` (and, with
slots, ``__getstate__``/``__setstate__``) are not compiled from text either.

Each class is compared here with its generated twin: the same class body and fields under
the decorator flags it had before (``TWINS``), so that ``@dataclass`` generates the
methods. A field added to a class and not to its methods fails these tests.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from accord._dataclass_methods import frozen_dataclass
from accord.errors import Problem, ValidationIssue
from accord.registry.config import (
    ContractMeta,
    RegistrySettings,
    RuleOverride,
    ToolConfig,
)
from accord.registry.model import Contract, ContractVersion, Registry, _Normal, _Scan
from accord.registry.names import ContractRef
from accord.validation.budget import SchemaLimits
from accord.versions import Comparator, Version, VersionRange

# class -> (the @dataclass flags it had before, the methods it now writes, constructor
# arguments of a few instances)
TWINS: dict[type, tuple[dict[str, Any], set[str], list[dict[str, Any]]]] = {
    Problem: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"code": "a-b", "message": "m"},
            {"code": "a-b", "message": "m", "file": "f.json", "pointer": "/x", "line": 3},
            {"code": "c", "message": "n", "column": 2, "severity": "warning"},
        ],
    ),
    ValidationIssue: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"instance_path": "/a", "schema_path": "/type", "keyword": "type", "message": "m"},
            {"instance_path": "", "schema_path": "", "keyword": "required", "message": "n"},
        ],
    ),
    RuleOverride: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"rule": "a-b", "severity": "off", "reason": "why"},
            {"rule": "c", "severity": "error", "reason": ""},
        ],
    ),
    RegistrySettings: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {},
            {"mode": "backward", "max_depth": 9, "file": "accord.toml"},
            {"limits": SchemaLimits(3, 4), "require_deprecation_before_removal": False},
        ],
    ),
    ContractMeta: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"owner": "team", "kind": "event"},
            {
                "owner": "team",
                "kind": "record",
                "mode": "forward",
                "status": "draft",
                "provider": "p",
                "description": "d",
                "tags": ("x", "y"),
                "yanked": MappingProxyType({Version(1, 0, 0): "bad"}),
            },
        ],
    ),
    ContractVersion: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {
                "contract_id": "a.b",
                "version": Version(1, 0, 0),
                "path": Path("/r/a/b/1.0.0.json"),
                "file": "a/b/1.0.0.json",
                "raw": b"{}",
                "document": None,
            },
            {
                "contract_id": "a.b",
                "version": Version(1, 1, 0),
                "path": Path("/r/a/b/1.1.0.json"),
                "file": "a/b/1.1.0.json",
                "raw": b"[]",
                "document": None,
                "yanked": "why",
                "draft": True,
            },
        ],
    ),
    Contract: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {
                "id": "a.b",
                "namespace": "a",
                "name": "b",
                "meta": ContractMeta("team", "event"),
                "versions": (),
                "directory": Path("/r/a/b"),
            },
        ],
    ),
    Registry: (
        {"frozen": True, "eq": False},
        {"__init__", "__repr__"},
        [{"root": Path("/r")}, {"root": Path("/s"), "problems": (Problem("a", "m"),)}],
    ),
    _Scan: (
        {},
        {"__init__", "__repr__", "__eq__"},
        [{}, {"contracts": [("a", "b", Path("/r/a/b"))], "unexpected": [("f", "what")]}],
    ),
    _Normal: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"document": 1, "new_to_old": {}, "old_to_new": {}},
            {
                "document": None,
                "new_to_old": MappingProxyType({"/a": "/b"}),
                "old_to_new": MappingProxyType({}),
            },
        ],
    ),
    ToolConfig: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [{}, {"format": "json", "ignore": ("a",), "fail_on": "warning"}],
    ),
    ContractRef: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [
            {"namespace": "orders", "name": "placed"},
            {"namespace": "orders", "name": "placed", "range": VersionRange("^1.2.0")},
            {"namespace": "a", "name": "b", "text": "a.b"},
        ],
    ),
    SchemaLimits: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [{}, {"max_items": 5}, {"max_items": 5, "max_nodes": 7}],
    ),
    Version: (
        {"frozen": True, "slots": True},
        {"__init__", "__eq__"},  # its own __repr__ and __hash__
        [
            {"major": 1, "minor": 2, "patch": 3},
            {"major": 1, "minor": 2, "patch": 3, "prerelease": ("rc", "1")},
            {"major": 0, "minor": 0, "patch": 0, "prerelease": ("alpha",)},
        ],
    ),
    Comparator: (
        {"frozen": True, "slots": True},
        {"__init__", "__repr__", "__eq__", "__hash__"},
        [{"op": ">=", "version": Version(1, 0, 0)}, {"op": "<", "version": Version(2, 0, 0)}],
    ),
    VersionRange: (
        {"frozen": True, "slots": True, "init": False},
        {"__eq__", "__hash__"},
        [{"text": "^1.2.0"}, {"text": ">=1.0.0,<2.0.0-0"}, {"text": "1.2.3"}],
    ),
}

# What @dataclass itself puts in a class's namespace (or Python does for a class)
_MADE = {
    "__dict__",
    "__weakref__",
    "__slots__",
    "__dataclass_fields__",
    "__dataclass_params__",
    "__match_args__",
    "__setattr__",
    "__delattr__",
    "__getstate__",
    "__setstate__",
    "__annotations__",
    "__module__",
    "__qualname__",
    "__doc__",
}


def _twin(cls: type) -> type:
    """``cls`` as ``@dataclass`` makes it under the flags it had before its methods were
    written out: the same namespace without the written methods, the same fields."""
    flags, written, _ = TWINS[cls]
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = {f.name for f in fields}
    namespace: dict[str, Any] = {
        key: value
        for key, value in vars(cls).items()
        if key not in _MADE and key not in written and key not in names
    }
    if namespace.get("__hash__", False) is None:
        del namespace["__hash__"]  # what Python sets beside a written __eq__
    for f in fields:
        namespace[f.name] = dataclasses.field(
            default=f.default,
            default_factory=f.default_factory,
            init=f.init,
            repr=f.repr,
            hash=f.hash,
            compare=f.compare,
            metadata=f.metadata,
            kw_only=f.kw_only,
        )
    namespace["__annotations__"] = {f.name: f.type for f in fields}
    namespace |= {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    namespace["__doc__"] = cls.__doc__
    twin = dataclasses.dataclass(**flags)(type(cls.__name__, cls.__bases__, namespace))
    for name in names:
        own = vars(cls).get(name)
        if hasattr(own, "slot"):  # a field read through a descriptor over its slot
            setattr(twin, name, type(own)(vars(twin)[name]))
    return twin  # type: ignore[no-any-return]


class _Marker:
    """A field value no constructor would make, with a repr of its own."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


def _pairs(cls: type) -> list[tuple[Any, Any]]:
    twin = _twin(cls)
    return [(cls(**kwargs), twin(**kwargs)) for kwargs in TWINS[cls][2]]


def _set(obj: Any, name: str, value: Any) -> Any:
    changed = copy.copy(obj)
    object.__setattr__(changed, name, value)
    return changed


def _outcome(call: Callable[..., Any], *args: Any) -> Any:
    """What ``call(*args)`` returns, or the type of what it raises (both sides must
    agree)."""
    try:
        return call(*args)
    except Exception as exc:  # noqa: BLE001 - compared, never swallowed
        return type(exc)


def _specs(cls: type) -> list[tuple[Any, ...]]:
    specs = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        specs.append((f.name, f.type, f.default, f.default_factory, f.init, f.repr))
        specs.append((f.hash, f.compare, f.kw_only, dict(f.metadata)))
    return specs


def _state(obj: Any) -> list[Any]:
    missing = _Marker("unset")
    return [getattr(obj, f.name, missing) for f in dataclasses.fields(obj)]


CLASSES = sorted(TWINS, key=lambda cls: cls.__qualname__)
IDS = [cls.__qualname__ for cls in CLASSES]


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_the_class_is_the_dataclass_it_was(cls: type) -> None:
    twin = _twin(cls)
    flags, written, _ = TWINS[cls]
    assert dataclasses.is_dataclass(cls)
    assert _specs(cls) == _specs(twin)
    assert cls.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]
    assert getattr(cls, "__slots__", None) == getattr(twin, "__slots__", None)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen == flags.get("frozen", False)
    for method in ("__setattr__", "__delattr__", "__getstate__", "__setstate__"):
        assert (method in vars(cls)) == (method in vars(twin)), method
    assert (cls.__hash__ is None) == (twin.__hash__ is None)  # type: ignore[comparison-overlap]
    for method in written:
        assert method in vars(cls), f"{method} is not written out"


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_init_takes_and_sets_what_the_generated_one_does(cls: type) -> None:
    twin = _twin(cls)
    ours, theirs = inspect.signature(cls), inspect.signature(twin)
    assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
        (p.name, p.kind, p.default) for p in theirs.parameters.values()
    ]
    assert [str(p.annotation) for p in ours.parameters.values()] == [
        str(p.annotation) for p in theirs.parameters.values()
    ]
    for ours_obj, theirs_obj in _pairs(cls):
        assert _state(ours_obj) == _state(theirs_obj)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_repr_eq_and_hash_read_the_fields_the_generated_ones_do(cls: type) -> None:
    pairs = _pairs(cls)
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        assert (ours == copy.copy(ours)) == (theirs == copy.copy(theirs))
        assert ours.__eq__(object()) is NotImplemented
        assert theirs.__eq__(object()) is NotImplemented
        if type(ours).__hash__ not in (None, object.__hash__):  # a hash of the fields
            assert _outcome(hash, ours) == _outcome(hash, theirs)
        for f in dataclasses.fields(ours):
            marker = _Marker(f.name)
            ours_changed = _outcome(_set, ours, f.name, marker)
            theirs_changed = _outcome(_set, theirs, f.name, marker)
            if isinstance(ours_changed, type):  # a field's descriptor refused the marker
                assert ours_changed is theirs_changed, f.name
                continue
            assert _outcome(repr, ours_changed) == _outcome(repr, theirs_changed), f.name
            assert (ours_changed == ours) == (theirs_changed == theirs), f.name
            if type(ours).__hash__ is not None:
                # A hash that reads the field changes with it.
                same = _outcome(hash, ours_changed) == _outcome(hash, ours)
                assert same == (_outcome(hash, theirs_changed) == _outcome(hash, theirs)), f.name
            # Put the field back: Registry.__del__ reads _memo.
            object.__setattr__(ours_changed, f.name, getattr(ours, f.name))
            object.__setattr__(theirs_changed, f.name, getattr(theirs, f.name))
    for (a, a_twin), (b, b_twin) in zip(pairs, pairs[1:] + pairs[:1], strict=True):
        assert (a == b) == (a_twin == b_twin)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_repr_of_an_instance_inside_itself_is_guarded_alike(cls: type) -> None:
    ours, theirs = _pairs(cls)[0]
    shown = next(f.name for f in dataclasses.fields(ours) if f.repr)
    loops: list[Callable[[], str]] = []
    for obj in (ours, theirs):
        holder: list[Any] = []
        looped = _set(obj, shown, holder)
        holder.append(looped)
        loops.append(lambda looped=looped: repr(looped))
    assert loops[0]() == loops[1]()


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_eq_refuses_a_subclass_alike(cls: type) -> None:
    # The generated __eq__ compares only instances of the very same class.
    ours, theirs = _pairs(cls)[0]
    sub = type("Sub", (cls,), {"__slots__": ()} if "__slots__" in vars(cls) else {})
    twin_sub = type("Sub", (type(theirs),), {"__slots__": ()} if "__slots__" in vars(cls) else {})
    kwargs = TWINS[cls][2][0]
    assert ours.__eq__(sub(**kwargs)) is NotImplemented
    assert theirs.__eq__(twin_sub(**kwargs)) is NotImplemented


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_replace_and_asdict_work_alike(cls: type) -> None:
    ours, theirs = _pairs(cls)[-1]
    assert _outcome(dataclasses.asdict, ours) == _outcome(dataclasses.asdict, theirs)
    replaced = _outcome(dataclasses.replace, ours), _outcome(dataclasses.replace, theirs)
    assert [r if isinstance(r, type) else _state(r) for r in replaced] == [
        r if isinstance(r, type) else _state(r) for r in reversed(replaced)
    ]
    if TWINS[cls][0].get("frozen"):
        name = dataclasses.fields(ours)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ours, name, None)


# The frozen classes that write __init__ (or have none): frozen_dataclass's.
FROZEN = [
    cls
    for cls in CLASSES
    if TWINS[cls][0].get("frozen") and not cls.__dataclass_params__.init  # type: ignore[attr-defined]
]
FROZEN_IDS = [cls.__qualname__ for cls in FROZEN]


def _raised(call: Callable[..., Any], *args: Any) -> tuple[type, str] | None:
    try:
        call(*args)
    except Exception as exc:  # noqa: BLE001 - compared, never swallowed
        return type(exc), str(exc)
    return None


@pytest.mark.parametrize("cls", FROZEN, ids=FROZEN_IDS)
def test_frozen_instances_refuse_changes_alike(cls: type) -> None:
    # A field's name is FrozenInstanceError; another name goes to super(), which (the
    # generated methods close over the class from before slots) refuses alike.
    ours, theirs = _pairs(cls)[0]
    for name in [f.name for f in dataclasses.fields(ours)] + ["not_a_field", "__class__"]:
        for change in (
            lambda o, name=name: setattr(o, name, 1),
            lambda o, name=name: delattr(o, name),
        ):
            outcome = _raised(change, ours)
            assert outcome is not None, name
            assert outcome == _raised(change, theirs), name
    for method in ("__setattr__", "__delattr__"):
        ours_method, theirs_method = vars(cls)[method], vars(type(theirs))[method]
        assert ours_method.__qualname__ == theirs_method.__qualname__
        assert ours_method.__code__.co_filename != "<string>"  # not compiled from text


@pytest.mark.parametrize("cls", FROZEN, ids=FROZEN_IDS)
def test_frozen_instances_pickle_and_copy_alike(cls: type) -> None:
    for ours, theirs in _pairs(cls):
        if "__slots__" in vars(cls):
            assert ours.__getstate__() == theirs.__getstate__()
        # What pickle writes: the same constructor call and state.
        ours_reduced, theirs_reduced = ours.__reduce_ex__(2), theirs.__reduce_ex__(2)
        assert ours_reduced[0] is theirs_reduced[0]
        assert ours_reduced[2:] == theirs_reduced[2:]
        for clone in (copy.copy, copy.deepcopy):
            ours_clone, theirs_clone = _outcome(clone, ours), _outcome(clone, theirs)
            assert [
                c if isinstance(c, type) else _state(c) for c in (ours_clone, theirs_clone)
            ] == [c if isinstance(c, type) else _state(c) for c in (theirs_clone, ours_clone)]


@pytest.mark.parametrize("cls", FROZEN, ids=FROZEN_IDS)
@pytest.mark.parametrize("frozen", [True, False])
def test_subclasses_are_made_alike(cls: type, *, frozen: bool) -> None:
    # @dataclass reads the base's frozen flag: a frozen subclass is allowed, another is
    # refused, and a subclass's instances refuse changes alike.
    twin = _twin(cls)
    made = []
    for base in (cls, twin):
        sub = type("Sub", (base,), {"__module__": __name__, "__annotations__": {}})
        made.append(_outcome(dataclasses.dataclass(frozen=frozen, init=False, eq=False), sub))
    if frozen:
        ours, theirs = (sub(**TWINS[cls][2][0]) for sub in made)
        for name in [*TWINS[cls][2][0], "extra"]:
            assert _raised(setattr, ours, name, 1) == _raised(setattr, theirs, name, 1)
    else:
        assert made[0] is made[1] is TypeError


@pytest.mark.parametrize(
    "flags",
    [
        {"frozen": False, "init": False, "eq": False},
        {"frozen": True, "init": True, "eq": False},
        {"frozen": True, "init": False, "eq": True},
    ],
)
def test_frozen_dataclass_takes_only_the_flags_it_is_sound_for(flags: dict[str, Any]) -> None:
    # It runs the decorator with frozen=False: sound only when no generated __init__
    # (it would assign through __setattr__) or __hash__ (frozen decides it) reads it.
    with pytest.raises(TypeError):
        frozen_dataclass(**flags)


def test_frozen_dataclass_refuses_a_written_setattr_as_dataclass_does() -> None:
    class Own:
        a: int

        def __setattr__(self, name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

    with pytest.raises(TypeError, match="Cannot overwrite attribute __setattr__"):
        frozen_dataclass(frozen=True, init=False, eq=False)(Own)
    with pytest.raises(TypeError, match="Cannot overwrite attribute __setattr__"):
        dataclasses.dataclass(frozen=True)(Own)


def _pair_of_shape(*, slots: bool, fields: bool) -> tuple[type, type]:
    """One class body under frozen_dataclass and under @dataclass(frozen=True)."""
    made = []
    for decorate in (
        frozen_dataclass(frozen=True, init=False, eq=False, slots=slots),
        dataclasses.dataclass(frozen=True, init=False, eq=False, slots=slots),
    ):

        class Shape:
            if fields:
                a: int
                b: str = "b"

        made.append(decorate(Shape))
    return made[0], made[1]


@pytest.mark.parametrize("slots", [True, False])
@pytest.mark.parametrize("fields", [True, False])
def test_frozen_dataclass_matches_dataclass_on_every_shape(*, slots: bool, fields: bool) -> None:
    # Beyond the boot classes (all slotted, all with fields): an instance of the class
    # itself refuses every name, a plain subclass's instance only the fields' names.
    ours, theirs = _pair_of_shape(slots=slots, fields=fields)
    for make in (lambda cls: cls(), lambda cls: type("Sub", (cls,), {})()):
        ours_obj, theirs_obj = make(ours), make(theirs)
        for name in ("a", "b", "other"):
            assert _raised(setattr, ours_obj, name, 1) == _raised(setattr, theirs_obj, name, 1)
            assert _raised(delattr, ours_obj, name) == _raised(delattr, theirs_obj, name)
    assert ("__getstate__" in vars(ours)) == ("__getstate__" in vars(theirs))
