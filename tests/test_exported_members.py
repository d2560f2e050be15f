"""The public surface: ``__all__`` complete, sorted, and every name importable."""

from __future__ import annotations

import accord


def test_all_is_sorted_and_unique() -> None:
    assert list(accord.__all__) == sorted(set(accord.__all__))


def test_every_exported_name_resolves() -> None:
    for name in accord.__all__:
        assert getattr(accord, name) is not None, name


def test_no_public_name_is_missing_from_all() -> None:
    import types

    public = {
        name
        for name in dir(accord)
        # submodules become attributes once imported anywhere; they are not re-exports
        if not name.startswith("_") and not isinstance(getattr(accord, name), types.ModuleType)
    }
    assert public <= set(accord.__all__)


def test_all_matches_the_lazy_table() -> None:
    assert set(accord.__all__) == set(accord._LAZY) | {"__version__"}


def test_no_future_annotations_attribute() -> None:
    # ``from __future__ import annotations`` in accord/__init__.py would leave it behind.
    assert not hasattr(accord, "annotations")
    assert "annotations" not in dir(accord)


def test_every_error_class_is_exported() -> None:
    import accord.errors

    errors = {
        name
        for name, value in vars(accord.errors).items()
        if isinstance(value, type) and issubclass(value, accord.errors.AccordError)
    }
    assert errors <= set(accord.__all__)
    for name in errors:
        assert getattr(accord, name) is getattr(accord.errors, name)


def _public_functions() -> list[tuple[str, object]]:
    """The exported functions, and the public methods of the exported classes."""
    import inspect

    found = []
    for name in accord.__all__:
        value = getattr(accord, name)
        if inspect.isfunction(value):
            found.append((name, value))
        elif isinstance(value, type) and not issubclass(value, BaseException):
            for attr, raw in vars(value).items():
                member = getattr(raw, "__func__", raw)  # classmethod, staticmethod
                member = getattr(member, "fget", member)  # property
                if not attr.startswith("_") and inspect.isfunction(member):
                    found.append((f"{name}.{attr}", member))
    return found


def _accord_classes(annotation: object) -> set[type]:
    import typing

    found: set[type] = set()
    if isinstance(annotation, type) and annotation.__module__.startswith("accord"):
        found.add(annotation)
    for arg in typing.get_args(annotation):
        found |= _accord_classes(arg)
    return found


def test_return_types_of_public_functions_are_exported() -> None:
    import typing

    exported = {getattr(accord, name) for name in accord.__all__}
    names = {name: getattr(accord, name) for name in accord.__all__}
    checked = 0
    for name, function in _public_functions():
        # Only the return annotation: parameters may name TYPE_CHECKING-only types.
        returned = function.__annotations__.get("return")
        if isinstance(returned, str):
            returned = eval(returned, {**vars(typing), **function.__globals__, **names})
        for cls in _accord_classes(returned):
            checked += 1
            assert cls in exported, f"accord.{name} returns {cls.__qualname__}, not exported"
    assert checked >= 5  # validator, diff, check_version, require, check_service at least


def test_errors_documented_as_raised_are_exported() -> None:
    import builtins
    import inspect
    import re

    checked = 0
    for name, function in _public_functions():
        doc = inspect.getdoc(function) or ""
        section = re.search(r"^Raises:\n((?:    .*\n?)+)", doc, re.MULTILINE)
        if section is None:
            continue
        for raised in re.findall(r"^    (\w+)(?:\s*\(|:)", section.group(1), re.MULTILINE):
            checked += 1
            assert raised in accord.__all__ or hasattr(builtins, raised), (name, raised)
    assert checked >= 5


def test_no_example_imports_a_private_module() -> None:
    import ast
    from pathlib import Path

    examples = Path(__file__).resolve().parents[1] / "examples"
    files = sorted(examples.rglob("*.py"))
    assert files
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                modules += [f"{node.module}.{alias.name}" for alias in node.names]
            for module in modules:
                if module.split(".")[0] == "accord" and any(
                    part.startswith("_") for part in module.split(".")
                ):
                    offenders.append(f"{path.relative_to(examples)}:{node.lineno}: {module}")  # noqa: PERF401
    assert offenders == []
