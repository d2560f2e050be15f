"""Identity memoisation: computed once per live object, never confused by id reuse."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from accord.core import memo
from accord.core.memo import IdentityMemo, canonical_text


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


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@pytest.mark.parametrize(
    "value",
    [
        {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(20)}},
        {"z": [1.0, -0.0, float("nan"), 10**30], "a": {str(i): i for i in range(9)}, "é": None},
        {"b\u2028\x00": list(range(12)), "a": {"nested": {f"k{i}": [True] for i in range(9)}}},
        {"ints": {i: str(i) for i in range(12)}, "other": "x"},
        {"$ref": "#/$defs/x", "$defs": {f"d{i}": {"$ref": "#"} for i in range(10)}},
        {"value": object(), "big": list(range(20))},
    ],
    ids=["root", "numbers", "escapes", "non-string-keys-inside", "refs", "not-json"],
)
def test_canonical_text_is_json_dumps_with_sorted_keys(value: Any) -> None:
    assert canonical_text(value) == _dumps(value)


def test_a_small_object_memoises_the_text_of_its_large_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(50)}}
    canonical_text(root)
    written: list[Any] = []
    write = memo.write_canonical

    def recorded(value: Any) -> str:
        written.append(value)
        return write(value)

    monkeypatch.setattr(memo, "write_canonical", recorded)
    # A writer closure around the root shares its properties: they are not written again.
    assert canonical_text(root["properties"]) == _dumps(root["properties"])
    closure = {**root, "allOf": [{"$ref": "#/$defs/c"}]}
    assert canonical_text(closure) == _dumps(closure)
    assert written == [[{"$ref": "#/$defs/c"}], "object"]


def test_keys_that_do_not_sort_are_refused_as_json_dumps_refuses_them() -> None:
    value = {"big": list(range(10)), "mixed": {1: "a", "s": "b"}}
    with pytest.raises(TypeError):
        _dumps(value)
    with pytest.raises(TypeError):
        canonical_text(value)


def test_a_cycle_through_a_small_object_is_refused_as_json_dumps_refuses_it() -> None:
    root: dict[str, Any] = {"properties": {f"p{i}": {} for i in range(10)}}
    root["properties"]["self"] = root
    with pytest.raises(ValueError, match="Circular reference detected"):
        canonical_text(root)


@pytest.mark.parametrize(
    "leaf",
    [
        {"type": "string", "maxLength": 64},
        {"z": -0.0, "a": float("nan"), "é\u2028": None, "m": 10**30, "b": True},
        {2: "x", 1: "y"},
        {},
    ],
    ids=["leaf", "scalars", "int-keys", "empty"],
)
def test_a_small_object_of_scalars_is_written_each_time_not_memoised(leaf: Any) -> None:
    """A leaf schema's text costs no more to write than to look up: it is the text
    json.dumps writes, and it takes no place in the memo the documents need."""
    assert canonical_text(leaf) == _dumps(leaf)
    assert id(leaf) not in memo._canonical_memo._entries
    with pytest.raises(TypeError):
        canonical_text({1: "a", "s": "b"})


def _outcome(write: Any, value: Any) -> Any:
    try:
        return write(value)
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)


_CYCLE: list[Any] = []
_CYCLE.append(_CYCLE)
_WRITTEN = [
    {"b": 1, "a": [1.5, float("nan"), float("inf"), -0.0, True, None, 'é\u2028"x']},
    "text",
    "é",
    7,
    2**70,
    None,
    [],
    {},
    {1: 2, "x": (1, 2)},
    {"set": {1, 2}},
    {1: 1, "a": 2},
    {(1, 2): 3},
    {"nested": {"z": [{"y": 1, "x": [True, False]}]}},
    _CYCLE,
]


@pytest.mark.parametrize("value", _WRITTEN)
def test_the_direct_writers_write_and_refuse_as_json_dumps_does(value: Any) -> None:
    """write_canonical and write_json call the C encoder without JSONEncoder.encode's
    Python frames: the same text, and the same error for what json.dumps refuses
    (unsortable keys, a cycle, a value json.dumps cannot write)."""
    canonical = functools.partial(json.dumps, sort_keys=True, separators=(",", ":"), default=str)
    assert _outcome(memo.write_canonical, value) == _outcome(canonical, value)
    assert _outcome(memo.write_json, value) == _outcome(json.dumps, value)


def test_the_entries_recorded_are_the_ones_made_inside_and_forget_drops_only_them() -> None:
    import threading

    first: IdentityMemo[int] = IdentityMemo()
    second: IdentityMemo[int] = IdentityMemo()
    before, inside, other, elsewhere = {"a": 1}, [1, 2], {"b": [3]}, {"c": 4}
    first(before, len)
    with memo.Recorded() as made:
        first(before, len)  # a hit: made before the block, not recorded
        first(inside, len)
        second(other, len)
        # Another thread's entries are its own, even while this block records.
        worker = threading.Thread(target=lambda: second(elsewhere, len))
        worker.start()
        worker.join()
    first({"after": 1}, len)  # after the block: not recorded
    made.forget()
    assert [o for o, _ in first._entries.values()] == [before, {"after": 1}]
    assert [o for o, _ in second._entries.values()] == [elsewhere]
    made.forget()  # a second time: nothing left to drop
    assert len(first._entries) == 2


def test_forget_drops_what_the_memo_holds_for_each_recorded_object() -> None:
    table: IdentityMemo[int] = IdentityMemo(size=1)
    kept = {"x": 1}
    with memo.Recorded() as made:
        table({"y": [1]}, len)  # recorded, then evicted by the next entry (size 1)
        table(kept, len)
    table._entries.clear()
    table(kept, len)  # made again, outside the block: a new entry, not the recorded one
    assert len(table._entries) == 1
    made.forget()
    # Entries are per object: ``kept`` was recorded, so its entry goes (the evicted
    # object's is not there to drop).
    assert len(table._entries) == 0
    other = [4]
    table(other, len)
    made.forget()  # nothing recorded is left: an entry of another object stays
    assert [o for o, _ in table._entries.values()] == [other]


def test_a_block_inside_a_block_records_its_own_entries() -> None:
    table: IdentityMemo[int] = IdentityMemo()
    outer_doc, inner_doc = [1], [2, 3]
    with memo.Recorded() as outer:
        with memo.Recorded() as inner:
            table(inner_doc, len)
        table(outer_doc, len)
    outer.forget()
    assert [o for o, _ in table._entries.values()] == [inner_doc]
    inner.forget()
    assert len(table._entries) == 0
