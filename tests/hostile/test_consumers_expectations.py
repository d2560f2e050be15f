"""An interaction, or a whole expectation, is never dropped or overwritten unasked.

One consumer-provider pair is one file that accumulates interactions, keyed by
description + provider states; the same key with different content is an error
(``expectation-conflict``) and nothing is written, unless the user asks to replace.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from accord.consumers import Expectation, integer, string
from accord.errors import DocumentError


def _get_user(name: str, **kwargs: str) -> Expectation:
    e = Expectation("billing", provider="users-service", **kwargs)
    (
        e.upon_receiving("get user 123")
        .with_request("GET", "/users/123")
        .will_respond_with(200, body={"id": integer(123), "name": string(name)})
    )
    return e


def test_write_merges_and_refuses_a_changed_duplicate(tmp_path: Path) -> None:
    e = Expectation("billing", provider="users-service")
    e.upon_receiving("get a missing user").with_request("GET", "/users/404").will_respond_with(404)
    e.write(tmp_path)
    target = _get_user("Ada").write(tmp_path)
    assert target.name == "users-service.json"
    doc = json.loads(target.read_text())
    assert [i["description"] for i in doc["interactions"]] == [
        "get a missing user",
        "get user 123",
    ]
    before = target.read_bytes()
    with pytest.raises(DocumentError) as info:
        _get_user("Bob").write(tmp_path)
    assert info.value.code == "expectation-conflict"
    assert info.value.pointer == "/interactions/1"
    assert target.read_bytes() == before
    _get_user("Bob").write(tmp_path, replace=True)
    doc = json.loads(target.read_text())
    assert len(doc["interactions"]) == 2
    assert doc["interactions"][1]["response"]["body"]["example"]["name"] == "Bob"


def test_write_refuses_another_provider_in_the_same_file(tmp_path: Path) -> None:
    _get_user("Ada").write(tmp_path)
    other = Expectation("billing", provider="orders-service", name="users-service")
    other.upon_receiving("x").with_request("GET", "/x").will_respond_with(200)
    with pytest.raises(DocumentError) as info:
        other.write(tmp_path)
    assert info.value.code == "expectation-conflict"


def test_stub_problems_unexercised_and_unexpected() -> None:
    e = _get_user("Ada")
    e.upon_receiving("list users").with_request("GET", "/users").will_respond_with(200)
    client = httpx.Client(transport=e.transport(), base_url="http://users")
    assert client.get("/users/123").status_code == 200
    assert client.get("/nope").status_code == 500
    problems = e.problems()
    assert len(problems) == 2
    assert "'list users' was never exercised" in problems[0]
    assert problems[1].startswith("unexpected request GET /nope")


def _pact(tmp_path: Path, name: str, description: str, user_id: int) -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(
            {
                "consumer": {"name": "Web"},
                "provider": {"name": "users"},
                "interactions": [
                    {
                        "description": description,
                        "request": {"method": "GET", "path": f"/users/{user_id}"},
                        "response": {"status": 200, "body": {"id": user_id}},
                    }
                ],
                "metadata": {"pactSpecification": {"version": "3.0.0"}},
            }
        )
    )
    return path


def test_importing_two_pacts_of_one_pair_keeps_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = tmp_path / "reg"
    first = _pact(tmp_path, "a.json", "get user 1", 1)
    second = _pact(tmp_path, "b.json", "get user 2", 2)
    assert main(["pact", "import", str(first), str(second), "--registry", str(reg)]) == 0
    target = reg / "consumers/web/users.json"
    assert len(json.loads(target.read_text())["interactions"]) == 2
    # a later import of another pact of the pair adds to the file
    third = _pact(tmp_path, "c.json", "get user 3", 3)
    assert main(["pact", "import", str(third), "--registry", str(reg)]) == 0
    assert len(json.loads(target.read_text())["interactions"]) == 3
    before = target.read_bytes()
    # a changed interaction is refused, nothing written, unless --replace
    changed = _pact(tmp_path, "d.json", "get user 3", 4)
    assert main(["pact", "import", str(changed), "--registry", str(reg)]) == 2
    assert "expectation-conflict" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert main(["pact", "import", str(changed), "--registry", str(reg), "--replace"]) == 0
    doc = json.loads(target.read_text())
    assert [i["request"]["path"] for i in doc["interactions"]] == [
        "/users/1",
        "/users/2",
        "/users/4",
    ]


def test_one_import_with_two_disagreeing_pacts_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = tmp_path / "reg"
    ok = _pact(tmp_path, "a.json", "get user", 1)
    clash = _pact(tmp_path, "b.json", "get user", 2)
    assert main(["pact", "import", str(ok), str(clash), "--registry", str(reg)]) == 2
    assert "expectation-conflict" in capsys.readouterr().err
    assert not reg.exists()


def test_parallel_writers_of_one_pair_lose_no_interaction(tmp_path: Path) -> None:
    import threading

    def writer(n: int) -> None:
        for m in range(3):
            e = Expectation("billing", provider="users-service")
            path = f"/users/{n}-{m}"
            e.upon_receiving(f"get {n}-{m}").with_request("GET", path).will_respond_with(200)
            e.write(tmp_path)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    doc = json.loads((tmp_path / "consumers/billing/users-service.json").read_text())
    assert len(doc["interactions"]) == 18


def test_export_file_names_are_slugs_whatever_contract_toml_says(tmp_path: Path) -> None:
    from accord.consumers._pact import export_pacts

    e = Expectation("billing", name="users")
    e.upon_receiving("x").with_request("GET", "/x").will_respond_with(200)
    pacts = export_pacts([("f.json", e.to_json())], lambda d, i: "../../Users Service")
    [(name, pact)] = pacts.items()
    assert name == "billing-users-service.json"
    assert pact["provider"]["name"] == "../../Users Service"


def test_stored_interaction_is_trusted_only_for_its_own_pact_form() -> None:
    from accord.consumers._pact import export_pact, import_pact

    e = _get_user("Ada")
    doc = e.to_json()
    exported = export_pact(doc)
    # a file whose metadata claims another interaction than its Pact form holds
    forged = json.loads(json.dumps(exported))
    forged["metadata"]["accord"]["interactions"][0]["interaction"]["description"] = "other"
    back = import_pact(forged)
    [inter] = back["interactions"]
    assert inter["description"] == "get user 123"
    assert (
        inter["response"]["body"]["fields"] != doc["interactions"][0]["response"]["body"]["fields"]
    )  # read from the Pact form, not the claim


def test_write_through_a_symlinked_expectation_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    target = tmp_path / "reg/consumers/billing/users-service.json"
    target.parent.mkdir(parents=True)
    target.symlink_to(outside)
    with pytest.raises(DocumentError):
        _get_user("Ada").write(tmp_path / "reg")
    assert outside.read_text() == "{}"
    assert target.is_symlink()
