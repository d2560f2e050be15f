"""Findings as data: :class:`Change`, :class:`Report` and their renderers.

A report is the answer of ``accord diff``: both directions (always, whatever the
mode), whether the mode's directions hold, the required bump, and every change with
its rule, status, paths, the directions it breaks and a witness payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeAlias

from accord import versions as _versions
from accord.compat._types import Direction, Semantics, Status, Witness
from accord.core import jsondoc as _jsondoc
from accord.core import rules as _rules
from accord.core.text import escape_control
from accord.registry.config import MODES as _CONFIG_MODES

# One definition each, in the inner layers; named here for the engine modules.
Severity: TypeAlias = _rules.Severity
BumpKind: TypeAlias = _versions.BumpKind
FORMAT_VERSION = _jsondoc.FORMAT_VERSION

MODES: tuple[str, ...] = _CONFIG_MODES


def required_directions(mode: str) -> tuple[Direction, ...]:
    """The directions ``mode`` requires (``full`` and ``full-transitive``: both).

    Raises:
        UsageError: unknown mode.
    """
    base = mode.removesuffix("-transitive")
    if mode not in MODES:
        from accord.errors import UsageError

        raise UsageError(
            f"unknown compatibility mode {mode!r} (expected one of {', '.join(MODES)})"
        )
    if base == "backward":
        return ("backward",)
    if base == "forward":
        return ("forward",)
    if base == "full":
        return ("backward", "forward")
    return ()


@dataclass(frozen=True, slots=True)
class Change:
    """One change between OLD and NEW.

    Attributes:
        rule: The rule id (see ``accord rules``).
        severity: ``error`` (breaks a direction the mode requires), ``warning`` (breaks
            only directions the mode does not require, or downgraded by a contract
            override), ``info`` (breaks nothing).
        status: ``proven`` (refuted with a witness, or harmless), ``unproven`` (the
            engine could neither prove nor refute; reported as breaking), ``policy``
            (a removal, breaking under contract semantics even where sets agree).
        schema_path: JSON pointer into NEW (into OLD for removals).
        instance_path: JSON pointer into the payload (``*``: any item or key).
        breaks: The directions it breaks.
        message: What changed, in words.
        witness: A root-level payload accepted by one side and rejected by the other,
            checked with the reference validator; ``None`` when nothing set-theoretic
            breaks (or it is unproven).
        consumers: Consumers and fields it breaks (filled when consumers are registered).
    """

    rule: str
    severity: Severity
    status: Status
    schema_path: str
    instance_path: str
    breaks: tuple[Direction, ...]
    message: str
    witness: Witness | None = None
    consumers: tuple[Any, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The docs/design.md JSON form."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
            "schema_path": self.schema_path,
            "instance_path": self.instance_path,
            "breaks": list(self.breaks),
            "message": self.message,
            "witness": self.witness.to_json() if self.witness is not None else None,
            "consumers": [c.to_json() if hasattr(c, "to_json") else c for c in self.consumers],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The result of comparing OLD with NEW.

    Attributes:
        mode: The compatibility mode applied.
        semantics: ``contract`` (default) or ``set``.
        compatible: The mode's required directions hold (``none``: always), counting
            contract rule overrides (a change set to ``warning`` or ``off`` no longer
            blocks).
        backward: Every payload valid under OLD is valid under NEW (the truth, before
            overrides).
        forward: Every payload valid under NEW is valid under OLD.
        required_bump: ``none``, ``patch``, ``minor`` or ``major`` (docs/design.md).
        changes: Every change, ordered by instance path then rule.
        old: Label of OLD (file, reference or ``<old>``).
        new: Label of NEW.
        format_version: Version of the JSON shape (1).

    Example:
        >>> from accord.compat import diff
        >>> diff({"type": "string"}, {"type": "number"}).compatible  # doctest: +SKIP
        False
    """

    mode: str
    semantics: Semantics
    compatible: bool
    backward: bool
    forward: bool
    required_bump: BumpKind
    changes: tuple[Change, ...] = ()
    old: str = "<old>"
    new: str = "<new>"
    format_version: int = FORMAT_VERSION

    @property
    def breaking(self) -> tuple[Change, ...]:
        """Changes that break a direction the mode requires (severity ``error``)."""
        return tuple(c for c in self.changes if c.severity == "error" and c.breaks)

    def to_json(self) -> dict[str, Any]:
        """Exactly the JSON object of docs/design.md "Changes and the report"."""
        return {
            "format_version": self.format_version,
            "mode": self.mode,
            "semantics": self.semantics,
            "compatible": self.compatible,
            "backward": self.backward,
            "forward": self.forward,
            "required_bump": self.required_bump,
            "changes": [c.to_json() for c in self.changes],
        }

    def raise_for_incompatible(self) -> None:
        """Raise :class:`~accord.errors.IncompatibleChange` unless ``compatible``.

        Raises:
            IncompatibleChange: with this report as ``report``.
        """
        if self.compatible:
            return
        from accord.errors import IncompatibleChange

        first = self.breaking[0] if self.breaking else None
        detail = (
            f"; first: {first.rule} at {first.instance_path or '/'}: {first.message}"
            if first
            else ""
        )
        raise IncompatibleChange(
            f"{self.new} is not {self.mode}-compatible with {self.old} "
            f"({len(self.breaking)} breaking change(s){detail})",
            report=self,
        )


