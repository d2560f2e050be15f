"""Startup contract checks: accord.require / check_service (accord.service.startup)."""

from __future__ import annotations

import json
import sys
import types
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID

import pytest
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

import accord
from _registry_builders import add_contract
from accord.errors import ConfigError
from accord.registry.model import Registry
from accord.service import startup as _service
from accord.service.startup import ContractMismatch, check_service, require

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
ORDER = "orders.order-placed@^1.2"
NOTE = "demo.note@^1"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(CONTRACTS)


@pytest.fixture(scope="module")
def note_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """A contract with a nullable optional field, a closed struct and a prefix pattern."""
    root = tmp_path_factory.mktemp("notes")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "text": {"type": "string"},
            "note": {"type": ["string", "null"]},
            "code": {"type": "string", "pattern": "^[A-Z]"},
        },
        "required": ["id", "text"],
    }
    add_contract(root, "demo.note", {"1.0.0": schema})
    return Registry.load(root)


# -- models ----------------------------------------------------------------------------


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Annotated[str, Field(pattern=r"^-?(0|[1-9][0-9]*)(\.[0-9]{1,4})?$")]
    currency: Annotated[str, Field(pattern="^[A-Z]{3}$")]


class Customer(BaseModel):
    id: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1)]
    email: Annotated[str, Field(json_schema_extra={"format": "email"})]


class LineItem(BaseModel):
    sku: Annotated[str, Field(pattern=r"^[A-Z]{3}-[0-9]{4,8}$")]
    quantity: Annotated[int, Field(ge=1)]
    unit_price: Money


class OrderPlaced(BaseModel):
    order_id: UUID
    placed_at: AwareDatetime
    status: Literal["pending_payment", "confirmed"] = "pending_payment"
    customer: Customer
    line_items: Annotated[list[LineItem], Field(min_length=1)]
    total: Money


class NoTotal(BaseModel):  # a producer that lost a required field
    order_id: UUID
    placed_at: AwareDatetime
    status: Literal["pending_payment", "confirmed"]
    customer: Customer
    line_items: Annotated[list[LineItem], Field(min_length=1)]


class LooseLine(LineItem):
    quantity: int  # loosened: the contract says minimum 1


class LooseQuantity(OrderPlaced):
    line_items: Annotated[list[LooseLine], Field(min_length=1)]


class NullablePlacedAt(OrderPlaced):
    placed_at: AwareDatetime | None  # nullable: dumped without it (exclude_none)


class MoneyWithNote(Money):
    note: str = "n/a"  # an added field the closed money struct forbids


class ExtraOnClosed(OrderPlaced):
    total: MoneyWithNote


class TolerantReader(BaseModel):
    order_id: UUID
    total: Money


class NeedsDiscount(TolerantReader):
    discount_code: str  # an added required field no writer emits


class PickyLine(LineItem):
    quantity: Annotated[int, Field(ge=5)]


class PickyReader(TolerantReader):
    line_items: list[PickyLine]


class NaiveProducer(OrderPlaced):
    placed_at: datetime  # accepts naive datetimes, dumped without offset


class NoteReader(BaseModel):
    id: int
    text: str
    note: str | None = None


class NoteNotNullable(BaseModel):
    id: int
    text: str
    note: str = ""  # the contract allows null


class StrictNoteReader(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int
    text: str  # forbids 'note' and 'code', which writers may send


class NoteWithCode(BaseModel):
    id: Annotated[int, Field(ge=1)]
    text: str
    # A subset the engine cannot prove: \b is read Unicode-aware by the reference, so
    # the regular-language engine leaves it unproven (^[A-Z]{3}$ it now proves).
    code: Annotated[str, Field(pattern=r"^[A-Z]{3}\b")]


# -- producer and consumer cases ---------------------------------------------------------

PASS = [
    pytest.param(OrderPlaced, "producer", id="producer-conforming"),
    pytest.param(OrderPlaced, "consumer", id="consumer-conforming"),
    pytest.param(TolerantReader, "consumer", id="consumer-tolerant-reader"),
]

FAIL = [
    pytest.param(NoTotal, "producer", "total", id="producer-removed-field"),
    pytest.param(LooseQuantity, "producer", "quantity", id="producer-loosened-type"),
    pytest.param(NullablePlacedAt, "producer", "placed_at", id="producer-nullable-change"),
    pytest.param(ExtraOnClosed, "producer", "note", id="producer-added-field-closed-struct"),
    pytest.param(NeedsDiscount, "consumer", "discount_code", id="consumer-added-required"),
    pytest.param(PickyReader, "consumer", "quantity", id="consumer-tightened-type"),
]


@pytest.mark.parametrize(("model", "role"), PASS)
def test_conforming_models_pass(registry: Registry, model: type[BaseModel], role: str) -> None:
    result = require(ORDER, model=model, role=role, registry=registry)  # type: ignore[arg-type]
    assert result.version == "orders.order-placed@1.2.0"
    assert result.status == "proven"
    assert result.role == role


@pytest.mark.parametrize(("model", "role", "field"), FAIL)
def test_drifted_models_fail_naming_the_field(
    registry: Registry, model: type[BaseModel], role: str, field: str
) -> None:
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=model, role=role, registry=registry)  # type: ignore[arg-type]
    error = info.value
    assert error.code == "contract-mismatch"
    assert error.ref == "orders.order-placed@1.2.0"
    assert error.role == role
    assert error.findings
    assert field in str(error)
    assert error.findings[0].has_witness
    assert "witness:" in str(error)
    assert isinstance(error, ValueError)


