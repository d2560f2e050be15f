"""``accord init`` starts a registry; ``accord --help`` lists the commands by task."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord import Registry
from accord.cli import COMMAND_GROUPS, build_parser, main


def test_init_creates_a_registry_that_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--mode", "backward"]) == 0
    out = capsys.readouterr().out
    assert "created contracts/accord.toml" in out
    assert 'registry = "contracts"' in out  # how to make every command find it
    registry = Registry.load(tmp_path / "contracts")
    assert len(registry) == 0
    assert registry.settings.mode == "backward"
    assert (
        main(["new", "--registry", "contracts", "orders.placed", "--owner", "o", "--kind", "event"])
        == 0
    )
    assert main(["lint", "--registry", "contracts"]) == 0


def test_init_never_overwrites_a_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "accord.toml"
    settings.write_text('mode = "none"\n', encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "error[registry-exists]" in capsys.readouterr().err
    assert settings.read_text(encoding="utf-8") == 'mode = "none"\n'


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "afile"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target)]) == 2
    assert "error[out-not-directory]" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "x"


def test_existing_folder_of_contracts_becomes_a_registry(tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "accord.toml").is_file()
    assert (tmp_path / "orders").is_dir()


def _registered() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return list(sub.choices)  # type: ignore[arg-type]


def test_every_command_has_a_task_group() -> None:
    grouped = [name for _, names in COMMAND_GROUPS for name in names]
    assert len(grouped) == len(set(grouped))
    assert set(_registered()) == set(grouped), set(_registered()) ^ set(grouped)


def test_help_lists_commands_by_task(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "other:" not in out
    headings = [title for title, _ in COMMAND_GROUPS]
    positions = [out.index(f"{title}:") for title in headings]
    assert positions == sorted(positions)
    # a team starts a registry before it publishes, and publishes before it verifies
    assert out.index("    init ") < out.index("    publish ") < out.index("    can-i-deploy ")


def _registered_by_module() -> dict[str, tuple[str, str]]:
    import importlib

    from accord.cli import _command_modules
    from accord.cli._parser import Parser

    found: dict[str, tuple[str, str]] = {}
    for module in _command_modules():
        sub = Parser(prog="accord").add_subparsers(dest="command")
        importlib.import_module(module).register(sub)
        for action in sub._choices_actions:
            found[action.dest] = (module.rsplit(".", 1)[1], str(action.help))
    return found


def test_the_command_table_is_what_the_modules_register() -> None:
    # `accord --help` and dispatch read the table instead of importing every module.
    from accord.cli._commands import COMMANDS

    assert _registered_by_module() == COMMANDS


@pytest.mark.parametrize("arguments", [["--help"], ["-h"], [], ["--help", "-h"]])
def test_help_from_the_table_is_the_full_parsers_help(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import _parser_for

    monkeypatch.setenv("COLUMNS", "100")
    assert _parser_for(arguments).format_help() == build_parser().format_help()


@pytest.mark.parametrize("command", ["check", "records", "verify", "site"])
def test_a_command_parser_is_the_full_parsers_for_that_command(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.cli import _parser_for

    monkeypatch.setenv("COLUMNS", "100")

    def sub(parser: object) -> object:
        action = next(a for a in parser._actions if a.dest == "command")  # type: ignore[attr-defined]
        return action.choices[command]

    assert sub(_parser_for([command])).format_help() == sub(build_parser()).format_help()


def test_new_refuses_a_provider_no_record_can_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "contracts"]) == 0
    capsys.readouterr()
    argv = ["new", "--registry", "contracts", "orders.placed", "--owner", "o", "--kind", "event"]
    assert main([*argv, "--provider", "../orders"]) == 2
    err = capsys.readouterr().err
    assert "config-invalid-value" in err
    assert "/provider" in err
    assert "Traceback" not in err
    assert not (tmp_path / "contracts" / "orders").exists()  # nothing written
    assert main([*argv, "--provider", "orders-service"]) == 0
    assert Registry.load(tmp_path / "contracts").contract("orders.placed").meta.provider == (
        "orders-service"
    )
