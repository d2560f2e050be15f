"""Pact interop: files written by pact-python in this run, imported, verified, exported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._pact import export_pact, import_pact, load_pact, parse_map
from accord.consumers._static import verify_body
from accord.errors import DocumentError, UsageError
from accord.registry.model import Registry

REPO = Path(__file__).resolve().parents[2]
MAPS = [parse_map("GET /users/{id} 200=users.user@^1")]


def _write_pacts(spec: str, out: Path) -> dict[str, Path]:
    import httpx
    from pact import Pact, match

    users = Pact("Billing Service", "users").with_specification(spec)
    (
        users.upon_receiving("a request for user 123")
        .given("user 123 exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(200)
        .with_body(
            {
                "id": match.int(123),
                "name": match.str("Ada"),
                "email": match.regex("ada@example.com", regex=r"[^@]+@[^@]+"),
                "kind": "person",
            },
            content_type="application/json",
        )
    )
    with users.serve() as srv:
        assert httpx.get(f"{srv.url}/users/123").json()["name"] == "Ada"
    users.write_file(out, overwrite=True)
    orders = Pact("Billing Service", "orders").with_specification(spec)
    (
        orders.upon_receiving("an order.placed event", "Async")
        .given("an order exists", order_id="o-1")
        .with_body(
            json.dumps({"order_id": "o-1", "status": "confirmed"}), content_type="application/json"
        )
        .with_matching_rules({"body": {"$.order_id": {"matchers": [{"match": "type"}]}}})
        .with_metadata({"contract": "orders.order-placed@^1"})
    )
    orders.verify(lambda body, meta: None, "Async")
    orders.write_file(out, overwrite=True)
    return {
        "users": out / "Billing Service-users.json",
        "orders": out / "Billing Service-orders.json",
    }


@pytest.fixture(scope="module", params=["V3", "V4"])
def pacts(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    files = _write_pacts(request.param, tmp_path_factory.mktemp(request.param))
    return {name: load_pact(path) for name, path in files.items()} | {"spec": request.param}


def test_http_interaction_imports_with_states_and_matchers(pacts: dict[str, Any]) -> None:
    doc = import_pact(pacts["users"], maps=MAPS)
    assert doc["consumer"]["name"] == "billing-service"
    assert doc["names"]["Billing Service"] == "billing-service"
    [inter] = doc["interactions"]
    assert inter["provider_states"] == [{"name": "user 123 exists", "params": {"id": 123}}]
    body = inter["response"]["body"]
    assert body["contract"] == "users.user@^1"
    fields = {f["path"]: f for f in body["fields"]}
    assert fields["$.id"]["match"] == "integer"
    assert fields["$.email"] == {"path": "$.email", "match": "regex", "regex": "[^@]+@[^@]+"}
    assert fields["$.kind"] == {
        "path": "$.kind",
        "match": "equals",
        "value": "person",
        "pinned": True,
    }


def test_message_imports_bound_by_metadata(pacts: dict[str, Any]) -> None:
    doc = import_pact(pacts["orders"])
    [msg] = doc["interactions"]
    assert msg["type"] == "message"
    assert msg["body"]["contract"] == "orders.order-placed@^1"
    assert {f["path"]: f["match"] for f in msg["body"]["fields"]} == {
        "$.order_id": "like",
        "$.status": "equals",
    }


def test_imported_pacts_verify_statically(pacts: dict[str, Any]) -> None:
    registry = Registry.load(REPO / "contracts")
    msg = import_pact(pacts["orders"])["interactions"][0]["body"]
    # the status is pinned to "confirmed" without a matcher: a pinned-literal refutation
    outcome = verify_body(registry.bundle("orders.order-placed@1.2.0"), msg["fields"], "reads")
    assert outcome.verdict == "refuted"
    assert outcome.klass == "pinned-literal"
    assert outcome.witness["status"] != "confirmed"
    relaxed = verify_body(
        registry.bundle("orders.order-placed@1.2.0"),
        msg["fields"],
        "reads",
        literals_as_examples=True,
    )
    assert relaxed.verdict == "proven"


def test_unmapped_interaction_is_a_clear_error_when_a_contract_is_required(
    pacts: dict[str, Any],
) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(pacts["users"], maps=[], require_contract=True)
    assert info.value.code == "pact-unmapped"
    assert "GET /users/123 200" in info.value.message
    assert "--map" in info.value.message


def test_export_v4_round_trips(pacts: dict[str, Any]) -> None:
    doc = import_pact(pacts["users"], maps=MAPS)
    exported = export_pact(doc)
    assert exported["metadata"]["pactSpecification"]["version"] == "4.0"
    assert exported["consumer"]["name"] == "Billing Service"
    again = import_pact(exported, maps=MAPS)
    assert again["interactions"] == doc["interactions"]


V2 = {
    "consumer": {"name": "web"},
    "provider": {"name": "users"},
    "interactions": [
        {
            "description": "list",
            "providerState": "users exist",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {
                "status": 200,
                "body": {"tags": ["a", "b"], "meta": {"n": 1, "ok": True}},
                "matchingRules": {
                    "$.body.tags": {"min": 1, "match": "type"},
                    "$.body.meta": {"match": "type"},
                },
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}


def test_v2_paths_type_cascade_and_min() -> None:
    doc = import_pact(V2, maps=MAPS)
    inter = doc["interactions"][0]
    assert inter["provider_states"] == [{"name": "users exist"}]
    fields = {f["path"]: f for f in inter["response"]["body"]["fields"]}
    assert fields["$.tags"] == {"path": "$.tags", "match": "array", "min": 1}
    assert fields["$.tags[*]"]["match"] == "like"
    assert fields["$.meta.n"] == {"path": "$.meta.n", "match": "like", "example": 1}
    assert fields["$.meta.ok"]["match"] == "like"


def test_combine_or_and_generators_are_kept() -> None:
    doc = {
        "consumer": {"name": "web"},
        "provider": {"name": "users"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "get",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": 200,
                    "body": {
                        "content": {"id": 1},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                    "matchingRules": {
                        "body": {
                            "$.id": {
                                "combine": "OR",
                                "matchers": [{"match": "integer"}, {"match": "null"}],
                            }
                        }
                    },
                    "generators": {
                        "body": {"$.id": {"type": "ProviderState", "expression": "${id}"}}
                    },
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    out = import_pact(doc, maps=MAPS)["interactions"][0]["response"]
    # OR with a null matcher is accord's nullable (what accord's export writes for it)
    assert out["body"]["fields"][0] == {"path": "$.id", "match": "integer", "nullable": True}
    assert out["generators"]["body"]["$.id"]["expression"] == "${id}"


@pytest.mark.parametrize(
    "text", ["GET /users", "users.user@^1", "GET users=users.user@^1", "GET /u 2xx=users.user@^1"]
)
def test_bad_map_entries(text: str) -> None:
    with pytest.raises(UsageError):
        parse_map(text)


# -- one consumer-provider pair is one Pact file; accord's binding round-trips ------------


def _billing(
    name: str, description: str, path: str, status: int, provider: str | None = None
) -> Any:
    from accord.consumers import Expectation, integer, string

    e = Expectation("billing", version="1.4.0", branch="main", name=name, provider=provider)
    body = {"id": integer(123), "name": string("Ada")} if status == 200 else None
    inter = e.upon_receiving(description).with_request("GET", path)
    if body is None:
        inter.will_respond_with(status)
    else:
        inter.will_respond_with(status, contract="users.user@^1", body=body)
    return e


def _registry_with_users(tmp_path: Path) -> Path:
    import shutil

    reg = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", reg, ignore=shutil.ignore_patterns("consumers"))
    return reg


class _Users:
    """A users provider on 127.0.0.1; a broken one answers 200 where billing relies on a 404."""

    def __init__(self, *, broken: bool) -> None:
        self.broken = broken

    def __enter__(self) -> str:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        broken = self.broken

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                data = json.dumps({"id": 123, "name": "Ada", "email": "a@b.c"}).encode()
                self.send_response(200 if broken or self.path == "/users/123" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.timeout(120)
def test_export_merges_one_pair_and_the_real_verifier_fails_a_broken_provider(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pact import Verifier

    from accord.cli import main

    reg = _registry_with_users(tmp_path)
    # two expectation files of billing -> users-service: one names it, the other's
    # provider is contract.toml's (users.user's provider)
    _billing("users", "get user 123", "/users/123", 200).write(reg)
    _billing("users-404", "get a missing user", "/users/404", 404, "users-service").write(reg)
    assert main(["pact", "export", "--out", str(tmp_path / "pacts"), "--registry", str(reg)]) == 0
    assert sorted(p.name for p in (tmp_path / "pacts").iterdir()) == ["billing-users-service.json"]
    pact = json.loads((tmp_path / "pacts/billing-users-service.json").read_text())
    assert pact["provider"]["name"] == "users-service"
    assert sorted(i["description"] for i in pact["interactions"]) == [
        "get a missing user",
        "get user 123",
    ]
    for broken in (False, True):
        with _Users(broken=broken) as url:
            verifier = Verifier("users-service", host="127.0.0.1").add_transport(url=url)
            verifier.add_source(tmp_path / "pacts/billing-users-service.json")
            if broken:
                with pytest.raises(RuntimeError):
                    verifier.verify()
            else:
                verifier.verify()


def test_export_refuses_a_changed_duplicate_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = _registry_with_users(tmp_path)
    _billing("users", "get user 123", "/users/123", 200).write(reg)
    _billing("users-old", "get user 123", "/users/1", 200).write(reg)
    code = main(["pact", "export", "--out", str(tmp_path / "pacts"), "--registry", str(reg)])
    assert code == 2
    assert "expectation-conflict" in capsys.readouterr().err
    assert not (tmp_path / "pacts").exists()


def test_export_without_a_provider_anywhere_is_refused(tmp_path: Path) -> None:
    from accord.consumers._pact import export_pacts

    doc = _billing("users", "get user 123", "/users/123", 200).to_json()
    with pytest.raises(UsageError) as info:
        export_pacts([("consumers/billing/users.json", doc)], lambda d, i: None)
    assert info.value.code == "pact-no-provider"


def test_accord_to_pact_v4_to_accord_is_the_same_expectation(tmp_path: Path) -> None:
    from accord.consumers import Expectation, each_like, enum, integer, nullable, optional, string

    e = Expectation("Billing Service", version="1.4.0", branch="main", provider="users-service")
    e.reads("users.user@^1").field("$.email", optional(string("a@b.c")))
    (
        e.upon_receiving("get user 123")
        .given("user 123 exists", id=123)
        .with_request("GET", "/users/123", headers={"X-Api-Key": "k"})
        .will_respond_with(
            200,
            contract="users.user@^1",
            body={
                "id": integer(123),
                "name": nullable(string("Ada")),
                "tags": each_like(string("vip")),
                "tier": enum(1, 2),
            },
        )
    )
    e.message("an order.placed event", "orders.order-placed@^1", {"order_id": string("o-1")})
    doc = e.to_json()
    pact_file = tmp_path / "billing-users.json"
    pact_file.write_text(json.dumps(export_pact(doc), indent=2))
    back = import_pact(load_pact(pact_file), file=str(pact_file), require_contract=True)
    # the expectation itself, with no `source` added (it came from accord, not the Pact
    # file): export -> import -> export is stable, and so is every later round
    assert back == doc
    assert export_pact(back) == export_pact(doc)


def test_a_round_trip_keeps_the_expectations_own_source(pacts: dict[str, Any]) -> None:
    """An expectation imported from a foreign Pact file names that file in ``source``; an
    export and import of it gives the same ``source`` back, not the exported file's."""
    first = import_pact(pacts["users"], file="/x/web-users.json")
    spec = int(pacts["spec"][1])
    assert first["source"] == {"pact_file": "web-users.json", "pact_specification": spec}
    back = import_pact(export_pact(first), file="/y/web-users-again.json")
    assert back == first


