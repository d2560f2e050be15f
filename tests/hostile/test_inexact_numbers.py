"""A payload number no float holds is validated as the number written, not as the float
it rounds to.

Before: ``{"n": 1e-400}`` was read as ``{"n": 0.0}`` and passed ``{"type": "integer",
"maximum": 0}`` and ``{"const": 0}``; ``1.0000000000000000001`` passed ``"type":
"integer"``; ``10.000000000000000001`` passed ``{"maximum": 10}`` (``accord validate``,
``Validator.validate_json``, ``ContractMiddleware``). jsonschema-rs reads a ``Decimal``
exactly, so such numbers are now kept as ``Decimal`` when payload text is parsed.
"""

# No ``from __future__ import annotations``: FastAPI reads the route's annotations.
import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from _registry_builders import DRAFT_2020_12, add_contract, write
from accord.cli import main
from accord.core.jsondoc import MISS, fast_or_miss, loads
from accord.errors import ContractViolation
from accord.registry.runtime import clear_caches, validator
from accord.service.fastapi import ContractMiddleware

SCHEMA = {
    "$schema": DRAFT_2020_12,
    "type": "object",
    "properties": {
        "int": {"type": "integer"},
        "nonpositive": {"maximum": 0},
        "zero": {"const": 0},
        "ten": {"maximum": 10},
        "tenth": {"enum": [0.1]},
    },
}
REF = "hostile.exact@1.0.0"

# Each is invalid as written, valid as the float it rounds to.
ROUNDED_INTO_VALIDITY = [
    '{"int": 1e-400}',
    '{"int": 1.0000000000000000001}',
    '{"int": 12345678901234567.5}',
    '{"nonpositive": 1e-400}',
    '{"nonpositive": 4.9e-325}',
    '{"zero": 1e-400}',
    '{"zero": -1E-400}',
    '{"ten": 10.000000000000000001}',
    '{"ten": 1.0000000000000000001e1}',
    '{"tenth": 0.10000000000000000001}',
]
# Exactly representable (or shortest-spelt) numbers keep passing.
VALID = [
    '{"int": 1e2}',
    '{"int": 1.0}',
    '{"nonpositive": -1e-5}',
    '{"ten": 9.999999999999998}',
    '{"tenth": 0.1}',
    '{"zero": 0.0}',
    '{"zero": -0e10}',
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contracts")
    add_contract(root, "hostile.exact", {"1.0.0": SCHEMA})
    clear_caches()
    return root


def _spellings(text: str) -> list[str]:
    """The text as most senders write it, and compact (msgspec's own spelling)."""
    return [text, text.replace(": ", ":")]


@pytest.mark.parametrize("text", ROUNDED_INTO_VALIDITY)
def test_validate_json_refuses_a_number_rounded_into_validity(registry: Path, text: str) -> None:
    check = validator(REF, registry=registry)
    for spelling in _spellings(text):
        for data in (spelling, spelling.encode()):
            with pytest.raises(ContractViolation):
                check.validate_json(data)


@pytest.mark.parametrize("text", VALID)
def test_exact_numbers_still_pass(registry: Path, text: str) -> None:
    check = validator(REF, registry=registry)
    for spelling in _spellings(text):
        assert check.validate_json(spelling) == json.loads(spelling)


@pytest.mark.parametrize("text", ROUNDED_INTO_VALIDITY)
def test_cli_validate_refuses_a_number_rounded_into_validity(
    registry: Path, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = write(tmp_path / "payload.json", text)
    assert main(["validate", REF, str(payload), "--registry", str(registry)]) == 1
    assert "invalid" in capsys.readouterr().out


@pytest.mark.parametrize("text", ROUNDED_INTO_VALIDITY)
def test_the_middleware_refuses_a_number_rounded_into_validity(registry: Path, text: str) -> None:
    app = FastAPI()
    app.add_middleware(ContractMiddleware, routes={"POST /x": REF}, registry=registry)

    @app.post("/x")
    def endpoint(payload: dict[str, Any]) -> int:
        return 1

    async def go() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.post(
                "/x", content=text.encode(), headers={"content-type": "application/json"}
            )
            return answer.status_code

    assert asyncio.run(go()) == 422


NUMBER_TEXTS = [
    "0",
    "-0",
    "1.5",
    "-1.5e3",
    "1E400",
    "1e-400",
    "0.1",
    "0.10000000000000000001",
    "123456789012345",
    "1234567890123456789012",
    "0.30000000000000004",
    "0.3000000000000000444",
    "9007199254740993.0",
    "1.7976931348623157e308",
    "5e-324",
    "2.5e-324",
    "1e-07",
    "1e+16",
    "123456.78901234567",
    "-123456.7890123456",
]


@pytest.mark.parametrize("number", NUMBER_TEXTS)
@pytest.mark.parametrize(
    "shape",
    [
        "{number}",
        '{{"k": {number}}}',
        '{{"k":{number}}}',
        "[{number}, {number}]",
        "[\n{number}]",
        '{{"a": "x", "b":{number}}}',
    ],
)
def test_the_fast_path_answers_as_the_exact_loader(number: str, shape: str) -> None:
    text = shape.format(number=number)
    exact = loads(text, max_bytes=None, exact_numbers=True)
    fast = fast_or_miss(text.encode(), None, 64, exact_numbers=True)
    if fast is not MISS:
        assert repr(fast) == repr(exact)  # same values, same types (float vs Decimal)
    if len(number.lstrip("-")) <= 15 and "e" not in number.lower():
        assert fast is not MISS  # a short plain number keeps the fast path


def test_random_number_spellings_answer_as_the_exact_loader() -> None:
    import random

    rng = random.Random(1203)
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        number = digits.lstrip("0") or "0"
        if rng.random() < 0.7:
            cut = rng.randint(1, len(number))
            number = f"{number[:cut]}.{number[cut:] or '0'}"
        if rng.random() < 0.3:
            number += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 340))
        text = f'{{"k": {rng.choice(["", "-"])}{number}}}'
        exact = loads(text, max_bytes=None, exact_numbers=True)
        fast = fast_or_miss(text.encode(), None, 64, exact_numbers=True)
        assert fast is MISS or repr(fast) == repr(exact), text


