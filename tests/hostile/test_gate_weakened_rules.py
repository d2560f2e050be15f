"""``accord check --against``: a change cannot disarm the gate that judges it.

A pull request that weakens a contract's compatibility mode (in ``contract.toml`` or
the default in ``accord.toml``), marks it ``draft`` (gate exempt) or takes it out of
``retired`` passed the gate with a version that breaks the rules the base commit held
it to: the new version was judged under the rules the same change wrote. A version
new since the base is now also judged under the base's mode and status; the weaker
rules apply from the next change, once they are merged on their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import commit_all, git, init_repo, locked_version
from accord.cli import main
from accord.gate.check import check

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CID = "orders.placed"
V1: dict[str, Any] = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {"id": {"type": "integer"}},
    "required": ["id"],
}
# id becomes a string: breaks both directions (major under every mode but none).
BREAKING = {**V1, "properties": {"id": {"type": "string"}}}
# id may also be a string: backward compatible, forward broken (major under full).
WIDENED = {**V1, "properties": {"id": {"type": ["integer", "string"]}}}
# An optional property: compatible both ways (minor under every mode).
COMPATIBLE = {**V1, "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}
TOML = 'owner = "team"\nkind = "event"\n'


def _version(root: Path, version: str, document: Any) -> None:
    locked_version(root, CID, version, document)


def _toml(root: Path, text: str) -> None:
    folder = root / "orders" / "placed"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contract.toml").write_text(text, encoding="utf-8")


def _base(tmp_path: Path, toml: str = TOML, settings: str = 'mode = "full"\n') -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    root.mkdir()
    (root / "accord.toml").write_text(settings, encoding="utf-8")
    _toml(root, toml)
    _version(root, "1.0.0", V1)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return root


def _merged(root: Path) -> None:
    """The change so far merged on its own: main moves to it, the next change follows."""
    git(root.parent, "branch", "-f", "main", "HEAD")


def _gate(root: Path) -> tuple[int, list[str], str]:
    report = check(root, against="main")
    return (
        report.exit_code(),
        [f.rule for f in report.active],
        "\n".join(f.message for f in report.active),
    )


WEAKENINGS = {
    "mode-none": (TOML, TOML + 'mode = "none"\n', 'mode = "full"\n', BREAKING),
    "status-draft": (TOML, TOML + 'status = "draft"\n', 'mode = "full"\n', BREAKING),
    "mode-backward": (TOML, TOML + 'mode = "backward"\n', 'mode = "full"\n', WIDENED),
    "explicit-full-dropped-for-a-none-default": (
        TOML + 'mode = "full"\n',
        TOML,
        'mode = "none"\n',
        BREAKING,
    ),
}


@pytest.mark.parametrize("case", sorted(WEAKENINGS))
def test_a_version_is_judged_under_the_base_mode_too(case: str, tmp_path: Path) -> None:
    base_toml, pr_toml, pr_settings, document = WEAKENINGS[case]
    root = _base(tmp_path, base_toml)
    _toml(root, pr_toml)
    (root / "accord.toml").write_text(pr_settings, encoding="utf-8")
    _version(root, "1.1.0", document)
    commit_all(root.parent, "weaken and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages
    assert "mode full" in messages
    assert "on main" in messages


def test_the_registry_default_weakened_in_accord_toml(tmp_path: Path) -> None:
    root = _base(tmp_path)
    (root / "accord.toml").write_text('mode = "none"\n', encoding="utf-8")
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "weaken the default and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages


def test_the_cli_refuses_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _base(tmp_path)
    _toml(root, TOML + 'mode = "none"\n')
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "weaken and break")
    code = main(["check", "--against", "main", "--registry", str(root)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "bump-insufficient" in out


def test_a_contract_taken_out_of_retirement_gains_no_version(tmp_path: Path) -> None:
    root = _base(tmp_path, TOML + 'status = "retired"\n')
    _toml(root, TOML)
    _version(root, "1.1.0", COMPATIBLE)
    commit_all(root.parent, "unretire and publish")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["contract-retired-published"]), messages
    assert "on main" in messages


def test_a_version_the_base_rules_accept_still_passes(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, TOML + 'mode = "none"\n')
    _version(root, "1.1.0", COMPATIBLE)
    commit_all(root.parent, "weaken, compatible version")
    assert _gate(root)[:2] == (0, [])


def test_a_weakened_mode_alone_passes_and_applies_from_the_next_change(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, TOML + 'mode = "none"\n')
    commit_all(root.parent, "weaken only")
    assert _gate(root)[:2] == (0, [])
    _merged(root)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "break under the merged mode")
    assert _gate(root)[:2] == (0, [])


def test_a_stricter_mode_is_not_relaxed_by_the_base(tmp_path: Path) -> None:
    root = _base(tmp_path, TOML + 'mode = "none"\n')
    _toml(root, TOML)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "tighten and break")
    assert _gate(root)[:2] == (1, ["bump-insufficient"])


# b removed in a major version: allowed by the mode, refused by the removal policy.
WITH_B: dict[str, Any] = {**V1, "properties": {"id": {"type": "integer"}, "b": {"type": "string"}}}
POLICY_OFF = 'mode = "full"\n\n[deprecation]\nrequire-deprecation-before-removal = false\n'


def test_the_removal_policy_turned_off_in_the_same_change_still_holds(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.1.0", WITH_B)
    commit_all(root.parent, "b")
    _merged(root)
    (root / "accord.toml").write_text(POLICY_OFF, encoding="utf-8")
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "policy off, b removed")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["removal-not-deprecated"]), messages
    assert "on main" in messages


def test_the_removal_policy_off_on_the_base_stays_off(tmp_path: Path) -> None:
    root = _base(tmp_path, settings=POLICY_OFF)
    _version(root, "1.1.0", WITH_B)
    commit_all(root.parent, "b")
    _merged(root)
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "b removed")
    assert _gate(root)[:2] == (0, [])


# A rule override (``[rules.<id>]`` in contract.toml) lowers what one compatibility rule
# weighs for one contract; written in the change that publishes the break it excuses, it
# passed the gate: the new version was judged under the overrides that change wrote.
OFF = '[rules.type-changed]\nseverity = "off"\nreason = "agreed with every consumer in RFC-12"\n'
WARN = OFF.replace('"off"', '"warning"')
OVERRIDES = {
    "override-off": (TOML, TOML + OFF),
    "override-warning": (TOML, TOML + WARN),
    "override-error-to-off": (TOML + WARN.replace("warning", "error"), TOML + OFF),
    "override-off-and-mode-none": (TOML, TOML + 'mode = "none"\n' + OFF),
}


@pytest.mark.parametrize("case", sorted(OVERRIDES))
def test_a_version_is_judged_under_the_base_overrides_too(case: str, tmp_path: Path) -> None:
    base_toml, pr_toml = OVERRIDES[case]
    root = _base(tmp_path, base_toml)
    _toml(root, pr_toml)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "excuse and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages
    assert "type-changed" in messages
    assert "on main" in messages
    assert "[rules.type-changed]" in messages


def test_an_override_alone_passes_and_applies_from_the_next_change(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, TOML + OFF)
    commit_all(root.parent, "override only")
    assert _gate(root)[:2] == (0, [])
    _merged(root)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "break under the merged override")
    assert _gate(root)[:2] == (0, [])


def test_an_override_the_base_held_still_applies(tmp_path: Path) -> None:
    root = _base(tmp_path, TOML + OFF)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "break under the base's override")
    assert _gate(root)[:2] == (0, [])


def test_an_override_removed_in_the_change_applies_at_once(tmp_path: Path) -> None:
    root = _base(tmp_path, TOML + OFF)
    _toml(root, TOML)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "drop the override and break")
    assert _gate(root)[:2] == (1, ["bump-insufficient"])


def test_a_version_the_base_overrides_accept_still_passes(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _toml(root, TOML + OFF)
    _version(root, "1.1.0", COMPATIBLE)
    commit_all(root.parent, "override, compatible version")
    assert _gate(root)[:2] == (0, [])


# A base file today's accord refuses (an older accord accepted it: a placeholder reason,
# a key since dropped) stated nothing to the gate, so the change that repairs it could
# also weaken the mode and publish a break. What each key states on its own still holds.
PLACEHOLDER_LINT = (
    'mode = "full"\n\n[lint.rules.format-unknown]\nseverity = "off"\nreason = "TODO"\n'
)
REFUSED = {
    "accord-toml-placeholder-reason": (TOML, PLACEHOLDER_LINT),
    "contract-toml-placeholder-reason": (
        TOML + '[rules.enum-value-added]\nseverity = "error"\nreason = "TODO"\n',
        'mode = "full"\n',
    ),
    "contract-toml-unknown-key": (TOML + 'labels = ["billing"]\n', 'mode = "full"\n'),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_base_file_refused_today_still_states_its_mode(case: str, tmp_path: Path) -> None:
    base_toml, base_settings = REFUSED[case]
    root = _base(tmp_path, base_toml, base_settings)
    (root / "accord.toml").write_text('mode = "full"\n', encoding="utf-8")
    _toml(root, TOML + 'mode = "none"\n')
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "repair the settings, weaken and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages
    assert "held on main" in messages


def test_a_base_accord_toml_refused_today_still_states_its_removal_policy(tmp_path: Path) -> None:
    root = _base(tmp_path, settings=PLACEHOLDER_LINT)
    _version(root, "1.1.0", WITH_B)
    commit_all(root.parent, "b")
    git(root.parent, "branch", "-f", "main", "HEAD")
    (root / "accord.toml").write_text(POLICY_OFF, encoding="utf-8")
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "repair the settings, policy off, b removed")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["removal-not-deprecated"]), messages


def test_an_override_whose_reason_is_refused_today_still_weighed_on_the_base(
    tmp_path: Path,
) -> None:
    # The base held type-changed off (its reason a placeholder an older accord took): the
    # change that writes a real reason keeps the rule off, so the break passes as the
    # base would have let it.
    root = _base(tmp_path, TOML + OFF.replace("agreed with every consumer in RFC-12", "TODO"))
    _toml(root, TOML + OFF)
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "a real reason, and a break the override allows")
    assert _gate(root)[:2] == (0, [])


# A base file the base's own gate refused (not UTF-8, not TOML, nested past the parser)
# held the contract to nothing: the change repairing it could weaken the rules and break
# them at once. Such a file states the defaults: a contract.toml, the registry's mode; an
# accord.toml, mode full and the removal policy on.
UNREADABLE = {
    "not-utf8": b"\xff\xfe owner = 1",
    "not-toml": b"owner = = 'team'\n",
    "nested-past-the-parser": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_base_contract_toml_holds_the_default_mode(case: str, tmp_path: Path) -> None:
    root = _base(tmp_path)
    (root / "orders" / "placed" / "contract.toml").write_bytes(UNREADABLE[case])
    commit_all(root.parent, "a broken contract.toml on the base")
    _merged(root)
    _toml(root, TOML + 'mode = "none"\n')
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "repair, weaken and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages
    assert "mode full" in messages
    assert "on main" in messages


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_base_accord_toml_holds_the_defaults(case: str, tmp_path: Path) -> None:
    root = _base(tmp_path, settings='mode = "none"\n')
    (root / "accord.toml").write_bytes(UNREADABLE[case])
    commit_all(root.parent, "a broken accord.toml on the base")
    _merged(root)
    (root / "accord.toml").write_text('mode = "none"\n', encoding="utf-8")
    _version(root, "1.1.0", BREAKING)
    commit_all(root.parent, "repair as none and break")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["bump-insufficient"]), messages
    assert "mode full" in messages


def test_an_unreadable_base_accord_toml_holds_the_removal_policy(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.1.0", WITH_B)
    (root / "accord.toml").write_bytes(UNREADABLE["not-toml"])
    commit_all(root.parent, "b, and a broken accord.toml")
    _merged(root)
    (root / "accord.toml").write_text(POLICY_OFF, encoding="utf-8")
    _version(root, "2.0.0", V1)
    commit_all(root.parent, "repair with the policy off, b removed")
    code, rules, messages = _gate(root)
    assert (code, rules) == (1, ["removal-not-deprecated"]), messages