def test_a_pact_edited_by_pact_tooling_is_the_source_of_what_it_changed() -> None:
    """Once a Pact tool changed an interaction, the expectation is partly the Pact file's:
    its ``source`` names the file (as for any foreign Pact file)."""
    doc = _billing("users", "get user 123", "/users/123", 200, "users-service").to_json()
    exported = export_pact(doc)
    exported["interactions"][0]["pending"] = True  # edited by a Pact tool
    back = import_pact(exported, file="/x/billing-users-service.json")
    assert back["source"] == {"pact_file": "billing-users-service.json", "pact_specification": 4}


def test_pact_tooling_edits_keep_accords_binding(tmp_path: Path) -> None:
    doc = _billing("users", "get user 123", "/users/123", 200).to_json()
    doc["provider"] = "users-service"
    exported = export_pact(doc)
    exported["interactions"][0]["response"]["status"] = 200  # unchanged: restored verbatim
    exported["interactions"][0]["pending"] = True  # edited by a Pact tool
    back = import_pact(exported, require_contract=True)
    body = back["interactions"][0]["response"]["body"]
    assert body["contract"] == "users.user@^1"  # the binding survives the edit
    assert back["consumer"] == {"name": "billing", "version": "1.4.0", "branch": "main"}


def test_import_without_a_map_keeps_bodies_unbound(pacts: dict[str, Any]) -> None:
    doc = import_pact(pacts["users"])
    [inter] = doc["interactions"]
    assert inter["response"]["body"]["contract"] is None
    assert {f["path"] for f in inter["response"]["body"]["fields"]} >= {"$.id", "$.name"}


