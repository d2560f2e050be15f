"""Sync messages verified dynamically, verification results keyed by content and
accumulated per provider version, message metadata, message-only providers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _provider_support import Users, add_contract, billing_expectation, write_doc, wsgi_app

from accord.cli import main
from accord.consumers._model import load
from accord.consumers._records import is_pending, load_records, verified_digests
from accord.provider import (
    MessageRegistry,
    Produced,
    StateRegistry,
    app_target,
    can_i_deploy,
    record_deployment,
    record_verification,
    verify_provider,
)
from accord.registry.model import Registry

PRICE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"sku": {"type": "string"}, "price": {"type": "number"}},
    "required": ["sku", "price"],
}


def _sync_doc(version: str = "3.1.0") -> dict[str, Any]:
    return {
        "format_version": 1,
        "consumer": {"name": "checkout", "version": version},
        "interactions": [
            {
                "type": "sync-message",
                "description": "price of a sku",
                "request": {
                    "body": {
                        "contract": None,
                        "example": {"sku": "A-1"},
                        "fields": [{"path": "$.sku", "match": "string"}],
                    }
                },
                "responses": [
                    {
                        "body": {
                            "contract": "pricing.price@^1",
                            "example": {"sku": "A-1", "price": 9.5},
                            "fields": [{"path": "$.price", "match": "number"}],
                        }
                    }
                ],
            }
        ],
    }


@pytest.fixture
def pricing_root(registry_root: Path) -> Path:
    add_contract(registry_root, "pricing.price", "pricing-service", PRICE_SCHEMA)
    write_doc(registry_root, "checkout", "pricing", _sync_doc())
    return registry_root


def _pricing(price: Any) -> MessageRegistry:
    producers = MessageRegistry()

    def quote(request: dict[str, Any]) -> dict[str, Any]:
        return {"sku": request["sku"], "price": price}

    producers.register("price of a sku", quote)
    return producers


# -- 4. synchronous messages are verified, not skipped -----------------------------------


@pytest.mark.parametrize(
    ("price", "verdict"),
    [
        pytest.param(9.5, "passed", id="honours"),
        pytest.param("not-a-number", "contract-violation", id="string-price"),
    ],
)
def test_sync_message_is_verified_dynamically(pricing_root: Path, price: Any, verdict: str) -> None:
    report = verify_provider(
        Registry.load(pricing_root),
        "pricing-service",
        producers=_pricing(price),
        provider_version="2.0.0",
    )
    assert not report.skipped
    [result] = report.results
    assert (result.kind, result.verdict) == ("sync-message", verdict), result.message()
    assert report.ok is (verdict == "passed")
    if verdict != "passed":
        assert "$.price" in result.message()
        record = report.to_record("2024-05-01T12:00:00Z")
        [entry] = record["results"]
        assert entry["success"] is False


def test_sync_message_producer_receives_the_request(pricing_root: Path) -> None:
    seen: list[Any] = []
    producers = MessageRegistry()

    def quote(request: Any) -> Produced:
        seen.append(request)
        return Produced({"sku": "A-1", "price": 1})

    producers.register("price of a sku", quote)
    report = verify_provider(Registry.load(pricing_root), "pricing-service", producers=producers)
    assert report.ok, report.render_text()
    assert seen == [{"sku": "A-1"}]


def test_sync_message_consumer_counts_in_can_i_deploy(pricing_root: Path) -> None:
    record_deployment(pricing_root, "checkout", "3.1.0", "production")
    record_deployment(pricing_root, "pricing-service", "2.0.0", "production")
    decision = can_i_deploy(Registry.load(pricing_root), "pricing-service", "2.0.0", "production")
    assert not decision.safe
    assert [(r.consumer, r.status) for r in decision.matrix] == [("checkout", "missing")]


# -- 5./6. results keyed by content, accumulated per provider version ------------------


def _users_states() -> StateRegistry:
    states = StateRegistry()

    @states.state("user exists")
    def user_exists(id: int) -> None:
        pass

    return states


def _verify_and_record(root: Path, provider_version: str, **kwargs: Any) -> Any:
    users = Users()
    users.rows[123] = {"id": 123, "name": "Ada", "email": "ada@example.com"}
    target = app_target(wsgi_app(users))
    try:
        report = verify_provider(
            Registry.load(root),
            "users-service",
            target=target,
            states=_users_states(),
            provider_version=provider_version,
            **kwargs,
        )
    finally:
        target.close()
    if report.results:
        record_verification(root, report.to_record("2024-05-01T12:00:00Z"))
    return report


def test_rerecording_a_provider_version_keeps_earlier_results(registry_root: Path) -> None:
    assert _verify_and_record(registry_root, "2.0.0").ok
    billing_expectation(version="1.5.0").write(registry_root)  # identical content
    assert _verify_and_record(registry_root, "2.0.0").ok
    [record] = load_records(registry_root, "users-service")
    assert sorted(r["consumer_version"] for r in record["results"]) == ["1.4.0", "1.5.0"]
    record_deployment(registry_root, "billing", "1.4.0", "production")
    decision = can_i_deploy(Registry.load(registry_root), "users-service", "2.0.0", "production")
    assert decision.safe, decision.reasons
    # the deployed selector finds 1.4.0's expectations by their content
    report = _verify_and_record(registry_root, "2.1.0", selectors=["deployed"])
    assert len(report.results) == 1
    assert report.ok


def test_deployed_version_with_unknown_expectations_is_not_a_pass(registry_root: Path) -> None:
    record_deployment(registry_root, "billing", "1.3.0", "production")  # nothing known of 1.3.0
    report = _verify_and_record(registry_root, "2.0.0", selectors=["deployed"])
    assert report.results == ()
    assert not report.ok
    assert "billing 1.3.0" in report.render_text()


def test_a_version_bump_alone_keeps_a_verified_expectation_verified(registry_root: Path) -> None:
    assert _verify_and_record(registry_root, "2.0.0").ok
    billing_expectation(version="1.5.0", branch="feature").write(registry_root)
    ef = load(registry_root / "consumers" / "billing" / "users.json", root=registry_root)
    verified = verified_digests(load_records(registry_root))
    assert not is_pending(ef.consumer, ef.digest, verified, content_digest=ef.content_digest)
    report = _verify_and_record(registry_root, "2.1.0")
    assert [r.pending for r in report.results] == [False]
    # a new provider version is verified for 1.5.0 by 1.4.0's result of the same content
    record_deployment(registry_root, "billing", "1.5.0", "production")
    decision = can_i_deploy(Registry.load(registry_root), "users-service", "2.0.0", "production")
    assert decision.safe, decision.reasons
    # and the new consumer version may deploy beside the provider verified for 1.4.0
    record_deployment(registry_root, "users-service", "2.0.0", "production")
    decision = can_i_deploy(Registry.load(registry_root), "billing", "1.5.0", "production")
    assert decision.safe, decision.reasons
    assert [r.status for r in decision.matrix] == ["verified"]


def test_a_content_change_makes_the_expectation_pending_again(registry_root: Path) -> None:
    assert _verify_and_record(registry_root, "2.0.0").ok
    doc = json.loads((registry_root / "consumers" / "billing" / "users.json").read_text())
    doc["interactions"][0]["response"]["body"]["fields"].append(
        {"path": "$.nickname", "match": "string"}
    )
    write_doc(registry_root, "billing", "users", doc)
    ef = load(registry_root / "consumers" / "billing" / "users.json", root=registry_root)
    verified = verified_digests(load_records(registry_root))
    assert is_pending(ef.consumer, ef.digest, verified, content_digest=ef.content_digest)


def test_legacy_record_without_content_digest_still_counts(registry_root: Path) -> None:
    ef = load(registry_root / "consumers" / "billing" / "users.json", root=registry_root)
    verified = verified_digests(
        [{"results": [{"consumer": "billing", "digest": ef.digest, "success": True}]}]
    )
    assert not is_pending(ef.consumer, ef.digest, verified, content_digest=ef.content_digest)


# -- 9. messages: metadata, message-only producers --------------------------------------


def _order_expectation(root: Path, **metadata: Any) -> None:
    from accord.consumers import Expectation, integer, string

    e = Expectation("billing", version="1.4.0", name="orders")
    e.message(
        "an order.placed event",
        "orders.order-placed@^1",
        {"order_id": string("o-1"), "total": integer(12)},
        metadata=metadata,
    )
    e.write(root)


@pytest.mark.parametrize(
    ("produced", "why"),
    [
        pytest.param({"order_id": "o-9", "total": 30}, "is missing", id="no-metadata"),
        pytest.param(
            Produced({"order_id": "o-9", "total": 30}, {"kind": "refund"}),
            "expected 'order'",
            id="other-metadata",
        ),
    ],
)
def test_expected_metadata_is_checked(registry_root: Path, produced: Any, why: str) -> None:
    _order_expectation(registry_root, kind="order")
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: produced)
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    [result] = report.results
    assert result.verdict == "mismatch", result.message()
    assert why in result.message()
    assert "never promised" not in result.message()
    assert not report.ok


PRODUCER_MODULE = """
from accord import message_producer

