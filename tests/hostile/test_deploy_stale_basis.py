"""can-i-deploy does not count a verification whose answers were judged against a
contract version no consumer's range serves any more (yanked since, a draft, or gone).

A verification result lists the contract versions the provider's answers were valid
under (``contracts``). Before, a result that passed only against users.user@1.1.0 still
answered "verified" after 1.1.0 was yanked (a range never serves a yanked version, so
the consumers now read 1.0.0, which the answers were never checked against) and
can-i-deploy said yes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from accord.cli import main
from accord.provider import can_i_deploy
from accord.registry.model import Registry

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import (  # the provider tests' fixture and records
    USER_SCHEMA,
    billing_verified_in_production,
    registry_root,
)

__all__ = ["registry_root"]


def _deployed(root: Path, contracts: list[str]) -> Path:
    (root / "users" / "user" / "1.1.0.schema.json").write_text(json.dumps(USER_SCHEMA))
    billing_verified_in_production(root, contracts=contracts)
    return root


def _yank(root: Path, version: str) -> None:
    toml = root / "users" / "user" / "contract.toml"
    reason = "the email format broke consumers"
    toml.write_text(toml.read_text() + f'\n[yanked]\n"{version}" = "{reason}"\n')


def test_a_result_against_served_versions_is_verified(registry_root: Path) -> None:
    root = _deployed(registry_root, ["users.user@1.1.0"])
    decision = can_i_deploy(Registry.load(root), "users-service", "2.0.0", "production")
    assert decision.safe, decision.reasons


@pytest.mark.parametrize(
    ("contracts", "why"),
    [
        (["users.user@1.1.0"], "yanked"),
        (["users.user@1.0.0", "users.user@1.1.0"], "yanked"),
        (["users.user@9.0.0"], "no longer"),
        (["accounts.account@1.0.0"], "no longer"),
    ],
    ids=["yanked", "one-of-two-yanked", "version-gone", "contract-gone"],
)
def test_a_result_against_an_unserved_version_is_not_safe(
    registry_root: Path, contracts: list[str], why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _deployed(registry_root, contracts)
    _yank(root, "1.1.0")
    decision = can_i_deploy(Registry.load(root), "users-service", "2.0.0", "production")
    assert not decision.safe
    [row] = decision.matrix
    assert row.status == "stale"
    assert why in row.reason
    argv = ["can-i-deploy", "users-service", "2.0.0", "--to", "production", "--registry", str(root)]
    assert main(argv) == 1
    assert "stale" in capsys.readouterr().out
