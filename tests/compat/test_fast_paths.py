"""The diff's fast paths decide exactly what the walks they replace decide.

Each shortcut taken for speed (issue 17: a diff of a wide schema) is held against the
plain computation it stands for, on generated JSON values: a wrong shortcut would
change a report, not only its cost. The last test counts what the walker serialises,
so the per-property cost cannot come back unnoticed (a count, not a timing).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.compat import _rules, diff
from accord.compat._closure import _at, _unpatterned_leaf, is_leaf
from accord.compat._diff import _may_be_same
from accord.compat._nodes import _WATCHED, Ctx, _has_ref, may_contain
from accord.compat._prover import regex_search
from accord.compat._site import same_text
from accord.core import memo
from accord.core.jsondoc import canonical_dumps, sorted_dumps
from accord.core.vocabulary import key_subschemas
from accord.validation.reference import is_valid

_KEYS = st.sampled_from(["type", "a", "$ref", "dependencies", "unevaluatedItems", "x y", "é"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 1.5, math.nan, math.inf]),
    st.sampled_from(["", "a", "$ref", "1", "true"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(_KEYS, inner, max_size=6),
    ),
    max_leaves=25,
)


@pytest.fixture(autouse=True)
def _cold_local_verdicts() -> None:
    """Tests here count the engine's questions: none is answered from an earlier test's
    diff (the process-wide memo of local verdicts starts empty)."""
    from accord.compat._diff import _local_verdicts

    _local_verdicts.clear()


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _nudged(value: Any) -> Any:
    """A value whose text may or may not differ from ``value``'s (1 -> 1.0 -> True)."""
    if isinstance(value, dict):
        return {k: _nudged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nudged(v) for v in value]
    if value is True:
        return 1
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float) and value == 0.0:
        return -value
    return value


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_JSON, _JSON)
def test_same_text_is_canonical_text_equality(a: Any, b: Any) -> None:
    for x, y in ((a, b), (a, a), (a, json.loads(json.dumps(a))), (a, _nudged(a))):
        assert same_text(x, y) is (_text(x) == _text(y))


def test_same_text_on_the_values_json_tells_apart() -> None:
    cases = [
        (1, 1.0, False),
        (True, 1, False),
        (0.0, -0.0, False),
        (math.nan, math.nan, True),
        ({"a": 1}, {"a": 1}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}, True),
        ([1, 2], (1, 2), True),
        ({"a": 1}, [["a", 1]], False),
        ("1", 1, False),
        ({"a": "1", "b": 2}, {"b": 2, "a": 1}, False),
        ({"a": 1, "b": "x"}, {"b": "x", "a": 1}, True),
        ({"a": 10**30}, {"a": 10**30}, True),
        ({"1": 2}, {1: 2}, True),
        ({"a": 1}, {"a": True}, False),
    ]
    for a, b, same in cases:
        assert same_text(a, b) is same
        assert (_text(a) == _text(b)) is same


def _keys_anywhere(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            found.update(k for k in v if isinstance(k, str))
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return found


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_JSON)
def test_may_contain_never_hides_a_key(value: Any) -> None:
    present = _keys_anywhere(value)
    for key in _WATCHED:
        if key in present:
            assert may_contain(value, [key])
    assert may_contain(value, ["$ref", "$dynamicRef"]) or not _has_ref(value)
    # A wrapper is looked into: the wrapped document decides.
    assert may_contain({"allOf": [value]}, ["$ref"]) is may_contain(value, ["$ref"])


def test_may_contain_answers_keys_it_does_not_watch_conservatively() -> None:
    wide = {f"k{i}": {"type": "string"} for i in range(10)}
    assert may_contain(wide, ["not-watched"])
    assert not may_contain(wide, ["$ref"])
    assert may_contain({**wide, "z": {"$ref": "#"}}, ["$ref"])


def test_may_contain_reads_the_canonical_text_a_document_already_has(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The diff writes each input's canonical text first: the key filter reads that
    text instead of serialising the document once more."""
    wide = {f"k{i}": {"type": "string", "$comment": "known"} for i in range(10)}
    with_ref = {**wide, "z": {"$ref": "#"}}
    memo.canonical_text(wide)
    memo.canonical_text(with_ref)

    def refused(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("serialised again")

    monkeypatch.setattr(json, "dumps", refused)
    assert not may_contain(wide, ["$ref"])
    assert may_contain(with_ref, ["$ref"])


def test_may_contain_reads_a_document_without_canonical_text_as_written() -> None:
    """Keys of mixed types have no sorted (canonical) text; the document as written
    still answers exactly, as before."""
    mixed: dict[Any, Any] = {f"k{i}": {"type": "string"} for i in range(6)}
    mixed[1] = {"type": "string"}
    assert not may_contain(mixed, ["$ref"])
    assert may_contain({**mixed, "z": {"$ref": "#"}}, ["$ref"])


@pytest.mark.parametrize(
    "value",
    ["a", "b", "", "é", "naïve", "\ud800", "a\x00", "A"],
    ids=repr,
)
def test_string_enum_membership_is_the_references_answer(value: str) -> None:
    schema = {"enum": ["a", "naïve", "\x00", ""]}
    ctx = Ctx(max_steps=10_000)
    node = ctx.add_doc(schema)
    try:
        expected: bool | type[BaseException] = is_valid(schema, value)
    except Exception as exc:  # noqa: BLE001 - whatever the reference raises, the engine must too
        expected = type(exc)
    if isinstance(expected, bool):
        assert ctx.valid(node, value) is expected
    else:
        with pytest.raises(expected):
            ctx.valid(node, value)


def test_the_walker_serialises_no_unchanged_property(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged properties are compared structurally: the texts built during a diff
    of a 300-property schema with two changes do not grow with the property count."""
    texts: list[int] = []
    real = memo.write_canonical

    def counted(value: Any) -> str:
        texts.append(1)
        return real(value)

    monkeypatch.setattr(memo, "write_canonical", counted)
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 10 + i} for i in range(300)}
    old = {"type": "object", "properties": properties}
    new = {
        "type": "object",
        "properties": {**properties, "p007": {"type": "string"}, "added": {"type": "integer"}},
    }
    report = diff(old_schema=old, new_schema=new)
    assert {c.rule for c in report.changes} == {"max-length-increased", "property-added-optional"}
    assert len(texts) < 40  # was one per property and side (600+) before


