"""A generated model's ``model_validate_json`` reads what accord's loader refuses.

pydantic's JSON parser takes ``NaN``/``Infinity``/``-Infinity`` (``allow_inf_nan`` is
true by default) and the last of duplicate keys; accord refuses both as not JSON (or
ambiguous). The pinned generator cannot write ``allow_inf_nan=False`` in a model's
``ConfigDict`` (it drops the key), and a field-level one would refuse the valid ``1e400``
(read as infinity) and leave untyped fields open, so the gap is listed in every module's
docstring instead: this test holds that the list says so and that it is true.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord import validator
from accord.codegen import generate_package
from accord.core.jsondoc import loads
from accord.errors import AccordError, ContractViolation
from accord.registry.model import Registry

PACKAGE = "hostile_json_reading"
SCHEMA = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {
        "v": {"type": ["number", "null"], "exclusiveMaximum": 5},
        "w": {"type": "number"},
        "m": {"type": "number", "minimum": 0},
    },
}


@pytest.fixture
def module(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "contracts"
    publish(root, "hostile.reading", {"1.0.0": SCHEMA})
    out = tmp_path / "out"
    generate_package(Registry.load(root), out, package=PACKAGE)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(f"{PACKAGE}.hostile.reading.v1_0_0")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.mark.parametrize(
    "text", ['{"v": -Infinity}', '{"w": NaN}', '{"w": Infinity}', '{"v": 9, "v": 1}']
)
def test_the_docstring_lists_what_model_validate_json_reads_more_loosely(
    module,
    text: str,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(AccordError):
        loads(text.encode(), file="payload.json")  # accord: not JSON, or ambiguous
    module.MODEL.model_validate_json(text)  # the model: accepted
    doc = " ".join((module.__doc__ or "").split())
    assert "model_validate_json" in doc
    assert "NaN" in doc
    assert "Infinity" in doc
    assert "duplicate keys" in doc


@pytest.mark.parametrize("text", ['{"m": -1e-400}', '{"m": -0.00000000000000000000000001e-400}'])
def test_the_docstring_says_model_validate_json_rounds_numbers(
    tmp_path: Path,
    module,
    text: str,  # type: ignore[no-untyped-def]
) -> None:
    """pydantic reads a decimal no float holds as the float it rounds to and compares
    that: ``-1e-400`` is read as ``-0.0`` and passes ``minimum: 0``, which accord (reading
    the number exactly) refuses. Before, no docstring said so."""
    registry = Registry.load(tmp_path / "contracts")
    with pytest.raises(ContractViolation):
        validator("hostile.reading@1.0.0", registry=registry).validate_json(text)
    module.MODEL.model_validate_json(text)  # the model: accepted
    doc = " ".join((module.__doc__ or "").split())
    assert "the float it rounds to" in doc
