"""``accord verify --provider``, ``record-deployment``, ``record-undeployment``,
``record-release`` and ``can-i-deploy``."""

from __future__ import annotations

import argparse
import importlib
import sys
import types
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import add_format_arg, add_registry_arg, registry_root, write_json


def add_verify_provider_args(verify: argparse.ArgumentParser) -> None:
    """The provider-mode arguments of ``accord verify`` (registered by ``_cmd_consumers``)."""
    group = verify.add_argument_group("provider verification (--provider)")
    group.add_argument(
        "--app",
        metavar="MODULE:APP",
        help="an ASGI or WSGI app, in process (a provider of messages only needs neither "
        "--app nor --base-url: --states MODULE registers its producers)",
    )
    group.add_argument("--base-url", metavar="URL", help="a running provider (loopback only)")
    group.add_argument(
        "--app-dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="directory put on sys.path before importing --app/--states (default: .)",
    )
    group.add_argument(
        "--states",
        action="append",
        default=[],
        metavar="MODULE",
        help="module registering @accord.provider_state / @accord.message_producer "
        "handlers (repeatable)",
    )
    group.add_argument(
        "--state-change-url",
        metavar="URL",
        help="POST {state, params, action: setup|teardown} here instead of calling handlers",
    )
    group.add_argument(
        "--allow-remote-provider",
        action="store_true",
        help="allow a --base-url / --state-change-url that is not a loopback address",
    )
    group.add_argument(
        "--provider-version", metavar="VERSION", help="the provider version verified (recorded)"
    )
    group.add_argument(
        "--provider-branch", metavar="BRANCH", help="the branch that version was built from"
    )
    group.add_argument(
        "--record",
        action="store_true",
        help="write verifications/<provider>/<provider-version>.json",
    )
    group.add_argument(
        "--consumer-version-selector",
        action="append",
        default=[],
        metavar="SELECTOR",
        help="main-branch, deployed[:ENV] or released[:ENV] (repeatable; default: all)",
    )
    group.add_argument(
        "--main-branch",
        default="main",
        metavar="BRANCH",
        help="the consumers' branch the main-branch selector means",
    )
    group.add_argument(
        "--enable-pending",
        action="store_true",
        help="failures of never-verified (pending) expectations do not fail the run",
    )
    group.add_argument(
        "--allow-no-expectations",
        action="store_true",
        help="pass (exit 0, nothing recorded) when the provider, named by a contract.toml, "
        "has no consumer expectations yet; without it that is exit 2 "
        "(provider-no-expectations). An unknown provider is exit 2 either way",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="total deadline of each request (connect, headers and body)",
    )
    group.add_argument(
        "--max-response-bytes",
        type=int,
        default=10 * 1024 * 1024,
        metavar="N",
        help="size cap of each response body",
    )


def register(subparsers: Any) -> None:
    """Add ``record-deployment``, ``record-undeployment``, ``record-release``, ``can-i-deploy``."""
    for name, help_text in (
        ("record-deployment", "record that SERVICE VERSION now runs in ENV"),
        ("record-release", "record that SERVICE VERSION is released (live) in ENV"),
    ):
        p = subparsers.add_parser(name, help=help_text)
        p.add_argument("service", metavar="SERVICE", help="the service (provider or consumer)")
        p.add_argument("version", metavar="VERSION", help="its version (e.g. the git sha)")
        p.add_argument("--env", required=True, metavar="ENV", help="the environment")
        p.add_argument(
            "--new-environment",
            action="store_true",
            help="ENV has no records yet and is meant to be a new environment (without it, "
            "an environment nothing records is refused as a likely typo)",
        )
        add_registry_arg(p)
        p.set_defaults(handler=run_record, record_kind=name)
    undeploy = subparsers.add_parser(
        "record-undeployment", help="record that SERVICE (VERSION) no longer runs in ENV"
    )
    undeploy.add_argument("service", metavar="SERVICE", help="the service")
    undeploy.add_argument(
        "version", metavar="VERSION", nargs="?", help="its version (default: every version)"
    )
    undeploy.add_argument("--env", required=True, metavar="ENV", help="the environment")
    add_registry_arg(undeploy)
    undeploy.set_defaults(handler=run_record, record_kind="record-undeployment")

    can = subparsers.add_parser(
        "can-i-deploy",
        help="is SERVICE VERSION verified against everything live in ENV?",
        description="Exit 0 when safe, 1 when not (failed, missing or unknown "
        "verification), 2 on bad input.",
    )
    can.add_argument("service", metavar="SERVICE", help="the service to deploy")
    can.add_argument("version", metavar="VERSION", help="the version to deploy")
    can.add_argument(
        "--to", required=True, metavar="ENV", dest="env", help="the target environment"
    )
    add_format_arg(can)
    add_registry_arg(can)
    can.set_defaults(handler=run_can_i_deploy)


