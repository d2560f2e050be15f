"""Pact specification v2 matching rules without ``"match"``.

v2 writers (pact-ruby, pact-js v2, pact-jvm's v2 mode) may leave ``"match"`` out:
``{"regex": ...}`` is a regex match and ``{"min": n}``/``{"max": n}`` a type match
with a length bound (pact-jvm's ``MatchingRule.fromJson`` reads them so). accord
imports them with the meaning the same rule has with ``"match"`` spelled out; anything
else without ``"match"`` is refused, naming the file and the rule's JSON pointer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accord.consumers._matchers import check_fields
from accord.consumers._pact import import_pact, load_pact, parse_map
from accord.errors import DocumentError

MAPS = [parse_map("GET /users/{id} 200=users.user@^1")]

# As pact-ruby 1.x writes a v2 pact: flat "$.body..." keys, "match" left out where the
# rule says it all.
V2_PACT: dict[str, Any] = {
    "consumer": {"name": "Billing Web"},
    "provider": {"name": "Users API"},
    "interactions": [
        {
            "description": "a request for user 123",
            "providerState": "user 123 exists",
            "request": {
                "method": "GET",
                "path": "/users/123",
                "headers": {"Accept": "application/json"},
            },
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/json; charset=utf-8"},
                "body": {
                    "id": "123",
                    "name": "Ada",
                    "email": "ada@example.com",
                    "roles": [{"name": "admin"}],
                    "tags": ["a", "b"],
                },
                "matchingRules": {
                    "$.headers.Content-Type": {"regex": "application\\/json"},
                    "$.body.id": {"regex": "^\\d+$"},
                    "$.body.name": {"match": "type"},
                    "$.body.email": {"match": "regex", "regex": "^[^@]+@[^@]+$"},
                    "$.body.roles": {"min": 1},
                    "$.body.roles[*].name": {"match": "type"},
                    "$.body.tags": {"min": 1, "max": 5},
                },
            },
        }
    ],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}


def _spelled_out(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with ``"match"`` written into every rule that leaves it out."""
    out = copy.deepcopy(doc)
    for rule in out["interactions"][0]["response"]["matchingRules"].values():
        if "match" not in rule:
            rule["match"] = "regex" if "regex" in rule else "type"
    return out


@pytest.fixture
def v2_file(tmp_path: Path) -> Path:
    path = tmp_path / "Billing Web-Users API.json"
    path.write_text(json.dumps(V2_PACT, indent=2), encoding="utf-8")
    return path


def test_a_v2_pact_without_match_imports_as_the_rules_with_match_spelled_out(
    v2_file: Path,
) -> None:
    doc = import_pact(load_pact(v2_file), maps=MAPS, file=str(v2_file))
    same = import_pact(_spelled_out(V2_PACT), maps=MAPS, file=str(v2_file))
    assert doc == same
    response = doc["interactions"][0]["response"]
    fields = {f["path"]: f for f in response["body"]["fields"]}
    assert fields["$.id"] == {"path": "$.id", "match": "regex", "regex": "^\\d+$"}
    assert fields["$.roles"] == {"path": "$.roles", "match": "array", "min": 1}
    assert fields["$.tags"] == {"path": "$.tags", "match": "array", "min": 1, "max": 5}
    assert response["matchers"]["header"]["Content-Type"] == [
        {"match": "regex", "regex": "application\\/json"}
    ]


@pytest.mark.parametrize(
    ("body", "fails_at"),
    [
        ({"id": "7", "name": "Bo", "email": "b@x", "roles": [{"name": "x"}], "tags": ["t"]}, []),
        (
            {"id": "seven", "name": "Bo", "email": "b@x", "roles": [{"name": "x"}], "tags": ["t"]},
            ["$.id"],
        ),
        ({"id": "7", "name": "Bo", "email": "b@x", "roles": [], "tags": ["t"]}, ["$.roles"]),
        ({"id": "7", "name": "Bo", "email": "b@x", "roles": [{"name": 1}], "tags": []}, None),
    ],
    ids=["matches", "regex-fails", "min-fails", "type-and-min-fail"],
)
def test_the_imported_v2_rules_decide_as_pact_does(
    v2_file: Path, body: dict[str, Any], fails_at: list[str] | None
) -> None:
    doc = import_pact(load_pact(v2_file), maps=MAPS, file=str(v2_file))
    fields = doc["interactions"][0]["response"]["body"]["fields"]
    where = sorted({m.path for m in check_fields(fields, body, role="reads")})
    if fails_at is None:
        assert where == ["$.roles[0].name", "$.tags"]
    else:
        assert where == fails_at


RULE_POINTER = "/interactions/0/response/matchingRules/$.body.id"


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ({"regex": "^\\d+$", "min": 1}, "pact-unsupported-matcher"),  # regex or type?
        ({"regex": "a", "max": 3}, "pact-unsupported-matcher"),
        ({}, "pact-unsupported-matcher"),
        ({"timestamp": "yyyy-MM-dd"}, "pact-unsupported-matcher"),
        ({"value": "x"}, "pact-unsupported-matcher"),
        ({"regex": 12}, "pact-invalid"),
        ({"min": -1}, "pact-invalid"),
        ({"min": "1"}, "pact-invalid"),
        ({"match": "regex"}, "pact-unsupported-matcher"),  # a regex match without a regex
        ({"match": "type", "min": 1.5}, "pact-invalid"),
    ],
    ids=repr,
)
def test_an_ambiguous_or_unknown_v2_rule_is_refused_with_its_pointer(
    tmp_path: Path, rule: dict[str, Any], code: str
) -> None:
    doc = copy.deepcopy(V2_PACT)
    doc["interactions"][0]["response"]["matchingRules"]["$.body.id"] = rule
    path = tmp_path / "web-users.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        import_pact(load_pact(path), maps=MAPS, file=str(path))
    assert info.value.code == code
    assert info.value.file == str(path)
    assert info.value.pointer.startswith(RULE_POINTER)
