"""Proven compatibility is sound for draft-07 and 2019-09 documents, and across dialects.

The engine reads 2020-12 only: ``accord.diff`` normalises a draft-07 or 2019-09 document
first (``accord.validation.dialect.normalize``). The property below asks ``diff`` about
random pairs written with the keywords whose meaning differs between drafts (tuple
``items`` with ``additionalItems``, ``dependencies`` in both forms, ``definitions`` and a
``$ref`` whose siblings draft-07 ignores, numeric exclusive bounds, formats draft-07
leaves unasserted, ``contains`` beside the ``minContains``/``maxContains`` it does not
define, ``if``/``then``/``else``, 2020-12 keywords that mean nothing in draft-07) and
judges every payload with the reference validator of each document's *own* dialect
(``jsonschema_rs.Draft7Validator`` for a draft-07 document): whenever a direction is
proven, no payload its writer accepts is refused by its reader; whenever it is refuted,
the witness really separates the two documents as written. Pairs are draft-07 with
draft-07, 2019-09 with 2019-09, and a draft-07 version followed by a 2020-12 one (the
registry reads each version in the dialect it declares) and the reverse.
"""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import jsonschema_rs
import pytest
from _cases import JSON_VALUES, PROBES
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.compat import diff
from accord.compat._engine import writer_closure
from accord.errors import AccordError
from accord.payloads.generate import invalid_payloads, valid_payloads
from accord.validation.dialect import DIALECTS, Dialect, detect_dialect, normalize
from accord.validation.reference import is_valid

_RS = {
    "draft-07": jsonschema_rs.Draft7Validator,
    "2019-09": jsonschema_rs.Draft201909Validator,
    "2020-12": jsonschema_rs.Draft202012Validator,
}


def _declared(schema: Any) -> Any:
    """The reference validator in the dialect ``schema`` declares (formats as accord
    asserts them: on, unknown ones ignored)."""
    return _RS[detect_dialect(schema)](schema, validate_formats=True, ignore_unknown_formats=True)


_KEYS = st.sampled_from(["a", "b"])

_LEAVES = [
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "null"},
    {"type": "array"},
    {"type": "object"},
    {"type": "string", "maxLength": 2},
    {"minLength": 2},
    {"format": "date"},  # asserted in every dialect
    {"format": "uuid"},  # an annotation in draft-07, asserted in 2019-09 and 2020-12
    {"format": "duration"},  # likewise
    {"type": "string", "format": "ipv4"},
    {"format": "time"},
    {"exclusiveMinimum": 0},
    {"exclusiveMaximum": 1},
    {"type": "number", "minimum": 0},
    {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
    {"const": 1},
    {"enum": ["a", 1, None]},
    {},
    True,
    False,
]


