"""The gate names the consumers a breaking change hurts (the seed scenario, end to end).

A consumer (billing) expects ``name`` on ``GET /users/123``; the provider's next
version renames it ``username``. ``accord check --against main`` in a real git
repository fails naming the consumer and the field. Under ``--consumers-only`` a
removal no registered consumer reads is only a warning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, init_repo, run_cli, write_unpublished

from accord.consumers import Expectation, integer, string

USER_1_0_0: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
    },
    "required": ["id", "name", "email"],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    directory = root / "users" / "user"
    directory.mkdir(parents=True)
    (directory / "contract.toml").write_text(
        'owner = "team-users"\nkind = "response"\nprovider = "users-service"\n'
    )
    write_unpublished(root, "users.user", "1.0.0", USER_1_0_0)
    e = Expectation("billing", name="users")
    (
        e.upon_receiving("get user 123")
        .given("user 123 exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200, contract="users.user@^1", body={"id": integer(123), "name": string("Ada")}
        )
    )
    e.write(root)
    (root / "accord.toml").write_text("[deprecation]\nrequire-deprecation-before-removal = false\n")
    commit_all(repo, "users.user 1.0.0 and billing's expectation")
    return repo


def _next_version(repo: Path, version: str, change: dict[str, Any]) -> None:
    document = json.loads(json.dumps(USER_1_0_0))
    for name, value in change.items():
        if value is None:
            document["properties"].pop(name)
            document["required"] = [r for r in document["required"] if r != name]
        else:
            document["properties"][name] = value
            document["required"].append(name)
    write_unpublished(repo / "contracts", "users.user", version, document)


def test_rename_fails_naming_the_consumer_and_field(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    commit_all(repo, "start branch")
    _next_version(repo, "1.1.0", {"name": None, "username": {"type": "string"}})
    code, out, _ = run_cli(["check", "--registry", "contracts", "--against", "main"], capsys)
    assert code == 1
    assert "bump-insufficient" in out
    assert "removing $.name breaks billing" in out

    code, out, _ = run_cli(
        ["check", "--registry", "contracts", "--against", "main", "--format", "json"], capsys
    )
    finding = next(f for f in json.loads(out)["findings"] if f["rule"] == "bump-insufficient")
    consumers = [
        c
        for change in finding["changes"]
        for c in change["consumers"]
        if change["instance_path"] == "/name"
    ]
    assert [(c["consumer"], c["status"]) for c in consumers] == [("billing", "breaks")]


def test_consumers_only_downgrades_a_removal_nobody_reads(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    _next_version(repo, "1.1.0", {"email": None})
    code, out, _ = run_cli(["check", "--registry", "contracts"], capsys)
    assert code == 1
    assert "no registered consumer reads $.email" in out
    code, out, _ = run_cli(["check", "--registry", "contracts", "--consumers-only"], capsys)
    assert code == 0, out
    assert "--consumers-only" in out


def test_diff_of_registry_versions_names_consumer_impact(
    capsys: pytest.CaptureFixture[str],
) -> None:
    contracts = Path(__file__).resolve().parents[2] / "contracts"
    code, out, _ = run_cli(
        [
            "diff",
            "orders.order-placed@1.2.0",
            "orders.order-placed@2.0.0",
            "--registry",
            str(contracts),
        ],
        capsys,
    )
    assert code == 1
    assert "consumers: no registered consumer reads $.customer.name" in out


def test_an_undeprecated_removal_names_the_consumers_it_breaks(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``removal-not-deprecated`` names the consumers hurt, as ``bump-insufficient``
    does (it named none: a major bump removing ``name`` said only "deprecate it")."""
    monkeypatch.chdir(repo)
    (repo / "contracts" / "accord.toml").write_text(
        "[deprecation]\nrequire-deprecation-before-removal = true\n"
    )
    commit_all(repo, "the removal policy on")
    _next_version(repo, "2.0.0", {"name": None})
    code, out, _ = run_cli(["check", "--registry", "contracts", "--against", "main"], capsys)
    assert code == 1
    (line,) = [line for line in out.splitlines() if "removal-not-deprecated" in line]
    assert "removing $.name breaks billing" in line
    code, out, _ = run_cli(
        ["check", "--registry", "contracts", "--against", "main", "--format", "json"], capsys
    )
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule"] == "removal-not-deprecated"]
    assert "removing $.name breaks billing" in finding["message"]
    assert [(c["consumer"], c["status"]) for c in finding["changes"][0]["consumers"]] == [
        ("billing", "breaks")
    ]


