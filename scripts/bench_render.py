"""Render ``.bench/results.json`` (written by scripts/bench.py) as tables.

docs/performance.md (and README.md, where it has the markers) state only figures the
harness produced: the text between ``<!-- bench:begin -->`` and ``<!-- bench:end -->``
(``<!-- bench:readme:begin -->`` / ``<!-- bench:readme:end -->`` in the README) is
replaced with what this script renders from the results file, and nothing else.

Usage: python scripts/bench_render.py [RESULTS] [--docs docs/performance.md] [--readme README.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
README_BEGIN, README_END = "<!-- bench:readme:begin -->", "<!-- bench:readme:end -->"


def value(amount: float | None, unit: str) -> str:
    """``amount`` of ``unit`` for people: seconds as s, ms or µs; MiB; growth as x."""
    if amount is None:
        return "—"
    if unit == "MiB":
        return f"{amount:,.0f} MiB"
    if unit == "x":
        return f"{amount:.1f}x"
    if amount >= 1:
        return f"{amount:,.2f} s"
    if amount >= 1e-3:
        return f"{amount * 1e3:,.1f} ms" if amount < 0.1 else f"{amount * 1e3:,.0f} ms"
    return f"{amount * 1e6:,.1f} µs"


def _spread(side: dict[str, Any] | None) -> str:
    if not side or side.get("spread_pct") is None:
        return ""
    return f" ±{side['spread_pct']:.0f}%"


def _met(row: dict[str, Any]) -> str:
    return {True: "yes", False: "**no**", None: ""}[row["met"]]


def _ratio(row: dict[str, Any]) -> str:
    """The ratio (the median of the per-round ratios) and its spread, when it has one."""
    if row["ratio"] is None:
        return "—"
    return f"{row['ratio']:.2f}x" + _spread(row.get("paired_ratio"))


def moved(row: dict[str, Any], *, markdown: bool = True) -> str:
    """How far the row moved from the previous run: its ratio (what a row with a floor is
    judged by), its median, and its floor's."""
    before = row.get("previous")
    if not before:
        return "—"
    parts = []
    if before["ratio_moved_pct"] is not None:
        parts.append(f"ratio {before['ratio_moved_pct']:+.0f}%")
    if before["moved_pct"] is not None:
        parts.append(f"{before['moved_pct']:+.0f}%")
    if before.get("floor_moved_pct") is not None:
        parts.append(f"floor {before['floor_moved_pct']:+.0f}%")
    text = ", ".join(parts) or "—"
    if before["over"]:
        return f"**{text}**" if markdown else f"{text} (OVER)"
    return text


def header(result: dict[str, Any]) -> str:
    m, v = result["machine"], result["versions"]
    libs = ", ".join(f"{k} {v[k]}" for k in sorted(v) if k != "python")
    return (
        f"Measured by `make bench` (scale `{result['scale']}`) on {result['date']} in "
        f"{_duration(result['seconds'])}: {m['cpu'] or m['machine']}, {m['cpus']} CPUs, "
        f"{m['memory_gib']} GiB, {m['system']}, Python {v['python']}{_load(result)}. "
        f"{_source(result)}Libraries: {libs}. Method: {result['method']}."
    )


def _source(result: dict[str, Any]) -> str:
    where = result.get("source") or {}
    if not where.get("commit"):
        return ""
    dirty = " with uncommitted changes under src/" if where.get("dirty") else ""
    return f"accord at commit {where['commit'][:12]}{dirty}. "


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _load(result: dict[str, Any]) -> str:
    load = result.get("load_average")
    if not load:
        return ""
    return f", load average {min(load.values()):.1f} to {max(load.values()):.1f} during the run"


def _few(rows: list[dict[str, Any]]) -> str:
    """The rows whose interval covers the median with less than 95% (too few rounds)."""
    few = [
        f"{row['id']} ({row['contender']['confidence']:.0%})"
        for row in rows
        if row["contender"].get("confidence", 1.0) < 0.95
    ]
    return f" Intervals under 95% (too few rounds): {', '.join(few)}." if few else ""


