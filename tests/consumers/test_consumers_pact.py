"""Pact interop: files written by pact-python in this run, imported, verified, exported."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._pact import export_pact, import_pact, load_pact, parse_map
from accord.consumers._static import verify_body
from accord.errors import DocumentError, UsageError
from accord.registry import Registry

os.environ.setdefault("PACT_DO_NOT_TRACK", "1")

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


def test_unmapped_interaction_is_a_clear_error(pacts: dict[str, Any]) -> None:
    with pytest.raises(DocumentError) as info:
        import_pact(pacts["users"], maps=[])
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
    assert out["body"]["fields"][0]["match"] == "one_of"
    assert out["generators"]["body"]["$.id"]["expression"] == "${id}"


@pytest.mark.parametrize(
    "text", ["GET /users", "users.user@^1", "GET users=users.user@^1", "GET /u 2xx=users.user@^1"]
)
def test_bad_map_entries(text: str) -> None:
    with pytest.raises(UsageError):
        parse_map(text)