def test_a_minor_step_asks_the_engine_only_the_root_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding an optional property changes the declared keys, so the bump is ``minor``
    whatever the plain valid sets do: the engine is asked the two root directions under
    contract semantics, not the two plain-set ones too (what ``accord check`` pays per
    version pair)."""
    from accord.compat import _engine

    asked: list[str] = []
    real = _engine.includes

    def counted(sub: Any, sup: Any, **options: Any) -> Any:
        asked.append(options.get("semantics", "set"))
        return real(sub, sup, **options)

    monkeypatch.setattr(_engine, "includes", counted)
    old = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    new = {**old, "properties": {**old["properties"], "note": {"type": "string"}}}
    report = diff(old_schema=old, new_schema=new)
    assert (report.compatible, report.required_bump) == (True, "minor")
    # Both root directions hold key by key (was 4: the plain sets were compared too,
    # then 2: the contract directions on the whole objects).
    assert asked == []


def test_no_collection_runs_during_a_diff_and_the_collector_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A diff pauses the cyclic collector (each collection would walk every object of
    the process) and leaves it as it found it: on, off, or after bad input."""
    import gc

    from accord.compat import _engine
    from accord.errors import AccordError

    seen: list[bool] = []
    real = _engine.includes

    def watched(sub: Any, sup: Any, **options: Any) -> Any:
        seen.append(gc.isenabled())
        return real(sub, sup, **options)

    monkeypatch.setattr(_engine, "includes", watched)
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 10 + i} for i in range(60)}
    old = {"type": "object", "properties": properties}
    new = {"type": "object", "properties": {**properties, "p007": {"type": "integer"}}}
    assert gc.isenabled()
    try:
        diff(old_schema=old, new_schema=new)
        assert seen
        assert not any(seen)
        assert gc.isenabled()
        with pytest.raises(AccordError):
            diff(old_schema={"type": 3}, new_schema=new)
        assert gc.isenabled()
        gc.disable()
        diff(old_schema=old, new_schema=new)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _cyclic_garbage(action: Any) -> list[Any]:
    """What the cyclic collector finds after ``action`` (run with the collector off)."""
    import gc

    gc.collect()
    gc.disable()
    try:
        action()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_a_diff_leaves_nothing_for_the_cyclic_collector() -> None:
    """Everything a diff builds is freed when it returns: no reference cycle keeps its
    engine (and every document it memoised) alive until a collection, which then walks
    and frees it (a quarter of a small diff's time, paid by whatever runs next)."""
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 64} for i in range(30)}
    old = {"type": "object", "properties": properties, "required": ["p000"]}
    narrowed = {"type": "string", "maxLength": 32}
    new = {"type": "object", "properties": {**properties, "p003": narrowed, "p031": {}}}
    diff(old_schema=old, new_schema=new)  # imports and caches first
    garbage = _cyclic_garbage(lambda: diff(old_schema=old, new_schema=new))
    assert [type(g).__name__ for g in garbage] == []


def _memo_entries() -> dict[str, int]:
    from accord.compat import _closure, _engine, _nodes
    from accord.core import memo

    tables = {
        "canonical": memo._canonical_memo,
        "unmodelled": _engine._found,
        "closures": _closure._closures,
        "watched": _nodes._watched,
    }
    return {name: len(table._entries) for name, table in tables.items()}


def test_a_diff_of_two_values_leaves_no_memo_entry_keeping_its_documents() -> None:
    """The documents a diff of two values (or files) reads are its own copies: the
    identity memos drop their entries when it returns, so no memo keeps a wide
    document alive for the cyclic collector to walk at every collection after."""
    import gc

    properties = {f"p{i:03d}": {"enum": ["a", "b"]} for i in range(40)}
    old = {"type": "object", "properties": properties, "required": ["p000"]}
    new = {**old, "properties": {**properties, "p003": {"enum": ["a"]}, "p041": {}}}
    expected = diff(old_schema=old, new_schema=new).to_json()  # imports and caches first
    gc.collect()
    entries, tracked = _memo_entries(), len(gc.get_objects())
    for _ in range(5):
        assert diff(old_schema=old, new_schema=new).to_json() == expected
    gc.collect()
    assert _memo_entries() == entries
    # Nothing of the five diffs stays (a few objects of slack for the interpreter).
    assert len(gc.get_objects()) - tracked < 40


def test_a_diff_of_registry_versions_keeps_its_memo_entries(tmp_path: Any) -> None:
    """A registry hands out the same (frozen) documents to every call: their entries
    stay for the next diff of them."""
    import accord
    from accord.gate import publish as _publish

    root = tmp_path / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text('owner = "t"\nkind = "event"\n')
    v1 = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
    _publish.publish(root, "orders.placed", v1)
    _publish.publish(
        root,
        "orders.placed",
        {**v1, "properties": {**v1["properties"], "note": {"type": "string"}}},
    )
    registry = accord.Registry.load(root)
    options = {"old_ref": "orders.placed@1.0.0", "new_ref": "orders.placed@1.1.0"}
    memo_before = _memo_entries()
    diff(**options, registry=registry)
    assert _memo_entries()["canonical"] > memo_before["canonical"]


def test_freezing_and_thawing_leave_nothing_for_the_cyclic_collector() -> None:
    from accord.core.frozen import freeze, thaw

    document = {"a": [{"b": {"c": [1, {"d": None}]}}], "e": {"f": []}}
    assert _cyclic_garbage(lambda: thaw(freeze(document))) == []


_PROPERTY_SCHEMAS = st.one_of(
    st.booleans(),
    st.fixed_dictionaries({"type": st.sampled_from(["string", "object"])}),
    st.dictionaries(
        st.sampled_from(["type", "properties", "items", "allOf", "$ref", "title", "required"]),
        st.just({}),
        max_size=3,
    ),
)
_OBJECT_SCHEMAS = st.fixed_dictionaries(
    {},
    optional={
        "properties": st.dictionaries(st.sampled_from("abcde"), _PROPERTY_SCHEMAS, max_size=4),
        "additionalProperties": _PROPERTY_SCHEMAS,
        "required": st.lists(st.sampled_from("abcdef"), max_size=3),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_OBJECT_SCHEMAS, min_size=1, max_size=3), st.sampled_from("abcdef"))
def test_a_key_location_without_patterns_is_the_general_one(
    schemas: list[dict[str, Any]], key: str
) -> None:
    """Where no schema has ``patternProperties``, the writer closure tells a leaf key
    without ``key_subschemas``: the same answer, and the same closure as the general path."""
    from accord.compat import _closure

    ctx = Ctx(max_steps=10**9)
    dicts = [ctx.add_doc(s) for s in schemas]
    paths = [(n, path) for n in dicts for path in key_subschemas(n.schema, key, regex_search)]
    assert _unpatterned_leaf(dicts, key) == all(is_leaf(_at(n.schema, p)) for n, p in paths)
    for structural in (_closure._STRUCTURAL, _closure._REMOVAL_STRUCTURAL):
        # Every key of a wide object at once: the same answer as key by key.
        non_leaf = _closure._non_leaf_keys(dicts, "abcdef", structural)
        for name in "abcdef":
            assert (name not in non_leaf) == _unpatterned_leaf(dicts, name, structural)

    document = {"allOf": schemas, "properties": {key: {"allOf": schemas}}}

    def closure(general: bool) -> str:
        real = _closure._has_patterns
        _closure._has_patterns = (lambda dicts: True) if general else real  # type: ignore[assignment]
        try:
            return json.dumps(_closure._writer_closure(document), sort_keys=True)
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            return type(exc).__name__
        finally:
            _closure._has_patterns = real

    assert closure(general=False) == closure(general=True)


