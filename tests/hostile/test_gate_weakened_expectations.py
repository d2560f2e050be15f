"""``accord check --against``: a change cannot unregister the consumer it breaks.

A pull request that breaks a field a registered, verified consumer relies on and, in
the same change, deletes that consumer's expectation file (or edits it so it no longer
reads the field) passed the gate under ``--consumers-only``: the consumers hurt were
read from the expectations the same change wrote. A version new since the base is now
also judged against the base's expectations (those the change deletes or edits); the
edited expectation applies from the next change, once it is merged on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from _registry_builders import commit_all, git, init_repo, locked_version, record_verified
from accord.cli import main
from accord.consumers import Expectation, integer, string
from accord.gate.check import check

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CID = "users.user"
V1: dict[str, Any] = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}
# name removed: breaks backward (major), published as a minor.
NAME_REMOVED: dict[str, Any] = {**V1, "properties": {"id": {"type": "integer"}}, "required": ["id"]}
BILLING = "consumers/billing/users.json"


def _version(root: Path, version: str, document: Any) -> None:
    locked_version(root, CID, version, document)


def _expectation(root: Path, **body: Any) -> None:
    e = Expectation("billing", name="users")
    (
        e.upon_receiving("get user 1")
        .with_request("GET", "/users/1")
        .will_respond_with(200, contract=f"{CID}@^1", body=body)
    )
    e.write(root)


def _verified(root: Path) -> None:
    """A verification record showing billing's expectation verified (not pending)."""
    record_verified(root)


def _base(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    (root / "users" / "user").mkdir(parents=True)
    (root / "users" / "user" / "contract.toml").write_text(
        'owner = "team"\nkind = "response"\nprovider = "users-service"\n', encoding="utf-8"
    )
    (root / "accord.toml").write_text(
        "[deprecation]\nrequire-deprecation-before-removal = false\n", encoding="utf-8"
    )
    _version(root, "1.0.0", V1)
    _expectation(root, id=integer(1), name=string("Ada"))
    _verified(root)
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "pr")
    return root


def _delete(root: Path) -> None:
    (root / BILLING).unlink()


def _edit(root: Path) -> None:
    _delete(root)  # written again, no longer reading name
    _expectation(root, id=integer(1))


UNREGISTER = {"deleted": _delete, "edited": _edit}


@pytest.mark.parametrize("how", sorted(UNREGISTER))
def test_the_base_expectation_still_protects_its_consumer(how: str, tmp_path: Path) -> None:
    root = _base(tmp_path)
    UNREGISTER[how](root)
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "unregister billing and break it")
    report = check(root, against="main", consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert [f.rule for f in report.active if f.severity == "error"] == ["bump-insufficient"]
    assert "breaks billing" in messages
    assert f"expectation as on main: {BILLING}" in messages


@pytest.mark.parametrize("how", sorted(UNREGISTER))
def test_the_cli_fails_too(how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _base(tmp_path)
    UNREGISTER[how](root)
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "unregister billing and break it")
    argv = ["check", "--registry", str(root), "--against", "main", "--consumers-only"]
    assert main(argv) == 1
    assert "billing" in capsys.readouterr().out


def test_without_consumers_only_the_finding_names_the_base_expectation(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _delete(root)
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "unregister billing and break it")
    report = check(root, against="main")
    [finding] = report.active
    assert finding.rule == "bump-insufficient"
    assert f"breaks billing (expectation as on main: {BILLING}" in finding.message
    impacts = [i for c in finding.changes for i in c.consumers if i.status == "breaks"]
    assert [(i.consumer, i.files, i.as_on) for i in impacts] == [("billing", (BILLING,), "main")]
    [as_json] = [i for c in report.to_json()["findings"][0]["changes"] for i in c["consumers"]]
    assert (as_json["consumer"], as_json["as_on"]) == ("billing", "main")


@pytest.mark.parametrize("how", sorted(UNREGISTER))
def test_editing_expectations_alone_passes(how: str, tmp_path: Path) -> None:
    root = _base(tmp_path)
    UNREGISTER[how](root)
    commit_all(root.parent, "billing stops reading name")
    report = check(root, against="main", consumers_only=True)
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_once_merged_the_edit_applies(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _edit(root)
    commit_all(root.parent, "billing stops reading name")
    git(root.parent, "branch", "-f", "main", "HEAD")  # merged on its own
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "remove name")
    report = check(root, against="main", consumers_only=True)
    assert report.exit_code() == 0, [f.message for f in report.active]


def test_an_unchanged_expectation_is_named_once(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "remove name")
    report = check(root, against="main", consumers_only=True)
    assert report.exit_code() == 1  # billing is verified: it blocks
    [finding] = report.active
    assert finding.message.count("billing") == 1, finding.message
    assert "as on main" not in finding.message


def test_a_yank_that_strands_the_deleted_expectation_fails(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _delete(root)
    toml = root / "users" / "user" / "contract.toml"
    toml.write_text(
        toml.read_text() + '[yanked]\n"1.0.0" = "leaked emails to the billing export"\n'
    )
    commit_all(root.parent, "unregister billing and yank what it reads")
    report = check(root, against="main")
    stranded = [f for f in report.active if f.rule == "range-stranded"]
    assert [(f.file, f.contract) for f in stranded] == [(BILLING, CID)], report.active
    assert "consumer billing (expectation as on main)" in stranded[0].message
    assert report.exit_code() == 1


def test_an_expectation_stranded_now_and_on_the_base_is_reported_once(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _edit(root)  # still reads users.user@^1
    toml = root / "users" / "user" / "contract.toml"
    toml.write_text(
        toml.read_text() + '[yanked]\n"1.0.0" = "leaked emails to the billing export"\n'
    )
    commit_all(root.parent, "edit billing and yank what it reads")
    stranded = [f for f in check(root, against="main").active if f.rule == "range-stranded"]
    assert [f.message.split(" relies")[0] for f in stranded] == ["consumer billing"]


# -- verification records deleted in the same change ------------------------------------

RECORD = "verifications/users-service/1.0.0.json"


def _drop_record(root: Path) -> None:
    (root / RECORD).unlink()


def _empty_record(root: Path) -> None:
    """The record kept, its success for billing taken out."""
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    record["results"] = []
    (root / RECORD).write_text(json.dumps(record), encoding="utf-8")


FORGET = {"deleted": _drop_record, "emptied": _empty_record}


@pytest.mark.parametrize("forget", sorted(FORGET))
@pytest.mark.parametrize("how", ["kept", *sorted(UNREGISTER)])
def test_a_verification_record_dropped_in_the_same_change_still_counts(
    forget: str, how: str, tmp_path: Path
) -> None:
    """Deleting (or emptying) billing's verification record made it pending, and a
    pending consumer does not block under --consumers-only: the breaking change passed,
    with the expectation kept, deleted or edited."""
    root = _base(tmp_path)
    FORGET[forget](root)
    if how != "kept":
        UNREGISTER[how](root)
    _version(root, "1.1.0", NAME_REMOVED)
    commit_all(root.parent, "forget billing was verified, and break it")
    report = check(root, against="main", consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert "breaks billing" in messages
    assert "[pending]" not in messages


def test_dropping_a_record_alone_passes(tmp_path: Path) -> None:
    root = _base(tmp_path)
    _drop_record(root)
    commit_all(root.parent, "drop the record")
    assert check(root, against="main", consumers_only=True).exit_code() == 0
