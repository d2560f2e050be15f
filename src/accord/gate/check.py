"""The schema-evolution gate: ``accord check``.

Without a base, the gate checks the registry alone: every version file has an
``accord.lock`` line with a matching digest, and every version obeys its contract's
mode and declares at least the bump its changes require over its previous version
(every earlier version of the same major, for ``-transitive`` modes), and removes no
property that was not ``deprecated`` first (the deprecation policy in ``accord.toml``).

With a base (``--against REF``: the merge-base of REF and HEAD, or REF itself with
``--against-tip``), read straight from git (:mod:`accord.gate.git`), it also rejects a
published version modified, deleted, renumbered or republished under the same number,
and a contract whose files were deleted (retire it instead). Only contracts whose
files differ from the base are diffed again: published versions are immutable, so a
contract whose files are unchanged cannot have changed its verdicts.

Findings are data (:class:`Finding`), each with a stable rule id and a fingerprint
that does not depend on message wording, line numbers or order, so a team can approve
a finding once in an ignore file (:func:`load_ignore_file`) with a reason.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from accord.core import pointer as _pointer
from accord.core import rules as _rules
from accord.core.jsondoc import FORMAT_VERSION
from accord.core.progress import Progress
from accord.core.progress import report as report_progress
from accord.core.reasons import is_placeholder_reason
from accord.core.rules import Severity
from accord.errors import ConfigError, Problem, RegistryError, UsageError
from accord.versions import (
    BumpKind,
    Version,
    bump_rank,
    declared_bump,
    previous_version,
    required_bump,
)

if TYPE_CHECKING:
    from accord.compat._report import Change, Report
    from accord.consumers._model import ExpectationFile
    from accord.core.cache import ContentCache
    from accord.gate.git import GitTree
    from accord.registry.config import ContractMeta, RuleOverride
    from accord.registry.model import Contract, ContractVersion, Registry, _LockLine

__all__ = [
    "GATE_RULES",
    "SEVERITIES",
    "Finding",
    "GateReport",
    "IgnoreEntry",
    "VersionCheck",
    "Withdrawn",
    "change_bump",
    "check",
    "compare_versions",
    "earlier_same_major",
    "load_ignore_file",
    "parse_ignore_entries",
    "run_key",
    "unapproved_removals",
]

FailOn = Severity
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")

# Lint rules `accord check` reports as findings (the lock is what the gate guards).
_LOCK_FINDINGS = frozenset({"lock-digest-mismatch", "lock-missing-file"})

# Every rule a gate finding can name: default severity and one sentence (SARIF rule
# metadata), read from the one rule catalogue (accord.core.rules).
GATE_RULES: Mapping[str, tuple[Severity, str]] = MappingProxyType(
    {
        spec.id: (spec.severity, spec.summary)
        for spec in (*_rules.rules("gate"), *(_rules.CATALOGUE[r] for r in sorted(_LOCK_FINDINGS)))
    }
)


# -- comparing two versions ------------------------------------------------------------


@dataclass(frozen=True)
class VersionCheck:
    """One version compared with an earlier one under the contract's mode.

    Attributes:
        contract: Contract id.
        previous: The version compared against.
        version: The version checked.
        mode: The contract's compatibility mode.
        report: The compatibility report (OLD = ``previous``, NEW = ``version``).
        required: The bump the version number must declare (0.y.z rules applied).
        declared: The bump the version number declares.
        file: The checked version's file, relative to the registry root.
    """

    contract: str
    previous: Version
    version: Version
    mode: str
    report: Report
    required: BumpKind
    declared: BumpKind
    file: str

    @property
    def ok(self) -> bool:
        """Whether the declared bump is at least the required one."""
        return bump_rank(self.declared) >= bump_rank(self.required)

    def to_json(self, *, prefix: str = "") -> dict[str, Any]:
        """The JSON form inside ``accord check --format json`` (``file`` joined to
        ``prefix``, as in :meth:`Finding.to_json`)."""
        return {
            "contract": self.contract,
            "version": str(self.version),
            "previous": str(self.previous),
            "mode": self.mode,
            "file": join_path(prefix, self.file),
            "required_bump": self.required,
            "declared_bump": self.declared,
            "ok": self.ok,
            "compatible": self.report.compatible,
            "backward": self.report.backward,
            "forward": self.report.forward,
            "changes": [c.to_json() for c in self.report.changes],
        }


def change_bump(change: Change, previous: Version) -> BumpKind:
    """The bump one change needs on its own after ``previous`` (0.y.z rules applied)."""
    from accord.compat._rules import RULES

    if change.severity == "error" and change.breaks:
        semantic: BumpKind = "major"
    else:
        rule = RULES.get(change.rule)
        semantic = rule.bump if rule is not None else "minor"
    return required_bump(semantic, previous)


def explain_bump(check: VersionCheck) -> list[str]:
    """One line per change that needs more than the declared bump, biggest first."""
    lines: list[str] = []
    needs = sorted(
        ((change_bump(c, check.previous), c) for c in check.report.changes),
        key=lambda pair: (-bump_rank(pair[0]), pair[1].instance_path, pair[1].rule),
    )
    for bump, change in needs:
        if bump_rank(bump) > bump_rank(check.declared):
            where = change.instance_path or "/"
            lines.append(f"{bump}: {change.rule} at {where}: {change.message}")
    return lines


_DIFF_CACHE: dict[tuple[int, str, str, str, str, str], Report] = {}
# Each registry's number in the verdict memo's keys (kept in the registry's memo): a
# digest names a verdict only inside one registry, whose ``$ref`` targets it bundles.
_REGISTRY_NUMBERS = itertools.count()


def _diff(
    registry: Registry,
    old: ContractVersion,
    new: ContractVersion,
    mode: str,
    cache: ContentCache | None = None,
    *,
    rules: Mapping[str, RuleOverride] | None = None,
) -> Report:
    """Compare two registry versions (bundled by the registry, with ``rules``, else the
    contract's rule overrides); memoised on both files' digests, the mode and the
    overrides, in one registry: its versions and the versions they refer to are
    immutable, so equal digests mean equal verdicts there (another registry, a fork or
    another checkout checked by the same process, may hold other bytes under a version a
    ``$ref`` names). With a ``cache``, verdicts are also kept on disk, keyed by content
    digests and bundles (:mod:`accord.gate.verdicts`).
    """
    from accord.compat import diff

    if rules is None:
        rules = registry.contract(new.contract_id).meta.rules
    overrides = repr(sorted(rules.items()))
    number = registry._memo.get(_REGISTRY_NUMBERS)
    if number is None:
        number = registry._memo[_REGISTRY_NUMBERS] = next(_REGISTRY_NUMBERS)
    key = (number, new.contract_id, old.digest, new.digest, mode, overrides)
    hit = _DIFF_CACHE.get(key)
    if hit is None:
        disk_key = None
        if cache is not None:
            from accord.gate import verdicts

            disk_key = verdicts.pair_key(registry, old, new, mode, overrides)
            hit = verdicts.load(cache, disk_key)
        if hit is None:
            hit = diff(
                old_ref=old.ref, new_ref=new.ref, mode=mode, registry=registry, overrides=rules
            )
            if cache is not None and disk_key is not None:
                verdicts.store(cache, disk_key, hit)
        if len(_DIFF_CACHE) > 4096:
            _DIFF_CACHE.clear()
        _DIFF_CACHE[key] = hit
    return hit


def compare_versions(
    registry: Registry,
    old: ContractVersion,
    new: ContractVersion,
    *,
    mode: str,
    cache: ContentCache | None = None,
    withdrawn: Withdrawn | None = None,
    rules: Mapping[str, RuleOverride] | None = None,
) -> VersionCheck:
    """Compare ``new`` with ``old`` under ``mode`` (a ``-transitive`` suffix is ignored
    here: the caller chooses which earlier versions to compare with); ``cache``: reuse
    and keep the verdict in the disk cache; ``withdrawn``: a base's expectations that
    still protect their consumers (the change adding ``new`` deletes or edits them);
    ``rules``: the rule overrides to apply, default the contract's.
    """
    base_mode = mode.removesuffix("-transitive")
    verdict = _diff(registry, old, new, base_mode, cache, rules=rules)
    report = _with_consumers(registry, old, new, verdict, withdrawn)
    return VersionCheck(
        contract=new.contract_id,
        previous=old.version,
        version=new.version,
        mode=mode,
        report=report,
        required=required_bump(report.required_bump, old.version),
        declared=declared_bump(old.version, new.version),
        file=new.file,
    )


@dataclass(frozen=True)
class Withdrawn:
    """Expectations the base commit (``ref``) held that the change under review deletes
    or edits (``files``, as on the base), and the verifications its records deleted or
    edited showed (``verified``: ``(consumer, digest)`` pairs): they still protect their
    consumers from the versions that change adds (a consumer verified on the base is no
    pending one), and stop doing so once the change is merged on its own. Only built
    when there is at least one such file."""

    ref: str
    files: tuple[ExpectationFile, ...]
    verified: frozenset[tuple[str, str]] = frozenset()


def _with_consumers(
    registry: Registry,
    old: ContractVersion,
    new: ContractVersion,
    report: Report,
    withdrawn: Withdrawn | None = None,
) -> Report:
    """Name, on every breaking change, the registered consumers it breaks (issue: impact
    analysis in the gate), and those ``withdrawn`` expectations show it breaks.
    Registries without ``consumers/`` (now and withdrawn) pay nothing."""
    here = (registry.root / _CONSUMERS_DIR).is_dir()
    if report.compatible or not (here or withdrawn is not None):
        return report
    from accord.consumers._impact import annotate

    previous, schema = str(old.version), registry.bundle(new)
    verified = withdrawn.verified if withdrawn is not None else frozenset()
    if here:
        report = annotate(
            report,
            registry.root,
            new.contract_id,
            old_version=previous,
            new_schema=schema,
            also_verified=verified,
        )
    if withdrawn is not None and withdrawn.files:
        report = annotate(
            report,
            registry.root,
            new.contract_id,
            old_version=previous,
            new_schema=schema,
            expectations=withdrawn.files,
            as_on=withdrawn.ref,
            also_verified=verified,
        )
    return report


def _impact_lines(changes: Iterable[Change]) -> str:
    """`` Consumers: removing $.name breaks billing (...)`` for a finding's message."""
    if not any(c.consumers for c in changes):
        return ""
    from accord.consumers._impact import describe

    lines = [describe(c) for c in changes if c.breaks]
    return (" Consumers: " + "; ".join(lines) + ".") if lines else ""


def earlier_same_major(
    versions: Iterable[Version], new: Version, *, yanked: frozenset[Version]
) -> list[Version]:
    """Every non-yanked release below ``new`` with its major (``-transitive`` modes)."""
    return sorted(
        v
        for v in versions
        if v < new and v not in yanked and not v.prerelease and v.major == new.major
    )


def _deprecated(document: Any, pointer: str) -> bool:
    """Whether the property named at ``pointer`` (``.../properties/x`` or
    ``.../required/i``), or a schema containing it, is marked ``deprecated``."""
    tokens = _pointer.split(pointer)
    nodes = _pointer.nodes_along(document, tokens)
    if len(tokens) >= 2 and tokens[-2] == "required" and len(nodes) == len(tokens) + 1:
        key = nodes[-1]
        owner = nodes[-3] if len(nodes) >= 3 else None
        props = owner.get("properties") if isinstance(owner, dict) else None
        target = props.get(key) if isinstance(props, dict) and isinstance(key, str) else None
        if isinstance(target, dict) and target.get("deprecated") is True:
            return True
    return any(isinstance(n, dict) and n.get("deprecated") is True for n in nodes)


def unapproved_removals(
    registry: Registry, check: VersionCheck, earlier: Sequence[ContractVersion]
) -> list[Change]:
    """The ``property-removed`` changes of ``check`` whose property was not marked
    ``deprecated`` in ``check.previous`` or any version in ``earlier``."""
    removed = [c for c in check.report.changes if c.rule == "property-removed"]
    if not removed:
        return []
    documents = [registry.bundle(v) for v in earlier]
    return [c for c in removed if not any(_deprecated(d, c.schema_path) for d in documents)]


# -- findings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the gate found.

    Attributes:
        rule: Gate rule id (:data:`GATE_RULES`).
        severity: ``error``, ``warning`` or ``info``.
        message: What is wrong and what to do.
        contract: Contract id, when it concerns one.
        version: The version concerned.
        previous: The version it was compared with.
        file: File at fault, relative to the registry root.
        line: 1-based line in ``file``, when known.
        key: Extra identity that keeps fingerprints distinct (a schema path).
        required_bump: For bump findings: what the changes require.
        declared_bump: For bump findings: what the version number declares.
        changes: The compatibility changes behind the finding.
        ignored: The approval reason, when an ignore entry matched.
    """

    rule: str
    severity: Severity
    message: str
    contract: str | None = None
    version: str | None = None
    previous: str | None = None
    file: str | None = None
    line: int | None = None
    key: str = ""
    required_bump: str | None = None
    declared_bump: str | None = None
    changes: tuple[Change, ...] = ()
    ignored: str | None = None

    @property
    def fingerprint(self) -> str:
        """16 hex digits from what the finding is about, never from its wording."""
        parts = (self.rule, self.contract or "", self.version or "", self.previous or "", self.key)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]

    @property
    def title(self) -> str:
        """``rule`` with the contract and version, for one-line displays."""
        subject = self.contract or ""
        if self.version:
            subject += f"@{self.version}"
        return f"{self.rule} {subject}".strip()

    def to_json(self, *, prefix: str = "") -> dict[str, Any]:
        """The JSON form inside ``accord check --format json`` (``file`` joined to
        ``prefix``, the registry's path from the repository root)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "fingerprint": self.fingerprint,
            "contract": self.contract,
            "version": self.version,
            "previous": self.previous,
            "file": join_path(prefix, self.file),
            "line": self.line,
            "message": self.message,
            "required_bump": self.required_bump,
            "declared_bump": self.declared_bump,
            "changes": [c.to_json() for c in self.changes],
            "ignored": self.ignored is not None,
            "ignore_reason": self.ignored,
        }


@dataclass(frozen=True)
class IgnoreEntry:
    """An approved finding: its fingerprint and why it is accepted."""

    fingerprint: str
    reason: str
    rule: str | None = None
    contract: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class GateReport:
    """What ``accord check`` found.

    Attributes:
        registry: The registry root, as given.
        against: The ref compared with (``None``: the registry alone).
        base: The commit compared with (the merge-base unless ``--against-tip``).
        contracts: How many contracts the registry holds.
        checked: The contracts whose versions were diffed.
        checks: Every version comparison made, in contract then version order.
        findings: Every finding, sorted (ignored ones included, marked).
        unused_ignores: Ignore entries that matched no finding (stale approvals).
        timings: Seconds spent per phase (``load``, ``git``, ``diff``), for ``make bench``
            and ``--verbose`` style reporting; not part of any output format (outputs
            stay byte-identical across runs).
        prefix: The registry root's path from the repository root (from the working
            directory outside git; ``""`` when it is that directory). Findings hold
            registry-relative files; every output format joins them to this one base,
            so paths and restore hints agree and work from the repository root.
    """

    registry: str
    against: str | None = None
    base: str | None = None
    contracts: int = 0
    checked: tuple[str, ...] = ()
    checks: tuple[VersionCheck, ...] = ()
    findings: tuple[Finding, ...] = ()
    unused_ignores: tuple[IgnoreEntry, ...] = ()
    timings: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    prefix: str = ""

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings not approved in the ignore file."""
        return tuple(f for f in self.findings if f.ignored is None)

    @property
    def ignored(self) -> tuple[Finding, ...]:
        """Findings approved in the ignore file."""
        return tuple(f for f in self.findings if f.ignored is not None)

    def failed(self, fail_on: FailOn = "error") -> bool:
        """Whether an active finding is at or above ``fail_on``."""
        floor = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(f.severity) >= floor for f in self.active)

    def exit_code(self, fail_on: FailOn = "error") -> int:
        """0 clean, 1 findings at or above ``fail_on``."""
        return 1 if self.failed(fail_on) else 0

    def to_json(self, fail_on: FailOn = "error", *, prefix: str | None = None) -> dict[str, Any]:
        """The documented JSON form (``format_version`` 1); files are joined to
        ``prefix`` (default :attr:`prefix`)."""
        base = self.prefix if prefix is None else prefix
        counts = {s: sum(1 for f in self.active if f.severity == s) for s in SEVERITIES}
        return {
            "format_version": FORMAT_VERSION,
            "tool": "accord check",
            "registry": self.registry,
            "against": self.against,
            "base": self.base,
            "fail_on": fail_on,
            "ok": not self.failed(fail_on),
            "summary": {
                "contracts": self.contracts,
                "checked": len(self.checked),
                "versions_compared": len(self.checks),
                "errors": counts["error"],
                "warnings": counts["warning"],
                "infos": counts["info"],
                "ignored": len(self.ignored),
            },
            "findings": [f.to_json(prefix=base) for f in self.findings],
            "checks": [c.to_json(prefix=base) for c in self.checks],
            "unused_ignores": [
                {"fingerprint": e.fingerprint, "reason": e.reason} for e in self.unused_ignores
            ],
        }


def join_path(prefix: str, file: str | None) -> str | None:
    """``file`` (relative to the registry root) from the base ``prefix`` names."""
    if file is None:
        return None
    return f"{prefix.rstrip('/')}/{file}" if prefix and prefix != "." else file


def path_prefix(root: Path) -> str:
    """The registry root's path from the repository root, or from the working directory
    when it is in no git work tree (``""`` when it is that directory)."""
    from accord.errors import AccordError
    from accord.gate import git as _git

    try:
        return _git.relative_prefix(_git.repo_root(root), root)
    except (AccordError, OSError):
        pass
    try:
        text = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return root.resolve().as_posix()
    return "" if text == "." else text


def _finding(rule: str, message: str, **kw: Any) -> Finding:
    return Finding(rule=rule, severity=GATE_RULES[rule][0], message=message, **kw)


def _sort_key(f: Finding) -> tuple[int, str, str, str, str]:
    return (-SEVERITIES.index(f.severity), f.contract or "", f.version or "", f.rule, f.key)


# -- the ignore file -------------------------------------------------------------------

_IGNORE_KEYS = frozenset({"fingerprint", "reason", "rule", "contract", "version", "previous"})


def parse_ignore_entries(
    items: Any, *, file: str | None, pointer: str = "/ignore"
) -> list[IgnoreEntry]:
    """Validate an ``ignore`` array of tables (from a file or ``[tool.accord]``).

    Each entry needs ``fingerprint`` (16 hex digits, printed by ``accord check``) and a
    real ``reason`` (empty and placeholder reasons such as ``TODO: ...`` are refused:
    :func:`is_placeholder_reason`); ``rule``, ``contract``, ``version`` and ``previous`` are for
    people reading the file and are not matched.

    Raises:
        ConfigError: ``config-invalid-value``, ``config-missing-key`` or
            ``config-unknown-key``.
    """
    if not isinstance(items, list):
        raise ConfigError(
            "'ignore' must be an array of tables ([[ignore]])",
            code="config-invalid-value",
            file=file,
            pointer=pointer,
        )
    entries: list[IgnoreEntry] = []
    for index, item in enumerate(items):
        at = f"{pointer}/{index}"
        if not isinstance(item, dict):
            raise ConfigError(
                "each ignore entry must be a table",
                code="config-invalid-value",
                file=file,
                pointer=at,
            )
        for key in sorted(set(item) - _IGNORE_KEYS):
            raise ConfigError(
                f"unknown key {key!r}; ignore entries take {', '.join(sorted(_IGNORE_KEYS))}",
                code="config-unknown-key",
                file=file,
                pointer=_pointer.join(at, key),
            )
        for key in ("fingerprint", "reason"):
            if key not in item:
                raise ConfigError(
                    f"ignore entry needs {key!r}",
                    code="config-missing-key",
                    file=file,
                    pointer=f"{at}/{key}",
                )
        fingerprint, reason = item["fingerprint"], item["reason"]
        if not (
            isinstance(fingerprint, str)
            and len(fingerprint) == 16
            and all(c in "0123456789abcdef" for c in fingerprint)
        ):
            raise ConfigError(
                "'fingerprint' must be the 16 hex digits accord check prints",
                code="config-invalid-value",
                file=file,
                pointer=f"{at}/fingerprint",
            )
        if not isinstance(reason, str) or is_placeholder_reason(reason):
            shown = f" ({reason.strip()!r} is a placeholder)" if isinstance(reason, str) else ""
            raise ConfigError(
                f"ignore entry {index + 1} (fingerprint {fingerprint}): 'reason' must say why "
                f"the finding is approved, who approved it and where it was reviewed{shown}",
                code="config-invalid-value",
                file=file,
                pointer=f"{at}/reason",
            )
        extra = {k: item.get(k) for k in ("rule", "contract", "version")}
        for key, value in extra.items():
            if value is not None and not isinstance(value, str):
                raise ConfigError(
                    f"{key!r} must be a string",
                    code="config-invalid-value",
                    file=file,
                    pointer=f"{at}/{key}",
                )
        entries.append(IgnoreEntry(fingerprint, reason, **extra))
    return entries


def load_ignore_file(path: Path) -> list[IgnoreEntry]:
    """Read an ignore file: ``[[ignore]]`` tables (see :func:`parse_ignore_entries`).

    Raises:
        ConfigError: the file is missing, malformed or has bad entries.
    """
    from accord.registry.config import read_toml

    data = read_toml(path, display=str(path))
    for key in sorted(set(data) - {"ignore"}):
        raise ConfigError(
            f"unknown key {key!r}: an ignore file holds only [[ignore]] tables",
            code="config-unknown-key",
            file=str(path),
            pointer=_pointer.join("", key),
        )
    return parse_ignore_entries(data.get("ignore", []), file=str(path))


def _apply_ignores(
    findings: list[Finding], ignores: Sequence[IgnoreEntry]
) -> tuple[list[Finding], tuple[IgnoreEntry, ...]]:
    by_print = {e.fingerprint: e for e in ignores}
    used: set[str] = set()
    out: list[Finding] = []
    for finding in findings:
        entry = by_print.get(finding.fingerprint)
        if entry is not None:
            used.add(entry.fingerprint)
            out.append(replace(finding, ignored=entry.reason))
        else:
            out.append(finding)
    return out, tuple(e for e in ignores if e.fingerprint not in used)


# -- the gate --------------------------------------------------------------------------


def _load(
    root: Path,
    *,
    trusted: Mapping[tuple[str, Version], str] | None = None,
    vouched: Callable[[str, bytes], bool] | None = None,
    unparsed: bool = False,
) -> tuple[Registry, list[Finding]]:
    """Load the registry; lock disagreements become findings, other errors raise.

    ``trusted``: digests of version files the base commit had locked; a file with the
    same bytes passed the gate when it landed there, so its schema checks are not run
    again (cache by content digest). ``vouched``: whether a file is byte for byte the
    base commit's file at the same path (:func:`_vouched`); a trusted file it vouches
    for, whose every ``$ref`` stays inside it, keeps only its bytes (limits checked),
    parsed when a diff first reads it. Everything else is checked in full.
    ``unparsed``: the registry's settings are the base commit's (:func:`_same_settings`),
    so such a file whose bytes show it self-contained is not even parsed: the base's
    gate checked those bytes under those settings.
    """
    from accord.gate import git as _git
    from accord.gate.verdicts import LISTING
    from accord.registry.model import _build

    try:
        top = os.fspath(root.resolve()) if root.is_dir() else None
    except OSError:  # a name too long to stat: _build reports registry-not-found
        top = None
    # The run key's tree digest listed every directory already (same session).
    listed = _git.remembered((LISTING, top), lambda: None) if top is not None else None
    # A name equal to another but for case, or one that is not UTF-8, is lost on a macOS
    # or Windows checkout: the gate refuses it, from the listing the load makes anyway.
    registry, problems = _build(
        root,
        lint=False,
        trusted=trusted,
        vouched=vouched,
        unparsed=unparsed,
        listed=listed,
        file_names=True,
    )
    fatal = [p for p in problems if p.severity == "error" and p.code not in _LOCK_FINDINGS]
    if fatal:
        raise RegistryError(fatal, root=str(root))
    findings = [_lock_finding(registry, p) for p in problems if p.code in _LOCK_FINDINGS]
    return registry, findings


def _lock_finding(registry: Registry, problem: Problem) -> Finding:
    contract = version = None
    if problem.code == "lock-digest-mismatch" and problem.file is not None:
        found = registry.version_at(problem.file)
        if found is not None:
            contract, version = found.contract_id, str(found.version)
    elif problem.code == "lock-missing-file":
        words = problem.message.split(" ")
        contract, version = words[0], words[1]
    return _finding(
        problem.code,
        problem.message,
        contract=contract,
        version=version,
        file=problem.file,
        line=problem.line,
    )


def _unlocked(registry: Registry) -> list[Finding]:
    return [
        _finding(
            "lock-missing-entry",
            f"{v.ref} has no line in accord.lock: publish it (`accord publish "
            f"{v.contract_id} --schema <this file> --version {v.version}` also completes an "
            "interrupted publish), or delete the file if it is a stray draft",
            contract=v.contract_id,
            version=str(v.version),
            file=v.file,
        )
        for v in registry.versions()
        if not registry.published(v)
    ]


@dataclass(frozen=True)
class _Held:
    """Rules the base commit held a contract to that it no longer states, for the
    versions this change adds (``new``): its mode there (``held_on``: the ref), which
    this change weakens or exempts, its rule overrides (``rules``), which this change
    weakens (``now`` says how, as a finding's note), and whether the base's
    ``accord.toml`` required deprecation before removal, which this change turns off."""

    mode: str | None
    held_on: str
    now: str
    new: frozenset[Version]
    deprecation: bool = False
    rules: Mapping[str, RuleOverride] | None = None


def _gated(meta: ContractMeta) -> bool:
    """Whether the gate compares this contract's versions at all."""
    return meta.status != "draft" and meta.mode != "none"


_RuleSet = tuple[str, "Mapping[str, RuleOverride] | None", str]


def _rule_sets(contract: Contract, current: ContractVersion, held: _Held | None) -> list[_RuleSet]:
    """The modes and rule overrides (``None``: the contract's own) ``current`` is
    checked under, each with the words a finding adds: the contract's own, then, for a
    version this change adds, those the base held the contract to. A change may weaken
    a mode (or mark a contract ``draft``) or a rule's severity, but not for the versions
    it publishes itself: those pass the rules they were proposed under, and the weaker
    ones apply from the next change, once merged on their own."""
    sets: list[_RuleSet] = [(contract.meta.mode, None, "")] if _gated(contract.meta) else []
    if (
        held is not None
        and (held.mode is not None or held.rules is not None)
        and current.version in held.new
    ):
        note = (
            f" (held on {held.held_on}; this change {held.now}, which applies only to "
            "versions published after it is merged)"
        )
        sets.append((held.mode or contract.meta.mode, held.rules, note))
    return sets


def _held_removals(held: _Held | None, current: ContractVersion) -> str | None:
    """The removal policy's note when only the base's ``accord.toml`` holds ``current``
    to it (this change turns it off and adds ``current``), else ``None``."""
    if held is None or not held.deprecation or current.version not in held.new:
        return None
    return (
        f" on {held.held_on}; this change turns it off, which applies only to versions "
        "published after it is merged"
    )


@dataclass(frozen=True)
class _Yanks:
    """The versions published on the base commit (``ref``) that this change yanks."""

    ref: str
    versions: frozenset[Version]


def _skipped(contract: Contract, yanks: _Yanks | None) -> frozenset[Version]:
    """The yanked versions comparisons skip: all of them, but for a version this change
    adds (``yanks`` given) not those this change yanks."""
    return contract.yanked if yanks is None else contract.yanked - yanks.versions


def _previous_versions(
    contract: Contract, numbers: Sequence[Version], current: ContractVersion, yanks: _Yanks | None
) -> list[Version]:
    """What ``current`` is compared with: its previous version (the highest below it
    that is not yanked, DESIGN), then, when this change adds ``current`` (``yanks``
    given) and yanks that one's predecessor, the previous version as the base saw it.
    A change may yank a version, but not to pick what the versions it publishes itself
    are compared with: the yank applies from the next change, once merged on its own.
    ``numbers``: the contract's versions."""
    prev = previous_version(numbers, current.version, yanked=contract.yanked)
    if yanks is None:  # the usual case: no second look
        return [] if prev is None else [prev]
    seen = previous_version(numbers, current.version, yanked=_skipped(contract, yanks))
    return [v for v in dict.fromkeys((prev, seen)) if v is not None]


def _yank_note(version: Version, yanks: _Yanks | None) -> str:
    """The words a finding adds when it compares with a version this change yanks."""
    if yanks is None or version not in yanks.versions:
        return ""
    return (
        f" ({version} is yanked in this change, which applies only once it is merged; "
        f"it is not yanked on {yanks.ref})"
    )


def _born_yanked(current: ContractVersion, ref: str) -> str:
    """The words a finding adds about a version this change adds and yanks too."""
    return (
        f" ({current.version} is yanked in this change, which applies only once it is "
        f"merged; it is not published on {ref}: delete it rather than yank it)"
    )


def _check_contract(
    registry: Registry,
    contract: Contract,
    *,
    only: frozenset[Version] | None = None,
    cache: ContentCache | None = None,
    held: _Held | None = None,
    added: frozenset[Version] = frozenset(),
    withdrawn: Withdrawn | None = None,
    yanks: _Yanks | None = None,
    ref: str = "",
) -> tuple[list[VersionCheck], list[Finding]]:
    """Compare each version of ``contract`` (or only those in ``only``) with its
    previous version, and the earlier ones of its major under ``-transitive`` modes.
    For the versions this change adds (``added``): ``held``, the base commit's rules;
    ``withdrawn``, the base's expectations this change deletes or edits; ``yanks``, the
    base's versions this change yanks; ``ref``: the base's ref, as findings name it."""
    checks: list[VersionCheck] = []
    findings: list[Finding] = []
    if not _gated(contract.meta) and (held is None or held.mode is None):
        return checks, findings
    policy = registry.settings.require_deprecation_before_removal
    numbers = [v.version for v in contract.versions]
    by_number = {v.version: v for v in contract.versions}
    # A contract the base published nothing of has no consumer to give notice to: a
    # deprecation in this change counts for its removals (its history imported whole).
    unmerged = (ref, added) if any(v not in added for v in numbers) else None
    for current in contract.versions:
        new = current.version in added
        # A version this change adds and yanks is judged all the same: the yank applies
        # once merged, and an exact pin still selects a yanked version.
        skip = current.yanked is not None and not new
        if skip or (only is not None and current.version not in only):
            continue
        removals = "" if policy else _held_removals(held, current)
        gone = withdrawn if new else None
        mine = yanks if new else None
        compared = _previous_versions(contract, numbers, current, mine)
        for prev in compared:
            sets = _rule_sets(contract, current, held)
            if current.yanked is not None:
                sets = [(m, r, note + _born_yanked(current, ref)) for m, r, note in sets]
            for position, (mode, rules, note) in enumerate(sets):
                result = compare_versions(
                    registry,
                    by_number[prev],
                    current,
                    mode=mode,
                    cache=cache,
                    withdrawn=gone,
                    rules=rules,
                )
                checks.append(result)
                findings += _version_findings(
                    registry,
                    contract,
                    current,
                    result,
                    by_number,
                    note=note,
                    removals=removals if position == 0 else None,
                    cache=cache,
                    withdrawn=gone,
                    yanks=mine,
                    compared=compared,
                    rules=rules,
                    unmerged=unmerged if new else None,
                )
                if not result.ok:  # one bump finding per comparison: the first rules it breaks
                    break
    # Two transitive modes can refute the same earlier version: one finding each.
    unique = {f.fingerprint: f for f in reversed(findings)}
    return checks, [f for f in findings if unique[f.fingerprint] is f]


def _version_findings(
    registry: Registry,
    contract: Contract,
    current: ContractVersion,
    result: VersionCheck,
    by_number: Mapping[Version, ContractVersion],
    *,
    note: str,
    removals: str | None,
    cache: ContentCache | None,
    withdrawn: Withdrawn | None = None,
    yanks: _Yanks | None = None,
    compared: Sequence[Version] = (),
    rules: Mapping[str, RuleOverride] | None = None,
    unmerged: tuple[str, frozenset[Version]] | None = None,
) -> list[Finding]:
    """What the gate reports of one comparison of ``current`` (``by_number``: the
    contract's versions, in order): the bump, the removal policy (unless ``removals``
    is ``None``: it does not depend on the mode, so it is asked once per version) and,
    under a ``-transitive`` mode, every earlier version of the major the new one breaks.
    ``note`` and ``removals`` say whose rules these are when they are not the
    registry's own today; ``withdrawn`` and ``yanks``: what this change withdraws
    that still counts for ``current`` (see :func:`_check_contract`); ``compared``: the
    versions ``current`` is compared with directly (a bump finding covers each: within
    one major, incompatible means a major bump is required); ``rules``: the rule
    overrides ``result`` was judged under (``None``: the contract's own); ``unmerged``:
    the base's ref and the versions this change adds, when ``current`` is one of them
    (their ``deprecated`` marks approve none of its removals: :func:`_held_deprecations`)."""
    prev, mode = result.previous, result.mode
    yanked = _skipped(contract, yanks)
    numbers = list(by_number)
    findings: list[Finding] = []
    if not result.ok:
        detail = "; ".join(explain_bump(result)) or f"required: {result.required}"
        findings.append(
            _finding(
                "bump-insufficient",
                f"{current.ref} declares a {result.declared} bump over {prev}"
                f"{_yank_note(prev, yanks)} but its "
                f"changes under mode {mode}{note} require {result.required}: {detail}"
                + _impact_lines(result.report.changes),
                contract=contract.id,
                version=str(current.version),
                previous=str(prev),
                file=current.file,
                required_bump=result.required,
                declared_bump=result.declared,
                changes=result.report.changes,
            )
        )
    if removals is not None:
        earlier = [by_number[v] for v in numbers if v <= prev and v not in yanked]
        added = unmerged[1] if unmerged is not None else frozenset()
        merged = [v for v in earlier if v.version not in added]
        findings.extend(
            _finding(
                "removal-not-deprecated",
                f"{current.ref} removes the property at {change.instance_path or '/'} "
                f"({change.schema_path} in {prev}) without marking it "
                '"deprecated": true in an earlier version'
                f"{_held_deprecations(registry, earlier, unmerged, change)}; "
                "deprecate it in a minor version first (the [deprecation] policy in "
                f"accord.toml{removals})" + _impact_lines((change,)),
                contract=contract.id,
                version=str(current.version),
                previous=str(prev),
                file=current.file,
                key=change.schema_path,
                changes=(change,),
            )
            for change in unapproved_removals(registry, result, merged)
        )
    if mode.endswith("-transitive"):
        for older in earlier_same_major(numbers, current.version, yanked=yanked):
            if older == prev or older in compared:
                continue
            deep = compare_versions(
                registry,
                by_number[older],
                current,
                mode=mode,
                cache=cache,
                withdrawn=withdrawn,
                rules=rules,
            )
            if deep.report.compatible:
                continue
            findings.append(
                _finding(
                    "transitive-incompatible",
                    f"{current.ref} is not {mode.removesuffix('-transitive')}-compatible "
                    f"with {older}{_yank_note(older, yanks)} (mode {mode}{note} "
                    f"checks every earlier version of major "
                    f"{current.version.major}): "
                    + "; ".join(
                        f"{c.rule} at {c.instance_path or '/'}" for c in deep.report.breaking
                    ),
                    contract=contract.id,
                    version=str(current.version),
                    previous=str(older),
                    file=current.file,
                    required_bump="major",
                    declared_bump=deep.declared,
                    changes=deep.report.breaking,
                )
            )
    return findings


def _held_deprecations(
    registry: Registry,
    earlier: Sequence[ContractVersion],
    unmerged: tuple[str, frozenset[Version]] | None,
    change: Change,
) -> str:
    """The words a removal finding adds when a version this change adds (``unmerged``:
    the base's ref, those versions) marks the property deprecated: a change may
    deprecate a property, but not to approve the removals it publishes itself. The mark
    is the notice consumers get before the removal lands, and it gives none when both
    land in one merge: it counts from the next change, once merged on its own."""
    if unmerged is None:
        return ""
    ref, added = unmerged
    marked = [
        v.version
        for v in earlier
        if v.version in added and _deprecated(registry.bundle(v), change.schema_path)
    ]
    if not marked:
        return ""
    return (
        f" published on {ref} ({marked[0]} marks it deprecated in this change, which counts "
        "only once it is merged: the deprecation is the notice consumers get before the "
        "removal)"
    )


@dataclass
class _Base:
    """What the gate needs from the base commit."""

    commit: str
    lock: dict[tuple[str, Version], tuple[str, int]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    new_versions: dict[str, set[Version]] = field(default_factory=dict)  # retired ones
    held: dict[str, _Held] = field(default_factory=dict)  # rules this change weakens
    added: dict[str, frozenset[Version]] = field(default_factory=dict)  # by contract
    withdrawn: Withdrawn | None = None  # expectations this change deletes or edits
    yanks: dict[str, _Yanks] = field(default_factory=dict)  # base versions it yanks


def _base_tree(root: Path, ref: str, *, tip: bool) -> GitTree | None:
    """The base commit's registry tree (listed once per run), or ``None`` on any git
    trouble (:func:`_against` reports it properly after the load)."""
    from accord.errors import AccordError
    from accord.gate import git as _git

    try:
        repo = _git.repo_root(root)
        commit = _git.rev_parse(repo, ref) if tip else _git.merge_base(repo, ref)
        return _registry_tree(repo, commit, _git.relative_prefix(repo, root), root)
    except (AccordError, OSError):
        return None


def _registry_tree(repo: Path, commit: str, prefix: str, root: Path) -> GitTree:
    """The registry's tree in ``commit``: at ``prefix``, or where it was before a move.

    A commit with no registry at ``prefix`` (no ``accord.lock``, no ``accord.toml``) is
    searched for one whose lock published any contract the registry at ``root`` locks
    now: a pull request that moves the registry (``git mv``) is compared with the
    registry it moved, so an edit, a deletion or a renumbering in the same pull request
    is still reported. Compared with nothing, every contract looked new and passed.
    The registry that shares the most contracts is the base (ties: the first path).
    When none shares one, a base registry that is gone from the work tree is the one
    moved (its every contract deleted or renamed in the same pull request, reported as
    deleted): only a registry added beside those that stay is new.
    """
    from accord.gate import git as _git
    from accord.registry.model import LOCK_FILE, SETTINGS_FILE

    # A registry path through a link (`contracts -> registry`) means, on the base, where
    # the link led there: a change that points it at another registry, leaving the old
    # one in place, is compared with the old one (else the new one looked new).
    given = _git.given_prefix(repo, root)
    if given is not None and given != prefix:
        there = _git.resolve_in_tree(repo, commit, given)
        if there is not None and there != prefix:
            tree = _git.read_tree(repo, commit, there)
            if LOCK_FILE in tree.blobs or SETTINGS_FILE in tree.blobs:
                return tree
    tree = _git.read_tree(repo, commit, prefix)
    if LOCK_FILE in tree.blobs or SETTINGS_FILE in tree.blobs:
        return tree
    mine = _locked_ids(root / LOCK_FILE)
    if not mine:
        return tree
    whole = _git.read_tree(repo, commit, "")
    best, shared, gone = None, 0, None
    for path in sorted(whole.blobs):
        folder, _slash, name = path.rpartition("/")
        if name != LOCK_FILE:
            continue
        raw = whole.read_one(path)
        found = len(mine & _locked_ids_in(raw)) if raw is not None else 0
        if found > shared:
            best, shared = folder, found
        elif gone is None and not _holds_registry(repo / folder):
            gone = folder
    best = best if best is not None else gone
    return tree if best is None else _git.read_tree(repo, commit, best)


def _holds_registry(folder: Path) -> bool:
    """Whether the work tree has a registry (a lock or settings file) at ``folder``."""
    from accord.registry.model import LOCK_FILE, SETTINGS_FILE

    return any(os.path.lexists(folder / name) for name in (LOCK_FILE, SETTINGS_FILE))


def _locked_ids(path: Path) -> set[str]:
    """The contract ids a lock file on disk names (empty when it cannot be read)."""
    from accord.errors import AccordError
    from accord.registry.model import _read_regular

    try:
        return _locked_ids_in(_read_regular(path, display=path.name, max_bytes=None))
    except (AccordError, OSError):
        return set()


def _locked_ids_in(raw: bytes) -> set[str]:
    """The contract ids of a lock's text (the lines the registry's parser reads)."""
    from accord.registry.model import _parse_lock

    lines, _problems = _parse_lock(raw.decode("utf-8", "replace"))
    return {line.contract_id for line in lines}


def _vouched(tree: GitTree, blob_ids: dict[str, str]) -> Callable[[str, bytes], bool]:
    """Whether a version file (path from the registry root, bytes) is the base tree's
    blob at the same path; each blob id computed is kept in ``blob_ids`` (by path) for
    :func:`_against`."""
    from accord.gate import git as _git

    def vouched(file: str, raw: bytes) -> bool:
        base = tree.blobs.get(file)
        if base is None:
            return False
        mine = blob_ids[file] = _git.blob_id(raw, length=len(base))
        return mine == base

    return vouched


def _same_settings(root: Path, tree: GitTree) -> bool:
    """Whether ``accord.toml`` (caps, default mode) is byte for byte the base commit's,
    or absent from both; ``False`` when it cannot be read."""
    from accord.registry.model import SETTINGS_FILE

    base = tree.blobs.get(SETTINGS_FILE)
    path = root / SETTINGS_FILE
    if not path.exists() and not path.is_symlink():
        return base is None
    if base is None or path.is_symlink() or not path.is_file():
        return False  # a link or special file: the load refuses it
    from accord.errors import AccordError
    from accord.gate import git as _git
    from accord.registry.model import _read_regular

    try:
        raw = _read_regular(path, display=SETTINGS_FILE, max_bytes=None)
    except (AccordError, OSError):
        return False
    return _git.blob_id(raw, length=len(base)) == base


def _base_lock(tree: GitTree | None) -> dict[tuple[str, Version], str] | None:
    """The base tree's lock digests, or ``None`` when it has no readable lock."""
    from accord.errors import AccordError
    from accord.registry.model import LOCK_FILE

    try:
        raw = tree.read_one(LOCK_FILE) if tree is not None else None
    except (AccordError, OSError):
        return None
    if raw is None:
        return None
    lines, problems = _parsed_base_lock(raw)
    if any(p.severity == "error" for p in problems):
        return None
    return {(x.contract_id, x.version): x.digest for x in lines}


@functools.lru_cache(maxsize=1)
def _parsed_base_lock(raw: bytes) -> tuple[tuple[_LockLine, ...], tuple[Problem, ...]]:
    """The base commit's ``accord.lock``, parsed once for the trusted digests and the
    comparison (a lock of 15,000 lines takes ~0.4 s to parse)."""
    from accord.registry.model import _parse_lock

    lines, problems = _parse_lock(raw.decode("utf-8", "replace"))
    return tuple(lines), tuple(problems)


def _against(
    registry: Registry,
    ref: str,
    *,
    tip: bool,
    tree: GitTree | None = None,
    blob_ids: Mapping[str, str] | None = None,
) -> tuple[_Base, list[Finding]]:
    """What changed since the base commit of ``ref``; ``tree``: the base tree when it
    was already listed (the same commit), so git is asked once per run; ``blob_ids``:
    the blob ids of version files already computed while loading (by path)."""
    from accord.gate import git as _git
    from accord.registry.model import LOCK_FILE, SETTINGS_FILE

    root = registry.root
    repo = _git.repo_root(root)
    prefix = _git.relative_prefix(repo, root)
    commit = _git.rev_parse(repo, ref) if tip else _git.merge_base(repo, ref)
    if tree is None or tree.commit != commit:  # else: _base_tree's, for this root
        tree = _registry_tree(repo, commit, prefix, root)
    base = _Base(commit=commit)
    raw_lock = tree.read_one(LOCK_FILE)
    if raw_lock is not None:
        lines, _problems = _parsed_base_lock(raw_lock)
        base.lock = {(x.contract_id, x.version): (x.digest, x.line) for x in lines}
    by_folder, expectations, records = _tree_index(tree)
    base.changed, toml_changed = _changed_contracts(registry, tree, by_folder, blob_ids or {})
    # A contract states the base's rules when its contract.toml and accord.toml are the
    # base's bytes: only the others are read back from git.
    restated = toml_changed if _same_settings(root, tree) else base.changed
    was = _base_meta(registry, tree, base.lock, restated)
    deprecation = (
        not registry.settings.require_deprecation_before_removal
        and _base_requires_deprecation(tree)
    )
    retired_on: dict[str, str] = {}
    for contract in registry:
        added = {v.version for v in contract.versions if (contract.id, v.version) not in base.lock}
        before = was.get(contract.id)
        # The only contracts that may gain none: retired now, or on the base (a change
        # that takes a contract out of retirement publishes nothing in it).
        if contract.meta.status == "retired":
            retired_on[contract.id] = ""
        elif before is not None and before.status == "retired":
            retired_on[contract.id] = f" on {ref}"
        if contract.id in retired_on:
            base.new_versions[contract.id] = added
        if added:
            base.added[contract.id] = frozenset(added)
        yanks = _yanked_here(contract, before, base.lock, ref)
        if yanks is not None:
            base.yanks[contract.id] = yanks
        held = _held(contract, before, ref, added, deprecation=deprecation)
        if held is not None:
            base.held[contract.id] = held
    # Only a change that adds versions, or edits a contract.toml (a yank, a retire),
    # reads the base's expectations.
    if base.added or toml_changed:
        base.withdrawn = _withdrawn(root, tree, expectations, records, ref)
    findings = _published_moved(registry, base.lock, ref=ref, commit=commit, prefix=prefix)
    if LOCK_FILE not in tree.blobs and SETTINGS_FILE not in tree.blobs:
        findings += _unreadable_base(repo, commit, prefix, ref=ref)
    findings += _in_submodule(repo, ref)
    findings.extend(
        _finding(
            "contract-retired-published",
            f"{contract.id} is retired{retired_on[contract.id]} and gained version {number}: "
            "retired contracts take no new versions",
            contract=contract.id,
            version=str(number),
            file=contract.version(number).file,
        )
        for contract in registry
        if contract.id in retired_on
        for number in sorted(base.new_versions.get(contract.id, ()))
    )
    return base, findings


def _withdrawn(
    root: Path,
    tree: GitTree,
    expectations: Mapping[str, str],
    records: Mapping[str, str],
    ref: str,
) -> Withdrawn | None:
    """The base's expectation files that this change deletes or edits, as the base held
    them (``None`` when there are none). A change may unregister a consumer or relax
    what it relies on, but not for the versions it publishes itself: those are judged
    against the expectation the consumer had when the change was proposed.

    Only the base's expectation files are looked at (``expectations``: path -> blob
    id), each compared with the work tree's by git blob id (equal ids, equal bytes:
    nothing read from git), and only those that differ are read, in one ``git
    cat-file``. A base file that does not parse protects nothing (the base's own gate
    refused it).

    The base's verification records (``records``: path -> blob id) alike: a record
    this change deletes or edits still shows its consumers verified (deleting one made
    its consumer pending, and a pending consumer does not block ``--consumers-only``)."""
    changed = [
        path for path, oid in expectations.items() if _work_blob_id(root / path, len(oid)) != oid
    ]
    dropped = [path for path, oid in records.items() if _work_blob_id(root / path, len(oid)) != oid]
    if not changed and not dropped:
        return None
    # Only now: the consumers package takes ~10 ms to import, and most changes withdraw
    # nothing.
    from accord.consumers._model import from_bytes
    from accord.consumers._records import check_record_bytes, verified_digests
    from accord.errors import AccordError

    read = tree.read(changed + dropped)
    files = []
    for path in changed:
        try:
            files.append(from_bytes(read[path], file=path, path=root / path))
        except (AccordError, KeyError):
            continue
    shown = []
    for path in dropped:
        try:
            shown.append(check_record_bytes(read[path], file=path))
        except (AccordError, KeyError):
            continue
    verified = frozenset(verified_digests(shown))
    if not files and not verified:
        return None
    return Withdrawn(ref=ref, files=tuple(files), verified=verified)


def _work_blob_id(path: Path, length: int) -> str | None:
    """The git blob id of a regular file of the work tree, ``None`` when there is none
    (deleted, a symlink or a special file: not an expectation the loader reads)."""
    import stat

    from accord.gate import git as _git

    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return _git.blob_id(path.read_bytes(), length=length)
    except OSError:
        return None


def _unreadable_base(repo: Path, commit: str, prefix: str, *, ref: str) -> list[Finding]:
    """A finding when the base holds no registry at ``prefix`` because the path (or a
    directory above it) is a submodule there: its files live in another repository, so
    the base tree lists nothing under it, and a change that vendors the registry (an
    edited published version, relocked, among the files) was compared with nothing."""
    from accord.gate import git as _git

    parts = prefix.split("/") if prefix else []
    paths = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    link = _git.submodule_at(repo, commit, paths)
    if link is None:
        return []
    return [
        _finding(
            "registry-base-unreadable",
            f"on {ref} the registry's directory {link!r} is a git submodule: its files are "
            "in another repository, so no published version could be compared with it "
            "(edits, deletions and renumbering would pass unseen). Check this change "
            "against the submodule's repository, or approve it with a reason in the "
            "ignore file",
            key=link,
        )
    ]


def _in_submodule(repo: Path, ref: str) -> list[Finding]:
    """A finding when the registry's repository is a submodule of another: ``ref`` was
    resolved in the submodule's own history, which the change under review chooses (it
    can replace the registry's files by a submodule of any repository), not in the
    superproject's, whose base published what the gate must protect."""
    from accord.gate import git as _git

    above = _git.superproject(repo)
    if above is None:
        return []
    where = _git.relative_prefix(above, repo) if repo.is_relative_to(above) else str(repo)
    return [
        _finding(
            "registry-in-submodule",
            f"the registry is in the git submodule {where!r} of {str(above)!r}: {ref} was "
            "read from the submodule's own history, which this change chooses, not from "
            "the superproject's (a change replacing the registry by a submodule holding an "
            "edited published version would pass). Check the registry in its own "
            "repository, or approve it with a reason in the ignore file",
            key=where,
        )
    ]


def _base_meta(
    registry: Registry,
    tree: GitTree,
    lock: Mapping[tuple[str, Version], object],
    restated: set[str],
) -> dict[str, ContractMeta]:
    """The base commit's ``contract.toml`` (its mode under the base's ``accord.toml``)
    of each contract in ``restated`` that gains a version since the base, read in one
    ``git cat-file``. One that today's accord refuses (an older one accepted it: a
    placeholder reason, a key since dropped) states what each of its keys does, and one
    that is not TOML (the base's own gate refused it) the defaults: else the change that
    repairs it could weaken the rules it states and break them at once."""
    from accord.registry.config import DEFAULT_MODE, _stated_meta, _stated_settings
    from accord.registry.model import CONTRACT_FILE, SETTINGS_FILE

    files = {
        c.id: f"{c.namespace}/{c.name}/{CONTRACT_FILE}"
        for c in registry
        if c.id in restated and any((c.id, v.version) not in lock for v in c.versions)
    }
    files = {cid: file for cid, file in files.items() if file in tree.blobs}
    if not files:
        return {}
    wanted = [*files.values()]
    if SETTINGS_FILE in tree.blobs:
        wanted.append(SETTINGS_FILE)
    raw = tree.read(wanted)
    default = _stated_settings(raw[SETTINGS_FILE])[0] if SETTINGS_FILE in raw else DEFAULT_MODE
    return {cid: _stated_meta(raw[file], default) for cid, file in files.items()}


def _yanked_here(
    contract: Contract,
    before: ContractMeta | None,
    lock: Mapping[tuple[str, Version], object],
    ref: str,
) -> _Yanks | None:
    """The versions published on the base that this change yanks, when it also adds
    versions (``before``, the base's ``contract.toml``, is only read then: an unchanged
    file yanks nothing new); ``None`` when there are none."""
    if before is None:
        return None
    versions = frozenset(
        v for v in contract.yanked if v not in before.yanked and (contract.id, v) in lock
    )
    return _Yanks(ref=ref, versions=versions) if versions else None


def _held(
    contract: Contract,
    before: ContractMeta | None,
    ref: str,
    added: set[Version],
    *,
    deprecation: bool,
) -> _Held | None:
    """The rules the base held ``contract`` to, when this change weakens or exempts
    them (another mode, ``draft``, a rule override that lowers a rule's severity;
    ``deprecation``: the removal policy turned off) and adds versions; ``None``
    otherwise."""
    if not added:
        return None
    mode = None
    rules: Mapping[str, RuleOverride] | None = None
    how: list[str] = []
    if before is not None and _gated(before):
        if not _gated(contract.meta) or contract.meta.mode != before.mode:
            mode = before.mode
            now = contract.meta.status == "draft"
            how.append('makes it status "draft"' if now else f"makes it mode {contract.meta.mode}")
        lowered = _lowered_overrides(before.rules, contract.meta.rules)
        if lowered:
            rules = before.rules
            how.append(lowered)
    if mode is None and rules is None and not deprecation:
        return None
    return _Held(
        mode=mode,
        held_on=ref,
        now=" and ".join(how),
        new=frozenset(added),
        deprecation=deprecation,
        rules=rules,
    )


# How much a rule override keeps of a rule's weight: a change to a lower rank weakens
# the gate (no override is the rule's own severity; ``error`` raises a breaking change
# to an error whatever the catalogue says).
_OVERRIDE_RANK = {"off": 0, "warning": 1, None: 2, "error": 3}


def _lowered_overrides(before: Mapping[str, RuleOverride], now: Mapping[str, RuleOverride]) -> str:
    """How ``now`` lowers a rule's severity from ``before`` (``"sets [rules.x] severity
    off"``), or ``""`` when it lowers none."""
    lowered = []
    for rule in sorted(before.keys() | now.keys()):
        was = before[rule].severity if rule in before else None
        will = now[rule].severity if rule in now else None
        if _OVERRIDE_RANK[will] < _OVERRIDE_RANK[was]:
            lowered.append(
                f"removes [rules.{rule}]"
                if will is None
                else f"sets [rules.{rule}] severity {will}"
            )
    return " and ".join(lowered)


def _base_requires_deprecation(tree: GitTree) -> bool:
    """Whether the base's ``accord.toml`` requires deprecation before removal (the
    default without one, and when the value there is refused today or the file cannot
    be read or is not TOML, which its own gate refused: :func:`_base_meta`)."""
    from accord.errors import AccordError
    from accord.registry.config import _stated_settings
    from accord.registry.model import SETTINGS_FILE

    try:
        raw = tree.read_one(SETTINGS_FILE)
    except AccordError:
        return True
    return True if raw is None else _stated_settings(raw)[1]


# The folders of consumers' expectations and of verification records: the names
# accord.consumers reads (tests/gate/test_gate_imports.py), spelled here because
# importing that package for them costs ~10 ms of every gate run.
_CONSUMERS_DIR = "consumers"
_VERIFICATIONS_DIR = "verifications"


def _tree_index(
    tree: GitTree,
) -> tuple[dict[str, dict[str, str]], dict[str, str], dict[str, str]]:
    """The base tree's version files and ``contract.toml`` grouped by contract folder
    (``orders/placed/`` -> path -> blob id), its expectation files (``consumers/``
    ``*.json``, path -> blob id) and its verification records (``verifications/``
    ``*/*.json``), in one pass over the tree (scanning it once per contract made change
    detection quadratic: 4 million comparisons at 1,000 contracts)."""
    lead, verifications = _CONSUMERS_DIR + "/", _VERIFICATIONS_DIR + "/"
    by_folder: dict[str, dict[str, str]] = {}
    expectations: dict[str, str] = {}
    records: dict[str, str] = {}
    for path, oid in tree.blobs.items():
        folder, slash, name = path.rpartition("/")
        if path.startswith(lead):  # never a contract folder: a reserved name
            if name.endswith(".json"):
                expectations[path] = oid
        elif path.startswith(verifications):  # reserved too
            if name.endswith(".json") and path.count("/") == 2:  # what load_records reads
                records[path] = oid
        elif slash and (name.endswith(".schema.json") or name == "contract.toml"):
            by_folder.setdefault(folder + "/", {})[path] = oid
    return by_folder, expectations, records


def _changed_contracts(
    registry: Registry,
    tree: GitTree,
    by_folder: Mapping[str, Mapping[str, str]],
    known: Mapping[str, str],
) -> tuple[set[str], set[str]]:
    """The contracts whose files differ from the base tree's (``by_folder``: its files
    by contract folder, :func:`_tree_index`): their version files and ``contract.toml``
    compared by blob id (``known``: the ids the load computed, by path), nothing read
    from git; and, among them, those whose ``contract.toml`` does."""
    from accord.gate import git as _git

    length = len(next(iter(tree.blobs.values()), "0" * 40))
    changed: set[str] = set()
    toml_changed: set[str] = set()
    for contract in registry:
        folder = f"{contract.namespace}/{contract.name}/"
        here: dict[str, str] = {}
        for v in contract.versions:
            file = v.file
            found = known.get(file)  # computed by the load, unless not in the base
            if found is None or len(found) != length:
                found = _git.blob_id(v.raw, length=length)
            here[file] = found
        toml = folder + "contract.toml"
        seen = known.get(toml)
        if seen is None or len(seen) != length:  # not read by the load (not in the base)
            seen = _git.blob_id((contract.directory / "contract.toml").read_bytes(), length=length)
        here[toml] = seen
        if here != by_folder.get(folder, {}):
            changed.add(contract.id)
            if seen != by_folder.get(folder, {}).get(toml):
                toml_changed.add(contract.id)
    return changed, toml_changed


def _published_moved(
    registry: Registry,
    lock: Mapping[tuple[str, Version], tuple[str, int]],
    *,
    ref: str,
    commit: str,
    prefix: str,
) -> list[Finding]:
    """What became of each version the base's lock published: its contract or its file
    deleted, the version renumbered, edited, or published again with other content.

    An edit's fingerprint holds the digest of the file as edited: an ignore entry
    approves that edit, and a later edit of the same version, once the approved one is
    merged (the entry kept), is another finding (before, the entry approved it too).

    The lock is walked in its own order, and a line whose version is still there with
    the same digest costs one lookup: the report sorts every finding, and no two of
    these share a sort key (one per deleted contract, one per version otherwise).
    """
    from accord.registry.model import LOCK_FILE

    findings: list[Finding] = []
    deleted_contracts: set[str] = set()
    by_key = {(v.contract_id, v.version): v for c in registry for v in c.versions}
    for (cid, number), (digest, line) in lock.items():
        current = by_key.get((cid, number))
        if current is not None and current.digest == digest:
            continue
        owner = registry.contracts.get(cid)
        if owner is None:
            if cid not in deleted_contracts:
                deleted_contracts.add(cid)
                findings.append(
                    _finding(
                        "contract-deleted",
                        f"{cid} has published versions on {ref} but its directory is gone: "
                        "published contracts are never deleted; restore it and run "
                        f"`accord retire {cid}`",
                        contract=cid,
                        file=LOCK_FILE,
                    )
                )
            continue
        ident = {"contract": cid, "version": str(number)}
        if current is None:
            moved = next((v for v in owner.versions if v.digest == digest), None)
            if moved is not None:
                findings.append(
                    _finding(
                        "version-renumbered",
                        f"{cid} {number} was published on {ref} and is now {moved.version}: "
                        "version numbers are never changed; restore "
                        f"{number}.schema.json and publish a new version",
                        file=moved.file,
                        key=str(moved.version),
                        **ident,
                    )
                )
            else:
                findings.append(
                    _finding(
                        "version-deleted",
                        f"{cid} {number} was published on {ref} and its file is gone: "
                        "published versions are never deleted; restore it and "
                        f"`accord yank {cid}@{number} --reason ...` instead",
                        file=LOCK_FILE,
                        line=line,
                        **ident,
                    )
                )
        elif registry.lock.get((cid, number)) == current.digest:
            findings.append(
                _finding(
                    "version-reused",
                    f"{cid} {number} was published on {ref} with {digest} and is "
                    f"published again with other content ({current.digest}): a version "
                    "number is used once; restore the file and its accord.lock line and "
                    "publish a new version",
                    file=current.file,
                    line=1,
                    key=current.digest,  # an approval covers this content only
                    **ident,
                )
            )
        else:
            findings.append(
                _finding(
                    "version-modified",
                    f"{current.ref} was published on {ref} and has been edited since: "
                    "published versions are immutable; restore it from the repository "
                    f"root (`git checkout {commit[:12]} -- {join_path(prefix, current.file)}"
                    "`) and publish a new version",
                    file=current.file,
                    line=1,
                    key=current.digest,
                    **ident,
                )
            )
    return findings


def check(
    root: str | Path,
    *,
    against: str | None = None,
    tip: bool = False,
    ignore: Sequence[IgnoreEntry] = (),
    consumers_only: bool = False,
    requires: Sequence[tuple[str, str]] = (),
    cache: ContentCache | None = None,
    progress: Progress | None = None,
) -> GateReport:
    """Run the gate on the registry at ``root``.

    Args:
        root: The registry root (a directory inside a git work tree for ``against``).
        against: A git ref to compare with: the merge-base of it and ``HEAD`` is the
            base (``tip=True``: the ref itself). ``None`` checks the registry alone.
        tip: Compare with ``against`` itself instead of the merge-base.
        ignore: Approved findings (:func:`load_ignore_file`).
        consumers_only: The consumer-driven policy: a breaking schema change (or an
            undeprecated removal) fails only when it breaks a registered, non-pending
            consumer; otherwise it is reported as a warning. Edits, deletions and
            renumbering of published versions fail as always.
        requires: ``(service, reference)`` pairs a service manifest requires (the CLI
            passes the project's ``[tool.accord.service]``); like every registered
            consumer's references, each must still select a usable version.
        cache: The disk cache (:func:`accord.core.cache.open_cache`): version-pair
            verdicts are reused from it and kept in it, keyed by content digests.
        progress: Called after each contract is checked (:mod:`accord.core.progress`).

    Returns:
        The report; :meth:`GateReport.exit_code` maps it to 0 or 1.

    Raises:
        RegistryError: the registry does not load (bad input, exit 2).
        UsageError: a git failure: unknown ref, not a repository, or a shallow clone
            without the merge-base (``git-no-merge-base``, with a ``fetch-depth: 0`` hint).
    """
    from accord.gate import git as _git

    with _git.session(), _Heap() as heap:  # each git question asked once per run
        return _check(
            root,
            against=against,
            tip=tip,
            ignore=ignore,
            consumers_only=consumers_only,
            requires=requires,
            cache=cache,
            progress=progress,
            heap=heap,
        )


class _Heap:
    """The garbage collector during one gate run.

    Loading a registry allocates hundreds of thousands of objects and frees almost none,
    yet each full collection walks them all again (15% of ``check --against`` at 5,000
    contracts), and every collection of the diff phase after it walks them too. So no
    collection runs while the registry loads, and the loaded objects are then set aside
    (:func:`gc.freeze`) until the run ends, when they are handed back. Nothing is done
    when the collector is off or the process froze objects itself (those are not ours
    to hand back).
    """

    def __init__(self) -> None:
        import gc

        self._owned = gc.isenabled() and gc.get_freeze_count() == 0
        self._frozen = False

    def __enter__(self) -> _Heap:
        import gc

        if self._owned:
            gc.disable()
        return self

    def loaded(self) -> None:
        """The registry is loaded: set it aside and collect again."""
        import gc

        if self._owned and not self._frozen:
            gc.freeze()
            gc.enable()
            self._frozen = True

    def diffed(self) -> None:
        """Every verdict is in: no collection while the run is encoded for the cache and
        read back (thousands of reports, no cycle among them; at 1,000 contracts the
        collections it set off took 40% of that step)."""
        import gc

        if self._owned:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        import gc

        if not self._owned:
            return
        if self._frozen:
            gc.unfreeze()
        gc.enable()


def _check(
    root: str | Path,
    *,
    against: str | None,
    tip: bool,
    ignore: Sequence[IgnoreEntry],
    consumers_only: bool,
    requires: Sequence[tuple[str, str]],
    cache: ContentCache | None,
    progress: Progress | None,
    heap: _Heap,
) -> GateReport:
    import time

    clock = time.perf_counter()
    root_path = Path(root)
    key = None
    if cache is not None:
        key = run_key(
            root_path,
            against,
            tip=tip,
            ignore=ignore,
            consumers_only=consumers_only,
            requires=requires,
        )
        if key is not None:
            reused = _load_run(cache, key)
            if reused is not None:
                return reused
    # The path as given: a link in it is followed as the base held it (_registry_tree).
    base_tree = _base_tree(root_path, against, tip=tip) if against is not None else None
    trusted = _base_lock(base_tree) if against is not None else None
    blob_ids: dict[str, str] = {}
    vouched = _vouched(base_tree, blob_ids) if base_tree is not None else None
    unparsed = base_tree is not None and _same_settings(root_path, base_tree)
    registry, findings = _load(root_path, trusted=trusted, vouched=vouched, unparsed=unparsed)
    heap.loaded()
    findings += _unlocked(registry)
    loaded = time.perf_counter()
    base: _Base | None = None
    if against is not None:
        base, moved = _against(registry, against, tip=tip, tree=base_tree, blob_ids=blob_ids)
        modified = {(f.contract, f.version) for f in moved if f.rule == "version-modified"}
        findings = [
            f
            for f in findings
            if not (f.rule == "lock-digest-mismatch" and (f.contract, f.version) in modified)
        ]
        findings += moved
    gitted = time.perf_counter()
    checks: list[VersionCheck] = []
    checked: list[str] = []
    todo = [c for c in registry if base is None or c.id in base.changed]
    for done, contract in enumerate(todo, 1):
        checked.append(contract.id)
        held = base.held.get(contract.id) if base is not None else None
        found_checks, found = _check_contract(
            registry,
            contract,
            cache=cache,
            held=held,
            added=base.added.get(contract.id, frozenset()) if base is not None else frozenset(),
            withdrawn=base.withdrawn if base is not None else None,
            yanks=base.yanks.get(contract.id) if base is not None else None,
            ref=against or "",
        )
        checks += found_checks
        findings += found
        report_progress(progress, done, len(todo), contract.id)
    findings += _stranded(registry, requires, base.withdrawn if base is not None else None)
    diffed = time.perf_counter()
    if consumers_only:
        findings = [_consumers_only(f) for f in findings]
    findings, unused = _apply_ignores(sorted(findings, key=_sort_key), ignore)
    report = GateReport(
        registry=str(root),
        against=against,
        base=base.commit if base else None,
        contracts=len(registry),
        checked=tuple(checked),
        checks=tuple(checks),
        findings=tuple(findings),
        unused_ignores=unused,
        timings=(("load", loaded - clock), ("git", gitted - loaded), ("diff", diffed - gitted)),
        prefix=path_prefix(root_path),
    )
    if cache is not None and key is not None:
        heap.diffed()
        _store_run(cache, key, report)
    return report


def run_key(
    root: Path,
    against: str | None,
    *,
    tip: bool,
    ignore: Sequence[IgnoreEntry],
    consumers_only: bool,
    requires: Sequence[tuple[str, str]],
) -> str | None:
    """The cache key of a whole gate run: every input of :func:`check` (every file under the
    registry root, the base commit, the options, the working directory its paths are
    shown from), or ``None`` when one cannot be read (then nothing is reused)."""
    from accord.core.cache import make_key
    from accord.errors import AccordError
    from accord.gate import git as _git
    from accord.gate.verdicts import tree_digest

    tree = tree_digest(root)
    if tree is None:
        return None
    commit = ""
    if against is not None:
        try:
            repo = _git.repo_root(root.resolve())
            commit = _git.rev_parse(repo, against) if tip else _git.merge_base(repo, against)
        except (AccordError, OSError):
            return None  # reported by the run itself
    return make_key(
        _RUN_KIND,
        tree,
        str(root),
        str(root.resolve()),
        str(Path.cwd()),
        path_prefix(root),
        against or "",
        commit,
        repr((tip, consumers_only, tuple(ignore), tuple(requires))),
    )


def _why_stranded(registry: Registry, ref: str) -> str | None:
    """Why ``ref`` selects no usable version, or ``None`` when it selects one."""
    from accord.errors import AccordError
    from accord.registry.names import ContractRef

    try:
        parsed = ContractRef.parse(ref.removeprefix("accord://"))
        contract = registry.contract(parsed.id)
    except AccordError:
        return "names no contract in the registry"
    if contract.meta.status == "retired":
        return f"is retired ({contract.id})"
    try:
        registry.get(parsed)
    except AccordError:
        yanked = ", ".join(str(v) for v in sorted(contract.yanked)) or "none"
        return f"matches no version that is not yanked (yanked: {yanked})"
    return None


def _stranded(
    registry: Registry,
    requires: Sequence[tuple[str, str]],
    withdrawn: Withdrawn | None = None,
) -> list[Finding]:
    """A yank or retire that leaves a registered consumer's expectation, or a range a
    service requires at startup, with nothing to resolve to; ``withdrawn``: the base's
    expectations this change deletes or edits, which still count in this change (a
    consumer's range the work tree no longer names is checked as on the base)."""
    wanted: dict[tuple[str, str], str | None] = {}
    if (registry.root / _CONSUMERS_DIR).is_dir():
        from accord.consumers._model import discover

        for ef in discover(registry.root):
            for body in ef.bodies():
                if body.contract:
                    wanted.setdefault((f"consumer {ef.consumer}", body.contract), ef.file)
    gone, ref = (withdrawn.files, withdrawn.ref) if withdrawn is not None else ((), "")
    for ef in gone:
        for body in ef.bodies():
            if body.contract and (f"consumer {ef.consumer}", body.contract) not in wanted:
                who = f"consumer {ef.consumer} (expectation as on {ref})"
                wanted.setdefault((who, body.contract), ef.file)
    for service, ref in requires:
        wanted.setdefault((f"service {service}", ref), None)
    findings = []
    for (who, ref), file in sorted(wanted.items()):
        why = _why_stranded(registry, ref)
        if why is None:
            continue
        fix = "its expectation" if file else "its service manifest"
        findings.append(
            _finding(
                "range-stranded",
                f"{who} relies on {ref}, which {why}: un-yank or publish a matching "
                f"version, or update {fix} first.",
                contract=ref.removeprefix("accord://").partition("@")[0],
                file=file,
                key=f"{who}\0{ref}",
            )
        )
    return findings


_SCHEMA_RULES = frozenset(
    {"bump-insufficient", "transitive-incompatible", "removal-not-deprecated"}
)


def _breaks_a_consumer(change: Change) -> bool:
    return any(
        getattr(i, "status", None) == "breaks" and not getattr(i, "pending", False)
        for i in change.consumers
    )


def _consumers_only(finding: Finding) -> Finding:
    """Downgrade a schema finding that breaks no registered consumer to a warning."""
    if finding.rule not in _SCHEMA_RULES or finding.severity != "error":
        return finding
    if any(_breaks_a_consumer(c) for c in finding.changes):
        return finding
    return replace(
        finding,
        severity="warning",
        message=finding.message + " (no registered consumer breaks: --consumers-only)",
    )


def require_fail_on(value: str) -> FailOn:
    """Validate a ``--fail-on`` value.

    Raises:
        UsageError: not ``error``, ``warning`` or ``info``.
    """
    if value not in ("error", "warning", "info"):
        raise UsageError(f"--fail-on must be one of error, warning, info, not {value!r}")
    return cast(FailOn, value)


# -- whole runs in the disk cache ---------------------------------------------------

# A whole gate run, keyed by every input (see run_key); its codec reads back equal or
# is not stored (accord.gate.verdicts holds the shared Report codec).
_RUN_KIND = "gate-run"


def _encode_run(report: GateReport) -> bytes | None:
    """The JSON form of a gate run, or ``None`` when it would not read back equal."""
    from accord.gate.verdicts import stored_change, stored_report

    changes = [c for f in report.findings for c in f.changes]
    changes += [c for check in report.checks for c in check.report.changes]
    if any(change.consumers for change in changes):
        return None
    body = {
        "registry": report.registry,
        "against": report.against,
        "base": report.base,
        "contracts": report.contracts,
        "checked": list(report.checked),
        "prefix": report.prefix,
        "checks": [
            {
                "contract": c.contract,
                "previous": str(c.previous),
                "version": str(c.version),
                "mode": c.mode,
                "required": c.required,
                "declared": c.declared,
                "file": c.file,
                "report": stored_report(c.report),
            }
            for c in report.checks
        ],
        "findings": [
            {
                **{k: getattr(f, k) for k in _FINDING_TEXT},
                "changes": [stored_change(c) for c in f.changes],
            }
            for f in report.findings
        ],
        "unused_ignores": [
            {k: getattr(e, k) for k in ("fingerprint", "reason", "rule", "contract", "version")}
            for e in report.unused_ignores
        ],
    }
    from accord.core.jsondoc import sorted_dumps

    try:
        data = sorted_dumps(body).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return None
    return data if _decode_run(data) == report else None


_FINDING_TEXT = (
    "rule",
    "severity",
    "message",
    "contract",
    "version",
    "previous",
    "file",
    "line",
    "key",
    "required_bump",
    "declared_bump",
    "ignored",
)


def _decode_run(data: bytes) -> GateReport | None:
    """The gate run stored in ``data``, or ``None`` when it is not one."""
    import json

    from accord.gate.verdicts import BUMPS, change_from_stored, choice, report_from_stored, text

    try:
        body: Any = json.loads(data)
        checks = tuple(
            VersionCheck(
                contract=text(c["contract"]),
                previous=Version.parse(text(c["previous"])),
                version=Version.parse(text(c["version"])),
                mode=text(c["mode"]),
                report=report_from_stored(c["report"]),
                required=choice(c["required"], BUMPS),
                declared=choice(c["declared"], BUMPS),
                file=text(c["file"]),
            )
            for c in body["checks"]
        )
        findings = []
        for f in body["findings"]:
            if f["severity"] not in ("error", "warning", "info"):
                raise ValueError("not a severity")
            if f["line"] is not None and not isinstance(f["line"], int):
                raise TypeError("not a line")
            texts = {k: f[k] for k in _FINDING_TEXT if k not in ("severity", "line")}
            if not all(v is None or isinstance(v, str) for v in texts.values()):
                raise TypeError("not a string")
            findings.append(
                Finding(
                    **texts,
                    severity=f["severity"],
                    line=f["line"],
                    changes=tuple(change_from_stored(c) for c in f["changes"]),
                )
            )
        unused = tuple(
            IgnoreEntry(
                fingerprint=text(e["fingerprint"]),
                reason=text(e["reason"]),
                rule=e["rule"],
                contract=e["contract"],
                version=e["version"],
            )
            for e in body["unused_ignores"]
        )
        against, base = body["against"], body["base"]
        if not all(v is None or isinstance(v, str) for v in (against, base)):
            raise TypeError("not a string")
        if not isinstance(body["contracts"], int):
            raise TypeError("not a count")
        return GateReport(
            registry=text(body["registry"]),
            against=against,
            base=base,
            contracts=body["contracts"],
            checked=tuple(text(c) for c in body["checked"]),
            checks=checks,
            findings=tuple(findings),
            unused_ignores=unused,
            prefix=text(body["prefix"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _load_run(cache: ContentCache, key: str) -> GateReport | None:
    """The gate run stored under ``key``, or ``None`` (absent or not a run)."""
    from accord.gate.verdicts import load_entry

    return load_entry(cache, _RUN_KIND, key, _decode_run)


def _store_run(cache: ContentCache, key: str, report: GateReport) -> None:
    """Keep a gate run under ``key`` when it reads back equal."""
    from accord.gate.verdicts import store_entry

    store_entry(cache, _RUN_KIND, key, _encode_run, report)