def test_the_same_local_question_at_several_locations_is_asked_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three properties narrowed alike ask the engine one local question, not three
    (the same small documents: the same answer), and each change keeps its own witness."""
    from accord.compat import _engine

    asked: list[Any] = []
    real = _engine.includes

    def counted(sub: Any, sup: Any, **options: Any) -> Any:
        asked.append(sub)
        return real(sub, sup, **options)

    monkeypatch.setattr(_engine, "includes", counted)
    properties = {f"p{i}": {"type": "string", "maxLength": 64} for i in range(6)}
    old = {"type": "object", "properties": properties}
    narrowed = {"type": "string", "maxLength": 32}
    new = {"type": "object", "properties": {**properties, "p1": narrowed, "p3": narrowed}}
    report = diff(old_schema=old, new_schema=new)
    assert [(c.rule, c.instance_path) for c in report.changes] == [
        ("max-length-decreased", "/p1"),
        ("max-length-decreased", "/p3"),
    ]
    assert [c.witness.payload for c in report.changes if c.witness] == [
        {"p1": "a" * 33},
        {"p3": "a" * 33},
    ]
    assert len(asked) == 3  # the two root directions and one local question (was 4)


def test_only_a_small_tree_has_a_text_for_the_question_memo() -> None:
    """Documents that share a part, have a key that is not a string, hold a value that
    is not plain JSON, or are large get no text: their questions are asked each time."""
    from accord.compat._diff import _tree_text

    leaf = {"type": "string"}
    assert _tree_text({"allOf": [leaf, {"type": "string"}]}) == (
        '{"allOf": [{"type": "string"}, {"type": "string"}]}'
    )
    assert _tree_text(True) == "true"
    assert _tree_text({"allOf": [leaf, leaf]}) is None
    assert _tree_text({"enum": [[1], [1]]}) is not None
    shared = [1]
    assert _tree_text({"enum": [shared, shared]}) is None
    assert _tree_text({1: {}}) is None
    assert _tree_text({"const": (1, 2)}) is None
    assert _tree_text({"const": {"nested": object()}}) is None
    assert _tree_text({"enum": ["a", 1, None, [object()]]}) is None
    assert _tree_text({"allOf": [{} for _ in range(70)]}) is None
    assert _tree_text({"maximum": 1.0}) != _tree_text({"maximum": 1})
    assert _tree_text({"const": True}) != _tree_text({"const": 1})


def test_a_local_question_is_answered_once_per_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same local question in a later diff (another contract, another version pair)
    is answered from the process memo of local verdicts, and the report is the same."""
    from accord.compat import _engine

    asked: list[Any] = []
    real = _engine.includes

    def counted(sub: Any, sup: Any, **options: Any) -> Any:
        asked.append(sub)
        return real(sub, sup, **options)

    monkeypatch.setattr(_engine, "includes", counted)
    properties = {f"p{i}": {"type": "string", "maxLength": 64} for i in range(20)}
    old = {"type": "object", "properties": properties}
    narrowed = {"type": "string", "maxLength": 32}
    new = {"type": "object", "properties": {**properties, "p1": narrowed}}
    first = diff(old_schema=old, new_schema=new).to_json()
    cold = len(asked)
    assert diff(old_schema=old, new_schema=new).to_json() == first
    # The root is too large for the memo (asked again); the local question is not.
    assert 0 < len(asked) - cold < cold


def test_the_local_memo_keeps_step_budgets_and_unmodelled_keywords_apart() -> None:
    """A verdict is reused only for the same budget and the same unmodelled keyword:
    an answer the budget cut short (or a keyword forbade) is not another diff's answer."""
    from accord.compat._diff import _Engine

    sub, sup = {"type": "integer"}, {"type": "number"}
    assert _Engine("set", 1).verdict(sub, sup, "backward").holds is None
    assert _Engine("set", 10_000).verdict(sub, sup, "backward").holds is True
    unmodelled = _Engine("set", 10_000, unmodelled="a draft-07 keyword")
    assert unmodelled.verdict(sub, sup, "backward").holds is None
    assert _Engine("set", 10_000).verdict(sub, sup, "backward").holds is True


def test_an_engine_failure_is_not_kept_in_the_local_memo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure is not a function of the documents (a RecursionError deep in a caller's
    stack): the next diff asks again."""
    from accord.compat import _engine
    from accord.compat._diff import _Engine

    def failing(*_: Any, **__: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    sub, sup = {"type": "integer"}, {"type": "number"}
    with monkeypatch.context() as patched:
        patched.setattr(_engine, "includes", failing)
        failed = _Engine("set", 10_000).verdict(sub, sup, "backward")
    assert failed.holds is None
    assert "could not decide" in (failed.reason or "")
    assert _Engine("set", 10_000).verdict(sub, sup, "backward").holds is True


def test_an_allof_wrapper_around_a_wide_object_reads_each_key_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A local question wraps the location in ``allOf``: the wrapper, which reads no key,
    is not walked key by key a second time (the engine's answer is the same)."""
    from accord.compat import _engine, _prover

    calls: list[str] = []
    real = _prover.Facets.key_nodes

    def counted(self: Any, k: str) -> Any:
        calls.append(k)
        return real(self, k)

    monkeypatch.setattr(_prover.Facets, "key_nodes", counted)
    n = 200
    root = {"type": "object", "properties": {f"p{i:03d}": {"type": "integer"} for i in range(n)}}
    patched = {**root, "properties": {**root["properties"], "extra": {"type": "string"}}}
    verdict = _engine.includes({"allOf": [root]}, {"allOf": [patched]}, semantics="contract")
    assert verdict.holds is True
    assert len(calls) < 2 * n  # was about 2n + the required keys: once per object read


def test_a_witness_is_shrunk_without_looking_up_validators_per_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shrinking a witness checks dozens of payloads against the same two schemas: their
    validators are looked up once per diff, not once per payload."""
    from accord.validation import reference

    looked_up: list[int] = []
    real = reference.reference_validator

    def counted(schema: Any) -> Any:
        looked_up.append(1)
        return real(schema)

    monkeypatch.setattr(reference, "reference_validator", counted)
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 64} for i in range(80)}
    old = {"type": "object", "properties": properties, "required": sorted(properties)[:40]}
    new = {**old, "properties": {**properties, "p003": {"type": "string", "maxLength": 32}}}
    report = diff(old_schema=old, new_schema=new)
    assert [c.rule for c in report.changes] == ["max-length-decreased"]
    witness = report.changes[0].witness
    assert witness is not None
    assert len(witness.payload["p003"]) == 33
    assert len(looked_up) < 80  # was 135: one or two per payload tried


@given(_JSON, st.booleans())
def test_same_ref_free_is_strict_equality_without_references(value: Any, nudge: bool) -> None:
    """``same_ref_free`` (with its inline string and integer comparisons) answers exactly
    "strictly equal, and no ``$ref``/``$dynamicRef`` key on either side"."""
    from accord.compat._nodes import same_ref_free, strict_equal

    other = _nudged(value) if nudge else json.loads(json.dumps(value))
    expected = strict_equal(value, other) and not _has_ref(value) and not _has_ref(other)
    assert same_ref_free(value, other) is expected
    assert same_ref_free(value, value) is (not _has_ref(value))


@given(
    st.one_of(
        st.lists(st.sampled_from(["a", "b", "é", "ab"]), min_size=1, max_size=4).map(
            lambda names: {"enum": names}
        ),
        st.sampled_from([{"enum": ["a", 1]}, {"pattern": "^a"}, {"maxLength": 1}, False, True]),
    ),
    st.lists(st.sampled_from(["a", "b", "é", "ab", ""]), min_size=1, max_size=5),
)
def test_a_known_string_enum_answers_as_the_validator_does(schema: Any, keys: list[str]) -> None:
    """After one check, ``string_enum_check`` gives what ``Ctx.valid`` would charge and
    answer for each string it admits as is (the closure's ``propertyNames``, per key)."""
    ctx = Ctx(max_steps=10**6)
    names = ctx.child(ctx.add_doc({"propertyNames": schema}), "propertyNames")
    ctx.valid(names, "a")
    found = ctx.string_enum_check(names)
    for key in keys:
        before = ctx.steps
        answer = ctx.valid(names, key)
        if found is not None:
            assert ctx.steps - before == found[0]
            assert (key in found[1]) is answer


def test_a_patched_wide_document_is_not_walked_again_for_references(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """OLD without references and a patch adding none make a patched document without
    any: neither the patch (OLD's properties and one more) nor the local question built
    from it is searched for one, property by property."""
    from accord.compat import _diff

    walked: list[int] = []
    real = _diff._has_ref

    def counted(value: Any) -> bool:
        if isinstance(value, dict) and max(len(value), len(value.get("properties", ()))) > 50:
            walked.append(1)
        return real(value)

    monkeypatch.setattr(_diff, "_has_ref", counted)
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 64} for i in range(200)}
    old = {"type": "object", "properties": properties}
    new = {
        "type": "object",
        "properties": {**properties, "p000": {"type": "string"}, "added": {"type": "string"}},
    }
    report = diff(old_schema=old, new_schema=new, semantics="set")
    assert {c.rule for c in report.changes} == {"max-length-increased", "property-added-optional"}
    assert walked == []


