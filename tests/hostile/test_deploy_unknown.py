"""Deployment names nothing records are bad input (exit 2) with the closest known name.

``can-i-deploy ... --to prod`` when only ``production`` is recorded used to say yes: an
environment with no records has nothing live, so nothing could fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.provider import record_deployment
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import (  # the provider tests' fixture and records
    billing_verified_in_production,
    registry_root,
)

__all__ = ["registry_root"]


@pytest.fixture
def deployed(registry_root: Path) -> Path:
    billing_verified_in_production(registry_root)
    return registry_root


def run(root: Path, *argv: str) -> int:
    return main([*argv, "--registry", str(root)])


def test_known_names_are_safe(deployed: Path) -> None:
    assert run(deployed, "can-i-deploy", "users-service", "2.0.0", "--to", "production") == 0


@pytest.mark.parametrize(
    ("argv", "code", "hint"),
    [
        pytest.param(
            ["can-i-deploy", "users-service", "2.0.0", "--to", "prod"],
            "environment-unknown",
            "did you mean 'production'?",
            id="can-i-deploy-env",
        ),
        pytest.param(
            ["can-i-deploy", "user-service", "2.0.0", "--to", "production"],
            "service-unknown",
            "did you mean 'users-service'?",
            id="can-i-deploy-provider",
        ),
        pytest.param(
            ["can-i-deploy", "biling", "1.4.0", "--to", "production"],
            "service-unknown",
            "did you mean 'billing'?",
            id="can-i-deploy-consumer",
        ),
        pytest.param(
            ["can-i-deploy", "users-service", "2.0.1", "--to", "production"],
            "version-unknown",
            "'2.0.0'",
            id="can-i-deploy-version",
        ),
        pytest.param(
            ["record-deployment", "users-service", "2.0.0", "--env", "prod"],
            "environment-unknown",
            "did you mean 'production'?",
            id="record-deployment-env",
        ),
        pytest.param(
            ["record-release", "biling", "1.4.0", "--env", "production"],
            "service-unknown",
            "did you mean 'billing'?",
            id="record-release-service",
        ),
        pytest.param(
            ["record-undeployment", "billing", "1.3.0", "--env", "production"],
            "version-unknown",
            "did you mean '1.4.0'?",
            id="record-undeployment-version",
        ),
        pytest.param(
            ["record-undeployment", "billing", "--env", "staging"],
            "environment-unknown",
            "known: production",
            id="record-undeployment-env",
        ),
    ],
)
def test_unknown_names_are_refused(
    deployed: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: str, hint: str
) -> None:
    before = (deployed / "environments" / "production.toml").read_bytes()
    assert run(deployed, *argv) == 2
    err = capsys.readouterr().err
    assert code in err
    assert hint in err
    assert sorted(p.name for p in (deployed / "environments").iterdir()) == ["production.toml"]
    assert (deployed / "environments" / "production.toml").read_bytes() == before


def test_new_environment_is_explicit(deployed: Path) -> None:
    argv = ["record-deployment", "users-service", "2.0.0", "--env", "staging"]
    assert run(deployed, *argv) == 2
    assert run(deployed, *argv, "--new-environment") == 0
    assert (deployed / "environments" / "staging.toml").is_file()


def test_first_environment_needs_no_flag(registry_root: Path) -> None:
    argv = ["record-deployment", "billing", "1.4.0", "--env", "production"]
    assert run(registry_root, *argv) == 0


@pytest.mark.parametrize("version", [1, 1.0, b"1", None], ids=repr)
def test_a_version_that_is_not_a_string_is_record_bad_name(
    registry_root: Path, version: object
) -> None:
    from accord.provider import ProviderError, can_i_deploy

    with pytest.raises(ProviderError) as caught:
        record_deployment(registry_root, "billing", version, "production")  # type: ignore[arg-type]
    assert caught.value.code == "record-bad-name"
    with pytest.raises(ProviderError) as caught:
        can_i_deploy(Registry.load(registry_root), "billing", version, "production")  # type: ignore[arg-type]
    assert caught.value.code == "record-bad-name"
    assert not (registry_root / "environments").exists()


def test_no_environment_yet_says_how_one_starts(
    registry_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first pipeline asks can-i-deploy before any deployment is recorded: "none is
    # recorded yet" left a new user with no next step.
    assert not (registry_root / "environments").exists()
    assert run(registry_root, "can-i-deploy", "billing", "1.4.0", "--to", "production") == 2
    err = capsys.readouterr().err
    assert "environment-unknown" in err
    assert "accord record-deployment SERVICE VERSION --env production" in err
    assert not (registry_root / "environments").exists()
