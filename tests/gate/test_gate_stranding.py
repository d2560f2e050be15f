"""The gate fails when a yank or retire strands a consumer or a service's requirement.

``accord yank`` of the only version a verified consumer and a service's startup check
rely on used to pass ``check --against main``: nothing resolves ``users.user@^1`` any
more, and the service fails at boot instead of in CI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _gate_helpers import commit_all, init_repo, run_cli, write_unpublished

from accord.consumers import Expectation, integer
from accord.gate.check import check

USER: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "integer"}},
    "required": ["id"],
}
TOML = 'owner = "team-users"\nkind = "response"\nprovider = "users-service"\n'
PYPROJECT = """\
[tool.accord]
registry = "contracts"

[tool.accord.service]
name = "orders-service"
consumes = [{ ref = "users.user@^1", model = "orders_service.models:User" }]
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    init_repo(repo)
    root = repo / "contracts"
    (root / "users" / "user").mkdir(parents=True)
    (root / "users" / "user" / "contract.toml").write_text(TOML)
    write_unpublished(root, "users.user", "1.0.0", USER)
    e = Expectation("billing", name="users")
    e.upon_receiving("get user").with_request("GET", "/users/1").will_respond_with(
        200, contract="users.user@^1", body={"id": integer(1)}
    )
    e.write(root)
    commit_all(repo, "users.user 1.0.0 and billing's expectation")
    return repo


def _edit_toml(repo: Path, extra: str) -> None:
    (repo / "contracts" / "users" / "user" / "contract.toml").write_text(TOML + extra)
    commit_all(repo, extra)


STRANDING = [
    pytest.param('\n[yanked]\n"1.0.0" = "leaks emails"\n', "yanked", id="yank"),
    pytest.param('status = "retired"\n', "retired", id="retire"),
]


@pytest.mark.parametrize(("extra", "why"), STRANDING)
@pytest.mark.parametrize("against", [None, "main~1"], ids=["alone", "against"])
def test_stranded_consumer_fails_the_gate(
    repo: Path, extra: str, why: str, against: str | None
) -> None:
    _edit_toml(repo, extra)
    report = check(repo / "contracts", against=against)
    found = [f for f in report.findings if f.rule == "range-stranded"]
    assert [(f.severity, f.contract, f.file) for f in found] == [
        ("error", "users.user", "consumers/billing/users.json")
    ]
    assert "consumer billing" in found[0].message
    assert why in found[0].message
    assert report.exit_code() == 1


def test_yank_with_a_fallback_strands_nobody(repo: Path) -> None:
    write_unpublished(repo / "contracts", "users.user", "1.1.0", USER)
    _edit_toml(repo, '\n[yanked]\n"1.0.0" = "leaks emails"\n')
    report = check(repo / "contracts", against="main~1")
    assert [f.rule for f in report.findings if f.rule == "range-stranded"] == []


def test_stranded_service_requirement_fails_the_cli(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "pyproject.toml").write_text(PYPROJECT)
    # only the service relies on the contract now
    for path in (repo / "contracts" / "consumers").rglob("*.json"):
        path.unlink()
    commit_all(repo, "billing leaves")  # on its own: in the yank's change it still counts
    _edit_toml(repo, '\n[yanked]\n"1.0.0" = "leaks emails"\n')
    monkeypatch.chdir(repo)
    code, out, _ = run_cli(["check", "--against", "main~1", "--format", "json"], capsys)
    assert code == 1
    found = [f for f in json.loads(out)["findings"] if f["rule"] == "range-stranded"]
    assert len(found) == 1
    assert "service orders-service relies on users.user@^1" in found[0]["message"]
