"""Every public function taking a registry refuses a wrong one with a UsageError naming
the argument, the type it got and what to pass, before it reads anything else.

``accord.provider.can_i_deploy("contracts", ...)`` raised ``AttributeError: 'str' object
has no attribute 'root'`` (and with a ``Path`` read ``Path.root``, ``""``, as the
registry root); ``select_cases``, ``verify_provider``, ``check_version``, ``diff``,
``generate_package``, ``build_site`` and ``render_site`` likewise. The functions are found
by introspection, so a new public function with a ``registry`` parameter is held to the
same rule (``accord.registry.model.registry_argument`` and its two siblings).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.errors import AccordError, UsageError
from accord.registry.model import Registry
from accord.registry.runtime import clear_caches

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"

# Public parameters named ``registry`` that are not a registry to load or use.
NOT_A_REGISTRY = {
    # A report's field: where the registry came from (a RegistrySource), not an input.
    "accord.ServiceReport",
    "accord.service.ServiceReport",
}

# A registry argument's accepted forms, from its annotation, and values outside them.
WRONG: dict[str, list[Any]] = {
    # ``Registry``: only a loaded registry.
    "loaded": ["contracts", CONTRACTS, 1, {}, None],
    # ``Registry | None``: a loaded registry or nothing (discovery).
    "optional": ["contracts", CONTRACTS, 1, {}],
    # ``Registry | str | os.PathLike[str] | None``: anything discovery reads.
    "discovered": [1, b"contracts", ["contracts"], {}, object()],
}


def _public_modules() -> Iterator[Any]:
    yield accord
    for info in pkgutil.iter_modules(accord.__path__, "accord."):
        if not info.name.rpartition(".")[2].startswith("_"):
            yield importlib.import_module(info.name)


def _kind(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    assert re.search(r"\bRegistry\b", text), f"a registry parameter annotated {text}"
    if re.search(r"\bstr\b|PathLike", text):
        return "discovered"
    return "optional" if "None" in text else "loaded"


def _registry_callables() -> dict[str, tuple[Callable[..., Any], str]]:
    """Every public function and constructor with a ``registry`` parameter, by name."""
    found: dict[str, tuple[Callable[..., Any], str]] = {}
    methods: list[str] = []
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            where = f"{module.__name__}.{name}"
            if not callable(obj) or where in NOT_A_REGISTRY:
                continue
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not callable(member):
                        continue
                    if "registry" in inspect.signature(member).parameters:
                        methods.append(f"{where}.{attr}")
            try:
                parameters = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                continue
            if "registry" in parameters:
                found[where] = (obj, _kind(parameters["registry"].annotation))
    # A method needs an instance the table cannot make: list it explicitly below.
    assert methods == [], f"public methods taking a registry: {methods}"
    return found


CALLABLES = _registry_callables()
CASES = [
    pytest.param(fn, value, id=f"{name}-{type(value).__name__}")
    for name, (fn, kind) in sorted(CALLABLES.items())
    for value in WRONG[kind]
]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def test_the_table_finds_the_functions_it_is_about() -> None:
    names = set(CALLABLES)
    assert {
        "accord.validator",
        "accord.check_version",
        "accord.diff",
        "accord.require",
        "accord.stamp",
        "accord.provider.can_i_deploy",
        "accord.provider.select_cases",
        "accord.provider.verify_provider",
        "accord.provider.verify_case",
        "accord.codegen.generate_package",
        "accord.site.build_site",
        "accord.site.render_site",
        "accord.testing.ProviderCase",
        "accord.testing.provider_cases",
        "accord.fastapi.ContractMiddleware",
        "accord.fastapi.body",
    } <= names


def _required_arguments(fn: Callable[..., Any]) -> dict[str, Any]:
    """A placeholder for every required argument but ``registry``: the registry is
    checked before any of them is read."""
    return {
        name: object()
        for name, p in inspect.signature(fn).parameters.items()
        if name != "registry"
        and p.default is inspect.Parameter.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


@pytest.mark.parametrize(("fn", "value"), CASES)
def test_a_wrong_registry_argument_is_a_usage_error(fn: Callable[..., Any], value: Any) -> None:
    with pytest.raises(UsageError) as info:
        fn(**_required_arguments(fn), registry=value)
    error = info.value
    assert isinstance(error, AccordError)
    assert error.code == "registry-argument"
    assert "registry=" in error.message
    assert f"not {type(value).__name__}" in error.message
    assert "Registry.load(path)" in error.message


@pytest.mark.parametrize(
    "call",
    [
        lambda: accord.provider.can_i_deploy("contracts", "billing", "1.0.0", "production"),
        lambda: accord.provider.can_i_deploy(CONTRACTS, "billing", "1.0.0", "production"),
        lambda: accord.provider.select_cases(str(CONTRACTS), "users-service"),
        lambda: accord.provider.verify_provider(CONTRACTS, "users-service"),
        lambda: accord.check_version(str(CONTRACTS), "users.user", "1.0.0"),
        lambda: accord.diff(old_ref="users.user@1.0.0", new_ref="users.user@1.1.0", registry="x"),
        lambda: accord.validator("users.user@^1", registry=1),
        lambda: accord.codegen.generate_package(CONTRACTS, Path("out")),
        lambda: accord.site.render_site(str(CONTRACTS)),
        lambda: Registry.discover(1),  # type: ignore[arg-type]
    ],
    ids=[
        "can_i_deploy-str",
        "can_i_deploy-path",
        "select_cases-str",
        "verify_provider-path",
        "check_version-str",
        "diff-str",
        "validator-int",
        "generate_package-path",
        "render_site-str",
        "discover-int",
    ],
)
def test_explicit_calls_as_a_user_writes_them(call: Callable[[], Any]) -> None:
    with pytest.raises(UsageError) as info:
        call()
    assert info.value.code == "registry-argument"


def test_the_accepted_forms_still_work() -> None:
    registry = Registry.load(CONTRACTS)
    assert accord.validator("users.user@^1", registry=CONTRACTS).is_valid({}) is False
    assert accord.validator("users.user@^1", registry=str(CONTRACTS)).is_valid({}) is False
    assert accord.validator("users.user@^1", registry=registry).is_valid({}) is False
    assert accord.check_version(registry, "users.user", "1.0.0").compatible
    assert accord.diff({"type": "integer"}, {"type": "integer"}, registry=None).compatible
    assert accord.provider.select_cases(registry, "users-service")[0]
