"""``accord check --against``: an approval of an edit covers that edit only.

A finding's fingerprint is what an ignore entry matches. ``version-modified`` and
``version-reused`` were fingerprinted by contract and version alone, so an entry that
approved one edit of a published version (a description added, reviewed) stayed in
``accord-ignore.toml`` after it was merged and approved every later edit of the same
version: a pull request that changed 1.0.0's ``id`` from integer to string passed with
"1 ignored". The fingerprint now holds the digest of the file as edited: another edit
is another finding.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_gate_weakened_rules import CID, V1

from _registry_builders import commit_all, git, init_repo, locked_version
from accord.cli import main
from accord.gate.check import IgnoreEntry, check, parse_ignore_entries

DESCRIBED: dict[str, Any] = {
    **V1,
    "properties": {"id": {"type": "integer", "description": "the order id"}},
}
BREAKING: dict[str, Any] = {**V1, "properties": {"id": {"type": "string"}}}
TOML = 'owner = "team"\nkind = "event"\n'
FILE = "orders/placed/1.0.0.schema.json"


def _base(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    (root / "orders" / "placed").mkdir(parents=True)
    (root / "orders" / "placed" / "contract.toml").write_text(TOML, encoding="utf-8")
    (root / "accord.toml").write_text('mode = "full"\n', encoding="utf-8")
    locked_version(root, CID, "1.0.0", V1)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return root


def _edit(root: Path, document: Any, *, relock: bool) -> None:
    """1.0.0 written again with ``document`` (its lock line too when ``relock``)."""
    path = root / FILE
    if relock:
        lock = root / "accord.lock"
        lock.write_text("".join(f"{line}\n" for line in lock.read_text().splitlines()[1:]))
        path.unlink()
        locked_version(root, CID, "1.0.0", document)
    else:
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _approve(root: Path) -> list[IgnoreEntry]:
    """An ignore entry, with a real reason, for each finding of the change as it is."""
    entries = [
        {"fingerprint": f.fingerprint, "reason": "a description added only, reviewed in #12"}
        for f in check(root, against="main").active
    ]
    assert entries
    return parse_ignore_entries(entries, file="accord-ignore.toml")


@pytest.mark.parametrize("relock", [False, True], ids=["edited", "edited-and-relocked"])
def test_an_approved_edit_does_not_approve_the_next_one(relock: bool, tmp_path: Path) -> None:
    root = _base(tmp_path)
    _edit(root, DESCRIBED, relock=relock)
    commit_all(root.parent, "describe id in 1.0.0")
    approved = _approve(root)
    assert check(root, against="main", ignore=approved).exit_code() == 0
    git(root.parent, "branch", "-f", "main", "HEAD")  # merged, the entry kept
    _edit(root, BREAKING, relock=relock)
    commit_all(root.parent, "id becomes a string in 1.0.0")
    report = check(root, against="main", ignore=approved)
    assert report.exit_code() == 1, [f.message for f in report.ignored]
    rules = [f.rule for f in report.active]
    assert rules == ["version-reused" if relock else "version-modified"], rules
    assert report.ignored == ()


def test_the_cli_fails_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _base(tmp_path)
    _edit(root, DESCRIBED, relock=False)
    commit_all(root.parent, "describe id in 1.0.0")
    [fingerprint] = [f.fingerprint for f in check(root, against="main").active]
    ignore = root.parent / "accord-ignore.toml"
    ignore.write_text(
        f'[[ignore]]\nfingerprint = "{fingerprint}"\n'
        'reason = "a description added only, reviewed in #12"\n',
        encoding="utf-8",
    )
    git(root.parent, "branch", "-f", "main", "HEAD")
    _edit(root, BREAKING, relock=False)
    commit_all(root.parent, "id becomes a string in 1.0.0")
    argv = ["check", "--registry", str(root), "--against", "main", "--ignore-file", str(ignore)]
    assert main(argv) == 1
    assert "version-modified" in capsys.readouterr().out


def test_the_approved_edit_itself_stays_approved(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _edit(root, DESCRIBED, relock=True)
    commit_all(root.parent, "describe id in 1.0.0")
    approved = _approve(root)
    report = check(root, against="main", ignore=approved)
    assert (report.exit_code(), [f.rule for f in report.ignored]) == (0, ["version-reused"])
