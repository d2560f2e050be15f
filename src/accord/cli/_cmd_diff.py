"""``accord diff OLD NEW``: compare two schemas (files or registry references)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import add_format_arg, add_registry_arg, load_registry, write_json
from accord.registry.config import MODES


def register(subparsers: Any) -> None:
    """Add ``diff``."""
    p = subparsers.add_parser(
        "diff",
        help="compare two schemas and report every change",
        description="Compare OLD with NEW (JSON Schema files, or registry references such "
        "as orders.order-placed@1.0.0) and report both directions, every change with its "
        "rule and witness, and the required bump. Exit 0 when NEW is compatible under the "
        "mode, 1 when it is not, 2 on bad input.",
    )
    p.add_argument("old", metavar="OLD", help="schema file or registry reference")
    p.add_argument("new", metavar="NEW", help="schema file or registry reference")
    p.add_argument(
        "--mode",
        choices=MODES,
        default=None,
        help="compatibility mode (default: the contract's mode for registry references, else full)",
    )
    p.add_argument(
        "--semantics",
        choices=("contract", "set"),
        default="contract",
        help="contract (writers emit only declared keys; removals break) or set "
        "(plain set inclusion); default: contract",
    )
    p.add_argument(
        "--max-steps",
        type=int,
        default=None,
        metavar="N",
        help="the engine's step budget (over budget a direction is unproven)",
    )
    p.add_argument(
        "--version",
        metavar="X.Y.Z",
        default=None,
        help="the version NEW (a file) would be published as: the consumers named are "
        "those whose range selects it (default: those whose range selects OLD)",
    )
    add_format_arg(p, ("text", "json", "markdown"))
    add_registry_arg(p)
    p.set_defaults(handler=run)


def _needs_registry(args: argparse.Namespace) -> bool:
    """A registry is loaded only for references (so a missing file is reported as such)."""
    if args.registry is not None:
        return True
    return any(
        "@" in value and not value.endswith(".json") and not _exists(value)
        for value in (args.old, args.new)
    )


def _exists(value: str) -> bool:
    try:
        return Path(value).exists()
    except (OSError, ValueError):  # a name too long to stat, or with a NUL: no such file
        return False


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the report; 0 when compatible under the mode, 1 when not."""
    from accord.compat import DEFAULT_MAX_STEPS, classify, diff, render_markdown, render_text
    from accord.errors import UsageError

    if args.max_steps is not None and args.max_steps < 1:
        raise UsageError("--max-steps must be a positive integer")
    if args.version is not None:
        from accord.versions import Version

        if _is_reference(args.new):
            raise UsageError(
                "--version states the version of NEW when it is a file; "
                f"{args.new!r} is a registry reference and has its own"
            )
        if not _is_reference(args.old):
            raise UsageError(
                "--version names the consumers of OLD's contract: OLD must be a registry "
                "reference (ns.name@X.Y.Z)"
            )
        Version.parse(args.version)
    registry = load_registry(args) if _needs_registry(args) else None
    # Command-line arguments are strings: an existing file, else a reference.
    sides = {
        f"{which}_{classify(value)}": value
        for which, value in (("old", args.old), ("new", args.new))
    }
    report = diff(
        **sides,
        mode=args.mode,
        semantics=args.semantics,
        max_steps=args.max_steps or DEFAULT_MAX_STEPS,
        registry=registry,
    )
    impacts: list[str] = []
    if registry is not None:
        report, impacts = _consumer_impact(registry, args, report)
    if args.format == "json":
        write_json(out, report.to_json())
    elif args.format == "markdown":
        out.write(render_markdown(report))
        out.writelines(f"- {line}\n" for line in impacts)
    else:
        out.write(render_text(report))
        out.writelines(f"  consumers: {line}\n" for line in impacts)
    return EXIT_OK if report.compatible else EXIT_FINDINGS


def _is_reference(value: str) -> bool:
    return not Path(value).exists() and "@" in value and not value.endswith(".json")


def _consumer_impact(registry: Any, args: argparse.Namespace, report: Any) -> tuple[Any, list[str]]:
    """Name the registered consumers each breaking change hurts, when a side is a
    registry reference (docs/design.md: "when consumers are registered, the consumers and
    fields it breaks"): the consumers whose range selects NEW's version (a reference's,
    or ``--version`` for a file), else OLD's."""
    from accord.consumers._impact import annotate, describe
    from accord.core.jsondoc import canonical_dumps, load_path

    old = registry.get(args.old) if _is_reference(args.old) else None
    new = registry.get(args.new) if _is_reference(args.new) else None
    if old is not None and new is not None and old.contract_id != new.contract_id:
        return report, []
    known = new or old
    if known is None or not (registry.root / "consumers").is_dir():
        return report, []
    if new is not None:
        new_schema = registry.bundle(new)
    else:
        document = load_path(Path(args.new))
        # a file that refers to other contracts was bundled by diff: judge the fields
        # by location alone rather than against an unbundled schema
        new_schema = None if "accord://" in canonical_dumps(document) else document
    report = annotate(
        report,
        registry.root,
        known.contract_id,
        old_version=str(old.version) if old is not None else None,
        new_version=str(new.version) if new is not None else args.version,
        new_schema=new_schema,
    )
    lines = [describe(c) for c in report.changes if c.breaks]
    return report, lines