def test_a_cached_run_naming_consumers_is_never_served_stale(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose changes name consumers is not kept as a whole run (impacts are never
    stored: a missed cache, not a stale one), but its printed output is, under the run's
    key (every file under the root): an edit of billing's expectation is a new run, never
    the cached answer. The gate names consumers by the previous
    version's range, so it has no ``outside-range`` rows (``diff --version`` has)."""
    from accord.core.cache import open_cache
    from accord.gate.check import check

    monkeypatch.chdir(repo)
    _next_version(repo, "1.1.0", {"name": None})
    argv = ["check", "--registry", "contracts", "--against", "main", "--format", "json"]
    for _ in range(2):  # the second run prints the cached output
        code, out, _ = run_cli(argv, capsys)
        (finding,) = json.loads(out)["findings"]
        assert (code, "removing $.name breaks billing" in finding["message"]) == (1, True)
    cache = open_cache(None, enabled=True)
    first = check(Path("contracts"), against="main", cache=cache)
    assert check(Path("contracts"), against="main", cache=cache) == first
    billing = repo / "contracts/consumers/billing/users.json"
    document = json.loads(billing.read_text())
    fields = document["interactions"][0]["response"]["body"]["fields"]
    fields[:] = [f for f in fields if f["path"] != "$.name"]
    billing.write_text(json.dumps(document))
    code, out, _ = run_cli(argv, capsys)
    (finding,) = json.loads(out)["findings"]
    # a new run: billing is now named from the base's expectation the change edits
    assert "breaks billing (expectation as on main: " in finding["message"]


def test_a_refused_publish_names_the_consumers_it_would_break(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``accord publish`` refusing a breaking change under a minor bump names the
    consumers it would break on each reason, as ``check`` does (it named none)."""
    document = json.loads(json.dumps(USER_1_0_0))
    document["properties"].pop("name")
    document["required"].remove("name")
    schema = tmp_path / "next.json"
    schema.write_text(json.dumps(document))
    root = repo / "contracts"
    argv = ["publish", "users.user", "--registry", str(root), "--schema", str(schema)]
    code, out, _ = run_cli([*argv, "--version", "1.1.0"], capsys)
    assert code == 1
    (reason,) = [line for line in out.splitlines() if "needs major" in line]
    assert "removing $.name breaks billing" in reason
    code, out, _ = run_cli([*argv, "--version", "1.1.0", "--format", "json"], capsys)
    assert code == 1
    (reason,) = json.loads(out)["reasons"]
    assert "removing $.name breaks billing" in reason
    assert not (root / "users" / "user" / "1.1.0.schema.json").exists()


def test_a_publish_refused_for_an_undeprecated_removal_names_the_consumers(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under the removal policy, a major version removing ``name`` is refused naming
    billing, which reads it (the reason said only "never marked deprecated")."""
    root = repo / "contracts"
    (root / "accord.toml").write_text("[deprecation]\nrequire-deprecation-before-removal = true\n")
    document = json.loads(json.dumps(USER_1_0_0))
    document["properties"].pop("name")
    document["required"].remove("name")
    schema = tmp_path / "next.json"
    schema.write_text(json.dumps(document))
    argv = ["publish", "users.user", "--registry", str(root), "--schema", str(schema)]
    code, out, _ = run_cli([*argv, "--version", "2.0.0"], capsys)
    assert code == 1
    (reason,) = [line for line in out.splitlines() if "removal-not-deprecated" in line]
    assert "removing $.name breaks billing" in reason
    assert not (root / "users" / "user" / "2.0.0.schema.json").exists()
