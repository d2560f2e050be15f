"""Registry discovery order: argument, ACCORD_REGISTRY, [tool.accord], installed packages,
./contracts; several installed packages refuse to guess unless one is named."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _dist_helpers import make_registry

from accord.errors import ConfigError
from accord.registry.discovery import (
    clear_cache,
    installed_registries,
    registry_source,
    resolve_registry,
)
from accord.registry.model import Registry


def fake_install(site: Path, name: str, version: str, registry: Path | None) -> Path:
    """A distribution on disk as an installer leaves it: module, METADATA, entry points."""
    module = name.lower().replace("-", "_").replace(".", "_")
    package = site / module
    package.mkdir(parents=True)
    target = repr(str(registry)) if registry is not None else "'/nonexistent/registry'"
    (package / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef registry_root():\n    return Path({target})\n"
    )
    info = site / f"{module}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.2\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(
        f"[accord.registries]\n{name} = {module}:registry_root\n"
    )
    return package


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "site"
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    clear_cache()
    before = set(sys.modules)
    yield directory
    # the fake packages' modules go with their directory (only theirs: an accord module
    # first imported during the test stays, or importing it again would register its
    # rules twice)
    for name in set(sys.modules) - before:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if origin.startswith(str(directory)):
            del sys.modules[name]
    clear_cache()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A service directory with no pyproject and no contracts/."""
    directory = tmp_path / "service"
    directory.mkdir()
    return directory


def test_nothing_configured_falls_back_to_contracts(project: Path, site: Path) -> None:
    root, source = resolve_registry(None, cwd=project, environ={})
    assert root == (project / "contracts").resolve()
    assert source.kind == "default"
    assert source.package is None


def test_one_installed_package_is_used(project: Path, site: Path, tmp_path: Path) -> None:
    reg = make_registry(tmp_path / "acme")
    fake_install(site, "acme-contracts", "1.4.0", reg)
    (project / "contracts").mkdir()  # an installed package comes before ./contracts
    root, source = resolve_registry(None, cwd=project, environ={})
    assert root == reg.resolve()
    assert (source.kind, source.package, source.version) == ("package", "acme-contracts", "1.4.0")
    assert "acme-contracts 1.4.0" in source.describe()
    assert [p.name for p in installed_registries()] == ["acme-contracts"]


def test_pyproject_comes_before_installed_packages(
    project: Path, site: Path, tmp_path: Path
) -> None:
    fake_install(site, "acme-contracts", "1.4.0", make_registry(tmp_path / "acme"))
    (project / "pyproject.toml").write_text('[tool.accord]\nregistry = "schemas"\n')
    root, source = resolve_registry(None, cwd=project, environ={})
    assert root == (project / "schemas").resolve()
    assert source.kind == "pyproject"
    assert source.origin == str(project / "pyproject.toml")


def test_environment_comes_before_pyproject(project: Path, site: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.accord]\nregistry = "schemas"\n')
    root, source = resolve_registry(None, cwd=project, environ={"ACCORD_REGISTRY": "other"})
    assert root == (project / "other").resolve()
    assert source.kind == "environment"


def test_argument_comes_first(project: Path, site: Path, tmp_path: Path) -> None:
    reg = make_registry(tmp_path / "explicit")
    env = {"ACCORD_REGISTRY": "other"}
    root, source = resolve_registry(reg, cwd=project, environ=env)
    assert (root, source.kind) == (reg, "argument")
    loaded = Registry.load(reg)
    root, source = resolve_registry(loaded, cwd=project, environ=env)
    assert (root, source.kind) == (loaded.root, "argument")


