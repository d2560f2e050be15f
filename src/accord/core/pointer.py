"""JSON pointers (RFC 6901): escaping, resolving against a document, and their JSONPath
rendering. Every pointer walk in accord goes through :func:`resolve`/:func:`lookup`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote


# Compiled on first use (an error message's JSONPath), not by every import: re parses a
# pattern in Python.
@cache
def _ident() -> re.Pattern[str]:
    return re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@cache
def _plain_pointer() -> re.Pattern[str]:
    return re.compile(r"(?:/(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+))*")


def escape(token: str | int) -> str:
    """Escape one reference token."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text  # the common case: walks over a registry build many pointers
    return text.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape`."""
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str | int) -> str:
    """Append tokens to a pointer: ``join("/a", "b~c", 0) == "/a/b~0c/0"``."""
    return base + "".join("/" + escape(t) for t in tokens)


def from_parts(tokens: Iterable[str | int]) -> str:
    """Build a pointer from raw tokens."""
    return join("", *tokens)


def split(pointer: str) -> list[str]:
    """The raw tokens of a pointer (``""`` is the whole document)."""
    if pointer in ("", "#"):
        return []
    pointer = pointer.removeprefix("#")
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def pointer_to_json_path(pointer: str) -> str:
    """Render a pointer as JSONPath: ``/items/0/sku`` -> ``$.items[0].sku``."""
    if _plain_pointer().fullmatch(pointer):
        # The common case (every error message names one): each token is a name or an
        # index, so no token needs unescaping or quoting.
        return "$" + "".join([f"[{t}]" if t.isdigit() else f".{t}" for t in pointer.split("/")[1:]])
    out = "$"
    for token in split(pointer):
        if token.isdigit():
            out += f"[{token}]"
        elif _ident().match(token):
            out += f".{token}"
        else:
            out += "[" + repr(token) + "]"
    return out


# --------------------------------------------------------------------------- resolving
# The one reading of a pointer against a document, shared by every walk in accord. It
# is RFC 6901's, as jsonschema-rs reads ``$ref`` pointers: an array token is ``0`` or an
# ASCII decimal without a leading zero. ``-1``, ``+1``, ``01``, `` 1``, ``1_0``, ``-``
# and non-ASCII digits name nothing (``int()`` would accept most of them, and ``-1``
# would silently land on the last item).

_INDEX = re.compile(r"(?:0|[1-9][0-9]*)\Z", re.ASCII)


class Unresolvable(LookupError):
    """A pointer names no node of the document."""


def index(token: str) -> int | None:
    """The array index ``token`` names, or ``None`` when it names none (RFC 6901)."""
    return int(token) if _INDEX.match(token) else None


def child(node: Any, token: str) -> tuple[bool, Any]:
    """One step of a walk: ``(True, node[token])``, or ``(False, None)`` past the end."""
    if isinstance(node, dict):
        if token in node:
            return True, node[token]
        return False, None
    if isinstance(node, list):
        at = index(token)
        if at is not None and at < len(node):
            return True, node[at]
    return False, None


def _tokens(pointer: str | Sequence[str]) -> Sequence[str]:
    return split(pointer) if isinstance(pointer, str) else pointer


def nodes_along(document: Any, pointer: str | Sequence[str]) -> list[Any]:
    """The nodes along ``pointer`` from the root (shorter when it does not resolve).

    ``pointer`` is a pointer string or its raw (unescaped) tokens.
    """
    nodes = [document]
    for token in _tokens(pointer):
        found, node = child(nodes[-1], token)
        if not found:
            break
        nodes.append(node)
    return nodes


def lookup(document: Any, pointer: str | Sequence[str]) -> tuple[bool, Any]:
    """``(True, node)`` when ``pointer`` resolves in ``document``, else ``(False, None)``."""
    node = document
    for token in _tokens(pointer):
        found, node = child(node, token)
        if not found:
            return False, None
    return True, node


def resolve(document: Any, pointer: str | Sequence[str]) -> Any:
    """The node ``pointer`` names in ``document``.

    Raises:
        Unresolvable: when it names none.
        ValueError: when ``pointer`` is a string that is not a JSON pointer.
    """
    found, node = lookup(document, pointer)
    if not found:
        raise Unresolvable(pointer if isinstance(pointer, str) else from_parts(pointer))
    return node


def fragment(ref: str) -> str | None:
    """The JSON pointer of a same-document ``$ref`` (``"#/a%5Eb"`` -> ``"/a^b"``).

    A fragment is a URI fragment, so a pointer in it is percent-decoded. ``None`` for a
    reference to another document or to an anchor (``#name``).
    """
    if not ref.startswith("#"):
        return None
    text = unquote(ref[1:])
    if text and not text.startswith("/"):
        return None
    return text
