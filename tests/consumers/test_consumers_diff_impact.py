"""``accord diff`` names the consumers a change hurts: only those whose range selects
the version they would be served, with a registry reference on either side."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers import Expectation, string

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """users.user 1.0.0, 1.1.0 and 2.0.0 (``name`` an integer); billing
    reads ``^1`` and ledger ``^2``, both ``$.name``."""
    root = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", root, ignore=shutil.ignore_patterns("consumers"))
    v1 = json.loads((root / "users/user/1.1.0.schema.json").read_text())
    v2 = json.loads(json.dumps(v1))
    v2["properties"]["name"] = {"type": "integer", "minimum": 1}
    (tmp_path / "v2.json").write_text(json.dumps(v2))
    (tmp_path / "v1_2.json").write_text(json.dumps(v2))
    assert (
        main(
            [
                "publish",
                "users.user",
                "--version",
                "2.0.0",
                "--schema",
                str(tmp_path / "v2.json"),
                "--registry",
                str(root),
            ]
        )
        == 0
    )
    for consumer, rng in (("billing", "^1"), ("ledger", "^2")):
        Expectation(consumer, name="users").reads(f"users.user@{rng}").field(
            "$.name", string()
        ).write(root)
    return root


def _diff(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, set[str]]:
    """Consumers each breaking change names as ``breaks``, by instance path."""
    capsys.readouterr()
    code = main(["diff", *argv, "--format", "json"])
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    return {
        c["instance_path"]: {i["consumer"] for i in c["consumers"] if i["status"] == "breaks"}
        for c in report["changes"]
        if c["breaks"]
    }


def test_two_references_name_only_consumers_whose_range_selects_new(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # billing reads ^1: it is never served 2.0.0, so the major bump does not break it
    found = _diff(capsys, "users.user@1.1.0", "users.user@2.0.0", "--registry", str(registry))
    assert found["/name"] == {"ledger"}


def test_reference_then_file_names_the_contracts_consumers(
    registry: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    new = str(tmp_path / "v1_2.json")
    # without --version: the consumers whose range selects OLD
    found = _diff(capsys, "users.user@1.1.0", new, "--registry", str(registry))
    assert found["/name"] == {"billing"}
    # with --version: the consumers whose range would select NEW's version
    found = _diff(
        capsys, "users.user@1.1.0", new, "--version", "2.1.0", "--registry", str(registry)
    )
    assert found["/name"] == {"ledger"}
    found = _diff(
        capsys, "users.user@1.1.0", new, "--version", "1.2.0", "--registry", str(registry)
    )
    assert found["/name"] == {"billing"}


def test_file_then_reference_names_consumers_of_the_reference(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = str(registry / "users/user/1.1.0.schema.json")
    found = _diff(capsys, old, "users.user@2.0.0", "--registry", str(registry))
    assert found["/name"] == {"ledger"}


def test_text_output_names_them_too(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["diff", "users.user@1.1.0", "users.user@2.0.0", "--registry", str(registry)]) == 1
    out = capsys.readouterr().out
    assert "breaks ledger" in out
    # billing is not broken: it is named only as reading $.name on a range without 2.0.0
    assert "breaks billing" not in out
    assert "billing reads $.name on ^1, which 2.0.0 is not in" in out


def test_version_needs_a_file_new(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "diff",
            "users.user@1.1.0",
            "users.user@2.0.0",
            "--version",
            "2.0.0",
            "--registry",
            str(registry),
        ]
    )
    assert code == 2
    assert "--version" in capsys.readouterr().err


def test_version_needs_a_reference_old(
    registry: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = str(registry / "users/user/1.1.0.schema.json")
    argv = ["diff", old, str(tmp_path / "v1_2.json"), "--version", "2.0.0"]
    assert main([*argv, "--registry", str(registry)]) == 2
    assert "--version" in capsys.readouterr().err
