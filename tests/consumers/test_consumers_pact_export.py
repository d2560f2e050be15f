"""Pact export keeps accord's meaning: nullable, unions and RFC 3339 date-times are
stated in Pact terms the real verifier (pact-rust) enforces; what Pact cannot state is
said in the file's metadata and on stderr; ``--spec v3`` writes Pact v3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _pact_rust import pact_rust_accepts

from accord.consumers import (
    Expectation,
    check_fields,
    datetime,
    integer,
    nullable,
    optional,
    string,
    union,
)
from accord.consumers._pact import export_pact, import_pact

REPO = Path(__file__).resolve().parents[2]
# a format-less datetime(): RFC 3339, fractions optional, T/t and Z/z in either case
RFC3339_FORMATS = [
    f"yyyy-MM-dd'{t}'HH:mm:ss{fraction}{zone}"
    for t in "Tt"
    for zone in ("XXX", "'z'")
    for fraction in ("", ".SSSSSSSSS")
]


def _expectation() -> Expectation:
    e = Expectation("billing", version="1.4.0", branch="main", provider="users-service")
    e.upon_receiving("get user 123").with_request("GET", "/users/123").will_respond_with(
        200,
        contract="users.user@^1",
        body={
            "id": integer(123),
            "name": nullable(string("Ada")),
            "email": optional(string("a@b.c")),
            "ref": union(integer(7), string("x")),
            "created_at": datetime(),
        },
    )
    e.message("an order.placed event", "orders.order-placed@^1", {"order_id": string("o-1")})
    return e


def _response(pact: dict[str, Any]) -> dict[str, Any]:
    [http] = [i for i in pact["interactions"] if i["type"] == "Synchronous/HTTP"]
    return dict(http["response"])


GOOD = {
    "id": 1,
    "name": "Bo",
    "email": "b@c.d",
    "ref": 5,
    "created_at": "2024-01-31T12:00:00Z",
}


def test_nullable_union_and_datetime_are_stated_in_pact_terms() -> None:
    response = _response(export_pact(_expectation().to_json()))
    rules = response["matchingRules"]["body"]
    assert rules["$.name"] == {"combine": "OR", "matchers": [{"match": "type"}, {"match": "null"}]}
    assert rules["$.ref"] == {
        "combine": "OR",
        "matchers": [{"match": "integer"}, {"match": "type"}],
    }
    # Pact's type matcher compares with the example: the union serves a string
    assert response["body"]["content"]["ref"] == "string"
    assert rules["$.created_at"]["combine"] == "OR"
    assert {m["format"] for m in rules["$.created_at"]["matchers"]} == set(RFC3339_FORMATS)


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("change", "accepts"),
    [
        ({}, True),
        ({"name": None}, True),  # nullable
        ({"ref": "a-string"}, True),  # the union's other alternative
        ({"ref": True}, False),
        ({"created_at": "2024-01-31T12:00:00.123Z"}, True),  # fractions, as accord accepts
        ({"created_at": "2024-01-31T12:00:00.123456+05:30"}, True),
        ({"created_at": "2024-02-30T12:00:00Z"}, False),
        ({"created_at": "2024-01-31t12:00:00.5z"}, True),  # RFC 3339's lowercase t and z
        ({"id": None}, False),
        ({"email": None}, None),  # optional, not nullable: accord rejects, Pact cannot check
    ],
    ids=[
        "good",
        "null-name",
        "string-ref",
        "boolean-ref",
        "millis",
        "micros",
        "feb-30",
        "lowercase-t-z",
        "null-id",
        "null-email",
    ],
)
def test_the_real_verifier_agrees_with_accord(
    tmp_path: Path, change: dict[str, Any], accepts: bool | None
) -> None:
    doc = _expectation().to_json()
    pact = export_pact(doc)
    pact["interactions"] = [i for i in pact["interactions"] if i["type"] == "Synchronous/HTTP"]
    (tmp_path / "p.json").write_text(json.dumps(pact))
    sent = {**GOOD, **change}
    fields = doc["interactions"][0]["response"]["body"]["fields"]
    if accepts is None:  # stated as not stated: Pact passes what accord rejects
        assert check_fields(fields, sent, role="reads") != []
        assert pact_rust_accepts(tmp_path / "p.json", "users-service", sent)
        return
    assert (check_fields(fields, sent, role="reads") == []) is accepts
    assert pact_rust_accepts(tmp_path / "p.json", "users-service", sent) is accepts


@pytest.mark.timeout(120)
def test_an_optional_key_is_not_required_of_the_provider(tmp_path: Path) -> None:
    doc = _expectation().to_json()
    pact = export_pact(doc)
    assert "email" not in _response(pact)["body"]["content"]
    assert "$.email" not in _response(pact)["matchingRules"]["body"]
    pact["interactions"] = [i for i in pact["interactions"] if i["type"] == "Synchronous/HTTP"]
    (tmp_path / "p.json").write_text(json.dumps(pact))
    sent = {k: v for k, v in GOOD.items() if k != "email"}
    fields = doc["interactions"][0]["response"]["body"]["fields"]
    assert check_fields(fields, sent, role="reads") == []
    assert pact_rust_accepts(tmp_path / "p.json", "users-service", sent)


def test_what_pact_cannot_state_is_in_the_metadata() -> None:
    pact = export_pact(_expectation().to_json())
    notes = pact["metadata"]["accord"]["not_stated"]
    assert notes == [
        {
            "interaction": "get user 123",
            "note": "$.email: optional: left out of the Pact body (Pact cannot say a key "
            "may be absent), so Pact does not check it when present",
        }
    ]


def test_the_pact_form_alone_gives_nullable_union_and_datetime_back() -> None:
    pact = export_pact(_expectation().to_json())
    del pact["metadata"]["accord"]["interactions"]  # as if Pact tooling had edited them all
    back = import_pact(pact, require_contract=False)
    fields = {f["path"]: f for f in back["interactions"][0]["response"]["body"]["fields"]}
    assert fields["$.name"]["nullable"] is True
    assert fields["$.name"]["match"] == "like"
    assert fields["$.ref"]["match"] == "one_of"
    assert [m["match"] for m in fields["$.ref"]["matchers"]] == ["integer", "like"]
    assert fields["$.created_at"] == {"path": "$.created_at", "match": "datetime"}


@pytest.mark.parametrize("spec", ["v3", "v4"])
def test_accord_to_pact_to_accord_keeps_optional_nullable_union(spec: str) -> None:
    doc = _expectation().to_json()
    back = import_pact(export_pact(doc, spec=spec), require_contract=True)
    assert back == doc


def _registry(tmp_path: Path) -> Path:
    reg = tmp_path / "reg"
    shutil.copytree(REPO / "contracts", reg, ignore=shutil.ignore_patterns("consumers"))
    _expectation().write(reg)
    return reg


@pytest.mark.timeout(120)
def test_cli_export_spec_v3_writes_pact_v3_the_verifier_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = _registry(tmp_path)
    out = tmp_path / "pacts"
    assert main(["pact", "export", "--spec", "v3", "--out", str(out), "--registry", str(reg)]) == 0
    err = capsys.readouterr().err
    assert "get user 123" in err
    assert "$.email: optional" in err
    [name] = [p.name for p in out.iterdir()]
    pact = json.loads((out / name).read_text())
    assert pact["metadata"]["pactSpecification"]["version"] == "3.0.0"
    [http] = pact["interactions"]
    assert "type" not in http
    assert http["response"]["body"]["ref"] == "string"  # plain JSON, not v4's content block
    assert http["response"]["headers"] == {"Content-Type": "application/json"}
    assert {
        m["timestamp"]
        for m in http["response"]["matchingRules"]["body"]["$.created_at"]["matchers"]
    } == set(RFC3339_FORMATS)
    [msg] = pact["messages"]
    assert msg["contents"] == {"order_id": "o-1"}
    # the v3 file alone (no messages: the verifier has no message transport here)
    del pact["messages"]
    (tmp_path / "http.json").write_text(json.dumps(pact))
    sent = {**GOOD, "name": None, "created_at": "2024-01-31T12:00:00.5Z"}
    assert pact_rust_accepts(tmp_path / "http.json", "users-service", sent)
    assert not pact_rust_accepts(tmp_path / "http.json", "users-service", {**sent, "ref": []})


def test_v3_export_refuses_a_synchronous_message_and_writes_nothing(tmp_path: Path) -> None:
    from accord.errors import UsageError

    doc = _expectation().to_json()
    doc["interactions"].append(
        {
            "type": "sync-message",
            "description": "ask",
            "request": {"body": {"contract": None, "example": {}, "fields": []}},
            "responses": [],
        }
    )
    with pytest.raises(UsageError) as info:
        export_pact(doc, spec="v3")
    assert info.value.code == "pact-v3-cannot-state"


@pytest.mark.timeout(120)
def test_a_nullable_object_keeps_the_verifier_passing_a_good_provider(tmp_path: Path) -> None:
    from accord.consumers import like

    # pact-rust applies every matcher of an OR rule to an object: OR [type, null] would
    # fail even a good object, so a nullable object is stated as non-null, and said so
    e = Expectation("billing", version="1.4.0", provider="users-service")
    e.upon_receiving("get").with_request("GET", "/users/1").will_respond_with(
        200, contract="users.user@^1", body={"address": nullable(like({"city": "Oslo"}))}
    )
    pact = export_pact(e.to_json())
    rules = _response(pact)["matchingRules"]["body"]
    assert {"match": "null"} not in rules["$.address"]["matchers"]
    notes = [n["note"] for n in pact["metadata"]["accord"]["not_stated"]]
    assert any(n.startswith("$.address: nullable") for n in notes)
    (tmp_path / "p.json").write_text(json.dumps(pact))
    assert pact_rust_accepts(tmp_path / "p.json", "users-service", {"address": {"city": "Rome"}})


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("rules", "example"),
    [
        pytest.param(["type", "null"], {"city": "Oslo"}, id="or-type-null"),
        pytest.param(["null", "type"], {"city": "Oslo"}, id="or-null-type"),
        pytest.param(["values", "null"], {"city": "Oslo"}, id="or-values-null"),
        pytest.param(["null", "type"], None, id="null-example-or"),
    ],
)
def test_pact_has_no_encoding_of_a_nullable_object(
    tmp_path: Path, rules: list[str], example: Any
) -> None:
    """Why a nullable object (or array) is listed as not stated: pact-rust compares an
    object's shape before its rules and applies every matcher of an OR to it, so no
    rule on the object's path accepts both an object and ``null`` (pact_ffi 0.5.12)."""
    from _pact_rust import one_body_pact

    matchers = [{"match": m} for m in rules]
    pact = one_body_pact(
        {"$.address": {"combine": "OR", "matchers": matchers}}, {"address": example}
    )
    (tmp_path / "c-p.json").write_text(json.dumps(pact))
    verdicts = [
        pact_rust_accepts(tmp_path / "c-p.json", "p", {"address": value})
        for value in ({"city": "Rome"}, None)
    ]
    assert verdicts != [True, True]


def test_export_prints_a_nullable_object_and_array_as_not_stated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main
    from accord.consumers import each_like, like

    reg = tmp_path / "reg"
    e = Expectation("billing", version="1.4.0", provider="users-service")
    e.upon_receiving("get").with_request("GET", "/users/1").will_respond_with(
        200,
        body={"address": nullable(like({"city": "Oslo"})), "tags": nullable(each_like("a"))},
    )
    e.write(reg)
    assert main(["pact", "export", "--out", str(tmp_path / "pacts"), "--registry", str(reg)]) == 0
    err = capsys.readouterr().err
    for path in ("$.address", "$.tags"):
        assert (
            f"warning[pact-not-stated]: billing-users-service.json: 'get': {path}: nullable: "
            "pact-rust does not apply an OR rule to an object or an array"
        ) in err
    pact = json.loads((tmp_path / "pacts/billing-users-service.json").read_text())
    notes = [n["note"] for n in pact["metadata"]["accord"]["not_stated"]]
    assert [n.split(":")[0] for n in notes] == ["$.address", "$.tags"]
