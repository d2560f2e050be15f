"""Compatibility rules on combinators: ``oneOf``/``anyOf`` branches, ``allOf`` members,
``not`` and conditionals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from accord.compat._register import (
    keyword_hit,
    rule,
)
from accord.compat._site import (
    ANNOTATIONS,
    BACKWARD,
    BOTH,
    DELETE,
    FORWARD,
    Hit,
    Site,
    View,
    show,
    type_set,
)
from accord.core import pointer as _pointer
from accord.core.memo import canonical_text
from accord.core.schema import Schema

# -- combinators --------------------------------------------------------------------------


def _strip(schema: Schema) -> Any:
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if k not in ANNOTATIONS}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def _branch_key(schema: Schema) -> str:
    return canonical_text(_strip(schema))


def _branch_types(schema: Schema) -> Any:
    return type_set(schema.get("type")) if isinstance(schema, dict) else None


def match_branches(
    old: Sequence[Schema], new: Sequence[Schema]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair combinator branches: equal ones first, then by type, then by position.

    Returns ``(pairs, old_only, new_only)`` with indices into ``old`` and ``new``.
    """
    pairs: list[tuple[int, int]] = []
    free_old, free_new = list(range(len(old))), list(range(len(new)))
    for test in (
        lambda i, j: _branch_key(old[i]) == _branch_key(new[j]),
        lambda i, j: (
            _branch_types(old[i]) is not None and _branch_types(old[i]) == _branch_types(new[j])
        ),
    ):
        for i in list(free_old):
            for j in free_new:
                if test(i, j):
                    pairs.append((i, j))
                    free_old.remove(i)
                    free_new.remove(j)
                    break
    if len(free_old) == len(free_new):
        pairs.extend(zip(free_old, free_new, strict=True))
        free_old, free_new = [], []
    return sorted(pairs), free_old, free_new


def combinator_groups(
    site: Site,
) -> list[tuple[tuple[str, str, list[Schema]] | None, tuple[str, str, list[Schema]] | None]]:
    """Pair OLD's and NEW's ``anyOf``/``oneOf`` groups by position."""
    old, new = site.old.combinators(), site.new.combinators()
    out: list[tuple[tuple[str, str, list[Schema]] | None, tuple[str, str, list[Schema]] | None]] = [
        (old[i] if i < len(old) else None, new[i] if i < len(new) else None)
        for i in range(max(len(old), len(new)))
    ]
    return out


