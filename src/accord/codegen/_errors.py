"""The code generator's own error (the lead may move it into ``accord.errors``)."""

from __future__ import annotations

from accord.errors import AccordError

__all__ = ["CodegenError"]


class CodegenError(AccordError, ValueError):
    """Generation failed: the generator is missing or produced code accord refuses.

    Codes: ``codegen-unsafe-output`` (the AST allow-list refused the output),
    ``codegen-unavailable`` (datamodel-code-generator is not installed or not the pinned
    version), ``codegen-unstable-name`` (an attribute is not the one ``field_attr``
    promises), ``codegen-failed`` (the generator raised).
    """

    default_code = "codegen-failed"
