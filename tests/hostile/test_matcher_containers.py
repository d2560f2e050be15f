"""A value of the wrong kind where a field path needs an object or an array fails the
fields; ``optional`` excuses an absent key, not a container of another kind.

``check_fields`` walked a path into a string, number or array as if the key were
absent: with ``$.user.nickname`` optional, ``{"user": "x"}`` passed while
``{}`` (no user at all) failed, and a body of ``null``, ``[]``, ``"hello"`` or ``42``
passed every optional field, in provider verification (an unbound body has no contract
to catch it) and in the stub's request matching. The JSON Schema translation (and so
``verify --static``) always required the container; Pact fails such a body too.
"""

from __future__ import annotations

from typing import Any

import pytest

from accord.consumers._matchers import check_fields

NICKNAME = [{"path": "$.nickname", "match": "string", "optional": True}]
USER_NICKNAME = [
    {"path": "$.id", "match": "integer"},
    {"path": "$.user.nickname", "match": "string", "optional": True},
]
SKUS = [{"path": "$.items[*].sku", "match": "string"}]
FIRST = [{"path": "$.items[0]", "match": "string", "optional": True}]
ANY_KEY = [{"path": "$.tags.*", "match": "string"}]


@pytest.mark.parametrize(
    ("fields", "payload", "where"),
    [
        (NICKNAME, None, "$"),
        (NICKNAME, [], "$"),
        (NICKNAME, "hello", "$"),
        (NICKNAME, 42, "$"),
        (USER_NICKNAME, {"id": 1, "user": "x"}, "$.user"),
        (USER_NICKNAME, {"id": 1, "user": []}, "$.user"),
        (SKUS, {"items": {"a": {"sku": "x"}}}, "$.items"),
        (SKUS, {"items": "x"}, "$.items"),
        (FIRST, {"items": {"0": "x"}}, "$.items"),
        (ANY_KEY, {"tags": ["x"]}, "$.tags"),
    ],
)
@pytest.mark.parametrize("role", ["reads", "writes"])
def test_another_kind_of_value_where_a_container_is_needed_fails(
    fields: list[dict[str, Any]], payload: Any, where: str, role: str
) -> None:
    problems = check_fields(fields, payload, role=role)  # type: ignore[arg-type]
    assert any(p.path == where and p.message.startswith("expected an") for p in problems), problems


@pytest.mark.parametrize(
    ("fields", "payload"),
    [
        (NICKNAME, {}),
        (USER_NICKNAME, {"id": 1, "user": {}}),
        (USER_NICKNAME, {"id": 1, "user": {"nickname": "n"}}),
        (SKUS, {"items": []}),
        (FIRST, {"items": []}),
        (ANY_KEY, {"tags": {}}),
    ],
)
def test_the_right_containers_still_pass(fields: list[dict[str, Any]], payload: Any) -> None:
    assert check_fields(fields, payload, role="reads") == []


def test_null_is_still_excused_where_the_container_is_nullable() -> None:
    fields = [
        {"path": "$.user", "match": "object", "nullable": True},
        {"path": "$.user.nickname", "match": "string"},
    ]
    assert check_fields(fields, {"user": None}, role="reads") == []
