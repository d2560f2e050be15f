"""``accord list``, ``accord show``, ``accord lint`` and ``accord fmt``."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from accord.cli._common import (
    FORMAT_VERSION,
    add_format_arg,
    add_registry_arg,
    discovered_root,
    display_path,
    load_registry,
    plural,
    registry_root,
    style,
    table,
    write_json,
)
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.registry.model import Contract, Registry


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


def _contract_json(registry: Registry, contract: Contract) -> dict[str, Any]:
    meta = contract.meta
    latest = contract.latest()
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
        "latest": str(latest.version) if latest else None,
        "versions": [
            {
                "version": str(v.version),
                "file": v.file,
                "digest": v.digest,
                "published": registry.published(v),
                "draft": v.draft,
                "yanked": v.yanked,
            }
            for v in contract.versions
        ],
    }


def _list(args: argparse.Namespace, out: TextIO) -> int:
    registry = load_registry(args)
    contracts = [
        _contract_json(registry, registry.contracts[cid]) for cid in sorted(registry.contracts)
    ]
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
        shown = [_version_label(v) for v in c["versions"]]
        rows.append(
            [c["id"], c["latest"] or "-", ", ".join(shown), c["owner"], c["kind"], c["status"]]
        )
    lines = table(rows)
    out.write(style(out, lines[0], "bold") + "\n")
    for line in lines[1:]:
        out.write(line + "\n")
    return EXIT_OK


def _version_label(version: dict[str, Any]) -> str:
    notes = [
        n
        for n, on in (
            ("yanked", version["yanked"] is not None),
            ("draft: not in accord.lock", version["draft"]),
            ("unpublished", not version["published"] and not version["draft"]),
        )
        if on
    ]
    return f"{version['version']} ({', '.join(notes)})" if notes else str(version["version"])


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
    from accord.gate.lint import lint

    # The registry list and validate use (an installed registry package included):
    # lint must check what services load.
    root = discovered_root(args)
    report = lint(root)
    from accord.core.text import escape_control

    problems = report.problems
    if args.format == "json":
        write_json(out, report.to_json())
    else:
        for found in problems:
            colour = "red" if found.severity == "error" else "yellow"
            # Paths relative to the working directory, so terminals make them clickable.
            shown = (
                dataclasses.replace(found, file=display_path(root / found.file))
                if found.file is not None
                else found
            )
            message = escape_control(shown.message)
            out.write(f"{shown.location()}: {style(out, shown.code, colour)}: {message}\n")
        summary = (
            f"{plural(report.error_count, 'error')}, {plural(report.warning_count, 'warning')} "
            f"in {display_path(root)}"
        )
        if report.ok and not problems:
            summary = f"{display_path(root)}: no problems"
        out.write(style(out, summary, "green" if report.ok else "red", "bold") + "\n")
    return EXIT_OK if report.ok else EXIT_USAGE


# -- fmt -------------------------------------------------------------------------------


def _version_files(root: Path) -> list[Path]:
    """Every ``<namespace>/<name>/*.schema.json`` under ``root`` (reserved dirs skipped)."""
    from accord.registry.model import RESERVED_DIRS, VERSION_SUFFIX

    if not root.is_dir():
        raise UsageError(
            "registry root is not a directory (pass --registry DIR)",
            code="registry-not-found",
            file=display_path(root),
        )
    return sorted(
        path
        for path in root.glob(f"*/*/*{VERSION_SUFFIX}")
        if path.parent.parent.name not in RESERVED_DIRS
        and not path.parent.parent.name.startswith(".")
        and path.is_file()
    )


def _fmt(args: argparse.Namespace, out: TextIO) -> int:
    # Works from the files and the lock alone, so a registry that does not load yet (the
    # version being written has an error lint will report) can still be formatted.
    from accord.core import jsondoc as _jsondoc
    from accord.registry.config import load_registry_settings
    from accord.registry.model import VERSION_SUFFIX, read_lock

    root = registry_root(args)
    settings = load_registry_settings(root)
    published = {
        root.joinpath(*contract_id.split(".", 1), f"{version}{VERSION_SUFFIX}")
        for contract_id, version in read_lock(root)
    }
    # Decide everything before writing anything: a bad file (an AccordError) aborts the
    # whole run with nothing written.
    changes: list[tuple[Path, bytes]] = []
    unchanged = skipped = 0
    for path in _version_files(root):
        if path in published:
            skipped += 1
            continue
        if not _jsondoc.temp_name_fits(path.name):
            from accord.errors import UsageError

            raise UsageError(
                f"{display_path(path)}: the name is too long to rewrite the file safely "
                f"(through a temp file beside it: {_jsondoc.NAME_MAX} bytes at most): "
                "nothing was reformatted",
                code="version-too-long",
                file=display_path(path),
            )
        # fmt never writes through a link: load_path refuses the file as one, and a
        # namespace or contract directory that is one is refused here (the glob follows
        # it; the loader would refuse it, but fmt works without loading the registry).
        _jsondoc.refuse_links_below(root, path.relative_to(root).as_posix())
        document = _jsondoc.load_path(
            path,
            display=display_path(path),
            max_bytes=settings.max_file_bytes,
            max_depth=settings.max_depth,
            # fmt rewrites the file: every number must be written back as the same value.
            exact_numbers=True,
        )
        raw = path.read_bytes()
        text = _jsondoc.canonical_dumps(document).encode("utf-8")
        if text == raw:
            unchanged += 1
        else:
            changes.append((path, text))
    verb = "would reformat" if args.check else "reformatted"
    for path, text in changes:
        if not args.check:
            _jsondoc.atomic_write(path, text)
        out.write(f"{verb} {display_path(path)}\n")
    counted = "would be reformatted" if args.check else "reformatted"
    out.write(
        f"{plural(len(changes), 'file')} {counted}, {unchanged} already formatted, "
        f"{plural(skipped, 'published file')} left untouched\n"
    )
    return EXIT_FINDINGS if (args.check and changes) else EXIT_OK
