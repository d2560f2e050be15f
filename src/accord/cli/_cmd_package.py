"""``accord package``, ``accord expectations export``, ``accord records push|pull``.

Registry distribution (README "Two topologies"): a central registry is released as a
wheel (``package``), consumer repositories send their expectations to it
(``expectations export``), and pipelines record verifications and deployments on the
registry repository's records branch (``records push``; ``records pull`` brings them
back into a registry checkout so the gate sees them).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_OK
from accord.cli._common import (
    add_format_arg,
    add_registry_arg,
    display_path,
    plural,
    registry_root,
    write_json,
)
from accord.core.jsondoc import FORMAT_VERSION


def register(subparsers: Any) -> None:
    """Add ``package``, ``expectations`` and ``records``."""
    p = subparsers.add_parser(
        "package",
        help="build a wheel and an sdist of the registry (installable registry package)",
        description="Write <out>/<module>-<version>-py3-none-any.whl and "
        "<module>-<version>.tar.gz: every published schema, accord.lock, contract.toml "
        "files, consumers/, generated models and a validator index, with an entry point "
        "in the group accord.registries so installed services find it. Offline; "
        "deterministic (SOURCE_DATE_EPOCH is honoured). Version default: "
        "1.<published versions>.0.",
    )
    p.add_argument("--version", metavar="V", help="package version (PEP 440)")
    p.add_argument("--name", metavar="NAME", help="distribution name (default: from the directory)")
    p.add_argument(
        "--out", metavar="DIR", type=Path, default=Path("dist"), help="output directory (dist)"
    )
    p.add_argument(
        "--no-models",
        action="store_true",
        help="leave out the generated Pydantic models (no codegen extra needed)",
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run_package)

    exp = subparsers.add_parser(
        "expectations", help="move consumer expectations to a central registry"
    )
    sub = exp.add_subparsers(dest="expectations_command", metavar="COMMAND", required=True)
    p = sub.add_parser(
        "export",
        help="copy local consumers/ expectations into a central registry checkout",
        description="Copy every expectation under the local registry's consumers/ into "
        "<DIR>/consumers/ (atomic writes), stamped with --consumer-version. An "
        "expectation already there for the same consumer version with other content is "
        "refused (exit 2, nothing written) unless --force.",
    )
    p.add_argument(
        "--to",
        metavar="DIR",
        type=Path,
        required=True,
        help="central registry root (holding accord.toml, accord.lock or consumers/)",
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="DIR",
        type=Path,
        default=None,
        help="registry root holding the local consumers/ (default: the discovered one)",
    )
    p.add_argument("--consumer", metavar="NAME", help="export only this consumer")
    p.add_argument(
        "--consumer-version", metavar="V", help="consumer version to stamp (a release or commit)"
    )
    p.add_argument("--force", action="store_true", help="overwrite conflicting expectations")
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run_export)

    rec = subparsers.add_parser(
        "records", help="verification/deployment records on the registry's records branch"
    )
    sub = rec.add_subparsers(dest="records_command", metavar="COMMAND", required=True)
    p = sub.add_parser(
        "push",
        help="commit local records to the records branch and push them (retrying on conflict)",
        description="Commit every record under <registry>/verifications and environments "
        "to the records branch of --repo with git plumbing (the working tree is "
        "never touched) and push it; a push that loses a race is rebuilt on the new tip "
        "and retried with jittered backoff, so concurrent pipelines all land.",
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="DIR",
        type=Path,
        default=None,
        help="directory holding the records (default: the registry root)",
    )
    _records_args(p, pushing=True)
    p.add_argument("--message", metavar="TEXT", default=None, help="commit message")
    p.add_argument("--max-attempts", metavar="N", type=int, default=8, help="push attempts (8)")
    p.add_argument(
        "--no-push", action="store_true", help="commit to the local branch only, do not push"
    )
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run_records_push)

    p = sub.add_parser(
        "pull",
        help="copy the records branch into the registry (so the gate sees every record)",
    )
    p.add_argument(
        "--into",
        metavar="DIR",
        type=Path,
        default=None,
        help="directory to write into (default: the registry root)",
    )
    _records_args(p)
    p.add_argument("--local", action="store_true", help="read the local branch, do not fetch")
    add_registry_arg(p)
    add_format_arg(p)
    p.set_defaults(handler=run_records_pull)


def _records_args(p: argparse.ArgumentParser, *, pushing: bool = False) -> None:
    p.add_argument(
        "--repo", metavar="DIR", type=Path, default=Path(), help="the git repository (.)"
    )
    p.add_argument("--branch", default="accord-records", help="records branch (accord-records)")
    p.add_argument(
        "--remote",
        default="origin",
        help=f"remote to {'push to' if pushing else 'fetch from'} (origin)",
    )


def run_package(args: argparse.Namespace, out: TextIO) -> int:
    """``accord package``."""
    from accord.cli._progress import progress_bar
    from accord.distribution.wheel import package_registry

    with progress_bar("package", unit="version") as progress:
        result = package_registry(
            registry_root(args),
            args.out,
            version=args.version,
            name=args.name,
            models=not args.no_models,
            progress=progress,
        )
    if args.format == "json":
        write_json(out, result.to_json())
        return EXIT_OK
    out.write(f"built {result.name} {result.version}\n")
    out.write(f"  {display_path(result.wheel)}\n  {display_path(result.sdist)}\n")
    out.write(f"  {plural(len(result.files), 'registry file')}")
    out.write(f", models: {result.models}\n" if result.models else ", no models\n")
    for file in result.skipped:
        out.write(f"  left out (not in accord.lock): {file}\n")
    return EXIT_OK


def run_export(args: argparse.Namespace, out: TextIO) -> int:
    """``accord expectations export``."""
    from accord.distribution.wheel import export_expectations

    source = args.source if args.source is not None else registry_root(args)
    entries = export_expectations(
        source,
        args.to,
        consumer=args.consumer,
        consumer_version=args.consumer_version,
        force=args.force,
    )
    if args.format == "json":
        write_json(
            out, {"format_version": FORMAT_VERSION, "exported": [e.to_json() for e in entries]}
        )
        return EXIT_OK
    for entry in entries:
        out.write(f"{entry.action:9} {entry.file} ({entry.consumer} {entry.version})\n")
    return EXIT_OK


def run_records_push(args: argparse.Namespace, out: TextIO) -> int:
    """``accord records push``."""
    from accord.distribution.records import check_record, collect_records, write_records
    from accord.errors import UsageError

    source = args.source if args.source is not None else registry_root(args)
    records = collect_records(source)
    if not records:
        raise UsageError(
            f"no records under {source} (verifications/, environments/)",
            code="records-no-records",
        )
    # Push only what `records pull` accepts, so a pushed branch always pulls cleanly.
    for path, data in records.items():
        check_record(path, data)
    result = write_records(
        args.repo,
        records,
        message=args.message or f"accord: {plural(len(records), 'record')}",
        branch=args.branch,
        remote=args.remote,
        push=not args.no_push,
        max_attempts=args.max_attempts,
    )
    if args.format == "json":
        write_json(out, result.to_json())
        return EXIT_OK
    if not result.changed:
        these = "this record" if len(records) == 1 else f"these {len(records)} records"
        out.write(f"{args.branch} already holds {these}\n")
        return EXIT_OK
    where = f"pushed to {args.remote}/{args.branch}" if result.pushed else f"on {args.branch}"
    commit = (result.commit or "")[:12]
    out.write(f"{plural(len(records), 'record')} {where} ({commit}")
    out.write(f", {plural(result.attempts, 'attempt')})\n")
    return EXIT_OK


def run_records_pull(args: argparse.Namespace, out: TextIO) -> int:
    """``accord records pull``."""
    from accord.distribution.records import read_records

    into = args.into if args.into is not None else registry_root(args)
    written = read_records(
        args.repo, into, branch=args.branch, remote=None if args.local else args.remote
    )
    if args.format == "json":
        write_json(out, {"format_version": FORMAT_VERSION, "written": list(written)})
        return EXIT_OK
    out.write(f"{plural(len(written), 'record')} written under {display_path(into)}\n")
    return EXIT_OK
