"""Arguments and output helpers shared by the command modules.

Kept import-light: only the standard library and accord's own small modules at the top;
the registry and anything that pulls in a validator are imported on use.
"""

from __future__ import annotations

import argparse
import json
import os
import string
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from accord.core import jsondoc as _jsondoc
from accord.core.text import plural as plural  # noqa: PLC0414 - re-exported for the commands

if TYPE_CHECKING:
    from accord.errors import Problem
    from accord.registry.model import Registry


FORMAT_VERSION = _jsondoc.FORMAT_VERSION

_COLOURS = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "dim": "2"}


def add_registry_arg(parser: argparse.ArgumentParser) -> None:
    """Add ``--registry DIR`` (default: ``[tool.accord] registry``, else ``./contracts``)."""
    parser.add_argument(
        "--registry",
        metavar="DIR",
        type=Path,
        default=None,
        help="registry root (default: [tool.accord] registry in the nearest "
        "pyproject.toml, else ./contracts)",
    )


def add_format_arg(
    parser: argparse.ArgumentParser, choices: Sequence[str] = ("text", "json")
) -> None:
    """Add ``--format`` with ``choices``.

    The default is ``[tool.accord] format`` of the nearest ``pyproject.toml`` when it is
    one of ``choices``, else the first choice; :func:`resolve_format` fills it in after
    parsing (``main`` does), so ``--help`` never reads a file.
    """
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=None,
        help=f"output format (default: [tool.accord] format, else {choices[0]})",
    )
    parser.set_defaults(format_choices=tuple(choices))


def resolve_format(args: argparse.Namespace) -> None:
    """Fill in ``args.format`` when ``--format`` was not given (see :func:`add_format_arg`)."""
    choices: tuple[str, ...] | None = getattr(args, "format_choices", None)
    if choices is None or getattr(args, "format", None) is not None:
        return
    from pathlib import Path

    from accord.registry.config import find_project_config

    configured = find_project_config(Path.cwd()).format
    args.format = configured if configured in choices else choices[0]


def registry_root(args: argparse.Namespace) -> Path:
    """The registry root, found the way :meth:`Registry.discover` finds it, without loading.

    For commands that must run on a registry that does not load (``lint``, ``fmt``).
    """
    explicit: Path | None = getattr(args, "registry", None)
    if explicit is not None:
        return explicit
    from accord.registry.config import find_project_config

    tool = find_project_config(Path.cwd())
    return tool.registry if tool.registry is not None else Path.cwd() / "contracts"


def discovered_root(args: argparse.Namespace) -> Path:
    """The registry root read-only commands use, found exactly as ``list`` and
    ``validate`` find it (:func:`accord.registry.discovery.resolve_registry`: ``--registry``,
    ``ACCORD_REGISTRY``, ``[tool.accord] registry``, an installed registry package,
    ``./contracts``), without loading it.
    """
    from accord.registry.discovery import resolve_registry

    root, _source = resolve_registry(getattr(args, "registry", None))
    return root


def load_registry(args: argparse.Namespace) -> Registry:
    """Load the registry named by ``--registry``, else discovered (``Registry.discover``).

    Raises:
        RegistryError: the registry has errors (every problem is attached).
    """
    from accord.registry.model import Registry

    return Registry.discover(getattr(args, "registry", None))


def write_json(out: TextIO, obj: Any) -> None:
    """Write ``obj`` as stable JSON: sorted keys, 2-space indent, trailing newline."""
    out.write(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=_default))
    out.write("\n")


def _default(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, Path):
        return value.as_posix()
    return str(value)


def use_colour(out: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def style(out: TextIO, text: str, *names: str) -> str:
    """``text`` wrapped in ANSI styles when ``out`` takes colour, else unchanged."""
    if not names or not use_colour(out):
        return text
    codes = ";".join(_COLOURS[name] for name in names)
    return f"\x1b[{codes}m{text}\x1b[0m"


def display_path(path: Path | str) -> str:
    """``path`` relative to the working directory when under it (clickable in terminals).

    A relative path starting with anything but a letter, digit, ``_`` or ``.`` is shown
    as ``./path``: paths start lines, and a file named ``::error::x`` (or
    ``::stop-commands::x``) would be read by GitHub Actions as a workflow command.
    """
    candidate = Path(path)
    try:
        shown = candidate.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = candidate.as_posix()
    if shown[:1] not in _PLAIN_START:
        return f"./{shown}"
    return shown


_PLAIN_START = frozenset(string.ascii_letters + string.digits + "_./")


def write_warnings(problems: Sequence[Problem]) -> None:
    """``warning[<code>]: <file>#<pointer>: <message>`` on stderr for each of ``problems``
    (what lint warns of in a schema ``publish`` or ``import-openapi`` was given)."""
    from typing import cast

    from accord.core.text import TerminalSafeWriter

    err = cast(TextIO, TerminalSafeWriter(sys.stderr))
    for problem in problems:
        err.write(f"warning[{problem.code}]: {problem.location()}: {problem.message}\n")


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns separated by two spaces; the first row is the header."""
    if not rows:
        return []
    from accord.core.text import escape_control

    rows = [[escape_control(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
