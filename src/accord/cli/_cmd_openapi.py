"""``accord import-openapi APP_OR_FILE``: publish an app's component schemas as contracts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import (
    add_format_arg,
    add_registry_arg,
    registry_root,
    style,
    write_json,
    write_warnings,
)


def register(subparsers: Any) -> None:
    """Add ``import-openapi``."""
    p = subparsers.add_parser(
        "import-openapi",
        help="publish the component schemas of an OpenAPI 3.1 document (or FastAPI app)",
        description="Import the component schemas of APP_OR_FILE (a FastAPI app as "
        "module:attribute, built in-process, or an OpenAPI 3.1 JSON file) as contracts "
        "NAMESPACE.<component-name>: each becomes one self-contained schema "
        "(#/components/schemas refs embedded under $defs; remote refs refused) and is "
        "published through `accord publish`, so the gate applies. FastAPI's "
        "HTTPValidationError and ValidationError are skipped unless named with "
        "--component. Exit 1 when a publish is refused or conflicts.",
    )
    p.add_argument("source", metavar="APP_OR_FILE", help="module:app or openapi.json")
    p.add_argument("--namespace", required=True, help="namespace of the contracts")
    p.add_argument("--owner", help="owning team of contracts the import creates")
    p.add_argument(
        "--kind",
        choices=("event", "request", "response", "record"),
        default="record",
        help="kind of contracts the import creates (default: record)",
    )
    p.add_argument(
        "--component",
        action="append",
        dest="components",
        metavar="NAME",
        help="import only this component (repeatable)",
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Import, then print one line (or JSON object) per component."""
    from accord.service.openapi import import_openapi

    root = registry_root(args)
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)  # module:app names the user's own modules
    from accord.cli._progress import progress_bar

    with progress_bar("import-openapi", unit="step") as progress:
        results = import_openapi(
            root,
            args.source,
            namespace=args.namespace,
            owner=args.owner,
            kind=args.kind,
            components=args.components,
            progress=progress,
        )
    ok = all(r.result.ok for r in results)
    if args.format == "json":
        write_json(
            out,
            {"format_version": 1, "ok": ok, "imported": [r.to_json() for r in results]},
        )
        return EXIT_OK if ok else EXIT_FINDINGS
    if not results:
        out.write("no component schemas to import\n")
    for r in results:
        write_warnings(r.result.warnings)
        colour = "green" if r.result.ok else "red"
        created = " (new contract)" if r.created else ""
        out.write(
            f"{r.component} -> {r.contract}{created}: "
            + style(out, r.result.status, colour, "bold")
            + f": {r.result.message}\n"
        )
        for reason in r.result.reasons:
            out.write(f"  {reason}\n")
    return EXIT_OK if ok else EXIT_FINDINGS
