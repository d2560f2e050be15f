"""One walk that freezes and checks a parsed schema refuses exactly what
``check_limits`` refuses, with the same pointer, and finds every string ``$ref``."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from accord.core.frozen import freeze, is_frozen
from accord.errors import SchemaError
from accord.validation import budget as _budget

LIMITS = _budget.SchemaLimits(max_items=8, max_nodes=60)


def _fan(width: int, levels: int) -> dict[str, Any]:
    defs: dict[str, Any] = {f"L{levels}": {"type": "string"}}
    for i in range(levels - 1, -1, -1):
        defs[f"L{i}"] = {"anyOf": [{"$ref": f"#/$defs/L{i + 1}"} for _ in range(width)]}
    return {"$defs": defs, "$ref": "#/$defs/L0"}


def _leaves(count: int) -> dict[str, Any]:
    """``count`` references to one target that holds no ``$ref`` (3 containers)."""
    return {
        "$defs": {"m": {"properties": {"a": {"type": "string"}}}},
        "allOf": [{"properties": {f"p{i}": {"$ref": "#/$defs/m"} for i in range(4)}}] * count,
    }


def _random(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth == 0 or roll < 0.3:
        return rng.choice([1, "x", None, True, 2.5, "#/a", "#/$defs/d"])
    if roll < 0.45:
        return [_random(rng, depth - 1) for _ in range(rng.randrange(0, 10))]
    node = {f"k{i}": _random(rng, depth - 1) for i in range(rng.randrange(0, 10))}
    if rng.random() < 0.4:
        node["$ref"] = rng.choice(["#", "#/a", "#/$defs/d", "#/$defs/d/0", "#/nope", "#x", 3])
    if rng.random() < 0.3:
        node["$defs"] = {"d": _random(rng, depth - 1)}
    return node


DOCUMENTS: dict[str, Any] = {
    "plain": {"type": "object", "properties": {"a": {"type": "string"}}},
    "wide": {"enum": list(range(9))},
    "wide-deep": {"properties": {"a": {"allOf": [{} for _ in range(9)]}}},
    "many-nodes": {"allOf": [{"allOf": [{}, {}]} for _ in range(8)] * 1},
    "too-many-nodes": {"allOf": [{"allOf": [{}, {}, {}, {}, {}, {}, {}]} for _ in range(8)]},
    "leaf-refs-under": _leaves(2),
    "leaf-refs-over": _leaves(4),
    "fan-under": _fan(2, 2),
    "fan-over": _fan(3, 4),
    "recursive": {"$defs": {"n": {"items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"},
    "ref-to-root": {"properties": {"a": {"$ref": "#"}}},
    "ref-in-const": {"const": {"$ref": "#/const"}, "anyOf": [{"$ref": "#/anyOf"}]},
    "ref-not-a-string": {"$ref": {"$ref": "#"}},
    "anchor": {"$defs": {"a": {"$anchor": "x"}}, "$ref": "#x"},
    "scalar": 3,
    "brackets-in-strings": {"description": "[{" * 40, "$ref": "#/description", "x": "é,,,,"},
}


def _outcome(function: Any, document: Any) -> Any:
    try:
        return function(document)
    except SchemaError as exc:
        return (exc.code, exc.pointer, exc.message)


def _reference(document: Any) -> Any:
    _budget.check_limits(document, LIMITS, file="f")
    return freeze(document)


def _fused(document: Any) -> Any:
    return _budget.freeze_within_limits(document, LIMITS, file="f")[0]


def _string_refs(document: Any) -> list[str]:
    found: list[str] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                found.append(node["$ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(found)


def _check(document: Any) -> None:
    document = json.loads(json.dumps(document))  # a parsed tree: nothing shared
    expected = _outcome(_reference, document)
    got = _outcome(_fused, document)
    assert got == expected
    if not isinstance(expected, tuple):
        assert is_frozen(got) or not isinstance(got, dict | list)
        refs = _budget.freeze_within_limits(document, LIMITS)[1]
        assert sorted(refs) == _string_refs(document)
    # From the bytes: compact, indented, and with escapes (which take the walk).
    for raw in (
        json.dumps(document, separators=(",", ":")).encode(),
        json.dumps(document, indent=2, ensure_ascii=False).encode(),
        json.dumps(document, ensure_ascii=True).encode().replace(b"#", b"\\u0023"),
    ):
        light = _outcome(
            lambda d, raw=raw: _budget.refs_within_limits(raw, d, LIMITS, file="f"), document
        )
        if isinstance(expected, tuple):
            assert light == expected
        else:
            assert sorted(light) == _string_refs(document)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_fused_walk_refuses_what_check_limits_refuses(name: str) -> None:
    _check(DOCUMENTS[name])


def test_the_cases_cover_both_outcomes() -> None:
    refused = {n for n, d in DOCUMENTS.items() if isinstance(_outcome(_reference, d), tuple)}
    assert refused == {"wide", "wide-deep", "too-many-nodes", "leaf-refs-over", "fan-over"}


def test_the_fused_walk_agrees_on_random_documents() -> None:
    rng = random.Random(17)
    documents = [_random(rng, 4) for _ in range(400)]
    for document in documents:
        _check(document)
    refused = sum(isinstance(_outcome(_reference, d), tuple) for d in documents)
    assert 40 < refused < 360  # both outcomes, often


@pytest.mark.parametrize(
    ("raw", "refs"),
    [
        (rb'{"$r\u0065f": "#/a", "a": {}}', ["#/a"]),
        (rb'{"$ref": "#\/a", "a": {}}', ["#/a"]),
        (rb'{"$ref": "#/a\"b", "a\"b": {}}', ['#/a"b']),
        (rb'{"\"$ref": "#/x", "$defs": {"$ref": 1}}', []),
        (rb'{"description": "\"$ref\": \"#/y\"", "$ref": "#"}', ["#"]),
    ],
    ids=["escaped-key", "escaped-slash", "escaped-quote", "quote-in-key", "quotes-in-text"],
)
def test_escapes_never_hide_or_change_a_ref(raw: bytes, refs: list[str]) -> None:
    document = json.loads(raw)
    assert sorted(_string_refs(document)) == refs
    found = _budget.refs_within_limits(raw, document, LIMITS)
    # Every real value, decoded; anything extra is no $ref at all (only stricter).
    assert set(refs) <= set(found)
    assert all(not ref.startswith("\\") and "\\" not in ref for ref in found)


def test_strings_of_frozen_documents_are_shared() -> None:
    text = '{"type": "object", "properties": {"a": {"type": "string", "enum": ["x-1", "y-2"]}}}'
    one, two = json.loads(text), json.loads(text)
    assert one["properties"]["a"]["type"] is not two["properties"]["a"]["type"]
    first = _budget.freeze_within_limits(one)[0]
    second = _budget.freeze_within_limits(two)[0]
    assert first == second
    assert first["properties"]["a"]["type"] is second["properties"]["a"]["type"]
    assert first["properties"]["a"]["enum"][1] is second["properties"]["a"]["enum"][1]


def _by_definition(document: Any) -> Any:
    """What ``check_limits`` refuses by its definition: the first wide container, else
    an expanded size over the cap (``expanded_size``)."""
    wide = _budget._wide(document, LIMITS.max_items)
    if wide is not None:
        return ("schema-too-complex", wide[0])
    if _budget.expanded_size(document, cap=LIMITS.max_nodes) > LIMITS.max_nodes:
        return ("schema-too-complex", "")
    return None


def _check_limits(document: Any) -> Any:
    found = _outcome(lambda d: _budget.check_limits(d, LIMITS, file="f"), document)
    return found[:2] if isinstance(found, tuple) else found


def test_check_limits_counts_a_document_without_refs_in_its_own_walk() -> None:
    # As given (not through JSON): shared containers count once per path, refs or not.
    shared = {"allOf": [{"allOf": [{}, {}, {}]}] * 6}  # 32 containers, 7 distinct
    documents = [
        *DOCUMENTS.values(),
        {"anyOf": [shared]},  # 34 containers: under the cap of 60
        {"anyOf": [shared, shared]},  # 66: over it, though only 9 are distinct
        {"$defs": {"s": shared}, "anyOf": [{"$ref": "#/$defs/s"}] * 2},  # 101
        {"$ref": 3, "anyOf": [shared, shared]},  # a $ref not a string follows nothing
    ]
    rng = random.Random(71)
    documents += [_random(rng, 4) for _ in range(300)]
    outcomes = [_check_limits(d) for d in documents]
    assert outcomes == [_by_definition(d) for d in documents]
    assert outcomes[len(DOCUMENTS) : len(DOCUMENTS) + 4] == [
        None,
        ("schema-too-complex", ""),
        ("schema-too-complex", ""),
        ("schema-too-complex", ""),
    ]


def _canonical_by_definition(document: Any) -> bool:
    """Every object's keys sorted, no ``$id`` key, only plain JSON values."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "$id" in node or list(node) != sorted(node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif type(node) not in (str, int, float, bool, type(None)):
            return False
    return True