def run_record(args: argparse.Namespace, out: TextIO) -> int:
    """Update ``environments/<env>.toml``."""
    from accord.cli._common import load_registry
    from accord.provider._deploy import (
        check_record_names,
        record_deployment,
        record_release,
        record_undeployment,
    )

    root = registry_root(args)
    check_record_names(
        load_registry(args),
        args.service,
        args.env,
        version=args.version,
        undeploy=args.record_kind == "record-undeployment",
        new_environment=getattr(args, "new_environment", False),
    )
    if args.record_kind == "record-deployment":
        env = record_deployment(root, args.service, args.version, args.env)
    elif args.record_kind == "record-release":
        env = record_release(root, args.service, args.version, args.env)
    else:
        env = record_undeployment(root, args.service, args.env, args.version)
    live = ", ".join(env.live(args.service)) or "nothing"
    out.write(f"{args.env}: {args.service} live versions: {live}\n")
    return EXIT_OK


def run_can_i_deploy(args: argparse.Namespace, out: TextIO) -> int:
    """Print the matrix; 0 safe, 1 not safe."""
    from accord.cli._common import load_registry, table
    from accord.provider._deploy import can_i_deploy

    decision = can_i_deploy(load_registry(args), args.service, args.version, args.env)
    if args.format == "json":
        write_json(out, decision.to_json())
        return EXIT_OK if decision.safe else EXIT_FINDINGS
    rows = [("CONSUMER", "VERSION", "PROVIDER", "VERSION", "EXPECTATION", "RESULT", "VERIFIED AT")]
    rows.extend(
        (
            r.consumer,
            r.consumer_version,
            r.provider,
            r.provider_version,
            r.expectation or "?",
            r.status,
            r.verified_at or "-",
        )
        for r in decision.matrix
    )
    if decision.matrix:
        out.write("\n".join(table(rows)) + "\n\n")
    else:
        out.write(f"nothing live in {args.env} depends on or is depended on by {args.service}\n")
    for note in decision.notes:
        out.write(f"note: {note}\n")
    if decision.safe:
        out.write(f"yes: {args.service} {args.version} can be deployed to {args.env}\n")
        return EXIT_OK
    out.write(f"no: {args.service} {args.version} cannot be deployed to {args.env}\n")
    out.writelines(f"  - {reason}\n" for reason in decision.reasons)
    return EXIT_FINDINGS


def _import(spec: str, app_dir: Path, what: str) -> Any:
    from accord.provider._errors import ProviderError

    directory = str(app_dir.resolve())
    if directory not in sys.path:
        sys.path.insert(0, directory)
    module_name, _, attr = spec.partition(":")
    if not module_name or not all(p.isidentifier() for p in module_name.split(".")):
        raise ProviderError(
            f"{what} {spec!r}: expected module or module:attribute", code="provider-app-invalid"
        )
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ProviderError(
            f"{what} {spec!r}: cannot import {module_name!r}: {exc}", code="provider-app-invalid"
        ) from None
    for part in filter(None, attr.split(".")):
        if not part.isidentifier() or not hasattr(obj, part):
            raise ProviderError(
                f"{what} {spec!r}: {module_name} has no attribute {attr!r}",
                code="provider-app-invalid",
            )
        obj = getattr(obj, part)
    return obj


