"""Release notes per contract, from the diffs between its versions (``accord changelog``).

For each version (newest first) the changes against its previous version are grouped
as *Breaking*, *Removed*, *Added* and *Changed*, breaking first, each breaking change
with a migration hint. Output is Markdown and deterministic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.compat._report import Change
    from accord.registry.model import Contract, Registry
    from accord.versions import Version

__all__ = ["changelog", "contract_changelog", "migration_hint"]

_GENERIC_HINT = "review the consumers and producers of this field"


def migration_hint(change: Change) -> str:
    """A short instruction for people migrating across ``change``: the rule record's
    hint (:attr:`accord.core.rules.RuleSpec.hint`), else a generic one."""
    from accord.core.rules import CATALOGUE

    spec = CATALOGUE.get(change.rule)
    return spec.hint if spec is not None and spec.hint else _GENERIC_HINT


def _group(change: Change) -> str:
    if change.severity == "error" and change.breaks:
        return "Breaking"
    if "removed" in change.rule:
        return "Removed"
    if "added" in change.rule:
        return "Added"
    return "Changed"


_GROUPS = ("Breaking", "Removed", "Added", "Changed")


def contract_changelog(
    registry: Registry, contract: Contract, *, only: frozenset[Version] | None = None
) -> str:
    """The Markdown release notes of one contract (``only``: just these versions)."""
    from accord.core.text import escape_control, markdown_code, markdown_text
    from accord.gate.check import compare_versions
    from accord.versions import previous_version

    numbers = [v.version for v in contract.versions]
    by_number = {v.version: v for v in contract.versions}
    lines = [f"## {contract.id}", ""]
    if contract.meta.status in ("deprecated", "retired"):
        lines += [f"Status: **{contract.meta.status}**.", ""]
    shown = 0
    for current in reversed(contract.versions):
        if only is not None and current.version not in only:
            continue
        shown += 1
        title = f"### {current.version}"
        if current.yanked is not None:
            title += f" (yanked: {markdown_text(current.yanked)})"
        lines += [title, ""]
        prev = previous_version(numbers, current.version, yanked=contract.yanked)
        if prev is None:
            lines += ["First version.", ""]
            continue
        check = compare_versions(registry, by_number[prev], current, mode=contract.meta.mode)
        summary = (
            f"Compared with {prev} (mode {contract.meta.mode}): requires a "
            f"{check.required} bump, declares {check.declared}."
        )
        lines += [summary, ""]
        if not check.report.changes:
            lines += ["No changes to the schema's meaning.", ""]
            continue
        for group in _GROUPS:
            members = [c for c in check.report.changes if _group(c) == group]
            if not members:
                continue
            lines += [f"#### {group}", ""]
            for change in sorted(members, key=lambda c: (c.instance_path, c.rule)):
                where = markdown_code(change.instance_path or "/")
                # The message quotes the schema (names, enum values): text, never a
                # link, an image, emphasis or HTML in the rendered notes.
                text = f"- {where}: {markdown_text(change.message)} (`{change.rule}`)"
                if group in ("Breaking", "Removed"):
                    text += f". Migration: {migration_hint(change)}."
                # One line per change: a name holding a newline cannot start a heading.
                lines.append(escape_control(text))
            lines.append("")
    if shown == 0:
        lines += ["No versions.", ""]
    return "\n".join(lines)


def changelog(root: str | Path, contract_id: str | None = None, *, since: str | None = None) -> str:
    """Markdown release notes for every contract (or ``contract_id``).

    Args:
        root: The registry root.
        contract_id: One contract; ``None`` for all, by id.
        since: A git ref: only versions not in that commit's ``accord.lock``.

    Raises:
        RegistryError, ContractNotFound: bad registry or contract.
        UsageError: ``since`` is not a ref of the repository holding the registry.
    """
    from accord.registry.model import Registry

    registry = Registry.load(root)
    contracts = [registry.contract(contract_id)] if contract_id is not None else list(registry)
    published_before: set[tuple[str, Version]] = set()
    if since is not None:
        from accord.gate import git as _git
        from accord.registry.model import LOCK_FILE, _parse_lock

        repo = _git.repo_root(registry.root)
        tree = _git.read_tree(
            repo, _git.rev_parse(repo, since), _git.relative_prefix(repo, registry.root)
        )
        raw = tree.read_one(LOCK_FILE)
        if raw is not None:
            lines, _problems = _parse_lock(raw.decode("utf-8", "replace"))
            published_before = {(x.contract_id, x.version) for x in lines}
    parts = ["# Changelog", ""]
    for contract in contracts:
        only = None
        if since is not None:
            only = frozenset(
                v.version
                for v in contract.versions
                if (contract.id, v.version) not in published_before
            )
            if not only:
                continue
        parts.append(contract_changelog(registry, contract, only=only))
    return "\n".join(parts).rstrip("\n") + "\n"
