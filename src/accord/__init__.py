"""accord: a schema-first contract registry for Python services.

Public names are resolved lazily (PEP 562) so that importing accord at service boot,
or running ``accord --help``, costs nothing until a name is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from accord._version import __version__

# name -> module that defines it
_LAZY: dict[str, str] = {
    "AccordError": "accord.errors",
    "ContractNotFound": "accord.errors",
    "ContractViolation": "accord.errors",
    "IncompatibleChange": "accord.errors",
    "InvalidVersion": "accord.errors",
    "Problem": "accord.errors",
    "RegistryError": "accord.errors",
}

__all__ = sorted([*_LAZY, "__version__"])

if TYPE_CHECKING:
    from accord.errors import (
        AccordError,
        ContractNotFound,
        ContractViolation,
        IncompatibleChange,
        InvalidVersion,
        Problem,
        RegistryError,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