def test_an_input_without_dependencies_is_told_so_by_its_canonical_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whether a 2020-12 input needs ``dependencies`` folded is read from its canonical
    text, which the diff builds anyway (no serialisation of its own per side); one that
    has the keyword is still folded (the engine sees ``dependentRequired``)."""
    from accord.compat import _diff

    filtered: list[Any] = []
    real = _diff.may_contain

    def counted(value: Any, keys: Any) -> bool:
        filtered.append(keys)
        return real(value, keys)

    monkeypatch.setattr(_diff, "may_contain", counted)
    properties = {f"p{i:03d}": {"type": "integer"} for i in range(100)}
    old = {"type": "object", "properties": properties}
    new = {**old, "properties": {**properties, "p001": {"type": "string"}}}
    assert diff(old_schema=old, new_schema=new).required_bump == "major"
    assert filtered == []
    folded = {**old, "dependencies": {"p002": ["p003"]}}
    report = diff(old_schema=old, new_schema=folded)
    assert report.backward is False
    assert report.forward is True


@given(
    st.fixed_dictionaries(
        {"required": st.lists(st.sampled_from("abc"), min_size=1, max_size=3, unique=True)},
        optional={
            "type": st.sampled_from(["object", "string", ["object", "null"]]),
            "properties": st.dictionaries(st.sampled_from("abcd"), st.booleans(), max_size=3),
            "anyOf": st.lists(st.just({"required": ["d"]}), min_size=1, max_size=1),
            "additionalProperties": st.booleans(),
        },
    ),
    st.dictionaries(st.sampled_from("abcd"), st.integers(0, 1), max_size=4),
)
def test_an_object_without_a_required_key_is_refused_by_the_reference(
    schema: dict[str, Any], payload: dict[str, Any]
) -> None:
    """What witness shrinking decides without the validator: an object payload lacking
    a key its root schema lists in ``required`` is invalid there (whatever else the
    schema says)."""
    if not all(k in payload for k in schema["required"]):
        assert not is_valid(schema, payload)


def test_a_shrink_attempt_dropping_a_required_key_is_not_validated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Most attempts of a shrink drop a required key of the accepting root: those are
    answered without running the validator (the witness is the same)."""
    from accord.compat import _diff

    ran: list[int] = []
    real = _diff._Witnesses._validator

    class Counted:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def is_valid(self, payload: Any) -> bool:
            ran.append(1)
            return bool(self.inner.is_valid(payload))

    def counted(self: Any, side: Any, *, writer: bool) -> Any:
        return Counted(real(self, side, writer=writer))

    monkeypatch.setattr(_diff._Witnesses, "_validator", counted)
    properties = {f"p{i:03d}": {"type": "string", "maxLength": 64} for i in range(80)}
    old = {"type": "object", "properties": properties, "required": sorted(properties)[:40]}
    new = {**old, "properties": {**properties, "p003": {"type": "string", "maxLength": 32}}}
    report = diff(old_schema=old, new_schema=new)
    witness = report.changes[0].witness
    assert witness is not None
    assert sorted(witness.payload) == sorted(properties)[:40]
    assert len(ran) < 40  # was over 100: every attempt ran the validator


def _questions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every (sub, sup) the diff asks the engine, from now on."""
    from accord.compat import _engine

    asked: list[tuple[Any, Any]] = []
    real = _engine.includes

    def counted(sub: Any, sup: Any, **options: Any) -> Any:
        asked.append((sub, sup))
        return real(sub, sup, **options)

    monkeypatch.setattr(_engine, "includes", counted)
    return asked


def _full_report(monkeypatch: pytest.MonkeyPatch, old: Any, new: Any, **options: Any) -> Any:
    """The report with every question asked of the engine whole (no key-local answer).

    The process memo of local verdicts is emptied before and after: the report compared
    with it must not read answers this one left (nor this one read earlier answers).
    """
    from accord.compat import _diff

    _diff._local_verdicts.clear()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(_diff._Judge, "_key_never_written", lambda *_: False)
            patched.setattr(_diff._Engine, "_holds_by_keys", lambda *_: False)
            return diff(old_schema=old, new_schema=new, **options).to_json()
    finally:
        _diff._local_verdicts.clear()


_PLAIN_OLD = {
    "type": "object",
    "properties": {
        "a": {"type": "string", "maxLength": 64},
        "b": {"type": "integer", "minimum": 0},
        "c": {"type": "object", "properties": {"d": {"type": "boolean"}}},
    },
    "required": ["b"],
}
# "a" narrowed (backward breaks there), "e" added as an optional property
_PLAIN_NARROWED_AND_ADDED = {
    **_PLAIN_OLD,
    "properties": {
        **_PLAIN_OLD["properties"],
        "a": {"type": "string", "maxLength": 32},
        "e": {"type": "string"},
    },
}


def test_an_optional_property_added_to_a_plain_object_asks_no_whole_document_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """OLD's writers never send an undeclared key, so the added property's backward
    question is answered on that key alone: the engine is asked the two root directions
    and the narrowed property's local question, not the whole object again (what a diff
    of a wide schema paid per added property). The report is the one the engine gives."""
    new = _PLAIN_NARROWED_AND_ADDED
    expected = _full_report(monkeypatch, _PLAIN_OLD, new)
    asked = _questions(monkeypatch)
    report = diff(old_schema=_PLAIN_OLD, new_schema=new)
    assert report.to_json() == expected
    assert [(c.rule, c.breaks) for c in report.changes] == [
        ("max-length-decreased", ("backward",)),
        ("property-added-optional", ()),
    ]
    assert len(asked) == 3  # was 4: the whole object, patched with "e", asked again
    assert not any("e" in sup.get("allOf", [{}])[0].get("properties", {}) for _, sup in asked)


_NOT_KEY_LOCAL = {
    "additionalProperties": {**_PLAIN_OLD, "additionalProperties": {"type": "integer"}},
    "named by required only": {**_PLAIN_OLD, "required": ["b", "e"]},
    "patternProperties": {**_PLAIN_OLD, "patternProperties": {"^e": {"type": "integer"}}},
    "no declared key": {"type": "object"},
    "anyOf declaring it": {**_PLAIN_OLD, "anyOf": [{"properties": {"e": {"type": "integer"}}}]},
    "unevaluatedProperties": {**_PLAIN_OLD, "unevaluatedProperties": {"type": "integer"}},
    "a nested combinator": {
        **_PLAIN_OLD,
        "properties": {**_PLAIN_OLD["properties"], "c": {"anyOf": [{"type": "string"}]}},
    },
}


@pytest.mark.parametrize("old", list(_NOT_KEY_LOCAL.values()), ids=list(_NOT_KEY_LOCAL))
def test_an_added_property_is_judged_by_the_engine_where_writers_may_send_it(
    monkeypatch: pytest.MonkeyPatch, old: Any
) -> None:
    """Where OLD's writers may send the added key, or the object is not plain, the
    whole question goes to the engine and the report is its own."""
    from accord.compat import _diff

    new = {
        **old,
        "properties": {**old.get("properties", {}), "e": {"type": "string"}},
        "required": old.get("required", []),
    }
    new["properties"]["a"] = {"type": "string", "maxLength": 8}  # root backward broken
    expected = _full_report(monkeypatch, old, new)
    taken: list[bool] = []
    real = _diff._Judge._key_never_written

    def spied(judge: Any, site: Any, hit: Any) -> bool:
        taken.append(real(judge, site, hit))
        return taken[-1]

    monkeypatch.setattr(_diff._Judge, "_key_never_written", spied)
    assert diff(old_schema=old, new_schema=new).to_json() == expected
    assert taken
    assert not any(taken)


def test_a_step_budget_too_small_for_the_location_leaves_the_question_to_the_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a step budget the engine could run out of on the whole object, the key-local
    answer is not given: the report says what the engine says within that budget."""
    new = {
        **_PLAIN_OLD,
        "properties": {
            **_PLAIN_OLD["properties"],
            "a": {"type": "string", "maxLength": 32},
            "e": {"type": "string"},
        },
    }
    for steps in (5, 10, 20, 40, 400):
        expected = _full_report(monkeypatch, _PLAIN_OLD, new, max_steps=steps)
        assert diff(old_schema=_PLAIN_OLD, new_schema=new, max_steps=steps).to_json() == expected