def test_cli_export_then_import_gives_the_recorded_expectation_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = _registry_with_users(tmp_path)
    written = _billing("users", "get user 123", "/users/123", 200, "users-service").write(reg)
    _billing("users", "get a missing user", "/users/404", 404, "users-service").write(reg)
    recorded = json.loads(written.read_text())
    assert main(["pact", "export", "--out", str(tmp_path / "pacts"), "--registry", str(reg)]) == 0
    other = tmp_path / "other"
    pact_file = str(tmp_path / "pacts/billing-users-service.json")
    assert main(["pact", "import", pact_file, "--require-contract", "--registry", str(other)]) == 0
    back = json.loads((other / "consumers/billing/users-service.json").read_text())
    assert back == recorded  # no `source` added: the expectation came from accord
    again = tmp_path / "pacts-again"
    assert main(["pact", "export", "--out", str(again), "--registry", str(other)]) == 0
    assert (again / "billing-users-service.json").read_bytes() == Path(pact_file).read_bytes()


def test_cli_round_trip_of_an_imported_pact_keeps_its_source(
    pacts: dict[str, Any], tmp_path: Path
) -> None:
    """An expectation imported from a foreign Pact file, exported and imported elsewhere,
    is the same file: its ``source`` still names the foreign Pact file."""
    from accord.cli import main

    foreign = tmp_path / "Billing Service-users.json"
    foreign.write_text(json.dumps(pacts["users"]))
    first, other = tmp_path / "first", tmp_path / "other"
    assert main(["pact", "import", str(foreign), "--registry", str(first)]) == 0
    assert main(["pact", "export", "--out", str(tmp_path / "out"), "--registry", str(first)]) == 0
    exported = str(tmp_path / "out/billing-service-users.json")
    assert main(["pact", "import", exported, "--registry", str(other)]) == 0
    name = "consumers/billing-service/users.json"
    assert json.loads((first / name).read_text())["source"]["pact_file"] == foreign.name
    assert (other / name).read_bytes() == (first / name).read_bytes()


