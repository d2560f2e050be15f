"""``accord list``, ``accord show``, ``accord lint`` and ``accord fmt``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from accord.cli._common import (
    FORMAT_VERSION,
    add_format_arg,
    add_registry_arg,
    display_path,
    load_registry,
    registry_root,
    style,
    table,
    write_json,
)

if TYPE_CHECKING:
    from accord.registry import Contract


def register(subparsers: Any) -> None:
    """Add ``list``, ``show``, ``lint`` and ``fmt``."""
    p = subparsers.add_parser(
        "list",
        help="list contracts, their versions, owners and status",
        description="List every contract in the registry with its versions, owner and status.",
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run, command="list")

    p = subparsers.add_parser(
        "show",
        help="print a contract version's schema",
        description="Print the schema of a contract version, bundled into one self-contained "
        "document (every $ref to another contract embedded under $defs). REF is a contract "
        "id with an optional version or range: orders.order-placed@^1 (default: latest).",
    )
    p.add_argument("ref", metavar="REF", help="contract reference, e.g. users.user@1.1.0")
    p.add_argument("--raw", action="store_true", help="print the version file as written")
    add_registry_arg(p)
    p.set_defaults(handler=run, command="show")

    p = subparsers.add_parser(
        "lint",
        help="check the registry: layout, metadata, schemas, lock, examples",
        description="Check every file in the registry and print every problem as "
        "file:line:col#pointer: code: message. Exit 0 when clean (warnings allowed), "
        "2 when there are errors.",
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run, command="lint")

    p = subparsers.add_parser(
        "fmt",
        help="rewrite unpublished schema files in the canonical layout",
        description="Rewrite schema files that are not yet published (not in accord.lock) "
        "with sorted keys and 2-space indentation. Published files are never touched.",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 listing the files that would change",
    )
    add_registry_arg(p)
    p.set_defaults(handler=run, command="fmt")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Dispatch to the sub-command named by ``args.command``."""
    command: str = args.command
    if command == "list":
        return _list(args, out)
    if command == "show":
        return _show(args, out)
    if command == "lint":
        return _lint(args, out)
    return _fmt(args, out)


# -- list ------------------------------------------------------------------------------


def _contract_json(contract: Contract) -> dict[str, Any]:
    meta = contract.meta
    versions = [
        {
            "version": str(v.version),
            "digest": v.digest,
            "yanked": v.yanked,
        }
        for v in contract.versions
    ]
    live = [str(v.version) for v in contract.versions if not v.yanked]
    return {
        "id": contract.id,
        "namespace": contract.namespace,
        "name": contract.name,
        "owner": meta.owner,
        "provider": meta.provider,
        "kind": meta.kind,
        "mode": meta.mode,
        "status": meta.status,
        "description": meta.description,
        "tags": list(meta.tags),
        "latest": live[-1] if live else None,
        "versions": versions,
    }


def _list(args: argparse.Namespace, out: TextIO) -> int:
    registry = load_registry(args)
    contracts = [_contract_json(registry.contracts[cid]) for cid in sorted(registry.contracts)]
    if args.format == "json":
        write_json(
            out,
            {
                "format_version": FORMAT_VERSION,
                "registry": display_path(registry.root),
                "contracts": contracts,
            },
        )
        return EXIT_OK
    if not contracts:
        out.write(f"no contracts in {display_path(registry.root)}\n")
        return EXIT_OK
    rows = [["CONTRACT", "LATEST", "VERSIONS", "OWNER", "KIND", "STATUS"]]
    for c in contracts:
        shown = [f"{v['version']} (yanked)" if v["yanked"] else v["version"] for v in c["versions"]]
        rows.append(
            [c["id"], c["latest"] or "-", ", ".join(shown), c["owner"], c["kind"], c["status"]]
        )
    lines = table(rows)
    out.write(style(out, lines[0], "bold") + "\n")
    for line in lines[1:]:
        out.write(line + "\n")
    return EXIT_OK


# -- show ------------------------------------------------------------------------------


def _show(args: argparse.Namespace, out: TextIO) -> int:
    registry = load_registry(args)
    if args.raw:
        version = registry.get(args.ref)
        out.write(version.raw.decode("utf-8"))
        return EXIT_OK
    write_json(out, registry.bundle(args.ref))
    return EXIT_OK


# -- lint ------------------------------------------------------------------------------


def _lint(args: argparse.Namespace, out: TextIO) -> int:
    from accord._lint import lint

    root = registry_root(args)
    report = lint(root)
    problems = list(report.problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if args.format == "json":
        write_json(
            out,
            {
                "format_version": FORMAT_VERSION,
                "registry": display_path(root),
                "ok": bool(report.ok),
                "errors": errors,
                "warnings": warnings,
                "problems": [p.to_json() for p in problems],
            },
        )
    else:
        for problem in problems:
            colour = "red" if problem.severity == "error" else "yellow"
            out.write(f"{problem.location()}: {style(out, problem.code, colour)}: ")
            out.write(f"{problem.message}\n")
        summary = f"{errors} error(s), {warnings} warning(s) in {display_path(root)}"
        if report.ok and not problems:
            summary = f"{display_path(root)}: no problems"
        out.write(style(out, summary, "green" if report.ok else "red", "bold") + "\n")
    return EXIT_OK if report.ok else EXIT_USAGE


# -- fmt -------------------------------------------------------------------------------


def _fmt(args: argparse.Namespace, out: TextIO) -> int:
    from accord import _jsondoc

    registry = load_registry(args)
    root = Path(registry.root)
    published = {
        v.path.resolve() for c in registry.contracts.values() for v in c.versions if v.published
    }
    # Decide everything before writing anything: a bad file (an AccordError) aborts the
    # whole run with nothing written.
    changes: list[tuple[Path, bytes]] = []
    unchanged = 0
    for contract in registry.contracts.values():
        for version in contract.versions:
            path = version.path
            if path.resolve() in published:
                continue
            text = _jsondoc.canonical_dumps(
                _jsondoc.load_path(path, display=display_path(path))
            ).encode("utf-8")
            if text == path.read_bytes():
                unchanged += 1
            else:
                changes.append((path, text))
    changes.sort()
    skipped = len(published)
    if args.check:
        for path, _ in changes:
            out.write(f"would reformat {display_path(path)}\n")
        out.write(
            f"{len(changes)} file(s) would be reformatted, {unchanged} already formatted, "
            f"{skipped} published file(s) left as they are\n"
        )
        return EXIT_FINDINGS if changes else EXIT_OK
    for path, text in changes:
        _jsondoc.atomic_write(path, text)
        out.write(f"reformatted {display_path(path)}\n")
    out.write(
        f"{len(changes)} file(s) reformatted, {unchanged} already formatted, "
        f"{skipped} published file(s) left as they are ({display_path(root)})\n"
    )
    return EXIT_OK