def test_a_root_direction_that_holds_key_by_key_is_not_asked_of_the_whole_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forward holds property by property (the narrowed one's question, asked once for
    the root and its own change, and the added one OLD leaves open): the engine is not
    asked the whole objects in that direction, and the report is the engine's."""
    new = _PLAIN_NARROWED_AND_ADDED
    expected = _full_report(monkeypatch, _PLAIN_OLD, new)
    asked = _questions(monkeypatch)
    report = diff(old_schema=_PLAIN_OLD, new_schema=new)
    assert report.to_json() == expected
    assert (report.backward, report.forward) == (False, True)
    whole = [sub for sub, _ in asked if "properties" in sub]
    assert len(whole) == 1  # backward, refuted with its witness; was 2 (forward too)
    assert len(asked) == 3  # and the narrowed property's two directions


_NOT_KEY_BY_KEY = {
    "the root type changes": ({"type": ["object", "null"]}, {}),
    "OLD's writers may send any key": ({"additionalProperties": True}, {}),
    "NEW requires a key OLD may omit": ({}, {"required": ["b", "a"]}),
    "a combinator at the root": (
        {"anyOf": [{"required": ["b"]}]},
        {"anyOf": [{"required": ["b"]}]},
    ),
    "a nested combinator": (
        {"properties": {**_PLAIN_OLD["properties"], "c": {"anyOf": [{"type": "object"}]}}},
        {"properties": {**_PLAIN_OLD["properties"], "c": {"anyOf": [{"type": "object"}]}}},
    ),
}


@pytest.mark.parametrize(
    ("old_extra", "new_extra"), list(_NOT_KEY_BY_KEY.values()), ids=list(_NOT_KEY_BY_KEY)
)
def test_objects_that_differ_beyond_their_keys_are_compared_whole(
    monkeypatch: pytest.MonkeyPatch, old_extra: Any, new_extra: Any
) -> None:
    """Where the objects differ in more than their keys' schemas, or are not plain, the
    engine answers on the whole objects and the report is its own."""
    from accord.compat import _diff

    old = {**_PLAIN_OLD, **old_extra}
    new = {**_PLAIN_OLD, **new_extra}
    new["properties"] = {**new["properties"], "a": {"type": "string", "maxLength": 32}}
    expected = _full_report(monkeypatch, old, new)
    taken: list[bool] = []
    real = _diff._Engine._holds_by_keys

    def spied(engine: Any, old: Any, new: Any, direction: str) -> bool:
        answer = real(engine, old, new, direction)
        if direction == "backward":  # the direction each OLD here breaks
            taken.append(answer)
        return answer

    monkeypatch.setattr(_diff._Engine, "_holds_by_keys", spied)
    assert diff(old_schema=old, new_schema=new).to_json() == expected
    assert taken
    assert not any(taken)


def _without(value: Any, keywords: frozenset[str]) -> Any:
    """``value`` with every object's ``keywords`` left out, at any depth."""
    if isinstance(value, dict):
        return {k: _without(v, keywords) for k, v in value.items() if k not in keywords}
    if isinstance(value, list):
        return [_without(v, keywords) for v in value]
    return value


def _case_pairs() -> list[tuple[Any, Any]]:
    from pathlib import Path

    data = Path(__file__).parent
    pairs = [rule.example for rule in _rules.RULES.values()]
    for path in sorted([*data.glob("data/*.json"), *data.glob("suites/*.json")]):
        pairs += [(c["old"], c["new"]) for c in json.loads(path.read_text())["cases"]]
    return pairs


def test_a_rule_finds_nothing_where_none_of_the_keywords_it_reads_is_written() -> None:
    """The walker runs a rule of ``_READS`` only at a site where one of its keywords is
    in a conjunct of either side: with those keywords taken out of both sides (every
    case pair and rule example), the rule finds nothing, so skipping it loses nothing."""
    from accord.compat._diff import _READS, _keywords
    from accord.compat._site import Site, View

    assert set(_READS) <= set(_rules.RULES)
    pairs = _case_pairs()
    for rule_id, keywords in _READS.items():
        for old, new in pairs:
            a, b = _without(old, keywords), _without(new, keywords)
            site = Site(View(a, [("", a)]), View(b, [("", b)]), "")
            assert keywords.isdisjoint(_keywords(site))
            assert list(_rules.RULES[rule_id].detect(site)) == [], (rule_id, old, new)


def test_sites_alike_run_the_rules_a_site_of_their_own_would() -> None:
    """The walker's rules at a site are filtered once per (excluded types, keywords)
    pair: every case pair's root site gets the rules the catalogue filter gives it,
    whichever site asked first."""
    from accord.compat._diff import _DISPATCH, _excluded_kinds, _keywords, _rules_for
    from accord.compat._site import Site, View

    for old, new in _case_pairs():
        site = Site(View(old, [("", old)]), View(new, [("", new)]), "")
        if site.old.is_false or site.new.is_false:
            continue
        excluded, present = _excluded_kinds(site), _keywords(site)
        expected = [
            rule
            for rule, kind, reads in _DISPATCH
            if kind not in excluded and (reads is None or not reads.isdisjoint(present))
        ]
        assert list(_rules_for(frozenset(excluded), present)) == expected


def test_a_keyword_behind_a_reference_still_runs_its_rule() -> None:
    """The keywords looked for are those of every conjunct: a ``$ref`` target's and an
    ``allOf`` member's count, so the rule still runs and reports the change."""
    old = {"$defs": {"name": {"maxLength": 10}}, "$ref": "#/$defs/name", "type": "string"}
    new = {"allOf": [{"maxLength": 5}], "type": "string"}
    assert "max-length-decreased" in {c.rule for c in diff(old_schema=old, new_schema=new).changes}


