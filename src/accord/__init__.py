"""accord: a schema-first contract registry for Python services.

The public surface is ``__all__`` below, by job:

- the registry and references: ``Registry`` (its ``Contract`` and ``ContractVersion``),
  ``ContractRef``, ``Version``, ``VersionRange``;
- validating payloads: ``validator()`` returns a ``Validator``; ``ContractViolation``
  carries ``ValidationIssue`` errors;
- compatibility: ``diff()`` and ``check_version()`` return a ``Report`` of ``Change``;
- startup checks: ``require()`` returns a ``Conformance``, ``check_service()`` a
  ``ServiceReport``; both raise ``ContractMismatch``;
- messages: ``stamp()``, ``validator_for_message()``, ``upcaster``, ``upcast()``;
- tests and providers: ``assert_conforms()``, ``assert_compatible()``, ``examples()``,
  ``provider_state``, ``message_producer`` (more in :mod:`accord.testing`);
- errors: every class of :mod:`accord.errors` (all subclass ``AccordError``), and
  ``Problem``, the data form of one error.

Everything else lives in the layer subpackages (:mod:`accord.consumers`,
:mod:`accord.compat`, ...; see ARCHITECTURE.md). Names are resolved lazily (PEP 562), so
importing accord at service boot, or running ``accord --help``, costs nothing until a
name is used.
"""

# No ``from __future__ import annotations`` here: it would leave a public
# ``accord.annotations`` attribute behind.
import importlib as _importlib

from accord._version import __version__ as __version__

# name -> module that defines it
_LAZY: dict[str, str] = {
    "AccordError": "accord.errors",
    "Change": "accord.compat",
    "CodegenError": "accord.errors",
    "ConfigError": "accord.errors",
    "Conformance": "accord.service.startup",
    "ContractMismatch": "accord.errors",
    "Contract": "accord.registry.model",
    "DirectionResult": "accord.compat",
    "ContractNotFound": "accord.errors",
    "ContractRef": "accord.registry.names",
    "ContractVersion": "accord.registry.model",
    "ContractViolation": "accord.errors",
    "DocumentError": "accord.errors",
    "IncompatibleChange": "accord.errors",
    "InvalidRange": "accord.errors",
    "InvalidReference": "accord.errors",
    "InvalidVersion": "accord.errors",
    "LockError": "accord.errors",
    "Problem": "accord.errors",
    "ProviderError": "accord.errors",
    "RefError": "accord.errors",
    "Registry": "accord.registry.model",
    "RegistryError": "accord.errors",
    "Report": "accord.compat",
    "SchemaError": "accord.errors",
    "ServiceReport": "accord.service.startup",
    "UsageError": "accord.errors",
    "ValidationIssue": "accord.errors",
    "Validator": "accord.validation.validator",
    "Version": "accord.versions",
    "VersionNotFound": "accord.errors",
    "VersionRange": "accord.versions",
    "assert_compatible": "accord.testing",
    "assert_conforms": "accord.testing",
    "check_service": "accord.service.startup",
    "check_version": "accord.compat",
    "diff": "accord.compat",
    "examples": "accord.testing",
    "message_producer": "accord.provider._messages",
    "provider_state": "accord.provider._states",
    "require": "accord.service.startup",
    "stamp": "accord.distribution.envelope",
    "upcast": "accord.distribution.envelope",
    "upcaster": "accord.distribution.envelope",
    "validator": "accord.registry.runtime",
    "validator_for_message": "accord.distribution.envelope",
}

__all__ = [
    "AccordError",
    "Change",
    "CodegenError",
    "ConfigError",
    "Conformance",
    "Contract",
    "ContractMismatch",
    "ContractNotFound",
    "ContractRef",
    "ContractVersion",
    "ContractViolation",
    "DirectionResult",
    "DocumentError",
    "IncompatibleChange",
    "InvalidRange",
    "InvalidReference",
    "InvalidVersion",
    "LockError",
    "Problem",
    "ProviderError",
    "RefError",
    "Registry",
    "RegistryError",
    "Report",
    "SchemaError",
    "ServiceReport",
    "UsageError",
    "ValidationIssue",
    "Validator",
    "Version",
    "VersionNotFound",
    "VersionRange",
    "__version__",
    "assert_compatible",
    "assert_conforms",
    "check_service",
    "check_version",
    "diff",
    "examples",
    "message_producer",
    "provider_state",
    "require",
    "stamp",
    "upcast",
    "upcaster",
    "validator",
    "validator_for_message",
]

# Not `from typing import TYPE_CHECKING`: importing typing is a sizeable part of
# `accord --version`; type checkers read a constant of this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any as _Any

    from accord.compat import Change as Change
    from accord.compat import DirectionResult as DirectionResult
    from accord.compat import Report as Report
    from accord.compat import check_version as check_version
    from accord.compat import diff as diff
    from accord.distribution.envelope import stamp as stamp
    from accord.distribution.envelope import upcast as upcast
    from accord.distribution.envelope import upcaster as upcaster
    from accord.distribution.envelope import validator_for_message as validator_for_message
    from accord.errors import AccordError as AccordError
    from accord.errors import CodegenError as CodegenError
    from accord.errors import ConfigError as ConfigError
    from accord.errors import ContractMismatch as ContractMismatch
    from accord.errors import ContractNotFound as ContractNotFound
    from accord.errors import ContractViolation as ContractViolation
    from accord.errors import DocumentError as DocumentError
    from accord.errors import IncompatibleChange as IncompatibleChange
    from accord.errors import InvalidRange as InvalidRange
    from accord.errors import InvalidReference as InvalidReference
    from accord.errors import InvalidVersion as InvalidVersion
    from accord.errors import LockError as LockError
    from accord.errors import Problem as Problem
    from accord.errors import ProviderError as ProviderError
    from accord.errors import RefError as RefError
    from accord.errors import RegistryError as RegistryError
    from accord.errors import SchemaError as SchemaError
    from accord.errors import UsageError as UsageError
    from accord.errors import ValidationIssue as ValidationIssue
    from accord.errors import VersionNotFound as VersionNotFound
    from accord.provider._messages import message_producer as message_producer
    from accord.provider._states import provider_state as provider_state
    from accord.registry.model import Contract as Contract
    from accord.registry.model import ContractVersion as ContractVersion
    from accord.registry.model import Registry as Registry
    from accord.registry.names import ContractRef as ContractRef
    from accord.registry.runtime import validator as validator
    from accord.service.startup import Conformance as Conformance
    from accord.service.startup import ServiceReport as ServiceReport
    from accord.service.startup import check_service as check_service
    from accord.service.startup import require as require
    from accord.testing import assert_compatible as assert_compatible
    from accord.testing import assert_conforms as assert_conforms
    from accord.testing import examples as examples
    from accord.validation.validator import Validator as Validator
    from accord.versions import Version as Version
    from accord.versions import VersionRange as VersionRange

del TYPE_CHECKING


def __getattr__(name: str) -> "_Any":
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
