"""A producer model whose float field takes NaN or an infinity does not pass the boot check.

pydantic's ``float`` accepts ``inf``, ``-inf`` and ``nan`` (``allow_inf_nan`` is on by
default, and ``le=10`` still lets ``-inf`` through), and such an instance is dumped as
``null`` by ``model_dump_json`` (an infinity by ``model_dump(mode="json")``): neither is
a number the contract accepts. ``require()`` said "proven" for ``x: float`` against
``{"type": "number"}``; its probe now also builds instances with a non-finite number at
each number it draws, and one the model accepts fails the check, naming the field.
"""

from __future__ import annotations

from pathlib import Path
from unittest.mock import ANY

import pytest
from pydantic import BaseModel, Field, FiniteFloat

import accord
from _registry_builders import DRAFT_2020_12, add_contract, lock_line
from accord.errors import ContractMismatch
from accord.registry.runtime import clear_caches
from accord.service import startup


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    clear_caches()
    startup.clear_caches()
    root = tmp_path / "contracts"
    add_contract(
        root,
        "t.reading",
        {
            "1.0.0": {
                "$schema": DRAFT_2020_12,
                "type": "object",
                "properties": {
                    "sensor": {"type": "string"},
                    "value": {"type": "number", "maximum": 10},
                    "count": {"type": "integer"},
                },
                "required": ["sensor", "value", "count"],
            }
        },
    )
    (root / "accord.lock").write_text(lock_line(root, "t.reading", "1.0.0") + "\n")
    return root


class Unbounded(BaseModel):
    sensor: str
    value: float = Field(le=10)  # -inf is <= 10
    count: int


class Finite(BaseModel):
    sensor: str
    value: FiniteFloat = Field(le=10)
    count: int


class NoNan(BaseModel):
    sensor: str
    value: float = Field(le=10, allow_inf_nan=False)
    count: int


def test_a_float_field_taking_an_infinity_fails_the_producer_check(registry: Path) -> None:
    with pytest.raises(ContractMismatch) as caught:
        accord.require("t.reading@^1", model=Unbounded, role="producer", registry=registry)
    (finding,) = caught.value.findings
    assert finding.rule == "serialization-probe"
    assert finding.field == "$.value"
    assert "NaN or Infinity" in finding.message
    assert "allow_inf_nan=False" in finding.message
    # the witness is what the model sends as JSON: null where the contract wants a number
    assert finding.witness == {"sensor": ANY, "value": None, "count": ANY}


@pytest.mark.parametrize("model", [Finite, NoNan], ids=["FiniteFloat", "allow_inf_nan-False"])
def test_a_finite_float_field_passes(registry: Path, model: type[BaseModel]) -> None:
    conformance = accord.require("t.reading@^1", model=model, role="producer", registry=registry)
    assert conformance.status == "proven"


def test_a_consumer_taking_an_infinity_is_not_refused(registry: Path) -> None:
    # A reader accepting more than writers send is fine.
    conformance = accord.require(
        "t.reading@^1", model=Unbounded, role="consumer", registry=registry
    )
    assert conformance.status == "proven"
