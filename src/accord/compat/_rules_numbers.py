"""Compatibility rules on bounds: ``minimum``/``maximum`` and the integer bounds of lengths
and counts (``maxLength``, ``minItems``, ``maxProperties``, ...), and ``multipleOf``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from accord.compat._register import (
    TIGHTER_HINT,
    WIDER_HINT,
    keyword_hit,
    rule,
)
from accord.compat._site import (
    BACKWARD,
    BOTH,
    FORWARD,
    Hit,
    Site,
    bound_tighter,
    canon,
    show,
)
from accord.core.rules import Kind

# -- numbers and lengths ------------------------------------------------------------------


def _fmt_bound(bound: tuple[Fraction, bool] | None, *, upper: bool) -> str:
    if bound is None:
        return "none"
    value, excl = bound
    number = str(value.numerator) if value.denominator == 1 else str(float(value))
    return ("<" if upper else ">") + ("" if excl else "=") + " " + number


def _bound_rule(site: Site, *, upper: bool, tighter: bool) -> Iterator[Hit]:
    old, new = site.old.bound(upper=upper), site.new.bound(upper=upper)
    if old == new:
        return
    if new is None:
        got_tighter = False
    elif old is None:
        got_tighter = True
    else:
        got_tighter = bound_tighter(new, old, upper=upper)
    if got_tighter != tighter:
        return
    name = "maximum" if upper else "minimum"
    direction = (
        ("decreased" if upper else "increased")
        if tighter
        else ("increased" if upper else "decreased")
    )
    keywords = ("maximum", "exclusiveMaximum") if upper else ("minimum", "exclusiveMinimum")
    keyword = (
        keywords[0]
        if (site.new.first(keywords[0]) or not site.new.first(keywords[1]))
        else keywords[1]
    )
    yield keyword_hit(
        site,
        f"{name}-{direction}",
        f"{name} {_fmt_bound(old, upper=upper)} -> {_fmt_bound(new, upper=upper)}",
        keyword,
        patch=site.set_ops(*keywords),
    )


@rule(
    "minimum-increased",
    kind="number",
    hint=TIGHTER_HINT,
    breaks=BACKWARD,
    mirror="minimum-decreased",
    example=({"type": "number", "minimum": 0}, {"type": "number", "minimum": 1}),
)
def minimum_increased(site: Site) -> Iterable[Hit]:
    """The lower numeric bound was raised or added (``minimum``/``exclusiveMinimum``).

    Breaks backward. On integers, ``minimum: 1`` and ``exclusiveMinimum: 0`` are equal.
    """
    return _bound_rule(site, upper=False, tighter=True)


@rule(
    "minimum-decreased",
    kind="number",
    hint=WIDER_HINT,
    breaks=FORWARD,
    mirror="minimum-increased",
    example=({"type": "number", "minimum": 1}, {"type": "number", "minimum": 0}),
)
def minimum_decreased(site: Site) -> Iterable[Hit]:
    """The lower numeric bound was lowered or removed.

    Breaks forward.
    """
    return _bound_rule(site, upper=False, tighter=False)


@rule(
    "maximum-decreased",
    kind="number",
    hint=TIGHTER_HINT,
    breaks=BACKWARD,
    mirror="maximum-increased",
    example=({"type": "number", "maximum": 20}, {"type": "number", "maximum": 10}),
)
def maximum_decreased(site: Site) -> Iterable[Hit]:
    """The upper numeric bound was lowered or added (``maximum``/``exclusiveMaximum``).

    Breaks backward.
    """
    return _bound_rule(site, upper=True, tighter=True)


@rule(
    "maximum-increased",
    kind="number",
    hint=WIDER_HINT,
    breaks=FORWARD,
    mirror="maximum-decreased",
    example=({"type": "number", "maximum": 10}, {"type": "number", "maximum": 20}),
)
def maximum_increased(site: Site) -> Iterable[Hit]:
    """The upper numeric bound was raised or removed.

    Breaks forward.
    """
    return _bound_rule(site, upper=True, tighter=False)


def _int_rule(
    site: Site, keyword: str, rule_id: str, *, upper: bool, tighter: bool
) -> Iterator[Hit]:
    old = site.old.int_facet(keyword, upper=upper)
    new = site.new.int_facet(keyword, upper=upper)
    if upper:
        old_v = float("inf") if old is None else old
        new_v = float("inf") if new is None else new
        got_tighter = new_v < old_v
    else:
        old_v, new_v = old or 0, new or 0
        got_tighter = new_v > old_v
    if old_v == new_v or got_tighter != tighter:
        return
    yield keyword_hit(
        site,
        rule_id,
        f"{keyword} {'none' if old is None else old} -> {'none' if new is None else new}",
        keyword,
        patch=site.set_ops(keyword),
    )


def _int_pair(keyword: str, stem: str, kind: Kind, example_values: tuple[int, int]) -> None:
    """Register ``<stem>-increased`` and ``<stem>-decreased`` for an integer facet."""
    upper = keyword.startswith("max")
    narrow_word, wide_word = ("decreased", "increased") if upper else ("increased", "decreased")
    lo, hi = example_values
    base = {"type": kind}
    narrow_ex = (
        ({**base, keyword: hi}, {**base, keyword: lo})
        if upper
        else ({**base, keyword: lo}, {**base, keyword: hi})
    )
    wide_ex = (narrow_ex[1], narrow_ex[0])
    bound = "upper" if upper else "lower"
    for word, tighter, example, breaks in (
        (narrow_word, True, narrow_ex, BACKWARD),
        (wide_word, False, wide_ex, FORWARD),
    ):
        rule_id = f"{stem}-{word}"
        other = f"{stem}-{wide_word if tighter else narrow_word}"

        def detect(site: Site, _r: str = rule_id, _t: bool = tighter) -> Iterable[Hit]:
            return _int_rule(site, keyword, _r, upper=upper, tighter=_t)

        verb = (
            "tightened (lowered, or added)"
            if (tighter and upper)
            else (
                "tightened (raised, or added)"
                if tighter
                else (
                    "loosened (raised, or removed)" if upper else "loosened (lowered, or removed)"
                )
            )
        )
        detect.__doc__ = f"The {bound} bound ``{keyword}`` was {verb}.\n\nBreaks {breaks[0]}."
        hint = TIGHTER_HINT if tighter else WIDER_HINT
        rule(rule_id, breaks=breaks, kind=kind, mirror=other, example=example, hint=hint)(detect)


_int_pair("maxLength", "max-length", "string", (3, 10))
_int_pair("minLength", "min-length", "string", (0, 2))
_int_pair("maxItems", "max-items", "array", (3, 10))
_int_pair("minItems", "min-items", "array", (0, 2))
_int_pair("maxProperties", "max-properties", "object", (3, 10))
_int_pair("minProperties", "min-properties", "object", (0, 2))


@rule(
    "multiple-of-changed",
    kind="number",
    breaks=BOTH,
    waiver="multiple-of-changed is its own mirror (the engine decides the directions).",
    example=({"type": "integer", "multipleOf": 2}, {"type": "integer", "multipleOf": 4}),
)
def multiple_of_changed(site: Site) -> Iterable[Hit]:
    """``multipleOf`` was added, removed or changed.

    Adding or refining breaks backward; removing or coarsening breaks forward.
    """
    old = {canon(v) for v in (v for _, v in site.old.values("multipleOf"))}
    new = {canon(v) for v in (v for _, v in site.new.values("multipleOf"))}
    if old != new:
        olds = [v for _, v in site.old.values("multipleOf")]
        news = [v for _, v in site.new.values("multipleOf")]
        yield keyword_hit(
            site,
            "multiple-of-changed",
            f"multipleOf {show(olds)} -> {show(news)}",
            "multipleOf",
            patch=site.set_ops("multipleOf"),
        )
