"""Publishing, scaffolding, yanking and retiring contracts.

``publish`` is the only writer of ``accord.lock``. It diffs the new document against
the previous version (the highest published, non-yanked version below the new one)
under the contract's mode, derives the required bump and either publishes the smallest
allowed version, checks a requested ``--version`` against it, or refuses.

Writing is crash-safe and race-safe:

1. the document goes to a temp file in the contract directory (``.<name>.*.tmp``,
   hidden: the loader never reads dotfiles), is fsynced, then hard-linked to
   ``<X.Y.Z>.schema.json``: the link is atomic and fails if the name exists, so of
   many publishers of one version exactly one wins and the others get
   :data:`CONFLICT`;
2. ``accord.lock`` is read, extended and atomically replaced while holding the
   exclusive lock ``accord.lock.lck`` (:mod:`accord.core.filelock`), so publishers of
   different contracts all land.

A publish killed after step 1 leaves a version file without a lock line: a draft that
no range or "latest" selects, ``accord lint`` warns about (``version-unpublished``),
``accord check`` reports (``lock-missing-entry``), and re-running the same publish
checks and completes. A publish killed before the link leaves a temp file; the next
publish (holding the lock, so no one else is writing) deletes it. A publish killed
inside step 2 holds nothing afterwards: the operating system releases its lock, and the
next publish proceeds (and completes the interrupted one when it is the same).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from accord.core import jsondoc as _jsondoc
from accord.core.jsondoc import FORMAT_VERSION
from accord.errors import (
    ConfigError,
    ContractNotFound,
    DocumentError,
    LockError,
    Problem,
    SchemaError,
    UsageError,
    VersionNotFound,
)
from accord.versions import (
    BumpKind,
    Version,
    bump_rank,
    bump_satisfies,
    declared_bump,
    previous_version,
    required_bump,
    smallest_allowed,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from accord.compat._report import Change
    from accord.gate.check import VersionCheck
    from accord.registry.config import ContractMeta, RegistrySettings
    from accord.registry.model import Contract, ContractVersion, Registry
    from accord.validation.budget import SchemaLimits

__all__ = [
    "CONFLICT",
    "PUBLISHED",
    "REFUSED",
    "UNCHANGED",
    "PublishResult",
    "check_document",
    "export_model_schema",
    "init_registry",
    "load_model",
    "new_contract",
    "plan_contract",
    "publish",
    "pydantic_profile",
    "retire",
    "write_contract",
    "yank",
]

Status = Literal["published", "completed", "unchanged", "refused", "conflict"]
PUBLISHED: Status = "published"
COMPLETED: Status = "completed"
UNCHANGED: Status = "unchanged"
REFUSED: Status = "refused"
CONFLICT: Status = "conflict"

FIRST_VERSION = Version.parse("1.0.0")
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# A version no one publishes: the new document's identity while it is diffed, before
# its number is known.
_CANDIDATE = Version.parse("999999999.0.0-accord.candidate")

# Crash injection for the interrupted-publish tests: the process SIGKILLs itself at
# the named step. Never set outside tests.
_FAILPOINT_ENV = "ACCORD_TEST_FAILPOINT"


def _failpoint(step: str) -> None:
    if os.environ.get(_FAILPOINT_ENV) == step:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did.

    Attributes:
        status: ``published`` (a new version file and lock line), ``completed`` (the
            file existed with this content, its lock line was missing: an interrupted
            publish finished), ``unchanged`` (identical content: nothing written),
            ``refused`` (the requested version declares too small a bump, or a
            removal breaks the deprecation policy), ``conflict`` (the version exists
            with other content, or another publisher won the race).
        contract: Contract id.
        version: The version published (or that already holds this content).
        previous: The version diffed against (``None`` for a first version).
        file: The version file, relative to the registry root.
        required_bump: What the changes require (0.y.z rules applied).
        declared_bump: What ``version`` declares over ``previous``.
        checks: The comparisons made (previous, then earlier same-major versions).
        message: One paragraph for people.
        reasons: For ``refused``: one line per change needing more than was declared;
            for a major bump that is published: why it is major (rule, directions,
            witness).
        dry_run: Nothing was written: ``status`` is what the publish would do.
        warnings: What lint warns of in the document (``schema-dialect-upgrade`` for a
            draft-07 schema, ``format-unknown``, ...), under the registry's
            ``[lint.rules]``.
    """

    status: Status
    contract: str
    version: Version | None
    previous: Version | None = None
    file: str | None = None
    required_bump: BumpKind = "none"
    declared_bump: BumpKind | None = None
    checks: tuple[VersionCheck, ...] = ()
    message: str = ""
    reasons: tuple[str, ...] = ()
    dry_run: bool = False
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the registry now holds this content (published, completed, unchanged)."""
        return self.status in (PUBLISHED, COMPLETED, UNCHANGED)

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes against the previous version."""
        return self.checks[0].report.changes if self.checks else ()

    @property
    def unexplained_changes(self) -> tuple[Change, ...]:
        """The changes against the previous version that ``reasons`` does not already
        explain (a published major bump explains each change that makes it major)."""
        if not self.ok or not self.reasons or not self.checks:
            return self.changes
        previous = self.checks[0].previous
        return tuple(c for c in self.changes if not _makes_major(c, previous))

    def to_json(self) -> dict[str, Any]:
        """The JSON form of ``accord publish --format json``."""
        return {
            "format_version": FORMAT_VERSION,
            "status": self.status,
            "ok": self.ok,
            "contract": self.contract,
            "version": str(self.version) if self.version else None,
            "previous": str(self.previous) if self.previous else None,
            "file": self.file,
            "required_bump": self.required_bump,
            "declared_bump": self.declared_bump,
            "message": self.message,
            "reasons": list(self.reasons),
            "dry_run": self.dry_run,
            "changes": [c.to_json() for c in self.changes],
            "warnings": [w.to_json() for w in self.warnings],
        }


