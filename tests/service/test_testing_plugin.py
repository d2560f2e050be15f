"""accord.testing: assertions, examples, strategies and the pytest plugin (pytester)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from accord.registry.model import Registry
from accord.testing import assert_compatible, assert_conforms, examples, mutations, strategy
from accord.validation.reference import reference_validator

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
REGISTRY = Registry.load(CONTRACTS)
VERSIONS = [v.ref for v in REGISTRY.versions()]


def _plugin_args() -> list[str]:
    """``-p accord.testing.plugin`` unless the pytest11 entry point already loads it."""
    points = importlib.metadata.entry_points(group="pytest11")
    if any(p.value == "accord.testing.plugin" for p in points):
        return []
    return ["-p", "accord.testing.plugin"]


def test_assert_conforms_passes_and_lists_every_error() -> None:
    assert_conforms({"amount": "1.50", "currency": "EUR"}, "common.money@^1", registry=CONTRACTS)
    with pytest.raises(AssertionError) as info:
        assert_conforms(
            {"amount": 1.5, "currency": "eur", "extra": True}, "common.money@^1", registry=CONTRACTS
        )
    message = str(info.value)
    assert "common.money@1.0.0 (3 errors)" in message
    assert "$.amount:" in message
    assert "$.currency:" in message
    assert "additionalProperties" in message
    assert len(info.value.errors) == 3  # type: ignore[attr-defined]


def test_assert_conforms_dumps_pydantic_models() -> None:
    from pydantic import BaseModel

    class Money(BaseModel):
        amount: str
        currency: str
        note: str | None = None

    money = Money(amount="2", currency="USD")
    # Left out when None (the producer says so) it conforms; kept as null (FastAPI's
    # default) it does not, so the default, which checks both, fails.
    assert_conforms(money, "common.money@1.0.0", registry=CONTRACTS, exclude_none=True)
    with pytest.raises(AssertionError, match="exclude_none=False"):
        assert_conforms(money, "common.money@1.0.0", registry=CONTRACTS)


def test_assert_compatible() -> None:
    report = assert_compatible("users.user@1.0.0", "users.user@1.1.0", registry=CONTRACTS)
    assert report.compatible
    with pytest.raises(AssertionError, match="property-removed"):
        assert_compatible(
            "orders.order-placed@1.2.0", "orders.order-placed@2.0.0", registry=CONTRACTS
        )
    with pytest.raises(AssertionError, match="NOT compatible"):
        assert_compatible({"type": "integer"}, {"type": "integer", "minimum": 0}, mode="backward")


@pytest.mark.parametrize("ref", VERSIONS)
def test_examples_are_valid_under_the_reference_validator(ref: str) -> None:
    schema = REGISTRY.bundle(ref)
    check = reference_validator(schema)
    valid = examples(ref, n=10, registry=REGISTRY)
    assert len(valid) == 10
    assert all(check.is_valid(p) for p in valid)
    assert valid == examples(ref, n=10, registry=REGISTRY)  # deterministic
    broken = mutations(ref, n=5, registry=REGISTRY)
    assert broken
    assert not any(check.is_valid(m.payload) for m in broken)
    assert [m.payload for m in broken] == examples(ref, n=5, invalid=True, registry=REGISTRY)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(strategy("orders.order-placed@^1.2", registry=REGISTRY))
def test_strategy_draws_valid_payloads(payload: object) -> None:
    assert_conforms(payload, "orders.order-placed@^1.2", registry=REGISTRY)


def test_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, accord.testing.plugin; "
        "heavy = [m for m in ('accord.registry.model', 'accord.compat', "
        "'jsonschema_rs', 'pydantic') "
        "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


PLUGIN_TESTS = """
import pytest
from accord.testing import assert_conforms

def test_registry(accord_registry):
    assert "orders.order-placed" in accord_registry

@pytest.mark.accord_contract("common.money@^1")
def test_marked_validator(accord_validator, accord_examples):
    assert accord_validator.ref == "common.money@1.0.0"
    assert len(accord_examples) == 10
    assert all(accord_validator.is_valid(p) for p in accord_examples)

def test_factories(accord_validator, accord_examples):
    check = accord_validator("users.user@^1")
    assert check.ref == "users.user@1.1.0"
    assert all(not check.is_valid(p) for p in accord_examples("users.user@^1", 3, invalid=True))

def test_fails_with_every_error():
    assert_conforms({"amount": 1, "currency": "eur"}, "common.money@^1")
"""


def test_plugin_fixtures_and_marker_in_a_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_uses_accord=PLUGIN_TESTS)
    pytester.makepyprojecttoml(f'[tool.accord]\nregistry = "{CONTRACTS}"\n')
    args = [*_plugin_args(), "--strict-markers", "-p", "no:cacheprovider"]
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*payload does not conform to common.money@1.0.0 (2 errors)*",
            "*$.amount: *",
            "*$.currency: *",
        ]
    )
    markers = pytester.runpytest_subprocess(*_plugin_args(), "--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.accord_contract(ref)*"])


MARKER_WITH_KEYWORDS = """
import pytest

@pytest.mark.accord_contract("common.money@^1", invalid=True, n=3)
def test_marked(accord_validator, accord_examples):
    assert not any(accord_validator.is_valid(p) for p in accord_examples)
"""


def test_a_marker_keyword_is_refused_not_ignored(pytester: pytest.Pytester) -> None:
    """``invalid=True`` on the marker was ignored: the test above ran on ten valid
    examples (and, written as ``all(...)``, would have passed testing nothing it meant)."""
    pytester.makepyfile(test_marker_keywords=MARKER_WITH_KEYWORDS)
    pytester.makepyprojecttoml(f'[tool.accord]\nregistry = "{CONTRACTS}"\n')
    result = pytester.runpytest_subprocess(*_plugin_args(), "-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*takes one contract reference and nothing else*"])


@pytest.mark.parametrize("service", ["orders_service", "billing_service"])
def test_example_service_suites_pass(service: str) -> None:
    # The demo services' own tests use the plugin's fixtures and marker from a real run.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *_plugin_args()],
        cwd=ROOT / "examples" / service,
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
