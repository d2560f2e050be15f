"""One path base for every ``accord check`` output: the repository root. The
``version-modified`` restore hint runs as printed from the repository root, and the
text, json, github and sarif outputs name the same file, wherever check is run from."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, git, init_repo, make_contract, run_cli, schema, version_file

from accord.gate import publish as _publish

CID = "orders.placed"
FILE = "services/shop/contracts/orders/placed/1.0.0.schema.json"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The registry below the top of the repository; 1.0.0 edited after publishing."""
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "services" / "shop" / "contracts"
    make_contract(root, CID)
    _publish.publish(root, CID, schema())
    commit_all(repo, "publish")
    git(repo, "checkout", "-q", "-b", "feature")
    path = version_file(root, CID, "1.0.0")
    path.write_bytes(path.read_bytes() + b"\n")
    commit_all(repo, "edit a published version")
    return repo


def _outputs(repo: Path, cwd: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(cwd)
    root = repo / "services" / "shop" / "contracts"
    outputs = {}
    for fmt in ("text", "json", "github", "sarif"):
        code, out, _err = run_cli(
            ["check", "--registry", str(root), "--against", "main", "--format", fmt], capsys
        )
        assert code == 1
        outputs[fmt] = out
    return outputs


@pytest.mark.parametrize("where", [".", "services", "services/shop/contracts/orders"])
def test_every_format_names_the_file_from_the_repository_root(
    repo: Path, where: str, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = _outputs(repo, repo / where, capsys, monkeypatch)
    (finding,) = json.loads(outputs["json"])["findings"]
    assert finding["file"] == FILE
    assert f"file={FILE}," in outputs["github"]
    sarif = json.loads(outputs["sarif"])
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == FILE
    assert f"{FILE}:1" in outputs["text"]


def test_the_restore_hint_works_from_the_repository_root(
    repo: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = _outputs(repo, repo / "services" / "shop", capsys, monkeypatch)
    (finding,) = json.loads(outputs["json"])["findings"]
    command = re.search(r"`(git checkout \S+ -- \S+)`", finding["message"])
    assert command is not None, finding["message"]
    assert command.group(1).endswith(f" -- {FILE}")
    subprocess.run(command.group(1).split(), cwd=repo, check=True, capture_output=True)
    code, _out, _err = run_cli(
        ["check", "--registry", str(repo / "services/shop/contracts"), "--against", "main"],
        capsys,
    )
    assert code == 0