def test_diffs_sharing_subschema_objects_keep_their_own_answers() -> None:
    """Canonical texts, key filters and compiled validators are remembered by object
    identity across diffs: two diffs whose documents share property schemas (the same
    objects) but differ elsewhere each report what a diff of unshared copies reports,
    in either order."""
    name = {"type": "string", "maxLength": 5}
    count = {"type": "integer", "minimum": 0}
    old = {"type": "object", "properties": {"name": name, "count": count}, "required": ["name"]}
    narrower = {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 3}, "count": count},
        "required": ["name"],
    }
    wider = {
        "type": "object",
        "properties": {"name": name, "count": {"type": "integer"}},
        "required": ["name"],
    }
    pairs = [(old, narrower), (old, wider), (narrower, old), (wider, old)]
    unshared = [
        diff(old_schema=json.loads(json.dumps(a)), new_schema=json.loads(json.dumps(b))).to_json()
        for a, b in pairs
    ]
    for order in (pairs, pairs[::-1]):
        for a, b in order:
            assert diff(old_schema=a, new_schema=b).to_json() == unshared[pairs.index((a, b))]
    assert unshared[0]["backward"] is False
    assert unshared[1]["backward"] is True


def _plain_size_by_definition(schema: Any) -> int | None:
    from accord.compat._diff import _PLAIN_KEYWORDS

    if isinstance(schema, bool):
        return 1
    if not isinstance(schema, dict) or not schema.keys() <= _PLAIN_KEYWORDS:
        return None
    props = schema.get("properties", {})
    if not isinstance(schema.get("additionalProperties", False), bool) or not isinstance(
        props, dict
    ):
        return None
    children = [*props.values(), *([schema["items"]] if "items" in schema else [])]
    sizes = [_plain_size_by_definition(c) for c in children]
    return None if None in sizes else 1 + sum(s for s in sizes if s is not None)


_PLAIN = st.recursive(
    st.one_of(
        st.booleans(),
        st.fixed_dictionaries({}, optional={"type": st.just("string"), "maxLength": st.just(3)}),
        st.fixed_dictionaries({"pattern": st.just("^a")}),
        st.fixed_dictionaries({"additionalProperties": st.sampled_from([True, {}])}),
    ),
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {"properties": st.dictionaries(st.sampled_from("abcd"), inner, max_size=4)},
            optional={"items": inner, "required": st.just(["a"]), "type": st.just("object")},
        ),
        st.dictionaries(st.sampled_from("ab"), inner, max_size=2).map(
            lambda props: {"properties": props, "additionalProperties": False}
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_PLAIN)
def test_plain_size_counts_by_its_definition(schema: Any) -> None:
    from accord.compat._diff import _plain_size

    assert _plain_size(schema) == _plain_size_by_definition(schema)


