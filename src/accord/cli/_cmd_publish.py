"""``accord publish``, ``accord new``, ``accord yank`` and ``accord retire``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import add_format_arg, registry_root, style, write_json, write_warnings
from accord.cli._common import add_registry_arg as _add_registry
from accord.registry.config import MODES


def register(subparsers: Any) -> None:
    """Add ``init``, ``publish``, ``new``, ``yank`` and ``retire``."""
    p = subparsers.add_parser(
        "init",
        help="start a registry: create the directory and its accord.toml",
        description="Create DIRECTORY (default: ./contracts) with an accord.toml that "
        "documents every registry setting. An existing directory becomes a registry; one "
        "that already has an accord.toml is refused (exit 2), nothing is overwritten.",
    )
    p.add_argument(
        "directory",
        metavar="DIRECTORY",
        nargs="?",
        type=Path,
        default=Path("contracts"),
        help="where the registry lives (default: ./contracts)",
    )
    p.add_argument(
        "--mode",
        choices=MODES,
        default="full",
        help="default compatibility mode of its contracts (default: full)",
    )
    p.set_defaults(handler=run, command="init")

    p = subparsers.add_parser(
        "publish",
        help="publish the next version of a contract (writes the file and accord.lock)",
        description="Diff the schema against the contract's previous version under its "
        "mode and publish it: with no --version, as the smallest allowed next version (past "
        "numbers yanked versions hold); "
        "with --version, refusing (exit 1) a number whose bump is below the required one. "
        "Identical content is a no-op; re-running an interrupted publish completes it. "
        "Exit 1 also when another publisher won the race for the same version, or when the "
        "content is a yanked version's. The schema "
        "is checked as lint checks a version file, under accord.toml's [lint.rules]: lint's "
        "warnings (a draft-07 schema is schema-dialect-upgrade) are printed on stderr.",
    )
    p.add_argument("contract", metavar="CONTRACT", help="contract id, e.g. orders.order-placed")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--schema", metavar="FILE", type=Path, help="JSON Schema file")
    source.add_argument(
        "--model",
        metavar="SPEC",
        help="Pydantic model, module:Class or path/to/file.py:Class (exported through the "
        "Pydantic profile)",
    )
    p.add_argument(
        "--version", metavar="X.Y.Z", help="version to publish (default: smallest allowed)"
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="decide and print what would be published; write nothing",
    )
    _add_registry(p)
    add_format_arg(p)
    p.set_defaults(handler=run, command="publish")

    p = subparsers.add_parser(
        "new",
        help="scaffold a contract directory with contract.toml",
        description="Create <registry>/<namespace>/<name>/contract.toml.",
    )
    p.add_argument("contract", metavar="CONTRACT", help="contract id, e.g. orders.order-placed")
    p.add_argument("--owner", required=True, help="owning team")
    p.add_argument(
        "--kind",
        required=True,
        choices=("event", "request", "response", "record"),
        help="what the payload is",
    )
    p.add_argument(
        "--mode",
        choices=MODES,
        help="compatibility mode (default: accord.toml's, else full)",
    )
    p.add_argument("--provider", help="service producing this payload")
    p.add_argument("--description", help="what the contract is for")
    _add_registry(p)
    p.set_defaults(handler=run, command="new")

    p = subparsers.add_parser(
        "yank",
        help="mark a published version bad (the file stays; ranges skip it)",
        description="Record CONTRACT@VERSION as yanked in contract.toml with the reason. "
        "Its file stays, exact pins keep working, ranges and previous-version lookups skip it.",
    )
    p.add_argument("ref", metavar="CONTRACT@VERSION", help="the exact version to yank")
    p.add_argument(
        "--reason",
        required=True,
        help="why (shown to consumers; a placeholder such as TODO or n/a is refused)",
    )
    _add_registry(p)
    p.set_defaults(handler=run, command="yank")

    p = subparsers.add_parser(
        "retire",
        help="end a contract: no new versions; files stay",
        description='Set status = "retired" in the contract\'s contract.toml. Its files '
        "stay so pinned consumers keep working; it takes no new versions.",
    )
    p.add_argument("contract", metavar="CONTRACT", help="contract id")
    _add_registry(p)
    p.set_defaults(handler=run, command="retire")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Dispatch to the sub-command named by ``args.command``."""
    from accord.gate import publish as _publish

    command: str = args.command
    if command == "init":
        return _init(args, out)
    root = registry_root(args)
    if command == "new":
        directory = _publish.new_contract(
            root,
            args.contract,
            owner=args.owner,
            kind=args.kind,
            mode=args.mode,
            provider=args.provider,
            description=args.description,
        )
        out.write(f"created {directory / 'contract.toml'}\n")
        return EXIT_OK
    if command == "yank":
        changed = _publish.yank(root, args.ref, reason=args.reason)
        out.write(f"yanked {args.ref}\n" if changed else f"{args.ref} was already yanked\n")
        return EXIT_OK
    if command == "retire":
        changed = _publish.retire(root, args.contract)
        out.write(
            f"retired {args.contract}\n" if changed else f"{args.contract} was already retired\n"
        )
        return EXIT_OK
    return _publish_command(args, out, root)


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from accord.cli._common import display_path
    from accord.gate import publish as _publish

    settings = _publish.init_registry(args.directory, mode=args.mode)
    root = display_path(args.directory)
    out.write(
        f"created {display_path(settings)}\n"
        "next:\n"
        f"  accord new --registry {root} orders.order-placed --owner orders-team --kind event\n"
        f"  accord publish --registry {root} orders.order-placed --schema order-placed.json\n"
        "and, so every accord command finds it, in pyproject.toml:\n"
        f'  [tool.accord]\n  registry = "{root}"\n'
    )
    return EXIT_OK


def _publish_command(args: argparse.Namespace, out: TextIO, root: Path) -> int:
    from accord.core import jsondoc as _jsondoc
    from accord.gate import publish as _publish

    if args.schema is not None:
        # Published bytes are canonical_dumps of this document: a decimal no float holds
        # exactly would be published rounded, so it is refused instead.
        document = _jsondoc.load_path(args.schema, display=str(args.schema), refuse_inexact=True)
        source = str(args.schema)
    else:
        sys.path.insert(0, str(Path.cwd()))
        document = _publish.export_model_schema(_publish.load_model(args.model))
        source = args.model
    result = _publish.publish(
        root, args.contract, document, version=args.version, source=source, dry_run=args.dry_run
    )
    if args.format == "json":
        write_json(out, result.to_json())
        return EXIT_OK if result.ok else EXIT_FINDINGS
    write_warnings(result.warnings)
    colour = "green" if result.ok else "red"
    status = f"{result.status} (dry run)" if result.dry_run else result.status
    out.write(style(out, status, colour, "bold") + f": {result.message}\n")
    for reason in result.reasons:
        out.write(f"  {reason}\n")
    if result.ok:
        for change in result.unexplained_changes:
            out.write(f"  {change.rule} at {change.instance_path or '/'}: {change.message}\n")
    return EXIT_OK if result.ok else EXIT_FINDINGS
