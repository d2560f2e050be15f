"""Compatibility rules on strings: ``pattern`` and ``format``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from accord.compat._register import (
    FORMAT_HINT,
    PATTERN_HINT,
    keyword_hit,
    rule,
)
from accord.compat._site import (
    BACKWARD,
    BOTH,
    FORWARD,
    Hit,
    Site,
    show,
)

# -- strings ------------------------------------------------------------------------------


def _patterns(site: Site) -> tuple[list[str], list[str]]:
    old, new = site.old.strings("pattern"), site.new.strings("pattern")
    return [p for p in new if p not in old], [p for p in old if p not in new]


@rule(
    "pattern-changed",
    kind="string",
    hint=PATTERN_HINT,
    breaks=BOTH,
    waiver="pattern-changed is its own mirror.",
    example=(
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "pattern": "^[a-z0-9]+$"},
    ),
)
def pattern_changed(site: Site) -> Iterable[Hit]:
    """The ``pattern`` was replaced by another regular expression.

    Compared as regular languages over code points: a direction where every old
    (or new) string matches the other pattern holds; otherwise a string from the
    difference automaton is the witness. Back-references and lookaround are not read:
    unless a payload separates the two, the change is then reported ``unproven``.
    """
    added, removed = _patterns(site)
    if len(added) == 1 and len(removed) == 1:
        yield keyword_hit(
            site,
            "pattern-changed",
            f"pattern {show(removed[0])} -> {show(added[0])}",
            "pattern",
            patch=site.set_ops("pattern"),
        )


@rule(
    "pattern-added",
    kind="string",
    hint=PATTERN_HINT,
    breaks=BACKWARD,
    mirror="pattern-removed",
    example=({"type": "string"}, {"type": "string", "pattern": "^[a-z]+$"}),
)
def pattern_added(site: Site) -> Iterable[Hit]:
    """A ``pattern`` was added.

    Breaks backward: old strings not matching it are rejected.
    """
    added, removed = _patterns(site)
    if not (len(added) == 1 and len(removed) == 1):
        for pattern in added:
            yield keyword_hit(
                site,
                "pattern-added",
                f"pattern {show(pattern)} added",
                "pattern",
                patch=site.set_ops("pattern") if len(added) == 1 and not removed else None,
            )


@rule(
    "pattern-removed",
    kind="string",
    hint=PATTERN_HINT,
    breaks=FORWARD,
    mirror="pattern-added",
    example=({"type": "string", "pattern": "^[a-z]+$"}, {"type": "string"}),
)
def pattern_removed(site: Site) -> Iterable[Hit]:
    """A ``pattern`` was removed.

    Breaks forward: new strings may not match it.
    """
    added, removed = _patterns(site)
    if not (len(added) == 1 and len(removed) == 1):
        for pattern in removed:
            yield Hit(
                rule="pattern-removed",
                message=f"pattern {show(pattern)} removed",
                schema_path=site.old.where("pattern"),
                instance_path=site.instance_path,
                in_old=True,
                patch=site.set_ops("pattern") if len(removed) == 1 and not added else None,
            )


def _format_rule(site: Site, rule_id: str) -> Iterator[Hit]:
    old, new = site.old.strings("format"), site.new.strings("format")
    if old == new:
        return
    if old and new:
        found = "format-changed"
    elif new:
        found = "format-added"
    else:
        found = "format-removed"
    if found == rule_id:
        yield keyword_hit(
            site,
            rule_id,
            f"format {show(old or None)} -> {show(new or None)}",
            "format",
            patch=site.set_ops("format"),
        )


@rule(
    "format-added",
    kind="string",
    hint=FORMAT_HINT,
    breaks=BACKWARD,
    mirror="format-removed",
    example=({"type": "string"}, {"type": "string", "format": "email"}),
)
def format_added(site: Site) -> Iterable[Hit]:
    """A ``format`` was added (accord asserts every 2020-12 format).

    Breaks backward; an unknown format is an annotation and breaks nothing.
    """
    return _format_rule(site, "format-added")


@rule(
    "format-removed",
    kind="string",
    hint=FORMAT_HINT,
    breaks=FORWARD,
    mirror="format-added",
    example=({"type": "string", "format": "email"}, {"type": "string"}),
)
def format_removed(site: Site) -> Iterable[Hit]:
    """A ``format`` was removed.

    Breaks forward.
    """
    return _format_rule(site, "format-removed")


@rule(
    "format-changed",
    kind="string",
    hint=FORMAT_HINT,
    breaks=BOTH,
    waiver="format-changed is its own mirror.",
    example=({"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}),
)
def format_changed(site: Site) -> Iterable[Hit]:
    """The ``format`` changed to another one.

    Usually breaks both directions.
    """
    return _format_rule(site, "format-changed")