def _location_key(view: View) -> str:
    """Canonical text of the location as one branch (for wholesale-added groups)."""
    merged: dict[str, Any] = {}
    for _, schema in view.parts:
        merged.update({k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")})
    return _branch_key(merged)


def _branch_hits(site: Site, keyword: str, *, added: bool) -> Iterator[Hit]:
    kind = "oneof" if keyword == "oneOf" else "anyof"
    rule_id = f"{kind}-branch-{'added' if added else 'removed'}"
    for old_group, new_group in combinator_groups(site):
        old_branches = old_group[2] if old_group else []
        new_branches = new_group[2] if new_group else []
        if added and (new_group is None or new_group[0] != keyword):
            continue
        if not added and (old_group is None or old_group[0] != keyword):
            continue
        if old_group is None or new_group is None:
            # A whole group appeared or vanished: a branch equal to the other side's
            # location is the old shape, not an addition.
            other = _location_key(site.old if added else site.new)
            group = new_group if added else old_group
            assert group is not None
            for i, branch in enumerate(group[2]):
                if _branch_key(branch) != other:
                    yield Hit(
                        rule_id,
                        f"{keyword} branch {i} {'added' if added else 'removed'}",
                        _pointer.join(group[1], keyword, i),
                        site.instance_path,
                        in_old=not added,
                    )
            continue
        _, old_only, new_only = match_branches(old_branches, new_branches)
        group = new_group if added else old_group
        for i in new_only if added else old_only:
            yield Hit(
                rule_id,
                f"{keyword} branch {i} ({show(group[2][i], 40)}) {'added' if added else 'removed'}",
                _pointer.join(group[1], keyword, i),
                site.instance_path,
                in_old=not added,
                patch=(
                    ((old_group[1], old_group[0], new_branches),)
                    if "$ref" not in canonical_text(new_branches) and old_group[0] == new_group[0]
                    else None
                ),
            )


@rule(
    "oneof-branch-added",
    breaks=BOTH,
    mirror="oneof-branch-removed",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
    ),
)
def oneof_branch_added(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` branch was added.

    Breaks forward (new payloads of that branch); if it overlaps another branch, payloads
    matching both become invalid (see oneof-branch-overlap).
    """
    return _branch_hits(site, "oneOf", added=True)


@rule(
    "oneof-branch-removed",
    breaks=BOTH,
    mirror="oneof-branch-added",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    ),
)
def oneof_branch_removed(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` branch was removed.

    Breaks backward (old payloads of that branch); removing an overlapping branch can
    make payloads valid that were not.
    """
    return _branch_hits(site, "oneOf", added=False)


@rule(
    "oneof-branch-overlap",
    breaks=BOTH,
    reported="when-overlapping",
    waiver="oneof-branch-overlap has no reverse rule: a removed overlap is reported as the "
    "branch change that removed it.",
    example=(
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]},
    ),
)
def oneof_branch_overlap(site: Site) -> Iterable[Hit]:
    """Two ``oneOf`` branches of NEW can match the same payload where OLD's could not.

    A payload matching both is invalid under ``oneOf``: values that were valid become
    invalid. The walker confirms the overlap with the engine; this detector proposes
    pairs involving an added or changed branch.
    """
    for old_group, new_group in combinator_groups(site):
        if new_group is None or new_group[0] != "oneOf":
            continue
        new_branches = new_group[2]
        if old_group is not None:
            pairs, _, new_only = match_branches(old_group[2], new_branches)
            changed = set(new_only) | {
                j for i, j in pairs if _branch_key(old_group[2][i]) != _branch_key(new_branches[j])
            }
        else:
            changed = set(range(len(new_branches)))
        for j in sorted(changed):
            for k in range(len(new_branches)):
                if k == j or (k in changed and k < j):
                    continue
                a, b = sorted((j, k))
                yield Hit(
                    "oneof-branch-overlap",
                    f"oneOf branches {a} and {b} may overlap",
                    _pointer.join(new_group[1], "oneOf", a),
                    site.instance_path,
                    key=f"{a},{b}",
                )


@rule(
    "anyof-branch-added",
    breaks=FORWARD,
    mirror="anyof-branch-removed",
    example=({"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
)
def anyof_branch_added(site: Site) -> Iterable[Hit]:
    """An ``anyOf`` branch was added.

    Breaks forward: new payloads of that branch are rejected by old readers.
    """
    return _branch_hits(site, "anyOf", added=True)


@rule(
    "anyof-branch-removed",
    breaks=BACKWARD,
    mirror="anyof-branch-added",
    example=({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"anyOf": [{"type": "string"}]}),
)
def anyof_branch_removed(site: Site) -> Iterable[Hit]:
    """An ``anyOf`` branch was removed.

    Breaks backward: old payloads only that branch accepted are rejected.
    """
    return _branch_hits(site, "anyOf", added=False)


@rule(
    "combinator-changed",
    breaks=BOTH,
    waiver="combinator-changed is its own mirror (oneOf <-> anyOf).",
    example=(
        {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        {"anyOf": [{"type": "integer"}, {"type": "number"}]},
    ),
)
def combinator_changed(site: Site) -> Iterable[Hit]:
    """A ``oneOf`` became an ``anyOf`` or the reverse.

    ``oneOf`` -> ``anyOf`` admits payloads matching several branches (breaks forward);
    the reverse rejects them (breaks backward). Disjoint branches make it a no-op.
    """
    for old_group, new_group in combinator_groups(site):
        if old_group and new_group and old_group[0] != new_group[0]:
            ops = None
            if "$ref" not in canonical_text(new_group[2]):
                ops = (
                    (old_group[1], old_group[0], DELETE),
                    (old_group[1], new_group[0], new_group[2]),
                )
            yield Hit(
                "combinator-changed",
                f"{old_group[0]} -> {new_group[0]}",
                _pointer.join(new_group[1], new_group[0]),
                site.instance_path,
                patch=ops,
            )


@rule(
    "allof-conjunct-added",
    fallback=True,
    breaks=BACKWARD,
    mirror="allof-conjunct-removed",
    example=(
        {"allOf": [{"type": "object"}]},
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
    ),
)
def allof_conjunct_added(site: Site) -> Iterable[Hit]:
    """An ``allOf`` member was added and no more specific rule explains the change.

    Breaks backward: one more constraint to satisfy. (Members are read as facets of the
    location, so ``required`` in a new member is reported as required-added.)
    """
    return ()  # emitted by the walker as a fallback (it needs the engine's verdict)


@rule(
    "allof-conjunct-removed",
    fallback=True,
    breaks=FORWARD,
    mirror="allof-conjunct-added",
    example=(
        {"allOf": [{"type": "object"}, {"unevaluatedProperties": {"type": "integer"}}]},
        {"allOf": [{"type": "object"}]},
    ),
)
def allof_conjunct_removed(site: Site) -> Iterable[Hit]:
    """An ``allOf`` member was removed and no more specific rule explains the change.

    Breaks forward: one constraint fewer.
    """
    return ()  # emitted by the walker as a fallback


@rule(
    "not-changed",
    breaks=BOTH,
    waiver="not-changed covers additions, removals and edits of `not`.",
    example=({"not": {"type": "string"}}, {"not": {"type": ["string", "null"]}}),
)
def not_changed(site: Site) -> Iterable[Hit]:
    """The ``not`` operand was added, removed or changed.

    Widening the operand narrows the schema (breaks backward) and the reverse.
    """
    if site.changed("not"):
        yield keyword_hit(site, "not-changed", "not changed", "not", patch=site.set_ops("not"))


@rule(
    "conditional-changed",
    breaks=BOTH,
    waiver="conditional-changed covers additions, removals and edits.",
    example=(
        {"type": "object"},
        {
            "type": "object",
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"required": ["a_id"]},
        },
    ),
)
def conditional_changed(site: Site) -> Iterable[Hit]:
    """A conditional (``if``/``then``/``else`` or ``dependentSchemas``) changed.

    The engine decides the directions.
    """
    for keywords in (("if", "then", "else"), ("dependentSchemas",)):
        if site.changed(*keywords):
            keyword = next(
                k for k in keywords if site.old.keyword_text(k) != site.new.keyword_text(k)
            )
            yield keyword_hit(
                site,
                "conditional-changed",
                f"{'/'.join(keywords)} changed",
                keyword,
                patch=site.set_ops(*keywords),
            )
