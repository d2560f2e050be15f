"""Renderers of :class:`accord.gate.check.GateReport` (see the package docstring)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from accord.compat._report import describe_direction
from accord.core.text import escape_control, markdown_code, markdown_text, plural
from accord.gate.check import GATE_RULES, SEVERITIES, FailOn, Finding, GateReport

if TYPE_CHECKING:
    from accord.compat._report import Change

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "markdown", "github", "junit", "sarif", "ignore-toml")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(
    report: GateReport,
    output_format: str,
    *,
    fail_on: FailOn = "error",
    colour: bool = False,
    prefix: str | None = None,
    tool_version: str | None = None,
) -> str:
    """Render ``report`` in ``output_format``.

    Args:
        report: What the gate found.
        output_format: One of :data:`FORMATS`.
        fail_on: The ``--fail-on`` threshold (shown in summaries, decides JUnit failures).
        colour: ANSI colour (``text`` only).
        prefix: Path of the registry root that every format joins finding files to
            (default: :attr:`GateReport.prefix`, its path from the repository root, so
            text, json, github, sarif and the restore hints agree).
        tool_version: accord's version in ``sarif`` (default: the installed version).

    Raises:
        ValueError: unknown format.
    """
    if tool_version is None:
        from accord._version import __version__

        tool_version = __version__
    if prefix is None:
        prefix = report.prefix
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: _text(report, fail_on, colour, prefix),
        "json": lambda: _json(report.to_json(fail_on, prefix=prefix)),
        "markdown": lambda: _markdown(report, fail_on, prefix),
        "github": lambda: _github(report, prefix),
        "junit": lambda: _junit(report, fail_on, prefix),
        "sarif": lambda: _json(_sarif(report, prefix, tool_version)),
        "ignore-toml": lambda: _ignore_toml(report),
    }
    if output_format not in renderers:
        raise ValueError(f"unknown format {output_format!r}; expected one of {FORMATS}")
    return renderers[output_format]()


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"


def _path(prefix: str, file: str | None) -> str | None:
    from accord.gate.check import join_path

    return join_path(prefix, file)


def _counts(report: GateReport) -> dict[str, int]:
    return {s: sum(1 for f in report.active if f.severity == s) for s in SEVERITIES}


def _summary(report: GateReport, fail_on: FailOn) -> str:
    counts = _counts(report)
    parts = [
        plural(report.contracts, "contract"),
        f"{len(report.checked)} checked",
        plural(len(report.checks), "version comparison"),
        plural(counts["error"], "error"),
        plural(counts["warning"], "warning"),
    ]
    if report.ignored:
        parts.append(f"{len(report.ignored)} ignored")
    verdict = "FAILED" if report.failed(fail_on) else "passed"
    return f"{verdict}: " + ", ".join(parts)


def _where(report: GateReport, shown: Callable[[str], str] = escape_control) -> str:
    """``against REF (base ...)``, the ref as ``shown`` writes it: git reads any text
    in ``@{...}`` as a date, so a ref that names a commit may hold a newline."""
    if report.against is None:
        return "registry alone"
    return f"against {shown(report.against)} (base {(report.base or '')[:12]})"


# -- text ------------------------------------------------------------------------------

_ANSI = {"error": "31;1", "warning": "33;1", "info": "36", "ok": "32;1", "dim": "2"}


def _paint(text: str, name: str, colour: bool) -> str:
    return f"\x1b[{_ANSI[name]}m{text}\x1b[0m" if colour else text


def _text(report: GateReport, fail_on: FailOn, colour: bool, prefix: str) -> str:
    lines = [f"accord check {escape_control(report.registry)}: {_where(report)}"]
    for finding in report.findings:
        where = escape_control(_path(prefix, finding.file) or report.registry)
        if finding.line is not None:
            where += f":{finding.line}"
        message = escape_control(finding.message)
        if finding.ignored is not None:
            head = _paint(f"ignored[{finding.rule}]", "dim", colour)
            lines.append(f"{head} {where}: {message}")
            approved = escape_control(finding.ignored)  # a reason cannot start a line
            lines.append(f"  approved: {approved} (fingerprint {finding.fingerprint})")
            continue
        head = _paint(f"{finding.severity}[{finding.rule}]", finding.severity, colour)
        lines.append(f"{head} {where}: {message}")
        lines.extend(_change_lines(finding.changes, "  "))
        lines.append(f"  fingerprint {finding.fingerprint}")
    lines.extend(
        escape_control(
            f"warning: ignore entry {entry.fingerprint} matched no finding ({entry.reason})"
        )
        for entry in report.unused_ignores
    )
    summary = _summary(report, fail_on)
    lines.append(_paint(summary, "error" if report.failed(fail_on) else "ok", colour))
    return "\n".join(lines) + "\n"


def _change_lines(changes: tuple[Change, ...], indent: str) -> list[str]:
    lines: list[str] = []
    for change in changes:
        breaks = f" (breaks {', '.join(change.breaks)})" if change.breaks else ""
        lines.append(
            f"{indent}- {change.rule} at {change.instance_path or '/'}{breaks}: {change.message}"
        )
        lines.extend(f"{indent}  {describe_direction(change.direction(d))}" for d in change.breaks)
    # One line per change: a name holding a newline must not start a line of its own.
    return [escape_control(line) for line in lines]


# -- markdown --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return markdown_text(text)


def _markdown(report: GateReport, fail_on: FailOn, prefix: str) -> str:
    counts = _counts(report)
    icon = "❌" if report.failed(fail_on) else "✅"
    headline = (
        f"Registry `{_shared_name(report)}`, {_where(report, markdown_text)}: "
        f"{plural(report.contracts, 'contract')}, {len(report.checked)} checked, "
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{len(report.ignored)} ignored."
    )
    out = [f"## {icon} accord check", "", headline, ""]
    if report.active:
        out += [
            "### Findings",
            "",
            "| | rule | contract | version | required | declared | message |",
            "|---|---|---|---|---|---|---|",
        ]
        out += [
            f"| {f.severity} | `{f.rule}` | {_cell(f.contract or '')} | {f.version or ''} | "
            f"{f.required_bump or ''} | {f.declared_bump or ''} | {_cell(f.message)} |"
            for f in report.active
        ]
        out.append("")
    changed = [c for c in report.checks if c.report.changes]
    if changed:
        out += ["### Changes", ""]
        for check in changed:
            verdict = "ok" if check.ok else "**bump too small**"
            out += [
                f"#### `{check.contract}` {check.previous} → {check.version} ({check.mode})",
                "",
                f"Required bump **{check.required}**, declared **{check.declared}**: {verdict}.",
                "",
            ]
            for change in check.report.changes:
                breaks = f" — breaks {', '.join(change.breaks)}" if change.breaks else ""
                out.append(
                    f"- `{change.rule}` at {markdown_code(change.instance_path or '/')}{breaks}: "
                    f"{_cell(change.message)}"
                )
                out.extend(
                    f"  - {escape_control(describe_direction(change.direction(d), code=True))}"
                    for d in change.breaks
                )
            out.append("")
    if report.ignored:
        out += ["### Ignored (approved)", "", "| rule | contract | version | reason |"]
        out.append("|---|---|---|---|")
        out += [
            f"| `{f.rule}` | {_cell(f.contract or '')} | {f.version or ''} | "
            f"{_cell(f.ignored or '')} |"
            for f in report.ignored
        ]
        out.append("")
    return "\n".join(out)


# -- GitHub annotations ----------------------------------------------------------------


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _github(report: GateReport, prefix: str) -> str:
    lines: list[str] = []
    for finding in report.active:
        props = []
        path = _path(prefix, finding.file)
        if path is not None:
            props.append(f"file={_gh_property(path)}")
            props.append(f"line={finding.line or 1}")
        props.append(f"title={_gh_property(finding.rule)}")
        lines.append(
            f"::{_GH_LEVEL[finding.severity]} {','.join(props)}::{_gh_data(finding.message)}"
        )
    counts = _counts(report)
    lines.append(
        f"accord check: {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')}, {len(report.ignored)} ignored"
    )
    return "\n".join(lines) + "\n"


# -- JUnit -----------------------------------------------------------------------------


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_chars(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold written as ``\\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _junit(report: GateReport, fail_on: FailOn, prefix: str) -> str:
    # Here, not at the top: xml.sax pulls in urllib.request and email (~30 ms of every
    # `accord check` run that prints another format).
    from xml.sax.saxutils import escape as _escape
    from xml.sax.saxutils import quoteattr as _quoteattr

    # Names come from schemas: U+FFFF, U+FFFE and C0 controls are valid JSON, but XML 1.0
    # cannot hold them even as references, and the report would not parse.
    def escape(text: str) -> str:
        return _escape(_xml_chars(text))

    def quoteattr(text: str) -> str:
        return _quoteattr(_xml_chars(text))

    floor = SEVERITIES.index(fail_on)
    cases: list[str] = []
    failures = skipped = 0
    found = {(f.contract, f.version) for f in report.findings}
    for check in report.checks:
        if (check.contract, str(check.version)) in found:
            continue
        name = f"{check.contract}@{check.version} vs {check.previous}"
        cases.append(
            f"    <testcase classname={quoteattr(check.contract)} name={quoteattr(name)}/>"
        )
    for finding in report.findings:
        name = quoteattr(f"{finding.title} [{finding.fingerprint}]")
        classname = quoteattr(finding.contract or _shared_name(report))
        body = escape(f"{_path(prefix, finding.file) or _shared_name(report)}: {finding.message}")
        if finding.ignored is not None:
            skipped += 1
            reason = quoteattr(f"approved: {finding.ignored}")
            cases.append(
                f"    <testcase classname={classname} name={name}>\n"
                f"      <skipped message={reason}/>\n    </testcase>"
            )
        elif SEVERITIES.index(finding.severity) >= floor:
            failures += 1
            message = quoteattr(finding.rule)
            cases.append(
                f"    <testcase classname={classname} name={name}>\n"
                f"      <failure message={message} type={quoteattr(finding.severity)}>{body}"
                "</failure>\n    </testcase>"
            )
        else:
            cases.append(
                f"    <testcase classname={classname} name={name}>\n"
                f"      <system-out>{body}</system-out>\n    </testcase>"
            )
    head = (
        f'  <testsuite name="accord check" tests="{len(cases)}" failures="{failures}" '
        f'errors="0" skipped="{skipped}">'
    )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="accord" tests="{len(cases)}" failures="{failures}">',
            head,
            *cases,
            "  </testsuite>",
            "</testsuites>",
            "",
        ]
    )


# -- SARIF -----------------------------------------------------------------------------

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _sarif(report: GateReport, prefix: str, tool_version: str) -> dict[str, Any]:
    rule_ids = sorted(GATE_RULES)
    rules = [
        {
            "id": rule,
            "name": "".join(part.title() for part in rule.split("-")),
            "shortDescription": {"text": GATE_RULES[rule][1]},
            "help": {"text": f"{GATE_RULES[rule][1]} (accord explain {rule})"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[GATE_RULES[rule][0]]},
        }
        for rule in rule_ids
    ]
    results = [_sarif_result(f, prefix, rule_ids) for f in report.findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        # No informationUri: SARIF makes it optional, and a link that does
                        # not resolve is worse than none (each rule carries its own help).
                        "name": "accord",
                        "version": tool_version,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def _shared_name(report: GateReport) -> str:
    """The registry as a PR comment or CI report names it: its path in the repository
    (the runner's absolute checkout path means nothing to a reader and leaks the host)."""
    prefix = report.prefix
    if prefix is not None and not prefix.startswith("/"):
        return prefix or "."
    return report.registry.rstrip("/").rsplit("/", 1)[-1] or report.registry


def _sarif_result(finding: Finding, prefix: str, rule_ids: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {"accordFingerprint/v1": finding.fingerprint},
    }
    if finding.rule in rule_ids:
        result["ruleIndex"] = rule_ids.index(finding.rule)
    path = _path(prefix, finding.file)
    if path is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": finding.line or 1},
                }
            }
        ]
    if finding.ignored is not None:
        result["suppressions"] = [{"kind": "external", "justification": finding.ignored}]
    return result


# -- ignore entries --------------------------------------------------------------------


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ignore_toml(report: GateReport) -> str:
    from accord.core.reasons import PLACEHOLDER_PREFIX

    if not report.active:
        return ""
    header = (
        "# Approvals for `accord check --ignore-file`. Every reason below is a placeholder\n"
        "# that accord check refuses (exit 2) until it says why the finding is approved,\n"
        "# who approved it and where it was reviewed.\n"
    )
    blocks = [header]
    for finding in report.active:
        lines = ["[[ignore]]", f"fingerprint = {_toml_str(finding.fingerprint)}"]
        lines.append(f"rule = {_toml_str(finding.rule)}")
        if finding.contract:
            lines.append(f"contract = {_toml_str(finding.contract)}")
        if finding.version:
            lines.append(f"version = {_toml_str(finding.version)}")
        lines.append(
            f'reason = "{PLACEHOLDER_PREFIX}: why this finding is approved (who, where reviewed)"'
        )
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
