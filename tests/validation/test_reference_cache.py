"""The reference validator's cache: one compiled validator per canonical text, found
without serialising a document whose canonical text is already known."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.core.memo import canonical_text
from accord.validation.reference import reference_validator


def _fresh(marker: str) -> dict[str, Any]:
    return {"type": "object", "properties": {marker: {"type": "string", "maxLength": 7}}}


def test_a_document_whose_canonical_text_is_known_is_not_serialised_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The diff writes each input's canonical text first; the refuter's validator for
    the same document reuses that text as its cache key."""
    compiled = reference_validator(_fresh("known-text"))
    other = _fresh("known-text")
    canonical_text(other)

    def refused(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("serialised again")

    monkeypatch.setattr(json, "dumps", refused)
    assert reference_validator(other) is compiled


def test_documents_of_different_text_never_share_a_validator() -> None:
    """Two documents sharing a subschema object but differing elsewhere get their own
    validators, each deciding by its own document."""
    shared = {"type": "string", "maxLength": 3}
    narrow = {"type": "object", "properties": {"a": shared}, "required": ["a"]}
    wide = {"type": "object", "properties": {"a": shared}}
    assert reference_validator(narrow) is not reference_validator(wide)
    assert not reference_validator(narrow).is_valid({})
    assert reference_validator(wide).is_valid({})


def test_key_order_does_not_split_the_cache() -> None:
    """Canonical text sorts keys: one validator for both orders."""
    one = {"type": "integer", "minimum": 2, "$comment": "order-a"}
    two = {"$comment": "order-a", "minimum": 2, "type": "integer"}
    assert reference_validator(one) is reference_validator(two)