def _bodies(dialect: Dialect, *, refs: bool = True) -> st.SearchStrategy[Any]:
    """Subschemas as an author writes them in ``dialect`` (the 2020-12 forms of tuples
    and dependencies there), each ``$ref`` (with ``refs``) to the document's definition
    ``d``."""
    ref = "#/$defs/d" if dialect == "2020-12" else "#/definitions/d"
    leaves = st.sampled_from(
        [
            *_LEAVES,
            *(
                [
                    {"$ref": ref},
                    {"$ref": ref, "type": "string"},  # the sibling: ignored in draft-07 only
                    {"$ref": ref, "minimum": 100},
                    {"$ref": ref, "format": "date"},
                ]
                if refs
                else []
            ),
        ]
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        if dialect == "2020-12":
            tuples = st.builds(
                lambda head, rest: {
                    "type": "array",
                    "prefixItems": head,
                    **({"items": rest} if rest is not None else {}),
                },
                st.lists(children, min_size=1, max_size=2),
                st.one_of(st.none(), st.booleans(), children),
            )
            dependencies = st.builds(
                lambda names, schemas: {
                    **({"dependentRequired": names} if names else {}),
                    **({"dependentSchemas": schemas} if schemas else {}),
                },
                st.dictionaries(_KEYS, st.lists(_KEYS, max_size=2, unique=True), max_size=2),
                st.dictionaries(_KEYS, children, max_size=2),
            )
        else:
            tuples = st.builds(
                lambda head, rest, n: {
                    "type": "array",
                    "items": head,
                    **({"additionalItems": rest} if rest is not None else {}),
                    **({"maxItems": n} if n is not None else {}),
                },
                st.lists(children, max_size=2),
                st.one_of(st.none(), st.booleans(), children),
                st.one_of(st.none(), st.integers(0, 3)),
            )
            dependencies = st.builds(
                lambda deps: {"dependencies": deps},
                st.dictionaries(
                    _KEYS,
                    st.one_of(st.lists(_KEYS, max_size=2, unique=True), children),
                    max_size=2,
                ),
            )
        return st.one_of(
            st.builds(
                lambda props, required, extra, deps: {
                    "type": "object",
                    "properties": props,
                    **({"required": required} if required else {}),
                    **({"additionalProperties": extra} if extra is not None else {}),
                    **deps,
                },
                st.dictionaries(_KEYS, children, max_size=2),
                st.lists(_KEYS, max_size=2, unique=True),
                st.one_of(st.none(), st.booleans(), children),
                dependencies,
            ),
            tuples,
            st.builds(lambda item: {"type": "array", "items": item}, children),
            # additionalItems without tuple items: ignored by every dialect.
            st.builds(lambda extra: {"additionalItems": extra}, children),
            st.builds(
                lambda item, least, most: {
                    "contains": item,
                    **({"minContains": least} if least is not None else {}),
                    **({"maxContains": most} if most is not None else {}),
                },
                children,
                st.one_of(st.none(), st.integers(0, 2)),
                st.one_of(st.none(), st.integers(0, 2)),
            ),
            st.builds(
                lambda if_, then, else_: {
                    "if": if_,
                    **({"then": then} if then is not None else {}),
                    **({"else": else_} if else_ is not None else {}),
                },
                children,
                st.one_of(st.none(), children),
                st.one_of(st.none(), children),
            ),
            st.builds(lambda xs: {"anyOf": xs}, st.lists(children, min_size=1, max_size=2)),
            st.builds(lambda xs: {"oneOf": xs}, st.lists(children, min_size=1, max_size=2)),
            st.builds(lambda x: {"not": x}, children),
            st.builds(lambda x: {"propertyNames": x}, children),
            # Beside a $ref: applied from 2019-09 on, ignored by draft-07.
            *(
                [
                    st.builds(
                        lambda sibling: {"$ref": ref, **sibling},
                        st.sampled_from(
                            [
                                {"items": {"type": "string"}},
                                {"properties": {"a": False}},
                                {"required": ["a"]},
                            ]
                        ),
                    )
                ]
                if refs
                else []
            ),
            # 2020-12 keywords: data or nothing in draft-07, applied in 2020-12.
            st.builds(lambda x: {"prefixItems": [x], "unevaluatedItems": False}, children),
            st.builds(
                lambda x: {
                    "properties": {"a": x},
                    "dependentRequired": {"a": ["b"]},
                    "unevaluatedProperties": False,
                },
                children,
            ),
        )

    return st.recursive(leaves, extend, max_leaves=5)


def _documents(dialect: Dialect) -> st.SearchStrategy[dict[str, Any]]:
    defs = "$defs" if dialect == "2020-12" else "definitions"
    # The definition refers to nothing: a recursive one can cost the engine seconds to
    # leave unproven (recursion is the 2020-12 property test's ground).
    return st.builds(
        lambda root, definition: {
            "$schema": DIALECTS[dialect],
            defs: {"d": definition},
            **({"allOf": [root]} if isinstance(root, bool) else root),
        },
        _bodies(dialect),
        _bodies(dialect, refs=False),
    )


def _assert_sound(old: Any, new: Any, extra: list[Any]) -> None:
    """Every direction ``diff`` proves holds, and every witness it reports separates
    the documents, each judged in its own dialect."""
    for semantics in ("set", "contract"):
        report = diff(old_schema=old, new_schema=new, semantics=semantics)  # type: ignore[arg-type]
        for direction, writer, reader in (("backward", old, new), ("forward", new, old)):
            result = report.direction(direction)  # type: ignore[arg-type]
            closure = writer_closure(normalize(writer)) if semantics == "contract" else True
            writes, reads = _declared(writer), _declared(reader)
            where = (semantics, direction, json.dumps(old), json.dumps(new))
            if result.status == "proven":
                candidates = [*PROBES, *extra]
                # The generator is one source among several: a schema it cannot serve is fine.
                with contextlib.suppress(Exception):
                    candidates += valid_payloads(copy.deepcopy(normalize(writer)), n=6, seed=0)
                with contextlib.suppress(Exception):
                    candidates += [m.payload for m in invalid_payloads(normalize(reader), n=6)]
                for payload in candidates:
                    if writes.is_valid(payload) and is_valid(closure, payload):
                        assert reads.is_valid(payload), (*where, json.dumps(payload))
            elif result.status == "refuted":
                assert result.witness is not None
                payload = result.witness.payload
                assert writes.is_valid(payload), (*where, json.dumps(payload))
                assert is_valid(closure, payload), (*where, json.dumps(payload))
                assert not reads.is_valid(payload), (*where, json.dumps(payload))


def _readable(old: Any, new: Any) -> bool:
    """Both documents compile under their declared dialect and accord reads them."""
    if not (jsonschema_rs.meta.is_valid(old) and jsonschema_rs.meta.is_valid(new)):
        return False
    try:
        diff(old_schema=old, new_schema=new, semantics="set")
    except AccordError:
        return False
    return True


_PAIRS = {
    "draft-07": st.tuples(_documents("draft-07"), _documents("draft-07")),
    "2019-09": st.tuples(_documents("2019-09"), _documents("2019-09")),
    "draft-07-then-2020-12": st.tuples(_documents("draft-07"), _documents("2020-12")),
    "2020-12-then-draft-07": st.tuples(_documents("2020-12"), _documents("draft-07")),
}


@pytest.mark.parametrize("pair", list(_PAIRS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_proven_compatibility_is_sound_in_the_declared_dialects(pair: str, data: Any) -> None:
    old, new = data.draw(_PAIRS[pair])
    assume(_readable(old, new))
    _assert_sound(old, new, data.draw(st.lists(JSON_VALUES, max_size=8)))


@pytest.mark.parametrize(
    "new",
    [{"contains": {}}, {"contains": {"minContains": 2}}],
    ids=["contains-emptied", "min-contains-added-inside"],
)
@pytest.mark.parametrize(
    "old",
    [
        {"contains": {"$ref": "#"}},
        {
            "$schema": DIALECTS["draft-07"],
            "definitions": {"d": {"contains": {"$ref": "#/definitions/d"}}},
            "$ref": "#/definitions/d",
        },
    ],
    ids=["2020-12", "draft-07"],
)
def test_a_change_inside_a_contains_that_refers_to_its_root_is_answered(old: Any, new: Any) -> None:
    """Found by the property test: a ``contains`` whose subschema is its own root put
    the root's ``contains`` and the subschema's ``minContains`` in one patch; deleting
    the first removed the node the second edits (KeyError, exit 3)."""
    _assert_sound(old, new, [[], [1], [[]], [[1]], [[], 1]])