def test_loosened_type_names_the_rule_and_a_witness(registry: Registry) -> None:
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=LooseQuantity, role="producer", registry=registry)
    error = info.value
    assert error.field == "$.line_items[0].quantity"
    assert error.rule == "minimum-increased"
    assert error.witness["line_items"][0]["quantity"] < 1


class PlainEmail(Customer):
    email: str  # the contract says format: email


class ZeroQuantity(LineItem):
    quantity: Annotated[int, Field(ge=0)]  # the contract says minimum: 1


class TwoDrifts(OrderPlaced):
    customer: PlainEmail
    line_items: Annotated[list[ZeroQuantity], Field(min_length=1)]


class IntMoney(BaseModel):
    amount: int  # the contract says a decimal string, in a closed object
    currency: str


class DriftedLine(BaseModel):
    sku: str
    quantity: Annotated[int, Field(ge=0)]
    unit_price: IntMoney


class ManyDrifts(OrderPlaced):
    customer: PlainEmail
    line_items: Annotated[list[DriftedLine], Field(min_length=1)]
    total: IntMoney


def test_every_named_change_is_listed_not_only_the_witnesses(registry: Registry) -> None:
    # One boot names both drifts: fixing the email and booting again must not be the
    # way to learn about the quantity.
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=TwoDrifts, role="producer", registry=registry)
    error = info.value
    assert error.findings[0].has_witness
    assert error.findings[0].field == "$.customer.email"
    assert error.rule == "format-added"
    named = {(f.rule, f.pointer) for f in error.findings}
    assert ("minimum-increased", "/line_items/*/quantity") in named
    assert "$.line_items[0].quantity: minimum-increased: minimum >= 0 -> >= 1" in str(error)


def test_a_named_change_shows_only_a_witness_that_demonstrates_it(registry: Registry) -> None:
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=ManyDrifts, role="producer", registry=registry)
    error = info.value
    rules = [f.rule for f in error.findings]
    assert {"format-added", "minimum-increased", "pattern-added", "type-changed"} <= set(rules)
    assert "(+" not in str(error)  # every change is named, none hidden behind a count
    check = accord.validator(ORDER, registry=registry)
    assert error.findings[0].has_witness
    for finding in error.findings[1:]:
        if finding.has_witness:
            issues = check.errors(finding.witness)
            assert issues
            assert all(
                _service._shown_at(finding.pointer, [((issue.instance_path,), False)])[0]
                for issue in issues
            ), finding
    quantity = next(f for f in error.findings if f.rule == "minimum-increased")
    # The engine's witness for it also sends amount as an int: not a demonstration.
    assert not quantity.has_witness
    assert quantity.message.endswith("(the witness above fails here too)")


class PickyAndNeedy(PickyReader):
    discount_code: str  # and quantity >= 5: two ways to refuse what writers send


def test_a_consumer_mismatch_names_every_change_too(registry: Registry) -> None:
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=PickyAndNeedy, role="consumer", registry=registry)
    error = info.value
    # The witness's finding carries the rule at its location, as for a producer.
    assert (error.rule, error.field) == ("minimum-increased", "$.line_items[0].quantity")
    assert error.findings[0].has_witness
    assert [(f.rule, f.pointer) for f in error.findings[1:]] == [
        ("property-added-required", "/discount_code")
    ]
    assert "$.discount_code: property-added-required" in str(error)


def test_naive_datetime_is_caught_by_the_serialization_probe(registry: Registry) -> None:
    # The schema proof holds (format: date-time on both sides); the serializer does not.
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=NaiveProducer, role="producer", registry=registry)
    error = info.value
    assert error.rule == "serialization-probe"
    assert error.field == "$.placed_at"
    assert "+" not in error.witness["placed_at"]
    assert not error.witness["placed_at"].endswith("Z")


def test_probe_can_be_disabled(registry: Registry) -> None:
    result = require(ORDER, model=NaiveProducer, role="producer", registry=registry, probe=0)
    assert result.status == "proven"


