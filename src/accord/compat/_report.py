"""Findings as data: :class:`Change`, :class:`Report` and their renderers.

A report is the answer of ``accord diff``: both directions (always, whatever the
mode), whether the mode's directions hold, the required bump, and every change with
its rule, status, paths, the directions it breaks and a witness payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from accord import versions as _versions
from accord.compat._types import Direction, Semantics, Status, Witness
from accord.core import jsondoc as _jsondoc
from accord.core import rules as _rules
from accord.core.text import escape_control, markdown_code, markdown_text, plural
from accord.registry.config import MODES as _CONFIG_MODES

# One definition each, in the inner layers; named here for the engine modules.
Severity: TypeAlias = _rules.Severity
BumpKind: TypeAlias = _versions.BumpKind
FORMAT_VERSION = _jsondoc.FORMAT_VERSION

DirectionStatus = Literal["proven", "refuted", "policy", "unproven"]
"""One direction's standing: ``proven`` (it holds), ``refuted`` (broken, with a witness
of its own), ``policy`` (broken by a named policy, e.g. ``removal``), ``unproven``
(neither shown; reported not compatible, with the reason)."""

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
class DirectionResult:
    """What one direction (of a change, or of the whole report) rests on.

    Attributes:
        direction: ``backward`` or ``forward``.
        status: ``proven``, ``refuted``, ``policy`` or ``unproven`` (:data:`DirectionStatus`).
        witness: For ``refuted`` (and a ``policy`` break where sets differ too): a root
            payload accepted by the direction's writer side and rejected by its reader,
            checked with the reference validator.
        policy: The named policy that breaks the direction (``removal``), else None.
        reason: Why it is unproven, or what the policy found.
    """

    direction: Direction
    status: DirectionStatus
    witness: Witness | None = None
    policy: str | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "witness": self.witness.to_json() if self.witness is not None else None,
            "policy": self.policy,
            "reason": self.reason,
        }


def _directions_json(results: tuple[DirectionResult, ...]) -> dict[str, Any]:
    return {r.direction: r.to_json() for r in results}


@dataclass(frozen=True, slots=True)
class Change:
    """One change between OLD and NEW.

    Attributes:
        rule: The rule id (see ``accord rules``).
        severity: ``error`` (breaks a direction the mode requires), ``warning`` (breaks
            only directions the mode does not require, or downgraded by a contract
            override), ``info`` (breaks nothing).
        status: ``proven`` (every direction it breaks is refuted with a witness of its
            own, or it breaks nothing), ``unproven`` (some direction it reports could
            be neither proven nor refuted; reported as breaking), ``policy`` (a
            removal, breaking under contract semantics even where sets agree). Each
            direction's own standing is in ``directions``.
        schema_path: JSON pointer into NEW (into OLD for removals).
        instance_path: JSON pointer into the payload (``*``: any item or key).
        breaks: The directions it breaks.
        message: What changed, in words.
        witness: A root-level payload accepted by one side and rejected by the other,
            checked with the reference validator; ``None`` when nothing set-theoretic
            breaks (or it is unproven).
        consumers: Consumers and fields it breaks (filled when consumers are registered).
        directions: Per direction (backward, forward), its status and its own witness
            (:class:`DirectionResult`); a direction not in ``breaks`` is ``proven``.
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
    directions: tuple[DirectionResult, ...] = ()

    def direction(self, direction: Direction) -> DirectionResult:
        """The standing of ``direction`` for this change."""
        return _find(self.directions, direction, direction in self.breaks, self.witness)

    def to_json(self) -> dict[str, Any]:
        """The docs/design.md JSON form, plus ``directions`` (per-direction status and
        witness, docs/compatibility.md)."""
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
            "directions": _directions_json(
                tuple(self.direction(d) for d in ("backward", "forward"))
            ),
        }


