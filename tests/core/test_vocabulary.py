"""The keyword vocabulary: where subschemas live, per dialect, and what each type reads."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core import vocabulary as v


def _children(keyword: str, value: Any, dialect: str = "2020-12") -> list[tuple[str, Any]]:
    return list(v.children(keyword, value, dialect, "/x"))


def test_the_three_shapes() -> None:
    assert _children("not", {"type": "null"}) == [("/x/not", {"type": "null"})]
    assert _children("not", False) == [("/x/not", False)]
    assert _children("anyOf", [True, {}]) == [("/x/anyOf/0", True), ("/x/anyOf/1", {})]
    assert _children("properties", {"a/b": {}, "c": True}) == [
        ("/x/properties/a~1b", {}),
        ("/x/properties/c", True),
    ]


@pytest.mark.parametrize("keyword", ["enum", "const", "default", "examples", "required", "type"])
def test_data_keywords_hold_no_subschema(keyword: str) -> None:
    # A walk into them would read data ({"type": ...} in an enum) as a schema.
    assert v.shapes(keyword) == frozenset()
    assert _children(keyword, [{"type": "string"}]) == []
    assert _children(keyword, {"type": "string"}) == []


def test_items_per_dialect() -> None:
    assert _children("items", [{}], "2020-12") == []  # an array is a metaschema error
    assert _children("items", [{}], "draft-07") == [("/x/items/0", {})]
    assert _children("items", {}, "draft-07") == [("/x/items", {})]
    assert _children("additionalItems", {}, "2020-12") == []
    assert _children("additionalItems", {}, "draft-07") == [("/x/additionalItems", {})]


def test_maps_per_dialect() -> None:
    assert _children("definitions", {"a": {}}, "2020-12") == []
    assert _children("definitions", {"a": {}}, "draft-07") == [("/x/definitions/a", {})]
    assert _children("dependentSchemas", {"a": {}}, "draft-07") == []
    # draft-07 dependencies: schemas are subschemas, arrays of names are not.
    deps = {"a": ["b"], "c": {"required": ["d"]}}
    assert _children("dependencies", deps, "draft-07") == [
        ("/x/dependencies/c", {"required": ["d"]})
    ]


def test_2020_12_keywords_in_a_draft_hold_data() -> None:
    for keyword in ("unevaluatedProperties", "contentSchema"):
        assert _children(keyword, {}, "draft-07") == []
        assert _children(keyword, {}, "2019-09") == [(f"/x/{keyword}", {})]
    assert _children("prefixItems", [{}], "draft-07") == []
    assert _children("prefixItems", [{}], "2019-09") == []
    assert _children("dependentSchemas", {"a": {}}, "2019-09") == [("/x/dependentSchemas/a", {})]


def test_older_drafts() -> None:
    assert _children("if", {}, "draft-07") == [("/x/if", {})]
    assert _children("if", {}, "draft-06") == []
    assert _children("contains", {}, "draft-06") == [("/x/contains", {})]
    assert _children("contains", {}, "draft-04") == []
    assert _children("items", [{}], "draft-04") == [("/x/items/0", {})]


def test_a_value_of_the_wrong_shape_holds_nothing() -> None:
    assert _children("properties", [{}]) == []
    assert _children("allOf", {}) == []
    assert _children("not", [{}]) == []
    assert _children("properties", {"a": 1}) == []


def test_every_2020_12_applicator_has_a_shape_and_nothing_else_does() -> None:
    from accord.validation.dialect import VOCABULARIES_2020_12

    applicators = (
        VOCABULARIES_2020_12["applicator"]
        | VOCABULARIES_2020_12["unevaluated"]
        | {"$defs", "contentSchema"}
    )
    assert set(v.SHAPES["2020-12"]) == applicators


def test_validators_walk_with_the_kernel_tables() -> None:
    # backends and dialect each had their own copy of these tables.
    from accord.validation import backends, dialect

    assert v.keywords(v.SCHEMA, "2020-12") == backends._SINGLE
    assert v.keywords(v.ARRAY, "2020-12") == backends._LIST
    assert v.keywords(v.MAP, "2020-12") == backends._MAP
    assert v.keywords(v.MAP, "2020-12") | v.keywords(v.MAP, "draft-07") == dialect._MAP


def test_type_keywords_partition_the_assertions() -> None:
    assert set(v.TYPE_KEYWORDS) == {
        "null",
        "boolean",
        "integer",
        "number",
        "string",
        "array",
        "object",
    }
    groups = [v.NUMBER_KEYWORDS, v.STRING_KEYWORDS, v.ARRAY_KEYWORDS, v.OBJECT_KEYWORDS]
    assert sum(len(g) for g in groups) == len(frozenset().union(*groups))
    assert "dependentRequired" in v.OBJECT_KEYWORDS
    assert "maxContains" in v.ARRAY_KEYWORDS


def test_engine_and_generator_read_the_same_type_keywords() -> None:
    # The generator, the prover and the witness search each listed these.
    from accord.compat import _prover
    from accord.payloads import generate

    assert _prover.OBJ_KW is generate.OBJECT_KEYWORDS is v.OBJECT_KEYWORDS
    assert _prover.ARR_KW is generate.ARRAY_KEYWORDS is v.ARRAY_KEYWORDS


def _starts(pattern: str, key: str) -> bool:
    return key.startswith(pattern)


def test_key_subschemas() -> None:
    schema = {
        "properties": {"x_a": {}, "b": {}},
        "patternProperties": {"x_": {}, "y": {}},
        "additionalProperties": False,
    }
    assert v.key_subschemas(schema, "x_a", _starts) == [
        ("properties", "x_a"),
        ("patternProperties", "x_"),
    ]
    assert v.key_subschemas(schema, "b", _starts) == [("properties", "b")]
    assert v.key_subschemas(schema, "y1", _starts) == [("patternProperties", "y")]
    assert v.key_subschemas(schema, "z", _starts) == [("additionalProperties",)]
    assert v.key_subschemas({}, "z", _starts) == []


def test_item_subschemas() -> None:
    schema = {"prefixItems": [{}, {}], "items": False}
    assert v.item_subschemas(schema, 1) == [("prefixItems", 1)]
    assert v.item_subschemas(schema, 2) == [("items",)]
    assert v.item_subschemas(schema, None) == [("items",)]
    assert v.item_subschemas({"prefixItems": [{}]}, 3) == []


def test_engine_closure_prover_and_generator_agree_on_a_key() -> None:
    # Three copies of this walk lived in compat/_closure, compat/_prover and the generator.
    from accord.compat._closure import location_children
    from accord.compat._nodes import Ctx
    from accord.payloads.generate import _property_ptrs

    schema = {
        "properties": {"ab": {"type": "string"}},
        "patternProperties": {"^a": {"minLength": 1}, "^z": {}},
        "additionalProperties": {"type": "integer"},
    }
    ctx = Ctx(max_steps=1000)
    root = ctx.add_doc(schema)
    assert [n.schema for n in location_children(ctx, [root], "ab")] == [
        {"type": "string"},
        {"minLength": 1},
    ]
    assert [n.schema for n in location_children(ctx, [root], "q")] == [{"type": "integer"}]
    assert _property_ptrs("", schema, "ab") == ["/properties/ab", "/patternProperties/^a"]
