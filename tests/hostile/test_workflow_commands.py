"""No user-named file starts a line with ``::`` (a GitHub Actions workflow command).

Paths are shown relative to the working directory, so with ``--registry .`` a
directory named ``::error::pwned`` (or ``::stop-commands::x``, which turns off every
later annotation of the step) started a line of ``accord lint``'s output, and the
runner read it as a command. Such a path is now shown as ``./::error::pwned``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _registry_builders import DRAFT_2020_12, publish
from accord.cli import main


@pytest.mark.parametrize("command", ["lint", "check", "list"])
def test_a_file_name_cannot_start_a_workflow_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    root = tmp_path / "contracts"
    publish(root, "shop.thing", {"1.0.0": {"$schema": DRAFT_2020_12, "type": "object"}})
    (root / "::stop-commands::x").mkdir()
    (root / "::stop-commands::x" / "a.json").write_text("{}")
    (root / "shop" / "::warning::y.schema.json").write_text("{}")
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main([command, "--registry", "."]) == 2
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert any("./::stop-commands::x" in line for line in lines)
    assert not [line for line in lines if line.lstrip().startswith("::")]


def test_plain_relative_paths_are_unchanged() -> None:
    from accord.cli._common import display_path

    assert display_path("contracts/shop/thing/1.0.0.schema.json") == (
        "contracts/shop/thing/1.0.0.schema.json"
    )
    assert display_path(".accord/cache") == ".accord/cache"
    assert display_path("::error::x") == "./::error::x"
    assert display_path("-x") == "./-x"
