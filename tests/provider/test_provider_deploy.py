"""Deployment records, can-i-deploy, and concurrent record writers (threads, processes)."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.provider import (
    ProviderError,
    can_i_deploy,
    load_environment,
    record_deployment,
    record_release,
    record_undeployment,
    record_verification,
)
from accord.provider._records import update_record
from accord.registry.model import Registry


def _record(root: Path, version: str, success: bool, *, consumer_version: str = "1.4.0") -> None:
    from accord.consumers._model import load

    ef = load(root / "consumers" / "billing" / "users.json", root=root)
    record_verification(
        root,
        {
            "format_version": 1,
            "provider": "users-service",
            "provider_version": version,
            "verified_at": "2024-05-01T12:00:00Z",
            "results": [
                {
                    "consumer": "billing",
                    "expectation": ef.file,
                    "digest": ef.digest,
                    "consumer_version": consumer_version,
                    "success": success,
                    "interactions": [],
                }
            ],
        },
    )


@pytest.mark.parametrize(
    ("service", "version", "setup", "safe", "statuses", "reason"),
    [
        pytest.param("users-service", "2.0.0", "pass", True, ["verified"], "", id="safe"),
        pytest.param("users-service", "2.0.0", "fail", False, ["failed"], "failed", id="unsafe"),
        pytest.param(
            "users-service", "2.0.0", "other", False, ["missing"], "no verification", id="missing"
        ),
        pytest.param("billing", "1.4.0", "pass", True, ["verified"], "", id="consumer-safe"),
        pytest.param("billing", "1.4.0", "fail", False, ["failed"], "failed", id="consumer-unsafe"),
    ],
)
def test_can_i_deploy(
    registry_root: Path,
    service: str,
    version: str,
    setup: str,
    safe: bool,
    statuses: list[str],
    reason: str,
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    record_deployment(registry_root, "users-service", "2.0.0", "production")
    _record(registry_root, "2.0.0" if setup != "other" else "1.9.0", setup != "fail")
    decision = can_i_deploy(Registry.load(registry_root), service, version, "production")
    assert decision.safe is safe
    assert [r.status for r in decision.matrix] == statuses
    if reason:
        assert reason in " ".join(decision.reasons)


@pytest.mark.parametrize(
    ("service", "version"),
    [
        pytest.param("users-service", "9.9.9", id="provider"),
        pytest.param("billing", "1.5.0", id="consumer"),
    ],
)
def test_can_i_deploy_unknown_version_is_bad_input(
    registry_root: Path, service: str, version: str
) -> None:
    record_deployment(registry_root, "billing", "1.4.0", "production")
    _record(registry_root, "2.0.0", True)
    with pytest.raises(ProviderError) as info:
        can_i_deploy(Registry.load(registry_root), service, version, "production")
    assert info.value.code == "version-unknown"


def test_deployed_consumer_version_without_known_expectations_is_unknown(
    registry_root: Path,
) -> None:
    record_deployment(registry_root, "billing", "1.3.0", "production")  # not 1.4.0
    _record(registry_root, "2.0.0", True)
    decision = can_i_deploy(Registry.load(registry_root), "users-service", "2.0.0", "production")
    assert not decision.safe
    assert [r.status for r in decision.matrix] == ["unknown"]


def test_released_versions_all_count(registry_root: Path) -> None:
    record_release(registry_root, "billing", "1.4.0", "mobile")
    record_release(registry_root, "billing", "1.3.0", "mobile")
    _record(registry_root, "2.0.0", True)
    _record(registry_root, "2.0.0", True, consumer_version="1.3.0")  # same digest, old version
    env = load_environment(registry_root, "mobile")
    assert env.live("billing") == ("1.4.0", "1.3.0")
    decision = can_i_deploy(Registry.load(registry_root), "users-service", "2.0.0", "mobile")
    assert decision.safe, decision.reasons
    assert sorted(r.consumer_version for r in decision.matrix) == ["1.3.0", "1.4.0"]


def test_deployment_records_on_disk(registry_root: Path) -> None:
    record_deployment(registry_root, "users-service", "1.0.0", "staging")
    record_deployment(registry_root, "users-service", "1.1.0", "staging")  # replaces
    record_release(registry_root, "billing", "3.0.0", "staging")
    text = (registry_root / "environments" / "staging.toml").read_text()
    assert '[services.users-service]\ndeployed = ["1.1.0"]\nreleased = []' in text
    record_undeployment(registry_root, "users-service", "staging")
    assert load_environment(registry_root, "staging").live("users-service") == ()
    with pytest.raises(ProviderError) as info:
        record_undeployment(registry_root, "users-service", "staging")
    assert info.value.code == "not-deployed"
    for bad in ("../etc", "Prod", ""):
        with pytest.raises(ProviderError):
            record_deployment(registry_root, "users-service", "1.0.0", bad)
    with pytest.raises(ProviderError):
        record_deployment(registry_root, "users-service", "1.0.0\n[x]", "staging")


def test_record_writers_take_a_str_root(
    registry_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every public function takes a registry as a path; these raised a TypeError
    # (`str / str`) for the str a script naturally passes.
    monkeypatch.chdir(registry_root.parent)
    root = registry_root.name
    record_deployment(root, "users-service", "1.0.0", "staging")
    record_release(root, "billing", "3.0.0", "staging")
    record_undeployment(root, "billing", "staging")
    assert load_environment(root, "staging").live("users-service") == ("1.0.0",)
    _record(registry_root, "2.0.0", True)
    record = json.loads(
        (registry_root / "verifications" / "users-service" / "2.0.0.json").read_text()
    )
    written = record_verification(root, {**record, "provider_version": "2.0.1"})
    assert written.resolve() == registry_root / "verifications" / "users-service" / "2.0.1.json"


def test_invalid_environment_file_is_reported(registry_root: Path) -> None:
    (registry_root / "environments").mkdir()
    (registry_root / "environments" / "prod.toml").write_text(
        "format_version = 1\n[services.x]\ndeployed = [1]\n"
    )
    with pytest.raises(ProviderError) as info:
        load_environment(registry_root, "prod")
    assert (info.value.code, info.value.pointer) == ("environment-invalid", "/services/x/deployed")


def test_cli_can_i_deploy(registry_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = ["--registry", str(registry_root)]
    assert main(["record-deployment", "billing", "1.4.0", "--env", "production", *reg]) == 0
    _record(registry_root, "2.0.0", False)
    assert main(["can-i-deploy", "users-service", "2.0.0", "--to", "production", *reg]) == 1
    out = capsys.readouterr().out
    assert "CONSUMER  VERSION  PROVIDER       VERSION  EXPECTATION" in out
    assert "failed" in out
    assert "no: users-service 2.0.0 cannot be deployed" in out
    _record(registry_root, "2.0.0", True)
    args = ["can-i-deploy", "users-service", "2.0.0", "--to", "production", "--format", "json"]
    assert main([*args, *reg]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["safe"] is True
    assert decision["matrix"][0]["status"] == "verified"
    assert main(["record-undeployment", "billing", "--env", "production", *reg]) == 0
    assert main(["record-release", "billing", "1.4.0", "--env", "production", *reg]) == 0
    assert main(["record-deployment", "Bad Name", "1", "--env", "production", *reg]) == 2


# -- concurrent writers ------------------------------------------------------------------


def _append(root: str, n: int) -> None:
    def update(old: bytes | None) -> bytes:
        items = json.loads(old) if old else []
        items.append(n)
        return json.dumps(items).encode()

    update_record(Path(root), "verifications/counter/1.0.0.json", update)


def _verify_one(root: str, consumer: str) -> None:
    record_verification(
        Path(root),
        {
            "format_version": 1,
            "provider": "users-service",
            "provider_version": "3.0.0",
            "verified_at": "2024-05-01T12:00:00Z",
            "results": [
                {
                    "consumer": consumer,
                    "expectation": f"consumers/{consumer}/x.json",
                    "digest": f"sha256:{consumer}",
                    "success": True,
                }
            ],
        },
    )


def _deploy(root: str, n: int) -> None:
    record_deployment(Path(root), f"service-{n}", "1.0.0", "production")


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_concurrent_writers_lose_nothing(tmp_path: Path, kind: str) -> None:
    n = 24 if kind == "threads" else 12
    root = str(tmp_path)
    pool: Any
    if kind == "threads":
        pool = ThreadPoolExecutor(8)
    else:
        pool = ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn"))
    with pool:
        futures = [pool.submit(_append, root, i) for i in range(n)]
        futures += [pool.submit(_verify_one, root, f"consumer-{i}") for i in range(n)]
        futures += [pool.submit(_deploy, root, i) for i in range(n)]
        for f in futures:
            f.result()
    counter = json.loads((tmp_path / "verifications" / "counter" / "1.0.0.json").read_text())
    assert sorted(counter) == list(range(n))
    record = json.loads((tmp_path / "verifications" / "users-service" / "3.0.0.json").read_text())
    assert sorted(r["consumer"] for r in record["results"]) == sorted(
        f"consumer-{i}" for i in range(n)
    )
    env = load_environment(tmp_path, "production")
    assert sorted(env.services) == sorted(f"service-{i}" for i in range(n))
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith((".lock", ".tmp"))]
    assert leftovers == []


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        pytest.param([], ["billing", "crm"], id="all"),
        pytest.param(["main-branch"], ["billing"], id="main-branch"),
        pytest.param(["deployed"], ["crm"], id="deployed"),
        pytest.param(["deployed:staging"], [], id="deployed-elsewhere"),
        pytest.param(["released"], [], id="released"),
        pytest.param(["main-branch", "deployed"], ["billing", "crm"], id="union"),
    ],
)
def test_consumer_version_selectors(
    registry_root: Path, selectors: list[str], expected: list[str]
) -> None:
    from _provider_support import billing_expectation

    from accord.provider import select_cases

    crm = billing_expectation(version="2.0.0", branch="feature-x")
    crm.consumer, crm.name = "crm", "users"
    crm.write(registry_root)
    record_deployment(registry_root, "crm", "2.0.0", "production")
    # staging exists (a selector naming an environment nothing records is a typo: exit 2)
    record_deployment(registry_root, "orders-service", "1.0.0", "staging")
    cases, _, _ = select_cases(Registry.load(registry_root), "users-service", selectors=selectors)
    assert sorted(c.consumer for c in cases) == expected


def test_unknown_selector_is_bad_input(registry_root: Path) -> None:
    from accord.provider import select_cases

    with pytest.raises(ProviderError, match="unknown consumer-version selector"):
        select_cases(Registry.load(registry_root), "users-service", selectors=["latest"])
