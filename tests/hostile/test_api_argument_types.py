"""The runtime API refuses a wrongly typed argument with an AccordError, never an
AttributeError or TypeError from deep inside (a service passes what its config holds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import accord
from accord.errors import ConfigError, InvalidReference, UsageError
from accord.registry.model import Registry
from accord.registry.runtime import clear_caches

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
NOT_A_REF = [None, 1, {}, [], b"users.user", Path("users.user")]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


@pytest.mark.parametrize("ref", NOT_A_REF, ids=repr)
@pytest.mark.parametrize("method", ["get", "bundle"])
def test_registry_lookups_refuse_a_reference_that_is_not_text(ref: Any, method: str) -> None:
    registry = Registry.load(CONTRACTS)
    with pytest.raises(InvalidReference):
        getattr(registry, method)(ref)


@pytest.mark.parametrize("ref", NOT_A_REF, ids=repr)
def test_validator_refuses_a_reference_that_is_not_text(ref: Any) -> None:
    with pytest.raises(InvalidReference):
        accord.validator(ref, registry=CONTRACTS)


@pytest.mark.parametrize("backend", [[], {}, None, 1], ids=repr)
def test_validator_refuses_a_backend_that_is_not_a_name(backend: Any) -> None:
    with pytest.raises(UsageError) as info:
        accord.validator("users.user@^1", registry=CONTRACTS, backend=backend)
    assert info.value.code == "backend-unknown"


@pytest.mark.parametrize("registry", [1, b"contracts", ["contracts"], {}], ids=repr)
def test_validator_refuses_a_registry_argument_of_another_type(registry: Any) -> None:
    with pytest.raises(UsageError):
        accord.validator("users.user@^1", registry=registry)


@pytest.mark.parametrize("root", [None, 1, b"contracts"], ids=repr)
def test_registry_load_refuses_a_root_of_another_type(root: Any) -> None:
    with pytest.raises(UsageError):
        Registry.load(root)


def test_a_registry_path_with_a_nul_is_a_config_error() -> None:
    with pytest.raises(accord.AccordError):
        accord.validator("users.user@^1", registry=f"{CONTRACTS}\x00")


@pytest.mark.parametrize("pyproject", [1, b"pyproject.toml", {}], ids=repr)
def test_check_service_refuses_a_pyproject_of_another_type(pyproject: Any) -> None:
    with pytest.raises(UsageError):
        accord.check_service(pyproject)


def test_check_service_reports_a_pyproject_name_too_long_as_not_found() -> None:
    with pytest.raises(ConfigError) as info:
        accord.check_service("x" * 5000)
    assert info.value.code == "file-not-found"
