"""Regex automata at bounded cost: hostile patterns spend the engine's step budget.

A pattern pair whose difference automaton is exponential (``[ab]*a[ab]{14}``: the
subset construction needs 2^15 states) stops at the search's own state budget and the
direction is unproven, never compatible; many such patterns charge their states to the
engine's step budget, so the comparison ends within it (counts, not time).
"""

from __future__ import annotations

import pytest

from accord.compat._engine import compare, includes
from accord.validation.regular import DEFAULT_BUDGET, Undecided, compile_pattern, find

HARD_A = "^(?:[ab]*a[ab]{14})$"
HARD_B = "^(?:[ab]*b[ab]{14})$"


def test_an_exponential_difference_stops_at_the_state_budget() -> None:
    with pytest.raises(Undecided, match=str(DEFAULT_BUDGET)):
        find([compile_pattern(HARD_A)], [compile_pattern(HARD_B)])


def test_the_engine_never_proves_what_the_automata_could_not_decide() -> None:
    writer = {"type": "string", "pattern": HARD_A}
    reader = {"type": "string", "pattern": HARD_B}
    verdict = includes(writer, reader)
    assert verdict.holds is not True


def test_many_hard_patterns_spend_the_step_budget() -> None:
    budget = 4 * DEFAULT_BUDGET
    pats = {f"^(?:[ab]*a[ab]{{{12 + i % 3}}}){'x' * i}$": {"type": "integer"} for i in range(40)}
    pats_b = {p.replace("a[ab]", "b[ab]"): v for p, v in pats.items()}
    old = {"type": "object", "patternProperties": pats, "additionalProperties": False}
    new = {"type": "object", "patternProperties": pats_b, "additionalProperties": False}
    result = compare(old, new, semantics="set", max_steps=budget)
    assert result.backward.holds is not True
    # each search charges at most its own budget beyond the engine's
    assert result.steps <= 2 * (budget + DEFAULT_BUDGET)


def test_deeply_nested_groups_are_refused_not_a_crash() -> None:
    from accord.validation.regular import NotRegular

    with pytest.raises(NotRegular, match="nested"):
        compile_pattern("(" * 5000 + "a" + ")" * 5000)
    with pytest.raises(NotRegular, match="too many states"):
        compile_pattern("((a{100}){100}){100}")
    # deep, but within what the reference compiles (it refuses ~100 levels): read
    deep = "(?:" * 60 + "a" + ")" * 60
    verdict = includes({"type": "string", "pattern": "^b"}, {"pattern": deep})
    assert verdict.holds is False
    assert verdict.witness == "b"