@message_producer("an order.placed event")
def order_placed():
    return {"order_id": "o-9", "total": 30}
"""


def test_message_only_provider_needs_no_app(
    registry_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _order_expectation(registry_root)
    (tmp_path / "orders_producers_mod.py").write_text(PRODUCER_MODULE, encoding="utf-8")
    argv = [
        "verify",
        "--provider",
        "orders-service",
        "--states",
        "orders_producers_mod",
        "--app-dir",
        str(tmp_path),
        "--registry",
        str(registry_root),
    ]
    assert main(argv) == 0, capsys.readouterr()
    assert "1 passed, 0 failed" in capsys.readouterr().out
    # users-service has an HTTP interaction: without a provider it is a usage error
    argv[2] = "users-service"
    assert main(argv) == 2


def test_record_with_a_bad_content_digest_is_refused(registry_root: Path) -> None:
    from accord.errors import DocumentError

    path = registry_root / "verifications" / "users-service" / "2.0.0.json"
    path.parent.mkdir(parents=True)
    record = {
        "format_version": 1,
        "provider": "users-service",
        "provider_version": "2.0.0",
        "verified_at": "2024-05-01T12:00:00Z",
        "results": [{"consumer": "billing", "digest": "sha256:0", "success": True}],
    }
    record["results"][0]["content_digest"] = 5
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        load_records(registry_root)
    assert (info.value.code, info.value.pointer) == ("record-invalid", "/results/0/content_digest")


def test_sync_message_with_two_responses(pricing_root: Path) -> None:
    doc = _sync_doc()
    doc["interactions"][0]["responses"].append(
        {"metadata": {"contentType": "application/json"}, **doc["interactions"][0]["responses"][0]}
    )
    write_doc(pricing_root, "checkout", "pricing", doc)
    producers = MessageRegistry()
    producers.register(
        "price of a sku", lambda: ({"sku": "A-1", "price": 1}, {"sku": "A-1", "price": "x"})
    )
    [result] = verify_provider(
        Registry.load(pricing_root), "pricing-service", producers=producers
    ).results
    assert result.verdict == "contract-violation"
    assert "response 1" in result.message()
    producers.producers.clear()
    producers.register("price of a sku", lambda: {"sku": "A-1", "price": 1})  # not a tuple
    [result] = verify_provider(
        Registry.load(pricing_root), "pricing-service", producers=producers
    ).results
    assert result.verdict == "error"
    assert "2 responses" in result.message()


def test_json_content_type_needs_no_metadata(registry_root: Path) -> None:
    _order_expectation(registry_root, contentType="application/json")
    producers = MessageRegistry()
    producers.register("an order.placed event", lambda: {"order_id": "o-9", "total": 30})
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    assert report.ok, report.render_text()


@pytest.mark.parametrize(
    ("expected", "produced", "ok"),
    [
        pytest.param(True, "True", False, id="true-is-not-the-text-True"),
        pytest.param(True, "true", True, id="true-as-a-header-text"),
        pytest.param(1, True, False, id="one-is-not-true"),
        pytest.param(None, "None", False, id="null-is-not-the-text-None"),
        pytest.param([1, 2], "[1, 2]", False, id="a-list-is-not-python-text"),
        pytest.param(2, "2", True, id="a-number-as-a-header-text"),
        pytest.param("order", "order", True, id="same-text"),
    ],
)
def test_metadata_values_compare_as_json_text(
    registry_root: Path, expected: Any, produced: Any, ok: bool
) -> None:
    """Metadata values are compared as JSON spells them (a header carries text: `2` and
    `"2"` agree), never as Python prints them: `str(True)` is `"True"`, which no JSON
    producer writes for true."""
    _order_expectation(registry_root, flag=expected)
    producers = MessageRegistry()
    producers.register(
        "an order.placed event",
        lambda: Produced({"order_id": "o-9", "total": 30}, {"flag": produced}),
    )
    report = verify_provider(Registry.load(registry_root), "orders-service", producers=producers)
    [result] = report.results
    assert (result.verdict != "mismatch") == ok, result.message()
