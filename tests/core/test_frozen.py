"""Frozen JSON documents: no mutating method gets through, reading is a dict/list's."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from accord.core.frozen import FrozenDict, FrozenList, freeze, is_frozen, thaw


def _doc() -> Any:
    return freeze({"type": "object", "required": ["a", "b"], "properties": {"a": {}}})


DICT_EDITS: list[tuple[str, Callable[[Any], Any]]] = [
    ("setitem", lambda d: d.__setitem__("type", "array")),
    ("delitem", lambda d: d.__delitem__("type")),
    ("ior", lambda d: d.__ior__({"x": 1})),
    ("clear", lambda d: d.clear()),
    ("pop", lambda d: d.pop("type")),
    ("pop-default", lambda d: d.pop("missing", None)),
    ("popitem", lambda d: d.popitem()),
    ("setdefault", lambda d: d.setdefault("x", 1)),
    ("update", lambda d: d.update(x=1)),
    ("nested", lambda d: d["properties"].__setitem__("b", {})),
    ("nested-deeper", lambda d: d["properties"]["a"].__setitem__("type", "string")),
]

LIST_EDITS: list[tuple[str, Callable[[Any], Any]]] = [
    ("setitem", lambda xs: xs.__setitem__(0, "z")),
    ("setslice", lambda xs: xs.__setitem__(slice(0, 1), ["z"])),
    ("delitem", lambda xs: xs.__delitem__(0)),
    ("iadd", lambda xs: xs.__iadd__(["z"])),
    ("imul", lambda xs: xs.__imul__(2)),
    ("append", lambda xs: xs.append("z")),
    ("extend", lambda xs: xs.extend(["z"])),
    ("insert", lambda xs: xs.insert(0, "z")),
    ("pop", lambda xs: xs.pop()),
    ("remove", lambda xs: xs.remove("a")),
    ("reverse", lambda xs: xs.reverse()),
    ("sort", lambda xs: xs.sort()),
    ("clear", lambda xs: xs.clear()),
]


@pytest.mark.parametrize(("name", "edit"), DICT_EDITS, ids=[n for n, _ in DICT_EDITS])
def test_every_dict_edit_raises_and_changes_nothing(name: str, edit: Callable[[Any], Any]) -> None:
    doc = _doc()
    before = json.dumps(doc, sort_keys=True)
    with pytest.raises(TypeError, match="frozen JSON document"):
        edit(doc)
    assert json.dumps(doc, sort_keys=True) == before


@pytest.mark.parametrize(("name", "edit"), LIST_EDITS, ids=[n for n, _ in LIST_EDITS])
def test_every_list_edit_raises_and_changes_nothing(name: str, edit: Callable[[Any], Any]) -> None:
    doc = _doc()
    with pytest.raises(TypeError, match="frozen JSON document"):
        edit(doc["required"])
    assert doc["required"] == ["a", "b"]


def test_augmented_assignment_through_a_name_raises() -> None:
    doc = _doc()
    required = doc["required"]
    with pytest.raises(TypeError):
        required += ["c"]
    with pytest.raises(TypeError):
        doc |= {"x": 1}
    assert doc["required"] == ["a", "b"]
    assert "x" not in doc


def test_frozen_documents_read_as_dicts_and_lists() -> None:
    doc = _doc()
    assert isinstance(doc, dict)
    assert isinstance(doc["required"], list)
    assert doc == {"type": "object", "required": ["a", "b"], "properties": {"a": {}}}
    assert json.loads(json.dumps(doc)) == doc
    assert is_frozen(doc)
    assert is_frozen(doc["properties"]["a"])
    assert not is_frozen({})


def test_freeze_keeps_sharing_and_reuses_frozen_subtrees() -> None:
    shared: dict[str, Any] = {"type": "string"}
    frozen = freeze({"a": shared, "b": shared, "c": [shared]})
    assert frozen["a"] is frozen["b"] is frozen["c"][0]
    assert freeze(frozen) is frozen
    outer = freeze({"inner": frozen})
    assert outer["inner"] is frozen
    assert freeze(3) == 3
    assert freeze("x") == "x"
    assert freeze(None) is None
    # the input stays the caller's, mutable and independent
    shared["type"] = "integer"
    assert frozen["a"] == {"type": "string"}


def test_deepcopy_and_thaw_give_editable_plain_copies() -> None:
    doc = _doc()
    for editable in (copy.deepcopy(doc), thaw(doc)):
        assert type(editable) is dict
        assert type(editable["required"]) is list
        assert type(editable["properties"]["a"]) is dict
        editable["properties"]["a"]["type"] = "string"
        editable["required"].append("c")
    assert doc == {"type": "object", "required": ["a", "b"], "properties": {"a": {}}}
    shallow = copy.copy(doc)
    shallow["type"] = "array"  # the top level is the caller's now
    with pytest.raises(TypeError):
        shallow["required"].append("c")  # its children are still shared and frozen
    assert doc["type"] == "object"


def test_pickle_round_trip_stays_frozen() -> None:
    doc = _doc()
    back = pickle.loads(pickle.dumps(doc))
    assert back == doc
    assert isinstance(back, FrozenDict)
    assert isinstance(back["required"], FrozenList)
    with pytest.raises(TypeError):
        back["type"] = "array"


def test_thaw_copies_every_container_and_keeps_sharing() -> None:
    leaf = {"type": "string", "enum": ["a", "b"]}
    doc = freeze({"a": leaf, "b": leaf, "c": [leaf, [1, 2]], "d": 1.5})
    plain = thaw(doc)
    assert plain == doc
    assert plain["a"] is plain["b"] is plain["c"][0]  # shared once, copied once
    assert type(plain["a"]) is dict
    assert type(plain["a"]["enum"]) is list
    assert type(plain["c"][1]) is list
    assert plain["a"] is not doc["a"]
    assert plain["a"]["enum"] is not doc["a"]["enum"]
    plain["a"]["enum"].append("c")
    assert doc["a"]["enum"] == ["a", "b"]
