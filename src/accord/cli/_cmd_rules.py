"""``accord rules`` and ``accord explain RULE``: the one rule catalogue, every family."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from accord.cli import EXIT_OK, EXIT_USAGE
from accord.cli._common import add_format_arg, table, write_json
from accord.core.jsondoc import FORMAT_VERSION


def register(subparsers: Any) -> None:
    """Add ``rules`` and ``explain``."""
    p = subparsers.add_parser(
        "rules",
        help="list every rule: compatibility, lint and gate",
        description="List every rule accord reports: compatibility rules (id, the "
        "directions it can break, the bump it requires when compatible, its default "
        "severity), lint rules and gate rules, each with its description.",
    )
    add_format_arg(p, ("text", "json", "markdown"))
    p.add_argument(
        "--family",
        choices=("compat", "lint", "gate"),
        help="list only this family (text and json; markdown is always the whole page)",
    )
    p.set_defaults(handler=run)

    e = subparsers.add_parser(
        "explain",
        help="explain one rule (any family), with an example",
        description="Print a rule's documentation; a compatibility rule's with its example "
        "(old, new) pair.",
    )
    e.add_argument("rule", metavar="RULE", help="rule id, e.g. property-removed")
    e.set_defaults(handler=run_explain)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """List the catalogue."""
    from accord.compat import render_rules_markdown
    from accord.core.rules import rules

    family = getattr(args, "family", None)
    if args.format == "json":
        write_json(
            out, {"format_version": FORMAT_VERSION, "rules": [r.to_json() for r in rules(family)]}
        )
    elif args.format == "markdown":
        out.write(render_rules_markdown())
    else:
        rows = [["rule", "family", "breaks", "bump", "severity", "description"]]
        rows += [
            [
                r.id,
                r.family,
                ",".join(r.breaks) or "-",
                r.bump or "-",
                r.severity,
                r.summary,
            ]
            for r in rules(family)
        ]
        out.write("\n".join(table(rows)) + "\n")
    return EXIT_OK


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    """Explain one rule of any family; exit 2 (with suggestions) for an unknown id."""
    import difflib
    import sys

    import accord.compat  # noqa: F401 - registers the compatibility rules
    from accord.core.rules import CATALOGUE, FAMILY_SOURCES

    found = CATALOGUE.get(args.rule)
    if found is None:
        close = difflib.get_close_matches(args.rule, list(CATALOGUE), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `accord rules`"
        sys.stderr.write(f"error[unknown-rule]: no rule {args.rule!r}{hint}\n")
        return EXIT_USAGE
    lines = [f"{found.id}: {found.summary}", ""]
    if found.details:
        lines += [found.details, ""]
    if found.family != "compat":
        override = "not allowed"
        if found.overridable:
            override = "allowed ([lint.rules.<id>] in accord.toml)"
        elif found.family == "lint":
            override = "not allowed (without it accord cannot read the registry safely)"
        lines += [
            f"family:   {found.family} ({FAMILY_SOURCES[found.family]})",
            f"severity: {found.severity}",
            f"override: {override}",
        ]
        out.write("\n".join(lines) + "\n")
        return EXIT_OK
    lines += [
        f"breaks:   {', '.join(found.breaks) or 'nothing'}",
        (
            f"bump:     {found.bump} when compatible under the mode (major when it breaks a "
            "required direction)"
        ),
        f"severity: {found.severity}",
        f"mirror:   {found.mirror}" if found.mirror else f"mirror:   none ({found.waiver})",
    ]
    if found.hint:
        lines.append(f"migrate:  {found.hint}")
    if found.example is not None:
        old, new = found.example
        lines += [
            "",
            "example:",
            f"  old: {json.dumps(old, sort_keys=True)}",
            f"  new: {json.dumps(new, sort_keys=True)}",
        ]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK
