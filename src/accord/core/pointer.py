"""JSON pointers (RFC 6901) and their JSONPath rendering."""

from __future__ import annotations

import re
from collections.abc import Iterable

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def escape(token: str | int) -> str:
    """Escape one reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


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
    out = "$"
    for token in split(pointer):
        if token.isdigit():
            out += f"[{token}]"
        elif _IDENT.match(token):
            out += f".{token}"
        else:
            out += "[" + repr(token) + "]"
    return out
