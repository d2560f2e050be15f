"""``accord rules`` and ``accord explain RULE``: the compatibility rule catalogue."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from accord.cli import EXIT_OK, EXIT_USAGE
from accord.cli._common import add_format_arg, table, write_json


def register(subparsers: Any) -> None:
    """Add ``rules`` and ``explain``."""
    p = subparsers.add_parser(
        "rules",
        help="list the compatibility rules",
        description="List every compatibility rule: id, the directions it can break, the "
        "bump it requires when compatible, its default severity and its description.",
    )
    add_format_arg(p, ("text", "json", "markdown"))
    p.set_defaults(handler=run)

    e = subparsers.add_parser(
        "explain",
        help="explain one compatibility rule, with an example",
        description="Print a rule's documentation and its example (old, new) pair.",
    )
    e.add_argument("rule", metavar="RULE", help="rule id, e.g. property-removed")
    e.set_defaults(handler=run_explain)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """List the catalogue."""
    from accord.compat import RULES, render_rules_markdown

    if args.format == "json":
        write_json(out, {"format_version": 1, "rules": [r.to_json() for r in RULES.values()]})
    elif args.format == "markdown":
        out.write(render_rules_markdown())
    else:
        rows = [["rule", "breaks", "bump", "severity", "description"]]
        rows += [
            [r.id, ",".join(r.breaks) or "-", r.bump, r.severity, r.description]
            for r in RULES.values()
        ]
        out.write("\n".join(table(rows)) + "\n")
    return EXIT_OK


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    """Explain one rule; exit 2 (with suggestions) for an unknown id."""
    import difflib
    import sys

    from accord.compat import RULES

    found = RULES.get(args.rule)
    if found is None:
        close = difflib.get_close_matches(args.rule, list(RULES), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `accord rules`"
        sys.stderr.write(f"error[unknown-rule]: no rule {args.rule!r}{hint}\n")
        return EXIT_USAGE
    old, new = found.example
    lines = [
        f"{found.id}: {found.description}",
        "",
    ]
    if found.details:
        lines += [found.details, ""]
    lines += [
        f"breaks:   {', '.join(found.breaks) or 'nothing'}",
        (
            f"bump:     {found.bump} when compatible under the mode (major when it breaks a "
            "required direction)"
        ),
        f"severity: {found.severity}",
        f"mirror:   {found.mirror}" if found.mirror else f"mirror:   none ({found.waiver})",
        "",
        "example:",
        f"  old: {json.dumps(old, sort_keys=True)}",
        f"  new: {json.dumps(new, sort_keys=True)}",
    ]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK
