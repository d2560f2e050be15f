"""A contract's latest release whose checks need no other document is kept as its
checked bytes by ``Registry.load`` (like an old version), and ``accord.validator``
compiles those bytes when they prove the document is its own bundle: the document is
built only if something reads it. What is refused, and when, and what a version's
document, bundle and validator are, stay exactly those of a load that freezes it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import DRAFT_2020_12, locked_version, write
from accord.errors import ContractViolation, RegistryError, UsageError
from accord.registry import runtime
from accord.registry.model import Registry, _stored_document, own_text
from accord.validation.validator import Validator

CONTRACT_TOML = 'owner = "t"\nkind = "event"\n'
TREE: dict[str, Any] = {
    "$schema": DRAFT_2020_12,
    "$defs": {
        "node": {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
        }
    },
    "$ref": "#/$defs/node",
}
FLAT: dict[str, Any] = {
    "$schema": DRAFT_2020_12,
    "$defs": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"}},
    "type": "object",
    "properties": {"sku": {"$ref": "#/$defs/sku"}, "any": {}},
    "required": ["sku"],
}


def _kind(registry: Registry, ref: str) -> str:
    return type(_stored_document(registry.get(ref))).__name__


@pytest.fixture(autouse=True)
def _fresh_caches() -> Any:
    runtime.clear_caches()
    yield
    runtime.clear_caches()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    locked_version(tmp_path, "shop.tree", "1.0.0", TREE)
    locked_version(tmp_path, "shop.flat", "1.0.0", FLAT)
    for contract in ("shop.tree", "shop.flat"):
        write(tmp_path.joinpath(*contract.split("."), "contract.toml"), CONTRACT_TOML)
    return tmp_path


def _full(document: Any) -> Validator:
    """The validator a frozen document gives (what a load that froze it would build)."""
    return Validator(document, ref="x@1.0.0")


@pytest.mark.parametrize("ref", ["shop.tree@1.0.0", "shop.flat@1.0.0"])
def test_a_validator_compiles_the_bytes_and_builds_no_document(root: Path, ref: str) -> None:
    registry = Registry.load(root)
    assert _kind(registry, ref) == "_Unparsed"
    assert own_text(registry.get(ref)) is not None
    validator = runtime.validator(ref, registry=registry)
    assert _kind(registry, ref) == "_Unparsed"  # compiled from the bytes
    document = json.loads(registry.get(ref).raw)
    reference = _full(document)
    assert validator.depth_checked is reference.depth_checked
    assert validator.depth_checked is (ref == "shop.tree@1.0.0")
    for payload in ({"sku": "ABC-1234"}, {"sku": "abc"}, {"children": [{"children": 3}]}, 7):
        assert validator.is_valid(payload) is reference.is_valid(payload)
    # The schema is the version's document, built on first read: its bundle, as ever.
    assert validator.schema is registry.bundle(ref)
    assert validator.schema is registry.get(ref).document
    assert validator.schema == document
    assert _kind(registry, ref) == "FrozenDict"
    with pytest.raises(TypeError):
        validator.schema["type"] = "string"


def test_errors_are_explained_from_the_document_built_later(root: Path) -> None:
    registry = Registry.load(root)
    validator = runtime.validator("shop.flat@1.0.0", registry=registry)
    with pytest.raises(ContractViolation) as caught:
        validator.validate({"sku": "abc"})
    assert [issue.instance_path for issue in caught.value.errors] == ["/sku"]
    assert _kind(registry, "shop.flat@1.0.0") == "FrozenDict"


def test_a_file_edited_after_load_changes_nothing(root: Path) -> None:
    registry = Registry.load(root)
    path = root / "shop" / "flat" / "1.0.0.schema.json"
    checked = path.read_bytes()
    path.write_text(json.dumps({"$schema": DRAFT_2020_12, "type": "string"}))
    validator = runtime.validator("shop.flat@1.0.0", registry=registry)
    assert validator.is_valid({"sku": "ABC-1234"})
    assert not validator.is_valid("text")
    assert registry.get("shop.flat@1.0.0").raw == checked
    assert validator.schema == json.loads(checked)


SCHEMA = f'"$schema": "{DRAFT_2020_12}"'


def _text(*members: str) -> str:
    """An object's JSON text indented by 2, members as given (keys in that order)."""
    return "{\n" + ",\n".join(f"  {member}" for member in members) + "\n}\n"


def _locked_text(root: Path, contract_id: str, text: str) -> None:
    """One published version file of ``contract_id`` holding exactly ``text``."""
    folder = root.joinpath(*contract_id.split("."))
    write(folder / "1.0.0.schema.json", text)
    write(folder / "contract.toml", CONTRACT_TOML)
    digest = hashlib.sha256(text.encode()).hexdigest()
    write(root / "accord.lock", f"{contract_id} 1.0.0 sha256:{digest}\n")


