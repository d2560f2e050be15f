"""Expectation writers never write through a symlinked directory of the registry.

A symlinked expectation *file* was refused, but ``consumers/`` or
``consumers/<consumer>/`` as a symlink was followed: ``accord pact import``, ``accord
expectations export --to CENTRAL`` and ``Expectation.write`` (the pytest fixture) wrote
the expectation, and a lock file, wherever the link pointed. Each now refuses with
``path-symlink`` naming the link (exit 2 from the CLI) and writes nothing there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.consumers import Expectation, integer
from accord.errors import DocumentError

REPO = Path(__file__).resolve().parents[2]
PACT = {
    "consumer": {"name": "web"},
    "provider": {"name": "users-service"},
    "interactions": [
        {
            "description": "get user",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {"status": 200, "body": {"id": 1}},
        }
    ],
    "metadata": {"pactSpecification": {"version": "3.0.0"}},
}
MAP = ["--map", "GET /users/{id} 200=users.user@^1"]


def _registry(tmp_path: Path, name: str = "reg") -> Path:
    root = tmp_path / name
    shutil.copytree(REPO / "contracts", root)
    return root


def _link(link: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    if link.exists():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)
    return target


@pytest.mark.parametrize("link", ["consumers", "consumers/web"])
def test_pact_import_refuses_a_symlinked_directory(
    link: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path)
    outside = _link(root / link, tmp_path / "outside")
    pact = tmp_path / "web.json"
    pact.write_text(json.dumps(PACT))
    code = main(["pact", "import", str(pact), *MAP, "--registry", str(root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"error[path-symlink]: {link}:"), err
    assert list(outside.rglob("*")) == []


@pytest.mark.parametrize("link", ["consumers", "consumers/billing"])
def test_expectations_export_refuses_a_symlinked_directory_in_the_target(
    link: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _registry(tmp_path, "local")
    central = _registry(tmp_path, "central")
    outside = _link(central / link, tmp_path / "outside")
    code = main(["expectations", "export", "--to", str(central), "--registry", str(source)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"error[path-symlink]: {link}:"), err
    assert list(outside.rglob("*")) == []


@pytest.mark.parametrize("link", ["consumers", "consumers/billing"])
def test_expectation_write_refuses_a_symlinked_directory(link: str, tmp_path: Path) -> None:
    root = tmp_path / "reg"
    outside = _link(root / link, tmp_path / "outside")
    e = Expectation("billing", provider="users-service")
    e.upon_receiving("get user").with_request("GET", "/users/1").will_respond_with(
        200, body={"id": integer(1)}
    )
    with pytest.raises(DocumentError) as refused:
        e.write(root)
    assert refused.value.code == "path-symlink"
    assert refused.value.file == link
    assert list(outside.rglob("*")) == []


def test_plain_directories_are_still_written(tmp_path: Path) -> None:
    root = _registry(tmp_path)
    pact = tmp_path / "web.json"
    pact.write_text(json.dumps(PACT))
    assert main(["pact", "import", str(pact), *MAP, "--registry", str(root)]) == 0
    assert (root / "consumers" / "web" / "users-service.json").is_file()
    central = _registry(tmp_path, "central")
    shutil.rmtree(central / "consumers")
    export = ["expectations", "export", "--to", str(central), "--consumer-version", "2.0.0"]
    assert main([*export, "--registry", str(root)]) == 0
    assert (central / "consumers" / "web" / "users-service.json").is_file()


def test_fmt_refuses_a_draft_under_a_symlinked_namespace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fmt`` reads files before the registry loads (so a broken draft can be fixed),
    and it rewrote a draft through a symlinked namespace, outside the registry."""
    root = _registry(tmp_path)
    outside = _link(root / "billing", tmp_path / "outside")
    draft = outside / "invoice" / "1.0.0.schema.json"
    draft.parent.mkdir()
    draft.write_text('{"type": "object",   "title": "x"}')
    before = draft.read_bytes()
    code = main(["fmt", "--registry", str(root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error[path-symlink]: billing:"), err
    assert draft.read_bytes() == before


def test_new_refuses_a_symlinked_namespace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _registry(tmp_path)
    outside = _link(root / "billing", tmp_path / "outside")
    code = main(
        ["new", "billing.invoice", "--owner", "o", "--kind", "event", "--registry", str(root)]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error[path-symlink]: billing:"), err
    assert list(outside.rglob("*")) == []
