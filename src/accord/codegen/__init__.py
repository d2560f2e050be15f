"""Typed Pydantic v2 models for every published contract version (``accord codegen``).

Needs the ``codegen`` extra (datamodel-code-generator, pinned); it is imported only
when a module actually has to be (re)generated.

Layer: may import :mod:`accord.registry`, :mod:`accord.validation` and below;
independent of :mod:`accord.consumers`, :mod:`accord.compat` and :mod:`accord.gate`.
"""

from __future__ import annotations

from accord.codegen._attrs import AttributeMove, attribute_map, attribute_moves
from accord.codegen._idents import field_attr, name_ident, version_ident
from accord.codegen._package import (
    DEFAULT_PACKAGE,
    MANIFEST,
    CodegenResult,
    codegen_target,
    generate_package,
    generate_registry,
    validate_package,
)
from accord.codegen._render import GENERATOR_VERSION, render_version
from accord.codegen._safety import check_source
from accord.errors import CodegenError

__all__ = [
    "DEFAULT_PACKAGE",
    "GENERATOR_VERSION",
    "MANIFEST",
    "AttributeMove",
    "CodegenError",
    "CodegenResult",
    "attribute_map",
    "attribute_moves",
    "check_source",
    "codegen_target",
    "field_attr",
    "generate_package",
    "generate_registry",
    "name_ident",
    "render_version",
    "validate_package",
    "version_ident",
]
