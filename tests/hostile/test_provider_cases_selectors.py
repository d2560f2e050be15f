"""``provider_cases`` (the pytest flavour of ``verify --provider``) refuses selectors
that name a live consumer version it cannot verify, as ``verify_provider`` does.

With ``selectors=["deployed"]`` and billing 1.3.0 deployed (no expectation file or
record says what 1.3.0 expects), ``verify_provider`` fails ("0 verified is not a
pass"), but ``provider_cases`` returned no case at all: pytest skips a test whose
parameter set is empty, and the provider's suite stayed green.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.provider import ProviderError, record_deployment
from accord.registry.model import Registry
from accord.testing._provider import provider_cases

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]


def test_a_live_version_that_cannot_be_verified_is_refused(registry_root: Path) -> None:
    record_deployment(registry_root, "billing", "1.3.0", "production")  # nothing known
    with pytest.raises(ProviderError) as info:
        provider_cases(
            "users-service", registry=Registry.load(registry_root), selectors=["deployed"]
        )
    assert info.value.code == "provider-unverifiable"
    assert "billing 1.3.0" in info.value.message


def test_a_live_version_with_its_expectations_gives_its_cases(registry_root: Path) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    cases = provider_cases(
        "users-service", registry=Registry.load(registry_root), selectors=["deployed"]
    )
    assert [c.id for c in cases] == ["billing: get user 123"]
