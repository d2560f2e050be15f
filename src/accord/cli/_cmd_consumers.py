"""``accord pact import/export``, ``accord verify --static``, ``accord consumers CONTRACT``."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import (
    add_format_arg,
    add_registry_arg,
    load_registry,
    plural,
    registry_root,
    write_json,
)


def register(subparsers: Any) -> None:
    """Add ``pact``, ``verify`` and ``consumers``."""
    pact = subparsers.add_parser(
        "pact", help="import Pact files as expectations, export Pact v4 (or v3)"
    )
    sub = pact.add_subparsers(dest="pact_command", required=True)
    imp = sub.add_parser("import", help="import Pact v2/v3/v4 files as consumer expectations")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Pact JSON files")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="RULE",
        help="bind interactions to a contract: 'GET /users/{id} 200=users.user@^1' "
        "(repeatable; also [tool.accord.pact] map)",
    )
    imp.add_argument(
        "--require-contract",
        action="store_true",
        help="refuse (pact-unmapped) a response or message body no map binds, instead of "
        "keeping it unbound (checked by its matchers alone)",
    )
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace a recorded interaction (same description and provider states) whose "
        "content changed, instead of refusing (expectation-conflict)",
    )
    imp.add_argument("--dry-run", action="store_true", help="print, do not write")
    add_registry_arg(imp)
    imp.set_defaults(handler=run_import)
    exp = sub.add_parser("export", help="write expectations as Pact v4 (or v3) files")
    exp.add_argument("--consumer", default=None, help="export only this consumer")
    exp.add_argument(
        "--spec",
        choices=("v4", "v3"),
        default="v4",
        help="Pact specification of the files (v3 for tools that cannot read v4, such as "
        "the Ruby verifier); default: v4",
    )
    exp.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="directory for the Pact files"
    )
    add_registry_arg(exp)
    exp.set_defaults(handler=run_export)

    verify = subparsers.add_parser(
        "verify",
        help="verify consumer expectations (--static: from the schemas alone; "
        "--provider: against the running provider)",
        description="With --static, prove every expectation against the contract versions "
        "its range selects: exit 0 when all are proven, 1 when any is refuted or "
        "undecided (a body bound to no contract is UNBOUND, verified dynamically only, and "
        "fails only with --require-contract). With --provider NAME (--app module:app | "
        "--base-url URL), replay every "
        "consumer interaction against the provider and check each answer against the "
        "consumer's matchers and the contract: exit 0 when all are verified, 1 on any "
        "failure. Exit 2 on bad input.",
    )
    mode = verify.add_mutually_exclusive_group(required=True)
    mode.add_argument("--static", action="store_true", help="verify from the schemas alone")
    mode.add_argument("--provider", metavar="NAME", help="verify the running provider NAME")
    verify.add_argument("--consumer", default=None, help="verify only this consumer")
    verify.add_argument(
        "--contract", default=None, metavar="ID", help="verify only expectations of this contract"
    )
    verify.add_argument(
        "--require-contract",
        action="store_true",
        help="with --static: a body bound to no contract (verified dynamically only) "
        "fails the run; by default it is reported UNBOUND and does not",
    )
    verify.add_argument(
        "--literals-as-examples",
        action="store_true",
        help="read Pact values without a matcher as examples (type match), not pins",
    )
    from accord.cli._cmd_provider import add_verify_provider_args

    add_verify_provider_args(verify)
    add_format_arg(verify)
    add_registry_arg(verify)
    verify.set_defaults(handler=run_verify)

    consumers = subparsers.add_parser("consumers", help="who reads what of a contract")
    consumers.add_argument("contract", metavar="CONTRACT", help="contract id")
    add_format_arg(consumers)
    add_registry_arg(consumers)
    consumers.set_defaults(handler=run_consumers)


def run_import(args: argparse.Namespace, out: TextIO) -> int:
    """Import each file into ``consumers/<consumer>/<provider>.json``, merged with what is
    recorded there (one file per consumer-provider pair); all files are read and merged
    before anything is written, so a refused import writes nothing."""
    from accord.consumers._model import dump, locked_dir, merge, merge_into_file
    from accord.consumers._pact import (
        import_pact,
        load_pact,
        maps_from_config,
        parse_map,
        unbound_bodies,
    )
    from accord.core.jsondoc import atomic_write, refuse_links_below

    maps = [parse_map(m) for m in args.map] + maps_from_config(Path.cwd())
    root = registry_root(args)
    imported: dict[Path, dict[str, Any]] = {}
    incoming: list[tuple[str, dict[str, Any]]] = []
    notes: list[str] = []
    for path in args.files:
        doc = import_pact(
            load_pact(path), maps=maps, file=str(path), require_contract=args.require_contract
        )
        if args.dry_run:
            out.write(dump(doc).decode())
            continue
        incoming.append((str(path), doc))
        target = root / "consumers" / doc["consumer"]["name"] / f"{doc['provider']}.json"
        if target in imported:  # two files of one pair in this import: one file
            doc = merge(imported[target], doc, file=str(path))
        imported[target] = doc
        notes += [f"{path}: {label}" for label in unbound_bodies(doc)]
    if args.dry_run:
        return EXIT_OK
    for target in imported:
        refuse_links_below(root, target.relative_to(root).as_posix())
    writes: list[tuple[Path, bytes | None, int]] = []
    # Merged and written under one lock per directory: a run that merged, released the
    # lock and wrote later overwrote what another run wrote in between.
    with _holding(sorted({target.parent for target in imported}), locked_dir):
        _refuse_name_collisions(root, incoming)
        for target, doc in imported.items():
            shown = target.relative_to(root).as_posix()
            merged, data = merge_into_file(target, doc, shown=shown, replace=args.replace)
            writes.append((target, data, len(merged.get("interactions", []))))
        for target, data, _count in writes:
            if data is not None:
                atomic_write(target, data)
    for target, _data, count in writes:
        out.write(f"-> {target} ({plural(count, 'interaction')})\n")
    if notes:
        out.write(
            f"note: {plural(len(notes), 'body', 'bodies')} bound to no contract, kept "
            "unbound (provider verification checks their matchers; static verification "
            "reports them UNBOUND; "
            "bind with --map):\n" + "".join(f"  {n}\n" for n in sorted(set(notes)))
        )
    return EXIT_OK


def _refuse_name_collisions(root: Path, incoming: list[tuple[str, dict[str, Any]]]) -> None:
    """Refuse a Pact participant whose slug another participant already has.

    Pact tells participants apart by their exact names; accord keeps each under its
    slug (with the mapping in ``names``), so ``Web App`` and ``web_app`` would become one
    consumer: one's verifications counted for the other. As with contract names that
    differ only in case or ``-`` vs ``_``, the second spelling is refused. Only names
    recorded from Pact files are compared (an expectation written by accord keeps no
    other spelling), and only against the names this import brings.

    Raises:
        DocumentError: ``name-collision``, naming both spellings.
    """
    from accord.consumers._model import discover
    from accord.errors import DocumentError

    seen: dict[str, tuple[str, str]] = {}  # slug -> (the Pact name, where it was read)
    for found in discover(root):
        for external, slug in found.doc.get("names", {}).items():
            seen.setdefault(slug, (external, found.file))
    for file, doc in incoming:
        for external, slug in doc.get("names", {}).items():
            other, where = seen.setdefault(slug, (external, file))
            if other != external:
                role = "consumer" if slug == doc["consumer"]["name"] else "provider"
                raise DocumentError(
                    f"Pact participant {external!r} becomes {slug!r}, as {other!r} (in "
                    f"{where}) does: two participants would share one {role}'s "
                    "expectations; rename one of them in its Pact file (names that differ "
                    "only in case, spaces or '-' vs '_' are refused, as contract names are)",
                    code="name-collision",
                    file=file,
                    pointer=f"/{role}/name",
                )


@contextlib.contextmanager
def _holding(
    directories: list[Path], locked_dir: Callable[[Path], AbstractContextManager[None]]
) -> Iterator[None]:
    """Each directory (created if missing) locked, in the order given (sorted: two runs
    never wait on each other crosswise). When the block fails, the directories it
    created are removed again: a refused import leaves nothing behind."""
    created: list[Path] = []
    try:
        with contextlib.ExitStack() as stack:
            for directory in directories:
                missing = directory
                while not missing.exists():
                    created.append(missing)
                    missing = missing.parent
                directory.mkdir(parents=True, exist_ok=True)
                stack.enter_context(locked_dir(directory))
            yield
    except BaseException:
        for directory in sorted(created, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: something else wrote there
                directory.rmdir()
        raise


def run_export(args: argparse.Namespace, out: TextIO) -> int:
    """Write one Pact file per consumer-provider pair (``<consumer>-<provider>.json``);
    what Pact cannot state is listed on stderr (and in each file's metadata)."""
    import json
    import sys
    from typing import cast

    from accord.consumers._model import discover
    from accord.consumers._pact import export_pacts
    from accord.core.jsondoc import atomic_write, check_out_dir, make_out_dir
    from accord.core.text import TerminalSafeWriter
    from accord.errors import UsageError
    from accord.provider._interactions import provider_of

    check_out_dir(args.out)
    registry = load_registry(args)
    files = [
        ef for ef in discover(registry.root, consumer=args.consumer) if ef.doc.get("interactions")
    ]
    if not files:
        # Nothing exported is no success: the step publishing the Pact files to a
        # broker would publish none, and the broker would answer for no pact.
        whose = f"of consumer {args.consumer!r} " if args.consumer else ""
        raise UsageError(
            f"no expectation file {whose}in {registry.root} holds an interaction: "
            "nothing to export",
            code="expectations-none",
        )
    by_doc = {id(ef.doc): ef for ef in files}
    pacts = export_pacts(
        [(ef.file, ef.doc) for ef in files],
        lambda doc, inter: provider_of(registry, by_doc[id(doc)], inter),
        spec=args.spec,
    )
    make_out_dir(args.out)
    for name, pact in pacts.items():
        target = args.out / name
        atomic_write(target, (json.dumps(pact, indent=2, sort_keys=True) + "\n").encode())
        count = len(pact.get("interactions", [])) + len(pact.get("messages", []))
        out.write(f"-> {target} ({plural(count, 'interaction')})\n")
        err = cast(TextIO, TerminalSafeWriter(sys.stderr))
        for lost in pact["metadata"]["accord"].get("not_stated", []):
            err.write(
                f"warning[pact-not-stated]: {name}: {lost['interaction']!r}: {lost['note']}\n"
            )
    return EXIT_OK


def run_verify(args: argparse.Namespace, out: TextIO) -> int:
    """Static verification (0 all proven, 1 otherwise), or provider verification."""
    if not args.static:
        from accord.cli._cmd_provider import run_provider_verify

        return run_provider_verify(args, out)
    _refuse_provider_options(args)
    from accord.consumers._static import verify_static

    report = verify_static(
        load_registry(args),
        consumer=args.consumer,
        contract=args.contract,
        literals_as_examples=args.literals_as_examples,
        require_contract=args.require_contract,
    )
    if args.format == "json":
        write_json(out, report.to_json())
    else:
        out.write(report.render_text())
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _refuse_provider_options(args: argparse.Namespace) -> None:
    from accord.errors import UsageError

    given = [
        flag
        for flag, value in (
            ("--app", args.app),
            ("--base-url", args.base_url),
            ("--states", args.states),
            ("--state-change-url", args.state_change_url),
            ("--record", args.record),
            ("--consumer-version-selector", args.consumer_version_selector),
            ("--provider-version", args.provider_version),
            ("--allow-no-expectations", args.allow_no_expectations),
        )
        if value
    ]
    if given:
        raise UsageError(f"{', '.join(given)} apply to --provider, not to --static")


def run_consumers(args: argparse.Namespace, out: TextIO) -> int:
    """The field-usage index of one contract."""
    from accord.cli._common import table
    from accord.consumers._impact import field_usage

    registry = load_registry(args)
    registry.contract(args.contract)  # ContractNotFound for a typo
    rows = field_usage(registry.root, args.contract)
    if args.format == "json":
        write_json(
            out,
            {"format_version": 1, "contract": args.contract, "fields": [r.to_json() for r in rows]},
        )
        return EXIT_OK
    if not rows:
        out.write(f"no registered consumer reads {args.contract}\n")
        return EXIT_OK
    lines = table(
        [("FIELD", "CONSUMER", "READS AS", "RANGE", "WHERE")]
        + [
            (
                r.path,
                r.consumer + (" (pending)" if r.pending else ""),
                r.reads_as,
                r.contract.partition("@")[2] or "*",
                r.label,
            )
            for r in rows
        ]
    )
    out.write("\n".join(lines) + "\n")
    return EXIT_OK
