"""Compatibility rules that change no valid set (annotations, defaults, same-meaning
``$ref`` refactors) and the generic fallbacks ``schema-narrowed``/``schema-widened``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from accord.compat._register import (
    keyword_hit,
    rule,
)
from accord.compat._site import (
    BACKWARD,
    FORWARD,
    NEITHER,
    Hit,
    Site,
)

# -- annotations and refactors --------------------------------------------------------------


def _annotation(site: Site, rule_id: str, keywords: tuple[str, ...]) -> Iterator[Hit]:
    # Only the location's own conjuncts: a description inside a shared $defs target is
    # reported where that target is written.
    for keyword in keywords:
        if site.old.keyword_text(keyword) != site.new.keyword_text(keyword):
            old, new = site.old.first(keyword), site.new.first(keyword)
            text = f"{keyword} {'changed' if old and new else 'added' if new else 'removed'}"
            yield keyword_hit(site, rule_id, text, keyword)


@rule(
    "description-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="description-changed covers additions, removals and edits.",
    example=({"type": "string", "description": "old"}, {"type": "string", "description": "new"}),
)
def description_changed(site: Site) -> Iterable[Hit]:
    """Documentation changed: ``title``, ``description`` or ``$comment``.

    Annotations never change the valid sets: a patch.
    """
    return _annotation(site, "description-changed", ("title", "description", "$comment"))


@rule(
    "examples-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="examples-changed covers additions, removals and edits.",
    example=({"type": "string"}, {"type": "string", "examples": ["x"]}),
)
def examples_changed(site: Site) -> Iterable[Hit]:
    """``examples`` changed.

    Annotations never change the valid sets: a patch.
    """
    return _annotation(site, "examples-changed", ("examples",))


@rule(
    "access-mode-changed",
    breaks=NEITHER,
    bump="patch",
    severity="info",
    waiver="access-mode-changed covers additions, removals and edits.",
    example=({"type": "string"}, {"type": "string", "readOnly": True}),
)
def access_mode_changed(site: Site) -> Iterable[Hit]:
    """``readOnly`` or ``writeOnly`` changed.

    They are annotations in JSON Schema 2020-12 and validators ignore them: a patch.
    """
    return _annotation(site, "access-mode-changed", ("readOnly", "writeOnly"))


@rule(
    "default-changed",
    declared=True,
    breaks=NEITHER,
    severity="info",
    waiver="default-changed covers additions, removals and edits.",
    example=({"type": "integer", "default": 0}, {"type": "integer", "default": 10}),
)
def default_changed(site: Site) -> Iterable[Hit]:
    """The ``default`` value was added, removed or changed.

    Validation ignores defaults, but readers that fill them in behave differently: a
    minor bump.
    """
    return _annotation(site, "default-changed", ("default",))


@rule(
    "deprecated-changed",
    declared=True,
    breaks=NEITHER,
    severity="info",
    waiver="deprecated-changed covers both flips.",
    example=({"type": "string"}, {"type": "string", "deprecated": True}),
)
def deprecated_changed(site: Site) -> Iterable[Hit]:
    """The ``deprecated`` flag changed.

    Deprecating is a signal to consumers: a minor bump.
    """
    return _annotation(site, "deprecated-changed", ("deprecated",))


@rule(
    "ref-refactored",
    breaks=NEITHER,
    reported="when-equivalent",
    bump="patch",
    severity="info",
    waiver="ref-refactored is symmetric: extraction and inlining are the same rule.",
    example=(
        {"type": "object", "properties": {"role": {"enum": ["user", "admin"]}}},
        {
            "type": "object",
            "properties": {"role": {"$ref": "#/$defs/Role"}},
            "$defs": {"Role": {"enum": ["user", "admin"]}},
        },
    ),
)
def ref_refactored(site: Site) -> Iterable[Hit]:
    """A subschema was moved behind a ``$ref``, inlined, or split across ``allOf``, with
    the same meaning.

    Reported only when the engine proves both sides equal there: a patch.
    """
    old_shape = (site.old.refs, site.old.allof_sizes)
    new_shape = (site.new.refs, site.new.allof_sizes)
    if old_shape != new_shape:
        keyword = "$ref" if site.new.refs or site.old.refs else "allOf"
        yield keyword_hit(
            site, "ref-refactored", f"{keyword} structure changed (same meaning)", keyword
        )


@rule(
    "schema-narrowed",
    fallback=True,
    breaks=BACKWARD,
    mirror="schema-widened",
    example=(True, False),
)
def schema_narrowed(site: Site) -> Iterable[Hit]:
    """The schema accepts fewer payloads, in a way no more specific rule describes.

    The generic fallback: the engine refuted backward (witness attached) and no other
    rule explains it, e.g. ``true`` -> ``false``.
    """
    if site.new.is_false and not site.old.is_false:
        yield Hit(
            "schema-narrowed",
            "schema became false (rejects everything)",
            site.new.pointer,
            site.instance_path,
        )


@rule(
    "schema-widened",
    fallback=True,
    breaks=FORWARD,
    mirror="schema-narrowed",
    example=(False, True),
)
def schema_widened(site: Site) -> Iterable[Hit]:
    """The schema accepts more payloads, in a way no more specific rule describes.

    The generic fallback for a refuted forward direction.
    """
    if site.old.is_false and not site.new.is_false:
        yield Hit(
            "schema-widened", "schema is no longer false", site.new.pointer, site.instance_path
        )
