"""``accord site``: build the registry's static website (and serve it on loopback)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_OK
from accord.cli._common import add_registry_arg


def register(subparsers: Any) -> None:
    """Add ``site``."""
    p = subparsers.add_parser(
        "site",
        help="build a static website of the registry (contracts, diffs, consumers, "
        "network, deployments, rules)",
        description="Build a self-contained static website of the registry into --out: "
        "an index of every contract with a search box, a page per contract (versions, "
        "schemas, the diff between consecutive versions with witnesses, consumers), "
        "changelogs, the network diagram of providers and consumers, the can-i-deploy "
        "matrix per environment (from the records in the registry: run `accord records "
        "pull` first) and a page per rule. It works from file:// and any static host. "
        "The build is atomic and deterministic; --out must be a directory accord site "
        "built before (it holds a .accord-site marker), an empty one, or a new one.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="output directory, replaced as a whole (default: site)",
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="after building, serve the site on 127.0.0.1 and rebuild when the registry "
        "changes (Ctrl-C stops)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=8000,
        metavar="N",
        help="port for --serve (0: any free port; default: 8000)",
    )
    p.add_argument(
        "--records-branch",
        metavar="BRANCH",
        default=None,
        help="read the deployment and verification records from this git branch (as "
        "`accord records pull` does, checked the same way) instead of the registry's "
        "own verifications/ and environments/; nothing is written into the registry "
        "(default: use the registry's records)",
    )
    p.add_argument(
        "--records-remote",
        metavar="REMOTE",
        default="origin",
        help="remote to fetch --records-branch from (default: origin)",
    )
    p.add_argument(
        "--records-local",
        action="store_true",
        help="read --records-branch from the local repository, without fetching",
    )
    add_registry_arg(p)
    p.set_defaults(handler=run)


def _need_jinja() -> None:
    from accord.errors import UsageError

    try:
        import jinja2  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError(
            "accord site needs Jinja2: pip install 'accord[site]'", code="site-missing-extra"
        ) from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Build (and with ``--serve``, serve) the site."""
    from accord.cli._common import discovered_root, display_path, load_registry
    from accord.errors import UsageError

    _need_jinja()
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port (0-65535)", code="usage")
    if args.port != 8000 and not args.serve:
        raise UsageError("--port applies to --serve", code="usage")
    if args.serve and args.records_branch is not None:
        raise UsageError(
            "--serve rebuilds from the registry's own records: run `accord records pull` "
            "instead of --records-branch",
            code="usage",
        )
    if args.serve:
        import threading

        from accord.site import serve

        stop = threading.Event()

        def ready(url: str) -> None:
            out.write(f"-> {display_path(args.out)}/ served at {url} (Ctrl-C stops)\n")
            out.flush()

        def event(text: str) -> None:
            sys.stderr.write(text + "\n")

        try:
            serve(
                discovered_root(args),
                args.out,
                port=args.port,
                stop=stop,
                on_ready=ready,
                on_event=event,
            )
        except KeyboardInterrupt:
            stop.set()
        except OSError as exc:
            raise UsageError(
                f"--port {args.port}: cannot serve ({exc.strerror or exc})", code="usage"
            ) from None
        return EXIT_OK
    from contextlib import nullcontext

    from accord.cli._progress import progress_bar
    from accord.site import build_site, with_records_branch
    from accord.site._build import check_out

    if args.records_branch is None and args.records_local:
        raise UsageError("--records-local applies to --records-branch", code="usage")
    registry = load_registry(args)
    # Refuse a bad --out before reading anything from git (the copy's root is elsewhere).
    check_out(args.out, registry.root)
    loaded = (
        nullcontext(registry)
        if args.records_branch is None
        else with_records_branch(
            registry.root,
            branch=args.records_branch,
            remote=None if args.records_local else args.records_remote,
        )
    )
    with loaded as shown, progress_bar("site") as progress:
        result = build_site(shown, args.out, progress=progress)
    out.write(f"-> {display_path(result.out)}/ ({result.pages} pages)\n")
    return EXIT_OK