@pytest.mark.parametrize(
    ("model", "ok"),
    [
        pytest.param(NoteReader, True, id="nullable-reader"),
        pytest.param(NoteNotNullable, False, id="nullable-change"),
        pytest.param(StrictNoteReader, False, id="closed-reader-missing-fields"),
    ],
)
def test_consumer_nullability_and_closed_readers(
    note_registry: Registry, model: type[BaseModel], ok: bool
) -> None:
    if ok:
        require(NOTE, model=model, role="consumer", registry=note_registry)
        return
    with pytest.raises(ContractMismatch) as info:
        require(NOTE, model=model, role="consumer", registry=note_registry)
    assert info.value.code == "contract-mismatch"


def test_unproven_fails_closed_unless_not_strict(note_registry: Registry) -> None:
    with pytest.raises(ContractMismatch) as info:
        require(NOTE, model=NoteWithCode, role="producer", registry=note_registry)
    assert info.value.code == "contract-unproven"
    assert "strict=False" in str(info.value)
    result = require(
        NOTE, model=NoteWithCode, role="producer", registry=note_registry, strict=False
    )
    assert result.status == "unproven"
    assert result.warnings


def test_range_that_no_longer_resolves(registry: Registry) -> None:
    with pytest.raises(ContractMismatch) as info:
        require("orders.order-placed@^3", model=OrderPlaced, role="producer", registry=registry)
    assert info.value.code == "contract-unresolved"
    with pytest.raises(ContractMismatch) as info:
        require("orders.gone@^1", model=OrderPlaced, role="producer", registry=registry)
    assert info.value.code == "contract-unresolved"


def test_bad_role_and_non_model(registry: Registry) -> None:
    with pytest.raises(ValueError, match="role"):
        require(ORDER, model=OrderPlaced, role="both", registry=registry)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a Pydantic"):
        require(ORDER, model=dict, role="consumer", registry=registry)


def _generated_module(name: str, ref: str, digest: str) -> type[BaseModel]:
    module = types.ModuleType(name)
    module.__doc__ = (
        "Not checked by this model (the contract validator checks them):\n- format: email\n"
    )
    model = type("Money", (Money,), {"__module__": name})
    module.MODEL = model  # type: ignore[attr-defined]
    module.CONTRACT_REF = ref  # type: ignore[attr-defined]
    module.CONTRACT_DIGEST = digest  # type: ignore[attr-defined]
    sys.modules[name] = module
    return model


def test_generated_model_digest_is_checked(registry: Registry) -> None:
    # (A generated model as codegen wrote it: tests/service/test_generated_edited.py;
    # one held in memory, as here, has no file to prove that and is checked as
    # hand-written, but a stale digest is refused first.)
    stale = _generated_module("_accord_test_gen_stale", "common.money@1.0.0", "sha256:" + "0" * 64)
    with pytest.raises(ContractMismatch) as info:
        require("common.money@^1", model=stale, role="consumer", registry=registry)
    assert info.value.code == "generated-code-stale"
    assert "accord codegen" in str(info.value)


def test_embedded_generated_packages_match_the_registry(registry: Registry) -> None:
    from accord.codegen import generate_package

    for service, package in (
        ("orders_service", "orders_models"),
        ("billing_service", "billing_models"),
    ):
        result = generate_package(
            registry, ROOT / "examples" / service, package=package, check=True
        )
        assert not result.stale, f"run: accord codegen --out examples/{service} --package {package}"


# -- the manifest ----------------------------------------------------------------------

MODELS_PY = """
from typing import Annotated
from uuid import UUID
from pydantic import BaseModel, ConfigDict, Field


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Annotated[str, Field(pattern=r"^-?(0|[1-9][0-9]*)(\\.[0-9]{1,4})?$")]
    currency: Annotated[str, Field(pattern="^[A-Z]{3}$")]


class Loose(BaseModel):
    amount: str
    currency: str


class OrderView(BaseModel):
    order_id: UUID
    total: Money
"""


def _service_project(tmp_path: Path, produces: str, consumes: str, extra: str = "") -> Path:
    (tmp_path / "svc_models.py").write_text(MODELS_PY, encoding="utf-8")
    registry = json.dumps(str(CONTRACTS))
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.accord]\nregistry = {registry}\n\n[tool.accord.service]\n"
        f'name = "svc"\ncache-dir = ".accord-cache"\n{extra}'
        f"produces = [{produces}]\nconsumes = [{consumes}]\n",
        encoding="utf-8",
    )
    return tmp_path / "pyproject.toml"