def run_provider_verify(args: argparse.Namespace, out: TextIO) -> int:
    """``accord verify --provider``; 0 all verified, 1 any failure."""
    from accord.cli._common import load_registry
    from accord.errors import UsageError
    from accord.provider._replay import (
        HttpTarget,
        Limits,
        StateChangeUrl,
        Target,
        app_target,
        parse_base_url,
    )
    from accord.provider._states import StateRunner
    from accord.provider._verify import now_rfc3339, verify_provider

    if getattr(args, "contract", None) is not None:  # it would be ignored: all verified
        raise UsageError("--contract applies to --static, not to --provider")
    if getattr(args, "require_contract", False):
        raise UsageError("--require-contract applies to --static, not to --provider")
    if args.app and args.base_url:
        raise UsageError("accord verify --provider takes one of --app or --base-url, not both")
    if args.record and not args.provider_version:
        raise UsageError("--record needs --provider-version")
    if args.record:
        from accord.consumers._records import check_version_label

        check_version_label(args.provider_version)  # the record's file name: before any run
    limits = Limits(timeout=args.timeout, max_response_bytes=args.max_response_bytes)
    registry = load_registry(args)
    state_runner: StateRunner | None = None
    if args.state_change_url:
        state_runner = StateChangeUrl(
            parse_base_url(
                args.state_change_url,
                allow_remote=args.allow_remote_provider,
                what="--state-change-url",
            ),
            limits,
        )
    target: Target | None = None
    if args.app:
        app = _import(args.app, args.app_dir, "--app")
        if isinstance(app, types.ModuleType):
            from accord.provider._errors import ProviderError

            guess = f"{args.app}:app" if hasattr(app, "app") else f"{args.app}:ATTRIBUTE"
            raise ProviderError(
                f"--app {args.app!r} names a module, not the application in it: write "
                f"module:attribute, e.g. {guess!r}",
                code="provider-app-invalid",
            )
        for module in args.states:
            _import(module, args.app_dir, "--states")
        target = app_target(app, limits)
    else:
        base = (
            parse_base_url(args.base_url, allow_remote=args.allow_remote_provider)
            if args.base_url
            else None
        )
        for module in args.states:
            _import(module, args.app_dir, "--states")
        if args.base_url and args.states and not args.state_change_url:
            _warn_states_in_verifier(args.base_url)
        target = HttpTarget(base, limits) if base is not None else None
    from accord.cli._progress import progress_bar

    try:
        with progress_bar("verify", unit="interaction") as progress:
            report = verify_provider(
                registry,
                args.provider,
                target=target,
                states=state_runner,
                consumer=args.consumer,
                selectors=args.consumer_version_selector,
                main_branch=args.main_branch,
                provider_version=args.provider_version,
                provider_branch=args.provider_branch,
                enable_pending=args.enable_pending,
                allow_no_expectations=args.allow_no_expectations,
                progress=progress,
            )
    finally:
        if target is not None:
            target.close()
        if isinstance(state_runner, StateChangeUrl):
            state_runner.close()
    written = None
    if args.record and not report.no_expectations:  # a record of nothing verified: none
        from accord.provider._records import record_verification

        written = record_verification(registry.root, report.to_record(now_rfc3339()))
    if args.format == "json":
        payload = report.to_json()
        payload["record"] = written.relative_to(registry.root).as_posix() if written else None
        write_json(out, payload)
    else:
        out.write(report.render_text())
        if written is not None:
            out.write(f"recorded {written.relative_to(registry.root).as_posix()}\n")
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _warn_states_in_verifier(base_url: str) -> None:
    """``--states`` handlers run in this process: against a provider at a URL they set up
    state only through what both share (a database, say), which the user must know."""
    import sys
    from typing import cast

    from accord.core.text import TerminalSafeWriter

    cast(TextIO, TerminalSafeWriter(sys.stderr)).write(
        "warning[states-in-verifier]: the --states handlers run in this verifier, not in "
        f"the provider at {base_url}: they reach its state only through something both "
        "share (a database, say); pass --state-change-url to have the provider set up "
        "its own state\n"
    )
