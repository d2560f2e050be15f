"""What every file of cases in the shared case format checks the same way."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from accord.compat._engine import writer_closure
from accord.validation.reference import is_valid


def check_listed_witnesses(old: Any, new: Any, witnesses: dict[str, list[Any]]) -> None:
    """Each listed payload is accepted and rejected as its list says, under the
    reference validator (``old_only``, ``new_only``, ``both``)."""
    for listed, expected in (
        ("old_only", (True, False)),
        ("new_only", (False, True)),
        ("both", (True, True)),
    ):
        for payload in witnesses[listed]:
            assert (is_valid(old, payload), is_valid(new, payload)) == expected, (listed, payload)


def check_witnesses_separate(report: Any, old: Any, new: Any, semantics: str) -> None:
    """Every change's witness is accepted by the side it names (for contract semantics,
    that side's writer closure) and refused by the other, under the reference."""
    sides = {"old": old, "new": new}
    for change in report.changes:
        witness = change.witness
        if witness is None:
            continue
        accepting = sides[witness.accepted_by]
        if semantics == "contract":
            accepting = writer_closure(accepting)
        assert is_valid(accepting, witness.payload), change
        assert not is_valid(sides[witness.rejected_by], witness.payload), change


# Payloads the soundness properties try against every proven inclusion (beside the
# payload generator's): a fixed set of probes, and small JSON drawn by hypothesis.
PROBES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    "",
    "a",
    "abcd",
    [],
    ["ab"],
    ["ab", 1],
    [1, "ab"],
    {},
    {"a": 1},
    {"a": "x", "b": None},
    {"ab": 1, "b": 2, "c": 3},
]

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.sampled_from([1.5, -0.5, 0.0]),
        st.text(alphabet="ab", max_size=6),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "c", "ab"]), inner, max_size=3),
    ),
    max_leaves=6,
)
