"""Content keywords the reference asserts in draft-06/07 are asserted by every validator.

jsonschema-rs asserts ``contentEncoding: base64`` and ``contentMediaType:
application/json`` in draft-06 and draft-07; 2020-12 (accord's normalised form) makes
them annotations. A version written in draft-06/07 with one is decided by the reference
in its declared dialect (``dialect.Declared``): ``accord.validator``, ``Validator``,
``validate_json``, ``accord validate`` and lint's example checks reject what the
reference rejects; the python and fast backends, which read the 2020-12 form, are
refused; a 2020-12 document with the same keywords keeps them as annotations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import accord
from accord.cli import main
from accord.errors import ContractViolation, SchemaError, UsageError
from accord.gate import publish as _publish
from accord.gate.lint import lint
from accord.registry import runtime as _runtime
from accord.registry.model import Registry
from accord.validation.backends import choose_backend
from accord.validation.reference import is_valid_declared
from accord.validation.validator import Validator

DIALECTS = {
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
}
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# (keyword, value, a payload the draft-06/07 reference rejects, one it accepts)
CASES = [
    ("contentEncoding", "base64", "!!!", "aGVsbG8="),
    ("contentMediaType", "application/json", "{not json", '{"a": 1}'),
]


def schema_of(dialect_uri: str, keyword: str, value: str) -> dict[str, Any]:
    return {
        "$schema": dialect_uri,
        "type": "object",
        "properties": {"blob": {"type": "string", keyword: value}},
        "required": ["blob"],
    }


def registry_with(tmp_path: Path, schema: dict[str, Any]) -> Path:
    root = tmp_path / "contracts"
    (root / "files" / "upload").mkdir(parents=True)
    (root / "files" / "upload" / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    assert _publish.publish(root, "files.upload", schema).status == "published"
    _runtime.clear_caches()
    return root


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize(("keyword", "value", "bad", "good"), CASES)
def test_every_validator_rejects_what_the_declared_reference_rejects(
    tmp_path: Path, dialect: str, keyword: str, value: str, bad: str, good: str
) -> None:
    schema = schema_of(DIALECTS[dialect], keyword, value)
    assert not is_valid_declared(schema, {"blob": bad})  # the reference, as declared
    assert is_valid_declared(schema, {"blob": good})
    # The document itself, handed to a Validator (normalised otherwise), decides alike.
    direct = Validator(schema)
    assert not direct.is_valid({"blob": bad})
    assert direct.is_valid({"blob": good})
    assert direct.errors({"blob": bad})
    with pytest.raises(ContractViolation):
        direct.validate_json(json.dumps({"blob": bad}))
    if dialect == "draft-06":
        return  # publish refuses content keywords in draft-06 (lint: unknown keyword)
    root = registry_with(tmp_path, schema)
    validator = accord.validator("files.upload@1.0.0", registry=root)
    assert not validator.is_valid({"blob": bad})
    assert validator.is_valid({"blob": good})
    with pytest.raises(ContractViolation):
        validator.validate({"blob": bad})
    validator.validate({"blob": good})
    with pytest.raises(ContractViolation):
        validator.validate_json(json.dumps({"blob": bad}))
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps({"blob": bad}))
    args = ["validate", "files.upload@1.0.0", str(payload), "--registry", str(root)]
    assert main(args) == 1
    payload.write_text(json.dumps({"blob": good}))
    assert main(args) == 0


def test_lint_examples_are_judged_in_the_declared_dialect(tmp_path: Path) -> None:
    root = registry_with(tmp_path, schema_of(DIALECTS["draft-07"], "contentEncoding", "base64"))
    examples = root / "files" / "upload" / "examples" / "1.0.0"
    (examples / "valid").mkdir(parents=True)
    (examples / "invalid").mkdir(parents=True)
    # Both wrong: the reference in the declared dialect rejects "!!!" and accepts base64.
    (examples / "valid" / "a.json").write_text('{"blob": "!!!"}')
    (examples / "invalid" / "b.json").write_text('{"blob": "aGVsbG8="}')
    codes = {p.code for p in lint(root).problems}
    assert {"example-invalid", "example-unexpectedly-valid"} <= codes


@pytest.mark.parametrize("backend", ["python", "fast"])
def test_the_backends_reading_2020_12_are_refused(tmp_path: Path, backend: str) -> None:
    root = registry_with(
        tmp_path, schema_of(DIALECTS["draft-07"], "contentMediaType", "application/json")
    )
    with pytest.raises(UsageError) as caught:
        accord.validator("files.upload@1.0.0", registry=root, backend=backend)
    assert caught.value.code == "backend-ineligible"
    assert "contentMediaType" in caught.value.message
    bundle = Registry.load(root).bundle("files.upload@1.0.0")
    table = {e.backend: e for e in choose_backend(bundle).eligibility}
    assert not table["python"].eligible
    assert not table["fast"].eligible
    assert "draft-07" in table["python"].reasons[0]


def test_explain_backend_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = registry_with(tmp_path, schema_of(DIALECTS["draft-07"], "contentEncoding", "base64"))
    args = ["validate", "files.upload@1.0.0", "--explain-backend", "--registry", str(root)]
    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["backends"]["fast"]["eligible"] is False
    assert "contentEncoding" in report["backends"]["fast"]["reasons"][0]


@pytest.mark.parametrize(("keyword", "value", "bad", "good"), CASES)
def test_2020_12_keeps_them_annotations(
    tmp_path: Path, keyword: str, value: str, bad: str, good: str
) -> None:
    root = registry_with(tmp_path, schema_of(DRAFT_2020_12, keyword, value))
    validator = accord.validator("files.upload@1.0.0", registry=root)
    assert validator.is_valid({"blob": bad})
    validator.validate({"blob": bad})
    assert accord.validator("files.upload@1.0.0", registry=root, backend="python").is_valid(
        {"blob": bad}
    )


def test_a_referenced_draft_07_version_is_bundled_as_written(tmp_path: Path) -> None:
    root = registry_with(tmp_path, schema_of(DIALECTS["draft-07"], "contentEncoding", "base64"))
    (root / "files" / "batch").mkdir(parents=True)
    (root / "files" / "batch" / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    batch = {
        "$schema": DIALECTS["draft-07"],
        "type": "array",
        "items": {"$ref": "accord://files.upload@1.0.0#/properties/blob"},
    }
    assert _publish.publish(root, "files.batch", batch).status == "published"
    _runtime.clear_caches()
    validator = accord.validator("files.batch@1.0.0", registry=root)
    assert validator.is_valid(["aGVsbG8="])
    assert not validator.is_valid(["aGVsbG8=", "!!!"])


def test_mixed_dialects_are_refused_not_guessed(tmp_path: Path) -> None:
    root = registry_with(tmp_path, schema_of(DIALECTS["draft-07"], "contentEncoding", "base64"))
    (root / "files" / "batch").mkdir(parents=True)
    (root / "files" / "batch" / "contract.toml").write_text('owner = "team"\nkind = "event"\n')
    batch = {
        "$schema": DRAFT_2020_12,
        "type": "array",
        "items": {"$ref": "accord://files.upload@1.0.0#/properties/blob"},
    }
    assert _publish.publish(root, "files.batch", batch).status == "published"
    _runtime.clear_caches()
    with pytest.raises(SchemaError) as caught:
        accord.validator("files.batch@1.0.0", registry=root)
    assert caught.value.code == "schema-dialect-unsupported"


def test_codegen_writes_no_fast_module_and_says_why(tmp_path: Path) -> None:
    from accord.codegen import generate_package

    root = registry_with(tmp_path, schema_of(DIALECTS["draft-07"], "contentEncoding", "base64"))
    out = tmp_path / "out"
    generate_package(Registry.load(root), out, package="declared_models")
    manifest = json.loads((out / "declared_models" / "_accord_manifest.json").read_text())
    assert "contentEncoding" in manifest["fast_skipped"]["files.upload@1.0.0"]
    assert not list(out.rglob("*_fast.py"))


def test_local_definitions_and_refs_keep_working_as_written(tmp_path: Path) -> None:
    schema = {
        "$schema": DIALECTS["draft-07"],
        "definitions": {"blob": {"$id": "#blob", "type": "string", "contentEncoding": "base64"}},
        "type": "object",
        "properties": {"a": {"$ref": "#/definitions/blob"}, "b": {"$ref": "#blob"}},
    }
    root = registry_with(tmp_path, schema)
    validator = accord.validator("files.upload@1.0.0", registry=root)
    assert validator.is_valid({"a": "aGVsbG8=", "b": "aGVsbG8="})
    assert not validator.is_valid({"a": "!!!"})
    assert not validator.is_valid({"b": "!!!"})
