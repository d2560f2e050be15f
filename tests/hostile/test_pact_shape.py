"""A Pact file whose nodes have the wrong JSON type is ``pact-invalid``, with the pointer.

``import_pact`` walked such a file as if every node had the type Pact gives it, and a
string where an object belongs (``interactions: ["x"]``, a matcher ``"x"``, a message's
``metaData: 5``, a ``status: "ok"``) raised AttributeError, TypeError or ValueError: the
CLI's exit 3 "internal error".
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._pact import import_pact
from accord.errors import DocumentError

PACT: dict[str, Any] = {
    "consumer": {"name": "web"},
    "provider": {"name": "users"},
    "interactions": [
        {
            "description": "get user",
            "providerStates": [{"name": "a user"}],
            "request": {"method": "GET", "path": "/users/1", "headers": {"A": "b"}},
            "response": {
                "status": 200,
                "body": {"id": "1", "xs": [1]},
                "matchingRules": {
                    "body": {
                        "$.id": {"matchers": [{"match": "type"}]},
                        "$.xs": {
                            "matchers": [
                                {
                                    "match": "arrayContains",
                                    "variants": [{"index": 0, "rules": {}}],
                                }
                            ]
                        },
                    }
                },
            },
        },
        {
            "type": "Synchronous/Messages",
            "description": "sync",
            "request": {"contents": {"a": 1}},
            "response": [{"contents": {"b": 1}}],
        },
    ],
    "messages": [{"description": "m", "contents": {"a": 1}, "metaData": {"k": "v"}}],
    "metadata": {"pactSpecification": {"version": "4.0"}},
}

# (where, the value put there, the pointer reported)
CASES = [
    (("consumer",), "web", "/consumer"),
    (("metadata",), "4.0", "/metadata"),
    (("interactions",), {"a": 1}, "/interactions"),
    (("interactions", 0), "x", "/interactions/0"),
    (("interactions", 0, "providerStates"), 5, "/interactions/0/providerStates"),
    (("interactions", 0, "request"), "GET /", "/interactions/0/request"),
    (("interactions", 0, "request", "headers", "A"), [1], "/interactions/0/request/headers/A/0"),
    (("interactions", 0, "response"), [], "/interactions/0/response"),
    (("interactions", 0, "response", "status"), "ok", "/interactions/0/response/status"),
    (
        ("interactions", 0, "response", "matchingRules", "body", "$.id"),
        "x",
        "/interactions/0/response/matchingRules/body/$.id",
    ),
    (
        ("interactions", 0, "response", "matchingRules", "body", "$.xs", "matchers", 0, "variants"),
        5,
        "/interactions/0/response/matchingRules/body/$.xs/matchers/0/variants",
    ),
    (("interactions", 1, "response"), {"x": 1}, "/interactions/1/response"),
    (("messages", 0, "metaData"), 5, "/messages/0/metaData"),
]


def _with(where: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(PACT)
    node = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    return doc


def test_the_well_formed_pact_imports() -> None:
    assert len(import_pact(PACT)["interactions"]) == 3


@pytest.mark.parametrize(("where", "value", "pointer"), CASES, ids=[c[2] for c in CASES])
def test_a_node_of_the_wrong_type_is_pact_invalid(
    where: tuple[Any, ...], value: Any, pointer: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        import_pact(_with(where, value), file="p.json")
    assert (caught.value.code, caught.value.pointer) == ("pact-invalid", pointer)


def test_the_cli_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accord.cli import main

    reg = tmp_path / "reg"
    pact = tmp_path / "p.json"
    pact.write_text(json.dumps(_with(("interactions",), ["x"])))
    assert main(["pact", "import", str(pact), "--registry", str(reg)]) == 2
    err = capsys.readouterr().err
    assert "pact-invalid" in err
    assert "internal error" not in err
    assert not reg.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [("{bad", "json-malformed"), ('{"a": 1, "a": 2}', "json-duplicate-key"), ("NaN", "json-nan")],
    ids=["malformed", "duplicate-key", "nan"],
)
def test_a_v4_body_encoded_json_is_read_strictly(content: str, code: str) -> None:
    body = {"content": content, "contentType": "application/json", "encoded": "JSON"}
    with pytest.raises(DocumentError) as caught:
        import_pact(_with(("interactions", 0, "response", "body"), body), file="p.json")
    assert (caught.value.code, caught.value.file) == (code, "p.json")


@pytest.mark.parametrize("doc", [None, "x", {"consumer": {"name": "web"}}], ids=repr)
def test_export_refuses_what_is_not_an_expectation(doc: Any) -> None:
    from accord.consumers import export_pact

    with pytest.raises(DocumentError) as caught:
        export_pact(doc)
    assert caught.value.code == "expectation-invalid"


@pytest.mark.parametrize("entry", [5, None, b"GET /u 200=users.user@^1"], ids=repr)
def test_a_map_that_is_not_a_string_is_a_bad_map(entry: Any) -> None:
    from accord.consumers import parse_map
    from accord.errors import UsageError

    with pytest.raises(UsageError) as caught:
        parse_map(entry)
    assert caught.value.code == "pact-bad-map"


@pytest.mark.parametrize(
    ("where", "value", "pointer"),
    [
        pytest.param("key", 1, "/interactions/0/response/body", id="int-key"),
        pytest.param("value", float("nan"), "/interactions/0/response/body/id", id="nan"),
        pytest.param("value", b"1", "/interactions/0/response/body/id", id="bytes"),
        pytest.param("value", {"1"}, "/interactions/0/response/body/id", id="set"),
    ],
)
def test_a_python_pact_holding_no_json_value_is_pact_invalid(
    where: str, value: Any, pointer: str
) -> None:
    # No Pact file can hold these; a Python caller's dict can. An int key was a bare
    # TypeError, bytes "not JSON serialisable", and NaN was imported as an example.
    doc = copy.deepcopy(PACT)
    body = doc["interactions"][0]["response"]["body"]
    if where == "key":
        body[value] = "x"
    else:
        body["id"] = value
    with pytest.raises(DocumentError) as caught:
        import_pact(doc, file="py.json")
    assert caught.value.code == "pact-invalid"
    assert caught.value.pointer == pointer
    assert caught.value.file == "py.json"
