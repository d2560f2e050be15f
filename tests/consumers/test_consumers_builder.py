"""The builder API, the in-process stub and deterministic writes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from accord.consumers import (
    Expectation,
    each_like,
    integer,
    like,
    nullable,
    optional,
    regex,
    string,
)
from accord.consumers._model import discover


def _users() -> Expectation:
    e = Expectation("Billing Service", version="1.0.0")
    (
        e.upon_receiving("get user 123")
        .given("user 123 exists", id=123)
        .with_request("GET", "/users/123")
        .will_respond_with(
            200, contract="users.user@^1", body={"id": integer(123), "name": string("Ada")}
        )
    )
    (
        e.upon_receiving("create user")
        .with_request("POST", "/users", body={"name": string("Bob")}, contract=None)
        .will_respond_with(201, body={"id": integer(7)})
    )
    return e


def test_fields_from_the_reads_api() -> None:
    e = (
        Expectation("billing")
        .reads("orders.order-placed@^1")
        .field("$.total.amount", like("12.50"))
        .field("$.line_items", each_like({"sku": regex("[A-Z]{3}-[0-9]{4}", "MUG-0042")}, min=1))
        .field("$.coupon_code", optional(string()))
        .field("$.note", nullable(string()))
    )
    fields = {f["path"]: f for f in e.to_json()["reads"][0]["fields"]}
    assert fields["$.line_items"] == {"path": "$.line_items", "match": "array", "min": 1}
    assert fields["$.line_items[*].sku"]["regex"] == "[A-Z]{3}-[0-9]{4}"
    assert fields["$.coupon_code"]["optional"] is True
    assert fields["$.note"]["nullable"] is True


def test_participant_names_are_slugified_with_the_mapping_stored() -> None:
    doc = _users().to_json()
    assert doc["consumer"]["name"] == "billing-service"
    assert doc["names"] == {"Billing Service": "billing-service"}


def test_mock_transport_serves_expected_responses_and_checks_requests() -> None:
    client = httpx.Client(transport=_users().transport(), base_url="http://users")
    assert client.get("/users/123").json() == {"id": 123, "name": "Ada"}
    assert client.post("/users", json={"name": "Zed"}).status_code == 201
    bad = client.post("/users", json={"name": "Zed", "admin": True})
    assert bad.status_code == 500
    assert "unexpected key 'admin'" in bad.text


def test_asgi_app_serves_the_same() -> None:
    import asyncio

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=_users().asgi_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://users") as c:
            return await c.get("/users/123")

    assert asyncio.run(go()).json()["name"] == "Ada"


def test_write_is_deterministic_and_discoverable(tmp_path: Path) -> None:
    first = _users().write(tmp_path)
    data = first.read_bytes()
    assert _users().write(tmp_path).read_bytes() == data
    assert json.loads(data)["interactions"][0]["provider_states"] == [
        {"name": "user 123 exists", "params": {"id": 123}}
    ]
    [ef] = discover(tmp_path)
    assert ef.consumer == "billing-service"
    assert ef.file == "consumers/billing-service/billing-service.json"


def test_write_takes_a_str_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/topologies.md writes `Expectation(...).write("expectations")`: a str raised a
    # TypeError from `str / str` (only a Path worked).
    monkeypatch.chdir(tmp_path)
    written = _users().write("expectations")
    assert written == Path("expectations/consumers/billing-service/billing-service.json")
    assert _users().path_in("expectations") == written
    assert written.is_file()


def test_fixture_writes_the_expectation_at_teardown(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    # The fixture comes from the installed plugin (entry point pytest11), no conftest.
    (tmp_path / "test_consumer.py").write_text(
        "from accord.consumers import string\n"
        "def test_reads(accord_expectation):\n"
        "    accord_expectation('billing').reads('users.user@^1').field('$.name', string())\n"
        "def test_fails(accord_expectation):\n"
        "    accord_expectation('crm').reads('users.user@^1').field('$.name', string())\n"
        "    assert False, 'a failing consumer test records nothing'\n"
    )
    env = {**os.environ, "ACCORD_REGISTRY": str(tmp_path / "reg")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout
    assert not (tmp_path / "reg/consumers/crm").exists()
    written = json.loads((tmp_path / "reg/consumers/billing/billing.json").read_text())
    assert written["reads"][0]["fields"][0]["path"] == "$.name"


def _keyed() -> Expectation:
    e = Expectation("billing", provider="users-service")
    (
        e.upon_receiving("get user 123 with a key")
        .with_request("GET", "/users/123", headers={"X-Api-Key": "k-1"})
        .will_respond_with(200, body={"id": integer(123)})
    )
    return e


def test_stub_checks_expected_request_headers_as_pact_does() -> None:
    from pact import Pact

    e = _keyed()
    stub = httpx.Client(transport=e.transport(), base_url="http://users")
    assert stub.get("/users/123").status_code == 500
    assert stub.get("/users/123", headers={"x-api-key": "wrong"}).status_code == 500
    assert stub.get("/users/123", headers={"x-api-key": "k-1"}).status_code == 200
    assert len(e.problems()) == 2  # the two unexpected requests
    # pact-python's mock server refuses the same request without the header
    pact = Pact("billing", "users-service").with_specification("V4")
    (
        pact.upon_receiving("get user 123 with a key")
        .with_request("GET", "/users/123")
        .with_header("X-Api-Key", "k-1")
        .will_respond_with(200)
    )
    with pact.serve(raises=False) as srv:
        assert httpx.get(f"{srv.url}/users/123").status_code == 500
        assert httpx.get(f"{srv.url}/users/123", headers={"X-Api-Key": "k-1"}).status_code == 200


def test_asgi_stub_checks_headers_and_counts_exercised() -> None:
    import asyncio

    e = _keyed()

    async def go(headers: dict[str, str]) -> int:
        transport = httpx.ASGITransport(app=e.asgi_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://users") as c:
            return (await c.get("/users/123", headers=headers)).status_code

    assert asyncio.run(go({})) == 500
    assert asyncio.run(go({"X-API-KEY": "k-1"})) == 200
    assert len(e.problems()) == 1  # the request without the key; the interaction ran
    assert e.problems()[0].startswith("unexpected request GET /users/123")


@pytest.mark.parametrize(
    "pattern", [r"[a-z]{3}-[0-9]+", r"\d{4}-\d{2}", r"(GET|POST) /[a-z]+", r"ab|cd", r"x?"]
)
def test_regex_without_an_example_serves_a_string_its_regex_matches(
    pattern: str, tmp_path: Path
) -> None:
    from accord.consumers import check_fields, regex

    m = regex(pattern)
    assert isinstance(m.example, str)
    assert check_fields([{"path": "$.v", **m.spec}], {"v": m.example}, role="reads") == []
    e = Expectation("billing", version="1.0.0", provider="users")
    e.upon_receiving("get").with_request("GET", "/u").will_respond_with(
        200, contract="users.user@^1", body={"id": m}
    )
    stored = json.loads(e.write(tmp_path).read_text())
    assert stored["interactions"][0]["response"]["body"]["example"] == {"id": m.example}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("[a-z]+", "123"), "expectation-bad-example"),
        ((r"(?<=a)b",), "expectation-bad-example"),  # lookbehind: nothing can be drawn
        # never materialised; over the reference's size limit, which cannot read it
        (("a{1000000}",), "expectation-bad-regex"),
        (("a{2,1}",), "expectation-bad-regex"),
    ],
)
def test_regex_refuses_an_example_that_fails_it_at_build_time(
    args: tuple[str, ...], code: str
) -> None:
    from accord.consumers import regex
    from accord.errors import UsageError

    with pytest.raises(UsageError) as info:
        regex(*args)
    assert info.value.code == code


def test_a_body_whose_example_fails_its_matcher_is_refused_at_build_time() -> None:
    from accord.consumers import date, enum
    from accord.errors import UsageError

    for bad in (date("31/01/2024"), enum("a", "b", example="c")):
        e = Expectation("billing", version="1.0.0", provider="users")
        with pytest.raises(UsageError) as info:
            e.upon_receiving("get").with_request("GET", "/u").will_respond_with(
                200, contract="users.user@^1", body={"v": bad}
            )
        assert info.value.code == "expectation-bad-example"
        assert "$.v" in info.value.message