def test_check_service_reads_the_manifest_and_caches(tmp_path: Path) -> None:
    pyproject = _service_project(
        tmp_path,
        '{ ref = "common.money@^1", model = "svc_models.py:Money" }',
        '{ ref = "orders.order-placed@^1.2", model = "svc_models.py:OrderView" }',
    )
    _service.clear_caches()
    report = check_service(pyproject)
    assert [(c.role, c.version) for c in report.checks] == [
        ("producer", "common.money@1.0.0"),
        ("consumer", "orders.order-placed@1.2.0"),
    ]
    assert not any(c.cached for c in report.checks)
    # the report names the registry the service ran against (issue 9: package and version
    # when it is an installed registry package; here the [tool.accord] directory)
    assert report.registry is not None
    assert report.registry.root == CONTRACTS.resolve()
    assert "2 contract checks passed against" in report.describe()
    assert list((tmp_path / ".accord-cache").glob("proof-*.json"))
    _service.clear_caches()
    again = check_service(tmp_path)
    assert all(c.cached for c in again.checks)


def test_check_service_names_every_mismatch(tmp_path: Path) -> None:
    pyproject = _service_project(
        tmp_path,
        '{ ref = "common.money@^1", model = "svc_models.py:Loose" }',
        '{ ref = "orders.order-placed@^9", model = "svc_models.py:OrderView" }',
    )
    with pytest.raises(ContractMismatch) as info:
        check_service(pyproject)
    error = info.value
    assert [m.code for m in error.mismatches] == ["contract-mismatch", "contract-unresolved"]
    assert "2 contract checks failed" in str(error)
    assert "common.money@1.0.0" in str(error)
    assert "orders.order-placed@^9" in str(error)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        pytest.param('colour = "blue"\n', "config-unknown-key", id="unknown-key"),
        pytest.param('strict = "yes"\n', "config-invalid-value", id="bad-strict"),
        pytest.param("probe = -1\n", "config-invalid-value", id="bad-probe"),
    ],
)
def test_manifest_errors(tmp_path: Path, extra: str, code: str) -> None:
    pyproject = _service_project(tmp_path, "", "", extra)
    with pytest.raises(ConfigError) as info:
        check_service(pyproject)
    assert info.value.code == code
    assert info.value.file == str(pyproject)


def test_no_pyproject_says_what_to_add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The README's `accord.check_service()` run where no pyproject.toml declares the
    # service: the error named the missing file but not what to write in it.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        check_service()
    assert info.value.code == "file-not-found"
    assert "[tool.accord.service]" in str(info.value)
    assert "docs/service.md" in str(info.value)


def test_manifest_entry_needs_ref_and_model(tmp_path: Path) -> None:
    pyproject = _service_project(tmp_path, '{ model = "svc_models.py:Money" }', "")
    with pytest.raises(ConfigError) as info:
        check_service(pyproject)
    assert info.value.code == "config-missing-key"
    assert info.value.pointer == "/tool/accord/service/produces/0/ref"


@pytest.mark.parametrize("service", ["orders_service", "billing_service"])
def test_example_services_pass_their_startup_checks(service: str) -> None:
    report = check_service(ROOT / "examples" / service / "pyproject.toml")
    assert len(report.checks) == 2
    assert report.generated


def test_the_drifted_example_model_fails(registry: Registry, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "examples" / "orders_service"))
    try:
        from accord.gate.publish import load_model

        drifted = load_model(str(ROOT / "examples" / "drifted" / "events.py") + ":OrderPlaced")
    finally:
        sys.path.remove(str(ROOT / "examples" / "orders_service"))
    with pytest.raises(ContractMismatch) as info:
        require(ORDER, model=drifted, role="producer", registry=registry)
    assert "quantity" in str(info.value)


def test_exclude_none_transform() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "a": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            "b": {"type": ["integer", "null"]},
            "c": {"type": "null"},
            "d": {"type": "string"},
        },
        "required": ["a", "b", "c", "d"],
    }
    assert _service._drop_nulls(schema) == {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "d": {"type": "string"}},
        "required": ["d"],
    }


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("", id="nothing-declared"),
        pytest.param('generated = "empty_models"\n', id="a-generated-package-of-no-model"),
    ],
)
def test_a_manifest_that_checks_nothing_is_refused(tmp_path: Path, extra: str) -> None:
    # produces = [] and consumes = []: the boot check passed, having checked nothing.
    empty = tmp_path / "empty_models"
    empty.mkdir()
    # What `accord codegen` writes for a registry of no published version.
    (empty / "__init__.py").write_text("MODELS = {}\nDIGESTS = {}\n", encoding="utf-8")
    pyproject = _service_project(tmp_path, "", "", extra)
    with pytest.raises(ConfigError) as info:
        check_service(pyproject)
    assert info.value.code == "config-missing-key"
    assert info.value.file == str(pyproject)
    assert "checks nothing" in str(info.value)