CANONICAL_CASES = {
    "sorted": {"a": 1, "b": {"c": [{"d": 1, "e": 2}], "f": None}},
    "root unsorted": {"b": 1, "a": 1},
    "nested unsorted": {"a": {"b": [{"y": 1, "x": 2}]}},
    "deep unsorted in an array": {"a": [[[{"b": 1, "a": 2}]]]},
    "$id": {"$id": "x", "a": 1},
    "nested $id": {"a": {"$id": "x"}},
    "$id as a value only": {"a": "$id"},
    "code point order": {"\u00e9": 1, "\U0001f600": 2, "\uffff": 3},
    "utf-16 order": {"\u00e9": 1, "\uffff": 2, "\U0001f600": 3},
    "prefixes": {"": 1, "a": 2, "a\u0000": 3, "aa": 4},
    "prefixes unsorted": {"a": 1, "": 2},
    "big integer": {"a": 10**40, "b": -(10**40)},
    "big integer unsorted": {"b": 10**40, "a": 1},
    "lone surrogate": {"a": "\ud800", "b": 1},
    "lone surrogate key unsorted": {"\ud800": 1, "a": 2},
    "not plain": {"a": 1.5, "b": float("inf")},
    "empty": {},
    "array root": [{"a": 1}, {"b": 2, "a": 1}],
    "scalar root": "x",
}


