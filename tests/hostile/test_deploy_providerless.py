"""can-i-deploy does not leave out a consumer's interaction that no provider verifies.

An expectation names its provider (``provider``), or its bodies name contracts whose
``contract.toml`` names one. An interaction with neither (no ``provider=`` in the
fixture, a body bound to a contract without ``provider``, or to none) is verified by no
``verify --provider`` run. Before, can-i-deploy built the consumer's matrix from the
providers it could name only: such an interaction was left out and ``can-i-deploy
billing 1.4.0`` said yes though nothing had verified it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers import Expectation, string
from accord.provider import can_i_deploy, record_deployment
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import (  # the provider tests' fixture and records
    billing_verified_in_production,
    registry_root,
)

__all__ = ["registry_root"]

PLACE = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}


@pytest.fixture
def deployed(registry_root: Path) -> Path:
    billing_verified_in_production(registry_root)
    record_deployment(registry_root, "users-service", "2.0.0", "production")
    return registry_root


def _geo(root: Path, contract: str | None) -> None:
    place = root / "geo" / "place"
    place.mkdir(parents=True)
    (place / "contract.toml").write_text('owner = "team"\nkind = "response"\n', encoding="utf-8")
    (place / "1.0.0.schema.json").write_text(json.dumps(PLACE), encoding="utf-8")
    e = Expectation("billing", version="1.4.0", name="geo")
    (
        e.upon_receiving("get place 1")
        .with_request("GET", "/places/1")
        .will_respond_with(200, contract=contract, body={"name": string("Paris")})
    )
    e.write(root)


def test_a_verified_consumer_is_safe(deployed: Path) -> None:
    assert can_i_deploy(Registry.load(deployed), "billing", "1.4.0", "production").safe


@pytest.mark.parametrize("contract", ["geo.place@^1", None], ids=["no-provider", "unbound"])
def test_an_interaction_no_provider_verifies_is_not_safe(
    deployed: Path, contract: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    _geo(deployed, contract)
    decision = can_i_deploy(Registry.load(deployed), "billing", "1.4.0", "production")
    assert not decision.safe
    assert any("consumers/billing/geo.json" in r for r in decision.reasons)
    argv = ["can-i-deploy", "billing", "1.4.0", "--to", "production", "--registry", str(deployed)]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "consumers/billing/geo.json" in out


def test_another_version_of_the_consumer_is_not_held_to_it(deployed: Path) -> None:
    _geo(deployed, "geo.place@^1")
    record_deployment(deployed, "billing", "1.3.0", "staging")
    # geo.json is billing 1.4.0's; billing 1.3.0 holds no expectation of an unknown provider
    decision = can_i_deploy(Registry.load(deployed), "billing", "1.3.0", "production")
    assert not any("geo.json" in r for r in decision.reasons)