@pytest.mark.parametrize(
    "text",
    [
        _text('"type": "object"', SCHEMA),  # keys not sorted
        _text(SCHEMA, '"x\\"$ref": "#"'),  # an escaped quote: a key ending in \"$ref
        _text(SCHEMA, '"maximum": 1.5'),  # a float
        _text(SCHEMA, '"maximum": 12345678901234567890'),  # a long integer
        _text(SCHEMA, '"const": "\\u00e9"'),  # a \u escape
        _text('"$id": "https://example.com/x"', SCHEMA),  # an $id
        _text('"$dynamicRef": "#"', SCHEMA),  # a $dynamicRef, a $recursiveRef
        _text('"$recursiveRef": "#"', SCHEMA),
        _text('"type": "object"'),  # no $schema: 2020-12, not what the bundler writes
        _text('"$defs": {"a b": {}}', '"$ref": "#/$defs/a b"', SCHEMA),  # a $ref to quote
    ],
)
def test_bytes_that_prove_less_leave_it_to_the_document(tmp_path: Path, text: str) -> None:
    _locked_text(tmp_path, "shop.odd", text)
    registry = Registry.load(tmp_path)
    version = registry.get("shop.odd@1.0.0")
    assert own_text(version) is None
    validator = runtime.validator("shop.odd@1.0.0", registry=registry)
    assert validator.schema is registry.bundle(version)
    reference = _full(registry.bundle(version))
    assert validator.depth_checked is reference.depth_checked
    for payload in ({}, "x", 1e300, {"a": 1}):
        assert validator.is_valid(payload) is reference.is_valid(payload)


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ({"$schema": DRAFT_2020_12, "$ref": "#/$defs/missing"}, "ref-unresolvable"),
        ({"$schema": DRAFT_2020_12, "enum": list(range(20_000))}, "schema-too-complex"),
    ],
)
def test_a_latest_release_is_still_refused_at_load(
    tmp_path: Path, document: Any, code: str
) -> None:
    locked_version(tmp_path, "shop.bad", "1.0.0", document)
    write(tmp_path / "shop" / "bad" / "contract.toml", CONTRACT_TOML)
    with pytest.raises(RegistryError) as caught:
        Registry.load(tmp_path)
    assert code in {p.code for p in caught.value.problems}


def test_a_duplicate_key_is_still_refused_at_load(tmp_path: Path) -> None:
    _locked_text(tmp_path, "shop.dup", _text(SCHEMA, '"type": "object"', '"type": "string"'))
    with pytest.raises(RegistryError) as caught:
        Registry.load(tmp_path)
    assert "json-duplicate-key" in {p.code for p in caught.value.problems}


def test_a_schema_built_later_needs_its_text_and_the_reference() -> None:
    with pytest.raises(UsageError):
        Validator(None, _later=dict)
    with pytest.raises(UsageError):
        Validator(None, backend="python", _source=("{}", (), False), _later=dict)


OWN_CORPUS: list[dict[str, Any]] = [
    TREE,
    FLAT,
    {"$schema": DRAFT_2020_12, "type": "array", "items": {"$ref": "#"}},
    {"$schema": DRAFT_2020_12, "$defs": {"a b": {"type": "string"}}, "$ref": "#/$defs/a%20b"},
    {"$schema": DRAFT_2020_12, "$defs": {"a/b": {"minimum": 0}}, "$ref": "#/$defs/a~1b"},
    {
        "$schema": DRAFT_2020_12,
        "$defs": {"x": {"$ref": "#/$defs/y"}, "y": {"properties": {"z": {"$ref": "#/$defs/x"}}}},
        "properties": {"x": {"$ref": "#/$defs/x"}},
    },
    {
        "$schema": DRAFT_2020_12,
        "$defs": {"x": {"type": "integer"}},
        "const": {"$ref": "#/$defs/x"},
        "patternProperties": {"^a(?=b)": {"pattern": "\\d+\\.\\w"}},
    },
    {"$schema": DRAFT_2020_12, "enum": ["$ref", "#/$defs", None, True, -3, "a:b"]},
]


@pytest.mark.parametrize("document", OWN_CORPUS)
def test_what_the_bytes_prove_is_what_the_document_shows(tmp_path: Path, document: Any) -> None:
    from accord.core.frozen import thaw
    from accord.registry.model import own_source
    from accord.validation.recursion import may_recurse

    locked_version(tmp_path, "shop.own", "1.0.0", document)
    write(tmp_path / "shop" / "own" / "contract.toml", CONTRACT_TOML)
    registry = Registry.load(tmp_path)
    version = registry.get("shop.own@1.0.0")
    own = own_text(version)
    assert own is not None
    (text, refs, backtrack), recurses = own
    # What the document path finds, once the document is built.
    bundle = registry.bundle(version)
    assert bundle is version.document  # its own bundle (_own_bundle)
    source = own_source(version, bundle)
    assert source is not None
    assert set(refs) == set(source[1])
    assert backtrack or not source[2]  # the file's text may only be more cautious
    assert recurses is may_recurse(bundle)
    assert json.loads(text) == thaw(bundle)


def test_the_quoting_shortcut_agrees_with_quote() -> None:
    from urllib.parse import quote, unquote

    from accord.registry.model import _FRAGMENT_SAFE, _as_written_by_bundler

    alphabet = "aZ09_.-~/:@!$&'()*+,;=?% #\"\\^é[]{}|<>`"
    refs = ["#", "#/", "#/$defs/a b", "#/$defs/a%20b", "#/$defs/a%2", "#/x%7E", "#/%"]
    refs += ["#/" + a + b for a in alphabet for b in alphabet]
    for ref in refs:
        expected = ref == "#" + quote(unquote(ref[1:]), safe=_FRAGMENT_SAFE)
        assert _as_written_by_bundler(ref) is expected, ref
