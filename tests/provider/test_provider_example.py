"""The seed scenario end to end (examples/users_provider), and the pytest integration.

Consumer test writes billing's expectation -> users-service verifies and records ->
billing's deployment is recorded -> can-i-deploy says yes; the renamed provider fails
verification naming the field and the consumer, and can-i-deploy says no.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "users_provider"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd), "NO_COLOR": "1"}
    env.pop("ACCORD_REGISTRY", None)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def example(tmp_path: Path) -> Path:
    work = tmp_path / "users_provider"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    shutil.rmtree(work / "contracts" / "consumers")  # the consumer test writes it again
    return work


@pytest.mark.slow
def test_seed_scenario_end_to_end(example: Path) -> None:
    pytest_args = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
    consumer = _run(example, *pytest_args, "billing_consumer")
    assert consumer.returncode == 0, consumer.stdout + consumer.stderr
    written = example / "contracts" / "consumers" / "billing" / "users.json"
    assert written.read_bytes() == (EXAMPLE / "contracts/consumers/billing/users.json").read_bytes()

    provider_suite = _run(example, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests")
    assert provider_suite.returncode == 0, provider_suite.stdout + provider_suite.stderr
    assert "test_honours_consumer[billing: get user 123] PASSED" in provider_suite.stdout

    accord = ["-m", "accord"]
    verify = [*accord, "verify", "--provider", "users-service", "--record"]
    ok = _run(example, *verify, "--app", "users_provider.app:app", "--provider-version", "2.0.0")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert (
        _run(example, *accord, "record-deployment", "billing", "1.4.0", "--env", "prod").returncode
        == 0
    )
    yes = _run(example, *accord, "can-i-deploy", "users-service", "2.0.0", "--to", "prod")
    assert yes.returncode == 0, yes.stdout + yes.stderr

    bad = _run(
        example, *verify, "--app", "users_provider.app_renamed:app", "--provider-version", "2.1.0"
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "billing: get user 123: provider deviated from the contract users.user@^1" in bad.stdout
    assert "$.name: is missing (billing reads $.name as string, required)" in bad.stdout
    no = _run(
        example,
        *accord,
        "can-i-deploy",
        "users-service",
        "2.1.0",
        "--to",
        "prod",
        "--format",
        "json",
    )
    assert no.returncode == 1
    decision = json.loads(no.stdout)
    assert decision["safe"] is False
    assert decision["matrix"][0]["status"] == "failed"


def test_pytest_integration_fails_with_the_verification_message(
    pytester: pytest.Pytester, registry_root: Path
) -> None:
    pytester.makeconftest('pytest_plugins = ["accord.testing._provider"]\n')
    pytester.makepyfile(
        test_provider=f"""
import pytest
from accord.testing._provider import provider_cases
from fastapi import FastAPI

app = FastAPI()
ROWS = {{}}

@app.get("/users/{{i}}")
def get(i: int):
    return ROWS[i]

@pytest.fixture
def accord_provider_states():
    from accord.provider import StateRegistry
    states = StateRegistry()

    @states.state("user exists")
    def user_exists(id):
        ROWS[id] = {{"id": id, "username": "Ada", "email": "ada@example.com"}}
        yield
        ROWS.clear()

    return states

@pytest.mark.parametrize("case", provider_cases("users-service", registry={str(registry_root)!r}))
def test_honours(case, accord_verify):
    accord_verify(case, app=app)
"""
    )
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_honours?billing: get user 123? FAILED*",
            "*billing: get user 123: provider deviated from the contract users.user@^1*",
            "*$.name: is missing (billing reads $.name as string, required)*",
        ]
    )
