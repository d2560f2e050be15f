"""End to end: the example registry packaged as a wheel, pip-installed (offline, from the
built file) into a fresh venv, and a service with no contracts/ directory and no
[tool.accord] registry validating, passing its startup check and running its
fixture-based tests against it."""

from __future__ import annotations

import json
import os
import shutil
import sysconfig
from pathlib import Path

import pytest
from _dist_helpers import fresh_venv, pip_install, run

from accord.distribution.wheel import package_registry
from accord.registry.model import Registry

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "contracts"
SERVICE = REPO / "examples" / "installed_registry" / "service"


@pytest.mark.slow
def test_service_runs_against_an_installed_registry_package(tmp_path: Path) -> None:
    built = package_registry(EXAMPLE, tmp_path / "dist", name="acme-contracts")
    expected_version = f"1.{len(Registry.load(EXAMPLE).lock)}.0"
    assert built.version == expected_version

    # A fresh venv. accord and its dependencies are not on an index here, so the venv
    # sees this interpreter's site-packages through a .pth file; the registry itself is
    # pip-installed from the built wheel, offline.
    env = {k: v for k, v in os.environ.items() if k not in {"ACCORD_REGISTRY", "PYTEST_ADDOPTS"}}
    ours = Path(sysconfig.get_paths()["purelib"])
    python, site = fresh_venv(tmp_path / "venv", sees=ours, env=env)
    purelib = str(site)
    installed = pip_install(python, "--no-deps", "--quiet", built.wheel, cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr
    assert (Path(purelib) / "acme_contracts" / "registry" / "accord.lock").is_file()

    service = tmp_path / "service"
    shutil.copytree(SERVICE, service, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    assert not (service / "contracts").exists()

    boot = run(python, "-m", "users_reader.app", cwd=service, env=env)
    assert boot.returncode == 0, boot.stderr
    report = json.loads(boot.stdout)
    assert report["registry"]["kind"] == "package"
    assert report["registry"]["package"] == "acme-contracts"
    assert report["registry"]["version"] == expected_version
    assert report["registry"]["root"].startswith(purelib)
    assert report["contract"] == "users.user@1.1.0"
    assert (report["valid"], report["invalid"]) == (True, False)

    models = run(
        python,
        "-c",
        "from acme_contracts_models import MODELS; print(len(MODELS))",
        cwd=service,
        env=env,
    )
    assert models.stdout.strip() == str(len(Registry.load(EXAMPLE).lock)), models.stderr

    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=service, env=env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout
