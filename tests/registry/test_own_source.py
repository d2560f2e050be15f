"""A version that is its own bundle hands its validator its document as JSON text
(``own_source``): jsonschema-rs then compiles the text, with no plain copy of the frozen
document. Only text both read to the same values qualifies, and the validator built from
it decides exactly as one built from the document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import accord
from _registry_builders import publish
from accord.core.frozen import thaw
from accord.registry.model import Registry, _stored_document, own_source
from accord.registry.runtime import clear_caches
from accord.validation.recursion import may_recurse
from accord.validation.validator import Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"
HEAD = f'{{"$schema": "{DIALECT}", '


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def _registry(tmp_path: Path, documents: dict[str, str]) -> Registry:
    for name, text in documents.items():
        directory = tmp_path / "ns" / name
        directory.mkdir(parents=True)
        (directory / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
        (directory / "1.0.0.schema.json").write_text(text)
    return Registry.load(tmp_path)


def _sorted(document: dict[str, Any]) -> str:
    return json.dumps({"$schema": DIALECT, **document}, indent=2, sort_keys=True)


# (name, document, whether its text may be compiled as it is)
CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("plain", {"type": "object", "properties": {"n": {"maximum": 10}}}, True),
    ("local-ref", {"$defs": {"a": {"type": "string"}}, "items": {"$ref": "#/$defs/a"}}, True),
    (
        "recursive",
        {"$defs": {"t": {"items": {"$ref": "#/$defs/t"}}}, "$ref": "#/$defs/t"},
        True,
    ),
    ("integers", {"enum": [0, -5, 123456789012345]}, True),
    ("float", {"maximum": 0.1}, False),
    ("exponent", {"maximum": 1e3}, False),
    ("long-integer", {"const": 12345678901234567890}, False),
    ("negative-zero", {"const": 0, "enum": [-0]}, True),
    ("negative-zero-float", {"const": -0.0}, False),
    ("non-ascii", {"const": "\u00e9\ud7ff"}, True),
    ("control-escape", {"const": "a\u0001"}, False),
    ("dynamic", {"$dynamicAnchor": "a", "items": {"$dynamicRef": "#a"}}, False),
]


@pytest.mark.parametrize(("name", "document", "eligible"), CASES, ids=[c[0] for c in CASES])
def test_only_text_both_parsers_read_alike_is_handed_over(
    tmp_path: Path, name: str, document: dict[str, Any], eligible: bool
) -> None:
    text = json.dumps({"$schema": DIALECT, **document}, indent=2, sort_keys=True)
    if name in ("non-ascii", "control-escape"):
        assert "\\u" in text  # as written; the document is what counts
    registry = _registry(tmp_path, {"c": text})
    version = registry.get("ns.c@1.0.0")
    source = own_source(version, registry.bundle(version))
    assert (source is not None) is eligible
    if source is not None:
        assert json.loads(source[0]) == thaw(registry.bundle(version))
        assert source[1] == version._canonical_refs


@pytest.mark.parametrize(
    ("raw", "eligible"),
    [
        (HEAD + '"const": -0}', True),  # the integer 0, written 0
        (HEAD + '"enum": [1, -0 ]}', True),
        (HEAD + '"maximum": 1E2}', False),  # the float 100.0
        (HEAD + '"const": -0.0}', False),
    ],
)
def test_the_document_decides_not_its_spelling(tmp_path: Path, raw: str, eligible: bool) -> None:
    registry = _registry(tmp_path, {"c": raw})
    version = registry.get("ns.c@1.0.0")
    assert version._canonical_refs is not None  # only the numbers decide
    assert (own_source(version, registry.bundle(version)) is not None) is eligible


@pytest.mark.parametrize(("const", "eligible"), [("1.5", False), ("1", True)])
def test_strings_that_look_like_numbers_do_not_hide_a_real_one(
    tmp_path: Path, const: str, eligible: bool
) -> None:
    # "[0-9]{4}" and "a:1," inside strings are no numbers; a real float next to them is.
    raw = HEAD + f'"const": {const}, "pattern": "[0-9]{{4}}", "title": "a:1,"}}'
    registry = _registry(tmp_path, {"c": raw})
    version = registry.get("ns.c@1.0.0")
    assert version._canonical_refs is not None
    assert (own_source(version, registry.bundle(version)) is not None) is eligible


def test_a_bundle_that_is_not_the_document_is_not_handed_over(tmp_path: Path) -> None:
    common = _sorted({"type": "string"})
    user = _sorted({"items": {"$ref": "accord://ns.a@1.0.0"}})
    registry = _registry(tmp_path, {"a": common, "b": user})
    version = registry.get("ns.b@1.0.0")
    bundle = registry.bundle(version)
    assert bundle is not version.document
    assert own_source(version, bundle) is None


PAYLOADS: list[Any] = [
    {},
    {"n": 10},
    {"n": 11},
    [["x"]],
    [[["y", 1]]],
    "text",
    0,
    -5,
    123456789012345,
    [1, 2, "a"],
]


@pytest.mark.parametrize(("name", "document", "eligible"), CASES, ids=[c[0] for c in CASES])
def test_the_validator_decides_as_one_built_from_the_document(
    tmp_path: Path, name: str, document: dict[str, Any], eligible: bool
) -> None:
    registry = _registry(tmp_path, {"c": _sorted(document)})
    fast = accord.validator("ns.c@1.0.0", registry=registry)
    slow = Validator(registry.bundle("ns.c@1.0.0"), ref="ns.c@1.0.0")
    assert fast.schema is registry.bundle("ns.c@1.0.0")
    assert fast.depth_checked == slow.depth_checked == may_recurse(fast.schema)
    for payload in PAYLOADS:
        assert fast.is_valid(payload) == slow.is_valid(payload), payload
        assert [e.message for e in fast.errors(payload)] == [
            e.message for e in slow.errors(payload)
        ]


def test_may_recurse_from_the_ref_values_matches_the_walk() -> None:
    schemas: list[tuple[dict[str, Any], list[str]]] = [
        ({"$defs": {"t": {"items": {"$ref": "#/$defs/t"}}}, "$ref": "#/$defs/t"}, ["#/$defs/t"]),
        ({"$defs": {"a": {"type": "string"}}, "items": {"$ref": "#/$defs/a"}}, ["#/$defs/a"]),
        ({"items": {"$ref": "#"}}, ["#"]),
        ({"items": {"$ref": "#anchor"}, "$anchor": "anchor"}, ["#anchor"]),
        ({"type": "object"}, []),
    ]
    for schema, refs in schemas:
        assert may_recurse(schema, refs=refs) == may_recurse(schema), schema


@pytest.mark.parametrize(
    ("pattern", "capped"), [("^[a-z]{3}$", False), ("^(?=a)[a-z]+$", True), ("(a)\\1", True)]
)
def test_the_text_says_whether_a_pattern_needs_the_backtracking_cap(
    tmp_path: Path, pattern: str, capped: bool
) -> None:
    # Published: lint refuses lookaround in a new version, the lock vouches for this one.
    publish(tmp_path, "ns.c", {"1.0.0": _sorted({"type": "string", "pattern": pattern})})
    registry = Registry.load(tmp_path)
    version = registry.get("ns.c@1.0.0")
    source = own_source(version, registry.bundle(version))
    assert source is not None
    assert source[2] is capped


@pytest.mark.parametrize(("check_all", "kept_as"), [(True, "_Unparsed"), (False, "_Deferred")])
def test_an_old_version_parsed_on_first_use_hands_over_its_text(
    tmp_path: Path, check_all: bool, kept_as: str
) -> None:
    # A full load keeps only the bytes of an old, self-contained release, a default load
    # only lists it; the parse on first use learns what the loader's would have:
    # canonical, and its $ref values.
    document = {"$defs": {"a": {"maximum": 10}}, "properties": {"n": {"$ref": "#/$defs/a"}}}
    publish(tmp_path, "ns.c", {"1.0.0": _sorted(document), "1.1.0": _sorted({"type": "object"})})
    registry = Registry.load(tmp_path, check_all=check_all)
    version = registry.get("ns.c@1.0.0")
    assert type(_stored_document(version)).__name__ == kept_as
    source = own_source(version, registry.bundle(version))
    assert source is not None
    assert source[1] == ("#/$defs/a",)
    fast = accord.validator("ns.c@1.0.0", registry=registry)
    assert not fast.is_valid({"n": 11})
    assert fast.is_valid({"n": 10})
