"""Per-suite accuracy of accord on the public compatibility suites (tests/compat/suites/).

Runs accord (set semantics) on every extracted case and compares each direction with
the adjudicated truth recorded in the case (``set``): a direction is *right* when accord
proves what holds or refutes what breaks, *unproven* when accord leaves it open, and
*unsound* when accord proves a direction a witness breaks (that must never happen),
counted for the engine's verdict and for the flags of ``accord.diff``'s report.
Cases accord refuses as invalid input (exit 2) are counted apart; directions the suite
does not grade are left out.

    python scripts/suites_report.py            # a Markdown table (docs/compatibility.md)
    python scripts/suites_report.py --details  # every wrong, unproven or unsound direction
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUITES = ROOT / "tests" / "compat" / "suites"

sys.path.insert(0, str(ROOT / "src"))
from extract_suites import accord_answer  # noqa: E402  (scripts/ is on sys.path)

from accord.compat import diff  # noqa: E402


def score(cases: list[dict[str, Any]]) -> dict[str, Any]:
    tally = {"cases": len(cases), "refused": 0, "graded": 0, "right": 0, "unproven": 0}
    tally |= {"wrong": 0, "unsound": 0, "report_unsound": 0, "details": []}
    for case in cases:
        answer = accord_answer(case["old"], case["new"])
        if "refused" in answer:
            tally["refused"] += 1
            continue
        # What a user sees: accord.diff's report must never say a direction holds
        # where a witness breaks it either.
        report = diff(old_schema=case["old"], new_schema=case["new"], semantics="set")
        for direction in ("backward", "forward"):
            truth = case["set"][direction]
            if truth is None:
                continue
            if truth is False and getattr(report, direction) is True:
                tally["report_unsound"] += 1
                tally["details"].append(f"UNSOUND (diff report): {case['id']} {direction}")
            tally["graded"] += 1
            holds = answer[direction]["holds"]
            if holds is None:
                tally["unproven"] += 1
                kind = "unproven"
            elif holds == truth:
                tally["right"] += 1
                continue
            elif holds is True:
                tally["unsound"] += 1
                kind = "UNSOUND"
            else:
                tally["wrong"] += 1
                kind = "wrong"
            tally["details"].append(
                f"{kind}: {case['id']} {direction}: {answer[direction]['reason']}"
            )
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    rows = []
    total: dict[str, int] = {}
    details: list[str] = []
    for path in sorted(SUITES.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        tally = score(suite["cases"])
        details += tally.pop("details")
        for key, value in tally.items():
            total[key] = total.get(key, 0) + value
        rows.append((path.stem, tally))
    rows.append(("**all**", total))
    print(
        "| suite | cases | refused (invalid input) | graded directions | right | unproven "
        "| wrong | unsound (engine / `diff` report) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, t in rows:
        graded = t["graded"] or 1
        print(
            f"| {name} | {t['cases']} | {t['refused']} | {t['graded']} | "
            f"{t['right']} ({100 * t['right'] / graded:.1f}%) | "
            f"{t['unproven']} ({100 * t['unproven'] / graded:.1f}%) | {t['wrong']} | "
            f"{t['unsound']} / {t['report_unsound']} |"
        )
    if args.details:
        print()
        for line in details:
            print(f"- {line}")
    return 1 if total.get("unsound") or total.get("report_unsound") else 0


if __name__ == "__main__":
    raise SystemExit(main())
