"""Render one contract version as a fastjsonschema-generated validator module.

Optional pure-Python artifact (the ``fast`` extra), written next to the model module as
``v<M>_<m>_<p>_fast.py`` only when both hold, decided per contract:

- :func:`accord.validation.backends.fast_refusals` finds nothing: fastjsonschema reads every
  keyword and (translated) pattern of the bundled schema exactly as the reference;
- the prepared schema has no ``format`` keyword: accord's format checkers are Python
  callables, which ``fastjsonschema.compile_to_code`` cannot serialise.

Otherwise the reason is returned (and recorded in the manifest). The module's text is
checked by :func:`accord.codegen._safety.check_fast_source` before it is written.

fastjsonschema compares whatever Python value it is given: NaN is greater and smaller
than nothing, so it passed every ``minimum``/``maximum``, and an infinity passed every
bound on its side. No JSON text holds either (Python's ``json.loads`` makes them from
``NaN`` and ``Infinity`` by default). The module's ``validate`` therefore walks the
payload for them first (:data:`NUMBERS_WALK`, accord's own text, appended verbatim and
recognised as such by the allow-list) and calls fastjsonschema's entry point, renamed
``validate_schema``, only then. The same walk refuses a string (a value or a key)
holding an unpaired surrogate, which ``json.loads`` makes from a lone ``\\uD800``
escape and the reference cannot read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from accord.codegen._render import header
from accord.codegen._safety import NUMBERS_WALK, check_fast_source
from accord.core.cache import installed_version
from accord.validation import backends as _backends

__all__ = [
    "FAST_GENERATOR",
    "FastRender",
    "fast_generator_version",
    "fast_skip_reason",
    "render_fast",
]

FAST_GENERATOR = "fastjsonschema"
# Options passed to compile_to_code, as data: part of the manifest input key.
FAST_OPTIONS: dict[str, Any] = {"use_default": False, "use_formats": True, "accord_fast": 5}

# fastjsonschema's entry point, as compile_to_code writes it for a schema without $id,
# and its calls of itself (a "$ref": "#"), one statement a line (strings are written
# with repr, so no line of a literal starts this way).
_ENTRY = "\ndef validate(data, custom_formats={}, name_prefix=None):\n"
_ENTRY_RENAMED = _ENTRY.replace("validate(", "validate_schema(")
_SELF_CALL = re.compile(r"^(\s+)validate\((data\w*, custom_formats, )", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FastRender:
    """A rendered fast module (``text``) or why none is written (``skipped``)."""

    text: str | None
    skipped: str | None = None


def fast_generator_version() -> str | None:
    """The installed fastjsonschema version (without importing it), or None (read once
    per process: it is part of every fast module's key)."""
    return installed_version(FAST_GENERATOR)


def fast_skip_reason(bundle: Any) -> str | None:
    """Why no fast module is generated for ``bundle`` (static, no import), or None.

    Reasons that hold whatever jsonschema-rs is installed come first, so the manifest
    (and ``codegen --check``) reads the same under every release where such a reason
    exists; a probe's disagreement is the reason only when nothing else refuses.
    """
    refusals = _backends.fast_refusals(bundle)
    static = [r for r in refusals if not r.probed]
    if static:
        more = f" (and {len(static) - 1} more)" if len(static) > 1 else ""
        return f"not fast-eligible: {static[0]}{more}"
    for where, node in _backends._walk(bundle):
        value = node.get("format")
        if isinstance(value, str):
            return (
                f"format {value!r} at {where or '/'}: the fast backend checks formats with "
                "accord's Python checkers, which fastjsonschema.compile_to_code cannot serialise"
            )
    if refusals:
        more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
        return f"not fast-eligible under the installed jsonschema-rs: {refusals[0]}{more}"
    if fast_generator_version() is None:
        return "fastjsonschema is not installed (pip install 'accord[fast]')"
    return None


def render_fast(bundle: Any, *, ref: str, source: str, digest: str) -> FastRender:
    """The text of the fast validator module for one version, or why it is skipped.

    Raises:
        CodegenError: ``codegen-unsafe-output`` when the generated code fails the
            allow-list.
    """
    reason = fast_skip_reason(bundle)
    if reason is not None:
        return FastRender(None, reason)
    import fastjsonschema

    from accord.validation.offline import fast_compile_to_code

    prepared = _backends._prepare_for_fast(bundle)
    try:
        code = fast_compile_to_code(
            prepared, use_default=FAST_OPTIONS["use_default"], use_formats=True
        )
    except fastjsonschema.JsonSchemaDefinitionException as exc:
        return FastRender(None, f"fastjsonschema cannot compile this schema: {exc}")
    if code.count(_ENTRY) != 1:
        return FastRender(
            None, "fastjsonschema's output has no single `validate` entry point to wrap"
        )
    code = _SELF_CALL.sub(r"\1validate_schema(\2", code.replace(_ENTRY, _ENTRY_RENAMED))
    doc = (
        f'"""fastjsonschema validator for {ref} (generated by accord).\n\n'
        "validate(data) returns data or raises fastjsonschema.JsonSchemaValueException;\n"
        "its verdict is the reference validator's (accord.validation.backends decides\n"
        "eligibility), and a number no JSON text holds (NaN, an infinity) is refused,\n"
        "as is a string holding an unpaired surrogate.\n"
        '"""\n'
    )
    text = (
        header(source, digest)
        + "# mypy: ignore-errors\n"
        + doc
        + code.rstrip()
        + f"\n\n\nCONTRACT_REF = {json.dumps(ref)}\n"
        + f"CONTRACT_DIGEST = {json.dumps(digest)}\n"
        + NUMBERS_WALK
    )
    check_fast_source(text, file=source)
    return FastRender(text)
