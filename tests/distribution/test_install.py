"""accord installs as the README says: its own wheel (``make dist``) and a registry
wheel (``accord package``) installed offline into a fresh venv from a wheelhouse, and
the registry wheel's requirement on accord is real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from _dist_helpers import fresh_venv, pip_install, run
from packaging.requirements import Requirement

from accord._version import __version__
from accord.distribution.wheel import accord_requirement, package_registry

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "contracts"
ORDER_EXAMPLES = EXAMPLE / "orders" / "order-placed" / "examples" / "1.2.0"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.4.2", "accord>=1.4.2,<2"),
        ("2.0.0", "accord>=2.0.0,<3"),
        ("0.1.0", "accord>=0.1.0,<0.2"),
        ("0.3.7", "accord>=0.3.7,<0.4"),
        ("0.0.3", "accord>=0.0.3,<0.0.4"),
        ("1", "accord>=1,<2"),
        ("0.2.0rc1", "accord>=0.2.0rc1,<0.3"),
        ("1.2.0.dev3+g1234", "accord>=1.2.0.dev3,<2"),
    ],
)
def test_registry_requirement_is_the_caret_range_of_the_building_accord(
    version: str, expected: str
) -> None:
    assert accord_requirement(version) == expected


def test_registry_wheel_and_sdist_require_the_running_accords_range(tmp_path: Path) -> None:
    built = package_registry(EXAMPLE, tmp_path / "dist", name="acme-contracts", models=False)
    expected = accord_requirement(__version__)
    assert expected.startswith(f"accord>={__version__},<")
    with zipfile.ZipFile(built.wheel) as wheel:
        metadata = wheel.read(f"acme_contracts-{built.version}.dist-info/METADATA").decode()
    assert Parser().parsestr(metadata).get_all("Requires-Dist") == [expected]
    with tarfile.open(built.sdist) as sdist:
        member = sdist.extractfile(f"acme_contracts-{built.version}/pyproject.toml")
        assert member is not None
        pyproject = tomllib.loads(member.read().decode())
    assert pyproject["project"]["dependencies"] == [expected]


def offline_env() -> dict[str, str]:
    """The environment of the venv's processes: no pip configuration (no index, no
    find-links but the ones given), nothing that points back at this checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "PYTHON", "ACCORD_", "PYTEST_", "VIRTUAL_ENV"))
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PYTHONNOUSERSITE="1",
    )
    return env


def dependencies_without_accord(target: Path) -> Path:
    """A site directory holding this interpreter's installed packages except accord.

    accord's third-party dependencies are on no index here, so the fresh venv sees them
    through this directory (symlinks, a .pth in the venv adds it); accord itself (an
    editable install, its dist-info) is left out, so pip has to install accord from the
    wheelhouse and ``import accord`` can only find that copy.
    """
    target.mkdir()
    paths = sysconfig.get_paths()
    for site_dir in dict.fromkeys([paths["purelib"], paths["platlib"]]):
        for entry in Path(site_dir).iterdir():
            if "accord" in entry.name.lower() or (target / entry.name).exists():
                continue
            (target / entry.name).symlink_to(entry)
    return target


@pytest.mark.slow
def test_accord_and_a_registry_wheel_install_offline_from_a_wheelhouse(tmp_path: Path) -> None:
    # accord's own wheel, as `make dist` builds it (hatchling, no build isolation).
    wheelhouse = tmp_path / "wheelhouse"
    built_accord = run(
        sys.executable,
        "-m",
        "hatchling",
        "build",
        "-t",
        "wheel",
        "-d",
        wheelhouse,
        cwd=REPO,
        env=dict(os.environ),
    )
    assert built_accord.returncode == 0, built_accord.stderr
    assert [p.name for p in wheelhouse.iterdir()] == [f"accord-{__version__}-py3-none-any.whl"]
    # The registry wheel, as `accord package --no-models` builds it (the models are
    # test_installed_registry's subject; generating them here would only add time).
    registry = package_registry(
        EXAMPLE, tmp_path / "registry-dist", name="acme-contracts", models=False
    )

    env = offline_env()
    deps = dependencies_without_accord(tmp_path / "deps")
    python, purelib = fresh_venv(tmp_path / "venv", sees=deps, env=env)

    def install(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return pip_install(python, *argv, cwd=tmp_path, env=env)

    # Without accord in the wheelhouse the registry wheel does not install: its
    # requirement on accord is real, and nothing is left half-installed.
    empty = tmp_path / "empty-wheelhouse"
    empty.mkdir()
    refused = install("--find-links", empty, registry.wheel)
    assert refused.returncode != 0
    missing = re.search(r"No matching distribution found for (accord\S*)", refused.stderr)
    assert missing is not None, refused.stderr
    assert Requirement(missing[1]) == Requirement(accord_requirement())
    assert not list(purelib.glob("acme_contracts*"))

    # The documented path: the registry wheel with --find-links to a wheelhouse holding
    # accord's wheel.
    installed = install("--find-links", wheelhouse, registry.wheel)
    assert installed.returncode == 0, installed.stderr
    assert (purelib / f"accord-{__version__}.dist-info").is_dir()

    service = tmp_path / "service"  # no contracts/, no pyproject.toml: the package it is
    service.mkdir()
    valid = ORDER_EXAMPLES / "valid" / "with-shipping.json"
    invalid = ORDER_EXAMPLES / "invalid" / "bad-country.json"
    script = f"""
import json, pathlib
import accord
from accord.registry.discovery import registry_source

orders = accord.validator("orders.order-placed@^1.2")
source = registry_source()
invalid = json.loads(pathlib.Path({str(invalid)!r}).read_text())
print(json.dumps({{
    "file": accord.__file__,
    "version": accord.__version__,
    "ref": orders.ref,
    "valid": orders.validate_json(pathlib.Path({str(valid)!r}).read_bytes()) is not None,
    "errors": [[e.instance_path, e.keyword] for e in orders.errors(invalid)],
    "source": [source.kind, source.package, source.version, str(source.root)],
}}))
"""
    used = run(python, "-c", script, cwd=service, env=env)
    assert used.returncode == 0, used.stderr
    report = json.loads(used.stdout)
    assert Path(report["file"]).is_relative_to(purelib)
    assert report["version"] == __version__
    assert report["ref"] == "orders.order-placed@1.2.0"
    assert report["valid"] is True
    assert report["errors"] == [["/shipping_address/country", "pattern"]]
    kind, package, version, root = report["source"]
    assert (kind, package, version) == ("package", "acme-contracts", registry.version)
    assert Path(root).is_relative_to(purelib / "acme_contracts")

    cli = run(python.parent / "accord", "--version", cwd=service, env=env)
    assert (cli.returncode, cli.stdout.strip()) == (0, f"accord {__version__}"), cli.stderr
