"""The backends agree with the reference (docs/design.md, *Validators*).

Three sources of payloads, each checked against jsonschema-rs (the reference),
python-jsonschema with accord's hooks (the pure-Python backend: its raw verdict),
``Validator.errors`` (the reference's own errors) being empty exactly when the payload
is valid, and fastjsonschema
wherever :func:`accord.validation.backends.choose_backend` deems it eligible:

(a) the example registry's payloads (``contracts/*/*/examples``);
(b) payloads generated from every contract version (valid, and mutated to break one
    keyword each);
(c) JSON-Schema-Test-Suite-style cases for every keyword accord supports
    (``tests/data/json-schema-test-suite``; see the README there).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from accord.payloads.generate import invalid_payloads, valid_payloads
from accord.registry.model import Registry
from accord.validation import backends as _backends
from accord.validation.reference import reference_validator
from accord.validation.validator import Validator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "contracts"
SUITE = Path(__file__).resolve().parents[1] / "data" / "json-schema-test-suite"

# jsonschema-rs's \b and \B are Unicode-aware; regress follows ECMA-262 (ASCII words).
# Validator.errors agrees (the reference explains), and python_refusals keeps the python
# backend from deciding there, so only its raw verdict is skipped.
_KNOWN_EXPLAINER_DIVERGENCE = re.compile(r"\\\\[bB]")


@cache
def _registry() -> Registry:
    return Registry.load(EXAMPLES)


@cache
def _backends_for(key: str, schema_json: str) -> tuple[Validator, Any, Any]:
    """(Validator, raw explainer, fast is_valid or None) for one schema, built once."""
    schema = json.loads(schema_json)
    validator = Validator(schema, ref=key)
    fast = None
    if not _backends.fast_refusals(schema):
        fast = _backends.compile_fast(schema, ref=key)
    return validator, validator._python_validator(), fast


def _check(key: str, schema: Any, payload: Any, expected: bool | None) -> None:
    validator, explainer, fast = _backends_for(key, json.dumps(schema, sort_keys=True))
    reference = bool(reference_validator(schema).is_valid(payload))
    if expected is not None:
        assert reference is expected, f"reference says {reference}"
    assert validator.is_valid(payload) is reference
    assert (validator.errors(payload) == []) is reference, "Validator.errors"
    if not _KNOWN_EXPLAINER_DIVERGENCE.search(json.dumps(schema)):
        assert explainer.is_valid(payload) is reference, "python-jsonschema (explainer)"
    if fast is not None:
        assert fast(payload) is reference, "fastjsonschema"


# --- (a) the example registry -------------------------------------------------------


def _example_cases() -> list[Any]:
    cases: list[Any] = []
    for contract in sorted(_registry().contracts.values(), key=lambda c: c.id):
        for version in contract.versions:
            folder = version.path.parent / "examples" / str(version.version)
            for kind in ("valid", "invalid"):
                cases.extend(
                    pytest.param(
                        version.ref, path, kind == "valid", id=f"{version.ref}-{kind}-{path.stem}"
                    )
                    for path in sorted((folder / kind).glob("*.json"))
                )
    return cases


@pytest.mark.parametrize(("ref", "path", "expected"), _example_cases())
def test_example_payloads(ref: str, path: Path, expected: bool) -> None:
    from accord.core import jsondoc as _jsondoc

    _check(ref, _registry().bundle(ref), _jsondoc.load_path(path), expected)


def test_example_registry_has_examples() -> None:
    assert len(_example_cases()) >= 10


# --- (b) generated payloads ---------------------------------------------------------


def _versions() -> list[str]:
    return [v.ref for c in _registry().contracts.values() for v in c.versions]


@pytest.mark.parametrize("ref", sorted(_versions()))
def test_generated_payloads(ref: str) -> None:
    schema = _registry().bundle(ref)
    valid = valid_payloads(schema, n=15, seed=1)
    mutations = invalid_payloads(schema, n=25, seed=1)
    assert valid
    assert mutations
    for payload in valid:
        _check(ref, schema, payload, True)
    for mutation in mutations:
        _check(ref, schema, mutation.payload, None)


@pytest.mark.parametrize("ref", ["common.money@1.0.0", "products.product@1.1.0"])
def test_fast_backend_is_exercised_on_the_registry(ref: str) -> None:
    # At least some example contracts are eligible, so (a) and (b) compare fastjsonschema.
    assert not _backends.fast_refusals(_registry().bundle(ref))


# --- (c) suite-style cases ----------------------------------------------------------


def _suite_cases() -> list[Any]:
    cases: list[Any] = []
    for file in sorted(SUITE.glob("*.json")):
        for group in json.loads(file.read_text(encoding="utf-8")):
            cases.extend(
                pytest.param(
                    group["schema"],
                    test["data"],
                    test["valid"],
                    id=f"{file.stem}: {group['description']}: {test['description']}",
                )
                for test in group["tests"]
            )
    return cases


@pytest.mark.parametrize(("schema", "data", "valid"), _suite_cases())
def test_suite_case(schema: Any, data: Any, valid: bool) -> None:
    _check("suite", schema, data, valid)


def test_suite_covers_every_keyword_accord_supports() -> None:
    from accord.validation.dialect import VOCABULARIES_2020_12
    from accord.validation.formats import FORMATS

    used: set[str] = set()
    formats: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used.update(node)
            if isinstance(node.get("format"), str):
                formats.add(node["format"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for file in SUITE.glob("*.json"):
        for group in json.loads(file.read_text(encoding="utf-8")):
            walk(group["schema"])
    assertions = (
        VOCABULARIES_2020_12["validation"]
        | VOCABULARIES_2020_12["applicator"]
        | VOCABULARIES_2020_12["unevaluated"]
    )
    assert assertions - used == set()
    assert FORMATS - formats == set()
