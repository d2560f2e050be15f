"""The site tests' registry: the example registry with deployment and verification
records that went through a records branch (written with git plumbing, then pulled),
as a team's CI would have them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_REGISTRY = REPO_ROOT / "contracts"

# A hostile description: rendered inert, it sets nothing and fetches nothing.
HOSTILE = (
    '<script>window.__pwned = 1</script><img src="http://127.0.0.1:9/x.png" '
    'onerror="window.__pwned = 2">'
)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def example_records(registry: Path, scratch: Path) -> dict[str, Any]:
    """The records of the scenario, by path on the records branch: production runs
    billing 1.4.0, users-service 2.0.0 (verified against billing's users expectation)
    and orders-service 1.0.0 (failed against billing's orders expectation); staging runs
    users-service 2.1.0, never verified, and billing 1.4.0."""
    from accord.consumers._model import discover
    from accord.distribution.records import collect_records
    from accord.provider._deploy import record_deployment

    staged = scratch / "staged"
    shutil.copytree(registry / "consumers", staged / "consumers")
    record_deployment(staged, "billing", "1.4.0", "production")
    record_deployment(staged, "users-service", "2.0.0", "production")
    record_deployment(staged, "orders-service", "1.0.0", "production")
    record_deployment(staged, "users-service", "2.1.0", "staging")
    record_deployment(staged, "billing", "1.4.0", "staging")
    files = {ef.file.rsplit("/", 1)[1]: ef for ef in discover(registry)}

    def result(name: str, success: bool) -> dict[str, object]:
        ef = files[name]
        return {
            "consumer": "billing",
            "consumer_version": "1.4.0",
            "expectation": ef.file,
            "digest": ef.digest,
            "content_digest": ef.content_digest,
            "success": success,
        }

    records: dict[str, Any] = {
        "verifications/users-service/2.0.0.json": {
            "format_version": 1,
            "provider": "users-service",
            "provider_version": "2.0.0",
            "verified_at": "2026-11-30T10:00:00Z",
            "results": [result("users.json", True)],
        },
        "verifications/orders-service/1.0.0.json": {
            "format_version": 1,
            "provider": "orders-service",
            "provider_version": "1.0.0",
            "verified_at": "2026-11-29T09:30:00Z",
            "results": [result("orders.json", False)],
        },
    }
    environments = collect_records(staged)
    records |= {rel: data for rel, data in environments.items() if rel.startswith("environments/")}
    return records


def commit_records(repo: Path, records: dict[str, Any]) -> None:
    """Commit ``records`` to the records branch of the git repository ``repo`` (created
    when it is not one yet), as ``accord records push`` does."""
    from accord.distribution.records import write_records

    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
    author = ("ci", "ci@example.com")
    write_records(repo, records, message="test records", push=False, author=author)


def make_registry_with_records(base: Path) -> Path:
    """A copy of ``contracts/`` with a hostile description and the records of
    :func:`example_records` pulled from a records branch."""
    from accord.distribution.records import read_records

    registry = base / "registry"
    shutil.copytree(EXAMPLE_REGISTRY, registry)
    toml = registry / "common" / "error" / "contract.toml"
    lines = [ln for ln in toml.read_text().splitlines() if not ln.startswith("description")]
    toml.write_text("\n".join([f"description = {json.dumps(HOSTILE)}", *lines]) + "\n")
    repo = base / "repo"
    repo.mkdir()
    commit_records(repo, example_records(registry, base))
    read_records(repo, registry, remote=None)
    return registry
