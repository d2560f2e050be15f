"""can-i-deploy of a consumer whose provider is not deployed in the environment.

A consumer deployed where no version of a provider it calls runs would call nothing
(or whatever answers there, never verified): the Pact Broker says no ("There is no
verified pact between version X of Consumer and a version of Provider currently in
production (no version is currently recorded as deployed/released in this
environment)"). accord answered yes, its matrix empty: no row, no reason, exit 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_provider_deploy import _record

from accord.cli import main
from accord.provider import can_i_deploy, record_deployment
from accord.registry.model import Registry


def test_a_consumer_whose_provider_is_not_deployed_there_is_not_safe(
    registry_root: Path,
) -> None:
    _record(registry_root, "2.0.0", True)  # users-service 2.0.0 verified billing 1.4.0
    record_deployment(registry_root, "orders-service", "1.0.0", "production")  # not users
    decision = can_i_deploy(Registry.load(registry_root), "billing", "1.4.0", "production")
    assert not decision.safe
    assert decision.matrix == ()  # no version of users-service to pair billing with
    (reason,) = decision.reasons
    assert "users-service (a provider of billing) runs nowhere in production" in reason


def test_it_is_safe_once_the_verified_provider_is_deployed(registry_root: Path) -> None:
    _record(registry_root, "2.0.0", True)
    record_deployment(registry_root, "users-service", "2.0.0", "production")
    decision = can_i_deploy(Registry.load(registry_root), "billing", "1.4.0", "production")
    assert decision.safe


def test_the_cli_says_no(registry_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(registry_root, "2.0.0", True)
    record_deployment(registry_root, "orders-service", "1.0.0", "production")
    code = main(
        ["can-i-deploy", "billing", "1.4.0", "--to", "production", "--registry", str(registry_root)]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert "users-service" in out


def test_a_provider_with_no_consumer_deployed_there_is_safe(registry_root: Path) -> None:
    """The other way round nothing depends on the provider yet: safe, as the Broker."""
    _record(registry_root, "2.0.0", True)
    record_deployment(registry_root, "orders-service", "1.0.0", "production")
    decision = can_i_deploy(Registry.load(registry_root), "users-service", "2.0.0", "production")
    assert decision.safe
