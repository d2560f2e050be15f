"""Static verification verdicts, impact analysis (the seed scenario), pending, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.compat import diff
from accord.consumers import Expectation, datetime, integer, optional, regex, string
from accord.consumers._impact import annotate, consumers_only_blocking, describe, field_usage
from accord.consumers._static import verify_body, verify_static
from accord.registry.model import Registry

REPO = Path(__file__).resolve().parents[2]
USER_V1 = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "name": {"type": "string"},
        "email": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
    },
    "required": ["id", "name", "email"],
}


def _fields(e: Expectation) -> list[dict[str, object]]:
    return list(e.to_json()["reads"][0]["fields"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expectation", "verdict"),
    [
        (
            Expectation("b")
            .reads("users.user@^1")
            .field("$.name", string())
            .field("$.id", integer()),
            "proven",
        ),
        (
            Expectation("b").reads("users.user@^1").field("$.created_at", optional(datetime())),
            "proven",
        ),
        (Expectation("b").reads("users.user@^1").field("$.created_at", datetime()), "refuted"),
        (Expectation("b").reads("users.user@^1").field("$.email", regex("[^@]+@[^@]+")), "refuted"),
        (
            Expectation("b").reads("users.user@^1").field("$.email", regex("[^@]+@[^@]+")),
            "proven",
        ),
        (
            Expectation("b").reads("users.user@^1").field("$.email", regex("(?=[a-z])[^@]+@[^@]+")),
            "undecided",
        ),
    ],
    ids=[
        "proven",
        "optional-honoured",
        "needs-optional-field",
        "regex-refuted",
        "regex-inclusion-proven",
        "regex-lookahead-undecided",
    ],
)
def test_static_verdicts(expectation: Expectation, verdict: str) -> None:
    provider = json.loads(json.dumps(USER_V1))
    if "regex" in json.dumps(expectation.to_json()) and verdict != "refuted":
        # regex inclusion between two different patterns: decided on automata, except
        # where the consumer's pattern uses lookaround (not a regular construct)
        provider["properties"]["email"]["pattern"] = "^[a-z]+@[a-z]+[.][a-z]+$"
    outcome = verify_body(provider, _fields(expectation), "reads")
    assert outcome.verdict == verdict
    if verdict == "refuted":
        assert outcome.has_witness
        assert outcome.mismatches
        assert all(m.path in ("$.created_at", "$.email") for m in outcome.mismatches)


def test_request_direction_consumer_may_send_what_provider_rejects() -> None:
    fields = [{"path": "$.id", "match": "integer"}]
    outcome = verify_body(USER_V1 | {"required": ["id"]}, fields, "writes")
    assert outcome.verdict == "refuted"
    assert outcome.witness["id"] < 1


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(REPO / "contracts", root, ignore=shutil.ignore_patterns("consumers"))
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
    Expectation("search", name="users").reads("users.user@^1").field("$.id", integer()).write(root)
    return root


def test_seed_scenario_rename_fails_naming_consumer_and_field(registry: Path) -> None:
    reg = Registry.load(registry)
    old = reg.bundle("users.user@1.1.0")
    new = json.loads(json.dumps(old))
    new["properties"]["username"] = new["properties"].pop("name")
    new["required"] = ["id", "username", "email"]
    report = annotate(diff(old, new), registry, "users.user", old_version="1.1.0", new_schema=new)
    assert not report.compatible
    [removal] = [
        c for c in report.changes if c.rule == "property-removed" and c.instance_path == "/name"
    ]
    by_name = {i.consumer: i for i in removal.consumers}
    assert by_name["billing"].status == "breaks"
    assert by_name["billing"].fields == ("$.name",)
    assert by_name["search"].status == "does-not-read"
    text = describe(removal)
    assert text.startswith("removing $.name breaks billing (reads $.name as non-null string)")
    assert "search does not read it" in text
    # pending until a verification record shows the expectation verified once
    assert by_name["billing"].pending
    assert consumers_only_blocking(report) == ()


def test_verified_expectation_blocks_under_consumers_only(registry: Path) -> None:
    reg = Registry.load(registry)
    [usage] = [
        u
        for u in field_usage(registry, "users.user")
        if u.consumer == "billing" and u.path == "$.name"
    ]
    from accord.consumers._model import discover

    billing = next(ef for ef in discover(registry) if ef.consumer == "billing")
    record = {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": "1.1.0",
        "verified_at": "2024-05-01T12:00:00Z",
        "results": [
            {
                "consumer": "billing",
                "expectation": billing.file,
                "digest": billing.digest,
                "success": True,
            }
        ],
    }
    (registry / "verifications/users-service").mkdir(parents=True)
    (registry / "verifications/users-service/1.1.0.json").write_text(json.dumps(record))
    old = reg.bundle("users.user@1.1.0")
    new = json.loads(json.dumps(old))
    del new["properties"]["name"]
    new["required"] = ["id", "email"]
    report = annotate(diff(old, new), registry, "users.user", old_version="1.1.0", new_schema=new)
    assert usage.pending
    assert [c.instance_path for c in consumers_only_blocking(report)] == ["/name"]


def test_removal_nobody_reads_is_reported_as_such(registry: Path) -> None:
    reg = Registry.load(registry)
    old = reg.bundle("users.user@1.1.0")
    new = json.loads(json.dumps(old))
    del new["properties"]["email"]
    new["required"] = ["id", "name"]
    report = annotate(diff(old, new), registry, "users.user", old_version="1.1.0", new_schema=new)
    [removal] = [c for c in report.changes if c.rule == "property-removed"]
    assert {i.status for i in removal.consumers} == {"does-not-read"}
    assert describe(removal).startswith("no registered consumer reads $.email")
    assert removal.to_json()["consumers"][0]["status"] == "does-not-read"


def test_a_consumer_on_a_range_the_new_version_is_outside_is_named_as_such(
    registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # billing reads $.name on ^1: 2.0.0 is never served to it, so it does not break,
    # but "no registered consumer reads $.name" would say nobody reads it at all.
    reg = Registry.load(registry)
    old = reg.bundle("users.user@1.1.0")
    new = json.loads(json.dumps(old))
    del new["properties"]["name"]
    new["required"] = ["id", "email"]
    report = annotate(
        diff(old, new),
        registry,
        "users.user",
        old_version="1.1.0",
        new_version="2.0.0",
        new_schema=new,
    )
    [removal] = [c for c in report.changes if c.rule == "property-removed"]
    assert [(i.consumer, i.status) for i in removal.consumers] == [("billing", "outside-range")]
    assert removal.consumers[0].to_json()["ranges"] == ["^1"]
    line = describe(removal)
    assert "no registered consumer reads" not in line
    assert line == (
        "removing $.name breaks no registered consumer; "
        "billing reads $.name on ^1, which 2.0.0 is not in"
    )
    assert consumers_only_blocking(report) == ()
    new_file = tmp_path / "new.json"
    new_file.write_text(json.dumps(new))
    args = ["diff", "users.user@1.1.0", str(new_file), "--version", "2.0.0"]
    main([*args, "--registry", str(registry)])
    assert "billing reads $.name on ^1, which 2.0.0 is not in" in capsys.readouterr().out


def test_cli_verify_static_and_consumers(
    registry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--static", "--registry", str(registry), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"]
    assert result["counts"]["refuted"] == 0
    assert all(r["pending"] for r in result["results"])
    assert main(["consumers", "users.user", "--registry", str(registry)]) == 0
    shown = capsys.readouterr().out
    assert "billing (pending)" in shown
    assert "$.name" in shown


def test_cli_pact_import_unmapped_is_kept_unbound_unless_a_contract_is_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pact = tmp_path / "p.json"
    pact.write_text(
        json.dumps(
            {
                "consumer": {"name": "Web"},
                "provider": {"name": "users"},
                "interactions": [
                    {
                        "description": "get",
                        "request": {"method": "GET", "path": "/users/1"},
                        "response": {"status": 200, "body": {"id": 1}},
                    }
                ],
                "metadata": {"pactSpecification": {"version": "3.0.0"}},
            }
        )
    )
    reg = tmp_path / "reg"
    argv = ["pact", "import", str(pact), "--registry", str(reg)]
    assert main([*argv, "--require-contract"]) == 2
    assert "pact-unmapped" in capsys.readouterr().err
    assert not reg.exists()
    # a schema-less response is kept with its matchers (provider verification checks them)
    assert main(argv) == 0
    out = capsys.readouterr().out
    # counts in singular and plural, not "(1 interaction(s))", "1 bod(ies)"
    assert f"-> {reg / 'consumers/web/users.json'} (1 interaction)\n" in out
    assert "note: 1 body bound to no contract" in out
    kept = json.loads((reg / "consumers/web/users.json").read_text())
    body = kept["interactions"][0]["response"]["body"]
    assert body["contract"] is None
    assert body["fields"] == [{"path": "$.id", "match": "equals", "value": 1, "pinned": True}]
    # static verification: no schema to prove from, so unbound, verified dynamically only
    assert main(["verify", "--static", "--registry", str(reg)]) == 0
    out = capsys.readouterr().out
    assert "UNBOUND   web: get (200) -> no contract" in out
    assert "not bound to a contract: verified dynamically only" in out
    assert "0 proven, 0 refuted, 0 undecided, 1 unbound (verified dynamically only" in out
    strict = ["verify", "--static", "--require-contract", "--registry", str(reg)]
    assert main([*strict, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["counts"]["unbound"]) == (False, 1)
    dynamic = ["verify", "--provider", "users", "--require-contract", "--registry", str(reg)]
    assert main(dynamic) == 2
    assert "applies to --static" in capsys.readouterr().err
    (reg / "consumers/web/users.json").unlink()
    assert (
        main(
            [
                "pact",
                "import",
                str(pact),
                "--registry",
                str(tmp_path / "reg"),
                "--map",
                "GET /users/{id} 200=users.user@^1",
            ]
        )
        == 0
    )
    assert (tmp_path / "reg/consumers/web/users.json").is_file()


def test_verify_static_on_the_example_registry() -> None:
    report = verify_static(Registry.load(REPO / "contracts"))
    assert report.ok
    assert {r.consumer for r in report.results} == {"billing"}
