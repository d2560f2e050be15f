"""The ``accord`` argument parser (imported only when a command runs or ``--help``).

Kept out of ``accord/cli/__init__.py`` so that ``accord --version`` imports neither
argparse nor any command module.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterable
from typing import NoReturn

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
            close = difflib.get_close_matches(wrong[1], choices, n=1, cutoff=0.6)
            if close:
                message = f"{message}; did you mean '{close[0]}'?"
        self.print_usage(sys.stderr)
        sys.stderr.write(escape_output(f"error[usage]: {message}\n"))
        raise ParserExit(_EXIT_USAGE)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


def build_parser(modules: Iterable[str], *, version: str) -> argparse.ArgumentParser:
    """The full argument parser, each of ``modules`` registering its commands."""
    parser = Parser(
        prog="accord",
        description="Schema-first contract registry: versioned JSON Schemas, "
        "compatibility checks and validators.",
        epilog="Exit codes: 0 success, 1 findings, 2 bad input or usage, 3 internal error. "
        "Set ACCORD_DEBUG=1 for tracebacks on internal errors.",
    )
    parser.add_argument("--version", action="version", version=version)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser
