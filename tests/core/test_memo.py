"""Identity memoisation: computed once per live object, never confused by id reuse."""

from __future__ import annotations

from typing import Any

from accord.core.memo import IdentityMemo


def test_computes_once_per_object_and_evicts() -> None:
    calls: list[int] = []
    memo: IdentityMemo[int] = IdentityMemo(size=2)

    def compute(obj: Any) -> int:
        calls.append(1)
        return len(obj)

    a, b, c = {"x": 1}, [1, 2], {"y": 1, "z": 2}
    assert memo(a, compute) == 1
    assert memo(a, compute) == 1
    assert len(calls) == 1
    assert memo(b, compute) == 2
    assert memo(c, compute) == 2
    assert memo(a, compute) == 1  # evicted (size 2), computed again
    assert len(calls) == 4


def test_equal_but_distinct_objects_are_separate_entries() -> None:
    memo: IdentityMemo[str] = IdentityMemo()
    first, second = {"a": 1}, {"a": 1}
    assert memo(first, lambda o: "first") == "first"
    assert memo(second, lambda o: "second") == "second"


def test_scalars_are_not_cached() -> None:
    memo: IdentityMemo[bool] = IdentityMemo()
    seen: list[object] = []
    memo(True, lambda o: seen.append(o) or True)
    memo(True, lambda o: seen.append(o) or True)
    assert seen == [True, True]
