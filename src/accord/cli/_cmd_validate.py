"""``accord validate REF PAYLOAD...``: check payloads against a contract version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import (
    FORMAT_VERSION,
    add_format_arg,
    add_registry_arg,
    load_registry,
    plural,
    style,
    write_json,
    write_warnings,
)


def register(subparsers: Any) -> None:
    """Add ``validate``."""
    p = subparsers.add_parser(
        "validate",
        help="validate JSON payloads against a contract version",
        usage="accord validate [options] REF PAYLOAD...\n"
        "       accord validate --explain-backend [--backend B] [options] REF",
        description="Validate each PAYLOAD (a JSON file, or - for standard input) against "
        "the contract version REF resolves to (orders.order-placed@^1: the highest "
        "non-yanked 1.x). Exit 0 when every payload is valid, 1 when any is invalid; "
        "every error is printed with its path in the payload. An exact pin (@9.0.0) "
        "also selects a draft or a yanked version, with a warning on stderr.",
    )
    # One positional list: argparse cannot split "REF --opt X PAYLOAD..." between a
    # required positional and an optional "*" one (the "*" one matches empty early).
    p.add_argument(
        "operands",
        metavar="REF [PAYLOAD ...]",
        nargs="+",
        help="contract reference (orders.order-placed@^1), then JSON files or - for "
        "stdin (at least one, unless --explain-backend)",
    )
    p.add_argument(
        "--backend",
        choices=("auto", "rs", "python", "fast"),
        default="auto",
        help="backend deciding validity (default auto: jsonschema-rs, the reference); "
        "python and fast only where they are proven to agree with it",
    )
    p.add_argument(
        "--explain-backend",
        action="store_true",
        help="print which backend validates REF, which explains, and why; validate nothing",
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run)


def _read_payload(name: str) -> Any:
    from accord.core import jsondoc as _jsondoc

    # exact_numbers: a number no float holds is validated as written (a Decimal), not
    # as the float it rounds to (1e-400 as 0.0 passed {"const": 0}).
    if name == "-":
        raw = _jsondoc.read_stream(sys.stdin.buffer, display="<stdin>")
        return _jsondoc.loads(raw, file="<stdin>", exact_numbers=True)
    return _jsondoc.load_path(Path(name), display=name, exact_numbers=True)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Validate every payload; 0 when all are valid, 1 otherwise."""
    from accord.errors import UsageError
    from accord.validation.validator import Validator

    args.ref, args.payloads = args.operands[0], args.operands[1:]
    if not args.payloads and not args.explain_backend:
        raise UsageError("accord validate: give at least one PAYLOAD (or --explain-backend)")
    registry = load_registry(args)
    version = registry.get(args.ref)
    contract_id = version.contract_id
    resolved = f"{contract_id}@{version.version}"
    _warn_unreleased(version)
    if args.explain_backend:
        return _explain_backend(args, out, registry.bundle(resolved), resolved)
    # Read every payload first: a malformed one is bad input (exit 2), not a finding.
    payloads = [(name, _read_payload(name)) for name in args.payloads]
    validator = Validator(registry.bundle(resolved), ref=resolved, backend=args.backend)
    results = [(name, list(validator.errors(payload))) for name, payload in payloads]
    all_valid = all(not errors for _, errors in results)

    if args.format == "json":
        write_json(
            out,
            {
                "format_version": FORMAT_VERSION,
                "ref": args.ref,
                "contract": contract_id,
                "version": str(version.version),
                "valid": all_valid,
                "payloads": [
                    {
                        "file": name,
                        "valid": not errors,
                        "errors": [issue.to_json() for issue in errors],
                    }
                    for name, errors in results
                ],
            },
        )
        return EXIT_OK if all_valid else EXIT_FINDINGS

    from accord.core.text import escape_control

    for name, errors in results:
        shown = "<stdin>" if name == "-" else escape_control(name)
        if not errors:
            out.write(f"{shown}: {style(out, 'valid', 'green')} under {resolved}\n")
            continue
        head = style(out, "invalid", "red", "bold")
        out.write(f"{shown}: {head} under {resolved} ({plural(len(errors), 'error')})\n")
        for issue in errors:
            out.write(escape_control(f"  {issue.json_path}: {issue.message}") + "\n")
            detail = f"instance {issue.instance_path or '/'}, schema {issue.schema_path}"
            out.write(
                style(out, escape_control(f"    ({issue.keyword} at {detail})"), "dim") + "\n"
            )
    return EXIT_OK if all_valid else EXIT_FINDINGS


def _warn_unreleased(version: Any) -> None:
    """Only an exact pin selects a draft or a yanked version (ranges and latest skip
    them): say so, or "valid under a.b@9.0.0" reads as the published contract's verdict."""
    from accord.errors import Problem

    if version.draft:
        message = (
            f"{version.ref} is a draft: its file has no accord.lock line (never published, "
            "or a publish was interrupted); publish it before relying on it"
        )
        write_warnings(
            [Problem("version-unpublished", message, file=version.file, severity="warning")]
        )
    elif version.yanked is not None:
        message = f"{version.ref} is yanked: {version.yanked}"
        write_warnings([Problem("version-yanked", message, file=version.file, severity="warning")])


def _explain_backend(args: argparse.Namespace, out: TextIO, schema: Any, resolved: str) -> int:
    """Print the backend choice for ``resolved``; 0, or 2 when ``--backend`` is refused."""
    from accord.validation.backends import BACKEND_LABELS, choose_backend

    choice = choose_backend(schema, args.backend, ref=resolved)
    if args.format == "json":
        write_json(out, {"format_version": FORMAT_VERSION, "ref": resolved, **choice.to_json()})
        return EXIT_OK
    out.write(f"{resolved}\n")
    out.write(f"  validates: {choice.label} ({'; '.join(choice.reasons)})\n")
    out.write(f"  explains:  {BACKEND_LABELS[choice.explainer]} (errors with paths)\n")
    for entry in choice.eligibility:
        verdict = (
            style(out, "eligible", "green") if entry.eligible else style(out, "refused", "red")
        )
        out.write(f"  {entry.backend:<7} {BACKEND_LABELS[entry.backend]:<18} {verdict}\n")
        for reason in entry.reasons:
            out.write(style(out, f"      {reason}", "dim") + "\n")
    return EXIT_OK
