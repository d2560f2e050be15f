"""A file name holding a NUL character (only a Python caller can pass one: no command
line can) is a file that cannot exist: ``file-not-found`` (an ``AccordError``, exit 2),
never Python's ``ValueError: embedded null byte`` (an internal error, exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from _registry_builders import publish
from accord.cli import main
from accord.core.jsondoc import load_path
from accord.errors import AccordError

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAMES = ["\x00", "schema\x00.json", "dir/\x00/x.json"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    publish(root, "orders.thing", {"1.0.0": {"$schema": DIALECT, "type": "object"}})
    return root


@pytest.mark.parametrize("name", NAMES)
def test_the_loader_says_no_such_file(name: str) -> None:
    with pytest.raises(AccordError) as refused:
        load_path(Path(name))
    assert refused.value.code == "file-not-found"


@pytest.mark.parametrize("name", NAMES)
def test_accord_diff_refuses_it(name: str) -> None:
    with pytest.raises(AccordError) as refused:
        accord.diff(old_path=name, new_schema={"type": "object"})
    assert refused.value.code == "file-not-found"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "command",
    [
        ["diff", "{name}", "orders.thing@1.0.0"],
        ["validate", "orders.thing@1.0.0", "{name}"],
        ["pact", "import", "{name}"],
        ["publish", "orders.thing", "--schema", "{name}"],
    ],
    ids=["diff", "validate", "pact-import", "publish"],
)
def test_every_command_says_exit_2(
    command: list[str], name: str, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [part.replace("{name}", name) for part in command]
    code = main([*argv, "--registry", str(root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "internal error" not in err
    assert "file-not-found" in err


@pytest.mark.parametrize(
    "key", ["registry", "cache-dir", "codegen-output", "manifest", "ignore-file"]
)
def test_a_pyproject_path_holding_a_nul_is_exit_2(
    key: str,
    root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A pyproject.toml can spell a NUL ("\u0000"); `registry` made every command that
    # reads [tool.accord] an internal error (ValueError: embedded null byte).
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORD_CACHE_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text(f'[tool.accord]\n{key} = "x\\u0000y"\n')
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert f"/tool/accord/{key}" in err
