"""``accord expectations export --to DIR`` writes only into a registry root.

``--to`` was checked to be a directory, nothing more: ``--to ../central`` (the central
repository, whose registry is ``../central/contracts``) said ``added`` and exit 0, and
wrote ``../central/consumers/...``, where the central gate never reads it: the consumer's
CI believed its expectations protected while nothing checked them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _registry_builders import snapshot
from accord.cli import main

REPO = Path(__file__).resolve().parents[2]


def _export(source: Path, target: Path) -> int:
    argv = ["expectations", "export", "--registry", str(source), "--to", str(target)]
    return main([*argv, "--consumer-version", "2.0.0"])


@pytest.mark.parametrize("layout", ["repository", "empty", "elsewhere"])
def test_a_target_that_is_no_registry_is_refused(
    layout: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "local"
    shutil.copytree(REPO / "contracts", source)
    target = tmp_path / "central"
    target.mkdir()
    if layout == "repository":
        shutil.copytree(REPO / "contracts", target / "contracts")
        shutil.rmtree(target / "contracts" / "consumers")
        (target / "README.md").write_text("# central\n")
    elif layout == "elsewhere":
        (target / "notes.txt").write_text("keep\n")
    before = snapshot(target)
    assert _export(source, target) == 2
    err = capsys.readouterr().err
    assert "error[expectations-bad-target]" in err
    if layout == "repository":
        assert "contracts" in err  # the hint names the registry inside it
    assert snapshot(target) == before


@pytest.mark.parametrize("marker", ["accord.toml", "accord.lock", "consumers"])
def test_a_registry_root_is_written_to(marker: str, tmp_path: Path) -> None:
    source = tmp_path / "local"
    shutil.copytree(REPO / "contracts", source)
    target = tmp_path / "central"
    target.mkdir()
    if marker == "consumers":
        (target / marker).mkdir()
    else:
        shutil.copy(REPO / "contracts" / marker, target / marker)
    assert _export(source, target) == 0
    assert any((target / "consumers").rglob("*.json"))
