"""A generated model stands for its contract at boot only as the bytes codegen wrote.

``require`` proves a producer's generated model by the registry version it was generated
from (not by the model's own schema, which is more permissive by design). Before, a
module edited by hand after ``accord codegen`` (a constraint loosened) kept that standing:
the boot check said "proven" for a model that emits payloads the contract rejects.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.codegen import MANIFEST
from accord.registry.model import Registry
from accord.service import startup as _service
from accord.service.startup import ContractMismatch, require

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "billing_models"
ORDER_MODULE = f"{PACKAGE}.orders.order_placed.v1_2_0"
MONEY_MODULE = f"{PACKAGE}.common.money.v1_0_0"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(ROOT / "contracts")


@pytest.fixture
def package_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of the example's generated package, importable from ``tmp_path`` alone
    (any ``billing_models`` imported before is set aside and put back after)."""
    shutil.copytree(ROOT / "examples" / "billing_service" / PACKAGE, tmp_path / PACKAGE)
    saved = {name: mod for name, mod in sys.modules.items() if name.split(".")[0] == PACKAGE}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        yield tmp_path / PACKAGE
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]
        sys.modules.update(saved)
        _service.clear_caches()


def _model(module: str) -> Any:
    return importlib.import_module(module).MODEL


def _edit(package: Path, module: str, old: str, new: str) -> None:
    path = package.parent / (module.replace(".", "/") + ".py")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_manifest_name_is_the_one_codegen_writes() -> None:
    assert _service._CODEGEN_MANIFEST == MANIFEST


def test_a_generated_model_as_written_stands_for_its_version(
    registry: Registry, package_copy: Path
) -> None:
    result = require(
        "orders.order-placed@^1.2", model=_model(ORDER_MODULE), role="producer", registry=registry
    )
    assert result.generated_from == "orders.order-placed@1.2.0"
    assert result.status == "proven"


def test_a_generated_model_edited_by_hand_fails_the_boot_check(
    registry: Registry, package_copy: Path
) -> None:
    # quantity >= 1 loosened to >= 0: the model now emits quantity 0, which the contract
    # refuses
    _edit(
        package_copy,
        ORDER_MODULE,
        "quantity: Annotated[StrictInt, Field(ge=1)]",
        "quantity: Annotated[StrictInt, Field(ge=0)]",
    )
    model = _model(ORDER_MODULE)
    for role in ("producer", "consumer"):
        with pytest.raises(ContractMismatch) as info:
            require("orders.order-placed@^1.2", model=model, role=role, registry=registry)
        assert info.value.code == "generated-code-edited"
        message = str(info.value)
        assert "billing_models/orders/order_placed/v1_2_0.py" in message
        assert MANIFEST in message
        assert "accord codegen" in message
        assert info.value.findings[0].rule == "generated-code-edited"


def test_line_endings_a_checkout_changed_are_no_edit(
    registry: Registry, package_copy: Path
) -> None:
    # git's core.autocrlf writes CRLF on checkout: no line of Python changes.
    path = package_copy.parent / (ORDER_MODULE.replace(".", "/") + ".py")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = require(
        "orders.order-placed@^1.2", model=_model(ORDER_MODULE), role="producer", registry=registry
    )
    assert result.generated_from == "orders.order-placed@1.2.0"


def test_an_edit_that_changes_no_constraint_is_still_an_edit(
    registry: Registry, package_copy: Path
) -> None:
    _edit(package_copy, MONEY_MODULE, '"""', '"""Edited. ')
    with pytest.raises(ContractMismatch) as info:
        require("common.money@^1", model=_model(MONEY_MODULE), role="producer", registry=registry)
    assert info.value.code == "generated-code-edited"


@pytest.mark.parametrize(
    "damage",
    ["no manifest", "not listed", "broken manifest", "manifest is a directory"],
)
def test_a_module_codegen_cannot_be_shown_to_have_written_is_checked_as_hand_written(
    registry: Registry, package_copy: Path, damage: str
) -> None:
    manifest = package_copy / MANIFEST
    if damage == "no manifest":
        manifest.unlink()
    elif damage == "not listed":
        text = manifest.read_text()
        for module in (MONEY_MODULE, ORDER_MODULE):
            text = text.replace(f'"{module.replace(".", "/")}.py"', f'"{module}-elsewhere"')
        manifest.write_text(text)
    elif damage == "broken manifest":
        manifest.write_text('{"files": {"billing_models/common/money/v1_0_0.py": ')
    else:
        manifest.unlink()
        manifest.mkdir()
    # Money's own schema conforms: it passes as a hand-written model, with a note.
    result = require(
        "common.money@^1", model=_model(MONEY_MODULE), role="producer", registry=registry
    )
    assert result.generated_from is None
    assert any("checked as a hand-written model" in w for w in result.warnings)
    # The order model does not check the email format the contract requires: as a
    # hand-written producer it is refuted, never taken on its word.
    with pytest.raises(ContractMismatch) as info:
        require(
            "orders.order-placed@^1.2",
            model=_model(ORDER_MODULE),
            role="producer",
            registry=registry,
        )
    assert info.value.code == "contract-mismatch"
    assert "checked as a hand-written model" in str(info.value)


def test_a_module_with_no_source_file_is_checked_as_hand_written(registry: Registry) -> None:
    import types

    from pydantic import BaseModel, ConfigDict, Field

    name = "_accord_test_in_memory_generated"
    module = types.ModuleType(name)

    class Money(BaseModel):
        model_config = ConfigDict(extra="forbid")
        amount: str = Field(pattern=r"^-?(0|[1-9][0-9]*)(\.[0-9]{1,4})?$")
        currency: str = Field(pattern="^[A-Z]{3}$")

    Money.__module__ = name
    module.MODEL = Money  # type: ignore[attr-defined]
    module.CONTRACT_REF = "common.money@1.0.0"  # type: ignore[attr-defined]
    module.CONTRACT_DIGEST = registry.get("common.money@1.0.0").digest  # type: ignore[attr-defined]
    sys.modules[name] = module
    try:
        result = require("common.money@^1", model=Money, role="producer", registry=registry)
    finally:
        del sys.modules[name]
    assert result.generated_from is None
    assert any("no source file" in w for w in result.warnings)
