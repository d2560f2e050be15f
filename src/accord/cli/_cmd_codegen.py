"""``accord codegen [--out DIR] [--package NAME] [--check]``: typed Pydantic models."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from accord.cli import EXIT_FINDINGS, EXIT_OK
from accord.cli._common import add_format_arg, add_registry_arg, plural, write_json
from accord.core.jsondoc import FORMAT_VERSION


def register(subparsers: Any) -> None:
    """Add ``codegen``."""
    p = subparsers.add_parser(
        "codegen",
        help="generate typed Pydantic v2 models for every published version",
        description="Write <out>/<package>/<namespace>/<name>/v<X>_<Y>_<Z>.py for every "
        "published contract version (datamodel-code-generator, pinned, in-process). "
        "Output is byte-identical across runs; unchanged versions are skipped. With "
        "--check nothing is written and the exit code is 1 when any file is out of date.",
    )
    add_registry_arg(p)
    p.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="output directory (default: [tool.accord] codegen-output, else the directory "
        "of the pyproject.toml whose [tool.accord.service] generated names the package, "
        "else ./generated)",
    )
    p.add_argument(
        "--package",
        metavar="NAME",
        default=None,
        help="generated package name (default: [tool.accord] codegen-package, else "
        "[tool.accord.service] generated, else accord_models)",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 naming stale files")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither reuse nor keep input keys in the cache directory (ACCORD_CACHE_DIR, "
        "else [tool.accord] cache-dir, else $XDG_CACHE_HOME/accord)",
    )
    add_format_arg(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Generate (or check) the model package; 1 when ``--check`` finds stale files."""
    from accord.cli._common import discovered_root
    from accord.cli._progress import progress_bar
    from accord.codegen import codegen_target, generate_registry
    from accord.core.cache import open_cache
    from accord.registry.config import find_project_config

    tool = find_project_config(Path.cwd())
    out_dir, package = codegen_target(tool, out=args.out, package=args.package)
    root = discovered_root(args)
    cache = open_cache(tool.cache_dir, enabled=not args.no_cache)
    with progress_bar("codegen", unit="version") as progress:
        # Loads the registry only when the package is not known to be up to date.
        result = generate_registry(
            root, out_dir, package=package, check=args.check, progress=progress, cache=cache
        )
    if args.format == "json":
        write_json(
            out,
            {
                "format_version": FORMAT_VERSION,
                "package": package,
                "out": out_dir.as_posix(),
                "check": bool(args.check),
                "up_to_date": result.up_to_date,
                "stale": list(result.stale),
                "written": list(result.written),
                "removed": list(result.removed),
                "regenerated": list(result.regenerated),
            },
        )
    elif args.check:
        for rel in result.stale:
            out.write(f"stale: {(out_dir / rel).as_posix()}\n")
        if result.stale:
            out.write(
                f"{plural(len(result.stale), 'file')} out of date: run `{_fix_command(args)}`\n"
            )
        else:
            out.write(f"{package}: up to date ({plural(len(result.unchanged), 'file')})\n")
    else:
        for rel in result.written:
            out.write(f"wrote {(out_dir / rel).as_posix()}\n")
        for rel in result.removed:
            out.write(f"removed {(out_dir / rel).as_posix()}\n")
        out.write(
            f"{package}: {len(result.written)} written, {len(result.removed)} removed, "
            f"{len(result.unchanged)} unchanged\n"
        )
    return EXIT_FINDINGS if args.check and result.stale else EXIT_OK


def _fix_command(args: argparse.Namespace) -> str:
    """The same run without ``--check``: what rewrites the files it reported stale."""
    import shlex

    words = ["accord", "codegen"]
    for flag, value in (("--registry", args.registry), ("--out", args.out)):
        if value is not None:
            words += [flag, Path(value).as_posix()]
    if args.package is not None:
        words += ["--package", args.package]
    return shlex.join(words)
