"""Lint: everything the loader refuses, plus hygiene rules, as one report.

:func:`lint` loads the registry collecting every problem (see :mod:`accord.registry.model`)
and adds the lint-only rules: files that do not belong, and example payloads. Every
rule has a stable id (the :class:`~accord.errors.Problem` code) and a one-line
description: its record in the one rule catalogue (:mod:`accord.core.rules`, viewed as
:data:`LINT_RULES`), which the docs, ``accord rules`` and ``accord explain`` read.

Lint reads and never writes, and never touches the network: remote ``$ref`` s are
reported (``ref-remote``), not fetched.

Severity overrides
    ``accord.toml`` may switch a rule off or down to a warning, with a reason (like
    buf's ``except``)::

        [lint.rules.schema-unknown-keyword]
        severity = "warning"
        reason = "x-kafka-key is read by the producer library"

    Only rules about style and hygiene can be overridden (:data:`OVERRIDABLE`); a rule
    whose failure leaves a document unreadable or ambiguous, or would make accord fetch
    or leave the registry, cannot (``config-invalid-value``). An unknown id is
    ``config-unknown-key``.

Example payloads
    A contract directory may hold payloads that must (or must not) validate::

        <namespace>/<name>/examples/<X.Y.Z>/valid/<anything>.json
        <namespace>/<name>/examples/<X.Y.Z>/invalid/<anything>.json

    ``<X.Y.Z>`` must be a version file of the contract. Each payload is checked with
    the reference validator against the version's bundle: a ``valid`` one that fails is
    ``example-invalid``, an ``invalid`` one that passes ``example-unexpectedly-valid``.
    Anything else under ``examples/`` is ``file-unexpected``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from accord.core import jsondoc as _jsondoc
from accord.core import pointer as _pointer
from accord.core.jsondoc import FORMAT_VERSION
from accord.errors import AccordError, Problem, RegistryError
from accord.registry.problems import LINT_RULES, OVERRIDABLE
from accord.versions import Version

if TYPE_CHECKING:
    from accord.registry.model import Registry, _Scan

__all__ = ["LINT_RULES", "OVERRIDABLE", "LintReport", "lint"]


@dataclass(frozen=True, slots=True)
class LintReport:
    """What :func:`lint` found.

    Attributes:
        root: The registry root linted.
        problems: Every problem, sorted by file, line, pointer and code.
    """

    root: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether no problem is an error (warnings do not fail lint)."""
        return self.error_count == 0

    @property
    def error_count(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warning_count(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity == "warning")

    @property
    def counts(self) -> Mapping[str, int]:
        """Problems per rule id."""
        return MappingProxyType(dict(sorted(Counter(p.code for p in self.problems).items())))

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by ``accord lint --format json``."""
        return {
            "format_version": FORMAT_VERSION,
            "root": self.root,
            "ok": self.ok,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "problems": [p.to_json() for p in self.problems],
        }


def lint(root: str | Path) -> LintReport:
    """Lint the registry at ``root``: every problem, never raising for bad content.

    Example:
        >>> report = lint("contracts")  # doctest: +SKIP
        >>> report.ok, report.counts  # doctest: +SKIP
        (False, mappingproxy({'ref-remote': 1}))
    """
    from accord.registry.model import _build

    try:
        _registry, problems = _build(Path(root), lint=True, lint_checks=lint_only_problems)
    except RegistryError as exc:
        problems = exc.problems
    return LintReport(root=str(root), problems=tuple(sorted(problems, key=_sort_key)))


def _sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (
        problem.file or "",
        problem.line or 0,
        problem.column or 0,
        problem.pointer,
        problem.code,
    )


# -- overrides (used by the loader too) ------------------------------------------------


# -- lint-only rules -------------------------------------------------------------------


def lint_only_problems(registry: Registry, scan: _Scan) -> list[Problem]:
    """``file-unexpected`` and the example checks (the loader skips both)."""
    problems = [
        Problem(
            "file-unexpected", f"{file} has no place in the registry layout ({what})", file=file
        )
        for file, what in scan.unexpected
    ]
    for contract_dir, examples in scan.examples:
        problems.extend(_check_examples(registry, contract_dir, examples))
    problems.extend(_check_rule_overrides(registry))
    problems.extend(_check_drafts(registry))
    problems.extend(_check_leftovers(registry.root, scan))
    problems.extend(_check_consumers(registry.root))
    problems.extend(_check_file_names(registry.root))
    return problems


def _check_file_names(root: Path) -> Iterator[Problem]:
    """Names a checkout on macOS or Windows cannot keep apart, or git and a package
    cannot carry: two entries of one directory equal but for case (``1.0.0-RC`` and
    ``1.0.0-rc`` version files, ``Orders.json`` beside ``orders.json`` under
    ``consumers/`` or ``examples/``), where one overwrites the other and a version or an
    expectation is lost without a word; a name that is not UTF-8. The check ``accord
    package`` makes (:func:`accord.registry.names.case_twins`), over every directory of
    the registry. ``accord check`` reports both from the load's own listing
    (``_build(file_names=True)``); the service's boot reports neither.
    """
    from accord.registry.names import file_name_problems

    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        rel_top = Path(top).relative_to(root).as_posix()
        yield from file_name_problems("" if rel_top == "." else f"{rel_top}/", [*dirs, *files])


def _check_consumers(root: Path) -> Iterator[Problem]:
    """Each expectation file under ``consumers/``, read as ``check`` and ``verify`` read
    it: a file they refuse (malformed JSON, an invalid expectation, a bad contract
    reference or regex) is a problem here too, never "no problems". Symlinks and special
    files there are the walk's (``path-symlink``, ``path-special-file``)."""
    from accord.consumers._model import CONSUMERS_DIR, expectation_paths, load

    if (root / CONSUMERS_DIR).is_symlink():
        return
    for path in expectation_paths(root):
        try:
            load(path, root=root)
        except AccordError as exc:
            yield exc.problem()


def _check_drafts(registry: Registry) -> Iterator[Problem]:
    """A version file without a lock line in a registry that has a lock: written by hand
    or left by an interrupted publish. It is no release: ranges and latest skip it."""
    for version in registry.versions():
        if version.draft:
            yield Problem(
                "version-unpublished",
                f"{version.ref} has no accord.lock line: it is a draft that no range, "
                "latest or validator selects (only an exact pin). Publish it (`accord "
                f"publish {version.contract_id} --schema <this file> --version "
                f"{version.version}` checks it like a new version), or delete it",
                file=version.file,
                severity="warning",
            )


def _check_leftovers(root: Path, scan: _Scan) -> Iterator[Problem]:
    """Temp files of :func:`accord.core.jsondoc.atomic_write` in the registry root or a
    contract directory: a publish was killed while writing."""
    from accord.registry.model import LOCK_FILE, VERSION_SUFFIX

    places = [("", root)] + [(f"{ns}/{name}/", path) for ns, name, path in scan.contracts]
    for prefix, directory in places:
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            target = _jsondoc.temp_target(name)
            if target is not None and (target == LOCK_FILE or target.endswith(VERSION_SUFFIX)):
                yield Problem(
                    "publish-leftover",
                    f"a temp file of an interrupted `accord publish` (for {target}): the next "
                    "publish removes it, or delete it",
                    file=f"{prefix}{name}",
                    severity="warning",
                )


def _check_rule_overrides(registry: Registry) -> Iterator[Problem]:
    """``[rules.<id>]`` must name a compatibility rule: a typo would silently not apply."""
    import difflib

    from accord.compat._rules import RULES
    from accord.core.rules import CATALOGUE

    known = sorted(RULES)
    for contract in registry.contracts.values():
        for rule_id in sorted(contract.meta.rules):
            if rule_id in known:
                continue
            other = CATALOGUE.get(rule_id)
            close = difflib.get_close_matches(rule_id, known, n=1)
            if other is not None and other.family == "lint":
                hint = (
                    f": {rule_id} is a lint rule; lint rules are configured with "
                    f"[lint.rules.{rule_id}] in accord.toml"
                )
            elif other is not None:
                hint = f": {rule_id} is a {other.family} rule, which cannot be configured here"
            elif close:
                hint = f"; did you mean {close[0]!r}?"
            else:
                hint = "; `accord rules --family compat` lists them"
            yield Problem(
                "contract-rule-unknown",
                f"[rules.{rule_id}] names no compatibility rule{hint}",
                file=f"{contract.namespace}/{contract.name}/contract.toml",
                pointer=_pointer.join("/rules", rule_id),
            )


def _check_examples(registry: Registry, contract_dir: str, examples: Path) -> Iterator[Problem]:
    from accord.validation.reference import is_valid

    namespace, _, name = contract_dir.partition("/")
    contract = registry.contracts.get(f"{namespace}.{name}")
    rel_examples = f"{contract_dir}/examples"
    for version_dir in sorted(examples.iterdir()):
        rel = f"{rel_examples}/{version_dir.name}"
        if version_dir.is_symlink():
            continue  # reported as path-symlink
        version = None
        if contract is not None and version_dir.is_dir():
            try:
                version = contract.version(Version.parse(version_dir.name))
            except (AccordError, ValueError):
                version = None
        if version is None:
            if contract is not None:
                yield Problem(
                    "file-unexpected",
                    f"{rel}: examples/ holds one directory per version file "
                    "(examples/<X.Y.Z>/valid/, examples/<X.Y.Z>/invalid/)",
                    file=rel,
                )
            continue
        try:
            bundle = registry.bundle(version)
        except AccordError:
            bundle = None  # the $ref problem is already reported
        refused = getattr(bundle, "refused", None)  # dialect.Declared without a declared form
        if refused is not None:
            yield refused.problem()
            bundle = None
        for kind_dir in sorted(version_dir.iterdir()):
            kind_rel = f"{rel}/{kind_dir.name}"
            if kind_dir.is_symlink():
                continue
            if kind_dir.name not in ("valid", "invalid") or not kind_dir.is_dir():
                yield Problem(
                    "file-unexpected",
                    f"{kind_rel}: an examples/<version>/ directory holds only valid/ and invalid/",
                    file=kind_rel,
                )
                continue
            for payload_path in sorted(kind_dir.iterdir()):
                payload_rel = f"{kind_rel}/{payload_path.name}"
                if payload_path.is_symlink() or not payload_path.is_file():
                    if not payload_path.is_symlink() and payload_path.is_dir():
                        yield Problem(
                            "file-unexpected",
                            f"{payload_rel}: example directories hold *.json payloads only",
                            file=payload_rel,
                        )
                    continue
                if payload_path.suffix != ".json":
                    yield Problem(
                        "file-unexpected",
                        f"{payload_rel}: example payloads are *.json files",
                        file=payload_rel,
                    )
                    continue
                try:
                    # exact_numbers: judged as written (1e-400 is no integer), as
                    # `accord validate` judges it.
                    payload = _jsondoc.load_path(
                        payload_path,
                        display=payload_rel,
                        max_bytes=registry.settings.max_file_bytes,
                        max_depth=registry.settings.max_depth,
                        exact_numbers=True,
                    )
                except AccordError as exc:
                    yield exc.problem()
                    continue
                if bundle is None:
                    continue
                valid = is_valid(bundle, payload)
                if kind_dir.name == "valid" and not valid:
                    yield Problem(
                        "example-invalid",
                        f"this example is under valid/ but fails {version.ref}",
                        file=payload_rel,
                    )
                elif kind_dir.name == "invalid" and valid:
                    yield Problem(
                        "example-unexpectedly-valid",
                        f"this example is under invalid/ but {version.ref} accepts it",
                        file=payload_rel,
                    )
