"""``accord check`` on real git repositories with real commits in tmp_path."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import (
    CONTRACT_TOML,
    commit_all,
    git,
    init_repo,
    make_contract,
    run_cli,
    schema,
    version_file,
    write_unpublished,
)

from accord.errors import ConfigError, UsageError
from accord.gate import publish as _publish
from accord.gate.check import check, load_ignore_file

CID = "orders.placed"
OTHER = "billing.paid"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: orders.placed 1.0.0 and billing.paid 1.0.0 published; HEAD on branch feature."""
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    make_contract(root, CID)
    make_contract(root, OTHER)
    _publish.publish(root, CID, schema())
    _publish.publish(root, OTHER, schema())
    commit_all(repo, "publish 1.0.0")
    git(repo, "tag", "v1")
    git(repo, "checkout", "-q", "-b", "feature")
    return repo


def rules(report: Any) -> list[str]:
    return sorted(f.rule for f in report.active)


def test_clean_registry_passes_alone_and_against_main(repo: Path) -> None:
    root = repo / "contracts"
    assert check(root).exit_code() == 0
    report = check(root, against="main")
    assert (report.exit_code(), report.checked) == (0, ())  # nothing changed: nothing diffed


def test_editing_a_published_version_fails(repo: Path) -> None:
    root = repo / "contracts"
    path = version_file(root, CID, "1.0.0")
    path.write_bytes(path.read_bytes() + b"\n")  # one byte
    commit_all(repo, "edit 1.0.0")
    report = check(root, against="main")
    assert rules(report) == ["version-modified"]
    assert report.active[0].file == "orders/placed/1.0.0.schema.json"
    assert report.exit_code() == 1
    # Alone, the registry still sees the digest mismatch.
    assert rules(check(root)) == ["lock-digest-mismatch"]


def test_republishing_a_number_with_new_content_fails(repo: Path) -> None:
    root = repo / "contracts"
    lock = root / "accord.lock"
    lock.write_text(
        "".join(line + "\n" for line in lock.read_text().splitlines() if CID not in line)
    )
    version_file(root, CID, "1.0.0").unlink()
    write_unpublished(root, CID, "1.0.0", schema(extra={"type": "string"}))
    commit_all(repo, "reuse 1.0.0")
    assert check(root).exit_code() == 0  # consistent on its own...
    assert rules(check(root, against="main")) == ["version-reused"]  # ...but not vs main


def test_deleting_a_published_version_fails(repo: Path) -> None:
    root = repo / "contracts"
    _publish.publish(root, CID, schema(extra={"type": "string"}))
    commit_all(repo, "publish 1.1.0")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", "feature")
    git(repo, "checkout", "-q", "-b", "delete")
    version_file(root, CID, "1.1.0").unlink()
    lock = root / "accord.lock"
    lock.write_text(
        "".join(line + "\n" for line in lock.read_text().splitlines() if "1.1.0" not in line)
    )
    commit_all(repo, "delete 1.1.0")
    report = check(root, against="main")
    assert rules(report) == ["version-deleted"]
    assert report.active[0].version == "1.1.0"


def test_renumbering_a_published_version_fails(repo: Path) -> None:
    root = repo / "contracts"
    old, new = version_file(root, CID, "1.0.0"), version_file(root, CID, "2.0.0")
    shutil.move(old, new)
    lock = root / "accord.lock"
    lock.write_text(lock.read_text().replace(f"{CID} 1.0.0", f"{CID} 2.0.0"))
    commit_all(repo, "renumber")
    assert rules(check(root, against="main")) == ["version-renumbered"]


def test_deleting_a_contract_fails_retiring_passes(repo: Path) -> None:
    root = repo / "contracts"
    shutil.rmtree(root / "billing")
    lock = root / "accord.lock"
    lock.write_text(
        "".join(line + "\n" for line in lock.read_text().splitlines() if OTHER not in line)
    )
    commit_all(repo, "delete billing")
    assert rules(check(root, against="main")) == ["contract-deleted"]
    git(repo, "reset", "-q", "--hard", "main")
    _publish.retire(root, OTHER)
    commit_all(repo, "retire billing")
    assert check(root, against="main").exit_code() == 0


