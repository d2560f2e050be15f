"""The ``accord`` argument parser (imported only when a command runs or ``--help``).

Kept out of ``accord/cli/__init__.py`` so that ``accord --version`` imports neither
argparse nor any command module.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

__all__ = ["Parser", "ParserExit", "build_parser"]

# accord.cli.EXIT_USAGE (not imported: accord.cli imports this module).
_EXIT_USAGE = 2


class ParserExit(Exception):
    """argparse wants to stop (``--help``, ``--version`` or a usage error)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that returns exit codes instead of calling ``sys.exit``."""

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        from accord.core.text import escape_output

        # `accord lsit`: name the closest command instead of only listing them all.
        wrong = re.match(r"argument \S+: invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if wrong is not None:
            choices = re.findall(r"'([^']*)'", wrong[2])
            close = difflib.get_close_matches(wrong[1], choices, n=3, cutoff=0.6)
            # `lsit` is as close to `site` as to `list` for difflib; a swapped pair of
            # letters is one edit, so prefer the fewest edits (stable: ties keep difflib's).
            close.sort(key=lambda choice: _edits(wrong[1], choice))
            if close:
                message = f"{message}; did you mean '{close[0]}'?"
        self.print_usage(sys.stderr)
        sys.stderr.write(escape_output(f"error[usage]: {message}\n"))
        raise ParserExit(_EXIT_USAGE)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


def _edits(a: str, b: str) -> int:
    """Edit distance counting a swap of two adjacent letters as one edit (OSA)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(
                rows[-1][j] + 1,
                row[j - 1] + 1,
                rows[-1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


class _Heading(argparse.Action):
    """A line in the command list of ``accord --help`` that names a group of commands."""

    def __init__(self, title: str) -> None:
        super().__init__(option_strings=[], dest=title, metavar=f"{title}:", help=None)

    def __call__(self, *args: object, **kwargs: object) -> None:  # never parsed
        raise NotImplementedError


def _group_commands(
    subparsers: argparse._SubParsersAction[Any], groups: tuple[tuple[str, tuple[str, ...]], ...]
) -> None:
    listed = {action.dest: action for action in subparsers._choices_actions}
    ordered: list[argparse.Action] = []
    for title, commands in (*groups, ("other", tuple(listed))):
        members = [listed.pop(name) for name in commands if name in listed]
        if members:
            ordered += [_Heading(title), *members]
    subparsers._choices_actions[:] = ordered


def build_parser(
    modules: Iterable[str],
    *,
    version: str,
    groups: tuple[tuple[str, tuple[str, ...]], ...] = (),
    listed: Mapping[str, str] | None = None,
) -> argparse.ArgumentParser:
    """The argument parser: each of ``modules`` registers its commands, listed in
    ``accord --help`` under the headings of ``groups``.

    ``listed``: more commands (name -> help), only listed: a parser that is only to
    print ``accord --help`` needs no command module's arguments.
    """
    parser = Parser(
        prog="accord",
        description="Schema-first contract registry: versioned JSON Schemas, "
        "compatibility checks and validators.",
        epilog="Exit codes: 0 success, 1 findings, 2 bad input or usage, 3 internal error. "
        "Set ACCORD_DEBUG=1 for tracebacks on internal errors.",
    )
    parser.add_argument("--version", action="version", version=version)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for command, line in (listed or {}).items():
        subparsers.add_parser(command, help=line)
    for name in modules:
        importlib.import_module(name).register(subparsers)
    _group_commands(subparsers, groups)
    return parser