def _find(
    results: tuple[DirectionResult, ...],
    direction: Direction,
    broken: bool,
    witness: Witness | None,
) -> DirectionResult:
    """``direction``'s result, or one derived from the legacy fields when none was recorded
    (a ``Change``/``Report`` built by hand): a broken direction with a witness for it is
    refuted, without one unproven."""
    for result in results:
        if result.direction == direction:
            return result
    if not broken:
        return DirectionResult(direction, "proven")
    accepted = "old" if direction == "backward" else "new"
    if witness is not None and witness.accepted_by == accepted:
        return DirectionResult(direction, "refuted", witness)
    return DirectionResult(direction, "unproven", reason="no witness recorded")


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
        directions: Per direction (backward, forward), its status and its own witness
            (:class:`DirectionResult`): ``proven`` exactly when ``backward``/``forward``
            is true.

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
    directions: tuple[DirectionResult, ...] = ()

    def direction(self, direction: Direction) -> DirectionResult:
        """The standing of ``direction`` at the root (see :class:`DirectionResult`)."""
        holds = self.backward if direction == "backward" else self.forward
        return _find(self.directions, direction, not holds, None)

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
            "directions": _directions_json(
                tuple(self.direction(d) for d in ("backward", "forward"))
            ),
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
            f"({plural(len(self.breaking), 'breaking change')}{detail})",
            report=self,
        )


# ----------------------------------------------------------------------------- renderers


def _compact(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _verdict_word(holds: bool) -> str:
    return "yes" if holds else "no"


def _root_word(report: Report, direction: Direction) -> str:
    """``yes``, or ``no`` with what the direction rests on (its status)."""
    result = report.direction(direction)
    if result.status == "proven":
        return "yes"
    return f"no ({result.status})"


def describe_direction(result: DirectionResult, limit: int = 120, *, code: bool = False) -> str:
    """One broken direction in words: its own witness, the named policy, or ``unproven``
    (``code``: the witness payload as a Markdown code span).

    >>> describe_direction(DirectionResult("backward", "unproven", reason="r"))
    'backward unproven'
    """
    head = f"{result.direction} {result.status}"
    if result.policy is not None:
        head += f" ({result.policy})"
    if result.witness is not None:
        w = result.witness
        payload = _compact(w.payload, limit)
        if code:
            payload = markdown_code(payload)
        head += f", witness {payload} (accepted by {w.accepted_by}, rejected by {w.rejected_by})"
    return head


def render_text(report: Report) -> str:
    """One summary line, then one line per change (witness as compact JSON)."""
    status = "compatible" if report.compatible else "NOT compatible"
    lines = [
        (
            f"{report.old} -> {report.new}: {status} under mode {report.mode} "
            f"({report.semantics} semantics); backward: {_root_word(report, 'backward')}, "
            f"forward: {_root_word(report, 'forward')}; required bump: {report.required_bump}"
        )
    ]
    for c in report.changes:
        breaks = ",".join(c.breaks) or "-"
        where = c.instance_path or "/"
        line = (
            f"  {c.severity:<7} {c.rule} [{c.status}] {where} ({c.schema_path or '#'}) "
            f"breaks: {breaks}: {c.message}"
        )
        for d in c.breaks:
            line += f"; {describe_direction(c.direction(d))}"
        lines.append(line)
    if not report.changes:
        lines.append("  no changes")
    # Each line is one finding: a name holding a newline must not start a line of its own.
    return "\n".join(escape_control(line) for line in lines) + "\n"


def _md_cell(text: str) -> str:
    return markdown_text(text)


def _md_code(text: str) -> str:
    """A code span in a table cell: a backtick cannot close it, nor a ``|`` end the cell."""
    return markdown_code(text).replace("|", "\\|")


def _md_direction(result: DirectionResult) -> str:
    """One broken direction in a table cell: its witness, policy or ``unproven``."""
    if result.witness is not None:
        w = result.witness
        text = f"{result.direction}: {_md_code(_compact(w.payload, 80))} ({w.accepted_by} only)"
        return text + (f", policy {result.policy}" if result.policy else "")
    if result.policy is not None:
        return f"{result.direction}: policy {result.policy}"
    return f"{result.direction}: {result.status}"


def render_markdown(report: Report) -> str:
    """A Markdown summary and table (for pull-request comments)."""
    icon = "✅" if report.compatible else "❌"
    lines = [
        f"### {icon} {_md_code(report.old)} → {_md_code(report.new)}",
        "",
        f"- mode: `{report.mode}` ({report.semantics} semantics)",
        (
            f"- compatible: **{_verdict_word(report.compatible)}** "
            f"(backward: {_root_word(report, 'backward')}, "
            f"forward: {_root_word(report, 'forward')})"
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
        witness = "; ".join(_md_direction(c.direction(d)) for d in c.breaks)
        lines.append(
            f"| {c.severity} | `{c.rule}` | {c.status} | {_md_code(c.instance_path or '/')} | "
            f"{', '.join(c.breaks) or '—'} | {_md_cell(c.message)} | {witness} |"
        )
    return "\n".join(lines) + "\n"