def test_new_version_of_a_retired_contract_fails(repo: Path) -> None:
    root = repo / "contracts"
    _publish.retire(root, OTHER)
    write_unpublished(root, OTHER, "1.1.0", schema(extra={"type": "string"}))
    commit_all(repo, "retire billing, then add 1.1.0")
    report = check(root, against="main")
    assert rules(report) == ["contract-retired-published"]
    assert (report.active[0].contract, report.active[0].version) == (OTHER, "1.1.0")


def test_transitive_mode_fails_a_version_incompatible_with_an_older_one(tmp_path: Path) -> None:
    """1.1.0 slipped through on main (narrower than 1.0.0); 1.2.0 is compatible with 1.1.0
    but not with 1.0.0, which backward-transitive also checks."""
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    make_contract(root, CID, CONTRACT_TOML + 'mode = "backward-transitive"\n')
    enum = {"type": "string", "enum": ["a", "c"]}
    write_unpublished(root, CID, "1.0.0", schema(kind=enum))
    write_unpublished(root, CID, "1.1.0", schema(kind={**enum, "enum": ["a"]}))
    commit_all(repo, "1.0.0 and 1.1.0")
    git(repo, "checkout", "-q", "-b", "feature")
    write_unpublished(root, CID, "1.2.0", schema(kind={**enum, "enum": ["a", "b"]}))
    commit_all(repo, "1.2.0")
    report = check(root, against="main")
    # 1.2.0 needs a major bump under the mode, and the gate says against which version.
    assert rules(report) == ["bump-insufficient", "transitive-incompatible"]
    (finding,) = [f for f in report.active if f.rule == "transitive-incompatible"]
    assert "with 1.0.0" in finding.message


def test_additive_change_published_as_minor_passes(repo: Path) -> None:
    root = repo / "contracts"
    result = _publish.publish(root, CID, schema(extra={"type": "string"}))
    assert str(result.version) == "1.1.0"
    commit_all(repo, "publish 1.1.0")
    report = check(root, against="main")
    assert report.exit_code() == 0, report.findings
    assert report.checked == (CID,)  # only the changed contract is diffed
    assert [(str(c.previous), str(c.version), c.required, c.declared) for c in report.checks] == [
        ("1.0.0", "1.1.0", "minor", "minor")
    ]


def test_same_change_declared_as_patch_fails(repo: Path) -> None:
    root = repo / "contracts"
    write_unpublished(root, CID, "1.0.1", schema(extra={"type": "string"}))
    commit_all(repo, "hand-written 1.0.1")
    report = check(root, against="main")
    assert rules(report) == ["bump-insufficient"]
    finding = report.active[0]
    assert (finding.required_bump, finding.declared_bump) == ("minor", "patch")
    assert "property-added-optional" in finding.message


def test_removal_without_deprecation_fails(repo: Path) -> None:
    root = repo / "contracts"
    write_unpublished(root, CID, "2.0.0", schema(note=None))
    commit_all(repo, "remove note")
    report = check(root, against="main")
    assert rules(report) == ["removal-not-deprecated"]
    assert report.active[0].key == "/properties/note"


def test_removal_after_deprecation_with_major_passes(repo: Path) -> None:
    root = repo / "contracts"
    _publish.publish(root, CID, schema(note={"type": "string", "deprecated": True}))
    commit_all(repo, "deprecate note")
    git(repo, "branch", "-f", "main", "HEAD")  # the deprecation merged first
    removed = _publish.publish(root, CID, schema(note=None))
    assert str(removed.version) == "2.0.0"
    commit_all(repo, "remove note")
    assert check(root, against="main").exit_code() == 0


@pytest.mark.parametrize(
    "ref", ["main", "v1", "refs/heads/main"], ids=["branch", "tag", "full-ref"]
)
def test_against_a_tag_and_a_branch(repo: Path, ref: str) -> None:
    root = repo / "contracts"
    write_unpublished(root, CID, "1.0.1", schema(extra={"type": "string"}))
    commit_all(repo, "bad patch")
    report = check(root, against=ref)
    assert rules(report) == ["bump-insufficient"]
    assert report.base == git(repo, "rev-parse", "v1")


def test_merge_base_hides_versions_published_on_main_later(repo: Path) -> None:
    root = repo / "contracts"
    git(repo, "checkout", "-q", "main")
    _publish.publish(root, CID, schema(extra={"type": "string"}))  # 1.1.0 on main
    commit_all(repo, "main publishes 1.1.0")
    git(repo, "checkout", "-q", "feature")
    _publish.publish(root, OTHER, schema(extra={"type": "string"}))
    commit_all(repo, "feature publishes billing 1.1.0")
    assert check(root, against="main").exit_code() == 0
    tip = check(root, against="main", tip=True)
    assert rules(tip) == ["version-deleted"]  # vs main's tip, 1.1.0 looks deleted


