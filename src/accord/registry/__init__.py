"""The contracts directory as data: the immutable :class:`Registry` with loading,
``$ref`` resolution, bundling and ``accord.lock`` (``model``), contract names and
refs (``names``), ``accord.toml``/``contract.toml`` (``config``), the problem
catalogue and its overrides (``problems``), which registry a process uses
(``discovery``) and ``accord.validator(ref)``'s caches (``runtime``).

May import: :mod:`accord.validation`, :mod:`accord.core`, :mod:`accord.errors`,
:mod:`accord.versions`.

The public names of ``model`` are importable from here (``from accord.registry import
Contract``), resolved on first use so importing one submodule stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.registry.model import Contract as Contract
    from accord.registry.model import ContractVersion as ContractVersion
    from accord.registry.model import Registry as Registry
    from accord.registry.model import lock_text as lock_text
    from accord.registry.model import read_lock as read_lock
    from accord.registry.model import write_lock as write_lock

__all__ = [
    "Contract",
    "ContractVersion",
    "Registry",
    "lock_text",
    "read_lock",
    "write_lock",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import importlib

        return getattr(importlib.import_module("accord.registry.model"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
