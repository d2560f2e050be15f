"""``accord check`` (the schema-evolution gate) and ``accord changelog``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from accord.cli import EXIT_OK, EXIT_USAGE
from accord.cli._common import add_registry_arg, registry_root, use_colour

if TYPE_CHECKING:
    from accord.gate.check import IgnoreEntry

CHECK_FORMATS = ("text", "json", "markdown", "github", "junit", "sarif", "ignore-toml")
DEFAULT_IGNORE_FILE = "accord-ignore.toml"


def register(subparsers: Any) -> None:
    """Add ``check`` and ``changelog``."""
    p = subparsers.add_parser(
        "check",
        help="the schema-evolution gate: lock, immutability, modes and bumps",
        description="Check the registry: every version file is in accord.lock with its "
        "digest, and every version obeys its contract's mode and declares the bump its "
        "changes require. With --against REF, also compare with the merge-base of REF and "
        "HEAD (read from git, no checkout): published versions modified, deleted or "
        "renumbered, version numbers reused and contracts deleted are findings. "
        "Exit 0 clean, 1 findings at or above --fail-on, 2 bad input.",
    )
    p.add_argument("--against", metavar="REF", help="git ref to compare with (its merge-base)")
    p.add_argument(
        "--against-tip",
        action="store_true",
        help="compare with REF itself instead of the merge-base of REF and HEAD",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default=None,
        help="lowest severity that fails the check (default: [tool.accord] fail-on, else error)",
    )
    p.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default=None,
        help="output format (default: [tool.accord] format, else text); ignore-toml prints "
        "ready-to-paste entries and exits 0 (it is no verdict: gate with another format)",
    )
    p.add_argument(
        "--ignore-file",
        metavar="FILE",
        type=Path,
        default=None,
        help=f"approved findings ([[ignore]] tables; default: ./{DEFAULT_IGNORE_FILE} if present)",
    )
    p.add_argument(
        "--consumers-only",
        action="store_true",
        help="consumer-driven policy: a breaking change fails only when it breaks a "
        "registered, verified consumer (others are warnings)",
    )
    p.add_argument(
        "--markdown-summary",
        metavar="FILE",
        type=Path,
        default=None,
        help="also append the markdown report to FILE (e.g. $GITHUB_STEP_SUMMARY)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither reuse nor keep version-pair verdicts in the cache directory "
        "(ACCORD_CACHE_DIR, else [tool.accord] cache-dir, else $XDG_CACHE_HOME/accord)",
    )
    add_registry_arg(p)
    p.set_defaults(handler=run, command="check")

    p = subparsers.add_parser(
        "changelog",
        help="release notes per contract from the diffs between versions",
        description="Write Markdown release notes for each contract (or one): for every "
        "version, what was added, removed and changed against its previous version, "
        "breaking changes first, with migration hints. --since REF limits it to versions "
        "published after REF (read from git).",
    )
    p.add_argument("contract", metavar="CONTRACT", nargs="?", help="contract id (default: all)")
    p.add_argument("--since", metavar="REF", help="only versions not published at REF")
    add_registry_arg(p)
    p.set_defaults(handler=run, command="changelog")


def _tool() -> Any:
    from accord.registry.config import find_project_config

    return find_project_config(Path.cwd())


def _ignores(args: argparse.Namespace, tool: Any) -> list[IgnoreEntry]:
    from accord.gate.check import load_ignore_file, parse_ignore_entries

    entries: list[IgnoreEntry] = []
    inline = getattr(tool, "ignore", None)
    if inline:
        entries += parse_ignore_entries(
            list(inline), file=str(tool.source), pointer="/tool/accord/ignore"
        )
    path: Path | None = args.ignore_file or getattr(tool, "ignore_file", None)
    if path is None and Path(DEFAULT_IGNORE_FILE).is_file():
        path = Path(DEFAULT_IGNORE_FILE)
    if path is not None:
        entries += load_ignore_file(path)
    return entries


def _requires(tool: Any, root: Path) -> list[tuple[str, str]]:
    """``(service, reference)`` of the project's service manifest, when it uses ``root``."""
    if tool is None or tool.source is None or (tool.service is None and tool.manifest is None):
        return []
    from accord.service.startup import find_service_manifest

    manifest = find_service_manifest(tool.source)
    if manifest.registry is not None and manifest.registry.resolve() != root.resolve():
        return []
    name = manifest.name or str(manifest.source)
    return [(name, entry.ref) for entry in manifest.entries]


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Dispatch to ``check`` or ``changelog``."""
    if args.command == "changelog":
        return _changelog(args, out)
    from accord.gate import git

    with git.session():  # the output's key and the run's: git asked once
        return _check(args, out)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from accord.core.cache import open_cache
    from accord.gate.check import check, require_fail_on

    tool = _tool()
    root = registry_root(args)
    fail_on = require_fail_on(args.fail_on or getattr(tool, "fail_on", None) or "error")
    tool_format = getattr(tool, "format", None)
    output_format = args.format or (tool_format if tool_format in CHECK_FORMATS else "text")
    # An empty --against (an unset CI variable) is a ref to refuse, not "no ref".
    against = args.against if args.against is not None else getattr(tool, "against", None)
    if args.against_tip and against is None:
        from accord.errors import UsageError

        raise UsageError("--against-tip needs --against REF")
    ignore = _ignores(args, tool)
    requires = _requires(tool, root)
    cache = open_cache(getattr(tool, "cache_dir", None), enabled=not args.no_cache)
    colour = output_format == "text" and use_colour(out)
    # A re-run on an unchanged registry prints what the same run printed last time.
    output_key = None
    if cache is not None and args.markdown_summary is None:
        output_key = _output_key(
            root,
            against,
            tip=args.against_tip,
            ignore=ignore,
            consumers_only=args.consumers_only,
            requires=requires,
            view=(output_format, fail_on, colour),
        )
        printed = _printed(cache.get(_OUTPUT_KIND, output_key)) if output_key else None
        if printed is not None:
            out.write(printed[1])
            return printed[0]
    from accord.cli._progress import progress_bar
    from accord.gate.render import render

    with progress_bar("check") as progress:
        report = check(
            root,
            against=against,
            tip=args.against_tip,
            ignore=ignore,
            consumers_only=args.consumers_only,
            requires=requires,
            progress=progress,
            cache=cache,
        )
    # Every format uses the report's one path base: the repository root (GitHub
    # annotations, SARIF and the git restore hints need it; outside git, the cwd).
    text = render(report, output_format, fail_on=fail_on, colour=colour)
    if args.markdown_summary is not None:  # first: if it fails, nothing is printed
        _append_summary(args.markdown_summary, render(report, "markdown", fail_on=fail_on))
    out.write(text)
    code = EXIT_OK if output_format == "ignore-toml" else report.exit_code(fail_on)
    if cache is not None and output_key is not None:
        cache.put(_OUTPUT_KIND, output_key, f"{code}\n{text}".encode("utf-8", "surrogatepass"))
    return code


def _append_summary(path: Path, markdown: str) -> None:
    """Append the markdown report to ``path`` (``$GITHUB_STEP_SUMMARY``).

    Raises:
        UsageError: ``out-not-writable``: a directory, a missing directory, a full disk.
    """
    from accord.errors import UsageError

    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as exc:
        raise UsageError(
            f"--markdown-summary {path}: cannot append to it ({exc.strerror or exc})",
            code="out-not-writable",
        ) from None


# What `accord check` printed and returned, keyed by the run's key and how it was shown.
_OUTPUT_KIND = "check-output"


def _output_key(
    root: Path, against: str | None, *, view: tuple[str, str, bool], **options: Any
) -> str | None:
    from accord.core.cache import make_key
    from accord.gate.check import run_key

    key = run_key(root, against, **options)
    return make_key(_OUTPUT_KIND, key, repr(view)) if key is not None else None


def _printed(data: bytes | None) -> tuple[int, str] | None:
    """``(exit code, text)`` of a stored output, or ``None`` when it is not one."""
    if data is None:
        return None
    code, newline, text = data.partition(b"\n")
    if not newline or code not in (b"0", b"1"):
        return None
    try:
        return int(code), text.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


def _changelog(args: argparse.Namespace, out: TextIO) -> int:
    from accord.gate.changelog import changelog

    root = registry_root(args)
    if not root.is_dir():
        return EXIT_USAGE
    out.write(changelog(root, args.contract, since=args.since))
    return EXIT_OK