@pytest.mark.parametrize("name", list(CANONICAL_CASES))
def test_the_canonical_flag_is_its_definition(name: str) -> None:
    document = CANONICAL_CASES[name]
    canonical = _budget.freeze_within_limits(document)[2]
    assert canonical == _canonical_by_definition(document)


def test_the_canonical_flag_is_its_definition_on_random_trees() -> None:
    rng = random.Random(29)
    keys = ["a", "b", "B", "$id", "\u00e9", "\U0001f600", "\uffff", ""]

    def tree(depth: int) -> Any:
        if depth == 0 or rng.random() < 0.3:
            return rng.choice([1, "s", None, 2.5, True, 10**30])
        if rng.random() < 0.5:
            return [tree(depth - 1) for _ in range(rng.randint(0, 3))]
        chosen = rng.sample(keys, rng.randint(0, 4))
        if rng.random() < 0.6:
            chosen.sort()
        return {k: tree(depth - 1) for k in chosen}

    for _ in range(500):
        document = tree(4)
        assert _budget.freeze_within_limits(document)[2] == _canonical_by_definition(document)


def _naive_scan(document: Any, max_items: int) -> tuple[bool, int, bool]:
    """Every container visited one by one, in ``_scan``'s order."""
    stack = [document] if isinstance(document, dict | list) else []
    containers, refs = 0, False
    while stack:
        value = stack.pop()
        if len(value) > max_items:
            return True, containers, refs
        containers += 1
        if isinstance(value, dict):
            refs = refs or type(value.get("$ref")) is str
        items = value.values() if isinstance(value, dict) else value
        stack.extend(v for v in items if isinstance(v, dict | list))
    return False, containers, refs


def test_the_scan_skips_only_containers_of_plain_scalars() -> None:
    """A container holding plain scalars only is passed over in one C pass; its count,
    the cap and the ``$ref`` flag are what a walk of every container finds, frozen
    documents (container subclasses) included."""
    rng = random.Random(23)
    documents = [_random(rng, 4) for _ in range(300)]
    documents += [freeze(d) for d in documents[:100]]
    for document in documents:
        for max_items in (3, 6, 10_000):
            assert _budget._scan(document, max_items) == _naive_scan(document, max_items)