def summary(result: dict[str, Any]) -> list[str]:
    """What a reader checks first: goals met, spreads, and the move from the run before."""
    limit = result["policy"]["rerun_limit_pct"]
    goals = [row for row in result["rows"] if row["met"] is not None]
    measured = [row for row in result["rows"] if row["group"] != "growth"]
    wide = [
        row["id"] for row in measured if row["spread_pct"] is None or row["spread_pct"] >= limit
    ]
    sure = sum(bool(row.get("met_by_interval")) for row in goals)
    lines = [
        f"Goals met: {sum(row['met'] for row in goals)} of {len(goals)} rows"
        + (
            f" (not met: {', '.join(row['id'] for row in goals if not row['met'])})."
            if not all(row["met"] for row in goals)
            else "."
        )
        + f" Met even at the unfavourable end of the interval: {sure} of {len(goals)}.",
        f"Spread under {limit:g}% (of the ratio for a row with a floor, else of its figure): "
        f"{len(measured) - len(wide)} of {len(measured)} measured rows"
        + (f" (over: {', '.join(wide)})." if wide else ".")
        + _few(measured),
    ]
    before = result.get("previous")
    if not before:
        lines.append("Previous run: none to compare with (run `make bench` again).")
    elif not before["rows_compared"]:
        lines.append(f"Previous run ({before['date']}): no row in common with this one.")
    else:
        over = before["moved_over_limit"]
        caveats = [
            text
            for flag, text in (
                (before["same_machine"], "another machine"),
                (before["same_versions"], "other library versions"),
            )
            if not flag
        ]
        lines.append(
            f"Against the previous run ({before['date']}, scale `{before['scale']}`"
            + (f"; {', '.join(caveats)}" if caveats else "")
            + f"): {before['rows_compared'] - len(over)} of {before['rows_compared']} rows "
            f"moved less than {limit:g}% (the ratio for a row with a floor, else its figure)"
            + (f" (over: {', '.join(over)})." if over else ".")
        )
    return lines


def render_markdown(result: dict[str, Any]) -> str:
    """The table: one line per row of the results, in their order, then the summary."""
    lines = [
        header(result),
        "",
        (
            "| path | accord (median ± spread) | floor / peer | ratio ± spread | goal | met "
            "| moved since the previous run |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        ours = value(row["contender"]["median"], row["unit"]) + _spread(row["contender"])
        floor = row["floor"]
        theirs = (
            f"{floor['label']}: {value(floor['median'], row['unit'])}{_spread(floor)}"
            if floor
            else "—"
        )
        lines.append(
            f"| {row['path']} | {ours} | {theirs} | {_ratio(row)} | {row['goal']} "
            f"| {_met(row)} | {moved(row)} |"
        )
    return "\n".join([*lines, "", *summary(result)]) + "\n"


def render_text(result: dict[str, Any]) -> str:
    """The same rows for a terminal."""
    rows = [("path", "accord", "floor / peer", "ratio", "goal", "met", "moved")]
    for row in result["rows"]:
        floor = row["floor"]
        rows.append(
            (
                row["path"].replace("`", ""),
                value(row["contender"]["median"], row["unit"]) + _spread(row["contender"]),
                f"{value(floor['median'], row['unit'])}{_spread(floor)}" if floor else "",
                _ratio(row) if row["ratio"] is not None else "",
                row["goal"],
                {True: "yes", False: "NO", None: ""}[row["met"]],
                moved(row, markdown=False),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    body = "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )
    return header(result) + "\n\n" + body + "\n\n" + "\n".join(summary(result))


def render_readme(result: dict[str, Any]) -> str:
    """The README's figures: every row with a goal, in a short table."""
    m, v = result["machine"], result["versions"]
    intro = (
        f"Measured by `make bench` (scale `{result['scale']}`) on {result['date'][:10]}: "
        f"{m['cpu'] or m['machine']}, {m['cpus']} CPUs, Python {v['python']}. CPU time, "
        "medians; ± covers the 95% confidence interval of the median (its larger side); the "
        "ratio is to the floor or peer measured in the same run, the median of the ratios of "
        "each round (both sides measured back to back). Every row, the peers' "
        "versions and the method: [docs/performance.md](docs/performance.md)."
    )
    lines = [
        intro,
        "",
        "| path | accord | floor / peer | ratio ± spread | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        if row["met"] is None:
            continue
        floor = row["floor"]
        theirs = f"{floor['label']}: {value(floor['median'], row['unit'])}" if floor else "—"
        ours = value(row["contender"]["median"], row["unit"]) + _spread(row["contender"])
        lines.append(
            f"| {row['path']} | {ours} | {theirs} | {_ratio(row)} | {row['goal']} | {_met(row)} |"
        )
    return "\n".join([*lines, "", *summary(result)]) + "\n"


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    """``text`` with what lies between the ``begin`` and ``end`` markers replaced."""
    start = text.index(begin) + len(begin)
    stop = text.index(end, start)
    return text[:start] + "\n" + body + text[stop:]


def update(path: Path, result: dict[str, Any], *, readme: bool = False) -> bool:
    """Rewrite the marked part of ``path``; whether it had the markers."""
    text = path.read_text(encoding="utf-8")
    begin, end = (README_BEGIN, README_END) if readme else (BEGIN, END)
    if begin not in text or end not in text:
        return False
    body = render_readme(result) if readme else render_markdown(result)
    path.write_text(replace_between(text, begin, end, body), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="?", type=Path, default=ROOT / ".bench" / "results.json")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    args = parser.parse_args(argv)
    result = json.loads(args.results.read_text(encoding="utf-8"))
    if not update(args.docs, result):
        print(f"{args.docs} has no {BEGIN} ... {END} markers", file=sys.stderr)
        return 2
    update(args.readme, result, readme=True)
    print(render_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
