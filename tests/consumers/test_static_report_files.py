"""``accord verify --static`` names the expectation file on each verdict line: two files
can hold the same interaction ("get user"), and their lines were identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers import Expectation, like

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_each_verdict_line_names_its_expectation_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, root, ignore=shutil.ignore_patterns("consumers"))
    for name in ("users", "users-v2"):
        e = Expectation("web", name=name)
        (
            e.upon_receiving("get user")
            .with_request("GET", "/users/1")
            .will_respond_with(200, contract="users.user@^1", body={"name": like("Ada")})
        )
        e.write(root)
    assert main(["verify", "--static", "--registry", str(root), "--consumer", "web"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if " web: get user" in line]
    assert lines
    assert len(set(lines)) == len(lines)
    for name in ("users", "users-v2"):
        assert any(f", from consumers/web/{name}.json" in line for line in lines)
