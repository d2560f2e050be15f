"""``accord_expectation`` writes into the registry the accord fixtures were given.

``--accord-registry`` (and the ``accord_registry`` ini option) named the registry of
"the accord fixtures", but ``accord_expectation`` did not read them: with
``pytest --accord-registry ../central`` the validators came from ``../central`` while the
expectation was written under ``<rootdir>/contracts``, a directory created for it (here
beside the project, since the option's path made the parent the rootdir) and no registry
at all; the central registry never saw what its consumer relies on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from _registry_builders import publish

DIALECT = "https://json-schema.org/draft/2020-12/schema"
USER = {"$schema": DIALECT, "type": "object", "properties": {"id": {"type": "integer"}}}
TEST = """
import httpx
from accord.consumers import integer

def test_get_user(accord_expectation, accord_validator):
    assert accord_validator("users.user@^1").is_valid({"id": 1})
    e = accord_expectation("billing", provider="users-service")
    (e.upon_receiving("get user 1").with_request("GET", "/users/1")
      .will_respond_with(200, contract="users.user@^1", body={"id": integer(1)}))
    assert httpx.Client(transport=e.transport(), base_url="http://u").get("/users/1").is_success
"""
WRITTEN = Path("consumers", "billing", "users-service.json")


def _pytest(
    project: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import accord

    # the accord under test, not whichever one the child would import from its cwd
    source = str(Path(accord.__file__).resolve().parents[1])
    path = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
    child = {k: v for k, v in os.environ.items() if k != "ACCORD_REGISTRY"}
    child.update(env or {}, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
        cwd=project,
        env=child,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("how", ["option", "ini"])
def test_the_expectation_goes_to_the_registry_the_fixtures_use(tmp_path: Path, how: str) -> None:
    central = tmp_path / "central"
    publish(central, "users.user", {"1.0.0": USER})
    project = tmp_path / "billing"
    project.mkdir()
    (project / "test_consumer.py").write_text(TEST)
    if how == "option":
        run = _pytest(project, "--accord-registry", str(central))
    else:
        (project / "pytest.ini").write_text(f"[pytest]\naccord_registry = {central}\n")
        run = _pytest(project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (central / WRITTEN).is_file()
    assert not (tmp_path / "contracts").exists()
    assert not (project / "contracts").exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_installed_package_is_never_written_to(tmp_path: Path, how: str) -> None:
    # ACCORD_REGISTRY=pkg:NAME names an installed registry package (discovery reads it);
    # the fixture took the text as a directory: the test passed and wrote
    # ./pkg:acme-contracts/consumers/billing/users-service.json.
    project = tmp_path / "billing"
    project.mkdir()
    (project / "test_consumer.py").write_text(
        TEST.replace(", accord_validator", "").replace(
            '    assert accord_validator("users.user@^1").is_valid({"id": 1})\n', ""
        )
    )
    if how == "option":
        run = _pytest(project, "--accord-registry", "pkg:acme-contracts")
    else:
        run = _pytest(project, env={"ACCORD_REGISTRY": "pkg:acme-contracts"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "error[expectation-registry-package]" in run.stdout, run.stdout
    assert not list(project.glob("pkg*")), run.stdout


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_relative_registry_is_read_from_where_pytest_started(tmp_path: Path, how: str) -> None:
    # The relative path was resolved at teardown, against whatever directory the test
    # had moved to: a test asking for monkeypatch before accord_expectation (so torn
    # down after it) wrote under sub/central/, a directory made for it.
    central = tmp_path / "central"
    publish(central, "users.user", {"1.0.0": USER})
    project = tmp_path / "billing"
    (project / "sub").mkdir(parents=True)
    (project / "test_consumer.py").write_text(
        "import httpx\n\n"
        "def test_it(monkeypatch, accord_expectation):\n"
        '    monkeypatch.chdir("sub")\n'
        '    e = accord_expectation("billing", provider="users-service")\n'
        '    e.upon_receiving("get a").with_request("GET", "/a").will_respond_with(200)\n'
        '    assert httpx.Client(transport=e.transport(), base_url="http://u").get("/a")\n'
    )
    if how == "option":
        run = _pytest(project, "--accord-registry", "../central")
    else:
        run = _pytest(project, env={"ACCORD_REGISTRY": "../central"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert (central / WRITTEN).is_file()
    assert not (project / "sub" / "central").exists()
