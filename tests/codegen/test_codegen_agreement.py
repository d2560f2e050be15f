"""Generated models agree with the reference validator on every example payload,
or the keyword behind the difference is listed in the model module's docstring."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from accord.codegen import generate_package, name_ident, version_ident
from accord.registry.model import Registry
from accord.validation import reference as _reference

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts"


def _examples() -> Iterator[tuple[str, str, Path, bool]]:
    for path in sorted(EXAMPLES.glob("*/*/examples/*/*/*.json")):
        namespace, name, _, version, kind = path.relative_to(EXAMPLES).parts[:5]
        yield f"{namespace}.{name}", version, path, kind == "valid"


_CASES = list(_examples())


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(EXAMPLES)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("agree")
    generate_package(Registry.load(EXAMPLES), out, package="accord_models_agree")
    sys.path.insert(0, str(out))
    try:
        yield "accord_models_agree"
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.startswith("accord_models_agree")]:
            del sys.modules[name]


def _gaps(docstring: str) -> set[str]:
    _, _, tail = docstring.partition("Not checked by this model")
    return {line[2:].split(":")[0] for line in tail.splitlines() if line.startswith("- ")}


def test_examples_exist() -> None:
    assert len(_CASES) >= 20


@pytest.mark.parametrize(
    ("contract_id", "version", "path", "valid"),
    _CASES,
    ids=[f"{c}@{v}/{p.parent.name}/{p.stem}" for c, v, p, _ in _CASES],
)
def test_model_agrees_with_reference(
    registry: Registry, package: str, contract_id: str, version: str, path: Path, valid: bool
) -> None:
    bundle = registry.bundle(f"{contract_id}@{version}")
    payload: Any = json.loads(path.read_text())
    reference = _reference.is_valid(bundle, payload)
    assert reference is valid  # the example is labelled correctly
    namespace, name = contract_id.split(".")
    module = importlib.import_module(
        f"{package}.{name_ident(namespace)}.{name_ident(name)}.{version_ident(version)}"
    )
    try:
        module.MODEL.model_validate(payload)
        accepted = True
    except ValidationError:
        accepted = False
    if accepted == reference:
        return
    # The only documented direction: the model accepts what the validator rejects,
    # because of a keyword the module docstring lists.
    assert accepted, f"model rejects a valid payload: {path}"
    validator = _reference.reference_validator(bundle)
    keywords = {str(list(e.schema_path)[-1]) for e in validator.iter_errors(payload)}
    assert keywords <= _gaps(module.__doc__ or ""), (path, keywords)
