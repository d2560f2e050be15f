"""may_recurse (one walk, then the targets' subtrees) answers as the path-indexed walk did.

The reference below is the former implementation: every ref site's path, and a cycle
among sites where a target is a prefix of the next site's path.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

from accord.core import pointer as _pointer
from accord.core.frozen import freeze
from accord.registry.model import Registry
from accord.validation.recursion import may_recurse

ROOT = Path(__file__).resolve().parents[2]


def _reference(schema: Any) -> bool:
    refs: list[tuple[tuple[Any, ...], tuple[str, ...]]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), schema)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list):
                    stack.append(((*where, key), value))
                elif key == "$ref" and isinstance(value, str):
                    if value != "#" and not value.startswith("#/"):
                        return True
                    target = unquote(value[1:])
                    refs.append((where, tuple(_pointer.split(target)) if target else ()))
                elif key in ("$dynamicRef", "$recursiveRef"):
                    return True
        elif isinstance(node, list):
            stack.extend(
                ((*where, i), item) for i, item in enumerate(node) if isinstance(item, dict | list)
            )
    by_prefix: dict[tuple[str, ...], list[int]] = {}
    for j, (site, _) in enumerate(refs):
        tokens = tuple(map(str, site))
        for k in range(len(tokens) + 1):
            by_prefix.setdefault(tokens[:k], []).append(j)
    successors = {i: by_prefix.get(target, []) for i, (_, target) in enumerate(refs)}
    state: dict[int, int] = {}
    for start, first in successors.items():
        if start in state:
            continue
        path = [(start, iter(first))]
        state[start] = 1
        while path:
            node, children = path[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                return True
            elif child not in state:
                state[child] = 1
                path.append((child, iter(successors[child])))
    return False


def _registry_bundles(root: Path) -> list[Any]:
    registry = Registry.load(root)
    return [registry.bundle(version.ref) for contract in registry for version in contract.versions]


def _suite_schemas() -> list[Any]:
    schemas = []
    for path in sorted((ROOT / "tests/data/json-schema-test-suite").glob("*.json")):
        schemas.extend(case["schema"] for case in json.loads(path.read_text()))
    return schemas


TABLE: list[Any] = [
    {"type": "array"},
    {"$ref": "#"},
    {"items": {"$ref": "#"}},
    {"$ref": "#/"},
    {"": {"$ref": "#/"}},
    {"$defs": {"m": {"type": "string"}}, "items": {"$ref": "#/$defs/m"}},
    {"$defs": {"n": {"properties": {"c": {"$ref": "#/$defs/n"}}}}, "$ref": "#/$defs/n"},
    {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"items": {"$ref": "#/$defs/a"}}}},
    {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"items": {"$ref": "#/$defs/c"}}}},
    {"$defs": {"a/b": {"items": {"$ref": "#/$defs/a~1b"}}}},
    {"$defs": {"a b": {"items": {"$ref": "#/$defs/a%20b"}}}},
    {"$defs": {"a~b": {"items": {"$ref": "#/$defs/a~0b"}}}},
    {"prefixItems": [{"type": "string"}, {"items": {"$ref": "#/prefixItems/1"}}]},
    {"prefixItems": [{"type": "string"}, {"items": {"$ref": "#/prefixItems/01"}}]},
    {"prefixItems": [{"type": "string"}, {"items": {"$ref": "#/prefixItems/-1"}}]},
    {"prefixItems": [{"type": "string"}, {"items": {"$ref": "#/prefixItems/9"}}]},
    {"$defs": {"0": {"items": {"$ref": "#/$defs/0"}}}},
    {"$defs": {"x": {"$ref": "#/$defs/x/$ref"}}},
    {"$defs": {"x": {"const": {"$ref": "#/$defs"}}}},
    {"$defs": {"x": {"items": {"$ref": "#/$defs/missing"}}}},
    {"$defs": {"x": {"type": "string"}}, "items": {"$ref": "#/$defs/x/type"}},
    {"$dynamicAnchor": "meta", "items": {"$dynamicRef": "#meta"}},
    {"items": {"$recursiveRef": "#"}},
    {"properties": {"$dynamicRef": {"type": "string"}}},
    {"properties": {"$recursiveRef": {"type": "string"}, "$dynamicRef": {}}},
    {"properties": {"$recursiveRef": {"type": "string"}, "$dynamicRef": 1}},
    {"properties": {"$ref": 1}},
    {"$ref": "other.json"},
    {"$ref": "#anchor"},
    {"properties": {"$ref": {"type": "string"}}},
    [{"$ref": "#/0"}],
    [{"$ref": "#/1"}, {"type": "string"}],
]


def _random_schema(rng: random.Random, depth: int = 0) -> tuple[Any, list[list[str]]]:
    """A random nested schema and the paths of its containers (for $ref targets)."""
    paths: list[list[str]] = []

    def build(where: list[str], depth: int) -> Any:
        paths.append(where)
        if depth > 3 or rng.random() < 0.25:
            return {"$ref": None} if rng.random() < 0.5 else {"type": "string"}
        if rng.random() < 0.3:
            return [build([*where, str(i)], depth + 1) for i in range(rng.randint(1, 3))]
        keys = rng.sample(["a", "b", "c/d", "e~f", "g h", "0", "items", "$defs"], rng.randint(1, 3))
        return {key: build([*where, key], depth + 1) for key in keys}

    return build([], depth), paths


def _fill_refs(rng: random.Random, node: Any, paths: list[list[str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and value is None:
                where = rng.choice([*paths, ["missing"], [*rng.choice(paths), "nope"]])
                tokens = [quote(_pointer.escape(t), safe="/~$") for t in where]
                node[key] = "#" + "".join("/" + t for t in tokens)
            else:
                _fill_refs(rng, value, paths)
    elif isinstance(node, list):
        for item in node:
            _fill_refs(rng, item, paths)


def _randoms() -> list[Any]:
    rng = random.Random(17)
    out = []
    for _ in range(600):
        schema, paths = _random_schema(rng)
        _fill_refs(rng, schema, paths)
        out.append(schema)
    return out


def test_the_table_answers_as_before() -> None:
    for schema in TABLE:
        assert may_recurse(schema) is _reference(schema), schema
        assert may_recurse(freeze(schema)) is _reference(schema), schema


def test_random_schemas_answer_as_before() -> None:
    schemas = _randoms()
    answers = [_reference(schema) for schema in schemas]
    # Both answers are well represented, so the comparison means something.
    assert 50 < sum(answers) < len(answers) - 50
    for schema, answer in zip(schemas, answers, strict=True):
        assert may_recurse(schema) is answer, schema
        assert may_recurse(freeze(schema)) is answer, schema


@pytest.mark.parametrize(
    "schemas",
    [
        pytest.param(lambda: _registry_bundles(ROOT / "contracts"), id="repo-registry"),
        pytest.param(
            lambda: _registry_bundles(ROOT / "examples/users_provider/contracts"),
            id="example-registry",
        ),
        pytest.param(_suite_schemas, id="json-schema-test-suite"),
    ],
)
def test_registries_and_the_suite_answer_as_before(schemas: Any) -> None:
    found = schemas()
    assert found
    for schema in found:
        assert may_recurse(schema) is _reference(schema)
