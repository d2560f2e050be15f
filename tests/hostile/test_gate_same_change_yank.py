"""``accord check --against``: a yank takes effect for comparisons once merged.

A version is compared with its previous version, the highest one below it that is not
yanked (DESIGN). A pull request that yanked 1.1.0 in ``contract.toml`` and added a
1.2.0 compatible only with 1.0.0 passed the gate: the yank the same change wrote made
1.0.0 the previous version, and 1.2.0's break of 1.1.0 was never looked at. A version
new since the base is now also compared with its previous version as the base saw it
(1.1.0, not yanked there); the yank applies from the next change, once merged on its
own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_gate_weakened_rules import CID, V1

from _registry_builders import commit_all, git, init_repo, locked_version
from accord.cli import main
from accord.gate.check import check

# 1.1.0 adds an optional note (compatible both ways: a minor).
V11: dict[str, Any] = {**V1, "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}
# 1.2.0 adds an optional note of another type: compatible with 1.0.0 (a minor over it),
# incompatible with 1.1.0 (note: string -> integer breaks both directions).
V12: dict[str, Any] = {**V1, "properties": {"id": {"type": "integer"}, "note": {"type": "integer"}}}
TOML = 'owner = "team"\nkind = "event"\n'
YANK = TOML + '[yanked]\n"1.1.0" = "note was the wrong type for the billing export"\n'


def _version(root: Path, version: str, document: Any) -> None:
    locked_version(root, CID, version, document)


def _toml(root: Path, text: str) -> None:
    (root / "orders" / "placed" / "contract.toml").write_text(text, encoding="utf-8")


def _base(tmp_path: Path, mode: str = "full") -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    root.mkdir()
    (root / "accord.toml").write_text(f'mode = "{mode}"\n', encoding="utf-8")
    _version(root, "1.0.0", V1)
    _version(root, "1.1.0", V11)
    _toml(root, TOML)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return root


@pytest.mark.parametrize("mode", ["full", "backward", "full-transitive"])
def test_a_version_is_judged_against_the_previous_version_the_base_saw(
    mode: str, tmp_path: Path
) -> None:
    root = _base(tmp_path, mode)
    _toml(root, YANK)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "yank 1.1.0 and break it")
    report = check(root, against="main")
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    [finding] = [f for f in report.active if f.previous == "1.1.0"]
    assert finding.rule in {"bump-insufficient", "transitive-incompatible"}, messages
    assert finding.version == "1.2.0"
    assert "1.1.0 is yanked in this change" in finding.message
    assert "on main" in finding.message


def test_the_cli_refuses_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _base(tmp_path)
    _toml(root, YANK)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "yank 1.1.0 and break it")
    assert main(["check", "--registry", str(root), "--against", "main"]) == 1
    assert "bump-insufficient" in capsys.readouterr().out


def test_a_yank_alone_passes_and_applies_once_merged(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, YANK)
    commit_all(root.parent, "yank 1.1.0")
    assert check(root, against="main").exit_code() == 0
    git(root.parent, "branch", "-f", "main", "HEAD")  # merged on its own
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "1.2.0 over 1.0.0")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_a_version_compatible_with_both_passes(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, YANK)
    _version(root, "1.2.0", {**V11, "description": "documented"})
    commit_all(root.parent, "yank 1.1.0 and add a compatible 1.2.0")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_without_a_yank_the_break_was_always_caught(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "break 1.1.0")
    report = check(root, against="main")
    assert [(f.rule, f.previous) for f in report.active] == [("bump-insufficient", "1.1.0")]
    assert "yanked" not in report.active[0].message


# A version the change adds, yanked in the same change: it was skipped (yanked versions
# are compared with nothing), so a break published with a yank beside it passed, and an
# exact pin (`orders.placed@1.2.0`, an `accord://` $ref) still selects it. The yank
# applies once merged; the change must pass on its own (a version never merged is
# deleted, not yanked).
BORN_YANKED = TOML + '[yanked]\n"1.2.0" = "note was the wrong type for the billing export"\n'


def test_a_version_added_and_yanked_in_the_same_change_is_judged(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, BORN_YANKED)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "publish a break and yank it")
    report = check(root, against="main")
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert [(f.rule, f.version, f.previous) for f in report.active] == [
        ("bump-insufficient", "1.2.0", "1.1.0")
    ]
    assert "1.2.0 is yanked in this change" in messages
    assert "on main" in messages


def test_a_later_version_of_the_same_change_is_compared_past_it(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, BORN_YANKED)
    _version(root, "1.2.0", V11)  # passes on its own: a minor over 1.1.0
    _version(root, "1.2.1", {**V11, "description": "documented"})
    commit_all(root.parent, "publish 1.2.0, yank it, publish 1.2.1")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_a_version_yanked_on_the_base_is_still_skipped(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, BORN_YANKED)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "a break, yanked")
    git(root.parent, "branch", "-f", "main", "HEAD")  # merged (before this release)
    _version(root, "1.3.0", {**V11, "description": "documented"})
    commit_all(root.parent, "1.3.0 over 1.1.0")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_a_yank_whose_reason_is_refused_today_is_still_a_yank_on_the_base(
    tmp_path: Path,
) -> None:
    # The base yanked 1.1.0 with a reason an older accord took ("TODO"): the change that
    # writes a real one yanks nothing new, and 1.2.0 is compared with 1.0.0 as there.
    root = _base(tmp_path)
    _toml(root, YANK.replace("note was the wrong type for the billing export", "TODO"))
    commit_all(root.parent, "yank 1.1.0, as an older accord allowed")
    git(root.parent, "branch", "-f", "main", "HEAD")
    _toml(root, YANK)
    _version(root, "1.2.0", V12)
    commit_all(root.parent, "a real reason, and 1.2.0 over 1.0.0")
    report = check(root, against="main")
    assert report.exit_code() == 0, [f.message for f in report.active]