# -- publish ---------------------------------------------------------------------------


def _canonical(document: Any) -> str:
    return _jsondoc.canonical_dumps(document)


def check_document(
    document: Any,
    *,
    file: str,
    limits: SchemaLimits | None = None,
    settings: RegistrySettings | None = None,
) -> tuple[Problem, ...]:
    """Refuse a document ``publish`` would refuse (limits first: they bound the rest),
    judged as lint judges a version file: under ``settings``' ``[lint.rules]`` when given
    (a rule raised to an error refuses, one switched off is not reported), and read back
    as the registry reads the file written, under ``settings``' ``max-file-bytes`` and
    ``max-depth``.

    Returns:
        The warnings (``schema-dialect-upgrade``, ``format-unknown``, ...).
    """
    from accord.validation.budget import check_limits
    from accord.validation.dialect import check_schema

    if settings is not None:
        # Read back as every load reads the file written: a document given as a value
        # (the Python API, --model, import-openapi) or read under the default caps
        # (--schema) was written and locked over this registry's caps, and the
        # registry stopped loading (json-too-deep, json-too-large).
        try:
            raw = _canonical(document).encode("utf-8")
        except UnicodeEncodeError:
            # A str of the API or a model may hold one; no JSON text can write it.
            raise DocumentError(
                "the document holds an unpaired UTF-16 surrogate, which no UTF-8 file can hold",
                code="json-lone-surrogate",
                file=file,
            ) from None
        _jsondoc.loads(
            raw,
            file=file,
            max_bytes=settings.max_file_bytes,
            max_depth=settings.max_depth,
        )
    check_limits(document, limits, file=file)
    problems = check_schema(document, file=file)
    if settings is not None:
        from accord.registry.problems import apply_overrides

        problems = apply_overrides(problems, settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SchemaError(
            f"{first.message}{more}: nothing was published",
            code=first.code,
            file=file,
            pointer=first.pointer,
        )
    return tuple(p for p in problems if p.severity == "warning")


def _candidate(
    registry: Registry, contract: Contract, document: Any, number: Version
) -> tuple[Registry, ContractVersion]:
    """``registry`` with ``document`` added to ``contract`` as version ``number``."""
    from accord.registry.model import ContractVersion

    raw = _canonical(document).encode("utf-8")
    file = f"{contract.namespace}/{contract.name}/{number}.schema.json"
    version = ContractVersion(
        contract_id=contract.id,
        version=number,
        path=contract.directory / f"{number}.schema.json",
        file=file,
        raw=raw,
        document=json.loads(raw),
    )
    kept = [v for v in contract.versions if v.version != number]
    versions = tuple(sorted([*kept, version], key=lambda v: v.version))
    return registry.with_contract(dataclasses.replace(contract, versions=versions)), version


def _evaluate(
    registry: Registry,
    contract: Contract,
    candidate: ContractVersion,
    previous: ContractVersion,
    published: list[ContractVersion],
) -> tuple[list[VersionCheck], BumpKind, list[Change]]:
    """Comparisons, the semantic bump (before the 0.y.z rules) and the undeprecated
    removals for ``candidate``."""
    from accord.gate.check import compare_versions, earlier_same_major, unapproved_removals

    mode = contract.meta.mode
    first = compare_versions(registry, previous, candidate, mode=mode)
    checks = [first]
    semantic: BumpKind = first.report.required_bump
    yanked = contract.yanked
    if mode.endswith("-transitive"):
        by_number = {v.version: v for v in published}
        for older in earlier_same_major(by_number, previous.version, yanked=yanked):
            deep = compare_versions(registry, by_number[older], candidate, mode=mode)
            checks.append(deep)
            if not deep.report.compatible:
                semantic = "major"
    removals: list[Change] = []
    if registry.settings.require_deprecation_before_removal:
        earlier = [v for v in published if v.version <= previous.version and v.yanked is None]
        removals = unapproved_removals(registry, first, earlier)
    if mode == "none":
        semantic = "patch" if bump_rank(semantic) > 0 else "none"
    return checks, semantic, removals


def _later_checks(
    registry: Registry,
    contract: Contract,
    document: Any,
    wanted: Version,
    published: list[ContractVersion],
) -> tuple[list[VersionCheck], list[tuple[str, str]]]:
    """The checks ``accord check`` adds once ``wanted`` is published below published
    versions, and why they fail: ``(version ref, reason)`` pairs (none: they pass).

    ``wanted`` becomes the previous version of the next one up (``1.1.0`` published
    after ``1.2.0``; a release below a pre-release), which is then checked against it
    as if it were new; under a ``-transitive`` mode every later release of its major is
    compared with it too. Only the checks ``wanted`` adds are run: the others passed
    when those versions were published.
    """
    from accord.gate.check import compare_versions

    yanked = contract.yanked
    above = [v for v in published if v.version > wanted and v.version not in yanked]
    if not above:
        return [], []
    scratch, candidate = _candidate(registry, contract, document, wanted)
    numbers = [v.version for v in published] + [wanted]
    mode = contract.meta.mode
    checks: list[VersionCheck] = []
    broken: list[tuple[str, str]] = []
    for later in above:
        if previous_version(numbers, later.version, yanked=yanked) == wanted:
            found, semantic, removals = _evaluate(
                scratch, contract, later, candidate, [*published, candidate]
            )
            checks += found
            if not bump_satisfies(wanted, later.version, semantic):
                declared = declared_bump(wanted, later.version)
                broken += [(later.ref, r) for r in _explain(found, declared)]
            broken += [
                (later.ref, f"removal-not-deprecated: {c.instance_path or '/'}") for c in removals
            ]
        elif (
            mode.endswith("-transitive")
            and later.version.major == wanted.major
            and not wanted.prerelease
        ):
            deep = compare_versions(scratch, candidate, later, mode=mode)
            checks.append(deep)
            if not deep.report.compatible:
                broken += [(later.ref, r) for r in _explain([deep], "minor")]
    return checks, broken


def _consumers_named(line: str, change: Change) -> str:
    """``line`` with the consumers ``change`` hurts, as ``accord check`` names them."""
    if not change.consumers:
        return line
    from accord.consumers._impact import describe

    return f"{line}; consumers: {describe(change)}"


def _explain(checks: list[VersionCheck], declared: BumpKind) -> list[str]:
    from accord.gate.check import change_bump

    found: set[tuple[int, str]] = set()
    for check in checks:
        for change in check.report.changes:
            bump = change_bump(change, check.previous)
            if bump_rank(bump) > bump_rank(declared):
                where = change.instance_path or "/"
                against = f" (vs {check.previous})" if check is not checks[0] else ""
                line = f"needs {bump}: {change.rule} at {where}{against}: {change.message}"
                found.add((-bump_rank(bump), _consumers_named(line, change)))
    return [line for _rank, line in sorted(found)]


def publish(
    root: str | Path,
    contract_id: str,
    document: Any,
    *,
    version: str | Version | None = None,
    source: str | None = None,
    lock_timeout: float = 30.0,
    dry_run: bool = False,
) -> PublishResult:
    """Publish ``document`` as the next version of ``contract_id``.

    Args:
        root: The registry root.
        contract_id: ``namespace.name``; the contract must exist (``accord new``).
        document: The JSON Schema (parsed).
        version: The version to publish; ``None`` publishes the smallest allowed one.
        source: Where the document came from (error messages).
        lock_timeout: Seconds to wait for another publisher's ``accord.lock.lck``.
        dry_run: Decide everything and write nothing (not even the lock file): the
            result says what would be published.

    Returns:
        A :class:`PublishResult`; ``refused`` and ``conflict`` write nothing.

    Raises:
        RegistryError: the registry does not load.
        ContractNotFound: no such contract.
        SchemaError: the document is not a schema accord accepts.
        DocumentError: written, the document would be over the registry's
            ``max-file-bytes`` or ``max-depth`` (``json-too-large``, ``json-too-deep``),
            or it holds an unpaired surrogate (``json-lone-surrogate``).
        UsageError: the contract is retired, or ``version`` is not above every
            published version of its major line's predecessor.
        LockError: ``lock-busy``: another publisher holds the lock file too long, or a
            crashed one left it behind.
    """
    from accord.registry.config import load_registry_settings

    display = source or "<document>"
    settings = load_registry_settings(Path(root))
    warnings = check_document(document, file=display, limits=settings.limits, settings=settings)
    if not isinstance(document, dict):
        raise SchemaError(
            "a registry version's root must be an object schema",
            code="schema-root-not-object",
            file=display,
        )
    # The whole read-decide-write runs under the lock file: the previous version and
    # the lock are read while no other publisher can change them.
    if dry_run:
        result = _publish_locked(Path(root), contract_id, document, version, dry_run=True)
    else:
        with _guarded(Path(root), lock_timeout):
            result = _publish_locked(Path(root), contract_id, document, version)
    return dataclasses.replace(result, warnings=warnings)


def _publish_locked(
    root: Path,
    contract_id: str,
    document: dict[str, Any],
    version: str | Version | None,
    *,
    dry_run: bool = False,
) -> PublishResult:
    from accord.registry.model import Registry

    registry = Registry.load(root, check_all=True)
    try:
        contract = registry.contract(contract_id)
    except ContractNotFound as exc:
        raise ContractNotFound(
            f"{exc.message} (a new contract starts with `accord new {contract_id} --owner TEAM "
            "--kind event|request|response|record`)",
            ref=contract_id,
        ) from None
    if contract.meta.status == "retired":
        raise UsageError(
            f"{contract.id} is retired: it takes no new versions (set status in its "
            "contract.toml to reopen it)",
            code="contract-retired",
            ref=contract.id,
        )
    text = _canonical(document)
    published = [v for v in contract.versions if registry.published(v)]
    yanked = contract.yanked
    wanted = Version.parse(version) if isinstance(version, str) else version
    numbers = [v.version for v in published]
    base = previous_version(numbers, wanted, yanked=yanked) if wanted else _latest(numbers, yanked)
    previous = next((v for v in published if v.version == base), None)

    # A file already on disk for the version: published (no-op or conflict), or a draft
    # with this content (written by hand, or an interrupted publish), which is completed
    # only after the same checks as a new file: a draft never skips the gate.
    draft: ContractVersion | None = None
    if wanted is not None:
        existing = next((v for v in contract.versions if v.version == wanted), None)
        if existing is not None:
            done = _existing(registry, contract, existing, text)
            if done is not None:
                return done
            draft = existing
    if previous is not None and _canonical(previous.document) == text:
        return PublishResult(
            UNCHANGED,
            contract.id,
            previous.version,
            file=previous.file,
            message=f"{contract.id} {previous.version} already has this content: nothing "
            "was published",
        )

    checks: list[VersionCheck] = []
    semantic: BumpKind = "none"
    required: BumpKind = "none"
    removals: list[Change] = []
    if previous is not None:
        scratch, candidate = _candidate(registry, contract, document, wanted or _CANDIDATE)
        _refuse_draft_refs(scratch, candidate, f"{contract.id} {wanted or '(next)'}")
        checks, semantic, removals = _evaluate(scratch, contract, candidate, previous, published)
        required = required_bump(semantic, previous.version)
    if wanted is None:
        wanted = smallest_allowed(previous.version, semantic) if previous else FIRST_VERSION
        if previous is not None:
            # A number is used once, and the previous version is the latest not yanked:
            # the smallest allowed number may be a yanked version's. The next one of the
            # same bump is free, unless that version holds this very content (refused
            # below, naming the yank).
            step: BumpKind = required if required != "none" else "patch"
            held = {v.version: v for v in published if v.yanked is not None}
            while wanted in held and _canonical(held[wanted].document) != text:
                wanted = wanted.bump(step)
        checks = [
            dataclasses.replace(c, version=wanted, declared=declared_bump(c.previous, wanted))
            for c in checks
        ]
        existing = next((v for v in contract.versions if v.version == wanted), None)
        if existing is not None:
            done = _existing(registry, contract, existing, text)
            if done is not None:
                return done
            draft = existing

    _refuse_case_twin(contract, wanted)
    _refuse_long_name(contract, wanted)
    declared: BumpKind | None = None
    if previous is not None:
        before = previous.version
        declared = declared_bump(before, wanted)

        def refused(
            reasons: Iterable[str], message: str, found: list[VersionCheck] = checks
        ) -> PublishResult:
            return PublishResult(
                REFUSED,
                contract.id,
                wanted,
                previous=before,
                required_bump=required,
                declared_bump=declared,
                checks=tuple(found),
                reasons=tuple(reasons),
                dry_run=dry_run,
                message=message,
            )

        if not bump_satisfies(before, wanted, semantic):
            return refused(
                _explain(checks, declared),
                f"{contract.id} {wanted} declares a {declared} bump over "
                f"{before}, but its changes under mode {contract.meta.mode} "
                f"require {required}: publish {smallest_allowed(before, semantic)} "
                "or later",
            )
        if removals:
            return refused(
                (
                    _consumers_named(
                        f"removal-not-deprecated: {c.instance_path or '/'} ({c.schema_path} "
                        f'in {before}) was never marked "deprecated": true',
                        c,
                    )
                    for c in removals
                ),
                f"{contract.id} {wanted} removes properties that were not deprecated "
                "in an earlier version: publish a minor version marking them "
                '"deprecated": true first (the [deprecation] policy in accord.toml)',
            )
        later, broken = _later_checks(registry, contract, document, wanted, published)
        if broken:
            failing = ", ".join(dict.fromkeys(ref for ref, _ in broken))
            return refused(
                (f"{ref}: {reason}" for ref, reason in broken),
                f"{contract.id} {wanted} would become the previous version of "
                f"{failing}, which would then fail `accord check` against it",
                checks + later,
            )
    else:
        above = sorted(v.version for v in published if v.version > wanted)
        if above:
            # No published version below it (else it would have a previous): a new
            # line under the first release. Backports go into an existing major line.
            raise UsageError(
                f"{contract.id} {wanted} is below {above[0]}, its first published version: "
                "versions only grow, and a backport goes into an existing major line "
                f"(published: {', '.join(str(v) for v in sorted(numbers))})",
                code="version-not-increasing",
                ref=f"{contract.id}@{wanted}",
            )
        # A first version has nothing to be compared with, which is where a later one's
        # $refs are resolved (bundling both sides): resolved here, as every load will.
        scratch, candidate = _candidate(registry, contract, document, wanted)
        scratch.bundle(candidate)
        _refuse_draft_refs(scratch, candidate, f"{contract.id} {wanted}")

    file = f"{contract.namespace}/{contract.name}/{wanted}.schema.json"
    why = (
        _why_major(checks, contract.meta.mode) if bump_rank(required) >= bump_rank("major") else ()
    )
    over = f": {required} changes over {previous.version}" if previous else ""
    if dry_run:
        verb = "would complete" if draft is not None else "would publish"
        return PublishResult(
            COMPLETED if draft is not None else PUBLISHED,
            contract.id,
            wanted,
            previous=previous.version if previous else None,
            file=file,
            required_bump=required,
            declared_bump=declared,
            checks=tuple(checks),
            reasons=why,
            dry_run=True,
            message=f"{verb} {contract.id} {wanted} ({file}){over} (dry run: nothing written)",
        )
    _remove_leftovers(registry)
    path = contract.directory / f"{wanted}.schema.json"
    raw = text.encode("utf-8")
    try:
        _link_exclusive(path, raw)
    except FileExistsError:
        data = path.read_bytes()
        if data != raw and (draft is None or data != draft.raw):
            return _conflict(contract, wanted, file)
        raw = data
    _failpoint("after-version-file")
    status = _lock_in(registry.root, contract.id, wanted, raw)
    if status == CONFLICT:
        return _conflict(contract, wanted, file)
    status, message = PUBLISHED, f"{contract.id} {wanted} ({file}){over}"
    if draft is not None:
        status = COMPLETED
        message = (
            f"{draft.ref} was on disk without an accord.lock line (a draft, or an "
            f"interrupted publish); it passed the checks and is now published{over}"
        )
    return PublishResult(
        status,
        contract.id,
        wanted,
        previous=previous.version if previous else None,
        file=file,
        required_bump=required,
        declared_bump=declared,
        checks=tuple(checks),
        reasons=why,
        message=message,
    )


def _refuse_draft_refs(registry: Registry, candidate: ContractVersion, what: str) -> None:
    """Refuse ``candidate`` (``what``: the contract and version it is published as) when
    a ``$ref`` walk from it reaches a version with no ``accord.lock`` line (a draft): a
    published version is immutable, and one that embeds a draft would change with every
    edit of the draft, or stop resolving once the draft is deleted.

    Raises:
        UsageError: ``ref-draft``, naming the draft and the command that publishes it.
    """
    drafts = [v for v in registry.references(candidate) if not registry.published(v)]
    if drafts:
        first = drafts[0]
        raise UsageError(
            f"{what} refers to {', '.join(v.ref for v in drafts)}, which "
            "accord.lock does not list (a draft): publish what it refers to first "
            f"(`accord publish {first.contract_id} --schema {first.path} "
            f"--version {first.version}`)",
            code="ref-draft",
            ref=candidate.contract_id,
        )


def _refuse_case_twin(contract: Contract, wanted: Version) -> None:
    """Refuse ``wanted`` when another version's file name differs from its own only in
    case (pre-release labels are case-sensitive: ``1.1.0-RC.1`` and ``1.1.0-rc.1``):
    on a case-insensitive file system (macOS, Windows) the two are one file.

    Raises:
        UsageError: ``version-collision``.
    """
    text = str(wanted).lower()
    for other in contract.versions:
        if other.version != wanted and str(other.version).lower() == text:
            raise UsageError(
                f"{contract.id} {wanted} differs from {other.version} only in case: their "
                "files are one file on a case-insensitive file system (macOS, Windows); "
                "choose another pre-release label",
                code="version-collision",
                ref=f"{contract.id}@{wanted}",
            )


def _refuse_long_name(contract: Contract, wanted: Version) -> None:
    """Refuse ``wanted`` when its version file's name, or the temp file's written beside
    it, is longer than a file name may be: SemVer sets no length, the file system does.

    Raises:
        UsageError: ``version-too-long``.
    """
    from accord.registry.model import VERSION_SUFFIX

    if not _jsondoc.temp_name_fits(f"{wanted}{VERSION_SUFFIX}"):
        raise UsageError(
            f"{contract.id} {str(wanted)[:40]}... is {len(str(wanted))} characters: its "
            f"file name would be longer than a file system holds ({_jsondoc.NAME_MAX} "
            "bytes, with the temp file it is written through)",
            code="version-too-long",
            ref=contract.id,
        )


def _why_major(checks: list[VersionCheck], mode: str) -> tuple[str, ...]:
    """Why a bump is major: each change that needs it, with the directions it breaks
    (and which the mode requires) and its witness payload."""
    from accord.compat._report import describe_direction

    lines: list[str] = []
    for check in checks:
        for change in check.report.changes:
            if not _makes_major(change, check.previous):
                continue
            where = change.instance_path or "/"
            against = f" (vs {check.previous})" if check is not checks[0] else ""
            line = (
                f"major: {change.rule} at {where}{against}: {change.message}; breaks "
                f"{' and '.join(change.breaks)}, which mode {mode} requires"
            )
            for d in change.breaks:
                line += f"; {describe_direction(change.direction(d), 200)}"
            lines.append(line)
    return tuple(dict.fromkeys(lines))


def _makes_major(change: Change, previous: Version) -> bool:
    """Whether :func:`_why_major` explains ``change`` (a breaking change needing major)."""
    from accord.gate.check import change_bump

    return bool(change.breaks) and change_bump(change, previous) == "major"


def _remove_leftovers(registry: Registry) -> None:
    """Delete temp files a killed publish left, in the root and every contract directory
    (the caller holds ``accord.lock.lck``, and every writer of these files holds it while
    writing, so they are all stale)."""
    from accord.registry.model import LOCK_FILE, VERSION_SUFFIX

    places = [(registry.root, LOCK_FILE)]
    places += [(c.directory, VERSION_SUFFIX) for c in registry.contracts.values()]
    for directory, wanted in places:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            target = _jsondoc.temp_target(name)
            if target is not None and target.endswith(wanted):
                (directory / name).unlink(missing_ok=True)


def _latest(numbers: list[Version], yanked: frozenset[Version]) -> Version | None:
    return max((v for v in numbers if v not in yanked and not v.prerelease), default=None)


def _conflict(contract: Contract, version: Version, file: str) -> PublishResult:
    return PublishResult(
        CONFLICT,
        contract.id,
        version,
        file=file,
        message=f"{contract.id} {version} already exists with other content (another "
        "publisher got there first, or it was published before): published versions are "
        "immutable; publish the next version instead",
    )


def _existing(
    registry: Registry,
    contract: Contract,
    existing: ContractVersion,
    text: str,
) -> PublishResult | None:
    """The version's file exists: a no-op, a conflict, or ``None`` for a draft with
    this content (the caller checks it like a new file, then completes it)."""
    if _canonical(existing.document) != text:
        if not registry.published(existing):
            return PublishResult(
                CONFLICT,
                contract.id,
                existing.version,
                file=existing.file,
                message=f"{existing.file} is on disk without an accord.lock line (a draft, "
                "or a publish interrupted after writing it) and holds other content: "
                "publish that file to complete it, delete it, or pass another --version",
            )
        return _conflict(contract, existing.version, existing.file)
    if registry.published(existing) and existing.yanked is not None:
        # Its content is on disk, but no range serves it: "already published" would
        # tell the publisher the schema is out.
        return PublishResult(
            CONFLICT,
            contract.id,
            existing.version,
            file=existing.file,
            message=f"{existing.ref} has this content but is yanked "
            f"({existing.yanked}): no range serves it; publish it as another version "
            "(--version), or remove its [yanked] entry from contract.toml",
        )
    if registry.published(existing):
        return PublishResult(
            UNCHANGED,
            contract.id,
            existing.version,
            file=existing.file,
            message=f"{existing.ref} is already published with this content: nothing to do",
        )
    return None


def _link_exclusive(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and hard-link it into place.

    Raises:
        FileExistsError: ``path`` exists (never replaced).
    """
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp's 0600 would be the published file's mode (a hard link shares it):
        # a new version file reads like any file the user writes, as accord.lock does.
        os.fchmod(fd, _jsondoc.new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _failpoint("after-temp-file")
        _jsondoc.place_exclusive(tmp, path)
    finally:
        os.unlink(tmp)


@contextmanager
def _guarded(root: Path, timeout: float) -> Iterator[None]:
    """Hold the exclusive ``accord.lock.lck`` (``O_EXCL``; the holder's pid inside).

    Raises:
        LockError: ``lock-busy`` after ``timeout`` seconds. A publish that was killed
            holds nothing: the lock is released with its process
            (:mod:`accord.core.filelock`), and the next publish completes its work.
    """
    from accord.registry.model import LOCK_GUARD, REGISTRY_NOT_FOUND

    if not root.is_dir():
        from accord.errors import RegistryError

        raise RegistryError(
            [Problem("registry-not-found", REGISTRY_NOT_FOUND, file=str(root))],
            root=str(root),
        )
    from accord.core.filelock import exclusive

    def busy(holder: int | None) -> LockError:
        return LockError(
            f"{root / LOCK_GUARD} has been held for over {timeout:g}s"
            + (f" by process {holder}" if holder else "")
            + ": another `accord publish` is running; retry when it is done",
            code="lock-busy",
            file=LOCK_GUARD,
        )

    def refused(code: str, reason: str) -> LockError:
        return LockError(f"{root / LOCK_GUARD}: {reason}", code=code, file=LOCK_GUARD)

    with exclusive(root / LOCK_GUARD, timeout=timeout, busy=busy, refused=refused):
        yield


def _lock_in(root: Path, contract_id: str, version: Version, raw: bytes) -> Status:
    """Add one line to ``accord.lock`` (the caller holds the lock file).

    Returns ``conflict`` when the lock already records this version with another digest.
    """
    from accord.registry.model import LOCK_FILE, digest_of, lock_text, read_lock

    _failpoint("before-lock-write")
    entries = read_lock(root)
    digest = digest_of(raw)
    recorded = entries.get((contract_id, version))
    if recorded is not None and recorded != digest:
        return CONFLICT
    if recorded is None:
        entries[(contract_id, version)] = digest
        _jsondoc.atomic_write(root / LOCK_FILE, lock_text(entries).encode("utf-8"))
    return PUBLISHED


# -- new, yank, retire -----------------------------------------------------------------


def _toml_string(value: str) -> str:
    # A lone surrogate is how Python hands over argv bytes that are not UTF-8: no file
    # can hold it (encoding it was an internal error, after ``new`` made directories).
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise UsageError(
            f"{value!r} is not text (bytes that are not UTF-8); nothing written", code="usage"
        )
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


_INIT_TEMPLATE = """\
# Registry-wide settings (docs/registry.md). Every key is optional; the values shown
# commented out are the defaults.

# Compatibility mode of every contract that does not set its own in contract.toml:
# backward, forward, full, backward-transitive, forward-transitive, full-transitive, none.
mode = "{mode}"

# Budgets every command applies to each schema and document it reads.
# max-file-bytes = 1048576
# max-depth = 64
# max-items = 1000
# max-nodes = 20000

# [deprecation]
# require-deprecation-before-removal = true

# [lint.rules.version-unpublished]
# severity = "off"
# reason = "why this registry does not need the rule"
"""


def init_registry(root: str | Path, *, mode: str = "full") -> Path:
    """Start a registry at ``root``: create the directory and its ``accord.toml``.

    An existing directory is fine (a ``contracts/`` folder with schemas in it becomes a
    registry); one that already has an ``accord.toml`` is refused, never overwritten.

    Returns:
        The ``accord.toml`` written.

    Raises:
        UsageError: ``registry-exists``, or ``--out``-style refusals of ``root`` (a file,
            a special filesystem, not writable).
        ConfigError: ``mode`` is not a compatibility mode.
    """
    from accord.registry.config import loads_toml, parse_registry_settings

    path = Path(root)
    settings = path / "accord.toml"
    text = _INIT_TEMPLATE.format(mode=mode)
    # The template must stay a valid accord.toml: parse it before anything is written.
    parse_registry_settings(loads_toml(text, file="accord.toml"), file="accord.toml")
    if os.path.lexists(settings):
        raise UsageError(
            f"{path} is already a registry ({settings} exists); nothing written",
            code="registry-exists",
        )
    _jsondoc.make_out_dir(path, option="registry")
    try:
        _jsondoc.atomic_write(settings, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise UsageError(
            f"{path} is already a registry ({settings} exists); nothing written",
            code="registry-exists",
        ) from None
    return settings


def new_contract(
    root: str | Path,
    contract_id: str,
    *,
    owner: str,
    kind: str,
    mode: str | None = None,
    provider: str | None = None,
    description: str | None = None,
) -> Path:
    """Scaffold ``<root>/<namespace>/<name>/contract.toml``.

    Returns:
        The contract directory.

    Raises:
        InvalidReference: the id does not parse.
        ConfigError: a value is invalid (checked by the ``contract.toml`` parser).
        UsageError: ``contract-exists``, a reserved namespace, a name colliding with
            an existing one (``-`` vs ``_`` or case), or ``out-*``: the registry or the
            contract directory is a file or on a special filesystem.
        DocumentError: ``path-symlink``: a directory on the way is a symlink.
    """
    directory, text = plan_contract(
        root,
        contract_id,
        owner=owner,
        kind=kind,
        mode=mode,
        provider=provider,
        description=description,
    )
    return write_contract(directory, text, contract_id=contract_id)


def plan_contract(
    root: str | Path,
    contract_id: str,
    *,
    owner: str,
    kind: str,
    mode: str | None = None,
    provider: str | None = None,
    description: str | None = None,
) -> tuple[Path, str]:
    """Every check of :func:`new_contract`, writing nothing: the contract directory and
    its ``contract.toml`` text (for callers that check many contracts before writing)."""
    from accord.registry.config import parse_contract_meta
    from accord.registry.model import CONTRACT_FILE, RESERVED_DIRS
    from accord.registry.names import ContractRef, collision_key

    ref = ContractRef.parse(contract_id)
    if ref.range is not None:
        raise UsageError(f"`accord new` takes a contract id without a version: {ref.id}")
    if ref.namespace in RESERVED_DIRS:
        raise UsageError(
            f"{ref.namespace!r} is reserved ({', '.join(sorted(RESERVED_DIRS))}): "
            "choose another namespace",
            code="namespace-reserved",
        )
    root_path = Path(root)
    lines = [f"owner = {_toml_string(owner)}", f"kind = {_toml_string(kind)}"]
    if mode is not None:
        lines.append(f"mode = {_toml_string(mode)}")
    if provider is not None:
        lines.append(f"provider = {_toml_string(provider)}")
    if description is not None:
        lines.append(f"description = {_toml_string(description)}")
    text = "\n".join(lines) + "\n"
    from accord.registry.config import loads_toml

    parse_contract_meta(loads_toml(text), file=CONTRACT_FILE)
    for parent, name, what in (
        (root_path, ref.namespace, "namespace"),
        (root_path / ref.namespace, ref.name, "contract"),
    ):
        if parent.is_dir():
            for entry in parent.iterdir():
                if entry.name != name and collision_key(entry.name) == collision_key(name):
                    raise UsageError(
                        f"{what} {name!r} collides with the existing {entry.name!r} "
                        "(names differing only in case or '-' vs '_' are refused)",
                        code="name-collision",
                    )
    directory = root_path / ref.namespace / ref.name
    # The registry may not exist yet (``new`` after ``init`` or alone), but it, the
    # namespace and the contract directory must be directories on disk: a file in the
    # way was an internal error, and ``--registry /dev`` scaffolded a contract there.
    _jsondoc.check_out_dir(root_path, option="registry")
    _jsondoc.check_out_dir(directory, option="contract directory")
    _jsondoc.refuse_links_below(root_path, f"{ref.namespace}/{ref.name}/{CONTRACT_FILE}")
    if (directory / CONTRACT_FILE).exists():
        raise UsageError(
            f"{ref.id} already exists ({directory / CONTRACT_FILE})",
            code="contract-exists",
            ref=ref.id,
        )
    return directory, text


def write_contract(directory: Path, text: str, *, contract_id: str) -> Path:
    """Write a :func:`plan_contract` result (never over an existing ``contract.toml``)."""
    from accord.registry.model import CONTRACT_FILE

    _jsondoc.make_out_dir(directory, option="contract directory")
    try:
        _jsondoc.atomic_write(directory / CONTRACT_FILE, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise UsageError(
            f"{contract_id} already exists ({directory / CONTRACT_FILE})",
            code="contract-exists",
            ref=contract_id,
        ) from None
    except OSError as exc:  # a full disk, a directory swapped for a file meanwhile
        raise UsageError(
            f"cannot write {directory / CONTRACT_FILE} ({exc.strerror or exc})",
            code="out-not-writable",
            ref=contract_id,
        ) from None
    return directory


_TABLE = re.compile(r"^\s*\[")
_STATUS = re.compile(r"^\s*status\s*=")
_YANKED = re.compile(r"^\s*\[\s*yanked\s*\]\s*(#.*)?$")


def _rewrite_contract_toml(
    contract: Contract,
    old: str,
    new: str,
    *,
    ref: str,
    edit: Callable[[ContractMeta], ContractMeta],
) -> None:
    """Replace ``contract.toml``'s text ``old`` by ``new`` atomically, once the parse of
    ``new`` is exactly ``edit`` applied to the parse of ``old``.

    The edits are line-based (comments and layout stay), so they can only guess where a
    key or table is: a line inside a multi-line string that looks like ``status = ...``
    or ``[yanked]`` was edited instead, and the command reported a retirement or a yank
    that did not happen. Comparing parses makes the result the one meant, or nothing.
    """
    from accord.registry.config import loads_toml, parse_contract_meta

    file = f"{contract.namespace}/{contract.name}/contract.toml"

    def refuse(why: str) -> UsageError:
        return UsageError(
            f"cannot edit {file} automatically ({why}); edit it by hand",
            code="contract-toml-unsupported",
            file=file,
            ref=ref,
        )

    try:
        before = parse_contract_meta(loads_toml(old, file=file), file=file)
        after = parse_contract_meta(loads_toml(new, file=file), file=file)
    except ConfigError as exc:
        raise refuse(exc.message) from None
    if after != edit(before):
        raise refuse("the line edit would change something else, or not take")
    _jsondoc.atomic_write(contract.directory / "contract.toml", new.encode("utf-8"))


def yank(root: str | Path, ref: str, *, reason: str) -> bool:
    """Mark ``namespace.name@X.Y.Z`` yanked in its ``contract.toml``.

    The file stays (pins keep working); ranges skip it and it is never a previous
    version again.

    Returns:
        ``False`` when it was already yanked (nothing written).

    Raises:
        VersionNotFound: no such version file.
        UsageError: not published, no reason (or a placeholder), or a ``contract.toml``
            layout this edit does not handle (an inline ``yanked`` table).
    """
    from accord.core.reasons import is_placeholder_reason
    from accord.registry.model import Registry
    from accord.registry.names import ContractRef

    parsed = ContractRef.parse(ref.removeprefix("accord://"))
    if parsed.version is None:
        raise UsageError(f"yank needs an exact version: {parsed.id}@X.Y.Z", code="usage")
    if not reason.strip():
        raise UsageError("yank needs a --reason: consumers see it", code="usage")
    if is_placeholder_reason(reason):  # contract.toml would refuse it: write nothing
        raise UsageError(
            f"yank --reason {reason!r} is a placeholder: say why the version is yanked "
            "(consumers see it)",
            code="usage",
        )
    with _guarded(Path(root), 30.0):
        return _yank_locked(Registry.load(root, check_all=True), parsed.id, parsed.version, reason)


def _yank_locked(registry: Registry, contract_id: str, version: Version, reason: str) -> bool:
    contract = registry.contract(contract_id)
    target = contract.version(version)
    if not registry.published(target):
        raise VersionNotFound(
            f"{target.ref} is not published (no accord.lock line): delete the file instead",
            ref=target.ref,
        )
    if target.version in contract.yanked:
        return False
    text = (contract.directory / "contract.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    entry = f"{_toml_string(str(target.version))} = {_toml_string(reason)}"
    at = next((i for i, line in enumerate(lines) if _YANKED.match(line)), None)
    if at is None:
        lines += ["", "[yanked]", entry]
    else:
        lines.insert(at + 1, entry)

    def yanked(meta: ContractMeta) -> ContractMeta:
        return dataclasses.replace(meta, yanked={**meta.yanked, target.version: reason})

    _rewrite_contract_toml(contract, text, "\n".join(lines) + "\n", ref=target.ref, edit=yanked)
    return True


def retire(root: str | Path, contract_id: str) -> bool:
    """Set ``status = "retired"`` in the contract's ``contract.toml``; files stay.

    Returns:
        ``False`` when it was already retired.
    """
    from accord.registry.model import Registry

    with _guarded(Path(root), 30.0):
        return _retire_locked(Registry.load(root, check_all=True), contract_id)


def _retire_locked(registry: Registry, contract_id: str) -> bool:
    contract = registry.contract(contract_id)
    if contract.meta.status == "retired":
        return False
    text = (contract.directory / "contract.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    top = next((i for i, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    status = next((i for i in range(top) if _STATUS.match(lines[i])), None)
    if status is not None:
        lines[status] = 'status = "retired"'
    else:
        while top > 0 and not lines[top - 1].strip():
            top -= 1
        lines.insert(top, 'status = "retired"')

    def retired(meta: ContractMeta) -> ContractMeta:
        return dataclasses.replace(meta, status="retired")

    _rewrite_contract_toml(contract, text, "\n".join(lines) + "\n", ref=contract.id, edit=retired)
    return True


# -- Pydantic models -------------------------------------------------------------------

# Pydantic 2.x (before 2.12) wrote Decimal strings with a lookahead, which is not
# portable across regex engines (lint: schema-regex-nonportable). It matches an optional
# sign then digits with at most one dot, containing at least one digit; the rewrite
# states exactly that without a lookahead (a differential test keeps them equal).
PYDANTIC_DECIMAL_PATTERNS = {
    r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$": r"^[+-]?(?:\d+\.?\d*|\.\d+)$",
}


def pydantic_profile(schema: Any) -> dict[str, Any]:
    """Turn a Pydantic ``model_json_schema()`` into the document accord publishes.

    The *Pydantic profile*: ``$schema`` set to 2020-12; Pydantic's lookahead ``Decimal``
    pattern rewritten to the equivalent portable one; ``discriminator`` kept as an
    annotation (validation comes from the ``oneOf`` it annotates); formats that 2020-12
    does not define (``binary``, ``password``, ...) kept as annotations. Key order is
    made canonical by the writer, so the result is byte-identical across runs.
    """
    from accord.validation.dialect import iter_subschemas

    try:
        text = json.dumps(schema)
    except (ValueError, TypeError) as exc:
        # An integer over Python's digit limit (a --schema file holding one is refused
        # as json-malformed too), a value no JSON holds.
        raise SchemaError(
            f"a Pydantic model's JSON Schema cannot be written as JSON: {exc}",
            code="json-malformed",
        ) from None
    document = json.loads(text)
    if not isinstance(document, dict):
        raise SchemaError(
            "a Pydantic model's JSON Schema must be an object", code="schema-root-not-object"
        )
    for _where, node in iter_subschemas(document):
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str) and pattern in PYDANTIC_DECIMAL_PATTERNS:
                node["pattern"] = PYDANTIC_DECIMAL_PATTERNS[pattern]
    document["$schema"] = DRAFT_2020_12
    return document


def load_model(spec: str, *, base: Path | None = None) -> Any:
    """Import ``module:Class`` or ``path/to/file.py:Class`` and return the class.

    This imports (runs) user code: only ``accord publish --model`` calls it; lint and
    check never import model files.

    Raises:
        UsageError: ``model-not-found`` with what failed.
    """
    import importlib
    import importlib.util
    import sys

    target, sep, attribute = spec.rpartition(":")
    if not sep or not target or not attribute:
        raise UsageError(
            f"--model {spec!r}: expected module:Class or path/to/file.py:Class",
            code="model-not-found",
        )
    try:
        if target.endswith(".py"):
            path = Path(target) if base is None else base / target
            name = "_accord_model_" + re.sub(r"\W", "_", str(path.resolve()))
            module_spec = importlib.util.spec_from_file_location(name, path)
            if module_spec is None or module_spec.loader is None or not path.is_file():
                raise UsageError(f"--model {spec!r}: no file {path}", code="model-not-found")
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[name] = module
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(target)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - user code: any failure is bad input
        raise UsageError(
            f"--model {spec!r}: importing {target} failed: {type(exc).__name__}: {exc}",
            code="model-not-found",
        ) from None
    model = getattr(module, attribute, None)
    if model is None:
        raise UsageError(f"--model {spec!r}: {target} has no {attribute!r}", code="model-not-found")
    return model


def export_model_schema(model: Any) -> dict[str, Any]:
    """The model's JSON Schema (validation mode) under the Pydantic profile.

    Raises:
        UsageError: ``model-not-pydantic`` when it is not a Pydantic model,
            ``model-schema-failed`` when exporting its schema fails.
        SchemaError: ``json-malformed`` when the schema is no JSON document.
    """
    method = getattr(model, "model_json_schema", None)
    if not callable(method):
        raise UsageError(
            f"{model!r} is not a Pydantic v2 model (it has no model_json_schema)",
            code="model-not-pydantic",
        )
    try:
        schema = method(mode="validation")
    except Exception as exc:  # noqa: BLE001 - user code (json_schema_extra, hooks) and Pydantic on it
        raise UsageError(
            f"{model!r}: Pydantic could not export its JSON Schema: {type(exc).__name__}: {exc}",
            code="model-schema-failed",
        ) from None
    return pydantic_profile(schema)