def _broker_pact(version: Any) -> dict[str, Any]:
    """A pact as a Pact Broker serves it: the Pact, plus ``createdAt`` and HAL links."""
    base = "https://broker.example/pacts/provider/users/consumer/Web"
    return {
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
        "createdAt": "2024-05-01T12:00:00+00:00",
        "_links": {
            "self": {"href": f"{base}/version/1.4.0"},
            "pb:consumer-version": {"title": "Consumer version", "name": version},
            "pb:publish-verification-results": {"href": f"{base}/pact-version/abc"},
        },
    }


def test_a_pact_from_a_broker_keeps_the_consumer_version_the_broker_states() -> None:
    doc = import_pact(_broker_pact("1.4.0"), file="broker.json")
    assert doc["consumer"] == {"name": "web", "version": "1.4.0"}
    with pytest.raises(DocumentError) as info:
        import_pact(_broker_pact(14), file="broker.json")
    assert (info.value.code, info.value.pointer) == ("pact-invalid", "/_links/pb:consumer-version")


@pytest.mark.parametrize(
    "text",
    [
        "[tool.accord.pact\nmap = [",
        "[tool.accord.pact]\nmap = " + "[" * 5000 + "]" * 5000 + "\n",
        "[tool.accord.pact]\nmap = 'x'\n\udc80",
        "[tool.accord]\npact = 3\n",
    ],
    ids=["malformed", "deep", "not-utf8", "pact-not-a-table"],
)
def test_pact_import_with_a_bad_pyproject_is_exit_2_naming_it(
    pacts: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
) -> None:
    """``[tool.accord.pact] map`` is read from the nearest pyproject.toml: a malformed
    one (or one nesting thousands of arrays, or not UTF-8, or with ``pact`` no table)
    was a traceback (exit 3), read by a bare ``tomllib``. Now the TOML reader of
    accord.toml reads it."""
    from accord.cli import main

    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    pact = project / "users.json"
    pact.write_text(json.dumps(pacts["users"]))
    monkeypatch.chdir(project)
    code = main(["pact", "import", str(pact), "--registry", str(tmp_path / "reg")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "pyproject.toml" in err
    assert "Traceback" not in err
    assert not (tmp_path / "reg" / "consumers").exists()
