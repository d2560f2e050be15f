"""The ``accord`` command line: ``main(argv) -> exit code``.

Each command group lives in a module ``accord.cli._cmd_<name>`` exposing
``register(subparsers)`` (adds its sub-parsers with ``set_defaults(handler=run)``) and
``run(args, out) -> int``. Every such module in this package is registered; its commands
are also listed in ``accord.cli._commands`` (module and help line), so that ``accord
COMMAND`` imports only its own module and ``accord --help`` none (a test keeps the table
equal to what the modules register).

Exit codes (docs/design.md): 0 success, 1 findings (invalid payload, breaking change, files
that would change), 2 bad input or usage, 3 internal error.

Nothing heavy is imported here or at the top level of a command module: ``accord
--help`` and ``accord --version`` must start instantly, so jsonschema, jsonschema-rs,
referencing and pydantic are imported inside the handlers that need them.

Layer: the top; may import every other layer. The only place that prints or
returns exit codes.
"""

from __future__ import annotations

import os
import sys

from accord._version import __version__

# Not `from typing import TYPE_CHECKING`: `accord --version` imports nothing it does not
# need (typing, argparse, dataclasses and pathlib are each a sizeable part of its
# start-up); type checkers read any constant of this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Protocol, TextIO

    from accord.errors import AccordError

    class _Handler(Protocol):
        def __call__(self, args: argparse.Namespace, out: TextIO) -> int: ...


__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

# Order here is the order of ``accord --help``; any other ``_cmd_*`` module in this
# package is registered after these, by name.
_COMMAND_MODULES = (
    "accord.cli._cmd_registry",
    "accord.cli._cmd_validate",
    "accord.cli._cmd_diff",
    "accord.cli._cmd_rules",
)


# `accord --help` lists the commands by task, in the order a team meets them; a command
# missing here is listed under "other" (a test keeps this table complete).
COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("start and browse", ("init", "list", "show", "consumers", "site")),
    ("author and publish", ("new", "fmt", "lint", "publish", "yank", "retire", "import-openapi")),
    ("check changes", ("diff", "check", "changelog", "rules", "explain")),
    ("use in services", ("validate", "codegen", "package")),
    (
        "consumer contracts",
        (
            "pact",
            "expectations",
            "verify",
            "records",
            "record-deployment",
            "record-release",
            "record-undeployment",
            "can-i-deploy",
        ),
    ),
)


# Commands whose output is the whole answer (no verdict in the exit code): a reader that
# stops early (`| head`) leaves them successful.
READ_ONLY_COMMANDS = frozenset({"list", "show", "consumers", "rules", "explain", "changelog"})


