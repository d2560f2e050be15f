"""Two results that answer for one expectation at the same second: a failure wins.

``can-i-deploy`` takes the newest result matching the expectation (its digest, or its
content digest: a result applies to every consumer version with the same content).
Times have seconds precision, so two verifications of one provider version (say, of two
consumer versions with the same content, in parallel CI jobs) can carry one time; the
tie went to whichever result sorted first by digest, and a passing one answered for a
failing one: ``can-i-deploy`` said yes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.provider import record_deployment, record_verification

sys.path.insert(0, str(Path(__file__).parents[1] / "provider"))
from _provider_support import registry_root  # the provider tests' fixture

__all__ = ["registry_root"]

WHEN = "2026-12-01T12:00:00Z"


def _result(root: Path, digest: str | None, success: bool) -> dict[str, Any]:
    from accord.consumers._model import load

    ef = load(root / "consumers" / "billing" / "users.json", root=root)
    return {
        "consumer": "billing",
        "expectation": ef.file,
        "digest": digest or ef.digest,
        "content_digest": ef.content_digest,
        "consumer_version": "1.4.0",
        "success": success,
        "verified_at": WHEN,
        "interactions": [],
    }


# Digests sorting before and after the expectation's own ("sha256:<hex>").
@pytest.mark.parametrize("other", ["sha256:", "sha256:~"], ids=["sorts-first", "sorts-last"])
@pytest.mark.parametrize("passing", ["other", "own"])
def test_a_failure_at_the_same_second_wins(registry_root: Path, other: str, passing: str) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    results = [
        _result(registry_root, other, passing == "other"),
        _result(registry_root, None, passing == "own"),
    ]
    record = {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": "2.0.0",
        "verified_at": WHEN,
        "results": results,
    }
    record_verification(registry_root, record)
    argv = ["can-i-deploy", "users-service", "2.0.0", "--to", "production"]
    assert main([*argv, "--registry", str(registry_root)]) == 1
