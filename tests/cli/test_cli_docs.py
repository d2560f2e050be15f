"""docs/cli.md is generated from the argument parser (scripts/cli_docs.py) and kept true."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from types import ModuleType

from accord.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_page_is_up_to_date() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == _script().render(), "docs/cli.md is stale: run python scripts/cli_docs.py"


def test_cli_page_names_every_command_and_option() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    script = _script()
    commands = list(script._commands(build_parser()))
    assert len(commands) >= 25
    for path, _, parser in commands:
        assert f"`{' '.join(('accord', *path))}`" in page
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            for option in action.option_strings:
                assert f"`{option}" in page, (path, option)
            # every argument says what it is for (the page, and --help, would be mute)
            assert action.help, (path, action.dest)


def test_check_mode_reports_a_stale_page(tmp_path: Path) -> None:
    script = _script()
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    script.PAGE = stale
    script.ROOT = tmp_path
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    assert script.main(["--check"]) == 0


def _option_help(path: tuple[str, ...], option: str) -> str:
    for found, _, parser in _script()._commands(build_parser()):
        if tuple(found) == path:
            for action in parser._actions:
                if option in action.option_strings:
                    return str(action.help)
    raise AssertionError((path, option))


def test_help_says_what_each_command_does_with_the_option() -> None:
    # One shared --remote help said "push to / fetch from" on both record commands.
    assert "fetch from" in _option_help(("records", "pull"), "--remote")
    assert "push" not in _option_help(("records", "pull"), "--remote")
    assert "push to" in _option_help(("records", "push"), "--remote")
    # [tool.accord] wins over the built-in default: --help must say so.
    assert "[tool.accord] format" in _option_help(("check",), "--format")
    assert "[tool.accord] fail-on" in _option_help(("check",), "--fail-on")
