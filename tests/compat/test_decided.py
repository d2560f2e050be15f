"""Directions with a known answer are decided, never left unproven (issue 15, point 5).

The cases in ``data/decided.json`` use the shared case format (``old``, ``new``, ``set``
and ``contract`` verdicts, ``witnesses``): every graded ``true`` must be proven, every
graded ``false`` refuted with a witness the reference validator confirms. A hypothesis
property test holds the same keywords sound: whenever the engine proves inclusion, no
generated payload of the writer is rejected by the reader.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from _cases import JSON_VALUES, PROBES, check_listed_witnesses
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compat import diff
from accord.compat._engine import compare, includes, writer_closure
from accord.validation.dialect import normalize
from accord.validation.reference import is_valid

DATA = Path(__file__).parent / "data" / "decided.json"
CASES: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_listed_witnesses_behave_as_stated(case: dict[str, Any]) -> None:
    old, new = normalize(case["old"]), normalize(case["new"])
    check_listed_witnesses(old, new, case["witnesses"])


@pytest.mark.parametrize("semantics", ["set", "contract"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_is_decided(case: dict[str, Any], semantics: str) -> None:
    old, new = normalize(case["old"]), normalize(case["new"])
    result = compare(old, new, semantics=semantics)  # type: ignore[arg-type]
    for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
        verdict = getattr(result, direction)
        want = case[semantics][direction]
        if want is None:  # not graded here (a witness for it needs more than the case)
            continue
        assert verdict.holds is want, f"{direction}: {verdict.reason}"
        if want is False:
            assert verdict.has_witness
            closed = writer_closure(writer) if semantics == "contract" else writer
            assert is_valid(closed, verdict.witness)
            assert not is_valid(reader, verdict.witness)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_report_directions_match_the_case(case: dict[str, Any]) -> None:
    report = diff(case["old"], case["new"])
    for direction in ("backward", "forward"):
        want = case["contract"][direction]
        status = report.direction(direction).status  # type: ignore[arg-type]
        if want is None:
            assert status != "proven", direction
            continue
        assert status == ("proven" if want else "refuted"), direction


# -- soundness on random pairs over the keywords above ------------------------------------

_leaf = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "minLength": 2},
        {"type": "string", "maxLength": 3},
        {"type": "integer", "minimum": 0},
        {"type": "number", "maximum": 0},
        {"type": "number", "exclusiveMaximum": 0},
        {"type": "null"},
        {"minLength": 3},
        {"maxLength": 1},
        {"type": "object", "maxProperties": 1},
        {"type": "object", "minProperties": 2},
        {"type": "array", "minItems": 1},
        {},
        False,
    ]
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["a", "b"])
    return st.one_of(
        st.builds(lambda xs: {"not": {"allOf": xs}}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda xs: {"not": {"anyOf": xs}}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda a, b: {"not": {**_dict(a), **_dict(b)}}, children, children),
        st.builds(lambda xs: {"anyOf": xs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda xs: {"oneOf": xs}, st.lists(children, min_size=1, max_size=2)),
        st.builds(
            lambda props, deps, closed: {
                "type": "object",
                "properties": props,
                "dependentSchemas": deps,
                **({"unevaluatedProperties": closed} if closed is not None else {}),
            },
            st.dictionaries(keys, children, max_size=2),
            st.dictionaries(keys, children, max_size=2),
            st.one_of(st.none(), st.booleans(), children),
        ),
        st.builds(
            lambda pre, rest, contains, n: {
                "type": "array",
                "prefixItems": pre,
                **({"unevaluatedItems": rest} if rest is not None else {}),
                **({"contains": contains} if contains is not None else {}),
                **({"minItems": n} if n else {}),
            },
            st.lists(children, min_size=1, max_size=2),
            st.one_of(st.none(), st.booleans(), children),
            st.one_of(st.none(), children),
            st.integers(0, 2),
        ),
        st.builds(
            lambda kind, props, closed: {
                "type": "object",
                kind: [{"properties": props}, {"properties": {"c": {}}}],
                "unevaluatedProperties": closed,
            },
            st.sampled_from(["allOf", "anyOf"]),
            st.dictionaries(keys, children, max_size=2),
            st.one_of(st.booleans(), children),
        ),
        st.builds(
            lambda kind, pre, rest: {
                "type": "array",
                kind: [{"prefixItems": pre}],
                "unevaluatedItems": rest,
            },
            st.sampled_from(["allOf", "anyOf"]),
            st.lists(children, min_size=1, max_size=2),
            st.one_of(st.booleans(), children),
        ),
        st.builds(
            lambda x, n: {"type": "object", "propertyNames": x, "maxProperties": n},
            children,
            st.integers(0, 2),
        ),
    )


def _dict(schema: Any) -> dict[str, Any]:
    return dict(schema) if isinstance(schema, dict) else {"not": {}} if schema is False else {}


schemas = st.recursive(_leaf, _extend, max_leaves=5)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(schemas, schemas, st.lists(JSON_VALUES, max_size=12))
def test_proven_inclusion_is_sound(sub: Any, sup: Any, payloads: list[Any]) -> None:
    from accord.payloads.generate import valid_payloads

    for semantics in ("set", "contract"):
        verdict = includes(sub, sup, semantics=semantics)  # type: ignore[arg-type]
        writer = writer_closure(sub) if semantics == "contract" else sub
        if verdict.holds is True:
            generated: list[Any] = []
            # The generator is one source among three: a schema it cannot serve is fine.
            with contextlib.suppress(Exception):
                generated = list(valid_payloads(copy.deepcopy(writer), n=8, seed=0))
            for payload in [*PROBES, *payloads, *generated]:
                if is_valid(writer, payload):
                    assert is_valid(sup, payload), (semantics, payload)
        elif verdict.holds is False:
            assert is_valid(writer, verdict.witness)
            assert not is_valid(sup, verdict.witness)


# -- the rule layer walks into then/else, contains and propertyNames ----------------------

_SHORTER = ({"type": "string", "maxLength": 5}, {"type": "string", "maxLength": 3})


@pytest.mark.parametrize(
    ("wrap", "schema_path", "instance_path"),
    [
        (lambda s: {"type": "array", "contains": s}, "/contains/maxLength", "/*"),
        (lambda s: {"type": "object", "propertyNames": s}, "/propertyNames/maxLength", ""),
        (
            lambda s: {
                "type": "object",
                "properties": {"k": {}, "v": {}},
                "if": {"required": ["k"]},
                "then": {"properties": {"v": s}},
            },
            "/then/properties/v/maxLength",
            "/v",
        ),
        (
            lambda s: {
                "type": "object",
                "properties": {"k": {}, "v": {}},
                "if": {"required": ["k"]},
                "then": {},
                "else": {"properties": {"v": s}},
            },
            "/else/properties/v/maxLength",
            "/v",
        ),
    ],
    ids=["contains", "propertyNames", "then", "else"],
)
def test_rules_name_the_change_inside(wrap: Any, schema_path: str, instance_path: str) -> None:
    old, new = wrap(_SHORTER[0]), wrap(_SHORTER[1])
    report = diff(old, new)
    found = [(c.rule, c.schema_path, c.instance_path, c.breaks) for c in report.changes]
    assert found == [("max-length-decreased", schema_path, instance_path, ("backward",))]
    assert report.direction("backward").status == "refuted"


def test_a_change_under_not_stays_not_changed() -> None:
    """Under ``not`` a rule's name would say the opposite (a shorter maxLength there
    accepts more): the coarse rule reports it, with the direction it really breaks."""
    report = diff({"not": _SHORTER[0]}, {"not": _SHORTER[1]})
    assert [(c.rule, c.breaks) for c in report.changes] == [("not-changed", ("forward",))]


def test_a_oneof_listing_one_subschema_twice_is_not_covered() -> None:
    """Found by the property test: the same Python object as two ``oneOf`` branches is
    still two branches (every value matches both, so ``oneOf`` rejects it)."""
    branch = {"type": "string"}
    verdict = includes({"type": "string"}, {"oneOf": [branch, branch]})
    assert verdict.holds is False
    assert verdict.witness == ""
