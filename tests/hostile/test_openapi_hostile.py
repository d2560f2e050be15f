"""``import-openapi`` publishes what the OpenAPI document means, or refuses.

It embeds referenced components under ``$defs``: a component that also has its own
``$defs`` entry of that name must not have it silently replaced.

Before, ``A.$defs.B`` (a string) was overwritten by the component ``B`` (an integer), so
``A.x`` (``$ref: #/components/schemas/A/$defs/B``) was published as an integer: the
contract accepted ``{"x": 1}``, which the OpenAPI document refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main


def _openapi(tmp_path: Path) -> Path:
    schemas = {
        "A": {
            "type": "object",
            "$defs": {"B": {"type": "string"}},
            "properties": {
                "x": {"$ref": "#/components/schemas/A/$defs/B"},
                "y": {"$ref": "#/components/schemas/B"},
            },
        },
        "B": {"type": "integer"},
    }
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc))
    return path


def _object_a_beside_integer_b(properties: dict[str, object]) -> dict[str, object]:
    """An OpenAPI document (no paths) whose component ``A`` is an object with
    ``properties`` and whose component ``B`` is an integer."""
    a = {"type": "object", "properties": properties}
    return {"openapi": "3.1.0", "components": {"schemas": {"A": a, "B": {"type": "integer"}}}}


def test_a_defs_entry_named_like_a_referenced_component_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    argv = ["import-openapi", str(_openapi(tmp_path)), "--namespace", "shop"]
    code = main([*argv, "--registry", str(root), "--owner", "team-a"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "openapi-defs-collision" in err
    assert "/components/schemas/A/$defs/B" in err
    assert list(root.iterdir()) == []


def test_a_ref_inside_data_is_kept_as_data(tmp_path: Path) -> None:
    """``const``/``enum``/``default``/``examples`` hold values: an object with a ``$ref``
    key there was rewritten (``#/components/schemas/B`` -> ``#/$defs/B``), changing
    which payload the contract accepts, or refused as a remote reference."""
    from accord.service.openapi import component_schemas

    value = {"$ref": "#/components/schemas/B"}
    remote = {"$ref": "https://example.invalid/x.json"}
    doc = _object_a_beside_integer_b(
        {
            "c": {"const": value},
            "e": {"enum": [value, remote]},
            "d": {"type": "object", "default": remote, "examples": [value]},
        }
    )
    schema = component_schemas(doc, components=["A"])["A"]
    props = schema["properties"]
    assert props["c"]["const"] == value
    assert props["e"]["enum"] == [value, remote]
    assert "$defs" not in schema  # B is referenced only as data


DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@pytest.mark.parametrize("where", ["document", "component", "referenced"])
def test_another_dialect_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """Each component is published as 2020-12: a draft-07 one (by ``jsonSchemaDialect``
    or its own ``$schema``) was re-read, so ``maxLength`` beside a ``$ref`` (ignored in
    draft-07) became a constraint of the published contract."""
    a: dict[str, object] = {
        "type": "object",
        "properties": {"n": {"$ref": "#/components/schemas/B", "maxLength": 1}},
    }
    b: dict[str, object] = {"type": "string"}
    doc: dict[str, object] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    if where == "document":
        doc["jsonSchemaDialect"] = DRAFT_07
    elif where == "component":
        a["$schema"] = DRAFT_07
    else:
        b["$schema"] = DRAFT_07
    doc["components"] = {"schemas": {"A": a, "B": b}}
    source = tmp_path / "api.json"
    source.write_text(json.dumps(doc))
    root = tmp_path / "contracts"
    root.mkdir()
    argv = ["import-openapi", str(source), "--namespace", "shop", "--registry", str(root)]
    code = main([*argv, "--owner", "team-a", "--component", "A"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "openapi-dialect" in err
    assert list(root.iterdir()) == []


def test_the_openapi_base_dialect_is_imported(tmp_path: Path) -> None:
    from accord.service.openapi import component_schemas

    doc = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "components": {"schemas": {"A": {"type": "object"}}},
    }
    assert component_schemas(doc)["A"]["type"] == "object"


def test_a_property_named_like_a_data_keyword_is_a_schema() -> None:
    """``properties: {"default": {"$ref": ...}}`` names a property: its ``$ref`` is
    rewritten and followed like any other (and a property named ``$ref`` is a schema)."""
    from accord.service.openapi import component_schemas

    ref = {"$ref": "#/components/schemas/B"}
    doc = _object_a_beside_integer_b({"default": ref, "example": ref, "$ref": {"type": "string"}})
    schema = component_schemas(doc, components=["A"])["A"]
    assert schema["properties"]["default"] == {"$ref": "#/$defs/B"}
    assert schema["properties"]["example"] == {"$ref": "#/$defs/B"}
    assert schema["properties"]["$ref"] == {"type": "string"}
    assert schema["$defs"] == {"B": {"type": "integer"}}


def test_a_lint_rule_the_registry_raises_to_an_error_refuses_the_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A registry whose ``[lint.rules]`` makes ``format-unknown`` an error refuses a
    component using an unknown format (exit 2, nothing written), as lint and check would
    refuse the version; before, it was published and locked, and from then on every
    lint and check of the registry failed over a version that can never change."""
    root = tmp_path / "contracts"
    root.mkdir()
    (root / "accord.toml").write_text(
        '[lint.rules.format-unknown]\nseverity = "error"\n'
        'reason = "every format here must be checked"\n'
    )
    doc = {"openapi": "3.1.0", "components": {"schemas": {"A": {"type": "string"}}}}
    doc["components"]["schemas"]["A"]["format"] = "invoice-number"
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc))
    argv = ["import-openapi", str(path), "--namespace", "shop", "--owner", "team-a"]
    code = main([*argv, "--registry", str(root)])
    err = capsys.readouterr().err
    assert (code, err.split(":")[0]) == (2, "error[format-unknown]")
    assert sorted(p.name for p in root.iterdir()) == ["accord.toml"]


def test_lint_warnings_of_a_component_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A component with a format JSON Schema does not define is published (a warning for
    lint) and the warning is printed as `accord publish` prints it; it was kept silent
    (only the JSON output carried it)."""
    root = tmp_path / "contracts"
    root.mkdir()
    doc = {"openapi": "3.1.0", "components": {"schemas": {"A": {"type": "string"}}}}
    doc["components"]["schemas"]["A"]["format"] = "invoice-number"
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc))
    argv = ["import-openapi", str(path), "--namespace", "shop", "--owner", "team-a"]
    assert main([*argv, "--registry", str(root)]) == 0
    captured = capsys.readouterr()
    assert "A -> shop.a (new contract): published" in captured.out
    assert captured.err.startswith("warning[format-unknown]: ")
    assert "'invoice-number'" in captured.err