def _command_modules() -> list[str]:
    import pkgutil

    found = {
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("_cmd_")
    }
    known = [name for name in _COMMAND_MODULES if name in found]
    return known + sorted(found - set(known))


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every command module that is installed."""
    from accord.cli._parser import build_parser as build

    return build(_command_modules(), version=f"accord {__version__}", groups=COMMAND_GROUPS)


def _parser_for(arguments: list[str]) -> argparse.ArgumentParser:
    """The parser ``arguments`` need: ``accord COMMAND ...`` registers only the module
    of ``COMMAND``, ``accord --help`` lists the commands from their table
    (:mod:`accord.cli._commands`); anything else (a typo, say) gets the full parser."""
    from accord.cli._commands import COMMANDS
    from accord.cli._parser import build_parser as build

    version = f"accord {__version__}"
    if arguments and arguments[0] in COMMANDS:
        module = f"{__name__}.{COMMANDS[arguments[0]][0]}"
        return build([module], version=version, groups=COMMAND_GROUPS)
    if all(argument in ("-h", "--help") for argument in arguments):
        modules = _command_modules()
        listed = {
            command: line
            for command, (module, line) in COMMANDS.items()
            if f"{__name__}.{module}" in modules
        }
        known = {f"{__name__}.{module}" for module, _ in COMMANDS.values()}
        unlisted = [name for name in modules if name not in known]
        return build(unlisted, version=version, groups=COMMAND_GROUPS, listed=listed)
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``accord`` command line and return its exit code.

    Args:
        argv: Arguments without the program name (``sys.argv[1:]`` when ``None``).

    Example:
        >>> main(["--version"])  # doctest: +SKIP
        accord 0.1.0
        0
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:
        # The one path that must start instantly: no parser, no command module.
        sys.stdout.write(f"accord {__version__}\n")
        return EXIT_OK
    from typing import TextIO, cast

    from accord.cli._parser import ParserExit
    from accord.core.text import TerminalSafeWriter

    # Every byte the CLI prints goes through one escape (accord.core.text): user-controlled
    # names and messages cannot drive the terminal.
    out = cast(TextIO, TerminalSafeWriter(sys.stdout))
    command: str | None = None
    try:
        parser = _parser_for(arguments)
        try:
            args = parser.parse_args(arguments)
        except ParserExit as stop:
            return stop.status
        handler: _Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        from accord.cli._common import resolve_format

        command = getattr(args, "command", None)
        resolve_format(args)
        return handler(args, out)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        # `accord show X | head -1`: the reader went away; say nothing more. A command
        # that only prints succeeded (the reader has what it asked for); a command whose
        # exit code is a verdict did not get to say it, so it never turns into a "yes"
        # under `set -o pipefail`.
        _silence_stdout()
        return EXIT_OK if command in READ_ONLY_COMMANDS else EXIT_FINDINGS
    except Exception as exc:  # noqa: BLE001 - the CLI's last line: exit 2 or 3, never a traceback
        from accord.errors import AccordError, ContractViolation, IncompatibleChange

        if isinstance(exc, (ContractViolation, IncompatibleChange)):
            # Raised (rather than returned) findings are still findings, not bad input.
            report_error(exc)
            return EXIT_FINDINGS
        if isinstance(exc, AccordError):
            report_error(exc)
            return EXIT_USAGE
        return _internal_error(exc)


def report_error(exc: AccordError, *, stream: TextIO | None = None) -> None:
    """Print ``error[<code>]: <file>#<pointer>: <message>`` (every problem, if several)."""
    import dataclasses
    from pathlib import Path
    from typing import Any, TextIO, cast

    from accord.core.text import TerminalSafeWriter

    stream = cast(TextIO, TerminalSafeWriter(stream or sys.stderr))
    problems: Any = getattr(exc, "problems", None)
    if isinstance(problems, (list, tuple)) and problems:
        # A registry that does not load: one line per problem, paths from the working
        # directory (problems carry paths relative to the registry root).
        from accord.cli._common import display_path, plural

        root = getattr(exc, "root", None)
        for problem in problems:
            shown = problem
            if root and problem.file and not Path(problem.file).is_absolute():
                shown = dataclasses.replace(problem, file=display_path(Path(root) / problem.file))
            stream.write(f"{shown.severity}[{shown.code}]: {shown.location()}: {shown.message}\n")
        errors = sum(1 for p in problems if p.severity == "error")
        stream.write(f"{plural(errors, 'error')} in registry {display_path(root or '.')}\n")
        return
    where = exc.problem().location() if (exc.file or exc.pointer) else ""
    stream.write(f"error[{exc.code}]: {where + ': ' if where else ''}{exc.message}\n")


def _internal_error(exc: Exception) -> int:
    if os.environ.get("ACCORD_DEBUG") == "1":
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    from accord.core.text import escape_output

    sys.stderr.write(
        escape_output(
            f"accord: internal error ({type(exc).__name__}): {exc}\n"
            f"This is a bug in accord {__version__}: please report it to the accord maintainers "
            "with the output of the same command run with ACCORD_DEBUG=1.\n"
        )
    )
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would raise BrokenPipeError again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