def test_each_pair_of_root_properties_is_compared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine compares the roots' properties key by key; the walker reads those
    answers instead of comparing the same pairs again (the report is the same)."""
    from accord.compat import _diff

    kinds = [{"type": "string", "maxLength": 64}, {"type": "integer", "minimum": 0}]
    old = {"type": "object", "properties": {f"p{i}": dict(kinds[i % 2]) for i in range(20)}}
    new = json.loads(json.dumps(old))
    new["properties"]["p0"] = {"type": "string", "maxLength": 32}
    new["properties"]["added"] = {"type": "string"}
    expected = diff(old, new).to_json()
    pairs: list[tuple[Any, Any]] = []
    compare = _diff.same_text

    def recorded(a: Any, b: Any) -> bool:
        pairs.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(_diff, "same_text", recorded)
    assert diff(old, new).to_json() == expected
    leaves = [(a, b) for a, b in pairs if isinstance(a, dict) and a.keys() == {"type", "maxLength"}]
    assert len(leaves) == len({(id(a), id(b)) for a, b in leaves}) == 10


def _tree_text_walked(schema: Any, limit: int = 16) -> str | None:
    """``_tree_text`` as it was written first: every container popped, none counted
    ahead (what the count of a wide container's children stands for)."""
    seen: set[int] = set()
    stack: list[Any] = [schema]
    plain = (str, int, float, bool, type(None))
    while stack:
        value = stack.pop()
        if type(value) is dict:
            if id(value) in seen or len(seen) >= limit:
                return None
            seen.add(id(value))
            if any(type(k) is not str for k in value):
                return None
            stack.extend(value.values())
        elif type(value) is list:
            if id(value) in seen or len(seen) >= limit:
                return None
            seen.add(id(value))
            stack.extend(value)
        elif type(value) not in plain:
            return None
    return json.dumps(schema)


_LEAF = {"type": "string"}
_WIDE_TREES = (
    [{"properties": {f"p{i}": {"type": "string"} for i in range(n)}} for n in (3, 4, 5, 14, 15, 16)]
    + [{"enum": [[i] for i in range(n)]} for n in (4, 5, 14, 15, 16)]
    + [
        {"allOf": [{}, {}, {}, {}, {}], "anyOf": [_LEAF, _LEAF]},
        {"allOf": [_LEAF, {}, {}, {}, _LEAF]},
        {"allOf": [{}, {}, {}, {}, {"const": object()}]},
        {"a": {"b": {"c": [[], [], [], [], [], [], [], [], [], [], [], [], []]}}},
    ]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_JSON)
def test_a_tree_text_is_the_text_of_the_full_walk(value: Any) -> None:
    """Counting a wide container's children ahead gives up exactly where popping them
    one by one would (and writes the same text otherwise)."""
    from accord.compat._diff import _tree_text

    assert _tree_text(value) == _tree_text_walked(value)
    assert _tree_text(value, 3) == _tree_text_walked(value, 3)


@pytest.mark.parametrize("value", _WIDE_TREES)
def test_a_wide_tree_is_let_go_where_the_full_walk_lets_it_go(value: Any) -> None:
    from accord.compat._diff import _tree_text

    assert _tree_text(value) == _tree_text_walked(value)


def _itself_in_its_allof() -> dict[str, Any]:
    schema: dict[str, Any] = {}
    schema["allOf"] = [schema]
    return schema


@pytest.mark.parametrize(
    "value",
    [
        {"allOf": [{"type": "string", "maxLength": 3}]},
        {"allOf": [{}]},
        {"allOf": [{"enum": ["a", "b"]}]},
        {"allOf": [{"const": object()}]},
        {"allOf": [{"const": (1, 2)}]},
        {"allOf": [{1: "a"}]},
        {"allOf": [{"maximum": float("nan")}]},
        {"allOf": [True]},
        {"allOf": [{"type": "string"}], "title": "t"},
        _itself_in_its_allof(),
    ],
    ids=[
        "leaf",
        "empty",
        "enum",
        "object-const",
        "tuple-const",
        "int-key",
        "nan",
        "bool-member",
        "beside-title",
        "itself",
    ],
)
def test_a_local_question_shape_gets_the_text_of_the_full_walk(value: Any) -> None:
    """``{"allOf": [leaf]}`` (the local questions) is answered without the walk: the
    same text, or None, as the walk, for every limit."""
    from accord.compat._diff import _tree_text

    for limit in (1, 2, 3, 4, 16):
        assert _tree_text(value, limit) == _tree_text_walked(value, limit)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "maxLength": 3},
        {"allOf": [{"type": "string", "maxLength": 64}]},
        {"allOf": [{"minimum": 1}, True, False, {"not": {"required": ["a"]}}], "title": "t"},
        {"allOf": [], "$schema": "https://json-schema.org/draft/2020-12/schema"},
        {"enum": [{"properties": {"a": {}}}], "allOf": [{"const": {"required": ["x"]}}]},
    ],
)
def test_a_conjunction_of_leaves_is_its_own_writer_closure(
    schema: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closure of a schema whose only structural keyword is an allOf of leaves is
    the copy the full builder returns for it (no live location)."""
    from accord.compat import _closure

    assert _closure._leaves_only(schema)
    fast = _closure._writer_closure(schema)
    monkeypatch.setattr(_closure, "_leaves_only", lambda _: False)
    assert fast == _closure._writer_closure(schema)
    assert fast is not schema


@pytest.mark.parametrize(
    "schema",
    [
        {"allOf": [{"properties": {"a": {}}}]},
        {"allOf": [{"required": ["a"]}]},
        {"allOf": [{"$ref": "#/$defs/x"}], "$defs": {"x": {"required": ["a"]}}},
        {"allOf": [{"type": "string"}], "anyOf": [{"required": ["a"]}]},
        {"allOf": {"type": "string"}},
        {"allOf": [{"items": {"required": ["a"]}}]},
    ],
)
def test_a_schema_that_may_declare_keys_gets_the_built_closure(schema: Any) -> None:
    from accord.compat import _closure

    assert not _closure._leaves_only(schema)


_REMOVAL_VALUES = st.one_of(
    st.sampled_from(
        [
            True,
            False,
            {},
            {"type": "string"},
            {"type": "string", "maxLength": 3},
            {"type": "string", "minLength": 2, "maxLength": 1},
            {"enum": ["a"]},
            {"enum": []},
            {"type": "string", "enum": [1]},
            {"not": {}},
            {"const": None},
            {"type": "object", "properties": {"a": False}},
            {"allOf": [{"type": "integer"}, {"type": "string"}]},
        ]
    ),
)
_REMOVAL_OBJECTS = st.fixed_dictionaries(
    {"properties": st.dictionaries(st.sampled_from("abc"), _REMOVAL_VALUES, max_size=3)},
    optional={
        "required": st.lists(st.sampled_from("abc"), max_size=2, unique=True),
        "additionalProperties": st.sampled_from([False, True, {"type": "integer"}]),
        "patternProperties": st.sampled_from([{"^a": False}, {"^b": {"type": "null"}}]),
        "propertyNames": st.sampled_from([{"maxLength": 1}, {"enum": ["a", "b"]}]),
        "not": st.just({"required": ["c"]}),
        "maxProperties": st.integers(0, 2),
        "allOf": st.lists(
            st.fixed_dictionaries(
                {"properties": st.dictionaries(st.sampled_from("abc"), _REMOVAL_VALUES)}
            ),
            max_size=2,
        ),
    },
)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_REMOVAL_OBJECTS, _REMOVAL_OBJECTS)
@example({"properties": {"a": {}}}, {"properties": {"a": {}}, "patternProperties": {"^a": False}})
@example({"properties": {"a": {}}}, {"properties": {"a": {}}, "propertyNames": {"maxLength": 0}})
@example({"properties": {"a": {}}}, {"properties": {"a": {}}, "not": {"required": ["a"]}})
@example({"properties": {"a": {}}}, {"properties": {"a": {"not": {}}}})
@example(
    {"properties": {"a": {}}}, {"properties": {"a": {}}, "allOf": [{"properties": {"a": False}}]}
)
@example(
    {"patternProperties": {"^a": {"properties": {"b": {}}}}, "properties": {"a": {}}},
    {"properties": {"a": {"properties": {"b": False}}}},
)
def test_removals_at_a_plainly_declared_location_are_the_per_key_ones(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    """Keys NEW declares plainly (``_closure._plain_declarations``) skip the per-key
    checks: the removals (keys, places, reasons, order) are those the checks find."""
    from accord.compat import _closure

    def removals(shortcut: bool) -> Any:
        real = _closure._plain_declarations
        _closure._plain_declarations = real if shortcut else (lambda dicts: None)  # type: ignore[assignment]
        try:
            return _closure.removals(old, new)
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            return type(exc).__name__
        finally:
            _closure._plain_declarations = real

    nested_old = {"properties": {"x": old, "y": {"type": "string"}}}
    nested_new = {"properties": {"x": new, "y": {"type": "string"}}}
    assert removals(shortcut=True) == removals(shortcut=False)
    old, new = nested_old, nested_new
    assert removals(shortcut=True) == removals(shortcut=False)


def test_a_wide_object_s_plainly_declared_keys_skip_the_per_key_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keys NEW declares with a plainly satisfiable schema cost a lookup each: no
    ``_forbidden`` or ``_admits_no_value`` call for them (one per key before)."""
    from accord.compat import _closure

    old = {"type": "object", "properties": {f"k{i}": {"type": "string"} for i in range(40)}}
    new = {"type": "object", "properties": {**old["properties"], "k0": {"not": {}}}}
    calls: list[str] = []
    real_forbidden, real_admits = _closure._forbidden, _closure._admits_no_value
    monkeypatch.setattr(
        _closure,
        "_forbidden",
        lambda ctx, uncond, key: calls.append(key) or real_forbidden(ctx, uncond, key),
    )
    monkeypatch.setattr(
        _closure,
        "_admits_no_value",
        lambda *args: calls.append(args[4]) or real_admits(*args),
    )
    found = _closure.removals(old, new)
    assert [(r.key, r.reason) for r in found] == [
        ("k0", "forbidden by a schema no value satisfies")
    ]
    assert set(calls) == {"k0"}


def test_properties_whose_values_differ_only_in_their_python_type_are_compared_by_text() -> None:
    """A Python schema may carry a value that is not JSON in an annotation (the metaschema
    check does not read ``default``): ``b"x"`` and ``bytearray(b"x")`` are written as
    different text, so the property changed. A shortcut that compares properties by
    marshalled bytes (both are written as the same bytes) would drop the change."""
    old = {"properties": {"a": {"default": b"x"}, "b": {}}}
    new = {"properties": {"a": {"default": bytearray(b"x")}, "b": {"type": "string"}}}
    assert [c.rule for c in diff(old, new).changes] == ["default-changed", "type-narrowed"]


_EXACT = st.one_of(
    _JSON,
    st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal("1E+2"), Decimal("0.1"), 2**70]),
)
_DOCS = st.recursive(
    _EXACT,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(_KEYS, inner, max_size=4),
    ),
    max_leaves=12,
)


def _dumped(dump: Any, value: Any) -> str | type[BaseException]:
    try:
        return str(dump(value))
    except (TypeError, ValueError) as exc:
        return type(exc)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(_DOCS, _DOCS)
@example(Decimal("1"), 1)
@example(Decimal("1.0"), 1.0)
@example(1, 1.0)
@example(True, 1)
@example(0.0, -0.0)
@example(math.nan, math.nan)
@example((1, 2), [1, 2])
def test_identical_content_is_decided_as_canonical_dumps_decides_it(a: Any, b: Any) -> None:
    for x, y in ((a, b), (a, a), (a, _nudged(a))):
        _identical_content_as_canonical_dumps(x, y)


def test_identical_content_with_ints_past_the_digit_limit() -> None:
    # Outside hypothesis, which cannot print such ints in a report.
    big = 10**5000
    for a, b in ((big, big + 1), ({"a": 1, "b": big}, {"a": 2, "b": big}), ([big], [big])):
        _identical_content_as_canonical_dumps(a, b)
    # Equal values that are distinct objects (an int is compared by value, not identity).
    for a, b in ((2**70, int(str(2**70))), (0.1, float("0.1")), ([1.5, 2**65], [1.5, 2**65])):
        _identical_content_as_canonical_dumps(a, b)
        assert _may_be_same(a, b)


