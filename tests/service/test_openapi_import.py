"""accord import-openapi: component schemas of a FastAPI app / OpenAPI file as contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.errors import RefError, SchemaError
from accord.registry.model import Registry
from accord.registry.runtime import validator
from accord.service.openapi import component_schemas, contract_name, import_openapi

APP = """
from typing import Literal
from fastapi import FastAPI
from pydantic import BaseModel, Field


class Money(BaseModel):
    amount: str = Field(pattern=r"^[0-9]+(\\.[0-9]{1,2})?$")
    currency: str = Field(pattern="^[A-Z]{3}$")


class LineItem(BaseModel):
    sku: str
    quantity: int = Field(ge=1)
    price: Money


class ShopOrder(BaseModel):
    id: int
    status: Literal["open", "paid"]
    items: list[LineItem] = Field(min_length=1)
    parent: "ShopOrder | None" = None
    EXTRA_FIELD


# One schema per model (FastAPI's default splits X-Input/X-Output where they differ,
# which imports as x-input/x-output contracts).
app = FastAPI(separate_input_output_schemas=False)


@app.post("/orders")
def create(order: ShopOrder) -> ShopOrder:
    return order
"""

ORDER = {
    "id": 1,
    "status": "open",
    "items": [{"sku": "A", "quantity": 2, "price": {"amount": "1.50", "currency": "EUR"}}],
}


def _write_app(tmp_path: Path, extra: str = "") -> str:
    (tmp_path / "shop_app.py").write_text(APP.replace("EXTRA_FIELD", extra), encoding="utf-8")
    return f"{tmp_path / 'shop_app.py'}:app"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    registry = tmp_path / "contracts"
    registry.mkdir()
    return registry


def test_round_trip_from_a_fastapi_app(tmp_path: Path, root: Path) -> None:
    source = _write_app(tmp_path)
    results = import_openapi(root, source, namespace="shop", owner="shop-team")
    assert [(r.component, r.contract, r.created, r.result.status) for r in results] == [
        ("LineItem", "shop.line-item", True, "published"),
        ("Money", "shop.money", True, "published"),
        ("ShopOrder", "shop.shop-order", True, "published"),
    ]
    registry = Registry.load(root)
    document = registry.get("shop.shop-order@1.0.0").document
    assert set(document["$defs"]) == {"LineItem", "Money"}
    refs = json.dumps(document)
    assert "#/components" not in refs
    assert '"$ref": "#"' in refs  # the recursive parent
    check = validator("shop.shop-order@^1", registry=registry)
    assert check.is_valid(ORDER)
    assert check.is_valid({**ORDER, "parent": ORDER})
    assert not check.is_valid({**ORDER, "items": []})
    assert not check.is_valid({**ORDER, "items": [{**ORDER["items"][0], "quantity": 0}]})

    again = import_openapi(root, source, namespace="shop", owner="shop-team")
    assert {r.result.status for r in again} == {"unchanged"}


def test_reimport_goes_through_the_gate(tmp_path: Path, root: Path) -> None:
    import_openapi(root, _write_app(tmp_path), namespace="shop", owner="shop-team")
    (tmp_path / "v2").mkdir()
    source = _write_app(tmp_path / "v2", "note: str | None = None")
    results = {r.component: r.result for r in import_openapi(root, source, namespace="shop")}
    assert str(results["ShopOrder"].version) == "1.1.0"
    assert results["ShopOrder"].required_bump == "minor"
    assert results["Money"].status == "unchanged"


def test_new_contract_needs_an_owner(tmp_path: Path, root: Path) -> None:
    with pytest.raises(ValueError, match="--owner"):
        import_openapi(root, _write_app(tmp_path), namespace="shop")


def _openapi(schemas: dict[str, Any], version: str = "3.1.0") -> dict[str, Any]:
    return {"openapi": version, "info": {}, "paths": {}, "components": {"schemas": schemas}}


def test_cli_imports_a_json_file(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _openapi(
        {
            "Point": {"type": "object", "properties": {"x": {"type": "integer"}}},
            "HTTPValidationError": {"type": "object"},
        }
    )
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    args = ["import-openapi", str(path), "--namespace", "geo", "--owner", "maps"]
    code = main([*args, "--registry", str(root), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert [(i["component"], i["contract"], i["status"]) for i in data["imported"]] == [
        ("Point", "geo.point", "published")
    ]


@pytest.mark.parametrize(
    ("document", "error", "code"),
    [
        pytest.param(
            _openapi({"A": {"$ref": "https://example.com/a.json"}}),
            RefError,
            "ref-remote",
            id="remote-ref",
        ),
        pytest.param(
            _openapi({"A": {"$ref": "#/components/schemas/Missing"}}),
            RefError,
            "ref-unresolvable",
            id="dangling-ref",
        ),
        pytest.param(
            _openapi({"A": {"$ref": "#/components/parameters/P"}}),
            RefError,
            "ref-unresolvable",
            id="non-schema-ref",
        ),
    ],
)
def test_refused_references(document: dict[str, Any], error: type[Exception], code: str) -> None:
    with pytest.raises(error) as info:
        component_schemas(document, source="openapi.json")
    assert info.value.code == code  # type: ignore[attr-defined]
    assert info.value.file == "openapi.json"  # type: ignore[attr-defined]


def test_openapi_30_is_refused(tmp_path: Path, root: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_openapi({}, version="3.0.3")), encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        import_openapi(root, str(path), namespace="old", owner="x")
    assert info.value.code == "openapi-version"


@pytest.mark.parametrize(
    ("component", "name"),
    [("OrderPlaced", "order-placed"), ("Body_create_orders_post", "body-create-orders-post")],
)
def test_contract_names(component: str, name: str) -> None:
    assert contract_name(component) == name


def test_a_source_without_its_app_says_module_app(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `import-openapi shop_app` (the ":app" forgotten) was told to write "module:Class",
    # --model's wording: the source is an app or an OpenAPI file.
    _write_app(tmp_path)
    argv = ["import-openapi", "shop_app", "--namespace", "shop", "--owner", "x"]
    code = main([*argv, "--registry", str(root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "openapi-source" in err
    assert "module:app" in err
    assert "Class" not in err
    assert not list(root.iterdir())
