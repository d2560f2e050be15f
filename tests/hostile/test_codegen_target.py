"""``accord codegen`` (and ``--check``) write and check where the project says models live.

The README's CI step is a bare ``accord codegen --check``: it must check the package the
service manifest names (``[tool.accord.service] generated``), not ``./generated``, and
its hint must name a command that fixes what it reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import publish
from accord.cli import main

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SERVICE = '\n[tool.accord.service]\nname = "svc"\ngenerated = {}\n'


def _project(tmp_path: Path, accord_table: str) -> Path:
    publish(
        tmp_path / "contracts", "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}}
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "0"\n\n[tool.accord]\nregistry = "contracts"\n'
        + accord_table
    )
    return tmp_path


def test_codegen_defaults_to_the_service_manifests_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(
        tmp_path, '\n[tool.accord.service]\nname = "svc"\ngenerated = "svc_models"\n'
    )
    monkeypatch.chdir(project / "contracts")  # a subdirectory: the project's root decides
    assert main(["codegen"]) == 0
    assert (project / "svc_models" / "orders" / "thing" / "v1_0_0.py").is_file()
    assert not (project / "generated").exists()
    assert not (project / "contracts" / "generated").exists()
    capsys.readouterr()
    assert main(["codegen", "--check"]) == 0, capsys.readouterr()
    (project / "svc_models" / "orders" / "thing" / "v1_0_0.py").unlink()
    assert main(["codegen", "--check"]) == 1
    out = capsys.readouterr().out
    assert "1 file out of date" in out
    assert "generated/" not in out
    hint = out.strip().splitlines()[-1]
    assert "`accord codegen`" in hint
    assert main(["codegen"]) == 0
    capsys.readouterr()
    assert main(["codegen", "--check"]) == 0


def test_codegen_settings_win_over_the_manifest_and_flags_over_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(
        tmp_path,
        'codegen-output = "gen"\ncodegen-package = "cfg_models"\n'
        '\n[tool.accord.service]\nname = "svc"\ngenerated = "svc_models"\n',
    )
    monkeypatch.chdir(project)
    assert main(["codegen"]) == 0
    assert (project / "gen" / "cfg_models" / "__init__.py").is_file()
    assert not (project / "svc_models").exists()
    assert main(["codegen", "--out", "flag", "--package", "flag_models"]) == 0
    assert (project / "flag" / "flag_models" / "__init__.py").is_file()
    capsys.readouterr()
    (project / "flag" / "flag_models" / "__init__.py").unlink()
    assert main(["codegen", "--check", "--out", "flag", "--package", "flag_models"]) == 1
    hint = capsys.readouterr().out.strip().splitlines()[-1]
    assert "`accord codegen --out flag --package flag_models`" in hint


@pytest.mark.parametrize(
    "generated", ['"svc.models"', '["a_models", "b_models"]'], ids=["dotted", "several"]
)
def test_a_manifest_codegen_cannot_follow_is_exit_2(
    generated: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _project(
        tmp_path, f'\n[tool.accord.service]\nname = "svc"\ngenerated = {generated}\n'
    )
    monkeypatch.chdir(project)
    for argv in (["codegen"], ["codegen", "--check"]):
        assert main(argv) == 2
        assert "--package" in capsys.readouterr().err
    assert sorted(p.name for p in project.iterdir()) == ["contracts", "pyproject.toml"]