def _identical_content_as_canonical_dumps(x: Any, y: Any) -> None:
    """The diff's "identical content" test (a report with bump ``none``) is
    ``canonical_dumps`` equality. It is asked as ``_may_be_same`` (a walk that stops at
    a key set or a scalar token that differs) and then compact ``sorted_dumps`` equality
    (the C encoder, not the indenting Python one). Both stand for it: ``_may_be_same``
    says False only where the texts differ, and the compact texts are equal exactly
    where the indented ones are. A walk that compared ints by writing them would raise
    on an int past the digit limit where the dump (which raises on it anyway) is not
    reached; one that took ``Decimal("1")`` and ``1`` apart would call identical
    content changed."""
    indented = (_dumped(canonical_dumps, x), _dumped(canonical_dumps, y))
    compact = (_dumped(sorted_dumps, x), _dumped(sorted_dumps, y))
    same = isinstance(indented[0], str) and indented[0] == indented[1]
    assert (isinstance(compact[0], str) and compact[0] == compact[1]) is same
    assert [isinstance(t, str) for t in compact] == [isinstance(t, str) for t in indented]
    if not _may_be_same(x, y):
        assert not same


def test_a_schema_changed_in_place_is_not_written_out_to_be_told_from_the_old_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A diff whose change keeps every key (a maxLength lowered) finds the inputs differ
    at that value: neither is written in full to compare them (the indenting encoder
    cost a sixth of such a diff of 50 properties)."""
    from accord.core import jsondoc

    written: list[Any] = []
    for name in ("canonical_dumps", "sorted_dumps"):
        real = getattr(jsondoc, name)
        monkeypatch.setattr(jsondoc, name, lambda v, real=real: written.append(v) or real(v))
    props = {f"p{i}": {"type": "string", "maxLength": 64} for i in range(50)}
    new_props = {**props, "p7": {"type": "string", "maxLength": 32}}
    report = diff(
        {"type": "object", "properties": props}, {"type": "object", "properties": new_props}
    )
    assert [c.rule for c in report.changes] == ["max-length-decreased"]
    assert written == []
    same = diff(
        {"type": "object", "properties": props}, {"type": "object", "properties": dict(props)}
    )
    assert same.required_bump == "none"


def test_a_number_range_reads_only_the_number_keywords() -> None:
    """``Facets`` applies an atom's numeric bounds only when it has one of
    ``NUMBER_KEYWORDS``: ``NumRange.apply`` reads nothing else."""
    from accord.compat._prover import NumRange
    from accord.core.vocabulary import NUMBER_KEYWORDS, SHAPES, TYPE_KEYWORDS

    every = set().union(*TYPE_KEYWORDS.values(), *(set(t) for t in SHAPES.values()))
    every |= {"type", "enum", "const", "format", "$ref", "not", "if", "then", "else"}
    assert every >= NUMBER_KEYWORDS
    for keyword in sorted(every):
        for value in (3, 2.5):
            found = NumRange()
            found.apply({keyword: value})
            assert (found != NumRange()) is (keyword in NUMBER_KEYWORDS), (keyword, value)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["b", "a"], False),
        ([1, None], [1, None], True),
        ([1], [True], False),
        ([1], [1.0], False),
        ([0.0], [-0.0], False),
        (["1"], [1], False),
        ([10**30], [10**30], True),
        ([1, 2], (1, 2), True),
        ([], [], True),
    ],
)
def test_an_array_of_strings_and_integers_is_compared_as_its_text(
    a: Any, b: Any, same: bool
) -> None:
    """Arrays of exact strings, integers and nulls (an ``enum``) are compared by ``==``
    in C: for those types it is the equality of the texts, and for no other."""
    assert same_text(a, b) is same is (_text(a) == _text(b))
    assert same_text({"enum": a}, {"enum": b}) is same


class _EveryKeyword:
    """Stands for ``_CHILD_KEYWORDS`` meeting every site: the walker always looks for
    children, as it did before leaf sites were let go."""

    def isdisjoint(self, other: Any) -> bool:
        return False


def _walked(old: Any, new: Any) -> tuple[list[Any], list[Any]]:
    from accord.compat._diff import _Walker

    walker = _Walker(old, new)
    walker.walk([("", old)], [("", new)], "")
    sites = [(s.instance_path, s.old.entries, s.new.entries) for s in walker.sites]
    return sites, [(s.instance_path, hit) for s, hit in walker.found]


def _walks_alike(old: Any, new: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.compat import _diff

    fast = _walked(old, new)
    with monkeypatch.context() as patched:
        patched.setattr(_diff, "_CHILD_KEYWORDS", _EveryKeyword())
        assert _walked(old, new) == fast


def test_a_site_without_subschemas_to_enter_walks_as_any_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The walker enters no child of a site whose conjuncts hold none of the keywords it
    walks from: every case pair and rule example gives the same sites and hits as a
    walker looking for children everywhere (a keyword left out of ``_CHILD_KEYWORDS``
    would lose the sites under it)."""
    for old, new in _case_pairs():
        _walks_alike(old, new, monkeypatch)


def _shaped(schema: dict[str, Any]) -> dict[str, Any]:
    """Each drawn keyword's value in the shape the keyword takes."""
    out: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in ("properties", "patternProperties"):
            out[keyword] = {"a" if keyword == "properties" else "^a": value}
        elif keyword in ("prefixItems", "anyOf", "oneOf", "allOf"):
            out[keyword] = [value, {"type": "string"}]
        elif keyword == "maxLength":
            out[keyword] = 2
        else:
            out[keyword] = value
    return out


_WALKED_SCHEMAS = st.recursive(
    st.one_of(
        st.booleans(),
        st.fixed_dictionaries({}, optional={"type": st.just("string"), "maxLength": st.just(3)}),
        st.fixed_dictionaries({"enum": st.lists(st.sampled_from(["a", 1, True]), max_size=2)}),
    ),
    lambda inner: st.dictionaries(
        st.sampled_from(
            [
                "properties",
                "patternProperties",
                "additionalProperties",
                "unevaluatedProperties",
                "items",
                "prefixItems",
                "contains",
                "propertyNames",
                "then",
                "else",
                "anyOf",
                "oneOf",
                "allOf",
                "maxLength",
            ]
        ),
        inner,
        max_size=3,
    ).map(_shaped),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_WALKED_SCHEMAS, _WALKED_SCHEMAS)
def test_generated_sites_walk_alike_with_and_without_the_leaf_shortcut(old: Any, new: Any) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _walks_alike(old, {"allOf": [new]} if isinstance(new, dict) else new, monkeypatch)
        _walks_alike(old, new, monkeypatch)


def test_the_walker_enters_the_keys_the_engine_found_different_as_it_would_alone() -> None:
    """Where each side has one ``properties`` object, the walker enters the keys the
    engine's ``differing`` names instead of comparing every pair again: the same sites
    and hits as a walker on its own, on every case pair and rule example."""
    from accord.compat._diff import _Engine, _Walker

    for old, new in _case_pairs():
        engine = _Engine("contract", 10_000)
        alone = _walked(old, new)
        walker = _Walker(old, new, engine.same_text, engine.differing)
        walker.walk([("", old)], [("", new)], "")
        sites = [(s.instance_path, s.old.entries, s.new.entries) for s in walker.sites]
        assert (sites, [(s.instance_path, hit) for s, hit in walker.found]) == alone
