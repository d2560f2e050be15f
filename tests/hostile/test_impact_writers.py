"""A change that breaks the request bodies a consumer writes names that consumer, even
where it writes no field.

Impact analysis asked only "does a field the consumer relies on sit at or under the
change's location?". A consumer writing ``{"id", "name"}`` to ``users.create-user`` is
broken by a new version that requires ``email`` (its requests are now refused), yet it
writes nothing at ``/email``: accord said "no registered consumer reads $.email
(billing read other fields)", and ``check --consumers-only`` passed with billing
verified. A body the consumer writes is now judged whole against the new schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _registry_builders import locked_version, record_verified
from accord.consumers import Expectation, integer, string
from accord.gate.check import check

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CID = "users.create-user"
V1: dict[str, Any] = {
    "$schema": DIALECT,
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}
EMAIL_REQUIRED = {
    **V1,
    "properties": {**V1["properties"], "email": {"type": "string"}},
    "required": ["id", "name", "email"],
}
TWO_KEYS_AT_MOST = {**V1, "maxProperties": 1}
# Breaks backward too, but where billing writes nothing it cannot hurt billing.
NICKNAME_SHORTER = {
    **V1,
    "properties": {**V1["properties"], "nickname": {"type": "string", "maxLength": 3}},
}
V1_WITH_NICKNAME = {**V1, "properties": {**V1["properties"], "nickname": {"type": "string"}}}


def _registry(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> Path:
    root = tmp_path / "contracts"
    (root / "users" / "create-user").mkdir(parents=True)
    (root / "users" / "create-user" / "contract.toml").write_text(
        'owner = "team"\nkind = "request"\nprovider = "users-service"\n', encoding="utf-8"
    )
    locked_version(root, CID, "1.0.0", old)
    locked_version(root, CID, "1.1.0", new)
    e = Expectation("billing", name="users")
    (
        e.upon_receiving("create user")
        .with_request(
            "POST", "/users", contract=f"{CID}@^1", body={"id": integer(1), "name": string("Ada")}
        )
        .will_respond_with(201)
    )
    e.write(root)
    record_verified(root)
    return root


@pytest.mark.parametrize(
    "new", [EMAIL_REQUIRED, TWO_KEYS_AT_MOST], ids=["email-required", "max-properties"]
)
def test_a_new_constraint_where_the_consumer_writes_nothing_breaks_it(
    tmp_path: Path, new: dict[str, Any]
) -> None:
    root = _registry(tmp_path, V1, new)
    report = check(root, consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 1, messages
    assert "breaks billing" in messages


def test_a_change_the_written_body_still_satisfies_does_not_block(tmp_path: Path) -> None:
    root = _registry(tmp_path, V1_WITH_NICKNAME, NICKNAME_SHORTER)
    report = check(root, consumers_only=True)
    messages = "\n".join(f.message for f in report.active)
    assert report.exit_code() == 0, messages
