"""``accord check --against``: a deprecation counts for removals once it is merged.

The ``[deprecation]`` policy (``require-deprecation-before-removal``, on by default)
refuses a version that removes a property no earlier version marked ``deprecated``: the
mark is the notice consumers get before the removal. A pull request that published
1.2.0 marking ``b`` deprecated and 2.0.0 removing it passed the gate: the notice and
the removal landed in the same merge. A version new since the base now counts only the
marks of versions published on the base; the one the change adds counts for the
removals of the next change, once merged on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_gate_weakened_rules import CID, V1

from _registry_builders import commit_all, git, init_repo, locked_version
from accord.cli import main
from accord.gate.check import check

WITH_B: dict[str, Any] = {**V1, "properties": {"id": {"type": "integer"}, "b": {"type": "string"}}}
B_DEPRECATED: dict[str, Any] = {
    **V1,
    "properties": {"id": {"type": "integer"}, "b": {"type": "string", "deprecated": True}},
}
TOML = 'owner = "team"\nkind = "event"\n'


def _version(root: Path, version: str, document: Any) -> None:
    locked_version(root, CID, version, document)


def _base(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text(TOML, encoding="utf-8")
    (root / "accord.toml").write_text('mode = "full"\n', encoding="utf-8")
    _version(root, "1.0.0", V1)
    _version(root, "1.1.0", WITH_B)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return root


def test_a_deprecation_in_the_same_change_does_not_approve_the_removal(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.2.0", B_DEPRECATED)
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "deprecate b and remove it")
    report = check(root, against="main")
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert [(f.rule, f.version) for f in report.active] == [("removal-not-deprecated", "2.0.0")], (
        messages
    )
    assert "1.2.0 marks it deprecated in this change" in messages
    assert "published on main" in messages


def test_the_cli_refuses_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _base(tmp_path)
    _version(root, "1.2.0", B_DEPRECATED)
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "deprecate b and remove it")
    assert main(["check", "--registry", str(root), "--against", "main"]) == 1
    assert "removal-not-deprecated" in capsys.readouterr().out


def test_the_deprecation_merged_first_approves_the_removal(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.2.0", B_DEPRECATED)
    commit_all(root.parent, "deprecate b")
    assert check(root, against="main").exit_code() == 0
    git(root.parent, "branch", "-f", "main", "HEAD")  # merged on its own
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "remove b")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_without_a_deprecation_the_removal_was_always_refused(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "remove b")
    report = check(root, against="main")
    assert [f.rule for f in report.active] == ["removal-not-deprecated"]
    assert "in this change" not in report.active[0].message


def test_the_registry_alone_still_counts_every_version(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.2.0", B_DEPRECATED)
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "deprecate b and remove it")
    assert check(root).exit_code() == 0


def test_a_contract_new_in_the_change_counts_its_own_deprecations(tmp_path: Path) -> None:
    # Nothing of it was published on the base: no consumer to give notice to (a
    # history imported whole).
    root = _base(tmp_path)
    (root / "orders" / "refunded").mkdir(parents=True)
    (root / "orders" / "refunded" / "contract.toml").write_text(TOML, encoding="utf-8")
    for version, document in (("1.0.0", WITH_B), ("1.1.0", B_DEPRECATED), ("2.0.0", V1)):
        locked_version(root, "orders.refunded", version, document)
    commit_all(root.parent, "a new contract, its history whole")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]