@pytest.mark.parametrize("text", ROUNDED_INTO_VALIDITY)
def test_lint_judges_an_example_as_written(tmp_path: Path, text: str) -> None:
    from accord.gate.lint import lint

    root = tmp_path / "contracts"
    add_contract(root, "hostile.exact", {"1.0.0": SCHEMA})
    write(root / "hostile" / "exact" / "examples" / "1.0.0" / "valid" / "e.json", text)
    problems = lint(root).problems
    assert [p.code for p in problems if p.code.startswith("example")] == ["example-invalid"]


def _pricing_registry(root: Path) -> Path:
    price = {
        "$schema": DRAFT_2020_12,
        "type": "object",
        "properties": {"sku": {"type": "string"}, "price": {"type": "integer", "maximum": 0}},
        "required": ["sku", "price"],
    }
    add_contract(
        root,
        "pricing.price",
        {"1.0.0": price},
        toml='owner = "team"\nprovider = "pricing-service"\nkind = "response"\n',
    )
    doc = {
        "format_version": 1,
        "consumer": {"name": "checkout", "version": "3.1.0"},
        "interactions": [
            {
                "type": "sync-message",
                "description": "price of a sku",
                "request": {"body": {"contract": None, "example": {"sku": "A-1"}, "fields": []}},
                "responses": [
                    {
                        "body": {
                            "contract": "pricing.price@^1",
                            "example": {"sku": "A-1", "price": 0},
                            "fields": [],
                        }
                    }
                ],
            }
        ],
    }
    write(root / "consumers" / "checkout" / "pricing.json", json.dumps(doc))
    return root


@pytest.mark.parametrize(("price", "verdict"), [("0", "passed"), ("1e-400", "contract-violation")])
def test_provider_verification_judges_a_produced_number_as_written(
    tmp_path: Path, price: str, verdict: str
) -> None:
    from accord.provider import MessageRegistry, verify_provider
    from accord.registry.model import Registry

    root = _pricing_registry(tmp_path / "contracts")
    producers = MessageRegistry()
    producers.register("price of a sku", lambda request: f'{{"sku": "A-1", "price": {price}}}')
    report = verify_provider(Registry.load(root), "pricing-service", producers=producers)
    [result] = report.results
    assert result.verdict == verdict, result.message()


def test_consumer_matchers_read_an_exact_number_as_the_number_it_is() -> None:
    # Provider answers are now parsed exactly: a Decimal reaches the matchers.
    from decimal import Decimal

    from accord.consumers._matchers import check_matcher

    exact = Decimal("0.10000000000000000001")
    assert check_matcher({"match": "decimal"}, exact) is None
    assert check_matcher({"match": "number"}, exact) is None
    assert check_matcher({"match": "integer"}, exact) is not None
    assert check_matcher({"match": "like", "example": 0.5}, exact) is None
    assert check_matcher({"match": "regex", "regex": r"0\.1\d+"}, exact) is None


@pytest.mark.parametrize("backend", ["python", "fast"])
def test_the_backends_reading_floats_refuse_an_exact_number_and_say_why(
    registry: Path, tmp_path: Path, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # They would judge the float it rounds to: refused (exit 2), naming the way out.
    payload = write(tmp_path / "payload.json", '{"ten": 10.000000000000000001}')
    argv = ["validate", REF, str(payload), "--registry", str(registry), "--backend", backend]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "payload-not-json" in err
    assert "no float holds" in err
    assert "default backend" in err
