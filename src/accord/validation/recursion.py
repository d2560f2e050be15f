"""Whether a bundled schema can apply itself again deeper in a payload (:func:`may_recurse`).

A validator measures a payload's depth first only where it can (jsonschema-rs recurses
natively, as deep as the payload drives it). Kept apart from the validator so the
registry loader can answer it from a document it has just parsed, without importing
jsonschema-rs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from accord.core import pointer as _pointer

__all__ = ["may_recurse"]


def may_recurse(schema: Any, *, refs: Sequence[str] | None = None) -> bool:
    """Whether a bundled schema can apply itself again deeper in a payload.

    True when a local ``$ref`` chain leads back into a subschema it started from (the
    target's subtree holds a ``$ref`` that leads back), and, conservatively, for any
    ``$dynamicRef``/``$recursiveRef``, an anchor ``$ref`` (``#name``) or a non-local one.

    ``refs``: every string ``$ref`` value in the schema's objects (``const`` values
    too), known by the caller of a schema without ``$dynamicRef``/``$recursiveRef``;
    then the schema is not walked for them.
    """
    # This runs once per validator at boot: one walk over the bundle for the targets of
    # its $refs (no paths built), then one walk of each distinct target's subtree. Which
    # targets a $ref site reaches depends only on its target, so a cycle among sites is
    # a cycle among targets: target p leads to q when p's subtree holds a $ref to q.
    if refs is None:
        targets = _ref_targets(schema)
    elif all(ref == "#" or ref.startswith("#/") for ref in refs):
        targets = set(refs)
    else:
        targets = None
    if targets is None:
        return True
    successors: dict[str, set[str]] = {}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for start in targets:
        if start in state:
            continue
        path = [(start, iter(_successors(schema, start, successors)))]
        state[start] = 1
        while path:
            node, children = path[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                return True
            elif child not in state:
                state[child] = 1
                path.append((child, iter(_successors(schema, child, successors))))
    return False


def _ref_targets(schema: Any) -> set[str] | None:
    """The local ``$ref`` targets under ``schema`` (None: a ref that is not one)."""
    targets: set[str] = set()
    stack = [schema]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        if isinstance(node, dict):
            extend([value for value in node.values() if isinstance(value, _NESTED)])
            # Keyword values that are containers were walked above, as any value is.
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref != "#" and not ref.startswith("#/"):
                    return None
                targets.add(ref)
            if ("$dynamicRef" in node or "$recursiveRef" in node) and any(
                keyword in node and not isinstance(node[keyword], _NESTED)
                for keyword in _DYNAMIC_REFS
            ):
                return None
        elif isinstance(node, list):
            extend([item for item in node if isinstance(item, _NESTED)])
    return targets


_NESTED = (dict, list)
_DYNAMIC_REFS = ("$dynamicRef", "$recursiveRef")


def _successors(schema: Any, target: str, known: dict[str, set[str]]) -> set[str]:
    """The targets of the ``$ref``s in the subtree a local ``$ref`` points to."""
    found = known.get(target)
    if found is None:
        node = schema
        for token in _target_tokens(target):
            if isinstance(node, dict):
                node = node.get(token)  # keys are strings: jsonschema-rs compiled it
            elif isinstance(node, list) and token.isdecimal() and str(int(token)) == token:
                index = int(token)
                node = node[index] if index < len(node) else None
            else:
                node = None
                break
        found = known[target] = _ref_targets(node) or set()
    return found


@lru_cache(maxsize=4096)
def _target_tokens(target: str) -> tuple[str, ...]:
    """The tokens of a local ``$ref`` (``#`` or ``#/...``): the registry's documents
    repeat the same few (``#/$defs/money``), parsed once."""
    return tuple(_pointer.split(unquote(target[1:]))) if target != "#" else ()