def test_two_installed_packages_refuse_to_guess(project: Path, site: Path, tmp_path: Path) -> None:
    a = make_registry(tmp_path / "a")
    b = make_registry(tmp_path / "b")
    fake_install(site, "acme-contracts", "1.4.0", a)
    fake_install(site, "Other.Registry", "2.0.0", b)
    with pytest.raises(ConfigError) as info:
        resolve_registry(None, cwd=project, environ={})
    assert info.value.code == "registry-ambiguous"
    assert "acme-contracts 1.4.0" in info.value.message
    assert "other-registry 2.0.0" in info.value.message
    assert "ACCORD_REGISTRY=pkg:NAME" in info.value.message

    root, source = resolve_registry(
        None, cwd=project, environ={"ACCORD_REGISTRY": "pkg:acme-contracts"}
    )
    assert (root, source.package, source.kind) == (a.resolve(), "acme-contracts", "environment")
    # names are compared canonically (PEP 503)
    root, source = resolve_registry("pkg:other_registry", cwd=project, environ={})
    assert (root, source.package, source.version) == (b.resolve(), "Other.Registry", "2.0.0")


def test_naming_a_package_that_is_not_installed(project: Path, site: Path) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_registry("pkg:nope", cwd=project, environ={})
    assert info.value.code == "registry-package-not-found"


def test_broken_package_is_reported(project: Path, site: Path) -> None:
    fake_install(site, "broken-contracts", "0.1.0", None)
    with pytest.raises(ConfigError) as info:
        resolve_registry(None, cwd=project, environ={})
    assert info.value.code == "registry-package-broken"
    assert "broken-contracts 0.1.0" in info.value.message


def test_registry_source_names_the_package_of_a_root(site: Path, tmp_path: Path) -> None:
    reg = make_registry(tmp_path / "acme")
    fake_install(site, "acme-contracts", "1.4.0", reg)
    source = registry_source(reg)
    assert (source.kind, source.package, source.version) == ("argument", "acme-contracts", "1.4.0")
    assert source.to_json()["package"] == "acme-contracts"


def test_lint_checks_the_registry_list_and_validate_use(
    project: Path,
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`accord lint` must not say "no problems" about ./contracts (absent here) while
    `list` and `validate` serve an installed registry package."""
    import json

    from accord.cli import main

    reg = make_registry(tmp_path / "acme")
    (reg / "notes.txt").write_text("stray")
    fake_install(site, "acme-contracts", "1.4.0", reg)
    monkeypatch.chdir(project)
    monkeypatch.delenv("ACCORD_REGISTRY", raising=False)
    assert main(["list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["registry"].endswith("acme")
    assert main(["lint", "--format", "json"]) == 2  # lint errors: the registry is bad input
    report = json.loads(capsys.readouterr().out)
    assert Path(report["root"]) == reg.resolve()
    assert [p["code"] for p in report["problems"]] == ["file-unexpected"]


def test_provider_cases_finds_the_registry_as_every_other_entry_point_does(
    project: Path, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # provider_cases read any text as a directory: "pkg:NAME" (and ACCORD_REGISTRY naming
    # a package) was "registry directory does not exist" where validator() loads it
    from accord.errors import ProviderError
    from accord.testing import provider_cases

    reg = make_registry(tmp_path / "acme")
    fake_install(site, "acme-contracts", "1.4.0", reg)
    monkeypatch.chdir(project)
    monkeypatch.delenv("ACCORD_REGISTRY", raising=False)
    for how in ({"registry": "pkg:acme-contracts"}, {}):
        # the registry loads; it has no consumers, so the provider is unknown to it
        with pytest.raises(ProviderError) as info:
            provider_cases("billing", **how)
        assert info.value.code == "provider-unknown", how
    monkeypatch.setenv("ACCORD_REGISTRY", "pkg:acme-contracts")
    with pytest.raises(ProviderError) as info:
        provider_cases("billing")
    assert info.value.code == "provider-unknown"


@pytest.mark.parametrize("wrong", [1, b"contracts", ["contracts"], object()])
def test_resolve_registry_refuses_what_is_not_a_registry(project: Path, wrong: object) -> None:
    # it took any non-path for a Registry: AttributeError 'int' object has no attribute 'root'
    from accord.errors import UsageError

    for call in (resolve_registry, registry_source):
        with pytest.raises(UsageError) as info:
            call(wrong)  # type: ignore[arg-type]
        assert info.value.code == "registry-argument"
        assert type(wrong).__name__ in info.value.message