def _containers(value: Any) -> list[Any]:
    out, stack = [], [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            out.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return out


def test_a_container_of_plain_scalars_counts_what_the_walk_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A leaf (no container, no string ``$ref`` inside) counts 1 without the walk; every
    subschema of random documents, frozen ones too, counts what the walk counts."""
    rng = random.Random(29)
    documents = [_random(rng, 4) for _ in range(200)]
    documents += [freeze(d) for d in documents[:60]]
    documents += [{"$ref": "#/$defs/d", "$defs": {"d": [1, 2]}}, {"$ref": 3}, {"type": "x"}]
    asked = [(sub, d) for d in documents for sub in _containers(d)]
    counts = [_budget.expanded_size(sub, root=d, cap=50) for sub, d in asked]
    monkeypatch.setattr(_budget, "_SCALARS", frozenset())  # only empty containers skip it
    assert counts == [_budget.expanded_size(sub, root=d, cap=50) for sub, d in asked]
    assert _budget.expanded_size({"type": "string", "maxLength": 3}, cap=1) == 1


@pytest.mark.parametrize("name", ["sorted", "$id", "nested $id", "not plain", "big integer"])
def test_keys_known_sorted_still_check_the_rest_of_canonical(name: str) -> None:
    # The loader may vouch for the key order (its bytes showed it); $id and plain values
    # are still checked by the walk.
    document = CANONICAL_CASES[name]
    frozen, refs, canonical = _budget.freeze_within_limits(document, keys_sorted=True)
    assert canonical == _canonical_by_definition(document)
    assert (frozen, refs) == (freeze(document), [])


def _shared_and_cyclic() -> list[Any]:
    leaf: dict[str, Any] = {"type": "string"}
    holder: dict[str, Any] = {"properties": {}}
    holder["properties"]["self"] = holder
    doubled: Any = leaf
    for _ in range(12):
        doubled = {"allOf": [doubled, doubled]}
    return [
        {"allOf": [leaf, leaf]},  # shared, within the limits
        {"a": [leaf], "b": leaf, "c": {"d": [[leaf]]}},
        holder,  # holds itself
        doubled,  # 2^12 paths through one leaf: over max-nodes
        [leaf, [leaf, {"x": leaf}]],
    ]


def test_thaw_within_limits_is_check_limits_then_thaw() -> None:
    """One walk gives what the two give: the same refusal (code, pointer, message) or
    the same plain copy (fresh containers, sharing kept), for trees, shared and cyclic
    objects, documents with references, wide ones and ones over max-nodes."""
    from accord.core.frozen import thaw

    def two_walks(document: Any) -> Any:
        _budget.check_limits(document, LIMITS, file="f")
        return thaw(document)

    def one_walk(document: Any) -> Any:
        copied = _budget.thaw_within_limits(document, LIMITS, file="f")
        return thaw(document) if copied is None else copied

    rng = random.Random(29)
    documents = [*DOCUMENTS.values(), *(_random(rng, 4) for _ in range(300))]
    documents += [freeze(d) for d in documents[:40]]
    documents += _shared_and_cyclic()
    for document in documents:
        expected, got = _outcome(two_walks, document), _outcome(one_walk, document)
        if isinstance(expected, tuple):
            assert got == expected
            continue
        assert _same_copy(got, expected, document)


def test_thaw_within_limits_copies_a_shared_container_once_in_its_one_walk() -> None:
    """A Python document reusing one container (an ``enum`` list in many properties) is
    copied in the one walk, sharing kept as thaw keeps it; only a document holding
    a ``$ref`` leaves the copy to the caller, and one holding itself is refused (it has
    infinitely many paths)."""
    values = ["a", "b", "c"]
    document = {"properties": {f"p{i}": {"enum": values} for i in range(5)}}
    copied = _budget.thaw_within_limits(document, LIMITS)
    assert copied == document
    first, second = copied["properties"]["p0"]["enum"], copied["properties"]["p1"]["enum"]
    assert first is second
    assert first is not values
    holder: dict[str, Any] = {"items": []}
    holder["items"].append(holder)
    with pytest.raises(SchemaError) as caught:
        _budget.thaw_within_limits(holder, _budget.SchemaLimits())
    assert caught.value.code == "schema-too-complex"
    assert _budget.thaw_within_limits({"$ref": "#/x", "x": {}}, LIMITS) is None


def _same_copy(got: Any, expected: Any, original: Any) -> bool:
    """``got`` and ``expected`` are equal plain copies of ``original``: the same values,
    plain ``dict``/``list`` containers, none of them ``original``'s own, with the same
    sharing (a container twice in one is twice in the other)."""
    pairs: dict[int, int] = {}
    back: dict[int, int] = {}
    stack = [(got, expected, original)]
    while stack:
        a, b, o = stack.pop()
        if not isinstance(o, dict | list):
            if not (a is o and b is o):
                return False
            continue
        if type(a) is not type(b) or type(a) not in (dict, list) or a is o or b is o:
            return False
        if id(a) in pairs or id(b) in back:
            if pairs.get(id(a)) != id(b) or back.get(id(b)) != id(a):
                return False
            continue  # met before (shared): its contents were compared then
        pairs[id(a)], back[id(b)] = id(b), id(a)
        if isinstance(a, dict):
            if list(a) != list(b) or list(a) != list(o):
                return False
            stack.extend((a[k], b[k], o[k]) for k in o)
        else:
            if not (len(a) == len(b) == len(o)):
                return False
            stack.extend(zip(a, b, o, strict=True))
    return True


@pytest.mark.parametrize("cap", [0, 1, 2, 3, 50])
def test_an_object_of_scalar_arrays_counts_what_the_walk_counts(
    cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object whose containers are arrays of plain scalars (an enum leaf) counts
    itself and each array without the walk, capped as the walk caps it."""
    shared = ["a", 1]
    documents: list[Any] = [
        {"enum": ["a", "b", None]},
        {"enum": [1, 2], "examples": [[]], "type": "string"},
        {"enum": shared, "const": shared},
        {"enum": [], "x": [1.5, True], "y": []},
        freeze({"enum": ["a"], "examples": ["b"]}),
        {"enum": [[1]]},
        {"enum": ["a"], "$ref": "#/x", "x": [1]},
        {"enum": ["a"], "not": {}},
        {"a": shared, "b": [], "c": shared, "d": shared},
        {"enum": list(range(600))},
    ]
    counts = [_budget.expanded_size(d, cap=cap) for d in documents]
    monkeypatch.setattr(_budget, "_scalar_arrays_size", lambda *_: None)
    assert counts == [_budget.expanded_size(d, cap=cap) for d in documents]


def test_every_subschema_counts_without_the_scalar_arrays_shortcut_what_it_counts_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(31)
    documents = [_random(rng, 4) for _ in range(200)]
    documents += [freeze(d) for d in documents[:60]]
    asked = [(sub, d, cap) for d in documents for sub in _containers(d) for cap in (0, 1, 2, 50)]
    counts = [_budget.expanded_size(sub, root=d, cap=cap) for sub, d, cap in asked]
    monkeypatch.setattr(_budget, "_scalar_arrays_size", lambda *_: None)
    assert counts == [_budget.expanded_size(sub, root=d, cap=cap) for sub, d, cap in asked]


TIGHT = _budget.SchemaLimits(max_items=8, max_nodes=10)


def _tightest(kind: str, n: int) -> bytes:
    """The shortest JSON text with an array of ``n`` entries (``wide``), or with ``n``
    objects and arrays (``deep``): the texts a length bound must still count."""
    if kind == "wide":
        return ("[" + ",".join("0" * n) + "]").encode()
    return ("[" * n + "]" * n).encode()


@pytest.mark.parametrize("kind", ["wide", "deep"])
def test_the_length_bounds_never_skip_a_refusal(kind: str) -> None:
    # A length bound one too small would skip the count for the text just over a cap.
    for n in range(1, 25):
        raw = _tightest(kind, n)
        document = json.loads(raw)
        bound = _budget._entries_bound(raw) if kind == "wide" else _budget._containers_bound(raw)
        assert bound == n  # the tightest text: the bound is exact here
        expected = _outcome(lambda d: _budget.check_limits(d, TIGHT, file="f") or [], document)
        got = _outcome(
            lambda d, raw=raw: _budget.refs_and_growth_within_limits(raw, d, TIGHT, file="f")[0],
            document,
        )
        assert got == expected
        cap = TIGHT.max_items if kind == "wide" else TIGHT.max_nodes
        assert isinstance(got, tuple) == (n > cap)


def test_the_length_bounds_hold_for_every_random_text() -> None:
    rng = random.Random(23)
    for _ in range(400):
        document = _random(rng, 4)
        raw = json.dumps(document, separators=(",", ":")).encode()
        widest = containers = 0
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict | list):
                containers += 1
                widest = max(widest, len(node))
                stack.extend(node.values() if isinstance(node, dict) else node)
        assert widest <= _budget._entries_bound(raw)
        assert containers <= _budget._containers_bound(raw)
