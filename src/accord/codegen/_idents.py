"""Injective encodings of contract names, versions and JSON field names into identifiers.

Generated code turns three kinds of outside text into Python names, and each encoding
is injective (two different inputs never give the same identifier) and decodable, so
injectivity is proven by a round trip in the tests:

- **Namespaces and contract names** (``order-placed`` -> ``order_placed``). accord's
  name grammar (``[a-z][a-z0-9]*(-[a-z0-9]+)*``, see ``accord.registry.names``) has no ``_``
  and never ends with ``-``, so ``-`` -> ``_`` is injective, and a Python keyword gets
  a trailing ``_`` (``class`` -> ``class_``), which no other name can end with.
- **Versions** (``1.0.0`` -> ``v1_0_0``). A pre-release made only of lowercase
  letters, digits and dots is appended with ``.`` -> ``_`` (``1.0.0-rc.1`` ->
  ``v1_0_0_rc_1``); identifiers are never empty, so that form never holds ``__``.
  Any other pre-release (hyphens, capitals) is appended as ``__`` + the hex of its
  UTF-8 bytes (``1.0.0-rc-1`` -> ``v1_0_0__72632d31``). The three numbers always come
  first, so the forms cannot be confused.
- **JSON field names** (``field_attr``). Context-free, so one JSON field keeps its
  Python attribute in every version whatever fields sit beside it (the generator's own
  de-duplication would rename ``a_b`` to ``a_b_1`` once ``a-b`` appears). A *plain*
  name (lowercase start, letters, digits, single inner ``_``) is kept; a plain name
  that is reserved (keywords, builtins used in annotations, ``BaseModel`` attributes)
  gets a trailing ``_``; anything else becomes ``<readable>__<hex of UTF-8>``.
  Plain names never hold ``__`` nor end with ``_``, so the three forms are disjoint.
"""

from __future__ import annotations

import keyword
import re

from accord.errors import UsageError

__all__ = [
    "class_name",
    "field_attr",
    "field_name_of",
    "name_ident",
    "name_of_ident",
    "version_ident",
    "version_of_ident",
]

_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_VERSION = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)
_SIMPLE_PRE = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")
_VERSION_IDENT = re.compile(r"v([0-9]+)_([0-9]+)_([0-9]+)(?:(__)([0-9a-f]+)|_([a-z0-9_]+))?")

_PLAIN_FIELD = re.compile(r"[a-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
# Names a field must not take in a pydantic class body: keywords; the builtins and
# typing names generated annotations use (a field named ``str`` would shadow the type
# in its own class namespace); and BaseModel's public attributes (pydantic 2 warns and
# mypy reports an incompatible override). Frozen here, not read from the running
# pydantic, so generated names do not depend on the machine.
_RESERVED_FIELDS = frozenset(
    {kw for kw in keyword.kwlist if kw.islower()}
    | {
        "bool", "bytes", "dict", "float", "frozenset", "int", "list", "object", "set",
        "str", "tuple", "type",
    }
    | {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj",
        "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip


def _bad(what: str, text: str) -> UsageError:
    return UsageError(f"cannot encode {what} {text!r} as a Python identifier", code="codegen-name")


def name_ident(name: str) -> str:
    """The module name of a namespace or contract name (``order-placed`` -> ``order_placed``).

    Raises:
        UsageError: ``name`` is outside accord's name grammar.
    """
    if not _NAME.fullmatch(name):
        raise _bad("name", name)
    ident = name.replace("-", "_")
    return ident + "_" if keyword.iskeyword(ident) else ident


def name_of_ident(ident: str) -> str:
    """Inverse of :func:`name_ident`."""
    if ident.endswith("_"):
        ident = ident[:-1]
    return ident.replace("_", "-")


def version_ident(version: object) -> str:
    """The module name of a version (``1.0.0-rc.1`` -> ``v1_0_0_rc_1``).

    Raises:
        UsageError: ``str(version)`` is not a SemVer 2.0.0 version without build metadata.
    """
    text = str(version)
    match = _VERSION.fullmatch(text)
    if match is None:
        raise _bad("version", text)
    major, minor, patch, pre = match.groups()
    ident = f"v{major}_{minor}_{patch}"
    if pre is None:
        return ident
    if _SIMPLE_PRE.fullmatch(pre):
        return f"{ident}_{pre.replace('.', '_')}"
    return f"{ident}__{pre.encode().hex()}"


def version_of_ident(ident: str) -> str:
    """Inverse of :func:`version_ident`."""
    match = _VERSION_IDENT.fullmatch(ident)
    if match is None:
        raise _bad("module name", ident)
    major, minor, patch, hexed, hex_pre, simple_pre = match.groups()
    text = f"{major}.{minor}.{patch}"
    if hexed:
        return f"{text}-{bytes.fromhex(hex_pre).decode()}"
    if simple_pre:
        return f"{text}-{simple_pre.replace('_', '.')}"
    return text


def class_name(name: str) -> str:
    """The root model class of a contract (``order-placed`` -> ``OrderPlaced``)."""
    if not _NAME.fullmatch(name):
        raise _bad("name", name)
    ident = "".join(part[:1].upper() + part[1:] for part in name.split("-"))
    # ``none`` -> ``None``, ``true`` -> ``True``: keywords even when capitalised.
    return ident + "_" if keyword.iskeyword(ident) else ident


def field_attr(json_name: str) -> str:
    """The Python attribute of a JSON field, independent of its neighbours.

    >>> field_attr("order_id"), field_attr("class"), field_attr("a-b")
    ('order_id', 'class_', 'a_b__612d62')
    """
    if _PLAIN_FIELD.fullmatch(json_name) and not json_name.startswith("model_"):
        return json_name + "_" if json_name in _RESERVED_FIELDS else json_name
    base = "_".join(part for part in re.split(r"[^A-Za-z0-9]+", json_name) if part)
    # The attribute is base + "__" + hex: a base of "model" ("model:") would make it
    # start with pydantic's protected "model_" too.
    if not base or not ("a" <= base[0] <= "z") or (base + "_").startswith("model_"):
        base = "f_" + base if base else "f"
    return f"{base}__{json_name.encode('utf-8', 'surrogatepass').hex()}"


def field_name_of(attr: str) -> str:
    """Inverse of :func:`field_attr`."""
    if "__" in attr:
        return bytes.fromhex(attr.rpartition("__")[2]).decode("utf-8", "surrogatepass")
    if attr.endswith("_"):
        return attr[:-1]
    return attr
