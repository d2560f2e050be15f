"""The semantic inclusion engine: proof or witness, never "compatible" without proof.

``includes(sub, sup)`` first tries to *prove* that every payload valid under SUB is
valid under SUP (:mod:`accord.compat._prover`); when the proof has a gap it searches
for a *witness* (:mod:`accord.compat._refute`), a payload the reference validator
accepts under SUB and rejects under SUP. Neither gives an unproven verdict with the
reason. Contract semantics (docs/design.md) is the same question asked of the writer
closure of SUB, plus the removal policy in :func:`compare`.

Example:
    >>> includes({"type": "integer"}, {"type": "number"}).holds
    True
    >>> includes({"type": "number"}, {"type": "integer"}).witness
    1.5
"""

from __future__ import annotations

from typing import Any

from accord.compat._closure import removals, writer_closure
from accord.compat._nodes import BudgetExhausted, Ctx, Unsupported, may_contain, strict_equal
from accord.compat._prover import Gap, Prover
from accord.compat._refute import Refuter
from accord.compat._types import DEFAULT_MAX_STEPS, Comparison, Removal, Semantics, Verdict
from accord.core.memo import IdentityMemo
from accord.core.schema import Schema
from accord.validation.dialect import iter_subschemas

__all__ = ["UNMODELLED", "compare", "includes", "removals", "unmodelled", "writer_closure"]

_BUDGET = "step budget exhausted"

UNMODELLED: frozenset[str] = frozenset({"dependencies", "$dynamicRef"})
"""Keywords the reference validator (jsonschema-rs, 2020-12) applies and the engine does
not model: ``dependencies`` (the draft-07 keyword jsonschema-rs still asserts in 2020-12;
``accord.diff`` rewrites it to ``dependentRequired``/``dependentSchemas`` first) and
``$dynamicRef``. ``tests/compat/test_unmodelled.py`` probes the reference for every
keyword it knows and holds this set complete."""


def unmodelled(schema: Schema) -> str | None:
    """The first keyword of :data:`UNMODELLED` in ``schema``, with its pointer, or None.

    >>> unmodelled({"properties": {"a": {"dependencies": {"b": ["c"]}}}})
    "'dependencies' at /properties/a"
    """
    return _found(schema, _first_unmodelled) or None


# Documents are never mutated once built (accord.core.memo): a diff asks about the same
# local documents many times, and walks each once.
_found: IdentityMemo[str] = IdentityMemo(1024)


def _first_unmodelled(schema: Schema) -> str:
    if not may_contain(schema, UNMODELLED):
        return ""
    for where, node in iter_subschemas(schema):
        if isinstance(node, dict):
            for keyword in sorted(UNMODELLED & node.keys()):
                return f"{keyword!r} at {where or '/'}"
    return ""


def _fail_closed(verdict: Verdict, sub: Schema, sup: Schema) -> Verdict:
    """``verdict``, unless it claims inclusion while either side uses a keyword the
    reference applies and the engine ignores: then unproven, naming the keyword. A
    refutation stands (its witness was checked by the reference)."""
    if verdict.holds is False:
        return verdict
    found = unmodelled(sup) or unmodelled(sub)
    if found is None:
        return verdict
    return Verdict(
        holds=None,
        reason=f"the reference validator applies {found}, which the engine does not model",
    )


def _generated_candidates(sub: Schema) -> list[Any]:
    """Payloads from the shared generator, when that module is present."""
    try:
        from accord.payloads import generate as _generate  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return []
    try:
        return list(_generate.valid_payloads(sub, n=20, seed=0))
    except Exception:  # noqa: BLE001 - the generator is a best-effort source of candidates
        return []


def _includes(sub: Schema, sup: Schema, max_steps: int) -> tuple[Verdict, int]:
    ctx = Ctx(max_steps)
    a = ctx.add_doc(sub)
    b = ctx.add_doc(sup)
    prover = Prover(ctx)
    try:
        gap = prover.incl([a], b)
    except BudgetExhausted:
        return Verdict(holds=None, reason=_BUDGET), ctx.steps
    except Unsupported as exc:
        gap = Gap(str(exc))
    if gap is None:
        return Verdict(holds=True), ctx.steps
    # The refuter gets its own allowance so a witness search on a large schema is not
    # starved by the proof attempt, still counted and still deterministic.
    ctx.max_steps = ctx.steps + max(max_steps // 4, 1)
    reason = gap.reason
    try:
        refuter = Refuter(ctx, prover, a, b, max_tries=4000)
        found, witness = refuter.find(gap, lambda: _generated_candidates(sub))
    except BudgetExhausted:
        found, witness = False, None
        reason = (
            f"{gap.reason} (no witness found before the {_BUDGET.replace('exhausted', 'ran out')})"
        )
    except Unsupported:
        found, witness = False, None
    if found:
        return Verdict(holds=False, witness=witness, has_witness=True, reason=reason), ctx.steps
    return Verdict(holds=None, reason=reason), ctx.steps


def includes(
    sub: Schema,
    sup: Schema,
    *,
    semantics: Semantics = "set",
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Verdict:
    """Whether every payload a writer on ``sub`` may emit is valid under ``sup``.

    ``semantics="set"`` asks L(sub) ⊆ L(sup); ``"contract"`` asks it of the writer
    closure of ``sub`` (no removal policy here, see :func:`compare`). ``holds`` is True
    only with a proof, False only with a witness checked by the reference validator,
    else None with the reason.
    """
    try:
        writer = writer_closure(sub) if semantics == "contract" else sub
    except Unsupported as exc:
        return Verdict(holds=None, reason=f"cannot model the writer: {exc}")
    # The writer closure only derives from ``sub``: checking the originals suffices.
    return _fail_closed(_includes(writer, sup, max_steps)[0], sub, sup)


def _with_removals(verdict: Verdict, found: list[Removal]) -> Verdict:
    if not found or verdict.holds is False:
        return verdict
    first = found[0]
    where = first.instance_path or "/"
    return Verdict(
        holds=False,
        reason=f"property removed: {first.key!r} at {where} ({first.reason})",
    )


def compare(
    old: Schema,
    new: Schema,
    *,
    semantics: Semantics = "contract",
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Comparison:
    """Both directions between OLD and NEW (backward: old ⊆ new; forward: new ⊆ old).

    Under contract semantics each direction is asked of the writer's closure, and a
    removed property (:func:`removals`) makes both directions not hold.
    """
    if strict_equal(old, new):
        # Same document: every payload (and every writer's payload) of one is in the other.
        return Comparison(backward=Verdict(holds=True), forward=Verdict(holds=True), steps=1)
    if semantics == "contract":
        try:
            old_writer, new_writer = writer_closure(old), writer_closure(new)
            found = removals(old, new)
        except Unsupported as exc:
            # Fail closed: a feature the closure cannot model leaves both directions
            # unproven, never compatible.
            unproven = Verdict(holds=None, reason=f"cannot model the writers: {exc}")
            return Comparison(backward=unproven, forward=unproven, steps=0)
        backward, s1 = _includes(old_writer, new, max_steps)
        forward, s2 = _includes(new_writer, old, max_steps)
        return Comparison(
            backward=_fail_closed(_with_removals(backward, found), old, new),
            forward=_fail_closed(_with_removals(forward, found), new, old),
            removals=tuple(found),
            steps=s1 + s2,
        )
    backward, s1 = _includes(old, new, max_steps)
    forward, s2 = _includes(new, old, max_steps)
    return Comparison(
        backward=_fail_closed(backward, old, new),
        forward=_fail_closed(forward, new, old),
        steps=s1 + s2,
    )