def test_unknown_ref_and_shallow_clone_are_bad_input(
    repo: Path, tmp_path: Path, capsys: Any
) -> None:
    root = repo / "contracts"
    with pytest.raises(UsageError) as unknown:
        check(root, against="no-such-branch")
    assert unknown.value.code == "git-unknown-ref"
    _publish.publish(root, CID, schema(extra={"type": "string"}))
    commit_all(repo, "feature work")
    git(repo, "checkout", "-q", "main")
    (repo / "main.txt").write_text("main moves on\n")
    commit_all(repo, "main work")
    shallow = tmp_path / "shallow"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature",
            f"file://{repo}",
            str(shallow),
        ],
        check=True,
        capture_output=True,
    )
    git(shallow, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    with pytest.raises(UsageError) as caught:
        check(shallow / "contracts", against="origin/main")
    assert caught.value.code == "git-no-merge-base"
    assert "fetch-depth: 0" in caught.value.message
    code, _out, err = run_cli(
        ["check", "--registry", str(shallow / "contracts"), "--against", "origin/main"], capsys
    )
    assert code == 2
    assert "error[git-no-merge-base]" in err


def test_approved_finding_passes_and_is_reported_as_ignored(
    repo: Path, tmp_path: Path, capsys: Any
) -> None:
    root = repo / "contracts"
    write_unpublished(root, CID, "1.0.1", schema(extra={"type": "string"}))
    commit_all(repo, "bad patch, approved")
    reg = ["--registry", str(root), "--against", "main"]
    code, entry, _ = run_cli(["check", *reg, "--format", "ignore-toml"], capsys)
    assert code == 0
    assert entry.startswith("# Approvals for `accord check --ignore-file`.")
    assert "\n[[ignore]]\nfingerprint = " in entry
    ignore_file = tmp_path / "accord-ignore.toml"
    ignore_file.write_text(entry)  # the placeholder reason approves nothing
    code, _out, err = run_cli(["check", *reg, "--ignore-file", str(ignore_file)], capsys)
    assert code == 2
    assert "ignore entry 1 (fingerprint " in err
    ignore_file.write_text(
        entry.replace("TODO: why this finding is approved (who, where reviewed)", "approved in #42")
    )
    code, out, _ = run_cli(["check", *reg, "--ignore-file", str(ignore_file)], capsys)
    assert code == 0
    assert "ignored[bump-insufficient]" in out
    assert "approved: approved in #42" in out
    code, out, _ = run_cli(
        ["check", *reg, "--ignore-file", str(ignore_file), "--format", "json"], capsys
    )
    body = json.loads(out)
    assert (code, body["ok"], body["summary"]["ignored"]) == (0, True, 1)
    assert body["findings"][0]["ignore_reason"] == "approved in #42"
    code, _out, _err = run_cli(["check", *reg], capsys)
    assert code == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param(
            '[[ignore]]\nfingerprint = "0123456789abcdef"\n', "config-missing-key", id="no-reason"
        ),
        pytest.param(
            '[[ignore]]\nfingerprint = "xyz"\nreason = "r"\n',
            "config-invalid-value",
            id="bad-fingerprint",
        ),
        pytest.param(
            '[[ignore]]\nfingerprint = "0123456789abcdef"\nreason = " "\n',
            "config-invalid-value",
            id="blank-reason",
        ),
        pytest.param(
            '[[ignore]]\nfingerprint = "0123456789abcdef"\nreason = "r"\nwho = "me"\n',
            "config-unknown-key",
            id="unknown-key",
        ),
        pytest.param("ignores = []\n", "config-unknown-key", id="unknown-table"),
    ],
)
def test_ignore_file_is_validated(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "ignore.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_ignore_file(path)
    assert caught.value.code == code


def test_unused_ignore_entries_are_reported(repo: Path, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "ignore.toml"
    path.write_text('[[ignore]]\nfingerprint = "0123456789abcdef"\nreason = "old approval"\n')
    code, out, _ = run_cli(
        ["check", "--registry", str(repo / "contracts"), "--ignore-file", str(path)], capsys
    )
    assert code == 0
    assert "ignore entry 0123456789abcdef matched no finding" in out


def test_fingerprints_are_stable_across_wording_and_runs(repo: Path) -> None:
    root = repo / "contracts"
    write_unpublished(root, CID, "1.0.1", schema(extra={"type": "string"}))
    first = check(root).active[0]
    second = check(root, against="main").active[0]
    assert first.fingerprint == second.fingerprint
    assert len(first.fingerprint) == 16


def test_fail_on_and_cli_exit_codes(repo: Path, capsys: Any) -> None:
    root = repo / "contracts"
    reg = ["--registry", str(root)]
    assert run_cli(["check", *reg], capsys)[0] == 0
    assert run_cli(["check", *reg, "--against", "main", "--fail-on", "info"], capsys)[0] == 0
    assert run_cli(["check", *reg, "--against-tip"], capsys)[0] == 2
    assert run_cli(["check", "--registry", str(repo / "nope")], capsys)[0] == 2


def test_tool_accord_configures_the_gate_and_flags_win(
    repo: Path, capsys: Any, monkeypatch: Any
) -> None:
    """``[tool.accord]`` keys mirror the flags (registry, against, fail-on, format, ignore);
    a flag given on the command line wins."""
    root = repo / "contracts"
    # a breaking change declared as a minor bump: a bump-insufficient finding
    write_unpublished(root, CID, "1.1.0", schema(id={"type": "string"}))
    (repo / "pyproject.toml").write_text(
        '[tool.accord]\nregistry = "contracts"\nagainst = "main"\nformat = "json"\n'
        'fail-on = "error"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    code, out, _ = run_cli(["check"], capsys)
    report = json.loads(out)
    assert report["against"] == "main"
    assert code == 1
    code, out, _ = run_cli(["check", "--format", "text"], capsys)
    assert out.startswith("accord check")
    (repo / "pyproject.toml").write_text(
        '[tool.accord]\nregistry = "contracts"\nagainst = "main"\nfail-on = "sometimes"\n',
        encoding="utf-8",
    )
    code, _, err = run_cli(["check"], capsys)
    assert code == 2
    assert "config-invalid-value" in err


@pytest.mark.parametrize(
    ("files", "reported"),
    [
        (
            (
                "orders/placed/examples/1.0.0/valid/E.json",
                "orders/placed/examples/1.0.0/valid/e.json",
            ),
            "orders/placed/examples/1.0.0/valid/e.json",
        ),
        (("orders/placed/README.md", "orders/placed/readme.md"), "orders/placed/readme.md"),
        (
            ("orders/placed/1.1.0-RC.schema.json", "orders/placed/1.1.0-rc.schema.json"),
            "orders/placed/1.1.0-rc.schema.json",
        ),
    ],
    ids=["examples", "contract-dir-files", "version-files"],
)
def test_check_refuses_names_that_differ_only_in_case(
    repo: Path, capsys: Any, files: tuple[str, str], reported: str
) -> None:
    """Checked out on macOS or Windows, one of the two is lost: the gate says no
    (``file-case-clash``, as ``accord lint`` does), from the listing the load makes."""
    root = repo / "contracts"
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text('{"type": "object"}' if name.endswith(".json") else "# notes\n")
    code, _out, err = run_cli(["check", "--registry", str(root)], capsys)
    assert code == 2
    assert f"error[file-case-clash]: {root / reported}" in err
    assert run_cli(["check", "--registry", str(root), "--against", "main"], capsys)[0] == 2


def test_check_refuses_a_name_that_is_not_utf8(repo: Path, capsys: Any) -> None:
    """A name no macOS or Windows checkout can hold (a byte that is not UTF-8) fails the
    gate (``file-name-not-utf8``, as ``accord lint`` reports it) instead of passing."""
    import os

    root = repo / "contracts"
    examples = root / "orders" / "placed" / "examples" / "1.0.0" / "valid"
    examples.mkdir(parents=True)
    (examples / "a.json").write_text('{"id": "a"}')
    with open(os.path.join(os.fsencode(examples), b"\xff.json"), "wb") as file:
        file.write(b'{"id": "b"}')
    code, _out, err = run_cli(["check", "--registry", str(root)], capsys)
    assert code == 2
    assert "error[file-name-not-utf8]" in err
    assert "\\udcff.json" in err
