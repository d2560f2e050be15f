"""Every ``accord check`` output format against golden files, from one report.

Regenerate after an intended change with ``ACCORD_UPDATE_GOLDEN=1 pytest tests/gate``
and review the diff like code.
"""

from __future__ import annotations

import dataclasses
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _gate_helpers import make_contract, schema, write_unpublished

from accord.gate import publish as _publish
from accord.gate.check import GATE_RULES, GateReport, IgnoreEntry, check
from accord.gate.render import FORMATS, render

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {
    "text": "txt",
    "json": "json",
    "markdown": "md",
    "github": "txt",
    "junit": "xml",
    "sarif": "sarif.json",
    "ignore-toml": "toml",
}


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GateReport:
    """Two contracts: a bump too small (with a witness) and an unlocked file (approved)."""
    monkeypatch.chdir(tmp_path)
    root = Path("contracts")
    make_contract(root, "orders.placed")
    make_contract(root, "billing.paid")
    _publish.publish(root, "orders.placed", schema())
    write_unpublished(
        root, "orders.placed", "1.0.1", schema(extra={"type": "string"}, id={"type": "number"})
    )
    (root / "billing" / "paid" / "1.0.0.schema.json").write_text(json.dumps(schema()))
    unlocked = next(f for f in check(root).findings if f.rule == "lock-missing-entry")
    approval = IgnoreEntry(unlocked.fingerprint, "billing publishes it in the next release")
    return check(root, ignore=[approval])


@pytest.mark.parametrize("output_format", FORMATS)
def test_format_matches_golden(report: GateReport, output_format: str) -> None:
    text = render(report, output_format, prefix="contracts", tool_version="0.0.0-test")
    golden = GOLDEN / f"check.{output_format}.{SUFFIX[output_format]}"
    if os.environ.get("ACCORD_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert text == render(report, output_format, prefix="contracts", tool_version="0.0.0-test")


def test_report_shape(report: GateReport) -> None:
    assert [(f.rule, f.ignored is not None) for f in report.findings] == [
        ("lock-missing-entry", True),
        ("bump-insufficient", False),
    ]
    assert report.exit_code() == 1


def test_json_is_documented_shape(report: GateReport) -> None:
    body = json.loads(render(report, "json"))
    assert body["format_version"] == 1
    assert set(body) == {
        "format_version", "tool", "registry", "against", "base", "fail_on", "ok",
        "summary", "findings", "checks", "unused_ignores",
    }  # fmt: skip
    finding = body["findings"][1]
    assert finding["rule"] == "bump-insufficient"
    assert {c["rule"] for c in finding["changes"]} >= {"property-added-optional"}


def test_sarif_and_junit_are_well_formed(report: GateReport) -> None:
    sarif = json.loads(render(report, "sarif", prefix="contracts"))
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(GATE_RULES)
    # Every URI in the log must resolve: no informationUri to a site that does not exist.
    assert "informationUri" not in run["tool"]["driver"]
    assert all("accord explain" in r["help"]["text"] for r in run["tool"]["driver"]["rules"])
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["lock-missing-entry"]
    junit = ET.fromstring(render(report, "junit"))
    suite = junit.find("testsuite")
    assert suite is not None
    assert (suite.get("failures"), suite.get("skipped")) == ("1", "1")


def test_github_annotations_escape_and_skip_ignored(report: GateReport) -> None:
    lines = render(report, "github", prefix="contracts").splitlines()
    assert lines[0].startswith(
        "::error file=contracts/orders/placed/1.0.1.schema.json,line=1,title=bump-insufficient::"
    )
    assert not any("lock-missing-entry" in line for line in lines)


def test_text_colour_only_when_asked(report: GateReport) -> None:
    assert "\x1b[" not in render(report, "text")
    assert "\x1b[31;1m" in render(report, "text", colour=True)


@pytest.mark.parametrize("output_format", ["markdown", "junit"])
def test_ci_reports_name_the_registry_without_the_runner_path(
    report: GateReport, output_format: str
) -> None:
    # A runner's checkout path (/home/runner/work/...) means nothing in a PR comment.
    absolute = dataclasses.replace(report, registry="/home/runner/work/app/app/contracts")
    text = render(absolute, output_format, prefix="contracts")
    assert "/home/runner" not in text
    assert "contracts" in text
