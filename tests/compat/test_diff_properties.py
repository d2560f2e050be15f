"""Property-based tests of ``diff``: crisp properties over generated schemas.

- ``diff(s, s)`` (and a key-reordered copy) reports no change and bump ``none``;
- every witness is accepted by the side it names and rejected by the other, by the
  reference validator (for contract semantics, the accepting side's writer closure);
- no report says a direction holds while a payload valid under one side fails the other.
"""

from __future__ import annotations

from typing import Any

from _cases import check_witnesses_separate
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compat import diff
from accord.payloads import generate as _generate
from accord.validation.reference import is_valid

KEYS = st.sampled_from(["a", "b", "c"])

LEAVES = st.one_of(
    st.sampled_from(["string", "integer", "number", "boolean", "null"]).map(lambda t: {"type": t}),
    st.integers(0, 4).map(lambda n: {"type": "string", "maxLength": n}),
    st.integers(-2, 2).map(lambda n: {"type": "integer", "minimum": n}),
    st.lists(st.sampled_from(["x", "y", 1, None]), min_size=1, max_size=3, unique=True).map(
        lambda values: {"enum": values}
    ),
    st.just({"type": ["string", "null"]}),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    objects = st.builds(
        lambda props, required, closed: {
            "type": "object",
            "properties": props,
            **({"required": sorted(set(required) & set(props))} if required else {}),
            **({"additionalProperties": False} if closed else {}),
        },
        st.dictionaries(KEYS, children, max_size=3),
        st.lists(KEYS, max_size=2),
        st.booleans(),
    )
    arrays = st.builds(lambda item: {"type": "array", "items": item}, children)
    unions = st.lists(children, min_size=2, max_size=2).map(lambda b: {"anyOf": b})
    return st.one_of(objects, arrays, unions)


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=6)


def _reordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


@settings(max_examples=60, deadline=None, derandomize=True)
@given(SCHEMAS)
def test_diff_of_a_schema_with_itself_is_empty(schema: Any) -> None:
    for other in (schema, _reordered(schema)):
        report = diff(schema, other)
        assert report.changes == ()
        assert report.required_bump == "none"
        assert report.compatible


@settings(max_examples=80, deadline=None, derandomize=True)
@given(SCHEMAS, SCHEMAS, st.sampled_from(["contract", "set"]))
def test_every_witness_separates_the_sides(old: Any, new: Any, semantics: str) -> None:
    report = diff(old, new, semantics=semantics)  # type: ignore[arg-type]
    check_witnesses_separate(report, old, new, semantics)
    for change in report.changes:
        witness = change.witness
        if witness is None:
            continue
        assert witness.accepted_by != witness.rejected_by
        expected = "old" if "backward" in change.breaks else "new"
        if change.breaks in (("backward",), ("forward",)):
            assert witness.accepted_by == expected


@settings(max_examples=60, deadline=None, derandomize=True)
@given(SCHEMAS, SCHEMAS)
def test_no_direction_holds_against_a_payload(old: Any, new: Any) -> None:
    report = diff(old, new, semantics="set")
    if report.backward:
        for payload in _generate.valid_payloads(old, n=5):
            assert is_valid(new, payload), payload
    if report.forward:
        for payload in _generate.valid_payloads(new, n=5):
            assert is_valid(old, payload), payload


@settings(max_examples=60, deadline=None, derandomize=True)
@given(SCHEMAS)
def test_wrapping_in_allof_changes_nothing(schema: Any) -> None:
    # Not a textual no-op, so the walker and the engine really run.
    report = diff(schema, {"allOf": [schema]})
    assert (report.backward, report.forward, report.compatible) == (True, True, True)
    assert all(not c.breaks for c in report.changes), report.changes
    assert {c.rule for c in report.changes} <= {"ref-refactored"}
    assert report.required_bump == "patch"