# ----------------------------------------------------------------------------- renderers


def _compact(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _verdict_word(holds: bool) -> str:
    return "yes" if holds else "no"


def render_text(report: Report) -> str:
    """One summary line, then one line per change (witness as compact JSON)."""
    status = "compatible" if report.compatible else "NOT compatible"
    lines = [
        (
            f"{report.old} -> {report.new}: {status} under mode {report.mode} "
            f"({report.semantics} semantics); backward: {_verdict_word(report.backward)}, "
            f"forward: {_verdict_word(report.forward)}; required bump: {report.required_bump}"
        )
    ]
    for c in report.changes:
        breaks = ",".join(c.breaks) or "-"
        where = c.instance_path or "/"
        line = (
            f"  {c.severity:<7} {c.rule} [{c.status}] {where} ({c.schema_path or '#'}) "
            f"breaks: {breaks}: {c.message}"
        )
        if c.witness is not None:
            line += (
                f"; witness {_compact(c.witness.payload)} "
                f"(accepted by {c.witness.accepted_by}, rejected by {c.witness.rejected_by})"
            )
        lines.append(line)
    if not report.changes:
        lines.append("  no changes")
    # Each line is one finding: a name holding a newline must not start a line of its own.
    return "\n".join(escape_control(line) for line in lines) + "\n"


def _md_cell(text: str) -> str:
    return escape_control(text.replace("|", "\\|").replace("\n", " "))


def render_markdown(report: Report) -> str:
    """A Markdown summary and table (for pull-request comments)."""
    icon = "✅" if report.compatible else "❌"
    lines = [
        f"### {icon} `{_md_cell(report.old)}` → `{_md_cell(report.new)}`",
        "",
        f"- mode: `{report.mode}` ({report.semantics} semantics)",
        (
            f"- compatible: **{_verdict_word(report.compatible)}** "
            f"(backward: {_verdict_word(report.backward)}, "
            f"forward: {_verdict_word(report.forward)})"
        ),
        f"- required bump: **{report.required_bump}**",
        "",
    ]
    if not report.changes:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    lines += [
        "| severity | rule | status | instance path | breaks | message | witness |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in report.changes:
        witness = (
            f"`{_md_cell(_compact(c.witness.payload, 80))}` ({c.witness.accepted_by} only)"
            if c.witness is not None
            else ""
        )
        lines.append(
            f"| {c.severity} | `{c.rule}` | {c.status} | `{_md_cell(c.instance_path or '/')}` | "
            f"{', '.join(c.breaks) or '—'} | {_md_cell(c.message)} | {witness} |"
        )
    return "\n".join(lines) + "\n"
